//! Language identification restricted to the seventeen supported languages.
//!
//! Design: the script decides alone wherever one script means one supported language (Hangul →
//! ko, kana → ja, Han → zh, Thai → th, Arabic → ar, Cyrillic → ru). Latin text goes through a
//! naive Bayes over words and character trigrams of the normalised text (the model in
//! `core/data/langid/model.txt`, built from wordfreq's frequency lists), plus the accented letters
//! the normaliser folded away, plus the languages of the lexicon phrases found in the message —
//! which is what decides very short messages. whatlang, restricted to the two best candidates,
//! breaks near-ties on a bounded sample. Only the first [`MAX_WORDS`] words are read, so the
//! cost does not grow with the message.

use rustc_hash::FxHashMap;
use whatlang::{Detector, Lang};

use crate::domain::Language;
use crate::text::{CharScript, Normalized, Script};

static MODEL: &str = include_str!("../../data/langid/model.txt");

/// Words read per message; enough for a reliable decision, bounded for huge inputs.
const MAX_WORDS: usize = 48;
/// After this many words, reading stops as soon as one language leads by [`DECISIVE`].
const EARLY_WORDS: usize = 12;
const DECISIVE: f32 = 150.0;
/// Cost of a letter-with-diacritic that a language does not use (tenths of a nat).
const MARK_FLOOR: u16 = 160;
/// Below this margin (tenths of a nat) between the two best languages, whatlang is consulted.
const TIE_MARGIN: u32 = 25;
/// Bonus per unit of lexicon evidence in a language (tenths of a nat).
const LEXICON_BONUS: f32 = 30.0;

const N: usize = 11;

/// The Latin-script model.
pub(crate) struct LanguageModel {
    langs: [Language; N],
    /// Costs per language of the frequent words, keyed by [`word_key`]; `u8::MAX` when the word
    /// is not among a language's frequent words. One byte per cost keeps the table small enough
    /// to stay in cache.
    words: FxHashMap<u64, [u8; N]>,
    word_floor: [u16; N],
    /// Keyed by the three characters packed into a `u64` (see [`pack`]); `_` marks a word edge.
    trigrams: FxHashMap<u64, [u8; N]>,
    trigram_floor: [u16; N],
    marks: FxHashMap<char, [u16; N]>,
    /// whatlang detectors for each pair of languages, indexed `[i * N + j]` with `i < j`.
    pair_detectors: Vec<Option<Detector>>,
}

impl std::fmt::Debug for LanguageModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LanguageModel").field("words", &self.words.len()).finish()
    }
}

/// The result of identification.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Identified {
    pub language: Language,
    pub confidence: f64,
    pub script: Script,
}

