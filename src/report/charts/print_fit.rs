//! Charts drawn for print: the same chart on a canvas about half as wide (`print_size`), so
//! that, printed at the page's width, its text is at least 9 pt. Through [`PrintFit`], no text
//! smaller than [`MIN_PX`] is drawn; a title too wide for the narrower canvas is set smaller to
//! fit (it stays above the floor); a long sentence that no longer fits (a chart's note) is left
//! out of the drawing and handed back, for the report to print as the figure's caption.

use super::text_layer::{Error, Layered, TextLayer};
use plotters_backend::text_anchor::HPos;
use plotters_backend::{
    BackendColor, BackendCoord, BackendTextStyle, DrawingBackend, FontFamily, FontStyle, FontTransform,
};
use std::cell::RefCell;
use std::rc::Rc;

/// The width of every print rendering, in chart units.
pub const PRINT_WIDTH: u32 = 840;
/// The least text size drawn in a print rendering, in plotters' pixels (the SVG's font-size is
/// this ÷ 1.24): 18 px on 840 units printed 186 mm wide is 9.1 pt.
pub const MIN_PX: f64 = 18.0;
/// Text at least this large (titles) is set smaller to fit instead of being moved to the caption.
const TITLE_PX: f64 = 28.0;
/// The tallest print rendering: 250 mm at the page's 186 mm width.
const MAX_HEIGHT: u32 = 1129;
/// Space kept clear at the canvas's left and right edges.
const EDGE: i32 = 8;
/// How much wider than plotters' estimate a browser sets a line of mixed Chinese and Latin text
/// (measured in Chromium: a title estimated 824 units wide rendered 951): fitting allows for it.
const RENDERED: f64 = 1.2;

/// The canvas of a chart's print rendering, for a chart drawn `size` on screen (1600 wide): a
/// standard 1600 × 900 chart prints on 840 × 520 (186 × 115 mm, two to an A4 page); a taller
/// chart keeps the extra height of its rows, up to 250 mm printed.
pub fn print_size((w, h): (u32, u32)) -> (u32, u32) {
    let h = h as f64 * 1600.0 / w.max(1) as f64;
    let printed = if h <= 900.0 { h * 520.0 / 900.0 } else { 520.0 + (h - 900.0) };
    (PRINT_WIDTH, (printed.round() as u32).clamp(200, MAX_HEIGHT))
}

/// Text for a print rendering: floored at [`MIN_PX`], titles fitted to the width, long
/// sentences that do not fit collected in `moved`.
pub struct PrintFit {
    moved: Rc<RefCell<Vec<String>>>,
}

/// `inner` for a print rendering, and the list it moves sentences to.
pub fn print_fit<DB>(inner: DB) -> (Layered<DB, PrintFit>, Rc<RefCell<Vec<String>>>) {
    let moved = Rc::new(RefCell::new(Vec::new()));
    (Layered::new(inner, PrintFit { moved: moved.clone() }), moved)
}

/// A text style at another size (the SVG backend writes the size; the layout box scales).
struct Resized<'a, S> {
    inner: &'a S,
    size: f64,
}

impl<S: BackendTextStyle> BackendTextStyle for Resized<'_, S> {
    type FontError = S::FontError;

    fn color(&self) -> BackendColor {
        self.inner.color()
    }

    fn size(&self) -> f64 {
        self.size
    }

    fn transform(&self) -> FontTransform {
        self.inner.transform()
    }

    fn style(&self) -> FontStyle {
        self.inner.style()
    }

    fn anchor(&self) -> plotters_backend::text_anchor::Pos {
        self.inner.anchor()
    }

    fn family(&self) -> FontFamily<'_> {
        self.inner.family()
    }

    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        let f = self.size / self.inner.size().max(1e-9);
        let ((x0, y0), (x1, y1)) = self.inner.layout_box(text)?;
        let s = |v: i32| (v as f64 * f).round() as i32;
        Ok(((s(x0), s(y0)), (s(x1), s(y1))))
    }

    /// Rasterising (not used by the SVG backend print renderings are drawn on) keeps the
    /// original size.
    fn draw<E, DrawFunc: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        text: &str,
        pos: BackendCoord,
        draw: DrawFunc,
    ) -> Result<Result<(), E>, Self::FontError> {
        self.inner.draw(text, pos, draw)
    }
}

