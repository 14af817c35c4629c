//! `vigil run` on the bundled sample data: mentions become persons, victims,
//! perpetrators and dyads, scored against the simulator's truth; a second
//! run given the first keeps every person's id.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::support::{csv_file, stderr, stdout, vigil};

fn sample_config() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/vigil.toml")
}

fn run(out: &Path, previous: Option<&Path>) -> String {
    let mut command = vigil();
    command
        .arg("run")
        .arg("--config")
        .arg(sample_config())
        .arg("--out")
        .arg(out)
        .arg("--truth")
        .arg(sample_config().with_file_name("truth"));
    if let Some(previous) = previous {
        command.arg("--previous").arg(previous);
    }
    let output = command.output().expect("vigil runs");
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn the_sample_mentions_link_into_persons_that_match_the_truth() {
    let dir = crate::scratch::ScratchDir::new();
    let text = run(dir.path(), None);
    let last = text.lines().find(|l| l.starts_with("precision=")).expect(&text);
    let f1: f64 = last.rsplit("f1=").next().unwrap().parse().unwrap();
    assert!(last.starts_with("precision="), "{text}");
    assert!(f1 >= 0.98, "linkage F1 against the simulator's truth {f1}:\n{text}");

    let dyad_line = text
        .lines()
        .find(|l| l.starts_with("dyads against the simulator's truth"))
        .expect(&text);
    let numbers: Vec<usize> = dyad_line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .map(|w| w.parse().unwrap())
        .collect();
    let (found, recoverable, correct, listed) = (numbers[0], numbers[1], numbers[3], numbers[4]);
    assert_eq!(
        found, recoverable,
        "every true dyad named together in an incident is found: {dyad_line}"
    );
    assert_eq!(correct, listed, "every found dyad is a true one: {dyad_line}");

    let linked = dir.path().join("linked");
    let mentions = csv_file(&linked.join("person_mentions.csv"));
    let truth = csv_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/truth/mentions.csv"));
    let planted = truth.iter().filter(|t| t["planted_fault"] == "true").count();
    assert_eq!(
        mentions.len(),
        truth.len() - planted,
        "every ingested mention has a person"
    );

    let persons: BTreeSet<String> = csv_file(&linked.join("persons.csv"))
        .into_iter()
        .map(|p| p["person_id"].clone())
        .collect();
    let organisations: BTreeSet<String> = csv_file(&linked.join("organisations.csv"))
        .into_iter()
        .map(|o| o["organisation_id"].clone())
        .collect();
    for m in &mentions {
        let (person, organisation) = (&m["person_id"], &m["organisation_id"]);
        assert!(
            persons.contains(person) != organisations.contains(organisation),
            "a mention is of one person or one organisation: {m:?}"
        );
    }
    let victims: BTreeSet<String> = csv_file(&linked.join("victims.csv"))
        .into_iter()
        .map(|p| p["person_id"].clone())
        .collect();
    let perpetrators: BTreeSet<String> = csv_file(&linked.join("perpetrators.csv"))
        .into_iter()
        .map(|p| p["person_id"].clone())
        .collect();
    let dyads = csv_file(&linked.join("dyads.csv"));
    assert!(!dyads.is_empty());
    for dyad in &dyads {
        assert!(victims.contains(&dyad["victim_person_id"]), "{dyad:?}");
        assert!(perpetrators.contains(&dyad["perpetrator_person_id"]), "{dyad:?}");
        assert!(dyad["first_contact"] <= dyad["last_contact"]);
    }
    // People named in one incident stay apart: one person holds two mentions
    // of an incident only when the truth says they are one (a duplicate
    // nominal), and never a victim's and a suspect's.
    let true_person: BTreeMap<&str, &str> = truth
        .iter()
        .map(|t| (t["mention_id"].as_str(), t["true_person_id"].as_str()))
        .collect();
    // (force, incident, person) -> the (role, true person) of each of its mentions.
    type Held<'a> = Vec<(&'a str, &'a str)>;
    let mut roles_in_incident: BTreeMap<(&str, &str, &str), Held> = BTreeMap::new();
    for m in &mentions {
        roles_in_incident
            .entry((m["force"].as_str(), m["incident_ref"].as_str(), m["person_id"].as_str()))
            .or_default()
            .push((m["role"].as_str(), true_person[m["mention_id"].as_str()]));
    }
    let shared: Vec<_> = roles_in_incident.iter().filter(|(_, held)| held.len() > 1).collect();
    for (key, held) in &shared {
        assert!(held.iter().all(|(_, t)| *t == held[0].1), "{key:?} merges {held:?}");
        let roles: BTreeSet<&str> = held.iter().map(|(r, _)| *r).collect();
        assert!(
            !(roles.contains("VICTIM") && roles.contains("SUSPECT")),
            "{key:?} holds {held:?}"
        );
    }

    // A victim's relatives (adult children, a son named after his father,
    // sisters, brothers, twins) share her surname and home: none is merged
    // with anyone else.
    let mut true_people_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for m in &mentions {
        true_people_of
            .entry(m["person_id"].as_str())
            .or_default()
            .insert(true_person[m["mention_id"].as_str()]);
    }
    let is_relative = |t: &str| t.as_bytes().get(3) == Some(&b'R');
    let relatives = true_person.values().filter(|t| is_relative(t)).count();
    assert!(relatives > 100, "the sample names {relatives} relatives");
    for (person, held) in &true_people_of {
        assert!(
            held.len() == 1 || !held.iter().any(|t| is_relative(t)),
            "{person} merges a relative: {held:?}"
        );
    }

    // Organisations that called (a shop, a school, the council) are kept as
    // organisations, never linked into a person, each holding one true one.
    let is_organisation = |t: &str| t.as_bytes().get(3) == Some(&b'O');
    let mut true_organisations_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for m in &mentions {
        let truly = true_person[m["mention_id"].as_str()];
        assert_eq!(is_organisation(truly), m["person_id"].is_empty(), "{m:?} is {truly}");
        if is_organisation(truly) {
            true_organisations_of
                .entry(&m["organisation_id"])
                .or_default()
                .insert(truly);
        }
    }
    let called = true_person.values().filter(|t| is_organisation(t)).count();
    assert!(called > 50, "the sample names {called} organisations");
    assert_eq!(true_organisations_of.len(), organisations.len());
    for (organisation, held) in &true_organisations_of {
        assert_eq!(held.len(), 1, "{organisation} holds {held:?}");
    }

    // The Raneem-shaped victim's many contacts, in whatever spelling, are one person.
    let scenarios = csv_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/truth/scenarios.csv"));
    let raneem = scenarios
        .iter()
        .find(|s| s["kind"] == "raneem_shaped")
        .expect("the sample has its Raneem-shaped case");
    let victim = raneem["true_person_ids"].split('|').next().unwrap();
    let person_of: BTreeMap<&str, &str> = mentions
        .iter()
        .map(|m| (m["mention_id"].as_str(), m["person_id"].as_str()))
        .collect();
    let her: BTreeSet<&str> = truth
        .iter()
        .filter(|t| t["true_person_id"] == victim && t["planted_fault"] == "false")
        .map(|t| person_of[t["mention_id"].as_str()])
        .collect();
    let mentioned = truth.iter().filter(|t| t["true_person_id"] == victim).count();
    assert!(mentioned >= 10, "{mentioned} mentions");
    assert_eq!(her.len(), 1, "her {mentioned} mentions were split into {her:?}");
}

#[test]
fn a_second_run_given_the_first_keeps_every_person_id_and_every_byte() {
    let first = crate::scratch::ScratchDir::new();
    let second = crate::scratch::ScratchDir::new();
    run(first.path(), None);
    run(second.path(), Some(first.path()));
    for name in [
        "person_mentions.csv",
        "persons.csv",
        "victims.csv",
        "perpetrators.csv",
        "dyads.csv",
        "model.json",
    ] {
        let read = |dir: &Path| fs::read(dir.join("linked").join(name)).unwrap();
        assert!(read(first.path()) == read(second.path()), "{name} differs between runs");
    }
}

#[test]
fn ids_carried_from_an_earlier_run_survive_a_change_in_the_data() {
    let first = crate::scratch::ScratchDir::new();
    run(first.path(), None);
    // Pretend the earlier run had named two persons differently: the next run must keep those names.
    let path = first.path().join("linked/person_mentions.csv");
    let mut rows = csv_file(&path);
    let renamed: BTreeSet<String> = rows.iter().take(2).map(|r| r["person_id"].clone()).collect();
    for row in rows.iter_mut().filter(|r| renamed.contains(&r["person_id"])) {
        let id = format!("PEARLIER-{}", row["person_id"]);
        row.insert("person_id".into(), id);
    }
    let mut writer = csv::Writer::from_path(&path).unwrap();
    writer.write_record(["mention_id", "person_id"]).unwrap();
    for row in &rows {
        writer.write_record([&row["mention_id"], &row["person_id"]]).unwrap();
    }
    writer.flush().unwrap();
    let second = crate::scratch::ScratchDir::new();
    run(second.path(), Some(first.path()));
    let carried = csv_file(&second.path().join("linked/person_mentions.csv"));
    let earlier: BTreeMap<&str, &str> = rows
        .iter()
        .map(|r| (r["mention_id"].as_str(), r["person_id"].as_str()))
        .collect();
    for row in &carried {
        assert_eq!(row["person_id"], earlier[row["mention_id"].as_str()], "{row:?}");
    }
}

#[test]
fn a_previous_folder_without_an_earlier_run_is_refused_before_anything_is_written() {
    let dir = crate::scratch::ScratchDir::new();
    let out = dir.path().join("out");
    let output = vigil()
        .arg("run")
        .arg("--config")
        .arg(sample_config())
        .arg("--out")
        .arg(&out)
        .arg("--previous")
        .arg(dir.path().join("nothing-here"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("give the output folder of an earlier run"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn the_organisation_words_are_the_configurations_to_set() {
    let scratch = crate::scratch::ScratchDir::new();
    let data = scratch.path().join("data");
    crate::support::copy_dir(&sample_config().with_file_name(""), &data);
    let config = data.join("vigil.toml");
    let organisations = |out: &Path| csv_file(&out.join("linked/organisations.csv")).len();
    let organisation_mentions = |out: &Path| {
        csv_file(&out.join("linked/person_mentions.csv"))
            .iter()
            .filter(|m| !m["organisation_id"].is_empty())
            .count()
    };
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("[link]\norganisation_words = [\"ltd\"]\n{text}")).unwrap();
    let own = scratch.path().join("own");
    link_stage(&config, &own);
    // Only the names ending in "Ltd" are organisations now.
    let by_default = csv_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/truth/mentions.csv"))
        .iter()
        .filter(|t| t["true_person_id"].as_bytes().get(3) == Some(&b'O'))
        .count();
    assert!(organisations(&own) > 0 && organisation_mentions(&own) < by_default);
    for o in csv_file(&own.join("linked/organisations.csv")) {
        assert!(o["name"].ends_with(" LTD"), "{o:?}");
    }

    fs::write(&config, format!("[link]\norganisation_words = []\n{text}")).unwrap();
    let none = scratch.path().join("none");
    link_stage(&config, &none);
    assert_eq!((organisations(&none), organisation_mentions(&none)), (0, 0));
}

fn link_stage(config: &Path, out: &Path) {
    let output = crate::support::stage_command("link", config, out)
        .output()
        .expect("vigil runs");
    assert!(output.status.success(), "{}", stderr(&output));
}
