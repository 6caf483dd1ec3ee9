//! Numbers and names as text, one function per purpose: exact numbers in messages, readable
//! numbers in the app, thousands separators, significant digits in reports, numbers in CSV,
//! and long names clipped to a width.
//!
//! | function | purpose | 1234567.8 | 0.0123456 |
//! |---|---|---|---|
//! | [`fmt_exact`] | messages that quote a value (validation, `--vary`) | `1234567.8` | `0.0123456` |
//! | [`fmt_readable`] | values shown in the app (fields, tooltips, axes) | `1,234,568` | `0.012` |
//! | [`group_thousands`] | counts and areas (trials, troops, km²) | `1,234,568` | `0` |
//! | [`fmt_sig`] | readable reports with a few significant digits | `1234568` (3 digits) | `0.0123` (3 digits) |
//! | [`fmt_csv`] | CSV: reads back to the same `f64` | `1234567.8` | `0.0123456` |
//! | [`fmt_percent`] | a share as a percentage | | `1.2%` |
//! | [`fmt_quantity`] | a value with its unit, three significant digits | `1.23 million` | `0.0123` |
//! | [`fmt_number`] | an input's value as written in a table | `1,234,568` | `0.01235` |
//! | [`civil_date`] | a date (briefs, drafts) | `2025-12-02` | |

