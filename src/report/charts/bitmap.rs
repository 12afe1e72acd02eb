//! The PNG backend: plotters' bitmap backend with text drawn glyph by glyph at the font's own
//! positions.
//!
//! plotters 0.3.7 rasterises `ab_glyph` text by placing each glyph's bounding box at the pen
//! position, so every glyph loses its left side bearing: narrow glyphs shift left, wide ones do
//! not, and text reads with uneven gaps ("目 标", "b aseline"; upstream issue
//! plotters-rs/plotters#576). [`bitmap`] forwards everything to [`BitMapBackend`] except text,
//! which it lays out the same way (same width, anchor, rotation and baseline, so every chart's
//! layout is unchanged) but draws each glyph where its outline belongs.

use super::text_layer::{Error, Layered, TextLayer};
use super::FONT;
use ab_glyph::{point, Font, FontRef, ScaleFont};
use plotters::prelude::BitMapBackend;
use plotters_backend::{
    text_anchor::{HPos, VPos},
    BackendCoord, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// Text drawn glyph by glyph in the bundled font.
pub struct GlyphText {
    font: FontRef<'static>,
}

/// `inner` with text drawn in the bundled font; `None` if the font does not parse.
pub fn bitmap(inner: BitMapBackend<'_>) -> Option<Layered<BitMapBackend<'_>, GlyphText>> {
    Some(Layered::new(inner, GlyphText { font: FontRef::try_from_slice(FONT).ok()? }))
}

impl TextLayer for GlyphText {
    fn estimate_text_size<DB: DrawingBackend, S: BackendTextStyle>(
        &self,
        inner: &DB,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), Error<DB>> {
        inner.estimate_text_size(text, style)
    }

    fn draw_text<DB: DrawingBackend, S: BackendTextStyle>(
        &self,
        inner: &mut DB,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), Error<DB>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        // the layout box, anchor and transform exactly as plotters' own draw_text computes them
        let ((min_x, min_y), (max_x, max_y)) =
            style.layout_box(text).map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let transform = style.transform();
        let (w, h) = inner.get_size();
        let size = style.size() as f32;
        let scaled = self.font.as_scaled(size);
        let mut pen = 0f32;
        let mut previous = None;
        let mut failed = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = previous {
                pen += scaled.kern(p, id);
            }
            previous = Some(id);
            if let Some(outline) = self.font.outline_glyph(id.with_scale_and_position(size, point(pen, 0.0))) {
                let bounds = outline.px_bounds();
                // plotters' baseline (half the size below the top) and, unlike plotters, the
                // glyph's own horizontal offset from the pen
                let (x0, y0) = (bounds.min.x as i32, (size / 2.0 + bounds.min.y) as i32);
                outline.draw(|x, y, coverage| {
                    let (x, y) = transform.transform(x0 + x as i32 + dx - min_x, y0 + y as i32 + dy - min_y);
                    let (x, y) = (pos.0 + x, pos.1 + y);
                    if failed.is_none() && x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                        if let Err(e) = inner.draw_pixel((x, y), color.mix(coverage as f64)) {
                            failed = Some(e);
                        }
                    }
                });
            }
            pen += scaled.h_advance(id);
        }
        failed.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    /// The columns of an RGB buffer holding any dark pixel, as runs of consecutive columns.
    fn ink_runs(buf: &[u8], width: usize) -> Vec<(usize, usize)> {
        let height = buf.len() / 3 / width;
        let inked: Vec<bool> = (0..width).map(|x| (0..height).any(|y| buf[3 * (y * width + x)] < 128)).collect();
        let mut runs = Vec::new();
        let mut start = None;
        for (x, &ink) in inked.iter().enumerate() {
            match (ink, start) {
                (true, None) => start = Some(x),
                (false, Some(s)) => {
                    runs.push((s, x - 1));
                    start = None;
                }
                _ => {}
            }
        }
        runs
    }

    #[test]
    fn glyphs_keep_their_side_bearings() {
        super::super::register_font().unwrap();
        let (width, height) = (300usize, 80usize);
        let mut buf = vec![255u8; width * height * 3];
        // "lll": three identical glyphs must be drawn at identical spacing, each starting its
        // side bearing right of the pen, as the font's outlines place them
        {
            let inner = BitMapBackend::with_buffer(&mut buf, (width as u32, height as u32));
            let area = bitmap(inner).unwrap().into_drawing_area();
            area.draw(&Text::new("lll", (20, 10), (super::super::FAMILY, 48).into_font().color(&BLACK))).unwrap();
            area.present().unwrap();
        }
        let runs = ink_runs(&buf, width);
        assert_eq!(runs.len(), 3, "{runs:?}");
        let scaled = FontRef::try_from_slice(FONT).unwrap();
        let scaled = scaled.as_scaled(48.0);
        let l = scaled.glyph_id('l');
        let advance = scaled.h_advance(l);
        let bearing = scaled.h_side_bearing(l);
        for (i, (start, _)) in runs.iter().enumerate() {
            let expected = 20.0 + bearing + i as f32 * advance;
            assert!((*start as f32 - expected).abs() <= 1.0, "glyph {i} starts at {start}, expected {expected}");
        }
    }
}
