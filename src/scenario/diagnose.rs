//! Parsing a scenario's text with messages people understand: a byte-order mark is dropped,
//! the text's own syntax is checked first (unclosed strings and comments reported where they
//! start, keys given twice reported with both places), and the typed parser's errors are
//! translated into what is wrong ("a whole number is expected for `trials`, got 20000.0",
//! the range of an integer, "did you mean `manpower`?").

use ron::extensions::Extensions;

use super::error::LoadError;
use super::limits::{MAX_FILE_BYTES, MAX_MESSAGE_CHARS, MAX_NESTING};
use super::syntax::{self, Kind, Tree, entry_at, line_col, offset_of};
use super::types::Scenario;
use crate::text::clip;

/// The UTF-8 byte-order mark some Windows editors write at the start of a file.
pub const BOM: &str = "\u{feff}";

/// The parser options of the format: implicit `Some`, the nesting limit.
pub fn options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(MAX_NESTING)
}

/// Parses RON text into a scenario without validating it. `file` labels error messages.
pub fn parse_scenario(text: &str, file: &str) -> Result<Scenario, LoadError> {
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            file: file.to_string(),
            size: text.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let syntax_error = |offset: usize, message: String| {
        let (line, column) = line_col(text, offset);
        LoadError::Syntax {
            file: file.to_string(),
            line,
            column,
            message: clip(&message, MAX_MESSAGE_CHARS),
        }
    };
    let typed = options().from_str::<Scenario>(text);
    let typed_offset =
        |e: &ron::error::SpannedError| offset_of(text, e.span.start.line, e.span.start.col);
    let tree = match (syntax::parse(text), typed) {
        (Ok(tree), typed) => (tree, typed),
        // The typed parser is the authority on what is valid.
        (Err(_), Ok(sc)) => return Ok(sc),
        // Both refuse the text: the earlier error is nearer the cause (an unclosed string or
        // comment is found where it opens, the typed parser notices only later); at the same
        // place the typed parser's message knows what the format expected there.
        (Err(se), Err(re)) => {
            let at = typed_offset(&re);
            return Err(if se.offset < at {
                syntax_error(se.offset, se.message)
            } else {
                let (offset, message) = translate(text, None, at, &re.code);
                syntax_error(offset, message)
            });
        }
    };
    let (tree, typed) = tree;
    if let Some((first, second, key)) = syntax::duplicate_keys(&tree, text).into_iter().next() {
        let (l, c) = line_col(text, first.start);
        return Err(syntax_error(
            second.start,
            format!(
                "`{key}` is given twice here; it was first given at line {l}, column {c}: keep one"
            ),
        ));
    }
    typed.map_err(|e| {
        let (offset, message) = translate(text, Some(&tree), typed_offset(&e), &e.code);
        syntax_error(offset, message)
    })
}

/// The name of the field a position is in, for messages (`trials`).
fn field_at(tree: Option<&Tree>, offset: usize) -> String {
    let Some(tree) = tree else {
        return String::new();
    };
    let (path, _) = entry_at(tree, offset);
    path.into_iter()
        .rev()
        .find(|p| !p.starts_with('['))
        .unwrap_or_default()
}

/// The number literal of the text at or just before `offset`, if the offset lies in one.
fn number_at(tree: Option<&Tree>, text: &str, offset: usize) -> Option<std::ops::Range<usize>> {
    let (_, entry) = entry_at(tree?, offset);
    let node = &entry?.value;
    let inside = node.span.start <= offset && offset <= node.span.end;
    (node.kind == Kind::Number && inside && !text[node.span.clone()].is_empty())
        .then(|| node.span.clone())
}

/// Translates one error of the typed parser at `offset` into a clear message, possibly at a
/// better offset (the start of the value it is about).
fn translate(text: &str, tree: Option<&Tree>, offset: usize, code: &ron::Error) -> (usize, String) {
    let name = field_at(tree, offset);
    let what = if name.is_empty() {
        "here".to_string()
    } else {
        format!("for `{name}`")
    };
    let number = number_at(tree, text, offset);
    let raw_message = code.to_string();
    match code {
        ron::Error::ExceededRecursionLimit => {
            return (
                offset,
                format!(
                    "brackets are nested more than {MAX_NESTING} deep; a scenario never needs that many"
                ),
            );
        }
        ron::Error::IntegerOutOfBounds => {
            if let Some(span) = number {
                let literal = &text[span.clone()];
                let range = integer_range(text, span.clone())
                    .map_or_else(String::new, |(lo, hi)| format!(" within {lo}..={hi}"));
                return (
                    span.start,
                    format!("a whole number{range} is expected {what}, got {literal}"),
                );
            }
        }
        ron::Error::NoSuchStructField {
            expected, found, ..
        }
        | ron::Error::NoSuchEnumVariant {
            expected, found, ..
        } => {
            if let Some(best) = closest(found, expected.iter().copied()) {
                return (offset, suggest(&raw_message, best));
            }
        }
        _ => {}
    }
    if let Some(span) = number.clone() {
        let literal = &text[span.clone()];
        let has_fraction = !literal.starts_with("0x")
            && (literal.contains('.') || literal.contains('e') || literal.contains('E'));
        // The integer parser stops at the `.` of `20000.0`: the field wants a whole number.
        if has_fraction && offset > span.start && offset < span.end {
            return (
                span.start,
                format!("a whole number is expected {what}, got {literal}"),
            );
        }
        // A number where a name (an enum variant such as a distribution) belongs.
        if raw_message.contains("raw identifier") {
            let message = if name == "value" {
                format!(
                    "a distribution is expected for `value`, such as Fixed({literal}) or \
                     Triangular(min: .., mode: .., max: ..); got the bare number {literal}"
                )
            } else {
                format!("a name is expected {what}, got the number {literal}")
            };
            return (span.start, message);
        }
    }
    if *code == ron::Error::ExpectedComma {
        let line = previous_value_line(text, offset);
        return (
            offset,
            format!(
                "expected a comma (or a closing bracket) here: is the comma after the value on \
                 line {line} missing?"
            ),
        );
    }
    // Messages of the format's own checks that list the names they accept.
    if let Some((found, expected)) = unknown_name(&raw_message)
        && let Some(best) = closest(&found, expected.iter().map(String::as_str))
    {
        return (offset, suggest(&raw_message, best));
    }
    (offset, clip(&raw_message, MAX_MESSAGE_CHARS))
}

