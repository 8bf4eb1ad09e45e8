//! Phrase patterns: the few cues that single keywords cannot express because they involve a
//! number ("3rd time", "seit 3 Wochen", "第三次", "5日経っても"). They run on the normalised text
//! (lower case, no diacritics) as one `RegexSet` pass; spans are looked up only for the patterns
//! that matched.

use std::sync::OnceLock;

use regex::Regex;

use crate::domain::{EscalationSignal, Language};

/// What a pattern is evidence of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PatternRole {
    /// A base category, by its index in [`crate::Category::BASE`].
    Category(u16),
    Escalation(EscalationSignal),
}

const DELAY: PatternRole = PatternRole::Category(1);
const REPEAT: PatternRole = PatternRole::Escalation(EscalationSignal::RepeatContact);

/// One phrase pattern. It runs only on texts that hold one of its `anchors` (the unit word it
/// needs: "weeks", "vez", "次"), which one small automaton finds for all patterns at once.
/// `(?-u:\b)` is an ASCII word boundary: fast, and right for the folded Latin text read here.
struct Spec {
    lang: Language,
    role: PatternRole,
    weight: f32,
    anchors: &'static [&'static str],
    regex: &'static str,
}

static PATTERNS: &[Spec] = &[
    Spec {
        lang: Language::EN,
        role: REPEAT,
        weight: 2.0,
        anchors: &["time", "email", "message", "request", "attempt"],
        regex: r"(?-u:\b)(?:[3-9]|1[0-9])(?:st|nd|rd|th) (?:time|email|message|request|attempt)(?-u:\b)",
    },
    Spec {
        lang: Language::EN,
        role: REPEAT,
        weight: 2.0,
        anchors: &["times"],
        regex: r"(?-u:\b)(?:contacted|emailed|written|wrote|called|messaged|asked|chatted)(?: to)?(?: you| your \w+)? (?:[3-9]|1[0-9]|three|four|five|six|ten|several|multiple|many) times(?-u:\b)",
    },
    Spec {
        lang: Language::EN,
        role: DELAY,
        weight: 0.5,
        anchors: &["weeks", "months"],
        regex: r"(?-u:\b)(?:ordered|paid|purchased|bought|placed|shipped)(?-u:\b)[^.!?\n]{0,40}(?-u:\b)(?:[2-9]|[1-9][0-9]|two|three|four|five|six|several|many) (?:weeks|months)(?: ago)?(?-u:\b)",
    },
    Spec {
        lang: Language::EN,
        role: DELAY,
        weight: 1.5,
        anchors: &["days", "weeks", "months"],
        regex: r"(?-u:\b)(?:waiting|waited)(?-u:\b)[^.!?\n]{0,20}(?-u:\b)(?:[2-9]|[1-9][0-9]|two|three|four|five|six|ten|several|many) (?:days|weeks|months)(?-u:\b)",
    },
    Spec {
        lang: Language::ES,
        role: DELAY,
        weight: 0.5,
        anchors: &["dias", "semanas", "meses"],
        regex: r"(?-u:\b)hace (?:[2-9]|[1-9][0-9]|dos|tres|cuatro|cinco|varias|muchas|mas de \d+) (?:dias|semanas|meses)(?-u:\b)",
    },
    Spec {
        lang: Language::ES,
        role: DELAY,
        weight: 0.5,
        anchors: &["dias", "semanas", "meses"],
        regex: r"(?-u:\b)(?:llevo|espero|esperando)(?-u:\b)[^.!?\n]{0,20}(?:[2-9]|[1-9][0-9]|dos|tres|cuatro|varias) (?:dias|semanas|meses)(?-u:\b)",
    },
    Spec {
        lang: Language::ES,
        role: REPEAT,
        weight: 2.0,
        anchors: &["vez"],
        regex: r"(?-u:\b)(?:[3-9]|1[0-9]|tercera|cuarta|quinta|enesima)a? vez(?-u:\b)",
    },
    Spec {
        lang: Language::PT,
        role: DELAY,
        weight: 0.5,
        anchors: &["dias", "semanas", "meses"],
        regex: r"(?-u:\b)(?:ha|faz) (?:[2-9]|[1-9][0-9]|dois|duas|tres|quatro|varias|varios|mais de \d+) (?:dias|semanas|meses)(?-u:\b)",
    },
    Spec {
        lang: Language::PT,
        role: REPEAT,
        weight: 2.0,
        anchors: &["vez"],
        regex: r"(?-u:\b)(?:[3-9]|1[0-9]|terceira|quarta|quinta|enesima)a? vez(?-u:\b)",
    },
    Spec {
        lang: Language::DE,
        role: DELAY,
        weight: 0.5,
        anchors: &["tagen", "wochen", "monaten"],
        regex: r"(?-u:\b)(?:seit|vor) (?:uber )?(?:[2-9]|[1-9][0-9]|zwei|drei|vier|funf|mehreren|vielen) (?:tagen|wochen|monaten)(?-u:\b)",
    },
    Spec {
        lang: Language::DE,
        role: REPEAT,
        weight: 2.0,
        anchors: &["mal"],
        regex: r"(?-u:\b)zum (?:[3-9]\.?|1[0-9]\.?|dritten|vierten|funften|x-ten|zigsten) mal(?-u:\b)",
    },
    Spec {
        lang: Language::FR,
        role: DELAY,
        weight: 0.5,
        anchors: &["jours", "semaines", "mois"],
        regex: r"(?-u:\b)depuis (?:plus de )?(?:[2-9]|[1-9][0-9]|deux|trois|quatre|cinq|plusieurs) (?:jours|semaines|mois)(?-u:\b)",
    },
    Spec {
        lang: Language::FR,
        role: REPEAT,
        weight: 2.0,
        anchors: &["fois"],
        regex: r"(?-u:\b)(?:[3-9]|1[0-9])(?:e|eme) fois(?-u:\b)|(?-u:\b)(?:troisieme|quatrieme|cinquieme|enieme|nieme) fois(?-u:\b)",
    },
    Spec {
        lang: Language::IT,
        role: DELAY,
        weight: 0.5,
        anchors: &["giorni", "settimane", "mesi"],
        regex: r"(?-u:\b)da (?:piu di )?(?:[2-9]|[1-9][0-9]|due|tre|quattro|cinque|diverse|diversi|molte|molti) (?:giorni|settimane|mesi)(?-u:\b)",
    },
    Spec {
        lang: Language::IT,
        role: REPEAT,
        weight: 2.0,
        anchors: &["volta"],
        regex: r"(?-u:\b)(?:terza|quarta|quinta|ennesima|[3-9]a) volta(?-u:\b)",
    },
    Spec {
        lang: Language::NL,
        role: DELAY,
        weight: 0.5,
        anchors: &["dagen", "weken", "maanden"],
        regex: r"(?-u:\b)(?:al|sinds|ruim) (?:[2-9]|[1-9][0-9]|twee|drie|vier|vijf|enkele|een paar) (?:dagen|weken|maanden)(?-u:\b)",
    },
    Spec {
        lang: Language::NL,
        role: REPEAT,
        weight: 2.0,
        anchors: &["keer"],
        regex: r"(?-u:\b)(?:[3-9]|1[0-9])e keer(?-u:\b)|(?-u:\b)(?:derde|vierde|vijfde|zoveelste) keer(?-u:\b)",
    },
    Spec {
        lang: Language::PL,
        role: DELAY,
        weight: 0.5,
        anchors: &["dni", "tygodni", "miesiecy"],
        regex: r"(?-u:\b)od (?:[2-9]|[1-9][0-9]|dwoch|trzech|czterech|kilku|wielu) (?:dni|tygodni|miesiecy)(?-u:\b)",
    },
    Spec {
        lang: Language::PL,
        role: REPEAT,
        weight: 2.0,
        anchors: &["raz"],
        regex: r"(?-u:\b)(?:[3-9]|trzeci|czwarty|piaty|kolejny) raz(?-u:\b)",
    },
    Spec {
        lang: Language::RU,
        role: DELAY,
        weight: 0.5,
        anchors: &["дн", "недел", "месяц"],
        regex: r"(?:уже|больше|более) (?:[2-9]|[1-9][0-9]|двух|трех|двух|нескольких|два|три|две) ?(?:дн|недел|месяц)",
    },
    Spec {
        lang: Language::RU,
        role: REPEAT,
        weight: 2.0,
        anchors: &["раз"],
        regex: r"(?:третий|четвертый|пятый|[3-9]-?й) раз",
    },
    Spec {
        lang: Language::TR,
        role: DELAY,
        weight: 0.5,
        anchors: &["gundur", "haftadir", "aydir"],
        regex: r"(?-u:\b)(?:[2-9]|[1-9][0-9]|iki|uc|dort|bes|birkac) (?:gundur|haftadir|aydir)(?-u:\b)",
    },
    Spec {
        lang: Language::TR,
        role: REPEAT,
        weight: 2.0,
        anchors: &["kez", "defa", "kere"],
        regex: r"(?-u:\b)(?:[3-9]\.|ucuncu|dorduncu|besinci) (?:kez|defa|kere)(?-u:\b)",
    },
    Spec {
        lang: Language::ZH,
        role: DELAY,
        weight: 0.5,
        anchors: &["天", "周", "星期", "礼拜", "个月"],
        regex: r"(?:[2-9]|[1-9][0-9]|两|三|四|五|六|七|八|九|十|几|好几)(?:天|周|个星期|个礼拜|个月)(?:了|还|都)",
    },
    Spec {
        lang: Language::ZH,
        role: REPEAT,
        weight: 2.0,
        anchors: &["次"],
        regex: r"第(?:[3-9]|[1-9][0-9]|三|四|五|六|n|n+)次",
    },
    Spec {
        lang: Language::JA,
        role: DELAY,
        weight: 0.5,
        anchors: &["日", "週間", "ヶ月", "か月", "カ月"],
        regex: r"(?:[2-9]|[1-9][0-9]|二|三|四|五|十)(?:日|週間|ヶ月|か月|カ月)(?:以上)?(?:経|た|も|過ぎ)",
    },
    Spec {
        lang: Language::JA,
        role: REPEAT,
        weight: 2.0,
        anchors: &["回目", "度目"],
        regex: r"(?:[3-9]|三|四|五|何)(?:回目|度目)",
    },
    Spec {
        lang: Language::KO,
        role: DELAY,
        weight: 0.5,
        anchors: &["일", "주", "달", "개월"],
        regex: r"(?:[2-9]|[1-9][0-9])\s?(?:일|주|주일|달|개월)(?:째|이나|이 지났|가 지났|넘게)",
    },
    Spec {
        lang: Language::KO, role: REPEAT, weight: 2.0, anchors: &["번째"], regex: r"(?:[3-9]|세|네|다섯)\s?번째"
    },
    Spec {
        lang: Language::AR,
        role: DELAY,
        weight: 0.5,
        anchors: &["منذ"],
        regex: r"منذ (?:[2-9]|[1-9][0-9]|اسبوعين|اسابيع|شهر|شهرين|ايام|عده ايام)",
    },
    Spec {
        lang: Language::VI,
        role: DELAY,
        weight: 0.5,
        anchors: &["ngay", "tuan", "thang"],
        regex: r"(?-u:\b)(?:[2-9]|[1-9][0-9]|hai|ba|bon|nam|may|vai) (?:ngay|tuan|thang) (?:roi|nay|nay roi)(?-u:\b)",
    },
    Spec {
        lang: Language::VI,
        role: REPEAT,
        weight: 2.0,
        anchors: &["lan thu"],
        regex: r"(?-u:\b)lan thu (?:[3-9]|ba|tu|nam)(?-u:\b)",
    },
    Spec {
        lang: Language::ID,
        role: DELAY,
        weight: 0.5,
        anchors: &["hari", "minggu", "bulan"],
        regex: r"(?-u:\b)(?:sudah|udah|sdh|dah) (?:[2-9]|[1-9][0-9]|dua|tiga|empat|lima|beberapa) (?:hari|minggu|bulan)(?-u:\b)",
    },
    Spec {
        lang: Language::ID,
        role: REPEAT,
        weight: 2.0,
        anchors: &["kali"],
        regex: r"(?-u:\b)(?:ketiga|keempat|kelima|ke-?[3-9]) kali(?-u:\b)|(?-u:\b)sudah [3-9] kali(?-u:\b)",
    },
    Spec {
        lang: Language::TH,
        role: DELAY,
        weight: 0.5,
        anchors: &["แล้ว"],
        regex: r"(?:[2-9]|[1-9][0-9])\s?(?:วัน|อาทิตย์|สัปดาห์|เดือน)แล้ว",
    },
];

