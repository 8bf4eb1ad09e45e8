//! Complaint classification: categories with evidence, language, sentiment, escalation signals
//! and entities, from one pass of one automaton over the normalised text.

mod analysis;
mod entities;
mod langid;
mod lexicon;
mod patterns;
mod trie;

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

pub use entities::{EmailAddress, Entities, MoneyAmount, OrderId, TrackingNumber};

use crate::domain::{Category, EscalationSignal, Language, Sentiment, TextField};
use crate::error::Error;
use crate::policy::{CategoryKind, Policy};
use crate::text::{Normalized, OffsetMapper, OffsetUnit, Script};
use analysis::{Emphasis, Mention, Settings};
use entities::{CueKind, Extractor};
use langid::LanguageModel;
use lexicon::{Lexicon, LexiconBuilder, Origin, Phrase, Role};
use patterns::{PatternRole, Patterns};

/// A message to classify: the text, and optional subject, language and country hints.
///
/// Deserialises from a bare string or from an object `{text, subject, language, country}`, which
/// is how batch items arrive from the bindings.
///
/// # Example
///
/// ```
/// use aftersales::{ClassifyRequest, Engine, Language};
///
/// let request = ClassifyRequest::new("Wo bleibt mein Paket?").subject("Bestellung 4711").language("de");
/// let c = Engine::new().classify_request(&request)?;
/// assert_eq!(c.language, Language::DE);
/// assert_eq!(c.primary.as_str(), "delivery_delay");
///
/// let parsed = ClassifyRequest::from_json(r#"{"text": "hello", "country": "gb"}"#)?;
/// assert_eq!(parsed.country.as_deref(), Some("gb"));
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClassifyRequest<'a> {
    /// The message body.
    pub text: Cow<'a, str>,
    /// The subject line, classified together with the text (evidence says which it came from).
    pub subject: Option<Cow<'a, str>>,
    /// A language hint (ISO 639-1); when given it is reported as the language, with confidence 1.
    pub language: Option<Cow<'a, str>>,
    /// A country hint (ISO 3166-1 alpha-2), used to resolve ambiguous currency symbols.
    pub country: Option<Cow<'a, str>>,
    /// The unit of the offsets in the result (bytes unless a binding asks otherwise).
    pub offsets: OffsetUnit,
}

impl<'a> ClassifyRequest<'a> {
    /// A request for `text` with no hints.
    ///
    /// # Example
    ///
    /// ```
    /// let r = aftersales::ClassifyRequest::new("Where is my order?");
    /// assert_eq!((r.text.as_ref(), r.subject, r.language), ("Where is my order?", None, None));
    /// ```
    pub fn new(text: impl Into<Cow<'a, str>>) -> ClassifyRequest<'a> {
        ClassifyRequest { text: text.into(), ..ClassifyRequest::default() }
    }

    /// Sets the subject line.
    ///
    /// # Example
    ///
    /// ```
    /// let r = aftersales::ClassifyRequest::new("It is broken").subject("Order 4711");
    /// let c = aftersales::Engine::new().classify_request(&r)?;
    /// assert_eq!(c.categories[0].evidence[0].field.as_str(), "text");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn subject(mut self, subject: impl Into<Cow<'a, str>>) -> ClassifyRequest<'a> {
        self.subject = Some(subject.into());
        self
    }

