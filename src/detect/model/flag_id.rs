//! Flag ids that last from one run to the next: a digest of the flag's
//! rule, its subject and its defining evidence, so the same flag keeps its
//! id in next week's run with one more week of data, or with another force
//! added, and an analyst can key notes to it.
//!
//! The defining evidence is what the flag cannot exist without: the
//! incident a gap or a HIGH_RISK is about; the silent call a
//! SILENT_CALL_NO_RESPONSE is about; for a pattern, the contacts up to the
//! one that completed it (later contacts that extend it do not change it);
//! for a missed opportunity, the ids of the signals and gaps it joins that
//! were to be seen by the time it was detected. Incidents and calls are
//! named by force and reference, never by position.

use std::collections::HashMap;
use std::fmt;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::detect::input::records::Records;
use crate::detect::model::flag::{Flag, Rule};

/// A flag's id: `F` (signals, gaps, context) or `M` (missed opportunities)
/// and 16 hex digits of the digest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FlagId {
    missed: bool,
    digest: u64,
}

impl FlagId {
    /// Appends the id's text to `out`, as [`fmt::Display`] writes it.
    pub fn push_to(self, out: &mut Vec<u8>) {
        out.push(if self.missed { b'M' } else { b'F' });
        for shift in (0..16).rev() {
            out.push(b"0123456789abcdef"[((self.digest >> (4 * shift)) & 0xF) as usize]);
        }
    }
}

impl fmt::Display for FlagId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:016x}", if self.missed { 'M' } else { 'F' }, self.digest)
    }
}

/// Gives every flag its id (missed opportunities after the flags they join,
/// whose ids they digest). Two flags with the same rule, subject and
/// defining evidence would be one flag raised twice; should it happen, the
/// later (in the list's fixed order) gets the digest of its place among them too.
pub fn identify(flags: &mut [Flag], records: &Records) {
    let missed_from = flags
        .iter()
        .position(|f| f.rule == Rule::MissedOpportunity)
        .unwrap_or(flags.len());
    let ids: Vec<FlagId> = flags[..missed_from]
        .par_iter()
        .map(|flag| digest(flag, &defining_evidence(flag, records)))
        .collect();
    assign(&mut flags[..missed_from], ids);
    let ids: Vec<FlagId> = flags[missed_from..]
        .par_iter()
        .map(|missed| digest(missed, &joined_evidence(missed, flags)))
        .collect();
    assign(&mut flags[missed_from..], ids);
}

fn assign(flags: &mut [Flag], mut ids: Vec<FlagId>) {
    let mut seen: HashMap<FlagId, u64> = HashMap::new();
    for id in ids.iter_mut() {
        let repeats = seen.entry(*id).or_default();
        if *repeats > 0 {
            id.digest = hash(&[&id.digest.to_le_bytes(), &repeats.to_le_bytes()]);
        }
        *repeats += 1;
    }
    for (flag, id) in flags.iter_mut().zip(ids) {
        flag.id = id;
    }
}

/// The keys of what a signal, gap or context flag cannot exist without.
fn defining_evidence(flag: &Flag, records: &Records) -> Vec<String> {
    let incident = |i: u32| {
        let record = &records.incidents[i as usize];
        format!("incident:{}/{}", records.force_id(record.force), record.incident_ref)
    };
    let call = |c: u32| {
        let record = &records.calls[c as usize];
        format!("call:{}/{}", records.force_id(record.force), record.call_id)
    };
    if let Some(about) = flag.about {
        return vec![incident(about)];
    }
    if flag.rule == Rule::SilentCallNoResponse {
        return flag.loose_calls.iter().map(|&c| call(c)).collect();
    }
    let incidents = flag
        .incidents
        .iter()
        .filter(|&&i| records.incidents[i as usize].contact_at <= flag.detected_at)
        .map(|&i| incident(i));
    let calls = flag
        .loose_calls
        .iter()
        .filter(|&&c| records.calls[c as usize].received_at <= flag.detected_at)
        .map(|&c| call(c));
    incidents.chain(calls).collect()
}

/// The ids of the signals and gaps a missed opportunity joins that were to
/// be seen by the time it was detected.
fn joined_evidence(missed: &Flag, flags: &[Flag]) -> Vec<String> {
    let mut ids: Vec<String> = missed
        .joins
        .iter()
        .map(|&f| &flags[f])
        .filter(|f| f.detected_at <= missed.detected_at)
        .map(|f| f.id.to_string())
        .collect();
    ids.sort_unstable();
    ids
}

fn digest(flag: &Flag, evidence: &[String]) -> FlagId {
    let mut parts: Vec<&[u8]> = vec![
        flag.rule.code().as_bytes(),
        flag.subject.kind.code().as_bytes(),
        flag.subject.id.as_bytes(),
    ];
    parts.extend(evidence.iter().map(|e| e.as_bytes()));
    FlagId {
        missed: flag.rule == Rule::MissedOpportunity,
        digest: hash(&parts),
    }
}

/// The first eight bytes of the SHA-256 of the parts, each ended by a 0 byte.
fn hash(parts: &[&[u8]]) -> u64 {
    let mut sha = Sha256::new();
    for part in parts {
        sha.update(part);
        sha.update([0]);
    }
    let bytes = sha.finalize();
    u64::from_be_bytes(bytes[..8].try_into().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_ids_are_written_as_they_display() {
        for (missed, digest) in [(false, 0), (true, 1), (false, u64::MAX), (true, 0x0123_4567_89ab_cdef)] {
            let id = FlagId { missed, digest };
            let mut pushed = Vec::new();
            id.push_to(&mut pushed);
            assert_eq!(String::from_utf8(pushed).unwrap(), id.to_string());
        }
        let id = FlagId {
            missed: true,
            digest: 0x0123_4567_89ab_cdef,
        };
        assert_eq!(id.to_string(), "M0123456789abcdef");
    }
}
