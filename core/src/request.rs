//! Reading request documents (JSON values) field by field, so that every mistake is reported
//! with its path and the right kind (`unknown_currency` for a currency, not a generic parse
//! error), and unknown fields are refused rather than silently ignored.

use serde_json::{Number, Value};

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

/// What a JSON-like value is, for reading and for error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    /// As [`type_name`] writes it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// What the request readers need of a tree of values: a `serde_json::Value`, or a node of
/// [`Documents`](crate::Documents), which the bindings write without building a `Value`.
pub(crate) trait Tree<'a>: Copy {
    fn kind(self) -> Kind;
    fn as_str(self) -> Option<&'a str>;
    fn as_bool(self) -> Option<bool>;
    fn as_number(self) -> Option<Number>;
    /// The value of an object's field (`None` for anything but an object).
    fn field(self, key: &str) -> Option<Self>;
    /// An object's keys (none for anything else).
    fn keys(self) -> impl Iterator<Item = &'a str>;
    /// An array's items (none for anything else).
    fn items(self) -> impl Iterator<Item = Self>;
}

impl<'a> Tree<'a> for &'a Value {
    fn kind(self) -> Kind {
        match self {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Number(_) => Kind::Number,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }

    fn as_str(self) -> Option<&'a str> {
        Value::as_str(self)
    }

    fn as_bool(self) -> Option<bool> {
        Value::as_bool(self)
    }

    fn as_number(self) -> Option<Number> {
        match self {
            Value::Number(n) => Some(n.clone()),
            _ => None,
        }
    }

    fn field(self, key: &str) -> Option<&'a Value> {
        self.as_object().and_then(|m| m.get(key))
    }

    fn keys(self) -> impl Iterator<Item = &'a str> {
        self.as_object().into_iter().flat_map(|m| m.keys().map(String::as_str))
    }

    fn items(self) -> impl Iterator<Item = &'a Value> {
        self.as_array().into_iter().flatten()
    }
}

/// Where a field is, written out only when an error needs it: reading a request that is
/// right formats no paths.
#[derive(Clone, Copy)]
pub(crate) struct Path<'p> {
    parent: Option<&'p Path<'p>>,
    name: &'p str,
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(parent) = self.parent {
            let before = parent.to_string();
            if !before.is_empty() {
                return write!(f, "{before}.{}", self.name);
            }
        }
        f.write_str(self.name)
    }
}

/// The fields of one request object, at `path`.
pub(crate) struct Fields<'a, 'p, T: Tree<'a> = &'a Value> {
    node: T,
    path: Path<'p>,
    _tree: std::marker::PhantomData<&'a ()>,
}

