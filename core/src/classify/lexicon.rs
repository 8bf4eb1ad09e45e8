//! Built-in lexicons and policy phrases, compiled into one Aho-Corasick automaton over the
//! normalised text. The file format is documented in `core/data/lexicons/README.md`.

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind};

use super::trie::WordTrie;
use crate::domain::{EscalationSignal, Language};
use crate::text::{CharScript, is_word_char, normalize_phrase};

/// The built-in lexicons, one per supported language.
pub(crate) static BUILTIN: [(Language, &str); 17] = [
    (Language::AR, include_str!("../../data/lexicons/ar.txt")),
    (Language::DE, include_str!("../../data/lexicons/de.txt")),
    (Language::EN, include_str!("../../data/lexicons/en.txt")),
    (Language::ES, include_str!("../../data/lexicons/es.txt")),
    (Language::FR, include_str!("../../data/lexicons/fr.txt")),
    (Language::ID, include_str!("../../data/lexicons/id.txt")),
    (Language::IT, include_str!("../../data/lexicons/it.txt")),
    (Language::JA, include_str!("../../data/lexicons/ja.txt")),
    (Language::KO, include_str!("../../data/lexicons/ko.txt")),
    (Language::NL, include_str!("../../data/lexicons/nl.txt")),
    (Language::PL, include_str!("../../data/lexicons/pl.txt")),
    (Language::PT, include_str!("../../data/lexicons/pt.txt")),
    (Language::RU, include_str!("../../data/lexicons/ru.txt")),
    (Language::TH, include_str!("../../data/lexicons/th.txt")),
    (Language::TR, include_str!("../../data/lexicons/tr.txt")),
    (Language::VI, include_str!("../../data/lexicons/vi.txt")),
    (Language::ZH, include_str!("../../data/lexicons/zh.txt")),
];

/// What a lexicon entry is evidence of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Role {
    /// Evidence for the category with this index in the engine's category table.
    Category(u16),
    /// Cancels the category with this index within the same clause.
    Block(u16),
    NegationBefore,
    NegationAfter,
    ClauseBreak,
    Positive,
    Negative,
    Intensifier,
    Escalation(EscalationSignal),
    OrderCue,
    TrackingCue,
    /// A word that a phrase pattern needs (see `patterns.rs`); matched here so that the text is
    /// read once.
    PatternAnchor(u8),
}

/// Where the words of a lexicon entry came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    Builtin,
    Policy,
}

#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub role: Role,
    pub weight: f32,
    /// `None` for language-neutral policy phrases (`"*"`), never gated by language.
    pub lang: Option<Language>,
    pub parts: u8,
    /// Whether the entry is specific enough to count in a language the message is not in
    /// (several words, or a long word): short single words are often false friends.
    pub specific: bool,
    pub origin: Origin,
    /// The script family its words are written in (see [`script_family`]); "ptt" in the Chinese
    /// lexicon is Latin, and must be gated like a Latin word.
    pub script: u8,
}

/// How a match edge must relate to the surrounding text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Edge {
    /// Anything may surround it (CJK, Thai, punctuation, or `*`).
    Open,
    /// A word boundary.
    Word,
    /// A word boundary, or Arabic clitics (و ال ب … before, ي ها نا … after).
    ArabicClitic,
}

#[derive(Clone, Copy, Debug)]
struct Term {
    entry: u32,
    part: u8,
    /// How many parts the entry has (1 for a single phrase).
    parts: u8,
    start: Edge,
    end: Edge,
    /// Matched through a generated misspelling of the phrase (counts a little less).
    typo: bool,
    /// The phrase ends with a letter of a spaced script and may continue (`*`, or Korean): its
    /// span runs to the end of the word.
    spaced_end: bool,
}

/// One accepted match of one entry part, in normalised byte offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    pub entry: u32,
    pub part: u8,
    pub start: u32,
    pub end: u32,
    pub typo: bool,
}

