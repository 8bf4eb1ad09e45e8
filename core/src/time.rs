//! Instants and durations as they cross the API: RFC 3339 instants, policy durations (`"1h 30m"`).

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;

/// An instant, with millisecond precision.
///
/// Read from RFC 3339 with an offset (`2026-03-29T01:30:00+01:00`, `…Z`); written in UTC with
/// `Z`, in whole seconds unless the milliseconds are not zero (`2026-03-29T00:30:00Z`). Converts
/// from and to chrono's `DateTime`. Years 1 to 9999.
///
/// # Example
///
/// ```
/// use aftersales::Timestamp;
///
/// let t: Timestamp = "2026-03-29T01:30:00+01:00".parse()?;
/// assert_eq!(t.to_string(), "2026-03-29T00:30:00Z");
/// assert_eq!(Timestamp::from_unix_millis(1_500).unwrap().to_string(), "1970-01-01T00:00:01.500Z");
/// assert!("2026-03-29 01:30".parse::<Timestamp>().is_err()); // no offset
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in milliseconds since the Unix epoch.
const MIN_MILLIS: i64 = -62_135_596_800_000;
pub(crate) const MAX_MILLIS: i64 = 253_402_300_799_999;

impl Timestamp {
    /// The instant `ms` milliseconds after 1970-01-01T00:00:00Z, if it is within years 1–9999.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::Timestamp::from_unix_millis(0).unwrap().to_string(), "1970-01-01T00:00:00Z");
    /// assert!(aftersales::Timestamp::from_unix_millis(i64::MAX).is_none());
    /// ```
    pub fn from_unix_millis(ms: i64) -> Option<Timestamp> {
        (MIN_MILLIS..=MAX_MILLIS).contains(&ms).then_some(Timestamp(ms))
    }

    /// The instant `s` seconds after the Unix epoch, if it is within years 1–9999.
    ///
    /// # Example
    ///
    /// ```
    /// let t = aftersales::Timestamp::from_unix_seconds(1_790_000_000).unwrap();
    /// assert_eq!(t.unix_seconds(), 1_790_000_000);
    /// ```
    pub fn from_unix_seconds(s: i64) -> Option<Timestamp> {
        s.checked_mul(1000).and_then(Timestamp::from_unix_millis)
    }

    /// Milliseconds since the Unix epoch.
    ///
    /// # Example
    ///
    /// ```
    /// let t: aftersales::Timestamp = "1970-01-01T00:00:02.250Z".parse()?;
    /// assert_eq!(t.unix_millis(), 2_250);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn unix_millis(self) -> i64 {
        self.0
    }

    /// Whole seconds since the Unix epoch (rounded down).
    ///
    /// # Example
    ///
    /// ```
    /// let t: aftersales::Timestamp = "1969-12-31T23:59:59.500Z".parse()?;
    /// assert_eq!(t.unix_seconds(), -1);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// Parses an RFC 3339 instant; `field` names it in the error.
    pub(crate) fn parse_field(text: &str, field: &str) -> Result<Timestamp, Error> {
        let parsed = DateTime::parse_from_rfc3339(text.trim())
            .map_err(|_| Error::invalid_input(field, format!("not an RFC 3339 timestamp with an offset: {text:?}")))?;
        Timestamp::from_unix_millis(parsed.timestamp_millis())
            .ok_or_else(|| Error::invalid_input(field, format!("outside the years 1 to 9999: {text:?}")))
    }

    /// As a chrono `DateTime` in UTC.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    ///
    /// let t: aftersales::Timestamp = "2026-01-02T03:04:05Z".parse()?;
    /// assert_eq!(t.to_chrono(), Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap());
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn to_chrono(self) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(self.0).single().unwrap_or_default()
    }

    pub(crate) fn naive_utc(self) -> NaiveDateTime {
        self.to_chrono().naive_utc()
    }

    /// `ms` milliseconds later, if still within years 1–9999.
    pub(crate) fn plus_millis(self, ms: i64) -> Option<Timestamp> {
        self.0.checked_add(ms).and_then(Timestamp::from_unix_millis)
    }
}

impl<Tz: TimeZone> From<DateTime<Tz>> for Timestamp {
    /// Converts any chrono `DateTime`; instants outside years 1–9999 are clamped to them.
    fn from(t: DateTime<Tz>) -> Timestamp {
        Timestamp(t.timestamp_millis().clamp(MIN_MILLIS, MAX_MILLIS))
    }
}

