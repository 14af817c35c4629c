//! The `[link]` section of vigil.toml: what the link stage needs beyond the
//! data. Today, the words that mark a name as an organisation's.

use serde::{Deserialize, Serialize};

/// Settings of the link stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinkSettings {
    /// Words or phrases (whole words, any case) that make a name an
    /// organisation's, replacing the built-in list
    /// (`crate::persons::DEFAULT_ORGANISATION_WORDS`); `[]` turns it off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation_words: Option<Vec<String>>,
}

impl LinkSettings {
    /// Nothing set: the section need not be written.
    pub fn is_unset(&self) -> bool {
        *self == LinkSettings::default()
    }
}
