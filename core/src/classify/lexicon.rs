//! Built-in lexicons and policy phrases, compiled for matching over the normalised text: an
//! Aho-Corasick automaton for the phrases that may start anywhere (Chinese, Japanese, Thai,
//! `*suffix` wildcards), a radix trie walked from word starts for the rest (see `trie.rs`).
//! Parts of multi-part entries are looked at only when their rarest part matched.
//!
//! The file format is documented in `core/data/lexicons/README.md`. The built-in files hold some
//! fifty thousand entries: they are parsed into one text arena, without an allocation per line,
//! because their compilation is most of the cost of the first `Engine` of a process.

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind};

use super::trie::WordTrie;
use crate::domain::{EscalationSignal, Language};
use crate::text::{CharScript, is_word_char, normalize_phrase_into};

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
    /// For a part of a multi-part entry: the entry's index in [`Lexicon::groups`].
    group: u32,
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
    /// Parts of multi-part entries for which this pattern is the trigger (see [`Group`]).
    triggers: u16,
}

impl TermRange {
    fn singles(self) -> std::ops::Range<usize> {
        self.start as usize..self.start as usize + self.singles as usize
    }

    fn triggers(self) -> std::ops::Range<usize> {
        let from = self.start as usize + self.singles as usize;
        from..from + self.triggers as usize
    }
}

/// A multi-part entry (`wrong + colour`): where its members are in [`Lexicon::members`]. It is
/// looked at only when its trigger, the part whose spellings are shared by the fewest other
/// entries ("colour", not "wrong"), matched; then every other part must have matched somewhere.
#[derive(Clone, Copy, Debug)]
struct Group {
    start: u32,
    len: u16,
    parts: u8,
}

/// The compiled lexicon.
pub(crate) struct Lexicon {
    /// Patterns that may start anywhere (CJK, Thai, `*tails`, symbols), searched everywhere;
    /// their pattern ids are the global ids `0..anywhere_len`.
    anywhere: NFA,
    anywhere_len: u32,
    /// Patterns that start a word (or an Arabic word after its proclitics), walked from word
    /// starts only (no time spent on the "fun" inside "refund"); global id = `anywhere_len` +
    /// their own id.
    at_word_start: WordTrie,
    /// For each pattern, where its terms are: those of single-part entries, then those of
    /// multi-part entries. Eight bytes a pattern: this table is read for every match.
    ranges: Vec<TermRange>,
    terms: Vec<Term>,
    /// Patterns that spell some part of a multi-part entry, as a bit set.
    grouped: Vec<u64>,
    /// Every spelling of every part of each multi-part entry: (pattern, term), by entry and part.
    members: Vec<(u32, Term)>,
    groups: Vec<Group>,
    pub entries: Vec<Entry>,
    /// The canonical phrase of each entry (`"wrong + colour"`, `"damag*"`), to find entries to
    /// remove; apart from `entries`, which is read for every match and kept small.
    keys: Keys,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon").field("patterns", &self.ranges.len()).field("entries", &self.entries.len()).finish()
    }
}

/// The keys of all entries, in one string.
#[derive(Default)]
struct Keys {
    text: String,
    ends: Vec<u32>,
}

impl Keys {
    fn push(&mut self, phrase: &Phrase) {
        phrase.write_key(&mut self.text);
        self.ends.push(self.text.len() as u32);
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }
}

/// Where a part of a phrase is, in the phrase's text or the builder's arena, and its wildcard
/// ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Part {
    start: u32,
    end: u32,
    open_start: bool,
    open_end: bool,
}

impl Part {
    fn text(self, arena: &str) -> &str {
        &arena[self.start as usize..self.end as usize]
    }
}

/// Specific enough to count in a message of another language: several words, a long word, or
/// three or more CJK/Thai characters.
fn is_specific(t: &str) -> bool {
    if t.contains(' ') {
        return true;
    }
    let chars = t.chars().count();
    chars >= 7 || (chars >= 3 && t.chars().next().is_some_and(|c| !CharScript::of(c).is_spaced() && !c.is_ascii()))
}

