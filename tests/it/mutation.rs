//! Mutated scenario files never crash the program: every shipped scenario and the template,
//! changed at random (numbers replaced by random, NaN, infinite, huge or negative values;
//! values replaced by other types; fields deleted; unknown fields added; the text cut short;
//! lines and whole sections duplicated), either loads and runs to finite results, or is
//! refused with an error that names the file and a position (line:column) or a field path.

use armistice::{Control, LoadError, RunOptions, simulate, validate};
use proptest::prelude::*;

use crate::hostile::{assert_error_says_where, seed_texts};

const FILE: &str = "mutated.ron";

#[derive(Clone, Debug)]
enum Mutation {
    /// Replace the `nth` number (counting modulo the numbers in the text).
    Number { nth: usize, with: String },
    /// Replace the value after the `nth` colon by a value of another type.
    Type { nth: usize, with: String },
    /// Delete the `nth` line that holds a field.
    DeleteField { nth: usize },
    /// Insert an unknown field after the `nth` opening parenthesis.
    AddField { nth: usize, name: String },
    /// Cut the text at a share (per mille) of its length.
    Truncate { per_mille: usize },
    /// Repeat `len` lines from the `nth` right after them.
    DuplicateLines { nth: usize, len: usize },
    /// Repeat the `nth` top-level section (`meta`, `sides`, `bargaining`, ...).
    DuplicateSection { nth: usize },
}

fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|x| format!("{x:?}")),
        (-1e7..1e7f64).prop_map(|x| format!("{x}")),
        any::<i64>().prop_map(|x| x.to_string()),
        Just("NaN".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("1e308".to_string()),
        Just("-1e308".to_string()),
        Just("1e999".to_string()),
        Just("5e-324".to_string()),
        Just("-1".to_string()),
        Just("0".to_string()),
        Just("-0.0".to_string()),
        Just("4294967296".to_string()),
        Just("18446744073709551616".to_string()),
        Just("99999999999999999999999999999".to_string()),
        Just("0x10".to_string()),
        Just("1_000".to_string()),
        Just(".5".to_string()),
    ]
}

fn other_type() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"text\"".to_string()),
        Just("[]".to_string()),
        Just("[1, 2]".to_string()),
        Just("()".to_string()),
        Just("{}".to_string()),
        Just("true".to_string()),
        Just("'c'".to_string()),
        Just("Line".to_string()),
        Just("Some(1)".to_string()),
        Just("None".to_string()),
        Just("Fixed(1)".to_string()),
        Just("(value: Pert(min: 1, mode: 2, max: 3))".to_string()),
        Just("Normal(mean: 0, sd: 1e300, min: 0)".to_string()),
        Just("Beta(alpha: 0.001, beta: 1e9)".to_string()),
        Just("LogNormal(median: 1e-300, p90: 1e300)".to_string()),
        Just("Shares([0.5, 0.6])".to_string()),
        Just("Rubinstein(proposer: C)".to_string()),
        number_text(),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<usize>(), number_text()).prop_map(|(nth, with)| Mutation::Number { nth, with }),
        2 => (any::<usize>(), other_type()).prop_map(|(nth, with)| Mutation::Type { nth, with }),
        2 => any::<usize>().prop_map(|nth| Mutation::DeleteField { nth }),
        1 => (any::<usize>(), prop_oneof![
                Just("unknown".to_string()),
                Just("value".to_string()),
                Just("version".to_string()),
                Just("min".to_string()),
                Just("r#raw".to_string()),
            ])
            .prop_map(|(nth, name)| Mutation::AddField { nth, name }),
        1 => (0usize..1000).prop_map(|per_mille| Mutation::Truncate { per_mille }),
        1 => (any::<usize>(), 1usize..30).prop_map(|(nth, len)| Mutation::DuplicateLines { nth, len }),
        1 => any::<usize>().prop_map(|nth| Mutation::DuplicateSection { nth }),
    ]
}

