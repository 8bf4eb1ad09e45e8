//! Priority scoring: integer points per factor, weights from the policy, reasons that add up to
//! the score exactly.
//!
//! Design: every factor contributes whole points and one reason, so a score is a sum anyone can
//! check by hand; the raw sum is clamped to 0..100 by one more reason (`clamp`), never by
//! rescaling, so each factor's points stay what the policy says. Money thresholds are per
//! currency and only compared within one currency; an amount in a currency the policy has no
//! thresholds for scores 0 and says so.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use crate::classify::Classification;
use crate::domain::{Category, EscalationSignal, Sentiment};
use crate::error::Error;
use crate::money::Money;
use crate::request::{CUSTOMER_FIELDS, Fields, ORDER_FIELDS, index, join, type_name};
use crate::time::PolicyDuration;

/// The facts a priority is scored from: what the message is about, and optional facts about the
/// customer, the order and the ticket.
///
/// # Example
///
/// ```
/// use aftersales::{Category, Engine, PriorityRequest};
///
/// let engine = Engine::new();
/// let c = engine.classify("Third time asking: the parcel never arrived. I will file a chargeback.")?;
/// let mut request = PriorityRequest::from_classification(&c);
/// request.contact_count = Some(3);
/// let p = engine.score_priority(&request)?;
/// assert_eq!(p.level, "urgent");
/// assert_eq!(p.reasons.iter().map(|r| r.points).sum::<i32>(), i32::from(p.score));
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct PriorityRequest {
    /// The categories that apply; the most severe one scores.
    pub categories: Vec<Category>,
    /// Escalation signals; each distinct one scores.
    pub escalation: Vec<EscalationSignal>,
    /// The message's sentiment.
    pub sentiment: Option<Sentiment>,
    /// The customer's tier (`vip`, `regular`, `new`, or a tier the policy adds).
    pub customer_tier: Option<String>,
    /// What the customer has spent in total.
    pub lifetime_value: Option<Money>,
    /// How many orders the customer has placed.
    pub orders_count: Option<u32>,
    /// The customer is flagged for abuse (lowers the score).
    pub abuse_flag: bool,
    /// The order's total.
    pub order_total: Option<Money>,
    /// The marketplace the order came through (kept for explanation; not scored by default).
    pub marketplace: Option<String>,
    /// How many times the customer has written about this (1: the first message).
    pub contact_count: Option<u32>,
    /// A shipment anomaly was detected; the string names it (`"stalled"`), empty if unnamed.
    pub shipment_anomaly: Option<String>,
    /// Seconds left on the ticket's most urgent SLA target (negative: breached).
    pub sla_remaining_seconds: Option<i64>,
}

