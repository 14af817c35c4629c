//! RISK_DOWNGRADED: a risk assessment of a victim and perpetrator lower than
//! the one before it, within a window, with no change of circumstances
//! recorded: the IOPC's finding in Raneem Oudeh's case was about risk
//! levels, not only call grades. The only change of circumstances the
//! exports record is a charge (an outcome of CHARGE on the earlier
//! incident or one between), which clears it.

use crate::detect::model::context::{Context, DAY};
use crate::detect::model::flag::{Flag, Rule, Severity, SubjectKind};
use crate::detect::model::subjects::Subject;
use crate::schema::{Outcome, RiskLevel};

/// An incident's assessed level: its recorded level, else HIGH from a DASH
/// score at the high-risk threshold (a lower score alone names no level).
fn level(context: &Context, i: u32) -> Option<RiskLevel> {
    let record = context.incident(i);
    record.risk_level.or_else(|| {
        record
            .risk_score
            .filter(|&s| s >= context.settings.high_risk_dash_score)
            .map(|_| RiskLevel::High)
    })
}

/// When the incident's assessment was made (its first contact where not recorded).
fn assessed_at(context: &Context, i: u32) -> i64 {
    let record = context.incident(i);
    record.risk_assessed_at.unwrap_or(record.contact_at)
}

/// RISK_DOWNGRADED: one flag per assessment of a dyad below the one before.
pub fn risk_downgraded(context: &Context, subject: &Subject) -> Vec<Flag> {
    if subject.reference.kind != SubjectKind::Dyad {
        return Vec::new();
    }
    let window = i64::from(context.settings.risk_downgrade_days) * DAY;
    let mut assessed: Vec<(i64, u32, RiskLevel)> = subject
        .domestic
        .iter()
        .filter_map(|&i| Some((assessed_at(context, i), i, level(context, i)?)))
        .collect();
    assessed.sort_unstable();
    let charged = |from: i64, until: i64| {
        subject.domestic.iter().any(|&i| {
            let at = context.times[i as usize];
            at >= from && at < until && context.incident(i).outcome.as_deref() == Some(Outcome::Charge.code())
        })
    };
    assessed
        .windows(2)
        .filter(|pair| {
            let [(earlier_at, earlier, was), (later_at, later, now)] = [pair[0], pair[1]];
            now < was
                && later_at - earlier_at <= window
                && !charged(context.times[earlier as usize], context.times[later as usize])
        })
        .map(|pair| downgraded(context, subject, pair[0], pair[1]))
        .collect()
}

fn downgraded(
    context: &Context,
    subject: &Subject,
    (earlier_at, earlier, was): (i64, u32, RiskLevel),
    (later_at, later, now): (i64, u32, RiskLevel),
) -> Flag {
    let force = context.incident(later).force;
    let sentence = format!(
        "Assessed {now} on {} (incident {}) after {was} on {} (incident {}), {} days earlier, with no charge recorded between them",
        context.clock.date_text(force, later_at),
        context.reference(later),
        context.clock.date_text(context.incident(earlier).force, earlier_at),
        context.reference(earlier),
        (later_at - earlier_at) / DAY,
    );
    let severity = if was == RiskLevel::High {
        Severity::High
    } else {
        Severity::Medium
    };
    let mut flag = context.completed_flag(
        Rule::RiskDowngraded,
        severity,
        subject.reference.clone(),
        vec![earlier, later],
        sentence,
        later_at,
    );
    flag.about = Some(later);
    flag
}
