//! The matching form of a text: lower case, width-folded, without diacritics, traditional Chinese
//! as simplified, whitespace runs collapsed, with a map back to the original byte offsets.

use super::script::{CharScript, ScriptCounts};
use super::tables::{LATIN_1_EXT_AB, LATIN_EXT_ADDITIONAL, TRADITIONAL_TO_SIMPLIFIED};

/// A normalised text and, for each of its bytes, the byte offset in the original text of the
/// character that produced it.
#[derive(Debug, Default)]
pub(crate) struct Normalized {
    pub text: String,
    origin: Vec<u32>,
    original_len: u32,
    /// Characters whose folded form differs from the original (ñ, ã, ğ…), kept for language
    /// identification, which loses them otherwise. At most [`MARKS_KEPT`].
    pub marks: Vec<char>,
    /// Traditional-only Han characters seen (for the `Hant` script tag).
    pub traditional: u32,
    /// Whether `origin` is kept (not for phrases, which need no way back).
    track: bool,
    /// Cased letters and exclamation marks of the original, for emphasis ("WHERE IS IT!!").
    pub upper: u32,
    pub lower: u32,
    pub exclamations: u32,
    /// Letters per script in the original text.
    pub counts: ScriptCounts,
}

const MARKS_KEPT: usize = 64;

impl Normalized {
    /// Normalises `original`. Offsets fit in `u32`: callers limit texts far below 4 GiB.
    pub fn new(original: &str) -> Normalized {
        Normalized::build(original, true)
    }

    fn build(original: &str, track: bool) -> Normalized {
        Normalized::build_in(original, track, String::with_capacity(original.len() + 8))
    }

