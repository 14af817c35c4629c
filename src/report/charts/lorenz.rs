//! Lorenz curves of harm over dyads: per force, the share of all recorded
//! harm (y) held by the most harmful share of dyads (x), against the
//! diagonal of an even spread.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{legend_box, palette, tick, title_font, Chart, FAMILY};

/// One curve per force: points (share of dyads, share of harm), both 0-100.
#[derive(Debug, Clone)]
pub struct Lorenz {
    pub title: String,
    pub curves: Vec<(String, Vec<(f64, f64)>)>,
}

impl Chart for Lorenz {
    fn size(&self) -> (u32, u32) {
        (760, 600)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, title_font())
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..100f64, 0f64..100f64)?;
        chart
            .configure_mesh()
            .x_desc("% of dyads, most harmful first")
            .y_desc("% of all harm")
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .light_line_style(WHITE.mix(0.0))
            .label_style((FAMILY, 13))
            .draw()?;
        chart
            .draw_series(DashedLineSeries::new(
                vec![(0.0, 0.0), (100.0, 100.0)],
                6,
                4,
                BLACK.mix(0.5).stroke_width(1),
            ))?
            .label("even spread")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLACK.mix(0.5)));
        for (n, (name, points)) in self.curves.iter().enumerate() {
            let colour = palette::series(n);
            chart
                .draw_series(LineSeries::new(points.iter().copied(), colour.stroke_width(2)))?
                .label(name.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2)));
        }
        legend_box(&mut chart, SeriesLabelPosition::LowerRight, 13)?;
        Ok(())
    }
}
