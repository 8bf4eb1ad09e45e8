//! Statutory change-of-mind windows per destination country, and how each is counted.
//!
//! Counting happens on local dates of the destination (its default time zone): the delivery day
//! is day 0 (day 1 under Japanese law), the window ends at the end of its last local day, an EU
//! window whose last day is a weekend day or a given holiday runs to the next working day
//! (Regulation 1182/71 art. 3), and business-day windows skip weekends and given holidays.

use chrono::{Datelike, Days, NaiveDate, TimeZone, Weekday};
use chrono_tz::Tz;

use crate::geo::Country;
use crate::time::Timestamp;

/// The date the statutory tables are current as of (`EngineInfo::law_as_of`).
pub(crate) const LAW_AS_OF: &str = "2026-11-01";

/// How a window's days are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Counting {
    /// Calendar days after delivery; `from_delivery_day`: the delivery day is day 1 (Japan).
    CalendarDays { from_delivery_day: bool },
    /// Working days after delivery, skipping Saturdays, Sundays and the given holidays.
    BusinessDays,
}

/// What the law says about the money when it is what grants the refund.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LawMoney {
    /// No restocking fee; the standard outbound delivery is refunded (EU/EEA/GB).
    ItemAndOutboundShipping,
    /// Everything paid is refunded, nothing deducted (Brazil's CDC art. 49).
    AllPaid,
    /// No restocking fee; the law says nothing about shipping.
    ItemWithoutFee,
}

/// A statutory change-of-mind right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Statute {
    pub days: u32,
    pub counting: Counting,
    /// A last day on a weekend day or holiday moves to the next working day.
    pub extends_to_working_day: bool,
    pub source: &'static str,
    /// Only items that have not been used (Saudi Arabia).
    pub unused_only: bool,
    /// Only where the shop states no return terms of its own (Japan).
    pub only_without_shop_terms: bool,
    pub money: LawMoney,
}

const fn calendar(days: u32, source: &'static str, money: LawMoney) -> Statute {
    Statute {
        days,
        counting: Counting::CalendarDays { from_delivery_day: false },
        extends_to_working_day: false,
        source,
        unused_only: false,
        only_without_shop_terms: false,
        money,
    }
}

/// The change-of-mind right of a destination country, if its law grants one.
pub(crate) fn statute(country: Country) -> Option<Statute> {
    if country.is_eea() {
        let source = if country.is_eu() {
            "EU Directive 2011/83/EU art. 9"
        } else {
            "EU Directive 2011/83/EU art. 9 (EEA Agreement)"
        };
        return Some(Statute {
            extends_to_working_day: true,
            ..calendar(14, source, LawMoney::ItemAndOutboundShipping)
        });
    }
    Some(match country.code() {
        "GB" => calendar(14, "UK Consumer Contracts Regulations 2013 reg. 30", LawMoney::ItemAndOutboundShipping),
        "TR" => calendar(14, "Turkey Distance Contracts Regulation art. 9", LawMoney::ItemWithoutFee),
        "EG" => calendar(14, "Egypt Consumer Protection Law 181/2018 art. 40", LawMoney::ItemWithoutFee),
        "BR" => calendar(7, "Brazil Consumer Defence Code (CDC) art. 49", LawMoney::AllPaid),
        "CN" => calendar(7, "China Consumer Rights Protection Law art. 25", LawMoney::ItemWithoutFee),
        "KR" => {
            calendar(7, "Korea Act on Consumer Protection in Electronic Commerce art. 17", LawMoney::ItemWithoutFee)
        }
        "SA" => Statute {
            unused_only: true,
            ..calendar(7, "Saudi Arabia E-Commerce Law art. 13", LawMoney::ItemWithoutFee)
        },
        "JP" => Statute {
            counting: Counting::CalendarDays { from_delivery_day: true },
            only_without_shop_terms: true,
            ..calendar(8, "Japan Act on Specified Commercial Transactions art. 15-3", LawMoney::ItemWithoutFee)
        },
        "MX" => Statute {
            counting: Counting::BusinessDays,
            ..calendar(5, "Mexico Federal Consumer Protection Law art. 56", LawMoney::ItemWithoutFee)
        },
        _ => return None,
    })
}

