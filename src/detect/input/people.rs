//! Who each incident names: its victims and suspects as linked persons (from
//! the link stage's `person_mentions.parquet`, or `person_mentions.csv` when
//! only that is there), and the phone numbers recorded
//! for anyone it mentions (from the canonical mentions). A row with no role
//! only says that the incident names someone, and with what number.

use std::path::Path;

use polars::prelude::*;
use rayon::prelude::*;

use crate::detect::input::identities::Identity;
use crate::detect::input::lists::Lists;
use crate::detect::input::parquet_table::{ParquetTable, PIECE_ROWS};
use crate::detect::input::records::Records;
use crate::detect::DetectError;
use crate::schema::columns as c;

/// The people of every incident.
#[derive(Debug, Clone, Default)]
pub struct People {
    /// Person ids, each once; the numbers below index this list.
    pub person_ids: Vec<String>,
    /// Per incident (same order as [`Records::incidents`]), sorted.
    pub victims: Lists<u32>,
    pub suspects: Lists<u32>,
    /// Linked persons recorded as the CALLER (organisations are never persons).
    pub callers: Lists<u32>,
    /// Whether the incident names anyone at all, in any role.
    pub named: Vec<bool>,
    /// E.164 numbers recorded for people the incident mentions, sorted.
    pub phones: Lists<PlSmallStr>,
    /// Per person number, the name and date of birth the linker kept (empty where unknown).
    pub identities: Vec<Identity>,
}

/// One mention as detection needs it.
#[derive(Debug, Clone)]
pub struct MentionRow {
    pub force: String,
    pub incident_ref: String,
    pub role: String,
    pub person_id: Option<String>,
    pub phone: Option<String>,
}

impl People {
    /// The roles and persons of the linked mentions in `out` (`person_mentions`,
    /// Parquet or CSV) and the phone numbers of the canonical mentions, each
    /// Parquet table read a piece at a time.
    pub fn read(out: &Path, records: &Records) -> Result<People, DetectError> {
        let mut builder = Builder::new(records);
        let linked_dir = out.join(crate::persons::LINKED);
        let linked = linked_dir.join(crate::persons::MENTIONS_PARQUET);
        if linked.exists() {
            let table = ParquetTable::open(&linked)?;
            builder.expect_persons(table.rows());
            let columns = [c::FORCE, c::INCIDENT_REF, c::ROLE, c::PERSON_ID];
            table.in_pieces(&columns, PIECE_ROWS, |piece| {
                let found = linked_rows(piece, &builder).map_err(|e| table.error(e))?;
                builder.add_linked(&found);
                Ok(())
            })?;
        } else {
            let path = linked_dir.join("person_mentions.csv");
            let text = std::fs::read_to_string(&path).map_err(|e| DetectError::Missing {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            read_person_mentions(&path, &text, &mut builder)?;
        }
        let mentions_path = out.join("canonical/mentions.parquet");
        let mentions = ParquetTable::open(&mentions_path)?;
        mentions.in_pieces(&[c::FORCE, c::INCIDENT_REF, c::PHONE], PIECE_ROWS, |piece| {
            let phones = phones(piece, &builder).map_err(|e| mentions.error(e))?;
            builder.add_phones(&phones);
            Ok(())
        })?;
        Ok(builder.finish())
    }

    /// Gives each person the identity listed under its id (`identities::read`).
    pub fn attach_identities(&mut self, listed: Vec<(String, Identity)>) {
        let by_id: PlHashMap<String, Identity> = listed.into_iter().collect();
        self.identities = self
            .person_ids
            .iter()
            .map(|id| by_id.get(id).cloned().unwrap_or_default())
            .collect();
    }

    /// Why two persons' records show different people, if they do (`Identity::different_from`).
    pub fn different(&self, a: u32, b: u32) -> Option<&'static str> {
        let (a, b) = (self.identities.get(a as usize)?, self.identities.get(b as usize)?);
        a.different_from(b)
    }

    /// Attaches each mention to its incident (mentions of incidents not in the data are ignored).
    pub fn from_rows(records: &Records, rows: &[MentionRow]) -> People {
        let mut builder = Builder::new(records);
        for row in rows {
            if let Some(i) = builder.incident(&row.force, &row.incident_ref) {
                builder.add(i, &row.role, row.person_id.as_deref(), row.phone.as_deref());
            }
        }
        builder.finish()
    }
}

/// Gathers mentions into [`People`].
struct Builder<'a> {
    /// Person ids; the other fields are [`People`]'s as (incident, item) pairs.
    person_ids: Vec<String>,
    named: Vec<bool>,
    victims: Vec<(u32, u32)>,
    suspects: Vec<(u32, u32)>,
    callers: Vec<(u32, u32)>,
    phones: Vec<(u32, PlSmallStr)>,
    /// Read-only, so it serves parallel lookups of incidents.
    records: &'a Records,
    /// Person ids (short, so held inline) to their numbers.
    number_of: PlHashMap<PlSmallStr, u32>,
}

