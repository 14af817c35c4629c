//! A second million records for the link bench, from a generator unlike the
//! first, so that no figure holds for one generator only: a register-like
//! file with its own columns (no e-mail; sex, an address line and a town;
//! dates as `DD/MM/YYYY`), its own names (built from syllables: 6,000
//! surnames and 1,000 forenames, the commonest few carrying a large share,
//! so that loose blocking keys make large blocks) and its own noise (phonetic
//! respellings, letters misread, given and family names swapped, a short
//! year, moves, numbers changed).

use std::fmt::Write as _;
use std::path::Path;

use vigil::random::Random;

const HEADER: &str = "person_id,given_name,family_name,sex,birth_date,address_line,town,postcode,mobile,cluster\n";

const SURNAME_STARTS: &[&str] = &[
    "Ash", "Brad", "Cart", "Dun", "Ell", "Fair", "Gar", "Hart", "Ing", "Jen", "Kirk", "Lang", "Mor", "Nor", "Ol",
    "Pen", "Rad", "Shaw", "Thorn", "Up", "Wal", "Whit", "Yor", "Ab", "Bel", "Cal", "Dal", "Ev", "Fen", "Gil", "Hol",
    "Kel", "Lin", "Mal", "Ned", "Os", "Pol", "Rus", "Sel", "Tal",
];
const SURNAME_ENDS: &[&str] = &[
    "worth", "ley", "er", "ton", "by", "field", "ham", "son", "well", "wood", "ford", "man", "en", "ridge", "stone",
    "ing", "ett", "ock", "den", "more", "ster", "dale", "croft", "ins", "shaw",
];
const SURNAME_MIDDLES: &[&str] = &["", "ing", "er", "s", "ble", "an"];
const FORENAME_MIDDLES: &[&str] = &["", "r", "l"];
const FORENAME_STARTS: &[&str] = &[
    "Al", "Bri", "Car", "Da", "El", "Fa", "Geo", "Ha", "Is", "Ja", "Ka", "Le", "Ma", "Na", "Ol", "Pa", "Ra", "Sa",
    "Ta", "Vi", "Wi", "Ya", "Za", "Ro",
];
const FORENAME_ENDS: &[&str] = &[
    "n", "na", "ra", "li", "die", "ssa", "mir", "ya", "ron", "lie", "to", "ny", "bel", "rah",
];
const TOWNS: &[(&str, &str)] = &[
    ("Stoke", "ST"),
    ("Derby", "DE"),
    ("Lincoln", "LN"),
    ("Preston", "PR"),
    ("Exeter", "EX"),
    ("Norwich", "NR"),
    ("York", "YO"),
    ("Swansea", "SA"),
    ("Reading", "RG"),
    ("Oxford", "OX"),
    ("Ipswich", "IP"),
    ("Carlisle", "CA"),
];
const STREETS: &[&str] = &[
    "High Street",
    "Church Road",
    "Mill Lane",
    "Station Road",
    "Park Avenue",
    "Green Close",
];

/// Values drawn with Zipf weights (the k-th commonest has weight 1/k^s).
struct Zipf {
    values: Vec<String>,
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(values: Vec<String>, s: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (1..=values.len())
            .map(|k| {
                total += 1.0 / (k as f64).powf(s);
                total
            })
            .collect();
        Zipf { values, cumulative }
    }

    fn draw(&self, random: &mut Random) -> &str {
        let target = random.unit() * self.cumulative.last().copied().unwrap_or(0.0);
        let at = self.cumulative.partition_point(|&c| c < target);
        &self.values[at.min(self.values.len() - 1)]
    }
}

fn combinations(starts: &[&str], middles: &[&str], ends: &[&str], random: &mut Random) -> Vec<String> {
    let mut all: Vec<String> = starts
        .iter()
        .flat_map(|s| {
            middles
                .iter()
                .flat_map(move |m| ends.iter().map(move |e| format!("{s}{m}{e}")))
        })
        .collect();
    // A seeded shuffle: which names are common is the generator's, not the list's order.
    for i in (1..all.len()).rev() {
        all.swap(i, random.below(i as u64 + 1) as usize);
    }
    all
}

struct Resident {
    given: String,
    family: String,
    sex: &'static str,
    born: (i64, i64, i64),
    address: String,
    town: usize,
    postcode: String,
    mobile: String,
}

fn resident(random: &mut Random, forenames: &Zipf, surnames: &Zipf) -> Resident {
    let town = random.below(TOWNS.len() as u64) as usize;
    let (address, postcode) = home(random, town);
    Resident {
        given: forenames.draw(random).to_string(),
        family: surnames.draw(random).to_string(),
        sex: if random.chance(0.5) { "F" } else { "M" },
        born: (random.between(1935, 2006), random.between(1, 12), random.between(1, 28)),
        address,
        town,
        postcode,
        mobile: format!("07{:09}", random.below(1_000_000_000)),
    }
}