impl PriorityRequest {
    /// The request for a classified message: its categories, escalation signals and sentiment.
    ///
    /// # Example
    ///
    /// ```
    /// let engine = aftersales::Engine::new();
    /// let c = engine.classify("The vase arrived smashed")?;
    /// let request = aftersales::PriorityRequest::from_classification(&c);
    /// assert_eq!(request.categories[0].as_str(), "damaged");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn from_classification(c: &Classification) -> PriorityRequest {
        PriorityRequest {
            categories: c.categories.iter().map(|s| s.category.clone()).collect(),
            escalation: c.escalation.iter().map(|e| e.signal).collect(),
            sentiment: Some(c.sentiment),
            ..PriorityRequest::default()
        }
    }

    /// Reads a request document: `classification` (a classification result) or `categories`,
    /// `escalation`, `sentiment`; and optional `customer` (`tier`, `lifetime_value`,
    /// `orders_count`, `abuse_flag`), `order` (`total`, `marketplace`), `contact_count`,
    /// `shipment_anomaly` (true, false or a name), `sla_remaining_seconds`.
    ///
    /// Categories and signals may be names or objects with a `category` / `signal` field, so a
    /// classification's lists can be passed as they are.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the field (`categories[1]`, `customer.orders_count`);
    /// `unknown_currency` for an unknown currency code.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::PriorityRequest;
    /// use serde_json::json;
    ///
    /// let r = PriorityRequest::from_value(&json!({
    ///     "categories": ["damaged"], "sentiment": "negative",
    ///     "order": {"total": {"amount": "249.00", "currency": "EUR"}}
    /// }))?;
    /// assert_eq!(r.order_total.unwrap().to_string(), "249.00 EUR");
    /// let err = PriorityRequest::from_value(&json!({"sentiment": "furious"})).unwrap_err();
    /// assert_eq!(err.field(), Some("sentiment"));
    /// // Categories are checked against the engine's (the policy may add some) when scoring.
    /// let unknown = PriorityRequest::from_value(&json!({"categories": ["damaged", "damagd"]}))?;
    /// let err = aftersales::Engine::new().score_priority(&unknown).unwrap_err();
    /// assert_eq!(err.field(), Some("categories[1]"));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn from_value(value: &Value) -> Result<PriorityRequest, Error> {
        let f = Fields::new(
            value,
            "",
            &[
                "classification",
                "categories",
                "escalation",
                "sentiment",
                "customer",
                "order",
                "contact_count",
                "shipment_anomaly",
                "sla_remaining_seconds",
            ],
        )?;
        let mut r = PriorityRequest::default();
        // A classification result may be passed whole; its own fields are read leniently (it
        // carries much more than priority needs), explicit fields beside it win.
        if let Some(c) = f.get("classification") {
            let Value::Object(map) = c else {
                return Err(Error::invalid_input(
                    "classification",
                    format!("expected an object, got {}", type_name(c)),
                ));
            };
            if let Some(v) = map.get("categories") {
                r.categories = read_categories(v, "classification.categories")?;
            }
            if let Some(v) = map.get("escalation") {
                r.escalation = read_signals(v, "classification.escalation")?;
            }
            if let Some(v) = map.get("sentiment").filter(|v| !v.is_null()) {
                r.sentiment = Some(read_sentiment(v, "classification.sentiment")?);
            }
        }
        if let Some(v) = f.get("categories") {
            r.categories = read_categories(v, "categories")?;
        }
        if let Some(v) = f.get("escalation") {
            r.escalation = read_signals(v, "escalation")?;
        }
        if let Some(v) = f.get("sentiment") {
            r.sentiment = Some(read_sentiment(v, "sentiment")?);
        }
        if let Some(customer) = f.get("customer") {
            r.read_customer(customer, "customer")?;
        }
        if let Some(order) = f.get("order") {
            r.read_order(order, "order")?;
        }
        r.contact_count = f.int("contact_count", 0, u32::MAX.into())?.map(|n| n as u32);
        r.shipment_anomaly = match f.get("shipment_anomaly") {
            None | Some(Value::Bool(false)) => None,
            Some(Value::Bool(true)) => Some(String::new()),
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                return Err(Error::invalid_input(
                    "shipment_anomaly",
                    format!("expected true, false or the anomaly's name, got {}", type_name(other)),
                ));
            }
        };
        r.sla_remaining_seconds =
            f.int("sla_remaining_seconds", -crate::time::MAX_DURATION_SECONDS, crate::time::MAX_DURATION_SECONDS)?;
        Ok(r)
    }

    /// Reads the scored facts of a customer record (`tier`, `lifetime_value`, `orders_count`,
    /// `abuse_flag`); its other fields ([`CUSTOMER_FIELDS`]) serve other engines.
    pub(crate) fn read_customer(&mut self, customer: &Value, path: &str) -> Result<(), Error> {
        let c = Fields::new(customer, path, CUSTOMER_FIELDS)?;
        self.customer_tier = c.str("tier")?.map(str::to_string);
        self.lifetime_value = c.money("lifetime_value")?;
        self.orders_count = c.int("orders_count", 0, u32::MAX.into())?.map(|n| n as u32);
        self.abuse_flag = c.bool("abuse_flag")?.unwrap_or(false);
        Ok(())
    }

    /// Reads the scored facts of an order record (`total`, `marketplace`).
    pub(crate) fn read_order(&mut self, order: &Value, path: &str) -> Result<(), Error> {
        let o = Fields::new(order, path, ORDER_FIELDS)?;
        self.order_total = o.money("total")?;
        self.marketplace = o.str("marketplace")?.map(str::to_string);
        Ok(())
    }
}