    /// Sets the language hint.
    ///
    /// # Example
    ///
    /// ```
    /// let r = aftersales::ClassifyRequest::new("no").language("pt");
    /// assert_eq!(aftersales::Engine::new().classify_request(&r)?.language.as_str(), "pt");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn language(mut self, language: impl Into<Cow<'a, str>>) -> ClassifyRequest<'a> {
        self.language = Some(language.into());
        self
    }

    /// Sets the country hint.
    ///
    /// # Example
    ///
    /// ```
    /// let r = aftersales::ClassifyRequest::new("I was charged ¥2000 twice").country("JP");
    /// let c = aftersales::Engine::new().classify_request(&r)?;
    /// assert_eq!(c.entities.amounts[0].currency.map(|c| c.code().to_string()).as_deref(), Some("JPY"));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn country(mut self, country: impl Into<Cow<'a, str>>) -> ClassifyRequest<'a> {
        self.country = Some(country.into());
        self
    }

    /// Sets the unit of the offsets in the result.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{ClassifyRequest, Engine, OffsetUnit};
    ///
    /// let text = "Ça n'est pas arrivé, remboursement svp";
    /// let bytes = Engine::new().classify(text)?;
    /// let chars = Engine::new().classify_request(&ClassifyRequest::new(text).offsets(OffsetUnit::CodePoints))?;
    /// let (b, c) = (&bytes.categories[0].evidence[0], &chars.categories[0].evidence[0]);
    /// assert_eq!(b.start, c.start + 2); // "Ç" and "é" are two bytes each in UTF-8
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn offsets(mut self, unit: OffsetUnit) -> ClassifyRequest<'a> {
        self.offsets = unit;
        self
    }

    /// Parses a request from JSON: a string, or an object with `text` and optional `subject`,
    /// `language`, `country`.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the field when the JSON is malformed, `text` is missing or not a
    /// string, or an unknown key is present.
    ///
    /// # Example
    ///
    /// ```
    /// let err = aftersales::ClassifyRequest::from_json(r#"{"text": 42}"#).unwrap_err();
    /// assert_eq!(err.field(), Some("text"));
    /// ```
    pub fn from_json(json: &'a str) -> Result<ClassifyRequest<'a>, Error> {
        crate::error::parse_json(json).map_err(|e| bare_text_error(e, json.trim_start().starts_with('"')))
    }
}

impl ClassifyRequest<'static> {
    /// Reads a request from a JSON value (a string, or an object as for
    /// [`from_json`](ClassifyRequest::from_json)).
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the field, as for `from_json`.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::ClassifyRequest;
    ///
    /// let r = ClassifyRequest::from_value(serde_json::json!({"text": "hi", "subject": "Order"}))?;
    /// assert_eq!(r.subject.as_deref(), Some("Order"));
    /// let err = ClassifyRequest::from_value(serde_json::json!({"txt": "hi"})).unwrap_err();
    /// assert_eq!(err.field(), Some("txt"));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn from_value(value: serde_json::Value) -> Result<ClassifyRequest<'static>, Error> {
        let is_text = value.is_string();
        crate::error::from_value(value).map_err(|e| bare_text_error(e, is_text))
    }
}

/// A request given as a bare string that fails (a lone surrogate escape) is about `text`.
fn bare_text_error(e: Error, is_text: bool) -> Error {
    if is_text && e.field().is_none() { Error::new(e.kind(), Some("text"), e.message()) } else { e }
}

impl ClassifyRequest<'_> {
    /// The same request owning its strings.
    ///
    /// # Example
    ///
    /// ```
    /// let text = String::from("Where is my order?");
    /// let owned: aftersales::ClassifyRequest<'static> = aftersales::ClassifyRequest::new(text.as_str()).into_owned();
    /// drop(text);
    /// assert_eq!(owned.text, "Where is my order?");
    /// ```
    pub fn into_owned(self) -> ClassifyRequest<'static> {
        let own = |c: Option<Cow<'_, str>>| c.map(|c| Cow::Owned(c.into_owned()));
        ClassifyRequest {
            text: Cow::Owned(self.text.into_owned()),
            subject: own(self.subject),
            language: own(self.language),
            country: own(self.country),
            offsets: self.offsets,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for ClassifyRequest<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Fields<'a> {
            #[serde(borrow)]
            text: Cow<'a, str>,
            #[serde(borrow, default)]
            subject: Option<Cow<'a, str>>,
            #[serde(borrow, default)]
            language: Option<Cow<'a, str>>,
            #[serde(borrow, default)]
            country: Option<Cow<'a, str>>,
        }

        struct RequestVisitor<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for RequestVisitor<'a> {
            type Value = ClassifyRequest<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, or an object with a string field `text`")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(ClassifyRequest::new(v))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(ClassifyRequest::new(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(ClassifyRequest::new(v))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let f = Fields::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(ClassifyRequest {
                    text: f.text,
                    subject: f.subject,
                    language: f.language,
                    country: f.country,
                    offsets: OffsetUnit::Bytes,
                })
            }
        }

        deserializer.deserialize_any(RequestVisitor(std::marker::PhantomData))
    }
}

