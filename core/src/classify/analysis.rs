//! From lexicon and pattern matches to categories, sentiment and escalation signals.
//!
//! The steps, each small and explainable:
//! 1. a match inside a longer match gives way to it ("not happy" hides "happy");
//! 2. problem and sentiment terms are negated by a nearby negator in the same clause;
//! 3. block words cancel a category in their clause ("cancel my subscription");
//! 4. multi-part entries (`wrong + colour`) group up within a sentence;
//! 5. phrases of a language the message is not written in count less, or not at all when they
//!    are short single words (false friends);
//! 6. per category, overlapping evidence counts once, at its strongest; confidence is
//!    `1 − 0.5^score`, so weight 1 ("enough alone") is confidence 0.5.

use crate::domain::{EscalationSignal, Language};
use crate::text::{CharScript, is_word_char};

use super::lexicon::{self, Role};

/// A match of a lexicon entry part or of a pattern, in normalised byte offsets.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mention {
    pub role: Role,
    pub weight: f32,
    pub lang: Option<Language>,
    pub specific: bool,
    /// Script family of the phrase's letters (`lexicon::script_family`).
    pub script: u8,
    /// The lexicon entry (pairs are matched per entry); `u32::MAX` for patterns.
    pub entry: u32,
    pub part: u8,
    pub parts: u8,
    pub start: u32,
    pub end: u32,
}

/// A piece of evidence, in normalised byte offsets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Span {
    pub start: u32,
    pub end: u32,
    pub lang: Option<Language>,
    pub weight: f32,
}

#[derive(Clone, Debug)]
pub(crate) struct ScoredCategory {
    pub index: u16,
    pub score: f32,
    pub evidence: Vec<Span>,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Negated {
    /// The category index, or `None` for a sentiment term.
    pub category: Option<u16>,
    pub term: (u32, u32),
    pub negator: (u32, u32),
}

#[derive(Debug, Default)]
pub(crate) struct Analysis {
    /// Categories whose score reaches the threshold, strongest first.
    pub categories: Vec<ScoredCategory>,
    pub primary: Option<u16>,
    pub sentiment_score: f64,
    pub escalation: Vec<(EscalationSignal, Vec<Span>)>,
    pub negated: Vec<Negated>,
}

/// Facts about the original text that normalisation loses.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Emphasis {
    pub exclamations: u32,
    /// Share of upper-case letters among cased letters, when there are enough of them.
    pub shouting: bool,
}

/// Per category: whether it is a problem (outranks requests for `primary`) and whether its
/// terms can be negated; and the message's language.
pub(crate) struct Settings<'a> {
    pub problem: &'a [bool],
    pub negatable: &'a [bool],
    pub min_score: f32,
    pub language: Language,
    pub language_confidence: f64,
}

/// Evidence per supported language, for language identification of short texts.
pub(crate) fn lexicon_evidence(mentions: &[Mention]) -> [f32; 17] {
    let mut out = [0f32; 17];
    for m in mentions {
        let Some(i) = m.lang.and_then(Language::index) else { continue };
        let w = m.weight.min(1.0) * if m.specific { 1.0 } else { 0.5 };
        out[i] += match m.role {
            Role::Category(_) | Role::Escalation(_) | Role::Positive | Role::Negative => w,
            Role::NegationBefore | Role::NegationAfter | Role::OrderCue | Role::TrackingCue => w * 0.5,
            Role::Intensifier | Role::Block(_) => w * 0.25,
            Role::PatternAnchor(_) => 0.0,
            // Often punctuation-like ("、", "but"): no evidence of a language.
            Role::ClauseBreak => 0.0,
        };
    }
    out
}

fn is_content(role: Role) -> bool {
    matches!(role, Role::Category(_) | Role::Positive | Role::Negative | Role::Escalation(_))
}

/// Sentence and clause boundaries of the normalised text.
struct Bounds {
    sentences: Vec<u32>,
    clauses: Vec<u32>,
}

