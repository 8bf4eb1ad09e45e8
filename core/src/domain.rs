//! Domain types shared by the engines: languages, complaint categories, sentiment levels,
//! escalation signals and text spans.

use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::error::Error;

/// Serialises a name from a fixed set as a unit variant: JSON sees a string; the Python binding
/// sees a `&'static str` it can intern once instead of building a new string per result.
pub(crate) fn serialize_name<S: Serializer>(s: S, name: &'static str) -> Result<S::Ok, S::Error> {
    s.serialize_unit_variant("Name", 0, name)
}

/// A language, as an ISO 639-1 code (`pt`), or `und` when it could not be determined.
///
/// The seventeen languages with built-in lexicons are [`Language::SUPPORTED`]; a caller may still
/// pass any other well-formed code as a hint, and it is reported back as given.
///
/// # Example
///
/// ```
/// use aftersales::Language;
///
/// let pt: Language = "PT".parse()?;
/// assert_eq!(pt, Language::PT);
/// assert!(pt.is_supported());
/// assert_eq!("sv".parse::<Language>()?.as_str(), "sv");
/// assert!("portuguese".parse::<Language>().is_err());
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language([u8; 3]);

macro_rules! languages {
    ($($konst:ident = $code:literal, $name:literal;)*) => {
        impl Language {
            $(#[doc = concat!($name, " (`", $code, "`).")]
            pub const $konst: Language = Language(code2($code));)*

            /// The code as a `&'static str`, for the supported languages and `und`.
            pub(crate) fn static_name(self) -> Option<&'static str> {
                $(if self == Language::$konst { return Some($code); })*
                if self == Language::UND { Some("und") } else { None }
            }

            /// The languages with built-in lexicons, in alphabetical order of their codes.
            ///
            /// # Example
            ///
            /// ```
            /// use aftersales::Language;
            ///
            /// assert_eq!(Language::SUPPORTED.len(), 17);
            /// assert_eq!(Language::SUPPORTED[0], Language::AR);
            /// ```
            pub const SUPPORTED: [Language; 17] = [$(Language::$konst),*];

            /// The English name of a supported language (`"Portuguese"`), `None` otherwise.
            ///
            /// # Example
            ///
            /// ```
            /// assert_eq!(aftersales::Language::KO.name(), Some("Korean"));
            /// ```
            pub fn name(self) -> Option<&'static str> {
                match self.as_str() {
                    $($code => Some($name),)*
                    _ => None,
                }
            }
        }
    };
}

const fn code2(code: &str) -> [u8; 3] {
    let b = code.as_bytes();
    [b[0], b[1], 0]
}

languages! {
    AR = "ar", "Arabic";
    DE = "de", "German";
    EN = "en", "English";
    ES = "es", "Spanish";
    FR = "fr", "French";
    ID = "id", "Indonesian";
    IT = "it", "Italian";
    JA = "ja", "Japanese";
    KO = "ko", "Korean";
    NL = "nl", "Dutch";
    PL = "pl", "Polish";
    PT = "pt", "Portuguese";
    RU = "ru", "Russian";
    TH = "th", "Thai";
    TR = "tr", "Turkish";
    VI = "vi", "Vietnamese";
    ZH = "zh", "Chinese";
}

impl Language {
    /// Undetermined (`und`): the text carries no usable signal.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::Engine::new().classify("12345 !!!")?.language, aftersales::Language::UND);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub const UND: Language = Language(*b"und");

    /// The code, lower case (`"pt"`, `"und"`).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::Language::UND.as_str(), "und");
    /// ```
    pub fn as_str(&self) -> &str {
        let len = if self.0[2] == 0 { 2 } else { 3 };
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0[..len]).unwrap_or("und")
    }

    /// Whether the library has a built-in lexicon for this language.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::Language;
    /// assert!(Language::TH.is_supported());
    /// assert!(!Language::UND.is_supported());
    /// ```
    pub fn is_supported(self) -> bool {
        self.index().is_some()
    }

    /// Position in [`Language::SUPPORTED`].
    pub(crate) fn index(self) -> Option<usize> {
        Language::SUPPORTED.iter().position(|&l| l == self)
    }
}

