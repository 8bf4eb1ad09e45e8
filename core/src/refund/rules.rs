//! The condition language of refund rules: typed facts, comparisons, `all` / `any` / `not`,
//! validated completely when the policy loads and evaluated with the first failing condition
//! kept for the trace.

use std::sync::Arc;

use serde_json::Value;

use crate::error::Error;
use crate::geo::Country;
use crate::money::Money;
use crate::request::{index, join, type_name};

/// The type of a fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    Text,
    Country,
    Int,
    Bool,
    Money,
    /// A set of names (item tags, regions).
    Tags,
}

/// Every fact a condition may name, with its type. The order is the fact's id.
pub(crate) const FACTS: [(&str, Ty); 28] = [
    ("complaint", Ty::Text),
    ("destination_country", Ty::Country),
    ("region", Ty::Tags),
    ("days_since_delivery", Ty::Int),
    ("days_since_order", Ty::Int),
    ("delivered", Ty::Bool),
    ("item.tags", Ty::Tags),
    ("item.price", Ty::Money),
    ("item.quantity", Ty::Int),
    ("item.sku", Ty::Text),
    ("line_total", Ty::Money),
    ("order.total", Ty::Money),
    ("order.marketplace", Ty::Text),
    ("evidence.photo", Ty::Bool),
    ("evidence.video", Ty::Bool),
    ("customer.refunds_last_365d", Ty::Int),
    ("customer.orders_count", Ty::Int),
    ("customer.abuse_flag", Ty::Bool),
    ("customer.tier", Ty::Text),
    ("shipment_status", Ty::Text),
    ("within_return_window", Ty::Bool),
    ("within_statutory_window", Ty::Bool),
    ("within_merchant_window", Ty::Bool),
    ("statutory_exclusion", Ty::Bool),
    ("fault_claim", Ty::Bool),
    ("returnless_eligible", Ty::Bool),
    ("return_shipping_cost", Ty::Money),
    ("repeat_claimant", Ty::Bool),
];

/// Fact ids, for the evaluator.
pub(crate) mod fact {
    pub const COMPLAINT: u8 = 0;
    pub const DESTINATION_COUNTRY: u8 = 1;
    pub const REGION: u8 = 2;
    pub const DAYS_SINCE_DELIVERY: u8 = 3;
    pub const DAYS_SINCE_ORDER: u8 = 4;
    pub const DELIVERED: u8 = 5;
    pub const ITEM_TAGS: u8 = 6;
    pub const ITEM_PRICE: u8 = 7;
    pub const ITEM_QUANTITY: u8 = 8;
    pub const ITEM_SKU: u8 = 9;
    pub const LINE_TOTAL: u8 = 10;
    pub const ORDER_TOTAL: u8 = 11;
    pub const MARKETPLACE: u8 = 12;
    pub const EVIDENCE_PHOTO: u8 = 13;
    pub const EVIDENCE_VIDEO: u8 = 14;
    pub const REFUNDS_LAST_365D: u8 = 15;
    pub const ORDERS_COUNT: u8 = 16;
    pub const ABUSE_FLAG: u8 = 17;
    pub const TIER: u8 = 18;
    pub const SHIPMENT_STATUS: u8 = 19;
    pub const WITHIN_RETURN_WINDOW: u8 = 20;
    pub const WITHIN_STATUTORY_WINDOW: u8 = 21;
    pub const WITHIN_MERCHANT_WINDOW: u8 = 22;
    pub const STATUTORY_EXCLUSION: u8 = 23;
    pub const FAULT_CLAIM: u8 = 24;
    pub const RETURNLESS_ELIGIBLE: u8 = 25;
    pub const RETURN_SHIPPING_COST: u8 = 26;
    pub const REPEAT_CLAIMANT: u8 = 27;
}

/// Shipment statuses a condition may name (AfterShip's, snake_case, plus the outcomes of a
/// carrier's investigation).
pub(crate) const SHIPMENT_STATUSES: [&str; 11] = [
    "pending",
    "info_received",
    "in_transit",
    "out_for_delivery",
    "attempt_fail",
    "available_for_pickup",
    "delivered",
    "exception",
    "expired",
    "lost",
    "returned_to_sender",
];

