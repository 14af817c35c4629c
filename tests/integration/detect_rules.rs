//! Each detection rule on small hand-built histories: at its threshold and
//! one step short of it, on nights that span the clock changes, and for
//! subjects known only by a phone number.

use crate::detect_world::*;
use vigil::detect::{MentionRow, Rule, SubjectKind};
use vigil::schema::{Area, Category, Channel, Grade, RiskLevel};

// ---- clusters -------------------------------------------------------------

#[test]
fn a_night_cluster_needs_two_contacts_between_18_00_and_06_00_local() {
    let mut at_edges = World::new();
    at_edges.clean(0, local(2025, 8, 25, 18, 0), Some("V"), None);
    at_edges.clean(0, local(2025, 8, 26, 5, 59), Some("V"), None);
    let detected = at_edges.detect();
    let flags = raised(&detected, Rule::NightCluster);
    assert_eq!(flags.len(), 1);
    let completed = local(2025, 8, 26, 5, 59);
    assert_eq!(
        times(flags[0]),
        (completed, completed),
        "dated by the second contact, not the first"
    );
    assert_eq!(flags[0].subject.kind, SubjectKind::Victim);
    assert!(
        flags[0]
            .sentence
            .starts_with("2 calls about this victim between 18:00 and 05:59 on the night of 25 August 2025"),
        "{}",
        flags[0].sentence
    );

    let mut one_by_day = World::new();
    one_by_day.clean(0, local(2025, 8, 25, 17, 59), Some("V"), None);
    one_by_day.clean(0, local(2025, 8, 25, 23, 0), Some("V"), None);
    one_by_day.clean(0, local(2025, 8, 26, 6, 0), Some("V"), None);
    assert_eq!(count(&one_by_day.detect(), Rule::NightCluster), 0);

    let mut three_needed = World::new();
    three_needed.settings.night_cluster_contacts = 3;
    three_needed.clean(0, local(2025, 8, 25, 21, 0), Some("V"), None);
    three_needed.clean(0, local(2025, 8, 25, 23, 0), Some("V"), None);
    assert_eq!(count(&three_needed.detect(), Rule::NightCluster), 0);
}

#[test]
fn the_october_night_runs_thirteen_hours_and_keeps_its_repeated_hour() {
    let mut world = World::new();
    // 18:30 on the 26th to 05:30 on the 27th is 12 hours on the clock, 13 in fact.
    world.clean(0, local(2024, 10, 26, 18, 30), Some("V"), None);
    let first_half_past_one = local(2024, 10, 27, 1, 30);
    world.clean(0, first_half_past_one, Some("V"), None);
    world.clean(0, first_half_past_one + HOUR, Some("V"), None); // 01:30 again, now GMT
    world.clean(0, local(2024, 10, 27, 5, 30), Some("V"), None);
    world.clean(0, local(2024, 10, 27, 6, 30), Some("V"), None); // morning: not this night
    let detected = world.detect();
    let flags = raised(&detected, Rule::NightCluster);
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].incidents.len(), 4);
    assert_eq!(flags[0].end - flags[0].start, 12 * HOUR); // 11 on the clock + the repeated hour
    assert!(
        flags[0]
            .sentence
            .contains("between 18:30 and 05:30 on the night of 26 October 2024"),
        "{}",
        flags[0].sentence
    );
}

#[test]
fn the_march_night_runs_eleven_hours() {
    let mut world = World::new();
    world.clean(0, local(2025, 3, 29, 18, 30), Some("V"), None);
    world.clean(0, local(2025, 3, 30, 5, 30), Some("V"), None);
    let detected = world.detect();
    let flags = raised(&detected, Rule::NightCluster);
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].end - flags[0].start, 10 * HOUR);

    let mut apart = World::new();
    apart.clean(0, local(2025, 3, 29, 17, 30), Some("V"), None);
    apart.clean(0, local(2025, 3, 30, 6, 0), Some("V"), None);
    assert_eq!(count(&apart.detect(), Rule::NightCluster), 0);
}

#[test]
fn a_rapid_repeat_is_a_second_contact_within_24_hours() {
    let start = local(2025, 6, 2, 12, 0);
    let mut at = World::new();
    at.clean(0, start, Some("V"), None);
    at.clean(0, start + 24 * HOUR, Some("V"), None);
    let second = start + 24 * HOUR;
    assert_eq!(only_times(&at.detect(), Rule::RapidRepeat), (second, second));

    let mut beyond = World::new();
    beyond.clean(0, start, Some("V"), None);
    beyond.clean(0, start + 24 * HOUR + MINUTE, Some("V"), None);
    assert_eq!(count(&beyond.detect(), Rule::RapidRepeat), 0);
}

