//! Refund-rule evaluation: the shop's rules as data, the buyer's law as the floor, exact money,
//! and a trace of every rule considered.
//!
//! Design: the policy's rules are compiled once into typed conditions (unknown facts, type
//! mismatches, bad literals and rules an earlier rule always shadows are load errors). A case is
//! turned into facts (windows counted on the destination's local dates, returnless
//! eligibility, repeat claims), the rules run in order and the first match decides. The law is
//! applied after the rules, so no rule can take away a statutory right: a change-of-mind
//! refund the law grants replaces a refusal, with the law's money rules, and a fault claim is
//! never refused because a change-of-mind window closed. Money is computed in minor units,
//! rounded half-up once per computed amount, and never exceeds what was paid.

mod case;
mod law;
mod rules;

use std::sync::Arc;

use chrono::Days;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::Value;

pub use case::RefundCase;
pub(crate) use case::{read_dates, read_shipment_status};

use crate::domain::Category;
use crate::error::{Error, ErrorKind};
use crate::geo::Country;
use crate::money::Money;
use crate::request::{index, join};
use crate::time::Timestamp;
use law::{LawMoney, Statute};
use rules::{Cond, FactValue, Facts, Lit, Vocabulary, fact};

pub(crate) use law::LAW_AS_OF;

/// What to do about a refund request.
///
/// # Example
///
/// ```
/// assert_eq!(aftersales::RefundOutcome::ReturnlessRefund.as_str(), "returnless_refund");
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RefundOutcome {
    /// Refund everything paid for the item, shipping share included.
    FullRefund,
    /// Refund a percentage of the item.
    PartialRefund,
    /// Refund the item and let the customer keep it.
    ReturnlessRefund,
    /// Send a new one.
    Replacement,
    /// Swap for another size or colour.
    Exchange,
    /// Refund as store credit (with the policy's bonus).
    StoreCredit,
    /// Refund once the item is back.
    ReturnThenRefund,
    /// Refuse.
    Deny,
    /// A person decides.
    ManualReview,
}

const OUTCOMES: [(&str, RefundOutcome); 9] = [
    ("full_refund", RefundOutcome::FullRefund),
    ("partial_refund", RefundOutcome::PartialRefund),
    ("returnless_refund", RefundOutcome::ReturnlessRefund),
    ("replacement", RefundOutcome::Replacement),
    ("exchange", RefundOutcome::Exchange),
    ("store_credit", RefundOutcome::StoreCredit),
    ("return_then_refund", RefundOutcome::ReturnThenRefund),
    ("deny", RefundOutcome::Deny),
    ("manual_review", RefundOutcome::ManualReview),
];

impl RefundOutcome {
    /// The snake_case name.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::RefundOutcome::ManualReview.as_str(), "manual_review");
    /// ```
    pub fn as_str(self) -> &'static str {
        OUTCOMES.iter().find(|(_, o)| *o == self).map_or("manual_review", |(n, _)| n)
    }

    fn from_name(name: &str) -> Option<RefundOutcome> {
        OUTCOMES.iter().find(|(n, _)| *n == name).map(|(_, o)| *o)
    }

    fn pays(self) -> bool {
        !matches!(
            self,
            RefundOutcome::Replacement | RefundOutcome::Exchange | RefundOutcome::Deny | RefundOutcome::ManualReview
        )
    }
}

impl Serialize for RefundOutcome {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The return window that applies: the longer of the shop's and the law's.
///
/// # Example
///
/// ```
/// # use aftersales::{Engine, RefundCase};
/// # let case = RefundCase::from_value(&serde_json::json!({"now": "2026-11-10T10:00:00Z", "complaint": "size_fit",
/// #   "destination_country": "DE", "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z",
/// #   "total": {"amount": "64.90", "currency": "EUR"}, "shipping_paid": {"amount": "4.90", "currency": "EUR"}},
/// #   "item": {"price": {"amount": "60.00", "currency": "EUR"}}}))?;
/// let d = Engine::new().evaluate_refund(&case)?;
/// // Day 6 in Germany: the shop's 30 days are longer than the law's 14.
/// let w = &d.return_window;
/// assert_eq!((w.days, w.basis, w.statutory, w.open), (30, "delivery", false, true));
/// assert_eq!(w.deadline.unwrap().to_string(), "2026-12-04T23:00:00Z");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ReturnWindow {
    /// Its length in days (business days for Mexico's statutory window).
    pub days: u32,
    /// `delivery` (counted from the local delivery date), `order_plus_transit` (from the order
    /// date plus the policy's transit allowance, delivery being unknown) or `not_delivered`
    /// (a statutory window that has not started).
    pub basis: &'static str,
    /// `merchant policy`, or the legal source of the statutory window.
    pub source: &'static str,
    /// The end of its last local day (exclusive); null while it has not started.
    pub deadline: Option<Timestamp>,
    /// Whether `now` is inside it.
    pub open: bool,
    /// Whether it is the law's window.
    pub statutory: bool,
}

/// The rules considered for one decision, in order, up to the one that matched, each with the
/// first of its conditions that failed.
///
/// Compact (a few integers per rule, pointing into the compiled policy) so that a 200-rule
/// policy costs no copying; read it with [`Trace::iter`]. Serialises as a list of
/// [`RuleTrace`]s. Empty for decisions made without explanations
/// ([`Engine::evaluate_refund_batch`](crate::Engine::evaluate_refund_batch) with `explain` false).
///
/// # Example
///
/// ```
/// # use aftersales::{Engine, RefundCase};
/// # let case = RefundCase::from_value(&serde_json::json!({"now": "2026-11-20T10:00:00Z", "complaint": "size_fit",
/// #   "destination_country": "US", "order": {"placed_at": "2026-11-01T00:00:00Z", "delivered_at": "2026-11-03T00:00:00Z",
/// #   "total": {"amount": "50", "currency": "USD"}}, "item": {"price": {"amount": "50", "currency": "USD"}}}))?;
/// let d = Engine::new().evaluate_refund(&case)?;
/// let first = d.trace.iter().next().unwrap();
/// assert_eq!((first.rule, first.matched), ("abuse_flag_review", false));
/// assert_eq!(first.failed.unwrap().message, "customer.abuse_flag is false, not eq true");
/// assert!(d.trace.iter().last().unwrap().matched);
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone)]
pub struct Trace {
    book: Arc<RuleBook>,
    entries: Vec<TraceEntry>,
    /// The facts the failed conditions name, kept with the entries (both are there only when
    /// explanations are wanted): messages are rendered from them when the trace is read, so
    /// rules that run but are never read cost no formatting.
    facts: Option<Arc<[rules::OwnedFact]>>,
}

#[derive(Clone, Copy, Debug)]
struct TraceEntry {
    rule: u32,
    failure: Option<rules::Failure>,
}

