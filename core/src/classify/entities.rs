//! Entities in a message: order numbers, tracking numbers, e-mail addresses, money amounts.
//!
//! A digit run is an order or tracking number only when a cue word stands right before it
//! (`order`, `pedido`, `订单号`, `追跡番号` — the `cue.*` sections of the lexicons) or when it has a
//! self-checking format: UPU S10 (`LX123456785CN`), UPS (`1Z…`) and USPS IMpb numbers are
//! validated by their check digits; Amazon (`112-4839201-1938201`) and eBay (`12-34567-89012`)
//! order numbers by their shape. Extraction never fails.

use regex::Regex;
use serde::Serialize;

use crate::currency::Currency;
use crate::domain::{Language, TextField};

/// At most this many entities of each kind are reported (hostile inputs can hold millions).
const MAX_PER_KIND: usize = 50;
/// A cue must end at most this many bytes before the number it introduces.
const CUE_REACH: usize = 28;

/// An order number found in the text.
///
/// # Example
///
/// ```
/// let c = aftersales::Engine::new().classify("Order 112-4839201-1938201 never arrived")?;
/// assert_eq!(c.entities.order_ids[0].value, "112-4839201-1938201");
/// assert_eq!(c.entities.order_ids[0].format, "amazon");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OrderId {
    /// The text as written.
    pub text: String,
    /// Start offset, in the unit asked for.
    pub start: usize,
    /// End offset (exclusive).
    pub end: usize,
    /// Which input string the offsets point into.
    pub field: TextField,
    /// Normalised: upper case, without a leading `#`.
    pub value: String,
    /// `amazon`, `ebay`, or `generic` (after a cue word).
    pub format: &'static str,
}

/// A parcel tracking number found in the text.
///
/// # Example
///
/// ```
/// let c = aftersales::Engine::new().classify("Tracking LX123456785CN has not moved")?;
/// let t = &c.entities.tracking_numbers[0];
/// assert_eq!((t.value.as_str(), t.carrier, t.check_digit_valid), ("LX123456785CN", "upu_s10", Some(true)));
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TrackingNumber {
    /// The text as written.
    pub text: String,
    /// Start offset, in the unit asked for.
    pub start: usize,
    /// End offset (exclusive).
    pub end: usize,
    /// Which input string the offsets point into.
    pub field: TextField,
    /// Normalised: upper case, no spaces.
    pub value: String,
    /// `upu_s10`, `ups`, `usps`, `sf_express`, `yunexpress`, `cainiao`, `jt_express`, `jd`, or
    /// `unknown` (after a cue word).
    pub carrier: &'static str,
    /// Whether the format's check digit was verified (`None` when the format has none).
    pub check_digit_valid: Option<bool>,
}

/// An e-mail address found in the text.
///
/// # Example
///
/// ```
/// let c = aftersales::Engine::new().classify("Write to Ana.Lopez@Example.com please")?;
/// assert_eq!(c.entities.emails[0].value, "ana.lopez@example.com");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EmailAddress {
    /// The text as written.
    pub text: String,
    /// Start offset, in the unit asked for.
    pub start: usize,
    /// End offset (exclusive).
    pub end: usize,
    /// Which input string the offsets point into.
    pub field: TextField,
    /// Lower case.
    pub value: String,
}

/// A money amount found in the text.
///
/// `currency` is `None` when the symbol is ambiguous (`$`, `¥`, `kr`, `ريال`) and neither the
/// message's language nor the country hint decides it.
///
/// # Example
///
/// ```
/// use aftersales::{ClassifyRequest, Engine};
///
/// let engine = Engine::new();
/// let c = engine.classify("Me cobraron 1.299,90 € dos veces")?;
/// assert_eq!(c.entities.amounts[0].amount, "1299.90");
/// assert_eq!(c.entities.amounts[0].currency.map(|c| c.code().to_string()), Some("EUR".into()));
/// let c = engine.classify("I was charged $45 twice")?;
/// assert_eq!(c.entities.amounts[0].currency, None);
/// let c = engine.classify_request(&ClassifyRequest::new("I was charged $45 twice").country("CA"))?;
/// assert_eq!(c.entities.amounts[0].currency.unwrap().code(), "CAD");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MoneyAmount {
    /// The text as written.
    pub text: String,
    /// Start offset, in the unit asked for.
    pub start: usize,
    /// End offset (exclusive).
    pub end: usize,
    /// Which input string the offsets point into.
    pub field: TextField,
    /// The amount as a decimal string with `.` as separator (`"1299.90"`), padded to the
    /// currency's exponent when the currency is known.
    pub amount: String,
    /// The currency, or `None` when it is ambiguous.
    pub currency: Option<Currency>,
}