    /// Normalises `original` into `buffer` (cleared first).
    fn build_in(original: &str, track: bool, mut buffer: String) -> Normalized {
        buffer.clear();
        let mut n = Normalized {
            text: buffer,
            origin: Vec::with_capacity(if track { original.len() + 8 } else { 0 }),
            original_len: original.len() as u32,
            track,
            ..Normalized::default()
        };
        let mut pending_space: Option<(u32, char)> = None;
        let bytes = original.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let pos = i as u32;
            // A run of ASCII letters, digits, plain punctuation and single spaces between them is
            // copied in one go, lower-cased: most of most messages.
            if is_plain(b) || b.is_ascii_uppercase() {
                let mut j = i + 1;
                while j < bytes.len() {
                    let c = bytes[j];
                    let single_space = c == b' ' && bytes.get(j + 1).is_some_and(|&d| is_simple(d));
                    if !(is_simple(c) || single_space) {
                        break;
                    }
                    j += 1;
                }
                n.flush_space(&mut pending_space);
                let run = &bytes[i..j];
                let lower = run.iter().filter(|b| b.is_ascii_lowercase()).count() as u32;
                let upper = run.iter().filter(|b| b.is_ascii_uppercase()).count() as u32;
                n.lower += lower;
                n.upper += upper;
                n.counts.latin += lower + upper;
                let start = n.text.len();
                n.text.push_str(&original[i..j]);
                if upper > 0 {
                    n.text[start..].make_ascii_lowercase();
                }
                if n.track {
                    n.origin.extend(pos..j as u32);
                }
                i = j;
                continue;
            }
            // A run of characters that normalise to themselves (Hangul, Thai, kana, Han that is
            // not traditional-only, lower-case Cyrillic, Arabic letters without variants).
            if b >= 0xC0 {
                let end = unchanged_run_end(original, i);
                if end > i {
                    n.flush_space(&mut pending_space);
                    for (k, c) in original[i..end].char_indices() {
                        n.count(c, CharScript::of(c));
                        if n.track {
                            n.origin.extend(std::iter::repeat_n((i + k) as u32, c.len_utf8()));
                        }
                    }
                    n.text.push_str(&original[i..end]);
                    i = end;
                    continue;
                }
            }
            // ASCII, the bulk of most messages, byte by byte.
            let (c, len) = if b < 0x80 {
                (b as char, 1)
            } else {
                let c = original[i..].chars().next().unwrap_or(' ');
                (c, c.len_utf8())
            };
            i += len;
            if c.is_whitespace() {
                // A run of whitespace becomes one space, or one newline if it holds a line break
                // (a clause boundary).
                let sep = if c == '\n' || c == '\r' || c == '\u{2028}' || c == '\u{2029}' { '\n' } else { ' ' };
                pending_space = match pending_space {
                    None => Some((pos, sep)),
                    Some((p, ' ')) if sep == '\n' => Some((p, '\n')),
                    keep => keep,
                };
                continue;
            }
            n.flush_space(&mut pending_space);
            if len == 1 {
                match b {
                    b'A'..=b'Z' => {
                        n.upper += 1;
                        n.counts.latin += 1;
                        n.push_ascii(b.to_ascii_lowercase(), pos);
                    }
                    b'a'..=b'z' => {
                        n.lower += 1;
                        n.counts.latin += 1;
                        n.push_ascii(b, pos);
                    }
                    b'!' => {
                        n.exclamations += 1;
                        n.push_ascii(b, pos);
                    }
                    b'`' => n.push_ascii(b'\'', pos),
                    _ => n.push_ascii(b, pos),
                }
            } else {
                let script = CharScript::of(c);
                n.count(c, script);
                n.push_folded(c, script, pos);
            }
        }
        n
    }

    /// Counts a non-ASCII character: its script, its case, full-width exclamation marks.
    fn count(&mut self, c: char, script: CharScript) {
        match script {
            CharScript::Latin => self.counts.latin += 1,
            CharScript::Cyrillic => self.counts.cyrillic += 1,
            CharScript::Arabic => self.counts.arabic += 1,
            CharScript::Thai => self.counts.thai += 1,
            CharScript::Hangul => self.counts.hangul += 1,
            CharScript::Kana => self.counts.kana += 1,
            CharScript::Han => self.counts.han += 1,
            CharScript::OtherLetter => self.counts.other += 1,
            CharScript::None => self.exclamations += u32::from(c == '！'),
        }
        if matches!(script, CharScript::Latin | CharScript::Cyrillic) {
            if c.is_uppercase() {
                self.upper += 1;
            } else {
                self.lower += 1;
            }
        }
    }

    /// Writes the whitespace seen before the next character, unless it leads the text.
    fn flush_space(&mut self, pending: &mut Option<(u32, char)>) {
        if let Some((p, sep)) = pending.take()
            && !self.text.is_empty()
        {
            self.push(sep, p);
        }
    }

    #[inline]
    fn push_ascii(&mut self, b: u8, origin: u32) {
        debug_assert!(b.is_ascii());
        self.text.push(b as char);
        if self.track {
            self.origin.push(origin);
        }
    }

    fn push(&mut self, c: char, origin: u32) {
        self.text.push(c);
        if self.track {
            self.origin.resize(self.text.len(), origin);
        }
    }

    fn push_str(&mut self, s: &str, origin: u32) {
        self.text.push_str(s);
        if self.track {
            self.origin.resize(self.text.len(), origin);
        }
    }

    fn mark(&mut self, c: char) {
        // Kept for identifying the language of messages; phrases need none.
        if self.track && self.marks.len() < MARKS_KEPT {
            self.marks.push(c);
        }
    }

    fn push_folded(&mut self, c: char, script: CharScript, pos: u32) {
        let cp = c as u32;
        match cp {
            // Combining diacritical marks, Arabic harakat and tatweel, zero-width characters,
            // variation selectors: dropped.
            0x0300..=0x036F | 0x064B..=0x065F | 0x0670 | 0x0640 | 0x200B..=0x200F | 0xFE00..=0xFE0F | 0xFEFF => {}
            0x00C0..=0x024F => self.push_latin(c, LATIN_1_EXT_AB[(cp - 0xC0) as usize], pos),
            0x1E00..=0x1EFF => self.push_latin(c, LATIN_EXT_ADDITIONAL[(cp - 0x1E00) as usize], pos),
            // Full-width ASCII, ideographic space handled as whitespace above.
            0xFF01..=0xFF5E => {
                let ascii = char::from_u32(cp - 0xFF01 + 0x21).unwrap_or(c);
                self.push(ascii.to_ascii_lowercase(), pos);
            }
            0xFF61..=0xFF9F => self.push_halfwidth_katakana(c, pos),
            // Apostrophes and their look-alikes ("n’est", "don`t", "l´ordine") as one.
            0x2018 | 0x2019 | 0x201B | 0x02BC | 0x00B4 | 0x2032 => self.push('\'', pos),
            // Arabic letter variants matched as one.
            0x0622 | 0x0623 | 0x0625 | 0x0671 => self.push('\u{0627}', pos),
            0x0629 => self.push('\u{0647}', pos),
            0x0649 | 0x0626 => self.push('\u{064A}', pos),
            0x0624 => self.push('\u{0648}', pos),
            0x06CC => self.push('\u{064A}', pos), // Farsi yeh
            0x06A9 => self.push('\u{0643}', pos), // keheh
            0x0660..=0x0669 => self.push(char::from_u32(cp - 0x0660 + 0x30).unwrap_or(c), pos),
            0x06F0..=0x06F9 => self.push(char::from_u32(cp - 0x06F0 + 0x30).unwrap_or(c), pos),
            0x0451 | 0x0401 => self.push('\u{0435}', pos), // ё → е
            0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF => {
                match TRADITIONAL_TO_SIMPLIFIED.binary_search_by_key(&c, |&(t, _)| t) {
                    Ok(i) => {
                        self.traditional += 1;
                        self.push(TRADITIONAL_TO_SIMPLIFIED[i].1, pos);
                    }
                    Err(_) => self.push(c, pos),
                }
            }
            // Scripts without case: skip the case tables.
            _ if matches!(script, CharScript::Arabic | CharScript::Thai | CharScript::Hangul | CharScript::Kana) => {
                self.push(c, pos)
            }
            0x0410..=0x042F => self.push(char::from_u32(cp + 0x20).unwrap_or(c), pos),
            0x0430..=0x044F => self.push(c, pos),
            _ => {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) => self.push(l, pos),
                    (Some(l), Some(m)) => {
                        self.push(l, pos);
                        if !matches!(m as u32, 0x0300..=0x036F) {
                            self.push(m, pos);
                        }
                        for rest in lower {
                            self.push(rest, pos);
                        }
                    }
                    (None, _) => {}
                }
            }
        }
    }

    fn push_latin(&mut self, c: char, folded: &'static str, pos: u32) {
        let lower = lower1(c);
        if folded.is_empty() {
            self.push(lower, pos);
        } else {
            self.mark(lower);
            self.push_str(folded, pos);
        }
    }

    fn push_halfwidth_katakana(&mut self, c: char, pos: u32) {
        const FULL: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";
        let cp = c as u32;
        match cp {
            // Voiced and semi-voiced sound marks combine with the kana before them.
            0xFF9E | 0xFF9F => {
                let Some(prev) = self.text.chars().next_back() else { return };
                let step = if cp == 0xFF9E { 1 } else { 2 };
                let combinable = match prev {
                    'カ'..='ト' => cp == 0xFF9E && (prev as u32 - 'カ' as u32).is_multiple_of(2) && prev != 'ッ',
                    'ハ'..='ホ' => (prev as u32 - 'ハ' as u32).is_multiple_of(3),
                    'ウ' => cp == 0xFF9E,
                    _ => false,
                };
                if combinable {
                    let voiced = if prev == 'ウ' { 'ヴ' } else { char::from_u32(prev as u32 + step).unwrap_or(prev) };
                    let len = prev.len_utf8();
                    let origin = self.origin[self.origin.len() - len];
                    self.text.truncate(self.text.len() - len);
                    self.origin.truncate(self.origin.len() - len);
                    self.push(voiced, origin);
                }
            }
            _ => {
                let index = (cp - 0xFF61) as usize;
                if let Some(full) = FULL.chars().nth(index) {
                    self.push(full, pos);
                }
            }
        }
    }

    /// The original byte offset where the normalised byte range starting at `start` begins.
    pub fn original_start(&self, start: usize) -> usize {
        match self.origin.get(start) {
            Some(&o) => o as usize,
            None => self.original_len as usize,
        }
    }

    /// The original byte offset where a normalised range ending at `end` (exclusive) ends.
    pub fn original_end(&self, original: &str, end: usize) -> usize {
        if end == 0 {
            return self.original_start(0);
        }
        let last = self.origin[end - 1] as usize;
        let char_len = original[last..].chars().next().map_or(0, char::len_utf8);
        let mut out = last + char_len;
        // Take along combining marks that were dropped right after the last character.
        for c in original[out..].chars() {
            if matches!(c as u32, 0x0300..=0x036F | 0x064B..=0x065F | 0x0670 | 0xFE00..=0xFE0F) {
                out += c.len_utf8();
            } else {
                break;
            }
        }
        out
    }
}

