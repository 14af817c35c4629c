//! `vigil draft-dialect`: draft a force's `[[force]]` block from its export
//! files, to stdout or a new file (an existing file is never overwritten).

use crate::draft::{draft_dialect, DraftRequest, UNCHOSEN};
use crate::error::VigilError;

/// Drafts the block; with `out`, writes it and says how many choices are left.
pub fn run(request: &DraftRequest) -> Result<String, VigilError> {
    let block = draft_dialect(request).map_err(VigilError::Usage)?;
    let Some(out) = &request.out else {
        return Ok(block);
    };
    if out.exists() {
        return Err(VigilError::Usage(format!(
            "{} exists; give --out a new file (the draft never overwrites one)",
            out.display()
        )));
    }
    std::fs::write(out, &block).map_err(|e| VigilError::Usage(format!("cannot write {}: {e}", out.display())))?;
    let choices = block
        .lines()
        .filter(|l| l.contains(&format!("= \"{UNCHOSEN}\"  # CHOOSE")))
        .count();
    let exports = block.lines().filter(|l| *l == "[[force.export]]").count();
    Ok(format!(
        "drafted {exports} export(s) into {}; {choices} choice(s) marked CHOOSE are left to you\n",
        out.display()
    ))
}
