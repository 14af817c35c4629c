//! One person's contacts on a time axis: each contact a mark coloured by its
//! grade, shaped by its attendance (on time, late, not attended, none
//! expected), night clusters shaded, and each flag named where it was raised.

use chrono::{Days, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{legend_box, palette, title_font, Chart, Plot, FAMILY};
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

/// The close-up panel shows the contacts this many days before the latest.
const RECENT_DAYS: f64 = 3.0;

/// Flags whose ends lie closer than this share of a panel's span share a label.
const SAME_PLACE: f64 = 0.02;

impl Chart for Timeline {
    fn size(&self) -> (u32, u32) {
        (1100, 820)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        root.fill(&WHITE)?;
        let body = root.titled(&self.title, title_font())?;
        let (whole, recent) = body.split_vertically(410);
        let last = self
            .contacts
            .iter()
            .map(|c| c.day)
            .chain(self.flags.iter().map(|f| f.end))
            .fold(1.0f64, f64::max);
        self.panel(
            &whole,
            "the whole history",
            (-0.05 * last - 0.5, last * 1.05 + 0.5),
            true,
        )?;
        let latest = self.contacts.iter().map(|c| c.day).fold(0.0f64, f64::max);
        let recent_first = self
            .contacts
            .iter()
            .map(|c| c.day)
            .filter(|&day| day >= latest - RECENT_DAYS)
            .fold(latest, f64::min);
        let hour = 1.0 / 24.0;
        let caption = "close up: the contacts of the last three days before the latest";
        self.panel(&recent, caption, (recent_first - hour, latest + hour), false)
    }
}

impl Timeline {
    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        caption: &str,
        (from, to): (f64, f64),
        with_legend: bool,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let top = 2.0 + FLAG_LANES as f64;
        let mut chart = ChartBuilder::on(area)
            .caption(caption, (FAMILY, 14))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(20)
            .build_cartesian_2d(from..to, 0f64..top)?;
        let first = self.first_date;
        let hours = to - from <= 4.0;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_label_formatter(&|x| {
                if hours {
                    date_time_at(first, *x)
                } else {
                    date_at(first, *x)
                }
            })
            .x_desc("local time")
            .light_line_style(WHITE.mix(0.0))
            .label_style((FAMILY, 12))
            .draw()?;
        let inside = |day: f64| day >= from && day <= to;
        for flag in self.flags.iter().filter(|f| f.shaded && inside(f.end)) {
            let end = flag.end.max(flag.start + (to - from) * 0.004);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(flag.start.max(from), 0.2), (end, top - 0.2)],
                RGBColor(120, 120, 120).mix(0.18).filled(),
            )))?;
        }
        chart.draw_series(LineSeries::new(vec![(from, 1.0), (to, 1.0)], BLACK.mix(0.3)))?;
        for contact in self.contacts.iter().filter(|c| inside(c.day)) {
            draw_contact(&mut chart, contact)?;
        }
        let labels = flag_labels(&self.flags, from, to);
        for (n, (day, text)) in labels.iter().enumerate() {
            let lane = 2.3 + (n % FLAG_LANES) as f64;
            chart.draw_series(LineSeries::new(vec![(*day, 1.2), (*day, lane)], BLACK.mix(0.25)))?;
            let right_half = *day > from + (to - from) * 0.55;
            let anchor = if right_half { HPos::Right } else { HPos::Left };
            let style = TextStyle::from((FAMILY, 11).into_font()).pos(Pos::new(anchor, VPos::Bottom));
            chart.draw_series(std::iter::once(Text::new(text.clone(), (*day, lane + 0.1), style)))?;
        }
        if with_legend {
            legend(&mut chart)?;
        }
        Ok(())
    }
}

/// One label per place: the rules of the flags ending there (with counts), in time order.
fn flag_labels(flags: &[CaseFlag], from: f64, to: f64) -> Vec<(f64, String)> {
    let mut ends: Vec<&CaseFlag> = flags.iter().filter(|f| f.end >= from && f.end <= to).collect();
    ends.sort_by(|a, b| a.end.total_cmp(&b.end).then_with(|| a.rule.cmp(&b.rule)));
    let mut groups: Vec<(f64, Vec<&str>)> = Vec::new();
    for flag in ends {
        match groups.last_mut() {
            Some((at, rules)) if flag.end - *at <= (to - from) * SAME_PLACE => rules.push(&flag.rule),
            _ => groups.push((flag.end, vec![&flag.rule])),
        }
    }
    groups
        .into_iter()
        .flat_map(|(at, rules)| {
            let mut counted: Vec<(String, usize)> = Vec::new();
            for rule in rules {
                match counted.iter_mut().find(|(r, _)| r == rule) {
                    Some((_, n)) => *n += 1,
                    None => counted.push((rule.to_string(), 1)),
                }
            }
            let texts: Vec<String> = counted
                .into_iter()
                .map(|(rule, n)| if n > 1 { format!("{rule} x{n}") } else { rule })
                .collect();
            texts.chunks(3).map(|chunk| (at, chunk.join(", "))).collect::<Vec<_>>()
        })
        .collect()
}

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
    legend_box(chart, SeriesLabelPosition::UpperLeft, 11)?;
    Ok(())
}

fn date_time_at(first: NaiveDate, x: f64) -> String {
    if x < 0.0 {
        return String::new();
    }
    let minutes = (x * 24.0 * 60.0).round() as i64;
    first
        .and_hms_opt(0, 0, 0)
        .and_then(|midnight| midnight.checked_add_signed(chrono::Duration::minutes(minutes)))
        .map(|t| t.format("%d %b %H:%M").to_string())
        .unwrap_or_default()
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
