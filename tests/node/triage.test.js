'use strict'
// triage beyond the shared fixtures: UTF-16 offsets, Calendar handles, camelCase results, the
// batch's shape and its unhappy paths.
const test = require('node:test')
const assert = require('node:assert/strict')
const { aftersales } = require('./helpers')

const engine = new aftersales.Engine()

const TICKET = {
  id: 'T-1',
  text: '📦 Ça n’est pas arrivé, la boîte était écrasée. Remboursement svp !',
  createdAt: '2026-11-23T09:00:00Z',
  now: '2026-11-23T09:30:00Z',
  customer: { country: 'FR', tier: 'vip' },
  order: { placedAt: '2026-11-10T09:00:00Z', deliveredAt: '2026-11-20T12:00:00Z', total: { amount: '49.90', currency: 'EUR' } },
  item: { price: { amount: '49.90', currency: 'EUR' } },
}

test('offsets slice the JS string and results are camelCase', () => {
  const t = engine.triage(TICKET)
  const spans = t.classification.categories.flatMap((c) => c.evidence)
  assert.ok(spans.length > 0)
  for (const s of spans) assert.equal(TICKET.text.slice(s.start, s.end), s.text)
  assert.deepStrictEqual(Object.keys(t).sort(), ['classification', 'id', 'priority', 'refund', 'refundComplaint', 'replyPlan', 'sla'])
  assert.equal(typeof t.replyPlan.sendAt, 'string')
  assert.equal(t.refundComplaint, 'damaged')
  assert.deepStrictEqual(t.classification, engine.classify(TICKET.text, { country: 'FR' }))
})

test('snake_case keys are accepted too, and ids come back as given', () => {
  const snake = { ...TICKET, created_at: TICKET.createdAt, createdAt: undefined, id: 4711 }
  const t = engine.triage(snake)
  assert.equal(t.id, 4711)
  assert.deepStrictEqual({ ...t, id: 'T-1' }, engine.triage(TICKET))
  assert.throws(() => engine.triage({ ...TICKET, created_at: TICKET.createdAt }), (e) => e.field === 'created_at' && e.code === 'ERR_INVALID_INPUT')
})

test('Calendar handles are accepted for calendar and teamCalendar, in batches too', async () => {
  const cn = engine.calendar('cn_support')
  const byName = engine.triage({ ...TICKET, calendar: 'cn_support', teamCalendar: 'cn_support' })
  assert.deepStrictEqual(engine.triage({ ...TICKET, calendar: cn, teamCalendar: cn }), byName)
  assert.deepStrictEqual(engine.triageBatch([TICKET, { ...TICKET, calendar: cn, teamCalendar: cn }])[1], byName)
  assert.deepStrictEqual((await engine.triageBatchAsync([{ ...TICKET, team_calendar: cn, calendar: cn }]))[0], byName)
})

test('a batch is the single call, in order', async () => {
  const texts = ['Where is my order?', 'The lamp arrived broken', 'Cancel my order please', 'Wrong size, can I return it?']
  const tickets = texts.map((text, id) => ({ ...TICKET, id, text }))
  const one = tickets.map((t) => engine.triage(t))
  assert.deepStrictEqual(engine.triageBatch(tickets), one)
  assert.deepStrictEqual(await engine.triageBatchAsync(tickets), one)
  assert.deepStrictEqual(engine.triageBatch([]), [])
})

test('large batches (compact transport, several threads) print exactly as the single call', async () => {
  // The single call crosses as JSON, batches in the compact form of src/compact.rs: the same
  // objects, key order and numbers included, for the 44 sample tickets in 17 languages.
  const fs = require('node:fs')
  const path = require('node:path')
  const lines = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'tickets.jsonl'), 'utf8').split('\n')
  const sample = lines.filter((l) => l.trim()).map((l) => JSON.parse(l))
  const tickets = []
  while (tickets.length < 600) tickets.push(...sample, 'not a ticket')
  const one = tickets.map((t) => {
    try {
      return JSON.stringify(engine.triage(t))
    } catch (e) {
      return null
    }
  })
  for (const batch of [engine.triageBatch(tickets), await engine.triageBatchAsync(tickets)]) {
    assert.equal(batch.length, tickets.length)
    batch.forEach((r, i) => {
      if (one[i] === null) assert.equal(r.index, i)
      else assert.equal(JSON.stringify(r), one[i])
    })
  }
})