#[derive(Clone, Copy, Debug)]
struct TermRange {
    start: u32,
    singles: u16,
    groups: u16,
}

impl TermRange {
    fn singles(self) -> std::ops::Range<usize> {
        self.start as usize..self.start as usize + self.singles as usize
    }

    fn groups(self) -> std::ops::Range<usize> {
        let from = self.start as usize + self.singles as usize;
        from..from + self.groups as usize
    }
}

/// The compiled lexicon.
pub(crate) struct Lexicon {
    /// Patterns that may start anywhere (CJK, Thai, Arabic with clitics, `*tails`, symbols),
    /// searched everywhere; their pattern ids are the global ids `0..anywhere_len`.
    anywhere: NFA,
    anywhere_len: u32,
    /// Patterns that start a word, walked from word starts only (no time spent on the "fun"
    /// inside "refund"); global id = `anywhere_len` + their own id.
    at_word_start: WordTrie,
    /// For each pattern, where its terms are: those of single-part entries, then those of
    /// multi-part entries. Eight bytes a pattern: this table is read for every match.
    ranges: Vec<TermRange>,
    terms: Vec<Term>,
    pub entries: Vec<Entry>,
    /// The canonical phrase of each entry (`"wrong + colour"`, `"damag*"`), to find entries to
    /// remove; apart from `entries`, which is read for every match and kept small.
    keys: Vec<Box<str>>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon").field("patterns", &self.ranges.len()).field("entries", &self.entries.len()).finish()
    }
}

/// A phrase part after parsing: normalised text and its wildcard ends.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Part {
    text: String,
    open_start: bool,
    open_end: bool,
    /// Generated misspellings of `text` (see [`LexiconBuilder::add_misspellings`]).
    misspellings: Vec<String>,
}

impl Part {
    fn parse(raw: &str) -> Result<Part, String> {
        let open_start = raw.starts_with('*');
        let open_end = raw.len() > 1 && raw.ends_with('*');
        if raw.starts_with("**") || raw.ends_with("**") {
            return Err(format!("'*' may only start or end a phrase: {raw:?}"));
        }
        let inner = raw.trim_start_matches('*').trim_end_matches('*');
        if inner.contains('*') {
            return Err(format!("'*' may only start or end a phrase: {raw:?}"));
        }
        if inner.chars().any(char::is_control) {
            return Err(format!("phrase contains a control character: {raw:?}"));
        }
        let text = normalize_phrase(inner);
        if text.trim().is_empty() {
            return Err(format!("empty phrase: {raw:?}"));
        }
        Ok(Part { text, open_start, open_end, misspellings: Vec::new() })
    }

    /// Specific enough to count in a message of another language: several words, a long word,
    /// or three or more CJK/Thai characters.
    fn is_specific(&self) -> bool {
        let t = self.text.as_str();
        if t.contains(' ') {
            return true;
        }
        let chars = t.chars().count();
        chars >= 7 || (chars >= 3 && t.chars().next().is_some_and(|c| !CharScript::of(c).is_spaced() && !c.is_ascii()))
    }
}

/// A parsed phrase (`"damag*"`, `"wrong + colour"`), before compilation.
#[derive(Clone, Debug)]
pub(crate) struct Phrase {
    parts: Vec<Part>,
    pub weight: f32,
}

impl Phrase {
    /// Parses one entry line: `phrase` or `phrase = weight`.
    pub fn parse(line: &str) -> Result<Phrase, String> {
        let line = line.trim();
        let (body, weight) = match line.rfind(" = ") {
            Some(i) => {
                let w = line[i + 3..].trim();
                let weight: f32 = w.parse().map_err(|_| format!("weight is not a number: {w:?}"))?;
                if !(0.25..=3.0).contains(&weight) {
                    return Err(format!("weight must be from 0.25 to 3, got {weight}"));
                }
                (&line[..i], weight)
            }
            None => (line, 1.0),
        };
        if body.len() > 200 {
            return Err("phrase is longer than 200 bytes".to_string());
        }
        let mut parts = Vec::with_capacity(1);
        let mut rest = body;
        loop {
            let (raw, tail) = match rest.find(" + ") {
                Some(i) => (&rest[..i], Some(&rest[i + 3..])),
                None => (rest, None),
            };
            if parts.len() == 3 {
                return Err("at most three parts may be joined with \" + \"".to_string());
            }
            parts.push(Part::parse(raw.trim())?);
            match tail {
                Some(t) => rest = t,
                None => break,
            }
        }
        Ok(Phrase { parts, weight })
    }

