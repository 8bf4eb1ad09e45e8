'use strict'
// Shared helpers of the Node suite: the package under test and the shared fixtures.
const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..', '..')
const aftersales = require(path.join(ROOT, 'bindings-node'))

function loadCases(kind) {
  const dir = path.join(ROOT, 'tests', 'fixtures', kind)
  const cases = []
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    for (const c of JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))) {
      cases.push({ file, ...c })
    }
  }
  return cases
}

/** Code-point offset in `s` → UTF-16 offset (the unit of JS strings). */
function utf16Offset(s, codePoints) {
  let units = 0
  let n = 0
  for (const ch of s) {
    if (n === codePoints) break
    units += ch.length
    n += 1
  }
  return units
}

module.exports = { ROOT, aftersales, loadCases, utf16Offset }