// ---- repeats and escalation ----------------------------------------------

#[test]
fn the_marac_threshold_is_three_incidents_inside_twelve_months() {
    let start = local(2025, 1, 10, 20, 0);
    let mut three = World::new();
    for day in [0, 100, 364] {
        three.clean(0, start + day * DAY, Some("V"), None);
    }
    let detected = three.detect();
    let flags = raised(&detected, Rule::MaracThreshold);
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].incidents.len(), 3);
    assert!(flags[0].sentence.contains("no MARAC referral"), "{}", flags[0].sentence);
    let third = start + 364 * DAY;
    assert_eq!(times(flags[0]), (third, third));

    let mut two_inside = World::new();
    for day in [0, 100, 365] {
        two_inside.clean(0, start + day * DAY, Some("V"), None);
    }
    assert_eq!(count(&two_inside.detect(), Rule::MaracThreshold), 0);
}

#[test]
fn a_new_incident_within_a_year_of_a_marac_referral_is_a_repeat() {
    let start = local(2025, 1, 10, 20, 0);
    for (days_after, expected) in [(364, 1), (366, 0)] {
        let mut world = World::new();
        let referred = world.clean(0, start, Some("V"), None);
        world.incidents[referred].marac_at = Some(start + DAY);
        let repeat = start + DAY + days_after * DAY;
        world.clean(0, repeat, Some("V"), None);
        let detected = world.detect();
        assert_eq!(count(&detected, Rule::RepeatAfterMarac), expected, "{days_after} days");
        if expected == 1 {
            assert_eq!(only_times(&detected, Rule::RepeatAfterMarac), (repeat, repeat));
        }
    }
}

#[test]
fn frequency_escalation_needs_three_shortenings_in_a_row() {
    let start = local(2025, 1, 10, 20, 0);
    for (days, expected) in [
        (vec![0, 40, 60, 70, 75], 1), // gaps 40, 20, 10, 5
        (vec![0, 40, 60, 70], 0),     // gaps 40, 20, 10: two shortenings
        (vec![0, 40, 60, 85, 95], 0), // gaps 40, 20, 25, 10: broken
    ] {
        let mut world = World::new();
        for day in &days {
            world.clean(0, start + day * DAY, Some("V"), None);
        }
        let detected = world.detect();
        assert_eq!(count(&detected, Rule::FrequencyEscalation), expected, "{days:?}");
        if expected == 1 {
            let third_shortening = start + 75 * DAY;
            assert_eq!(
                only_times(&detected, Rule::FrequencyEscalation),
                (third_shortening, third_shortening)
            );
        }
    }
}

#[test]
fn harm_rising_is_dated_by_the_offence_that_completes_the_rise() {
    let start = local(2025, 1, 10, 20, 0);
    for (codes, expected) in [(vec!["9A", "105A", "8N"], 1), (vec!["9A", "8N", "105A"], 0)] {
        let mut world = World::new();
        for (k, code) in codes.iter().enumerate() {
            let n = world.clean(0, start + k as i64 * 10 * DAY, Some("V"), None);
            world.incidents[n].offence_code = Some((*code).into());
        }
        let detected = world.detect();
        assert_eq!(count(&detected, Rule::HarmRising), expected, "{codes:?}");
        if expected == 1 {
            let third = start + 20 * DAY;
            assert_eq!(only_times(&detected, Rule::HarmRising), (third, third));
        }
    }
}

// ---- reach ----------------------------------------------------------------

#[test]
fn a_serial_perpetrator_has_two_victims_within_three_years() {
    let start = local(2022, 5, 1, 20, 0);
    for (gap_days, expected) in [(3 * 365 - 1, 1), (3 * 365, 0)] {
        let mut world = World::new();
        world.clean(0, start, Some("V1"), Some("S"));
        world.clean(0, start + gap_days * DAY, Some("V2"), Some("S"));
        let detected = world.detect();
        assert_eq!(count(&detected, Rule::SerialPerpetrator), expected, "{gap_days} days");
        if expected == 1 {
            assert_eq!(
                raised(&detected, Rule::SerialPerpetrator)[0].subject.kind,
                SubjectKind::Perpetrator
            );
            let second_victim = start + gap_days * DAY;
            assert_eq!(
                only_times(&detected, Rule::SerialPerpetrator),
                (second_victim, second_victim)
            );
        }
    }
    let mut one_victim = World::new();
    for day in [0, 10, 20] {
        one_victim.clean(0, start + day * DAY, Some("V1"), Some("S"));
    }
    assert_eq!(count(&one_victim.detect(), Rule::SerialPerpetrator), 0);
}