/// Everything extracted from a message.
///
/// # Example
///
/// ```
/// let c = aftersales::Engine::new().classify(
///     "Order 112-4839201-1938201, tracking LX123456785CN, write to ana@example.com, I paid 49,90 €",
/// )?;
/// let e = &c.entities;
/// assert_eq!(e.order_ids[0].value, "112-4839201-1938201");
/// assert_eq!(e.tracking_numbers[0].value, "LX123456785CN");
/// assert_eq!(e.emails[0].value, "ana@example.com");
/// assert_eq!(e.amounts[0].amount, "49.90");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Entities {
    /// Order numbers.
    pub order_ids: Vec<OrderId>,
    /// Parcel tracking numbers.
    pub tracking_numbers: Vec<TrackingNumber>,
    /// E-mail addresses.
    pub emails: Vec<EmailAddress>,
    /// Money amounts.
    pub amounts: Vec<MoneyAmount>,
}

/// What a cue word introduces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CueKind {
    Order,
    Tracking,
}

/// The compiled extraction patterns.
#[derive(Debug)]
pub(crate) struct Extractor {
    email: Regex,
    money: Regex,
}

const NUM: &str = r"\d{1,3}(?:[.,\u{00A0}\u{202F}'’ ]\d{3})+(?:[.,]\d{1,3})?|\d+(?:[.,]\d{1,3})?";
const PREFIX_SYMBOLS: &str =
    r"US\$|CA\$|C\$|AU\$|A\$|NZ\$|HK\$|S\$|NT\$|MX\$|R\$|\$|€|£|¥|￥|₩|₹|₺|₽|฿|₫|₱|₪|₴|zł|Rp\.?|RM|Fr\.|[A-Z]{3}";
const SUFFIX_SYMBOLS: &str = r"€|\$|£|¥|￥|₩|₹|₺|₽|฿|₫|₱|zł|zl|円|元|块|塊|원|บาท|đ|[A-Z]{3}|TL|euros?|dollars?|руб\.?|рубл[а-я]*|ريال|درهم|دينار|جنيه|ر\.س|د\.إ|د\.ك|lira|reais|real|pesos?|yen|yuan|rupiah|baht|won|z[łl]otych|z[łl]ote|dong";

impl Extractor {
    pub fn new() -> Extractor {
        let money = format!(
            r"(?:(?P<pre>{PREFIX_SYMBOLS})[ \u{{00A0}}]?(?P<n1>{NUM}))|(?:(?P<n2>{NUM})[ \u{{00A0}}]?(?P<suf>{SUFFIX_SYMBOLS}))"
        );
        Extractor {
            email: Regex::new(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}")
                .expect("email pattern"),
            money: Regex::new(&money).expect("money pattern"),
        }
    }

