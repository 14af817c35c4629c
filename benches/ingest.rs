//! Ingest throughput on a large generated export (run: `cargo bench --bench ingest`).
//!
//! Writes one million call rows and one million incident rows in the West
//! Midlands dialect (day-first local timestamps, so every instant goes
//! through the clock-change rule), then times reading and mapping them, and
//! writing the canonical tables. Not a test: it prints figures to record in
//! `benches/RESULTS.md`.
//!
//! `VIGIL_BENCH_ROWS` (rows per file) and `VIGIL_BENCH_RUNS` override the
//! defaults, and `VIGIL_BENCH_READ_ONLY=1` leaves out the writing, so that a
//! small run can be counted in instructions under `valgrind --tool=callgrind`,
//! which, unlike time on this shared machine, gives the same figure every time.

#[path = "../src/scratch.rs"]
mod scratch;

use std::fmt::Write as _;
use std::fs;
use std::time::Instant;

use vigil::config::Config;
use vigil::ingest::{read_all, write, WriteOptions};

/// Rows per file, and timed runs, unless the environment says otherwise.
const ROWS: usize = 1_000_000;
const RUNS: usize = 3;

/// The allocator of the `vigil` binary, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let rows = setting("VIGIL_BENCH_ROWS", ROWS);
    let read_only = setting("VIGIL_BENCH_READ_ONLY", 0) == 1;
    let dir = scratch::ScratchDir::new();
    let started = Instant::now();
    fs::write(dir.path().join("calls.csv"), calls(rows)).expect("written");
    fs::write(dir.path().join("incidents.csv"), incidents(rows)).expect("written");
    fs::write(dir.path().join("vigil.toml"), CONFIG).expect("written");
    let bytes: u64 = ["calls.csv", "incidents.csv"]
        .iter()
        .map(|f| fs::metadata(dir.path().join(f)).expect("a file").len())
        .sum();
    println!(
        "generated {} rows ({:.0} MB) in {:.1} s",
        2 * rows,
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );

    let config = Config::load(&dir.path().join("vigil.toml")).expect("a valid configuration");
    for run in 1..=setting("VIGIL_BENCH_RUNS", RUNS) {
        let started = Instant::now();
        let before = process_counters();
        let ingested = read_all(&config).expect("ingest succeeds");
        let read = started.elapsed().as_secs_f64();
        let spent = process_counters()
            .zip(before)
            .map(|(after, before)| after.since(&before));
        let rows: u64 = ingested.files.iter().map(|f| f.rows_read).sum();
        assert!(ingested.files.iter().all(|f| f.reconciles()));
        print!(
            "run {run}: read+map {:.2} s = {:.2} M rows/s ({:.0} MB/s, {})",
            read,
            rows as f64 / read / 1e6,
            bytes as f64 / read / 1e6,
            spent.map_or("CPU s ?".to_string(), |s| s.to_string()),
        );
        if read_only {
            println!();
            continue;
        }
        write(&ingested, &config, &dir.path().join("out"), &WriteOptions::default()).expect("written");
        let total = started.elapsed().as_secs_f64();
        println!(
            "; with Parquet writing {:.2} s = {:.2} M rows/s",
            total,
            rows as f64 / total / 1e6
        );
    }
}

/// A whole number from the environment variable `name`, else `default`.
fn setting(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {text:?}")),
        Err(_) => default,
    }
}

/// What this process has spent so far, from `/proc/self/stat` (Linux; `None` elsewhere).
///
/// Printed beside wall time because this machine's speed varies by a third
/// from hour to hour: CPU seconds say whether the work itself changed, and
/// page faults (each a fresh page of memory touched) what the kernel was
/// asked to do for it.
#[derive(Debug, Clone, Copy)]
struct Counters {
    user_seconds: f64,
    system_seconds: f64,
    page_faults: u64,
}

impl Counters {
    fn since(&self, before: &Counters) -> Counters {
        Counters {
            user_seconds: self.user_seconds - before.user_seconds,
            system_seconds: self.system_seconds - before.system_seconds,
            page_faults: self.page_faults - before.page_faults,
        }
    }
}