/// A parsed phrase (`"damag*"`, `"wrong + colour"`): its parts, normalised, one after the other
/// in `text`. Parsing into an existing phrase reuses its buffers, so reading a lexicon file
/// allocates nothing per line.
#[derive(Clone, Debug, Default)]
pub(crate) struct Phrase {
    text: String,
    parts: Vec<Part>,
    pub weight: f32,
    /// Scratch space of the normaliser.
    scratch: String,
}

impl Phrase {
    /// Parses one entry line: `phrase` or `phrase = weight`.
    pub fn parse(line: &str) -> Result<Phrase, String> {
        let mut phrase = Phrase::default();
        phrase.parse_into(line)?;
        Ok(phrase)
    }

    fn parse_into(&mut self, line: &str) -> Result<(), String> {
        self.text.clear();
        self.parts.clear();
        let line = trim(line);
        let (body, weight) = match find_separator(line, b'=', true) {
            Some(i) => {
                let w = trim(&line[i + 3..]);
                let weight: f32 = w.parse().map_err(|_| format!("weight is not a number: {w:?}"))?;
                if !(0.25..=3.0).contains(&weight) {
                    return Err(format!("weight must be from 0.25 to 3, got {weight}"));
                }
                (&line[..i], weight)
            }
            None => (line, 1.0),
        };
        self.weight = weight;
        if body.len() > 200 {
            return Err("phrase is longer than 200 bytes".to_string());
        }
        let mut rest = body;
        loop {
            let (raw, tail) = match find_separator(rest, b'+', false) {
                Some(i) => (&rest[..i], Some(&rest[i + 3..])),
                None => (rest, None),
            };
            if self.parts.len() == 3 {
                return Err("at most three parts may be joined with \" + \"".to_string());
            }
            self.push_part(trim(raw))?;
            match tail {
                Some(t) => rest = t,
                None => break,
            }
        }
        Ok(())
    }

    fn push_part(&mut self, raw: &str) -> Result<(), String> {
        let open_start = raw.starts_with('*');
        let open_end = raw.len() > 1 && raw.ends_with('*');
        let inner = raw.strip_prefix('*').unwrap_or(raw);
        let inner = if open_end { &inner[..inner.len() - 1] } else { inner };
        if inner.as_bytes().contains(&b'*') {
            return Err(format!("'*' may only start or end a phrase: {raw:?}"));
        }
        let control = if inner.is_ascii() {
            inner.bytes().any(|b| b.is_ascii_control())
        } else {
            inner.chars().any(char::is_control)
        };
        if control {
            return Err(format!("phrase contains a control character: {raw:?}"));
        }
        let start = self.text.len();
        normalize_phrase_into(&mut self.text, inner, &mut self.scratch);
        // Normalised text has no whitespace at its ends.
        if self.text.len() == start {
            return Err(format!("empty phrase: {raw:?}"));
        }
        self.parts.push(Part { start: start as u32, end: self.text.len() as u32, open_start, open_end });
        Ok(())
    }

    /// Appends the canonical key of the phrase (for removal) to `out`.
    fn write_key(&self, out: &mut String) {
        for (i, p) in self.parts.iter().enumerate() {
            if i > 0 {
                out.push_str(" + ");
            }
            if p.open_start {
                out.push('*');
            }
            out.push_str(p.text(&self.text));
            if p.open_end {
                out.push('*');
            }
        }
    }

    /// The canonical key of the phrase, for removal and de-duplication.
    #[cfg(test)]
    pub fn key(&self) -> String {
        let mut key = String::new();
        self.write_key(&mut key);
        key
    }
}

/// `s.trim()`, without Unicode's tables when both ends are ASCII.
fn trim(s: &str) -> &str {
    let t = s.trim_ascii();
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(a), Some(b)) if !a.is_ascii() || !b.is_ascii() => t.trim(),
        _ => t,
    }
}

/// The byte offset of the first (or, with `last`, the last) `" <sep> "` in `s`: a byte scan,
/// as lexicon files have tens of thousands of lines.
fn find_separator(s: &str, sep: u8, last: bool) -> Option<usize> {
    let b = s.as_bytes();
    let at = |i: usize| i >= 1 && i + 1 < b.len() && b[i - 1] == b' ' && b[i + 1] == b' ';
    let found = if last {
        b.iter().enumerate().rev().find(|&(i, &c)| c == sep && at(i))
    } else {
        b.iter().enumerate().find(|&(i, &c)| c == sep && at(i))
    };
    found.map(|(i, _)| i - 1)
}

