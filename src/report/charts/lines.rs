//! A line chart over weeks: one line per series, gaps where a value is
//! missing (or suppressed).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{empty, headroom, legend_box, palette, tick, title_font, Chart, FAMILY};

/// One named line; `None` leaves a gap.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// Weekly lines with their labels.
#[derive(Debug, Clone)]
pub struct Lines {
    pub title: String,
    pub weeks: Vec<String>,
    pub y_label: String,
    /// A fixed top for the y axis (100 for percentages); otherwise from the data.
    pub y_max: Option<f64>,
    pub series: Vec<Series>,
}

impl Chart for Lines {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let largest = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .fold(0.0f64, |a, &b| a.max(b));
        if self.weeks.is_empty() || self.series.iter().all(|s| s.values.iter().all(Option::is_none)) {
            return empty(root, &self.title, "no data in these weeks");
        }
        root.fill(&WHITE)?;
        let top = self.y_max.unwrap_or_else(|| headroom(largest, 5.0));
        let last = (self.weeks.len() - 1).max(1) as f64;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, title_font())
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(60)
            .build_cartesian_2d(-0.3f64..last + 0.3, 0f64..top)?;
        let weeks = &self.weeks;
        let every = weeks.len().div_ceil(13).max(1);
        chart
            .configure_mesh()
            .x_labels(weeks.len().min(14))
            .x_label_formatter(&|x| week_label(weeks, *x, every))
            .x_desc("ISO week (local time)")
            .y_desc(self.y_label.as_str())
            .y_label_formatter(&tick)
            .label_style((FAMILY, 13))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        for (n, series) in self.series.iter().enumerate() {
            let colour = palette::series(n);
            for run in runs(&series.values) {
                chart.draw_series(LineSeries::new(run.iter().copied(), colour.stroke_width(2)))?;
            }
            let points = series
                .values
                .iter()
                .enumerate()
                .filter_map(|(x, v)| v.map(|v| (x as f64, v)));
            chart
                .draw_series(points.map(|p| Circle::new(p, 3, colour.filled())))?
                .label(series.name.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2)));
        }
        legend_box(&mut chart, SeriesLabelPosition::UpperLeft, 13)?;
        Ok(())
    }
}

/// The label of the week at position `x` (every `every`-th week).
fn week_label(weeks: &[String], x: f64, every: usize) -> String {
    let rounded = x.round();
    if (x - rounded).abs() > 0.01 || rounded < 0.0 {
        return String::new();
    }
    let n = rounded as usize;
    match weeks.get(n) {
        Some(week) if n % every == 0 => week.clone(),
        _ => String::new(),
    }
}

/// The unbroken stretches of a series as points.
fn runs(values: &[Option<f64>]) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![Vec::new()];
    for (x, value) in values.iter().enumerate() {
        match value {
            Some(v) => runs.last_mut().map(|r| r.push((x as f64, *v))).unwrap_or_default(),
            None => runs.push(Vec::new()),
        }
    }
    runs.into_iter().filter(|r| r.len() > 1).collect()
}
