//! Finding a sheet's columns by their headers (English key or Chinese header), so that a user
//! may move columns or add their own.

use super::book::Grid;
use super::layout::Col;
use crate::toml_tree::{nearest, Problems};

/// A sheet's header row and, for each known column it has, its place.
pub struct Columns {
    pub header_row: u32,
    found: Vec<(&'static str, u16)>,
}

impl Columns {
    /// The column of `key`, if the sheet has it.
    pub fn get(&self, key: &str) -> Option<u16> {
        self.found.iter().find(|(k, _)| *k == key).map(|(_, c)| *c)
    }

    /// Every known column the sheet has, in sheet order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u16)> + '_ {
        self.found.iter().copied()
    }

    /// Reads the header row of `grid`, whose columns are `cols` (the first one is looked for
    /// to find the row); `required` must be there. A header that is no known column but close
    /// to one is reported as a likely typo; other headers are the user's own columns, ignored.
    pub fn find(grid: &Grid, cols: &[Col], required: &[&str], problems: &mut Problems) -> Option<Columns> {
        let keys: Vec<&str> = cols.iter().map(|c| c.key).collect();
        let Some((header_row, cells)) = grid.header(cols[0].key, cols[0].zh) else {
            problems.push(
                &grid.origin(0, 0),
                "",
                format!(
                    "no header row: one of the first ten rows must name the columns ({}), as `parkcast template` writes them",
                    keys.join(", ")
                ),
            );
            return None;
        };
        let before = problems.len();
        let mut found: Vec<(&'static str, u16)> = Vec::new();
        for (c, text) in cells {
            let known = cols.iter().find(|k| k.key.eq_ignore_ascii_case(&text) || k.zh == text);
            match known {
                Some(k) if found.iter().any(|(f, _)| *f == k.key) => {
                    problems.push(&grid.origin(header_row, c), "", format!("a second `{}` column; keep one", k.key))
                }
                Some(k) => found.push((k.key, c)),
                None => {
                    if let Some(near) = nearest(&text, keys.iter().copied()).filter(|n| n.len() > 2) {
                        problems.push(
                            &grid.origin(header_row, c),
                            "",
                            format!("unknown column `{text}`; did you mean `{near}`? (columns: {})", keys.join(", ")),
                        );
                    }
                }
            }
        }
        for r in required {
            if !found.iter().any(|(k, _)| k == r) {
                problems.push(&grid.origin(header_row, 0), "", format!("missing column `{r}`"));
            }
        }
        (problems.len() == before).then_some(Columns { header_row, found })
    }
}
