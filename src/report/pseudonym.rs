//! Pseudonyms for the evaluation pack: person and dyad ids replaced by keyed
//! hashes (HMAC-SHA-256), so that the evaluators can follow one person across
//! weeks and forces without learning who they are, and nobody without the key
//! can recompute the mapping from a list of ids. The key comes from
//! `VIGIL_PSEUDONYM_KEY`, a file named on the command line or in `[report]
//! key_file`, or the user's own key file (`vigil keygen`); it is never in the
//! repository, and without one the pack is not written.

use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The environment variable that may hold the key (hex).
pub const KEY_VARIABLE: &str = "VIGIL_PSEUDONYM_KEY";

/// Bytes of key at least.
pub const KEY_BYTES: usize = 32;

/// Where the key came from, and the key.
#[derive(Clone)]
pub struct PseudonymKey {
    bytes: Vec<u8>,
    /// Shown in manifests and messages: never the key itself.
    pub origin: String,
}

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PseudonymKey(from {})", self.origin)
    }
}

/// Where to look for the key, in order.
#[derive(Debug, Clone, Default)]
pub struct KeySources {
    /// `--key-file`.
    pub file: Option<PathBuf>,
    /// The environment variable's value, if set.
    pub variable: Option<String>,
    /// `[report] key_file`, resolved against the configuration's folder.
    pub configured: Option<PathBuf>,
    /// The user's key file (`vigil keygen` writes it).
    pub user_file: Option<PathBuf>,
}

impl KeySources {
    /// The sources of this process: the environment and the user's key file.
    pub fn from_environment(file: Option<PathBuf>, configured: Option<PathBuf>) -> KeySources {
        KeySources {
            file,
            variable: std::env::var(KEY_VARIABLE).ok().filter(|v| !v.trim().is_empty()),
            configured,
            user_file: user_key_file(),
        }
    }

    /// The first key found; an error says where it looked, or what is wrong with the key found.
    pub fn load(&self) -> Result<PseudonymKey, String> {
        if let Some(path) = &self.file {
            return read_key_file(path);
        }
        if let Some(text) = &self.variable {
            return parse_key(text, KEY_VARIABLE);
        }
        if let Some(path) = &self.configured {
            return read_key_file(path);
        }
        match &self.user_file {
            Some(path) if path.is_file() => read_key_file(path),
            _ => Err(format!(
                "no pseudonymisation key: set {KEY_VARIABLE}, give --key-file, set [report] key_file, \
                 or run `vigil keygen` to make one{}; the evaluation pack is not written without it",
                self.user_file
                    .as_ref()
                    .map(|p| format!(" (it writes {})", p.display()))
                    .unwrap_or_default()
            )),
        }
    }
}

/// `$XDG_CONFIG_HOME/vigil/pseudonym.key`, else `$HOME/.config/vigil/pseudonym.key`.
pub fn user_key_file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".config")))?;
    Some(base.join("vigil").join("pseudonym.key"))
}

fn read_key_file(path: &Path) -> Result<PseudonymKey, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the pseudonymisation key file {}: {e}", path.display()))?;
    parse_key(&text, &path.display().to_string())
}

fn parse_key(text: &str, origin: &str) -> Result<PseudonymKey, String> {
    let text = text.trim();
    let bytes = decode_hex(text).ok_or_else(|| format!("the pseudonymisation key in {origin} is not hexadecimal"))?;
    if bytes.len() < KEY_BYTES {
        return Err(format!(
            "the pseudonymisation key in {origin} has {} bytes; it needs at least {KEY_BYTES} (64 hex digits; `vigil keygen` makes one)",
            bytes.len()
        ));
    }
    Ok(PseudonymKey {
        bytes,
        origin: origin.to_string(),
    })
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A fresh key as hex, from the operating system's random source.
pub fn new_key_hex() -> std::io::Result<String> {
    let mut bytes = [0u8; KEY_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl PseudonymKey {
    /// The pseudonym of an id in a namespace (`person`, `dyad`): `H` and 16 hex digits of HMAC-SHA-256.
    pub fn pseudonym(&self, namespace: &str, id: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.bytes).expect("HMAC takes a key of any length");
        mac.update(namespace.as_bytes());
        mac.update(b"\0");
        mac.update(id.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut text = String::with_capacity(17);
        text.push('H');
        for byte in &digest[..8] {
            text.push_str(&format!("{byte:02x}"));
        }
        text
    }

    /// A key from hex (tests and callers that hold one).
    pub fn from_hex(text: &str) -> Result<PseudonymKey, String> {
        parse_key(text, "the given text")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn pseudonyms_are_keyed_hmac_sha256() {
        let key = PseudonymKey::from_hex(KEY).unwrap();
        // Computed independently: python3 -c "import hmac,hashlib;
        // print(hmac.new(bytes(range(32)), b'person\0P123', hashlib.sha256).hexdigest()[:16])"
        assert_eq!(key.pseudonym("person", "P123"), "Hfc12a8c427a1acee");
        assert_ne!(key.pseudonym("person", "P123"), key.pseudonym("dyad", "P123"));
        let other = PseudonymKey::from_hex(&KEY.replace("00", "ff")).unwrap();
        assert_ne!(key.pseudonym("person", "P123"), other.pseudonym("person", "P123"));
    }

    #[test]
    fn a_missing_or_short_key_is_refused_with_where_it_looked() {
        let none = KeySources::default().load().unwrap_err();
        assert!(none.contains(KEY_VARIABLE) && none.contains("not written"), "{none}");
        let short = KeySources {
            variable: Some("abcd".into()),
            ..Default::default()
        };
        assert!(short.load().unwrap_err().contains("at least 32"));
        let odd = KeySources {
            variable: Some("xyz".into()),
            ..Default::default()
        };
        assert!(odd.load().unwrap_err().contains("not hexadecimal"));
        assert!(!format!("{:?}", PseudonymKey::from_hex(KEY).unwrap()).contains(KEY));
    }
}
