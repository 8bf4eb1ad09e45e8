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

/** `created_at` → `createdAt`, `refunds_last_365d` → `refundsLast365d` (as the binding names
 * result fields). */
function camel(name) {
  return name.replace(/_(.)/g, (_, c) => c.toUpperCase())
}

/** `createdAt` → `created_at`: the inverse of `camel` for the library's field names. */
function snake(name) {
  if (!/[A-Z]/.test(name)) return name
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/([a-zA-Z])(\d)/g, '$1_$2')
}

/** `value` with its object keys renamed by `rename`, recursively, except below the keys in
 * `keep` (whose values are documents or data written as they are). */
function renameKeys(value, rename, keep) {
  if (Array.isArray(value)) return value.map((v) => renameKeys(v, rename, keep))
  if (value === null || typeof value !== 'object') return value
  const out = {}
  for (const [k, v] of Object.entries(value)) out[rename(k)] = keep.has(k) ? v : renameKeys(v, rename, keep)
  return out
}

/** A fixture's request as a JS caller writes it: camelCase field names, an inline calendar as
 * written (it is a policy-shaped document). */
const camelKeys = (value) => renameKeys(value, camel, new Set(['calendar', 'team_calendar']))

/** A result with the snake_case field names of the fixtures. `params` are left alone: their keys
 * are snake_case in every language, and converting them would hide a binding that renamed them. */
const snakeKeys = (value) => renameKeys(value, snake, new Set(['params']))

/** The SPEC's refund example in camelCase: €60 shoes that do not fit, 16 days after delivery in Germany. */
function sampleRefundCase(overrides = {}) {
  return {
    now: '2026-11-20T10:00:00Z',
    complaint: 'size_fit',
    destinationCountry: 'DE',
    order: {
      placedAt: '2026-11-01T09:00:00Z',
      deliveredAt: '2026-11-04T15:00:00Z',
      total: { amount: '64.90', currency: 'EUR' },
      shippingPaid: { amount: '4.90', currency: 'EUR' },
    },
    item: { price: { amount: '60.00', currency: 'EUR' } },
    returnShippingCost: { amount: '6.50', currency: 'EUR' },
    ...overrides,
  }
}

module.exports = { ROOT, aftersales, loadCases, utf16Offset, camel, snake, camelKeys, snakeKeys, sampleRefundCase }