#[test]
fn a_victim_known_to_two_forces_is_cross_force() {
    let start = local(2025, 3, 1, 20, 0);
    let mut two = World::new();
    two.clean(0, start, Some("V"), Some("S"));
    two.clean(1, start + 30 * DAY, Some("V"), None);
    let detected = two.detect();
    let flags = raised(&detected, Rule::CrossForce);
    assert_eq!(flags.len(), 1, "the victim only: the suspect is known to one force");
    assert!(flags[0].sentence.contains("northumbria") && flags[0].sentence.contains("west_midlands"));
    let second_force = start + 30 * DAY;
    assert_eq!(times(flags[0]), (second_force, second_force));

    let mut one = World::new();
    one.clean(0, start, Some("V"), None);
    one.clean(0, start + 30 * DAY, Some("V"), None);
    assert_eq!(count(&one.detect(), Rule::CrossForce), 0);
}

// ---- risk -----------------------------------------------------------------

#[test]
fn high_risk_is_dash_14_or_a_high_level_and_needs_a_referral_within_7_days() {
    let at = local(2025, 4, 1, 21, 0);
    for (score, level, expected) in [
        (Some(14), RiskLevel::Medium, 1),
        (Some(13), RiskLevel::Medium, 0),
        (None, RiskLevel::High, 1),
    ] {
        let mut world = World::new();
        let n = world.clean(0, at, Some("V"), None);
        world.incidents[n].risk_score = score;
        world.incidents[n].risk_level = Some(level);
        world.until(at + 30 * DAY);
        let detected = world.detect();
        assert_eq!(count(&detected, Rule::HighRisk), expected, "{score:?} {level:?}");
        if expected == 1 {
            let assessed = at + 70 * MINUTE;
            assert_eq!(only_times(&detected, Rule::HighRisk), (assessed, assessed));
            assert_eq!(
                only_times(&detected, Rule::HighRiskNoReferral),
                (assessed, assessed + 7 * DAY),
                "known once the 7 days have passed"
            );
        }
        assert_eq!(
            count(&detected, Rule::HighRiskNoReferral),
            expected,
            "{score:?} {level:?}"
        );
    }
    let assessed = at + 70 * MINUTE;
    for (referral_after, expected) in [(7 * DAY, 0), (7 * DAY + MINUTE, 1)] {
        let mut world = World::new();
        let n = world.clean(0, at, Some("V"), None);
        world.incidents[n].risk_level = Some(RiskLevel::High);
        world.incidents[n].idva_at = Some(assessed + referral_after);
        world.until(at + 30 * DAY);
        assert_eq!(count(&world.detect(), Rule::HighRiskNoReferral), expected);
    }
    let mut too_soon = World::new();
    let n = too_soon.clean(0, at, Some("V"), None);
    too_soon.incidents[n].risk_level = Some(RiskLevel::High);
    too_soon.until(at + 6 * DAY);
    assert_eq!(
        count(&too_soon.detect(), Rule::HighRiskNoReferral),
        0,
        "the deadline has not passed"
    );
}

#[test]
fn an_attended_incident_needs_a_risk_assessment_within_24_hours() {
    let at = local(2025, 4, 1, 21, 0);
    let arrived = at + 28 * MINUTE;
    for (assessed, expected) in [
        (Some(arrived + 24 * HOUR), 0),
        (Some(arrived + 24 * HOUR + MINUTE), 1),
        (None, 1),
    ] {
        let mut world = World::new();
        let n = world.clean(0, at, Some("V"), None);
        world.incidents[n].risk_assessed_at = assessed;
        if assessed.is_none() {
            (
                world.incidents[n].risk_level,
                world.incidents[n].risk_tool,
                world.incidents[n].risk_score,
            ) = (None, None, None);
        }
        world.until(at + 3 * DAY);
        let detected = world.detect();
        assert_eq!(count(&detected, Rule::NoRiskAssessment), expected, "{assessed:?}");
        if expected == 1 {
            assert_eq!(
                only_times(&detected, Rule::NoRiskAssessment),
                (arrived, arrived + 24 * HOUR)
            );
        }
    }
}

// ---- response -------------------------------------------------------------

