use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::calendar::{self, BusinessCalendar};
use crate::classify::{Classification, Classifier, ClassifyRequest};
use crate::domain::{Category, Language};
use crate::error::Error;
use crate::policy::{self, LoadedPolicy};
use crate::priority::{Priority, PriorityPolicy, PriorityRequest};
use crate::refund::{RefundCase, RefundDecision, RefundPolicy};
use crate::schedule::{ReplyPlan, ReplyPolicy, ReplyRequest};
use crate::sla::{CalendarChoice, SlaPolicy, SlaReport, SlaRequest};
use crate::time::Timestamp;
use crate::triage::{self, Ticket, Triage};

/// The one entry point: built once from a policy, immutable, cheap to clone and share between
/// threads (`Send + Sync`; clones share the compiled state).
///
/// Building an engine merges the user's policy onto the embedded default (RFC 7386 JSON Merge
/// Patch), validates the result completely and compiles it: the lexicons of all seventeen
/// languages into one automaton, the language model, the patterns. Every question after that is
/// pure computation: no I/O, no clock, no randomness.
///
/// # Example
///
/// ```
/// use aftersales::Engine;
///
/// let engine = Engine::from_json(r#"{
///     "version": "shop-2026-11",
///     "classification": {"extra_phrases": {"damaged": {"en": ["smashed to bits"]}}}
/// }"#)?;
/// let c = engine.classify("My mug arrived smashed to bits")?;
/// assert_eq!(c.primary.as_str(), "damaged");
/// assert_eq!(engine.info().policy_version, "shop-2026-11");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    policy: LoadedPolicy,
    classifier: Classifier,
    calendars: BTreeMap<String, BusinessCalendar>,
    priority: PriorityPolicy,
    sla: SlaPolicy,
    refund: RefundPolicy,
    reply: ReplyPolicy,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("policy_version", &self.inner.policy.typed.version)
            .field("policy_hash", &self.inner.policy.hash)
            .finish_non_exhaustive()
    }
}

/// What produced a decision: library, policy and data versions, for storing beside decisions.
///
/// # Example
///
/// ```
/// let info = aftersales::Engine::new().info();
/// assert_eq!(info.library, "aftersales");
/// assert!(info.policy_hash.starts_with("sha256:"));
/// assert_eq!(info.languages.len(), 17);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EngineInfo {
    /// Always `"aftersales"`.
    pub library: &'static str,
    /// The crate version.
    pub library_version: &'static str,
    /// The policy's `version` string.
    pub policy_version: String,
    /// SHA-256 of the effective policy in canonical JSON (sorted keys, no spaces).
    pub policy_hash: String,
    /// The languages with built-in lexicons.
    pub languages: Vec<Language>,
    /// The categories the engine classifies into (base taxonomy, then the policy's own).
    pub categories: Vec<Category>,
    /// The IANA tz database release compiled in (`2025b`).
    pub tzdb_version: Option<&'static str>,
    /// The date the statutory tables of the refund engine are current as of.
    pub law_as_of: Option<&'static str>,
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new()
    }
}

