//! A horizontal bar chart of labelled counts (flags by rule).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{empty, headroom, palette, tick, title_font, Chart, FAMILY};

/// Labelled values, drawn top to bottom in the given order.
#[derive(Debug, Clone)]
pub struct Bars {
    pub title: String,
    pub x_label: String,
    pub bars: Vec<(String, f64)>,
}

impl Chart for Bars {
    fn size(&self) -> (u32, u32) {
        (900, 140 + 26 * self.bars.len().max(4) as u32)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        if self.bars.is_empty() {
            return empty(root, &self.title, "nothing raised");
        }
        root.fill(&WHITE)?;
        let largest = self.bars.iter().fold(0.0f64, |a, (_, v)| a.max(*v));
        let rows = self.bars.len() as f64;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, title_font())
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(230)
            .build_cartesian_2d(0f64..headroom(largest, 4.0), 0f64..rows)?;
        let bars = &self.bars;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(bars.len() * 2 + 1)
            .y_label_formatter(&|y| row_label(bars, *y))
            .x_desc(self.x_label.as_str())
            .x_label_formatter(&tick)
            .light_line_style(WHITE.mix(0.0))
            .label_style((FAMILY, 13))
            .draw()?;
        let colour = palette::series(0);
        chart.draw_series(bars.iter().enumerate().map(|(n, (_, value))| {
            let top = rows - n as f64;
            Rectangle::new([(0.0, top - 0.85), (*value, top - 0.15)], colour.filled())
        }))?;
        chart.draw_series(bars.iter().enumerate().map(|(n, (_, value))| {
            let middle = rows - n as f64 - 0.5;
            Text::new(format!(" {value}"), (*value, middle + 0.2), (FAMILY, 12).into_font())
        }))?;
        Ok(())
    }
}

/// The label of the bar whose middle is at `y`.
fn row_label(bars: &[(String, f64)], y: f64) -> String {
    let rows = bars.len() as f64;
    let from_top = rows - y - 0.5;
    let n = from_top.round();
    if (from_top - n).abs() > 0.01 || n < 0.0 {
        return String::new();
    }
    bars.get(n as usize).map(|(label, _)| label.clone()).unwrap_or_default()
}