/// The end of the run of characters from `from` that normalisation leaves as they are.
fn unchanged_run_end(text: &str, from: usize) -> usize {
    let mut end = from;
    for c in text[from..].chars() {
        let unchanged = match c as u32 {
            0xAC00..=0xD7A3 | 0x0E01..=0x0E5B | 0x3041..=0x309F | 0x30A0..=0x30FF | 0x0430..=0x044F => true,
            0x0621 | 0x0627 | 0x0628 | 0x062A..=0x063A | 0x0641..=0x0648 | 0x064A => true,
            0x4E00..=0x9FFF => TRADITIONAL_TO_SIMPLIFIED.binary_search_by_key(&c, |&(t, _)| t).is_err(),
            _ => false,
        };
        if !unchanged {
            break;
        }
        end += c.len_utf8();
    }
    end
}

/// ASCII that normalisation keeps as it is, or only lower-cases.
#[inline]
fn is_simple(b: u8) -> bool {
    is_plain(b) || b.is_ascii_uppercase()
}

/// ASCII that normalisation keeps as it is: not upper case, not space, not `!` or `` ` ``.
#[inline]
fn is_plain(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || (b.is_ascii_punctuation() && b != b'!' && b != b'`')
}

fn lower1(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        // İ lower-cases to "i̇"; the dot is a diacritic we drop anyway.
        (Some(l), Some(_)) => l,
        _ => c,
    }
}

