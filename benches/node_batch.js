// Throughput of the Node batch paths (sync on the main thread, async on the libuv pool), the
// per-call cost of business-time arithmetic on a compiled `Calendar` handle, and refund
// evaluation in batches.
//
//     node benches/node_batch.js          (after `make node-build`)
//     node benches/node_batch.js refund   (the refund part only)
//
// The classification corpus is the one of benches/lib.rs: the customer messages of the shared
// fixtures and of examples/messages.jsonl, 50 to 400 bytes, seventeen languages. The refund
// corpus is 10,000 generated cases (fixed seed) across complaints, countries, currencies, prices,
// tags, evidence and customer histories, decided by the default policy and by the 20 rules of
// benches/data/refund_20_rules.json (the policy benches/python_batch.py measures too).
'use strict'
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Engine } = require(path.join(__dirname, '..', 'bindings-node'))

const ROOT = path.join(__dirname, '..')

function mixedMessages() {
  const out = []
  const dir = path.join(ROOT, 'tests', 'fixtures', 'classify')
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    for (const c of JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) out.push(c.input.text)
  }
  for (const line of fs.readFileSync(path.join(ROOT, 'examples', 'messages.jsonl'), 'utf8').split('\n')) {
    if (line.trim()) out.push(JSON.parse(line).text)
  }
  return out.filter((m) => Buffer.byteLength(m) >= 50 && Buffer.byteLength(m) <= 400)
}

async function main() {
  if (process.argv[2] === 'refund') return refundBatches()
  if (process.argv[2] === 'triage') return triageBatches()
  const engine = new Engine()
  const messages = mixedMessages()
  const batch = []
  while (batch.length < 20000) batch.push(...messages)
  engine.classifyBatch(batch.slice(0, 1000))
  let best = 0
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint()
    engine.classifyBatch(batch)
    best = Math.max(best, batch.length / (Number(process.hrtime.bigint() - t) / 1e9))
  }
  console.log(`classifyBatch: ${Math.round(best).toLocaleString('en')} messages/s (${(1e6 / best).toFixed(1)} µs per message)`)
  best = 0
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint()
    await engine.classifyBatchAsync(batch)
    best = Math.max(best, batch.length / (Number(process.hrtime.bigint() - t) / 1e9))
  }
  console.log(`classifyBatchAsync: ${Math.round(best).toLocaleString('en')} messages/s (one batch on one pool thread)`)
  const t = process.hrtime.bigint()
  for (const m of batch.slice(0, 5000)) engine.classify(m)
  const rate = 5000 / (Number(process.hrtime.bigint() - t) / 1e9)
  console.log(`classify (one call per message): ${Math.round(rate).toLocaleString('en')} messages/s`)
  calendarCalls(engine)
  await refundBatches()
  await triageBatches()
}

/** triageBatch / triageBatchAsync of 10,000 tickets (the sample tickets of
 * examples/tickets.jsonl, cycled), to compare with the Rust `triage_batch/10,000 tickets` bench. */
