//! Shared helpers: a private copy of the fixtures, running the binary, and
//! reading what it wrote.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use polars::prelude::*;

/// The hand-made exports of the five pilot forces.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pilot")
}

/// A temporary copy of the fixtures that a test may corrupt.
pub struct Workspace {
    pub dir: crate::scratch::ScratchDir,
}

impl Workspace {
    pub fn new() -> Workspace {
        let dir = crate::scratch::ScratchDir::new();
        copy_dir(&fixtures(), &dir.path().join("data"));
        Workspace { dir }
    }

    pub fn data(&self, relative: &str) -> PathBuf {
        self.dir.path().join("data").join(relative)
    }

    pub fn config(&self) -> PathBuf {
        self.data("vigil.toml")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// Runs `vigil ingest` on the copy with `extra` arguments.
    pub fn ingest(&self, extra: &[&str]) -> Output {
        stage_command("ingest", &self.config(), &self.out())
            .args(extra)
            .output()
            .expect("vigil runs")
    }

    pub fn edit(&self, relative: &str, change: impl FnOnce(String) -> String) {
        let path = self.data(relative);
        let text = fs::read_to_string(&path).expect("a UTF-8 fixture");
        fs::write(&path, change(text)).expect("the fixture is writable");
    }

    pub fn manifest(&self) -> serde_json::Value {
        let text = fs::read_to_string(self.out().join("manifest.json")).expect("a manifest");
        serde_json::from_str(&text).expect("valid JSON")
    }

    pub fn quarantine(&self) -> Vec<csv::StringRecord> {
        let mut reader = csv::Reader::from_path(self.out().join("quarantine.csv")).expect("quarantine.csv");
        reader.records().map(|r| r.expect("a record")).collect()
    }

    pub fn table(&self, name: &str) -> DataFrame {
        read_parquet(&self.out().join(format!("canonical/{name}.parquet")))
    }

    /// The manifest entry of the input file at `path` (as written in the configuration).
    pub fn input(&self, path: &str) -> serde_json::Value {
        self.manifest()["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .find(|i| i["path"] == path)
            .cloned()
            .unwrap_or_else(|| panic!("no manifest entry for {path}"))
    }
}

/// The pseudonymisation key the tests run with (never a real one).
pub const TEST_KEY: &str = "74657374206b6579206f6e6c793a206e6f7420666f7220616e79207265616c2064617461";

/// The binary, with the test key and no user key file (the evaluation pack needs a key).
pub fn vigil() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vigil"));
    command
        .env("VIGIL_PSEUDONYM_KEY", TEST_KEY)
        .env("XDG_CONFIG_HOME", std::env::temp_dir().join("vigil-tests-no-config"));
    command
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every input file in the manifest reconciles: read = accepted + quarantined + duplicates + filtered.
pub fn assert_reconciles(manifest: &serde_json::Value) {
    for input in manifest["inputs"].as_array().expect("inputs") {
        let n = |key: &str| input[key].as_u64().expect("a count");
        assert_eq!(
            n("rows_read"),
            n("rows_accepted") + n("rows_quarantined") + n("duplicate_rows") + n("rows_filtered"),
            "{input}"
        );
    }
    assert_eq!(manifest["reconciled"], true);
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("a folder");
    for entry in fs::read_dir(from).expect("a readable folder") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("a copy");
        }
    }
}

/// Column `name` of `frame` as optional strings.
pub fn strings(frame: &DataFrame, name: &str) -> Vec<Option<String>> {
    let column = frame
        .column(name)
        .expect("the column")
        .cast(&DataType::String)
        .expect("castable");
    column
        .str()
        .expect("strings")
        .iter()
        .map(|v| v.map(str::to_string))
        .collect()
}

/// A Parquet table written by vigil.
pub fn read_parquet(path: &Path) -> DataFrame {
    let file = fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ParquetReader::new(file).finish().expect("readable Parquet")
}

/// Column `name` of `frame` (a UTC timestamp) as optional milliseconds since the epoch.
pub fn millis(frame: &DataFrame, name: &str) -> Vec<Option<i64>> {
    let column = frame
        .column(name)
        .expect("the column")
        .cast(&DataType::Int64)
        .expect("castable");
    column.i64().expect("integers").iter().collect()
}

/// A CSV row: column name to value.
pub type Row = BTreeMap<String, String>;

/// The rows of a CSV file.
pub fn csv_file(path: &Path) -> Vec<Row> {
    let reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    csv_rows(reader)
}

/// The rows of CSV text.
pub fn csv_text(text: &str) -> Vec<Row> {
    csv_rows(csv::Reader::from_reader(text.as_bytes()))
}

fn csv_rows<R: std::io::Read>(mut reader: csv::Reader<R>) -> Vec<Row> {
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .zip(r.unwrap().iter())
                .map(|(h, v)| (h.into(), v.into()))
                .collect()
        })
        .collect()
}

/// `vigil run --config CONFIG --out OUT`, which must succeed; what it printed.
pub fn run_pipeline(config: &Path, out: &Path) -> String {
    run_scored(config, out, &[])
}

/// `vigil run --config CONFIG --out OUT --truth TRUTH` (the `truth/` folder
/// beside the configuration), which must succeed; what it printed.
pub fn run_pipeline_scored(config: &Path, out: &Path) -> String {
    let truth = config.with_file_name("truth");
    run_scored(config, out, &["--truth".as_ref(), truth.as_os_str()])
}

fn run_scored(config: &Path, out: &Path, extra: &[&std::ffi::OsStr]) -> String {
    let output = stage_command("run", config, out)
        .args(extra)
        .output()
        .expect("vigil runs");
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

/// Rewrites every export of the configuration at `config` with `csv` (its
/// path and delimiter) or `parquet` (its path); the sum of what they return.
pub fn rewrite_exports(config: &Path, csv: impl Fn(&Path, u8) -> usize, parquet: impl Fn(&Path) -> usize) -> usize {
    let config = vigil::config::Config::load(config).expect("the configuration loads");
    config
        .forces
        .iter()
        .flat_map(|f| &f.exports)
        .map(|export| match export.format {
            vigil::config::FileFormat::Csv => csv(&export.resolved_path, export.delimiter),
            vigil::config::FileFormat::Parquet => parquet(&export.resolved_path),
        })
        .sum()
}

/// `vigil COMMAND --config CONFIG --out OUT`, not yet run.
pub fn stage_command(command: &str, config: &Path, out: &Path) -> Command {
    let mut vigil = vigil();
    vigil.arg(command).arg("--config").arg(config).arg("--out").arg(out);
    vigil
}

/// Every record of a CSV file (the header first), as raw fields.
pub fn csv_records(path: &Path, delimiter: u8) -> Vec<Vec<Vec<u8>>> {
    let bytes = fs::read(path).unwrap();
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes.as_slice())
        .byte_records()
        .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect())
        .collect()
}