/// One line of a lexicon file that failed to parse.
#[derive(Debug)]
pub(crate) struct LexiconError {
    pub line: usize,
    pub message: String,
}

/// Parses a lexicon file, calling `entry(section name, phrase)` for each entry in order.
pub(crate) fn parse_file<'a>(
    source: &'a str,
    mut entry: impl FnMut(&'a str, &Phrase) -> Result<(), String>,
) -> Result<(), LexiconError> {
    let mut section: Option<&str> = None;
    let mut phrase = Phrase::default();
    for (i, raw) in crate::text::lines(source).enumerate() {
        let line = trim(raw);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let error = |message| LexiconError { line: i + 1, message };
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = Some(name);
            continue;
        }
        let Some(section) = section else {
            return Err(error("entry before any [section]".into()));
        };
        phrase.parse_into(line).map_err(error)?;
        entry(section, &phrase).map_err(error)?;
    }
    Ok(())
}

/// Collects entries, applies removals, and compiles them.
#[derive(Default)]
pub(crate) struct LexiconBuilder {
    entries: Vec<Entry>,
    /// The normalised texts of all parts and misspellings.
    arena: String,
    /// The parts of every entry, in entry order (`entries[e].parts` each).
    parts: Vec<Part>,
    /// Generated misspellings: (index in `parts`, text in `arena`), in part order.
    misspellings: Vec<(u32, Part)>,
    keys: Keys,
}

impl LexiconBuilder {
    /// A builder with room for about `n` entries.
    pub fn with_capacity(n: usize) -> LexiconBuilder {
        LexiconBuilder {
            entries: Vec::with_capacity(n),
            arena: String::with_capacity(n * 12),
            parts: Vec::with_capacity(n + n / 8),
            misspellings: Vec::new(),
            keys: Keys { text: String::with_capacity(n * 12), ends: Vec::with_capacity(n) },
        }
    }

    pub fn add(&mut self, role: Role, lang: Option<Language>, phrase: &Phrase, origin: Origin) {
        let specific = phrase.parts.len() > 1 || phrase.parts.iter().any(|p| is_specific(p.text(&phrase.text)));
        let entry = Entry {
            role,
            weight: phrase.weight,
            lang,
            parts: phrase.parts.len() as u8,
            specific,
            origin,
            script: phrase.parts[0]
                .text(&phrase.text)
                .chars()
                .map(CharScript::of)
                .find(|&s| s != CharScript::None)
                .map_or(SCRIPT_NONE, script_family),
        };
        self.entries.push(entry);
        let base = self.arena.len() as u32;
        self.arena.push_str(&phrase.text);
        self.parts.extend(phrase.parts.iter().map(|p| Part { start: p.start + base, end: p.end + base, ..*p }));
        self.keys.push(phrase);
    }

    /// Adds, to the built-in single-word phrase parts of `lang`, the misspellings customers
    /// type most: one letter dropped (not the first) and two neighbours swapped. Only for words
    /// of five letters or more, and never a variant that is itself a common word of the
    /// language (`is_common`), so "form" is not read as "from".
    pub fn add_misspellings(&mut self, lang: Language, is_common: impl Fn(&str) -> bool) {
        let mut first_part = 0;
        let mut word: Vec<u8> = Vec::new();
        let mut variant = String::new();
        for entry in &self.entries {
            let parts = first_part..first_part + entry.parts as usize;
            first_part = parts.end;
            if entry.lang != Some(lang) || entry.origin != Origin::Builtin {
                continue;
            }
            for index in parts {
                let part = self.parts[index];
                word.clear();
                word.extend_from_slice(part.text(&self.arena).as_bytes());
                let n = word.len();
                if n < 5 || !word.iter().all(u8::is_ascii_lowercase) {
                    continue;
                }
                // Dropping either of two equal neighbours gives one variant; swapping two
                // different neighbours always gives a new one.
                let drops = (1..n).filter(|&i| i < 2 || word[i] != word[i - 1]).map(|i| (i, None));
                let swaps = (0..n - 1).filter(|&i| word[i] != word[i + 1]).map(|i| (i, Some(i + 1)));
                for (i, swap) in drops.chain(swaps) {
                    variant.clear();
                    for (k, &b) in word.iter().enumerate() {
                        match swap {
                            None if k == i => {}
                            Some(j) if k == i => variant.push(word[j] as char),
                            Some(j) if k == j => variant.push(word[i] as char),
                            _ => variant.push(b as char),
                        }
                    }
                    if variant.len() >= 4 && !is_common(&variant) {
                        let start = self.arena.len() as u32;
                        self.arena.push_str(&variant);
                        let text = Part { start, end: self.arena.len() as u32, ..part };
                        self.misspellings.push((index as u32, text));
                    }
                }
            }
        }
    }

