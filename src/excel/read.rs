//! A scenario workbook → the same TOML tree a scenario file gives, every value carrying its cell,
//! so that the scenario validator checks it as it checks a file and every problem names
//! `file:参数!D14`. Only what a spreadsheet can get wrong is checked here (a cell of the wrong
//! kind, a date Excel made of a month, `8%` typed as text, an unknown parameter or
//! distribution); everything else is the validator's.

use super::book::{Book, CellValue, Grid};
use super::columns::Columns;
use super::layout::{self, LIST_FIELDS, PARAMS_SHEET, SETTINGS_SHEET, SETTING_TYPES};
use crate::scenario::distribution::FAMILIES;
use crate::scenario::{Scope, PARAMS};
use crate::toml_tree::{nearest, Node, Origin, Problems, Table, Value};
use std::collections::HashMap;
use std::path::Path;

/// Reads the scenario workbook at `path` into a tree (as [`crate::toml_tree::parse`] reads a
/// file), or every problem its cells have.
pub fn scenario_tree(path: &Path) -> Result<Node, Problems> {
    let mut book = Book::open(path, "scenario workbook")?;
    let settings = book.sheet(SETTINGS_SHEET, "the scenario's name, run settings and levers")?;
    let params = book.sheet(PARAMS_SHEET, "the parameters and their distributions")?;
    let mut problems = Problems::default();
    let mut root = Node::table(settings.origin(0, 0));
    let mut seen = HashMap::new();
    read_settings(&settings, &mut root, &mut seen, &mut problems);
    read_params(&params, &mut root, &mut seen, &mut problems);
    if problems.is_empty() {
        Ok(root)
    } else {
        Err(problems)
    }
}

/// Key paths set so far, with where: a second row for the same key is refused.
type Seen = HashMap<String, Origin>;

fn put(root: &mut Node, key: &str, node: Node, seen: &mut Seen, problems: &mut Problems) {
    let path: Vec<String> = key.split('.').map(|k| k.trim().to_string()).collect();
    if path.iter().any(String::is_empty) {
        problems.push(&node.origin, key, "the key has an empty part (write keys separated by single dots)");
        return;
    }
    if let Some(first) = seen.get(key) {
        problems.push(&node.origin, key, format!("is set a second time (first at {first}); keep one row"));
        return;
    }
    seen.insert(key.to_string(), node.origin.clone());
    let origin = node.origin.clone();
    if let Err(message) = root.set_path(&path, node, &|_| false) {
        problems.push(&origin, key, message);
    }
}

/// A date in a cell where text (a month) is expected: Excel rewrote what was typed.
fn excel_date_message(y: i32, m: u32, d: u32) -> String {
    format!(
        "Excel turned this cell into the date {y}-{m:02}-{d:02}; parkcast reads months as text YYYY-MM: format the cell as text (设置单元格格式 → 文本) and type {y}-{m:02} again (or type '{y}-{m:02} with a leading apostrophe)"
    )
}

fn percent_message(text: &str, fraction: &str) -> String {
    format!("`{text}` is a percent typed as text: parkcast writes shares as fractions, so write {fraction} (a cell formatted as a percentage holds the fraction already and is fine)")
}

/// A number from a cell: a number cell, or text that reads as one (full-width digits too).
fn number_of(cell: &CellValue, origin: &Origin, key: &str, problems: &mut Problems) -> Option<f64> {
    match cell {
        CellValue::Number(x) => Some(*x),
        CellValue::Text(t) => {
            if let Some(fraction) = crate::text::percent_as_fraction(t) {
                problems.push(origin, key, percent_message(t, &fraction));
                return None;
            }
            match crate::text::number_from_text(t) {
                Ok(x) => Some(x),
                Err(crate::text::NotANumber::StrayComma(e)) => {
                    problems.push(origin, key, e);
                    None
                }
                Err(crate::text::NotANumber::Other) => {
                    problems.push(origin, key, format!("expected a number, found {}", cell.brief()));
                    None
                }
            }
        }
        CellValue::Date(y, m, d) => {
            problems.push(
                origin,
                key,
                format!("expected a number, found the date {y}-{m:02}-{d:02} (Excel shows the cell as a date: format it as a number)"),
            );
            None
        }
        other => {
            problems.push(origin, key, format!("expected a number, found {}", other.brief()));
            None
        }
    }
}

/// Text from a cell: text, or a number as it reads (a name such as 2025); a date is refused.
fn text_of(cell: &CellValue, origin: &Origin, key: &str, problems: &mut Problems) -> Option<String> {
    match cell {
        CellValue::Text(t) => Some(t.clone()),
        CellValue::Empty => Some(String::new()),
        CellValue::Number(x) => Some(format!("{x}")),
        CellValue::Date(y, m, d) => {
            problems.push(origin, key, excel_date_message(*y, *m, *d));
            None
        }
        other => {
            problems.push(origin, key, format!("expected text, found {}", other.brief()));
            None
        }
    }
}