impl Trace {
    /// The rules considered, in order.
    ///
    /// # Example
    ///
    /// ```
    /// # use aftersales::{Engine, RefundCase};
    /// # let case = RefundCase::from_value(&serde_json::json!({"now": "2026-11-10T10:00:00Z", "complaint": "size_fit",
    /// #   "destination_country": "DE", "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z",
    /// #   "total": {"amount": "64.90", "currency": "EUR"}}, "item": {"price": {"amount": "60.00", "currency": "EUR"}}}))?;
    /// let d = Engine::new().evaluate_refund(&case)?;
    /// assert_eq!(d.trace.iter().filter(|t| !t.matched).count(), d.trace.len() - 1);
    /// assert!(!d.trace.is_empty());
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = RuleTrace<'_>> {
        self.entries.iter().map(move |e| {
            let rule = &*self.book.rules[e.rule as usize].id;
            let failed = e.failure.map(|f| {
                let (actual, message) = match &self.facts {
                    None => (None, String::new()),
                    Some(facts) => {
                        let value = f.fact.map(|x| facts[x as usize].view());
                        (value.map(rules::value_text), failure_message(&self.book.nodes, &f, value))
                    }
                };
                FailedCondition {
                    path: &self.book.nodes.paths[f.node as usize],
                    fact: f.fact.map(|x| rules::FACTS[x as usize].0),
                    op: self.book.nodes.leaves[f.node as usize].as_ref().map(|(_, op, _)| op.as_str()),
                    code: f.kind,
                    actual,
                    message,
                }
            });
            RuleTrace { rule, matched: e.failure.is_none(), failed }
        })
    }

    /// How many rules were considered (see [`Trace::iter`] for an example).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the trace is empty: the policy has no rules, or the decision was made without
    /// explanations.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Serialize for Trace {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl PartialEq for Trace {
    fn eq(&self, other: &Trace) -> bool {
        self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for Trace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A rule considered, and the first of its conditions that failed.
///
/// # Example
///
/// ```
/// # use aftersales::{Engine, RefundCase};
/// # let case = RefundCase::from_value(&serde_json::json!({"now": "2026-11-10T10:00:00Z", "complaint": "size_fit",
/// #   "destination_country": "DE", "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z",
/// #   "total": {"amount": "64.90", "currency": "EUR"}, "shipping_paid": {"amount": "4.90", "currency": "EUR"}},
/// #   "item": {"price": {"amount": "60.00", "currency": "EUR"}}}))?;
/// let d = Engine::new().evaluate_refund(&case)?;
/// let last = d.trace.iter().last().unwrap();
/// assert_eq!((last.rule, last.matched), ("change_of_mind_return", true));
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RuleTrace<'a> {
    /// The rule's id.
    pub rule: &'a str,
    /// Whether all its conditions held.
    pub matched: bool,
    /// The first condition that did not hold.
    pub failed: Option<FailedCondition<'a>>,
}

/// A condition that did not hold.
///
/// # Example
///
/// ```
/// # use aftersales::{Engine, RefundCase};
/// # let case = RefundCase::from_value(&serde_json::json!({"now": "2026-11-10T10:00:00Z", "complaint": "size_fit",
/// #   "destination_country": "DE", "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z",
/// #   "total": {"amount": "64.90", "currency": "EUR"}, "shipping_paid": {"amount": "4.90", "currency": "EUR"}},
/// #   "item": {"price": {"amount": "60.00", "currency": "EUR"}}}))?;
/// let d = Engine::new().evaluate_refund(&case)?;
/// let failed = d.trace.iter().nth(2).unwrap().failed.unwrap();
/// assert_eq!((failed.fact, failed.op, failed.code), (Some("complaint"), Some("eq"), "false"));
/// assert_eq!(failed.path, "refund.rules[2].conditions.all[0]");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FailedCondition<'a> {
    /// Its JSON path in the policy (`refund.rules[3].conditions.all[1]`).
    pub path: &'a str,
    /// The fact it compares (null for an `any` or a `not`).
    pub fact: Option<&'static str>,
    /// The operator.
    pub op: Option<&'static str>,
    /// `false` (the comparison is false), `null` (the fact has no value), `no_amount_in_currency`
    /// (the condition has no amount in the case's currency), `no_alternative` (no branch of an
    /// `any` held), `negated` (the inside of a `not` held).
    pub code: &'static str,
    /// The fact's value in this case (null when the fact has none).
    pub actual: Option<String>,
    /// English explanation.
    pub message: String,
}

/// A parameter of a reason.
///
/// # Example
///
/// ```
/// # use aftersales::{Engine, RefundCase};
/// # let case = RefundCase::from_value(&serde_json::json!({"now": "2026-11-10T10:00:00Z", "complaint": "size_fit",
/// #   "destination_country": "DE", "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z",
/// #   "total": {"amount": "64.90", "currency": "EUR"}, "shipping_paid": {"amount": "4.90", "currency": "EUR"}},
/// #   "item": {"price": {"amount": "60.00", "currency": "EUR"}}}))?;
/// let d = Engine::new().evaluate_refund(&case)?;
/// use aftersales::Param;
///
/// let outbound = d.reasons.iter().find(|r| r.code == "outbound_shipping_refunded").unwrap();
/// assert!(outbound.params.0.iter().any(|(k, v)| *k == "amount" && matches!(v, Param::Money(m) if m.to_string() == "4.90 EUR")));
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Param {
    /// A name or text.
    Text(std::borrow::Cow<'static, str>),
    /// A whole number.
    Int(i64),
    /// An amount (serialised as its decimal string; the currency is another parameter).
    Money(Money),
    /// An instant.
    Time(Timestamp),
    /// Yes or no.
    Bool(bool),
    /// No value (an instant not yet known).
    Null,
}

impl Serialize for Param {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Param::Text(t) => s.serialize_str(t),
            Param::Int(n) => s.serialize_i64(*n),
            Param::Money(m) => s.serialize_str(&m.amount()),
            Param::Time(t) => t.serialize(s),
            Param::Bool(b) => s.serialize_bool(*b),
            Param::Null => s.serialize_none(),
        }
    }
}

