//! One-call triage (SPEC §9): classification, then priority, SLA, reply plan and, when the ticket
//! carries the order facts, the refund decision, each engine fed by the ones before it.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::calendar::Holiday;
use crate::classify::Classification;
use crate::domain::{Category, Language};
use crate::error::Error;
use crate::geo::Country;
use crate::priority::{Priority, PriorityPolicy, PriorityRequest};
use crate::refund::{RefundCase, RefundDecision, read_dates, read_shipment_status};
use crate::request::{CUSTOMER_FIELDS, Fields, type_name};
use crate::schedule::{ReplyCustomer, ReplyPlan, read_customer};
use crate::sla::{CalendarChoice, SlaEvent, SlaEventKind, SlaReport, read_calendar_choice, read_events};
use crate::text::OffsetUnit;
use crate::time::Timestamp;

#[cfg(test)]
mod tests;

/// The fields of a ticket document.
const TICKET_FIELDS: &[&str] = &[
    "id",
    "text",
    "subject",
    "language",
    "created_at",
    "now",
    "customer",
    "order",
    "item",
    "evidence",
    "return_shipping_cost",
    "destination_country",
    "shipment_status",
    "shipment_anomaly",
    "contact_count",
    "events",
    "calendar",
    "team_calendar",
    "holidays",
];

/// Shipment statuses that count as an anomaly for priority when the ticket names none.
const ANOMALY_STATUSES: &[&str] = &["attempt_fail", "exception", "expired", "lost", "returned_to_sender"];

/// A support ticket as one call takes it (SPEC §9): the message, when it came and what has
/// happened since, who wrote it, and optionally the order and item it is about.
///
/// Read one with [`Ticket::from_value`]; every field of the document feeds the engine that
/// needs it (see there).
///
/// # Example
///
/// ```
/// use aftersales::Ticket;
///
/// let t = Ticket::from_value(&serde_json::json!({
///     "id": "T-1", "text": "Where is my parcel?", "created_at": "2026-11-20T09:00:00Z", "now": "2026-11-20T10:00:00Z",
///     "customer": {"country": "DE", "tier": "vip"}
/// }))?;
/// assert_eq!(t.customer.country.unwrap().code(), "DE");
/// assert_eq!(t.priority_facts.customer_tier.as_deref(), Some("vip"));
/// assert!(t.refund.is_none()); // no order and item: no refund decision
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Ticket {
    /// The caller's id (a string or an integer), returned as given.
    pub id: Option<Value>,
    /// The message body.
    pub text: String,
    /// The subject line.
    pub subject: Option<String>,
    /// A language hint for the classifier (ISO 639-1).
    pub language: Option<String>,
    /// The unit of the classification's offsets (bytes unless a binding asks otherwise).
    pub offsets: OffsetUnit,
    /// When the ticket was created (the customer's first message).
    pub created_at: Timestamp,
    /// The instant to triage at.
    pub now: Timestamp,
    /// Where the customer is: their zone, country and language, for the reply plan.
    pub customer: ReplyCustomer,
    /// The facts priority scores besides the message: customer tier and history, order total,
    /// contact count, shipment anomaly. Triage fills in the classification's categories,
    /// signals and sentiment, and leaves the SLA factor out.
    pub priority_facts: PriorityRequest,
    /// The ticket's events, for the SLA.
    pub events: Vec<SlaEvent>,
    /// The SLA calendar, instead of the policy's.
    pub calendar: Option<CalendarChoice>,
    /// Reply only while this calendar (the team's hours) is open too.
    pub team_calendar: Option<CalendarChoice>,
    /// Public holidays of the customer's country (local dates): no reply is planned on them,
    /// and statutory return windows count them where the law does.
    pub holidays: Vec<NaiveDate>,
    /// The refund facts, when the ticket carries enough of them; triage sets the complaint
    /// from the classification.
    pub refund: Option<RefundCase>,
}

