'use strict'
// Node-specific behaviour of scorePriority, sla and the business-time calls: `Date` arguments,
// `Calendar` handles, camelCase and snake_case request keys, and the typed errors of malformed
// arguments. The shared fixtures (fixtures.test.js) cover the semantics.
const test = require('node:test')
const assert = require('node:assert/strict')
const { aftersales } = require('./helpers')

const { Engine, Calendar } = aftersales
const engine = new Engine()
const eu = engine.calendar('eu_support')

/** Asserts that `call` throws the library's error with this `code` and `field`. */
function throwsTyped(call, code, field) {
  assert.throws(call, (err) => {
    assert.ok(err instanceof Error)
    assert.equal(err.code, code, err.message)
    assert.equal(err.field, field, err.message)
    assert.equal(typeof err.kind, 'string')
    return true
  })
}

test('a Calendar handle knows its name and time zone', () => {
  assert.ok(eu instanceof Calendar)
  assert.equal(eu.name, 'eu_support')
  assert.equal(eu.timeZone, 'Europe/Berlin')
  const inline = engine.calendar({ time_zone: 'Asia/Tokyo', hours: { mon: ['10:00-19:00'] } })
  assert.equal(inline.name, null)
  assert.equal(inline.timeZone, 'Asia/Tokyo')
})

test('a Date and an RFC 3339 string give the same result', () => {
  // Friday 16:00 in Berlin + 4 business hours: Monday 11:00 local.
  const s = '2026-11-27T16:00:00+01:00'
  const d = new Date(s)
  assert.equal(eu.addBusinessTime(s, 4 * 3600), '2026-11-30T10:00:00Z')
  assert.equal(eu.addBusinessTime(d, 4 * 3600), '2026-11-30T10:00:00Z')
  assert.equal(engine.addBusinessTime(d, 4 * 3600, 'eu_support'), '2026-11-30T10:00:00Z')
  assert.equal(eu.businessTimeBetween(d, new Date('2026-11-30T10:00:00Z')), 4 * 3600)
  assert.equal(eu.businessTimeBetween(s, '2026-11-30T10:00:00Z'), 4 * 3600)
  // Milliseconds survive and are printed only when not zero.
  assert.equal(eu.addBusinessTime(new Date('2026-11-23T09:00:00.250Z'), 60), '2026-11-23T09:01:00.250Z')
})

test('the engine takes a name, an inline calendar or a handle', () => {
  const inline = { time_zone: 'Europe/Berlin', hours: { fri: ['09:00-18:00'], mon: ['09:00-18:00'] } }
  const start = '2026-11-27T16:00:00+01:00'
  const want = '2026-11-30T10:00:00Z'
  assert.equal(engine.addBusinessTime(start, 4 * 3600, 'eu_support'), want)
  assert.equal(engine.addBusinessTime(start, 4 * 3600, inline), want)
  assert.equal(engine.addBusinessTime(start, 4 * 3600, eu), want)
  assert.equal(engine.addBusinessTime(start, 4 * 3600, engine.calendar(inline)), want)
  assert.equal(engine.businessTimeBetween(start, want, eu), 4 * 3600)
  // A handle works with any engine: it is compiled, not looked up.
  const other = new Engine({ calendars: { eu_support: null, only_here: inline }, sla: { calendar: 'only_here' } })
  assert.equal(other.addBusinessTime(start, 4 * 3600, eu), want)
  throwsTyped(() => other.addBusinessTime(start, 4 * 3600, 'eu_support'), 'ERR_INVALID_INPUT', 'calendar')
})

test('a handle passed as request.calendar equals passing its name', () => {
  const request = {
    level: 'high',
    createdAt: '2026-11-23T03:30:00Z',
    now: new Date('2026-11-23T09:00:00Z'),
    events: [{ at: '2026-11-23T04:00:00Z', type: 'customer_reply' }],
  }
  const cn = engine.calendar('cn_support')
  const byName = engine.sla({ ...request, calendar: 'cn_support' })
  assert.deepStrictEqual(engine.sla({ ...request, calendar: cn }), byName)
  assert.equal(byName.metrics[0].calendar, 'cn_support')
  // …and an inline calendar's handle equals the inline calendar.
  const inline = { time_zone: 'Asia/Tokyo', hours: { sat: ['10:00-12:00'], mon: ['09:00-18:00'] } }
  assert.deepStrictEqual(engine.sla({ ...request, calendar: engine.calendar(inline) }), engine.sla({ ...request, calendar: inline }))
  // The request object is not changed by taking the handle out.
  const withHandle = { ...request, calendar: cn }
  engine.sla(withHandle)
  assert.equal(withHandle.calendar, cn)
})

