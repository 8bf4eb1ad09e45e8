use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::classify::{Classification, Classifier, ClassifyRequest};
use crate::domain::{Category, Language};
use crate::error::Error;
use crate::policy::{self, LoadedPolicy};

/// The one entry point: built once from a policy, immutable, cheap to clone and share between
/// threads (`Send + Sync`; clones share the compiled state).
///
/// Building an engine merges the user's policy onto the embedded default (RFC 7386 JSON Merge
/// Patch), validates the result completely and compiles it: the lexicons of all seventeen
/// languages into one automaton, the language model, the patterns. Every question after that is
/// pure computation: no I/O, no clock, no randomness.
///
/// # Example
///
/// ```
/// use aftersales::Engine;
///
/// let engine = Engine::from_json(r#"{
///     "version": "shop-2026-11",
///     "classification": {"extra_phrases": {"damaged": {"en": ["smashed to bits"]}}}
/// }"#)?;
/// let c = engine.classify("My mug arrived smashed to bits")?;
/// assert_eq!(c.primary.as_str(), "damaged");
/// assert_eq!(engine.info().policy_version, "shop-2026-11");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    policy: LoadedPolicy,
    classifier: Classifier,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("policy_version", &self.inner.policy.typed.version)
            .field("policy_hash", &self.inner.policy.hash)
            .finish_non_exhaustive()
    }
}

/// What produced a decision: library, policy and data versions, for storing beside decisions.
///
/// # Example
///
/// ```
/// let info = aftersales::Engine::new().info();
/// assert_eq!(info.library, "aftersales");
/// assert!(info.policy_hash.starts_with("sha256:"));
/// assert_eq!(info.languages.len(), 17);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EngineInfo {
    /// Always `"aftersales"`.
    pub library: &'static str,
    /// The crate version.
    pub library_version: &'static str,
    /// The policy's `version` string.
    pub policy_version: String,
    /// SHA-256 of the effective policy in canonical JSON (sorted keys, no spaces).
    pub policy_hash: String,
    /// The languages with built-in lexicons.
    pub languages: Vec<Language>,
    /// The categories the engine classifies into (base taxonomy, then the policy's own).
    pub categories: Vec<Category>,
    /// The IANA tz database release compiled in; `None` until the time engines land.
    pub tzdb_version: Option<&'static str>,
    /// The date the statutory tables are current as of; `None` until the refund engine lands.
    pub law_as_of: Option<&'static str>,
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new()
    }
}