impl<'a> Builder<'a> {
    fn new(records: &'a Records) -> Builder<'a> {
        Builder {
            person_ids: Vec::new(),
            named: vec![false; records.incidents.len()],
            victims: Vec::new(),
            suspects: Vec::new(),
            callers: Vec::new(),
            phones: Vec::new(),
            records,
            number_of: PlHashMap::default(),
        }
    }

    /// Room for `count` persons, so the id map is not rebuilt as it grows
    /// (at national scale there are about as many persons as mentions).
    fn expect_persons(&mut self, count: usize) {
        self.number_of.reserve(count);
        self.person_ids.reserve(count);
    }

    /// The incident of a force and reference, if it is in the data.
    fn incident(&self, force: &str, reference: &str) -> Option<usize> {
        self.records.incident_of(force, reference).map(|i| i as usize)
    }

    /// A mention of incident `i`: it names someone, perhaps in a role, a person, with a number.
    fn add(&mut self, i: usize, role: &str, person: Option<&str>, phone: Option<&str>) {
        self.named[i] = true;
        if let Some(phone) = phone {
            self.phones.push((i as u32, phone.into()));
        }
        let Some(number) = person.and_then(|id| self.number(id)) else {
            return;
        };
        match role {
            "VICTIM" => self.victims.push((i as u32, number)),
            "SUSPECT" => self.suspects.push((i as u32, number)),
            "CALLER" => self.callers.push((i as u32, number)),
            _ => {}
        }
    }

    /// Linked mentions, as [`Builder::add`] would add them one by one (the
    /// persons numbered in order of first mention), their roles sorted out in parallel.
    fn add_linked(&mut self, found: &[Linked]) {
        let numbers: Vec<Option<u32>> = found.iter().map(|&(_, _, person)| self.number(person)).collect();
        for &(i, ..) in found {
            self.named[i] = true;
        }
        let in_role = |wanted: &str| {
            found
                .par_iter()
                .zip(&numbers)
                .filter_map(|(&(i, role, _), &number)| (role == wanted).then_some((i as u32, number?)))
                .collect::<Vec<_>>()
        };
        let ((victims, suspects), callers) = rayon::join(
            || rayon::join(|| in_role("VICTIM"), || in_role("SUSPECT")),
            || in_role("CALLER"),
        );
        self.victims.extend(victims);
        self.suspects.extend(suspects);
        self.callers.extend(callers);
    }

    /// Canonical mentions (incident, phone number if any), as [`Builder::add`] would add them.
    fn add_phones(&mut self, mentions: &[(usize, Option<&str>)]) {
        for &(i, _) in mentions {
            self.named[i] = true;
        }
        let phones: Vec<(u32, PlSmallStr)> = mentions
            .par_iter()
            .filter_map(|&(i, phone)| Some((i as u32, phone?.into())))
            .collect();
        self.phones.extend(phones);
    }

    /// The number of a person id, given in order of first sight; none for an empty id.
    fn number(&mut self, id: &str) -> Option<u32> {
        if id.is_empty() {
            return None;
        }
        if let Some(&n) = self.number_of.get(id) {
            return Some(n);
        }
        self.person_ids.push(id.to_string());
        let n = (self.person_ids.len() - 1) as u32;
        self.number_of.insert(id.into(), n);
        Some(n)
    }

    fn finish(self) -> People {
        let count = self.named.len();
        let ((victims, suspects), (callers, phones)) = rayon::join(
            || {
                rayon::join(
                    || Lists::from_pairs(count, self.victims),
                    || Lists::from_pairs(count, self.suspects),
                )
            },
            || {
                rayon::join(
                    || Lists::from_pairs(count, self.callers),
                    || Lists::from_pairs(count, self.phones),
                )
            },
        );
        People {
            person_ids: self.person_ids,
            victims,
            suspects,
            callers,
            named: self.named,
            phones,
            identities: Vec::new(),
        }
    }
}

/// A linked mention: its incident, role and person id.
type Linked<'t> = (usize, &'t str, &'t str);

/// Adds each linked mention: its incident, role and person. Quote-free
/// text (as vigil writes it) is split and looked up in parallel pieces;
/// other text goes through the `csv` reader.
fn read_person_mentions(path: &Path, text: &str, builder: &mut Builder) -> Result<(), DetectError> {
    let fail = |reason: String| DetectError::Table {
        path: path.to_path_buf(),
        reason,
    };
    let (header, body) = text.split_once('\n').unwrap_or((text, ""));
    let names: Vec<&str> = header.trim_end_matches('\r').split(',').collect();
    let column = |name: &str| {
        names
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| fail(format!("no `{name}` column (found: {})", names.join(", "))))
    };
    let columns = [
        column(c::FORCE)?,
        column(c::INCIDENT_REF)?,
        column(c::ROLE)?,
        column(c::PERSON_ID)?,
    ];
    if body.contains('"') {
        return read_quoted(path, text, builder, columns);
    }
    let lookups = &*builder;
    let pieces: Vec<Result<Vec<Linked>, DetectError>> = crate::text_pieces::pieces(body)
        .par_iter()
        .map(|piece| {
            let mut out = Vec::new();
            for (n, line) in piece.text.lines().enumerate() {
                let fields: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
                let [Some(force), Some(reference), Some(role), Some(person)] = columns.map(|c| fields.get(c).copied())
                else {
                    let line = piece.lines_before + n as u64 + 2;
                    return Err(fail(format!(
                        "line {line} has {} fields, fewer than the header",
                        fields.len()
                    )));
                };
                if let Some(i) = lookups.incident(force, reference) {
                    out.push((i, role, person));
                }
            }
            Ok(out)
        })
        .collect();
    let mut found = Vec::new();
    for piece in pieces {
        found.extend(piece?);
    }
    builder.add_linked(&found);
    Ok(())
}