impl<'a> From<&'a str> for ClassifyRequest<'a> {
    fn from(text: &'a str) -> ClassifyRequest<'a> {
        ClassifyRequest::new(text)
    }
}

/// The result of [`Engine::classify`](crate::Engine::classify).
///
/// # Example
///
/// ```
/// use aftersales::{Category, Engine, Language, Sentiment};
///
/// let c = Engine::new().classify("The parcel arrived crushed and the vase inside is broken. Refund please!")?;
/// assert_eq!(c.language, Language::EN);
/// assert_eq!(c.primary, Category::Damaged);
/// assert!(c.categories.iter().any(|s| s.category == Category::RefundRequest));
/// assert!(c.sentiment <= Sentiment::Negative);
/// let evidence = &c.categories[0].evidence[0];
/// assert_eq!(evidence.text, "crushed");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Classification {
    /// The language (ISO 639-1), or `und` when the text carries no signal.
    pub language: Language,
    /// 0..1.
    pub language_confidence: f64,
    /// The writing system (ISO 15924).
    pub script: Script,
    /// Every category that applies, most confident first; empty when none does.
    pub categories: Vec<CategoryScore>,
    /// The main category: the highest ranked, a problem (damaged, not received, …) ranking its
    /// score 1.3× against a request (refund, return, …); `other` when none applies.
    pub primary: Category,
    /// Five-level sentiment.
    pub sentiment: Sentiment,
    /// −1 (very negative) .. 1 (very positive).
    pub sentiment_score: f64,
    /// Escalation signals present, each with its evidence.
    pub escalation: Vec<Escalation>,
    /// Order numbers, tracking numbers, e-mail addresses and money amounts.
    pub entities: Entities,
    /// Problem and sentiment terms that were found but negated ("not damaged"), for explanation.
    pub negated: Vec<NegatedTerm>,
}

/// One category that applies to a message.
///
/// # Example
///
/// ```
/// let c = aftersales::Engine::new().classify("The box was crushed and the lamp is broken")?;
/// let damaged = &c.categories[0];
/// assert_eq!(damaged.category.as_str(), "damaged");
/// assert!(damaged.confidence > 0.5 && damaged.evidence.len() >= 2);
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CategoryScore {
    /// The category.
    pub category: Category,
    /// 0..1; `1 − 0.5^score` where one phrase of weight 1 scores 1.
    pub confidence: f64,
    /// The phrases that support it.
    pub evidence: Vec<Evidence>,
}

/// A span of the input that supports a decision.
///
/// # Example
///
/// ```
/// let text = "Hello, my parcel never arrived.";
/// let c = aftersales::Engine::new().classify(text)?;
/// let e = &c.categories[0].evidence[0];
/// assert_eq!(&text[e.start..e.end], e.text); // Rust offsets are bytes
/// assert_eq!(e.lexicon, Some(aftersales::Language::EN));
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Evidence {
    /// The text as written.
    pub text: String,
    /// Start offset, in the unit asked for.
    pub start: usize,
    /// End offset (exclusive).
    pub end: usize,
    /// Which input string the offsets point into.
    pub field: TextField,
    /// The lexicon the phrase comes from (`None` for language-neutral policy phrases).
    pub lexicon: Option<Language>,
    /// The weight the phrase contributed, after language gating.
    pub weight: f64,
}

/// An escalation signal and the spans that raised it.
///
/// # Example
///
/// ```
/// let c = aftersales::Engine::new().classify("Refund me now or I will open a PayPal dispute")?;
/// let e = &c.escalation[0];
/// assert_eq!(e.signal.as_str(), "chargeback_threat");
/// assert!(e.evidence[0].text.contains("dispute"));
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Escalation {
    /// The signal.
    pub signal: EscalationSignal,
    /// The phrases that raised it.
    pub evidence: Vec<Evidence>,
}