/// The parameters of a reason, in order; serialised as an object.
///
/// # Example
///
/// ```
/// # use aftersales::{Engine, RefundCase};
/// # let case = RefundCase::from_value(&serde_json::json!({"now": "2026-11-10T10:00:00Z", "complaint": "size_fit",
/// #   "destination_country": "DE", "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z",
/// #   "total": {"amount": "64.90", "currency": "EUR"}, "shipping_paid": {"amount": "4.90", "currency": "EUR"}},
/// #   "item": {"price": {"amount": "60.00", "currency": "EUR"}}}))?;
/// let d = Engine::new().evaluate_refund(&case)?;
/// let rule = &d.reasons.iter().find(|r| r.code == "rule_matched").unwrap().params;
/// assert_eq!(serde_json::to_value(rule).unwrap(), serde_json::json!({"rule": "change_of_mind_return", "outcome": "return_then_refund"}));
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params(pub Vec<(&'static str, Param)>);

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Why the decision is what it is.
///
/// # Example
///
/// ```
/// # use aftersales::{Engine, RefundCase};
/// # let case = RefundCase::from_value(&serde_json::json!({"now": "2026-11-10T10:00:00Z", "complaint": "size_fit",
/// #   "destination_country": "DE", "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z",
/// #   "total": {"amount": "64.90", "currency": "EUR"}, "shipping_paid": {"amount": "4.90", "currency": "EUR"}},
/// #   "item": {"price": {"amount": "60.00", "currency": "EUR"}}}))?;
/// let d = Engine::new().evaluate_refund(&case)?;
/// let codes: Vec<&str> = d.reasons.iter().map(|r| r.code).collect();
/// assert_eq!(codes, ["statutory_window", "rule_matched", "outbound_shipping_refunded", "auto_approve_above_limit"]);
/// # Ok::<(), aftersales::Error>(())
/// ```
///
/// Codes: `rule_matched`, `no_rule_matched`, `statutory_window`, `statutory_exclusion`,
/// `statutory_right`, `fault_claim_not_bound_by_window`, `restocking_fee`,
/// `return_shipping_deducted`, `outbound_shipping_refunded`, `partial_percent`,
/// `store_credit_bonus`, `capped_at_paid`, `auto_approve_within_limit`,
/// `auto_approve_above_limit`, `auto_approve_no_limit`, `evidence_missing`.
///
/// The English message is a function of `code` and `params` alone ([`RefundReason::message`]),
/// so a translation needs nothing else; it is rendered when read or serialised, not while
/// deciding.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RefundReason {
    /// Stable code.
    pub code: &'static str,
    /// The values of the message.
    pub params: Params,
    /// Whether the message is rendered when serialised (false in batches without explanations).
    explain: bool,
}

impl RefundReason {
    /// The English explanation, from `code` and `params`.
    ///
    /// # Example
    ///
    /// ```
    /// # use aftersales::{Engine, RefundCase};
    /// # let case = RefundCase::from_value(&serde_json::json!({"now": "2026-11-20T10:00:00Z", "complaint": "size_fit",
    /// #   "destination_country": "US", "order": {"placed_at": "2026-11-01T00:00:00Z", "delivered_at": "2026-11-03T00:00:00Z",
    /// #   "total": {"amount": "50", "currency": "USD"}}, "item": {"price": {"amount": "50", "currency": "USD"}}}))?;
    /// let d = Engine::new().evaluate_refund(&case)?;
    /// assert_eq!(d.reasons[0].message(), "rule change_of_mind_return decided: return_then_refund");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn message(&self) -> String {
        render(self.code, &self.params)
    }
}

impl Serialize for RefundReason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut r = s.serialize_struct("RefundReason", 3)?;
        r.serialize_field("code", self.code)?;
        r.serialize_field("params", &self.params)?;
        r.serialize_field("message", &if self.explain { self.message() } else { String::new() })?;
        r.end()
    }
}

impl Params {
    fn get(&self, key: &str) -> Option<&Param> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    fn text(&self, key: &str) -> String {
        match self.get(key) {
            Some(Param::Text(t)) => t.to_string(),
            Some(Param::Int(n)) => n.to_string(),
            Some(Param::Money(m)) => m.to_string(),
            Some(Param::Time(t)) => t.to_string(),
            Some(Param::Bool(b)) => b.to_string(),
            Some(Param::Null) | None => String::new(),
        }
    }
}

/// The English message of a reason.
fn render(code: &str, p: &Params) -> String {
    let t = |k: &str| p.text(k);
    match code {
        "statutory_window" => match p.get("deadline") {
            Some(Param::Time(dl)) => {
                let verb = if matches!(p.get("open"), Some(Param::Bool(true))) { "ends" } else { "ended" };
                format!("{}: {} days to withdraw ({}), {verb} on {dl}", t("country"), t("days"), t("source"))
            }
            _ => format!("{}: {} days to withdraw ({}), from delivery", t("country"), t("days"), t("source")),
        },
        "statutory_exclusion" => format!("no statutory change-of-mind right for {} ({})", t("exclusion"), t("source")),
        "rule_matched" => format!("rule {} decided: {}", t("rule"), t("outcome")),
        "no_rule_matched" => format!("no rule matched: the policy's default outcome {}", t("outcome")),
        "statutory_right" => {
            let until = match p.get("deadline") {
                Some(Param::Time(d)) => format!("until {d}"),
                _ => "after delivery".to_string(),
            };
            format!(
                "the buyer may withdraw {until} under {}: return and full refund instead of {}",
                t("source"),
                t("replaces")
            )
        }
        "fault_claim_not_bound_by_window" => {
            format!(
                "a {} claim is not refused because a change-of-mind window closed: a person decides",
                t("complaint")
            )
        }
        "partial_percent" => format!("{}% of {}: {}", t("percent"), t("of"), t("amount")),
        "store_credit_bonus" => format!("store credit bonus of {}%: {}", t("percent"), t("amount")),
        "outbound_shipping_refunded" => {
            format!("the outbound shipping share {} is refunded ({})", t("amount"), t("source"))
        }
        "restocking_fee" => format!("restocking fee of {}%: \u{2212}{}", t("percent"), t("amount")),
        "return_shipping_deducted" => format!("return shipping \u{2212}{}", t("amount")),
        "capped_at_paid" => format!("capped at what was paid: {}", t("amount")),
        "evidence_missing" => "the evidence this outcome requires is missing".into(),
        "auto_approve_no_limit" => format!("no auto-approve limit in {}: a person approves", t("currency")),
        "auto_approve_within_limit" => format!("{} is within the auto-approve limit {}", t("amount"), t("limit")),
        "auto_approve_above_limit" => {
            format!("{} is above the auto-approve limit {}: a person approves", t("amount"), t("limit"))
        }
        other => other.replace('_', " "),
    }
}

/// A refund decision.
///
/// # Example
///
/// ```
/// use aftersales::{Engine, RefundCase, RefundOutcome};
/// use serde_json::json;
///
/// let engine = Engine::new();
/// // A €60 pair of shoes that does not fit, 16 days after delivery in Germany: the shop's
/// // 30-day window is open; the statutory 14 days are over.
/// let case = RefundCase::from_value(&json!({
///     "now": "2026-11-20T10:00:00Z", "complaint": "size_fit", "destination_country": "DE",
///     "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z",
///               "total": {"amount": "64.90", "currency": "EUR"}, "shipping_paid": {"amount": "4.90", "currency": "EUR"}},
///     "item": {"price": {"amount": "60.00", "currency": "EUR"}},
///     "return_shipping_cost": {"amount": "6.50", "currency": "EUR"}
/// }))?;
/// let d = engine.evaluate_refund(&case)?;
/// assert_eq!(d.outcome, RefundOutcome::ReturnThenRefund);
/// assert_eq!(d.refund_amount.unwrap().to_string(), "60.00 EUR");
/// assert_eq!((d.return_window.days, d.return_window.statutory), (30, false));
/// assert_eq!(d.rule.as_deref(), Some("change_of_mind_return"));
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RefundDecision {
    /// What to do.
    pub outcome: RefundOutcome,
    /// The money to pay back (null when the outcome pays nothing), never above what was paid.
    pub refund_amount: Option<Money>,
    /// Extra store credit on top of `refund_amount` for a `store_credit` outcome.
    pub store_credit_bonus: Option<Money>,
    /// What must happen first: `return_item`, `photo_evidence`, `video_evidence`, or the
    /// policy's own.
    pub requires: Vec<Arc<str>>,
    /// Whether it may go out without a person.
    pub auto_approve: bool,
    /// The window that applies.
    pub return_window: ReturnWindow,
    /// The rule that decided; null when none matched (the policy's default outcome).
    pub rule: Option<Arc<str>>,
    /// Every rule considered, in order, up to the one that matched; empty for a decision made
    /// without explanations.
    pub trace: Trace,
    /// Why, step by step.
    pub reasons: Vec<RefundReason>,
}

