//! Parsing TOML into [`Node`]s that carry their [`Origin`].

use super::Problem;
use indexmap::IndexMap;
use std::fmt;
use std::sync::Arc;

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A line of a file (the file as the user named it, or `<embedded>/name` for built-in data).
    File { file: Arc<str>, line: u32 },
    /// A command-line override, e.g. `--set params.start.delay_months=12` (`arg` is what follows
    /// `--set`), or a flag that sets a value, e.g. `--trials 0` (`arg` starts with `--`).
    Override { arg: Arc<str> },
    /// Built into parkcast (a value no file gave).
    Builtin,
    /// A cell of an Excel workbook (`row` and `col` from 0): shown as `file:sheet!D14`.
    Cell { file: Arc<str>, sheet: Arc<str>, row: u32, col: u16 },
}

impl Origin {
    pub fn file(file: &str, line: u32) -> Origin {
        Origin::File { file: Arc::from(file), line }
    }
    pub fn is_override(&self) -> bool {
        matches!(self, Origin::Override { .. })
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { file, line } => write!(f, "{file}:{line}"),
            Origin::Override { arg } if arg.starts_with("--") => write!(f, "{arg}"),
            Origin::Override { arg } => write!(f, "--set {arg}"),
            Origin::Builtin => write!(f, "built-in"),
            Origin::Cell { file, sheet, row, col } => {
                write!(f, "{file}:{sheet}!{}{}", column_letters(*col), row + 1)
            }
        }
    }
}

/// Excel's name of a column (0 → `A`, 25 → `Z`, 26 → `AA`).
pub fn column_letters(col: u16) -> String {
    let mut n = u32::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        out.push(b'A' + r);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// A TOML value with its origin.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub origin: Origin,
}

/// A TOML value. Tables keep the order of their keys.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Table(Table),
    Array(Vec<Node>),
    String(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
    Datetime(String),
}

impl Value {
    /// The TOML type name, for "expected …, found …" messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Table(_) => "a table",
            Value::Array(_) => "an array",
            Value::String(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Boolean(_) => "a boolean",
            Value::Datetime(_) => "a date-time",
        }
    }

    /// A short rendering of the value for messages (tables and arrays abbreviated).
    pub fn brief(&self) -> String {
        match self {
            Value::Table(_) => "a table".into(),
            Value::Array(items) => format!("an array of {} items", items.len()),
            Value::String(s) => format!("{s:?}"),
            Value::Integer(i) => i.to_string(),
            Value::Float(x) => crate::toml_tree::node::format_float(*x),
            Value::Boolean(b) => b.to_string(),
            Value::Datetime(d) => d.clone(),
        }
    }
}