/// Appends `phrase` (a lexicon phrase or a user phrase), normalised the same way as text, to
/// `out`; `scratch` is working space kept between calls.
pub(crate) fn normalize_phrase_into(out: &mut String, phrase: &str, scratch: &mut String) {
    // Most lexicon phrases are already in normal form: lower-case ASCII with single spaces.
    let b = phrase.as_bytes();
    let mut previous = b' ';
    let plain = b.iter().all(|&c| {
        let ok = is_plain(c) || (c == b' ' && previous != b' ');
        previous = c;
        ok
    }) && previous != b' ';
    if plain {
        out.push_str(phrase);
    } else {
        let n = Normalized::build_in(phrase, false, std::mem::take(scratch));
        out.push_str(&n.text);
        *scratch = n.text;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        Normalized::new(s).text
    }

    #[test]
    fn folds_case_width_and_diacritics() {
        assert_eq!(norm("Está ROTO"), "esta roto");
        assert_eq!(norm("ＡＢＣ１２３"), "abc123");
        assert_eq!(norm("Straße"), "strasse");
        assert_eq!(norm("Łódź İstanbul ağır"), "lodz istanbul agir");
        assert_eq!(norm("Đơn hàng chưa được giao"), "don hang chua duoc giao");
        assert_eq!(norm("Ёлка"), "елка");
        assert_eq!(norm("n’est l´ordine"), "n'est l'ordine");
    }

    #[test]
    fn folds_arabic_and_chinese() {
        assert_eq!(norm("أُرِيدُ"), "اريد");
        assert_eq!(norm("طلبيّة"), "طلبيه");
        assert_eq!(norm("包裹還沒到"), "包裹还没到");
        assert_eq!(Normalized::new("還沒").traditional, 2);
    }

    #[test]
    fn folds_halfwidth_katakana() {
        assert_eq!(norm("ｶﾞﾗｽ"), "ガラス");
        assert_eq!(norm("ﾊﾟｯｹｰｼﾞ"), "パッケージ");
    }

    #[test]
    fn collapses_whitespace_and_keeps_line_breaks() {
        assert_eq!(norm("  a \t b\r\n\n c  "), "a b\nc");
    }

    #[test]
    fn maps_offsets_back() {
        let original = "Ｔｈｅ  Straße é";
        let n = Normalized::new(original);
        let start = n.text.find("strasse").unwrap();
        let end = start + "strasse".len();
        let (s, e) = (n.original_start(start), n.original_end(original, end));
        assert_eq!(&original[s..e], "Straße");
        let decomposed = "cafe\u{301} ok";
        let n = Normalized::new(decomposed);
        assert_eq!(n.text, "cafe ok");
        assert_eq!(&decomposed[n.original_start(0)..n.original_end(decomposed, 4)], "cafe\u{301}");
    }

    /// The fast paths (ASCII runs, runs of characters that stay as they are) against the
    /// character-by-character definition: normalising a text equals normalising its characters
    /// one by one and joining them, when no whitespace is involved; offsets point at the
    /// character each byte came from.
    mod runs {
        use super::*;
        use proptest::prelude::*;

        fn alphabet() -> impl Strategy<Value = String> {
            let chars = "aZ9.,'!`ÉéßİЁёЖжاأةىـًتي한국ไทย่ひカｶﾞ東東這這Ꭰ€😀";
            let pool: Vec<char> = chars.chars().collect();
            proptest::collection::vec(proptest::sample::select(pool), 0..24).prop_map(|v| v.into_iter().collect())
        }

        proptest! {
            #[test]
            fn runs_equal_char_by_char(text in alphabet()) {
                let n = Normalized::new(&text);
                let mut joined = String::new();
                for c in text.chars() {
                    joined.push_str(&Normalized::new(c.encode_utf8(&mut [0; 4])).text);
                }
                // Half-width voiced marks combine with the kana before them; nothing else does.
                if !text.contains('ﾞ') {
                    prop_assert_eq!(&n.text, &joined);
                }
                let mut previous = 0;
                for i in 0..n.text.len() {
                    let o = n.original_start(i);
                    prop_assert!(text.is_char_boundary(o) && o >= previous && o < text.len());
                    previous = o;
                }
            }
        }
    }
}