/// The line of the last value before `offset`: the last line before it with something other
/// than blanks and a `//` comment.
fn previous_value_line(text: &str, offset: usize) -> usize {
    let before = &text[..offset.min(text.len())];
    let lines: Vec<&str> = before.split('\n').collect();
    for (i, l) in lines.iter().enumerate().rev() {
        let code = l.split("//").next().unwrap_or("").trim();
        // The current line counts only up to the offset, so text after the error is ignored.
        if !code.is_empty() {
            return i + 1;
        }
    }
    1
}

/// The unknown name a message quotes and the names it lists as expected:
/// ``unknown field `x` ... expected one of `a`, `b` `` gives `("x", ["a", "b"])`.
fn unknown_name(message: &str) -> Option<(String, Vec<String>)> {
    let start = ["unknown field `", "named `", "unknown variant `"]
        .iter()
        .find_map(|p| message.find(p).map(|i| i + p.len()))?;
    let (found, rest) = message[start..].split_once('`')?;
    let (_, list) = rest.split_once("expected one of")?;
    let list = list.split(';').next().unwrap_or(list);
    let expected = list
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect::<Vec<_>>();
    Some((found.to_string(), expected))
}

/// `message` with "did you mean `best`?" after its first clause.
fn suggest(message: &str, best: &str) -> String {
    match message.split_once("; ") {
        Some((first, rest)) => format!("{first}; did you mean `{best}`? {rest}"),
        None => format!("{message}; did you mean `{best}`?"),
    }
}

/// The allowed range of the integer at `span`, found by trying the type's edges in its place:
/// the typed parser accepts a value within the field's integer type and refuses one past it.
fn integer_range(text: &str, span: std::ops::Range<usize>) -> Option<(i128, i128)> {
    let fits = |v: i128| {
        let probe = format!("{}{v}{}", &text[..span.start], &text[span.end..]);
        match options().from_str::<Scenario>(&probe) {
            Ok(_) => true,
            Err(e) => {
                let at = offset_of(&probe, e.span.start.line, e.span.start.col);
                !(e.code == ron::Error::IntegerOutOfBounds
                    && at >= span.start
                    && at <= span.start + v.to_string().len())
            }
        }
    };
    if fits(-1) {
        let bits = [8u32, 16, 32, 64]
            .into_iter()
            .find(|b| !fits(1i128 << (b - 1)))?;
        Some((-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1))
    } else {
        let bits = [8u32, 16, 32, 64].into_iter().find(|b| !fits(1i128 << b))?;
        Some((0, (1i128 << bits) - 1))
    }
}

