// Classify customer messages from Node (run by `make test`).
//
//     node examples/classify.js
'use strict'
const path = require('node:path')
const { Engine } = require(path.join(__dirname, '..', 'bindings-node'))

const engine = new Engine() // the embedded default policy

const result = engine.classify('My parcel arrived crushed and the vase is broken. Refund please!')
console.log(result.language, result.primary, result.categories.map((c) => c.category))
const evidence = result.categories[0].evidence[0]
console.log('evidence:', evidence.text, evidence.start, evidence.end) // UTF-16 offsets

// A bad item yields an error entry and fails only itself; the async form runs off the main thread.
engine.classifyBatchAsync(['¿Dónde está mi pedido?', { text: '包裹还没到', subject: '订单' }, 42]).then((items) => {
  for (const item of items) console.log(item.primary ?? item.error.message)
})

// Errors carry code and field.
try {
  engine.classify('hello', { language: 'english' })
} catch (err) {
  console.log(err.code, err.field)
}

// A policy adds phrases without restating the built-in lexicons.
const shop = new Engine({ classification: { extra_phrases: { damaged: { en: ['smashed to bits'] } } } })
if (shop.classify('It came smashed to bits').primary !== 'damaged') throw new Error('policy phrase not applied')
