//! Baseline against pilot: per panel (one KPI), each force's difference
//! (pilot minus baseline) as a point with its 95 % interval as a bar, and a
//! line at zero. Forces whose figures are suppressed or missing are named
//! but not drawn.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{palette, tick, title_font, Chart, FAMILY};

/// One force's difference and interval.
#[derive(Debug, Clone)]
pub struct IntervalRow {
    pub label: String,
    /// `None`: suppressed or not computable.
    pub estimate: Option<(f64, f64, f64)>,
}

/// One KPI.
#[derive(Debug, Clone)]
pub struct IntervalPanel {
    pub title: String,
    pub unit: String,
    pub rows: Vec<IntervalRow>,
}

/// A grid of panels.
#[derive(Debug, Clone)]
pub struct Intervals {
    pub title: String,
    pub panels: Vec<IntervalPanel>,
}

const COLUMNS: usize = 2;

impl Chart for Intervals {
    fn size(&self) -> (u32, u32) {
        let rows = self.panels.len().div_ceil(COLUMNS).max(1) as u32;
        (1100, 60 + 260 * rows)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        root.fill(&WHITE)?;
        let body = root.titled(&self.title, title_font())?;
        let rows = self.panels.len().div_ceil(COLUMNS).max(1);
        let areas = body.split_evenly((rows, COLUMNS));
        for (panel, area) in self.panels.iter().zip(areas.iter()) {
            draw_panel(panel, area)?;
        }
        Ok(())
    }
}

fn draw_panel<DB: DrawingBackend>(
    panel: &IntervalPanel,
    area: &DrawingArea<DB, Shift>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let reach = panel
        .rows
        .iter()
        .filter_map(|r| r.estimate)
        .fold(1.0f64, |a, (_, low, high)| a.max(low.abs()).max(high.abs()))
        * 1.1;
    let count = panel.rows.len().max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.title, (FAMILY, 15))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(130)
        .build_cartesian_2d(-reach..reach, 0f64..count)?;
    let rows = &panel.rows;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(rows.len() * 2 + 1)
        .y_label_formatter(&|y| row_label(rows, *y))
        .x_desc(format!("pilot minus baseline ({})", panel.unit))
        .x_label_formatter(&tick)
        .light_line_style(WHITE.mix(0.0))
        .label_style((FAMILY, 12))
        .draw()?;
    chart.draw_series(LineSeries::new(vec![(0.0, 0.0), (0.0, count)], BLACK.mix(0.6)))?;
    for (n, row) in rows.iter().enumerate() {
        let y = count - n as f64 - 0.5;
        let colour = palette::series(n);
        if let Some((value, low, high)) = row.estimate {
            chart.draw_series(LineSeries::new(vec![(low, y), (high, y)], colour.stroke_width(3)))?;
            chart.draw_series(std::iter::once(Circle::new((value, y), 5, colour.filled())))?;
        } else {
            chart.draw_series(std::iter::once(Text::new(
                "suppressed, or no cases in a period",
                (-reach * 0.95, y + 0.15),
                (FAMILY, 11).into_font(),
            )))?;
        }
    }
    Ok(())
}

fn row_label(rows: &[IntervalRow], y: f64) -> String {
    let from_top = rows.len() as f64 - y - 0.5;
    let n = from_top.round();
    if (from_top - n).abs() > 0.01 || n < 0.0 {
        return String::new();
    }
    rows.get(n as usize).map(|r| r.label.clone()).unwrap_or_default()
}
