//! Weekends per country and time zones per language: the built-in tables of SPEC §8.

use chrono::NaiveDate;

use crate::calendar::DAYS;
use crate::domain::Language;
use crate::geo::Country;

/// A set of weekdays: bit 0 Monday … bit 6 Sunday.
pub(crate) type Days = u8;

const THU: Days = 1 << 3;
const FRI: Days = 1 << 4;
const SAT: Days = 1 << 5;
const SUN: Days = 1 << 6;

/// The weekend of countries not in [`WEEKENDS`], and of customers without a country.
pub(crate) const DEFAULT_WEEKEND: Days = SAT | SUN;

/// A local date `(year, month, day)` from which an entry holds; `None`: as far back as known.
type Since = Option<(i32, u32, u32)>;

/// Weekends that differ from Saturday–Sunday, after CLDR's weekData, with dated corrections:
/// (country, weekend, in force from this local date on; `None` for as far back as we know).
/// Later entries of a country replace earlier ones from their date.
const WEEKENDS: &[(&str, Days, Since)] = &[
    ("AE", FRI | SAT, None),
    ("AE", SAT | SUN, Some((2022, 1, 1))), // federal working week moved on 2022-01-01
    ("AF", THU | FRI, None),
    ("BH", FRI | SAT, None),
    ("DZ", FRI | SAT, None),
    ("EG", FRI | SAT, None),
    ("IL", FRI | SAT, None),
    ("IN", SUN, None),
    ("IQ", FRI | SAT, None),
    ("IR", FRI, None),
    ("JO", FRI | SAT, None),
    ("KW", FRI | SAT, None),
    ("LY", FRI | SAT, None),
    ("NP", SAT, None),
    ("OM", FRI | SAT, None),
    ("QA", FRI | SAT, None),
    ("SA", THU | FRI, None),
    ("SA", FRI | SAT, Some((2013, 6, 29))), // royal decree of June 2013
    ("SD", FRI | SAT, None),
    ("SY", FRI | SAT, None),
    ("UG", SUN, None),
    ("YE", FRI | SAT, None),
];

/// The weekend of `country` on the local date `on`.
pub(crate) fn weekend(country: Country, on: NaiveDate) -> Days {
    let mut days = DEFAULT_WEEKEND;
    for &(code, d, from) in WEEKENDS {
        if code == country.code()
            && from.is_none_or(|(y, m, dd)| NaiveDate::from_ymd_opt(y, m, dd).is_some_and(|f| on >= f))
        {
            days = d;
        }
    }
    days
}

/// Whether a dated correction of `country`'s weekend takes effect after `from` and by `to`.
pub(crate) fn changes_between(country: Country, from: NaiveDate, to: NaiveDate) -> bool {
    WEEKENDS.iter().any(|&(code, _, since)| {
        code == country.code()
            && since.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)).is_some_and(|f| from < f && f <= to)
    })
}

/// The zone of a language whose speakers live overwhelmingly under one zone's rules (local time
/// and weekend are then the same whichever of its countries the customer is in). Languages of
/// several continents or zones (English, Spanish, French, Portuguese, Arabic, Russian) have none.
pub(crate) fn language_zone(language: Language) -> Option<&'static str> {
    Some(match language.as_str() {
        "de" => "Europe/Berlin",
        "id" => "Asia/Jakarta",
        "it" => "Europe/Rome",
        "ja" => "Asia/Tokyo",
        "ko" => "Asia/Seoul",
        "nl" => "Europe/Amsterdam",
        "pl" => "Europe/Warsaw",
        "th" => "Asia/Bangkok",
        "tr" => "Europe/Istanbul",
        "vi" => "Asia/Ho_Chi_Minh",
        "zh" => "Asia/Shanghai",
        _ => return None,
    })
}

/// The names of the days in `days`, Monday first.
pub(crate) fn names(days: Days) -> Vec<&'static str> {
    (0..7).filter(|d| days & (1 << d) != 0).map(|d| DAYS[d]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(code: &str, y: i32, m: u32, d: u32) -> Vec<&'static str> {
        names(weekend(Country::from_code(code).unwrap(), NaiveDate::from_ymd_opt(y, m, d).unwrap()))
    }

    #[test]
    fn dated_corrections() {
        assert_eq!(on("AE", 2021, 12, 31), ["fri", "sat"]);
        assert_eq!(on("AE", 2022, 1, 1), ["sat", "sun"]);
        assert_eq!(on("SA", 2026, 11, 20), ["fri", "sat"]);
        assert_eq!(on("SA", 2012, 1, 1), ["thu", "fri"]);
        assert_eq!(on("NP", 2026, 1, 1), ["sat"]);
        assert_eq!(on("IN", 2026, 1, 1), ["sun"]);
        assert_eq!(on("IR", 2026, 1, 1), ["fri"]);
        assert_eq!(on("AF", 2026, 1, 1), ["thu", "fri"]);
        assert_eq!(on("DE", 2026, 1, 1), ["sat", "sun"]);
    }

    #[test]
    fn every_language_zone_is_in_the_tz_database() {
        for l in Language::SUPPORTED {
            if let Some(z) = language_zone(l) {
                assert!(z.parse::<chrono_tz::Tz>().is_ok(), "{z}");
                assert!(Country::of_time_zone(z).is_some(), "{z}");
            }
        }
        assert_eq!(language_zone(Language::EN), None);
    }
}
