'use strict'
// The shared fixtures of tests/fixtures/ (format: tests/fixtures/README.md), as read by the Rust
// and Python suites too. Fixtures store code-point offsets; JS offsets are UTF-16 units. Requests
// are passed with camelCase field names, results compared with their names turned back into the
// fixtures' snake_case.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { ROOT, aftersales, loadCases, utf16Offset, camelKeys, snakeKeys } = require('./helpers')

const engine = new aftersales.Engine()
const CLASSIFY = loadCases('classify')

test('there are enough classify fixtures', () => {
  assert.ok(CLASSIFY.length >= 60, `${CLASSIFY.length} fixtures`)
})

function* spans(r) {
  for (const c of r.categories) yield* c.evidence
  for (const e of r.escalation) yield* e.evidence
  yield* r.negated
  for (const kind of ['orderIds', 'trackingNumbers', 'emails', 'amounts']) yield* r.entities[kind]
}

const ENTITY_KEYS = { order_ids: 'orderIds', tracking_numbers: 'trackingNumbers', emails: 'emails', amounts: 'amounts' }

for (const c of CLASSIFY) {
  test(`${c.file}:${c.name}`, () => {
    const input = c.input
    const expect = c.expect
    const options = { subject: input.subject ?? null, language: input.language ?? null, country: input.country ?? null }
    if (expect.error) {
      assert.throws(() => engine.classify(input.text, options), (err) => {
        assert.equal(err.kind, expect.error.kind)
        assert.equal(err.field, expect.error.field ?? null)
        return true
      })
      return
    }
    const r = engine.classify(input.text, options)
    for (const key of ['language', 'script', 'primary', 'sentiment']) {
      if (key in expect) assert.equal(r[key], expect[key], key)
    }
    const cats = new Set(r.categories.map((x) => x.category))
    if (expect.categories) assert.deepEqual([...cats].sort(), [...expect.categories].sort())
    for (const x of expect.categories_include ?? []) assert.ok(cats.has(x), `${x} missing`)
    for (const x of expect.categories_exclude ?? []) assert.ok(!cats.has(x), `${x} present`)
    const signals = new Set(r.escalation.map((x) => x.signal))
    if (expect.escalation) assert.deepEqual([...signals].sort(), [...expect.escalation].sort())
    for (const x of expect.escalation_include ?? []) assert.ok(signals.has(x), `${x} missing`)
    for (const [kind, values] of Object.entries(expect.entities ?? {})) {
      const items = r.entities[ENTITY_KEYS[kind]]
      const got = kind === 'amounts' ? items.map((a) => `${a.amount} ${a.currency ?? 'null'}`) : items.map((e) => e.value)
      assert.deepEqual(got, values, kind)
    }
    for (const want of expect.evidence ?? []) {
      const start = utf16Offset(input.text, want.start)
      const end = utf16Offset(input.text, want.end)
      const found = r.categories
        .filter((x) => x.category === want.category)
        .flatMap((x) => x.evidence)
        .some((e) => e.field === 'text' && e.start === start && e.end === end && e.text === want.text)
      assert.ok(found, JSON.stringify(want))
    }
    for (const s of spans(r)) {
      const own = s.field === 'subject' ? input.subject : input.text
      assert.equal(own.slice(s.start, s.end), s.text)
    }
  })
}

// priority/, sla/, calendar/: `expect` is compared whole, or `{error: {kind, field}}`.

const PRIORITY = loadCases('priority')
const SLA = loadCases('sla')
const SCHEDULE = loadCases('schedule')
const CALENDAR = loadCases('calendar')

test('there are enough priority, sla and calendar fixtures', () => {
  assert.ok(PRIORITY.length >= 36, `${PRIORITY.length} priority fixtures`)
  assert.ok(SLA.length >= 35, `${SLA.length} sla fixtures`)
  assert.ok(CALENDAR.length >= 34, `${CALENDAR.length} calendar fixtures`)
})

/** One engine per distinct policy patch; a policy that fails to load fails every case using it
 * with the same error. */
