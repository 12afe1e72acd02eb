//! Okabe–Ito colours (readable for colour-blind readers) with distinct lightness, so charts
//! stay legible in greyscale print; targets are dashed vermillion, data never dashed.

use plotters::style::RGBColor;

pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const SKY: RGBColor = RGBColor(86, 180, 233);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const GREY: RGBColor = RGBColor(150, 150, 150);
pub const DARK: RGBColor = RGBColor(40, 40, 40);

/// Colours of series (scenarios, targets) in order.
pub const SERIES: [RGBColor; 6] = [BLUE, ORANGE, GREEN, VERMILLION, SKY, DARK];
