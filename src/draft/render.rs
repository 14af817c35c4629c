//! The drafted `[[force]]` block as commented TOML. Every proposal carries
//! its reason in a comment; every decision the draft cannot make is a line
//! whose value is `"?"` with a comment starting `CHOOSE`, so the block is
//! valid TOML that vigil refuses until each choice is made.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::codes::CodeDraft;
use super::export_draft::ExportDraft;
use super::formats::FormatChoice;
use super::mapping::{Offer, Proposal, Source};
use super::profile::ColumnProfile;
use crate::config::{Field, FieldType, TextEncoding};

/// The value of a choice left to the analyst.
pub const UNCHOSEN: &str = "?";

/// A force as drafted.
pub struct ForceDraft<'a> {
    pub id: Option<&'a str>,
    pub exports: &'a [ExportDraft],
    pub codes: &'a [CodeDraft],
}

/// The block's text, and how many choices it leaves to the analyst.
#[derive(Debug, Default)]
pub struct Block {
    pub text: String,
    pub choices: usize,
}

/// The whole block.
pub fn render(force: &ForceDraft) -> Block {
    let mut block = Block::default();
    let out = &mut block;
    out.text.push_str(
        "# Drafted by `vigil draft-dialect`. Read every comment: each proposal says why it\n\
         # was made. A line whose value is \"?\" is a choice left to you (its comment starts\n\
         # CHOOSE): put the value, or delete the line. vigil refuses the block until you do.\n",
    );
    out.text.push_str("[[force]]\n");
    match force.id {
        Some(id) => line(out, &format!("id = {}", quoted(id)), "from --force"),
        None => choose(
            out,
            "id",
            "a short id for the force, such as west_midlands (or give --force)",
        ),
    }
    choose(out, "name", "the force's name, as the packs print it");
    out.text
        .push_str("# timezone = \"Europe/London\" is the default; set it for a force elsewhere.\n");
    for code in force.codes {
        render_codes(out, code);
    }
    for export in force.exports {
        render_export(out, export);
    }
    block
}

fn render_codes(out: &mut Block, code: &CodeDraft) {
    let _ = writeln!(out.text, "\n[force.codes.{}]", code.table.name());
    comment(out, &format!("read from {}", code.read_from.join(", ")));
    comment(out, &format!("vigil's values: {}", code.table.canonical().join(", ")));
    for (raw, count) in &code.values {
        let key = quoted(raw);
        match code.table.says(raw) {
            Some((canonical, phrase)) => line(
                out,
                &format!("{key} = {}", quoted(canonical)),
                &format!("{count} rows; `{phrase}` says {canonical}"),
            ),
            None => choose(
                out,
                &key,
                &format!("{count} rows; the code does not say which value it is"),
            ),
        }
    }
}

fn render_export(out: &mut Block, export: &ExportDraft) {
    out.text.push_str("\n[[force.export]]\n");
    let read = if export.truncated {
        "rows read (the first 200000 of a file only)"
    } else {
        "rows read"
    };
    comment(out, &format!("{}: {} {read}", export.files.join(", "), export.rows));
    match export.mapping.kind {
        Some(kind) => line(out, &format!("kind = \"{kind}\""), &export.mapping.kind_reason),
        None => choose(
            out,
            "kind",
            &format!("calls, incidents, combined or nominals: {}", export.mapping.kind_reason),
        ),
    }
    line(
        out,
        &format!("path = {}", quoted(&export.path)),
        "relative to this file's folder",
    );
    render_reading(out, export);
    out.text.push_str("[force.export.columns]\n");
    render_columns(out, export);
}

