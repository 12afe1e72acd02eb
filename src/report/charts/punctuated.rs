//! Chinese charts in Chinese typography: a drawing backend that sets every text a Chinese chart
//! draws with full-width punctuation (GB/T 15834: （）：；，, 、 kept), so charts and the HTML
//! tables write the same names the same way, whatever each chart's strings use.

use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};

/// `inner`, with text punctuated as Chinese when `chinese` is set (otherwise unchanged).
pub struct Punctuated<DB> {
    inner: DB,
    chinese: bool,
}

impl<DB> Punctuated<DB> {
    pub fn new(inner: DB, chinese: bool) -> Punctuated<DB> {
        Punctuated { inner, chinese }
    }

    fn text<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        if self.chinese {
            crate::zh::punctuate(text).into()
        } else {
            text.into()
        }
    }
}

type Error<DB> = DrawingErrorKind<<DB as DrawingBackend>::ErrorType>;

impl<DB: DrawingBackend> DrawingBackend for Punctuated<DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), Error<DB>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), Error<DB>> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), Error<DB>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result<(), Error<DB>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Error<DB>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), Error<DB>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), Error<DB>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), Error<DB>> {
        self.inner.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<(), Error<DB>> {
        let text = self.text(text);
        self.inner.draw_text(&text, style, pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32), Error<DB>> {
        self.inner.estimate_text_size(&self.text(text), style)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result<(), Error<DB>> {
        self.inner.blit_bitmap(pos, size, src)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    #[test]
    fn chinese_charts_draw_full_width_punctuation() {
        super::super::register_font().unwrap();
        for (chinese, want) in [(true, "区块（甲、乙）：达成概率"), (false, "区块 (甲、乙): 达成概率")]
        {
            let mut svg = String::new();
            {
                let area = Punctuated::new(SVGBackend::with_string(&mut svg, (400, 100)), chinese).into_drawing_area();
                area.draw(&Text::new("区块 (甲、乙): 达成概率", (10, 10), (super::super::FAMILY, 16).into_font()))
                    .unwrap();
                area.present().unwrap();
            }
            assert!(svg.contains(want), "{svg}");
        }
    }
}
