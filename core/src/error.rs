use std::fmt;

/// The one error type of the library.
///
/// Every error has a stable machine-readable [`ErrorKind`], the path of the offending field when
/// there is one (`events[3].at`, or a JSON path inside a policy such as
/// `classification.extra_phrases.damaged.en[2]`), and an English message. The Python and Node
/// bindings carry the same three values (`.kind`/`.field` on Python exceptions, `code`/`field` on
/// JS errors).
///
/// # Example
///
/// ```
/// use aftersales::{Engine, ErrorKind};
///
/// let err = Engine::from_json(r#"{"classification": {"colour": 1}}"#).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidPolicy);
/// assert_eq!(err.field(), Some("classification.colour"));
/// assert!(err.is_invalid_policy());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    // Boxed so that `Result<T, Error>` stays one pointer wide on the hot paths.
    inner: Box<Inner>,
}

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    field: Option<String>,
    message: String,
}

/// What went wrong, as a stable machine-readable value.
///
/// # Example
///
/// ```
/// use aftersales::ErrorKind;
///
/// assert_eq!(ErrorKind::LimitExceeded.as_str(), "limit_exceeded");
/// assert_eq!(ErrorKind::LimitExceeded.code(), "ERR_LIMIT_EXCEEDED");
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    /// A request field is missing, of the wrong type or out of range.
    InvalidInput,
    /// The policy document does not parse or does not validate.
    InvalidPolicy,
    /// A time zone name is not in the compiled-in tz database.
    UnknownTimeZone,
    /// A currency code is not an ISO 4217 code the library knows.
    UnknownCurrency,
    /// Two amounts in different currencies were to be compared or combined.
    CurrencyMismatch,
    /// An input is larger than the policy allows.
    LimitExceeded,
}

impl ErrorKind {
    /// The snake_case name used in batch results and by the Python binding (`invalid_input`).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::ErrorKind::InvalidInput.as_str(), "invalid_input");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::InvalidPolicy => "invalid_policy",
            ErrorKind::UnknownTimeZone => "unknown_time_zone",
            ErrorKind::UnknownCurrency => "unknown_currency",
            ErrorKind::CurrencyMismatch => "currency_mismatch",
            ErrorKind::LimitExceeded => "limit_exceeded",
        }
    }

    /// The code carried by JS errors and batch entries (`ERR_INVALID_INPUT`).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::ErrorKind::UnknownTimeZone.code(), "ERR_UNKNOWN_TIME_ZONE");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "ERR_INVALID_INPUT",
            ErrorKind::InvalidPolicy => "ERR_INVALID_POLICY",
            ErrorKind::UnknownTimeZone => "ERR_UNKNOWN_TIME_ZONE",
            ErrorKind::UnknownCurrency => "ERR_UNKNOWN_CURRENCY",
            ErrorKind::CurrencyMismatch => "ERR_CURRENCY_MISMATCH",
            ErrorKind::LimitExceeded => "ERR_LIMIT_EXCEEDED",
        }
    }

    /// Every kind, in declaration order (for bindings that map each kind to a class).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::ErrorKind::ALL.len(), 6);
    /// ```
    pub const ALL: [ErrorKind; 6] = [
        ErrorKind::InvalidInput,
        ErrorKind::InvalidPolicy,
        ErrorKind::UnknownTimeZone,
        ErrorKind::UnknownCurrency,
        ErrorKind::CurrencyMismatch,
        ErrorKind::LimitExceeded,
    ];
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// An error of `kind` about `field` (a path such as `items[2].text`, or `None`).
    ///
    /// The library's own errors come from its operations; this constructor is for code that
    /// validates around the library (the Python and Node bindings use it for values that never
    /// reach the core, such as a Python object that is not a string) and wants one error type.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{Error, ErrorKind};
    ///
    /// let e = Error::new(ErrorKind::InvalidInput, Some("text"), "expected a string, got int");
    /// assert_eq!(e.to_string(), "invalid_input: text: expected a string, got int");
    /// ```
    pub fn new(kind: ErrorKind, field: Option<&str>, message: impl Into<String>) -> Error {
        Error::make(kind, field.filter(|f| !f.is_empty()).map(str::to_string), message)
    }

    pub(crate) fn make(kind: ErrorKind, field: Option<String>, message: impl Into<String>) -> Error {
        Error { inner: Box::new(Inner { kind, field, message: message.into() }) }
    }

    /// The same error about a field inside `parent`: its field path is put under `parent`
    /// (`amount` becomes `order.total.amount`; no field becomes `parent` itself).
    pub(crate) fn within(mut self, parent: &str) -> Error {
        let field = match self.inner.field.take() {
            Some(f) => crate::request::join(parent, &f),
            None => parent.to_string(),
        };
        self.inner.field = non_empty(field);
        self
    }

    pub(crate) fn invalid_input(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::make(ErrorKind::InvalidInput, non_empty(field.into()), message)
    }

    pub(crate) fn invalid_policy(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::make(ErrorKind::InvalidPolicy, non_empty(field.into()), message)
    }

    pub(crate) fn limit_exceeded(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::make(ErrorKind::LimitExceeded, non_empty(field.into()), message)
    }

    /// What went wrong.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{Engine, ErrorKind};
    ///
    /// let err = Engine::from_json("{").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidPolicy);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The stable code of the kind (`ERR_INVALID_POLICY`), as JS errors carry it.
    ///
    /// # Example
    ///
    /// ```
    /// let err = aftersales::Engine::from_json("[]").unwrap_err();
    /// assert_eq!(err.code(), "ERR_INVALID_POLICY");
    /// ```
    pub fn code(&self) -> &'static str {
        self.inner.kind.code()
    }

    /// The path of the offending field, if the error is about one field.
    ///
    /// Request paths use the snake_case names of the Rust and Python API (`items[2].text`);
    /// policy paths are JSON paths inside the merged policy document.
    ///
    /// # Example
    ///
    /// ```
    /// let err = aftersales::Engine::from_json(r#"{"limits": {"max_text_bytes": -1}}"#).unwrap_err();
    /// assert_eq!(err.field(), Some("limits.max_text_bytes"));
    /// ```
    pub fn field(&self) -> Option<&str> {
        self.inner.field.as_deref()
    }

    /// The English explanation, without the kind and field prefix that `Display` adds.
    ///
    /// # Example
    ///
    /// ```
    /// let err = aftersales::Engine::from_json(r#"{"version": 3}"#).unwrap_err();
    /// assert!(err.message().contains("string"));
    /// ```
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// True for [`ErrorKind::InvalidInput`].
    ///
    /// # Example
    ///
    /// ```
    /// let engine = aftersales::Engine::new();
    /// let huge = "a".repeat(2 << 20);
    /// assert!(!engine.classify(&huge).unwrap_err().is_invalid_input());
    /// ```
    pub fn is_invalid_input(&self) -> bool {
        self.inner.kind == ErrorKind::InvalidInput
    }

    /// True for [`ErrorKind::InvalidPolicy`].
    ///
    /// # Example
    ///
    /// ```
    /// assert!(aftersales::Engine::from_json("{").unwrap_err().is_invalid_policy());
    /// ```
    pub fn is_invalid_policy(&self) -> bool {
        self.inner.kind == ErrorKind::InvalidPolicy
    }

    /// True for [`ErrorKind::LimitExceeded`].
    ///
    /// # Example
    ///
    /// ```
    /// let engine = aftersales::Engine::new();
    /// let huge = "a".repeat(2 << 20);
    /// assert!(engine.classify(&huge).unwrap_err().is_limit_exceeded());
    /// ```
    pub fn is_limit_exceeded(&self) -> bool {
        self.inner.kind == ErrorKind::LimitExceeded
    }
}