/// One pattern match, in normalised byte offsets.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PatternHit {
    pub role: PatternRole,
    pub weight: f32,
    pub lang: Language,
    pub start: u32,
    pub end: u32,
}

/// The phrase patterns, each compiled the first time a text holds one of its anchors.
#[derive(Debug)]
pub(crate) struct Patterns {
    each: Vec<OnceLock<Regex>>,
}

impl Patterns {
    pub fn new() -> Patterns {
        Patterns { each: PATTERNS.iter().map(|_| OnceLock::new()).collect() }
    }

    /// Every anchor with the index of its pattern, for the lexicon to find.
    pub fn anchors() -> impl Iterator<Item = (u8, &'static str)> {
        PATTERNS.iter().enumerate().flat_map(|(i, spec)| spec.anchors.iter().map(move |a| (i as u8, *a)))
    }

    /// Runs the patterns whose bit is set in `candidates` (bit `i` for pattern `i`).
    pub fn scan(&self, text: &str, mut candidates: u64, out: &mut Vec<PatternHit>) {
        while candidates != 0 {
            let i = candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            let Some(spec) = PATTERNS.get(i) else { break };
            let regex = self.each[i].get_or_init(|| Regex::new(spec.regex).expect("built-in phrase pattern compiles"));
            for m in regex.find_iter(text).take(8) {
                out.push(PatternHit {
                    role: spec.role,
                    weight: spec.weight,
                    lang: spec.lang,
                    start: m.start() as u32,
                    end: m.end() as u32,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Normalized;

    fn roles(text: &str) -> Vec<PatternRole> {
        let norm = Normalized::new(text).text;
        let mut mask = 0u64;
        for (i, anchor) in Patterns::anchors() {
            if norm.contains(anchor) {
                mask |= 1 << i;
            }
        }
        let mut out = Vec::new();
        Patterns::new().scan(&norm, mask, &mut out);
        out.into_iter().map(|h| h.role).collect()
    }

    #[test]
    fn every_pattern_compiles_and_fits_the_candidate_mask() {
        assert!(PATTERNS.len() <= 64);
        for spec in PATTERNS {
            Regex::new(spec.regex).unwrap();
            assert!(!spec.anchors.is_empty());
        }
    }

    #[test]
    fn numbers_in_phrases() {
        assert_eq!(roles("This is the 4th time I write"), vec![REPEAT]);
        assert_eq!(roles("Ich warte seit drei Wochen"), vec![DELAY]);
        assert_eq!(roles("这是第三次联系你们"), vec![REPEAT]);
        assert_eq!(roles("已经十天了还没到"), vec![DELAY]);
        assert_eq!(roles("Thanks, all good"), vec![]);
    }
}