/// Byte ranges of the number literals of a text.
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts =
            b[i].is_ascii_digit() || (b[i] == b'-' && i + 1 < b.len() && b[i + 1].is_ascii_digit());
        let after_ident = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if starts && !after_ident {
            let start = i;
            i += 1;
            while i < b.len()
                && (b[i].is_ascii_digit() || matches!(b[i], b'.' | b'e' | b'E' | b'_' | b'+'))
            {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// Byte ranges of the values that follow `: ` up to the next comma or end of line.
fn values(text: &str) -> Vec<(usize, usize)> {
    text.match_indices(": ")
        .map(|(at, _)| {
            let start = at + 2;
            let end = text[start..]
                .find([',', '\n'])
                .map_or(text.len(), |e| start + e);
            (start, end)
        })
        .collect()
}

/// Top-level sections: lines indented by exactly four spaces that start a field, up to the
/// next such line.
fn sections(text: &str) -> Vec<(usize, usize)> {
    let mut starts = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("    ")
            && !line.starts_with("     ")
            && line[4..].starts_with(|c: char| c.is_ascii_lowercase())
        {
            starts.push(at);
        }
        at += line.len();
    }
    // The last section ends where the closing parenthesis of the file begins.
    let end = text.rfind("\n)").map_or(text.len(), |i| i + 1);
    starts
        .windows(2)
        .map(|w| (w[0], w[1]))
        .chain(starts.last().map(|&s| (s, end.max(s))))
        .collect()
}

fn apply(text: &str, m: &Mutation) -> String {
    let pick = |v: &[(usize, usize)], nth: usize| (!v.is_empty()).then(|| v[nth % v.len()]);
    let splice = |(s, e): (usize, usize), with: &str| format!("{}{with}{}", &text[..s], &text[e..]);
    match m {
        Mutation::Number { nth, with } => {
            pick(&numbers(text), *nth).map_or_else(|| text.to_string(), |r| splice(r, with))
        }
        Mutation::Type { nth, with } => {
            pick(&values(text), *nth).map_or_else(|| text.to_string(), |r| splice(r, with))
        }
        Mutation::DeleteField { nth } => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let fields: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].contains(": "))
                .collect();
            if fields.is_empty() {
                return text.to_string();
            }
            let drop = fields[nth % fields.len()];
            lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != drop)
                .map(|(_, l)| *l)
                .collect()
        }
        Mutation::AddField { nth, name } => {
            let opens: Vec<(usize, usize)> = text
                .match_indices('(')
                .map(|(i, _)| (i + 1, i + 1))
                .collect();
            pick(&opens, *nth)
                .map_or_else(|| text.to_string(), |r| splice(r, &format!("{name}: 1, ")))
        }
        Mutation::Truncate { per_mille } => {
            let mut at = text.len() * per_mille / 1000;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text[..at].to_string()
        }
        Mutation::DuplicateLines { nth, len } => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            if lines.is_empty() {
                return text.to_string();
            }
            let from = nth % lines.len();
            let to = (from + len).min(lines.len());
            let mut out: Vec<&str> = lines[..to].to_vec();
            out.extend_from_slice(&lines[from..to]);
            out.extend_from_slice(&lines[to..]);
            out.concat()
        }
        Mutation::DuplicateSection { nth } => match pick(&sections(text), *nth) {
            Some((s, e)) => format!("{}{}{}", &text[..e], &text[s..e], &text[e..]),
            None => text.to_string(),
        },
    }
}

/// What became of one text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Ran,
    Syntax,
    Invalid,
}