/// The local date of an instant in `zone`.
pub(crate) fn local_date(t: Timestamp, zone: Tz) -> NaiveDate {
    zone.from_utc_datetime(&t.naive_utc()).date_naive()
}

/// The instant the local `date` ends (exclusive): the start of the next day in `zone`.
pub(crate) fn end_of(date: NaiveDate, zone: Tz) -> Option<Timestamp> {
    start_of(date.succ_opt()?, zone)
}

/// The instant at which `date` begins in `zone` (the first valid instant if midnight is skipped).
fn start_of(date: NaiveDate, zone: Tz) -> Option<Timestamp> {
    let midnight = date.and_hms_opt(0, 0, 0)?;
    let t = match zone.from_local_datetime(&midnight) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t,
        // A few zones have skipped midnight itself; the day starts when the clocks resume.
        chrono::LocalResult::None => chrono_tz::GapInfo::new(&midnight, &zone)?.end?,
    };
    // Checked, not clamped: a deadline after the year 9999 is an error, not 9999-12-31.
    Timestamp::from_unix_millis(t.timestamp_millis())
}

fn is_working_day(date: NaiveDate, holidays: &[NaiveDate]) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && holidays.binary_search(&date).is_err()
}

/// The last local day of a window of `days` counted from the local delivery date.
pub(crate) fn last_day(
    delivered: NaiveDate,
    days: u32,
    counting: Counting,
    extends: bool,
    holidays: &[NaiveDate],
) -> Option<NaiveDate> {
    let mut last = match counting {
        Counting::CalendarDays { from_delivery_day: false } => delivered.checked_add_days(Days::new(days.into()))?,
        Counting::CalendarDays { from_delivery_day: true } => {
            delivered.checked_add_days(Days::new(u64::from(days.max(1)) - 1))?
        }
        Counting::BusinessDays => {
            let mut d = delivered;
            let mut left = days;
            while left > 0 {
                d = d.succ_opt()?;
                if is_working_day(d, holidays) {
                    left -= 1;
                }
            }
            d
        }
    };
    if extends {
        // At most a long weekend plus a run of holidays; bounded by the holidays given.
        let mut guard = 0;
        while !is_working_day(last, holidays) && guard < 400 {
            last = last.succ_opt()?;
            guard += 1;
        }
    }
    Some(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn counting_rules() {
        let cal = Counting::CalendarDays { from_delivery_day: false };
        // Delivered Monday 2026-11-02: day 1 is Tuesday, day 14 Monday 16th.
        assert_eq!(last_day(d("2026-11-02"), 14, cal, true, &[]), Some(d("2026-11-16")));
        // Delivered Saturday 2026-11-07: day 14 is Saturday 21st, extended to Monday 23rd (EU).
        assert_eq!(last_day(d("2026-11-07"), 14, cal, true, &[]), Some(d("2026-11-23")));
        assert_eq!(last_day(d("2026-11-07"), 14, cal, false, &[]), Some(d("2026-11-21")));
        // ... and to Tuesday when Monday is a given holiday.
        assert_eq!(last_day(d("2026-11-07"), 14, cal, true, &[d("2026-11-23")]), Some(d("2026-11-24")));
        // Japan counts the delivery day: 8 days from Monday 2nd end on Monday 9th.
        let jp = Counting::CalendarDays { from_delivery_day: true };
        assert_eq!(last_day(d("2026-11-02"), 8, jp, false, &[]), Some(d("2026-11-09")));
        // Mexico: 5 business days from Thursday 2026-11-12, with Monday 16th a holiday.
        assert_eq!(
            last_day(d("2026-11-12"), 5, Counting::BusinessDays, false, &[d("2026-11-16")]),
            Some(d("2026-11-20"))
        );
    }

    #[test]
    fn statutes() {
        let c = |code: &str| statute(Country::from_code(code).unwrap());
        assert_eq!(c("FR").unwrap().days, 14);
        assert!(c("NO").unwrap().source.contains("EEA"));
        assert_eq!(c("BR").unwrap().money, LawMoney::AllPaid);
        assert!(c("SA").unwrap().unused_only);
        assert!(c("US").is_none() && c("AU").is_none() && c("CA").is_none());
        assert_eq!(c("MX").unwrap().counting, Counting::BusinessDays);
    }
}