test('an object posing as a Calendar is refused, not unwrapped', () => {
  const fake = Object.create(Calendar.prototype)
  assert.ok(fake instanceof Calendar)
  throwsTyped(() => engine.addBusinessTime('2026-11-23T09:00:00Z', 60, fake), 'ERR_INVALID_INPUT', 'calendar')
  throwsTyped(() => engine.sla({ level: 'high', createdAt: '2026-11-23T09:00:00Z', now: '2026-11-23T09:00:00Z', calendar: fake }), 'ERR_INVALID_INPUT', 'calendar')
  assert.throws(() => fake.addBusinessTime('2026-11-23T09:00:00Z', 60))
  assert.throws(() => new Calendar())
})

test('invalid seconds are typed errors naming seconds', () => {
  for (const bad of [1.5, '2h', NaN, Infinity, null, undefined, '7200', 10n]) {
    throwsTyped(() => eu.addBusinessTime('2026-11-23T09:00:00Z', bad), 'ERR_INVALID_INPUT', 'seconds')
    throwsTyped(() => engine.addBusinessTime('2026-11-23T09:00:00Z', bad, 'eu_support'), 'ERR_INVALID_INPUT', 'seconds')
  }
  throwsTyped(() => eu.addBusinessTime('2026-11-23T09:00:00Z', -1), 'ERR_INVALID_INPUT', 'seconds')
  throwsTyped(() => eu.addBusinessTime('2026-11-23T09:00:00Z', 1e300), 'ERR_LIMIT_EXCEEDED', 'seconds')
  throwsTyped(() => eu.addBusinessTime('2026-11-23T09:00:00Z', -1e300), 'ERR_INVALID_INPUT', 'seconds')
  // A whole number written with a fraction part is still whole.
  assert.equal(eu.addBusinessTime('2026-11-23T09:00:00Z', 60.0), '2026-11-23T09:01:00Z')
})

test('bad instants name the argument', () => {
  for (const bad of ['2026-13-01T00:00:00Z', '2026-11-23 09:00', 'tomorrow', '', new Date('x'), 1_790_000_000_000, null, {}]) {
    throwsTyped(() => eu.addBusinessTime(bad, 60), 'ERR_INVALID_INPUT', 'start')
    throwsTyped(() => eu.businessTimeBetween(bad, '2026-11-23T09:00:00Z'), 'ERR_INVALID_INPUT', 'start')
    throwsTyped(() => eu.businessTimeBetween('2026-11-23T09:00:00Z', bad), 'ERR_INVALID_INPUT', 'end')
    throwsTyped(() => engine.businessTimeBetween('2026-11-23T09:00:00Z', bad, 'eu_support'), 'ERR_INVALID_INPUT', 'end')
  }
  // A Date beyond the year 9999 is valid in JS but not here.
  throwsTyped(() => eu.addBusinessTime(new Date(8.64e15), 60), 'ERR_INVALID_INPUT', 'start')
  throwsTyped(() => eu.businessTimeBetween('2026-11-23T10:00:00Z', '2026-11-23T09:00:00Z'), 'ERR_INVALID_INPUT', 'end')
})

test('bad calendar arguments are typed errors', () => {
  throwsTyped(() => engine.calendar('mars_support'), 'ERR_INVALID_INPUT', 'calendar')
  throwsTyped(() => engine.calendar(42), 'ERR_INVALID_INPUT', 'calendar')
  throwsTyped(() => engine.calendar(['eu_support']), 'ERR_INVALID_INPUT', 'calendar')
  throwsTyped(() => engine.calendar(), 'ERR_INVALID_INPUT', 'calendar')
  throwsTyped(() => engine.calendar({ time_zone: 'Mars/Olympus', hours: { mon: ['09:00-17:00'] } }), 'ERR_UNKNOWN_TIME_ZONE', 'calendar.time_zone')
  // An inline calendar is a policy-shaped document: its keys are not camel-cased.
  throwsTyped(() => engine.calendar({ timeZone: 'UTC', hours: { mon: ['09:00-17:00'] } }), 'ERR_INVALID_INPUT', 'calendar.timeZone')
  throwsTyped(() => engine.addBusinessTime('2026-11-23T09:00:00Z', 60, null), 'ERR_INVALID_INPUT', 'calendar')
})

test('requests must be objects', () => {
  for (const bad of [null, undefined, 'high', 42, [], new Date()]) {
    throwsTyped(() => engine.scorePriority(bad), 'ERR_INVALID_INPUT', null)
    throwsTyped(() => engine.sla(bad), 'ERR_INVALID_INPUT', null)
  }
})

const SLA_REQUEST = {
  level: 'high',
  createdAt: '2026-11-23T09:00:00+01:00',
  now: '2026-11-23T15:00:00+01:00',
  events: [
    { at: '2026-11-23T10:00:00+01:00', type: 'agent_reply' },
    { at: '2026-11-23T10:00:00+01:00', type: 'status', status: 'pending' },
    { at: '2026-11-23T14:00:00+01:00', type: 'customer_reply' },
  ],
}