/// A list `1, 2, 3` (or `[1, 2, 3]`, or one number) as an array of numbers.
fn list_of(cell: &CellValue, origin: &Origin, key: &str, problems: &mut Problems) -> Option<Value> {
    let items: Vec<Node> = match cell {
        CellValue::Number(x) => vec![Node { value: Value::Float(*x), origin: origin.clone() }],
        CellValue::Text(t) => {
            let inner = crate::text::ascii_form(t);
            let inner = inner.trim().trim_start_matches('[').trim_end_matches(']');
            let mut out = Vec::new();
            for part in inner.split([',', ';', '、']).map(str::trim).filter(|p| !p.is_empty()) {
                let x = number_of(&CellValue::Text(part.to_string()), origin, key, problems)?;
                out.push(Node { value: Value::Float(x), origin: origin.clone() });
            }
            out
        }
        other => {
            problems.push(origin, key, format!("expected a list of numbers such as 1, 2, 3, found {}", other.brief()));
            return None;
        }
    };
    Some(Value::Array(items))
}

fn read_settings(grid: &Grid, root: &mut Node, seen: &mut Seen, problems: &mut Problems) {
    let Some(cols) = Columns::find(grid, &layout::SETTING_COLUMNS, &["key", "type", "value"], problems) else {
        return;
    };
    let (key_col, type_col, value_col) =
        (cols.get("key").expect("required"), cols.get("type").expect("required"), cols.get("value").expect("required"));
    let Some(last) = grid.last_row() else { return };
    for row in cols.header_row + 1..=last {
        let key_cell = grid.cell(row, key_col);
        let value = grid.cell(row, value_col);
        let kind = grid.cell(row, type_col);
        let key = match &key_cell {
            CellValue::Text(k) => k.clone(),
            CellValue::Empty if value == CellValue::Empty && kind == CellValue::Empty => continue,
            other => {
                problems.push(
                    &grid.origin(row, key_col),
                    "",
                    format!("expected a key such as settings.trials, found {}", other.brief()),
                );
                continue;
            }
        };
        let origin = grid.origin(row, value_col);
        let kind = match &kind {
            CellValue::Text(t) if SETTING_TYPES.contains(&t.to_ascii_lowercase().as_str()) => t.to_ascii_lowercase(),
            other => {
                problems.push(
                    &grid.origin(row, type_col),
                    &key,
                    format!("unknown type {} (allowed: {})", other.brief(), SETTING_TYPES.join(", ")),
                );
                continue;
            }
        };
        let v = match kind.as_str() {
            "text" => text_of(&value, &origin, &key, problems).map(Value::String),
            "number" => number_of(&value, &origin, &key, problems).map(Value::Float),
            "integer" => number_of(&value, &origin, &key, problems).and_then(|x| {
                if x.fract() == 0.0 && x.abs() < 9.0e15 {
                    Some(Value::Integer(x as i64))
                } else {
                    let type_cell = format!("{}{}", crate::toml_tree::column_letters(type_col), row + 1);
                    problems.push(
                        &origin,
                        &key,
                        format!("expected a whole number, found {x} (its type cell {type_cell} says integer: for a setting that takes decimals, set it to number)"),
                    );
                    None
                }
            }),
            "boolean" => match &value {
                CellValue::Bool(b) => Some(Value::Boolean(*b)),
                CellValue::Text(t) => match t.to_ascii_lowercase().as_str() {
                    "true" | "yes" | "是" => Some(Value::Boolean(true)),
                    "false" | "no" | "否" => Some(Value::Boolean(false)),
                    _ => {
                        problems.push(&origin, &key, format!("expected TRUE or FALSE, found {}", value.brief()));
                        None
                    }
                },
                other => {
                    problems.push(&origin, &key, format!("expected TRUE or FALSE, found {}", other.brief()));
                    None
                }
            },
            _ => list_value(&value, &origin, &key, problems),
        };
        if let Some(v) = v {
            put(root, &key, Node { value: v, origin }, seen, problems);
        }
    }
}

/// A `list` setting: a TOML array as text (`[1, 0.3]`, `["a", "b"]`), every item from the cell.
fn list_value(cell: &CellValue, origin: &Origin, key: &str, problems: &mut Problems) -> Option<Value> {
    let CellValue::Text(t) = cell else {
        problems.push(origin, key, format!("expected a list such as [1, 2, 3], found {}", cell.brief()));
        return None;
    };
    let text = crate::text::ascii_form(t);
    let text = if text.trim_start().starts_with('[') { text } else { format!("[{text}]") };
    match crate::toml_tree::parse("cell", &format!("v = {text}")) {
        Ok(node) => {
            let v = node.as_table().and_then(|t| t.get("v")).map(|n| n.value.clone()).expect("parsed v");
            Some(stamp(v, origin))
        }
        Err(_) => {
            problems.push(origin, key, format!("expected a list such as [1, 2, 3], found {}", cell.brief()));
            None
        }
    }
}

/// Gives every nested value `origin`.
fn stamp(value: Value, origin: &Origin) -> Value {
    match value {
        Value::Array(items) => Value::Array(
            items.into_iter().map(|n| Node { value: stamp(n.value, origin), origin: origin.clone() }).collect(),
        ),
        Value::Table(t) => {
            let mut out = Table::default();
            for (k, n) in t {
                out.insert(&k, Node { value: stamp(n.value, origin), origin: origin.clone() });
            }
            Value::Table(out)
        }
        other => other,
    }
}

