//! `vigil draft-dialect`: draft a force's `[[force]]` block from its export
//! files, to stdout or a new file (an existing file is never overwritten).

use crate::draft::{draft_dialect, DraftRequest};
use crate::error::VigilError;

/// Drafts the block; with `out`, writes it and says how many choices are left.
pub fn run(request: &DraftRequest) -> Result<String, VigilError> {
    let drafted = draft_dialect(request).map_err(VigilError::Usage)?;
    let Some(out) = &request.out else {
        return Ok(drafted.block.text);
    };
    if out.exists() {
        return Err(VigilError::Usage(format!(
            "{} exists; give --out a new file (the draft never overwrites one)",
            out.display()
        )));
    }
    std::fs::write(out, &drafted.block.text)
        .map_err(|e| VigilError::Usage(format!("cannot write {}: {e}", out.display())))?;
    Ok(format!(
        "drafted {} export(s) into {}; {} choice(s) marked CHOOSE are left to you\n",
        drafted.exports,
        out.display(),
        drafted.block.choices
    ))
}
