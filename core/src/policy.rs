//! The policy document: embedded default, JSON Merge Patch of the user's policy, complete
//! validation naming the JSON path, and the effective merged document.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind};

/// The default policy compiled into the library.
pub(crate) static DEFAULT_POLICY: &str = include_str!("../data/policy/default.json");

/// The validated policy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Policy {
    pub version: String,
    pub limits: Limits,
    pub classification: ClassificationPolicy,
    /// Business calendars by name; compiled by the engine (`calendar::compile_all`).
    pub calendars: BTreeMap<String, Value>,
    /// Priority weights; compiled by the engine (`priority::PriorityPolicy`).
    pub priority: Value,
    /// SLA targets; compiled by the engine (`sla::SlaPolicy`).
    pub sla: Value,
    /// Refund windows, limits and rules; compiled by the engine (`refund::RefundPolicy`).
    pub refund: Value,
    /// Reply windows, weekend overrides, fallback zone; compiled by the engine
    /// (`schedule::ReplyPolicy`). Optional in a policy that extends none.
    #[serde(default)]
    pub reply: Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Limits {
    pub max_text_bytes: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClassificationPolicy {
    pub min_confidence: f64,
    pub extra_phrases: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    pub remove_phrases: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    pub categories: BTreeMap<String, CustomCategory>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CustomCategory {
    #[serde(default)]
    #[allow(dead_code)] // documentation for policy readers; kept so it round-trips and validates
    pub description: Option<String>,
    #[serde(default)]
    pub kind: CategoryKind,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum CategoryKind {
    #[default]
    Problem,
    Request,
}

/// A policy ready to compile: the effective document, its typed form and its hash.
#[derive(Debug)]
pub(crate) struct LoadedPolicy {
    pub document: Value,
    pub typed: Policy,
    pub hash: String,
}

/// Applies `patch` to `target` as an RFC 7386 JSON Merge Patch.
pub(crate) fn merge_patch(target: &mut Value, patch: Value) {
    match patch {
        Value::Object(entries) => {
            if !target.is_object() {
                *target = Value::Object(Default::default());
            }
            if let Value::Object(map) = target {
                for (key, value) in entries {
                    if value.is_null() {
                        map.remove(&key);
                    } else {
                        merge_patch(map.entry(key).or_insert(Value::Null), value);
                    }
                }
            }
        }
        other => *target = other,
    }
}

/// Loads a user policy given as a JSON value: merged onto the default unless it says
/// `"extends": "none"`, then validated.
pub(crate) fn load(user: Option<Value>) -> Result<LoadedPolicy, Error> {
    let mut document: Value = serde_json::from_str(DEFAULT_POLICY)
        .map_err(|e| Error::invalid_policy("", format!("embedded default policy: {e}")))?;
    if let Some(mut patch) = user {
        check_depth(&patch)?;
        let Value::Object(map) = &mut patch else {
            return Err(Error::invalid_policy("", "a policy must be a JSON object"));
        };
        match map.remove("extends") {
            None => merge_patch(&mut document, patch),
            Some(Value::String(s)) if s == "default" => merge_patch(&mut document, patch),
            Some(Value::String(s)) if s == "none" => document = patch,
            Some(other) => {
                return Err(Error::invalid_policy("extends", format!("must be \"default\" or \"none\", got {other}")));
            }
        }
    }
    let typed = validate(&document)?;
    let canonical = serde_json::to_vec(&document).unwrap_or_default();
    let digest = Sha256::digest(&canonical);
    let hash = format!("sha256:{}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>());
    Ok(LoadedPolicy { document, typed, hash })
}

/// Policies nest at most this deep: deeper documents are refused before anything recurses into
/// them (a JSON text is already limited by the parser; values built in code or by the bindings
/// are not).
const MAX_POLICY_DEPTH: usize = 64;

fn check_depth(doc: &Value) -> Result<(), Error> {
    let mut stack: Vec<(&Value, usize)> = vec![(doc, 0)];
    while let Some((v, depth)) = stack.pop() {
        if depth > MAX_POLICY_DEPTH {
            return Err(Error::invalid_policy("", format!("nested deeper than {MAX_POLICY_DEPTH} levels")));
        }
        match v {
            Value::Object(m) => stack.extend(m.values().map(|x| (x, depth + 1))),
            Value::Array(a) => stack.extend(a.iter().map(|x| (x, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}

/// A name users choose (category, calendar, level): snake_case, 1 to 64 bytes, a letter first.
pub(crate) fn is_snake_case(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && name.as_bytes()[0].is_ascii_lowercase()
}

/// Parses a policy written in JSON.
pub(crate) fn parse_json(text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::invalid_policy("", format!("not valid JSON: {e}")))
}

/// Parses a policy written in TOML.
pub(crate) fn parse_toml(text: &str) -> Result<Value, Error> {
    toml::from_str::<Value>(text).map_err(|e| Error::invalid_policy("", format!("not valid TOML: {}", e.message())))
}

fn validate(document: &Value) -> Result<Policy, Error> {
    let policy: Policy = serde_path_to_error::deserialize(document)
        .map_err(|e| crate::error::from_serde_path(ErrorKind::InvalidPolicy, e))?;
    if policy.version.trim().is_empty() {
        return Err(Error::invalid_policy("version", "must not be empty"));
    }
    if !(1..=64 * 1024 * 1024).contains(&policy.limits.max_text_bytes) {
        return Err(Error::invalid_policy("limits.max_text_bytes", "must be from 1 to 67108864 (64 MiB)"));
    }
    let c = &policy.classification;
    if !(c.min_confidence > 0.0 && c.min_confidence < 1.0) {
        return Err(Error::invalid_policy("classification.min_confidence", "must be greater than 0 and less than 1"));
    }
    for name in c.categories.keys() {
        let field = format!("classification.categories.{name}");
        if !is_snake_case(name) {
            return Err(Error::invalid_policy(
                field,
                "a category name is snake_case: a-z, 0-9 and _, starting with a letter",
            ));
        }
        if crate::domain::Category::from_base_name(name).is_some() {
            return Err(Error::invalid_policy(
                field,
                format!("{name:?} is a base category; only new categories are defined here"),
            ));
        }
    }
    Ok(policy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7386() {
        let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}, "l": [1, 2]});
        merge_patch(&mut doc, json!({"a": "z", "c": {"f": null, "h": 1}, "l": [3]}));
        assert_eq!(doc, json!({"a": "z", "c": {"d": "e", "h": 1}, "l": [3]}));
        let mut doc = json!([1]);
        merge_patch(&mut doc, json!({"a": {"b": null}}));
        assert_eq!(doc, json!({"a": {}}));
    }

    #[test]
    fn default_policy_is_valid() {
        let loaded = load(None).unwrap();
        assert!(loaded.hash.starts_with("sha256:"));
        assert_eq!(loaded.typed.limits.max_text_bytes, 1 << 20);
    }

    #[test]
    fn unknown_keys_are_named() {
        let err = load(Some(json!({"classification": {"extra_phrases": {}, "typo": 1}}))).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidPolicy);
        assert_eq!(err.field(), Some("classification.typo"));
        let err = load(Some(json!({"limits": {"max_text_bytes": "big"}}))).unwrap_err();
        assert_eq!(err.field(), Some("limits.max_text_bytes"));
    }

    #[test]
    fn extends_none_replaces_the_default() {
        let err = load(Some(json!({"extends": "none", "version": "x"}))).unwrap_err();
        assert_eq!(err.field(), Some("limits"));
        let mut complete = load(None).unwrap().document;
        complete["version"] = json!("mine");
        let again = load(Some(complete.clone())).unwrap();
        assert_eq!(again.document, complete);
    }
}