/// A compiled rule.
#[derive(Debug)]
struct Rule {
    id: Arc<str>,
    cond: Option<Cond>,
    outcome: RefundOutcome,
    requires: Vec<Arc<str>>,
    restocking_fee_percent: Option<u32>,
    deduct_return_shipping: bool,
    refund_percent: u32,
    store_credit_bonus_percent: Option<u32>,
}

/// A merchant window entry: the first whose selectors all match applies.
#[derive(Debug)]
struct WindowRule {
    days: u32,
    countries: Vec<Country>,
    regions: Vec<Arc<str>>,
    tags: Vec<Box<str>>,
}

/// The `refund` section of the policy, compiled.
#[derive(Debug)]
pub(crate) struct RefundPolicy {
    states_return_terms: bool,
    default_days: u32,
    transit_allowance_days: u32,
    windows: Vec<WindowRule>,
    regions: Vec<(Arc<str>, Vec<Country>)>,
    auto_approve: Vec<Money>,
    returnless_max: Vec<Money>,
    returnless_when_return_costs_more: bool,
    restocking_fee_percent: u32,
    store_credit_bonus_percent: u32,
    repeat_claimant_refunds: u32,
    default_outcome: RefundOutcome,
    book: Arc<RuleBook>,
}

/// The compiled rules and the condition nodes their traces point into.
#[derive(Debug)]
struct RuleBook {
    rules: Vec<Rule>,
    nodes: rules::Nodes,
}

fn perr(path: &str, message: impl Into<String>) -> Error {
    Error::invalid_policy(path, message)
}

fn percent(v: Option<&Value>, path: &str, max: u64) -> Result<Option<u32>, Error> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(x) => match x.as_u64() {
            Some(p) if p <= max => Ok(Some(p as u32)),
            _ => Err(perr(path, format!("a whole percentage from 0 to {max}"))),
        },
    }
}

fn money_table(v: Option<&Value>, path: &str) -> Result<Vec<Money>, Error> {
    v.map_or(Ok(Vec::new()), |v| crate::money::policy_amounts(v, path))
}

fn in_currency(table: &[Money], m: &Money) -> Option<Money> {
    table.iter().find(|t| t.currency() == m.currency()).copied()
}

const BUILTIN_REGIONS: [&str; 2] = ["EU", "EEA"];

impl RefundPolicy {
    pub(crate) fn compile(doc: &Value, categories: &[Category]) -> Result<RefundPolicy, Error> {
        const KEYS: [&str; 13] = [
            "states_return_terms",
            "return_window",
            "windows",
            "regions",
            "auto_approve",
            "returnless",
            "restocking_fee_percent",
            "store_credit_bonus_percent",
            "repeat_claimant_refunds",
            "default_outcome",
            "rules",
            "description",
            "max_rules",
        ];
        let Value::Object(map) = doc else { return Err(perr("refund", "an object")) };
        if let Some(k) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(perr(&join("refund", k), format!("unknown field {k:?}")));
        }
        let boolean = |key: &str, default: bool| -> Result<bool, Error> {
            match map.get(key) {
                None => Ok(default),
                Some(Value::Bool(b)) => Ok(*b),
                Some(_) => Err(perr(&join("refund", key), "true or false")),
            }
        };
        let days = |v: Option<&Value>, path: &str, default: u32| -> Result<u32, Error> {
            match v {
                None => Ok(default),
                Some(x) => x
                    .as_u64()
                    .filter(|d| *d <= 3650)
                    .map(|d| d as u32)
                    .ok_or_else(|| perr(path, "whole days from 0 to 3650")),
            }
        };

        let (mut default_days, mut transit_allowance_days) = (30, 10);
        if let Some(w) = map.get("return_window") {
            let Value::Object(w) = w else {
                return Err(perr("refund.return_window", "an object {days, transit_allowance_days}"));
            };
            if let Some(k) = w.keys().find(|k| !["days", "transit_allowance_days"].contains(&k.as_str())) {
                return Err(perr(
                    &join("refund.return_window", k),
                    "unknown field; expected days, transit_allowance_days",
                ));
            }
            default_days = days(w.get("days"), "refund.return_window.days", 30)?;
            transit_allowance_days =
                days(w.get("transit_allowance_days"), "refund.return_window.transit_allowance_days", 10)?;
        }

        let mut regions: Vec<(Arc<str>, Vec<Country>)> = Vec::new();
        if let Some(r) = map.get("regions") {
            let Value::Object(r) = r else { return Err(perr("refund.regions", "an object of country lists")) };
            for (name, list) in r {
                let at = join("refund.regions", name);
                if BUILTIN_REGIONS.contains(&name.as_str()) {
                    return Err(perr(&at, "EU and EEA are built in"));
                }
                let Value::Array(list) = list else { return Err(perr(&at, "a list of country codes")) };
                let countries = list
                    .iter()
                    .enumerate()
                    .map(|(i, c)| rules::country(c, &index(&at, i)))
                    .collect::<Result<Vec<_>, _>>()?;
                regions.push((name.as_str().into(), countries));
            }
        }
        let region_names: Vec<&str> =
            BUILTIN_REGIONS.iter().copied().chain(regions.iter().map(|(n, _)| n.as_ref())).collect();

        let mut windows = Vec::new();
        if let Some(w) = map.get("windows") {
            let Value::Array(items) = w else {
                return Err(perr("refund.windows", "a list of {days, countries, regions, tags}"));
            };
            for (i, item) in items.iter().enumerate() {
                let at = index("refund.windows", i);
                let Value::Object(o) = item else {
                    return Err(perr(&at, "an object {days, countries, regions, tags}"));
                };
                if let Some(k) = o.keys().find(|k| !["days", "countries", "regions", "tags"].contains(&k.as_str())) {
                    return Err(perr(&join(&at, k), "unknown field; expected days, countries, regions, tags"));
                }
                let names = |key: &str| -> Result<Vec<String>, Error> {
                    match o.get(key) {
                        None => Ok(Vec::new()),
                        Some(Value::Array(xs)) => xs
                            .iter()
                            .enumerate()
                            .map(|(n, x)| {
                                x.as_str().map(str::to_string).ok_or_else(|| perr(&index(&join(&at, key), n), "a name"))
                            })
                            .collect(),
                        Some(_) => Err(perr(&join(&at, key), "a list")),
                    }
                };
                let countries = match o.get("countries") {
                    None => Vec::new(),
                    Some(Value::Array(xs)) => xs
                        .iter()
                        .enumerate()
                        .map(|(n, c)| rules::country(c, &index(&join(&at, "countries"), n)))
                        .collect::<Result<Vec<_>, _>>()?,
                    Some(_) => return Err(perr(&join(&at, "countries"), "a list of country codes")),
                };
                let mut wregions = Vec::new();
                for (n, r) in names("regions")?.iter().enumerate() {
                    if !region_names.contains(&r.as_str()) {
                        return Err(perr(&index(&join(&at, "regions"), n), format!("unknown region {r:?}")));
                    }
                    wregions.push(Arc::from(r.as_str()));
                }
                windows.push(WindowRule {
                    days: o
                        .get("days")
                        .map_or(Err(perr(&join(&at, "days"), "missing")), |v| days(Some(v), &join(&at, "days"), 0))?,
                    countries,
                    regions: wregions,
                    tags: names("tags")?.into_iter().map(|t| t.into_boxed_str()).collect(),
                });
            }
        }