fn non_empty(s: String) -> Option<String> {
    if s.is_empty() { None } else { Some(s) }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner.field {
            Some(field) => write!(f, "{}: {}: {}", self.inner.kind, field, self.inner.message),
            None => write!(f, "{}: {}", self.inner.kind, self.inner.message),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("field", &self.inner.field)
            .field("message", &self.inner.message)
            .finish()
    }
}

impl std::error::Error for Error {}

/// Converts a serde error with its path into an error of `kind`, naming the field.
pub(crate) fn from_serde_path(kind: ErrorKind, err: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let mut path = json_path(err.path());
    let message = clean_serde_message(&err.into_inner().to_string());
    // serde reports a missing field at its parent; name the field itself.
    if let Some(name) = message.strip_prefix("missing field `").and_then(|m| m.strip_suffix('`')) {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(name);
    }
    Error::make(kind, non_empty(path), message)
}

/// Deserialises a request from a JSON value, naming the offending field on error.
pub(crate) fn from_value<T: serde::Deserialize<'static>>(value: serde_json::Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| from_serde_path(ErrorKind::InvalidInput, e))
}

/// Parses request JSON into `T`, naming the offending field on error (`invalid_input`).
pub(crate) fn parse_json<'de, T: serde::Deserialize<'de>>(json: &'de str) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| from_serde_path(ErrorKind::InvalidInput, e))?;
    de.end().map_err(|e| Error::invalid_input("", clean_serde_message(&e.to_string())))?;
    Ok(value)
}

/// Renders a serde path the way the rest of the library writes field paths (`a.b[2].c`).
pub(crate) fn json_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    out
}

// serde_json appends " at line L column C"; the field path already says where.
fn clean_serde_message(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => msg[..i].to_string(),
        _ => msg.to_string(),
    }
}
