'use strict'
// The shared fixtures of tests/fixtures/ (format: tests/fixtures/README.md), as read by the Rust
// and Python suites too. Fixtures store code-point offsets; JS offsets are UTF-16 units.
const test = require('node:test')
const assert = require('node:assert/strict')
const { aftersales, loadCases, utf16Offset } = require('./helpers')

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