#[test]
fn a_low_grade_is_under_grading_only_with_history_in_the_last_12_months() {
    let start = local(2024, 6, 1, 20, 0);
    for (days_before, grade, expected) in [
        (364, Grade::Scheduled, 1),
        (366, Grade::Scheduled, 0),
        (364, Grade::Priority, 0),
        (364, Grade::NoDeployment, 1),
    ] {
        let mut world = World::new();
        world.clean(0, start, Some("V"), None);
        let n = world.clean(0, start + days_before * DAY, Some("V"), None);
        world.incidents[n].initial_grade = Some(grade);
        world.incidents[n].final_grade = Some(grade);
        let detected = world.detect();
        assert_eq!(
            count(&detected, Rule::UnderGraded),
            expected,
            "{days_before} days, {grade}"
        );
        if expected == 1 {
            let graded = start + days_before * DAY;
            assert_eq!(
                only_times(&detected, Rule::UnderGraded),
                (graded, graded),
                "dated by the under-graded contact, not by the history before it"
            );
        }
    }
}

#[test]
fn a_grade_lowered_before_arrival_is_downgraded() {
    let at = local(2025, 4, 1, 21, 0);
    for (regraded, expected) in [(at + 10 * MINUTE, 1), (at + 30 * MINUTE, 0)] {
        let mut world = World::new();
        let n = world.clean(0, at, Some("V"), None);
        world.incidents[n].initial_grade = Some(Grade::Emergency);
        world.incidents[n].regraded_at = Some(regraded);
        let detected = world.detect();
        assert_eq!(count(&detected, Rule::Downgraded), expected);
        if expected == 1 {
            assert_eq!(only_times(&detected, Rule::Downgraded), (regraded, regraded));
        }
    }
}

#[test]
fn attendance_targets_depend_on_grade_and_area() {
    let at = local(2025, 4, 1, 21, 0);
    for (area, minutes, expected) in [
        (Area::Urban, 15, 0),
        (Area::Urban, 16, 1),
        (Area::Rural, 20, 0),
        (Area::Rural, 21, 1),
    ] {
        let mut world = World::new();
        let n = world.clean(0, at, Some("V"), None);
        let incident = &mut world.incidents[n];
        (incident.initial_grade, incident.final_grade, incident.area) =
            (Some(Grade::Emergency), Some(Grade::Emergency), Some(area));
        incident.arrived_at = Some(at + minutes * MINUTE);
        let detected = world.detect();
        assert_eq!(count(&detected, Rule::LateAttendance), expected, "{area} {minutes} min");
        if expected == 1 {
            let target = (minutes - 1) * MINUTE;
            assert_eq!(
                only_times(&detected, Rule::LateAttendance),
                (at, at + target),
                "known late once the target passed"
            );
        }
    }
}

#[test]
fn an_emergency_with_no_area_recorded_gets_the_forces_stated_area_target() {
    let at = local(2025, 4, 1, 21, 0);
    for (unrecorded_area, expected) in [(None, 0), (Some(Area::Urban), 1), (Some(Area::Rural), 0)] {
        let mut world = World::new();
        let n = world.clean(0, at, Some("V"), None);
        let incident = &mut world.incidents[n];
        (incident.initial_grade, incident.final_grade, incident.area) =
            (Some(Grade::Emergency), Some(Grade::Emergency), None);
        incident.arrived_at = Some(at + 17 * MINUTE);
        world.unrecorded_area = unrecorded_area;
        let detected = world.detect();
        let late = raised(&detected, Rule::LateAttendance);
        assert_eq!(late.len(), expected, "{unrecorded_area:?}");
        if let Some(flag) = late.first() {
            assert!(
                flag.sentence.contains("area not recorded: urban target"),
                "{}",
                flag.sentence
            );
        }
    }
}

#[test]
fn an_incident_never_attended_is_flagged_once_its_target_has_passed() {
    let at = local(2025, 4, 1, 21, 0);
    for (data_end, expected) in [(at + 60 * MINUTE, 1), (at + 59 * MINUTE, 0)] {
        let mut world = World::new();
        let n = world.clean(0, at, Some("V"), None);
        world.incidents[n].arrived_at = None;
        world.incidents[n].closed_at = None;
        world.incidents[n].review_at = None;
        world.incidents[n].risk_assessed_at = None;
        world.incidents[n].dispatched_at = None;
        world.until(data_end);
        let detected = world.detect();
        assert_eq!(count(&detected, Rule::NotAttended), expected);
        if expected == 1 {
            assert_eq!(only_times(&detected, Rule::NotAttended), (at, at + 60 * MINUTE));
        }
    }
}