impl std::str::FromStr for Language {
    type Err = Error;

    /// Parses a two-letter ISO 639-1 code, case-insensitively, or `und`.
    fn from_str(s: &str) -> Result<Language, Error> {
        let lower = s.trim().to_ascii_lowercase();
        match lower.as_bytes() {
            [a, b] if a.is_ascii_lowercase() && b.is_ascii_lowercase() => Ok(Language([*a, *b, 0])),
            b"und" => Ok(Language::UND),
            _ => Err(Error::invalid_input("language", format!("not an ISO 639-1 language code: {s:?}"))),
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Language({})", self.as_str())
    }
}

impl Serialize for Language {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.static_name() {
            Some(name) => serialize_name(s, name),
            None => s.serialize_str(self.as_str()),
        }
    }
}

/// A complaint category: the fifteen of the base taxonomy, or one a policy added.
///
/// # Example
///
/// ```
/// use aftersales::Category;
///
/// assert_eq!(Category::NotReceived.as_str(), "not_received");
/// assert_eq!(Category::from_base_name("size_fit"), Some(Category::SizeFit));
/// assert!(Category::Damaged.is_problem());
/// assert!(!Category::RefundRequest.is_problem());
/// ```
#[non_exhaustive]
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Category {
    /// Never arrived, lost, or marked delivered but not received.
    NotReceived,
    /// Where is my order, late, slower than promised, tracking not updating.
    DeliveryDelay,
    /// Arrived broken, crushed, damaged in transit.
    Damaged,
    /// Does not work, stopped working, poor quality.
    Defective,
    /// A different product, colour, size or model than ordered was sent.
    WrongItem,
    /// Part of the order, an accessory or a piece is missing.
    MissingItem,
    /// Differs from listing or photos, fake or counterfeit.
    NotAsDescribed,
    /// Does not fit, although it is what was ordered.
    SizeFit,
    /// Wants to return or exchange.
    ReturnRequest,
    /// Wants money back, or asks where the refund is.
    RefundRequest,
    /// Wants to cancel the order.
    Cancellation,
    /// Charged twice, wrong amount, invoice, payment failed.
    PaymentBilling,
    /// Import tax, duties, VAT on delivery, held at customs.
    CustomsDuties,
    /// Change address, size, colour or quantity before shipping.
    OrderChange,
    /// None of the above.
    Other,
    /// A category added by the policy (`classification.categories`).
    Custom(Arc<str>),
}

impl Category {
    /// The fifteen base categories, in taxonomy order.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::Category;
    ///
    /// assert_eq!(Category::BASE.first(), Some(&Category::NotReceived));
    /// assert_eq!(Category::BASE.last(), Some(&Category::Other));
    /// ```
    pub const BASE: [Category; 15] = [
        Category::NotReceived,
        Category::DeliveryDelay,
        Category::Damaged,
        Category::Defective,
        Category::WrongItem,
        Category::MissingItem,
        Category::NotAsDescribed,
        Category::SizeFit,
        Category::ReturnRequest,
        Category::RefundRequest,
        Category::Cancellation,
        Category::PaymentBilling,
        Category::CustomsDuties,
        Category::OrderChange,
        Category::Other,
    ];

