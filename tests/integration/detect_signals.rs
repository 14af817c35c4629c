//! The signals the data already held but no rule read (counter-allegations,
//! several perpetrators, third-party reports, stalking, strangulation and
//! threats to kill, a risk level lowered, words in the narrative), and the
//! closings a force lists as needing no attendance (neither a failure to
//! attend nor a reclassification): each at its threshold and one step short of it.

use crate::detect_world::*;
use vigil::detect::{Family, Identity, Lexicon, Severity};
use vigil::schema::{Category, RiskLevel};

/// An incident that was never attended, its target passed by the end of the data.
fn never_attended(world: &mut World, force: u16, at: i64) -> usize {
    let n = world.clean(force, at, Some("V"), None);
    let incident = &mut world.incidents[n];
    (incident.arrived_at, incident.dispatched_at, incident.closed_at) = (None, None, None);
    (incident.risk_assessed_at, incident.review_at) = (None, None);
    n
}

#[test]
fn a_closing_the_force_lists_as_needing_no_attendance_is_not_a_failure_to_attend() {
    let at = local(2025, 4, 1, 21, 0);
    let not_attended = |closing: &str, outcome: &str, force: u16| {
        let mut world = World::new();
        world.no_attendance_needed = vec!["DUPLICATE".into(), "ADVICE_GIVEN".into()];
        let n = never_attended(&mut world, force, at);
        world.incidents[n].closing_code_raw = Some(closing.into());
        world.incidents[n].outcome_raw = Some(outcome.into());
        world.incidents[n].outcome = None;
        world.until(at + 2 * HOUR);
        count(&world.detect(), Rule::NotAttended)
    };
    assert_eq!(not_attended("DOM", "NFA", 0), 1, "an ordinary closing still fires");
    assert_eq!(
        not_attended(" duplicate ", "NFA", 0),
        0,
        "matched ignoring case and spaces"
    );
    assert_eq!(not_attended("DOM", "Advice_Given", 0), 0, "a listed outcome counts too");
    assert_eq!(
        not_attended("DUPLICATE", "NFA", 1),
        1,
        "the list is the first force's: the second lists nothing"
    );

    // A record closed as a duplicate was not reclassified.
    let mismatched = |closing: &str| {
        let mut world = World::new();
        world.no_attendance_needed = vec!["DUPLICATE".into()];
        let n = world.clean(0, at, Some("V"), None);
        world.incidents[n].closing = Some(Category::Other);
        world.incidents[n].closing_code_raw = Some(closing.into());
        count(&world.detect(), Rule::CodeMismatch)
    };
    assert_eq!(mismatched("OTH"), 1);
    assert_eq!(mismatched("DUPLICATE"), 0);
}

#[test]
fn stalking_strangulation_and_threats_to_kill_are_each_a_high_signal() {
    let at = local(2025, 6, 2, 22, 15);
    let raised_by = |offence: Option<&str>, opening: Category, domestic: bool, settings_only: Option<&str>| {
        let mut world = World::new();
        if let Some(code) = settings_only {
            world.settings.stalking_strangulation_threats_offences =
                [(code.to_string(), "threats to kill".to_string())]
                    .into_iter()
                    .collect();
        }
        let n = world.clean(0, at, Some("V"), Some("S"));
        world.incidents[n].offence_code = offence.map(Into::into);
        world.incidents[n].opening = Some(opening);
        world.incidents[n].domestic = domestic;
        let detected = world.detect();
        let flags: Vec<(Severity, String, (i64, i64))> = raised(&detected, Rule::StalkingStrangulationThreats)
            .iter()
            .map(|f| (f.severity, f.sentence.clone(), times(f)))
            .collect();
        flags
    };
    let strangled = raised_by(Some("008/77"), Category::Domestic, true, None);
    assert_eq!(strangled.len(), 1);
    assert_eq!(strangled[0].0, Severity::High);
    assert_eq!(strangled[0].2, (at, at), "dated by the contact");
    assert!(
        strangled[0]
            .1
            .contains("recorded offence 008/77 (non-fatal strangulation)"),
        "{}",
        strangled[0].1
    );
    assert_eq!(raised_by(Some("3B"), Category::Domestic, true, None).len(), 1);
    assert_eq!(
        raised_by(None, Category::Stalking, true, None).len(),
        1,
        "opened as STALKING"
    );
    assert!(
        raised_by(Some("8L"), Category::Domestic, true, None).is_empty(),
        "harassment is not one"
    );
    assert!(
        raised_by(Some("3B"), Category::Domestic, false, None).is_empty(),
        "domestic only"
    );
    assert!(
        raised_by(Some("008/77"), Category::Domestic, true, Some("3B")).is_empty(),
        "the configured codes replace the built-in ones"
    );
}