    pub fn build(self) -> Result<Lexicon, String> {
        let LexiconBuilder { entries, arena, parts, misspellings, keys } = self;
        // (starts a word, spelling, part of a multi-part entry, term): sorted so that equal
        // spellings become one pattern, patterns searched anywhere come first, and each
        // pattern's single-part terms precede its multi-part ones.
        let mut spellings: Vec<(bool, &str, bool, Term)> = Vec::with_capacity(parts.len() + misspellings.len());
        let mut typos = misspellings.iter().peekable();
        let mut index = 0;
        for (entry_id, entry) in entries.iter().enumerate() {
            let multi = entry.parts > 1;
            for i in 0..entry.parts {
                let part = parts[index];
                let text = part.text(&arena);
                let first = text.chars().next().unwrap_or(' ');
                let last = text.chars().next_back().unwrap_or(' ');
                let start = if part.open_start { Edge::Open } else { edge_for(first, true) };
                let end = if part.open_end { Edge::Open } else { edge_for(last, false) };
                let spaced_end = end == Edge::Open && CharScript::of(last).is_spaced();
                let term = |typo| Term {
                    entry: entry_id as u32,
                    part: i,
                    parts: entry.parts,
                    start,
                    end,
                    typo,
                    spaced_end,
                    group: 0,
                };
                // Arabic words are walked from their start and from after each proclitic.
                let word_start = matches!(start, Edge::Word | Edge::ArabicClitic);
                spellings.push((word_start, text, multi, term(false)));
                while let Some((_, typo)) = typos.next_if(|(p, _)| *p as usize == index) {
                    spellings.push((word_start, typo.text(&arena), multi, term(true)));
                }
                index += 1;
            }
        }
        // Sorted by a key of integers: the flag and the first fifteen bytes of the text
        // (big-endian, so they order like the text; phrases hold no NUL), the part kind and the
        // entry. Texts longer than the key are then put in order where they share its bytes.
        let head = |word_start: bool, t: &str| {
            let mut bytes = [0u8; 16];
            let n = t.len().min(15);
            bytes[0] = word_start as u8;
            bytes[1..=n].copy_from_slice(&t.as_bytes()[..n]);
            u128::from_be_bytes(bytes)
        };
        let mut order: Vec<(u128, u64, u32)> = spellings
            .iter()
            .enumerate()
            .map(|(i, s)| (head(s.0, s.1), (u64::from(s.2) << 32) | u64::from(s.3.entry), i as u32))
            .collect();
        order.sort_unstable_by_key(|o| (o.0, o.1));
        let long = |o: &(u128, u64, u32)| spellings[o.2 as usize].1.len() > 15;
        for run in order.chunk_by_mut(|x, y| x.0 == y.0).filter(|run| run.len() > 1 && run.iter().any(long)) {
            run.sort_unstable_by(|x, y| {
                let (a, b) = (spellings[x.2 as usize].1, spellings[y.2 as usize].1);
                a.cmp(b).then(x.1.cmp(&y.1))
            });
        }
        let mut patterns: Vec<(bool, &str)> = Vec::with_capacity(spellings.len());
        let mut ranges: Vec<TermRange> = Vec::with_capacity(spellings.len());
        let mut terms: Vec<Term> = Vec::with_capacity(spellings.len());
        let mut pattern_of = vec![0u32; spellings.len()];
        for o in &order {
            let (word_start, text, multi, term) = &spellings[o.2 as usize];
            if patterns.last() != Some(&(*word_start, *text)) {
                patterns.push((*word_start, text));
                ranges.push(TermRange { start: terms.len() as u32, singles: 0, triggers: 0 });
            }
            pattern_of[o.2 as usize] = patterns.len() as u32 - 1;
            let range = ranges.last_mut().expect("a range per pattern");
            terms.push(*term);
            // Sorted so that a pattern's single-part terms come before its multi-part ones.
            let count = if *multi { &mut range.triggers } else { &mut range.singles };
            *count = count.checked_add(1).ok_or("more than 65535 entries share one phrase")?;
        }
        // The parts of multi-part entries with their patterns, by entry and part.
        let members: Vec<(u32, Term)> =
            spellings.iter().zip(&pattern_of).filter(|(s, _)| s.2).map(|(s, &p)| (p, s.3)).collect();
        let (ranges, terms, grouped, members, groups) = split_groups(ranges, terms, members, entries.len())?;
        let anywhere_len = patterns.iter().filter(|p| !p.0).count();
        let compile = |texts: Vec<&str>| {
            NFA::builder()
                .match_kind(MatchKind::Standard)
                .prefilter(false)
                .build(texts)
                .map_err(|e| format!("cannot compile the lexicon: {e}"))
        };
        let anywhere = compile(patterns[..anywhere_len].iter().map(|p| p.1).collect())?;
        let word_patterns: Vec<&[u8]> = patterns[anywhere_len..].iter().map(|p| p.1.as_bytes()).collect();
        let at_word_start = WordTrie::build(&word_patterns)?;
        Ok(Lexicon {
            anywhere,
            anywhere_len: anywhere_len as u32,
            at_word_start,
            ranges,
            terms,
            grouped,
            members,
            groups,
            entries,
            keys,
        })
    }
}

