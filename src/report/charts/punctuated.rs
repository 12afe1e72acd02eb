//! Chinese charts in Chinese typography: a drawing backend that sets every text a Chinese chart
//! draws with full-width punctuation (GB/T 15834: （）：；，, 、 kept), so charts and the HTML
//! tables write the same names the same way, whatever each chart's strings use.

use super::text_layer::{Error, Layered, TextLayer};
use plotters_backend::{BackendCoord, BackendTextStyle, DrawingBackend};

/// Text punctuated as Chinese when `chinese` is set (otherwise unchanged).
pub struct Punctuation {
    chinese: bool,
}

/// `inner`, with text punctuated as Chinese when `chinese` is set.
pub fn punctuated<DB>(inner: DB, chinese: bool) -> Layered<DB, Punctuation> {
    Layered::new(inner, Punctuation { chinese })
}

impl Punctuation {
    fn text<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        if self.chinese {
            crate::zh::punctuate(text).into()
        } else {
            text.into()
        }
    }
}

impl TextLayer for Punctuation {
    fn draw_text<DB: DrawingBackend, S: BackendTextStyle>(
        &self,
        inner: &mut DB,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), Error<DB>> {
        inner.draw_text(&self.text(text), style, pos)
    }

    fn estimate_text_size<DB: DrawingBackend, S: BackendTextStyle>(
        &self,
        inner: &DB,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), Error<DB>> {
        inner.estimate_text_size(&self.text(text), style)
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
                let area = punctuated(SVGBackend::with_string(&mut svg, (400, 100)), chinese).into_drawing_area();
                area.draw(&Text::new("区块 (甲、乙): 达成概率", (10, 10), (super::super::FAMILY, 16).into_font()))
                    .unwrap();
                area.present().unwrap();
            }
            assert!(svg.contains(want), "{svg}");
        }
    }
}