/// A number as a message quotes it: whole numbers without decimals, others in full, tiny and
/// huge ones with an exponent (without one, 1e-300 would be written with 300 zeros). NaN and
/// infinities as `NaN`, `inf`, `-inf`.
pub fn fmt_exact(x: f64) -> String {
    if x.is_finite() && x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else if x.is_finite() && (x.abs() < 1e-6 || x.abs() >= 1e15) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// A number as the app shows it: thousands separators from 1,000 on, one decimal from 100,
/// two from 1, three below.
pub fn fmt_readable(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let a = x.abs();
    if a >= 1000.0 {
        group_thousands(x)
    } else if a >= 100.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else if a == 0.0 {
        "0".into()
    } else {
        format!("{x:.3}")
    }
}

/// A number rounded to a whole number with thousands separators: 1234567.8 -> "1,234,568".
pub fn group_thousands(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let neg = x < 0.0;
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if neg && out != "0" {
        out.insert(0, '-');
    }
    out
}

/// A number with `sig` significant digits, trailing zeros dropped, for readable reports.
pub fn fmt_sig(x: f64, sig: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x == 0.0 {
        return "0".into();
    }
    let mag = x.abs().log10().floor() as i32;
    if !(-4..15).contains(&mag) {
        return format!("{:.*e}", sig.saturating_sub(1), x);
    }
    let decimals = (sig as i32 - 1 - mag).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A number for CSV: the shortest text that reads back to the same `f64` (Rust's `Debug`
/// form: `0.25`, `1e-7`, `NaN`, `inf`), which pandas parses as is.
pub fn fmt_csv(x: f64) -> String {
    format!("{x:?}")
}

/// The date `days` after 1970-01-01 as `YYYY-MM-DD` (H. Hinnant, "chrono-Compatible Low-Level
/// Date Algorithms": days to a civil date).
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A share (0..1) as a percentage for people: one decimal, "<0.1%" and ">99.9%" near the
/// ends (so that a share that is not exactly 0 or 1 never reads as one), "0%" and "100%" at
/// them.
pub fn fmt_percent(share: f64) -> String {
    if !share.is_finite() {
        return format!("{share}");
    }
    let pct = share * 100.0;
    if share == 0.0 {
        "0%".into()
    } else if share == 1.0 {
        "100%".into()
    } else if pct > 0.0 && pct < 0.05 {
        "<0.1%".into()
    } else if pct > 99.95 && pct < 100.0 {
        ">99.9%".into()
    } else {
        format!("{pct:.1}%")
    }
}

/// A signed difference of two shares in percentage points: "+1.2 points", "-0.4 points".
pub fn fmt_points(diff: f64) -> String {
    let p = diff * 100.0;
    let p = if p.abs() < 0.05 { 0.0 } else { p };
    let sign = if p > 0.0 {
        "+"
    } else if p < 0.0 {
        "−"
    } else {
        "±"
    };
    format!("{sign}{:.1} points", p.abs())
}

/// A number of some unit for people: three significant digits, thousands separators,
/// "million" and "billion" for the large ones (5111468 -> "5.11 million").
pub fn fmt_quantity(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let a = x.abs();
    if a >= 1e9 {
        format!("{} billion", fmt_sig(x / 1e9, 3))
    } else if a >= 1e6 {
        format!("{} million", fmt_sig(x / 1e6, 3))
    } else if a >= 1000.0 {
        // Three significant digits, grouped: 51,100.
        let mag = 10f64.powi(a.log10().floor() as i32 - 2);
        group_thousands((x / mag).round() * mag)
    } else {
        fmt_sig(x, 3)
    }
}

/// An input's value for a table or a list: thousands grouped from 1,000 on, otherwise four
/// significant digits without trailing zeros (20, 0.35, 1.25, 0.001235).
pub fn fmt_number(x: f64) -> String {
    if x.is_finite() && x.abs() >= 1000.0 {
        if x == x.trunc() {
            group_thousands(x)
        } else {
            fmt_readable(x)
        }
    } else {
        fmt_sig(x, 4)
    }
}

/// `text` cut to at most `max` characters, ending in "…" when cut.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some(_) => {
            let keep = text
                .char_indices()
                .nth(max.saturating_sub(1))
                .map_or(text.len(), |(i, _)| i);
            format!("{}…", &text[..keep])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_days() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_683), "2023-11-22");
        assert_eq!(civil_date(20_424), "2025-12-02");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(-1), "1969-12-31");
    }

    #[test]
    fn exact_numbers_for_messages() {
        assert_eq!(fmt_exact(2_000_000.0), "2000000");
        assert_eq!(fmt_exact(0.25), "0.25");
        assert_eq!(fmt_exact(1e-300), "1e-300");
        assert_eq!(fmt_exact(2e20), "2e20");
        assert_eq!(fmt_exact(f64::NAN), "NaN");
        assert_eq!(fmt_exact(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    #[cfg(feature = "gui")]
    fn readable_numbers_for_the_app() {
        assert_eq!(fmt_readable(1_234_567.8), "1,234,568");
        assert_eq!(fmt_readable(123.456), "123.5");
        assert_eq!(fmt_readable(12.345), "12.35");
        assert_eq!(fmt_readable(0.012345), "0.012");
        assert_eq!(fmt_readable(0.0), "0");
        assert_eq!(fmt_readable(-2500.0), "-2,500");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(group_thousands(1_234_567.8), "1,234,568");
        assert_eq!(group_thousands(999.0), "999");
        assert_eq!(group_thousands(-1000.0), "-1,000");
        assert_eq!(group_thousands(-0.2), "0");
        assert_eq!(group_thousands(f64::INFINITY), "inf");
    }

    #[test]
    fn significant_digits() {
        assert_eq!(fmt_sig(2.8046, 3), "2.8");
        assert_eq!(fmt_sig(2.8546, 3), "2.85");
        assert_eq!(fmt_sig(640000.0, 3), "640000");
        assert_eq!(fmt_sig(0.012345, 3), "0.0123");
        assert_eq!(fmt_sig(-0.5, 3), "-0.5");
        assert_eq!(fmt_sig(0.0, 3), "0");
    }

    #[test]
    fn csv_numbers_read_back_exactly() {
        for x in [0.1, 1.0 / 3.0, 1e-9, 123456789.125, -0.0, 7e20] {
            assert_eq!(fmt_csv(x).parse::<f64>().unwrap().to_bits(), x.to_bits());
        }
    }

    #[test]
    fn percentages_for_people() {
        assert_eq!(fmt_percent(0.0), "0%");
        assert_eq!(fmt_percent(1.0), "100%");
        assert_eq!(fmt_percent(0.5071), "50.7%");
        assert_eq!(fmt_percent(0.0001), "<0.1%");
        assert_eq!(fmt_percent(0.99999), ">99.9%");
        assert_eq!(fmt_points(0.0123), "+1.2 points");
        assert_eq!(fmt_points(-0.004), "−0.4 points");
        assert_eq!(fmt_points(0.0), "±0.0 points");
    }

    #[test]
    fn numbers_of_inputs() {
        assert_eq!(fmt_number(20.0), "20");
        assert_eq!(fmt_number(0.35), "0.35");
        assert_eq!(fmt_number(2500.0), "2,500");
        assert_eq!(fmt_number(0.00123456), "0.001235");
    }

    #[test]
    fn quantities_for_people() {
        assert_eq!(fmt_quantity(5_111_468.0), "5.11 million");
        assert_eq!(fmt_quantity(51_149.0), "51,100");
        assert_eq!(fmt_quantity(2.5e9), "2.5 billion");
        assert_eq!(fmt_quantity(0.012345), "0.0123");
        assert_eq!(fmt_quantity(-1234.0), "-1,230");
        assert_eq!(fmt_quantity(250.0), "250");
    }

    #[test]
    fn clipping_counts_characters_not_bytes() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("exactly10!", 10), "exactly10!");
        assert_eq!(clip("a longer name", 6), "a lon…");
        assert_eq!(clip("ééééé", 3), "éé…");
        assert_eq!(clip("abc", 0), "…");
    }
}
