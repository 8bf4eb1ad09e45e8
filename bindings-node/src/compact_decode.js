// Decoder of the compact form (src/compact.rs): builds the values that `JSON.parse` of their
// camelCased JSON would give. `n` (an Int32Array) holds the format, the number of parts, then
// per part its shapes (their number; per shape its key count and the table indices of its
// keys), its number of values and the values; `tables` is a JSON array of the parts' string
// tables. Each shape becomes a function returning an object literal with the shape's keys,
// compiled once per Node environment and kept: V8 builds such objects far faster than it
// parses text. Values are appended to `out` (a new array when null), which is returned. Run
// once per environment with napi_run_script; the value of the script is the function.
(function () {
  'use strict'
  const compiled = new Map()
  // A double crosses as its low and high 32 bits, read back whatever this machine's byte order.
  const bits = new DataView(new ArrayBuffer(8))
  // A key as an object-literal property: `["__proto__"]` is an own property, as in JSON.parse,
  // where `"__proto__":` would set the prototype.
  const property = (k) => (k === '__proto__' ? '["__proto__"]' : JSON.stringify(k))
  // Where code generation is disallowed (--disallow-code-generation-from-strings): the same
  // objects, built key by key.
  const byKeys = (keys) => (v) => {
    const o = {}
    for (const k of keys) {
      const value = v()
      if (k === '__proto__') Object.defineProperty(o, k, { value, writable: true, enumerable: true, configurable: true })
      else o[k] = value
    }
    return o
  }
  function shape(keys) {
    const signature = JSON.stringify(keys)
    let f = compiled.get(signature)
    if (f === undefined) {
      try {
        // Keys reach the source only through JSON.stringify.
        f = new Function('v', `return {${keys.map((k) => `${property(k)}: v()`).join(', ')}}`)
      } catch (e) {
        f = byKeys(keys)
      }
      if (compiled.size > 10000) compiled.clear()
      compiled.set(signature, f)
    }
    return f
  }
  return function decodeCompact(n, tables, out) {
    if (n[0] !== 1) throw new Error(`aftersales: compact format ${n[0]} is not the decoder's (1)`)
    const all = JSON.parse(tables)
    if (out == null) out = []
    let p = 2
    let s = null
    let shapes = null
    const v = () => {
      switch (n[p++]) {
        case 0:
          return null
        case 1:
          return false
        case 2:
          return true
        case 3:
          return n[p++]
        case 4:
          bits.setInt32(0, n[p++], true)
          bits.setInt32(4, n[p++], true)
          return bits.getFloat64(0, true)
        case 5:
          return s[n[p++]]
        case 6: {
          const a = []
          for (let k = n[p++]; k > 0; k--) a.push(v())
          return a
        }
        case 7:
          return shapes[n[p++]](v)
        default:
          throw new Error(`aftersales: compact value ${n[p - 1]} at ${p - 1} is not known`)
      }
    }
    for (let part = 0; part < n[1]; part++) {
      s = all[part]
      shapes = []
      for (let k = n[p++]; k > 0; k--) {
        const keys = []
        for (let m = n[p++]; m > 0; m--) keys.push(s[n[p++]])
        shapes.push(shape(keys))
      }
      for (let k = n[p++]; k > 0; k--) out.push(v())
    }
    return out
  }
})()
