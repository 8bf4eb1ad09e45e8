/* Types of the values that cross the aftersales API (prepended to the generated index.d.ts).
 * Field names of requests and results are camelCase; policy documents, map keys chosen by users
 * and enum values are written exactly as in SPEC.md (snake_case). Enums are open: a policy may
 * add categories, so the unions include `string`. tests/node/types.test.js checks that these
 * interfaces list exactly the fields the engine returns. */

/** A complaint category: the base taxonomy, or one added by the policy. */
export type Category =
  | 'not_received'
  | 'delivery_delay'
  | 'damaged'
  | 'defective'
  | 'wrong_item'
  | 'missing_item'
  | 'not_as_described'
  | 'size_fit'
  | 'return_request'
  | 'refund_request'
  | 'cancellation'
  | 'payment_billing'
  | 'customs_duties'
  | 'order_change'
  | 'other'
  | (string & {})

export type Sentiment = 'very_negative' | 'negative' | 'neutral' | 'positive' | 'very_positive'

export type EscalationSignal =
  | 'legal_threat'
  | 'chargeback_threat'
  | 'review_threat'
  | 'repeat_contact'
  | 'abusive_language'
  | 'urgent'
  | (string & {})

/** ISO 15924 code of the text's writing system. */
export type Script = 'Latn' | 'Cyrl' | 'Arab' | 'Thai' | 'Kore' | 'Jpan' | 'Hans' | 'Hant' | 'Zzzz' | 'Zyyy'

/** Which input string a span's offsets point into. */
export type TextField = 'text' | 'subject'

/** Hints for `classify`. */
export interface ClassifyOptions {
  /** A subject line, classified with the text. */
  subject?: string | null
  /** ISO 639-1 language hint; reported as the language with confidence 1. */
  language?: string | null
  /** ISO 3166-1 alpha-2 country hint, used to resolve ambiguous currency symbols. */
  country?: string | null
}

/** A batch item given as an object. */
export interface ClassifyItem extends ClassifyOptions {
  text: string
}

/** A span of the input that supports a decision. Offsets are UTF-16 indices into `field`. */
export interface Evidence {
  text: string
  start: number
  end: number
  field: TextField
  /** ISO 639-1 code of the lexicon the phrase comes from; null for language-neutral phrases. */
  lexicon: string | null
  weight: number
}

export interface CategoryScore {
  category: Category
  /** 0..1 */
  confidence: number
  evidence: Array<Evidence>
}

export interface Escalation {
  signal: EscalationSignal
  evidence: Array<Evidence>
}

/** A problem or sentiment term that was found but negated ("not damaged"). */
export interface NegatedTerm {
  category: Category | null
  text: string
  start: number
  end: number
  field: TextField
  negator: string
}

export interface OrderId {
  text: string
  start: number
  end: number
  field: TextField
  value: string
  /** 'amazon', 'ebay' or 'generic' */
  format: string
}

export interface TrackingNumber {
  text: string
  start: number
  end: number
  field: TextField
  value: string
  /** 'upu_s10', 'ups', 'usps', 'sf_express', 'yunexpress', 'cainiao', 'jt_express', 'jd' or 'unknown' */
  carrier: string
  checkDigitValid: boolean | null
}

export interface EmailAddress {
  text: string
  start: number
  end: number
  field: TextField
  value: string
}

export interface MoneyAmount {
  text: string
  start: number
  end: number
  field: TextField
  /** Decimal string with '.' as separator, padded to the currency's exponent when known. */
  amount: string
  /** ISO 4217 code, or null when the symbol is ambiguous ('$', '¥') and nothing decides it. */
  currency: string | null
}

export interface Entities {
  orderIds: Array<OrderId>
  trackingNumbers: Array<TrackingNumber>
  emails: Array<EmailAddress>
  amounts: Array<MoneyAmount>
}