#[test]
fn the_data_ends_at_the_last_contact_not_at_a_closing_time() {
    let at = local(2025, 4, 1, 21, 0);
    let mut world = World::new();
    let n = world.clean(0, at, Some("V"), None);
    (world.incidents[n].arrived_at, world.incidents[n].dispatched_at) = (None, None);
    (world.incidents[n].closed_at, world.incidents[n].review_at) = (None, None);
    world.incidents[n].risk_assessed_at = None;
    world.until(at + 30 * MINUTE);
    let last = world.incidents.len() - 1;
    world.incidents[last].closed_at = Some(at + 5 * HOUR);
    let detected = world.detect();
    assert_eq!(detected.records.data_end, at + 30 * MINUTE);
    assert_eq!(
        count(&detected, Rule::NotAttended),
        0,
        "its 60-minute target has not passed by the last contact"
    );
}

#[test]
fn specialist_review_is_expected_within_24_hours_in_the_pilot_period_only() {
    let pilot = local(2025, 3, 1, 21, 0);
    let before = local(2025, 2, 1, 21, 0);
    for (at, force, review_after, expected) in [
        (pilot, 0, 24 * HOUR, 0),
        (pilot, 0, 24 * HOUR + MINUTE, 1),
        (before, 0, 48 * HOUR, 0),
        (pilot, 1, 48 * HOUR, 0),
    ] {
        let mut world = World::new();
        let n = world.clean(force, at, Some("V"), None);
        world.incidents[n].review_at = Some(at + review_after);
        world.until(pilot + 5 * DAY);
        let detected = world.detect();
        assert_eq!(
            count(&detected, Rule::NoSpecialistReview),
            expected,
            "force {force}, {review_after}"
        );
        if expected == 1 {
            assert_eq!(only_times(&detected, Rule::NoSpecialistReview), (at, at + 24 * HOUR));
        }
    }
}

#[test]
fn opened_as_domestic_and_closed_otherwise_is_a_code_mismatch() {
    let at = local(2025, 4, 1, 21, 0);
    for (closing, expected) in [(Category::Assault, 1), (Category::Domestic, 0)] {
        let mut world = World::new();
        let n = world.clean(0, at, Some("V"), None);
        world.incidents[n].closing = Some(closing);
        let detected = world.detect();
        assert_eq!(count(&detected, Rule::CodeMismatch), expected);
        if expected == 1 {
            assert_eq!(only_times(&detected, Rule::CodeMismatch), (at, at));
        }
    }
}

// ---- subjects known only by a phone number --------------------------------

/// Makes incident `n` name nobody and come from `number`.
fn unnamed_from(world: &mut World, n: usize, number: &str) {
    let reference = world.incidents[n].incident_ref.clone();
    world.mentions.retain(|m| m.incident_ref != reference);
    for call in world
        .calls
        .iter_mut()
        .filter(|c| c.incident_ref.as_deref() == Some(&reference))
    {
        call.number = Some(number.into());
    }
}

#[test]
fn contacts_that_name_nobody_cluster_by_caller_number() {
    let mut world = World::new();
    let a = world.clean(0, local(2025, 5, 9, 22, 0), None, None);
    let b = world.clean(0, local(2025, 5, 10, 1, 0), None, None);
    unnamed_from(&mut world, a, "+447700900123");
    unnamed_from(&mut world, b, "+447700900123");
    let detected = world.detect();
    let flags: Vec<&Flag> = raised(&detected, Rule::NightCluster)
        .into_iter()
        .filter(|f| f.subject.kind == SubjectKind::Phone)
        .collect();
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].subject.id, "+447700900123");
    assert!(flags[0].sentence.contains("about this number"), "{}", flags[0].sentence);
}

#[test]
fn a_silent_999_call_from_a_number_with_domestic_history_needs_an_emergency_response() {
    let first = local(2025, 5, 1, 21, 0);
    let number = "+447700900456";
    let case = |days_later: i64, grade: Grade, from: &str| {
        let mut world = World::new();
        let history = world.clean(0, first, None, None);
        unnamed_from(&mut world, history, number);
        let at = first + days_later * DAY;
        let n = world.clean(0, at, None, None);
        unnamed_from(&mut world, n, from);
        let incident = &mut world.incidents[n];
        incident.domestic = false;
        (incident.opening, incident.closing) = (Some(Category::AbandonedCall), Some(Category::AbandonedCall));
        (incident.initial_grade, incident.final_grade) = (Some(grade), Some(grade));
        (incident.dispatched_at, incident.arrived_at) = (None, None);
        incident.place = None;
        let call = world.calls.len() - 1;
        world.calls[call].silent = true;
        world.until(at + DAY);
        let detected = world.detect();
        if let [flag] = raised(&detected, Rule::SilentCallNoResponse)[..] {
            assert_eq!(
                times(flag),
                (at, at + 60 * MINUTE),
                "known once the hour for a response passed"
            );
        }
        count(&detected, Rule::SilentCallNoResponse)
    };
    assert_eq!(case(20, Grade::NoDeployment, number), 1);
    assert_eq!(
        case(20, Grade::Emergency, number),
        0,
        "an emergency grade is the response"
    );
    assert_eq!(
        case(20, Grade::NoDeployment, "+447700900999"),
        0,
        "no history on that number"
    );
    assert_eq!(
        case(366, Grade::NoDeployment, number),
        0,
        "the history is over a year old"
    );
}