/// A term that would have counted but was negated.
///
/// # Example
///
/// ```
/// let c = aftersales::Engine::new().classify("It arrived on time and is not damaged, but the colour is wrong")?;
/// assert_eq!(c.primary.as_str(), "wrong_item");
/// let n = &c.negated[0];
/// assert_eq!((n.text.as_str(), n.negator.as_str()), ("damaged", "not"));
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct NegatedTerm {
    /// The category the term belongs to, or `None` for a sentiment term (which flips instead).
    pub category: Option<Category>,
    /// The term as written.
    pub text: String,
    /// Start offset.
    pub start: usize,
    /// End offset.
    pub end: usize,
    /// Which input string the offsets point into.
    pub field: TextField,
    /// The negator as written ("not", "没有", "ない").
    pub negator: String,
}

/// What every engine shares: the built-in lexicons of all languages (with their generated
/// misspellings), the language model and the patterns. None of it depends on the policy, so it is
/// compiled once per process, on first use, and never changes afterwards: engines built later
/// only compile their policy's own phrases.
struct Builtins {
    lexicon: Lexicon,
    model: LanguageModel,
    patterns: Patterns,
    extractor: Extractor,
}

static BUILTINS: OnceLock<Result<Builtins, String>> = OnceLock::new();

fn builtins() -> Result<&'static Builtins, Error> {
    BUILTINS.get_or_init(Builtins::compile).as_ref().map_err(|m| Error::invalid_policy("", m.clone()))
}

impl Builtins {
    fn compile() -> Result<Builtins, String> {
        let base_index = |name: &str| Category::BASE.iter().position(|c| c.as_str() == name).map(|i| i as u16);
        let lines = lexicon::BUILTIN.iter().map(|(_, source)| memchr::memchr_iter(b'\n', source.as_bytes()).count());
        let mut builder = LexiconBuilder::with_capacity(lines.sum());
        for (lang, source) in &lexicon::BUILTIN {
            // Entries come section by section: look the role up once per section.
            let mut current: Option<(&str, Role)> = None;
            lexicon::parse_file(source, |section, phrase| {
                let role = match current {
                    Some((name, role)) if name == section => role,
                    _ => {
                        let role =
                            section_role(section, &base_index).ok_or_else(|| format!("unknown section [{section}]"))?;
                        current = Some((section, role));
                        role
                    }
                };
                builder.add(role, Some(*lang), phrase, Origin::Builtin);
                Ok(())
            })
            .map_err(|e| format!("built-in lexicon {lang}, line {}: {}", e.line, e.message))?;
        }
        for (i, anchor) in Patterns::anchors() {
            let phrase = Phrase::parse(&format!("*{anchor}*"))?;
            builder.add(Role::PatternAnchor(i), None, &phrase, Origin::Builtin);
        }
        let model = LanguageModel::load();
        builder.add_misspellings(Language::EN, |w| model.is_common(Language::EN, w));
        Ok(Builtins { lexicon: builder.build()?, model, patterns: Patterns::new(), extractor: Extractor::new() })
    }
}

/// The compiled classifier of an engine: the shared built-ins plus the policy's own phrases,
/// removals and categories.
pub(crate) struct Classifier {
    builtins: &'static Builtins,
    /// The policy's `extra_phrases`; its entry ids follow the built-in ones.
    extra: Option<Lexicon>,
    /// Built-in entries removed by `remove_phrases`, as a bit set over entry ids.
    removed: Option<Vec<u64>>,
    categories: Vec<Category>,
    problem: Vec<bool>,
    negatable: Vec<bool>,
    min_score: f32,
    max_text_bytes: usize,
}

impl fmt::Debug for Classifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Classifier").field("categories", &self.categories).finish_non_exhaustive()
    }
}

