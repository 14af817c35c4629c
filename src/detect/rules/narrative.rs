//! NARRATIVE_WORDS: a domestic-abuse incident whose narrative holds words of
//! `[detect] narrative_words` (strangle, knife, pregnant, bail, breach, ...:
//! DASH risk factors a log often names before any field records them).
//! Context for the reviewer, with the words in the sentence; never a signal,
//! so never alone a missed opportunity.

use crate::detect::model::context::Context;
use crate::detect::model::flag::{Flag, Rule, Severity};
use crate::detect::rules::risk::filed;

/// NARRATIVE_WORDS.
pub fn narrative_words(context: &Context, incident: u32) -> Option<Flag> {
    let record = context.incident(incident);
    if !record.domestic || record.narrative_words == 0 {
        return None;
    }
    let words = context.lexicon.named(record.narrative_words);
    let sentence = format!(
        "The narrative of the contact at {} mentions: {}",
        context.when(record.force, record.contact_at),
        words.join(", ")
    );
    let mut flag = filed(context, Rule::NarrativeWords, Severity::Info, incident, sentence);
    flag.timed(record.contact_at, record.contact_at);
    Some(flag)
}