    /// The canonical key of the phrase, for removal and de-duplication.
    pub fn key(&self) -> String {
        let mut key = String::new();
        for (i, p) in self.parts.iter().enumerate() {
            if i > 0 {
                key.push_str(" + ");
            }
            if p.open_start {
                key.push('*');
            }
            key.push_str(&p.text);
            if p.open_end {
                key.push('*');
            }
        }
        key
    }
}

/// One line of a lexicon file that failed to parse.
#[derive(Debug)]
pub(crate) struct LexiconError {
    pub line: usize,
    pub message: String,
}

/// Parses a lexicon file into `(section name, phrase)` pairs.
pub(crate) fn parse_file(source: &str) -> Result<Vec<(&str, Phrase)>, LexiconError> {
    let mut out = Vec::new();
    let mut section: Option<&str> = None;
    for (i, raw) in source.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = Some(name);
            continue;
        }
        let Some(section) = section else {
            return Err(LexiconError { line: i + 1, message: "entry before any [section]".into() });
        };
        let phrase = Phrase::parse(line).map_err(|message| LexiconError { line: i + 1, message })?;
        out.push((section, phrase));
    }
    Ok(out)
}

/// Collects entries, applies removals, and compiles them.
#[derive(Default)]
pub(crate) struct LexiconBuilder {
    pending: Vec<(Entry, Phrase)>,
}

impl LexiconBuilder {
    pub fn add(&mut self, role: Role, lang: Option<Language>, phrase: Phrase, origin: Origin) {
        let specific = phrase.parts.len() > 1 || phrase.parts.iter().any(Part::is_specific);
        let entry = Entry {
            role,
            weight: phrase.weight,
            lang,
            parts: phrase.parts.len() as u8,
            specific,
            origin,
            script: phrase.parts[0]
                .text
                .chars()
                .find(|c| c.is_alphabetic())
                .map_or(SCRIPT_NONE, |c| script_family(CharScript::of(c))),
        };
        self.pending.push((entry, phrase));
    }