impl std::str::FromStr for Timestamp {
    type Err = Error;

    fn from_str(s: &str) -> Result<Timestamp, Error> {
        Timestamp::parse_field(s, "")
    }
}

impl Timestamp {
    /// The RFC 3339 text, printed digit by digit into a buffer: every deadline of every result
    /// is printed, and chrono's format machinery cost more than the rest of a refund decision.
    fn text(self) -> Rfc3339 {
        let seconds = self.0.div_euclid(1000);
        let millis = self.0.rem_euclid(1000);
        let of_day = seconds.rem_euclid(86_400);
        // Years 1–9999 only, so the day number fits and the date exists.
        let days = (seconds.div_euclid(86_400) + UNIX_EPOCH_DAYS_FROM_CE) as i32;
        let date = NaiveDate::from_num_days_from_ce_opt(days).unwrap_or_default();
        let mut buf = *b"0000-00-00T00:00:00.000Z";
        let mut put = |at: usize, width: usize, mut n: u32| {
            for i in (at..at + width).rev() {
                buf[i] = b'0' + (n % 10) as u8;
                n /= 10;
            }
        };
        put(0, 4, date.year() as u32);
        put(5, 2, date.month());
        put(8, 2, date.day());
        put(11, 2, (of_day / 3600) as u32);
        put(14, 2, (of_day / 60 % 60) as u32);
        put(17, 2, (of_day % 60) as u32);
        if millis == 0 {
            buf[19] = b'Z';
            return Rfc3339 { buf, len: 20 };
        }
        put(20, 3, millis as u32);
        Rfc3339 { buf, len: 24 }
    }
}

/// Days from 0001-01-01 (day 1 in chrono's count) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// The text of a [`Timestamp`], without allocating.
struct Rfc3339 {
    buf: [u8; 24],
    len: usize,
}

impl Rfc3339 {
    fn as_str(&self) -> &str {
        // Only ASCII digits and separators are written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text().as_str())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl Serialize for Timestamp {
    /// A string; as a newtype struct named `Timestamp`, so that a serializer building native
    /// values (the Python binding's) can turn it into a `datetime`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct("Timestamp", self.text().as_str())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(d)?;
        let parsed = DateTime::parse_from_rfc3339(text.trim())
            .map_err(|_| serde::de::Error::custom(format!("not an RFC 3339 timestamp with an offset: {text:?}")))?;
        Timestamp::from_unix_millis(parsed.timestamp_millis())
            .ok_or_else(|| serde::de::Error::custom(format!("outside the years 1 to 9999: {text:?}")))
    }
}

/// A duration as policies write it: `"90m"`, `"2h"`, `"1h 30m"`, `"2d"`, `"45s"`, or a number
/// of seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PolicyDuration {
    pub seconds: i64,
    /// Whether it counts days, which only calendar-time targets may.
    pub has_days: bool,
}

impl PolicyDuration {
    /// Parses a duration; `field` names it in the error.
    pub fn parse(value: &serde_json::Value, field: &str) -> Result<PolicyDuration, Error> {
        let bad = |why: &str| Error::invalid_policy(field, why.to_string());
        match value {
            serde_json::Value::Number(n) => {
                let seconds = n.as_i64().ok_or_else(|| bad("a duration in seconds is a whole number"))?;
                if seconds < 0 {
                    return Err(bad("a duration must not be negative"));
                }
                if seconds > MAX_DURATION_SECONDS {
                    return Err(bad("a duration may be at most 100 years"));
                }
                Ok(PolicyDuration { seconds, has_days: false })
            }
            serde_json::Value::String(s) => {
                let text = s.trim();
                if text.starts_with('-') {
                    return Err(bad("a duration must not be negative"));
                }
                let mut seconds: i64 = 0;
                let mut has_days = false;
                let mut seen = 0u8;
                let mut words = text.split_whitespace().peekable();
                if words.peek().is_none() {
                    return Err(bad("empty duration; write e.g. \"2h\", \"90m\" or \"1h 30m\""));
                }
                for word in words {
                    let unit_at = word.find(|c: char| !c.is_ascii_digit()).unwrap_or(word.len());
                    let (digits, unit) = word.split_at(unit_at);
                    let n: i64 = digits
                        .parse()
                        .map_err(|_| bad(&format!("{word:?} is not a number followed by d, h, m or s (\"1h 30m\")")))?;
                    let (scale, order) = match unit {
                        "d" => (86_400, 1u8),
                        "h" => (3_600, 2),
                        "m" => (60, 3),
                        "s" => (1, 4),
                        _ => return Err(bad(&format!("unknown unit in {word:?}: use d, h, m or s"))),
                    };
                    if order <= seen {
                        return Err(bad("units go from the largest to the smallest, each once (\"1d 2h 30m\")"));
                    }
                    seen = order;
                    has_days |= unit == "d";
                    seconds = n
                        .checked_mul(scale)
                        .and_then(|v| seconds.checked_add(v))
                        .filter(|&v| v <= MAX_DURATION_SECONDS)
                        .ok_or_else(|| bad("a duration may be at most 100 years"))?;
                }
                Ok(PolicyDuration { seconds, has_days })
            }
            _ => Err(bad("a duration is a string such as \"2h\" or \"1h 30m\", or a number of seconds")),
        }
    }
}