export interface Classification {
  /** ISO 639-1 code, or 'und'. */
  language: string
  languageConfidence: number
  script: Script
  /** Every category that applies, most confident first; empty when none does. */
  categories: Array<CategoryScore>
  primary: Category
  sentiment: Sentiment
  /** -1..1 */
  sentimentScore: number
  escalation: Array<Escalation>
  entities: Entities
  negated: Array<NegatedTerm>
}

export interface EngineInfo {
  library: string
  libraryVersion: string
  policyVersion: string
  policyHash: string
  languages: Array<string>
  categories: Array<Category>
  tzdbVersion: string | null
  lawAsOf: string | null
}

/** An instant: a `Date`, or an RFC 3339 string with an offset (`'2026-03-29T01:30:00+01:00'`).
 * Results give instants as RFC 3339 strings in UTC (`'2026-03-29T00:30:00Z'`). */
export type Instant = Date | string

/** An exact amount of money, as results give it: `amount` a decimal string with the currency's
 * digits (`'129.99'`), `currency` an ISO 4217 code. */
export interface Money {
  amount: string
  currency: string
}

/** Money on input: the amount a decimal string, or an integer number (a fractional JS number is
 * refused: binary floating point cannot hold most cents exactly). */
export interface MoneyInput {
  amount: string | number
  currency: string
}

/** A priority level of the policy. */
export type PriorityLevel = 'urgent' | 'high' | 'normal' | 'low' | (string & {})

/** Facts about the customer. Fields other than `tier`, `lifetimeValue`, `ordersCount` and
 * `abuseFlag` are accepted (a customer record may be passed as it is) but do not score. */
export interface CustomerFacts {
  tier?: 'vip' | 'regular' | 'new' | (string & {}) | null
  /** What the customer has spent in total. */
  lifetimeValue?: MoneyInput | null
  ordersCount?: number | null
  /** Flagged for abuse: lowers the score. */
  abuseFlag?: boolean | null
  refundsLast365d?: number | null
  country?: string | null
  timeZone?: string | null
  language?: string | null
  id?: string | null
  name?: string | null
}

/** Facts about the order. Only `total` scores; `marketplace` is kept for explanation. */
export interface OrderFacts {
  total?: MoneyInput | null
  marketplace?: string | null
  id?: string | null
  placedAt?: Instant | null
  deliveredAt?: Instant | null
  shippingPaid?: MoneyInput | null
  currency?: string | null
}

/** The request of `scorePriority`: what the message is about (`categories`, `escalation`,
 * `sentiment`, or a whole `classification`), and optional facts. Field names may also be given
 * in snake_case. */
export interface PriorityRequest {
  /** A classification result, passed whole; explicit fields beside it win. */
  classification?: Classification | null
  /** The most severe one scores. Names, or objects with a `category` field. */
  categories?: Array<Category | { category: Category }> | null
  /** Each distinct signal scores. Names, or objects with a `signal` field. */
  escalation?: Array<EscalationSignal | { signal: EscalationSignal }> | null
  sentiment?: Sentiment | null
  customer?: CustomerFacts | null
  order?: OrderFacts | null
  /** How many times the customer has written about this (1: the first message). */
  contactCount?: number | null
  /** `true`, or the anomaly's name (`'stalled'`); `false` or `''` for none. */
  shipmentAnomaly?: boolean | string | null
  /** Seconds left on the ticket's most urgent SLA target (negative: breached). */
  slaRemainingSeconds?: number | null
}

export type PriorityFactor =
  | 'category'
  | 'escalation'
  | 'sentiment'
  | 'customer_tier'
  | 'lifetime_value'
  | 'orders_count'
  | 'abuse_flag'
  | 'order_value'
  | 'repeat_contact'
  | 'shipment_anomaly'
  | 'sla_time_left'
  | 'clamp'
  | (string & {})