impl Engine {
    /// An engine with the embedded default policy.
    ///
    /// # Example
    ///
    /// ```
    /// let engine = aftersales::Engine::new();
    /// assert_eq!(engine.classify("Where is my order?")?.primary.as_str(), "delivery_delay");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn new() -> Engine {
        // The embedded policy and lexicons are validated by the test suite; failing here would
        // mean a broken build, not bad input.
        Engine::build(None).expect("the embedded default policy compiles")
    }

    /// An engine from a policy in JSON, applied onto the default as a JSON Merge Patch.
    ///
    /// # Errors
    ///
    /// `invalid_policy` naming the JSON path of the first problem: malformed JSON, an unknown
    /// key, a value of the wrong type or range, an unknown category or language, a malformed
    /// phrase, a phrase to remove that the built-in lexicon does not have.
    ///
    /// # Example
    ///
    /// ```
    /// let err = aftersales::Engine::from_json(
    ///     r#"{"classification": {"extra_phrases": {"damaged": {"en": ["da*maged"]}}}}"#,
    /// ).unwrap_err();
    /// assert_eq!(err.field(), Some("classification.extra_phrases.damaged.en[0]"));
    /// ```
    pub fn from_json(policy: &str) -> Result<Engine, Error> {
        Engine::build(Some(policy::parse_json(policy)?))
    }

    /// An engine from a policy in TOML (same structure as JSON).
    ///
    /// # Errors
    ///
    /// As [`Engine::from_json`].
    ///
    /// # Example
    ///
    /// ```
    /// let engine = aftersales::Engine::from_toml(r#"
    /// version = "toml-policy"
    /// [classification]
    /// min_confidence = 0.6
    /// "#)?;
    /// assert_eq!(engine.policy()["classification"]["min_confidence"], 0.6);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn from_toml(policy: &str) -> Result<Engine, Error> {
        Engine::build(Some(policy::parse_toml(policy)?))
    }

    /// An engine from a policy given as a JSON value.
    ///
    /// # Errors
    ///
    /// As [`Engine::from_json`].
    ///
    /// # Example
    ///
    /// ```
    /// let engine = aftersales::Engine::from_value(serde_json::json!({"version": "v2"}))?;
    /// assert_eq!(engine.info().policy_version, "v2");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn from_value(policy: Value) -> Result<Engine, Error> {
        Engine::build(Some(policy))
    }

    fn build(user: Option<Value>) -> Result<Engine, Error> {
        let policy = policy::load(user)?;
        let classifier = Classifier::new(&policy.typed)?;
        let calendars: BTreeMap<String, BusinessCalendar> = calendar::compile_all(&policy.typed.calendars)?
            .into_iter()
            .map(|(name, c)| (name, BusinessCalendar::from_compiled(c)))
            .collect();
        let priority = PriorityPolicy::compile(&policy.typed.priority, classifier.categories())?;
        let levels: Vec<&str> = priority.level_names().collect();
        let sla = SlaPolicy::compile(&policy.typed.sla, &calendars, &levels)?;
        let refund = RefundPolicy::compile(&policy.typed.refund, classifier.categories())?;
        let reply = ReplyPolicy::compile(&policy.typed.reply, &levels)?;
        Ok(Engine { inner: Arc::new(Inner { policy, classifier, calendars, priority, sla, refund, reply }) })
    }

    /// The effective policy: the default merged with the user's policy.
    ///
    /// The dump is complete and says `"extends": "none"`, so loading it back (edited or not)
    /// reproduces this engine exactly, even where the user's policy deleted defaults.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::Engine;
    ///
    /// let engine = Engine::from_json(r#"{"version": "mine"}"#)?;
    /// let dumped = engine.policy();
    /// assert_eq!(dumped["extends"], "none");
    /// let again = Engine::from_value(dumped)?;
    /// assert_eq!(again.info().policy_hash, engine.info().policy_hash);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn policy(&self) -> Value {
        let mut doc = self.inner.policy.document.clone();
        if let Value::Object(map) = &mut doc {
            map.insert("extends".into(), Value::String("none".into()));
        }
        doc
    }

    /// The versions that produce this engine's decisions.
    ///
    /// # Example
    ///
    /// ```
    /// let info = aftersales::Engine::new().info();
    /// assert_eq!(info.library_version, env!("CARGO_PKG_VERSION"));
    /// ```
    pub fn info(&self) -> EngineInfo {
        EngineInfo {
            library: "aftersales",
            library_version: env!("CARGO_PKG_VERSION"),
            policy_version: self.inner.policy.typed.version.clone(),
            policy_hash: self.inner.policy.hash.clone(),
            languages: Language::SUPPORTED.to_vec(),
            categories: self.inner.classifier.categories().to_vec(),
            tzdb_version: Some(chrono_tz::IANA_TZDB_VERSION),
            law_as_of: Some(crate::refund::LAW_AS_OF),
        }
    }

    /// Classifies one message.
    ///
    /// Empty text is not an error: it is `other`, language `und`.
    ///
    /// # Errors
    ///
    /// `limit_exceeded` when the text is larger than the policy's `limits.max_text_bytes`
    /// (1 MiB by default).
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{Category, Engine, Language};
    ///
    /// let engine = Engine::new();
    /// let c = engine.classify("El paquete llegó a tiempo y no está roto, pero el color es incorrecto")?;
    /// assert_eq!(c.primary, Category::WrongItem);
    /// assert_eq!(c.language, Language::ES);
    /// assert!(c.negated.iter().any(|n| n.category == Some(Category::Damaged)));
    ///
    /// let empty = engine.classify("")?;
    /// assert_eq!((empty.primary, empty.language), (Category::Other, Language::UND));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn classify(&self, text: &str) -> Result<Classification, Error> {
        self.inner.classifier.classify(&ClassifyRequest::new(text))
    }

    /// Classifies a message with a subject, hints or a chosen offset unit.
    ///
    /// # Errors
    ///
    /// As [`Engine::classify`], plus `invalid_input` for a malformed `language` or `country`.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{ClassifyRequest, Engine};
    ///
    /// let engine = Engine::new();
    /// let c = engine.classify_request(&ClassifyRequest::new("¥3000 charged twice").language("ja"))?;
    /// assert_eq!(c.entities.amounts[0].currency.unwrap().code(), "JPY");
    /// let err = engine.classify_request(&ClassifyRequest::new("hi").language("english")).unwrap_err();
    /// assert_eq!(err.field(), Some("language"));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn classify_request(&self, request: &ClassifyRequest<'_>) -> Result<Classification, Error> {
        self.inner.classifier.classify(request)
    }

    /// Classifies many messages: one result per item, in order; a bad item fails only itself.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{ClassifyRequest, Engine};
    ///
    /// let engine = Engine::new();
    /// let items = [ClassifyRequest::new("Refund please"), ClassifyRequest::new("x").language("??")];
    /// let results = engine.classify_batch(&items);
    /// assert!(results[0].is_ok());
    /// assert_eq!(results[1].as_ref().unwrap_err().field(), Some("language"));
    /// ```
    pub fn classify_batch(&self, items: &[ClassifyRequest<'_>]) -> Vec<Result<Classification, Error>> {
        items.iter().map(|item| self.inner.classifier.classify(item)).collect()
    }

    /// Scores the priority of a ticket.
    ///
    /// # Errors
    ///
    /// `invalid_input` for a category the engine does not know (`categories[i]`) or a customer
    /// tier the policy has no points for (`customer.tier`).
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{Engine, PriorityRequest};
    /// use serde_json::json;
    ///
    /// let engine = Engine::new();
    /// let request = PriorityRequest::from_value(&json!({
    ///     "categories": ["not_received"], "escalation": ["chargeback_threat"], "sentiment": "very_negative",
    ///     "customer": {"tier": "vip"}, "contact_count": 3
    /// }))?;
    /// let p = engine.score_priority(&request)?;
    /// // 25 + 25 + 10 + 15 + 10 = 85
    /// assert_eq!((p.score, p.level.as_str()), (85, "urgent"));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn score_priority(&self, request: &PriorityRequest) -> Result<Priority, Error> {
        self.inner.priority.score(request, self.inner.classifier.categories())
    }

    /// Computes a ticket's SLA at `request.now` from its event log.
    ///
    /// # Errors
    ///
    /// `invalid_input` for an unknown `level` or `calendar`, `now` before `created_at`, or an
    /// event outside `created_at..=now` (naming `events[i].at`); `limit_exceeded` for more than
    /// 10,000 events.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{Engine, MetricStatus, SlaRequest};
    /// use serde_json::json;
    ///
    /// let engine = Engine::new();
    /// let request = SlaRequest::from_value(&json!({
    ///     "level": "high", "created_at": "2026-11-23T09:00:00+01:00", "now": "2026-11-23T15:00:00+01:00",
    ///     "events": [
    ///         {"at": "2026-11-23T10:00:00+01:00", "type": "agent_reply"},
    ///         {"at": "2026-11-23T10:00:00+01:00", "type": "status", "status": "pending"},
    ///         {"at": "2026-11-23T14:00:00+01:00", "type": "customer_reply"}
    ///     ]
    /// }))?;
    /// let sla = engine.sla(&request)?;
    /// let [first, next, resolution] = &sla.metrics[..] else { panic!() };
    /// assert_eq!((first.status, first.elapsed_seconds), (MetricStatus::Achieved, 3600));
    /// assert_eq!((next.status, next.remaining_seconds), (MetricStatus::Active, 3 * 3600));
    /// // Resolution ran 1 h, paused 4 h while pending, runs again since 14:00: 2 h counted.
    /// assert_eq!(resolution.elapsed_seconds, 2 * 3600);
    /// assert_eq!(sla.next_deadline.unwrap().to_string(), "2026-11-23T17:00:00Z");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn sla(&self, request: &SlaRequest) -> Result<SlaReport, Error> {
        self.inner.sla.compute(request, |name| self.inner.calendars.get(name).cloned())
    }

    /// Decides a refund request: the policy's rules in order (the first match decides), the
    /// destination's statutory rights as the floor, exact money, a trace and reasons.
    ///
    /// # Errors
    ///
    /// `invalid_input` for a complaint the engine does not know or inconsistent facts (see
    /// [`RefundCase::from_value`]); `currency_mismatch` for amounts in different currencies.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{Engine, RefundCase, RefundOutcome};
    /// use serde_json::json;
    ///
    /// let engine = Engine::new();
    /// // A broken €8 mug: cheaper to let the customer keep it than to pay the return postage.
    /// let case = RefundCase::from_value(&json!({
    ///     "now": "2026-11-20T10:00:00Z", "complaint": "defective", "destination_country": "FR",
    ///     "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-05T12:00:00Z",
    ///               "total": {"amount": "12.90", "currency": "EUR"}},
    ///     "item": {"price": {"amount": "8.00", "currency": "EUR"}},
    ///     "return_shipping_cost": {"amount": "9.50", "currency": "EUR"}
    /// }))?;
    /// let d = engine.evaluate_refund(&case)?;
    /// assert_eq!(d.outcome, RefundOutcome::ReturnlessRefund);
    /// assert_eq!(d.refund_amount.unwrap().to_string(), "8.00 EUR");
    /// assert!(d.auto_approve);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn evaluate_refund(&self, case: &RefundCase) -> Result<RefundDecision, Error> {
        self.evaluate_refund_with(case, true)
    }

    /// [`evaluate_refund`](Engine::evaluate_refund) with or without explanations: with
    /// `explain` false the decision leaves out the trace and its reasons render no messages
    /// when serialised, as in [`evaluate_refund_batch`](Engine::evaluate_refund_batch).
    ///
    /// # Errors
    ///
    /// As [`evaluate_refund`](Engine::evaluate_refund).
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{Engine, RefundCase};
    ///
    /// let case = RefundCase::from_value(&serde_json::json!({
    ///     "now": "2026-11-20T10:00:00Z", "complaint": "not_received", "destination_country": "US",
    ///     "order": {"placed_at": "2026-10-01T09:00:00Z", "total": {"amount": "35.00", "currency": "USD"}},
    ///     "item": {"price": {"amount": "35.00", "currency": "USD"}}, "shipment_status": "lost"
    /// }))?;
    /// let d = Engine::new().evaluate_refund_with(&case, false)?;
    /// assert!(d.trace.is_empty() && d.rule.as_deref() == Some("lost_parcel_replacement"));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn evaluate_refund_with(&self, case: &RefundCase, explain: bool) -> Result<RefundDecision, Error> {
        self.inner.refund.evaluate(case, self.inner.classifier.categories(), explain)
    }

    /// Decides many refund requests (any iterator of cases: a slice, a `Vec`, a filter): one
    /// result per case, in order; a bad case fails only itself. With `explain` false, for
    /// end-of-day runs, the decision leaves out the trace and the reasons carry no rendered
    /// messages; everything else (outcome, money, window, `rule`, reason codes and params) is
    /// the same.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{Engine, RefundCase};
    /// use serde_json::json;
    ///
    /// let engine = Engine::new();
    /// let case = RefundCase::from_value(&json!({
    ///     "now": "2026-11-20T10:00:00Z", "complaint": "not_received", "destination_country": "US",
    ///     "order": {"placed_at": "2026-10-01T09:00:00Z", "total": {"amount": "35.00", "currency": "USD"}},
    ///     "item": {"price": {"amount": "35.00", "currency": "USD"}}, "shipment_status": "lost"
    /// }))?;
    /// let out = engine.evaluate_refund_batch([&case], false);
    /// let d = out[0].as_ref().unwrap();
    /// assert_eq!(d.outcome.as_str(), "replacement");
    /// assert!(d.trace.is_empty());
    /// // Messages are left out when the decision is serialised (codes and params stay).
    /// assert_eq!(serde_json::to_value(d).unwrap()["reasons"][0]["message"], "");
    /// assert_eq!(d.reasons[0].message(), "rule lost_parcel_replacement decided: replacement");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn evaluate_refund_batch<'c>(
        &self,
        cases: impl IntoIterator<Item = &'c RefundCase>,
        explain: bool,
    ) -> Vec<Result<RefundDecision, Error>> {
        cases.into_iter().map(|c| self.evaluate_refund_with(c, explain)).collect()
    }

    /// When to send a reply so that it lands in the customer's daytime on one of their working
    /// days (SPEC §8): their zone from `time_zone`, `country`, `language` or the policy's
    /// fallback; their weekend from the country (given, or the zone name's); the reply window
    /// (the request's or the policy's `reply.window`, default 09:00–20:00) minus their
    /// holidays; and, with a `team_calendar`, only while the team is open too. Urgency levels
    /// of the policy's `reply.override_levels` (default `urgent`) and deadlines the window
    /// would miss win over the window and say so.
    ///
    /// # Errors
    ///
    /// `unknown_time_zone` naming `customer.time_zone`; `invalid_input` naming `window` (empty
    /// or malformed), `urgency` (not a priority level), `team_calendar` (unknown name, or no
    /// common open time within the policy's `reply.search_days`, default 366).
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{Engine, ReplyDecision, ReplyRequest};
    /// use serde_json::json;
    ///
    /// let engine = Engine::new();
    /// // 23:00 on a Thursday in Riyadh: not tonight, and Friday and Saturday are the weekend.
    /// let r = ReplyRequest::from_value(&json!({"now": "2026-11-19T20:00:00Z", "customer": {"time_zone": "Asia/Riyadh"}}))?;
    /// let plan = engine.schedule_reply(&r)?;
    /// assert_eq!((plan.decision, plan.local_send_at.as_str()), (ReplyDecision::Deferred, "2026-11-22T09:00:00+03:00"));
    /// assert_eq!(plan.weekend, ["fri", "sat"]);
    /// // Urgent: now.
    /// let r = ReplyRequest::from_value(&json!({"now": "2026-11-19T20:00:00Z", "customer": {"country": "SA"}, "urgency": "urgent"}))?;
    /// assert_eq!(engine.schedule_reply(&r)?.decision, ReplyDecision::UrgentOverride);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn schedule_reply(&self, request: &ReplyRequest) -> Result<ReplyPlan, Error> {
        let team = match &request.team_calendar {
            None => None,
            Some(CalendarChoice::Calendar(c)) => Some(c),
            Some(CalendarChoice::Named(name)) => Some(self.inner.calendars.get(name).ok_or_else(|| {
                let known: Vec<&str> = self.inner.calendars.keys().map(String::as_str).collect();
                Error::invalid_input(
                    "team_calendar",
                    format!("unknown calendar {name:?}; the policy has: {}", known.join(", ")),
                )
            })?),
        };
        self.inner.reply.schedule(request, team)
    }

    /// Triages a ticket in one call (SPEC §9): classifies the message; scores its priority from
    /// the classification and the ticket's facts, without the SLA factor (the level decides
    /// the SLA targets and is not re-levelled); computes the SLA for that level; plans the
    /// reply in the customer's daytime with the SLA's next deadline and the level as urgency
    /// (the customer's zone from their record, else the message's language); and, when the
    /// ticket carries the order facts (`item.price`, `order.placed_at`, `order.total`, a
    /// destination), decides the refund for the most severe fault or non-delivery
    /// category present (else the primary one).
    ///
    /// # Errors
    ///
    /// The first error of the engines, naming the ticket's field: `events[i].at` outside
    /// `created_at..=now`, `calendar` or `team_calendar` unknown, `customer.time_zone`
    /// unknown, a customer tier the policy has no points for (`customer.tier`).
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{Engine, Ticket};
    /// use serde_json::json;
    ///
    /// let engine = Engine::new();
    /// let ticket = Ticket::from_value(&json!({
    ///     "id": "T-1001", "text": "Mein Paket ist seit zwei Wochen nicht angekommen!",
    ///     "created_at": "2026-11-20T16:30:00Z", "now": "2026-11-20T17:00:00Z",
    ///     "customer": {"country": "DE", "tier": "vip"}
    /// }))?;
    /// let t = engine.triage(&ticket)?;
    /// assert_eq!((t.classification.language.as_str(), t.classification.primary.as_str()), ("de", "not_received"));
    /// assert_eq!(t.priority.level, "high");
    /// // High: first reply within 2 business hours of eu_support (Mon–Fri 09:00–18:00 Berlin):
    /// // 30 minutes on Friday, 90 on Monday.
    /// assert_eq!(t.sla.next_deadline.unwrap().to_string(), "2026-11-23T09:30:00Z");
    /// // Friday 18:00 in Berlin is inside the customer's window: the reply can go out now.
    /// assert_eq!(t.reply_plan.local_send_at, "2026-11-20T18:00:00+01:00");
    /// assert!(t.refund.is_none());
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn triage(&self, ticket: &Ticket) -> Result<Triage, Error> {
        let mut request = ClassifyRequest::new(ticket.text.as_str()).offsets(ticket.offsets);
        request.subject = ticket.subject.as_deref().map(Cow::Borrowed);
        request.language = ticket.language.as_deref().map(Cow::Borrowed);
        request.country = ticket.customer.country.map(|c| Cow::Borrowed(c.code()));
        let classification = self.inner.classifier.classify(&request)?;

        let from_text = PriorityRequest::from_classification(&classification);
        let facts = PriorityRequest {
            categories: from_text.categories,
            escalation: from_text.escalation,
            sentiment: from_text.sentiment,
            sla_remaining_seconds: None,
            ..ticket.priority_facts.clone()
        };
        let priority = self.score_priority(&facts)?;

        let mut sla = SlaRequest::new(priority.level.clone(), ticket.created_at, ticket.now);
        sla.calendar.clone_from(&ticket.calendar);
        sla.events.clone_from(&ticket.events);
        let sla = self.sla(&sla)?;

        let mut reply = ReplyRequest::new(ticket.now);
        reply.customer = triage::reply_customer(ticket, &classification);
        reply.deadline = sla.next_deadline;
        reply.urgency = Some(priority.level.clone());
        reply.team_calendar.clone_from(&ticket.team_calendar);
        reply.holidays = triage::holidays(ticket);
        let reply_plan = self.schedule_reply(&reply)?;

        let (refund_complaint, refund) = match &ticket.refund {
            None => (None, None),
            Some(case) => {
                let complaint = triage::refund_complaint(&classification, &self.inner.priority);
                let case = RefundCase { complaint: complaint.clone(), now: ticket.now, ..case.clone() };
                (Some(complaint), Some(self.evaluate_refund(&case)?))
            }
        };
        Ok(Triage { id: ticket.id.clone(), classification, priority, sla, reply_plan, refund_complaint, refund })
    }

    /// Triages many tickets (any iterator of them): one result per ticket, in order; a bad
    /// ticket fails only itself.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{Engine, Ticket};
    ///
    /// let at = |s: &str| s.parse::<aftersales::Timestamp>();
    /// let good = Ticket::new("Where is my order?", at("2026-11-20T09:00:00Z")?, at("2026-11-20T10:00:00Z")?);
    /// let mut bad = good.clone();
    /// bad.customer.time_zone = Some("Mars/Olympus_Mons".into());
    /// let out = Engine::new().triage_batch([&good, &bad]);
    /// assert!(out[0].is_ok());
    /// assert_eq!(out[1].as_ref().unwrap_err().field(), Some("customer.time_zone"));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn triage_batch<'t>(&self, tickets: impl IntoIterator<Item = &'t Ticket>) -> Vec<Result<Triage, Error>> {
        tickets.into_iter().map(|t| self.triage(t)).collect()
    }

    /// A compiled calendar of the policy, by name, to pass to the business-time functions.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming `calendar` when the policy has no calendar of that name.
    ///
    /// # Example
    ///
    /// ```
    /// let engine = aftersales::Engine::new();
    /// let cn = engine.calendar("cn_support")?;
    /// assert_eq!(cn.time_zone(), "Asia/Shanghai");
    /// assert_eq!(engine.calendar("mars").unwrap_err().field(), Some("calendar"));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn calendar(&self, name: &str) -> Result<BusinessCalendar, Error> {
        self.inner.calendars.get(name).cloned().ok_or_else(|| {
            let known: Vec<&str> = self.inner.calendars.keys().map(String::as_str).collect();
            Error::invalid_input("calendar", format!("unknown calendar {name:?}; the policy has: {}", known.join(", ")))
        })
    }

    /// A calendar given as a policy calendar's name (a JSON string) or an inline calendar
    /// document (an object), compiled; for callers that take either, as the bindings do.
    ///
    /// # Errors
    ///
    /// As [`Engine::calendar`] for a name; as [`BusinessCalendar::from_value`] for a document,
    /// with paths under `calendar`.
    ///
    /// # Example
    ///
    /// ```
    /// use serde_json::json;
    ///
    /// let engine = aftersales::Engine::new();
    /// assert_eq!(engine.calendar_value(&json!("us_support"))?.time_zone(), "America/New_York");
    /// let inline = engine.calendar_value(&json!({"time_zone": "Asia/Tokyo", "hours": {"mon": ["10:00-19:00"]}}))?;
    /// assert_eq!(inline.name(), None);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn calendar_value(&self, spec: &Value) -> Result<BusinessCalendar, Error> {
        match spec {
            Value::String(name) => self.calendar(name),
            Value::Object(_) => BusinessCalendar::from_request(spec, "calendar"),
            other => Err(Error::invalid_input(
                "calendar",
                format!(
                    "expected a calendar name or an inline calendar object, got {}",
                    crate::request::type_name(other)
                ),
            )),
        }
    }

    /// `seconds` of business time after `start` on a policy calendar; see
    /// [`BusinessCalendar::add_business_time`].
    ///
    /// # Errors
    ///
    /// As [`Engine::calendar`] and [`BusinessCalendar::add_business_time`].
    ///
    /// # Example
    ///
    /// ```
    /// let engine = aftersales::Engine::new();
    /// let due = engine.add_business_time("2026-11-27T15:00:00Z".parse()?, 4 * 3600, "eu_support")?;
    /// assert_eq!(due.to_string(), "2026-11-30T10:00:00Z");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn add_business_time(&self, start: Timestamp, seconds: i64, calendar: &str) -> Result<Timestamp, Error> {
        self.calendar(calendar)?.add_business_time(start, seconds)
    }

    /// Business seconds between two instants on a policy calendar; see
    /// [`BusinessCalendar::business_time_between`].
    ///
    /// # Errors
    ///
    /// As [`Engine::calendar`] and [`BusinessCalendar::business_time_between`].
    ///
    /// # Example
    ///
    /// ```
    /// let engine = aftersales::Engine::new();
    /// let s = engine.business_time_between("2026-11-27T15:00:00Z".parse()?, "2026-11-30T10:00:00Z".parse()?, "eu_support")?;
    /// assert_eq!(s, 4 * 3600);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn business_time_between(&self, start: Timestamp, end: Timestamp, calendar: &str) -> Result<i64, Error> {
        self.calendar(calendar)?.business_time_between(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
        let e = Engine::new();
        let f = e.clone();
        assert!(Arc::ptr_eq(&e.inner, &f.inner));
    }
}
