//! A run killed part way never leaves the tables of two runs to be read as
//! one: afterwards each command either reads tables of a single run or
//! refuses (exit 3) and names the stage to run again; a run to the end
//! repairs the folder.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::scratch::ScratchDir;
use crate::support::{copy_dir, read_parquet, stage_command, stderr, vigil};

/// Writes a simulated world into `dir`; its configuration.
fn world(dir: &Path, seed: &str, people: &str) -> std::path::PathBuf {
    let output = vigil()
        .args(["simulate", "--seed", seed, "--people", people, "--weeks", "26", "--out"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    dir.join("vigil.toml")
}

fn run(config: &Path, out: &Path) -> Command {
    let mut command = stage_command("run", config, out);
    command.arg("--quiet");
    command
}

fn rows(path: &Path) -> usize {
    read_parquet(path).height()
}

/// The generation each stage folder records, and the manifest's.
fn generations(out: &Path) -> Vec<(String, Option<String>)> {
    let manifest = fs::read_to_string(out.join("manifest.json")).ok();
    let manifest = manifest.and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    let mut found = vec![(
        "manifest".to_string(),
        manifest.and_then(|m| m["generation"].as_str().map(str::to_string)),
    )];
    for stage in ["linked", "detect", "facts"] {
        let marker = fs::read_to_string(out.join(stage).join("generation")).ok();
        found.push((stage.to_string(), marker.map(|m| m.trim_end().to_string())));
    }
    found
}

#[test]
fn a_run_killed_at_any_point_leaves_one_run_or_a_refusal_and_never_a_mixture() {
    let dir = ScratchDir::new();
    let first = world(&dir.path().join("a"), "5", "2500");
    let second = world(&dir.path().join("b"), "6", "3500");
    let complete = dir.path().join("complete");
    let done = run(&first, &complete).output().unwrap();
    assert!(done.status.success(), "{}", stderr(&done));
    let first_mentions = rows(&complete.join("canonical/mentions.parquet"));

    // How long the second run takes, to kill it at points through its stages.
    let timing = dir.path().join("timing");
    copy_dir(&complete, &timing);
    let started = Instant::now();
    assert!(run(&second, &timing).output().unwrap().status.success());
    let whole = started.elapsed();
    let second_mentions = rows(&timing.join("canonical/mentions.parquet"));
    assert_ne!(
        first_mentions, second_mentions,
        "the two worlds must differ to show a mixture"
    );

    let mut refusals = 0;
    for tenth in 1..=9 {
        let out = dir.path().join(format!("killed-{tenth}"));
        copy_dir(&complete, &out);
        let mut child = run(&second, &out).spawn().unwrap();
        std::thread::sleep(whole.mul_f64(f64::from(tenth) / 10.0));
        let _ = child.kill();
        child.wait().unwrap();

        let queried = query_every_stage(dir.path(), &out);
        let detected = stage_command("detect", &second, &out).output().unwrap();
        for (what, output) in [("query", &queried), ("detect", &detected)] {
            match output.status.code() {
                Some(0) => {}
                Some(3) => {
                    refusals += 1;
                    let message = stderr(output);
                    assert!(
                        message.contains("again"),
                        "{what} after a kill at {tenth}/10: {message}"
                    );
                }
                // Killed while ingest swapped its folder in: nothing to read yet.
                Some(2) => {
                    let message = stderr(output);
                    assert!(
                        message.contains("vigil run"),
                        "{what} after a kill at {tenth}/10: {message}"
                    );
                }
                other => panic!("{what} after a kill at {tenth}/10 ended {other:?}: {}", stderr(output)),
            }
        }
        if detected.status.success() {
            // What detect read was one run: every canonical mention has its person.
            let mentions = rows(&out.join("canonical/mentions.parquet"));
            assert_eq!(
                mentions,
                rows(&out.join("linked/person_mentions.parquet")),
                "kill at {tenth}/10"
            );
        }

        let repaired = run(&second, &out).output().unwrap();
        assert!(repaired.status.success(), "{}", stderr(&repaired));
        let found = generations(&out);
        assert!(
            found.iter().all(|(_, g)| g.is_some() && *g == found[0].1),
            "after the repair at {tenth}/10: {found:?}"
        );
        assert_eq!(rows(&out.join("canonical/mentions.parquet")), second_mentions);
    }
    eprintln!("kills through a {whole:?} run: {refusals} refusals");
}

/// The query that names a table of every stage.
const EVERY_STAGE: &str = "SELECT count(*) AS n FROM flags UNION ALL SELECT count(*) AS n FROM persons \
     UNION ALL SELECT count(*) AS n FROM incidents UNION ALL SELECT count(*) AS n FROM incident_facts";

fn query_every_stage(dir: &Path, out: &Path) -> std::process::Output {
    let query = dir.join("every_stage.sql");
    fs::write(&query, EVERY_STAGE).unwrap();
    vigil().arg("query").arg(&query).arg("--dir").arg(out).output().unwrap()
}

#[test]
fn the_tables_a_kill_after_ingest_leaves_are_refused_by_name() {
    let dir = ScratchDir::new();
    let first = world(&dir.path().join("a"), "5", "1500");
    let second = world(&dir.path().join("b"), "6", "1800");
    let (out, other) = (dir.path().join("out"), dir.path().join("other"));
    for (config, folder) in [(&first, &out), (&second, &other)] {
        let done = run(config, folder).output().unwrap();
        assert!(done.status.success(), "{}", stderr(&done));
    }
    assert!(query_every_stage(dir.path(), &out).status.success());
    // What a run of the second world killed after ingest committed leaves.
    fs::remove_dir_all(out.join("canonical")).unwrap();
    copy_dir(&other.join("canonical"), &out.join("canonical"));
    fs::copy(other.join("manifest.json"), out.join("manifest.json")).unwrap();

    let queried = query_every_stage(dir.path(), &out);
    assert_eq!(queried.status.code(), Some(3), "{}", stderr(&queried));
    assert!(
        stderr(&queried).contains("run `vigil link` again"),
        "{}",
        stderr(&queried)
    );
    for command in ["detect", "weekly"] {
        let output = stage_command(command, &second, &out).output().unwrap();
        assert_eq!(output.status.code(), Some(3), "{command}: {}", stderr(&output));
        let message = stderr(&output);
        assert!(
            message.contains("linked") && message.contains("run `vigil link` again"),
            "{message}"
        );
        assert!(!message.contains("panicked"), "{message}");
    }
    // Linking again makes the folder one run as far as detect reads it.
    let linked = stage_command("link", &second, &out).output().unwrap();
    assert!(linked.status.success(), "{}", stderr(&linked));
    let detected = stage_command("detect", &second, &out).output().unwrap();
    assert!(detected.status.success(), "{}", stderr(&detected));
    // The facts are still the first run's until a pack is written again.
    let queried = query_every_stage(dir.path(), &out);
    assert_eq!(queried.status.code(), Some(3), "{}", stderr(&queried));
    assert!(stderr(&queried).contains("facts"), "{}", stderr(&queried));
}