/// Whether a function word (negator, clause break) of language `word` applies to a term of
/// language `term` in a message of language `message`: Portuguese "no" ("in the") must not negate
/// anything in Portuguese, though it negates in Spanish and English.
fn applies(word: Option<Language>, term: Option<Language>, message: Language) -> bool {
    match word {
        None => true,
        Some(w) => Some(w) == term || w == message || message == Language::UND || term.is_none(),
    }
}

impl Bounds {
    fn new(text: &str, mentions: &[Mention], language: Language) -> Bounds {
        let mut sentences = Vec::new();
        let mut clauses = Vec::new();
        let bytes = text.as_bytes();
        // Byte by byte: the punctuation below is ASCII or starts with 0xE2, 0xE3 or 0xEF.
        for (i, &b) in bytes.iter().enumerate() {
            let c = match b {
                b'!' | b'?' | b';' | b'\n' | b'.' | b',' | b':' | b'(' | b')' | b'"' => b as char,
                0xE2 | 0xE3 | 0xEF => text[i..].chars().next().unwrap_or(' '),
                _ => continue,
            };
            let i32_ = i as u32;
            match c {
                '!' | '?' | ';' | '\n' | '。' | '！' | '？' | '；' | '…' => {
                    sentences.push(i32_);
                    clauses.push(i32_);
                }
                // A full stop only when a space or the end follows ("e.g.", "12.50", "a.s.a.p").
                '.' if bytes.get(i + 1).is_none_or(|&b| b == b' ' || b == b'\n') => {
                    sentences.push(i32_);
                    clauses.push(i32_);
                }
                ',' | '，' | ':' | '：' | '(' | ')' | '（' | '）' | '"' | '、' | '—' | '–' => {
                    clauses.push(i32_)
                }
                _ => {}
            }
        }
        for m in mentions {
            // Clause words of the message's own language only ("mas" is "but" in Portuguese,
            // "more" in Spanish once accents are gone).
            if m.role == Role::ClauseBreak && m.lang.is_none_or(|l| l == language || language == Language::UND) {
                clauses.push(m.start);
            }
        }
        clauses.sort_unstable();
        Bounds { sentences, clauses }
    }

    fn sentence(&self, pos: u32) -> usize {
        self.sentences.partition_point(|&b| b < pos)
    }

    fn clause(&self, pos: u32) -> usize {
        self.clauses.partition_point(|&b| b < pos)
    }
}

/// Words between two positions (or characters, in CJK and Thai).
fn distance(text: &str, from: u32, to: u32) -> usize {
    if from >= to {
        return 0;
    }
    let gap = &text[from as usize..to as usize];
    let mut words = 0;
    let mut unspaced = 0;
    let mut in_word = false;
    for c in gap.chars() {
        let script = CharScript::of(c);
        // An apostrophe inside a word ("n'est", "don't") does not start a new word.
        if is_word_char(c) && script.is_spaced() || c.is_ascii_digit() || (c == '\'' && in_word) {
            if !in_word {
                words += 1;
            }
            in_word = true;
        } else {
            in_word = false;
            if script != CharScript::None && !script.is_spaced() {
                unspaced += 1;
            }
        }
    }
    words + unspaced
}

fn is_unspaced(text: &str, pos: u32) -> bool {
    text[pos as usize..].chars().next().is_some_and(|c| {
        let s = CharScript::of(c);
        s != CharScript::None && !s.is_spaced()
    })
}

/// At most this many matches are analysed: enough for any real message, bounded for hostile ones.
pub(crate) const MAX_MENTIONS: usize = 2048;

