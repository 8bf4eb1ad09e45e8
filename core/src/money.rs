//! Exact money: an integer number of minor units and an ISO 4217 currency.

use std::cmp::Ordering;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{Error, ErrorKind};

/// An amount of money, exact: minor units of its currency (cents, yen, fils), never a float.
///
/// Written as `{"amount": "129.99", "currency": "EUR"}`: the amount a decimal string with at most
/// the currency's own digits after the point (trailing zeros are fine, `"1280.00"` JPY; non-zero
/// digits beyond them are an error). Amounts in different currencies are never compared.
///
/// # Example
///
/// ```
/// use aftersales::Money;
///
/// let price = Money::parse("129.9", "eur")?;
/// assert_eq!(price.to_string(), "129.90 EUR");
/// assert_eq!(price.minor_units(), 12_990);
/// assert_eq!(Money::parse("1280.00", "JPY")?.amount(), "1280");
/// assert!(Money::parse("1.005", "EUR").is_err());
/// assert!(Money::parse("10", "EUR")?.try_cmp(&Money::parse("10", "USD")?).is_err());
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

/// At most 18 digits: any amount fits `i64` minor units in every exponent.
const MAX_DIGITS: usize = 18;

impl Money {
    /// Parses `amount` (a decimal string) in `currency` (an ISO 4217 code).
    ///
    /// # Errors
    ///
    /// `unknown_currency` for a code the library does not know; `invalid_input` for an amount
    /// that is not a plain decimal, or has more digits after the point than the currency allows.
    ///
    /// # Example
    ///
    /// ```
    /// let kwd = aftersales::Money::parse("-1.250", "KWD")?;
    /// assert_eq!((kwd.minor_units(), kwd.currency().code()), (-1_250, "KWD"));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn parse(amount: &str, currency: &str) -> Result<Money, Error> {
        Money::parse_at(amount, currency, "")
    }

    /// As [`Money::parse`], naming `field` (`order.total`) in errors.
    pub(crate) fn parse_at(amount: &str, currency: &str, field: &str) -> Result<Money, Error> {
        let currency = Currency::from_code(currency).ok_or_else(|| {
            Error::make(
                ErrorKind::UnknownCurrency,
                Some(crate::request::join(field, "currency")),
                format!("not an ISO 4217 currency code: {currency:?}"),
            )
        })?;
        let minor = parse_minor(amount, currency.exponent())
            .map_err(|why| Error::invalid_input(crate::request::join(field, "amount"), format!("{why}: {amount:?}")))?;
        Ok(Money { minor, currency })
    }

    /// An amount from minor units (`12_990` EUR is 129.90 EUR).
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{Currency, Money};
    ///
    /// let yen = Money::from_minor_units(500, Currency::from_code("JPY").unwrap());
    /// assert_eq!(yen.amount(), "500");
    /// ```
    pub fn from_minor_units(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// The amount in minor units.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::Money::parse("0.07", "USD")?.minor_units(), 7);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn minor_units(&self) -> i64 {
        self.minor
    }

    /// The currency.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::Money::parse("5", "gbp")?.currency().code(), "GBP");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The amount as a decimal string with exactly the currency's digits after the point.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::Money::parse("7", "BHD")?.amount(), "7.000");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn amount(&self) -> String {
        let exp = self.currency.exponent() as u32;
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if exp == 0 {
            return format!("{sign}{abs}");
        }
        let scale = 10u64.pow(exp);
        format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = exp as usize)
    }

    /// Compares two amounts of the same currency.
    ///
    /// # Errors
    ///
    /// `currency_mismatch` when the currencies differ: amounts are never converted.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::Money;
    /// use std::cmp::Ordering;
    ///
    /// assert_eq!(Money::parse("9.99", "EUR")?.try_cmp(&Money::parse("10", "EUR")?)?, Ordering::Less);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn try_cmp(&self, other: &Money) -> Result<Ordering, Error> {
        if self.currency != other.currency {
            return Err(Error::make(
                ErrorKind::CurrencyMismatch,
                None,
                format!("cannot compare {} with {}", self.currency, other.currency),
            ));
        }
        Ok(self.minor.cmp(&other.minor))
    }
}

/// An amount written in a policy (a decimal string, or a whole number) in `currency`, not
/// negative; every mistake is an `invalid_policy` error at `path`.
pub(crate) fn policy_amount(v: &serde_json::Value, currency: &str, path: &str) -> Result<Money, Error> {
    let text = match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) if n.is_i64() => n.to_string(),
        _ => return Err(Error::invalid_policy(path, "an amount as a decimal string such as \"49.90\"")),
    };
    let m = Money::parse_at(&text, currency, path).map_err(|e| Error::invalid_policy(path, e.message()))?;
    if m.minor_units() < 0 {
        return Err(Error::invalid_policy(path, "must not be negative"));
    }
    Ok(m)
}

