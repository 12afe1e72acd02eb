//! A drawing backend that passes everything to the backend it wraps but text, which a
//! [`TextLayer`] draws and measures: Chinese punctuation ([`super::punctuated`]) and print
//! fitting ([`super::print_fit`]) are two such layers, stacked.

use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};

pub type Error<DB> = DrawingErrorKind<<DB as DrawingBackend>::ErrorType>;

/// How a layer draws and measures text on the backend below it.
pub trait TextLayer {
    fn draw_text<DB: DrawingBackend, S: BackendTextStyle>(
        &self,
        inner: &mut DB,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), Error<DB>>;

    fn estimate_text_size<DB: DrawingBackend, S: BackendTextStyle>(
        &self,
        inner: &DB,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), Error<DB>>;
}

/// `inner` with its text drawn through `layer`.
pub struct Layered<DB, L> {
    inner: DB,
    layer: L,
}

impl<DB, L> Layered<DB, L> {
    pub fn new(inner: DB, layer: L) -> Layered<DB, L> {
        Layered { inner, layer }
    }
}

impl<DB: DrawingBackend, L: TextLayer> DrawingBackend for Layered<DB, L> {
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
        self.layer.draw_text(&mut self.inner, text, style, pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32), Error<DB>> {
        self.layer.estimate_text_size(&self.inner, text, style)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result<(), Error<DB>> {
        self.inner.blit_bitmap(pos, size, src)
    }
}
