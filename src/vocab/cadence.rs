//! Vocabulary, time: cadence durations and calendar arithmetic.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};

/// How often a client should hear from us: calendar months plus days.
///
/// Months are calendar months (31 Aug + 1m = 30 Sep); weeks and days are days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cadence {
    pub months: u32,
    pub days: u32,
}

impl Cadence {
    pub const fn days(days: u32) -> Self {
        Cadence { months: 0, days }
    }

    pub const fn months(months: u32) -> Self {
        Cadence { months, days: 0 }
    }

    /// The cadence in days, months counting as 30 (SPEC §5 `cadence_days`).
    pub fn approx_days(self) -> u32 {
        self.months.saturating_mul(30).saturating_add(self.days)
    }

    /// `date` + this cadence; `None` only past the end of the calendar.
    pub fn add_to(self, date: NaiveDate) -> Option<NaiveDate> {
        date.checked_add_months(Months::new(self.months))?.checked_add_days(chrono::Days::new(u64::from(self.days)))
    }
}

impl fmt::Display for Cadence {
    /// Canonical short form: `14d`, `3m`, `1m2w` is written `1m14d`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.months, self.days) {
            (0, d) if d % 7 == 0 && d > 0 => write!(f, "{}w", d / 7),
            (0, d) => write!(f, "{d}d"),
            (m, 0) if m % 12 == 0 => write!(f, "{}y", m / 12),
            (m, 0) => write!(f, "{m}m"),
            (m, d) => write!(f, "{m}m{d}d"),
        }
    }
}

/// Why a cadence did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CadenceError(pub String);

impl fmt::Display for CadenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a cadence; use e.g. `10d`, `2w`, `3m`, `1y`, `monthly`, `P14D` or `3 weeks`", self.0)
    }
}

impl std::error::Error for CadenceError {}

impl FromStr for Cadence {
    type Err = CadenceError;

    /// Accepts `10d` `2w` `3m` `1y`, the words `weekly` … `yearly`, ISO 8601 `P14D`
    /// (`P1M15D`), and Dataview durations (`3 weeks`, `16days`, `2 months, 1 week`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || CadenceError(s.to_owned());
        let t = s.trim().to_lowercase();
        let word = match t.as_str() {
            "daily" => Some(Cadence::days(1)),
            "weekly" => Some(Cadence::days(7)),
            "biweekly" | "fortnightly" => Some(Cadence::days(14)),
            "monthly" => Some(Cadence::months(1)),
            "bimonthly" => Some(Cadence::months(2)),
            "quarterly" => Some(Cadence::months(3)),
            "yearly" | "annually" | "annual" => Some(Cadence::months(12)),
            _ => None,
        };
        if let Some(c) = word {
            return Ok(c);
        }
        let body = match t.strip_prefix('p') {
            Some(iso) if !iso.contains('t') => iso,
            Some(_) => return Err(err()),
            None => t.as_str(),
        };
        let mut cadence = Cadence { months: 0, days: 0 };
        let mut rest = body.trim();
        let mut parts = 0;
        while !rest.is_empty() {
            let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
            if digits == 0 {
                return Err(err());
            }
            let n: u32 = rest[..digits].parse().map_err(|_| err())?;
            rest = rest[digits..].trim_start();
            let unit_len = rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len());
            let unit = &rest[..unit_len];
            rest = rest[unit_len..].trim_start_matches([' ', ',']).trim_start();
            rest = rest.strip_prefix("and ").unwrap_or(rest);
            match unit {
                "d" | "day" | "days" => cadence.days = cadence.days.checked_add(n).ok_or_else(err)?,
                "w" | "wk" | "wks" | "week" | "weeks" => {
                    cadence.days = n.checked_mul(7).and_then(|w| cadence.days.checked_add(w)).ok_or_else(err)?;
                }
                "m" | "mo" | "mos" | "month" | "months" => {
                    cadence.months = cadence.months.checked_add(n).ok_or_else(err)?
                }
                "y" | "yr" | "yrs" | "year" | "years" => {
                    cadence.months = n.checked_mul(12).and_then(|y| cadence.months.checked_add(y)).ok_or_else(err)?;
                }
                _ => return Err(err()),
            }
            parts += 1;
        }
        if parts == 0 || cadence.approx_days() == 0 || cadence.approx_days() > 36_600 {
            return Err(err());
        }
        Ok(cadence)
    }
}