// ---- missed opportunities -------------------------------------------------

#[test]
fn a_gap_after_a_signal_in_the_same_episode_is_a_missed_opportunity_citing_both() {
    let mut world = World::new();
    world.clean(0, local(2025, 8, 26, 21, 40), Some("V"), Some("S"));
    world.clean(0, local(2025, 8, 26, 22, 55), Some("V"), Some("S"));
    let last = world.clean(0, local(2025, 8, 27, 0, 26), Some("V"), Some("S"));
    world.incidents[last].initial_grade = Some(Grade::Scheduled);
    world.incidents[last].final_grade = Some(Grade::Scheduled);
    world.incidents[last].final_grade_raw = "Appointment".into();
    let detected = world.detect();
    let missed = raised(&detected, Rule::MissedOpportunity);
    assert_eq!(missed.len(), 1);
    let joined: Vec<Rule> = missed[0].joins.iter().map(|&f| detected.flags[f].rule).collect();
    assert!(
        joined.contains(&Rule::NightCluster) && joined.contains(&Rule::UnderGraded),
        "{joined:?}"
    );
    assert_eq!(evidence(&detected, missed[0]), vec!["R0000", "R0001", "R0002"]);
    let under_graded = local(2025, 8, 27, 0, 26);
    assert_eq!(
        times(missed[0]),
        (under_graded, under_graded),
        "when the response fell short, once the signal was there"
    );
    let night = raised(&detected, Rule::NightCluster)[0];
    assert!(
        night
            .sentence
            .ends_with("the last was graded SCHEDULED (raw `Appointment`)"),
        "{}",
        night.sentence
    );

    // The same low grade on the first call, before any pattern: a gap, but no missed opportunity.
    let mut early = World::new();
    let first = early.clean(0, local(2025, 8, 26, 21, 40), Some("V"), Some("S"));
    early.clean(0, local(2025, 8, 26, 22, 55), Some("V"), Some("S"));
    early.incidents[first].arrived_at = Some(local(2025, 8, 26, 23, 40));
    let detected = early.detect();
    assert_eq!(count(&detected, Rule::LateAttendance), 1);
    assert_eq!(count(&detected, Rule::MissedOpportunity), 0);
}

// ---- ids that last ---------------------------------------------------------

/// Twelve weeks of a small world: six victims (one perpetrator has two), a
/// contact every day or two at any hour, some graded low, some attended late
/// or never, some assessed high risk; from day 70 a second force records
/// two of the victims. `until_day` cuts the data there; `second_force` keeps
/// the second force's records.
fn twelve_weeks(until_day: i64, second_force: bool) -> World {
    let start = local(2025, 1, 6, 0, 0);
    let mut random = vigil::random::Random::stream(2025, &[]);
    let mut world = World::new();
    let victims = ["V0", "V1", "V2", "V3", "V4", "V5"];
    let suspects = ["S0", "S0", "S1", "S2", "S3", "S4"];
    for day in 0..84 {
        for _ in 0..random.below(3) {
            let at = start + day * DAY + random.below(24 * 60) as i64 * MINUTE;
            let who = random.below(6) as usize;
            let force = u16::from(day >= 70 && who >= 4 && random.chance(0.5));
            // The draws above and below happen whether or not the record is kept,
            // so both windows see the same world.
            let (grade, late, unattended, high) = (
                random.below(6),
                random.chance(0.2),
                random.chance(0.05),
                random.chance(0.1),
            );
            if day >= until_day || (force == 1 && !second_force) {
                continue;
            }
            let reference = format!("D{day:02}-{at}");
            let n = world.clean_as(&reference, force, at, Some(victims[who]), Some(suspects[who]));
            let incident = &mut world.incidents[n];
            if grade == 0 {
                (incident.initial_grade, incident.final_grade) = (Some(Grade::Scheduled), Some(Grade::Scheduled));
            }
            if late {
                incident.arrived_at = Some(at + 3 * HOUR);
            }
            if unattended {
                (incident.arrived_at, incident.risk_assessed_at) = (None, None);
            }
            if high {
                incident.risk_level = Some(RiskLevel::High);
            }
        }
    }
    world
}

