//! One person's contacts on a time axis: each contact a mark coloured by its
//! grade, shaped by its attendance (on time, late, not attended, none
//! expected), night clusters shaded, and each flag named where it was raised.

use chrono::{Days, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{palette, title_font, Chart, FAMILY};
use crate::schema::Grade;

/// How a contact was attended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attendance {
    OnTime,
    Late,
    NotAttended,
    /// No attendance expected, or not due yet.
    NotExpected,
}

/// One contact: days since the first contact's date, and what it was.
#[derive(Debug, Clone)]
pub struct CaseContact {
    pub day: f64,
    pub grade: Option<Grade>,
    pub attendance: Attendance,
}

/// One flag: its rule and its window, in days.
#[derive(Debug, Clone)]
pub struct CaseFlag {
    pub rule: String,
    pub start: f64,
    pub end: f64,
    /// Shade the window (night clusters).
    pub shaded: bool,
}

/// The case chart.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub title: String,
    /// The date at day 0.
    pub first_date: NaiveDate,
    pub contacts: Vec<CaseContact>,
    pub flags: Vec<CaseFlag>,
}

const FLAG_LANES: usize = 6;

impl Chart for Timeline {
    fn size(&self) -> (u32, u32) {
        (1100, 460)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        root.fill(&WHITE)?;
        let last = self
            .contacts
            .iter()
            .map(|c| c.day)
            .chain(self.flags.iter().map(|f| f.end))
            .fold(1.0f64, f64::max);
        let (from, to) = (-0.05 * last - 0.5, last * 1.05 + 0.5);
        let top = 2.0 + FLAG_LANES as f64;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, title_font())
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(80)
            .build_cartesian_2d(from..to, 0f64..top)?;
        let first = self.first_date;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_label_formatter(&|x| date_at(first, *x))
            .x_desc("date (local)")
            .light_line_style(WHITE.mix(0.0))
            .label_style((FAMILY, 12))
            .draw()?;
        for flag in self.flags.iter().filter(|f| f.shaded) {
            let end = flag.end.max(flag.start + 0.25);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(flag.start, 0.2), (end, top - 0.2)],
                RGBColor(120, 120, 120).mix(0.18).filled(),
            )))?;
        }
        chart.draw_series(LineSeries::new(vec![(from, 1.0), (to, 1.0)], BLACK.mix(0.3)))?;
        for contact in &self.contacts {
            draw_contact(&mut chart, contact)?;
        }
        for (n, flag) in self.flags.iter().enumerate() {
            let lane = 2.3 + (n % FLAG_LANES) as f64;
            chart.draw_series(LineSeries::new(
                vec![(flag.end, 1.2), (flag.end, lane)],
                BLACK.mix(0.25),
            ))?;
            chart.draw_series(std::iter::once(Text::new(
                flag.rule.clone(),
                (flag.end, lane + 0.35),
                (FAMILY, 11).into_font(),
            )))?;
        }
        legend(&mut chart)?;
        Ok(())
    }
}

type Plot<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>>;

fn draw_contact<'a, DB: DrawingBackend + 'a>(
    chart: &mut Plot<'a, DB>,
    contact: &CaseContact,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let colour = palette::grade(contact.grade);
    let at = (contact.day, 1.0);
    match contact.attendance {
        Attendance::OnTime => chart.draw_series(std::iter::once(Circle::new(at, 7, colour.filled())))?,
        Attendance::Late => chart.draw_series(std::iter::once(TriangleMarker::new(at, 9, colour.filled())))?,
        Attendance::NotAttended => chart.draw_series(std::iter::once(Cross::new(at, 8, colour.stroke_width(3))))?,
        Attendance::NotExpected => chart.draw_series(std::iter::once(Circle::new(at, 7, colour.stroke_width(2))))?,
    };
    Ok(())
}

/// The key to marks and colours, drawn as series labels.
fn legend<'a, DB: DrawingBackend + 'a>(chart: &mut Plot<'a, DB>) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let none: Vec<(f64, f64)> = Vec::new();
    let grey = RGBColor(90, 90, 90);
    for grade in Grade::ALL {
        let colour = palette::grade(Some(*grade));
        chart
            .draw_series(none.iter().map(|&p| Circle::new(p, 1, colour.filled())))?
            .label(grade.code())
            .legend(move |(x, y)| Circle::new((x + 8, y), 5, colour.filled()));
    }
    chart
        .draw_series(none.iter().map(|&p| Circle::new(p, 1, grey.filled())))?
        .label("attended on time")
        .legend(move |(x, y)| Circle::new((x + 8, y), 5, grey.filled()));
    chart
        .draw_series(none.iter().map(|&p| Circle::new(p, 1, grey.filled())))?
        .label("attended late")
        .legend(move |(x, y)| TriangleMarker::new((x + 8, y), 6, grey.filled()));
    chart
        .draw_series(none.iter().map(|&p| Circle::new(p, 1, grey.filled())))?
        .label("not attended")
        .legend(move |(x, y)| Cross::new((x + 8, y), 5, grey.stroke_width(2)));
    chart
        .draw_series(none.iter().map(|&p| Circle::new(p, 1, grey.filled())))?
        .label("no attendance expected")
        .legend(move |(x, y)| Circle::new((x + 8, y), 5, grey.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FAMILY, 11))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    Ok(())
}

fn date_at(first: NaiveDate, x: f64) -> String {
    if x < 0.0 {
        return String::new();
    }
    first
        .checked_add_days(Days::new(x.floor() as u64))
        .map(|d| d.format("%d %b %Y").to_string())
        .unwrap_or_default()
}
