//! The JavaScript decoders of the compact transports, compiled once per Node environment (each
//! worker thread has its own) and kept in its instance data.

use napi::Env;
use napi::bindgen_prelude::*;

/// A decoder as kept between calls (its arguments are typed when it is borrowed back).
type Kept = FunctionRef<FnArgs<(Int32Array, String)>, Unknown<'static>>;

/// The decoders of one environment, each compiled on first use.
#[derive(Default)]
struct Scripts {
    refund: Option<Kept>,
    compact: Option<Kept>,
}

/// A decoder script.
#[derive(Clone, Copy)]
pub enum Script {
    /// `refund_decode.js`, of `refund.rs`.
    Refund,
    /// `compact_decode.js`, of `compact.rs`.
    Compact,
}

impl Script {
    fn source(self) -> &'static str {
        match self {
            Script::Refund => include_str!("refund_decode.js"),
            Script::Compact => include_str!("compact_decode.js"),
        }
    }
}

/// The function `script` evaluates to, typed as `F` (a `Function` of the script's arguments).
pub fn function<'env, F: FromNapiValue + 'env>(env: &'env Env, script: Script) -> Result<F> {
    let scripts = match env.get_instance_data::<Scripts>()? {
        Some(s) => s,
        None => {
            env.set_instance_data(Scripts::default(), (), |_| {})?;
            env.get_instance_data::<Scripts>()?
                .ok_or_else(|| Error::from_reason("aftersales: the instance data was not kept"))?
        }
    };
    let slot = match script {
        Script::Refund => &mut scripts.refund,
        Script::Compact => &mut scripts.compact,
    };
    let raw = match slot {
        Some(f) => f.borrow_back(env)?.raw(),
        None => {
            let f: Function<FnArgs<(Int32Array, String)>, Unknown<'static>> = env.run_script(script.source())?;
            *slot = Some(f.create_ref()?);
            f.raw()
        }
    };
    // SAFETY: `raw` is a live handle of the current scope, holding a function.
    unsafe { F::from_napi_value(env.raw(), raw) }
}
