'use strict'
// Behaviour of the Node API around classification: inputs, errors, batches, policies.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { aftersales } = require('./helpers')
const { Engine } = aftersales

const engine = new Engine()

test('offsets are UTF-16 indices into the caller string', () => {
  const text = '😡 ¡Llegó roto! Pedido 112-4839201-1938201'
  const r = engine.classify(text)
  assert.equal(r.language, 'es')
  assert.equal(r.primary, 'damaged')
  const order = r.entities.orderIds[0]
  assert.equal(text.slice(order.start, order.end), '112-4839201-1938201')
  assert.equal(order.format, 'amazon')
})

test('result fields are camelCase, values stay snake_case', () => {
  const r = engine.classify('My parcel never arrived, tracking LX123456785CN')
  assert.ok('languageConfidence' in r && 'sentimentScore' in r)
  assert.equal(r.primary, 'not_received')
  assert.equal(r.entities.trackingNumbers[0].checkDigitValid, true)
})

test('subject evidence points into the subject', () => {
  const r = engine.classify('Please help me', { subject: 'Refund for order 4711' })
  const ev = r.categories[0].evidence[0]
  assert.equal(ev.field, 'subject')
  assert.equal('Refund for order 4711'.slice(ev.start, ev.end), ev.text)
})

test('empty text is other, und', () => {
  const r = engine.classify('')
  assert.deepEqual([r.primary, r.language, r.categories], ['other', 'und', []])
})

for (const [label, call, field] of [
  ['a number', () => engine.classify(42), 'text'],
  ['undefined', () => engine.classify(undefined), 'text'],
  ['an object', () => engine.classify({ text: 'x' }), 'text'],
  ['a lone surrogate', () => engine.classify('bad \ud800 text'), 'text'],
  ['a bad language hint', () => engine.classify('hi', { language: 'english' }), 'language'],
  ['a bad country hint', () => engine.classify('hi', { country: 'DEU' }), 'country'],
  ['non-string options', () => engine.classify('hi', { subject: 5 }), 'options'],
]) {
  test(`${label} is ERR_INVALID_INPUT naming ${field}`, () => {
    assert.throws(call, (err) => {
      assert.ok(err instanceof Error)
      assert.equal(err.code, 'ERR_INVALID_INPUT')
      assert.equal(err.kind, 'invalid_input')
      assert.equal(err.field, field)
      return true
    })
  })
}

test('text over the limit is ERR_LIMIT_EXCEEDED', () => {
  assert.throws(() => engine.classify('a'.repeat(1024 * 1024 + 1)), { code: 'ERR_LIMIT_EXCEEDED', field: 'text' })
  const small = new Engine({ limits: { max_text_bytes: 10 } })
  assert.throws(() => small.classify('more than ten bytes'), { code: 'ERR_LIMIT_EXCEEDED' })
})

test('a huge hostile text within the limit returns', () => {
  assert.equal(engine.classify('refund not damaged!! '.repeat(40000)).primary, 'refund_request')
})

test('batch mixes results and error entries, in order', () => {
  const out = engine.classifyBatch(['Where is my parcel?', { text: 'Wrong colour', language: 'en' }, 7, { txt: 'x' }, { text: 'x', language: '??' }])
  assert.equal(out[0].primary, 'delivery_delay')
  assert.equal(out[1].primary, 'wrong_item')
  assert.deepEqual(Object.keys(out[2]).sort(), ['error', 'index'])
  assert.deepEqual([out[2].error.kind, out[2].error.code, out[2].error.field, out[2].index], ['invalid_input', 'ERR_INVALID_INPUT', null, 2])
  assert.deepEqual([out[3].error.field, out[3].index], ['txt', 3])
  assert.deepEqual([out[4].error.field, out[4].index], ['language', 4])
})