#[test]
fn a_flag_keeps_its_id_with_another_week_of_data_and_another_force() {
    let earlier = twelve_weeks(77, false).detect();
    let later = twelve_weeks(84, true).detect();
    let by_id: std::collections::HashMap<String, &Flag> = later.flags.iter().map(|f| (f.id.to_string(), f)).collect();
    assert_eq!(by_id.len(), later.flags.len(), "every id names one flag");
    let mut shared_rules = std::collections::BTreeSet::new();
    for flag in &earlier.flags {
        let id = flag.id.to_string();
        let same = by_id
            .get(&id)
            .unwrap_or_else(|| panic!("{} {id} ({}) is gone a week later", flag.rule, flag.sentence));
        assert_eq!(
            (same.rule, &same.subject, same.event_at),
            (flag.rule, &flag.subject, flag.event_at),
            "{id}"
        );
        shared_rules.insert(flag.rule);
    }
    assert!(later.flags.len() > earlier.flags.len(), "the later run holds more");
    for rule in [
        Rule::NightCluster,
        Rule::RapidRepeat,
        Rule::MaracThreshold,
        Rule::UnderGraded,
        Rule::LateAttendance,
        Rule::MissedOpportunity,
    ] {
        assert!(shared_rules.contains(&rule), "no {rule} to compare: {shared_rules:?}");
    }
}

#[test]
fn only_high_and_medium_gaps_at_or_after_the_signal_make_a_missed_opportunity() {
    // Two calls on one night in the pilot period (a NIGHT_CLUSTER), the second with a gap.
    let case = |gap: &dyn Fn(&mut Incident)| {
        let mut world = World::new();
        world.clean(0, local(2025, 3, 10, 21, 0), Some("V"), Some("S"));
        let second = world.clean(0, local(2025, 3, 10, 23, 0), Some("V"), Some("S"));
        gap(&mut world.incidents[second]);
        world.until(local(2025, 3, 20, 12, 0));
        world.detect()
    };
    let late_review = case(&|i| i.review_at = Some(i.contact_at + 30 * HOUR));
    assert_eq!(count(&late_review, Rule::NoSpecialistReview), 1);
    assert_eq!(
        count(&late_review, Rule::MissedOpportunity),
        0,
        "a pilot-only duty cannot make a missed opportunity"
    );
    let mismatch = case(&|i| i.closing = Some(Category::Assault));
    assert_eq!(count(&mismatch, Rule::CodeMismatch), 1);
    assert_eq!(raised(&mismatch, Rule::CodeMismatch)[0].rule.family().code(), "CONTEXT");
    assert_eq!(
        count(&mismatch, Rule::MissedOpportunity),
        0,
        "a recoding is data-quality context"
    );
    let downgraded = case(&|i| {
        i.initial_grade = Some(Grade::Emergency);
        i.regraded_at = Some(i.contact_at + 5 * MINUTE);
    });
    assert_eq!(count(&downgraded, Rule::Downgraded), 1);
    assert_eq!(
        count(&downgraded, Rule::MissedOpportunity),
        1,
        "a medium gap on the completing contact"
    );
}

#[test]
fn a_missed_opportunity_says_whether_the_force_could_see_the_history_itself() {
    // The first call of the night to one force, the second (under-graded) to another.
    let case = |second_force: u16| {
        let mut world = World::new();
        world.clean(0, local(2024, 6, 1, 20, 0), Some("V"), Some("S"));
        world.clean(0, local(2025, 3, 10, 21, 0), Some("V"), Some("S"));
        let second = world.clean(second_force, local(2025, 3, 10, 23, 0), Some("V"), Some("S"));
        world.incidents[second].initial_grade = Some(Grade::Scheduled);
        world.incidents[second].final_grade = Some(Grade::Scheduled);
        let detected = world.detect();
        let missed: Vec<&Flag> = raised(&detected, Rule::MissedOpportunity)
            .into_iter()
            .filter(|f| f.subject.kind == SubjectKind::Victim)
            .collect();
        assert_eq!(missed.len(), 1, "force {second_force}");
        missed[0].sentence.clone()
    };
    assert!(
        case(0).contains("the force could see the signal's history in its own records"),
        "{}",
        case(0)
    );
    assert!(
        case(1).contains("to be seen only by linking records across forces"),
        "{}",
        case(1)
    );
}