impl LanguageModel {
    pub fn load() -> LanguageModel {
        let mut langs = [Language::UND; N];
        let mut words: FxHashMap<u64, [u8; N]> = FxHashMap::default();
        let mut trigrams: FxHashMap<u64, [u8; N]> = FxHashMap::default();
        let mut marks: FxHashMap<char, [u16; N]> = FxHashMap::default();
        let mut word_floor = [u16::MAX; N];
        let mut trigram_floor = [u16::MAX; N];
        words.reserve(48_000);
        trigrams.reserve(12_000);
        #[derive(Clone, Copy)]
        enum Table {
            Words,
            Trigrams,
            Marks,
        }
        let mut table = Table::Words;
        let mut li = 0usize;
        for line in crate::text::lines(MODEL) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with('@') {
                let mut it = line.split(' ');
                let (Some(key), Some(second)) = (it.next(), it.next()) else { continue };
                if key == "@languages" {
                    for (i, code) in line.split(' ').skip(1).enumerate().take(N) {
                        langs[i] = code.parse().unwrap_or(Language::UND);
                    }
                    continue;
                }
                li = langs.iter().position(|l| l.as_str() == second).unwrap_or(0);
                let floor = it.next().and_then(|f| f.parse().ok()).unwrap_or(MARK_FLOOR);
                table = match key {
                    "@words" => {
                        word_floor[li] = floor;
                        Table::Words
                    }
                    "@trigrams" => {
                        trigram_floor[li] = floor;
                        Table::Trigrams
                    }
                    _ => Table::Marks,
                };
                continue;
            }
            // `<key> <cost>`, tens of thousands of lines: split at the last space, digits by hand.
            let Some(space) = line.as_bytes().iter().rposition(|&b| b == b' ') else { continue };
            let (key, digits) = (&line[..space], &line.as_bytes()[space + 1..]);
            if digits.is_empty() || digits.len() > 4 || !digits.iter().all(u8::is_ascii_digit) {
                continue;
            }
            let cost = digits.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
            let small = cost.min(u8::MAX as u16 - 1) as u8;
            match table {
                Table::Words => words.entry(word_key(key)).or_insert([u8::MAX; N])[li] = small,
                Table::Trigrams => {
                    let mut cs = key.chars();
                    if let (Some(a), Some(b), Some(c)) = (cs.next(), cs.next(), cs.next()) {
                        trigrams.entry(pack(a, b, c)).or_insert([u8::MAX; N])[li] = small;
                    }
                }
                Table::Marks => {
                    if let Some(c) = key.chars().next() {
                        marks.entry(c).or_insert([MARK_FLOOR; N])[li] = cost;
                    }
                }
            }
        }
        let whatlang: Vec<Option<Lang>> = langs.iter().map(|l| to_whatlang(*l)).collect();
        let mut pair_detectors = Vec::with_capacity(N * N);
        for i in 0..N {
            for j in 0..N {
                pair_detectors.push(match (i < j, whatlang[i], whatlang[j]) {
                    (true, Some(a), Some(b)) => Some(Detector::with_allowlist(vec![a, b])),
                    _ => None,
                });
            }
        }
        LanguageModel { langs, words, word_floor, trigrams, trigram_floor, marks, pair_detectors }
    }

    /// Whether `word` (normalised) is among the frequent words of `lang` in the model.
    pub fn is_common(&self, lang: Language, word: &str) -> bool {
        let Some(i) = self.langs.iter().position(|&l| l == lang) else { return false };
        self.words.get(&word_key(word)).is_some_and(|costs| costs[i] != u8::MAX)
    }

    /// Identifies the language of `norm`. `lexicon_evidence[i]` is the weight of lexicon phrases
    /// of `Language::SUPPORTED[i]` found in the text.
    pub fn identify(&self, norm: &Normalized, lexicon_evidence: &[f32; 17]) -> Identified {
        let counts = norm.counts;
        if counts.letters() == 0 {
            return Identified { language: Language::UND, confidence: 0.0, script: Script::Common };
        }
        // CJK characters carry about a word each; weigh them against Latin letters accordingly.
        let cjk = 3 * (counts.han + counts.kana + counts.hangul);
        let candidates = [
            (counts.latin, Script::Latin),
            (counts.cyrillic, Script::Cyrillic),
            (counts.arabic, Script::Arabic),
            (counts.thai, Script::Thai),
            (cjk, Script::Japanese),
            (counts.other, Script::Unknown),
        ];
        let (best, script) = candidates.iter().copied().max_by_key(|(n, _)| *n).unwrap_or((0, Script::Common));
        let share = best as f64 / (counts.letters() + 2 * (counts.han + counts.kana + counts.hangul)).max(1) as f64;
        let fixed = |language: Language, script: Script| Identified {
            language,
            confidence: round3((0.75 + 0.25 * share).min(1.0) * length_factor(best)),
            script,
        };
        match script {
            Script::Cyrillic => fixed(Language::RU, Script::Cyrillic),
            Script::Arabic => fixed(Language::AR, Script::Arabic),
            Script::Thai => fixed(Language::TH, Script::Thai),
            Script::Japanese => {
                let ja = lexicon_evidence[Language::JA.index().unwrap_or(0)];
                let zh = lexicon_evidence[Language::ZH.index().unwrap_or(0)];
                if counts.hangul >= counts.han + counts.kana {
                    fixed(Language::KO, Script::Korean)
                } else if counts.kana >= 2 || (counts.kana > 0 && counts.kana * 10 >= counts.han) {
                    fixed(Language::JA, Script::Japanese)
                } else if ja >= 1.0 && ja > 2.0 * zh {
                    // Kanji-only Japanese ("配送遅延"): only the Japanese lexicon recognised it.
                    fixed(Language::JA, Script::Japanese)
                } else {
                    let traditional = norm.traditional * 4 >= counts.han.max(1);
                    fixed(Language::ZH, if traditional { Script::HanTraditional } else { Script::HanSimplified })
                }
            }
            Script::Latin => self.identify_latin(norm, lexicon_evidence),
            _ => Identified { language: Language::UND, confidence: 0.0, script: Script::Unknown },
        }
    }

    /// Adds half the trigram cost of `word` (with `_` at both edges) to each language.
    fn add_trigrams(&self, word: &str, cost: &mut [f32; N]) {
        let mut window = ['_', '_', '_'];
        let mut add = |a: char, b: char, c: char| {
            let costs = self.trigrams.get(&pack(a, b, c));
            for i in 0..N {
                let c = match costs {
                    Some(cs) if cs[i] != u8::MAX => cs[i] as u16,
                    _ => self.trigram_floor[i],
                };
                cost[i] += 0.5 * c as f32;
            }
        };
        for (n, ch) in word.chars().chain(['_']).enumerate() {
            window = [window[1], window[2], ch];
            if n >= 1 {
                add(window[0], window[1], window[2]);
            }
        }
    }

    fn identify_latin(&self, norm: &Normalized, lexicon_evidence: &[f32; 17]) -> Identified {
        let mut cost = [0f32; N];
        let mut known_words = 0usize;
        let mut letters = 0usize;
        let mut words = 0usize;
        for word in norm.text.split(|c: char| CharScript::of(c) != CharScript::Latin) {
            if word.is_empty() {
                continue;
            }
            words += 1;
            if words > MAX_WORDS || (words > EARLY_WORDS && decided(&cost)) {
                break;
            }
            let chars = word.chars().count();
            letters += chars;
            if chars > 30 {
                continue;
            }
            match self.words.get(&word_key(word)) {
                Some(costs) => {
                    known_words += 1;
                    for i in 0..N {
                        cost[i] += 2.0 * if costs[i] == u8::MAX { self.word_floor[i] } else { costs[i] as u16 } as f32;
                    }
                }
                None => {
                    for (c, floor) in cost.iter_mut().zip(self.word_floor) {
                        *c += floor as f32;
                    }
                    self.add_trigrams(word, &mut cost);
                }
            }
        }
        for c in &norm.marks {
            if let Some(costs) = self.marks.get(c) {
                for i in 0..N {
                    cost[i] += 0.5 * costs[i] as f32;
                }
            }
        }
        for (i, lang) in self.langs.iter().enumerate() {
            if let Some(k) = lang.index() {
                cost[i] -= LEXICON_BONUS * lexicon_evidence[k].min(3.0);
            }
        }
        let mut order: [usize; N] = std::array::from_fn(|i| i);
        order.sort_by(|&a, &b| cost[a].total_cmp(&cost[b]));
        let (first, second) = (order[0], order[1]);
        let mut winner = first;
        let margin = (cost[second] - cost[first]).max(0.0);
        let lexicon_total: f32 = lexicon_evidence.iter().sum();
        if letters < 3 || (known_words == 0 && lexicon_total == 0.0 && letters < 12) {
            return Identified { language: Language::UND, confidence: 0.0, script: Script::Latin };
        }
        if (margin as u32) < TIE_MARGIN && words >= 3 {
            let (i, j) = (first.min(second), first.max(second));
            if let Some(Some(det)) = self.pair_detectors.get(i * N + j) {
                let sample = bounded_sample(&norm.text, 400);
                if let Some(info) = det.detect(sample)
                    && info.confidence() > 0.2
                    && let Some(k) = self.langs.iter().position(|l| to_whatlang(*l) == Some(info.lang()))
                {
                    winner = k;
                }
            }
        }
        // Posterior of the winner among all languages, tempered: naive Bayes is overconfident.
        let best = cost[winner];
        let z: f32 = cost.iter().map(|c| (-(c - best) / 30.0).exp()).sum();
        let confidence = (1.0 / z) as f64 * length_factor(letters as u32);
        Identified { language: self.langs[winner], confidence: round3(confidence), script: Script::Latin }
    }
}

