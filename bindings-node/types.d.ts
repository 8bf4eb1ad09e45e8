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

