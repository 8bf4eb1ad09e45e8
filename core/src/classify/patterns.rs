//! Phrase patterns: the few cues that single keywords cannot express because they involve a
//! number ("3rd time", "seit 3 Wochen", "第三次", "5日経っても"). They run on the normalised text
//! (lower case, no diacritics) as one `RegexSet` pass; spans are looked up only for the patterns
//! that matched.

use std::sync::OnceLock;

use regex::{Regex, RegexSet};

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

// (language, role, weight, pattern). `(?-u:\b)` is an ASCII word boundary: fast, and right for
// the folded Latin text these patterns read.
static PATTERNS: &[(Language, PatternRole, f32, &str)] = &[
    (
        Language::EN,
        REPEAT,
        2.0,
        r"(?-u:\b)(?:[3-9]|1[0-9])(?:st|nd|rd|th) (?:time|email|message|request|attempt)(?-u:\b)",
    ),
    (
        Language::EN,
        REPEAT,
        2.0,
        r"(?-u:\b)(?:contacted|emailed|written|wrote|called|messaged|asked|chatted)(?: to)?(?: you| your \w+)? (?:[3-9]|1[0-9]|three|four|five|six|ten|several|multiple|many) times(?-u:\b)",
    ),
    (
        Language::EN,
        DELAY,
        0.5,
        r"(?-u:\b)(?:ordered|paid|purchased|bought|placed|shipped)(?-u:\b)[^.!?\n]{0,40}(?-u:\b)(?:[2-9]|[1-9][0-9]|two|three|four|five|six|several|many) (?:weeks|months)(?: ago)?(?-u:\b)",
    ),
    (
        Language::EN,
        DELAY,
        1.5,
        r"(?-u:\b)(?:waiting|waited)(?-u:\b)[^.!?\n]{0,20}(?-u:\b)(?:[2-9]|[1-9][0-9]|two|three|four|five|six|ten|several|many) (?:days|weeks|months)(?-u:\b)",
    ),
    (
        Language::ES,
        DELAY,
        0.5,
        r"(?-u:\b)hace (?:[2-9]|[1-9][0-9]|dos|tres|cuatro|cinco|varias|muchas|mas de \d+) (?:dias|semanas|meses)(?-u:\b)",
    ),
    (
        Language::ES,
        DELAY,
        0.5,
        r"(?-u:\b)(?:llevo|espero|esperando)(?-u:\b)[^.!?\n]{0,20}(?:[2-9]|[1-9][0-9]|dos|tres|cuatro|varias) (?:dias|semanas|meses)(?-u:\b)",
    ),
    (Language::ES, REPEAT, 2.0, r"(?-u:\b)(?:[3-9]|1[0-9]|tercera|cuarta|quinta|enesima)a? vez(?-u:\b)"),
    (
        Language::PT,
        DELAY,
        0.5,
        r"(?-u:\b)(?:ha|faz) (?:[2-9]|[1-9][0-9]|dois|duas|tres|quatro|varias|varios|mais de \d+) (?:dias|semanas|meses)(?-u:\b)",
    ),
    (Language::PT, REPEAT, 2.0, r"(?-u:\b)(?:[3-9]|1[0-9]|terceira|quarta|quinta|enesima)a? vez(?-u:\b)"),
    (
        Language::DE,
        DELAY,
        0.5,
        r"(?-u:\b)(?:seit|vor) (?:uber )?(?:[2-9]|[1-9][0-9]|zwei|drei|vier|funf|mehreren|vielen) (?:tagen|wochen|monaten)(?-u:\b)",
    ),
    (
        Language::DE,
        REPEAT,
        2.0,
        r"(?-u:\b)zum (?:[3-9]\.?|1[0-9]\.?|dritten|vierten|funften|x-ten|zigsten) mal(?-u:\b)",
    ),
    (
        Language::FR,
        DELAY,
        0.5,
        r"(?-u:\b)depuis (?:plus de )?(?:[2-9]|[1-9][0-9]|deux|trois|quatre|cinq|plusieurs) (?:jours|semaines|mois)(?-u:\b)",
    ),
    (
        Language::FR,
        REPEAT,
        2.0,
        r"(?-u:\b)(?:[3-9]|1[0-9])(?:e|eme) fois(?-u:\b)|(?-u:\b)(?:troisieme|quatrieme|cinquieme|enieme|nieme) fois(?-u:\b)",
    ),
    (
        Language::IT,
        DELAY,
        0.5,
        r"(?-u:\b)da (?:piu di )?(?:[2-9]|[1-9][0-9]|due|tre|quattro|cinque|diverse|diversi|molte|molti) (?:giorni|settimane|mesi)(?-u:\b)",
    ),
    (Language::IT, REPEAT, 2.0, r"(?-u:\b)(?:terza|quarta|quinta|ennesima|[3-9]a) volta(?-u:\b)"),
    (
        Language::NL,
        DELAY,
        0.5,
        r"(?-u:\b)(?:al|sinds|ruim) (?:[2-9]|[1-9][0-9]|twee|drie|vier|vijf|enkele|een paar) (?:dagen|weken|maanden)(?-u:\b)",
    ),
    (
        Language::NL,
        REPEAT,
        2.0,
        r"(?-u:\b)(?:[3-9]|1[0-9])e keer(?-u:\b)|(?-u:\b)(?:derde|vierde|vijfde|zoveelste) keer(?-u:\b)",
    ),
    (
        Language::PL,
        DELAY,
        0.5,
        r"(?-u:\b)od (?:[2-9]|[1-9][0-9]|dwoch|trzech|czterech|kilku|wielu) (?:dni|tygodni|miesiecy)(?-u:\b)",
    ),
    (Language::PL, REPEAT, 2.0, r"(?-u:\b)(?:[3-9]|trzeci|czwarty|piaty|kolejny) raz(?-u:\b)"),
    (
        Language::RU,
        DELAY,
        0.5,
        r"(?:уже|больше|более) (?:[2-9]|[1-9][0-9]|двух|трех|двух|нескольких|два|три|две) ?(?:дн|недел|месяц)",
    ),
    (Language::RU, REPEAT, 2.0, r"(?:третий|четвертый|пятый|[3-9]-?й) раз"),
    (
        Language::TR,
        DELAY,
        0.5,
        r"(?-u:\b)(?:[2-9]|[1-9][0-9]|iki|uc|dort|bes|birkac) (?:gundur|haftadir|aydir)(?-u:\b)",
    ),
    (Language::TR, REPEAT, 2.0, r"(?-u:\b)(?:[3-9]\.|ucuncu|dorduncu|besinci) (?:kez|defa|kere)(?-u:\b)"),
    (
        Language::ZH,
        DELAY,
        0.5,
        r"(?:[2-9]|[1-9][0-9]|两|三|四|五|六|七|八|九|十|几|好几)(?:天|周|个星期|个礼拜|个月)(?:了|还|都)",
    ),
    (Language::ZH, REPEAT, 2.0, r"第(?:[3-9]|[1-9][0-9]|三|四|五|六|n|n+)次"),
    (
        Language::JA,
        DELAY,
        0.5,
        r"(?:[2-9]|[1-9][0-9]|二|三|四|五|十)(?:日|週間|ヶ月|か月|カ月)(?:以上)?(?:経|た|も|過ぎ)",
    ),
    (Language::JA, REPEAT, 2.0, r"(?:[3-9]|三|四|五|何)(?:回目|度目)"),
    (Language::KO, DELAY, 0.5, r"(?:[2-9]|[1-9][0-9])\s?(?:일|주|주일|달|개월)(?:째|이나|이 지났|가 지났|넘게)"),
    (Language::KO, REPEAT, 2.0, r"(?:[3-9]|세|네|다섯)\s?번째"),
    (Language::AR, DELAY, 0.5, r"منذ (?:[2-9]|[1-9][0-9]|اسبوعين|اسابيع|شهر|شهرين|ايام|عده ايام)"),
    (
        Language::VI,
        DELAY,
        0.5,
        r"(?-u:\b)(?:[2-9]|[1-9][0-9]|hai|ba|bon|nam|may|vai) (?:ngay|tuan|thang) (?:roi|nay|nay roi)(?-u:\b)",
    ),
    (Language::VI, REPEAT, 2.0, r"(?-u:\b)lan thu (?:[3-9]|ba|tu|nam)(?-u:\b)"),
    (
        Language::ID,
        DELAY,
        0.5,
        r"(?-u:\b)(?:sudah|udah|sdh|dah) (?:[2-9]|[1-9][0-9]|dua|tiga|empat|lima|beberapa) (?:hari|minggu|bulan)(?-u:\b)",
    ),
    (
        Language::ID,
        REPEAT,
        2.0,
        r"(?-u:\b)(?:ketiga|keempat|kelima|ke-?[3-9]) kali(?-u:\b)|(?-u:\b)sudah [3-9] kali(?-u:\b)",
    ),
    (Language::TH, DELAY, 0.5, r"(?:[2-9]|[1-9][0-9])\s?(?:วัน|อาทิตย์|สัปดาห์|เดือน)แล้ว"),
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

/// The compiled patterns.
#[derive(Debug)]
pub(crate) struct Patterns {
    set: RegexSet,
    /// Each pattern alone, for its spans; compiled the first time the set reports it.
    each: Vec<OnceLock<Regex>>,
}

impl Patterns {
    pub fn new() -> Patterns {
        let sources: Vec<&str> = PATTERNS.iter().map(|p| p.3).collect();
        Patterns {
            set: RegexSet::new(&sources).expect("built-in phrase patterns compile"),
            each: sources.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    pub fn scan(&self, text: &str, out: &mut Vec<PatternHit>) {
        for i in self.set.matches(text).iter() {
            let (lang, role, weight, source) = PATTERNS[i];
            let regex = self.each[i].get_or_init(|| Regex::new(source).expect("built-in phrase pattern compiles"));
            for m in regex.find_iter(text).take(8) {
                out.push(PatternHit { role, weight, lang, start: m.start() as u32, end: m.end() as u32 });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Normalized;

    fn roles(text: &str) -> Vec<PatternRole> {
        let mut out = Vec::new();
        Patterns::new().scan(&Normalized::new(text).text, &mut out);
        out.into_iter().map(|h| h.role).collect()
    }

    #[test]
    fn every_pattern_compiles_alone() {
        for (_, _, _, source) in PATTERNS {
            Regex::new(source).unwrap();
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