/// The name of `candidates` closest to `found` (edit distance), if close enough to be a typo.
pub fn closest<'a>(found: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    if found.len() > 100 {
        return None;
    }
    let limit = (found.chars().count().div_ceil(3)).max(1);
    candidates
        .map(|c| (edit_distance(&found.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance with adjacent transpositions (optimal string alignment).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn teaching() -> &'static str {
        super::super::io::SHIPPED[4].1
    }

    fn message_of(text: &str) -> (usize, usize, String) {
        match parse_scenario(text, "t.ron") {
            Err(LoadError::Syntax {
                line,
                column,
                message,
                ..
            }) => (line, column, message),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    fn line_of(text: &str, needle: &str) -> usize {
        line_col(text, text.find(needle).unwrap()).0
    }

    #[test]
    fn a_bom_and_crlf_line_endings_are_accepted() {
        let plain = parse_scenario(teaching(), "t").unwrap();
        let bom = format!("{BOM}{}", teaching());
        assert_eq!(parse_scenario(&bom, "t").unwrap(), plain);
        let crlf = teaching().replace('\n', "\r\n");
        let mut read = parse_scenario(&crlf, "t").unwrap();
        // A multi-line string (a lesson's text) keeps the file's own line ends, which is what
        // lets a save write it back unchanged; everything else reads the same.
        let (lesson, plain_lesson) = (read.lesson.take(), plain.lesson.clone());
        let mut plain = plain;
        plain.lesson = None;
        assert_eq!(read, plain);
        assert_eq!(
            format!("{lesson:?}").replace("\\r\\n", "\\n"),
            format!("{plain_lesson:?}")
        );
        assert!(format!("{lesson:?}").contains("\\r\\n"));
    }

    #[test]
    fn a_float_for_an_integer_names_the_field() {
        let text = teaching().replace("trials: 20000,", "trials: 20000.0,");
        let (line, column, m) = message_of(&text);
        assert_eq!(m, "a whole number is expected for `trials`, got 20000.0");
        assert_eq!(line, line_of(&text, "20000.0"));
        assert_eq!(column, 17);
    }

    #[test]
    fn out_of_bounds_integers_give_the_range() {
        let seed = teaching().find("seed: ").unwrap() + 6;
        let end = seed + teaching()[seed..].find(',').unwrap();
        let text = format!("{}-1{}", &teaching()[..seed], &teaching()[end..]);
        let (_, _, m) = message_of(&text);
        assert_eq!(
            m,
            "a whole number within 0..=18446744073709551615 is expected for `seed`, got -1"
        );
        let text = teaching().replace("horizon_months: 12", "horizon_months: 10000000000");
        let (_, _, m) = message_of(&text);
        assert!(m.contains("within 0..=4294967295"), "{m}");
    }

    #[test]
    fn a_bare_number_as_a_distribution_is_explained() {
        let i = teaching().find("value: Triangular").unwrap() + 7;
        let j = i + teaching()[i..].find(')').unwrap() + 1;
        let text = format!("{}100000{}", &teaching()[..i], &teaching()[j..]);
        let (_, _, m) = message_of(&text);
        assert!(
            m.starts_with("a distribution is expected for `value`, such as Fixed(100000)"),
            "{m}"
        );
        assert!(!m.contains("r#"), "{m}");
    }

    #[test]
    fn misspelled_names_get_a_suggestion() {
        let text = teaching().replacen("manpower:", "manpowr:", 1);
        let (_, _, m) = message_of(&text);
        assert!(m.contains("did you mean `manpower`?"), "{m}");
        let text = teaching().replacen("Triangular(", "Triangle(", 1);
        let (_, _, m) = message_of(&text);
        assert!(m.contains("did you mean `Triangular`?"), "{m}");
        let text = teaching().replacen("source: \"", "sorce: \"", 1);
        let (_, _, m) = message_of(&text);
        assert!(m.contains("did you mean `source`?"), "{m}");
    }

    #[test]
    fn unclosed_strings_and_comments_point_at_their_start() {
        let i = teaching().find("title: \"").unwrap() + 7;
        let j = i + teaching()[i..].find('\n').unwrap();
        let text = format!("{}\"unterminated,{}", &teaching()[..i], &teaching()[j..]);
        let (line, column, m) = message_of(&text);
        assert_eq!((line, column), line_col(&text, i));
        assert!(m.starts_with("this string is not closed"), "{m}");
        let text = teaching().replacen("(\n    version", "/* unclosed\n(\n    version", 1);
        let (line, _, m) = message_of(&text);
        assert_eq!(line, line_of(&text, "/* unclosed"));
        assert!(m.starts_with("this comment is not closed"), "{m}");
    }

    #[test]
    fn duplicate_keys_are_refused_with_both_places() {
        let text = teaching().replacen("trials: 20000,", "trials: 20000, trials: 5,", 1);
        let (_, _, m) = message_of(&text);
        assert!(m.starts_with("`trials` is given twice"), "{m}");
        let sc = teaching().replacen(
            "neutrality: -0.10)",
            "neutrality: -0.10, other: {\"x\": 1, \"x\": 2})",
            1,
        );
        let (line, _, m) = message_of(&sc);
        assert!(m.starts_with("`\"x\"` is given twice"), "{m}");
        assert!(m.contains(&format!("line {line}")), "{m}");
    }

    #[test]
    fn a_missing_comma_names_the_line_of_the_value_before() {
        let text = teaching().replacen("seed: 7,", "seed: 7 // the seed", 1);
        let (line, _, m) = message_of(&text);
        assert_eq!(line, line_of(&text, "horizon_months"));
        assert!(
            m.contains(&format!(
                "the value on line {} missing",
                line_of(&text, "seed: 7")
            )),
            "{m}"
        );
    }

    #[test]
    fn edit_distance_counts_typos() {
        assert_eq!(edit_distance("manpowr", "manpower"), 1);
        assert_eq!(edit_distance("mnapower", "manpower"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(
            closest("qualty", ["quality", "patience"].into_iter()),
            Some("quality")
        );
        assert_eq!(closest("zzz", ["quality"].into_iter()), None);
    }
}