async function triageBatches() {
  const engine = new Engine()
  const sample = fs
    .readFileSync(path.join(__dirname, '..', 'examples', 'tickets.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
  const tickets = []
  while (tickets.length < 10000) tickets.push(...sample)
  tickets.length = 10000
  if (engine.triageBatch(tickets.slice(0, 100)).some((r) => r.error)) throw new Error('a sample ticket failed')
  const fmt = (r) => `${Math.round(r).toLocaleString('en')} tickets/s (${(1e6 / r).toFixed(1)} µs per ticket)`
  console.log(`triageBatchAsync, 10,000 tickets: ${fmt(await rate(tickets, (c) => engine.triageBatchAsync(c), 5))}`)
  console.log(`triageBatch, 10,000 tickets:      ${fmt(await rate(tickets, (c) => engine.triageBatch(c), 5))}`)
  const single = tickets.slice(0, 2000)
  console.log(`triage, one call per ticket:      ${fmt(await rate(single, (c) => c.forEach((x) => engine.triage(x)), 3))}`)
}

/** µs per call of `fn`, best of five runs of `n` calls after a warm-up. */
function perCall(fn, n = 500000) {
  for (let i = 0; i < 50000; i++) fn(i)
  let best = Infinity
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint()
    for (let i = 0; i < n; i++) fn(i)
    best = Math.min(best, Number(process.hrtime.bigint() - t) / n / 1000)
  }
  return best
}

// A 2-hour target on `eu_support` (Mon–Fri 09:00–18:00 Berlin) from starts spread over a week,
// so that some cross a closing time or a weekend; conversions of the arguments and the result
// included.
function calendarCalls(engine) {
  const eu = engine.calendar('eu_support')
  const base = Date.parse('2026-11-23T08:00:00Z')
  const dates = Array.from({ length: 64 }, (_, i) => new Date(base + i * 9_450_000))
  const strings = dates.map((d) => d.toISOString().replace('.000Z', 'Z'))
  const date = perCall((i) => eu.addBusinessTime(dates[i & 63], 7200))
  const string = perCall((i) => eu.addBusinessTime(strings[i & 63], 7200))
  const between = perCall((i) => eu.businessTimeBetween(strings[i & 31], dates[(i & 31) + 32]))
  console.log(`Calendar.addBusinessTime (2 h, eu_support): ${date.toFixed(2)} µs per call with a Date, ${string.toFixed(2)} µs with a string`)
  console.log(`Calendar.businessTimeBetween (3.5-day spans): ${between.toFixed(2)} µs per call`)
}

// ---------------------------------------------------------------------------------------------
// Refund evaluation.

/** 10,000 refund cases as a storefront back end writes them (camelCase, decimal strings),
 * from a fixed seed. */
function refundCases(n = 10000) {
  let seed = 0x2545f491
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return seed / 2 ** 32
  }
  const pick = (xs) => xs[Math.floor(rand() * xs.length)]
  const markets = [
    ['DE', 'EUR', 2], ['FR', 'EUR', 2], ['NL', 'EUR', 2], ['IT', 'EUR', 2], ['ES', 'EUR', 2], ['GB', 'GBP', 2],
    ['US', 'USD', 2], ['CA', 'CAD', 2], ['AU', 'AUD', 2], ['JP', 'JPY', 0], ['BR', 'BRL', 2], ['MX', 'MXN', 2],
  ]
  const complaints = [
    'size_fit', 'size_fit', 'return_request', 'refund_request', 'damaged', 'defective', 'not_received',
    'wrong_item', 'missing_item', 'not_as_described', 'cancellation',
  ]
  const tagSets = [[], [], [], ['final_sale'], ['hygiene', 'opened'], ['hygiene', 'sealed'], ['battery'], ['personalized'], ['used']]
  const statuses = ['delivered', 'in_transit', 'lost', 'exception', 'pending', 'info_received']
  const now = Date.parse('2026-11-20T10:00:00Z')
  const day = 86_400_000
  const money = (minor, currency, exp) => ({ amount: exp === 0 ? String(minor) : (minor / 10 ** exp).toFixed(exp), currency })
  const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z')
  const cases = []
  for (let i = 0; i < n; i++) {
    const [country, currency, exp] = pick(markets)
    const scale = exp === 0 ? 1 : 100
    const complaint = pick(complaints)
    const price = Math.round((3 + rand() * 180) * (currency === 'JPY' ? 150 : 1)) * scale
    const quantity = rand() < 0.85 ? 1 : 2
    const shipping = Math.round(4.9 * scale * (currency === 'JPY' ? 150 : 1) / scale) * scale
    const placed = now - Math.floor(rand() * 120 + 1) * day - Math.floor(rand() * day)
    const delivered = complaint === 'not_received' || (complaint === 'cancellation' && rand() < 0.7) ? null : Math.min(placed + Math.floor(rand() * 8 + 1) * day, now)
    cases.push({
      now: iso(now),
      complaint,
      destinationCountry: country,
      order: {
        placedAt: iso(placed),
        deliveredAt: delivered === null ? null : iso(delivered),
        total: money(price * quantity + shipping, currency, exp),
        shippingPaid: money(shipping, currency, exp),
        marketplace: pick(['shopify', 'amazon', 'own_store']),
      },
      item: { sku: `SKU-${i % 997}`, price: money(price, currency, exp), quantity, tags: pick(tagSets) },
      evidence: { photo: rand() < 0.5, video: rand() < 0.1 },
      returnShippingCost: money(Math.round(6.5 * (currency === 'JPY' ? 150 : 1)) * scale, currency, exp),
      customer: {
        refundsLast365d: Math.floor(rand() * rand() * 9),
        ordersCount: Math.floor(rand() * 40) + 1,
        abuseFlag: rand() < 0.02,
        tier: pick(['regular', 'regular', 'vip', 'new']),
      },
      shipmentStatus: delivered === null ? pick(statuses.slice(1)) : 'delivered',
    })
  }
  return cases
}

