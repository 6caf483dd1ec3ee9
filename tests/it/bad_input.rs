//! Every kind of bad input is refused with a clear message saying where (field path, or
//! line and column) and what was expected. Each test makes one change to the teaching
//! scenario's text.

use armistice::{LoadError, limits};

use crate::common::*;

const FILE: &str = "teaching.ron";

/// The teaching scenario with the only occurrence of `from` replaced by `to`.
fn edit(from: &str, to: &str) -> String {
    let text = teaching_text();
    assert_eq!(
        text.matches(from).count(),
        1,
        "the edit must change exactly one place: {from:?}"
    );
    text.replacen(from, to, 1)
}

/// 1-based line and column (in characters) of the first occurrence of `needle`.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    position_of_offset(text, at)
}

fn position_of_offset(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Loads the text and returns its syntax error: (line, column, message).
fn syntax_error(text: &str) -> (usize, usize, String) {
    match armistice::load_str(text, FILE) {
        Err(e @ LoadError::Syntax { .. }) => {
            let shown = e.to_string();
            let LoadError::Syntax {
                file,
                line,
                column,
                message,
            } = e
            else {
                unreachable!()
            };
            assert_eq!(file, FILE);
            assert!(
                shown.starts_with(&format!("{FILE}:{line}:{column}: ")),
                "the message leads with file:line:column: {shown}"
            );
            assert!(shown.contains(&message));
            (line, column, message)
        }
        Err(other) => panic!("expected a syntax error, got: {other}"),
        Ok(_) => panic!("the text was accepted"),
    }
}

/// Loads the text, expects validation to fail with an issue at `path` whose message contains
/// every one of `needles`, and checks that the displayed error names the file and the path.
fn invalid_at(text: &str, path: &str, needles: &[&str]) {
    let err = match armistice::load_str(text, FILE) {
        Err(e @ LoadError::Invalid { .. }) => e,
        Err(other) => panic!("expected a validation error at {path}, got: {other}"),
        Ok(_) => panic!("the text was accepted; expected a problem at {path}"),
    };
    let LoadError::Invalid { issues, .. } = &err else {
        unreachable!()
    };
    let issue = issues
        .iter()
        .find(|i| i.path == path)
        .unwrap_or_else(|| panic!("no issue at {path}; issues: {issues:?}"));
    for n in needles {
        assert!(
            issue.message.contains(n),
            "{path}: the message {:?} should contain {n:?}",
            issue.message
        );
    }
    let shown = err.to_string();
    assert!(shown.starts_with(FILE), "{shown}");
    assert!(
        shown.contains(&format!("{path}: {}", issue.message)),
        "{shown}"
    );
    let lines = err.lines();
    assert_eq!(lines.len(), issues.len());
    assert!(
        lines.contains(&format!("{FILE}: {path}: {}", issue.message)),
        "{lines:?}"
    );
    for (line, i) in lines.iter().zip(issues) {
        assert!(line.contains(&i.path), "every line names its field: {line}");
    }
}

#[test]
fn the_unedited_teaching_scenario_is_valid() {
    armistice::load_str(&teaching_text(), FILE).unwrap();
}

// ---------------------------------------------------------------- syntax

#[test]
fn missing_comma_is_a_syntax_error_at_the_next_token() {
    let text = edit("seed: 7,\n", "seed: 7\n");
    let (line, column, message) = syntax_error(&text);
    assert_eq!((line, column), position_of(&text, "horizon_months"));
    assert!(message.to_lowercase().contains("comma"), "{message}");
}

#[test]
fn missing_closing_bracket_is_a_syntax_error_where_the_list_should_end() {
    // The `]` closing `aid: [...]` is gone: the parser meets `troops` inside the list.
    let text = edit(
        "        ),\n    ],\n    troops: [",
        "        ),\n    troops: [",
    );
    let (line, column, message) = syntax_error(&text);
    assert_eq!((line, column), position_of(&text, "troops: ["));
    assert!(message.contains("troops"), "{message}");
}

#[test]
fn missing_final_parenthesis_is_a_syntax_error_at_the_end() {
    let mut text = teaching_text();
    let end = text.rfind(')').unwrap();
    text.truncate(end);
    let (line, _, message) = syntax_error(&text);
    assert!(
        line >= text.trim_end().lines().count(),
        "the error is at the end of the text, got line {line}: {message}"
    );
}

#[test]
fn unknown_field_in_a_side() {
    let text = edit(
        "            quality: 1.0,\n            casualty_tolerance: 600000,",
        "            quality: 1.0,\n            morale: 3,\n            casualty_tolerance: 600000,",
    );
    let (line, column, message) = syntax_error(&text);
    assert_eq!((line, column), position_of(&text, "morale"));
    assert!(message.contains("`morale`"), "{message}");
    assert!(message.contains("Side"), "{message}");
    // ... and what was expected instead.
    assert!(message.contains("`casualty_tolerance`"), "{message}");
}

#[test]
fn unknown_field_in_an_input() {
    let text = edit(
        r#"max: 110000), source: "invented"),"#,
        r#"max: 110000), sourse: "invented"),"#,
    );
    let (line, column, message) = syntax_error(&text);
    assert_eq!((line, column), position_of(&text, "sourse"));
    assert!(message.contains("`sourse`"), "{message}");
    for expected in ["value", "source", "note", "slider"] {
        assert!(message.contains(expected), "{message}");
    }
    // The field sits in the numeric input `manpower`, not in the side around it: the
    // message must not send the reader to the side's fields.
    assert!(
        !message.contains("in `Side`"),
        "the message names the wrong struct: {message}"
    );
}

#[test]
fn unknown_field_in_a_distribution() {
    let text = edit(
        "Triangular(min: 90000, mode: 100000, max: 110000)",
        "Triangular(min: 90000, mode: 100000, max: 110000, peak: 5)",
    );
    let (line, column, message) = syntax_error(&text);
    assert_eq!((line, column), position_of(&text, "peak"));
    assert!(message.contains("`peak`"), "{message}");
    assert!(message.contains("Triangular"), "{message}");
    for expected in ["`min`", "`mode`", "`max`"] {
        assert!(message.contains(expected), "{message}");
    }
}

#[test]
fn unknown_distribution_name() {
    let text = edit(
        "Triangular(min: 90000, mode: 100000, max: 110000)",
        "Trapezoid(min: 90000, mode: 100000, max: 110000)",
    );
    let (line, column, message) = syntax_error(&text);
    assert_eq!((line, column), position_of(&text, "Trapezoid"));
    assert!(message.contains("Trapezoid"), "{message}");
    assert!(
        message.contains("Pert"),
        "lists the known distributions: {message}"
    );
}

#[test]
fn distribution_parameters_without_value() {
    let text = edit(
        r#"manpower: (value: Triangular(min: 90000, mode: 100000, max: 110000), source: "invented")"#,
        "manpower: (min: 90000, mode: 100000, max: 110000)",
    );
    let (line, column, message) = syntax_error(&text);
    assert_eq!((line, column), position_of(&text, "min: 90000"));
    assert!(message.contains("`min`"), "{message}");
    assert!(
        message.contains("value:"),
        "says how to write it: {message}"
    );
}

#[test]
fn negative_trials_is_a_syntax_error_at_the_number() {
    let text = edit("trials: 20000", "trials: -5");
    let (line, column, _) = syntax_error(&text);
    let (l, c) = position_of(&text, "trials: -5");
    assert_eq!(line, l);
    assert!(
        column > c && column <= c + "trials: -5".len(),
        "column {column} should point into `trials: -5` (from column {c})"
    );
}

// ---------------------------------------------------------------- values

#[test]
fn nan_value() {
    let text = edit("materiel_usd_bn: 8,", "materiel_usd_bn: NaN,");
    invalid_at(
        &text,
        "sides.a.materiel_usd_bn",
        &["finite number", "got NaN"],
    );
}

#[test]
fn infinite_value() {
    let text = edit("materiel_usd_bn: 8,", "materiel_usd_bn: inf,");
    invalid_at(
        &text,
        "sides.a.materiel_usd_bn",
        &["finite number", "got inf"],
    );
    let text = edit(
        "recruits_per_month: 3000,\n            losses_per_month: (value: Triangular(min: 2000",
        "recruits_per_month: -inf,\n            losses_per_month: (value: Triangular(min: 2000",
    );
    invalid_at(
        &text,
        "sides.a.recruits_per_month",
        &["finite number", "got -inf"],
    );
}

#[test]
fn infinite_distribution_parameter() {
    let text = edit(
        "Triangular(min: 90000, mode: 100000, max: 110000)",
        "Triangular(min: 90000, mode: inf, max: 110000)",
    );
    invalid_at(
        &text,
        "sides.a.manpower.value.mode",
        &["finite number", "got inf"],
    );
}

#[test]
fn nan_inside_fixed() {
    let text = edit(
        "materiel_usd_bn: 8,",
        "materiel_usd_bn: (value: Fixed(NaN)),",
    );
    invalid_at(&text, "sides.a.materiel_usd_bn", &["finite", "got NaN"]);
}

#[test]
fn negative_manpower() {
    let text = edit(
        r#"manpower: (value: Triangular(min: 90000, mode: 100000, max: 110000), source: "invented")"#,
        "manpower: -5",
    );
    invalid_at(&text, "sides.a.manpower", &["above 0", "got -5", "troops"]);
}

#[test]
fn zero_trials() {
    let text = edit("trials: 20000", "trials: 0");
    invalid_at(
        &text,
        "simulation.trials",
        &["got 0", &format!("1..={}", limits::MAX_TRIALS)],
    );
}

#[test]
fn trials_above_the_limit() {
    let too_many = limits::MAX_TRIALS + 1;
    let text = edit("trials: 20000", &format!("trials: {too_many}"));
    invalid_at(
        &text,
        "simulation.trials",
        &[
            &format!("got {too_many}"),
            &format!("1..={}", limits::MAX_TRIALS),
        ],
    );
}

#[test]
fn horizon_of_a_million_months() {
    let text = edit("horizon_months: 12", "horizon_months: 1000000");
    invalid_at(
        &text,
        "simulation.horizon_months",
        &[
            "got 1000000",
            &format!("1..={}", limits::MAX_HORIZON_MONTHS),
        ],
    );
}

#[test]
fn inverted_uniform_range() {
    let text = edit(
        "optimism: (value: Uniform(min: 0.0, max: 0.20)",
        "optimism: (value: Uniform(min: 0.3, max: 0.20)",
    );
    invalid_at(
        &text,
        "sides.a.optimism",
        &["Uniform", "min must be below max", "min 0.3", "max 0.2"],
    );
}

#[test]
fn mode_outside_its_range() {
    let text = edit(
        "Triangular(min: 90000, mode: 100000, max: 110000)",
        "Triangular(min: 90000, mode: 150000, max: 110000)",
    );
    invalid_at(
        &text,
        "sides.a.manpower",
        &["mode must be within", "90000..=110000", "got 150000"],
    );
}

#[test]
fn pert_on_a_probability_above_one() {
    let text = edit(
        "stalemate: 0.4,",
        "stalemate: (value: Pert(min: 0.2, mode: 0.5, max: 1.2)),",
    );
    invalid_at(
        &text,
        "battlefield.stalemate",
        &["within 0..=1", "probability", "Pert", "1.2"],
    );
}

#[test]
fn untruncated_normal_on_a_non_negative_field() {
    let text = edit(
        "recruits_per_month: 3000,\n            losses_per_month: (value: Triangular(min: 2000",
        "recruits_per_month: (value: Normal(mean: 3000, sd: 1000)),\n            losses_per_month: (value: Triangular(min: 2000",
    );
    invalid_at(
        &text,
        "sides.a.recruits_per_month",
        &["within 0..=", "Normal", "truncate"],
    );
    // Truncating it at 0 makes it valid.
    let text = edit(
        "recruits_per_month: 3000,\n            losses_per_month: (value: Triangular(min: 2000",
        "recruits_per_month: (value: Normal(mean: 3000, sd: 1000, min: 0)),\n            losses_per_month: (value: Triangular(min: 2000",
    );
    armistice::load_str(&text, FILE).unwrap();
}

#[test]
fn source_that_does_not_exist() {
    let text = edit(
        r#"max: 110000), source: "invented"),"#,
        r#"max: 110000), source: "nowhere"),"#,
    );
    invalid_at(
        &text,
        "sides.a.manpower.source",
        &["\"nowhere\"", "meta.sources", "invented"],
    );
}

#[test]
fn aid_recipient_that_is_not_a_side() {
    let text = edit(r#"recipient: "arvenia","#, r#"recipient: "atlantis","#);
    invalid_at(
        &text,
        "aid[0].recipient",
        &["\"atlantis\"", "\"arvenia\"", "\"borsk\""],
    );
}

#[test]
fn duplicate_source_ids() {
    let text = edit(
        r#"meant.", date: "2030"),"#,
        r#"meant.", date: "2030"),
            (id: "invented", citation: "A second source with the same id."),"#,
    );
    invalid_at(&text, "meta.sources[1].id", &["\"invented\"", "unique"]);
}

#[test]
fn package_attribute_without_a_weight() {
    let text = edit(
        "                neutrality: 1.0,\n            ),",
        "                neutrality: 1.0,\n                other: {\"demilitarised_zone\": 1.0},\n            ),",
    );
    invalid_at(
        &text,
        "bargaining.packages[2].other.demilitarised_zone",
        &[
            "\"demilitarised_zone\"",
            "no weight",
            "bargaining.weights.a.other",
        ],
    );
}

#[test]
fn more_packages_than_the_limit() {
    let n = limits::MAX_PACKAGES + 1;
    let existing = 3;
    let extra: String = (0..n - existing)
        .map(|i| format!("            (name: \"Extra {i}\", territory: Line),\n"))
        .collect();
    let text = edit(
        "        packages: [\n",
        &format!("        packages: [\n{extra}"),
    );
    invalid_at(
        &text,
        "bargaining.packages",
        &[
            &format!("{n} packages"),
            &format!("at most {}", limits::MAX_PACKAGES),
        ],
    );
}

#[test]
fn losses_and_exchange_ratio_all_given() {
    // Both sides give their losses; an exchange ratio on top over-determines attrition.
    let text = edit(
        "        stalemate: 0.4,",
        "        exchange_ratio: 1.5,\n        stalemate: 0.4,",
    );
    invalid_at(
        &text,
        "battlefield.exchange_ratio",
        &[
            "exactly two",
            "sides.a.losses_per_month, sides.b.losses_per_month, battlefield.exchange_ratio",
        ],
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let text = edit("trials: 20000", "trials: 0")
        .replacen("horizon_months: 12", "horizon_months: 0", 1)
        .replacen(r#"recipient: "arvenia","#, r#"recipient: "atlantis","#, 1);
    let Err(LoadError::Invalid { issues, .. }) = armistice::load_str(&text, FILE) else {
        panic!("expected validation errors");
    };
    let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
    for p in [
        "simulation.trials",
        "simulation.horizon_months",
        "aid[0].recipient",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
}

// ---------------------------------------------------------------- the file itself

#[test]
fn deeply_nested_brackets_are_an_error_not_a_stack_overflow() {
    // 100,000 levels would overflow the 2 MiB stack of a test thread if the parser recursed
    // into them; it must stop with a syntax error at the nesting instead.
    let deep = "[".repeat(100_000);
    let (line, column, _) = syntax_error(&deep);
    assert_eq!(
        (line, column),
        (1, 1),
        "a file of brackets is not a scenario"
    );
    for (open, field, at) in [
        ("[", r#"authors: ["Armistice project"],"#, "authors: "),
        ("[", "materiel_usd_bn: 8,", "materiel_usd_bn: "),
        ("(", "materiel_usd_bn: 8,", "materiel_usd_bn: "),
        ("{", "materiel_usd_bn: 8,", "materiel_usd_bn: "),
        ("(value: ", "materiel_usd_bn: 8,", "materiel_usd_bn: "),
        ("Some(", "materiel_usd_bn: 8,", "materiel_usd_bn: "),
    ] {
        let text = edit(field, &format!("{at}{}", open.repeat(100_000)));
        let (line, column, message) = syntax_error(&text);
        let (l, c) = position_of(&text, at);
        assert_eq!(line, l, "{open}: {message}");
        assert!(
            column >= c + at.len() && column <= c + at.len() + 2 * open.len(),
            "{open}: column {column} should point at the first brackets (from {}): {message}",
            c + at.len()
        );
    }
}

#[test]
fn empty_file() {
    for text in ["", "   \n\n", "// only a comment\n"] {
        let (line, column, message) = syntax_error(text);
        assert!(line >= 1 && column >= 1, "{line}:{column}");
        assert!(
            message.contains("Scenario"),
            "says that a scenario was expected: {message}"
        );
    }
}

#[test]
fn file_over_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.ron");
    let mut text = teaching_text();
    let pad = limits::MAX_FILE_BYTES as usize + 1 - text.len();
    text.push_str(&format!("//{}\n", "x".repeat(pad)));
    std::fs::write(&path, &text).unwrap();
    let err = armistice::load_file(&path).unwrap_err();
    let size = std::fs::metadata(&path).unwrap().len();
    match &err {
        LoadError::TooLarge {
            file,
            size: s,
            limit,
        } => {
            assert_eq!(file, &path.display().to_string());
            assert_eq!(*s, size);
            assert_eq!(*limit, limits::MAX_FILE_BYTES);
        }
        other => panic!("expected TooLarge, got {other}"),
    }
    let shown = err.to_string();
    assert!(shown.contains("huge.ron"), "{shown}");
    assert!(shown.contains(&size.to_string()), "{shown}");
    assert!(
        shown.contains(&limits::MAX_FILE_BYTES.to_string()),
        "{shown}"
    );
    // The same text handed over directly is refused too.
    assert!(matches!(
        armistice::load_str(&text, FILE),
        Err(LoadError::TooLarge { .. })
    ));
    // A file exactly at the limit is read (and then parsed).
    let mut text = teaching_text();
    let pad = limits::MAX_FILE_BYTES as usize - text.len() - 3;
    text.push_str(&format!("//{}\n", "x".repeat(pad)));
    assert_eq!(text.len() as u64, limits::MAX_FILE_BYTES);
    std::fs::write(&path, &text).unwrap();
    armistice::load_file(&path).unwrap();
}

#[test]
fn non_utf8_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.ron");
    // A Latin-1 "é" in the title: valid in Latin-1, not in UTF-8.
    let text = teaching_text();
    let at = text.find("Teaching: Arvenia").unwrap() + "Teaching: Arv".len();
    let mut bytes = text.as_bytes().to_vec();
    bytes.insert(at, 0xE9);
    std::fs::write(&path, &bytes).unwrap();
    let err = armistice::load_file(&path).unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("latin1.ron"), "{shown}");
    assert!(shown.contains("UTF-8"), "{shown}");
    assert!(shown.contains(&format!("offset {at}")), "{shown}");
    let LoadError::Syntax { line, column, .. } = err else {
        panic!("expected a syntax error, got {shown}");
    };
    // The position names the bad byte, as for any other syntax error.
    assert_eq!((line, column), position_of_offset(&text, at), "{shown}");
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.ron");
    let err = armistice::load_file(&path).unwrap_err();
    assert!(matches!(err, LoadError::Io { .. }), "{err}");
    assert!(err.to_string().contains("missing.ron"), "{err}");
}