/// A fact's value in one case.
#[derive(Clone, Copy, Debug)]
pub(crate) enum FactValue<'a> {
    Null,
    Text(&'a str),
    Country(Country),
    Int(i64),
    Bool(bool),
    Money(Money),
    Tags(&'a [Box<str>]),
}

/// A fact's value kept beyond the case, so that trace messages can be rendered when they are
/// read rather than while rules run.
#[derive(Clone, Debug)]
pub(crate) enum OwnedFact {
    Null,
    Text(Box<str>),
    Country(Country),
    Int(i64),
    Bool(bool),
    Money(Money),
    Tags(Box<[Box<str>]>),
}

impl OwnedFact {
    pub fn of(v: FactValue<'_>) -> OwnedFact {
        match v {
            FactValue::Null => OwnedFact::Null,
            FactValue::Text(s) => OwnedFact::Text(s.into()),
            FactValue::Country(c) => OwnedFact::Country(c),
            FactValue::Int(n) => OwnedFact::Int(n),
            FactValue::Bool(b) => OwnedFact::Bool(b),
            FactValue::Money(m) => OwnedFact::Money(m),
            FactValue::Tags(t) => OwnedFact::Tags(t.into()),
        }
    }

    pub fn view(&self) -> FactValue<'_> {
        match self {
            OwnedFact::Null => FactValue::Null,
            OwnedFact::Text(s) => FactValue::Text(s),
            OwnedFact::Country(c) => FactValue::Country(*c),
            OwnedFact::Int(n) => FactValue::Int(*n),
            OwnedFact::Bool(b) => FactValue::Bool(*b),
            OwnedFact::Money(m) => FactValue::Money(*m),
            OwnedFact::Tags(t) => FactValue::Tags(t),
        }
    }
}

/// What the evaluator asks for.
pub(crate) trait Facts {
    fn get(&self, fact: u8) -> FactValue<'_>;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    In,
    NotIn,
    Contains,
    NotContains,
    ContainsAny,
    ContainsAll,
    Exists,
}

const OPS: [(&str, Op); 13] = [
    ("eq", Op::Eq),
    ("ne", Op::Ne),
    ("lt", Op::Lt),
    ("lte", Op::Lte),
    ("gt", Op::Gt),
    ("gte", Op::Gte),
    ("in", Op::In),
    ("not_in", Op::NotIn),
    ("contains", Op::Contains),
    ("not_contains", Op::NotContains),
    ("contains_any", Op::ContainsAny),
    ("contains_all", Op::ContainsAll),
    ("exists", Op::Exists),
];

impl Op {
    pub fn as_str(self) -> &'static str {
        OPS.iter().find(|(_, o)| *o == self).map_or("?", |(n, _)| n)
    }

    fn allowed(self, ty: Ty) -> bool {
        use Op::*;
        match self {
            Exists => true,
            Eq | Ne => ty != Ty::Tags,
            Lt | Lte | Gt | Gte => matches!(ty, Ty::Int | Ty::Money),
            In | NotIn => matches!(ty, Ty::Text | Ty::Country | Ty::Int),
            Contains | NotContains | ContainsAny | ContainsAll => ty == Ty::Tags,
        }
    }
}

/// A literal of a condition, typed at load.
#[derive(Clone, Debug)]
pub(crate) enum Lit {
    Text(Box<str>),
    Texts(Box<[Box<str>]>),
    Country(Country),
    Countries(Box<[Country]>),
    Int(i64),
    Ints(Box<[i64]>),
    Bool(bool),
    /// One amount per currency; a case in a currency without one fails the condition.
    Money(Box<[Money]>),
}

/// One comparison.
#[derive(Clone, Debug)]
pub(crate) struct Leaf {
    pub fact: u8,
    pub op: Op,
    pub lit: Lit,
    /// The node's index in the policy's [`Nodes`].
    pub id: u32,
}