fn read_params(grid: &Grid, root: &mut Node, seen: &mut Seen, problems: &mut Problems) {
    let columns = layout::param_columns();
    let Some(cols) = Columns::find(grid, &columns, &["parameter", "scope", "distribution"], problems) else {
        return;
    };
    let Some(last) = grid.last_row() else { return };
    let param_col = cols.get("parameter").expect("required");
    let note_col = cols.get("note");
    for row in cols.header_row + 1..=last {
        let filled: Vec<(&str, u16)> =
            cols.iter().filter(|(_, c)| Some(*c) != note_col && grid.cell(row, *c) != CellValue::Empty).collect();
        if filled.is_empty() {
            continue;
        }
        read_param_row(grid, &cols, row, param_col, root, seen, problems);
    }
}

fn read_param_row(
    grid: &Grid,
    cols: &Columns,
    row: u32,
    param_col: u16,
    root: &mut Node,
    seen: &mut Seen,
    problems: &mut Problems,
) {
    let at = |key: &str| cols.get(key).map(|c| (grid.cell(row, c), grid.origin(row, c)));
    let here = grid.origin(row, param_col);
    let parameter = match grid.cell(row, param_col) {
        CellValue::Text(p) => p,
        other => {
            problems.push(
                &here,
                "",
                format!("expected a parameter such as start.delay_months, found {}", other.brief()),
            );
            return;
        }
    };
    let Some(def) = PARAMS.iter().find(|d| d.path == parameter) else {
        let hint = nearest(&parameter, PARAMS.iter().map(|d| d.path))
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        problems.push(
            &here,
            "",
            format!("unknown parameter `{parameter}`{hint} (the parameters are listed in docs/scenario-format.md)"),
        );
        return;
    };
    let (scope_cell, scope_origin) = at("scope").expect("required");
    let scope = match &scope_cell {
        CellValue::Empty => String::new(),
        CellValue::Text(s) => s.clone(),
        other => {
            problems.push(
                &scope_origin,
                "",
                format!("expected a scope such as params or blocks.13, found {}", other.brief()),
            );
            return;
        }
    };
    let first = scope.split('.').next().unwrap_or("");
    match (def.scope, first) {
        (Scope::City, "") | (Scope::Block, "params" | "groups" | "blocks") => {}
        (Scope::City, _) => {
            problems.push(
                &scope_origin,
                "",
                format!("`{parameter}` is a city-wide parameter: leave its scope empty (found `{scope}`)"),
            );
            return;
        }
        (Scope::Block, _) => {
            problems.push(
                &scope_origin,
                "",
                format!(
                    "`{parameter}` is set for blocks: its scope is params (every block), groups.<axis>.<value> (e.g. groups.land_type.R2) or blocks.<id> (found {})",
                    if scope.is_empty() { "an empty cell".to_string() } else { format!("`{scope}`") }
                ),
            );
            return;
        }
    }
    let key = if scope.is_empty() { parameter.clone() } else { format!("{scope}.{parameter}") };
    let (dist_cell, dist_origin) = at("distribution").expect("required");
    let family = match &dist_cell {
        CellValue::Text(f) if FAMILIES.contains(&f.to_ascii_lowercase().as_str()) => f.to_ascii_lowercase(),
        other => {
            let hint = match other {
                CellValue::Text(f) => {
                    nearest(f, FAMILIES).map(|n| format!("; did you mean `{n}`?")).unwrap_or_default()
                }
                _ => String::new(),
            };
            let found = match other {
                CellValue::Text(f) => format!("`{f}`"),
                o => o.brief(),
            };
            problems.push(
                &dist_origin,
                &key,
                format!("unknown distribution {found}{hint} (allowed: {})", FAMILIES.join(", ")),
            );
            return;
        }
    };
    let mut fields = Table::default();
    for field in layout::FIELDS {
        let Some((cell, origin)) = at(field.key) else { continue };
        if cell == CellValue::Empty {
            continue;
        }
        let path = format!("{key}.{family}.{}", field.key);
        let value = if LIST_FIELDS.contains(&field.key) {
            list_of(&cell, &origin, &path, problems)
        } else {
            number_of(&cell, &origin, &path, problems).map(Value::Float)
        };
        if let Some(v) = value {
            fields.insert(field.key, Node { value: v, origin });
        }
    }
    let mut table = Table::default();
    table.insert(&family, Node { value: Value::Table(fields), origin: dist_origin });
    for text_key in ["kind", "source", "assumption"] {
        let Some((cell, origin)) = at(text_key) else { continue };
        if cell == CellValue::Empty {
            continue;
        }
        if let Some(t) = text_of(&cell, &origin, &format!("{key}.{text_key}"), problems) {
            table.insert(text_key, Node { value: Value::String(t), origin });
        }
    }
    put(root, &key, Node { value: Value::Table(table), origin: here }, seen, problems);
}