impl Ticket {
    /// A ticket with a message and nothing else known.
    ///
    /// # Example
    ///
    /// ```
    /// let t = aftersales::Ticket::new("Wo bleibt mein Paket?", "2026-11-20T09:00:00Z".parse()?, "2026-11-20T09:05:00Z".parse()?);
    /// let triage = aftersales::Engine::new().triage(&t)?;
    /// assert_eq!(triage.classification.primary.as_str(), "delivery_delay");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn new(text: impl Into<String>, created_at: Timestamp, now: Timestamp) -> Ticket {
        Ticket {
            id: None,
            text: text.into(),
            subject: None,
            language: None,
            offsets: OffsetUnit::Bytes,
            created_at,
            now,
            customer: ReplyCustomer::default(),
            priority_facts: PriorityRequest::default(),
            events: Vec::new(),
            calendar: None,
            team_calendar: None,
            holidays: Vec::new(),
            refund: None,
        }
    }

    /// Reads a ticket document (SPEC §9):
    ///
    /// - `id` (string or integer), `text`, `subject`, `language` (a hint): the message;
    /// - `created_at`, `now`, `events` (`{at, type, status}`), `calendar`: the SLA;
    /// - `customer`: `country`, `time_zone`, `language` (the reply plan; `language` is the
    ///   customer's own, else the message's is used), `tier`, `lifetime_value`,
    ///   `orders_count`, `abuse_flag` (priority), `refunds_last_365d` (refunds), `id`, `name`;
    /// - `contact_count` (default: 1 plus the customer replies among the events),
    ///   `shipment_anomaly` (default: the `shipment_status` when it is `attempt_fail`,
    ///   `exception`, `expired`, `lost` or `returned_to_sender`): priority;
    /// - `team_calendar`, `holidays` (`YYYY-MM-DD` local dates of the customer's country): the
    ///   reply plan (the holidays also count in statutory return windows);
    /// - `order` (`placed_at`, `delivered_at`, `total`, `shipping_paid`, `marketplace`), `item`,
    ///   `evidence`, `return_shipping_cost`, `destination_country` (default: the customer's
    ///   country), `shipment_status`: the refund decision, made when the ticket carries enough
    ///   of them (`item.price`, `order.placed_at`, `order.total` and a destination); else the
    ///   refund is null.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the field, as the engines' own requests do (`events[2].at`,
    /// `customer.time_zone`, `order.total.currency`).
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::Ticket;
    /// use serde_json::json;
    ///
    /// // An item without its order: not enough for a refund decision, which is then null.
    /// let t = Ticket::from_value(&json!({"text": "hi", "created_at": "2026-11-20T09:00:00Z", "now": "2026-11-20T10:00:00Z",
    ///     "customer": {"country": "FR"}, "item": {"price": {"amount": "10", "currency": "EUR"}}}))?;
    /// assert!(t.refund.is_none());
    /// let err = Ticket::from_value(&json!({"text": "hi", "created_at": "2026-11-20T09:00:00Z", "now": "2026-11-20T10:00:00Z",
    ///     "events": [{"at": "2026-11-20T09:30:00Z", "type": "reply"}]})).unwrap_err();
    /// assert_eq!(err.field(), Some("events[0].type"));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn from_value(value: &Value) -> Result<Ticket, Error> {
        let f = Fields::new(value, "", TICKET_FIELDS)?;
        let id = match f.get("id") {
            None => None,
            Some(v @ Value::String(_)) => Some(v.clone()),
            Some(v @ Value::Number(n)) if n.is_i64() || n.is_u64() => Some(v.clone()),
            Some(other) => {
                return Err(Error::invalid_input(
                    "id",
                    format!("expected a string or an integer, got {}", type_name(other)),
                ));
            }
        };
        let mut t =
            Ticket::new(f.required_str("text")?, f.required_timestamp("created_at")?, f.required_timestamp("now")?);
        t.id = id;
        t.subject = f.str("subject")?.map(str::to_string);
        t.language = f.str("language")?.map(str::to_string);

        if let Some(c) = f.get("customer") {
            t.customer = read_customer(c, "customer", CUSTOMER_FIELDS)?;
            t.priority_facts.read_customer(c, "customer")?;
        }
        if let Some(o) = f.get("order") {
            t.priority_facts.read_order(o, "order")?;
        }
        t.events = read_events(&f)?;
        t.calendar = read_calendar_choice(f.get("calendar"), "calendar")?;
        t.team_calendar = read_calendar_choice(f.get("team_calendar"), "team_calendar")?;
        t.holidays = read_dates(&f, "holidays")?;

        let customer_replies = t.events.iter().filter(|e| e.kind == SlaEventKind::CustomerReply).count();
        t.priority_facts.contact_count = match f.int("contact_count", 0, u32::MAX.into())? {
            Some(n) => Some(n as u32),
            None => Some(u32::try_from(customer_replies).unwrap_or(u32::MAX).saturating_add(1)),
        };
        let status = read_shipment_status(&f)?;
        t.priority_facts.shipment_anomaly = match f.get("shipment_anomaly") {
            None => status.filter(|s| ANOMALY_STATUSES.contains(&s.as_str())),
            Some(Value::Bool(false)) => None,
            Some(Value::Bool(true)) => Some(String::new()),
            Some(Value::String(s)) => (!s.is_empty()).then(|| s.clone()),
            Some(other) => {
                return Err(Error::invalid_input(
                    "shipment_anomaly",
                    format!("expected true, false or the anomaly's name, got {}", type_name(other)),
                ));
            }
        };

        // The refund is decided when the ticket carries the facts it needs: the item's price, the
        // order's time and total, and where it went. Without them the refund is null; given
        // but malformed, they are the error they would be in a refund case.
        let destination = match f.str("destination_country")? {
            Some(code) => Some(Country::parse_field(code, "destination_country")?),
            None => t.customer.country,
        };
        let has = |parent: &str, key: &str| f.get(parent).and_then(|v| v.get(key)).is_some_and(|v| !v.is_null());
        if let Some(destination) = destination
            && has("item", "price")
            && has("order", "placed_at")
            && has("order", "total")
        {
            // The complaint is the classification's, set when the ticket is triaged.
            t.refund = Some(RefundCase::read(&f, Category::Other, destination)?);
        }
        Ok(t)
    }
}