/// A compiled condition. Nodes that can fail (`any`, `not`, comparisons) carry their index in
/// [`Nodes`], so that a trace entry is a few integers, not copies of paths.
#[derive(Clone, Debug)]
pub(crate) enum Cond {
    All(Box<[Cond]>),
    Any(Box<[Cond]>, u32),
    Not(Box<Cond>, u32),
    Leaf(Leaf),
}

/// What a trace needs to know of a condition node: its policy path, and for a comparison its
/// fact, operator and literal.
#[derive(Debug, Default)]
pub(crate) struct Nodes {
    pub paths: Vec<Arc<str>>,
    pub leaves: Vec<Option<(u8, Op, Lit)>>,
}

impl Nodes {
    fn add(&mut self, path: &str, leaf: Option<(u8, Op, Lit)>) -> u32 {
        self.paths.push(Arc::from(path));
        self.leaves.push(leaf);
        (self.paths.len() - 1) as u32
    }
}

/// Why a condition did not hold: the node, and `false`, `null`, `no_amount_in_currency`,
/// `no_alternative` or `negated`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Failure {
    pub node: u32,
    pub fact: Option<u8>,
    pub kind: &'static str,
}

/// What a condition may name: the known values of open vocabularies.
pub(crate) struct Vocabulary<'a> {
    pub categories: &'a [&'a str],
    pub regions: &'a [&'a str],
}

fn bad(path: &str, message: impl Into<String>) -> Error {
    Error::invalid_policy(path, message)
}

/// Compiles the condition `doc` at `path`, recording its nodes in `nodes`.
pub(crate) fn compile(doc: &Value, path: &str, vocab: &Vocabulary<'_>, nodes: &mut Nodes) -> Result<Cond, Error> {
    compile_at(doc, path, vocab, nodes, 0)
}

/// Conditions nest at most this deep (deeper is a policy mistake, and recursion must stay bounded).
const MAX_DEPTH: usize = 32;

fn compile_at(doc: &Value, path: &str, vocab: &Vocabulary<'_>, nodes: &mut Nodes, depth: usize) -> Result<Cond, Error> {
    if depth > MAX_DEPTH {
        return Err(bad(path, format!("conditions nest at most {MAX_DEPTH} levels deep")));
    }
    let Value::Object(map) = doc else {
        return Err(bad(
            path,
            format!("a condition is an object ({{\"all\": […]}}, {{\"fact\": …, \"eq\": …}}), got {}", type_name(doc)),
        ));
    };
    let list = |key: &str, items: &Value, nodes: &mut Nodes| -> Result<Box<[Cond]>, Error> {
        let at = join(path, key);
        let Value::Array(items) = items else { return Err(bad(&at, "a list of conditions")) };
        if items.is_empty() {
            return Err(bad(&at, "an empty list: remove the condition instead"));
        }
        items.iter().enumerate().map(|(i, c)| compile_at(c, &index(&at, i), vocab, nodes, depth + 1)).collect()
    };
    if map.len() == 1 {
        let (key, value) = map.iter().next().expect("one entry");
        match key.as_str() {
            "all" => return Ok(Cond::All(list("all", value, nodes)?)),
            "any" => {
                let items = list("any", value, nodes)?;
                return Ok(Cond::Any(items, nodes.add(&join(path, "any"), None)));
            }
            "not" => {
                let inner = compile_at(value, &join(path, "not"), vocab, nodes, depth + 1)?;
                return Ok(Cond::Not(Box::new(inner), nodes.add(&join(path, "not"), None)));
            }
            _ => {}
        }
    }
    let Some(Value::String(fact_name)) = map.get("fact") else {
        return Err(bad(
            path,
            "a condition is {\"all\": […]}, {\"any\": […]}, {\"not\": {…}} or {\"fact\": name, op: value}",
        ));
    };
    let Some(fact) = FACTS.iter().position(|(n, _)| n == fact_name) else {
        let known: Vec<&str> = FACTS.iter().map(|(n, _)| *n).collect();
        return Err(bad(&join(path, "fact"), format!("unknown fact {fact_name:?}; known: {}", known.join(", "))));
    };
    let ty = FACTS[fact].1;
    let ops: Vec<(&String, &Value)> = map.iter().filter(|(k, _)| k.as_str() != "fact").collect();
    let [(op_name, value)] = ops[..] else {
        return Err(bad(
            path,
            format!("a comparison has one operator besides \"fact\": {}", OPS.map(|(n, _)| n).join(", ")),
        ));
    };
    let Some(op) = OPS.iter().find(|(n, _)| n == op_name).map(|(_, o)| *o) else {
        return Err(bad(&join(path, op_name), format!("unknown operator {op_name:?}")));
    };
    let at = join(path, op_name);
    if !op.allowed(ty) {
        return Err(bad(&at, format!("{op_name:?} does not apply to {fact_name} (a {})", ty_name(ty))));
    }
    let lit = literal(value, ty, op, &at, fact as u8, vocab)?;
    let id = nodes.add(path, Some((fact as u8, op, lit.clone())));
    Ok(Cond::Leaf(Leaf { fact: fact as u8, op, lit, id }))
}