    /// Extracts entities from `text` with byte offsets. `cues` are the cue words found, in
    /// original byte offsets.
    pub fn extract(
        &self,
        text: &str,
        cues: &[(usize, usize, CueKind)],
        language: Language,
        country: Option<&str>,
    ) -> Entities {
        let mut out = Entities::default();
        let has_digit = text.bytes().any(|b| b.is_ascii_digit());
        if text.contains('@') {
            for m in self.email.find_iter(text).take(MAX_PER_KIND) {
                if ascii_bounded(text, m.start(), m.end()) {
                    out.emails.push(EmailAddress {
                        text: m.as_str().to_string(),
                        start: m.start(),
                        end: m.end(),
                        field: TextField::Text,
                        value: m.as_str().to_lowercase(),
                    });
                }
            }
        }
        if !has_digit {
            return out;
        }
        let in_email = |s: usize, e: usize| out.emails.iter().any(|m| s < m.end && e > m.start);
        let mut orders = Vec::new();
        let mut tracking = Vec::new();
        for (s, e) in tokens(text) {
            if !ascii_bounded(text, s, e) || in_email(s, e) {
                continue;
            }
            let raw = &text[s..e];
            let raw = raw.trim_end_matches('-');
            let e = s + raw.len();
            let body = raw.trim_start_matches('#');
            let digits = body.bytes().filter(u8::is_ascii_digit).count();
            if digits < 4 {
                continue;
            }
            let upper = body.to_ascii_uppercase();
            let cue = nearest_cue(text, s, cues);
            if let Some((carrier, check)) = tracking_format(&upper) {
                // A failed check digit is a typo, or not a tracking number at all: reported (as
                // invalid) only when a tracking cue says it was meant as one.
                if check != Some(false) || cue == Some(CueKind::Tracking) {
                    tracking.push(TrackingNumber {
                        text: text[s..e].to_string(),
                        start: s,
                        end: e,
                        field: TextField::Text,
                        value: upper,
                        carrier,
                        check_digit_valid: check,
                    });
                    continue;
                }
            }
            if let Some(format) = order_format(body) {
                orders.push(order(text, s, e, &upper, format));
                continue;
            }
            let hash = raw.starts_with('#');
            match cue {
                Some(CueKind::Tracking) if digits >= 6 && body.len() >= 8 => tracking.push(TrackingNumber {
                    text: text[s..e].to_string(),
                    start: s,
                    end: e,
                    field: TextField::Text,
                    value: upper,
                    carrier: "unknown",
                    check_digit_valid: None,
                }),
                Some(CueKind::Order) => orders.push(order(text, s, e, &upper, "generic")),
                None if hash && digits == body.len() => orders.push(order(text, s, e, &upper, "generic")),
                _ => {}
            }
            if orders.len() >= MAX_PER_KIND && tracking.len() >= MAX_PER_KIND {
                break;
            }
        }
        orders.truncate(MAX_PER_KIND);
        tracking.truncate(MAX_PER_KIND);
        out.order_ids = orders;
        out.tracking_numbers = tracking;

        for found in self.money.find_iter(text) {
            if out.amounts.len() >= MAX_PER_KIND {
                break;
            }
            // Groups only for the few places that match, on their own slice.
            let Some(caps) = self.money.captures(found.as_str()) else { continue };
            let offset = found.start();
            let Some(whole) = caps.get(0) else { continue };
            let (symbol, number) = match (caps.name("pre"), caps.name("n1"), caps.name("n2"), caps.name("suf")) {
                (Some(p), Some(n), _, _) => (p, n),
                (_, _, Some(n), Some(sfx)) => (sfx, n),
                _ => continue,
            };
            let (s, e) = (offset + whole.start(), offset + whole.end());
            if !ascii_bounded(text, s, e) || in_email(s, e) {
                continue;
            }
            let overlaps_id = |x: &(usize, usize)| s < x.1 && e > x.0;
            if out.order_ids.iter().map(|o| (o.start, o.end)).any(|x| overlaps_id(&x))
                || out.tracking_numbers.iter().map(|t| (t.start, t.end)).any(|x| overlaps_id(&x))
            {
                continue;
            }
            let sym = symbol.as_str();
            let is_code = sym.len() == 3 && sym.bytes().all(|b| b.is_ascii_uppercase());
            if is_code && Currency::from_code(sym).is_none() {
                continue;
            }
            let currency = resolve_currency(sym, language, country);
            let Some(amount) = normalize_amount(number.as_str(), currency) else { continue };
            out.amounts.push(MoneyAmount {
                text: whole.as_str().trim_end().to_string(),
                start: s,
                end: s + whole.as_str().trim_end().len(),
                field: TextField::Text,
                amount,
                currency,
            });
        }
        out
    }
}

/// Candidate identifiers: runs of ASCII letters, digits and inner hyphens (a leading `#` kept),
/// 4 to 40 bytes long.
fn tokens(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let part = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let start = i;
            while i < bytes.len() && part(bytes[i]) {
                i += 1;
            }
            let mut end = i;
            while end > start && bytes[end - 1] == b'-' {
                end -= 1;
            }
            let start = if start > 0 && bytes[start - 1] == b'#' { start - 1 } else { start };
            if (4..=41).contains(&(end - start)) {
                return Some((start, end));
            }
        }
        None
    })
}

