//! Reading request documents (JSON values) field by field, so that every mistake is reported
//! with its path and the right kind (`unknown_currency` for a currency, not a generic parse
//! error), and unknown fields are refused rather than silently ignored.

use serde_json::{Map, Value};

use crate::error::Error;
use crate::money::Money;
use crate::time::Timestamp;

/// The fields of a customer record, wherever one is read: each engine reads the ones it needs
/// (priority the tier and history, refunds the claims, scheduling the zone), so one record
/// serves them all.
pub(crate) const CUSTOMER_FIELDS: &[&str] = &[
    "id",
    "name",
    "tier",
    "lifetime_value",
    "orders_count",
    "abuse_flag",
    "refunds_last_365d",
    "country",
    "time_zone",
    "language",
];

/// The fields of an order record, wherever one is read (`currency`, the total's, is accepted
/// and not read: order records carry it).
pub(crate) const ORDER_FIELDS: &[&str] =
    &["id", "placed_at", "delivered_at", "total", "shipping_paid", "marketplace", "currency"];

/// `parent.key`, or `key` at the root.
pub(crate) fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() { key.to_string() } else { format!("{parent}.{key}") }
}

/// `parent[i]`.
pub(crate) fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// The name of a JSON value's type, for error messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The fields of one request object, at `path`.
pub(crate) struct Fields<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Fields<'a> {
    /// Reads `value` as an object whose keys are all in `known`.
    pub fn new(value: &'a Value, path: &str, known: &[&str]) -> Result<Fields<'a>, Error> {
        let Value::Object(map) = value else {
            return Err(Error::invalid_input(path, format!("expected an object, got {}", type_name(value))));
        };
        if let Some(key) = map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(Error::invalid_input(
                join(path, key),
                format!("unknown field {key:?}; expected one of: {}", known.join(", ")),
            ));
        }
        Ok(Fields { map, path: path.to_string() })
    }

    /// The path of `key`.
    pub fn at(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// The value of `key`; absent and `null` are the same.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn wrong(&self, key: &str, expected: &str, got: &Value) -> Error {
        Error::invalid_input(self.at(key), format!("expected {expected}, got {}", type_name(got)))
    }

    pub fn str(&self, key: &str) -> Result<Option<&'a str>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong(key, "a string", other)),
        }
    }

    pub fn required_str(&self, key: &str) -> Result<&'a str, Error> {
        self.str(key)?.ok_or_else(|| Error::invalid_input(self.at(key), "missing"))
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.wrong(key, "true or false", other)),
        }
    }

    /// A whole number in `min..=max`.
    pub fn int(&self, key: &str, min: i64, max: i64) -> Result<Option<i64>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) if (min..=max).contains(&i) => Ok(Some(i)),
                _ => Err(Error::invalid_input(
                    self.at(key),
                    format!("expected a whole number from {min} to {max}, got {n}"),
                )),
            },
            Some(other) => Err(self.wrong(key, "a whole number", other)),
        }
    }

    pub fn timestamp(&self, key: &str) -> Result<Option<Timestamp>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Timestamp::parse_field(s, &self.at(key)).map(Some),
            Some(other) => Err(self.wrong(key, "an RFC 3339 timestamp string", other)),
        }
    }

    pub fn required_timestamp(&self, key: &str) -> Result<Timestamp, Error> {
        self.timestamp(key)?.ok_or_else(|| Error::invalid_input(self.at(key), "missing: an RFC 3339 timestamp"))
    }

    /// `{"amount": "12.50", "currency": "EUR"}`; the amount a decimal string or an integer.
    pub fn money(&self, key: &str) -> Result<Option<Money>, Error> {
        let Some(value) = self.get(key) else { return Ok(None) };
        let path = self.at(key);
        let f = Fields::new(value, &path, &["amount", "currency"])?;
        let amount = match f.get("amount") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
            Some(Value::Number(n)) => {
                return Err(Error::invalid_input(
                    f.at("amount"),
                    format!("{n} is a binary floating-point number: write the amount as a string (\"{n}\")"),
                ));
            }
            Some(other) => return Err(f.wrong("amount", "a decimal string such as \"129.99\"", other)),
            None => return Err(Error::invalid_input(f.at("amount"), "missing")),
        };
        let currency = f.required_str("currency")?;
        Money::parse_at(&amount, currency, &path).map(Some)
    }

    /// An array (absent or null: empty).
    pub fn array(&self, key: &str) -> Result<&'a [Value], Error> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(self.wrong(key, "an array", other)),
        }
    }
}