impl Classifier {
    pub fn new(policy: &Policy) -> Result<Classifier, Error> {
        let builtins = builtins()?;
        let cp = &policy.classification;
        let mut categories: Vec<Category> = Category::BASE.to_vec();
        let mut problem: Vec<bool> = categories.iter().map(Category::is_problem).collect();
        // Billing terms name documents and transactions; a negation near them states the problem
        // ("no invoice", "payment didn't go through") rather than denying it.
        let mut negatable: Vec<bool> =
            categories.iter().map(|c| c.is_problem() && *c != Category::PaymentBilling).collect();
        for (name, custom) in &cp.categories {
            categories.push(Category::Custom(name.as_str().into()));
            problem.push(custom.kind == CategoryKind::Problem);
            negatable.push(custom.kind == CategoryKind::Problem);
        }
        let index_of = |name: &str| categories.iter().position(|c| c.as_str() == name).map(|i| i as u16);

        let mut removed: Option<Vec<u64>> = None;
        for (category, by_lang) in &cp.remove_phrases {
            let path = format!("classification.remove_phrases.{category}");
            let c = index_of(category).ok_or_else(|| unknown_category(&path, category))?;
            for (lang, phrases) in by_lang {
                let lang_value = phrase_language(lang, &format!("{path}.{lang}"))?;
                for (i, raw) in phrases.iter().enumerate() {
                    let field = format!("{path}.{lang}[{i}]");
                    let phrase = Phrase::parse(raw).map_err(|m| Error::invalid_policy(&field, m))?;
                    let found = builtins.lexicon.find(Role::Category(c), lang_value, &phrase);
                    if found.is_empty() {
                        return Err(Error::invalid_policy(
                            field,
                            format!("no built-in {lang} phrase {raw:?} in category {category} to remove"),
                        ));
                    }
                    let bits = removed.get_or_insert_with(|| vec![0; builtins.lexicon.entries.len().div_ceil(64)]);
                    for id in found {
                        bits[id as usize / 64] |= 1 << (id % 64);
                    }
                }
            }
        }
        let mut builder = LexiconBuilder::default();
        let mut any_extra = false;
        for (category, by_lang) in &cp.extra_phrases {
            let path = format!("classification.extra_phrases.{category}");
            let c = index_of(category).ok_or_else(|| unknown_category(&path, category))?;
            if categories[c as usize] == Category::Other {
                return Err(Error::invalid_policy(
                    path,
                    "`other` is what remains when nothing matches; it takes no phrases",
                ));
            }
            for (lang, phrases) in by_lang {
                let lang_value = phrase_language(lang, &format!("{path}.{lang}"))?;
                for (i, raw) in phrases.iter().enumerate() {
                    let field = format!("{path}.{lang}[{i}]");
                    let phrase = Phrase::parse(raw).map_err(|m| Error::invalid_policy(&field, m))?;
                    builder.add(Role::Category(c), lang_value, &phrase, Origin::Policy);
                    any_extra = true;
                }
            }
        }
        let extra = if any_extra {
            Some(builder.build().map_err(|m| Error::invalid_policy("classification.extra_phrases", m))?)
        } else {
            None
        };
        let min_confidence = cp.min_confidence.clamp(0.0, 0.999_999);
        Ok(Classifier {
            builtins,
            extra,
            removed,
            categories,
            problem,
            negatable,
            min_score: (-(1.0 - min_confidence).log2()) as f32,
            max_text_bytes: policy.limits.max_text_bytes as usize,
        })
    }

    fn mention(&self, h: &lexicon::Hit) -> Mention {
        let base = self.builtins.lexicon.entries.len() as u32;
        let e = if h.entry < base {
            &self.builtins.lexicon.entries[h.entry as usize]
        } else {
            &self.extra.as_ref().expect("extra hits come from the extra lexicon").entries[(h.entry - base) as usize]
        };
        Mention {
            role: e.role,
            weight: if h.typo { 0.8 * e.weight } else { e.weight },
            lang: e.lang,
            specific: e.specific,
            script: e.script,
            entry: h.entry,
            part: h.part,
            parts: e.parts,
            start: h.start,
            end: h.end,
        }
    }

