//! ISO 4217 currencies and their minor-unit exponents.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::error::{Error, ErrorKind};

/// An ISO 4217 currency the library knows, with its real exponent (JPY 0, EUR 2, KWD 3).
///
/// # Example
///
/// ```
/// use aftersales::Currency;
///
/// let kwd: Currency = "kwd".parse()?;
/// assert_eq!(kwd.code(), "KWD");
/// assert_eq!(kwd.exponent(), 3);
/// assert!("XYZ".parse::<Currency>().unwrap_err().kind() == aftersales::ErrorKind::UnknownCurrency);
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    code: [u8; 3],
    exponent: u8,
}

// Active ISO 4217 codes (2026) with their minor units; funds and metals are left out.
static CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CRC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("UYU", 2),
    ("UZS", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWG", 2),
];

/// The three letters of a code of the table.
fn three(code: &str) -> [u8; 3] {
    match code.as_bytes() {
        &[a, b, c] => [a, b, c],
        _ => *b"XXX",
    }
}

impl Currency {
    /// The currency with this code (case-insensitive), if the library knows it.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::Currency::from_code("jpy").map(|c| c.exponent()), Some(0));
    /// ```
    pub fn from_code(code: &str) -> Option<Currency> {
        let code = code.trim().as_bytes();
        if code.len() != 3 {
            return None;
        }
        let upper = [code[0].to_ascii_uppercase(), code[1].to_ascii_uppercase(), code[2].to_ascii_uppercase()];
        // Fixed-size arrays compare inline, where slices would call memcmp: this runs for every
        // amount read.
        let i = CURRENCIES.binary_search_by(|(c, _)| three(c).cmp(&upper)).ok()?;
        let (c, exponent) = CURRENCIES[i];
        Some(Currency { code: three(c), exponent })
    }

    /// The three-letter code, upper case.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::Currency::from_code("eur").unwrap().code(), "EUR");
    /// ```
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// The number of digits after the decimal point (JPY 0, EUR 2, KWD 3).
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::Currency;
    ///
    /// let exponents: Vec<u8> = ["JPY", "EUR", "KWD"].iter().map(|c| Currency::from_code(c).unwrap().exponent()).collect();
    /// assert_eq!(exponents, [0, 2, 3]);
    /// ```
    pub fn exponent(&self) -> u8 {
        self.exponent
    }
}

impl std::str::FromStr for Currency {
    type Err = Error;

    fn from_str(s: &str) -> Result<Currency, Error> {
        Currency::from_code(s).ok_or_else(|| {
            Error::make(ErrorKind::UnknownCurrency, None, format!("not an ISO 4217 currency code: {s:?}"))
        })
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.code())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        for w in CURRENCIES.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
    }

    #[test]
    fn exponents() {
        for (code, exp) in [("JPY", 0), ("EUR", 2), ("KWD", 3), ("krw", 0), ("BHD", 3)] {
            assert_eq!(Currency::from_code(code).unwrap().exponent(), exp, "{code}");
        }
        assert!(Currency::from_code("EURO").is_none());
    }
}
