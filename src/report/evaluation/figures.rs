//! The evaluation pack's charts: weekly volume and repeat share by force
//! (weeks the data covers only in part left out), and the comparison, plus
//! the flags chart of `flags.rs`.

use super::super::charts::{self, Lines, Series};
use super::super::coverage::is_partial;
use super::super::kpis::WeekKpis;
use super::super::pack::Pack;
use super::super::week::Week;
use super::super::ReportError;
use super::comparison::{comparison_chart, Comparison};
use super::Evaluation;

impl Evaluation<'_> {
    pub fn write_charts(&self, pack: &Pack, comparisons: &[Comparison]) -> Result<(), ReportError> {
        let fail = |e: String| ReportError::write(pack.dir(), e);
        let weeks = self.weeks();
        let forces: Vec<&String> = self.data.detected.records.forces.iter().collect();
        let lines = |title: &str, y_label: &str, y_max: Option<f64>, value: &dyn Fn(&WeekKpis) -> Option<f64>| Lines {
            title: title.to_string(),
            weeks: weeks.clone(),
            y_label: y_label.to_string(),
            y_max,
            series: forces
                .iter()
                .map(|force| Series {
                    name: force.to_string(),
                    // A week the data covers only in part is left out, not plotted as a low point.
                    values: weeks
                        .iter()
                        .map(|week| {
                            let whole = !is_partial(self.data.days_with_data(force, week));
                            self.week_row(force, week).filter(|_| whole).and_then(value)
                        })
                        .collect(),
                })
                .collect(),
        };
        let s = self.suppression;
        let volume = lines("Domestic-abuse incidents per week, by force", "incidents", None, &|w| {
            let n = w.count("da_incidents");
            (!s.hides(n)).then_some(n as f64)
        });
        let repeats = lines(
            "Repeat contacts within 30 days, by force",
            "% of domestic incidents with a named victim",
            Some(100.0),
            &|w| {
                let (x, n) = (w.count("repeat_30d"), w.count("with_victim"));
                (!s.hides_rate(x, n) && n > 0).then(|| 100.0 * x as f64 / n as f64)
            },
        );
        charts::save(&volume, pack.dir(), "da_volume_by_force").map_err(fail)?;
        charts::save(&repeats, pack.dir(), "repeat_share_by_force").map_err(fail)?;
        charts::save(&comparison_chart(comparisons), pack.dir(), "comparison").map_err(fail)?;
        charts::save(&self.flag_chart(), pack.dir(), "flags_by_rule").map_err(fail)
    }

    /// Every week of the two periods, in order.
    fn weeks(&self) -> Vec<String> {
        let (first, last) = (Week::of(self.periods.baseline.0), Week::of(self.periods.pilot.1));
        let mut weeks = Vec::new();
        let mut week = last;
        while week >= first && weeks.len() < 1000 {
            weeks.push(week.to_string());
            week = week.back(1);
        }
        weeks.reverse();
        weeks
    }

    fn week_row(&self, force: &str, week: &str) -> Option<&WeekKpis> {
        self.data.weekly.iter().find(|w| w.force == force && w.week == week)
    }
}