pub(crate) fn analyze(
    text: &str,
    mentions: &mut Vec<Mention>,
    settings: &Settings<'_>,
    emphasis: Emphasis,
) -> Analysis {
    mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    mentions.truncate(MAX_MENTIONS);
    let bounds = Bounds::new(text, mentions, settings.language);

    // 0. Language gating (step 5 of the module notes), needed by containment already.
    let language = settings.language;
    let message_script = match language.as_str() {
        "ru" => 1,
        "ar" => 2,
        "th" => 3,
        "ko" => 4,
        "ja" | "zh" => 5,
        _ => 0,
    };
    // Distinct content phrases per language: a word repeated is not more of its language.
    let mut seen_entries: Vec<(usize, u32)> = Vec::with_capacity(mentions.len());
    seen_entries.extend(
        mentions
            .iter()
            .filter(|m| is_content(m.role))
            .filter_map(|m| m.lang.and_then(Language::index).map(|k| (k, m.entry))),
    );
    seen_entries.sort_unstable();
    seen_entries.dedup();
    let mut per_lang_content = [0u8; 17];
    for (k, _) in seen_entries {
        per_lang_content[k] = per_lang_content[k].saturating_add(1);
    }
    let gate = |m: &Mention| -> f32 {
        let Some(l) = m.lang else { return 1.0 };
        if l == language
            || language == Language::UND
            || !language.is_supported()
            || settings.language_confidence < 0.5
            || m.script == lexicon::SCRIPT_NONE
        {
            return 1.0;
        }
        if m.script != message_script {
            return if m.specific { 1.0 } else { 0.75 };
        }
        let company = l.index().map_or(0, |k| per_lang_content[k]);
        // Short single words of another language are often false friends, unless the message
        // shows more of that language or its own language is uncertain (very short texts).
        match (m.specific, company >= 2 || settings.language_confidence < 0.7) {
            (true, _) => 0.8,
            (false, true) => 0.6,
            (false, false) => 0.0,
        }
    };

    let gates: Vec<f32> = mentions.iter().map(gate).collect();

    // 1. Containment: a content match strictly inside a longer content match gives way — but
    //    only to a match that counts at least as much in this message's language, so a French
    //    "compensation" does not hide the English "compensat*" in an English message.
    let mut alive: Vec<bool> = vec![true; mentions.len()];
    {
        // (end, start, role) of the longest-reaching content match so far, among full-weight
        // matches and among all that count at all.
        let mut full: Option<(u32, u32, Role)> = None;
        let mut any: Option<(u32, u32, Role)> = None;
        for (i, m) in mentions.iter().enumerate() {
            if !is_content(m.role) {
                continue;
            }
            let g = gates[i];
            let by = if g >= 1.0 { full } else { any };
            // A part of an `A + B` entry gives way only to a phrase of another meaning ("order
            // status" hides the "order" of "change + order"); under a phrase of its own category
            // ("me cobraron" over "cobraron + dos veces") it stays, to complete its group.
            if by.is_some_and(|(end, start, role)| {
                end >= m.end && (start, end) != (m.start, m.end) && (m.parts == 1 || role != m.role)
            }) {
                alive[i] = false;
            }
            // A part of a multi-part entry may not form its group; it hides nothing.
            if m.parts > 1 {
                continue;
            }
            if g >= 1.0 && full.is_none_or(|(end, _, _)| m.end > end) {
                full = Some((m.end, m.start, m.role));
            }
            if g > 0.0 && any.is_none_or(|(end, _, _)| m.end > end) {
                any = Some((m.end, m.start, m.role));
            }
        }
    }

    let negators_before = || mentions.iter().filter(|m| m.role == Role::NegationBefore);
    let negators_after = || mentions.iter().filter(|m| m.role == Role::NegationAfter);
    let mut negated_out = Vec::new();
    let negator_of = |m: &Mention| -> Option<(u32, u32)> {
        let clause = bounds.clause(m.start);
        let unspaced = is_unspaced(text, m.start);
        // A negator right before the term, or with one word between ("not really damaged");
        // farther away it usually negates something else ("can't find the invoice").
        let (reach_before, reach_after) = if unspaced { (3, 4) } else { (2, 2) };
        let before = negators_before()
            .filter(|n| applies(n.lang, m.lang, settings.language))
            .filter(|n| n.end <= m.start && bounds.clause(n.start) == clause)
            .filter(|n| distance(text, n.end, m.start) < reach_before)
            .max_by_key(|n| n.end);
        if let Some(n) = before {
            return Some((n.start, n.end));
        }
        negators_after()
            .filter(|n| applies(n.lang, m.lang, settings.language))
            .filter(|n| n.start >= m.end && bounds.clause(n.start) == clause)
            .filter(|n| distance(text, m.end, n.start) < reach_after)
            .min_by_key(|n| n.start)
            .map(|n| (n.start, n.end))
    };

    // 2-3. Negation and blocks, for single-part content matches.
    let blocks = || mentions.iter().filter(|m| matches!(m.role, Role::Block(_)));
    let mut negated_flags = vec![false; mentions.len()];
    for (i, m) in mentions.iter().enumerate() {
        if !alive[i] {
            continue;
        }
        let negatable = match m.role {
            Role::Category(c) => settings.negatable.get(c as usize).copied().unwrap_or(false),
            Role::Positive | Role::Negative => true,
            _ => false,
        };
        if negatable
            && m.parts == 1
            && let Some(neg) = negator_of(m)
        {
            negated_flags[i] = true;
            let category = match m.role {
                Role::Category(c) => Some(c),
                _ => None,
            };
            negated_out.push(Negated { category, term: (m.start, m.end), negator: neg });
        }
        if let Role::Category(c) = m.role {
            let clause = bounds.clause(m.start);
            if blocks().any(|b| b.role == Role::Block(c) && bounds.clause(b.start) == clause) {
                alive[i] = false;
            }
        }
    }

    // 4. Groups: every part of a multi-part entry within one sentence, close together.
    let mut later_parts: rustc_hash::FxHashMap<(u32, u8), Vec<usize>> = rustc_hash::FxHashMap::default();
    for (j, b) in mentions.iter().enumerate() {
        if b.parts > 1 && b.part > 0 && alive[j] {
            later_parts.entry((b.entry, b.part)).or_default().push(j);
        }
    }
    let mut group_spans: Vec<(usize, u32, u32)> = Vec::new(); // (mention index of part 0, start, end)
    for (i, a) in mentions.iter().enumerate() {
        if a.parts < 2 || a.part != 0 || !alive[i] {
            continue;
        }
        let sentence = bounds.sentence(a.start);
        let reach = if is_unspaced(text, a.start) { 12 } else { 6 };
        let mut chosen: Vec<(u32, u32)> = vec![(a.start, a.end)];
        for part in 1..a.parts {
            let Some(candidates) = later_parts.get(&(a.entry, part)) else { break };
            let near = |b: &Mention| -> Option<usize> {
                if bounds.sentence(b.start) != sentence || chosen.iter().any(|&(s, e)| b.start < e && b.end > s) {
                    return None;
                }
                chosen
                    .iter()
                    .map(|&(s, e)| if b.start >= e { distance(text, e, b.start) } else { distance(text, b.end, s) })
                    .min()
                    .filter(|&d| d <= reach)
            };
            let best = candidates.iter().filter_map(|&j| near(&mentions[j]).map(|d| (d, j))).min();
            match best {
                Some((_, j)) => chosen.push((mentions[j].start, mentions[j].end)),
                None => break,
            }
        }
        if chosen.len() == a.parts as usize {
            let start = chosen.iter().map(|c| c.0).min().unwrap_or(a.start);
            let end = chosen.iter().map(|c| c.1).max().unwrap_or(a.end);
            if let Role::Category(c) = a.role
                && settings.negatable.get(c as usize).copied().unwrap_or(false)
            {
                // Negated by a negator between its parts ("Karton ist nicht beschädigt"), not
                // one inside a part ("tidak sampai"), or by one next to the whole group.
                let inside = negators_before()
                    .chain(negators_after())
                    .filter(|n| applies(n.lang, a.lang, settings.language))
                    .find(|n| {
                        n.start >= start && n.end <= end && !chosen.iter().any(|&(s, e)| n.start < e && n.end > s)
                    })
                    .map(|n| (n.start, n.end));
                let whole = Mention { start, end, ..*a };
                if let Some(neg) = inside.or_else(|| negator_of(&whole)) {
                    negated_out.push(Negated { category: Some(c), term: (start, end), negator: neg });
                    continue;
                }
            }
            group_spans.push((i, start, end));
        }
    }

    // 5-6. Scores. Evidence of every category and signal goes into one list, keyed by category
    // index (signals after the categories), and is scored key by key.
    let n_categories = settings.problem.len();
    let signal_key =
        |s: EscalationSignal| EscalationSignal::ALL.iter().position(|x| *x == s).map(|k| (n_categories + k) as u16);
    let mut keyed: Vec<(u16, Span)> = Vec::with_capacity(mentions.len() + group_spans.len());
    let mut positive = 0f32;
    let mut negative = 0f32;
    for (i, m) in mentions.iter().enumerate() {
        if !alive[i] || m.parts > 1 {
            continue;
        }
        let w = m.weight * gates[i];
        if w <= 0.0 {
            continue;
        }
        let span = Span { start: m.start, end: m.end, lang: m.lang, weight: w };
        match m.role {
            Role::Category(c) if !negated_flags[i] && (c as usize) < n_categories => keyed.push((c, span)),
            Role::Escalation(s) => keyed.extend(signal_key(s).map(|k| (k, span))),
            Role::Positive | Role::Negative => {
                let boost = mentions
                    .iter()
                    .filter(|n| n.role == Role::Intensifier && n.end <= m.start && distance(text, n.end, m.start) < 2)
                    .map(|n| n.weight)
                    .fold(1.0f32, f32::max);
                let w = w * boost;
                match (m.role == Role::Positive, negated_flags[i]) {
                    (true, false) => positive += w,
                    (true, true) => negative += w,
                    (false, false) => negative += w,
                    (false, true) => positive += w * 0.5,
                }
            }
            _ => {}
        }
    }
    for &(i, start, end) in &group_spans {
        let m = &mentions[i];
        let w = m.weight * gates[i];
        if let (Role::Category(c), true) = (m.role, w > 0.0) {
            keyed.push((c, Span { start, end, lang: m.lang, weight: w }));
        }
    }
    keyed.sort_unstable_by(|a, b| {
        (a.0, a.1.start, a.1.end).cmp(&(b.0, b.1.start, b.1.end)).then(b.1.weight.total_cmp(&a.1.weight))
    });

    let mut categories = Vec::new();
    let mut escalation = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut at = 0;
    while at < keyed.len() {
        let key = keyed[at].0;
        let n = keyed[at..].iter().take_while(|(k, _)| *k == key).count();
        spans.clear();
        spans.extend(keyed[at..at + n].iter().map(|(_, s)| *s));
        at += n;
        let score = merged_score(&mut spans);
        if (key as usize) < n_categories {
            if score >= settings.min_score {
                let mut shown = readable_evidence(&spans);
                shown.truncate(12);
                categories.push(ScoredCategory { index: key, score, evidence: shown });
            }
        } else if score >= 1.0 {
            let mut shown = readable_evidence(&spans);
            shown.truncate(12);
            escalation.push((EscalationSignal::ALL[key as usize - n_categories], shown));
        }
    }
    let rank = |s: &ScoredCategory| -> f32 {
        let problem = settings.problem.get(s.index as usize).copied().unwrap_or(false);
        s.score * if problem { 1.3 } else { 1.0 }
    };
    categories.sort_by(|a, b| rank(b).total_cmp(&rank(a)).then(a.index.cmp(&b.index)));
    let primary = categories.first().map(|c| c.index);

    // Sentiment: polar words, plus the tone that complaints and threats carry by themselves.
    let problems =
        categories.iter().filter(|c| settings.problem.get(c.index as usize).copied().unwrap_or(false)).count();
    negative += 1.5 * problems.min(2) as f32;
    let mut abusive = false;
    for (signal, _) in &escalation {
        negative += match signal {
            EscalationSignal::AbusiveLanguage => {
                abusive = true;
                1.5
            }
            EscalationSignal::LegalThreat | EscalationSignal::ChargebackThreat | EscalationSignal::ReviewThreat => 0.6,
            EscalationSignal::RepeatContact => 0.3,
            _ => 0.0,
        };
    }
    let mut raw = positive - negative;
    if emphasis.exclamations >= 2 || emphasis.shouting {
        raw *= 1.3;
    }
    let mut sentiment_score = (raw as f64 / 7.0).tanh();
    // Insults are very negative whatever else the message says.
    if abusive {
        sentiment_score = sentiment_score.min(-0.6);
    }
    let sentiment_score = (sentiment_score * 1000.0).round() / 1000.0;

    negated_out.sort_by_key(|n| n.term);
    negated_out.dedup_by_key(|n| n.term);
    negated_out.truncate(12);
    Analysis { categories, primary, sentiment_score, escalation, negated: negated_out }
}