        let (mut returnless_max, mut returnless_when_return_costs_more) = (Vec::new(), true);
        if let Some(r) = map.get("returnless") {
            let Value::Object(r) = r else {
                return Err(perr("refund.returnless", "an object {max_item_value, when_return_costs_more}"));
            };
            if let Some(k) = r.keys().find(|k| !["max_item_value", "when_return_costs_more"].contains(&k.as_str())) {
                return Err(perr(
                    &join("refund.returnless", k),
                    "unknown field; expected max_item_value, when_return_costs_more",
                ));
            }
            returnless_max = money_table(r.get("max_item_value"), "refund.returnless.max_item_value")?;
            returnless_when_return_costs_more = match r.get("when_return_costs_more") {
                None => true,
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err(perr("refund.returnless.when_return_costs_more", "true or false")),
            };
        }

        let default_outcome = match map.get("default_outcome") {
            None => RefundOutcome::ManualReview,
            Some(Value::String(s)) => RefundOutcome::from_name(s)
                .ok_or_else(|| perr("refund.default_outcome", format!("unknown outcome {s:?}")))?,
            Some(_) => return Err(perr("refund.default_outcome", "an outcome name")),
        };

        let names: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
        let vocab = Vocabulary { categories: &names, regions: &region_names };
        let max_rules = match map.get("max_rules") {
            None => 2_000,
            Some(v) => {
                v.as_u64().filter(|n| *n <= 100_000).ok_or_else(|| perr("refund.max_rules", "at most 100000"))? as usize
            }
        };
        let mut rules = Vec::new();
        let mut nodes = rules::Nodes::default();
        let mut shapes: Vec<(Vec<u64>, Arc<str>)> = Vec::new();
        match map.get("rules") {
            None => {}
            Some(Value::Array(items)) => {
                if items.len() > max_rules {
                    return Err(Error::make(
                        ErrorKind::LimitExceeded,
                        Some("refund.rules".into()),
                        format!("at most {max_rules} rules"),
                    ));
                }
                for (i, item) in items.iter().enumerate() {
                    let (rule, shape) = compile_rule(item, &index("refund.rules", i), &vocab, &mut nodes)?;
                    let at = index("refund.rules", i);
                    if rules.iter().any(|r: &Rule| r.id == rule.id) {
                        return Err(perr(&join(&at, "id"), format!("duplicate rule id {:?}", rule.id)));
                    }
                    // An earlier rule whose conditions are a subset of this one's always matches
                    // first: this rule can never fire.
                    if let Some((_, earlier)) = shapes.iter().find(|(s, _)| rules::is_subset(s, &shape)) {
                        return Err(perr(
                            &at,
                            format!(
                                "rule {:?} can never fire: rule {earlier:?} has a subset of its conditions and comes first",
                                rule.id
                            ),
                        ));
                    }
                    shapes.push((shape, rule.id.clone()));
                    rules.push(rule);
                }
            }
            Some(_) => return Err(perr("refund.rules", "a list of rules")),
        }

        Ok(RefundPolicy {
            states_return_terms: boolean("states_return_terms", true)?,
            default_days,
            transit_allowance_days,
            windows,
            regions,
            auto_approve: money_table(map.get("auto_approve"), "refund.auto_approve")?,
            returnless_max,
            returnless_when_return_costs_more,
            restocking_fee_percent: percent(map.get("restocking_fee_percent"), "refund.restocking_fee_percent", 100)?
                .unwrap_or(0),
            store_credit_bonus_percent: percent(
                map.get("store_credit_bonus_percent"),
                "refund.store_credit_bonus_percent",
                100,
            )?
            .unwrap_or(0),
            repeat_claimant_refunds: map.get("repeat_claimant_refunds").map_or(Ok(4), |v| {
                v.as_u64()
                    .filter(|n| *n <= 10_000)
                    .map(|n| n as u32)
                    .ok_or_else(|| perr("refund.repeat_claimant_refunds", "a whole number"))
            })?,
            default_outcome,
            book: Arc::new(RuleBook { rules, nodes }),
        })
    }
}

/// Compiles one rule; also returns its shape (see [`Cond::shape`]) for the can-never-fire check.
fn compile_rule(
    doc: &Value,
    at: &str,
    vocab: &Vocabulary<'_>,
    nodes: &mut rules::Nodes,
) -> Result<(Rule, Vec<u64>), Error> {
    const KEYS: [&str; 6] = ["id", "description", "conditions", "outcome", "requires", "modifiers"];
    let Value::Object(map) = doc else { return Err(perr(at, "a rule is an object {id, conditions, outcome}")) };
    if let Some(k) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(perr(&join(at, k), format!("unknown field {k:?}; expected {}", KEYS.join(", "))));
    }
    let id = match map.get("id") {
        Some(Value::String(s)) if crate::policy::is_snake_case(s) => Arc::<str>::from(s.as_str()),
        _ => return Err(perr(&join(at, "id"), "a rule id is snake_case: a-z, 0-9 and _")),
    };
    if let Some(d) = map.get("description")
        && !d.is_string()
    {
        return Err(perr(&join(at, "description"), "a string"));
    }
    let (cond, shape) = match map.get("conditions") {
        None | Some(Value::Null) => (None, Vec::new()),
        Some(c) => {
            let cond = rules::compile(c, &join(at, "conditions"), vocab, nodes)?;
            let shape = cond.shape();
            (Some(cond), shape)
        }
    };
    let outcome = match map.get("outcome") {
        Some(Value::String(s)) => RefundOutcome::from_name(s).ok_or_else(|| {
            perr(&join(at, "outcome"), format!("unknown outcome {s:?}; known: {}", OUTCOMES.map(|(n, _)| n).join(", ")))
        })?,
        _ => return Err(perr(&join(at, "outcome"), "missing: an outcome name such as \"full_refund\"")),
    };
    let mut requires = Vec::new();
    match map.get("requires") {
        None => {}
        Some(Value::Array(items)) => {
            for (i, r) in items.iter().enumerate() {
                match r.as_str() {
                    Some(s) if crate::policy::is_snake_case(s) => requires.push(Arc::from(s)),
                    _ => {
                        return Err(perr(
                            &index(&join(at, "requires"), i),
                            "a snake_case requirement such as \"return_item\"",
                        ));
                    }
                }
            }
        }
        Some(_) => return Err(perr(&join(at, "requires"), "a list")),
    }
    let mut rule = Rule {
        id,
        cond,
        outcome,
        requires,
        restocking_fee_percent: None,
        deduct_return_shipping: false,
        refund_percent: 100,
        store_credit_bonus_percent: None,
    };
    if let Some(m) = map.get("modifiers") {
        let mat = join(at, "modifiers");
        let Value::Object(m) = m else { return Err(perr(&mat, "an object")) };
        const MODS: [&str; 4] =
            ["restocking_fee_percent", "deduct_return_shipping", "refund_percent", "store_credit_bonus_percent"];
        if let Some(k) = m.keys().find(|k| !MODS.contains(&k.as_str())) {
            return Err(perr(&join(&mat, k), format!("unknown modifier {k:?}; expected {}", MODS.join(", "))));
        }
        rule.restocking_fee_percent =
            percent(m.get("restocking_fee_percent"), &join(&mat, "restocking_fee_percent"), 100)?;
        rule.store_credit_bonus_percent =
            percent(m.get("store_credit_bonus_percent"), &join(&mat, "store_credit_bonus_percent"), 100)?;
        // A percentage above 100 would pay out more than the item: refused here, not capped later.
        if let Some(p) = percent(m.get("refund_percent"), &join(&mat, "refund_percent"), 100)? {
            if p == 0 {
                return Err(perr(&join(&mat, "refund_percent"), "from 1 to 100; use \"deny\" for nothing"));
            }
            rule.refund_percent = p;
        }
        rule.deduct_return_shipping = match m.get("deduct_return_shipping") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(perr(&join(&mat, "deduct_return_shipping"), "true or false")),
        };
    }
    if rule.outcome == RefundOutcome::PartialRefund && rule.refund_percent == 100 {
        return Err(perr(&join(at, "modifiers.refund_percent"), "a partial_refund needs its refund_percent (1 to 99)"));
    }
    Ok((rule, shape))
}

