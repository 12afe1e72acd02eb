//! Reading a table's fields while collecting problems: wrong types, missing and unknown keys
//! (with the nearest valid name), non-finite numbers.

use super::{Node, Origin, Problems, Table, Value};

/// The valid name nearest to `key`, if one is close enough to be a likely typo.
pub fn nearest<'a>(key: &str, valid: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let key = key.to_lowercase();
    valid
        .into_iter()
        .map(|v| {
            let lower = v.to_lowercase();
            // a valid name that starts with what was typed (`land` → `land_type`) is a good guess
            let prefix_bonus = if key.chars().count() >= 3 && lower.starts_with(&key) { 0.5 } else { 0.0 };
            (strsim::normalized_damerau_levenshtein(&key, &lower) + prefix_bonus, v)
        })
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, v)| v)
}

/// A table being read, with its key path (for messages).
pub struct Fields<'a> {
    pub table: &'a Table,
    pub origin: &'a Origin,
    pub path: String,
}

impl<'a> Fields<'a> {
    /// Views `node` as a table; reports a problem (and returns `None`) if it is not one.
    pub fn of(node: &'a Node, path: &str, problems: &mut Problems) -> Option<Fields<'a>> {
        match &node.value {
            Value::Table(table) => Some(Fields { table, origin: &node.origin, path: path.to_string() }),
            other => {
                problems.push(&node.origin, path, format!("expected a table, found {}", other.brief()));
                None
            }
        }
    }

    /// The key path of a field of this table.
    pub fn child(&self, key: &str) -> String {
        // a key that is empty or holds a dot or a space is shown quoted, as TOML writes it
        let bare = !key.is_empty() && !key.contains(|c: char| c == '.' || c == '"' || c.is_whitespace());
        let key = if bare { key.to_string() } else { format!("{key:?}") };
        if self.path.is_empty() {
            key
        } else {
            format!("{}.{}", self.path, key)
        }
    }

    pub fn node(&self, key: &str) -> Option<&'a Node> {
        self.table.get(key)
    }

    /// Reports every key not in `allowed`, with the nearest allowed name.
    pub fn allow_only(&self, allowed: &[&str], problems: &mut Problems) {
        for (key, node) in self.table.iter() {
            if !allowed.contains(&key) {
                problems.push(&node.origin, self.child(key), unknown_key_message(key, allowed));
            }
        }
    }

    /// A required field: reports it missing.
    pub fn require(&self, key: &str, problems: &mut Problems) -> Option<&'a Node> {
        let node = self.node(key);
        if node.is_none() {
            problems.push(self.origin, self.path.clone(), format!("missing key `{key}`"));
        }
        node
    }

    pub fn number(&self, key: &str, problems: &mut Problems) -> Option<f64> {
        self.require(key, problems).and_then(|n| number(n, &self.child(key), problems))
    }
    pub fn opt_number(&self, key: &str, problems: &mut Problems) -> Option<f64> {
        self.node(key).and_then(|n| number(n, &self.child(key), problems))
    }
    pub fn string(&self, key: &str, problems: &mut Problems) -> Option<&'a str> {
        self.require(key, problems).and_then(|n| string(n, &self.child(key), problems))
    }
    pub fn opt_string(&self, key: &str, problems: &mut Problems) -> Option<&'a str> {
        self.node(key).and_then(|n| string(n, &self.child(key), problems))
    }
    pub fn opt_bool(&self, key: &str, problems: &mut Problems) -> Option<bool> {
        self.node(key).and_then(|n| match n.value {
            Value::Boolean(b) => Some(b),
            ref other => {
                problems.push(&n.origin, self.child(key), format!("expected true or false, found {}", other.brief()));
                None
            }
        })
    }
    /// A required whole number within `range`; `allowed` describes the range for the message
    /// ("{value} is outside {allowed}").
    pub fn integer_in(
        &self,
        key: &str,
        range: std::ops::RangeInclusive<i64>,
        allowed: &str,
        problems: &mut Problems,
    ) -> Option<i64> {
        let node = self.require(key, problems)?;
        let value = integer(node, &self.child(key), problems)?;
        if range.contains(&value) {
            Some(value)
        } else {
            problems.push(&node.origin, self.child(key), format!("{value} is outside {allowed}"));
            None
        }
    }
    pub fn opt_integer(&self, key: &str, problems: &mut Problems) -> Option<i64> {
        self.node(key).and_then(|n| integer(n, &self.child(key), problems))
    }
}