/// The evidence to show: one entry per span (the strongest, when lexicons of several languages
/// read the same words), and no span that merely contains a stronger one ("parcel arrived
/// crushed" when "crushed" is there).
fn readable_evidence(spans: &[Span]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        let stronger_inside = spans.iter().any(|t| {
            t.start >= s.start && t.end <= s.end && (t.start, t.end) != (s.start, s.end) && t.weight >= s.weight
        });
        if stronger_inside {
            continue;
        }
        match out.iter_mut().find(|o| (o.start, o.end) == (s.start, s.end)) {
            Some(o) if o.weight < s.weight => *o = *s,
            Some(_) => {}
            None => out.push(*s),
        }
    }
    out.sort_by_key(|s| (s.start, s.end));
    out
}

/// Per group of overlapping spans, the strongest weight plus a quarter of the others: the same
/// words read by two phrases are not two pieces of evidence, but not nothing either. Identical
/// spans (one word in the lexicons of several languages) count once.
fn merged_score(spans: &mut [Span]) -> f32 {
    spans.sort_by(|a, b| (a.start, a.end).cmp(&(b.start, b.end)).then(b.weight.total_cmp(&a.weight)));
    let mut total = 0f32;
    let (mut group_end, mut group_max, mut group_sum) = (0u32, 0f32, 0f32);
    let mut previous: Option<(u32, u32)> = None;
    for (i, s) in spans.iter().enumerate() {
        if previous == Some((s.start, s.end)) {
            continue;
        }
        previous = Some((s.start, s.end));
        if i == 0 || s.start >= group_end {
            total += group_max + 0.25 * (group_sum - group_max);
            (group_end, group_max, group_sum) = (s.end, s.weight, s.weight);
        } else {
            group_max = group_max.max(s.weight);
            group_sum += s.weight;
            group_end = group_end.max(s.end);
        }
    }
    total + group_max + 0.25 * (group_sum - group_max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_score_counts_overlaps_once() {
        let s = |start, end, weight| Span { start, end, lang: None, weight };
        let mut spans = vec![s(0, 5, 1.0), s(2, 8, 2.0), s(10, 12, 0.5), s(10, 12, 0.4)];
        assert_eq!(merged_score(&mut spans), 2.75);
    }

    #[test]
    fn distance_counts_words_or_characters() {
        assert_eq!(distance("not really that damaged", 3, 16), 2);
        assert_eq!(distance("没有被损坏", 6, 9), 1);
    }
}