/** Points given for one factor. */
export interface PriorityReason {
  factor: PriorityFactor
  /** Whole points, possibly negative; the reasons' points add up to the score. */
  points: number
  /** Stable code for translation: `category_severity`, `escalation_signal`, `sentiment`,
   * `customer_tier`, `lifetime_value`, `lifetime_value_unrated`, `orders_count`, `abuse_flag`,
   * `order_value`, `order_value_unrated`, `repeat_contact`, `shipment_anomaly`, `sla_time_left`,
   * `clamp`. */
  code: string
  /** The values the message was made from. Keys stay snake_case in every language, so one
   * translation catalogue serves them all. */
  params: Record<string, unknown>
  /** English explanation. */
  message: string
}

/** A scored priority. */
export interface Priority {
  /** 0..100 */
  score: number
  level: PriorityLevel
  reasons: Array<PriorityReason>
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'

/** A holiday: `'YYYY-MM-DD'` once, `'MM-DD'` every year, `{easter: n}` n days after Western
 * Easter Sunday, or the nth (negative: from the end) weekday of a month. */
export type Holiday = string | { easter: number } | { month: number; weekday: Weekday; nth: number }

/** A business calendar written out (SPEC §6). A policy-shaped document: its keys stay
 * snake_case. Intervals are `'HH:MM-HH:MM'`; `'24:00'` may end one; an end before the start runs
 * past midnight. */
export interface InlineCalendar {
  /** IANA time zone the hours are written in. */
  time_zone: string
  /** Opening intervals per weekday; a missing day is closed. */
  hours: Partial<Record<Weekday, Array<string>>>
  holidays?: Array<Holiday>
  /** Hours that replace a date's (`{'2026-12-24': ['09:00-13:00'], '2026-12-31': []}`). */
  overrides?: Record<string, Array<string>>
}

export type TicketStatus = 'open' | 'pending' | 'on_hold' | 'solved' | 'closed'

/** One event of a ticket's log. */
export interface SlaEvent {
  at: Instant
  type: 'agent_reply' | 'customer_reply' | 'status'
  /** For `type: 'status'`. */
  status?: TicketStatus | null
  /** Accepted and ignored, so that a help desk's log can be passed as it is. */
  id?: string | number | null
  author?: string | null
  note?: string | null
}

/** The request of `sla`. Field names may also be given in snake_case. */
export interface SlaRequest {
  /** The priority level whose targets apply. */
  level: PriorityLevel
  createdAt: Instant
  /** The instant to evaluate at. */
  now: Instant
  /** Overrides the policy's calendar for every business-time target. */
  calendar?: string | InlineCalendar | Calendar | null
  /** In any order; each between `createdAt` and `now`. At most 10,000. */
  events?: Array<SlaEvent> | null
}

export type SlaMetricName = 'first_reply' | 'next_reply' | 'resolution'

export type SlaMetricStatus = 'active' | 'paused' | 'achieved' | 'breached'

/** One metric of an SLA. Seconds are on the metric's own clock (business seconds for a
 * business-time target). */
export interface SlaMetric {
  metric: SlaMetricName
  targetSeconds: number
  businessHours: boolean
  /** The calendar's name for business time; null for calendar time or an inline calendar. */
  calendar: string | null
  status: SlaMetricStatus
  /** When the target runs (or ran) out; null while paused. */
  dueAt: string | null
  /** When the metric was met (also when late). */
  achievedAt: string | null
  elapsedSeconds: number
  /** Never negative. */
  remainingSeconds: number
  /** Never negative. */
  breachedBySeconds: number
  /** For `next_reply`: how many reply cycles breached their target; null for other metrics. */
  breachCount: number | null
}

/** The SLA of a ticket at `now`. */
export interface SlaReport {
  metrics: Array<SlaMetric>
  /** The earliest `dueAt` among active metrics. */
  nextDeadline: string | null
  /** Whether any metric is breached. */
  breached: boolean
}

/** A reply to schedule (SPEC §8). */
export interface ReplyRequest {
  now: Instant
  /** Any part may be missing; the zone comes from `timeZone`, else `country`, else `language`. */
  customer?: { timeZone?: string | null; country?: string | null; language?: string | null } | null
  /** Local `"HH:MM"`; `start` after `end` runs past midnight. Default: the policy's `reply.window`. */
  window?: { start: string; end: string } | null
  /** When the reply is due; a window that opens later is overridden. */
  deadline?: Instant | null
  /** A priority level; the policy's `reply.override_levels` (default `urgent`) send at once. */
  urgency?: string | null
  /** Reply only while this calendar (the team's hours) is open too. */
  teamCalendar?: string | InlineCalendar | Calendar | null
  /** The customer's holidays, in the calendars' forms. */
  holidays?: Array<Holiday> | null
}

/** When to send a reply, and why. */
export interface ReplyPlan {
  /** UTC, RFC 3339. */
  sendAt: string
  /** The same instant with the customer's offset. */
  localSendAt: string
  timeZone: string
  timeZoneSource: 'given' | 'country' | 'language' | 'fallback'
  /** The country whose weekend applies, if known. */
  country: string | null
  /** Weekend days, `'mon'` … `'sun'`. */
  weekend: Array<string>
  window: { start: string; end: string }
  decision: 'send_now' | 'deferred' | 'deadline_override' | 'urgent_override'
  delaySeconds: number
  reason: { code: string; message: string }
}

/** What a refund decision says to do. Open: a policy may name its own outcomes. */
export type RefundOutcome =
  | 'full_refund'
  | 'partial_refund'
  | 'returnless_refund'
  | 'replacement'
  | 'exchange'
  | 'store_credit'
  | 'return_then_refund'
  | 'deny'
  | 'manual_review'
  | (string & {})

/** Tags of an item that the rules and the statutory exclusions know; a shop may add its own. */
export type ItemTag =
  | 'hygiene'
  | 'personalized'
  | 'perishable'
  | 'final_sale'
  | 'digital'
  | 'battery'
  | 'sealed'
  | 'opened'
  | 'used'
  | (string & {})

/** A shipment's status (AfterShip's, snake_case, plus the outcomes of a carrier's investigation). */
export type ShipmentStatus =
  | 'pending'
  | 'info_received'
  | 'in_transit'
  | 'out_for_delivery'
  | 'attempt_fail'
  | 'available_for_pickup'
  | 'delivered'
  | 'exception'
  | 'expired'
  | 'lost'
  | 'returned_to_sender'

/** The order of a refund case. Every amount is in the item's currency. */
export interface RefundOrder {
  placedAt: Instant
  /** Null while it is not delivered (or not known to be). */
  deliveredAt?: Instant | null
  /** What the customer paid for the whole order, shipping included. */
  total: MoneyInput
  /** The outbound shipping part of `total`. */
  shippingPaid?: MoneyInput | null
  marketplace?: string | null
  id?: string | null
}

/** The item a refund case is about. */
export interface RefundItem {
  /** The unit price paid. */
  price: MoneyInput
  /** How many units the claim is about (default 1). */
  quantity?: number | null
  tags?: Array<ItemTag> | null
  sku?: string | null
  name?: string | null
}

/** Facts about the customer of a refund case. `id`, `lifetimeValue`, `country`, `timeZone` and
 * `language` are accepted (a customer record may be passed as it is) but do not decide. */
export interface RefundCustomer {
  refundsLast365d?: number | null
  ordersCount?: number | null
  abuseFlag?: boolean | null
  tier?: 'vip' | 'regular' | 'new' | (string & {}) | null
  id?: string | null
  lifetimeValue?: MoneyInput | null
  country?: string | null
  timeZone?: string | null
  language?: string | null
}

/** The request of `evaluateRefund` (SPEC §7). Field names may also be given in snake_case. */
export interface RefundCase {
  /** When the decision is made. */
  now: Instant
  /** What the customer claims. */
  complaint: Category
  /** ISO 3166-1 alpha-2: its law and local dates apply. */
  destinationCountry: string
  order: RefundOrder
  item: RefundItem
  evidence?: { photo?: boolean | null; video?: boolean | null } | null
  /** What sending the item back would cost. */
  returnShippingCost?: MoneyInput | null
  customer?: RefundCustomer | null
  shipmentStatus?: ShipmentStatus | null
  /** Public holidays of the destination (`'YYYY-MM-DD'`, local dates), for counting windows. */
  holidays?: Array<string> | null
  id?: string | null
}

/** Options of `evaluateRefundBatch`. */
export interface RefundBatchOptions {
  /** Explain each decision (default true). With false, for end-of-day runs, the trace is left
   * out (`[]`) and the reasons' messages are empty; outcome, money, `rule`, reason codes and
   * params are the same, and a batch is faster. */
  explain?: boolean | null
}

/** The return window that applies: the longer of the shop's and the law's. */
export interface ReturnWindow {
  /** Its length in days (business days for Mexico's statutory window). */
  days: number
  /** What it is counted from: the local delivery date, the order date plus the policy's transit
   * allowance (delivery unknown), or nothing yet (a statutory window before delivery). */
  basis: 'delivery' | 'order_plus_transit' | 'not_delivered' | (string & {})
  /** `'merchant policy'`, or the legal source of the statutory window. */
  source: string
  /** The end of its last local day (exclusive), RFC 3339 UTC; null while it has not started. */
  deadline: string | null
  /** Whether `now` is inside it. */
  open: boolean
  /** Whether it is the law's window. */
  statutory: boolean
}

/** A condition of a rule that did not hold. */
export interface FailedCondition {
  /** Its JSON path in the policy (`'refund.rules[3].conditions.all[1]'`). */
  path: string
  /** The fact it compares; null for an `any` or a `not`. */
  fact: string | null
  /** The operator (`'eq'`, `'in'`, `'lte'`, `'contains'`…); null for an `any` or a `not`. */
  op: string | null
  /** `'false'` (the comparison is false), `'null'` (the fact has no value),
   * `'no_amount_in_currency'`, `'no_alternative'` (no branch of an `any` held), `'negated'`. */
  code: 'false' | 'null' | 'no_amount_in_currency' | 'no_alternative' | 'negated' | (string & {})
  /** The fact's value in this case; null when the fact has none. */
  actual: string | null
  /** English explanation. */
  message: string
}

/** A rule considered, in order, up to the one that matched. */
export interface RuleTrace {
  rule: string
  matched: boolean
  /** The first of its conditions that did not hold; null when it matched. */
  failed: FailedCondition | null
}

export type RefundReasonCode =
  | 'rule_matched'
  | 'no_rule_matched'
  | 'statutory_window'
  | 'statutory_exclusion'
  | 'statutory_right'
  | 'fault_claim_not_bound_by_window'
  | 'restocking_fee'
  | 'return_shipping_deducted'
  | 'outbound_shipping_refunded'
  | 'partial_percent'
  | 'store_credit_bonus'
  | 'capped_at_paid'
  | 'auto_approve_within_limit'
  | 'auto_approve_above_limit'
  | 'auto_approve_no_limit'
  | 'evidence_missing'
  | (string & {})

/** One step of the explanation of a refund decision. */
export interface RefundReason {
  code: RefundReasonCode
  /** The values of the message (amounts as decimal strings, instants as RFC 3339 strings, null
   * for an instant not yet known). Keys stay snake_case in every language, so one translation
   * catalogue serves them all. */
  params: Record<string, string | number | boolean | null>
  /** English explanation; empty without explanations. */
  message: string
}

/** A refund decision. */
export interface RefundDecision {
  outcome: RefundOutcome
  /** What to pay back, never above what was paid; null when the outcome pays nothing. */
  refundAmount: Money | null
  /** Store credit on top of `refundAmount` for a `store_credit` outcome. */
  storeCreditBonus: Money | null
  /** What must happen first: `'return_item'`, `'photo_evidence'`, `'video_evidence'`, or the
   * policy's own. */
  requires: Array<string>
  /** Whether it may go out without a person. */
  autoApprove: boolean
  returnWindow: ReturnWindow
  /** The id of the rule that decided; null when none matched (the policy's default outcome). */
  rule: string | null
  /** Every rule considered, in order, up to the one that matched; `[]` with `explain: false`. */
  trace: Array<RuleTrace>
  reasons: Array<RefundReason>
}

/** A ticket's customer: where they are (the reply plan), how priority rates them, their claims
 * (refunds). */
export interface TicketCustomer {
  country?: string | null
  timeZone?: string | null
  /** Their own language; the message's is used when missing. */
  language?: string | null
  tier?: 'vip' | 'regular' | 'new' | (string & {}) | null
  lifetimeValue?: MoneyInput | null
  ordersCount?: number | null
  abuseFlag?: boolean | null
  refundsLast365d?: number | null
  id?: string | number | null
  name?: string | null
}

/** The input of `triage` (SPEC §9). Field names may also be given in snake_case. */
export interface Ticket {
  /** Returned as given. */
  id?: string | number | null
  text: string
  subject?: string | null
  /** A language hint for the classifier (ISO 639-1). */
  language?: string | null
  createdAt: Instant
  now: Instant
  customer?: TicketCustomer | null
  /** With `item`: the refund is decided (when `placedAt` and `total` are given). */
  order?: Partial<RefundOrder> | null
  item?: RefundItem | null
  evidence?: { photo?: boolean | null; video?: boolean | null } | null
  returnShippingCost?: MoneyInput | null
  /** Default: `customer.country`. */
  destinationCountry?: string | null
  shipmentStatus?: ShipmentStatus | null
  /** Default: the `shipmentStatus` when it is `attempt_fail`, `exception`, `expired`, `lost` or
   * `returned_to_sender`. */
  shipmentAnomaly?: boolean | string | null
  /** Default: 1 plus the customer replies among the events. */
  contactCount?: number | null
  events?: Array<SlaEvent> | null
  /** The SLA calendar, instead of the policy's. */
  calendar?: string | InlineCalendar | Calendar | null
  /** Reply only while this calendar (the team's hours) is open too. */
  teamCalendar?: string | InlineCalendar | Calendar | null
  /** Public holidays of the customer's country (`'YYYY-MM-DD'`): no reply is planned on them,
   * and statutory return windows count them. */
  holidays?: Array<string> | null
}

/** Everything `triage` says about a ticket. */
export interface Triage {
  id: string | number | null
  classification: Classification
  /** Without the SLA factor: the level decides the SLA targets. */
  priority: Priority
  sla: SlaReport
  /** With the SLA's next deadline and the priority level as urgency. */
  replyPlan: ReplyPlan
  /** The category the refund was decided for: the most severe fault or non-delivery category
   * present, else the primary one; null without a refund decision. */
  refundComplaint: Category | null
  /** Null unless the ticket carries `item.price`, `order.placedAt`, `order.total` and a
   * destination. */
  refund: RefundDecision | null
}

/** The entry of a batch result for an input that failed. */
export interface BatchError {
  error: {
    kind: ErrorKind
    code: ErrorCode
    field: string | null
    message: string
  }
  index: number
}

export type ErrorKind =
  | 'invalid_input'
  | 'invalid_policy'
  | 'unknown_time_zone'
  | 'unknown_currency'
  | 'currency_mismatch'
  | 'limit_exceeded'

export type ErrorCode =
  | 'ERR_INVALID_INPUT'
  | 'ERR_INVALID_POLICY'
  | 'ERR_UNKNOWN_TIME_ZONE'
  | 'ERR_UNKNOWN_CURRENCY'
  | 'ERR_CURRENCY_MISMATCH'
  | 'ERR_LIMIT_EXCEEDED'

/** What every method throws: an Error with the core's code, kind and field path. */
export interface AftersalesError extends Error {
  code: ErrorCode
  kind: ErrorKind
  field: string | null
  /** The message without the kind and field prefix. */
  detail: string
}

/** A policy document, written as in SPEC.md §3 (snake_case keys), applied onto the default. */
export interface Policy {
  version?: string
  /** 'none' makes the document complete instead of a patch of the default. */
  extends?: 'default' | 'none'
  limits?: { max_text_bytes?: number }
  classification?: {
    min_confidence?: number
    /** {category: {language or '*': [phrases]}} */
    extra_phrases?: Record<string, Record<string, Array<string>>>
    remove_phrases?: Record<string, Record<string, Array<string>>>
    categories?: Record<string, { description?: string; kind?: 'problem' | 'request' }>
  }
  [section: string]: unknown
}


/**
 * Which binding artifact the generated loader actually loaded: `'native'` for
 * a native addon, otherwise the `platformArchABI` of the WASI flavor. Every
 * flavor napi-rs can build is listed, because `NAPI_RS_NATIVE_LIBRARY_PATH`
 * can point the loader at a WASI artifact this package does not build itself.
 */
export declare const __napiBindingTarget: 'native' | 'wasm32-wasi' | 'wasm32-wasip1'

/**
 * A compiled business calendar, from `engine.calendar(…)`: the fast way to do business-time
 * arithmetic on one calendar again and again.
 */
export declare class Calendar {
  /**
   * The instant (RFC 3339, UTC) at which `seconds` of business time after `start` are used up;
   * a closing time when they are used up exactly at closing.
   */
  addBusinessTime(start: Date | string, seconds: number): string
  /** Business seconds (rounded down) between two instants. */
  businessTimeBetween(start: Date | string, end: Date | string): number
  /** The policy calendar's name, or null for an inline calendar. */
  get name(): string | null
  /** The IANA time zone the calendar's hours are written in. */
  get timeZone(): string
}
export type JsCalendar = Calendar

/** The after-sales engine: built once from a policy, immutable. */
export declare class Engine {
  /**
   * Builds an engine from a policy (an object or a JSON string) applied onto the embedded
   * default; with no argument, the default policy.
   */
  constructor(policy?: Policy | string | null)
  /** Builds an engine from a policy file (`.toml` as TOML, anything else as JSON). */
  static fromFile(path: string): Engine
  /** Classifies one message. Offsets in the result are UTF-16 indices into `text`. */
  classify(text: string, options?: ClassifyOptions | null): Classification
  /**
   * Classifies many messages (strings or `{text, subject, language, country}` objects): one
   * result per item, in order; a bad item yields `{error, index}` and fails only itself.
   */
  classifyBatch(items: Array<string | ClassifyItem>): Array<Classification | BatchError>
  /**
   * As `classifyBatch`, computed on the libuv thread pool: the main thread only turns the
   * input into JSON and parses the result.
   */
  classifyBatchAsync(items: Array<string | ClassifyItem>): Promise<Array<Classification | BatchError>>
  /**
   * Scores a ticket's priority: `categories`, `escalation`, `sentiment` (or a whole
   * `classification`), and optional facts about the customer, the order and the ticket. Keys
   * may be camelCase or snake_case; money amounts are decimal strings (or integers).
   */
  scorePriority(request: PriorityRequest): Priority
  /**
   * Computes a ticket's SLA at `request.now` from its events. Instants are `Date`s or RFC 3339
   * strings; `calendar` is a policy calendar's name, an inline calendar or a `Calendar`.
   */
  sla(request: SlaRequest): SlaReport
  /**
   * When to send a reply: `now`, `customer` (`timeZone`, `country`, `language`), optional
   * `window` (`{start, end}` local `"HH:MM"`), `deadline`, `urgency`, `teamCalendar` (a
   * policy calendar's name, an inline calendar or a `Calendar`) and `holidays`. Instants are
   * `Date`s or RFC 3339 strings; `sendAt` comes back as a UTC string, `localSendAt` with the
   * customer's offset.
   */
  scheduleReply(request: ReplyRequest): ReplyPlan
  /**
   * A compiled calendar, to do business-time arithmetic on one calendar again and again: the
   * name of a policy calendar, or an inline calendar (`{time_zone, hours, holidays, overrides}`).
   */
  calendar(nameOrInline: string | InlineCalendar): Calendar
  /**
   * The instant (RFC 3339, UTC) at which `seconds` of business time after `start` are used up
   * on `calendar` (a name, an inline calendar or a `Calendar`).
   */
  addBusinessTime(start: Date | string, seconds: number, calendar: string | InlineCalendar | Calendar): string
  /**
   * Business seconds (rounded down) between two instants on `calendar` (a name, an inline
   * calendar or a `Calendar`).
   */
  businessTimeBetween(start: Date | string, end: Date | string, calendar: string | InlineCalendar | Calendar): number
  /**
   * Decides a refund request (SPEC §7): the policy's rules in order, the first match decides,
   * the buyer's statutory rights as the floor. Field names may be camelCase or snake_case;
   * instants are `Date`s or RFC 3339 strings; money amounts decimal strings (or integers).
   */
  evaluateRefund(refundCase: RefundCase): RefundDecision
  /**
   * Decides many refund requests: one decision per case, in order; a bad case yields
   * `{error, index}` and fails only itself. With `{explain: false}` the trace is left out
   * (`[]`) and the `message` fields are empty (outcome, money, `rule`, reason codes and
   * params stay), which is faster.
   * Batches of 2,048 cases or more are decided on several threads (one per core, at most
   * 8, this one included), part by part as this thread turns them into JSON, while this
   * thread also builds the result.
   */
  evaluateRefundBatch(cases: Array<RefundCase>, options?: RefundBatchOptions | null): Array<RefundDecision | BatchError>
  /**
   * As `evaluateRefundBatch`, computed off the main thread (on the libuv thread pool, large
   * batches on several threads): the main thread only turns the input into JSON and builds
   * the result objects.
   */
  evaluateRefundBatchAsync(cases: Array<RefundCase>, options?: RefundBatchOptions | null): Promise<Array<RefundDecision | BatchError>>
  /**
   * Triages one ticket (SPEC §9): classification, priority, SLA, reply plan and, when the
   * ticket carries the order facts, the refund decision, in one call. Field names may be camelCase or
   * snake_case; instants `Date`s or RFC 3339 strings; money decimal strings; `calendar` and
   * `teamCalendar` names, inline calendars or `Calendar`s. Offsets are UTF-16 indices into
   * `text`.
   */
  triage(ticket: Ticket): Triage
  /**
   * Triages many tickets: one result per ticket, in order; a bad ticket yields
   * `{error, index}` and fails only itself. Batches of 128 tickets or more are triaged on
   * several threads (one per core, at most 8).
   */
  triageBatch(tickets: Array<Ticket>): Array<Triage | BatchError>
  /**
   * As `triageBatch`, computed on the libuv thread pool (large batches on several threads):
   * the main thread only turns the tickets into JSON and builds the result objects.
   */
  triageBatchAsync(tickets: Array<Ticket>): Promise<Array<Triage | BatchError>>
  /**
   * The effective policy (the default merged with this engine's policy), as written in
   * policy documents (snake_case).
   */
  policy(): Policy
  /** Library, policy and data versions, to store beside decisions. */
  info(): EngineInfo
}
export type JsEngine = Engine
