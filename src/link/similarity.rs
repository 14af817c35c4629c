//! String similarity for the comparison levels: Jaro-Winkler (allocation-free
//! for ASCII names, the common case) and a bounded edit-distance test.

/// Jaro-Winkler similarity in [0, 1]: above a Jaro similarity of 0.7, a shared
/// prefix (at most 4 characters) lifts it by 0.1 per character.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.is_ascii() && b.is_ascii() && a.len() <= 64 && b.len() <= 64 {
        ascii_jaro_winkler(a.as_bytes(), b.as_bytes())
    } else {
        strsim::jaro_winkler(a, b)
    }
}

fn ascii_jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let jaro = ascii_jaro(a, b);
    if jaro <= 0.7 {
        return jaro;
    }
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    jaro + prefix as f64 * 0.1 * (1.0 - jaro)
}

/// Jaro on ASCII strings of at most 64 bytes, bit-parallel: for each byte
/// value, the positions of `b` holding it are one mask, so finding the first
/// unmatched equal byte within the window is a few bit operations, not a scan.
fn ascii_jaro(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut positions = [0u64; 128];
    for (j, &c) in b.iter().enumerate() {
        positions[c as usize] |= 1 << j;
    }
    let below = |n: usize| if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
    let mut a_matched: u64 = 0;
    let mut b_matched: u64 = 0;
    for (i, &c) in a.iter().enumerate() {
        let in_window = below((i + window + 1).min(b.len())) & !below(i.saturating_sub(window));
        let open = positions[c as usize] & !b_matched & in_window;
        if open != 0 {
            a_matched |= 1 << i;
            b_matched |= open & open.wrapping_neg();
        }
    }
    let matches = a_matched.count_ones() as f64;
    if matches == 0.0 {
        return 0.0;
    }
    let mut transpositions = 0;
    let mut rest_b = b_matched;
    let mut rest_a = a_matched;
    while rest_a != 0 {
        let i = rest_a.trailing_zeros() as usize;
        let j = rest_b.trailing_zeros() as usize;
        if a[i] != b[j] {
            transpositions += 1;
        }
        rest_a &= rest_a - 1;
        rest_b &= rest_b - 1;
    }
    // Half the out-of-order matches, rounded down, as strsim, jellyfish and rapidfuzz count them.
    let t = (transpositions / 2) as f64;
    (matches / a.len() as f64 + matches / b.len() as f64 + (matches - t) / matches) / 3.0
}

/// Whether `a` becomes `b` by at most one insertion, deletion or substitution.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if prefix == short.len() {
        return true;
    }
    if short.len() == long.len() {
        short[prefix + 1..] == long[prefix + 1..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaro_winkler_matches_the_reference_implementation() {
        let names = [
            "martha",
            "marhta",
            "dwayne",
            "duane",
            "dixon",
            "dicksonx",
            "jones",
            "johnson",
            "smith",
            "smyth",
            "a",
            "",
            "thomas",
            "rhomas",
            "catherine",
            "kathryn",
        ];
        for a in names {
            for b in names {
                let ours = jaro_winkler(a, b);
                let reference = strsim::jaro_winkler(a, b);
                assert!((ours - reference).abs() < 1e-12, "{a} / {b}: {ours} vs {reference}");
            }
        }
    }

    #[test]
    fn one_edit_is_recognised_and_two_are_not() {
        assert!(within_one_edit("2119", "2119"));
        assert!(within_one_edit("2119", "2118"));
        assert!(within_one_edit("2119", "219"));
        assert!(within_one_edit("TQ138DF", "TQ1W38DF"));
        assert!(!within_one_edit("2119", "2191"));
        assert!(!within_one_edit("2119", "21"));
    }
}