/// Encoding, delimiter, formats, missing values and row filters.
fn render_reading(out: &mut Block, export: &ExportDraft) {
    match export.encoding {
        TextEncoding::Windows1252 => line(out, "encoding = \"windows-1252\"", &export.encoding_reason),
        TextEncoding::Utf8 => comment(
            out,
            &format!("encoding: UTF-8, the default ({})", export.encoding_reason),
        ),
    }
    if export.format == crate::config::FileFormat::Csv {
        let delimiter = char::from(export.delimiter).to_string();
        match export.delimiter {
            b',' => comment(
                out,
                &format!("delimiter: a comma, the default ({})", export.delimiter_reason),
            ),
            _ => line(
                out,
                &format!("delimiter = {}", quoted(&delimiter)),
                &export.delimiter_reason,
            ),
        }
    }
    format_line(out, "timestamp_format", export.timestamp.as_ref());
    format_line(out, "date_format", export.date.as_ref());
    format_line(out, "time_format", export.time.as_ref());
    format_line(out, "dob_format", export.dob.as_ref());
    render_missing(out, &export.profiles);
    if let Some(filter) = &export.service {
        let keep: Vec<String> = filter.keep.iter().map(|v| quoted(v)).collect();
        let values: Vec<String> = filter.values.iter().map(|(v, n)| format!("{v} ({n})")).collect();
        line(
            out,
            &format!("keep = {{ {} = [{}] }}", quoted(&filter.column), keep.join(", ")),
            &format!(
                "{} holds {}: only police rows are the force's",
                filter.column,
                values.join(", ")
            ),
        );
    }
}

fn format_line(out: &mut Block, key: &str, choice: Option<&FormatChoice>) {
    match choice {
        None => {}
        Some(FormatChoice::Chosen {
            pattern,
            read,
            tried,
            why,
        }) => {
            let mut reason = format!("reads {read} of {tried} values tried; {why}");
            if read < tried {
                let _ = write!(reason, "; rows with values it does not read will be quarantined");
            }
            line(out, &format!("{key} = {}", quoted(pattern)), &reason);
        }
        Some(FormatChoice::Tied(patterns)) => {
            let listed: Vec<String> = patterns.iter().map(|p| quoted(p)).collect();
            let reason = format!(
                "{}: no value tried settles whether the day or the month comes first",
                listed.join(" or ")
            );
            choose(out, key, &reason);
        }
        Some(FormatChoice::Unread { tried: 0 }) => choose(out, key, "the columns hold no values to read a format from"),
        Some(FormatChoice::Unread { tried }) => choose(
            out,
            key,
            &format!("no format vigil knows reads nine in ten of the {tried} values tried; see the README's formats"),
        ),
    }
}

/// The missing-value texts seen, and texts that may mean "no value" but are read as values.
fn render_missing(out: &mut Block, profiles: &[ColumnProfile]) {
    let tally = |pick: &dyn Fn(&ColumnProfile) -> &Vec<(String, usize)>| {
        let mut seen: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
        for profile in profiles {
            for (text, count) in pick(profile) {
                let entry = seen.entry(text.clone()).or_default();
                entry.0 += count;
                entry.1.push(profile.name.clone());
            }
        }
        seen.into_iter()
            .map(|(text, (count, columns))| format!("{text} ({count} values in {})", columns.join(", ")))
            .collect::<Vec<_>>()
    };
    let missing = tally(&|p| &p.missing_texts);
    if missing.is_empty() {
        comment(out, "missing values: only empty cells seen");
    } else {
        comment(
            out,
            &format!(
                "missing values seen, read as missing by default: {}",
                missing.join("; ")
            ),
        );
    }
    let maybe = tally(&|p| &p.maybe_missing);
    if !maybe.is_empty() {
        comment(
            out,
            &format!(
                "read as values, though they may mean none: {}; if they do, add missing_values = {{ add = [...] }}",
                maybe.join("; ")
            ),
        );
    }
}