/// The next yearly occurrence of `date`'s month and day on or after `from`.
/// A 29 February falls on 28 February in common years; the year of `date` is ignored
/// (birthdays may be written `0000-05-12`).
pub(crate) fn next_anniversary(date: NaiveDate, from: NaiveDate) -> Option<NaiveDate> {
    let in_year = |y: i32| {
        NaiveDate::from_ymd_opt(y, date.month(), date.day()).or_else(|| NaiveDate::from_ymd_opt(y, date.month(), 28))
    };
    let this = in_year(from.year())?;
    if this >= from { Some(this) } else { in_year(from.year() + 1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn parses_every_syntax() {
        let cases = [
            ("10d", Cadence::days(10)),
            ("2w", Cadence::days(14)),
            ("3m", Cadence::months(3)),
            ("1y", Cadence::months(12)),
            ("weekly", Cadence::days(7)),
            ("Biweekly", Cadence::days(14)),
            ("monthly", Cadence::months(1)),
            ("quarterly", Cadence::months(3)),
            ("yearly", Cadence::months(12)),
            ("P14D", Cadence::days(14)),
            ("P2W", Cadence::days(14)),
            ("P1M15D", Cadence { months: 1, days: 15 }),
            ("3 weeks", Cadence::days(21)),
            ("16days", Cadence::days(16)),
            ("2 months", Cadence::months(2)),
            ("1 month, 2 weeks", Cadence { months: 1, days: 14 }),
            ("1 yr", Cadence::months(12)),
        ];
        for (s, want) in cases {
            assert_eq!(s.parse::<Cadence>(), Ok(want), "{s}");
        }
        for bad in ["", "sometimes", "0d", "d", "10x", "P", "PT5M", "-3d", "99999999999d", "3 fortnights"] {
            assert!(bad.parse::<Cadence>().is_err(), "{bad}");
        }
    }

    #[test]
    fn months_keep_the_day_or_clamp_to_month_end() {
        assert_eq!(Cadence::months(1).add_to(d("2026-08-31")), Some(d("2026-09-30")));
        assert_eq!(Cadence::months(1).add_to(d("2026-01-31")), Some(d("2026-02-28")));
        assert_eq!(Cadence::months(1).add_to(d("2028-01-31")), Some(d("2028-02-29")));
        assert_eq!(Cadence::months(3).add_to(d("2026-10-03")), Some(d("2027-01-03")));
        assert_eq!(Cadence::months(12).add_to(d("2028-02-29")), Some(d("2029-02-28")));
        assert_eq!(Cadence::days(14).add_to(d("2026-12-25")), Some(d("2027-01-08")));
        assert_eq!(Cadence { months: 1, days: 15 }.add_to(d("2026-01-31")), Some(d("2026-03-15")));
    }

    #[test]
    fn approximate_days_count_months_as_30() {
        assert_eq!(Cadence::months(3).approx_days(), 90);
        assert_eq!(Cadence::days(14).approx_days(), 14);
    }

    #[test]
    fn anniversaries() {
        assert_eq!(next_anniversary(d("1985-11-30"), d("2026-11-23")), Some(d("2026-11-30")));
        assert_eq!(next_anniversary(d("1985-11-01"), d("2026-11-23")), Some(d("2027-11-01")));
        assert_eq!(next_anniversary(d("0000-12-02"), d("2026-11-23")), Some(d("2026-12-02")));
        assert_eq!(next_anniversary(d("1992-02-29"), d("2027-02-01")), Some(d("2027-02-28")));
        assert_eq!(next_anniversary(d("1992-02-29"), d("2028-02-01")), Some(d("2028-02-29")));
        assert_eq!(next_anniversary(d("2000-11-23"), d("2026-11-23")), Some(d("2026-11-23")));
    }

    #[test]
    fn display_is_canonical() {
        assert_eq!(Cadence::days(14).to_string(), "2w");
        assert_eq!(Cadence::days(10).to_string(), "10d");
        assert_eq!(Cadence::months(3).to_string(), "3m");
        assert_eq!(Cadence::months(12).to_string(), "1y");
    }
}
