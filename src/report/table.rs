//! A plain text table that lines up Chinese (double-width) and Latin text.

use unicode_width::UnicodeWidthStr;

/// Column alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A text table: a header row, data rows, aligned columns separated by two spaces.
#[derive(Clone, Debug, Default)]
pub struct TextTable {
    headers: Vec<String>,
    aligns: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl TextTable {
    pub fn new(columns: &[(&str, Align)]) -> TextTable {
        TextTable {
            headers: columns.iter().map(|(h, _)| h.to_string()).collect(),
            aligns: columns.iter().map(|(_, a)| *a).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row. Cells are shown on one line with control characters escaped, so that
    /// user text (a block's name from a user's seeds) neither acts on the terminal nor breaks
    /// the columns.
    pub fn row(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.headers.len());
        self.rows.push(cells.into_iter().map(|c| crate::text::printable_line(&c).into_owned()).collect());
    }

    /// Renders with a rule under the header. Trailing spaces are trimmed.
    pub fn render(&self) -> String {
        let n = self.headers.len();
        let mut widths = vec![0; n];
        for row in std::iter::once(&self.headers).chain(self.rows.iter()) {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(cell.width());
            }
        }
        let line = |cells: &[String]| -> String {
            let mut out = String::new();
            for (i, cell) in cells.iter().enumerate() {
                let pad = widths[i] - cell.width();
                if i > 0 {
                    out.push_str("  ");
                }
                match self.aligns[i] {
                    Align::Left => {
                        out.push_str(cell);
                        out.push_str(&" ".repeat(pad));
                    }
                    Align::Right => {
                        out.push_str(&" ".repeat(pad));
                        out.push_str(cell);
                    }
                }
            }
            out.trim_end().to_string()
        };
        let mut out = line(&self.headers);
        out.push('\n');
        let total: usize = widths.iter().sum::<usize>() + 2 * (n.saturating_sub(1));
        out.push_str(&"─".repeat(total));
        out.push('\n');
        for row in &self.rows {
            out.push_str(&line(row));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_double_width_text() {
        let mut t = TextTable::new(&[("name", Align::Left), ("mu", Align::Right)]);
        t.row(vec!["闻川科创园".into(), "131".into()]);
        t.row(vec!["abc".into(), "25".into()]);
        assert_eq!(t.render(), "name         mu\n───────────────\n闻川科创园  131\nabc          25\n");
    }
}