const engines = new Map()
function engineFor(policy) {
  const key = JSON.stringify(policy ?? null)
  if (!engines.has(key)) {
    try {
      engines.set(key, { engine: policy == null ? engine : new aftersales.Engine(policy) })
    } catch (error) {
      engines.set(key, { error })
    }
  }
  const built = engines.get(key)
  if (built.error) throw built.error
  return built.engine
}

/** Runs `call` and compares its result (snake-cased) or its error with the case's `expect`. */
function check(c, call, label = '') {
  if (c.expect.error) {
    assert.throws(call, (err) => {
      assert.deepStrictEqual({ kind: err.kind, field: err.field }, { kind: c.expect.error.kind, field: c.expect.error.field ?? null }, label)
      assert.equal(err.code, `ERR_${c.expect.error.kind.toUpperCase()}`)
      return true
    }, label)
    return
  }
  assert.deepStrictEqual(snakeKeys(call()), c.expect, label)
}

for (const c of PRIORITY) {
  test(`priority/${c.file}:${c.name}`, () => {
    check(c, () => engineFor(c.policy).scorePriority(camelKeys(c.input)))
  })
}

for (const c of SLA) {
  test(`sla/${c.file}:${c.name}`, () => {
    check(c, () => engineFor(c.policy).sla(camelKeys(c.input)))
  })
}

test('there are enough schedule fixtures', () => {
  assert.ok(SCHEDULE.length >= 40, `${SCHEDULE.length} schedule fixtures`)
})

for (const c of SCHEDULE) {
  test(`schedule/${c.file}:${c.name}`, () => {
    check(c, () => engineFor(c.policy).scheduleReply(camelKeys(c.input)))
    // Instants as Dates give the same plan.
    if (!c.expect.error) {
      const input = camelKeys(c.input)
      input.now = new Date(input.now)
      check(c, () => engineFor(c.policy).scheduleReply(input), 'Date')
    }
  })
}

for (const c of CALENDAR) {
  test(`calendar/${c.file}:${c.name}`, () => {
    // Through a compiled handle, through the engine with the calendar as written, and with a
    // `Date` instead of the start string.
    if (c.add) {
      const { start, seconds } = c.add
      const result = (r) => ({ result: r })
      check(c, () => result(engineFor(c.policy).calendar(c.calendar).addBusinessTime(start, seconds)), 'handle')
      check(c, () => result(engineFor(c.policy).addBusinessTime(start, seconds, c.calendar)), 'engine')
      check(c, () => result(engineFor(c.policy).calendar(c.calendar).addBusinessTime(new Date(start), seconds)), 'Date')
    } else {
      const { start, end } = c.between
      const seconds = (s) => ({ seconds: s })
      check(c, () => seconds(engineFor(c.policy).calendar(c.calendar).businessTimeBetween(start, end)), 'handle')
      check(c, () => seconds(engineFor(c.policy).businessTimeBetween(start, end, c.calendar)), 'engine')
      check(c, () => seconds(engineFor(c.policy).calendar(c.calendar).businessTimeBetween(new Date(start), end)), 'Date')
    }
  })
}

// refund/: the case through `evaluateRefund`, through `evaluateRefundBatch([case])` (the batch
// path prints and decodes decisions differently) and its async twin, and without explanations
// (where only the decision itself is compared, messages and `actual` values being left out).

const REFUND_DIR = path.join(ROOT, 'tests', 'fixtures', 'refund')
const REFUND = fs.existsSync(REFUND_DIR) ? loadCases('refund') : []

test('there are refund fixtures', (t) => {
  if (REFUND.length === 0) {
    t.skip('tests/fixtures/refund/ has no cases yet')
    return
  }
  assert.ok(REFUND.length >= 40, `${REFUND.length} refund fixtures`)
})

/** A batch entry as the single call's outcome: the decision, or the entry's error thrown as the
 * single call would throw it. */
function unwrap(entries) {
  assert.equal(entries.length, 1)
  const entry = entries[0]
  if (entry.error) {
    assert.equal(entry.index, 0)
    throw Object.assign(new Error(entry.error.message), entry.error)
  }
  return entry
}