/// A list of names, each a string or an object carrying it under `key` (as a classification
/// lists its categories and signals), parsed by `parse` with the path of the name.
fn read_names<T>(
    v: &Value,
    path: &str,
    key: &str,
    parse: impl Fn(&str, String) -> Result<T, Error>,
) -> Result<Vec<T>, Error> {
    let Value::Array(items) = v else {
        return Err(Error::invalid_input(path, format!("expected an array of {key} names, got {}", type_name(v))));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let at = index(path, i);
            match item {
                Value::String(s) => parse(s, at),
                Value::Object(m) => match m.get(key) {
                    Some(Value::String(s)) => parse(s, join(&at, key)),
                    _ => Err(Error::invalid_input(join(&at, key), format!("expected a {key} name"))),
                },
                other => Err(Error::invalid_input(at, format!("expected a {key} name, got {}", type_name(other)))),
            }
        })
        .collect()
}

fn read_categories(v: &Value, path: &str) -> Result<Vec<Category>, Error> {
    // Unknown names are caught when scoring, against the engine's categories (the policy may add some).
    read_names(v, path, "category", |name, _| {
        Ok(Category::from_base_name(name).unwrap_or_else(|| Category::Custom(name.into())))
    })
}

fn read_signals(v: &Value, path: &str) -> Result<Vec<EscalationSignal>, Error> {
    read_names(v, path, "signal", |name, at| {
        EscalationSignal::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = EscalationSignal::ALL.iter().map(|s| s.as_str()).collect();
            Error::invalid_input(at, format!("unknown escalation signal {name:?}; known: {}", known.join(", ")))
        })
    })
}

fn read_sentiment(v: &Value, path: &str) -> Result<Sentiment, Error> {
    match v {
        Value::String(s) => Sentiment::from_name(s).ok_or_else(|| {
            Error::invalid_input(
                path,
                format!("unknown sentiment {s:?}; use very_negative, negative, neutral, positive or very_positive"),
            )
        }),
        other => Err(Error::invalid_input(path, format!("expected a sentiment name, got {}", type_name(other)))),
    }
}

/// A scored priority.
///
/// # Example
///
/// ```
/// use aftersales::{Category, Engine, PriorityRequest};
///
/// let mut request = PriorityRequest::default();
/// request.categories = vec![Category::Damaged];
/// request.customer_tier = Some("vip".into());
/// let p = Engine::new().score_priority(&request)?;
/// assert_eq!((p.score, p.level.as_str()), (40, "normal"));
/// let codes: Vec<&str> = p.reasons.iter().map(|r| r.code).collect();
/// assert_eq!(codes, ["category_severity", "customer_tier"]);
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Priority {
    /// 0..=100.
    pub score: u8,
    /// The level whose cut-off the score reaches (`urgent`, `high`, `normal`, `low`, or a policy's own).
    pub level: String,
    /// One reason per contributing factor; their points add up to `score`.
    pub reasons: Vec<PriorityReason>,
}

/// Why points were given.
///
/// Codes are stable: `category_severity`, `escalation_signal`, `sentiment`, `customer_tier`,
/// `lifetime_value`, `lifetime_value_unrated`, `orders_count`, `abuse_flag`, `order_value`,
/// `order_value_unrated`, `repeat_contact`, `shipment_anomaly`, `sla_time_left`, `clamp`.
///
/// # Example
///
/// ```
/// use aftersales::{Engine, PriorityRequest};
///
/// let mut request = PriorityRequest::default();
/// request.sla_remaining_seconds = Some(-60);
/// let p = Engine::new().score_priority(&request)?;
/// let r = &p.reasons[0];
/// assert_eq!((r.factor, r.code, r.points), ("sla_time_left", "sla_time_left", 20));
/// assert_eq!(r.message, "the SLA is breached: +20");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PriorityReason {
    /// The factor: `category`, `escalation`, `sentiment`, `customer_tier`, `lifetime_value`,
    /// `orders_count`, `abuse_flag`, `order_value`, `repeat_contact`, `shipment_anomaly`,
    /// `sla_time_left`, `clamp`.
    pub factor: &'static str,
    /// Whole points, possibly negative.
    pub points: i32,
    /// Stable code for translation.
    pub code: &'static str,
    /// The values the message was made from.
    pub params: Value,
    /// English explanation.
    pub message: String,
}

/// A money threshold table: per currency, ascending minimums with points.
type MoneyTiers = BTreeMap<String, Vec<(Money, i32)>>;