#[test]
fn a_victim_recorded_as_the_suspect_against_the_same_partner_is_a_counter_allegation() {
    let start = local(2025, 1, 10, 20, 0);
    for (gap_days, expected) in [(364, 1), (365, 0)] {
        let mut world = World::new();
        world.clean(0, start, Some("A"), Some("B"));
        world.clean(0, start + 10 * DAY, Some("A"), Some("C"));
        let turned = start + gap_days * DAY;
        world.clean(0, turned, Some("B"), Some("A"));
        let detected = world.detect();
        let flags = raised(&detected, Rule::CounterAllegation);
        assert_eq!(flags.len(), expected, "{gap_days} days");
        if expected == 1 {
            assert_eq!(flags[0].subject.id, "A", "filed under whoever was the victim first");
            assert_eq!(
                times(flags[0]),
                (turned, turned),
                "dated by the incident that turned the roles"
            );
            assert_eq!(
                evidence(&detected, flags[0]),
                ["R0000", "R0002"],
                "not the incident about C"
            );
            assert!(
                flags[0].sentence.contains("then as the suspect against them"),
                "{}",
                flags[0].sentence
            );
        }
    }
    let mut another_partner = World::new();
    another_partner.clean(0, start, Some("A"), Some("B"));
    another_partner.clean(0, start + DAY, Some("C"), Some("A"));
    assert_eq!(count(&another_partner.detect(), Rule::CounterAllegation), 0);
}

#[test]
fn a_victim_named_with_two_perpetrators_within_a_year_has_several_perpetrators() {
    let start = local(2025, 1, 10, 20, 0);
    for (gap_days, expected) in [(364, 1), (365, 0)] {
        let mut world = World::new();
        world.clean(0, start, Some("V"), Some("S1"));
        world.clean(0, start + gap_days * DAY, Some("V"), Some("S2"));
        let detected = world.detect();
        assert_eq!(count(&detected, Rule::SeveralPerpetrators), expected, "{gap_days} days");
        if expected == 1 {
            let second = start + gap_days * DAY;
            assert_eq!(only_times(&detected, Rule::SeveralPerpetrators), (second, second));
        }
    }
    let mut one_perpetrator = World::new();
    for day in [0, 10, 20] {
        one_perpetrator.clean(0, start + day * DAY, Some("V"), Some("S1"));
    }
    assert_eq!(count(&one_perpetrator.detect(), Rule::SeveralPerpetrators), 0);

    let three_needed = |perpetrators: &[&str]| {
        let mut world = World::new();
        world.settings.several_perpetrators = 3;
        for (day, perpetrator) in perpetrators.iter().enumerate() {
            world.clean(0, start + day as i64 * DAY, Some("V"), Some(perpetrator));
        }
        count(&world.detect(), Rule::SeveralPerpetrators)
    };
    assert_eq!(three_needed(&["S1", "S2"]), 0);
    assert_eq!(three_needed(&["S1", "S2", "S3"]), 1);

    // One perpetrator the linker left in two pieces is one perpetrator.
    let split = |second: Identity| {
        let mut world = World::new();
        world.identities = vec![
            ("S1".into(), Identity::new("George", "Simpson", "")),
            ("S2".into(), second),
        ];
        world.clean(0, start, Some("V"), Some("S1"));
        world.clean(0, start + DAY, Some("V"), Some("S2"));
        let detected = world.detect();
        raised(&detected, Rule::SeveralPerpetrators)
            .iter()
            .map(|f| f.sentence.clone())
            .collect::<Vec<_>>()
    };
    assert!(
        split(Identity::new("Simpson", "GEORGE", "1996-08-07")).is_empty(),
        "names swapped"
    );
    assert!(
        split(Identity::new("", "ex-partner", "")).is_empty(),
        "too little to tell"
    );
    assert!(
        split(Identity::new("Geo", "Simpson", "")).is_empty(),
        "a shared surname"
    );
    let two = split(Identity::new("Connor", "Hodgson", ""));
    assert_eq!(two.len(), 1);
    assert!(two[0].contains("(S1, S2; different names)"), "{}", two[0]);
}