    /// Adds, to the built-in single-word phrase parts of `lang`, the misspellings customers
    /// type most: one letter dropped (not the first) and two neighbours swapped. Only for words
    /// of five letters or more, and never a variant that is itself a common word of the
    /// language (`is_common`), so "form" is not read as "from".
    pub fn add_misspellings(&mut self, lang: Language, is_common: impl Fn(&str) -> bool) {
        for (entry, phrase) in &mut self.pending {
            if entry.lang != Some(lang) || entry.origin != Origin::Builtin {
                continue;
            }
            for part in &mut phrase.parts {
                let word = part.text.as_str();
                if word.len() < 5 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
                    continue;
                }
                let bytes = word.as_bytes();
                let mut variants: Vec<String> = Vec::new();
                for i in 1..bytes.len() {
                    let mut v = bytes.to_vec();
                    v.remove(i);
                    variants.push(String::from_utf8(v).unwrap_or_default());
                }
                for i in 0..bytes.len() - 1 {
                    if bytes[i] != bytes[i + 1] {
                        let mut v = bytes.to_vec();
                        v.swap(i, i + 1);
                        variants.push(String::from_utf8(v).unwrap_or_default());
                    }
                }
                variants.sort();
                variants.dedup();
                variants.retain(|v| v.len() >= 4 && v != word && !is_common(v));
                part.misspellings = variants;
            }
        }
    }

    pub fn build(self) -> Result<Lexicon, String> {
        // Every spelling of every part, with the term it stands for; sorted so that equal
        // spellings become one pattern.
        let (entries, phrases): (Vec<Entry>, Vec<Phrase>) = self.pending.into_iter().unzip();
        let keys: Vec<Box<str>> = phrases.iter().map(|p| p.key().into_boxed_str()).collect();
        // (starts a word, spelling, part of a multi-part entry, term): sorted so that equal
        // spellings become one pattern, patterns searched anywhere come first, and each
        // pattern's single-part terms precede its multi-part ones.
        let mut spellings: Vec<(bool, &str, bool, Term)> = Vec::with_capacity(phrases.len() * 2);
        for (entry_id, phrase) in phrases.iter().enumerate() {
            let multi = phrase.parts.len() > 1;
            for (i, part) in phrase.parts.iter().enumerate() {
                let first = part.text.chars().next().unwrap_or(' ');
                let last = part.text.chars().next_back().unwrap_or(' ');
                let start = if part.open_start { Edge::Open } else { edge_for(first, true) };
                let end = if part.open_end { Edge::Open } else { edge_for(last, false) };
                let spaced_end = end == Edge::Open && CharScript::of(last).is_spaced();
                let parts = phrase.parts.len() as u8;
                let term = |typo| Term { entry: entry_id as u32, part: i as u8, parts, start, end, typo, spaced_end };
                let word_start = start == Edge::Word;
                spellings.push((word_start, part.text.as_str(), multi, term(false)));
                spellings.extend(part.misspellings.iter().map(|m| (word_start, m.as_str(), multi, term(true))));
            }
        }
        spellings.sort_unstable_by(|a, b| (a.0, a.1, a.2, a.3.entry).cmp(&(b.0, b.1, b.2, b.3.entry)));
        let mut patterns: Vec<(bool, &str)> = Vec::new();
        let mut ranges: Vec<TermRange> = Vec::new();
        let mut terms: Vec<Term> = Vec::with_capacity(spellings.len());
        for (word_start, text, multi, term) in &spellings {
            if patterns.last() != Some(&(*word_start, *text)) {
                patterns.push((*word_start, text));
                ranges.push(TermRange { start: terms.len() as u32, singles: 0, groups: 0 });
            }
            let range = ranges.last_mut().expect("a range per pattern");
            terms.push(*term);
            // Sorted so that a pattern's single-part terms come before its multi-part ones.
            let count = if *multi { &mut range.groups } else { &mut range.singles };
            *count = count.checked_add(1).ok_or("more than 65535 entries share one phrase")?;
        }
        let anywhere_len = patterns.iter().filter(|p| !p.0).count();
        let compile = |texts: Vec<&str>| {
            NFA::builder()
                .match_kind(MatchKind::Standard)
                .build(texts)
                .map_err(|e| format!("cannot compile the lexicon: {e}"))
        };
        let anywhere = compile(patterns[..anywhere_len].iter().map(|p| p.1).collect())?;
        let word_patterns: Vec<&[u8]> = patterns[anywhere_len..].iter().map(|p| p.1.as_bytes()).collect();
        let at_word_start = WordTrie::build(&word_patterns)?;
        Ok(Lexicon { anywhere, anywhere_len: anywhere_len as u32, at_word_start, ranges, terms, entries, keys })
    }
}

/// No letters (digits, punctuation, emoji): counts in every script.
pub(crate) const SCRIPT_NONE: u8 = 255;

/// Coarse script families, for deciding whether a phrase is written like the message.
pub(crate) fn script_family(s: CharScript) -> u8 {
    match s {
        CharScript::Latin => 0,
        CharScript::Cyrillic => 1,
        CharScript::Arabic => 2,
        CharScript::Thai => 3,
        CharScript::Hangul => 4,
        CharScript::Han | CharScript::Kana => 5,
        CharScript::OtherLetter => 6,
        CharScript::None => SCRIPT_NONE,
    }
}

