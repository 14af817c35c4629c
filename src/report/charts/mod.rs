//! Charts with plotters, each written as SVG and (where asked) PNG, from one
//! drawing function generic over the backend. Text is measured and (for PNG) drawn
//! with the DejaVu Sans font compiled into the binary, so charts render the
//! same on a machine with no fonts installed; the SVG names the family
//! `sans-serif` for the browser. Both outputs are deterministic.

mod bars;
mod ecdf;
mod intervals;
mod lines;
mod lorenz;
mod palette;
mod timeline;

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

pub use bars::Bars;
pub use ecdf::{Distribution, Ecdf};
pub use intervals::{IntervalPanel, IntervalRow, Intervals};
pub use lines::{Lines, Series};
pub use lorenz::Lorenz;
pub use timeline::{Attendance, CaseContact, CaseFlag, Timeline};

/// DejaVu Sans (Bitstream Vera licence; see `assets/fonts/DejaVuSans.LICENSE`).
static FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// The family every chart's text uses.
pub const FAMILY: &str = "sans-serif";

/// Registers the embedded font once per process.
fn register_font() -> Result<(), String> {
    static ONCE: Once = Once::new();
    let mut result = Ok(());
    ONCE.call_once(|| {
        if plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_err() {
            result = Err("the embedded chart font cannot be read".to_string());
        }
    });
    result
}

/// A chart that can draw itself on any backend.
pub trait Chart {
    /// Pixel size of the chart.
    fn size(&self) -> (u32, u32) {
        (900, 480)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>;
}

/// Writes `stem.svg` and `stem.png` into `dir`.
pub fn save(chart: &impl Chart, dir: &Path, stem: &str) -> Result<(), String> {
    save_as(chart, dir, stem, Files::SvgAndPng)
}

/// Which files a chart is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Files {
    SvgAndPng,
    /// A browser shows it; a fraction of a PNG's bytes and drawing time
    /// (a weekly pack's many case timelines).
    Svg,
}

/// Writes `stem.svg`, and `stem.png` if asked, into `dir`.
pub fn save_as(chart: &impl Chart, dir: &Path, stem: &str, files: Files) -> Result<(), String> {
    register_font()?;
    let (width, height) = chart.size();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        chart.draw(&root).map_err(|e| format!("chart {stem}: {e}"))?;
        root.present().map_err(|e| format!("chart {stem}: {e}"))?;
    }
    let write = |name: String, bytes: &[u8]| std::fs::write(dir.join(&name), bytes).map_err(|e| format!("{name}: {e}"));
    write(format!("{stem}.svg"), svg.as_bytes())?;
    if files == Files::Svg {
        return Ok(());
    }
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        chart.draw(&root).map_err(|e| format!("chart {stem}: {e}"))?;
        root.present().map_err(|e| format!("chart {stem}: {e}"))?;
    }
    let png = encode_png(&pixels, width, height).map_err(|e| format!("chart {stem}: {e}"))?;
    write(format!("{stem}.png"), &png)
}

fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(rgb)?;
        writer.finish()?;
    }
    Ok(out)
}

/// The title style of every chart.
fn title_font() -> TextStyle<'static> {
    (FAMILY, 20).into_font().into()
}

/// An axis tick: whole numbers without decimals, others to one place.
fn tick(value: &f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// A top of axis a little above the largest value (at least `floor`).
fn headroom(largest: f64, floor: f64) -> f64 {
    let top = largest.max(floor);
    if top <= 0.0 || !top.is_finite() {
        1.0
    } else {
        top * 1.1
    }
}

/// A chart on numeric axes, as every chart here draws.
type Plot<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>>;

/// The legend of the series drawn so far: a pale box at `position`.
fn legend_box<'a, DB: DrawingBackend + 'a>(
    chart: &mut Plot<'a, DB>,
    position: SeriesLabelPosition,
    font_size: u32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_series_labels()
        .position(position)
        .label_font((FAMILY, font_size))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    Ok(())
}

/// A message in place of a chart with nothing to show.
fn empty<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    message: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let area = root.titled(title, title_font())?;
    let (width, height) = area.dim_in_pixel();
    area.draw(&Text::new(
        message.to_string(),
        (width as i32 / 2 - 150, height as i32 / 2),
        (FAMILY, 16).into_font(),
    ))?;
    Ok(())
}