fn ty_name(ty: Ty) -> &'static str {
    match ty {
        Ty::Text => "name",
        Ty::Country => "country",
        Ty::Int => "whole number",
        Ty::Bool => "boolean",
        Ty::Money => "money amount",
        Ty::Tags => "set of names",
    }
}

fn literal(v: &Value, ty: Ty, op: Op, at: &str, fact: u8, vocab: &Vocabulary<'_>) -> Result<Lit, Error> {
    if op == Op::Exists {
        return v.as_bool().map(Lit::Bool).ok_or_else(|| bad(at, "exists takes true or false"));
    }
    let many = matches!(op, Op::In | Op::NotIn | Op::ContainsAny | Op::ContainsAll);
    if many {
        let Value::Array(items) = v else { return Err(bad(at, format!("a list of {}s", ty_name(ty)))) };
        if items.is_empty() {
            return Err(bad(at, "an empty list never matches"));
        }
        return match ty {
            Ty::Int => items
                .iter()
                .enumerate()
                .map(|(i, x)| x.as_i64().ok_or_else(|| bad(&index(at, i), "a whole number")))
                .collect::<Result<_, _>>()
                .map(Lit::Ints),
            Ty::Country => items
                .iter()
                .enumerate()
                .map(|(i, x)| country(x, &index(at, i)))
                .collect::<Result<_, _>>()
                .map(Lit::Countries),
            _ => items
                .iter()
                .enumerate()
                .map(|(i, x)| name(x, &index(at, i), fact, vocab))
                .collect::<Result<_, _>>()
                .map(Lit::Texts),
        };
    }
    match ty {
        Ty::Text | Ty::Tags => name(v, at, fact, vocab).map(Lit::Text),
        Ty::Country => country(v, at).map(Lit::Country),
        Ty::Int => v.as_i64().map(Lit::Int).ok_or_else(|| bad(at, format!("a whole number, not {}", type_name(v)))),
        Ty::Bool => v.as_bool().map(Lit::Bool).ok_or_else(|| bad(at, format!("true or false, not {}", type_name(v)))),
        Ty::Money => money(v, at).map(Lit::Money),
    }
}

/// A country code of a policy, or the `invalid_policy` error naming `at`.
pub(super) fn country(v: &Value, at: &str) -> Result<Country, Error> {
    let Value::String(s) = v else { return Err(bad(at, "an ISO 3166-1 alpha-2 country code")) };
    Country::from_code(s).ok_or_else(|| bad(at, format!("not an ISO 3166-1 alpha-2 country code: {s:?}")))
}

/// A name, checked against the fact's vocabulary where it is closed or known.
fn name(v: &Value, at: &str, fact: u8, vocab: &Vocabulary<'_>) -> Result<Box<str>, Error> {
    let Value::String(s) = v else { return Err(bad(at, format!("a name, not {}", type_name(v)))) };
    let known: Option<&[&str]> = match fact {
        fact::COMPLAINT => Some(vocab.categories),
        fact::REGION => Some(vocab.regions),
        fact::SHIPMENT_STATUS => Some(&SHIPMENT_STATUSES),
        _ => None,
    };
    if let Some(known) = known
        && !known.contains(&s.as_str())
    {
        return Err(bad(at, format!("unknown value {s:?}; known: {}", known.join(", "))));
    }
    Ok(s.as_str().into())
}

