'use strict'
// The README's JavaScript examples run as written (with `require('aftersales')` resolved to the
// package under test): the README cannot drift from the code.
const { test } = require('node:test')
const assert = require('node:assert')
const fs = require('node:fs')
const path = require('node:path')
const { ROOT } = require('./helpers')

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1])
const AsyncFunction = (async () => {}).constructor

function requireForReadme(name) {
  return name === 'aftersales' ? require(path.join(ROOT, 'bindings-node')) : require(name)
}

test('the README has JavaScript examples', () => {
  assert.ok(blocks.length >= 3)
})

blocks.forEach((code, i) => {
  test(`README JavaScript example ${i}`, async () => {
    const log = console.log
    console.log = () => {}
    try {
      await new AsyncFunction('require', code)(requireForReadme)
    } finally {
      console.log = log
    }
  })
})
