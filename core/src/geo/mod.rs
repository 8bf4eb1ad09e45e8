//! Countries: ISO 3166-1 codes, their default time zone (for local dates and customers' hours)
//! and the legal regions the statutory tables need.

mod table;

use std::fmt;

use chrono_tz::Tz;
use serde::{Serialize, Serializer};

use crate::error::Error;
use table::{COUNTRIES, ZONE_COUNTRIES};

/// An ISO 3166-1 alpha-2 country, validated against the tz database's country list.
///
/// # Example
///
/// ```
/// use aftersales::Country;
///
/// let br: Country = "br".parse()?;
/// assert_eq!(br.code(), "BR");
/// assert_eq!(br.default_time_zone(), Some("America/Sao_Paulo")); // the most populous zone
/// assert!("XX".parse::<Country>().is_err());
/// assert!("DE".parse::<Country>()?.is_eu());
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country {
    index: u16,
}

const EU: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
    "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Parts of EU member states with ISO codes of their own that are inside the EU: the French
/// outermost regions (Réunion, Guadeloupe, Martinique, French Guiana, Mayotte, Saint-Martin) and
/// Åland (Finland). Overseas countries and territories outside the EU (French Polynesia, Aruba,
/// Greenland, …) are not listed.
const EU_TERRITORIES: [&str; 7] = ["RE", "GP", "MQ", "GF", "YT", "MF", "AX"];

impl Country {
    /// The country with this code (case-insensitive), if ISO 3166-1 has it.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::Country::from_code("gb").map(|c| c.name()), Some("Britain (UK)"));
    /// ```
    pub fn from_code(code: &str) -> Option<Country> {
        let code = code.trim();
        if code.len() != 2 {
            return None;
        }
        let b = code.as_bytes();
        let upper = [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()];
        // Fixed-size arrays compare inline, where slices would call memcmp.
        let two = |c: &str| match c.as_bytes() {
            &[a, b] => [a, b],
            _ => [0, 0],
        };
        COUNTRIES.binary_search_by(|(c, _, _)| two(c).cmp(&upper)).ok().map(|i| Country { index: i as u16 })
    }

    /// Parses a code; `field` names it in the error.
    pub(crate) fn parse_field(code: &str, field: &str) -> Result<Country, Error> {
        Country::from_code(code)
            .ok_or_else(|| Error::invalid_input(field, format!("not an ISO 3166-1 alpha-2 country code: {code:?}")))
    }

    /// The two-letter code, upper case.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::Country::from_code("sa").unwrap().code(), "SA");
    /// ```
    pub fn code(self) -> &'static str {
        COUNTRIES[self.index as usize].0
    }

    /// The English short name, as the tz database writes it.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::Country::from_code("JP").unwrap().name(), "Japan");
    /// ```
    pub fn name(self) -> &'static str {
        COUNTRIES[self.index as usize].1
    }

    /// The IANA zone most of the country's people live in; `None` for uninhabited territories.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::Country;
    ///
    /// assert_eq!(Country::from_code("US").unwrap().default_time_zone(), Some("America/New_York"));
    /// assert_eq!(Country::from_code("BV").unwrap().default_time_zone(), None);
    /// ```
    pub fn default_time_zone(self) -> Option<&'static str> {
        Some(COUNTRIES[self.index as usize].2).filter(|z| !z.is_empty())
    }

    /// The country the tz database's `zone.tab` gives an IANA zone name, by the name itself:
    /// `Asia/Muscat` is Oman's even though its data is a link to `Asia/Dubai`. `None` for names
    /// it does not list (`UTC`, `Etc/GMT+3`, old aliases such as `US/Eastern`).
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::Country;
    ///
    /// assert_eq!(Country::of_time_zone("Asia/Muscat").map(Country::code), Some("OM"));
    /// assert_eq!(Country::of_time_zone("Asia/Dubai").map(Country::code), Some("AE"));
    /// assert_eq!(Country::of_time_zone("UTC"), None);
    /// ```
    pub fn of_time_zone(zone: &str) -> Option<Country> {
        let i = ZONE_COUNTRIES.binary_search_by(|(z, _)| (*z).cmp(zone)).ok()?;
        Country::from_code(ZONE_COUNTRIES[i].1)
    }

    pub(crate) fn zone(self) -> Option<Tz> {
        self.default_time_zone().and_then(|z| z.parse().ok())
    }

    /// A member state of the European Union.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!aftersales::Country::from_code("NO").unwrap().is_eu());
    /// ```
    pub fn is_eu(self) -> bool {
        EU.contains(&self.code()) || EU_TERRITORIES.contains(&self.code())
    }

    /// In the European Economic Area (the EU, Iceland, Liechtenstein, Norway).
    ///
    /// # Example
    ///
    /// ```
    /// assert!(aftersales::Country::from_code("NO").unwrap().is_eea());
    /// ```
    pub fn is_eea(self) -> bool {
        self.is_eu() || ["IS", "LI", "NO"].contains(&self.code())
    }
}

impl std::str::FromStr for Country {
    type Err = Error;

    fn from_str(s: &str) -> Result<Country, Error> {
        Country::parse_field(s, "")
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Country({})", self.code())
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_zone_is_in_the_compiled_tz_database() {
        for (code, _, zone) in COUNTRIES.iter() {
            if !zone.is_empty() {
                assert!(zone.parse::<Tz>().is_ok(), "{code}: {zone}");
            }
        }
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn most_populous_zones() {
        for (code, zone) in [
            ("US", "America/New_York"),
            ("BR", "America/Sao_Paulo"),
            ("RU", "Europe/Moscow"),
            ("AU", "Australia/Sydney"),
            ("ID", "Asia/Jakarta"),
            ("MX", "America/Mexico_City"),
            ("CA", "America/Toronto"),
        ] {
            assert_eq!(Country::from_code(code).unwrap().default_time_zone(), Some(zone));
        }
        assert_eq!(EU.iter().filter(|c| Country::from_code(c).is_some()).count(), 27);
        assert!(Country::from_code("RE").unwrap().is_eu() && Country::from_code("AX").unwrap().is_eu());
        assert!(!Country::from_code("PF").unwrap().is_eu());
    }
}
