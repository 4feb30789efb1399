//! Parsing `--now`: Unix seconds or an RFC 3339 timestamp.

/// Parses `1767225600` or `2026-01-01T00:00:00Z` / `2026-01-01T09:00:00+09:00`.
pub fn parse_now(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if let Ok(n) = s.parse::<i64>() {
        return Ok(n);
    }
    parse_rfc3339(s).ok_or_else(|| {
        // Quoted only if it could be a mistyped time: a value of other
        // characters may be a secret typed after the wrong flag.
        let time_like = s.bytes().all(|b| b"0123456789-:.+TZtz ".contains(&b));
        let shown = crate::text::shown_value(s, if time_like { 40 } else { 8 });
        format!(
            "{shown} is neither Unix seconds nor an RFC 3339 timestamp (e.g. 2026-01-01T00:00:00Z)"
        )
    })
}

fn num(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// RFC 3339 `date-time`; fractional seconds are accepted and dropped.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    if s.len() < 20 {
        return None;
    }
    let b = s.as_bytes();
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (y, mo, d) = (num(&s[0..4])?, num(&s[5..7])?, num(&s[8..10])?);
    let (h, mi, sec) = (num(&s[11..13])?, num(&s[14..16])?, num(&s[17..19])?);
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60
    {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && &rest[3..4] == ":" =>
        {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            let (oh, om) = (num(&rest[1..3])?, num(&rest[4..6])?);
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
        _ => return None,
    };
    Some(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec.min(59) - offset)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Formats Unix seconds as RFC 3339 UTC.
pub fn format_rfc3339(t: i64) -> String {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// An HTTP date (RFC 9110 §5.6.7): the IMF-fixdate a `Date` header carries
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), and the obsolete RFC 850
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
/// (`Sun Nov  6 08:49:37 1994`) forms a recipient must also read.
pub fn parse_http_date(s: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month = |m: &str| {
        MONTHS
            .iter()
            .position(|x| x.eq_ignore_ascii_case(m))
            .map(|i| i as i64 + 1)
    };
    let time = |t: &str| -> Option<i64> {
        let mut p = t.split(':');
        let (h, m, s) = (num(p.next()?)?, num(p.next()?)?, num(p.next()?)?);
        (p.next().is_none() && h < 24 && m < 60 && s <= 60).then_some(h * 3600 + m * 60 + s.min(59))
    };
    let words: Vec<&str> = s.split_whitespace().collect();
    let (y, mo, d, t) = match words.as_slice() {
        // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
        [_, d, m, y, t, "GMT"] if y.len() == 4 => (num(y)?, month(m)?, num(d)?, time(t)?),
        // RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (two-digit years are
        // taken as the most recent past century's, RFC 9110 §5.6.7).
        [_, dmy, t, "GMT"] => {
            let mut p = dmy.split('-');
            let (d, m, y) = (num(p.next()?)?, month(p.next()?)?, num(p.next()?)?);
            let y = if y < 70 {
                2000 + y
            } else if y < 100 {
                1900 + y
            } else {
                y
            };
            (y, m, d, time(t)?)
        }
        // asctime: `Sun Nov  6 08:49:37 1994`.
        [_, m, d, t, y] => (num(y)?, month(m)?, num(d)?, time(t)?),
        _ => return None,
    };
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86400 + t)
}

/// Whether a NumericDate `t` is most likely milliseconds since the epoch
/// (`Date.now()` where `Date.now() / 1000` was meant): too large to be
/// seconds of this era, and within 20 years of `now` once divided by 1000.
pub fn looks_like_millis(t: i64, now: i64) -> bool {
    const TWENTY_YEARS: u64 = 20 * 366 * 86_400;
    t > 100_000_000_000 && (t / 1000).abs_diff(now) <= TWENTY_YEARS
}

/// The system clock in Unix seconds.
pub fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms() {
        assert_eq!(parse_now("1767225600"), Ok(1_767_225_600));
        assert_eq!(parse_now("2026-01-01T00:00:00Z"), Ok(1_767_225_600));
        assert_eq!(
            parse_now("2026-01-01T09:00:00.123+09:00"),
            Ok(1_767_225_600)
        );
        assert_eq!(parse_now("2019-07-04T17:50:16Z"), Ok(1_562_262_616));
        assert!(parse_now("2026-02-30T00:00:00Z").is_err());
        assert!(parse_now("yesterday").is_err());
    }

    #[test]
    fn reads_the_three_http_date_forms() {
        let t = Some(784_111_777);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), t);
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), t);
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), t);
        assert_eq!(
            parse_http_date("Thu, 01 Jan 2026 00:00:00 GMT"),
            Some(1_767_225_600)
        );
        for bad in [
            "",
            "yesterday",
            "Sun, 31 Feb 2026 00:00:00 GMT",
            "Sun, 06 Nov 1994 25:00:00 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn milliseconds_are_told_from_seconds() {
        let now = 1_767_225_600;
        assert!(looks_like_millis(1_767_225_595_123, now));
        assert!(looks_like_millis(1_562_262_616_000, now)); // 2019, read as ms
        assert!(!looks_like_millis(1_767_225_595, now));
        assert!(!looks_like_millis(4_102_444_800, now)); // 2100, in seconds
        assert!(!looks_like_millis(i64::MAX, now));
        assert!(!looks_like_millis(i64::MIN, now));
    }

    #[test]
    fn formats_round_trip() {
        for t in [0, 1_562_262_616, 1_767_225_600, 4_102_444_800] {
            assert_eq!(parse_rfc3339(&format_rfc3339(t)), Some(t));
        }
    }
}
