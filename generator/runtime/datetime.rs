//! Dates and times (`format: date-time`, `format: date`) as RFC 3339
//! writes them. Read forgivingly, as servers write them (`t` or a space
//! for `T`, no seconds, any number of fraction digits, `+0000`, no
//! offset), kept as read in RFC 3339's own spelling, and written back as
//! kept: a value that was strict RFC 3339 goes out byte-identical.
#![cfg(any(not(omit = "format_date_time"), not(omit = "format_date")))]

#[cfg(not(omit = "json"))]
use super::{FromJson, JsonError, Reader};
use std::fmt;

/// Text that is not a date or time RFC 3339 writes, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDateTimeError {
    what: &'static str,
    reason: &'static str,
}

impl fmt::Display for ParseDateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not {}: {}", self.what, self.reason)
    }
}

impl std::error::Error for ParseDateTimeError {}

#[cfg(not(omit = "format_date_time"))]
/// An instant as RFC 3339 writes it (`2024-06-01T12:00:00.5+02:00`): the
/// time, its UTC offset as written, and the text itself.
///
/// Equal when written alike; ordered by instant (then as written), so
/// `a < b` says which came first. [`unix_timestamp`](Self::unix_timestamp)
/// and [`to_system_time`](Self::to_system_time) give the instant to any
/// other time library.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    seconds: i64,
    nanos: u32,
    offset: i32,
    text: String,
}

#[cfg(not(omit = "format_date_time"))]
impl DateTime {
    /// Reads a date-time: RFC 3339, or the forms servers write instead
    /// (see the module docs). The value keeps RFC 3339's spelling of it.
    pub fn parse(text: &str) -> Result<Self, ParseDateTimeError> {
        let fail = |reason| ParseDateTimeError { what: "an RFC 3339 date-time", reason };
        let mut cursor = Cursor::new(text);
        let date = cursor.date().map_err(fail)?;
        if !matches!(cursor.next(), Some(b'T' | b't' | b' ')) {
            return Err(fail("expected `T` between the date and the time"));
        }
        let hour = cursor.number(2).filter(|h| *h < 24).ok_or(fail("expected an hour, 00 to 23"))?;
        let minute = match cursor.next() {
            Some(b':') => cursor.number(2).filter(|m| *m < 60).ok_or(fail("expected minutes, 00 to 59"))?,
            _ => return Err(fail("expected `:` and minutes")),
        };
        let second = if cursor.peek() == Some(b':') {
            cursor.next();
            // 60: a leap second.
            cursor.number(2).filter(|s| *s <= 60).ok_or(fail("expected seconds, 00 to 60"))?
        } else {
            0
        };
        let mut fraction = "";
        if matches!(cursor.peek(), Some(b'.' | b',')) {
            cursor.next();
            fraction = cursor.digits();
            if fraction.is_empty() {
                return Err(fail("expected digits after the decimal point"));
            }
        }
        // No offset: UTC, as `Z`.
        let (offset, offset_text) = match cursor.next() {
            None | Some(b'Z' | b'z') => (0, "Z".to_string()),
            Some(sign @ (b'+' | b'-')) => {
                let hours = cursor.number(2).filter(|h| *h < 24).ok_or(fail("expected the offset's hours"))?;
                cursor.eat(b':');
                let minutes = if cursor.peek().is_some() { cursor.number(2) } else { Some(0) };
                let minutes = minutes.filter(|m| *m < 60).ok_or(fail("expected the offset's minutes, 00 to 59"))?;
                let seconds = (hours * 3600 + minutes * 60) as i32;
                // `-00:00` (an unknown local offset) is kept as written.
                let sign = char::from(sign);
                let text = format!("{sign}{hours:02}:{minutes:02}");
                (if sign == '-' { -seconds } else { seconds }, text)
            }
            Some(_) => return Err(fail("expected `Z` or an offset such as `+02:00`")),
        };
        if cursor.peek().is_some() {
            return Err(fail("unexpected text after the offset"));
        }
        let local = days_from_civil(date) * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
        let nanos = fraction.bytes().chain(std::iter::repeat(b'0')).take(9).fold(0, |n, d| n * 10 + u32::from(d - b'0'));
        // RFC 3339's spelling: what was read, with `T`, seconds, `.`, `Z`
        // and `+hh:mm` where the text had something else.
        let mut written = String::with_capacity(text.len() + 6);
        written.push_str(&text[..10]);
        written.push('T');
        written.push_str(&format!("{hour:02}:{minute:02}:{second:02}"));
        if !fraction.is_empty() {
            written.push('.');
            written.push_str(fraction);
        }
        written.push_str(&offset_text);
        Ok(Self { seconds: local - i64::from(offset), nanos, offset, text: written })
    }

