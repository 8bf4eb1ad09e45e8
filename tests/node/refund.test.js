'use strict'
// evaluateRefund / evaluateRefundBatch / evaluateRefundBatchAsync beyond the shared fixtures:
// what is particular to Node (Dates, JS numbers, camelCase and snake_case keys, the batch's
// compact transport and its threads) and the unhappy paths.
const test = require('node:test')
const assert = require('node:assert/strict')
const { aftersales, sampleRefundCase, snakeKeys } = require('./helpers')

const engine = new aftersales.Engine()

const shoes = sampleRefundCase

/** Asserts that `call` throws the documented error. */
function throwsCode(call, code, field) {
  assert.throws(call, (err) => {
    assert.ok(err instanceof Error)
    assert.equal(err.code, code, err.message)
    assert.equal(err.kind, code.slice(4).toLowerCase())
    assert.equal(err.field, field, err.message)
    return true
  })
}

/** `n` varied cases (fixed seed): complaints, countries, currencies, tags, evidence, histories,
 * delivered or not. */
function cases(n) {
  let seed = 12345
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return seed / 2 ** 32
  }
  const pick = (xs) => xs[Math.floor(rand() * xs.length)]
  const markets = [['DE', 'EUR', 2], ['FR', 'EUR', 2], ['GB', 'GBP', 2], ['US', 'USD', 2], ['JP', 'JPY', 0], ['BR', 'BRL', 2], ['MX', 'MXN', 2], ['KW', 'KWD', 3]]
  const complaints = ['size_fit', 'return_request', 'refund_request', 'damaged', 'defective', 'not_received', 'wrong_item', 'missing_item', 'not_as_described', 'cancellation']
  const tags = [[], [], ['final_sale'], ['hygiene', 'opened'], ['personalized'], ['perishable'], ['digital', 'opened'], ['used']]
  const now = Date.parse('2026-11-20T10:00:00Z')
  const day = 86_400_000
  const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z')
  const out = []
  for (let i = 0; i < n; i++) {
    const [country, currency, exp] = pick(markets)
    const money = (minor) => ({ amount: exp === 0 ? String(minor) : (minor / 10 ** exp).toFixed(exp), currency })
    const unit = 10 ** exp * (currency === 'JPY' ? 150 : 1)
    const price = Math.round((2 + rand() * 150) * unit)
    const shipping = Math.round(4.9 * unit)
    const placed = now - Math.floor(rand() * 90 + 1) * day
    const complaint = pick(complaints)
    const delivered = complaint === 'not_received' || rand() < 0.1 ? null : Math.min(placed + Math.floor(rand() * 8 + 1) * day, now)
    out.push({
      now: iso(now),
      complaint,
      destinationCountry: country,
      order: { placedAt: iso(placed), deliveredAt: delivered && iso(delivered), total: money(price + shipping), shippingPaid: money(shipping) },
      item: { sku: `SKU-${i}`, price: money(price), tags: pick(tags) },
      evidence: { photo: rand() < 0.5 },
      returnShippingCost: money(Math.round(6.5 * unit)),
      customer: { refundsLast365d: Math.floor(rand() * 6), abuseFlag: rand() < 0.03 },
      shipmentStatus: delivered === null ? pick(['in_transit', 'lost', 'pending', 'info_received']) : 'delivered',
    })
  }
  return out
}

test('the SPEC example decides return_then_refund of 60.00 EUR, with camelCase fields', () => {
  const d = engine.evaluateRefund(shoes())
  assert.equal(d.outcome, 'return_then_refund')
  assert.deepEqual(d.refundAmount, { amount: '60.00', currency: 'EUR' })
  assert.equal(d.storeCreditBonus, null)
  assert.deepEqual(d.requires, ['return_item'])
  assert.equal(d.rule, 'change_of_mind_return')
  assert.deepEqual(
    { days: d.returnWindow.days, statutory: d.returnWindow.statutory, open: d.returnWindow.open },
    { days: 30, statutory: false, open: true },
  )
  assert.equal(d.trace.at(-1).rule, 'change_of_mind_return')
  assert.equal(d.trace.at(-1).matched, true)
  assert.equal(d.trace.at(-1).failed, null)
})

