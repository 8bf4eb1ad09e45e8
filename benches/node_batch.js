// Throughput of the Node batch paths (sync on the main thread, async on the libuv pool).
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
}

main()