    /// The instant `seconds` (and `nanos`) after 1970-01-01T00:00:00Z, in
    /// UTC (`Z`); `None` outside the years 0000 to 9999 or with `nanos` of
    /// a second or more.
    pub fn from_unix(seconds: i64, nanos: u32) -> Option<Self> {
        const FIRST: i64 = -62_167_219_200; // 0000-01-01T00:00:00Z
        const END: i64 = 253_402_300_800; // 10000-01-01T00:00:00Z
        if !(FIRST..END).contains(&seconds) || nanos >= 1_000_000_000 {
            return None;
        }
        let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
        let time = seconds.rem_euclid(86_400);
        let mut text = format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            time / 3600,
            time / 60 % 60,
            time % 60
        );
        if nanos > 0 {
            let digits = format!("{nanos:09}");
            text.push('.');
            text.push_str(digits.trim_end_matches('0'));
        }
        text.push('Z');
        Some(Self { seconds, nanos, offset: 0, text })
    }

    /// The time now, in UTC.
    pub fn now() -> Self {
        Self::from_system_time(std::time::SystemTime::now()).unwrap_or_else(|| {
            Self { seconds: 0, nanos: 0, offset: 0, text: "1970-01-01T00:00:00Z".to_string() }
        })
    }

    /// The instant a `SystemTime` is, in UTC; `None` outside the years
    /// RFC 3339 writes.
    pub fn from_system_time(time: std::time::SystemTime) -> Option<Self> {
        match time.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => Self::from_unix(i64::try_from(after.as_secs()).ok()?, after.subsec_nanos()),
            Err(before) => {
                let before = before.duration();
                let mut seconds = -i64::try_from(before.as_secs()).ok()?;
                let mut nanos = before.subsec_nanos();
                if nanos > 0 {
                    seconds -= 1;
                    nanos = 1_000_000_000 - nanos;
                }
                Self::from_unix(seconds, nanos)
            }
        }
    }

    /// The text, as it goes on the wire.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whole seconds since 1970-01-01T00:00:00Z (negative before).
    pub fn unix_timestamp(&self) -> i64 {
        self.seconds
    }

    /// The fraction of the second, in nanoseconds (digits past the ninth
    /// are kept in the text only).
    pub fn nanosecond(&self) -> u32 {
        self.nanos
    }

    /// The UTC offset the time was written with, in seconds east of UTC
    /// (0 for `Z` and for a time written without one).
    pub fn offset_seconds(&self) -> i32 {
        self.offset
    }

    /// The instant as a `SystemTime`.
    pub fn to_system_time(&self) -> std::time::SystemTime {
        let since = std::time::Duration::new(self.seconds.unsigned_abs(), 0);
        let whole = if self.seconds >= 0 {
            std::time::UNIX_EPOCH + since
        } else {
            std::time::UNIX_EPOCH - since
        };
        whole + std::time::Duration::from_nanos(u64::from(self.nanos))
    }
}

#[cfg(not(omit = "format_date_time"))]
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(not(omit = "format_date_time"))]
impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({:?})", self.text)
    }
}

#[cfg(not(omit = "format_date_time"))]
impl std::str::FromStr for DateTime {
    type Err = ParseDateTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

#[cfg(not(omit = "format_date_time"))]
impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

#[cfg(not(omit = "format_date_time"))]
impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(all(not(omit = "format_date_time"), not(omit = "json")))]
impl FromJson for DateTime {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        let text = reader.string("an RFC 3339 date-time")?;
        Self::parse(&text).map_err(|err| JsonError::new(err.to_string()))
    }
}