/// Amounts per currency as policies write them, `{"EUR": "50", "JPY": "8000"}`: each currency
/// once (codes are case-insensitive); mistakes are `invalid_policy` errors at `path.CODE`.
pub(crate) fn policy_amounts(v: &serde_json::Value, path: &str) -> Result<Vec<Money>, Error> {
    let serde_json::Value::Object(map) = v else {
        return Err(Error::invalid_policy(path, "amounts per currency: {\"EUR\": \"50\", \"JPY\": \"8000\"}"));
    };
    let mut out: Vec<Money> = Vec::with_capacity(map.len());
    for (code, amount) in map {
        let at = format!("{path}.{code}");
        let m = policy_amount(amount, code, &at)?;
        if out.iter().any(|o| o.currency() == m.currency()) {
            return Err(Error::invalid_policy(
                at,
                format!("{code:?} is given twice (currency codes are case-insensitive)"),
            ));
        }
        out.push(m);
    }
    Ok(out)
}

/// Minor units of a plain decimal (`-12.50`) in a currency of exponent `exp`.
fn parse_minor(text: &str, exp: u8) -> Result<i64, &'static str> {
    let t = text.trim();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !plain(whole) || !plain(fraction) || (digits.contains('.') && fraction.is_empty()) {
        return Err("not a decimal amount (digits, an optional point and digits, as a string)");
    }
    let exp = exp as usize;
    let (kept, rest) = fraction.split_at(fraction.len().min(exp));
    if rest.bytes().any(|b| b != b'0') {
        return Err("more digits after the point than the currency has");
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() + exp > MAX_DIGITS {
        return Err("amount too large");
    }
    let mut minor: i64 = 0;
    for b in whole.bytes().chain(kept.bytes()).chain(std::iter::repeat_n(b'0', exp - kept.len())) {
        minor = minor * 10 + i64::from(b - b'0');
    }
    Ok(if negative { -minor } else { minor })
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount(), self.currency)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("Money", 2)?;
        m.serialize_field("amount", &self.amount())?;
        m.serialize_field("currency", &self.currency)?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for Money {
    /// `{"amount": "129.99", "currency": "EUR"}`; the amount may also be a JSON integer, never a
    /// number with a fraction (binary floating point cannot hold cents exactly).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        struct MoneyVisitor;
        impl<'de> Visitor<'de> for MoneyVisitor {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object {\"amount\": \"129.99\", \"currency\": \"EUR\"}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Money, A::Error> {
                let mut amount: Option<String> = None;
                let mut currency: Option<String> = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "amount" => amount = Some(map.next_value::<AmountText>()?.0),
                        "currency" => currency = Some(map.next_value()?),
                        other => return Err(de::Error::unknown_field(other, &["amount", "currency"])),
                    }
                }
                let amount = amount.ok_or_else(|| de::Error::missing_field("amount"))?;
                let currency = currency.ok_or_else(|| de::Error::missing_field("currency"))?;
                let code = Currency::from_code(&currency)
                    .ok_or_else(|| de::Error::custom(format!("not an ISO 4217 currency code: {currency:?}")))?;
                let minor = parse_minor(&amount, code.exponent())
                    .map_err(|why| de::Error::custom(format!("{why}: {amount:?}")))?;
                Ok(Money { minor, currency: code })
            }
        }
        d.deserialize_map(MoneyVisitor)
    }
}

/// An amount as a string or a JSON integer.
struct AmountText(String);

impl<'de> Deserialize<'de> for AmountText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<AmountText, D::Error> {
        struct AmountVisitor;
        impl Visitor<'_> for AmountVisitor {
            type Value = AmountText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal string such as \"129.99\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AmountText, E> {
                Ok(AmountText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<AmountText, E> {
                Ok(AmountText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<AmountText, E> {
                Ok(AmountText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<AmountText, E> {
                Err(E::custom(format!("{v} is a binary floating-point number: write the amount as a string (\"{v}\")")))
            }
        }
        d.deserialize_any(AmountVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_exactly_in_the_currency_exponent() {
        assert_eq!(Money::parse("129.99", "EUR").unwrap().minor_units(), 12_999);
        assert_eq!(Money::parse("0001.5", "EUR").unwrap().amount(), "1.50");
        assert_eq!(Money::parse("1280.000", "JPY").unwrap().minor_units(), 1280);
        assert_eq!(Money::parse("1.234", "KWD").unwrap().amount(), "1.234");
        for bad in ["", "1,5", "1.", ".5", "1e3", "12.345", "１２", "999999999999999999"] {
            assert!(Money::parse(bad, "EUR").is_err(), "{bad}");
        }
        let e = Money::parse_at("1", "XXY", "order.total").unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::UnknownCurrency, Some("order.total.currency")));
        let e = Money::parse_at("1.001", "EUR", "order.total").unwrap_err();
        assert_eq!(e.field(), Some("order.total.amount"));
    }

    #[test]
    fn serde_form() {
        let m: Money = serde_json::from_value(json!({"amount": 40, "currency": "usd"})).unwrap();
        assert_eq!(serde_json::to_value(m).unwrap(), json!({"amount": "40.00", "currency": "USD"}));
        assert!(serde_json::from_value::<Money>(json!({"amount": 40.5, "currency": "USD"})).is_err());
        assert!(serde_json::from_value::<Money>(json!({"amount": "1", "currency": "USD", "x": 1})).is_err());
    }
}