    /// The snake_case name (`"not_received"`, or the policy's name for a custom category).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::Category::CustomsDuties.as_str(), "customs_duties");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            Category::Custom(name) => name,
            base => base.base_name(),
        }
    }

    /// The name of a base category (`""` is never returned for one; custom categories answer
    /// through [`Category::as_str`]).
    fn base_name(&self) -> &'static str {
        match self {
            Category::NotReceived => "not_received",
            Category::DeliveryDelay => "delivery_delay",
            Category::Damaged => "damaged",
            Category::Defective => "defective",
            Category::WrongItem => "wrong_item",
            Category::MissingItem => "missing_item",
            Category::NotAsDescribed => "not_as_described",
            Category::SizeFit => "size_fit",
            Category::ReturnRequest => "return_request",
            Category::RefundRequest => "refund_request",
            Category::Cancellation => "cancellation",
            Category::PaymentBilling => "payment_billing",
            Category::CustomsDuties => "customs_duties",
            Category::OrderChange => "order_change",
            Category::Other => "other",
            Category::Custom(_) => "",
        }
    }

    /// The base category with this name, if any.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(aftersales::Category::from_base_name("warranty").is_none());
    /// ```
    pub fn from_base_name(name: &str) -> Option<Category> {
        Category::BASE.iter().find(|c| c.as_str() == name).cloned()
    }

    /// Whether the category reports a problem with the order (a fault, a loss, a delay, a
    /// charge), as opposed to a request (return, refund, cancellation, change) or `other`.
    ///
    /// Problems outrank requests when choosing the primary category, and only problem terms can
    /// be negated ("not damaged"). Custom categories are problems unless the policy says
    /// `"kind": "request"`; this method reports the base taxonomy only and returns `true` for them.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(aftersales::Category::CustomsDuties.is_problem());
    /// ```
    pub fn is_problem(&self) -> bool {
        !matches!(
            self,
            Category::ReturnRequest
                | Category::RefundRequest
                | Category::Cancellation
                | Category::OrderChange
                | Category::Other
        )
    }

    /// Whether a refund claim of this category is about a fault or a non-delivery (never refused
    /// because a change-of-mind window closed).
    ///
    /// # Example
    ///
    /// ```
    /// assert!(aftersales::Category::WrongItem.is_fault_or_non_delivery());
    /// assert!(!aftersales::Category::SizeFit.is_fault_or_non_delivery());
    /// ```
    pub fn is_fault_or_non_delivery(&self) -> bool {
        matches!(
            self,
            Category::NotReceived
                | Category::Damaged
                | Category::Defective
                | Category::WrongItem
                | Category::MissingItem
                | Category::NotAsDescribed
        )
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Category {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Category::Custom(name) => s.serialize_str(name),
            base => serialize_name(s, base.base_name()),
        }
    }
}

/// Five-level sentiment of a message.
///
/// # Example
///
/// ```
/// use aftersales::Sentiment;
///
/// assert_eq!(Sentiment::from_score(-0.9), Sentiment::VeryNegative);
/// assert_eq!(Sentiment::from_score(0.0), Sentiment::Neutral);
/// assert_eq!(Sentiment::VeryPositive.as_str(), "very_positive");
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sentiment {
    /// Score ≤ −0.6.
    VeryNegative,
    /// Score in (−0.6, −0.2].
    Negative,
    /// Score in (−0.2, 0.2).
    Neutral,
    /// Score in [0.2, 0.6).
    Positive,
    /// Score ≥ 0.6.
    VeryPositive,
}

impl Sentiment {
    /// The level of a score in −1..1.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::Sentiment;
    ///
    /// assert_eq!(Sentiment::from_score(-0.7), Sentiment::VeryNegative);
    /// assert_eq!(Sentiment::from_score(0.0), Sentiment::Neutral);
    /// ```
    pub fn from_score(score: f64) -> Sentiment {
        if score <= -0.6 {
            Sentiment::VeryNegative
        } else if score <= -0.2 {
            Sentiment::Negative
        } else if score < 0.2 {
            Sentiment::Neutral
        } else if score < 0.6 {
            Sentiment::Positive
        } else {
            Sentiment::VeryPositive
        }
    }