#[cfg(not(omit = "format_date"))]
/// A calendar date as RFC 3339 writes it (`2024-06-01`), years 0000 to
/// 9999.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(Ymd);

#[cfg(not(omit = "format_date"))]
impl Date {
    /// The date, when there is one (`2024-02-30` is not).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let fits = year <= 9999 && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        fits.then_some(Self(Ymd { year, month, day }))
    }

    /// Reads `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Self, ParseDateTimeError> {
        let mut cursor = Cursor::new(text);
        let date = cursor.date().map_err(|reason| ParseDateTimeError { what: "an RFC 3339 date", reason })?;
        if cursor.peek().is_some() {
            return Err(ParseDateTimeError { what: "an RFC 3339 date", reason: "unexpected text after the day" });
        }
        Ok(Self(date))
    }

    /// 0 to 9999.
    pub fn year(&self) -> u16 {
        self.0.year
    }

    /// 1 to 12.
    pub fn month(&self) -> u8 {
        self.0.month
    }

    /// 1 to 31.
    pub fn day(&self) -> u8 {
        self.0.day
    }

    /// Days since 1970-01-01 (negative before).
    pub fn unix_days(&self) -> i64 {
        days_from_civil(self.0)
    }
}

#[cfg(not(omit = "format_date"))]
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year, self.0.month, self.0.day)
    }
}

#[cfg(not(omit = "format_date"))]
impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

#[cfg(not(omit = "format_date"))]
impl std::str::FromStr for Date {
    type Err = ParseDateTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

#[cfg(not(omit = "format_date"))]
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(not(omit = "format_date"))]
impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(all(not(omit = "format_date"), not(omit = "json")))]
impl FromJson for Date {
    fn from_json(reader: &mut Reader<'_>) -> Result<Self, JsonError> {
        let text = reader.string("an RFC 3339 date")?;
        Self::parse(&text).map_err(|err| JsonError::new(err.to_string()))
    }
}

fn is_leap(year: u16) -> bool {
    // Every fourth year, but not every hundredth, but every four hundredth.
    matches!((year % 4, year % 100, year % 400), (0, 1.., _) | (_, _, 0))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A day of the proleptic Gregorian calendar, years 0000 to 9999.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Ymd {
    year: u16,
    month: u8,
    day: u8,
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(date: Ymd) -> i64 {
    let (month, day) = (i64::from(date.month), i64::from(date.day));
    let year = i64::from(date.year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(not(omit = "format_date_time"))]
/// The date `days` after 1970-01-01 (`civil_from_days`), for years 0000
/// to 9999.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (year_of_era + era * 400 + i64::from(month <= 2), month, day)
}

/// Reads a date or time left to right.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, at: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    #[cfg(not(omit = "format_date_time"))]
    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn eat(&mut self, byte: u8) -> bool {
        let matched = self.peek() == Some(byte);
        self.at += usize::from(matched);
        matched
    }

    /// Exactly `n` digits, as a number.
    fn number(&mut self, n: usize) -> Option<u32> {
        let digits = self.text.as_bytes().get(self.at..self.at + n)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.at += n;
        Some(digits.iter().fold(0, |value, d| value * 10 + u32::from(d - b'0')))
    }

    #[cfg(not(omit = "format_date_time"))]
    /// The digits from here on (none: empty).
    fn digits(&mut self) -> &'a str {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        &self.text[start..self.at]
    }

    /// `YYYY-MM-DD`.
    fn date(&mut self) -> Result<Ymd, &'static str> {
        let year = self.number(4).ok_or("expected a four-digit year")?;
        if !self.eat(b'-') {
            return Err("expected `-` after the year");
        }
        let month = self.number(2).filter(|m| (1..=12).contains(m)).ok_or("expected a month, 01 to 12")?;
        if !self.eat(b'-') {
            return Err("expected `-` after the month");
        }
        let day = self.number(2).ok_or("expected a day")?;
        // Four digits, two and two: each fits its type.
        let (year, month, day) = (year as u16, month as u8, day as u8);
        if day == 0 || day > days_in_month(year, month) {
            return Err("the month has no such day");
        }
        Ok(Ymd { year, month, day })
    }
}
