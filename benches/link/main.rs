//! Linkage at scale (run: `cargo bench --bench link`).
//!
//! Generates one million person records, 30 % of them noisy duplicates of
//! the others (typos, nicknames, missing values, day and month swapped, a
//! digit off, a move), with the true person in `cluster`; then runs the
//! release `vigil link` binary on them end to end (read, block, compare,
//! train, score, cluster, write) and reports wall time, peak memory (via
//! `/usr/bin/time` when present) and the scores on its last lines. With
//! `../shared/data/linkage/historical_50k.csv` present it runs that too.
//! A second million, from another generator (`register.rs`), is linked too.
//! `VIGIL_LINK_BENCH=households|people|register|historical` runs one of them.
//! Figures go in `benches/RESULTS.md`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

mod register;

use vigil::random::Random;
use vigil::simulate::household_file::household_file;
use vigil::simulate::names;

const RECORDS: usize = 1_000_000;
const DUPLICATE_SHARE: f64 = 0.3;

struct Person {
    forename: String,
    surname: String,
    dob: (i64, i64, i64),
    postcode: String,
    city: &'static str,
    email: String,
    phone: String,
}

const AREAS: &[(&str, &str)] = &[
    ("B", "Birmingham"),
    ("CV", "Coventry"),
    ("WS", "Walsall"),
    ("WV", "Wolverhampton"),
    ("DY", "Dudley"),
    ("NE", "Newcastle"),
    ("SR", "Sunderland"),
    ("NN", "Northampton"),
    ("LU", "Luton"),
    ("MK", "Milton Keynes"),
    ("HU", "Hull"),
    ("DN", "Doncaster"),
    ("M", "Manchester"),
    ("L", "Liverpool"),
    ("LS", "Leeds"),
    ("S", "Sheffield"),
    ("BS", "Bristol"),
    ("NG", "Nottingham"),
    ("LE", "Leicester"),
    ("E", "London"),
    ("N", "London"),
    ("SE", "London"),
    ("SW", "London"),
    ("CF", "Cardiff"),
    ("G", "Glasgow"),
    ("EH", "Edinburgh"),
];
const INWARD: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
const DOMAINS: &[&str] = &[
    "gmail.com",
    "hotmail.co.uk",
    "yahoo.co.uk",
    "outlook.com",
    "btinternet.com",
];

fn person(random: &mut Random) -> Person {
    let female = random.chance(0.5);
    let forename = names::forename(random, female);
    let surname = names::surname(random);
    let (area, city) = *random.pick(AREAS);
    let postcode = postcode(random, area);
    // An address belongs to one person; the number keeps common names' addresses apart.
    let number = random.below(1_000_000);
    let user = match random.below(3) {
        0 => format!("{forename}.{surname}{number}"),
        1 => format!("{}{surname}{number}", &forename[..1]),
        _ => format!("{forename}{number}"),
    };
    let email = format!("{}@{}", user.to_lowercase(), random.pick(DOMAINS));
    Person {
        forename,
        surname,
        dob: (random.between(1930, 2008), random.between(1, 12), random.between(1, 28)),
        postcode,
        city,
        email,
        phone: format!("07{:03} {:06}", random.between(400, 999), random.below(1_000_000)),
    }
}

fn postcode(random: &mut Random, area: &str) -> String {
    let letter = |r: &mut Random| INWARD[r.below(INWARD.len() as u64) as usize] as char;
    format!(
        "{area}{} {}{}{}",
        random.between(1, 30),
        random.below(10),
        letter(random),
        letter(random)
    )
}

fn typo(random: &mut Random, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if chars.len() < 2 {
        return text.to_string();
    }
    let at = random.below(chars.len() as u64 - 1) as usize;
    match random.below(3) {
        0 => chars.swap(at, at + 1),
        1 => {
            chars.remove(at);
        }
        _ => chars[at] = (b'a' + random.below(26) as u8) as char,
    }
    chars.into_iter().collect()
}