test('batch equals one by one, sync and async', async () => {
  const texts = ['Paket kam kaputt an', '包裹还没到', 'Quiero cancelar mi pedido', '', 'ok', 'lone \ud800']
  const one = texts.map((t) => {
    try {
      return engine.classify(t)
    } catch (e) {
      return { kind: e.kind, field: e.field }
    }
  })
  const strip = (r) => ('error' in r ? { kind: r.error.kind, field: r.error.field } : r)
  assert.deepEqual(engine.classifyBatch(texts).map(strip), one)
  assert.deepEqual((await engine.classifyBatchAsync(texts)).map(strip), one)
})

test('batch rejects what is not an array', async () => {
  assert.throws(() => engine.classifyBatch('text'), { code: 'ERR_INVALID_INPUT', field: 'items' })
  assert.throws(() => engine.classifyBatchAsync({ length: 1 }), { code: 'ERR_INVALID_INPUT', field: 'items' })
})

test('async batch runs off the main thread', async () => {
  const texts = new Array(3000).fill('The parcel arrived crushed, refund please')
  let ticks = 0
  const timer = setInterval(() => (ticks += 1), 0)
  const out = await engine.classifyBatchAsync(texts)
  clearInterval(timer)
  assert.equal(out.length, 3000)
  assert.ok(out.every((r) => r.primary === 'damaged'))
})

test('policy from an object, a JSON string and files', () => {
  const patch = { version: 'shop-1', classification: { extra_phrases: { damaged: { en: ['smashed to bits'] } } } }
  for (const policy of [patch, JSON.stringify(patch)]) {
    const e = new Engine(policy)
    assert.equal(e.classify('It came smashed to bits').primary, 'damaged')
    assert.equal(e.info().policyVersion, 'shop-1')
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftersales-'))
  fs.writeFileSync(path.join(dir, 'p.toml'), 'version = "from-toml"\n[classification]\nmin_confidence = 0.7\n')
  assert.equal(Engine.fromFile(path.join(dir, 'p.toml')).policy().classification.min_confidence, 0.7)
  fs.writeFileSync(path.join(dir, 'p.json'), JSON.stringify(patch))
  assert.equal(Engine.fromFile(path.join(dir, 'p.json')).info().policyVersion, 'shop-1')
  assert.throws(() => Engine.fromFile(path.join(dir, 'missing.json')), { code: 'ERR_INVALID_POLICY' })
})

for (const [policy, field] of [
  [{ classification: { typo: 1 } }, 'classification.typo'],
  [{ classification: { extra_phrases: { damaged: { en: ['da*maged'] } } } }, 'classification.extra_phrases.damaged.en[0]'],
  [{ classification: { extra_phrases: { nonsense: { en: ['x'] } } } }, 'classification.extra_phrases.nonsense'],
  [{ classification: { remove_phrases: { damaged: { en: ['no such phrase'] } } } }, 'classification.remove_phrases.damaged.en[0]'],
  [{ limits: { max_text_bytes: 'big' } }, 'limits.max_text_bytes'],
]) {
  test(`bad policy names ${field}`, () => {
    assert.throws(() => new Engine(policy), { code: 'ERR_INVALID_POLICY', kind: 'invalid_policy', field })
  })
}

test('a policy must be an object, a JSON string or null', () => {
  assert.throws(() => new Engine(42), { code: 'ERR_INVALID_POLICY' })
  assert.throws(() => new Engine('{not json'), { code: 'ERR_INVALID_POLICY' })
  assert.equal(new Engine(null).info().policyHash, engine.info().policyHash)
})

test('the policy dump loads back identically', () => {
  const e = new Engine({ version: 'v7', classification: { extra_phrases: { damaged: { '*': ['kaboom'] } } } })
  const dumped = e.policy()
  assert.equal(dumped.extends, 'none')
  assert.equal(new Engine(dumped).info().policyHash, e.info().policyHash)
})

test('info names the versions', () => {
  const info = engine.info()
  assert.equal(info.library, 'aftersales')
  assert.match(info.policyHash, /^sha256:[0-9a-f]{64}$/)
  assert.equal(info.languages.length, 17)
})