/// The longest duration the library computes with: 100 years of seconds.
pub(crate) const MAX_DURATION_SECONDS: i64 = 100 * 366 * 86_400;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timestamps_round_trip_in_utc() {
        let t: Timestamp = "2026-10-25T02:30:00.250+02:00".parse().unwrap();
        assert_eq!(t.to_string(), "2026-10-25T00:30:00.250Z");
        assert_eq!(t.to_string().parse::<Timestamp>().unwrap(), t);
        assert!("2026-02-30T00:00:00Z".parse::<Timestamp>().is_err());
        assert!("tomorrow".parse::<Timestamp>().is_err());
        let err = Timestamp::parse_field("2026-13-01T00:00:00Z", "order.delivered_at").unwrap_err();
        assert_eq!(err.field(), Some("order.delivered_at"));
        assert_eq!(serde_json::to_value(t).unwrap(), json!("2026-10-25T00:30:00.250Z"));
    }

    #[test]
    fn text_is_chronos_rfc3339_across_the_range() {
        let chrono_text = |t: Timestamp| {
            let fmt = if t.0.rem_euclid(1000) == 0 { "%Y-%m-%dT%H:%M:%SZ" } else { "%Y-%m-%dT%H:%M:%S%.3fZ" };
            t.to_chrono().format(fmt).to_string()
        };
        let mut ms = MIN_MILLIS;
        // A step coprime with days and seconds, so every field takes many values.
        while ms <= MAX_MILLIS {
            let t = Timestamp(ms);
            assert_eq!(t.to_string(), chrono_text(t));
            ms += 77_777_777_777;
        }
        for ms in [MIN_MILLIS, MAX_MILLIS, -1, 0, 1, 999, 1000, -86_400_000, 951_782_400_000] {
            assert_eq!(Timestamp(ms).to_string(), chrono_text(Timestamp(ms)));
            assert_eq!(Timestamp(ms).to_string().parse::<Timestamp>().unwrap(), Timestamp(ms));
        }
        assert_eq!(Timestamp(MIN_MILLIS).to_string(), "0001-01-01T00:00:00Z");
        assert_eq!(Timestamp(MAX_MILLIS).to_string(), "9999-12-31T23:59:59.999Z");
    }

    #[test]
    fn durations_as_policies_write_them() {
        let p = |v: serde_json::Value| PolicyDuration::parse(&v, "x");
        assert_eq!(p(json!("1h 30m")).unwrap(), PolicyDuration { seconds: 5400, has_days: false });
        assert_eq!(p(json!("2d")).unwrap(), PolicyDuration { seconds: 172_800, has_days: true });
        assert_eq!(p(json!(90)).unwrap().seconds, 90);
        assert_eq!(p(json!("0m")).unwrap().seconds, 0);
        for bad in [
            json!(i64::MAX),
            json!(3_200_000_000i64),
            json!("-2h"),
            json!("2 h"),
            json!("30m 1h"),
            json!("1h 1h"),
            json!("2w"),
            json!(""),
            json!(1.5),
        ] {
            assert_eq!(p(bad).unwrap_err().field(), Some("x"));
        }
    }
}