test('Date instants decide as their RFC 3339 strings', () => {
  const strings = shoes()
  const dates = shoes({ now: new Date('2026-11-20T10:00:00Z') })
  dates.order = { ...dates.order, placedAt: new Date('2026-11-01T09:00:00Z'), deliveredAt: new Date('2026-11-04T15:00:00Z') }
  assert.deepStrictEqual(engine.evaluateRefund(dates), engine.evaluateRefund(strings))
  assert.deepStrictEqual(engine.evaluateRefundBatch([dates]), engine.evaluateRefundBatch([strings]))
  // An instant with an offset, and one with milliseconds (as Date#toJSON prints them).
  const offset = shoes({ now: '2026-11-20T11:00:00+01:00' })
  assert.deepStrictEqual(engine.evaluateRefund(offset), engine.evaluateRefund(strings))
  // An invalid Date prints as null, so `now` is missing.
  throwsCode(() => engine.evaluateRefund(shoes({ now: new Date('not a date') })), 'ERR_INVALID_INPUT', 'now')
})

test('snake_case field names are accepted too; the same field twice is refused', () => {
  const snake = snakeKeys(shoes())
  assert.deepStrictEqual(engine.evaluateRefund(snake), engine.evaluateRefund(shoes()))
  const twice = shoes({ destination_country: 'FR' })
  throwsCode(() => engine.evaluateRefund(twice), 'ERR_INVALID_INPUT', 'destination_country')
  const [entry] = engine.evaluateRefundBatch([twice])
  assert.deepEqual({ ...entry.error, message: undefined }, { kind: 'invalid_input', code: 'ERR_INVALID_INPUT', field: 'destination_country', message: undefined })
  const nested = shoes()
  nested.customer = { refundsLast365d: 1, refunds_last_365d: 2 }
  throwsCode(() => engine.evaluateRefund(nested), 'ERR_INVALID_INPUT', 'customer.refunds_last_365d')
  assert.equal(engine.evaluateRefundBatch([nested])[0].error.field, 'customer.refunds_last_365d')
})

test('money: decimal strings or integers; a fractional JS number is refused', () => {
  const integer = shoes({ item: { price: { amount: 60, currency: 'EUR' } } })
  assert.deepEqual(engine.evaluateRefund(integer).refundAmount, { amount: '60.00', currency: 'EUR' })
  const float = shoes({ item: { price: { amount: 59.99, currency: 'EUR' } } })
  throwsCode(() => engine.evaluateRefund(float), 'ERR_INVALID_INPUT', 'item.price.amount')
  const [entry] = engine.evaluateRefundBatch([float])
  assert.equal(entry.error.code, 'ERR_INVALID_INPUT')
  assert.equal(entry.error.field, 'item.price.amount')
})

test('currencies: a mismatch and an unknown code are their own errors', () => {
  const mismatch = shoes({ item: { price: { amount: '60.00', currency: 'USD' } } })
  throwsCode(() => engine.evaluateRefund(mismatch), 'ERR_CURRENCY_MISMATCH', 'order.total')
  const unknown = shoes({ item: { price: { amount: '60.00', currency: 'EURO' } } })
  throwsCode(() => engine.evaluateRefund(unknown), 'ERR_UNKNOWN_CURRENCY', 'item.price.currency')
  const [a, b] = engine.evaluateRefundBatch([mismatch, unknown])
  assert.deepEqual([a.error.code, a.error.field, a.index], ['ERR_CURRENCY_MISMATCH', 'order.total', 0])
  assert.deepEqual([b.error.code, b.error.field, b.index], ['ERR_UNKNOWN_CURRENCY', 'item.price.currency', 1])
})

test('a request that is not an object is refused', () => {
  for (const bad of [null, undefined, 'case', 5, [], new Date()]) {
    throwsCode(() => engine.evaluateRefund(bad), 'ERR_INVALID_INPUT', null)
  }
})