impl<'a, 'p, T: Tree<'a>> Fields<'a, 'p, T> {
    /// Reads `value` as an object whose keys are all in `known`.
    pub fn new(value: T, path: &'p str, known: &[&str]) -> Result<Fields<'a, 'p, T>, Error> {
        Fields::at_path(value, Path { parent: None, name: path }, known)
    }

    fn at_path(value: T, path: Path<'p>, known: &[&str]) -> Result<Fields<'a, 'p, T>, Error> {
        if value.kind() != Kind::Object {
            return Err(Error::invalid_input(
                path.to_string(),
                format!("expected an object, got {}", value.kind().name()),
            ));
        }
        // The first in key order, whatever order the source keeps (a JSON map sorts them).
        if let Some(key) = value.keys().filter(|k| !known.contains(k)).min() {
            return Err(Error::invalid_input(
                join(&path.to_string(), key),
                format!("unknown field {key:?}; expected one of: {}", known.join(", ")),
            ));
        }
        Ok(Fields { node: value, path, _tree: std::marker::PhantomData })
    }

    /// The object at `key` (which must be present), as fields whose path continues this one's.
    pub fn nested<'q>(&'q self, key: &'q str, value: T, known: &[&str]) -> Result<Fields<'a, 'q, T>, Error> {
        Fields::at_path(value, Path { parent: Some(&self.path), name: key }, known)
    }

    /// The path of `key`.
    pub fn at(&self, key: &str) -> String {
        join(&self.path.to_string(), key)
    }

    /// The value of `key`; absent and `null` are the same.
    pub fn get(&self, key: &str) -> Option<T> {
        self.node.field(key).filter(|v| v.kind() != Kind::Null)
    }

    fn wrong(&self, key: &str, expected: &str, got: T) -> Error {
        Error::invalid_input(self.at(key), format!("expected {expected}, got {}", got.kind().name()))
    }

    pub fn str(&self, key: &str) -> Result<Option<&'a str>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v.as_str().map(Some).ok_or_else(|| self.wrong(key, "a string", v)),
        }
    }

    pub fn required_str(&self, key: &str) -> Result<&'a str, Error> {
        self.str(key)?.ok_or_else(|| Error::invalid_input(self.at(key), "missing"))
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v.as_bool().map(Some).ok_or_else(|| self.wrong(key, "true or false", v)),
        }
    }

    /// A whole number in `min..=max`.
    pub fn int(&self, key: &str, min: i64, max: i64) -> Result<Option<i64>, Error> {
        let Some(v) = self.get(key) else { return Ok(None) };
        let Some(n) = v.as_number() else { return Err(self.wrong(key, "a whole number", v)) };
        match n.as_i64() {
            Some(i) if (min..=max).contains(&i) => Ok(Some(i)),
            _ => {
                Err(Error::invalid_input(self.at(key), format!("expected a whole number from {min} to {max}, got {n}")))
            }
        }
    }

    pub fn timestamp(&self, key: &str) -> Result<Option<Timestamp>, Error> {
        let Some(v) = self.get(key) else { return Ok(None) };
        let Some(s) = v.as_str() else { return Err(self.wrong(key, "an RFC 3339 timestamp string", v)) };
        Timestamp::parse_field(s, "").map(Some).map_err(|e| e.within(&self.at(key)))
    }

    pub fn required_timestamp(&self, key: &str) -> Result<Timestamp, Error> {
        self.timestamp(key)?.ok_or_else(|| Error::invalid_input(self.at(key), "missing: an RFC 3339 timestamp"))
    }

    /// `{"amount": "12.50", "currency": "EUR"}`; the amount a decimal string or an integer.
    pub fn money(&self, key: &str) -> Result<Option<Money>, Error> {
        let Some(value) = self.get(key) else { return Ok(None) };
        let f = self.nested(key, value, &["amount", "currency"])?;
        let number;
        let amount = match f.get("amount") {
            Some(v) if v.kind() == Kind::String => v.as_str().unwrap_or_default(),
            Some(v) => match v.as_number() {
                Some(n) if n.is_i64() || n.is_u64() => {
                    number = n.to_string();
                    &number
                }
                Some(n) => {
                    return Err(Error::invalid_input(
                        f.at("amount"),
                        format!("{n} is a binary floating-point number: write the amount as a string (\"{n}\")"),
                    ));
                }
                None => return Err(f.wrong("amount", "a decimal string such as \"129.99\"", v)),
            },
            None => return Err(Error::invalid_input(f.at("amount"), "missing")),
        };
        let currency = f.required_str("currency")?;
        Money::parse_at(amount, currency, "").map(Some).map_err(|e| e.within(&self.at(key)))
    }

    /// An array's items (absent or null: none).
    pub fn array(&self, key: &str) -> Result<impl Iterator<Item = T> + use<'a, T>, Error> {
        match self.get(key) {
            None => Ok(None.into_iter().flatten()),
            Some(v) if v.kind() == Kind::Array => Ok(Some(v.items()).into_iter().flatten()),
            Some(v) => Err(self.wrong(key, "an array", v)),
        }
    }
}
