//! Cutting CSV text at line ends into pieces that can be parsed in parallel:
//! only for a large text with no quote character, since a quote may hide a
//! line end inside a field.

use rayon::prelude::*;

/// Texts smaller than this stay in one piece.
pub const PARALLEL_FROM_BYTES: usize = 4 << 20;

/// A run of whole lines and the number of the line before its first.
pub struct Piece<'a> {
    pub text: &'a str,
    pub lines_before: u64,
    /// Where the piece starts in the whole text, in bytes.
    pub start: usize,
}

/// Cuts `text` after line ends into about four pieces per thread, when that is safe.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    if memchr::memchr(b'"', text.as_bytes()).is_some() {
        return vec![whole(text)];
    }
    quote_free_pieces(text)
}

/// [`pieces`] of a text the caller knows holds no quote character.
pub fn quote_free_pieces(text: &str) -> Vec<Piece<'_>> {
    let bytes = text.as_bytes();
    let wanted = rayon::current_num_threads() * 4;
    if bytes.len() < PARALLEL_FROM_BYTES {
        return vec![whole(text)];
    }
    let mut cuts = vec![0];
    for k in 1..wanted {
        let target = (bytes.len() * k / wanted).max(*cuts.last().unwrap_or(&0));
        if let Some(newline) = memchr::memchr(b'\n', &bytes[target..]) {
            let cut = target + newline + 1;
            if cut < bytes.len() && cut > *cuts.last().unwrap_or(&0) {
                cuts.push(cut);
            }
        }
    }
    cuts.push(bytes.len());
    let newlines: Vec<u64> = cuts.par_windows(2).map(|w| newlines(&bytes[w[0]..w[1]])).collect();
    let mut lines_before = 0;
    cuts.windows(2)
        .zip(newlines)
        .map(|(w, count)| {
            let piece = Piece {
                text: &text[w[0]..w[1]],
                lines_before,
                start: w[0],
            };
            lines_before += count;
            piece
        })
        .collect()
}

fn whole(text: &str) -> Piece<'_> {
    Piece {
        text,
        lines_before: 0,
        start: 0,
    }
}

/// The number of line ends (`\n`) in `bytes`.
pub fn newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}