/// The priority section of the policy, compiled.
#[derive(Debug)]
pub(crate) struct PriorityPolicy {
    /// Level names with their minimum scores, highest first.
    levels: Vec<(String, u8)>,
    categories: BTreeMap<String, i32>,
    escalation: BTreeMap<String, i32>,
    sentiment: BTreeMap<String, i32>,
    customer_tier: BTreeMap<String, i32>,
    lifetime_value: MoneyTiers,
    orders_count: Vec<(u32, i32)>,
    order_value: MoneyTiers,
    per_contact: i32,
    max_contact: i32,
    shipment_anomaly: i32,
    abuse_flag: i32,
    /// (below seconds, points), ascending.
    sla_time_left: Vec<(i64, i32)>,
}

const MAX_POINTS: i64 = 1000;

fn points(v: &Value, path: &str) -> Result<i32, Error> {
    match v.as_i64() {
        Some(p) if (-MAX_POINTS..=MAX_POINTS).contains(&p) => Ok(p as i32),
        _ => Err(Error::invalid_policy(path, format!("points are a whole number from -{MAX_POINTS} to {MAX_POINTS}"))),
    }
}

fn object<'a>(v: Option<&'a Value>, path: &str) -> Result<&'a serde_json::Map<String, Value>, Error> {
    match v {
        Some(Value::Object(m)) => Ok(m),
        Some(other) => Err(Error::invalid_policy(path, format!("expected an object, got {}", type_name(other)))),
        None => Err(Error::invalid_policy(path, "missing")),
    }
}

fn points_map(
    v: Option<&Value>,
    path: &str,
    known: impl Fn(&str) -> bool,
    what: &str,
) -> Result<BTreeMap<String, i32>, Error> {
    let mut out = BTreeMap::new();
    for (k, p) in object(v, path)? {
        let at = join(path, k);
        if !known(k) {
            return Err(Error::invalid_policy(at, format!("unknown {what} {k:?}")));
        }
        out.insert(k.clone(), points(p, &at)?);
    }
    Ok(out)
}

fn money_tiers(v: Option<&Value>, path: &str) -> Result<MoneyTiers, Error> {
    let mut out = BTreeMap::new();
    for (code, tiers) in object(v, path)? {
        let at = join(path, code);
        let Value::Array(items) = tiers else {
            return Err(Error::invalid_policy(at, "expected a list of {\"min\": \"200\", \"points\": 5}"));
        };
        let mut list: Vec<(Money, i32)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = index(&at, i);
            let Value::Object(m) = item else {
                return Err(Error::invalid_policy(at, "expected {\"min\": \"200\", \"points\": 5}"));
            };
            if let Some(k) = m.keys().find(|k| *k != "min" && *k != "points") {
                return Err(Error::invalid_policy(join(&at, k), format!("unknown field {k:?}; expected min, points")));
            }
            if crate::currency::Currency::from_code(code).is_none() {
                return Err(Error::invalid_policy(at, format!("not an ISO 4217 currency code: {code:?}")));
            }
            let min_at = join(&at, "min");
            let min = crate::money::policy_amount(m.get("min").unwrap_or(&Value::Null), code, &min_at)?;
            let p = points(m.get("points").unwrap_or(&Value::Null), &join(&at, "points"))?;
            if list.last().is_some_and(|(prev, _)| prev.minor_units() >= min.minor_units()) {
                return Err(Error::invalid_policy(min_at, "minimums go up from one tier to the next"));
            }
            list.push((min, p));
        }
        if out.insert(min_currency_code(code), list).is_some() {
            return Err(Error::invalid_policy(
                at,
                format!("{code:?} is given twice (currency codes are case-insensitive)"),
            ));
        }
    }
    Ok(out)
}