fn order(text: &str, s: usize, e: usize, upper: &str, format: &'static str) -> OrderId {
    OrderId {
        text: text[s..e].to_string(),
        start: s,
        end: e,
        field: TextField::Text,
        value: upper.trim_start_matches('#').to_string(),
        format,
    }
}

/// No ASCII letter or digit glued to either side (CJK and punctuation are fine).
fn ascii_bounded(text: &str, s: usize, e: usize) -> bool {
    let glued = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'@');
    !glued(text[..s].bytes().next_back()) && !glued(text[e..].bytes().next())
}

/// The kind of the closest cue ending at most [`CUE_REACH`] bytes before `start`, on the same
/// line.
fn nearest_cue(text: &str, start: usize, cues: &[(usize, usize, CueKind)]) -> Option<CueKind> {
    cues.iter()
        .filter(|(_, end, _)| *end <= start && start - end <= CUE_REACH)
        .filter(|(_, end, _)| !text[*end..start].contains(['\n', '!', '?', '。']))
        // The closest; of two ending together ("订单号" holds "单号"), the longer.
        .max_by_key(|(start, end, _)| (*end, std::cmp::Reverse(*start)))
        .map(|(_, _, kind)| *kind)
}

fn order_format(body: &str) -> Option<&'static str> {
    let b = body.as_bytes();
    let digits_at = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        19 if b[3] == b'-' && b[11] == b'-' && digits_at(0..3) && digits_at(4..11) && digits_at(12..19) => {
            Some("amazon")
        }
        14 if b[2] == b'-' && b[8] == b'-' && digits_at(0..2) && digits_at(3..8) && digits_at(9..14) => Some("ebay"),
        _ => None,
    }
}

/// The carrier and check-digit status of a self-identifying tracking number.
fn tracking_format(v: &str) -> Option<(&'static str, Option<bool>)> {
    let b = v.as_bytes();
    let all_digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    if b.len() == 13
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && all_digits(&b[2..11])
        && b[11..].iter().all(u8::is_ascii_uppercase)
    {
        return Some(("upu_s10", Some(s10_valid(&b[2..11]))));
    }
    if b.len() == 18 && v.starts_with("1Z") && b[2..].iter().all(u8::is_ascii_alphanumeric) {
        return Some(("ups", Some(ups_valid(&b[2..]))));
    }
    if (20..=22).contains(&b.len()) && all_digits(b) && b[0] == b'9' && (b'1'..=b'5').contains(&b[1]) {
        return Some(("usps", Some(mod10_31_valid(b))));
    }
    let prefixed =
        |p: &str, lens: &[usize]| v.starts_with(p) && lens.contains(&(b.len() - p.len())) && all_digits(&b[p.len()..]);
    if prefixed("SF", &[12, 13]) {
        return Some(("sf_express", None));
    }
    if prefixed("YT", &[16]) {
        return Some(("yunexpress", None));
    }
    if prefixed("LP", &[12, 14, 16]) {
        return Some(("cainiao", None));
    }
    if prefixed("JT", &[13]) {
        return Some(("jt_express", None));
    }
    if prefixed("JD", &[13, 14, 15]) {
        return Some(("jd", None));
    }
    None
}

/// UPU S10: weights 8 6 4 2 3 5 9 7 over the 8 serial digits; the 9th is the check digit.
fn s10_valid(digits: &[u8]) -> bool {
    const W: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];
    let sum: u32 = digits[..8].iter().zip(W).map(|(d, w)| (d - b'0') as u32 * w).sum();
    let check = match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        c => c,
    };
    (digits[8] - b'0') as u32 == check
}

/// UPS 1Z: letters count as (ord − 63) mod 10; odd positions once, even positions twice.
fn ups_valid(body: &[u8]) -> bool {
    let value = |c: u8| -> u32 { if c.is_ascii_digit() { (c - b'0') as u32 } else { ((c - 63) % 10) as u32 } };
    let (data, check) = body.split_at(15);
    let mut sum = 0;
    for (i, &c) in data.iter().enumerate() {
        sum += if i % 2 == 1 { 2 * value(c) } else { value(c) };
    }
    let expected = (10 - sum % 10) % 10;
    check[0].is_ascii_digit() && (check[0] - b'0') as u32 == expected
}