type SplitGroups = (Vec<TermRange>, Vec<Term>, Vec<u64>, Vec<(u32, Term)>, Vec<Group>);

/// Moves the parts of multi-part entries out of the pattern table (where each pattern lists them
/// after its single-part terms) into [`Group`]s, and keeps under each pattern only the parts it
/// triggers.
fn split_groups(
    ranges: Vec<TermRange>,
    terms: Vec<Term>,
    mut members: Vec<(u32, Term)>,
    entries: usize,
) -> Result<SplitGroups, String> {
    let mut grouped = vec![0u64; ranges.len().div_ceil(64)];
    for (p, range) in ranges.iter().enumerate() {
        if range.triggers > 0 {
            grouped[p / 64] |= 1 << (p % 64);
        }
    }
    // A part's cost as a trigger: how many multi-part terms its spellings' patterns carry.
    let load = |p: u32| u32::from(ranges[p as usize].triggers);
    let mut groups: Vec<Group> = Vec::new();
    // For each entry: its group and its trigger part.
    let mut trigger_of: Vec<(u32, u8)> = vec![(u32::MAX, 0); entries];
    let mut i = 0;
    while i < members.len() {
        let entry = members[i].1.entry;
        let end = i + members[i..].iter().take_while(|m| m.1.entry == entry).count();
        let g = groups.len() as u32;
        let parts = members[i].1.parts;
        let mut cost = [0u32; 8];
        for (p, t) in &mut members[i..end] {
            t.group = g;
            cost[t.part as usize & 7] += load(*p);
        }
        let trigger = (0..parts).min_by_key(|&part| (cost[part as usize & 7], part)).unwrap_or(0);
        let len = u16::try_from(end - i).map_err(|_| "a multi-part entry has too many spellings".to_string())?;
        groups.push(Group { start: i as u32, len, parts });
        trigger_of[entry as usize] = (g, trigger);
        i = end;
    }
    let mut new_ranges = Vec::with_capacity(ranges.len());
    let mut new_terms = Vec::with_capacity(terms.len());
    for range in &ranges {
        let start = new_terms.len() as u32;
        new_terms.extend_from_slice(&terms[range.singles()]);
        let before = new_terms.len();
        for t in &terms[range.triggers()] {
            let (group, trigger) = trigger_of[t.entry as usize];
            if trigger == t.part {
                new_terms.push(Term { group, ..*t });
            }
        }
        let triggers = (new_terms.len() - before) as u16;
        new_ranges.push(TermRange { start, singles: range.singles, triggers });
    }
    Ok((new_ranges, new_terms, grouped, members, groups))
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
        let mut key = String::new();
        phrase.write_key(&mut key);
        (0..self.entries.len() as u32)
            .filter(|&i| {
                let e = &self.entries[i as usize];
                e.role == role && (lang.is_none() || e.lang == lang) && self.keys.get(i as usize) == key
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
            if self.grouped[p / 64] & (1 << (p % 64)) != 0 && group_matches.len() < limit {
                group_matches.push((p as u32, s as u32, e as u32));
            }
        };
        // Every match of every pattern that may start anywhere (overlapping semantics: the NFA's
        // match list of a state holds every pattern ending there). Each of the two walks may
        // collect up to `limit` hits; the analysis keeps the earliest ones of both.
        let bytes = text.as_bytes();
        let first_walk_end = limit;
        let limit = limit.saturating_mul(2);
        let nfa = &self.anywhere;
        if let Ok(mut sid) = nfa.start_state(Anchored::No) {
            for (i, &b) in bytes.iter().enumerate() {
                sid = nfa.next_state(Anchored::No, sid, b);
                if nfa.is_match(sid) {
                    for k in 0..nfa.match_len(sid) {
                        let pid = nfa.match_pattern(sid, k);
                        let end = i + 1;
                        accept(pid.as_usize(), end - nfa.pattern_len(pid), end, out);
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
                // Arabic attaches conjunctions, prepositions and the article to the word.
                if (0xD8..=0xDB).contains(&b) {
                    for clitic in ARABIC_PROCLITICS {
                        if bytes[from..].starts_with(clitic.as_bytes()) {
                            let at = from + clitic.len();
                            self.at_word_start.walk(bytes, at, |pid, end| accept(base + pid as usize, at, end, out));
                        }
                    }
                }
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
        // Multi-part entries whose trigger matched, then those all of whose parts matched.
        group_matches.sort_unstable();
        let matches_of = |p: u32| {
            let from = group_matches.partition_point(|m| m.0 < p);
            let to = from + group_matches[from..].iter().take_while(|m| m.0 == p).count();
            &group_matches[from..to]
        };
        let mut candidates: Vec<u32> = Vec::new();
        for run in group_matches.chunk_by(|a, b| a.0 == b.0) {
            let range = self.ranges[run[0].0 as usize];
            candidates.extend(self.terms[range.triggers()].iter().map(|t| t.group));
        }
        candidates.sort_unstable();
        candidates.dedup();
        for g in candidates {
            let group = self.groups[g as usize];
            let members = &self.members[group.start as usize..group.start as usize + group.len as usize];
            // Members come by part: a part is found once one of its spellings matched, and an
            // entry fails as soon as one of its parts has none.
            let mut seen = 0u8;
            for (p, t) in members {
                let bit = 1u8 << t.part;
                if seen & bit != 0 {
                    continue;
                }
                if t.part > 0 && seen & (bit >> 1) == 0 {
                    break;
                }
                if !matches_of(*p).is_empty() {
                    seen |= bit;
                }
            }
            if seen != (1u8 << group.parts) - 1 {
                continue;
            }
            for (p, term) in members {
                for &(_, s, e) in matches_of(*p) {
                    if start_ok(text, s as usize, term.start) && end_ok(text, e as usize, term.end) {
                        out.push(hit(term, s as usize, span_end(text, term, e as usize)));
                    }
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
            b.add(*role, Some(Language::EN), &Phrase::parse(p).unwrap(), Origin::Builtin);
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
    fn multi_part_entries_need_every_part() {
        let c = Role::Category(0);
        let lex = lexicon(&[
            ("wrong + colour", c),
            ("wrong + size", c),
            ("wrong + model", c),
            ("colour", Role::Category(1)),
            ("box + arrived + open*", c),
        ]);
        assert_eq!(hits(&lex, "the wrong one"), vec![]);
        let mut found = hits(&lex, "wrong colour sent, wrong again");
        found.sort();
        let wrong = (0, "wrong".to_string());
        assert_eq!(found, vec![(0, "colour".into()), wrong.clone(), wrong, (3, "colour".into())]);
        assert_eq!(hits(&lex, "the box arrived"), vec![]);
        let mut found = hits(&lex, "box arrived opened");
        found.sort();
        assert_eq!(found, vec![(4, "arrived".into()), (4, "box".into()), (4, "opened".into())]);
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
            if let Err(e) = parse_file(source, |_, _| Ok(())) {
                panic!("{lang}: line {}: {}", e.line, e.message);
            }
        }
    }
}