/** What a decision keeps without explanations: everything but the trace and the messages. */
function unexplained(decision) {
  const d = structuredClone(decision)
  d.trace = []
  for (const r of d.reasons) r.message = ''
  return d
}

for (const c of REFUND) {
  test(`refund/${c.file}:${c.name}`, async () => {
    const input = camelKeys(c.input)
    check(c, () => engineFor(c.policy).evaluateRefund(input), 'evaluateRefund')
    check(c, () => unwrap(engineFor(c.policy).evaluateRefundBatch([input])), 'evaluateRefundBatch')
    let settled
    try {
      settled = { value: unwrap(await engineFor(c.policy).evaluateRefundBatchAsync([input])) }
    } catch (error) {
      settled = { error }
    }
    check(c, () => {
      if (settled.error) throw settled.error
      return settled.value
    }, 'evaluateRefundBatchAsync')
    if (c.expect.error) {
      check(c, () => unwrap(engineFor(c.policy).evaluateRefundBatch([input], { explain: false })), 'explain: false')
    } else {
      const d = snakeKeys(unwrap(engineFor(c.policy).evaluateRefundBatch([input], { explain: false })))
      assert.deepStrictEqual(
        { outcome: d.outcome, refund_amount: d.refund_amount, rule: d.rule },
        { outcome: c.expect.outcome, refund_amount: c.expect.refund_amount, rule: c.expect.rule },
        'explain: false',
      )
      // The rest of the decision is the same too, trace and messages aside.
      assert.deepStrictEqual(d, unexplained(c.expect), 'explain: false, whole')
    }
  })
}

// triage/: the ticket through `triage`, `triageBatch([ticket])` and `triageBatchAsync`; a case
// whose input is an array is a batch. The classification is summarised (its offsets are each
// language's own), everything else compared whole.

const TRIAGE = loadCases('triage')

test('there are enough triage fixtures', () => {
  assert.ok(TRIAGE.length >= 30, `${TRIAGE.length} triage fixtures`)
})

function triageSummary(result) {
  const t = snakeKeys(result)
  const c = t.classification
  return {
    ...t,
    classification: {
      language: c.language,
      primary: c.primary,
      sentiment: c.sentiment,
      categories: c.categories.map((s) => s.category),
      escalation: c.escalation.map((e) => e.signal),
      order_ids: c.entities.order_ids.map((o) => o.value),
    },
  }
}

function batchEntry(entry) {
  if (entry.error) return { error: { kind: entry.error.kind, field: entry.error.field }, index: entry.index }
  return triageSummary(entry)
}

for (const c of TRIAGE) {
  test(`triage/${c.file}:${c.name}`, async () => {
    const e = engineFor(c.policy)
    if (Array.isArray(c.input)) {
      const tickets = c.input.map(camelKeys)
      assert.deepStrictEqual(e.triageBatch(tickets).map(batchEntry), c.expect)
      assert.deepStrictEqual((await e.triageBatchAsync(tickets)).map(batchEntry), c.expect)
      return
    }
    const ticket = camelKeys(c.input)
    if (c.expect.error) {
      check(c, () => e.triage(ticket))
      const [entry] = e.triageBatch([ticket])
      assert.deepStrictEqual(batchEntry(entry), { ...c.expect, index: 0 })
      return
    }
    assert.deepStrictEqual(triageSummary(e.triage(ticket)), c.expect)
    // Instants as Dates, the batch and its async twin give the same.
    const dated = { ...ticket, createdAt: new Date(ticket.createdAt), now: new Date(ticket.now) }
    assert.deepStrictEqual(triageSummary(e.triage(dated)), c.expect, 'Date')
    assert.deepStrictEqual(e.triageBatch([ticket]).map(batchEntry), [c.expect], 'batch')
    assert.deepStrictEqual((await e.triageBatchAsync([ticket])).map(batchEntry), [c.expect], 'async')
  })
}
