//! Colours of the charts: one per series (colour-blind safe, Okabe and Ito
//! 2008), and one per response grade.

use plotters::style::RGBColor;

use crate::schema::Grade;

/// Okabe-Ito, without its black and yellow (kept for text and low contrast).
const SERIES: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
];

/// The colour of the n-th series.
pub fn series(n: usize) -> RGBColor {
    SERIES[n % SERIES.len()]
}

/// The colour of a grade (unknown grades grey).
pub fn grade(grade: Option<Grade>) -> RGBColor {
    match grade {
        Some(Grade::Emergency) => RGBColor(213, 94, 0),
        Some(Grade::Priority) => RGBColor(230, 159, 0),
        Some(Grade::Scheduled) => RGBColor(0, 114, 178),
        Some(Grade::NoDeployment) => RGBColor(0, 158, 115),
        None => RGBColor(128, 128, 128),
    }
}
