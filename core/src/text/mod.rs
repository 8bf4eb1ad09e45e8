//! Text handling shared by the engines: normalisation with offsets, scripts, offset units.

mod normalize;
mod offsets;
mod script;
mod tables;

pub(crate) use normalize::{Normalized, normalize_phrase};
pub(crate) use offsets::OffsetMapper;
pub use offsets::OffsetUnit;
pub use script::Script;
pub(crate) use script::{CharScript, ScriptCounts};

/// Whether `c` is part of a word, for whole-word matching in spaced scripts.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c as u32, 0x0300..=0x036F | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E)
}