/// Complaints that are a change of mind rather than a fault: the ones statutory withdrawal
/// rights are about.
fn is_change_of_mind(c: &Category) -> bool {
    matches!(c, Category::ReturnRequest | Category::RefundRequest | Category::SizeFit | Category::Cancellation)
}

/// The facts of one case, computed once.
struct CaseFacts<'a> {
    case: &'a RefundCase,
    regions: Vec<Box<str>>,
    days_since_delivery: Option<i64>,
    days_since_order: i64,
    line_total: Money,
    within_merchant: bool,
    within_statutory: bool,
    statutory_exclusion: bool,
    returnless: bool,
    repeat_claimant: bool,
}

impl Facts for CaseFacts<'_> {
    fn get(&self, f: u8) -> FactValue<'_> {
        let c = self.case;
        fn opt_text(s: &Option<String>) -> FactValue<'_> {
            s.as_deref().map_or(FactValue::Null, FactValue::Text)
        }
        match f {
            fact::COMPLAINT => FactValue::Text(c.complaint.as_str()),
            fact::DESTINATION_COUNTRY => FactValue::Country(c.destination_country),
            fact::REGION => FactValue::Tags(&self.regions),
            fact::DAYS_SINCE_DELIVERY => self.days_since_delivery.map_or(FactValue::Null, FactValue::Int),
            fact::DAYS_SINCE_ORDER => FactValue::Int(self.days_since_order),
            fact::DELIVERED => FactValue::Bool(c.delivered_at.is_some()),
            fact::ITEM_TAGS => FactValue::Tags(&c.tags),
            fact::ITEM_PRICE => FactValue::Money(c.price),
            fact::ITEM_QUANTITY => FactValue::Int(c.quantity.into()),
            fact::ITEM_SKU => opt_text(&c.sku),
            fact::LINE_TOTAL => FactValue::Money(self.line_total),
            fact::ORDER_TOTAL => FactValue::Money(c.order_total),
            fact::MARKETPLACE => opt_text(&c.marketplace),
            fact::EVIDENCE_PHOTO => FactValue::Bool(c.photo),
            fact::EVIDENCE_VIDEO => FactValue::Bool(c.video),
            fact::REFUNDS_LAST_365D => FactValue::Int(c.refunds_last_365d.into()),
            fact::ORDERS_COUNT => c.orders_count.map_or(FactValue::Null, |n| FactValue::Int(n.into())),
            fact::ABUSE_FLAG => FactValue::Bool(c.abuse_flag),
            fact::TIER => opt_text(&c.tier),
            fact::SHIPMENT_STATUS => opt_text(&c.shipment_status),
            fact::WITHIN_RETURN_WINDOW => FactValue::Bool(self.within_merchant || self.within_statutory),
            fact::WITHIN_STATUTORY_WINDOW => FactValue::Bool(self.within_statutory),
            fact::WITHIN_MERCHANT_WINDOW => FactValue::Bool(self.within_merchant),
            fact::STATUTORY_EXCLUSION => FactValue::Bool(self.statutory_exclusion),
            fact::FAULT_CLAIM => FactValue::Bool(c.complaint.is_fault_or_non_delivery()),
            fact::RETURNLESS_ELIGIBLE => FactValue::Bool(self.returnless),
            fact::RETURN_SHIPPING_COST => c.return_shipping_cost.map_or(FactValue::Null, FactValue::Money),
            fact::REPEAT_CLAIMANT => FactValue::Bool(self.repeat_claimant),
            _ => FactValue::Null,
        }
    }
}

/// `value × numerator / denominator`, rounded half-up (amounts are not negative).
fn scale(value: i64, numerator: i64, denominator: i64) -> i64 {
    if denominator <= 0 {
        return 0;
    }
    let product = i128::from(value) * i128::from(numerator);
    let d = i128::from(denominator);
    ((product * 2 + d) / (2 * d)).clamp(0, i128::from(i64::MAX)) as i64
}

/// The statutory exclusion that removes the change-of-mind right, if a tag says so.
fn statutory_exclusion(tags: &[Box<str>]) -> Option<&'static str> {
    let has = |t: &str| tags.iter().any(|x| &**x == t);
    if has("hygiene") && (has("opened") || has("used")) {
        Some("hygiene goods unsealed")
    } else if has("personalized") {
        Some("personalised goods")
    } else if has("perishable") {
        Some("perishable goods")
    } else if has("digital") && has("opened") {
        Some("sealed media or software unsealed")
    } else {
        None
    }
}

struct Window {
    days: u32,
    basis: &'static str,
    source: &'static str,
    deadline: Option<Timestamp>,
    open: bool,
}

/// Reasons as they are found; their messages are rendered from code and params when read.
struct Explainer {
    explain: bool,
    reasons: Vec<RefundReason>,
}

impl Explainer {
    fn push(&mut self, code: &'static str, params: Vec<(&'static str, Param)>) {
        self.reasons.push(RefundReason { code, params: Params(params), explain: self.explain });
    }
}

impl RefundPolicy {
    fn merchant_days(&self, case: &RefundCase, regions: &[Box<str>]) -> u32 {
        self.windows
            .iter()
            .find(|w| {
                (w.countries.is_empty() || w.countries.contains(&case.destination_country))
                    && (w.regions.is_empty() || w.regions.iter().any(|r| regions.iter().any(|x| **x == **r)))
                    && (w.tags.is_empty() || w.tags.iter().any(|t| case.tags.contains(t)))
            })
            .map_or(self.default_days, |w| w.days)
    }