test('the compact decoder builds what JSON.parse builds, __proto__ keys and doubles included', () => {
  const fs = require('node:fs')
  const path = require('node:path')
  const vm = require('node:vm')
  const source = fs.readFileSync(path.join(__dirname, '..', '..', 'bindings-node', 'src', 'compact_decode.js'), 'utf8')
  const decode = vm.runInThisContext(source)
  const bits = new Int32Array(new Float64Array([0.823]).buffer)
  // One part: shapes [["__proto__", "a"], ["x"]], values {__proto__: 5, a: [{x: 0.823}, null, true, "a"]}.
  const n = Int32Array.from([1, 1, 2, 2, 0, 1, 1, 2, 1, 7, 0, 3, 5, 6, 4, 7, 1, 4, bits[0], bits[1], 0, 2, 5, 1])
  const [got] = decode(n, JSON.stringify([['__proto__', 'a', 'x']]))
  const want = JSON.parse('{"__proto__": 5, "a": [{"x": 0.823}, null, true, "a"]}')
  assert.equal(JSON.stringify(got), JSON.stringify(want))
  assert.equal(Object.getPrototypeOf(got), Object.prototype)
  assert.ok(Object.hasOwn(got, '__proto__'))
  assert.throws(() => decode(Int32Array.from([2, 0]), '[]'), /compact format 2/)
})

test('where code generation is disallowed, batches build the same objects key by key', () => {
  const { execFileSync } = require('node:child_process')
  const path = require('node:path')
  const helpers = path.join(__dirname, 'helpers.js')
  const script = `
    const { aftersales } = require(${JSON.stringify(helpers)})
    const engine = new aftersales.Engine()
    const ticket = ${JSON.stringify(TICKET)}
    const tickets = Array.from({ length: 200 }, (_, id) => ({ ...ticket, id, text: id % 2 ? 'Where is my order?' : ticket.text }))
    assert(() => new Function('return 1'))
    function assert(f) { try { f(); process.exit(3) } catch (e) { if (!(e instanceof EvalError)) throw e } }
    process.stdout.write(JSON.stringify(engine.triageBatch(tickets)))
  `
  const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '-e', script], { encoding: 'utf8' })
  const tickets = Array.from({ length: 200 }, (_, id) => ({ ...TICKET, id, text: id % 2 ? 'Where is my order?' : TICKET.text }))
  assert.equal(out, JSON.stringify(tickets.map((t) => engine.triage(t))))
})

test('bad tickets fail alone with typed entries', async () => {
  const tickets = [TICKET, 'not a ticket', { ...TICKET, customer: { country: 'FR', timeZone: 'Mars/Base' } }, TICKET]
  for (const out of [engine.triageBatch(tickets), await engine.triageBatchAsync(tickets)]) {
    assert.deepStrictEqual(out[0], out[3])
    assert.equal(out[1].error.kind, 'invalid_input')
    assert.equal(out[1].index, 1)
    assert.deepStrictEqual(
      { kind: out[2].error.kind, code: out[2].error.code, field: out[2].error.field, index: out[2].index },
      { kind: 'unknown_time_zone', code: 'ERR_UNKNOWN_TIME_ZONE', field: 'customer.time_zone', index: 2 },
    )
  }
})

test('bad arguments throw typed errors', () => {
  assert.throws(() => engine.triageBatch(42), (e) => e.code === 'ERR_INVALID_INPUT' && e.field === 'tickets')
  assert.throws(() => engine.triageBatchAsync('x'), (e) => e.code === 'ERR_INVALID_INPUT' && e.field === 'tickets')
  assert.throws(() => engine.triage('text only'), (e) => e.code === 'ERR_INVALID_INPUT')
  assert.throws(
    () => engine.triage({ ...TICKET, item: { price: { amount: '1', currency: 'XXY' } } }),
    (e) => e.code === 'ERR_UNKNOWN_CURRENCY' && e.field === 'item.price.currency',
  )
})