/// `{"EUR": "50", "USD": "55"}` or `{"amount": "50", "currency": "EUR"}`.
fn money(v: &Value, at: &str) -> Result<Box<[Money]>, Error> {
    let Value::Object(map) = v else {
        return Err(bad(at, format!("a money amount per currency ({{\"EUR\": \"50\"}}), not {}", type_name(v))));
    };
    if map.contains_key("amount") || map.contains_key("currency") {
        let Some(Value::String(currency)) = map.get("currency") else {
            return Err(bad(&join(at, "currency"), "an ISO 4217 currency code"));
        };
        let amount =
            crate::money::policy_amount(map.get("amount").unwrap_or(&Value::Null), currency, &join(at, "amount"))?;
        return Ok(Box::new([amount]));
    }
    let out = crate::money::policy_amounts(v, at)?;
    if out.is_empty() {
        return Err(bad(at, "at least one currency"));
    }
    Ok(out.into())
}

fn cmp_ok(op: Op, ord: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Op::Eq => ord == Equal,
        Op::Ne => ord != Equal,
        Op::Lt => ord == Less,
        Op::Lte => ord != Greater,
        Op::Gt => ord == Greater,
        Op::Gte => ord != Less,
        _ => false,
    }
}

impl Leaf {
    fn holds(&self, value: FactValue<'_>) -> Result<bool, &'static str> {
        if self.op == Op::Exists {
            let Lit::Bool(want) = self.lit else { return Ok(false) };
            return Ok(matches!(value, FactValue::Null) != want);
        }
        Ok(match (value, &self.lit) {
            (FactValue::Null, _) => return Err("null"),
            (FactValue::Text(s), Lit::Text(t)) => cmp_ok(self.op, s.cmp(t)),
            (FactValue::Text(s), Lit::Texts(ts)) => ts.iter().any(|t| **t == *s) == (self.op == Op::In),
            (FactValue::Country(c), Lit::Country(d)) => cmp_ok(self.op, c.cmp(d)),
            (FactValue::Country(c), Lit::Countries(ds)) => ds.contains(&c) == (self.op == Op::In),
            (FactValue::Int(n), Lit::Int(m)) => cmp_ok(self.op, n.cmp(m)),
            (FactValue::Int(n), Lit::Ints(ms)) => ms.contains(&n) == (self.op == Op::In),
            (FactValue::Bool(b), Lit::Bool(c)) => cmp_ok(self.op, b.cmp(c)),
            (FactValue::Money(m), Lit::Money(list)) => {
                let Some(t) = list.iter().find(|t| t.currency() == m.currency()) else {
                    return Err("no_amount_in_currency");
                };
                cmp_ok(self.op, m.minor_units().cmp(&t.minor_units()))
            }
            (FactValue::Tags(tags), Lit::Text(t)) => tags.iter().any(|x| x == t) == (self.op == Op::Contains),
            (FactValue::Tags(tags), Lit::Texts(ts)) => match self.op {
                Op::ContainsAny => ts.iter().any(|t| tags.contains(t)),
                _ => ts.iter().all(|t| tags.contains(t)),
            },
            _ => false,
        })
    }
}

impl Cond {
    /// `Ok` when the condition holds, else the first condition that did not.
    pub(crate) fn eval(&self, facts: &dyn Facts) -> Result<(), Failure> {
        match self {
            Cond::All(items) => items.iter().try_for_each(|c| c.eval(facts)),
            Cond::Any(items, node) => {
                if items.iter().any(|c| c.eval(facts).is_ok()) {
                    Ok(())
                } else {
                    Err(Failure { node: *node, fact: None, kind: "no_alternative" })
                }
            }
            Cond::Not(inner, node) => match inner.eval(facts) {
                Ok(()) => Err(Failure { node: *node, fact: None, kind: "negated" }),
                // A fact without a value (or an amount without a threshold in its currency) is
                // unknown, not false: its negation does not hold either.
                Err(f) if matches!(f.kind, "null" | "no_amount_in_currency") => Err(f),
                Err(_) => Ok(()),
            },
            Cond::Leaf(leaf) => match leaf.holds(facts.get(leaf.fact)) {
                Ok(true) => Ok(()),
                Ok(false) => Err(Failure { node: leaf.id, fact: Some(leaf.fact), kind: "false" }),
                Err(kind) => Err(Failure { node: leaf.id, fact: Some(leaf.fact), kind }),
            },
        }
    }

