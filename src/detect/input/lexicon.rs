//! The words NARRATIVE_WORDS looks for in incident narratives: each entry a
//! word or phrase, matched whole-word and ignoring case, a trailing `*`
//! matching any ending (`strangl*` finds "strangled"). Narratives are
//! matched as they are read, so only a bit per entry is kept, never the text.

/// The configured words and phrases, each as its lower-case words.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    /// As configured (trimmed), for sentences.
    text: String,
    words: Vec<String>,
    /// The last word is a stem (`*`).
    stem: bool,
}

impl Lexicon {
    /// The lexicon of `[detect] narrative_words` (at most 64, as the settings check).
    pub fn new(entries: &[String]) -> Lexicon {
        let entries = entries
            .iter()
            .take(64)
            .map(|text| {
                let trimmed = text.trim();
                Entry {
                    text: trimmed.to_string(),
                    words: words(&trimmed.to_lowercase()).map(str::to_string).collect(),
                    stem: trimmed.ends_with('*'),
                }
            })
            .collect();
        Lexicon { entries }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// One bit per entry the text holds (bit n for entry n).
    pub fn matches(&self, text: &str) -> u64 {
        if self.entries.is_empty() {
            return 0;
        }
        let lower = text.to_lowercase();
        let found: Vec<&str> = words(&lower).collect();
        let mut bits = 0u64;
        for (n, entry) in self.entries.iter().enumerate() {
            if (0..found.len()).any(|at| entry.starts_at(&found[at..])) {
                bits |= 1 << n;
            }
        }
        bits
    }

    /// The entries whose bits are set, as configured.
    pub fn named(&self, bits: u64) -> Vec<&str> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(n, _)| bits & (1 << n) != 0)
            .map(|(_, entry)| entry.text.as_str())
            .collect()
    }
}

impl Entry {
    /// Whether the words from here on begin with this entry.
    fn starts_at(&self, found: &[&str]) -> bool {
        let Some((last, whole)) = self.words.split_last() else {
            return false;
        };
        if found.len() < self.words.len() || whole.iter().zip(found).any(|(want, seen)| want != seen) {
            return false;
        }
        let seen = found[whole.len()];
        if self.stem {
            seen.starts_with(last.as_str())
        } else {
            seen == last
        }
    }
}

/// The text's words: runs of letters and digits (the callers lower-case the text once).
fn words(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(entries: &[&str]) -> Lexicon {
        Lexicon::new(&entries.iter().map(|e| e.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn stems_words_and_phrases_match_whole_words_ignoring_case() {
        let lexicon = lexicon(&["strangl*", "bail", "non-molestation order", "kill*"]);
        let text = "Caller says he STRANGLED her; breached his Non-Molestation Order. Skilled worker.";
        assert_eq!(
            lexicon.named(lexicon.matches(text)),
            ["strangl*", "non-molestation order"]
        );
        assert_eq!(lexicon.matches("bailiff attended"), 0, "bail is a whole word");
        assert_eq!(lexicon.matches("on bail"), 0b10);
        assert_eq!(lexicon.matches("a molestation order"), 0, "the phrase needs every word");
        assert_eq!(lexicon.matches(""), 0);
    }
}