/// [`read_person_mentions`] for text with quoted fields.
fn read_quoted(path: &Path, text: &str, builder: &mut Builder, columns: [usize; 4]) -> Result<(), DetectError> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| DetectError::Table {
            path: path.to_path_buf(),
            reason: format!("line {}: {e}", n + 2),
        })?;
        let [force, reference, role, person] = columns.map(|c| record.get(c).unwrap_or(""));
        if let Some(i) = builder.incident(force, reference) {
            builder.add(i, role, Some(person), None);
        }
    }
    Ok(())
}

/// Each linked mention of an incident in the data, from the Parquet copy.
fn linked_rows<'f>(frame: &'f DataFrame, builder: &Builder) -> PolarsResult<Vec<Linked<'f>>> {
    let column = |name: &str| -> PolarsResult<Vec<Option<&'f str>>> { Ok(frame.column(name)?.str()?.iter().collect()) };
    let (force, reference) = (column(c::FORCE)?, column(c::INCIDENT_REF)?);
    let (role, person) = (column(c::ROLE)?, column(c::PERSON_ID)?);
    Ok((0..frame.height())
        .into_par_iter()
        .filter_map(|m| {
            let i = builder.incident(force[m].unwrap_or(""), reference[m].unwrap_or(""))?;
            Some((i, role[m].unwrap_or(""), person[m].unwrap_or("")))
        })
        .collect())
}

/// Every canonical mention of an incident in the data, with its phone number if any.
fn phones<'f>(frame: &'f DataFrame, builder: &Builder) -> PolarsResult<Vec<(usize, Option<&'f str>)>> {
    let column = |name: &str| -> PolarsResult<Vec<Option<&'f str>>> { Ok(frame.column(name)?.str()?.iter().collect()) };
    let (force, reference, phone) = (column(c::FORCE)?, column(c::INCIDENT_REF)?, column(c::PHONE)?);
    Ok((0..frame.height())
        .into_par_iter()
        .filter_map(|m| {
            let i = builder.incident(force[m].unwrap_or(""), reference[m].unwrap_or(""))?;
            Some((i, phone[m].filter(|p| !p.is_empty())))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Incident;

    fn records(n: usize) -> Records {
        let incidents = (0..n)
            .map(|i| Incident {
                incident_ref: format!("I{i}").into(),
                ..Incident::default()
            })
            .collect();
        Records::from_rows(vec!["f".to_string()], incidents, Vec::new())
    }

    fn people_of(records: &Records, pieces: &[&[Linked]], phones: &[(usize, Option<&str>)]) -> People {
        let mut builder = Builder::new(records);
        for piece in pieces {
            builder.add_linked(piece);
        }
        builder.add_phones(phones);
        builder.finish()
    }

    #[test]
    fn linked_mentions_added_piece_by_piece_give_the_people_of_adding_them_at_once() {
        let records = records(6);
        let found: Vec<Linked> = vec![
            (3, "VICTIM", "P9"),
            (0, "SUSPECT", "P2"),
            (3, "SUSPECT", "P2"),
            (5, "WITNESS", "P7"),
            (1, "VICTIM", "P9"),
            (4, "VICTIM", ""),
            (2, "VICTIM", "P1"),
        ];
        let phones = [(3, Some("+447700900001")), (2, None)];
        let whole = people_of(&records, &[&found], &phones);
        assert_eq!(
            whole.person_ids,
            ["P9", "P2", "P7", "P1"],
            "numbered in order of first mention"
        );
        assert_eq!(whole.victims.get(3), Some(&[0][..]));
        assert_eq!(whole.suspects.get(3), Some(&[1][..]));
        assert_eq!(whole.named, [true, true, true, true, true, true]);
        for cut in [1, 3, 6] {
            let (first, rest) = found.split_at(cut);
            let in_pieces = people_of(&records, &[first, rest], &phones);
            assert_eq!(format!("{in_pieces:?}"), format!("{whole:?}"), "cut after {cut}");
        }
    }
}