fn min_currency_code(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

impl PriorityPolicy {
    /// Compiles `policy.priority`; `categories` are the engine's category names.
    pub(crate) fn compile(doc: &Value, categories: &[Category]) -> Result<PriorityPolicy, Error> {
        const KEYS: [&str; 13] = [
            "levels",
            "categories",
            "escalation",
            "sentiment",
            "customer_tier",
            "lifetime_value",
            "orders_count",
            "order_value",
            "repeat_contact",
            "shipment_anomaly",
            "abuse_flag",
            "sla_time_left",
            "description",
        ];
        let map = object(Some(doc), "priority")?;
        if let Some(k) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(Error::invalid_policy(join("priority", k), format!("unknown field {k:?}")));
        }
        let mut levels = Vec::new();
        for (name, min) in object(map.get("levels"), "priority.levels")? {
            let at = join("priority.levels", name);
            if !crate::policy::is_snake_case(name) {
                return Err(Error::invalid_policy(at, "a level name is snake_case"));
            }
            match min.as_u64() {
                Some(m) if m <= 100 => levels.push((name.clone(), m as u8)),
                _ => return Err(Error::invalid_policy(at, "a level's minimum score is a whole number from 0 to 100")),
            }
        }
        levels.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        if let Some(w) = levels.windows(2).find(|w| w[0].1 == w[1].1) {
            return Err(Error::invalid_policy(
                join("priority.levels", &w[1].0),
                format!("same minimum as {:?}", w[0].0),
            ));
        }
        if levels.last().is_none_or(|l| l.1 != 0) {
            return Err(Error::invalid_policy(
                "priority.levels",
                "one level must start at 0, so that every score has a level",
            ));
        }
        let contact = object(map.get("repeat_contact"), "priority.repeat_contact")?;
        if let Some(k) = contact.keys().find(|k| *k != "per_contact" && *k != "max") {
            return Err(Error::invalid_policy(
                join("priority.repeat_contact", k),
                "unknown field; expected per_contact, max",
            ));
        }
        let mut orders_count = Vec::new();
        let oc = match map.get("orders_count") {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(Error::invalid_policy(
                    "priority.orders_count",
                    "expected a list of {\"min\": 10, \"points\": 5}",
                ));
            }
        };
        let only = |item: &Value, at: &str, keys: [&str; 2]| -> Result<(), Error> {
            let Value::Object(m) = item else {
                return Err(Error::invalid_policy(at, format!("expected an object with {} and {}", keys[0], keys[1])));
            };
            match m.keys().find(|k| !keys.contains(&k.as_str())) {
                Some(k) => Err(Error::invalid_policy(
                    join(at, k),
                    format!("unknown field {k:?}; expected {}, {}", keys[0], keys[1]),
                )),
                None => Ok(()),
            }
        };
        for (i, item) in oc.iter().enumerate() {
            let at = index("priority.orders_count", i);
            only(item, &at, ["min", "points"])?;
            let min = item.get("min").and_then(Value::as_u64).filter(|m| *m <= u32::MAX.into());
            let Some(min) = min else {
                return Err(Error::invalid_policy(join(&at, "min"), "a whole number of orders"));
            };
            if orders_count.last().is_some_and(|(prev, _)| *prev >= min as u32) {
                return Err(Error::invalid_policy(join(&at, "min"), "minimums go up from one tier to the next"));
            }
            orders_count.push((min as u32, points(item.get("points").unwrap_or(&Value::Null), &join(&at, "points"))?));
        }
        let mut sla_time_left = Vec::new();
        let st = match map.get("sla_time_left") {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(Error::invalid_policy(
                    "priority.sla_time_left",
                    "expected a list of {\"below\": \"1h\", \"points\": 15}",
                ));
            }
        };
        for (i, item) in st.iter().enumerate() {
            let at = index("priority.sla_time_left", i);
            only(item, &at, ["below", "points"])?;
            let below = PolicyDuration::parse(item.get("below").unwrap_or(&Value::Null), &join(&at, "below"))?.seconds;
            if sla_time_left.last().is_some_and(|(prev, _)| *prev >= below) {
                return Err(Error::invalid_policy(join(&at, "below"), "thresholds go up from one tier to the next"));
            }
            sla_time_left.push((below, points(item.get("points").unwrap_or(&Value::Null), &join(&at, "points"))?));
        }
        let tiers_known = |_: &str| true;
        let per_contact =
            points(contact.get("per_contact").unwrap_or(&Value::Null), "priority.repeat_contact.per_contact")?;
        let max_contact = points(contact.get("max").unwrap_or(&Value::Null), "priority.repeat_contact.max")?;
        if per_contact.signum() * max_contact.signum() < 0 {
            return Err(Error::invalid_policy("priority.repeat_contact.max", "the cap has the sign of per_contact"));
        }
        Ok(PriorityPolicy {
            levels,
            categories: points_map(
                map.get("categories"),
                "priority.categories",
                |k| categories.iter().any(|c| c.as_str() == k),
                "category",
            )?,
            escalation: points_map(
                map.get("escalation"),
                "priority.escalation",
                |k| EscalationSignal::from_name(k).is_some(),
                "escalation signal",
            )?,
            sentiment: points_map(
                map.get("sentiment"),
                "priority.sentiment",
                |k| Sentiment::from_name(k).is_some(),
                "sentiment",
            )?,
            customer_tier: points_map(map.get("customer_tier"), "priority.customer_tier", tiers_known, "tier")?,
            lifetime_value: money_tiers(map.get("lifetime_value"), "priority.lifetime_value")?,
            orders_count,
            order_value: money_tiers(map.get("order_value"), "priority.order_value")?,
            per_contact,
            max_contact,
            shipment_anomaly: points(map.get("shipment_anomaly").unwrap_or(&Value::Null), "priority.shipment_anomaly")?,
            abuse_flag: points(map.get("abuse_flag").unwrap_or(&Value::Null), "priority.abuse_flag")?,
            sla_time_left,
        })
    }

    /// The category the policy rates most severe, with its points; ties go to the first listed
    /// (in a classification, the most confident).
    pub(crate) fn most_severe<'c>(
        &self,
        categories: impl IntoIterator<Item = &'c Category>,
    ) -> Option<(&'c Category, i32)> {
        let mut best: Option<(&Category, i32)> = None;
        for c in categories {
            let p = self.categories.get(c.as_str()).copied().unwrap_or(0);
            if best.is_none_or(|(_, b)| p > b) {
                best = Some((c, p));
            }
        }
        best
    }

    /// The level names, highest first.
    pub(crate) fn level_names(&self) -> impl Iterator<Item = &str> {
        self.levels.iter().map(|(n, _)| n.as_str())
    }

    /// Scores a request; `known` are the engine's categories.
    pub(crate) fn score(&self, r: &PriorityRequest, known: &[Category]) -> Result<Priority, Error> {
        let mut reasons = Vec::new();
        let mut add = |factor, code, points: i32, params: Value, message: String| {
            reasons.push(PriorityReason {
                factor,
                points,
                code,
                params,
                message: format!("{message}: {}", signed(points)),
            });
        };

        if let Some((i, c)) = r.categories.iter().enumerate().find(|(_, c)| !known.contains(c)) {
            return Err(Error::invalid_input(index("categories", i), format!("unknown category {:?}", c.as_str())));
        }
        // The most severe category scores.
        if let Some((c, p)) = self.most_severe(&r.categories).filter(|(_, p)| *p != 0) {
            add(
                "category",
                "category_severity",
                p,
                json!({"category": c.as_str()}),
                format!("category {}", c.as_str()),
            );
        }

        let mut seen: Vec<EscalationSignal> = Vec::new();
        for s in &r.escalation {
            if seen.contains(s) {
                continue;
            }
            seen.push(*s);
            let p = self.escalation.get(s.as_str()).copied().unwrap_or(0);
            if p != 0 {
                add(
                    "escalation",
                    "escalation_signal",
                    p,
                    json!({"signal": s.as_str()}),
                    format!("escalation signal {}", s.as_str()),
                );
            }
        }

        if let Some(s) = r.sentiment {
            let p = self.sentiment.get(s.as_str()).copied().unwrap_or(0);
            if p != 0 {
                add("sentiment", "sentiment", p, json!({"sentiment": s.as_str()}), format!("sentiment {}", s.as_str()));
            }
        }

        if let Some(tier) = &r.customer_tier {
            let Some(&p) = self.customer_tier.get(tier.as_str()) else {
                let known: Vec<&str> = self.customer_tier.keys().map(String::as_str).collect();
                return Err(Error::invalid_input(
                    "customer.tier",
                    format!("unknown customer tier {tier:?}; the policy knows: {}", known.join(", ")),
                ));
            };
            if p != 0 {
                add("customer_tier", "customer_tier", p, json!({"tier": tier}), format!("customer tier {tier}"));
            }
        }

        for (amount, tiers, factor, label) in [
            (&r.lifetime_value, &self.lifetime_value, "lifetime_value", "lifetime value"),
            (&r.order_total, &self.order_value, "order_value", "order total"),
        ] {
            let Some(amount) = amount else { continue };
            let code = amount.currency().code().to_string();
            match tiers.get(&code) {
                None => {
                    let unrated =
                        if factor == "lifetime_value" { "lifetime_value_unrated" } else { "order_value_unrated" };
                    add(
                        factor,
                        unrated,
                        0,
                        json!({"amount": amount.amount(), "currency": code}),
                        format!("{label} {amount}, no thresholds in {code}"),
                    );
                }
                Some(list) => {
                    if let Some((min, p)) = list.iter().rev().find(|(min, _)| amount.minor_units() >= min.minor_units())
                    {
                        add(
                            factor,
                            factor,
                            *p,
                            json!({"amount": amount.amount(), "currency": code, "min": min.amount()}),
                            format!("{label} {amount} is at least {min}"),
                        );
                    }
                }
            }
        }

        if let Some(n) = r.orders_count
            && let Some((min, p)) = self.orders_count.iter().rev().find(|(min, _)| n >= *min)
            && *p != 0
        {
            add(
                "orders_count",
                "orders_count",
                *p,
                json!({"orders_count": n, "min": min}),
                format!("{n} orders (at least {min})"),
            );
        }

        if r.abuse_flag && self.abuse_flag != 0 {
            add("abuse_flag", "abuse_flag", self.abuse_flag, json!({}), "the customer is flagged for abuse".into());
        }

        if let Some(n) = r.contact_count.filter(|n| *n >= 2) {
            // Both are at most 1000 in size and share a sign (checked at load): no overflow, no wrap.
            let raw = i64::from(self.per_contact) * i64::from(n - 1);
            let p =
                if self.max_contact >= 0 { raw.min(self.max_contact.into()) } else { raw.max(self.max_contact.into()) }
                    as i32;
            if p != 0 {
                add(
                    "repeat_contact",
                    "repeat_contact",
                    p,
                    json!({"contact_count": n}),
                    format!("contact number {n} about this"),
                );
            }
        }

        if let Some(name) = &r.shipment_anomaly
            && self.shipment_anomaly != 0
        {
            let what =
                if name.is_empty() { "a shipment anomaly".to_string() } else { format!("shipment anomaly {name}") };
            add("shipment_anomaly", "shipment_anomaly", self.shipment_anomaly, json!({"anomaly": name}), what);
        }

        if let Some(left) = r.sla_remaining_seconds
            && let Some((below, p)) = self.sla_time_left.iter().find(|(below, _)| left < *below)
            && *p != 0
        {
            let message = if *below <= 0 {
                "the SLA is breached".to_string()
            } else {
                format!("less than {} of SLA time left", human(*below))
            };
            add(
                "sla_time_left",
                "sla_time_left",
                *p,
                json!({"remaining_seconds": left, "below_seconds": below}),
                message,
            );
        }

        let raw: i64 = reasons.iter().map(|r| i64::from(r.points)).sum();
        let score = raw.clamp(0, 100);
        if score != raw {
            let p = (score - raw) as i32;
            reasons.push(PriorityReason {
                factor: "clamp",
                points: p,
                code: "clamp",
                params: json!({"raw": raw, "score": score}),
                message: format!("raw score {raw} brought to {score}: {}", signed(p)),
            });
        }
        let score = score as u8;
        let level = self.levels.iter().find(|(_, min)| score >= *min).map(|(n, _)| n.clone()).unwrap_or_default();
        Ok(Priority { score, level, reasons })
    }
}

fn signed(p: i32) -> String {
    if p >= 0 { format!("+{p}") } else { format!("\u{2212}{}", -i64::from(p)) }
}

/// `3600` → `1h`, `5400` → `1h 30m`.
pub(crate) fn human(seconds: i64) -> String {
    let (d, h, m, s) = (seconds / 86_400, seconds % 86_400 / 3600, seconds % 3600 / 60, seconds % 60);
    let mut parts = Vec::new();
    for (n, unit) in [(d, "d"), (h, "h"), (m, "m"), (s, "s")] {
        if n != 0 {
            parts.push(format!("{n}{unit}"));
        }
    }
    if parts.is_empty() { "0s".into() } else { parts.join(" ") }
}

#[cfg(test)]
mod tests;
