// Throughput of the Node batch paths (sync on the main thread, async on the libuv pool), and the
// per-call cost of business-time arithmetic on a compiled `Calendar` handle.
//
//     node benches/node_batch.js        (after `make node-build`)
//
// The corpus is the one of benches/lib.rs: the customer messages of the shared fixtures and of
// examples/messages.jsonl, 50 to 400 bytes, seventeen languages.
'use strict'
const fs = require('node:fs')
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

main()