/// Everything one call says about a ticket (SPEC §9).
///
/// # Example
///
/// ```
/// use aftersales::{Engine, RefundOutcome, ReplyDecision, Ticket};
/// use serde_json::json;
///
/// let ticket = Ticket::from_value(&json!({
///     "id": 4711, "text": "وصلني الطرد والكرتونة مفعوصة والجهاز مكسور. أريد استرداد المبلغ",
///     "created_at": "2026-11-19T20:00:00Z", "now": "2026-11-19T20:05:00Z",
///     "customer": {"country": "SA"},
///     "order": {"placed_at": "2026-11-10T08:00:00Z", "delivered_at": "2026-11-19T12:00:00Z",
///               "total": {"amount": "349.00", "currency": "SAR"}},
///     "item": {"price": {"amount": "349.00", "currency": "SAR"}}, "evidence": {"photo": true}
/// }))?;
/// let t = Engine::new().triage(&ticket)?;
/// assert_eq!(t.classification.primary.as_str(), "damaged");
/// assert_eq!((t.priority.score, t.priority.level.as_str()), (30, "normal"));
/// // Normal: first reply within 8 business hours of eu_support, by Friday 16:00 UTC.
/// assert_eq!(t.sla.next_deadline.unwrap().to_string(), "2026-11-20T16:00:00Z");
/// // It is Thursday 23:05 in Riyadh and the window reopens only on Sunday (the weekend is
/// // Fri–Sat): waiting would miss the deadline, so the reply goes out now and says why.
/// assert_eq!(t.reply_plan.decision, ReplyDecision::DeadlineOverride);
/// assert_eq!(t.reply_plan.reason.code, "deadline_before_window");
/// // The crushed parcel is decided as "damaged": a replacement first.
/// assert_eq!(t.refund_complaint.unwrap().as_str(), "damaged");
/// assert_eq!(t.refund.unwrap().outcome, RefundOutcome::Replacement);
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Triage {
    /// The ticket's id, as given.
    pub id: Option<Value>,
    /// What the message is about.
    pub classification: Classification,
    /// How urgent it is (without the SLA factor: the level decides the SLA targets).
    pub priority: Priority,
    /// The SLA at `now` for the priority's level.
    pub sla: SlaReport,
    /// When to send the reply: the customer's daytime, the SLA's next deadline, the urgency.
    pub reply_plan: ReplyPlan,
    /// The category the refund was decided for: the most severe fault or non-delivery
    /// category present (by the policy's priority points), else the primary one; null when
    /// there is no refund decision.
    pub refund_complaint: Option<Category>,
    /// The refund decision, when the ticket carries enough order facts (`item.price`,
    /// `order.placed_at`, `order.total`, a destination); null otherwise.
    pub refund: Option<RefundDecision>,
}

/// The complaint a refund is decided for: the most severe fault or non-delivery category of the
/// classification (ties: the more confident), else the primary one.
pub(crate) fn refund_complaint(c: &Classification, priority: &PriorityPolicy) -> Category {
    let faults = c.categories.iter().map(|s| &s.category).filter(|c| c.is_fault_or_non_delivery());
    priority.most_severe(faults).map_or_else(|| c.primary.clone(), |(c, _)| c.clone())
}

/// The customer as the reply plan sees them: their own language, else the message's.
pub(crate) fn reply_customer(ticket: &Ticket, c: &Classification) -> ReplyCustomer {
    let mut customer = ticket.customer.clone();
    if customer.language.is_none() && c.language != Language::UND {
        customer.language = Some(c.language);
    }
    customer
}

/// The ticket's holidays in the calendars' form.
pub(crate) fn holidays(ticket: &Ticket) -> Vec<Holiday> {
    ticket.holidays.iter().map(|d| Holiday::Date(*d)).collect()
}
