//! Places written as text or coordinates, in one form each so that two
//! contacts at one place meet: a premises or block address in upper case,
//! without punctuation, with common words abbreviated one way (STREET and
//! ST are both `ST`) and a flat, unit or apartment number written `UNIT n`;
//! coordinates snapped to a square grid of a configured size.

/// Words written in more than one way, and the one form kept.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("STREET", "ST"),
    ("STR", "ST"),
    ("ROAD", "RD"),
    ("AVENUE", "AVE"),
    ("AV", "AVE"),
    ("DRIVE", "DR"),
    ("LANE", "LN"),
    ("PLACE", "PL"),
    ("COURT", "CT"),
    ("CRESCENT", "CRES"),
    ("CLOSE", "CL"),
    ("TERRACE", "TER"),
    ("GARDENS", "GDNS"),
    ("SQUARE", "SQ"),
    ("BOULEVARD", "BLVD"),
    ("HIGHWAY", "HWY"),
    ("PARKWAY", "PKWY"),
    ("NORTH", "N"),
    ("SOUTH", "S"),
    ("EAST", "E"),
    ("WEST", "W"),
    ("SAINT", "ST"),
];

/// Words that name a flat within a building; the number after one is the unit.
const UNIT_WORDS: &[&str] = &["FLAT", "UNIT", "APT", "APARTMENT", "SUITE", "STE", "#", "NO"];

/// An address in its normal form, or `None` when nothing is left.
pub fn normalise_address(raw: &str) -> Option<String> {
    let spaced: String = raw
        .chars()
        .map(|c| match c {
            '#' => " # ".to_string(),
            c if c.is_alphanumeric() => c.to_uppercase().to_string(),
            _ => " ".to_string(),
        })
        .collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut k = 0;
    while k < words.len() {
        let word = words[k];
        if UNIT_WORDS.contains(&word) && words.get(k + 1).is_some_and(|n| n.chars().any(|c| c.is_ascii_digit())) {
            out.push(format!("UNIT {}", words[k + 1]));
            k += 2;
            continue;
        }
        let short = ABBREVIATIONS
            .iter()
            .find(|(long, _)| *long == word)
            .map_or(word, |(_, short)| short);
        out.push(short.to_string());
        k += 1;
    }
    let address = out.join(" ");
    (!address.is_empty()).then_some(address)
}

/// Metres in a degree of latitude (and of longitude at the equator).
const METRES_PER_DEGREE: f64 = 111_320.0;

/// The grid square of `metres` a point falls in, written `GRID 100M 12345 -6789`
/// (row and column from the equator and the prime meridian); `None` for a
/// point that is not on Earth, or (0, 0), which exports write for "unknown".
pub fn grid_cell(latitude: f64, longitude: f64, metres: f64) -> Option<String> {
    let on_earth = (-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude);
    if !on_earth || (latitude == 0.0 && longitude == 0.0) || metres <= 0.0 {
        return None;
    }
    let row = (latitude * METRES_PER_DEGREE / metres).floor() as i64;
    // A column is as wide on the ground at the row's own latitude.
    let row_latitude = (row as f64 + 0.5) * metres / METRES_PER_DEGREE;
    let across = METRES_PER_DEGREE * row_latitude.to_radians().cos().max(1e-6);
    let column = (longitude * across / metres).floor() as i64;
    Some(format!("GRID {}M {row} {column}", metres.round() as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_place_written_many_ways_is_one_address() {
        let same = [
            "Flat 3, 12 High Street",
            "FLAT 3 12 HIGH ST.",
            "flat 3, 12 high st",
            "12 High St #3",
        ];
        let forms: Vec<Option<String>> = same.iter().map(|a| normalise_address(a)).collect();
        assert_eq!(forms[0].as_deref(), Some("UNIT 3 12 HIGH ST"));
        assert_eq!(forms[1], forms[0]);
        assert_eq!(forms[2], forms[0]);
        assert_eq!(forms[3].as_deref(), Some("12 HIGH ST UNIT 3"));
        assert_ne!(
            normalise_address("Flat 4, 12 High Street"),
            forms[0],
            "another flat is another home"
        );
        assert_eq!(
            normalise_address("12XX N. Main Street").as_deref(),
            Some("12XX N MAIN ST")
        );
        assert_eq!(normalise_address(" , . "), None);
    }

    #[test]
    fn points_a_few_metres_apart_share_a_cell_and_far_ones_do_not() {
        let cell = |lat, lon| grid_cell(lat, lon, 100.0);
        let here = cell(52.4068, -1.5197).unwrap();
        assert!(here.starts_with("GRID 100M "), "{here}");
        assert_eq!(cell(52.40681, -1.51971).as_deref(), Some(here.as_str()), "a metre away");
        assert_ne!(cell(52.4100, -1.5197).as_deref(), Some(here.as_str()), "350 m north");
        assert_eq!(cell(0.0, 0.0), None);
        assert_eq!(cell(91.0, 0.0), None);
        assert_ne!(cell(41.8810, -87.6298), cell(41.8810, 87.6298));
    }
}
