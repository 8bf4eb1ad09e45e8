//! Conversion of byte offsets into the offset unit of the caller's own string type.

/// The unit in which text offsets (`start`, `end`) are reported.
///
/// Each binding asks for the unit that slices its own strings: Rust byte offsets, Python code
/// points, JavaScript UTF-16 code units.
///
/// # Example
///
/// ```
/// use aftersales::{ClassifyRequest, Engine, OffsetUnit};
///
/// let engine = Engine::new();
/// let text = "¡Pedido 112-4839201-1938201!";
/// let bytes = engine.classify(text)?;
/// let chars = engine.classify_request(&ClassifyRequest::new(text).offsets(OffsetUnit::CodePoints))?;
/// let (b, c) = (&bytes.entities.order_ids[0], &chars.entities.order_ids[0]);
/// assert_eq!((b.start, b.end), (9, 28));
/// assert_eq!((c.start, c.end), (8, 27));
/// assert_eq!(&text[b.start..b.end], "112-4839201-1938201");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OffsetUnit {
    /// UTF-8 bytes (Rust `&str` indices).
    #[default]
    Bytes,
    /// Unicode code points (Python `str` indices).
    CodePoints,
    /// UTF-16 code units (JavaScript string indices).
    Utf16,
}

const CHECKPOINT: usize = 1024;

/// Converts byte offsets of one string into `unit`, in time independent of how many offsets are
/// asked for (a checkpoint every KiB for long non-ASCII text).
pub(crate) struct OffsetMapper<'a> {
    text: &'a str,
    unit: OffsetUnit,
    identity: bool,
    /// (byte offset, offset in `unit`) at char boundaries about every [`CHECKPOINT`] bytes.
    checkpoints: Vec<(usize, usize)>,
    /// The last answer: offsets are mostly asked for in increasing order, so the next one is
    /// counted from here.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'a> OffsetMapper<'a> {
    pub fn new(text: &'a str, unit: OffsetUnit) -> OffsetMapper<'a> {
        let identity = unit == OffsetUnit::Bytes || text.is_ascii();
        let mut checkpoints = Vec::new();
        if !identity && text.len() > CHECKPOINT {
            let mut units = 0;
            let mut next = 0;
            for (i, c) in text.char_indices() {
                if i >= next {
                    checkpoints.push((i, units));
                    next = i + CHECKPOINT;
                }
                units += unit_len(c, unit);
            }
        }
        OffsetMapper { text, unit, identity, checkpoints, last: std::cell::Cell::new((0, 0)) }
    }

    /// The offset in the mapper's unit of byte offset `byte` (a char boundary of the text).
    pub fn map(&self, byte: usize) -> usize {
        if self.identity {
            return byte;
        }
        let (from, mut units) = match self.checkpoints.binary_search_by_key(&byte, |&(b, _)| b) {
            Ok(i) => return self.checkpoints[i].1,
            Err(0) => (0, 0),
            Err(i) => self.checkpoints[i - 1],
        };
        let (from, units0) = match self.last.get() {
            (b, u) if b <= byte && b >= from => (b, u),
            _ => (from, units),
        };
        units = units0;
        let end = byte.min(self.text.len());
        for c in self.text[from..end].chars() {
            units += unit_len(c, self.unit);
        }
        self.last.set((end, units));
        units
    }
}

fn unit_len(c: char, unit: OffsetUnit) -> usize {
    match unit {
        OffsetUnit::Bytes => c.len_utf8(),
        OffsetUnit::CodePoints => 1,
        OffsetUnit::Utf16 => c.len_utf16(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_each_unit() {
        let s = "aé😀b";
        let cp = OffsetMapper::new(s, OffsetUnit::CodePoints);
        let u16 = OffsetMapper::new(s, OffsetUnit::Utf16);
        let by = OffsetMapper::new(s, OffsetUnit::Bytes);
        let b = s.find('b').unwrap();
        assert_eq!((cp.map(b), u16.map(b), by.map(b)), (3, 4, 7));
        assert_eq!(cp.map(0), 0);
    }

    #[test]
    fn long_text_uses_checkpoints_consistently() {
        let s = "é😀abc".repeat(700);
        let m = OffsetMapper::new(&s, OffsetUnit::Utf16);
        assert!(!m.checkpoints.is_empty());
        for (i, _) in s.char_indices().step_by(37) {
            assert_eq!(m.map(i), s[..i].encode_utf16().count());
        }
        // Out of order too.
        for (i, _) in s.char_indices().rev().step_by(53) {
            assert_eq!(m.map(i), s[..i].encode_utf16().count());
        }
        assert_eq!(m.map(s.len()), s.encode_utf16().count());
    }
}