/// USPS IMpb: from the right, excluding the check digit, weights 3, 1, 3, 1, …
fn mod10_31_valid(digits: &[u8]) -> bool {
    let (data, check) = digits.split_at(digits.len() - 1);
    let sum: u32 = data.iter().rev().enumerate().map(|(i, d)| (d - b'0') as u32 * if i % 2 == 0 { 3 } else { 1 }).sum();
    (check[0] - b'0') as u32 == (10 - sum % 10) % 10
}

/// The currency a symbol or word stands for, if the message decides it.
fn resolve_currency(symbol: &str, language: Language, country: Option<&str>) -> Option<Currency> {
    let by_country = |table: &[(&str, &str)]| {
        country
            .and_then(|c| table.iter().find(|(k, _)| k.eq_ignore_ascii_case(c)))
            .and_then(|(_, code)| Currency::from_code(code))
    };
    let lower = symbol.to_lowercase();
    let code = match lower.trim_end_matches('.') {
        "us$" => "USD",
        "ca$" | "c$" => "CAD",
        "au$" | "a$" => "AUD",
        "nz$" => "NZD",
        "hk$" => "HKD",
        "s$" => "SGD",
        "nt$" => "TWD",
        "mx$" => "MXN",
        "r$" | "reais" | "real" => "BRL",
        "€" | "euro" | "euros" => "EUR",
        "£" => "GBP",
        "₩" | "원" | "won" => "KRW",
        "₹" => "INR",
        "₺" | "tl" | "lira" => "TRY",
        "₽" | "руб" => "RUB",
        s if s.starts_with("рубл") => "RUB",
        "฿" | "บาท" | "baht" => "THB",
        "₫" | "đ" | "dong" => "VND",
        "₱" => "PHP",
        "₪" => "ILS",
        "₴" => "UAH",
        "zł" | "zl" | "złotych" | "zlotych" | "złote" | "zlote" => "PLN",
        "rp" | "rupiah" => "IDR",
        "rm" => "MYR",
        "fr" => "CHF",
        "円" | "yen" => "JPY",
        "元" | "块" | "塊" | "yuan" => "CNY",
        "ر.س" => "SAR",
        "د.إ" => "AED",
        "د.ك" => "KWD",
        "$" | "dollar" | "dollars" => {
            return by_country(&[
                ("US", "USD"),
                ("CA", "CAD"),
                ("AU", "AUD"),
                ("NZ", "NZD"),
                ("MX", "MXN"),
                ("SG", "SGD"),
                ("HK", "HKD"),
                ("TW", "TWD"),
                ("AR", "ARS"),
                ("CL", "CLP"),
                ("CO", "COP"),
                ("EC", "USD"),
                ("SV", "USD"),
                ("PA", "USD"),
                ("PR", "USD"),
                ("UY", "UYU"),
                ("DO", "DOP"),
            ]);
        }
        "peso" | "pesos" => {
            return by_country(&[
                ("MX", "MXN"),
                ("AR", "ARS"),
                ("CL", "CLP"),
                ("CO", "COP"),
                ("UY", "UYU"),
                ("PH", "PHP"),
                ("DO", "DOP"),
            ]);
        }
        "¥" | "￥" => {
            if let Some(c) = by_country(&[("JP", "JPY"), ("CN", "CNY")]) {
                return Some(c);
            }
            match language.as_str() {
                "ja" => "JPY",
                "zh" => "CNY",
                _ => return None,
            }
        }
        "ريال" => return by_country(&[("SA", "SAR"), ("QA", "QAR"), ("OM", "OMR"), ("YE", "YER"), ("IR", "IRR")]),
        "درهم" => return by_country(&[("AE", "AED"), ("MA", "MAD")]),
        "دينار" => {
            return by_country(&[
                ("KW", "KWD"),
                ("BH", "BHD"),
                ("JO", "JOD"),
                ("IQ", "IQD"),
                ("LY", "LYD"),
                ("TN", "TND"),
                ("DZ", "DZD"),
            ]);
        }
        "جنيه" => return by_country(&[("EG", "EGP"), ("SD", "SDG")]),
        other => other,
    };
    Currency::from_code(code)
}