/// Formats a float the way TOML writes it (`nan`, `inf`, `-inf`, or a number).
pub(crate) fn format_float(x: f64) -> String {
    if x.is_nan() {
        "nan".into()
    } else if x.is_infinite() {
        if x > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else {
        format!("{x}")
    }
}

/// A TOML table: keys in file order, looked up by hash (a table of n keys is built and read in
/// O(n), however large n is).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table(IndexMap<String, Node>);

impl Table {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.0.get(key)
    }
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.0.get_mut(key)
    }
    /// Sets `key`, replacing an existing value in place or appending.
    pub fn insert(&mut self, key: &str, node: Node) {
        match self.0.get_mut(key) {
            Some(existing) => *existing = node,
            None => {
                self.0.insert(key.to_string(), node);
            }
        }
    }
    /// Removes `key`, keeping the order of the others.
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        self.0.shift_remove(key)
    }
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.0.iter().map(|(k, n)| (k.as_str(), n))
    }
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Node> {
        self.0.values_mut()
    }
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
    pub fn first(&self) -> Option<(&str, &Node)> {
        self.0.first().map(|(k, n)| (k.as_str(), n))
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl IntoIterator for Table {
    type Item = (String, Node);
    type IntoIter = indexmap::map::IntoIter<String, Node>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Node {
    pub fn table(origin: Origin) -> Node {
        Node { value: Value::Table(Table::default()), origin }
    }
    pub fn as_table(&self) -> Option<&Table> {
        match &self.value {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }
    pub fn as_table_mut(&mut self) -> Option<&mut Table> {
        match &mut self.value {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }

    /// Merges `over` onto `self`: tables merge key by key, anything else is replaced.
    /// `is_leaf(path)` names tables that are replaced whole instead of merged (e.g. a parameter's
    /// distribution, so that a child scenario never mixes its fields with its parent's).
    pub fn merge(&mut self, over: Node, path: &mut Vec<String>, is_leaf: &dyn Fn(&[String]) -> bool) {
        let leaf = is_leaf(path);
        match (&mut self.value, over.value) {
            (Value::Table(base), Value::Table(top)) if !leaf => {
                for (key, node) in top {
                    path.push(key.clone());
                    match base.get_mut(&key) {
                        Some(existing) => existing.merge(node, path, is_leaf),
                        None => base.insert(&key, node),
                    }
                    path.pop();
                }
            }
            (_, value) => *self = Node { value, origin: over.origin },
        }
    }

    /// Sets the value at `path` (creating tables on the way), as a command-line override does.
    /// Every table on the way that already exists takes the override's origin if `mark` says so
    /// for its path, so that "where did this come from" points at the override.
    pub fn set_path(&mut self, path: &[String], node: Node, mark: &dyn Fn(&[String]) -> bool) -> Result<(), String> {
        let mut current = self;
        for (depth, key) in path.iter().enumerate() {
            if mark(&path[..depth]) {
                current.origin = node.origin.clone();
            }
            let origin = node.origin.clone();
            let table = match &mut current.value {
                Value::Table(t) => t,
                other => {
                    return Err(format!(
                        "`{}` is {}, not a table, so `{}` cannot be set inside it",
                        path[..depth].join("."),
                        other.type_name(),
                        key
                    ))
                }
            };
            if depth + 1 == path.len() {
                table.insert(key, node);
                return Ok(());
            }
            if table.get(key).is_none() {
                table.insert(key, Node::table(origin));
            }
            current = table.get_mut(key).expect("just inserted");
        }
        Ok(())
    }
}

/// Byte offsets of line starts, to turn spans into line numbers.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines(starts)
    }
    fn line_of(&self, offset: usize) -> u32 {
        (self.0.partition_point(|&s| s <= offset)) as u32
    }
}

/// Parses TOML text. `file` is how the file is named in messages.
pub fn parse(file: &str, text: &str) -> Result<Node, Problem> {
    let lines = Lines::new(text);
    let file: Arc<str> = Arc::from(file);
    let doc = toml_edit::Document::parse(text).map_err(|e| {
        let line = e.span().map(|s| lines.line_of(s.start)).unwrap_or(1);
        let mut message = e.message().trim().to_string();
        let shown = text.lines().nth(line as usize - 1).unwrap_or("");
        if message.starts_with("duplicate key") {
            // the short message does not say which: show the line
            message =
                format!("{message}: `{}` is given a second time (each key and table once per file)", shown.trim());
        } else if let Some(hint) = syntax_hint(shown, &message) {
            message = format!("{message} ({hint})");
        }
        Problem::new(&Origin::File { file: file.clone(), line }, "", format!("malformed TOML: {message}"))
    })?;
    let converter = Converter { lines: &lines, file: &file };
    let root = doc.as_table();
    Ok(converter.table(root, 1))
}

/// What most likely went wrong on a line TOML could not read, where its own message does not
/// say it: punctuation typed with a Chinese input method outside quotes (`，` `＝` `：` `“”`), or
/// a Windows path's backslashes in a "…" string (escapes there).
fn syntax_hint(line: &str, message: &str) -> Option<String> {
    let mut in_string = None;
    let mut previous = ' ';
    for c in line.chars() {
        match (in_string, c) {
            (None, '#') => break,
            (None, '"' | '\'') => in_string = Some(c),
            (Some(q), _) if c == q && !(q == '"' && previous == '\\') => in_string = None,
            (None, _) => {
                let ascii = crate::text::ascii_form(&c.to_string());
                let ascii = match c {
                    '“' | '”' => "\"".to_string(),
                    '‘' | '’' => "'".to_string(),
                    _ => ascii,
                };
                if !c.is_ascii() && ascii.is_ascii() && ascii != c.to_string() {
                    return Some(format!(
                        "the line has `{c}` outside quotes, typed with a Chinese input method: TOML needs the ASCII `{}`",
                        ascii.trim()
                    ));
                }
            }
            _ => {}
        }
        previous = c;
    }
    let escape = ["escape", "unicode value digits", "escaped value"].iter().any(|e| message.contains(e));
    if escape && line.contains('\\') {
        return Some(
            "a backslash in a \"…\" string starts an escape: write a path with / (\"../scenarios/downturn.toml\") or in single quotes".to_string(),
        );
    }
    None
}

struct Converter<'a> {
    lines: &'a Lines,
    file: &'a Arc<str>,
}

impl Converter<'_> {
    fn origin(&self, span: Option<std::ops::Range<usize>>, fallback: u32) -> Origin {
        let line = span.map(|s| self.lines.line_of(s.start)).unwrap_or(fallback);
        Origin::File { file: self.file.clone(), line }
    }

    fn table(&self, table: &toml_edit::Table, fallback: u32) -> Node {
        let origin = self.origin(table.span(), fallback);
        let own_line = match &origin {
            Origin::File { line, .. } => *line,
            _ => fallback,
        };
        let mut out = Table::default();
        for (key, item) in table.iter() {
            let key_line = table
                .get_key_value(key)
                .and_then(|(k, _)| k.span())
                .map(|s| self.lines.line_of(s.start))
                .unwrap_or(own_line);
            if let Some(node) = self.item(item, key_line) {
                out.insert(key, node);
            }
        }
        // An implicit table (made by a dotted key or a deeper header) has no span of its own:
        // point at its first key.
        let origin = match (table.span(), out.first()) {
            (None, Some((_, first))) => first.origin.clone(),
            _ => origin,
        };
        Node { value: Value::Table(out), origin }
    }

    fn item(&self, item: &toml_edit::Item, line: u32) -> Option<Node> {
        match item {
            toml_edit::Item::None => None,
            toml_edit::Item::Value(v) => Some(self.value(v, line)),
            toml_edit::Item::Table(t) => Some(self.table(t, line)),
            toml_edit::Item::ArrayOfTables(a) => {
                let origin = self.origin(a.span(), line);
                let items = a.iter().map(|t| self.table(t, line)).collect();
                Some(Node { value: Value::Array(items), origin })
            }
        }
    }

    fn value(&self, value: &toml_edit::Value, line: u32) -> Node {
        let origin = self.origin(value.span(), line);
        let here = match &origin {
            Origin::File { line, .. } => *line,
            _ => line,
        };
        let value = match value {
            toml_edit::Value::String(s) => Value::String(s.value().clone()),
            toml_edit::Value::Integer(i) => Value::Integer(*i.value()),
            toml_edit::Value::Float(f) => Value::Float(*f.value()),
            toml_edit::Value::Boolean(b) => Value::Boolean(*b.value()),
            toml_edit::Value::Datetime(d) => Value::Datetime(d.value().to_string()),
            toml_edit::Value::Array(a) => Value::Array(a.iter().map(|v| self.value(v, here)).collect()),
            toml_edit::Value::InlineTable(t) => {
                let mut out = Table::default();
                for (key, v) in t.iter() {
                    out.insert(key, self.value(v, here));
                }
                Value::Table(out)
            }
        };
        Node { value, origin }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        let o = Origin::Cell { file: Arc::from("s.xlsx"), sheet: Arc::from("参数"), row: 13, col: 3 };
        assert_eq!(o.to_string(), "s.xlsx:参数!D14");
    }

    #[test]
    fn records_lines_of_values_and_tables() {
        let text = "a = 1\n\n[b]\nc = { d = 2.5 }\n\n[b.e]\nf = \"x\"\n";
        let root = parse("t.toml", text).unwrap();
        let t = root.as_table().unwrap();
        assert_eq!(t.get("a").unwrap().origin.to_string(), "t.toml:1");
        let b = t.get("b").unwrap();
        assert_eq!(b.origin.to_string(), "t.toml:3");
        let c = b.as_table().unwrap().get("c").unwrap();
        assert_eq!(c.origin.to_string(), "t.toml:4");
        let e = b.as_table().unwrap().get("e").unwrap();
        assert_eq!(e.origin.to_string(), "t.toml:6");
        assert_eq!(e.as_table().unwrap().get("f").unwrap().origin.to_string(), "t.toml:7");
    }

    #[test]
    fn malformed_toml_from_an_input_method_or_a_windows_path_says_so() {
        let hint = |text: &str| parse("s.toml", text).unwrap_err().to_string();
        let e = hint("[levers.special_fund]\nvalue = 6，\n");
        assert!(e.contains("`，` outside quotes") && e.contains("ASCII `,`"), "{e}");
        let e = hint("x = { min = 3， mode = 9, max = 12 }\n");
        assert!(e.contains("`，`"), "{e}");
        let e = hint("value ＝ 6\n");
        assert!(e.contains("`＝`") && e.contains("ASCII `=`"), "{e}");
        let e = hint("source = “x”\n");
        assert!(e.contains("`“`") && e.contains("ASCII `\"`"), "{e}");
        let e = hint("extends = \"..\\scenarios\\downturn.toml\"\n");
        assert!(e.contains("backslash"), "{e}");
        // full-width punctuation inside a string is text, not a slip
        assert!(parse("s.toml", "note = \"一，二：三\"\n").is_ok());
        let e = hint("note = \"一，二\" x\n");
        assert!(!e.contains("input method"), "{e}");
    }

    #[test]
    fn malformed_toml_names_the_line() {
        let err = parse("bad.toml", "a = 1\nb = [1, 2\nc = 3\n").unwrap_err();
        assert!(err.to_string().starts_with("bad.toml:"), "{err}");
        assert!(err.to_string().contains("malformed TOML"), "{err}");
    }

    #[test]
    fn merge_replaces_leaves_whole_and_merges_tables() {
        let base = parse(
            "base.toml",
            "[p.x]\npert = { min = 0, mode = 1, max = 2 }\nsource = \"s\"\n[p.y]\nfixed = 1\nsource = \"s\"\n",
        )
        .unwrap();
        let top = parse("top.toml", "[p.x]\nfixed = 3\nassumption = \"why\"\n").unwrap();
        let mut merged = base;
        merged.merge(top, &mut Vec::new(), &|path| path.len() == 2);
        let p = merged.as_table().unwrap().get("p").unwrap().as_table().unwrap();
        let x = p.get("x").unwrap().as_table().unwrap();
        assert_eq!(x.keys().collect::<Vec<_>>(), vec!["fixed", "assumption"]);
        assert_eq!(p.get("x").unwrap().origin.to_string(), "top.toml:1");
        assert!(p.get("y").is_some());
    }

    #[test]
    fn set_path_creates_tables_and_refuses_to_descend_into_scalars() {
        let mut root = parse("a.toml", "x = 1\n").unwrap();
        let arg: Arc<str> = Arc::from("y.z=2");
        let node = Node { value: Value::Integer(2), origin: Origin::Override { arg } };
        root.set_path(&["y".into(), "z".into()], node.clone(), &|_| false).unwrap();
        let y = root.as_table().unwrap().get("y").unwrap().as_table().unwrap();
        assert_eq!(y.get("z").unwrap().value, Value::Integer(2));
        let err = root.set_path(&["x".into(), "w".into()], node, &|_| false).unwrap_err();
        assert!(err.contains("`x` is an integer"), "{err}");
    }
}