    pub(crate) fn evaluate(
        &self,
        case: &RefundCase,
        known: &[Category],
        explain: bool,
    ) -> Result<RefundDecision, Error> {
        if !known.contains(&case.complaint) {
            return Err(Error::invalid_input(
                "complaint",
                format!("unknown complaint category {:?}", case.complaint.as_str()),
            ));
        }
        case.check()?;
        let country = case.destination_country;
        let zone = country.zone().unwrap_or(chrono_tz::UTC);
        let out_of_range = || Error::limit_exceeded("now", "dates beyond the year 9999");
        let today = law::local_date(case.now, zone);
        let delivered = case.delivered_at.map(|d| law::local_date(d, zone));
        let ordered = law::local_date(case.placed_at, zone);

        let mut regions: Vec<Box<str>> = Vec::new();
        if country.is_eu() {
            regions.push("EU".into());
        }
        if country.is_eea() {
            regions.push("EEA".into());
        }
        for (name, members) in &self.regions {
            if members.contains(&country) {
                regions.push(name.as_ref().into());
            }
        }

        // The shop's window: from the local delivery date, or from the order date plus the
        // transit allowance while delivery is unknown.
        let days = self.merchant_days(case, &regions);
        let (from, basis) = match delivered {
            Some(d) => (d, "delivery"),
            None => (
                ordered.checked_add_days(Days::new(self.transit_allowance_days.into())).ok_or_else(out_of_range)?,
                "order_plus_transit",
            ),
        };
        let last = from.checked_add_days(Days::new(days.into())).ok_or_else(out_of_range)?;
        let deadline = law::end_of(last, zone).ok_or_else(out_of_range)?;
        let merchant =
            Window { days, basis, source: "merchant policy", deadline: Some(deadline), open: case.now < deadline };

        let mut ex = Explainer { explain, reasons: Vec::with_capacity(6) };
        let exclusion = statutory_exclusion(&case.tags);
        let statute: Option<Statute> = law::statute(country).filter(|s| {
            let japan_shop_terms = s.only_without_shop_terms && self.states_return_terms;
            let used = s.unused_only && case.tags.iter().any(|t| &**t == "used");
            !(japan_shop_terms || used)
        });
        let statutory = match (statute, exclusion) {
            (Some(s), None) => {
                let w = match delivered {
                    None => {
                        Window { days: s.days, basis: "not_delivered", source: s.source, deadline: None, open: true }
                    }
                    Some(d) => {
                        let last = law::last_day(d, s.days, s.counting, s.extends_to_working_day, &case.holidays)
                            .ok_or_else(out_of_range)?;
                        let deadline = law::end_of(last, zone).ok_or_else(out_of_range)?;
                        Window {
                            days: s.days,
                            basis: "delivery",
                            source: s.source,
                            deadline: Some(deadline),
                            open: case.now < deadline,
                        }
                    }
                };
                ex.push(
                    "statutory_window",
                    vec![
                        ("country", Param::Text(country.code().into())),
                        ("days", Param::Int(s.days.into())),
                        ("source", Param::Text(s.source.into())),
                        ("deadline", w.deadline.map_or(Param::Null, Param::Time)),
                        ("open", Param::Bool(w.open)),
                    ],
                );
                Some((s, w))
            }
            (Some(s), Some(why)) => {
                ex.push(
                    "statutory_exclusion",
                    vec![("exclusion", Param::Text(why.into())), ("source", Param::Text(s.source.into()))],
                );
                None
            }
            (None, _) => None,
        };
        let within_statutory = statutory.as_ref().is_some_and(|(_, w)| w.open);
        let effective = match &statutory {
            Some((_, w)) if w.deadline.is_none_or(|d| merchant.deadline.is_some_and(|m| d > m)) => w,
            _ => &merchant,
        };

        let line_total = case.line_total();
        let returnless = in_currency(&self.returnless_max, &line_total)
            .is_some_and(|max| line_total.minor_units() <= max.minor_units())
            || (self.returnless_when_return_costs_more
                && case.return_shipping_cost.is_some_and(|c| c.minor_units() >= line_total.minor_units()));
        let facts = CaseFacts {
            case,
            regions,
            days_since_delivery: delivered.map(|d| (today - d).num_days()),
            days_since_order: (today - ordered).num_days(),
            line_total,
            within_merchant: merchant.open,
            within_statutory,
            statutory_exclusion: exclusion.is_some(),
            returnless,
            repeat_claimant: case.refunds_last_365d >= self.repeat_claimant_refunds,
        };

        // The rules, in order; the first that matches decides.
        let book = &self.book;
        // Without explanations the trace is left out (SPEC §7 lets `explain=False` skip it):
        // `rule` and the reason codes still say what decided, and a 20-rule trace is most of
        // what a binding would otherwise build per decision.
        let mut entries = if explain { Vec::with_capacity(book.rules.len().min(256)) } else { Vec::new() };
        let mut decided: Option<&Rule> = None;
        for (i, rule) in book.rules.iter().enumerate() {
            let result = rule.cond.as_ref().map_or(Ok(()), |c| c.eval(&facts));
            if explain {
                entries.push(TraceEntry { rule: i as u32, failure: result.err() });
            }
            if result.is_ok() {
                decided = Some(rule);
                break;
            }
        }
        // Only the facts a failed condition names are kept (most are numbers and flags).
        let snapshot = explain.then(|| {
            let named: u32 = entries.iter().filter_map(|e| e.failure.and_then(|f| f.fact)).fold(0, |m, f| m | 1 << f);
            (0..rules::FACTS.len() as u8)
                .map(
                    |f| if named & (1 << f) != 0 { rules::OwnedFact::of(facts.get(f)) } else { rules::OwnedFact::Null },
                )
                .collect()
        });
        let trace = Trace { book: book.clone(), entries, facts: snapshot };
        let mut outcome = decided.map_or(self.default_outcome, |r| r.outcome);
        match decided {
            Some(r) => ex.push(
                "rule_matched",
                vec![
                    ("rule", Param::Text(r.id.to_string().into())),
                    ("outcome", Param::Text(r.outcome.as_str().into())),
                ],
            ),
            None => ex.push("no_rule_matched", vec![("outcome", Param::Text(outcome.as_str().into()))]),
        }

        // The law as the floor. Inside a statutory withdrawal window the buyer may return any
        // item for its money, whatever the reason given: a refusal (and, for a change of mind,
        // any answer that is not the money) becomes a return and refund, and whenever money is
        // paid for a change of mind the law's money rules hold.
        let mut law_grants: Option<Statute> = None;
        let change_of_mind = is_change_of_mind(&case.complaint);
        if within_statutory {
            let (s, w) = statutory.as_ref().expect("within_statutory implies a statute");
            let overridden = outcome == RefundOutcome::Deny
                || (change_of_mind
                    && matches!(
                        outcome,
                        RefundOutcome::StoreCredit
                            | RefundOutcome::Exchange
                            | RefundOutcome::PartialRefund
                            | RefundOutcome::Replacement
                    ));
            if overridden {
                let before = outcome;
                outcome = RefundOutcome::ReturnThenRefund;
                ex.push(
                    "statutory_right",
                    vec![
                        ("replaces", Param::Text(before.as_str().into())),
                        ("source", Param::Text(s.source.into())),
                        ("deadline", w.deadline.map_or(Param::Null, Param::Time)),
                    ],
                );
            }
            if (overridden || change_of_mind) && outcome.pays() {
                law_grants = Some(*s);
            }
        }
        // A fault or non-delivery claim is never refused because a change-of-mind window closed:
        // if the rules would not refuse it with every window open, a person decides.
        if case.complaint.is_fault_or_non_delivery()
            && outcome == RefundOutcome::Deny
            && !(facts.within_merchant && facts.within_statutory)
        {
            let open = CaseFacts {
                within_merchant: true,
                within_statutory: true,
                days_since_delivery: facts.days_since_delivery.map(|_| 0),
                days_since_order: 0,
                regions: facts.regions.clone(),
                ..facts
            };
            let counterfactual = book
                .rules
                .iter()
                .find(|r| r.cond.as_ref().is_none_or(|c| c.eval(&open).is_ok()))
                .map_or(self.default_outcome, |r| r.outcome);
            if counterfactual != RefundOutcome::Deny {
                outcome = RefundOutcome::ManualReview;
                ex.push(
                    "fault_claim_not_bound_by_window",
                    vec![("complaint", Param::Text(case.complaint.as_str().to_string().into()))],
                );
            }
        }

        // Money, in minor units of the case's currency.
        let cur = case.price.currency();
        let m = |minor: i64| Money::from_minor_units(minor, cur);
        let line = line_total.minor_units();
        let shipping = case.shipping_paid.map_or(0, |s| s.minor_units());
        let subtotal = case.order_total.minor_units() - shipping;
        let shipping_share = if subtotal > 0 { scale(shipping, line, subtotal).min(shipping) } else { shipping };
        let fee_percent = decided.and_then(|r| r.restocking_fee_percent).unwrap_or(self.restocking_fee_percent);
        // Who refunds the outbound shipping with the item, if anyone: the law's money rules, or
        // a fault claim (the buyer paid for the delivery of a conforming item).
        let outbound: Option<&'static str> = match (outcome, law_grants) {
            (RefundOutcome::ReturnlessRefund, Some(s)) => (s.money != LawMoney::ItemWithoutFee).then_some(s.source),
            (RefundOutcome::ReturnThenRefund, Some(s)) => {
                matches!(s.money, LawMoney::ItemAndOutboundShipping | LawMoney::AllPaid).then_some(s.source)
            }
            (RefundOutcome::ReturnThenRefund, None) => {
                case.complaint.is_fault_or_non_delivery().then_some("fault claim")
            }
            _ => None,
        };
        let mut bonus = None;
        let amount = if outcome.pays() {
            let mut amount = line;
            match outcome {
                RefundOutcome::FullRefund => amount += shipping_share,
                RefundOutcome::PartialRefund => {
                    let p = decided.map_or(100, |r| r.refund_percent);
                    amount = scale(line, p.into(), 100);
                    ex.push(
                        "partial_percent",
                        vec![
                            ("percent", Param::Int(p.into())),
                            ("amount", Param::Money(m(amount))),
                            ("of", Param::Money(m(line))),
                        ],
                    );
                }
                RefundOutcome::StoreCredit => {
                    let p =
                        decided.and_then(|r| r.store_credit_bonus_percent).unwrap_or(self.store_credit_bonus_percent);
                    if p > 0 {
                        let b = scale(line, p.into(), 100);
                        bonus = Some(m(b));
                        ex.push(
                            "store_credit_bonus",
                            vec![("percent", Param::Int(p.into())), ("amount", Param::Money(m(b)))],
                        );
                    }
                }
                RefundOutcome::ReturnThenRefund if law_grants.is_none() && outbound.is_none() => {
                    if fee_percent > 0 {
                        let fee = scale(line, fee_percent.into(), 100);
                        amount -= fee;
                        ex.push(
                            "restocking_fee",
                            vec![("percent", Param::Int(fee_percent.into())), ("amount", Param::Money(m(fee)))],
                        );
                    }
                    if decided.is_some_and(|r| r.deduct_return_shipping)
                        && let Some(cost) = case.return_shipping_cost
                        && cost.minor_units() > 0
                    {
                        amount -= cost.minor_units();
                        ex.push("return_shipping_deducted", vec![("amount", Param::Money(cost))]);
                    }
                }
                _ => {}
            }
            if let Some(source) = outbound
                && shipping_share > 0
            {
                amount += shipping_share;
                ex.push(
                    "outbound_shipping_refunded",
                    vec![("amount", Param::Money(m(shipping_share))), ("source", Param::Text(source.into()))],
                );
            }
            let paid = case.order_total.minor_units();
            if amount > paid {
                ex.push("capped_at_paid", vec![("amount", Param::Money(m(paid)))]);
                amount = paid;
            }
            Some(m(amount.max(0)))
        } else {
            None
        };