fn edge_for(c: char, at_start: bool) -> Edge {
    match CharScript::of(c) {
        CharScript::Arabic => Edge::ArabicClitic,
        // Korean attaches particles and endings to the word (배송이, 배송을): open at the end.
        CharScript::Hangul if !at_start => Edge::Open,
        // No spaces between words: substrings match.
        CharScript::Han | CharScript::Kana | CharScript::Thai => Edge::Open,
        s if s.is_spaced() => Edge::Word,
        // Digits ("1 star") need boundaries; punctuation and emoji ("!!", ":(") do not.
        _ if c.is_alphanumeric() => Edge::Word,
        _ => Edge::Open,
    }
}

const ARABIC_PROCLITICS: [&str; 16] =
    ["و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "س", "وس", "وب", "ول"];
const ARABIC_ENCLITICS: [&str; 20] = [
    "ي", "ك", "ه", "ها", "نا", "كم", "هم", "ني", "ته", "تي", "ات", "ون", "ين", "ان", "وا", "تها", "يه", "ش", "تم", "هن",
];

impl Lexicon {
    /// The entries of `role` whose phrase is `phrase` (ignoring weight), in `lang` or in any
    /// language when `lang` is `None`.
    pub fn find(&self, role: Role, lang: Option<Language>, phrase: &Phrase) -> Vec<u32> {
        let key = phrase.key();
        (0..self.entries.len() as u32)
            .filter(|&i| {
                let e = &self.entries[i as usize];
                e.role == role && (lang.is_none() || e.lang == lang) && *self.keys[i as usize] == *key
            })
            .collect()
    }

    /// Appends the accepted matches in `text` (normalised) to `out`, at most `limit` of them.
    ///
    /// Parts of multi-part entries are reported only for entries all of whose parts occur
    /// somewhere in the text: a word shared by hundreds of `A + B` entries ("ordered") costs one
    /// look-up, not hundreds of matches.
    pub fn scan(&self, text: &str, out: &mut Vec<Hit>, limit: usize) {
        let mut group_matches: Vec<(u32, u32, u32)> = Vec::new();
        let mut accept = |p: usize, s: usize, e: usize, out: &mut Vec<Hit>| {
            let range = self.ranges[p];
            // Word edges are the same for every term of the match: look once.
            let mut end_is_boundary: Option<bool> = None;
            // A stem ("damag*") or a word with attached endings (Korean) reports the whole word.
            let mut word_end: Option<usize> = None;
            for term in &self.terms[range.singles()] {
                let e = if term.end == Edge::Open && term.spaced_end {
                    *word_end.get_or_insert_with(|| end_of_word(text, e))
                } else {
                    e
                };
                let end_ok = match term.end {
                    Edge::Open => true,
                    Edge::Word => {
                        *end_is_boundary.get_or_insert_with(|| text[e..].chars().next().is_none_or(is_boundary))
                    }
                    Edge::ArabicClitic => end_ok(text, e, Edge::ArabicClitic),
                };
                // Word starts were checked by the walk; other starts are open or Arabic.
                if end_ok && (term.start != Edge::ArabicClitic || start_ok(text, s, term.start)) {
                    out.push(hit(term, s, e));
                }
            }
            if range.groups > 0 && group_matches.len() < limit {
                group_matches.push((p as u32, s as u32, e as u32));
            }
        };
        // Every match of every pattern that may start anywhere (overlapping semantics: the NFA's
        // match list of a state holds every pattern ending there). Each of the two walks may
        // collect up to `limit` hits; the analysis keeps the earliest ones of both.
        let bytes = text.as_bytes();
        let first_walk_end = limit;
        let limit = 2 * limit;
        if let Ok(mut sid) = self.anywhere.start_state(Anchored::No) {
            for (i, &b) in bytes.iter().enumerate() {
                sid = self.anywhere.next_state(Anchored::No, sid, b);
                if self.anywhere.is_match(sid) {
                    for k in 0..self.anywhere.match_len(sid) {
                        let pid = self.anywhere.match_pattern(sid, k);
                        let end = i + 1;
                        accept(pid.as_usize(), end - self.anywhere.pattern_len(pid), end, out);
                    }
                    if out.len() >= first_walk_end {
                        break;
                    }
                }
            }
        }
        // Patterns that start a word, walked from each word start in the trie.
        let mut previous_is_boundary = true;
        let mut from = 0;
        while from < bytes.len() {
            let b = bytes[from];
            let (is_word, boundary, len) = if b < 0x80 {
                let w = b.is_ascii_alphanumeric();
                (w, !w, 1)
            } else {
                let c = text[from..].chars().next().unwrap_or(' ');
                (is_word_char(c), is_boundary(c), c.len_utf8())
            };
            if is_word && previous_is_boundary {
                let base = self.anywhere_len as usize;
                self.at_word_start.walk(bytes, from, |pid, end| accept(base + pid as usize, from, end, out));
                if out.len() >= limit {
                    return;
                }
            }
            previous_is_boundary = boundary;
            from += len;
        }
        if group_matches.is_empty() {
            return;
        }
        // Every (entry, part) that a matched pattern can stand for, sorted by entry: an entry
        // whose parts are all there becomes hits. One flat sort, no look-up per entry.
        let mut candidates: Vec<(u32, u8, u32, u32)> = Vec::new(); // (entry, part, term, match)
        for (mi, &(p, _, _)) in group_matches.iter().enumerate() {
            for t in self.ranges[p as usize].groups() {
                let term = &self.terms[t];
                candidates.push((term.entry, term.part, t as u32, mi as u32));
            }
        }
        candidates.sort_unstable();
        let mut i = 0;
        while i < candidates.len() {
            let entry = candidates[i].0;
            let run_end = i + candidates[i..].iter().take_while(|c| c.0 == entry).count();
            let run = &candidates[i..run_end];
            i = run_end;
            let parts = self.terms[run[0].2 as usize].parts;
            let seen = run.iter().fold(0u8, |mask, c| mask | (1 << c.1));
            if seen != (1u8 << parts) - 1 {
                continue;
            }
            for &(_, _, t, mi) in run {
                let term = &self.terms[t as usize];
                let (_, s, e) = group_matches[mi as usize];
                if start_ok(text, s as usize, term.start) && end_ok(text, e as usize, term.end) {
                    out.push(hit(term, s as usize, span_end(text, term, e as usize)));
                }
            }
            if out.len() >= limit {
                return;
            }
        }
    }
}

/// Where the span of a match of `term` ending at `e` ends.
fn span_end(text: &str, term: &Term, e: usize) -> usize {
    if term.end == Edge::Open && term.spaced_end { end_of_word(text, e) } else { e }
}

/// The end of the word that contains byte `e - 1` of `text`.
fn end_of_word(text: &str, e: usize) -> usize {
    let rest = &text[e..];
    e + rest.find(|c: char| !is_word_char(c) || !CharScript::of(c).is_spaced()).unwrap_or(rest.len())
}

fn hit(term: &Term, s: usize, e: usize) -> Hit {
    Hit { entry: term.entry, part: term.part, start: s as u32, end: e as u32, typo: term.typo }
}

/// A character that ends a word of a spaced script: a non-word character, or a letter of a
/// script written without spaces ("去12315投诉", "我的iphone坏了").
fn is_boundary(c: char) -> bool {
    !is_word_char(c) || matches!(CharScript::of(c), CharScript::Han | CharScript::Kana | CharScript::Thai)
}

fn start_ok(text: &str, start: usize, edge: Edge) -> bool {
    match edge {
        Edge::Open => true,
        Edge::Word => text[..start].chars().next_back().is_none_or(is_boundary),
        Edge::ArabicClitic => {
            let before = &text[..start];
            let word_start = before
                .rfind(|c: char| !is_word_char(c))
                .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
            let prefix = &before[word_start..];
            prefix.is_empty() || ARABIC_PROCLITICS.contains(&prefix)
        }
    }
}

fn end_ok(text: &str, end: usize, edge: Edge) -> bool {
    match edge {
        Edge::Open => true,
        Edge::Word => text[end..].chars().next().is_none_or(is_boundary),
        Edge::ArabicClitic => {
            let after = &text[end..];
            let word_end = after.find(|c: char| !is_word_char(c)).unwrap_or(after.len());
            let suffix = &after[..word_end];
            suffix.is_empty() || ARABIC_ENCLITICS.contains(&suffix)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(entries: &[(&str, Role)]) -> Lexicon {
        let mut b = LexiconBuilder::default();
        for (p, role) in entries {
            b.add(*role, Some(Language::EN), Phrase::parse(p).unwrap(), Origin::Builtin);
        }
        b.build().unwrap()
    }

    fn hits(lex: &Lexicon, text: &str) -> Vec<(u32, String)> {
        let mut out = Vec::new();
        lex.scan(text, &mut out, usize::MAX);
        out.iter().map(|h| (h.entry, text[h.start as usize..h.end as usize].to_string())).collect()
    }

    #[test]
    fn parses_weights_wildcards_and_pairs() {
        let p = Phrase::parse("Damag* = 2").unwrap();
        assert_eq!((p.key(), p.weight), ("damag*".to_string(), 2.0));
        let p = Phrase::parse("wrong + Colour").unwrap();
        assert_eq!(p.key(), "wrong + colour");
        assert!(Phrase::parse("da*mage").is_err());
        assert!(Phrase::parse("*").is_err());
        assert!(Phrase::parse("  ").is_err());
        assert!(Phrase::parse("x = 9").is_err());
        assert!(Phrase::parse("a + b + c").is_ok());
        assert!(Phrase::parse("a + b + c + d").is_err());
    }

    #[test]
    fn whole_words_unless_wildcard() {
        let c = Role::Category(0);
        let lex = lexicon(&[("late", c), ("damag*", c), ("*schaden", c)]);
        assert_eq!(hits(&lex, "chocolate"), vec![]);
        assert_eq!(hits(&lex, "it is late"), vec![(0, "late".into())]);
        assert_eq!(hits(&lex, "damaged box"), vec![(1, "damaged".into())]);
        assert_eq!(hits(&lex, "transportschaden"), vec![(2, "schaden".into())]);
    }

    #[test]
    fn cjk_substrings_and_arabic_clitics() {
        let c = Role::Category(0);
        let lex = lexicon(&[("坏", c), ("طلب", c)]);
        assert_eq!(hits(&lex, "东西坏了").len(), 1);
        assert_eq!(hits(&lex, "والطلب").len(), 1);
        assert_eq!(hits(&lex, "طلبي").len(), 1);
        assert_eq!(hits(&lex, "مطلبي").len(), 0);
    }

    #[test]
    fn find_by_key_ignores_weight_and_case() {
        let c = Role::Category(3);
        let lex = lexicon(&[("dented = 1.5", c), ("bent", c)]);
        assert_eq!(lex.find(c, Some(Language::EN), &Phrase::parse("Dented").unwrap()), vec![0]);
        assert_eq!(lex.find(c, None, &Phrase::parse("bent").unwrap()), vec![1]);
        assert!(lex.find(Role::Category(4), None, &Phrase::parse("bent").unwrap()).is_empty());
    }

    #[test]
    fn every_builtin_lexicon_parses() {
        for (lang, source) in &BUILTIN {
            if let Err(e) = parse_file(source) {
                panic!("{lang}: line {}: {}", e.line, e.message);
            }
        }
    }
}
