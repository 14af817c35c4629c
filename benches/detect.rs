//! Detection, and the whole `vigil run`, at national scale (run: `cargo
//! bench --bench detect`).
//!
//! Simulates all 43 forces (`vigil simulate --forces national --people
//! 550000 --weeks 52`: about a million incidents, calls and persons), runs
//! `vigil run` once to ingest and link them, then runs the release
//! `vigil detect` on that output once to warm up and times it three more
//! times, end to end (read the canonical and linked tables, build every
//! timeline, run every rule, join missed opportunities, rank, write every
//! table, score the planted scenarios), with CPU time, page faults and
//! peak memory from `/usr/bin/time` when present, and the median and
//! slowest of the three. The warm-up is printed but not counted: on this
//! machine the first run after a build or a pause pays for the memory the
//! virtual machine handed back to its host, page by page, whatever the
//! code (see `RESULTS.md`); then
//! times the whole `vigil run` (ingest, link, detect, 43 weekly packs and
//! the evaluation pack, with a bench-only pseudonymisation key) twice.
//! The simulation and the linked tables are kept in Cargo's scratch folder
//! and reused when present. Figures go in `benches/RESULTS.md`.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn main() {
    let binary = env!("CARGO_BIN_EXE_vigil");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("detect-bench");
    let (data, out) = (dir.join("data"), dir.join("out"));
    let config = data.join("vigil.toml").display().to_string();
    let out_text = out.display().to_string();
    // A folder from before generations were recorded is made again.
    if !out.join("linked/generation").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let data_text = data.display().to_string();
        let simulate = [
            "simulate", "--forces", "national", "--people", "550000", "--weeks", "52", "--out", &data_text,
        ];
        step("simulate", binary, &simulate);
        step(
            "ingest and link",
            binary,
            &["run", "--config", &config, "--out", &out_text],
        );
    }
    let truth = data.join("truth").display().to_string();
    let detect = ["detect", "--config", &config, "--out", &out_text, "--truth", &truth];
    let shown = ["detect:", "flags on the"];
    run("detect warm-up (not counted)", binary, &detect, &shown);
    let mut seconds: Vec<f64> = (1..=3)
        .map(|attempt| run(&format!("detect run {attempt}"), binary, &detect, &shown))
        .collect();
    seconds.sort_by(f64::total_cmp);
    println!(
        "detect: median {:.1} s, slowest {:.1} s of {} timed runs",
        seconds[seconds.len() / 2],
        seconds[seconds.len() - 1],
        seconds.len()
    );
    let whole = dir.join("out-run").display().to_string();
    for attempt in 1..=2 {
        let args = ["run", "--config", &config, "--out", &whole];
        run(&format!("vigil run {attempt}"), binary, &args, &["report:", "run:"]);
    }
}

fn step(what: &str, binary: &str, args: &[&str]) {
    let started = Instant::now();
    let output = Command::new(binary)
        .args(args)
        .env("VIGIL_PSEUDONYM_KEY", BENCH_KEY)
        .output()
        .expect("vigil runs");
    assert!(
        output.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    println!("{what}: {:.1} s", started.elapsed().as_secs_f64());
}

/// A key for the bench's evaluation pack (synthetic data only).
const BENCH_KEY: &str = "62656e6368206b6579206f6e6c793b2073796e7468657469632064617461206f6e6c79";

/// Times one command, printing wall time, CPU time, page faults, peak
/// memory and its lines starting with `shown`; returns the wall time in seconds.
fn run(label: &str, binary: &str, args: &[&str], shown: &[&str]) -> f64 {
    let timed = Path::new("/usr/bin/time").exists();
    let mut command = if timed {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f")
            .arg("cpu=%U s user, %S s system, %R page faults\npeak_kb=%M")
            .arg(binary);
        c
    } else {
        Command::new(binary)
    };
    let started = Instant::now();
    let output = command
        .args(args)
        .env("VIGIL_PSEUDONYM_KEY", BENCH_KEY)
        .output()
        .expect("vigil runs");
    let seconds = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{label} failed: {stderr}");
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak_kb="))
        .and_then(|kb| kb.trim().parse::<f64>().ok())
        .map_or("peak memory not measured".to_string(), |kb| {
            format!("{:.2} GB peak", kb / 1e6)
        });
    let cpu = stderr
        .lines()
        .find_map(|l| l.strip_prefix("cpu="))
        .unwrap_or("CPU not measured");
    println!("{label}: {seconds:.1} s wall, {peak}, {cpu}");
    for line in stdout.lines().filter(|l| shown.iter().any(|s| l.starts_with(s))) {
        println!("  {line}");
    }
    seconds
}
