//! Node binding of the `aftersales` crate: a thin layer of conversions. Every decision is made by
//! the core. Values cross the boundary as JSON, which V8 parses and prints faster than napi can
//! build objects property by property: inputs through `JSON.stringify`, results through
//! `JSON.parse` of camelCased JSON (`camel.rs`). Batch work runs off the main thread in the
//! `…Async` variants, which also parse their input and print their output there.

#![deny(clippy::all)]

mod camel;

use aftersales::{ClassifyRequest, Engine, Error as CoreError, ErrorKind, OffsetUnit};
use napi::bindgen_prelude::*;
use napi::{Env, JsString, ScopedTask, ValueType};
use napi_derive::napi;
use serde_json::value::RawValue;

/// Throws a JS `Error` carrying the core error's `code`, `kind`, `field`, and returns the
/// marker that tells napi an exception is already pending.
fn throw(env: &Env, err: &CoreError) -> napi::Error {
    let result = (|| -> Result<()> {
        let mut obj = env.create_error(napi::Error::new(Status::GenericFailure, err.to_string()))?;
        obj.set("code", err.code())?;
        obj.set("kind", err.kind().as_str())?;
        obj.set("field", err.field())?;
        obj.set("detail", err.message())?;
        env.throw(obj)
    })();
    match result {
        Ok(()) => napi::Error::new(Status::PendingException, err.to_string()),
        Err(e) => e,
    }
}

fn invalid_input(env: &Env, field: &str, message: impl Into<String>) -> napi::Error {
    throw(env, &CoreError::new(ErrorKind::InvalidInput, Some(field), message))
}

/// `JSON.stringify(value)`, or `None` for `undefined`.
fn stringify(env: &Env, value: Unknown<'_>) -> Result<Option<String>> {
    let json: Object = env.get_global()?.get_named_property("JSON")?;
    let f: Function<Unknown, Unknown> = json.get_named_property("stringify")?;
    let out = f.call(value)?;
    match out.get_type()? {
        ValueType::String => {
            let s: JsString = unsafe { out.cast()? };
            Ok(Some(s.into_utf8()?.as_str()?.to_owned()))
        }
        _ => Ok(None),
    }
}

/// `JSON.parse(text)`.
fn parse<'env>(env: &'env Env, text: &str) -> Result<Unknown<'env>> {
    let json: Object = env.get_global()?.get_named_property("JSON")?;
    let f: Function<JsString, Unknown> = json.get_named_property("parse")?;
    f.call(env.create_string(text)?)
}

/// A JS string as Rust text, refusing lone surrogates (which UTF-8 cannot hold).
fn text_arg(env: &Env, value: Unknown<'_>, field: &str) -> Result<String> {
    if value.get_type()? != ValueType::String {
        let kind = format!("{:?}", value.get_type()?).to_lowercase();
        return Err(invalid_input(env, field, format!("expected a string, got {kind}")));
    }
    let s: JsString = unsafe { value.cast()? };
    let utf16 = s.into_utf16()?;
    // The buffer ends with the NUL terminator napi writes.
    let units = utf16.as_slice().split_last().map_or(&[][..], |(_, rest)| rest);
    String::from_utf16(units)
        .map_err(|_| invalid_input(env, field, "string is not valid Unicode (it holds a lone surrogate)"))
}

/// A core result as a JS value.
fn to_js<'env, T: serde::Serialize + ?Sized>(env: &'env Env, value: &T) -> Result<Unknown<'env>> {
    let json = camel::to_json(value).map_err(|e| napi::Error::from_reason(e.to_string()))?;
    parse(env, &json)
}

/// A batch of classification results as JSON: results, or error entries for failed items.
fn batch_json(engine: &Engine, items_json: &str) -> std::result::Result<String, CoreError> {
    let items: Vec<&RawValue> = serde_json::from_str(items_json).map_err(|_| {
        CoreError::new(ErrorKind::InvalidInput, Some("items"), "expected an array of strings or objects")
    })?;
    let mut out = String::with_capacity(items.len() * 512 + 2);
    out.push('[');
    for (i, raw) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let result = ClassifyRequest::from_json(raw.get())
            .map(|r| r.offsets(OffsetUnit::Utf16))
            .and_then(|r| engine.classify_request(&r));
        let json = match result {
            Ok(c) => camel::to_json(&c),
            Err(e) => camel::to_json(&BatchError::new(i, &e)),
        };
        out.push_str(&json.map_err(|e| CoreError::new(ErrorKind::InvalidInput, Some("items"), e.to_string()))?);
    }
    out.push(']');
    Ok(out)
}

/// `{"error": {kind, code, field, message}, "index": i}` for an item that failed.
#[derive(serde::Serialize)]
struct BatchError<'a> {
    error: BatchErrorDetail<'a>,
    index: usize,
}

#[derive(serde::Serialize)]
struct BatchErrorDetail<'a> {
    kind: &'static str,
    code: &'static str,
    field: Option<&'a str>,
    message: &'a str,
}