/// `"1.299,90"` → `"1299.90"`; the last separator is the decimal one unless it groups thousands.
fn normalize_amount(raw: &str, currency: Option<Currency>) -> Option<String> {
    let seps: Vec<(usize, char)> = raw.char_indices().filter(|(_, c)| !c.is_ascii_digit()).collect();
    let digits_after = |i: usize| raw[i..].chars().skip(1).take_while(char::is_ascii_digit).count();
    let decimal_at = match seps.last() {
        None => None,
        Some(&(i, c)) => {
            let same_kind = seps.iter().filter(|(_, d)| *d == c).count();
            let after = digits_after(i);
            let grouping = !matches!(c, '.' | ',');
            if grouping || same_kind > 1 {
                None
            } else if seps.len() > 1 {
                Some(i) // "1.299,90": the last, different separator is the decimal point
            } else if after == 3 {
                // "1,250" is a thousand and a quarter unless the currency has three decimals.
                if currency.is_some_and(|c| c.exponent() == 3) { Some(i) } else { None }
            } else {
                Some(i)
            }
        }
    };
    let (int_part, frac) = match decimal_at {
        Some(i) => (&raw[..i], raw[i..].chars().skip(1).collect::<String>()),
        None => (raw, String::new()),
    };
    let int: String = int_part.chars().filter(char::is_ascii_digit).collect();
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let exponent = currency.map(|c| c.exponent() as usize);
    Some(match exponent {
        Some(exp) if frac.len() <= exp => {
            if exp == 0 {
                int.to_string()
            } else {
                format!("{int}.{frac:0<exp$}")
            }
        }
        _ if frac.is_empty() => int.to_string(),
        _ => format!("{int}.{frac}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(text: &str) -> Entities {
        Extractor::new().extract(text, &[], Language::EN, None)
    }

    #[test]
    fn check_digits() {
        assert!(s10_valid(b"123456785"));
        assert!(!s10_valid(b"123456784"));
        assert!(ups_valid(b"999AA10123456784"));
        assert!(!ups_valid(b"999AA10123456785"));
        assert!(mod10_31_valid(b"9400111899223397846541"));
    }

    #[test]
    fn tracking_and_orders() {
        let e = ex("Parcel LX123456785CN and 1Z999AA10123456784, order 112-4839201-1938201");
        let t: Vec<_> = e.tracking_numbers.iter().map(|t| (t.value.as_str(), t.carrier)).collect();
        assert_eq!(t, vec![("LX123456785CN", "upu_s10"), ("1Z999AA10123456784", "ups")]);
        assert_eq!(e.order_ids[0].format, "amazon");
        // A wrong check digit is not a tracking number.
        assert!(ex("code LX123456784CN").tracking_numbers.is_empty());
        // Bare digit runs need a cue.
        assert!(ex("call 4839201938201 now").order_ids.is_empty());
    }

    #[test]
    fn cue_words() {
        let text = "my order 113542617735902 and tracking number: 9876543210";
        let cues = [(3, 8, CueKind::Order), (29, 44, CueKind::Tracking)];
        let e = Extractor::new().extract(text, &cues, Language::EN, None);
        assert_eq!(e.order_ids[0].value, "113542617735902");
        assert_eq!(e.tracking_numbers[0].value, "9876543210");
    }

    #[test]
    fn amounts() {
        let amounts = |t: &str, l: Language| {
            Extractor::new()
                .extract(t, &[], l, None)
                .amounts
                .into_iter()
                .map(|a| format!("{} {}", a.amount, a.currency.map_or("null".into(), |c| c.code().to_string())))
                .collect::<Vec<_>>()
        };
        assert_eq!(amounts("paid €1,250 and 3,50 €", Language::EN), ["1250.00 EUR", "3.50 EUR"]);
        assert_eq!(amounts("R$ 49,90", Language::PT), ["49.90 BRL"]);
        assert_eq!(amounts("¥1280", Language::JA), ["1280 JPY"]);
        assert_eq!(amounts("¥1280", Language::EN), ["1280 null"]);
        assert_eq!(amounts("1280円", Language::EN), ["1280 JPY"]);
        assert_eq!(amounts("5.250 KWD", Language::AR), ["5.250 KWD"]);
        assert_eq!(amounts("$1,234.56", Language::EN), ["1234.56 null"]);
        assert_eq!(amounts("USB 3000", Language::EN), Vec::<String>::new());
    }

    #[test]
    fn emails() {
        let e = ex("mail me: Jo.Doe+x@Mail.Example.org.");
        assert_eq!(e.emails[0].value, "jo.doe+x@mail.example.org");
    }
}