/// Whether the best language leads the second by [`DECISIVE`] (15 nats: odds of millions to one).
fn decided(cost: &[f32; N]) -> bool {
    let (mut best, mut second) = (f32::MAX, f32::MAX);
    for &c in cost {
        if c < best {
            second = best;
            best = c;
        } else if c < second {
            second = c;
        }
    }
    second - best >= DECISIVE
}

/// A word as a 64-bit key: collisions among the model's words are negligible, and the key is
/// four times smaller than the word itself.
fn word_key(word: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(word.as_bytes());
    h.write_u8(0xff);
    h.finish()
}

/// Three characters as one hash key (21 bits each).
fn pack(a: char, b: char, c: char) -> u64 {
    ((a as u64) << 42) | ((b as u64) << 21) | c as u64
}

/// Very short texts get lower confidence whatever the evidence.
fn length_factor(letters: u32) -> f64 {
    (0.5 + letters as f64 / 40.0).min(1.0)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn bounded_sample(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn to_whatlang(l: Language) -> Option<Lang> {
    Some(match l.as_str() {
        "de" => Lang::Deu,
        "en" => Lang::Eng,
        "es" => Lang::Spa,
        "fr" => Lang::Fra,
        "id" => Lang::Ind,
        "it" => Lang::Ita,
        "nl" => Lang::Nld,
        "pl" => Lang::Pol,
        "pt" => Lang::Por,
        "tr" => Lang::Tur,
        "vi" => Lang::Vie,
        _ => return None,
    })
}