#[test]
fn two_incidents_about_a_victim_reported_by_others_are_third_party_reports() {
    let start = local(2025, 3, 3, 23, 0);
    for (gap_days, expected) in [(364, 1), (365, 0)] {
        let mut world = World::new();
        let first = world.clean(0, start, Some("V"), Some("S"));
        world.name(first, "CALLER", "NEIGHBOUR");
        let second = world.clean(0, start + gap_days * DAY, Some("V"), Some("S"));
        world.name(second, "CALLER", "SISTER");
        let detected = world.detect();
        let flags = raised(&detected, Rule::ThirdPartyReports);
        assert_eq!(flags.len(), expected, "{gap_days} days");
        if expected == 1 {
            assert_eq!(flags[0].subject.id, "V");
            let second_at = start + gap_days * DAY;
            assert_eq!(times(flags[0]), (second_at, second_at));
            assert!(
                flags[0].sentence.contains("2 callers: NEIGHBOUR, SISTER"),
                "{}",
                flags[0].sentence
            );
        }
    }
    let mut herself = World::new();
    for (day, caller) in [(0, "V"), (5, "S"), (9, "NEIGHBOUR")] {
        let n = herself.clean(0, start + day * DAY, Some("V"), Some("S"));
        herself.name(n, "CALLER", caller);
    }
    assert_eq!(
        count(&herself.detect(), Rule::ThirdPartyReports),
        0,
        "the victim or the suspect calling is no third party"
    );
}

/// A dyad's incident at `at` assessed at `level`, with `outcome`.
fn assessed(world: &mut World, at: i64, suspect: &str, level: RiskLevel, outcome: &str) {
    let n = world.clean(0, at, Some("V"), Some(suspect));
    let incident = &mut world.incidents[n];
    incident.risk_level = Some(level);
    incident.risk_score = None;
    incident.outcome = Some(outcome.into());
}

#[test]
fn a_risk_level_lower_than_the_last_for_the_same_pair_is_risk_downgraded() {
    let start = local(2025, 2, 1, 19, 0);
    let assessment = |days: i64| start + days * DAY + 70 * MINUTE;
    let downgraded = |steps: &[(i64, &str, RiskLevel, &str)]| {
        let mut world = World::new();
        for &(day, suspect, level, outcome) in steps {
            assessed(&mut world, start + day * DAY, suspect, level, outcome);
        }
        let detected = world.detect();
        raised(&detected, Rule::RiskDowngraded)
            .iter()
            .map(|f| (f.severity, times(f), f.subject.id.clone()))
            .collect::<Vec<_>>()
    };
    use RiskLevel::{High, Medium, Standard};
    let flags = downgraded(&[(0, "S", High, "ARREST"), (365, "S", Medium, "ADVICE_GIVEN")]);
    assert_eq!(
        flags,
        [(Severity::High, (assessment(365), assessment(365)), "V+S".to_string())],
        "a fall from HIGH, dated by the lower assessment, on the pair"
    );
    assert!(downgraded(&[(0, "S", High, "ARREST"), (366, "S", Medium, "ADVICE_GIVEN")]).is_empty());
    let medium = downgraded(&[(0, "S", Medium, "ARREST"), (30, "S", Standard, "ADVICE_GIVEN")]);
    assert_eq!(medium.len(), 1);
    assert_eq!(medium[0].0, Severity::Medium);
    assert!(downgraded(&[(0, "S", Medium, "ARREST"), (30, "S", Medium, "ADVICE_GIVEN")]).is_empty());
    assert!(
        downgraded(&[(0, "S", High, "CHARGE"), (30, "S", Standard, "ADVICE_GIVEN")]).is_empty(),
        "a charge is a change of circumstances"
    );
    assert!(
        downgraded(&[(0, "S1", High, "ARREST"), (30, "S2", Standard, "ADVICE_GIVEN")]).is_empty(),
        "another perpetrator is another pair"
    );
}

#[test]
fn words_in_the_narrative_are_context_named_in_the_sentence_and_never_a_missed_opportunity() {
    let at = local(2025, 5, 5, 21, 0);
    let mut world = World::new();
    let lexicon = Lexicon::new(&world.settings.narrative_words);
    let n = never_attended(&mut world, 0, at);
    world.incidents[n].narrative_words =
        lexicon.matches("Caller says he CHOKED her and she is pregnant; he is on bail. Bailiff present.");
    let plain = world.clean(0, at + DAY, Some("W"), None);
    world.incidents[plain].narrative_words = lexicon.matches("Verbal argument, no injuries");
    world.until(at + 3 * DAY);
    let detected = world.detect();
    let flags = raised(&detected, Rule::NarrativeWords);
    assert_eq!(flags.len(), 1, "the plain narrative raises nothing");
    assert_eq!(flags[0].rule.family(), Family::Context);
    assert!(
        flags[0].sentence.ends_with("mentions: chok*, pregnan*, bail"),
        "{}",
        flags[0].sentence
    );
    assert_eq!(count(&detected, Rule::NotAttended), 1);
    assert_eq!(
        count(&detected, Rule::MissedOpportunity),
        0,
        "context and a gap make no missed opportunity"
    );
}