    /// The categories this classifier knows (base taxonomy, then the policy's own).
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    pub fn classify(&self, req: &ClassifyRequest<'_>) -> Result<Classification, Error> {
        let text: &str = &req.text;
        let subject: Option<&str> = req.subject.as_deref().filter(|s| !s.is_empty());
        let size = text.len() + subject.map_or(0, str::len);
        if size > self.max_text_bytes {
            return Err(Error::limit_exceeded(
                "text",
                format!(
                    "the message is {size} bytes; the policy allows at most {} (limits.max_text_bytes)",
                    self.max_text_bytes
                ),
            ));
        }
        let hint = match req.language.as_deref() {
            Some(code) => Some(code.parse::<Language>()?),
            None => None,
        };
        let country = match req.country.as_deref() {
            Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => Some(c.to_ascii_uppercase()),
            Some(c) => {
                return Err(Error::invalid_input("country", format!("not an ISO 3166-1 alpha-2 country code: {c:?}")));
            }
            None => None,
        };

        // The subject is classified with the text, separated by a line break (a sentence boundary).
        let combined: Cow<'_, str> = match subject {
            Some(s) => Cow::Owned(format!("{s}\n{text}")),
            None => Cow::Borrowed(text),
        };
        let text_base = subject.map_or(0, |s| s.len() + 1);
        let norm = Normalized::new(&combined);

        let limit = 4 * analysis::MAX_MENTIONS;
        let mut hits = Vec::with_capacity(64);
        self.builtins.lexicon.scan(&norm.text, &mut hits, limit);
        if let Some(bits) = &self.removed {
            hits.retain(|h| bits[h.entry as usize / 64] & (1 << (h.entry % 64)) == 0);
        }
        if let Some(extra) = &self.extra {
            let base = self.builtins.lexicon.entries.len() as u32;
            let from = hits.len();
            extra.scan(&norm.text, &mut hits, limit);
            for h in &mut hits[from..] {
                h.entry += base;
            }
        }
        let mut anchors = 0u64;
        let mut mentions: Vec<Mention> = Vec::with_capacity(hits.len() + 4);
        for h in &hits {
            let m = self.mention(h);
            match m.role {
                Role::PatternAnchor(i) => anchors |= 1 << i,
                _ => mentions.push(m),
            }
        }
        let mut pattern_hits = Vec::new();
        self.builtins.patterns.scan(&norm.text, anchors, &mut pattern_hits);
        mentions.extend(pattern_hits.iter().map(|p| Mention {
            role: match p.role {
                PatternRole::Category(c) => Role::Category(c),
                PatternRole::Escalation(s) => Role::Escalation(s),
            },
            weight: p.weight,
            lang: Some(p.lang),
            specific: true,
            script: lexicon::SCRIPT_NONE,
            entry: u32::MAX,
            part: 0,
            parts: 1,
            start: p.start,
            end: p.end,
        }));

        let identified = self.builtins.model.identify(&norm, &analysis::lexicon_evidence(&mentions));
        let (language, language_confidence) = match hint {
            Some(l) => (l, 1.0),
            None => (identified.language, identified.confidence),
        };
        let settings = Settings {
            problem: &self.problem,
            negatable: &self.negatable,
            min_score: self.min_score,
            language,
            language_confidence,
        };
        let found = analysis::analyze(&norm.text, &mut mentions, &settings, emphasis(&norm));

        let cues: Vec<(usize, usize, CueKind)> = mentions
            .iter()
            .filter_map(|m| {
                let kind = match m.role {
                    Role::OrderCue => CueKind::Order,
                    Role::TrackingCue => CueKind::Tracking,
                    _ => return None,
                };
                Some((norm.original_start(m.start as usize), norm.original_end(&combined, m.end as usize), kind))
            })
            .collect();
        let mut entities = self.builtins.extractor.extract(&combined, &cues, language, country.as_deref());

        // Offsets: normalised → original bytes of the combined string → the field's own string
        // → the caller's unit.
        let text_map = OffsetMapper::new(text, req.offsets);
        let subject_map = subject.map(|s| OffsetMapper::new(s, req.offsets));
        let place = |start: usize, end: usize| -> (usize, usize, TextField) {
            match &subject_map {
                Some(m) if start < text_base => (m.map(start), m.map(end.min(text_base - 1)), TextField::Subject),
                _ => (text_map.map(start - text_base), text_map.map(end - text_base), TextField::Text),
            }
        };
        let evidence = |s: &analysis::Span| -> Evidence {
            let (os, oe) = (norm.original_start(s.start as usize), norm.original_end(&combined, s.end as usize));
            let (start, end, field) = place(os, oe);
            Evidence {
                text: combined[os..oe].to_string(),
                start,
                end,
                field,
                lexicon: s.lang,
                weight: (s.weight as f64 * 1000.0).round() / 1000.0,
            }
        };