test('a bad case fails only its own entry, at its index', () => {
  const good = shoes()
  const out = engine.evaluateRefundBatch([good, shoes({ complaint: 'no_such_category' }), null, 7, good])
  assert.equal(out.length, 5)
  assert.deepStrictEqual(out[0], engine.evaluateRefund(good))
  assert.deepStrictEqual(out[4], out[0])
  assert.deepEqual([out[1].index, out[1].error.kind, out[1].error.field], [1, 'invalid_input', 'complaint'])
  assert.ok(out[1].error.message.length > 0)
  // JSON.stringify turns `undefined` items into null: an object is expected either way.
  assert.deepEqual([out[2].index, out[2].error.code, out[2].error.field], [2, 'ERR_INVALID_INPUT', null])
  assert.deepEqual([out[3].index, out[3].error.code], [3, 'ERR_INVALID_INPUT'])
  assert.deepStrictEqual(engine.evaluateRefundBatch([]), [])
})

test('the batch argument must be an array, named cases', async () => {
  for (const bad of [undefined, null, 'x', 5, { 0: shoes(), length: 1 }]) {
    throwsCode(() => engine.evaluateRefundBatch(bad), 'ERR_INVALID_INPUT', 'cases')
    throwsCode(() => engine.evaluateRefundBatchAsync(bad), 'ERR_INVALID_INPUT', 'cases')
  }
})

test('options: explain must be true or false; unknown options are refused', () => {
  throwsCode(() => engine.evaluateRefundBatch([shoes()], { explain: 'no' }), 'ERR_INVALID_INPUT', 'options.explain')
  throwsCode(() => engine.evaluateRefundBatch([shoes()], { explian: false }), 'ERR_INVALID_INPUT', 'options.explian')
  throwsCode(() => engine.evaluateRefundBatch([shoes()], 'fast'), 'ERR_INVALID_INPUT', 'options')
  throwsCode(() => engine.evaluateRefundBatchAsync([shoes()], { explain: 1 }), 'ERR_INVALID_INPUT', 'options.explain')
  const explained = engine.evaluateRefundBatch([shoes()])
  assert.deepStrictEqual(engine.evaluateRefundBatch([shoes()], null), explained)
  assert.deepStrictEqual(engine.evaluateRefundBatch([shoes()], {}), explained)
  assert.deepStrictEqual(engine.evaluateRefundBatch([shoes()], { explain: true }), explained)
})

test('explain: false leaves out the trace and the messages; codes and params stay', () => {
  const input = cases(300)
  const full = engine.evaluateRefundBatch(input)
  const bare = engine.evaluateRefundBatch(input, { explain: false })
  assert.equal(bare.length, full.length)
  for (let i = 0; i < full.length; i++) {
    const [f, b] = [full[i], bare[i]]
    if (f.error) {
      assert.deepStrictEqual(b, f)
      continue
    }
    for (const key of ['outcome', 'refundAmount', 'storeCreditBonus', 'requires', 'autoApprove', 'returnWindow', 'rule']) {
      assert.deepStrictEqual(b[key], f[key], key)
    }
    // The trace is left out; the full one says which rule decided, as `rule` does.
    assert.deepStrictEqual(b.trace, [])
    assert.ok(f.trace.length > 0)
    assert.equal(f.trace.at(-1).matched ? f.trace.at(-1).rule : null, f.rule)
    assert.deepStrictEqual(b.reasons.map((r) => [r.code, r.params]), f.reasons.map((r) => [r.code, r.params]))
    assert.ok(b.reasons.every((r) => r.message === ''))
    assert.ok(f.reasons.every((r) => r.message.length > 0))
  }
})