/// The outcome every text must have: a valid short run, or an error that says where.
fn check(text: &str) -> Outcome {
    match armistice::load_str(text, FILE) {
        Ok(vs) => {
            let mut sc = vs.into_inner();
            sc.simulation.horizon_months = sc.simulation.horizon_months.min(24);
            let vs = validate(sc).expect("a shorter horizon keeps the scenario valid");
            let opts = RunOptions {
                trials: 64,
                seed: vs.simulation.seed,
                threads: Some(1),
            };
            let r = simulate(&vs, &opts, &Control::new(), &|| {}).expect("a valid run");
            for rec in &r.output.records {
                for x in [rec.leverage_a, rec.d_a, rec.d_b, rec.p_a, rec.held_by_b_km2] {
                    assert!(x.is_finite(), "{rec:?}");
                }
            }
            Outcome::Ran
        }
        Err(e) => {
            assert_error_says_where(&e, FILE);
            match &e {
                LoadError::Syntax { line, .. } => {
                    let lines = text.lines().count().max(1);
                    assert!(*line <= lines + 1, "line {line} of {lines}: {e}");
                    Outcome::Syntax
                }
                LoadError::Invalid { .. } => Outcome::Invalid,
                other => panic!("text in memory gives no {other}"),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_scenarios_run_or_say_where_they_are_wrong(
        seed in 0usize..6,
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let seeds = seed_texts();
        let (_, original) = &seeds[seed % seeds.len()];
        let mut text = original.clone();
        for m in &mutations {
            text = apply(&text, m);
        }
        check(&text);
    }
}

/// The mutations reach every outcome: many texts still run, many fail validation at a field,
/// many fail to parse at a position.
#[test]
fn the_mutations_reach_every_outcome() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let seeds = seed_texts();
    let mut runner = TestRunner::deterministic();
    let strategy = (0usize..6, prop::collection::vec(mutation(), 1..3));
    let mut counts = [0usize; 3];
    for _ in 0..150 {
        let (seed, mutations) = strategy.new_tree(&mut runner).unwrap().current();
        let mut text = seeds[seed % seeds.len()].1.clone();
        for m in &mutations {
            text = apply(&text, m);
        }
        counts[check(&text) as usize] += 1;
    }
    let [ran, syntax, invalid] = counts;
    eprintln!("ran {ran}, syntax errors {syntax}, validation errors {invalid}");
    assert!(
        ran >= 10 && syntax >= 10 && invalid >= 10,
        "ran {ran}, syntax {syntax}, invalid {invalid}"
    );
}

#[test]
fn every_seed_is_valid_before_mutation() {
    for (name, text) in seed_texts() {
        armistice::load_str(&text, &name).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn the_teaching_scenario_cut_anywhere_says_where() {
    let (_, text) = seed_texts()
        .into_iter()
        .find(|(n, _)| n.starts_with("teaching"))
        .expect("the teaching scenario");
    let mut cuts = 0;
    // Every cut before the final parenthesis leaves an incomplete file.
    for at in (0..text.trim_end().len()).step_by(5) {
        if text.is_char_boundary(at) {
            assert_ne!(check(&text[..at]), Outcome::Ran);
            cuts += 1;
        }
    }
    assert!(cuts > 900, "{cuts}");
}

#[test]
fn the_mutations_change_what_they_should() {
    let text = "(\n    a: (x: 1, y: -2.5e3),\n    b: [3],\n)\n";
    assert_eq!(numbers(text).len(), 3);
    assert_eq!(
        apply(
            text,
            &Mutation::Number {
                nth: 1,
                with: "NaN".into()
            }
        ),
        "(\n    a: (x: 1, y: NaN),\n    b: [3],\n)\n"
    );
    assert_eq!(
        apply(text, &Mutation::DuplicateSection { nth: 1 }),
        "(\n    a: (x: 1, y: -2.5e3),\n    b: [3],\n    b: [3],\n)\n"
    );
    assert_eq!(
        apply(text, &Mutation::DeleteField { nth: 0 }),
        "(\n    b: [3],\n)\n"
    );
    assert_eq!(
        apply(
            text,
            &Mutation::AddField {
                nth: 1,
                name: "zz".into()
            }
        ),
        "(\n    a: (zz: 1, x: 1, y: -2.5e3),\n    b: [3],\n)\n"
    );
}