impl std::fmt::Display for Counters {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "{:.2} CPU s = {:.2} user + {:.2} system, {}k page faults",
            self.user_seconds + self.system_seconds,
            self.user_seconds,
            self.system_seconds,
            self.page_faults / 1000
        )
    }
}

fn process_counters() -> Option<Counters> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 10 (minor faults), 14 and 15 (user and system time in ticks of 1/100 s) of the line.
    let number = |k: usize| fields.get(k)?.parse::<f64>().ok();
    Some(Counters {
        user_seconds: number(11)? / 100.0,
        system_seconds: number(12)? / 100.0,
        page_faults: number(7)? as u64,
    })
}

fn calls(n: usize) -> String {
    let mut out = String::from("CallRef,IncidentNo,Source,TimeReceived,TimeAnswered,TimeEnded,CLI,Abandoned,Silent\n");
    for i in 0..n {
        let (day, month, hour, minute) = (1 + i % 28, 1 + (i / 28) % 12, i % 24, i % 60);
        let _ = writeln!(
            out,
            "WM-C-{i:07},2025{month:02}{day:02}-{:04},{},{day:02}/{month:02}/2025 {hour:02}:{minute:02},{day:02}/{month:02}/2025 {hour:02}:{minute:02},{day:02}/{month:02}/2025 {hour:02}:{:02},07700 9{:05},N,N",
            i % 10_000,
            if i % 3 == 0 { "101" } else { "999" },
            // Ended seven minutes on, within the hour, so a call's times run in order.
            (minute + 7).min(59),
            i % 100_000,
        );
    }
    out
}

fn incidents(n: usize) -> String {
    let mut out = String::from("IncidentNo,Created,OpenCode,CloseCode,DAFlag,GradeInitial,GradeFinal,Dispatched,OnScene,Closed,Postcode,Area\n");
    for i in 0..n {
        let (day, month, hour, minute) = (1 + i % 28, 1 + (i / 28) % 12, i % 24, i % 60);
        let stamp = format!("{day:02}/{month:02}/2025 {hour:02}:{minute:02}");
        let _ = writeln!(
            out,
            "INC-{i:08},{stamp},{},DOM,Y,G{},G{},{stamp},{stamp},{stamp},B{} {}AB,U",
            if i % 2 == 0 { "DOM" } else { "CFW" },
            1 + i % 4,
            1 + (i / 7) % 4,
            1 + i % 99,
            i % 10,
        );
    }
    out
}

const CONFIG: &str = r#"
[[force]]
id = "west_midlands"
name = "West Midlands Police"
[force.codes.grade]
G1 = "EMERGENCY"
G2 = "PRIORITY"
G3 = "SCHEDULED"
G4 = "NO_DEPLOYMENT"
[force.codes.category]
DOM = "DOMESTIC"
CFW = "CONCERN_FOR_WELFARE"
[force.codes.channel]
"999" = "999"
"101" = "101"
[force.codes.area]
U = "URBAN"

[[force.export]]
kind = "calls"
path = "calls.csv"
timestamp_format = "%d/%m/%Y %H:%M"
[force.export.columns]
call_id = "CallRef"
incident_ref = "IncidentNo"
channel = "Source"
received_at = "TimeReceived"
answered_at = "TimeAnswered"
ended_at = "TimeEnded"
caller_number = "CLI"
abandoned = "Abandoned"
silent = "Silent"

[[force.export]]
kind = "incidents"
path = "incidents.csv"
timestamp_format = "%d/%m/%Y %H:%M"
[force.export.columns]
incident_ref = "IncidentNo"
created_at = "Created"
opening_code = "OpenCode"
closing_code = "CloseCode"
da_qualifier = "DAFlag"
initial_grade = "GradeInitial"
final_grade = "GradeFinal"
dispatched_at = "Dispatched"
arrived_at = "OnScene"
closed_at = "Closed"
postcode = "Postcode"
area = "Area"
"#;
