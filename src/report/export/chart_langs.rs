//! The charts of every language of a report, each language drawn on a thread of its own (the
//! charts of one language do not depend on another's): the files and their list are the same
//! as drawing them one language after another, in the order of `langs`.

use super::ExportError;
use crate::report::charts::{render_all, ChartFile, Lang};
use crate::report::view::RunView;
use std::path::Path;

/// Draws `view`'s charts into `root/<lang>/` for each of `langs`, asking `go_on` before each
/// chart; the charts listed language by language in `langs` order. The first language's error
/// (in that order) is the one returned.
pub(super) fn render_langs(
    view: &RunView,
    langs: &[Lang],
    root: &Path,
    go_on: &(dyn Fn() -> Result<(), ExportError> + Sync),
) -> Result<Vec<ChartFile>, ExportError> {
    go_on()?;
    let draw = |lang: Lang| {
        let dir = root.join(lang.code());
        render_all(view, lang, &dir, &|| go_on().is_err()).map_err(|e| ExportError::new(&dir, e))
    };
    let drawn: Vec<Result<Vec<ChartFile>, ExportError>> = std::thread::scope(|scope| {
        let (first, rest) = match langs.split_first() {
            Some(split) => split,
            None => return Vec::new(),
        };
        let others: Vec<_> = rest.iter().map(|&lang| (lang, scope.spawn(move || draw(lang)))).collect();
        let mut drawn = vec![draw(*first)];
        for (lang, handle) in others {
            drawn.push(handle.join().unwrap_or_else(|_| {
                Err(ExportError::new(&root.join(lang.code()), "drawing the charts failed unexpectedly"))
            }));
        }
        drawn
    });
    let mut charts = Vec::new();
    for d in drawn {
        charts.extend(d?);
    }
    go_on()?;
    Ok(charts)
}
