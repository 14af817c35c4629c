//! The distribution of minutes from first contact to arrival, one curve per
//! grade (the share attended within x minutes), with each grade's target
//! drawn as a dashed line of the same colour.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{empty, legend_box, palette, tick, title_font, Chart, FAMILY};
use crate::schema::Grade;

/// One grade's response minutes and its target.
#[derive(Debug, Clone)]
pub struct Distribution {
    pub grade: Grade,
    pub minutes: Vec<f64>,
    /// Targets in minutes with what they are (`urban`, `rural`).
    pub targets: Vec<(u32, String)>,
}

/// Cumulative distributions of response minutes by grade.
#[derive(Debug, Clone)]
pub struct Ecdf {
    pub title: String,
    /// The x axis ends here (minutes); longer responses run off the right.
    pub max_minutes: f64,
    pub grades: Vec<Distribution>,
}

impl Chart for Ecdf {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        if self.grades.iter().all(|g| g.minutes.is_empty()) {
            return empty(root, &self.title, "no attended incidents in these weeks");
        }
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, title_font())
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..self.max_minutes, 0f64..100f64)?;
        chart
            .configure_mesh()
            .x_desc("minutes from first contact to arrival")
            .y_desc("% of attended incidents arrived by then")
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .light_line_style(WHITE.mix(0.0))
            .label_style((FAMILY, 13))
            .draw()?;
        for distribution in self.grades.iter().filter(|g| !g.minutes.is_empty()) {
            let colour = palette::grade(Some(distribution.grade));
            let mut sorted = distribution.minutes.clone();
            sorted.sort_by(f64::total_cmp);
            let n = sorted.len() as f64;
            let mut steps = vec![(0.0, 0.0)];
            for (k, &x) in sorted.iter().enumerate().take_while(|(_, &m)| m <= self.max_minutes) {
                steps.push((x, 100.0 * k as f64 / n));
                steps.push((x, 100.0 * (k + 1) as f64 / n));
            }
            steps.push((self.max_minutes, steps.last().map_or(0.0, |s| s.1)));
            chart
                .draw_series(LineSeries::new(steps, colour.stroke_width(2)))?
                .label(format!("{} (n={})", distribution.grade, sorted.len()))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2)));
            for (minutes, name) in &distribution.targets {
                let x = f64::from(*minutes);
                if x < self.max_minutes {
                    chart.draw_series(DashedLineSeries::new(
                        vec![(x, 0.0), (x, 100.0)],
                        6,
                        4,
                        colour.stroke_width(1),
                    ))?;
                    chart.draw_series(std::iter::once(Text::new(
                        format!("{} target {name}", distribution.grade.code().to_lowercase()),
                        (x, 8.0 + 6.0 * f64::from(u8::from(name.contains("rural")))),
                        (FAMILY, 11).into_font(),
                    )))?;
                }
            }
        }
        legend_box(&mut chart, SeriesLabelPosition::LowerRight, 13)?;
        Ok(())
    }
}
