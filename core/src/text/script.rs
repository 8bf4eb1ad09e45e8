//! Writing systems, as far as language identification and word matching need them.

use serde::{Serialize, Serializer};

/// The writing system of a character, coarse-grained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum CharScript {
    Latin,
    Cyrillic,
    Arabic,
    Thai,
    Hangul,
    Kana,
    Han,
    /// A letter of another script (Greek, Hebrew, Devanagari, …).
    OtherLetter,
    /// Digits, punctuation, symbols, spaces, emoji.
    None,
}

impl CharScript {
    #[inline]
    pub fn of(c: char) -> CharScript {
        let cp = c as u32;
        if cp < 0x80 {
            return if c.is_ascii_alphabetic() { CharScript::Latin } else { CharScript::None };
        }
        match cp {
            // The common cases first, answered without Unicode's tables.
            0x4E00..=0x9FFF => return CharScript::Han,
            0xAC00..=0xD7A3 => return CharScript::Hangul,
            0x0621..=0x064A => return CharScript::Arabic,
            0x0E01..=0x0E3A | 0x0E40..=0x0E4E => return CharScript::Thai,
            0x00A0..=0x00BF => return CharScript::None,
            0x0600..=0x0620 | 0x064B..=0x066D => return CharScript::None,
            0x2000..=0x2BFF | 0x3000..=0x303F | 0xFF01..=0xFF20 | 0xFE00..=0xFE0F => return CharScript::None,
            0x1F000..=0x1FAFF => return CharScript::None,
            _ => {}
        }
        match cp {
            0x00C0..=0x024F | 0x1E00..=0x1EFF | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => {
                if c == '\u{00D7}' || c == '\u{00F7}' { CharScript::None } else { CharScript::Latin }
            }
            0x0400..=0x052F => CharScript::Cyrillic,
            0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
                if c.is_alphabetic() { CharScript::Arabic } else { CharScript::None }
            }
            0x0E00..=0x0E7F => {
                if c.is_alphabetic() || matches!(cp, 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E) {
                    CharScript::Thai
                } else {
                    CharScript::None
                }
            }
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF | 0xFFA0..=0xFFDC => CharScript::Hangul,
            0x3041..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => {
                // The prolonged sound mark and middle dot are shared with nothing else.
                CharScript::Kana
            }
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF => CharScript::Han,
            _ if c.is_alphabetic() => CharScript::OtherLetter,
            _ => CharScript::None,
        }
    }

    /// Whether words in this script are separated by spaces (so phrases match whole words).
    pub fn is_spaced(self) -> bool {
        matches!(
            self,
            CharScript::Latin
                | CharScript::Cyrillic
                | CharScript::Arabic
                | CharScript::Hangul
                | CharScript::OtherLetter
        )
    }
}

/// The writing system of a classified text, as an ISO 15924 code.
///
/// Chinese is reported as `Hans` or `Hant` depending on which characters it uses, Japanese as
/// `Jpan` (kana with or without kanji), Korean as `Kore`; `Zyyy` (common) means the text has no
/// letters, `Zzzz` a script the library has no lexicon for.
///
/// # Example
///
/// ```
/// use aftersales::{Engine, Script};
///
/// let engine = Engine::new();
/// assert_eq!(engine.classify("包裹還沒到")?.script, Script::HanTraditional);
/// assert_eq!(engine.classify("Paket kam kaputt an")?.script.as_str(), "Latn");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Script {
    /// `Latn`
    Latin,
    /// `Cyrl`
    Cyrillic,
    /// `Arab`
    Arabic,
    /// `Thai`
    Thai,
    /// `Kore` (Hangul, possibly with Hanja)
    Korean,
    /// `Jpan` (kana, possibly with kanji)
    Japanese,
    /// `Hans`
    HanSimplified,
    /// `Hant`
    HanTraditional,
    /// `Zzzz`: letters of a script without a lexicon.
    Unknown,
    /// `Zyyy`: no letters at all.
    Common,
}

impl Script {
    /// The ISO 15924 code.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::Script::Japanese.as_str(), "Jpan");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Latin => "Latn",
            Script::Cyrillic => "Cyrl",
            Script::Arabic => "Arab",
            Script::Thai => "Thai",
            Script::Korean => "Kore",
            Script::Japanese => "Jpan",
            Script::HanSimplified => "Hans",
            Script::HanTraditional => "Hant",
            Script::Unknown => "Zzzz",
            Script::Common => "Zyyy",
        }
    }
}

impl std::fmt::Display for Script {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Script {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::domain::serialize_name(s, self.as_str())
    }
}

/// Letter counts per script over a text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ScriptCounts {
    pub latin: u32,
    pub cyrillic: u32,
    pub arabic: u32,
    pub thai: u32,
    pub hangul: u32,
    pub kana: u32,
    pub han: u32,
    pub other: u32,
}

impl ScriptCounts {
    pub fn letters(&self) -> u32 {
        self.latin + self.cyrillic + self.arabic + self.thai + self.hangul + self.kana + self.han + self.other
    }
}