        let categories: Vec<CategoryScore> = found
            .categories
            .iter()
            .map(|c| CategoryScore {
                category: self.categories[c.index as usize].clone(),
                confidence: round3(1.0 - 0.5f64.powf(c.score as f64)),
                evidence: c.evidence.iter().map(evidence).collect(),
            })
            .collect();
        let primary = found.primary.map_or(Category::Other, |i| self.categories[i as usize].clone());
        let escalation = found
            .escalation
            .iter()
            .map(|(signal, spans)| Escalation { signal: *signal, evidence: spans.iter().map(evidence).collect() })
            .collect();
        let negated = found
            .negated
            .iter()
            .map(|n| {
                let (os, oe) =
                    (norm.original_start(n.term.0 as usize), norm.original_end(&combined, n.term.1 as usize));
                let (ns, ne) =
                    (norm.original_start(n.negator.0 as usize), norm.original_end(&combined, n.negator.1 as usize));
                let (start, end, field) = place(os, oe);
                NegatedTerm {
                    category: n.category.map(|c| self.categories[c as usize].clone()),
                    text: combined[os..oe].to_string(),
                    start,
                    end,
                    field,
                    negator: combined[ns..ne].to_string(),
                }
            })
            .collect();

        macro_rules! relocate {
            ($list:expr) => {
                for x in $list.iter_mut() {
                    (x.start, x.end, x.field) = place(x.start, x.end);
                }
            };
        }
        relocate!(entities.order_ids);
        relocate!(entities.tracking_numbers);
        relocate!(entities.emails);
        relocate!(entities.amounts);

        Ok(Classification {
            language,
            language_confidence,
            script: identified.script,
            categories,
            primary,
            sentiment: Sentiment::from_score(found.sentiment_score),
            sentiment_score: found.sentiment_score,
            escalation,
            entities,
            negated,
        })
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn emphasis(norm: &Normalized) -> Emphasis {
    Emphasis { exclamations: norm.exclamations, shouting: norm.upper >= 12 && norm.upper > 2 * norm.lower }
}

fn section_role(section: &str, index_of: &impl Fn(&str) -> Option<u16>) -> Option<Role> {
    Some(match section {
        "negation.before" => Role::NegationBefore,
        "negation.after" => Role::NegationAfter,
        "clause_break" => Role::ClauseBreak,
        "sentiment.positive" => Role::Positive,
        "sentiment.negative" => Role::Negative,
        "intensifier" => Role::Intensifier,
        "cue.order" => Role::OrderCue,
        "cue.tracking" => Role::TrackingCue,
        _ => {
            let (kind, name) = section.split_once('.')?;
            match kind {
                "category" => Role::Category(index_of(name)?),
                "block" => Role::Block(index_of(name)?),
                "escalation" => Role::Escalation(EscalationSignal::from_name(name)?),
                _ => return None,
            }
        }
    })
}

fn unknown_category(path: &str, name: &str) -> Error {
    Error::invalid_policy(
        path,
        format!("unknown category {name:?}: use a base category or define it under classification.categories"),
    )
}

/// A language key of `extra_phrases`/`remove_phrases`: a supported language, or `*` for phrases
/// that count in every language.
fn phrase_language(key: &str, path: &str) -> Result<Option<Language>, Error> {
    if key == "*" {
        return Ok(None);
    }
    match key.parse::<Language>() {
        Ok(l) if l.is_supported() && l.as_str() == key => Ok(Some(l)),
        _ => Err(Error::invalid_policy(
            path,
            format!("{key:?} is not a language with a built-in lexicon (or \"*\" for any language)"),
        )),
    }
}