#[test]
fn clusters_count_incidents_not_calls() {
    let night = local(2025, 8, 25, 22, 0);
    // A chase-up call about the same incident: one incident, two calls.
    let mut chased = World::new();
    chased.clean(0, night, Some("V"), None);
    chased.call(0, "R0000", night + 40 * MINUTE, "+447700900321", Channel::Emergency999);
    let detected = chased.detect();
    assert_eq!(count(&detected, Rule::NightCluster), 0, "one incident is not a cluster");
    assert_eq!(count(&detected, Rule::RapidRepeat), 0, "nor a rapid repeat");
    // A second incident later that night: a cluster of two incidents over three calls.
    chased_with_second_incident(night);
}

fn chased_with_second_incident(night: i64) {
    let mut world = World::new();
    world.clean(0, night, Some("V"), None);
    world.call(0, "R0000", night + 40 * MINUTE, "+447700900321", Channel::Emergency999);
    world.clean(0, night + 3 * HOUR, Some("V"), None);
    let detected = world.detect();
    let flags = raised(&detected, Rule::NightCluster);
    assert_eq!(flags.len(), 1);
    assert!(
        flags[0].sentence.starts_with("2 incidents (3 calls) about this victim"),
        "{}",
        flags[0].sentence
    );
    let second_incident = night + 3 * HOUR;
    assert_eq!(
        times(flags[0]),
        (second_incident, second_incident),
        "completed by the second incident, not the chase-up"
    );
    assert_eq!(count(&detected, Rule::RapidRepeat), 1);
}

#[test]
fn one_incident_naming_two_victims_is_not_a_serial_perpetrator() {
    let at = local(2025, 5, 1, 20, 0);
    let serial = |second_incident: bool| {
        let mut world = World::new();
        world.clean(0, at, Some("V1"), Some("S"));
        world.mentions.push(MentionRow {
            force: force_id(0).into(),
            incident_ref: "R0000".into(),
            role: "VICTIM".into(),
            person_id: Some("V2".into()),
            phone: None,
        });
        if second_incident {
            world.clean(0, at + 30 * DAY, Some("V1"), Some("S"));
        }
        count(&world.detect(), Rule::SerialPerpetrator)
    };
    assert_eq!(serial(false), 0);
    assert_eq!(serial(true), 1, "a second incident makes the two victims a series");
}

#[test]
fn a_call_lowered_before_anyone_arrived_is_still_judged_by_its_first_grade() {
    let at = local(2025, 4, 1, 21, 0);
    for (first, expected) in [(Grade::Emergency, 1), (Grade::Priority, 0)] {
        let mut world = World::new();
        let n = world.clean(0, at, Some("V"), None);
        let incident = &mut world.incidents[n];
        (incident.initial_grade, incident.final_grade, incident.area) =
            (Some(first), Some(Grade::Priority), Some(Area::Urban));
        incident.regraded_at = Some(at + 5 * MINUTE);
        incident.arrived_at = Some(at + 30 * MINUTE);
        let detected = world.detect();
        assert_eq!(count(&detected, Rule::LateAttendance), expected, "first graded {first}");
        if let [late] = raised(&detected, Rule::LateAttendance)[..] {
            assert!(
                late.sentence
                    .ends_with("target for EMERGENCY urban, its first grade (lowered to PRIORITY)"),
                "{}",
                late.sentence
            );
            assert_eq!(times(late), (at, at + 15 * MINUTE));
            assert_eq!(count(&detected, Rule::Downgraded), 1, "the lowering is its own gap");
        }
    }
}

#[test]
fn a_repeat_after_marac_is_the_same_victim_and_perpetrator_and_says_if_re_referred() {
    let start = local(2025, 1, 10, 20, 0);
    let case = |suspect: &str, re_referred: bool| {
        let mut world = World::new();
        let referred = world.clean(0, start, Some("V"), Some("S"));
        world.incidents[referred].marac_at = Some(start + DAY);
        let repeat = world.clean(0, start + 40 * DAY, Some("V"), Some(suspect));
        if re_referred {
            world.incidents[repeat].marac_at = Some(start + 42 * DAY);
        }
        let detected = world.detect();
        raised(&detected, Rule::RepeatAfterMarac)
            .first()
            .map(|f| f.sentence.clone())
    };
    assert_eq!(
        case("T", false),
        None,
        "a new partner's incident is not a repeat of this case"
    );
    let not_again = case("S", false).expect("the same victim and perpetrator");
    assert!(
        not_again.contains("about this victim and the same perpetrator")
            && not_again.ends_with("not re-referred to MARAC"),
        "{not_again}"
    );
    let again = case("S", true).unwrap();
    assert!(again.ends_with("re-referred to MARAC on 21 February 2025"), "{again}");
}