    /// The conjunction this condition is, as sorted hashes of canonical texts: nested `all`s are
    /// flattened, literal lists sorted, countries and amounts in their normal form. Rule B can
    /// never fire after rule A when A's shape is a subset of B's.
    pub(crate) fn shape(&self) -> Vec<u64> {
        let mut out = Vec::new();
        self.conjuncts(&mut out);
        out.sort_unstable();
        out.dedup();
        out
    }

    fn conjuncts(&self, out: &mut Vec<u64>) {
        match self {
            Cond::All(items) => items.iter().for_each(|c| c.conjuncts(out)),
            other => out.push(hash_text(&other.canonical())),
        }
    }

    fn canonical(&self) -> String {
        match self {
            Cond::All(items) | Cond::Any(items, _) => {
                let mut parts: Vec<String> = items.iter().map(Cond::canonical).collect();
                parts.sort();
                let kind = if matches!(self, Cond::All(_)) { "all" } else { "any" };
                format!("{kind}({})", parts.join(","))
            }
            Cond::Not(inner, _) => format!("not({})", inner.canonical()),
            Cond::Leaf(l) => {
                let sorted = |mut v: Vec<String>| {
                    v.sort();
                    v.dedup();
                    v.join("|")
                };
                let lit = match &l.lit {
                    Lit::Texts(ts) => sorted(ts.iter().map(|t| t.to_string()).collect()),
                    Lit::Countries(cs) => sorted(cs.iter().map(|c| c.code().to_string()).collect()),
                    Lit::Ints(ns) => sorted(ns.iter().map(|n| format!("{n:020}")).collect()),
                    Lit::Money(ms) => {
                        sorted(ms.iter().map(|m| format!("{}:{}", m.currency().code(), m.minor_units())).collect())
                    }
                    other => lit_text(other),
                };
                format!("{}.{}={lit}", l.fact, l.op.as_str())
            }
        }
    }
}

fn hash_text(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Whether the sorted `small` is a subset of the sorted `big`, in one merge.
pub(crate) fn is_subset(small: &[u64], big: &[u64]) -> bool {
    if small.len() > big.len() {
        return false;
    }
    let mut rest = big.iter();
    small.iter().all(|x| rest.any(|y| y == x))
}

/// A literal as text, for messages.
pub(crate) fn lit_text(lit: &Lit) -> String {
    let join_all = |items: Vec<String>| format!("[{}]", items.join(", "));
    match lit {
        Lit::Text(t) => t.to_string(),
        Lit::Texts(ts) => join_all(ts.iter().map(|t| t.to_string()).collect()),
        Lit::Country(c) => c.to_string(),
        Lit::Countries(cs) => join_all(cs.iter().map(|c| c.to_string()).collect()),
        Lit::Int(n) => n.to_string(),
        Lit::Ints(ns) => join_all(ns.iter().map(|n| n.to_string()).collect()),
        Lit::Bool(b) => b.to_string(),
        Lit::Money(ms) => join_all(ms.iter().map(|m| m.to_string()).collect()),
    }
}

/// A fact value as text, for messages.
pub(crate) fn value_text(v: FactValue<'_>) -> String {
    match v {
        FactValue::Null => "null".into(),
        FactValue::Text(s) => s.to_string(),
        FactValue::Country(c) => c.to_string(),
        FactValue::Int(n) => n.to_string(),
        FactValue::Bool(b) => b.to_string(),
        FactValue::Money(m) => m.to_string(),
        FactValue::Tags(t) => format!("[{}]", t.iter().map(|x| x.as_ref()).collect::<Vec<_>>().join(", ")),
    }
}