fn home(random: &mut Random, town: usize) -> (String, String) {
    let letters = b"ABDEFGHJLNPQRSTUWXYZ";
    let letter = |r: &mut Random| letters[r.below(letters.len() as u64) as usize] as char;
    let address = format!("{} {}", random.between(1, 400), random.pick(STREETS));
    let postcode = format!(
        "{}{} {}{}{}",
        TOWNS[town].1,
        random.between(1, 40),
        random.below(10),
        letter(random),
        letter(random)
    );
    (address, postcode)
}

/// How a clerk or a scanner gets a name wrong.
fn misspell(random: &mut Random, name: &str) -> String {
    const SOUNDS: &[(&str, &str)] = &[
        ("ph", "f"),
        ("y", "i"),
        ("c", "k"),
        ("ll", "l"),
        ("ss", "s"),
        ("ie", "y"),
    ];
    const MISREAD: &[(&str, &str)] = &[
        ("rn", "m"),
        ("m", "rn"),
        ("cl", "d"),
        ("o", "a"),
        ("e", "c"),
        ("h", "b"),
    ];
    let table = if random.chance(0.5) { SOUNDS } else { MISREAD };
    let (from, to) = *random.pick(table);
    if name.contains(from) {
        return name.replacen(from, to, 1);
    }
    let mut chars: Vec<char> = name.chars().collect();
    if chars.len() > 2 {
        let at = 1 + random.below(chars.len() as u64 - 1) as usize;
        chars.insert(at, chars[at - 1]);
    }
    chars.into_iter().collect()
}

/// One row of `r`; a later record of a resident carries the register's errors.
fn row(random: &mut Random, r: &Resident, noisy: bool) -> [String; 8] {
    let (mut year, mut month, mut day) = r.born;
    let (mut given, mut family) = (r.given.clone(), r.family.clone());
    let (mut address, mut town, mut postcode, mut mobile) =
        (r.address.clone(), r.town, r.postcode.clone(), r.mobile.clone());
    let mut sex = r.sex.to_string();
    let mut date_missing = false;
    if noisy {
        if random.chance(0.08) {
            given = misspell(random, &given);
        }
        if random.chance(0.08) {
            family = misspell(random, &family);
        }
        if random.chance(0.02) {
            std::mem::swap(&mut given, &mut family);
        }
        if random.chance(0.03) {
            given = given[..1].to_string();
        }
        if random.chance(0.04) {
            std::mem::swap(&mut day, &mut month);
        } else if random.chance(0.03) {
            year += if random.chance(0.5) { 1 } else { -1 };
        }
        date_missing = random.chance(0.05);
        if random.chance(0.15) {
            town = random.below(TOWNS.len() as u64) as usize;
            (address, postcode) = home(random, town);
        } else if random.chance(0.04) {
            postcode = postcode.replacen(' ', "", 1);
        }
        if random.chance(0.15) {
            mobile = format!("07{:09}", random.below(1_000_000_000));
        }
        if random.chance(0.4) {
            mobile.clear();
        }
        if random.chance(0.1) {
            sex.clear();
        }
        if random.chance(0.08) {
            postcode.clear();
        }
    }
    let date = if date_missing || month > 12 {
        String::new()
    } else {
        format!("{day:02}/{month:02}/{year}")
    };
    [
        given,
        family,
        sex,
        date,
        address,
        TOWNS[town].0.to_string(),
        postcode,
        mobile,
    ]
}

/// Writes `records` rows (70 % residents once, the rest later records of them) to `path`.
pub fn generate(path: &Path, records: usize) {
    let mut random = Random::stream(2_000_000, &[]);
    let surnames = Zipf::new(
        combinations(SURNAME_STARTS, SURNAME_MIDDLES, SURNAME_ENDS, &mut random),
        0.7,
    );
    let forenames = Zipf::new(
        combinations(FORENAME_STARTS, FORENAME_MIDDLES, FORENAME_ENDS, &mut random),
        0.7,
    );
    let residents = records * 7 / 10;
    let population: Vec<Resident> = (0..residents)
        .map(|_| resident(&mut random, &forenames, &surnames))
        .collect();
    let mut text = String::with_capacity(records * 100);
    text.push_str(HEADER);
    for id in 0..records {
        let (who, noisy) = if id < residents {
            (id, false)
        } else {
            (random.below(residents as u64) as usize, true)
        };
        let f = row(&mut random, &population[who], noisy);
        let _ = writeln!(
            text,
            "n{id},{},{},{},{},{},{},{},{},c{who}",
            f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]
        );
    }
    std::fs::write(path, text).expect("the generated records are written");
}