impl<'a> BatchError<'a> {
    fn new(index: usize, e: &'a CoreError) -> BatchError<'a> {
        BatchError {
            error: BatchErrorDetail { kind: e.kind().as_str(), code: e.code(), field: e.field(), message: e.message() },
            index,
        }
    }
}

/// The after-sales engine: built once from a policy, immutable.
#[napi(js_name = "Engine")]
pub struct JsEngine {
    engine: Engine,
}

#[napi]
impl JsEngine {
    /// Builds an engine from a policy (an object or a JSON string) applied onto the embedded
    /// default; with no argument, the default policy.
    #[napi(constructor, ts_args_type = "policy?: Policy | string | null")]
    pub fn new(env: Env, policy: Option<Unknown>) -> Result<JsEngine> {
        let engine = match policy {
            None => Engine::new(),
            Some(p) => match p.get_type()? {
                ValueType::Undefined | ValueType::Null => Engine::new(),
                ValueType::String => {
                    let json = text_arg(&env, p, "policy")?;
                    Engine::from_json(&json).map_err(|e| throw(&env, &e))?
                }
                ValueType::Object => {
                    let json = stringify(&env, p)?.unwrap_or_default();
                    Engine::from_json(&json).map_err(|e| throw(&env, &e))?
                }
                other => {
                    let e = CoreError::new(
                        ErrorKind::InvalidPolicy,
                        None,
                        format!("a policy is an object, a JSON string or null, not {other:?}"),
                    );
                    return Err(throw(&env, &e));
                }
            },
        };
        Ok(JsEngine { engine })
    }

    /// Builds an engine from a policy file (`.toml` as TOML, anything else as JSON).
    #[napi(factory)]
    pub fn from_file(env: Env, path: String) -> Result<JsEngine> {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            throw(&env, &CoreError::new(ErrorKind::InvalidPolicy, None, format!("cannot read {path}: {e}")))
        })?;
        let engine = if path.to_ascii_lowercase().ends_with(".toml") {
            Engine::from_toml(&text)
        } else {
            Engine::from_json(&text)
        };
        Ok(JsEngine { engine: engine.map_err(|e| throw(&env, &e))? })
    }

    /// Classifies one message. Offsets in the result are UTF-16 indices into `text`.
    #[napi(ts_args_type = "text: string, options?: ClassifyOptions | null", ts_return_type = "Classification")]
    pub fn classify<'env>(&self, env: &'env Env, text: Unknown, options: Option<Unknown>) -> Result<Unknown<'env>> {
        let text = text_arg(env, text, "text")?;
        let mut request = ClassifyRequest::new(text.as_str()).offsets(OffsetUnit::Utf16);
        let options_json = match options {
            Some(o) if o.get_type()? == ValueType::Object => stringify(env, o)?,
            Some(o) if matches!(o.get_type()?, ValueType::Undefined | ValueType::Null) => None,
            Some(_) => return Err(invalid_input(env, "options", "expected an object")),
            None => None,
        };
        let options: Option<ClassifyOptions> = match &options_json {
            Some(json) => Some(serde_json::from_str(json).map_err(|e| invalid_input(env, "options", e.to_string()))?),
            None => None,
        };
        if let Some(o) = &options {
            request.subject = o.subject.as_deref().map(Into::into);
            request.language = o.language.as_deref().map(Into::into);
            request.country = o.country.as_deref().map(Into::into);
        }
        let result = self.engine.classify_request(&request).map_err(|e| throw(env, &e))?;
        to_js(env, &result)
    }

    /// Classifies many messages (strings or `{text, subject, language, country}` objects): one
    /// result per item, in order; a bad item yields `{error, index}` and fails only itself.
    #[napi(ts_args_type = "items: Array<string | ClassifyItem>", ts_return_type = "Array<Classification | BatchError>")]
    pub fn classify_batch<'env>(&self, env: &'env Env, items: Unknown) -> Result<Unknown<'env>> {
        let json = batch_input(env, items)?;
        let out = batch_json(&self.engine, &json).map_err(|e| throw(env, &e))?;
        parse(env, &out)
    }

    /// As `classifyBatch`, computed on the libuv thread pool: the main thread only turns the
    /// input into JSON and parses the result.
    #[napi(
        ts_args_type = "items: Array<string | ClassifyItem>",
        ts_return_type = "Promise<Array<Classification | BatchError>>"
    )]
    pub fn classify_batch_async(&self, env: &Env, items: Unknown) -> Result<AsyncTask<ClassifyBatchTask>> {
        let json = batch_input(env, items)?;
        Ok(AsyncTask::new(ClassifyBatchTask { engine: self.engine.clone(), input: json }))
    }

    /// The effective policy (the default merged with this engine's policy), as written in
    /// policy documents (snake_case).
    #[napi(ts_return_type = "Policy")]
    pub fn policy<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        parse(env, &self.engine.policy().to_string())
    }

    /// Library, policy and data versions, to store beside decisions.
    #[napi(ts_return_type = "EngineInfo")]
    pub fn info<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        to_js(env, &self.engine.info())
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassifyOptions {
    subject: Option<String>,
    language: Option<String>,
    country: Option<String>,
}

/// The batch argument as JSON, refusing anything but an array.
fn batch_input(env: &Env, items: Unknown<'_>) -> Result<String> {
    let is_array = items.is_array()?;
    if !is_array {
        return Err(invalid_input(env, "items", "expected an array of strings or objects"));
    }
    Ok(stringify(env, items)?.unwrap_or_else(|| "[]".into()))
}

pub struct ClassifyBatchTask {
    engine: Engine,
    input: String,
}

impl<'task> ScopedTask<'task> for ClassifyBatchTask {
    type Output = std::result::Result<String, CoreError>;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(batch_json(&self.engine, &self.input))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Self::JsValue> {
        match output {
            Ok(json) => parse(env, &json),
            Err(e) => Err(throw(env, &e)),
        }
    }
}
