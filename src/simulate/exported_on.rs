//! Exports as a force would have taken them at a given moment: the same
//! world, cut there. Incidents and calls after the cut are left out; what an
//! incident before it records only later (regrading, dispatch, arrival, risk
//! assessment, MARAC and IDVA referral, specialist review, closing and
//! outcome) is not yet recorded. References are given before the cut, so two
//! cuts of one seed are the same world with more or less of it exported, as
//! a force's successive weekly exports are.

use super::events::SimIncident;

/// The incidents as exported at `cut` (UTC ms).
pub fn as_exported_at(incidents: Vec<SimIncident>, cut: i64) -> Vec<SimIncident> {
    incidents
        .into_iter()
        .filter(|incident| incident.created <= cut)
        .map(|incident| cut_incident(incident, cut))
        .collect()
}

fn cut_incident(mut incident: SimIncident, cut: i64) -> SimIncident {
    let known = |at: Option<i64>| at.filter(|&t| t <= cut);
    if known(incident.regraded_at).is_none() {
        incident.regraded_at = None;
        incident.final_grade = incident.initial_grade;
    }
    incident.dispatched = known(incident.dispatched);
    incident.arrived = known(incident.arrived);
    incident.risk = incident.risk.filter(|risk| risk.at <= cut);
    incident.marac_at = known(incident.marac_at);
    incident.idva_at = known(incident.idva_at);
    incident.review_at = known(incident.review_at);
    if incident.closed > cut {
        incident.still_open = true;
        incident.outcome = None;
    }
    incident.calls.retain(|call| call.received <= cut);
    for call in &mut incident.calls {
        call.answered = known(call.answered);
        call.ended = known(call.ended);
    }
    incident
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Category, Channel, Grade, Outcome};
    use crate::simulate::events::SimCall;

    /// A domestic incident created at `at`, closed at `at + 1`, with one call.
    fn incident_at(at: i64) -> SimIncident {
        SimIncident {
            created: at,
            opening: Category::Domestic,
            closing: Category::Domestic,
            domestic: true,
            initial_grade: Grade::Priority,
            final_grade: Grade::Priority,
            appointment: false,
            regraded_at: None,
            dispatched: None,
            arrived: None,
            closed: at + 1,
            postcode: String::new(),
            urban: true,
            risk: None,
            marac_at: None,
            idva_at: None,
            review_at: None,
            outcome: Some(Outcome::NoFurtherAction),
            offence: None,
            calls: vec![SimCall {
                received: at,
                answered: Some(at + 5),
                ended: Some(at + 60),
                channel: Channel::Emergency999,
                caller_number: None,
                abandoned: false,
                silent: false,
                call_id: String::new(),
            }],
            mentions: Vec::new(),
            dyad: None,
            victim: None,
            perpetrator: None,
            scenario: None,
            duplicate: false,
            still_open: false,
            reference: String::new(),
        }
    }

    #[test]
    fn what_happens_after_the_cut_is_not_yet_recorded() {
        let mut incident = incident_at(1_000);
        incident.regraded_at = Some(1_500);
        incident.final_grade = Grade::Emergency;
        incident.arrived = Some(2_500);
        incident.marac_at = Some(1_800);
        incident.idva_at = Some(9_000);
        incident.closed = 10_000;
        incident.calls[0].ended = Some(2_100);
        let later = incident_at(3_000);
        let cut = as_exported_at(vec![incident.clone(), later], 2_000);
        assert_eq!(cut.len(), 1, "an incident created after the cut is left out");
        let seen = &cut[0];
        assert_eq!((seen.regraded_at, seen.final_grade), (Some(1_500), Grade::Emergency));
        assert_eq!(seen.marac_at, Some(1_800));
        assert_eq!((seen.arrived, seen.idva_at), (None, None));
        assert!(seen.still_open && seen.outcome.is_none());
        assert_eq!((seen.calls[0].answered, seen.calls[0].ended), (Some(1_005), None));
        let whole = as_exported_at(vec![incident.clone()], 20_000);
        assert_eq!(whole, vec![incident], "after everything happened the export is whole");
    }
}
