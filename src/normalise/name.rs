//! Names: upper case, accents folded, punctuation dropped, spaces collapsed.

use unicode_normalization::UnicodeNormalization;

/// `" Zoë  O'Brien-Smith "` becomes `"ZOE OBRIEN SMITH"`.
///
/// Accents are folded (NFKD, combining marks removed), apostrophes and dots
/// vanish (`O'Brien` = `OBrien`), hyphens and other separators become one
/// space. Letters outside Latin script are kept, upper-cased.
pub fn normalise_name(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for ch in raw.nfkd() {
        if unicode_normalization::char::is_combining_mark(ch) || matches!(ch, '\'' | '’' | '.' | '`') {
            continue;
        }
        if ch.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(ch.to_uppercase());
        } else {
            pending_space = true;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Splits a full name into (forename, surname).
///
/// `"SMITH, John Paul"` is surname-first (the comma says so); otherwise the
/// last word is the surname: `"John Paul Smith"`. A single word is a surname.
pub fn split_full_name(raw: &str) -> (Option<String>, Option<String>) {
    let tidy = |s: &str| {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        (!s.is_empty()).then_some(s)
    };
    if let Some((surname, forenames)) = raw.split_once(',') {
        return (tidy(forenames), tidy(surname));
    }
    let words: Vec<&str> = raw.split_whitespace().collect();
    match words.split_last() {
        None => (None, None),
        Some((surname, forenames)) => (tidy(&forenames.join(" ")), tidy(surname)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(
            normalise_name(" Zoë  O'Brien-Smith ").as_deref(),
            Some("ZOE OBRIEN SMITH")
        );
        assert_eq!(normalise_name("RANEEM").as_deref(), Some("RANEEM"));
        assert_eq!(normalise_name("Siân").as_deref(), Some("SIAN"));
        assert_eq!(normalise_name(" -- ").as_deref(), None);
    }

    #[test]
    fn splits_surname_first_and_forename_first_names() {
        assert_eq!(
            split_full_name("SMITH, John Paul"),
            (Some("John Paul".into()), Some("SMITH".into()))
        );
        assert_eq!(
            split_full_name("John Smith"),
            (Some("John".into()), Some("Smith".into()))
        );
        assert_eq!(split_full_name("Smith"), (None, Some("Smith".into())));
        assert_eq!(split_full_name("  "), (None, None));
    }
}
