//! Text handling shared by the engines: normalisation with offsets, scripts, offset units.

mod normalize;
mod offsets;
mod script;
mod tables;

pub(crate) use normalize::{Normalized, normalize_phrase_into};
pub(crate) use offsets::OffsetMapper;
pub use offsets::OffsetUnit;
pub(crate) use script::CharScript;
pub use script::Script;

/// Whether `c` is part of a word, for whole-word matching in spaced scripts. The scripts of the
/// supported languages are answered from their ranges; Unicode's tables only for the rest.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    let cp = c as u32;
    if cp < 0x80 {
        return c.is_ascii_alphanumeric();
    }
    match cp {
        0x00C0..=0x024F => cp != 0xD7 && cp != 0xF7,
        0x0300..=0x036F => true,
        0x0400..=0x04FF => true,
        0x0621..=0x064A | 0x0660..=0x0669 | 0x066E..=0x06D3 | 0x06F0..=0x06F9 => true,
        0x0E01..=0x0E3A | 0x0E40..=0x0E4E | 0x0E50..=0x0E59 => true,
        0x1E00..=0x1EFF => true,
        0x3041..=0x3096 | 0x30A1..=0x30FA | 0x30FC => true,
        0x4E00..=0x9FFF | 0xAC00..=0xD7A3 => true,
        0x2000..=0x206F | 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 => false,
        _ => c.is_alphanumeric(),
    }
}

/// The lines of `s` (split at `\n`, without a last empty line), found with `memchr`: the
/// embedded data files have tens of thousands of lines.
pub(crate) fn lines(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
        let line = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or("");
        Some(line)
    })
}