test('params keep their snake_case keys and their JSON types', () => {
  // Germany 10 days after delivery: the statutory window is open.
  const d = engine.evaluateRefund(shoes({ now: '2026-11-14T10:00:00Z' }))
  const statutory = d.reasons.find((r) => r.code === 'statutory_window')
  const { country, days, source } = statutory.params
  assert.deepStrictEqual({ country, days, source }, { country: 'DE', days: 14, source: 'EU Directive 2011/83/EU art. 9' })
  for (const decision of [...engine.evaluateRefundBatch(cases(300)), d]) {
    for (const r of decision.reasons ?? []) {
      for (const [k, v] of Object.entries(r.params)) {
        assert.match(k, /^[a-z][a-z0-9_]*$/, `${r.code}: ${k}`)
        assert.ok(v === null || ['string', 'boolean'].includes(typeof v) || Number.isInteger(v), `${r.code}.${k}: ${v}`)
      }
    }
  }
  // A user's policy names reach the params as written.
  const custom = new aftersales.Engine({
    refund: { rules: [{ id: 'always_store_credit_v2', conditions: { fact: 'complaint', eq: 'size_fit' }, outcome: 'store_credit' }] },
  })
  const [credit] = custom.evaluateRefundBatch([shoes()])
  assert.equal(credit.rule, 'always_store_credit_v2')
  assert.equal(snakeKeys(credit).reasons.find((r) => r.code === 'rule_matched').params.rule, 'always_store_credit_v2')
})

test('batches equal one call per case, in order, also when split across threads', async () => {
  // Large enough to be split into parts decided on several threads (from 2 × 1024 cases);
  // bad cases near the parts' edges check the indices of error entries.
  const input = cases(5000)
  const bad = [0, 1023, 1024, 2499, 2500, 2501, 4999]
  for (const i of bad) input[i] = { ...input[i], complaint: 'no_such_category' }
  const batch = engine.evaluateRefundBatch(input)
  assert.equal(batch.length, input.length)
  for (let i = 0; i < input.length; i++) {
    if (bad.includes(i)) {
      assert.deepEqual([batch[i].index, batch[i].error.field], [i, 'complaint'])
      continue
    }
    const single = engine.evaluateRefund(input[i])
    assert.deepStrictEqual(batch[i], single, `case ${i}`)
    // Same fields in the same order.
    assert.equal(JSON.stringify(batch[i]), JSON.stringify(single), `case ${i}`)
  }
  assert.deepStrictEqual(await engine.evaluateRefundBatchAsync(input), batch)
  assert.deepStrictEqual(await engine.evaluateRefundBatchAsync(input, { explain: false }), engine.evaluateRefundBatch(input, { explain: false }))
})

test('decisions of a batch are independent objects', () => {
  const [a, b] = engine.evaluateRefundBatch([shoes(), shoes()])
  assert.notEqual(a, b)
  assert.notEqual(a.trace, b.trace)
  assert.notEqual(a.trace[0], b.trace[0])
  assert.notEqual(a.returnWindow, b.returnWindow)
  a.trace[0].failed.message = 'changed'
  a.refundAmount.amount = '0'
  assert.notEqual(b.trace[0].failed.message, 'changed')
  assert.equal(b.refundAmount.amount, '60.00')
})

test('many concurrent async batches resolve to the sync results', async () => {
  const input = cases(200)
  const want = engine.evaluateRefundBatch(input)
  const all = await Promise.all(Array.from({ length: 8 }, () => engine.evaluateRefundBatchAsync(input)))
  for (const got of all) assert.deepStrictEqual(got, want)
})

test('batches work in worker threads (each has its own decoder)', async () => {
  const { Worker } = require('node:worker_threads')
  const path = require('node:path')
  const input = cases(50)
  const want = engine.evaluateRefundBatch(input)
  const source = `
    const { parentPort, workerData } = require('node:worker_threads')
    const { Engine } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'bindings-node'))})
    const engine = new Engine()
    engine.evaluateRefundBatchAsync(workerData).then((asyncResult) => {
      parentPort.postMessage({ sync: engine.evaluateRefundBatch(workerData), async: asyncResult })
    })`
  const results = await Promise.all(
    [0, 1].map(
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker(source, { eval: true, workerData: input })
          w.once('message', resolve)
          w.once('error', reject)
        }),
    ),
  )
  for (const r of results) {
    assert.deepStrictEqual(r.sync, want)
    assert.deepStrictEqual(r.async, want)
  }
})