fn render_columns(out: &mut Block, export: &ExportDraft) {
    let profiles = &export.profiles;
    let mut used = Vec::new();
    for (field, proposal) in &export.mapping.proposals {
        match proposal {
            Proposal::Found(offer) => {
                used.extend(offer.source.columns());
                line(
                    out,
                    &format!("{} = {}", field.name(), source_value(offer.source, profiles)),
                    &why(offer, profiles),
                );
            }
            Proposal::Tied(offers) => {
                let names: Vec<String> = offers.iter().map(|o| source_value(o.source, profiles)).collect();
                let reason = format!("{}: both read as {}", names.join(" or "), plain_cue(offers[0].cue));
                choose(out, field.name(), &reason);
            }
        }
    }
    let missing: Vec<&str> = match export.mapping.kind {
        Some(kind) => kind
            .accepted_fields()
            .into_iter()
            .filter(|f| !export.mapping.proposals.iter().any(|(p, _)| p == f))
            .map(Field::name)
            .collect(),
        None => Vec::new(),
    };
    if !missing.is_empty() {
        comment(
            out,
            &format!(
                "no column found for: {}; add a line for any the file holds",
                missing.join(", ")
            ),
        );
    }
    let unused: Vec<String> = profiles
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, p)| format!("{} ({} distinct values)", p.name, p.distinct.len()))
        .collect();
    if !unused.is_empty() {
        comment(out, &format!("columns not used: {}", unused.join(", ")));
    }
}

fn source_value(source: Source, profiles: &[ColumnProfile]) -> String {
    match source {
        Source::Column(c) => quoted(&profiles[c].name),
        Source::Pair { date, time } => format!(
            "{{ date = {}, time = {} }}",
            quoted(&profiles[date].name),
            quoted(&profiles[time].name)
        ),
    }
}

/// Why a column was proposed: its name, and what its values are.
fn why(offer: &Offer, profiles: &[ColumnProfile]) -> String {
    let column = &profiles[offer.source.columns()[0]];
    let named = match offer.source {
        Source::Pair { date, time } => format!(
            "named `{}` and `{}`, which read as {}",
            profiles[date].name,
            profiles[time].name,
            plain_cue(offer.cue)
        ),
        Source::Column(_) => format!("named `{}`, which reads as {}", column.name, plain_cue(offer.cue)),
    };
    let present = column.present();
    let values = match offer.field.field_type() {
        _ if present == 0 => "no values in the rows read".to_string(),
        FieldType::Instant if matches!(offer.source, Source::Pair { .. }) => {
            format!("{present} values, read by date_format and time_format")
        }
        FieldType::Instant => format!("{present} values, read by timestamp_format"),
        FieldType::Date => format!("{present} values, read as dates by dob_format"),
        FieldType::Code => format!("{} distinct values, listed in the code table", column.distinct.len()),
        FieldType::Flag => format!("yes/no values ({})", distinct_list(column)),
        FieldType::Integer | FieldType::Decimal => format!("{present} numbers"),
        FieldType::Text => format!("{} distinct values in {present}", column.distinct.len()),
    };
    format!("{named}; {values}")
}

/// A cue as words: the first spelling of each (`call|contact id|ref` is `call id`).
fn plain_cue(cue: &str) -> String {
    cue.split(' ')
        .map(|word| word.split('|').next().unwrap_or(word))
        .collect::<Vec<_>>()
        .join(" ")
}

fn distinct_list(column: &ColumnProfile) -> String {
    let values: Vec<&str> = column.distinct.iter().map(|(v, _)| v.as_str()).collect();
    values.join("/")
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn line(out: &mut Block, setting: &str, reason: &str) {
    let _ = writeln!(out.text, "{setting}  # {}", one_line(reason));
}

fn choose(out: &mut Block, key: &str, reason: &str) {
    out.choices += 1;
    let _ = writeln!(out.text, "{key} = \"{UNCHOSEN}\"  # CHOOSE: {}", one_line(reason));
}

fn comment(out: &mut Block, text: &str) {
    let _ = writeln!(out.text, "# {}", one_line(text));
}

/// Text from a file, safe inside a comment: no line breaks or control characters.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}
