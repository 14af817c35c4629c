//! Column names and coded values as lists of lower-case words, so that
//! `TimeReceived`, `time_received`, `RECV TIME` and `Time Received` compare
//! alike: split at anything not a letter or digit, at a lower-to-upper case
//! change (`DAFlag` is `da flag`), and at a letter-digit change (`G1` stays
//! whole: only a change after two letters splits, so `Grade1` is `grade 1`).

/// The words of a column name or a value, lower-cased.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in text.split(|c: char| !c.is_alphanumeric()) {
        split_case(piece, &mut out);
    }
    out.retain(|w| !w.is_empty());
    out
}

/// Splits one alphanumeric run at case and digit boundaries.
fn split_case(piece: &str, out: &mut Vec<String>) {
    let chars: Vec<char> = piece.chars().collect();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let boundary = match previous {
            None => false,
            // `timeReceived`: lower then upper.
            Some(p) if p.is_lowercase() && c.is_uppercase() => true,
            // `DAFlag`: the last upper of a run that starts a capitalised word.
            Some(p) if p.is_uppercase() && c.is_uppercase() && next.is_some_and(char::is_lowercase) => true,
            // `Grade1`, `Score10`: digits after a word, but not `G1`.
            Some(p) if p.is_alphabetic() && c.is_ascii_digit() => current.chars().count() > 1,
            _ => false,
        };
        if boundary {
            out.push(std::mem::take(&mut current).to_lowercase());
        }
        current.push(c);
    }
    out.push(current.to_lowercase());
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn names_split_alike_however_written() {
        assert_eq!(words("TimeReceived"), ["time", "received"]);
        assert_eq!(words("time_received"), ["time", "received"]);
        assert_eq!(words("RECV_TIME"), ["recv", "time"]);
        assert_eq!(words("DAFlag"), ["da", "flag"]);
        assert_eq!(words("MARACDate"), ["marac", "date"]);
        assert_eq!(words("Call ID"), ["call", "id"]);
        assert_eq!(words("G1"), ["g1"]);
        assert_eq!(words("Grade 1"), ["grade", "1"]);
        assert_eq!(words("DA - Domestic Abuse"), ["da", "domestic", "abuse"]);
        assert_eq!(words("MARAC+IDVA"), ["marac", "idva"]);
        assert_eq!(words("E-911"), ["e", "911"]);
    }
}
