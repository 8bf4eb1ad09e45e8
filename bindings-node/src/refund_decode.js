// Decoder of the compact form of a refund batch (src/refund.rs, `Encoder`): builds the array
// of decisions and error entries that `JSON.parse` of their camelCased JSON would give, with
// the same fields in the same order. `n` (an Int32Array) holds the format, the number of parts
// of the batch (decided on different threads), then per part the number of its entries and the
// entries: flags, lengths, values, and indices into the part's string table, -1 for null.
// `tables` is a JSON array of the parts' tables. The entries are appended to `out`, a new
// array when it is null or undefined, which is returned. Run once per Node environment with
// napi_run_script; the value of the script is the function.
(function decodeRefundBatch(n, tables, out) {
  'use strict'
  if (n[0] !== 1) throw new Error(`aftersales: refund batch format ${n[0]} is not the decoder's (1)`)
  const parts = JSON.parse(tables)
  if (out == null) out = []
  let p = 2
  let x = 0
  for (let part = 0; part < n[1]; part++) {
    const s = parts[part]
    const count = n[p++]
    for (let i = 0; i < count; i++) {
      if (n[p++] === 1) {
        const kind = s[n[p++]]
        const code = s[n[p++]]
        x = n[p++]
        const field = x < 0 ? null : s[x]
        const message = s[n[p++]]
        const index = n[p++]
        out.push({ error: { kind, code, field, message }, index })
        continue
      }
      const outcome = s[n[p++]]
      let refundAmount = null
      x = n[p++]
      if (x >= 0) refundAmount = { amount: s[x], currency: s[n[p++]] }
      let storeCreditBonus = null
      x = n[p++]
      if (x >= 0) storeCreditBonus = { amount: s[x], currency: s[n[p++]] }
      const requires = []
      for (let k = n[p++]; k > 0; k--) requires.push(s[n[p++]])
      const autoApprove = n[p++] === 1
      const days = n[p++]
      const basis = s[n[p++]]
      const source = s[n[p++]]
      x = n[p++]
      const deadline = x < 0 ? null : s[x]
      const open = n[p++] === 1
      const statutory = n[p++] === 1
      x = n[p++]
      const rule = x < 0 ? null : s[x]
      const trace = []
      for (let k = n[p++]; k > 0; k--) {
        const traceRule = s[n[p++]]
        const matched = n[p++] === 1
        let failed = null
        if (n[p++] === 1) {
          const path = s[n[p++]]
          x = n[p++]
          const fact = x < 0 ? null : s[x]
          x = n[p++]
          const op = x < 0 ? null : s[x]
          const failCode = s[n[p++]]
          x = n[p++]
          const actual = x < 0 ? null : s[x]
          failed = { path, fact, op, code: failCode, actual, message: s[n[p++]] }
        }
        trace.push({ rule: traceRule, matched, failed })
      }
      const reasons = []
      for (let k = n[p++]; k > 0; k--) {
        const reasonCode = s[n[p++]]
        const params = {}
        for (let m = n[p++]; m > 0; m--) {
          const key = s[n[p++]]
          const kind = n[p++]
          if (kind === 0) params[key] = s[n[p++]]
          else if (kind === 1) params[key] = n[p++]
          else if (kind === 3) params[key] = false
          else if (kind === 4) params[key] = true
          else if (kind === 2) params[key] = JSON.parse(s[n[p++]])
          else params[key] = null
        }
        reasons.push({ code: reasonCode, params, message: s[n[p++]] })
      }
      out.push({
        outcome,
        refundAmount,
        storeCreditBonus,
        requires,
        autoApprove,
        returnWindow: { days, basis, source, deadline, open, statutory },
        rule,
        trace,
        reasons,
      })
    }
  }
  return out
})