test('sla takes Dates, camelCase or snake_case keys, and returns camelCase fields', () => {
  const r = engine.sla(SLA_REQUEST)
  assert.deepStrictEqual(Object.keys(r).sort(), ['breached', 'metrics', 'nextDeadline'])
  assert.equal(r.nextDeadline, '2026-11-23T17:00:00Z')
  assert.deepStrictEqual(r.metrics.map((m) => m.metric), ['first_reply', 'next_reply', 'resolution'])
  assert.equal(r.metrics[0].elapsedSeconds, 3600)
  const withDates = {
    ...SLA_REQUEST,
    createdAt: new Date(SLA_REQUEST.createdAt),
    now: new Date(SLA_REQUEST.now),
    events: SLA_REQUEST.events.map((e) => ({ ...e, at: new Date(e.at) })),
  }
  assert.deepStrictEqual(engine.sla(withDates), r)
  const snake = { level: 'high', created_at: SLA_REQUEST.createdAt, now: SLA_REQUEST.now, events: SLA_REQUEST.events }
  assert.deepStrictEqual(engine.sla(snake), r)
  // The same field under both names is refused rather than one silently winning.
  throwsTyped(() => engine.sla({ ...SLA_REQUEST, created_at: SLA_REQUEST.createdAt }), 'ERR_INVALID_INPUT', 'created_at')
  // An invalid Date prints as null in JSON: a missing instant.
  throwsTyped(() => engine.sla({ ...SLA_REQUEST, createdAt: new Date('x') }), 'ERR_INVALID_INPUT', 'created_at')
  // Field paths in errors are the core's (snake_case), as in every language.
  throwsTyped(() => engine.sla({ ...SLA_REQUEST, now: 'soon' }), 'ERR_INVALID_INPUT', 'now')
  throwsTyped(() => engine.sla({ ...SLA_REQUEST, createdAt: 'soon' }), 'ERR_INVALID_INPUT', 'created_at')
})

test('more than 10,000 events is a limit, not a hang', () => {
  const events = Array.from({ length: 10_001 }, () => ({ at: '2026-11-23T10:00:00Z', type: 'agent_reply' }))
  throwsTyped(() => engine.sla({ ...SLA_REQUEST, events }), 'ERR_LIMIT_EXCEEDED', 'events')
  assert.equal(engine.sla({ ...SLA_REQUEST, events: events.slice(0, 10_000) }).metrics[0].status, 'achieved')
})

test('scorePriority takes camelCase or snake_case keys; params keep snake_case', () => {
  const camel = {
    categories: ['not_received'],
    escalation: ['chargeback_threat'],
    sentiment: 'very_negative',
    customer: { tier: 'vip', lifetimeValue: { amount: '1000.00', currency: 'EUR' }, ordersCount: 12, abuseFlag: false },
    order: { total: { amount: 250, currency: 'EUR' }, marketplace: 'amazon_de' },
    contactCount: 3,
    shipmentAnomaly: 'stalled',
    slaRemainingSeconds: 600,
  }
  const p = engine.scorePriority(camel)
  assert.equal(p.reasons.reduce((sum, r) => sum + r.points, 0), p.score)
  const snake = {
    ...camel,
    customer: { tier: 'vip', lifetime_value: camel.customer.lifetimeValue, orders_count: 12, abuse_flag: false },
    contact_count: 3,
    shipment_anomaly: 'stalled',
    sla_remaining_seconds: 600,
  }
  delete snake.contactCount
  delete snake.shipmentAnomaly
  delete snake.slaRemainingSeconds
  assert.deepStrictEqual(engine.scorePriority(snake), p)
  const repeat = p.reasons.find((r) => r.code === 'repeat_contact')
  assert.deepStrictEqual(repeat.params, { contact_count: 3 })
  // A whole classification result, as classify returns it (camelCase), may be passed.
  const c = engine.classify('Third time asking: the parcel never arrived. I will file a chargeback.')
  assert.equal(engine.scorePriority({ classification: c, contactCount: 3 }).level, 'urgent')
})

test('money is exact: decimal strings or integers, never fractional numbers', () => {
  const order = (amount) => ({ order: { total: { amount, currency: 'EUR' } } })
  assert.deepStrictEqual(engine.scorePriority(order(1000)), engine.scorePriority(order('1000.00')))
  throwsTyped(() => engine.scorePriority(order(12.5)), 'ERR_INVALID_INPUT', 'order.total.amount')
  throwsTyped(() => engine.scorePriority(order('12.345')), 'ERR_INVALID_INPUT', 'order.total.amount')
  throwsTyped(() => engine.scorePriority({ order: { total: { amount: '12', currency: 'EURO' } } }), 'ERR_UNKNOWN_CURRENCY', 'order.total.currency')
})