/** Evaluations per second of `run(cases)`, best of `runs` runs after a warm-up (the best run
 * is the one least disturbed by other work on the machine). */
async function rate(cases, run, runs = 10) {
  await run(cases.slice(0, 500))
  let best = 0
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint()
    await run(cases)
    best = Math.max(best, cases.length / (Number(process.hrtime.bigint() - t) / 1e9))
  }
  return best
}

async function refundBatches() {
  const cases = refundCases()
  const policy20 = JSON.parse(fs.readFileSync(path.join(__dirname, 'data', 'refund_20_rules.json'), 'utf8'))
  const fmt = (r) => `${Math.round(r).toLocaleString('en')} evaluations/s (${(1e6 / r).toFixed(2)} µs per case)`
  // Batches of 2,048 cases or more are decided on up to one thread per core (at most 8); ten
  // batches of 1,000 show what one thread does.
  const inThousands = (engine, options) => (c) => {
    for (let i = 0; i < c.length; i += 1000) engine.evaluateRefundBatch(c.slice(i, i + 1000), options)
  }
  console.log(`refund batches: ${cases.length.toLocaleString('en')} cases, ${os.availableParallelism()} cores available`)
  const engines = [['default policy (14 rules)', new Engine()], ['20-rule policy', new Engine(policy20)]]
  for (const [label, engine] of engines) {
    const out = engine.evaluateRefundBatch(cases)
    const errors = out.filter((d) => d.error).length
    const rules = new Set(out.map((d) => d.rule))
    const trace = out.reduce((n, d) => n + (d.trace?.length ?? 0), 0) / out.length
    const bytes = JSON.stringify(out).length
    console.log(
      `evaluateRefundBatch, ${label}: ${errors} errors, ${rules.size} distinct deciding rules (or none), ` +
        `${trace.toFixed(1)} trace entries and ${(bytes / cases.length).toFixed(0)} bytes of JSON per decision`,
    )
    console.log(`  explain: true                ${fmt(await rate(cases, (c) => engine.evaluateRefundBatch(c)))}`)
    console.log(`  explain: false               ${fmt(await rate(cases, (c) => engine.evaluateRefundBatch(c, { explain: false })))}`)
    console.log(`  async, explain: false        ${fmt(await rate(cases, (c) => engine.evaluateRefundBatchAsync(c, { explain: false })))}`)
    console.log(`  batches of 1,000, explain: false (one thread)  ${fmt(await rate(cases, inThousands(engine, { explain: false })))}`)
    const single = cases.slice(0, 2000)
    console.log(`  evaluateRefund, one call per case              ${fmt(await rate(single, (c) => c.forEach((x) => engine.evaluateRefund(x)), 5))}`)
  }
}

main()