/// The message for an unknown key.
pub fn unknown_key_message(key: &str, allowed: &[&str]) -> String {
    match nearest(key, allowed.iter().copied()) {
        Some(near) => format!("unknown key `{key}`; did you mean `{near}`? (allowed: {})", allowed.join(", ")),
        None => format!("unknown key `{key}` (allowed: {})", allowed.join(", ")),
    }
}

/// A finite number (integer or float).
pub fn number(node: &Node, path: &str, problems: &mut Problems) -> Option<f64> {
    match node.value {
        Value::Integer(i) => Some(i as f64),
        Value::Float(x) if x.is_finite() => Some(x),
        Value::Float(x) => {
            problems.push(&node.origin, path, format!("{} is not a finite number", super::node::format_float(x)));
            None
        }
        ref other => {
            problems.push(&node.origin, path, format!("expected a number, found {}", other.brief()));
            None
        }
    }
}

/// A whole number.
pub fn integer(node: &Node, path: &str, problems: &mut Problems) -> Option<i64> {
    match node.value {
        Value::Integer(i) => Some(i),
        Value::Float(x) if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 => Some(x as i64),
        ref other => {
            problems.push(&node.origin, path, format!("expected a whole number, found {}", other.brief()));
            None
        }
    }
}

pub fn string<'a>(node: &'a Node, path: &str, problems: &mut Problems) -> Option<&'a str> {
    match &node.value {
        Value::String(s) => Some(s),
        other => {
            problems.push(&node.origin, path, format!("expected a string, found {}", other.brief()));
            None
        }
    }
}

/// An array of finite numbers.
pub fn numbers(node: &Node, path: &str, problems: &mut Problems) -> Option<Vec<f64>> {
    match &node.value {
        Value::Array(items) => {
            let before = problems.len();
            let out: Vec<f64> =
                items.iter().enumerate().filter_map(|(i, n)| number(n, &format!("{path}[{i}]"), problems)).collect();
            (problems.len() == before).then_some(out)
        }
        other => {
            problems.push(&node.origin, path, format!("expected an array of numbers, found {}", other.brief()));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toml_tree::parse;

    #[test]
    fn nearest_finds_typos_only() {
        let valid = ["delay_months", "on_time", "hazard_per_month"];
        assert_eq!(nearest("delay_month", valid), Some("delay_months"));
        assert_eq!(nearest("ontime", valid), Some("on_time"));
        assert_eq!(nearest("zzz", valid), None);
    }

    #[test]
    fn collects_all_problems() {
        let root = parse("f.toml", "a = \"x\"\nb = nan\nc = 1\nd = 2\n").unwrap();
        let mut problems = Problems::default();
        let f = Fields::of(&root, "", &mut problems).unwrap();
        f.allow_only(&["a", "b", "c"], &mut problems);
        assert_eq!(f.number("a", &mut problems), None);
        assert_eq!(f.number("b", &mut problems), None);
        assert_eq!(f.number("c", &mut problems), Some(1.0));
        assert_eq!(f.number("e", &mut problems), None);
        let text = problems.to_string();
        assert_eq!(
            text,
            "f.toml:4: d: unknown key `d` (allowed: a, b, c)\n\
             f.toml:1: a: expected a number, found \"x\"\n\
             f.toml:2: b: nan is not a finite number\n\
             f.toml:1: missing key `e`"
        );
    }
}