    /// The level with this snake_case name.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::Sentiment;
    ///
    /// assert_eq!(Sentiment::from_name("very_negative"), Some(Sentiment::VeryNegative));
    /// assert_eq!(Sentiment::from_name("angry"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Sentiment> {
        [Sentiment::VeryNegative, Sentiment::Negative, Sentiment::Neutral, Sentiment::Positive, Sentiment::VeryPositive]
            .into_iter()
            .find(|s| s.as_str() == name)
    }

    /// The snake_case name.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::Sentiment::VeryPositive.as_str(), "very_positive");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Sentiment::VeryNegative => "very_negative",
            Sentiment::Negative => "negative",
            Sentiment::Neutral => "neutral",
            Sentiment::Positive => "positive",
            Sentiment::VeryPositive => "very_positive",
        }
    }
}

impl Serialize for Sentiment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_name(s, self.as_str())
    }
}

/// A reason to escalate a message.
///
/// # Example
///
/// ```
/// use aftersales::EscalationSignal;
///
/// assert_eq!(EscalationSignal::ChargebackThreat.as_str(), "chargeback_threat");
/// assert_eq!(EscalationSignal::from_name("urgent"), Some(EscalationSignal::Urgent));
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EscalationSignal {
    /// Lawyer, court, consumer protection agency.
    LegalThreat,
    /// Bank, card or PayPal dispute, A-to-z claim.
    ChargebackThreat,
    /// Bad review, report the seller, social media.
    ReviewThreat,
    /// Third time writing, still no answer.
    RepeatContact,
    /// Insults and profanity.
    AbusiveLanguage,
    /// Asks for speed: urgent, ASAP, needed by a date.
    Urgent,
}

impl EscalationSignal {
    /// All six signals.
    ///
    /// # Example
    ///
    /// ```
    /// let names: Vec<&str> = aftersales::EscalationSignal::ALL.iter().map(|s| s.as_str()).collect();
    /// assert!(names.contains(&"legal_threat") && names.len() == 6);
    /// ```
    pub const ALL: [EscalationSignal; 6] = [
        EscalationSignal::LegalThreat,
        EscalationSignal::ChargebackThreat,
        EscalationSignal::ReviewThreat,
        EscalationSignal::RepeatContact,
        EscalationSignal::AbusiveLanguage,
        EscalationSignal::Urgent,
    ];

    /// The snake_case name.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::EscalationSignal::ChargebackThreat.as_str(), "chargeback_threat");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            EscalationSignal::LegalThreat => "legal_threat",
            EscalationSignal::ChargebackThreat => "chargeback_threat",
            EscalationSignal::ReviewThreat => "review_threat",
            EscalationSignal::RepeatContact => "repeat_contact",
            EscalationSignal::AbusiveLanguage => "abusive_language",
            EscalationSignal::Urgent => "urgent",
        }
    }

    /// The signal with this snake_case name.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::EscalationSignal;
    ///
    /// assert_eq!(EscalationSignal::from_name("urgent"), Some(EscalationSignal::Urgent));
    /// assert_eq!(EscalationSignal::from_name("Urgent"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<EscalationSignal> {
        EscalationSignal::ALL.iter().copied().find(|s| s.as_str() == name)
    }
}

impl Serialize for EscalationSignal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_name(s, self.as_str())
    }
}

/// Which input string a span points into.
///
/// # Example
///
/// ```
/// use aftersales::{ClassifyRequest, Engine, TextField};
///
/// let engine = Engine::new();
/// let c = engine.classify_request(&ClassifyRequest::new("Please help").subject("Refund"))?;
/// assert_eq!(c.categories[0].evidence[0].field, TextField::Subject);
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TextField {
    /// The message body.
    Text,
    /// The subject line.
    Subject,
}

impl TextField {
    /// `"text"` or `"subject"`.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::TextField::Subject.as_str(), "subject");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            TextField::Text => "text",
            TextField::Subject => "subject",
        }
    }
}

impl Serialize for TextField {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_name(s, self.as_str())
    }
}