impl Engine {
    /// An engine with the embedded default policy.
    ///
    /// # Example
    ///
    /// ```
    /// let engine = aftersales::Engine::new();
    /// assert_eq!(engine.classify("Where is my order?")?.primary.as_str(), "delivery_delay");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn new() -> Engine {
        // The embedded policy and lexicons are validated by the test suite; failing here would
        // mean a broken build, not bad input.
        Engine::build(None).expect("the embedded default policy compiles")
    }

    /// An engine from a policy in JSON, applied onto the default as a JSON Merge Patch.
    ///
    /// # Errors
    ///
    /// `invalid_policy` naming the JSON path of the first problem: malformed JSON, an unknown
    /// key, a value of the wrong type or range, an unknown category or language, a malformed
    /// phrase, a phrase to remove that the built-in lexicon does not have.
    ///
    /// # Example
    ///
    /// ```
    /// let err = aftersales::Engine::from_json(
    ///     r#"{"classification": {"extra_phrases": {"damaged": {"en": ["da*maged"]}}}}"#,
    /// ).unwrap_err();
    /// assert_eq!(err.field(), Some("classification.extra_phrases.damaged.en[0]"));
    /// ```
    pub fn from_json(policy: &str) -> Result<Engine, Error> {
        Engine::build(Some(policy::parse_json(policy)?))
    }

    /// An engine from a policy in TOML (same structure as JSON).
    ///
    /// # Errors
    ///
    /// As [`Engine::from_json`].
    ///
    /// # Example
    ///
    /// ```
    /// let engine = aftersales::Engine::from_toml(r#"
    /// version = "toml-policy"
    /// [classification]
    /// min_confidence = 0.6
    /// "#)?;
    /// assert_eq!(engine.policy()["classification"]["min_confidence"], 0.6);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn from_toml(policy: &str) -> Result<Engine, Error> {
        Engine::build(Some(policy::parse_toml(policy)?))
    }

    /// An engine from a policy given as a JSON value.
    ///
    /// # Errors
    ///
    /// As [`Engine::from_json`].
    ///
    /// # Example
    ///
    /// ```
    /// let engine = aftersales::Engine::from_value(serde_json::json!({"version": "v2"}))?;
    /// assert_eq!(engine.info().policy_version, "v2");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn from_value(policy: Value) -> Result<Engine, Error> {
        Engine::build(Some(policy))
    }

    fn build(user: Option<Value>) -> Result<Engine, Error> {
        let policy = policy::load(user)?;
        let classifier = Classifier::new(&policy.typed)?;
        Ok(Engine { inner: Arc::new(Inner { policy, classifier }) })
    }

    /// The effective policy: the default merged with the user's policy.
    ///
    /// The dump is complete and says `"extends": "none"`, so loading it back (edited or not)
    /// reproduces this engine exactly, even where the user's policy deleted defaults.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::Engine;
    ///
    /// let engine = Engine::from_json(r#"{"version": "mine"}"#)?;
    /// let dumped = engine.policy();
    /// assert_eq!(dumped["extends"], "none");
    /// let again = Engine::from_value(dumped)?;
    /// assert_eq!(again.info().policy_hash, engine.info().policy_hash);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn policy(&self) -> Value {
        let mut doc = self.inner.policy.document.clone();
        if let Value::Object(map) = &mut doc {
            map.insert("extends".into(), Value::String("none".into()));
        }
        doc
    }

    /// The versions that produce this engine's decisions.
    ///
    /// # Example
    ///
    /// ```
    /// let info = aftersales::Engine::new().info();
    /// assert_eq!(info.library_version, env!("CARGO_PKG_VERSION"));
    /// ```
    pub fn info(&self) -> EngineInfo {
        EngineInfo {
            library: "aftersales",
            library_version: env!("CARGO_PKG_VERSION"),
            policy_version: self.inner.policy.typed.version.clone(),
            policy_hash: self.inner.policy.hash.clone(),
            languages: Language::SUPPORTED.to_vec(),
            categories: self.inner.classifier.categories().to_vec(),
            tzdb_version: None,
            law_as_of: None,
        }
    }

    /// Classifies one message.
    ///
    /// Empty text is not an error: it is `other`, language `und`.
    ///
    /// # Errors
    ///
    /// `limit_exceeded` when the text is larger than the policy's `limits.max_text_bytes`
    /// (1 MiB by default).
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{Category, Engine, Language};
    ///
    /// let engine = Engine::new();
    /// let c = engine.classify("El paquete llegó a tiempo y no está roto, pero el color es incorrecto")?;
    /// assert_eq!(c.primary, Category::WrongItem);
    /// assert_eq!(c.language, Language::ES);
    /// assert!(c.negated.iter().any(|n| n.category == Some(Category::Damaged)));
    ///
    /// let empty = engine.classify("")?;
    /// assert_eq!((empty.primary, empty.language), (Category::Other, Language::UND));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn classify(&self, text: &str) -> Result<Classification, Error> {
        self.inner.classifier.classify(&ClassifyRequest::new(text))
    }

    /// Classifies a message with a subject, hints or a chosen offset unit.
    ///
    /// # Errors
    ///
    /// As [`Engine::classify`], plus `invalid_input` for a malformed `language` or `country`.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{ClassifyRequest, Engine};
    ///
    /// let engine = Engine::new();
    /// let c = engine.classify_request(&ClassifyRequest::new("¥3000 charged twice").language("ja"))?;
    /// assert_eq!(c.entities.amounts[0].currency.unwrap().code(), "JPY");
    /// let err = engine.classify_request(&ClassifyRequest::new("hi").language("english")).unwrap_err();
    /// assert_eq!(err.field(), Some("language"));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn classify_request(&self, request: &ClassifyRequest<'_>) -> Result<Classification, Error> {
        self.inner.classifier.classify(request)
    }

    /// Classifies many messages: one result per item, in order; a bad item fails only itself.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{ClassifyRequest, Engine};
    ///
    /// let engine = Engine::new();
    /// let items = [ClassifyRequest::new("Refund please"), ClassifyRequest::new("x").language("??")];
    /// let results = engine.classify_batch(&items);
    /// assert!(results[0].is_ok());
    /// assert_eq!(results[1].as_ref().unwrap_err().field(), Some("language"));
    /// ```
    pub fn classify_batch(&self, items: &[ClassifyRequest<'_>]) -> Vec<Result<Classification, Error>> {
        items.iter().map(|item| self.inner.classifier.classify(item)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
        let e = Engine::new();
        let f = e.clone();
        assert!(Arc::ptr_eq(&e.inner, &f.inner));
    }
}
