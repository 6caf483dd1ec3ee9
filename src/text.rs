//! Numbers and names as text, one function per purpose: exact numbers in messages, readable
//! numbers in the app, thousands separators, significant digits in reports, numbers in CSV,
//! long names clipped to a width, and terminal tables by display width ([`label_row`]).
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
//! | [`fmt_plain`] | tables for scripts (`armistice inputs`): shortest round-trip, no exponent | `1234567.8` | `0.0123456` |
//!
//! [`round_decimals`], [`decimals_of`] and [`round_to_place`] round numbers to the decimal
//! a person wrote or meant (sweep grids, a distribution's median), so that they print as
//! that decimal (`-0.15`, not `-0.15000000000000002`).

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

/// A number for tab-separated tables that scripts read: the shortest text that reads back to
/// the same `f64`, never with an exponent (`0.96`, `880000`, `0.0000001`); NaN and infinities
/// as `NaN`, `inf`, `-inf`.
pub fn fmt_plain(x: f64) -> String {
    format!("{x}")
}

/// `x` rounded to `d` decimals (0 to 17), as the nearest `f64` to that decimal: it prints as
/// the decimal. NaN and infinities are returned as they are.
pub fn round_decimals(x: f64, d: usize) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let d = d.min(17);
    format!("{x:.d$}").parse().unwrap_or(x)
}

/// The fewest decimals (0 to 15) with which `x` is written to within `tolerance` (its
/// rounding noise), or `None` when no decimal coarser than a thousand times the noise reaches
/// it (a number such as 1/3).
pub fn decimals_of(x: f64, tolerance: f64) -> Option<usize> {
    if !x.is_finite() {
        return None;
    }
    (0..=15usize)
        .take_while(|&d| 10f64.powi(-(d as i32)) > 1000.0 * tolerance)
        .find(|&d| (round_decimals(x, d) - x).abs() <= tolerance)
}

/// The place of the last significant digit of `x` as written: the largest `e` such that `x`
/// is a whole multiple of `10^e`, within the precision of an `f64` (4 for 640000, -2 for
/// 0.25). `None` for 0, NaN and infinities.
pub fn last_place(x: f64) -> Option<i32> {
    if !x.is_finite() || x == 0.0 {
        return None;
    }
    let tolerance = 4.0 * f64::EPSILON * x.abs();
    (-15..=300).rev().find(|&e| {
        let unit = 10f64.powi(e);
        unit <= x.abs() && ((x / unit).round() * unit - x).abs() <= tolerance
    })
}

/// `x` rounded to a multiple of `10^place` (a negative place counts decimals), as the nearest
/// `f64` to that decimal.
pub fn round_to_place(x: f64, place: i32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    if place < 0 {
        round_decimals(x, (-place) as usize)
    } else {
        let unit = 10f64.powi(place);
        (x / unit).round() * unit
    }
}

/// Columns `text` takes in a terminal: two for East Asian wide characters (Korean, Chinese,
/// Japanese), none for combining marks, one for the rest (Latin, Cyrillic, Greek).
pub fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` with spaces after it to fill `width` terminal columns (as it is when wider).
pub fn pad_right(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(display_width(text));
    format!("{text}{}", " ".repeat(fill))
}

/// `text` with spaces before it to fill `width` terminal columns (as it is when wider).
pub fn pad_left(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(display_width(text));
    format!("{}{text}", " ".repeat(fill))
}

/// `text` broken into lines of at most `width` terminal columns, between words where it can;
/// a word wider than a line is broken between characters. Nothing is cut.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let sep = usize::from(!line.is_empty());
        if display_width(&line) + sep + display_width(word) <= width {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if !line.is_empty() && display_width(&line) + w > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// One row of a terminal table: `prefix`, then `label` in a column `width` terminal columns
/// wide, then `rest` (the numbers), and a newline. A label wider than its column is wrapped,
/// not cut: `rest` follows its first line, and the other lines are indented two columns
/// further than the label, so that the numbers of every row line up whatever the script
/// of the names (widths by [`display_width`]).
pub fn label_row(prefix: &str, label: &str, width: usize, rest: &str) -> String {
    let lines = wrap(label, width);
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            out.push_str(prefix);
            out.push_str(&pad_right(line, width));
            out.push_str(rest);
        } else {
            out.push_str(&" ".repeat(display_width(prefix) + 2));
            out.push_str(line);
        }
        out.push('\n');
    }
    out
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
    fn decimals_as_written() {
        assert_eq!(fmt_plain(0.96), "0.96");
        assert_eq!(fmt_plain(880000.0), "880000");
        assert_eq!(fmt_plain(1e-7), "0.0000001");
        assert_eq!(round_decimals(-0.15000000000000002, 2).to_string(), "-0.15");
        assert_eq!(round_decimals(0.1 + 0.2, 1).to_string(), "0.3");
        assert_eq!(decimals_of(0.15000000000000002, 1e-12), Some(2));
        assert_eq!(decimals_of(25.0, 0.0), Some(0));
        assert_eq!(decimals_of(1.0 / 3.0, 1e-12), None);
        assert_eq!(last_place(640000.0), Some(4));
        assert_eq!(last_place(0.25), Some(-2));
        assert_eq!(last_place(7.1), Some(-1));
        assert_eq!(last_place(-300.0), Some(2));
        assert_eq!(last_place(0.0), None);
        assert_eq!(round_to_place(863245.5532033676, 3), 863000.0);
        assert_eq!(round_to_place(0.9599999999999999, -2).to_string(), "0.96");
    }

    #[test]
    fn widths_count_terminal_columns() {
        assert_eq!(display_width("Ukraine"), 7);
        assert_eq!(display_width("Украина"), 7);
        assert_eq!(display_width("대한민국"), 8);
        assert_eq!(display_width("e\u{301}"), 1);
        assert_eq!(pad_right("한국", 6), "한국  ");
        assert_eq!(pad_left("Россия", 8), "  Россия");
        assert_eq!(pad_right("too wide", 3), "too wide");
    }

    #[test]
    fn wrapping_breaks_between_words_and_keeps_everything() {
        assert_eq!(wrap("short", 10), vec!["short"]);
        assert_eq!(wrap("", 10), vec![""]);
        assert_eq!(
            wrap("Neutrality and sanctions relief with monitoring", 20),
            vec!["Neutrality and", "sanctions relief", "with monitoring"]
        );
        // A word wider than the line, in wide characters: broken between characters.
        assert_eq!(
            wrap("대한민국대한민국", 6),
            vec!["대한민", "국대한", "민국"]
        );
        let long = "x".repeat(50);
        assert_eq!(wrap(&long, 20).concat(), long);
        for line in wrap(
            "Freeze on the line with a European guarantee and 대한민국 troops",
            12,
        ) {
            assert!(display_width(&line) <= 12, "{line}");
        }
    }

    #[test]
    fn rows_line_up_their_numbers_and_wrap_long_labels() {
        let rest = " 0.500";
        let rows = [
            label_row("* ", "Freeze", 12, rest),
            label_row("  ", "Заморозка", 12, rest),
            label_row("  ", "동결 합의", 12, rest),
        ];
        for r in &rows {
            assert_eq!(r.lines().count(), 1);
            assert_eq!(
                display_width(r.trim_end_matches('\n')),
                2 + 12 + rest.len(),
                "{r}"
            );
        }
        let long = label_row("  ", "Freeze with a European guarantee", 12, rest);
        let lines: Vec<&str> = long.lines().collect();
        assert_eq!(
            lines,
            vec!["  Freeze with  0.500", "    a European", "    guarantee"]
        );
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
