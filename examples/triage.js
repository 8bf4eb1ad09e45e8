// Triage the sample tickets from Node (run by `make test`).
//
//     node examples/triage.js
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const { Engine } = require(path.join(__dirname, '..', 'bindings-node'))

const engine = new Engine() // the embedded default policy
const tickets = fs
  .readFileSync(path.join(__dirname, 'tickets.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line)) // snake_case keys are accepted as well as camelCase

// One call per ticket…
const t = engine.triage(tickets[0])
console.log(t.id, t.classification.primary, t.priority.level, t.sla.nextDeadline, t.replyPlan.localSendAt, t.replyPlan.reason.message)
if (t.refund) console.log('refund:', t.refundComplaint, t.refund.outcome, t.refund.reasons.map((r) => r.code))

// …or all at once off the main thread; a bad ticket yields an error entry and fails only itself.
engine.triageBatchAsync([...tickets, { text: 'hello', createdAt: 'yesterday', now: '2026-11-20T08:00:00Z' }]).then((results) => {
  for (const r of results) {
    if (r.error) console.log(r.index, r.error.kind, r.error.field)
    else console.log(r.id, r.classification.language, r.priority.level, r.replyPlan.localSendAt)
  }
})