/// Where a text of `width` anchored at `x` begins.
fn left_edge(anchor: HPos, x: i32, width: i32) -> i32 {
    match anchor {
        HPos::Left => x,
        HPos::Center => x - width / 2,
        HPos::Right => x - width,
    }
}

impl TextLayer for PrintFit {
    fn draw_text<DB: DrawingBackend, S: BackendTextStyle>(
        &self,
        inner: &mut DB,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), Error<DB>> {
        let floored = Resized { inner: style, size: style.size().max(MIN_PX) };
        if !matches!(style.transform(), FontTransform::None) {
            return inner.draw_text(text, &floored, pos);
        }
        let (w, _) = inner.estimate_text_size(text, &floored)?;
        let (width, w) = (inner.get_size().0 as i32, (w as f64 * RENDERED).ceil() as i32);
        let anchor = style.anchor().h_pos;
        let left = left_edge(anchor, pos.0, w);
        if left >= 0 && left + w <= width {
            return inner.draw_text(text, &floored, pos);
        }
        let room = width - 2 * EDGE;
        if floored.size >= TITLE_PX && w > 0 {
            // a title: smaller, still at least the floor, and moved inside the canvas
            let size = (floored.size * room as f64 / w as f64).max(MIN_PX);
            let fitted = Resized { inner: style, size };
            let w = (inner.estimate_text_size(text, &fitted)?.0 as f64 * RENDERED).ceil() as i32;
            let left = left_edge(anchor, pos.0, w).clamp(EDGE, (width - EDGE - w).max(EDGE));
            let x = left - left_edge(anchor, 0, w);
            return inner.draw_text(text, &fitted, (x, pos.1));
        }
        if w > width / 2 {
            // a sentence: printed under the chart instead
            self.moved.borrow_mut().push(text.to_string());
            return Ok(());
        }
        // a short label near an edge: kept where the chart put it
        inner.draw_text(text, &floored, pos)
    }

    fn estimate_text_size<DB: DrawingBackend, S: BackendTextStyle>(
        &self,
        inner: &DB,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), Error<DB>> {
        inner.estimate_text_size(text, &Resized { inner: style, size: style.size().max(MIN_PX) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    #[test]
    fn print_canvases_are_narrow_and_standard_charts_fit_two_to_a_page() {
        assert_eq!(print_size((1600, 900)), (840, 520));
        assert_eq!(print_size((1600, 1100)), (840, 720));
        assert_eq!(print_size((1600, 5000)).1, MAX_HEIGHT);
        // 186 mm wide: a standard chart prints 115 mm high
        let mm = 520.0 * 186.0 / 840.0;
        assert!((114.0..116.0).contains(&mm), "{mm}");
    }

    #[test]
    fn small_text_is_floored_titles_fit_and_long_sentences_move_to_the_caption() {
        super::super::register_font().unwrap();
        let mut svg = String::new();
        let moved;
        {
            let (backend, m) = print_fit(SVGBackend::with_string(&mut svg, (400, 200)));
            moved = m;
            let area = backend.into_drawing_area();
            let f = |px| (super::super::FAMILY, px).into_font();
            area.draw(&Text::new("tick", (10, 10), f(12))).unwrap();
            area.draw(&Text::new("A title far too wide for this narrow canvas", (10, 40), f(38))).unwrap();
            area.draw(&Text::new("a long note that does not fit on the narrow canvas at all", (10, 180), f(19)))
                .unwrap();
            area.present().unwrap();
        }
        // 12 px is drawn at 18 (the SVG writes ÷ 1.24)
        assert!(svg.contains(&format!("font-size=\"{}\"", MIN_PX / 1.24)), "{svg}");
        assert!(svg.contains("A title far too wide") && !svg.contains("font-size=\"30.6"), "{svg}");
        assert!(!svg.contains("a long note"), "{svg}");
        assert_eq!(*moved.borrow(), vec!["a long note that does not fit on the narrow canvas at all".to_string()]);
    }
}