/// One record of `p`; a duplicate carries the errors records really have.
fn record(random: &mut Random, p: &Person, noisy: bool) -> [String; 7] {
    let (mut y, mut m, mut d) = p.dob;
    let mut fields = [
        p.forename.clone(),
        p.surname.clone(),
        String::new(),
        p.postcode.clone(),
        p.city.to_string(),
        p.email.clone(),
        p.phone.clone(),
    ];
    if noisy {
        if random.chance(0.1) {
            fields[0] = names::nickname(random, &p.forename).unwrap_or_else(|| typo(random, &p.forename));
        }
        if random.chance(0.1) {
            fields[1] = typo(random, &p.surname);
        }
        if random.chance(0.03) {
            std::mem::swap(&mut m, &mut d);
        } else if random.chance(0.04) {
            y += random.between(-1, 1) * if random.chance(0.5) { 1 } else { 10 };
        }
        if random.chance(0.1) {
            let (area, city) = *random.pick(AREAS);
            fields[3] = postcode(random, area);
            fields[4] = city.to_string();
        }
        if random.chance(0.05) {
            fields[3] = typo(random, &fields[3]);
        }
        if random.chance(0.1) {
            fields[5] = typo(random, &p.email);
        }
        for (field, share) in [(0, 0.03), (1, 0.02), (2, 0.08), (3, 0.1), (4, 0.1), (5, 0.3), (6, 0.3)] {
            if random.chance(share) {
                fields[field] = "\u{0}".into();
            }
        }
    }
    if fields[2] != "\u{0}" {
        fields[2] = format!("{y:04}-{m:02}-{d:02}");
    }
    fields.map(|f| if f == "\u{0}" { String::new() } else { f })
}

fn generate(path: &Path) {
    let people = (RECORDS as f64 * (1.0 - DUPLICATE_SHARE)) as usize;
    let mut random = Random::stream(1_000_000, &[]);
    let population: Vec<Person> = (0..people).map(|_| person(&mut random)).collect();
    let mut text = String::with_capacity(RECORDS * 110);
    text.push_str("id,first_name,surname,dob,postcode,city,email,phone,cluster\n");
    for id in 0..RECORDS {
        let (who, noisy) = if id < people {
            (id, false)
        } else {
            (random.below(people as u64) as usize, true)
        };
        let f = record(&mut random, &population[who], noisy);
        let _ = writeln!(
            text,
            "r{id},{},{},{},{},{},{},{},p{who}",
            f[0], f[1], f[2], f[3], f[4], f[5], f[6]
        );
    }
    std::fs::write(path, text).expect("the generated records are written");
}

fn run(label: &str, binary: &str, args: &[String]) {
    let timer = Path::new("/usr/bin/time").exists();
    let mut command = if timer {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "peak_rss_kb=%M", binary]);
        c
    } else {
        Command::new(binary)
    };
    let started = Instant::now();
    let output = command.args(args).output().expect("vigil runs");
    let wall = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak_rss_kb="))
        .and_then(|kb| kb.trim().parse::<f64>().ok())
        .map_or("unmeasured".to_string(), |kb| format!("{:.0} MB", kb / 1024.0));
    println!("== {label}: wall {wall:.2} s, peak memory {peak}");
    for line in stdout.lines().filter(|l| !l.starts_with("  blocking")) {
        println!("   {line}");
    }
}

/// Households of about 200,000 people (partners, parents and adult children,
/// twins, a father and son of one name), linked with no spec and then with
/// the documents' records kept apart.
fn households(binary: &str, dir: &Path, args: &dyn Fn(&Path, &str) -> Vec<String>) {
    let input = dir.join("households.csv");
    let (text, counts) = household_file(200_000, 24);
    std::fs::write(&input, text).expect("the household file is written");
    println!("generated households: {counts:?}");
    let plain = args(&input, "id");
    run("households, no spec", binary, &plain);
    let mut apart = plain;
    apart.extend(["--distinct-within".to_string(), "document".to_string()]);
    run("households, --distinct-within document", binary, &apart);
}

fn main() {
    let binary = env!("CARGO_BIN_EXE_vigil");
    // Kept in Cargo's scratch folder so the linker can be rerun on the same file.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("link-bench");
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let out = dir.join("out").display().to_string();
    let args = |input: &Path, id: &str| -> Vec<String> {
        [
            "link",
            "--input",
            &input.display().to_string(),
            "--id-column",
            id,
            "--truth-column",
            "cluster",
            "--out",
            &out,
        ]
        .map(String::from)
        .to_vec()
    };
    let only = std::env::var("VIGIL_LINK_BENCH").unwrap_or_default();
    let wanted = |name: &str| only.is_empty() || only == name;
    if wanted("households") {
        households(binary, &dir, &args);
    }
    if wanted("people") {
        let input: PathBuf = dir.join("people.csv");
        timed_generation(&input, generate);
        run("1,000,000 records, 30 % duplicates", binary, &args(&input, "id"));
    }
    if wanted("register") {
        let input: PathBuf = dir.join("register.csv");
        timed_generation(&input, |path| register::generate(path, RECORDS));
        run(
            "1,000,000 register records, another generator",
            binary,
            &args(&input, "person_id"),
        );
    }
    let historical = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/linkage/historical_50k.csv");
    if wanted("historical") && historical.exists() {
        run("historical_50k", binary, &args(&historical, "unique_id"));
    }
}

fn timed_generation(path: &Path, generate: impl Fn(&Path)) {
    let started = Instant::now();
    generate(path);
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    println!(
        "generated {} ({:.0} MB) in {:.1} s",
        path.display(),
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
}