        let mut requires: Vec<Arc<str>> = decided.map_or_else(Vec::new, |r| r.requires.clone());
        if outcome == RefundOutcome::ReturnThenRefund && !requires.iter().any(|r| &**r == "return_item") {
            requires.insert(0, Arc::from("return_item"));
        }
        let evidence_missing = requires
            .iter()
            .any(|r| (&**r == "photo_evidence" && !case.photo) || (&**r == "video_evidence" && !case.video));
        if evidence_missing {
            ex.push("evidence_missing", vec![]);
        }

        // Auto-approval: a paying or replacing outcome within the limit in this currency.
        let value = amount.unwrap_or(line_total);
        let auto_approve = if matches!(outcome, RefundOutcome::Deny | RefundOutcome::ManualReview) || evidence_missing {
            false
        } else {
            match in_currency(&self.auto_approve, &value) {
                None => {
                    ex.push("auto_approve_no_limit", vec![("currency", Param::Text(cur.code().to_string().into()))]);
                    false
                }
                Some(limit) if value.minor_units() <= limit.minor_units() => {
                    ex.push(
                        "auto_approve_within_limit",
                        vec![("limit", Param::Money(limit)), ("amount", Param::Money(value))],
                    );
                    true
                }
                Some(limit) => {
                    ex.push(
                        "auto_approve_above_limit",
                        vec![("limit", Param::Money(limit)), ("amount", Param::Money(value))],
                    );
                    false
                }
            }
        };

        Ok(RefundDecision {
            outcome,
            refund_amount: amount,
            store_credit_bonus: bonus,
            requires,
            auto_approve,
            return_window: ReturnWindow {
                days: effective.days,
                basis: effective.basis,
                source: effective.source,
                deadline: effective.deadline,
                open: effective.open,
                statutory: !std::ptr::eq(effective, &merchant),
            },
            rule: decided.map(|r| r.id.clone()),
            trace,
            reasons: ex.reasons,
        })
    }
}

fn failure_message(nodes: &rules::Nodes, f: &rules::Failure, actual: Option<FactValue<'_>>) -> String {
    let leaf = nodes.leaves[f.node as usize].as_ref();
    match (leaf, f.kind) {
        (Some((fact, _, _)), "null") => format!("{} has no value", rules::FACTS[*fact as usize].0),
        (Some((fact, _, lit)), "no_amount_in_currency") => format!(
            "{} is {}, and the condition has no amount in its currency ({})",
            rules::FACTS[*fact as usize].0,
            actual.map(rules::value_text).unwrap_or_default(),
            rules::lit_text(lit)
        ),
        (Some((fact, op, lit)), _) => format!(
            "{} is {}, not {} {}",
            rules::FACTS[*fact as usize].0,
            actual.map(rules::value_text).unwrap_or_default(),
            op.as_str(),
            match lit {
                Lit::Bool(b) => b.to_string(),
                other => rules::lit_text(other),
            }
        ),
        (None, "no_alternative") => "none of the alternatives of any held".into(),
        (None, _) => "the negated condition held".into(),
    }
}

#[cfg(test)]
mod tests;
