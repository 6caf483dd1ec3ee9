//! Every limit against hostile files (docs/RELIABILITY.md lists them): at the limit a file is
//! accepted, past it the file is refused with a clear message that says where, and nothing
//! a file can ask for overflows the stack, exhausts memory or freezes the program.

use std::time::{Duration, Instant};

use armistice::{
    BattleField, Control, Dist, Input, InputKey, Issue, LoadError, Observation, RunOptions,
    Sampler, Scenario, Schedule, SideField, SideRef, Source, SubRng, clamp_to, limits, simulate,
    spec_of, validate,
};

use crate::hostile::*;

const FILE: &str = "hostile.ron";

/// Validates and returns the issues (panics when the scenario is valid).
fn issues_of(sc: Scenario) -> Vec<Issue> {
    match validate(sc) {
        Ok(_) => panic!("the scenario was accepted"),
        Err(issues) => issues,
    }
}

/// Asserts validation fails with an issue at `path` whose message contains every needle.
fn refused_at(sc: Scenario, path: &str, needles: &[&str]) {
    let issues = issues_of(sc);
    let issue = issues
        .iter()
        .find(|i| i.path == path)
        .unwrap_or_else(|| panic!("no issue at {path}: {issues:?}"));
    for n in needles {
        assert!(issue.message.contains(n), "{path}: {:?} lacks {n:?}", issue);
    }
}

fn accepted(sc: Scenario) {
    if let Err(issues) = validate(sc) {
        panic!("refused: {issues:?}");
    }
}

/// Loads text, expecting a syntax error; returns it after checking it says where.
fn syntax_error(text: &str) -> (usize, usize, String) {
    match armistice::load_str(text, FILE) {
        Err(e @ LoadError::Syntax { .. }) => {
            assert_error_says_where(&e, FILE);
            let LoadError::Syntax {
                line,
                column,
                message,
                ..
            } = e
            else {
                unreachable!()
            };
            (line, column, message)
        }
        Err(other) => panic!("expected a syntax error, got {other}"),
        Ok(_) => panic!("accepted"),
    }
}

// ------------------------------------------------------------------ file size

#[test]
fn file_size_is_checked_before_reading() {
    // A sparse 8 GiB file: reading it would take long and fill memory; it is refused from its
    // size alone, at once.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("enormous.ron");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(8 << 30).unwrap();
    drop(f);
    let start = Instant::now();
    let err = armistice::load_file(&path).unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    match &err {
        LoadError::TooLarge { size, limit, .. } => {
            assert_eq!(*size, 8 << 30);
            assert_eq!(*limit, limits::MAX_FILE_BYTES);
        }
        other => panic!("expected TooLarge, got {other}"),
    }
    let shown = err.to_string();
    assert!(shown.contains("enormous.ron") && shown.contains("at most 1048576 bytes"));
}

#[test]
fn a_valid_file_at_the_size_limit_loads_quickly() {
    let (sc, text) = big_scenario("Large", 100);
    assert!(
        text.len() as u64 > limits::MAX_FILE_BYTES - 2_000,
        "{}",
        text.len()
    );
    let (_dir, path) = temp_file("large.ron", text.as_bytes());
    let start = Instant::now();
    let vs = armistice::load_file(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "loading took {:?}",
        start.elapsed()
    );
    assert_eq!(vs.scenario(), &sc);
}

// ------------------------------------------------------------------ nesting

/// Loads a file on a thread with a 1 MiB stack: the parser must stop on its own, long before
/// the stack runs out, whatever the nesting.
fn load_on_a_small_stack(path: &std::path::Path) -> LoadError {
    let p = path.to_path_buf();
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || armistice::load_file(&p).expect_err("refused"))
        .unwrap()
        .join()
        .expect("no stack overflow")
}

#[test]
fn a_hundred_thousand_nested_brackets_are_a_syntax_error_through_a_file() {
    let teaching = teaching_text();
    for (name, open) in [
        ("square", "["),
        ("round", "("),
        ("curly", "{"),
        ("some", "Some("),
        ("value", "(value: "),
    ] {
        let deep = open.repeat(100_000);
        // The whole file, then in place of a number, a list, an enum and a map.
        let (_dir, path) = temp_file(&format!("{name}.ron"), deep.as_bytes());
        let err = load_on_a_small_stack(&path);
        assert_error_says_where(&err, &path.display().to_string());
        assert!(
            matches!(err, LoadError::Syntax { line: 1, .. }),
            "{name}: {err}"
        );
        for field in [
            "materiel_usd_bn: 8,",
            "authors: [\"Armistice project\"],",
            "protocol: Nash,",
            "a: (security_guarantee: 0.30, sanctions_relief: 0.0, neutrality: -0.10),",
        ] {
            let label = &field[..field.find(':').unwrap()];
            let at = teaching.find(field).unwrap();
            let text = format!("{}{label}: {deep}", &teaching[..at]);
            let (_dir, path) = temp_file(&format!("{name}-{label}.ron"), text.as_bytes());
            let err = load_on_a_small_stack(&path);
            assert_error_says_where(&err, &path.display().to_string());
            let line = teaching[..at].matches('\n').count() + 1;
            assert!(
                matches!(err, LoadError::Syntax { line: l, .. } if l == line),
                "{name} at {label}: expected line {line}: {err}"
            );
        }
    }
}

// ------------------------------------------------------------------ counts

fn with_packages(n: usize) -> Scenario {
    let mut sc = teaching();
    let template = sc.bargaining.packages[0].clone();
    sc.bargaining.packages = (0..n)
        .map(|i| {
            let mut p = template.clone();
            p.name = format!("Package {i}");
            p
        })
        .collect();
    sc
}

#[test]
fn packages_streams_contingents_sources_observations_and_attributes_are_counted() {
    // Packages.
    accepted(with_packages(limits::MAX_PACKAGES));
    refused_at(
        with_packages(limits::MAX_PACKAGES + 1),
        "bargaining.packages",
        &["65 packages", "at most 64"],
    );
    // Aid streams.
    let aid = |n: usize| {
        let mut sc = teaching();
        let s = sc.aid[0].clone();
        sc.aid = (0..n)
            .map(|i| {
                let mut s = s.clone();
                s.name = format!("Stream {i}");
                s
            })
            .collect();
        sc
    };
    accepted(aid(limits::MAX_AID_STREAMS));
    refused_at(aid(limits::MAX_AID_STREAMS + 1), "aid", &["65 streams"]);
    // Troop contingents.
    let troops = |n: usize| {
        let mut sc = teaching();
        sc.troops = vec![sc.troops[0].clone(); n];
        sc
    };
    accepted(troops(limits::MAX_CONTINGENTS));
    refused_at(
        troops(limits::MAX_CONTINGENTS + 1),
        "troops",
        &["65 contingents"],
    );
    // Sources (and authors).
    let sources = |n: usize| {
        let mut sc = teaching();
        let s = sc.meta.sources[0].clone();
        sc.meta.sources.extend((1..n).map(|i| Source {
            id: format!("source-{i}"),
            ..s.clone()
        }));
        sc
    };
    accepted(sources(limits::MAX_SOURCES));
    refused_at(
        sources(limits::MAX_SOURCES + 1),
        "meta.sources",
        &["257 sources", "at most 256"],
    );
    let mut sc = teaching();
    sc.meta.authors = vec!["An author".into(); limits::MAX_SOURCES + 1];
    refused_at(sc, "meta.authors", &["257 authors"]);
    // Observations.
    let observed = |n: usize| {
        let mut sc = teaching();
        sc.observed = (0..n)
            .map(|i| Observation {
                month: (i % 100) as i32,
                label: format!("m{i}"),
                gained_by_b_km2: 1.0,
                source: None,
            })
            .collect();
        sc
    };
    accepted(observed(limits::MAX_OBSERVATIONS));
    refused_at(
        observed(limits::MAX_OBSERVATIONS + 1),
        "observed",
        &["481 observations"],
    );
    // Further package attributes.
    let attributes = |n: usize| {
        let mut sc = teaching();
        for i in 0..n {
            let k = format!("attribute_{i:02}");
            sc.bargaining.weights.a.other.insert(k.clone(), 0.1.into());
            sc.bargaining.weights.b.other.insert(k, (-0.1).into());
        }
        sc
    };
    accepted(attributes(limits::MAX_OTHER_ATTRIBUTES));
    refused_at(
        attributes(limits::MAX_OTHER_ATTRIBUTES + 1),
        "bargaining.weights.a.other",
        &["17 attributes", "at most 16"],
    );
    // Months of a schedule of shares.
    let shares = |n: usize| {
        let mut sc = teaching();
        sc.aid[0].schedule = Schedule::Shares(vec![0.0; n]);
        sc
    };
    accepted(shares(limits::MAX_MONTH as usize));
    refused_at(
        shares(limits::MAX_MONTH as usize + 1),
        "aid[0].schedule",
        &["1001 shares", "at most 1000"],
    );
}

#[test]
fn a_file_of_thousands_of_packages_is_refused_quickly_with_a_short_list() {
    // About 30,000 packages fit in the size limit. Each one has a problem (the names repeat);
    // the list of problems stays short enough to read and to show.
    let one = "            (name: \"Same\", territory: Line),\n";
    let teaching = teaching_text();
    let n = (limits::MAX_FILE_BYTES as usize - teaching.len() - 1_000) / one.len();
    let text = teaching.replacen(
        "        packages: [\n",
        &format!("        packages: [\n{}", one.repeat(n)),
        1,
    );
    assert!(text.len() as u64 <= limits::MAX_FILE_BYTES);
    let start = Instant::now();
    let err = armistice::load_str(&text, FILE).unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    assert_error_says_where(&err, FILE);
    let LoadError::Invalid { issues, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(issues[0].path, "bargaining.packages", "{:?}", issues[0]);
    assert!(issues[0].message.contains("at most 64"), "{:?}", issues[0]);
    assert!(
        issues.len() <= limits::MAX_ISSUES + 1,
        "{} problems listed",
        issues.len()
    );
    let last = issues.last().unwrap();
    assert!(
        last.message.contains("more problems"),
        "the list says it is cut short: {last}"
    );
}

// ------------------------------------------------------------------ strings

#[test]
fn names_and_texts_have_a_length_limit() {
    let mut sc = teaching();
    sc.meta.title = "T".repeat(limits::MAX_NAME_CHARS);
    sc.meta.description = words(limits::MAX_TEXT_CHARS);
    sc.bargaining.packages[0].description = words(limits::MAX_TEXT_CHARS);
    accepted(sc);

    let mut sc = teaching();
    sc.meta.title = "é".repeat(limits::MAX_NAME_CHARS + 1);
    refused_at(sc, "meta.title", &["501 characters", "at most 500"]);
    let mut sc = teaching();
    sc.sides.b.id = "x".repeat(100_000);
    refused_at(sc, "sides.b.id", &["100000 characters"]);
    let mut sc = teaching();
    sc.bargaining.packages[1].description = words(limits::MAX_TEXT_CHARS + 1);
    refused_at(
        sc,
        "bargaining.packages[1].description",
        &["20001 characters", "at most 20000"],
    );
    let mut sc = teaching();
    sc.sides.a.manpower.note = Some(words(limits::MAX_TEXT_CHARS + 1));
    refused_at(sc, "sides.a.manpower.note", &["20001 characters"]);
}

#[test]
fn messages_that_quote_the_file_stay_short() {
    // A 500,000-character field name or recipient is quoted, cut short, in the message.
    let long = "z".repeat(500_000);
    let text = teaching_text().replacen("quality: 1.0,", &format!("{long}: 1.0,"), 1);
    let (_, _, message) = syntax_error(&text);
    assert!(
        message.chars().count() <= limits::MAX_MESSAGE_CHARS,
        "{} characters",
        message.chars().count()
    );
    let text = teaching_text().replacen(
        "recipient: \"arvenia\"",
        &format!("recipient: \"{long}\""),
        1,
    );
    let err = armistice::load_str(&text, FILE).unwrap_err();
    assert_error_says_where(&err, FILE);
    let LoadError::Invalid { issues, .. } = &err else {
        panic!("{err}")
    };
    let issue = issues
        .iter()
        .find(|i| i.path == "aid[0].recipient")
        .unwrap();
    assert!(
        issue.message.starts_with("must be the id of a side"),
        "{issue}"
    );
    assert!(issue.message.chars().count() <= limits::MAX_MESSAGE_CHARS);
    assert!(err.to_string().len() < 10_000);
    // A long attribute name in a package lands in the field path, cut short too.
    let mut sc = teaching();
    sc.bargaining.packages[0]
        .other
        .insert("q".repeat(100_000), 0.5.into());
    for i in issues_of(sc) {
        assert!(
            i.path.chars().count() <= limits::MAX_MESSAGE_CHARS,
            "{}",
            i.path.len()
        );
    }
}

// ------------------------------------------------------------------ trials and horizon

#[test]
fn a_trillion_trials_or_a_million_months_are_refused() {
    let mut sc = teaching();
    sc.simulation.trials = 1_000_000_000_000;
    refused_at(
        sc,
        "simulation.trials",
        &["1..=20000000", "got 1000000000000"],
    );
    let mut sc = teaching();
    sc.simulation.horizon_months = 1_000_000;
    refused_at(sc, "simulation.horizon_months", &["1..=240", "got 1000000"]);
    let mut sc = teaching();
    sc.bargaining.shift_months = 1_000_000;
    refused_at(sc, "bargaining.shift_months", &["1..=240"]);
    let mut sc = teaching();
    sc.simulation.trials = limits::MAX_TRIALS;
    sc.simulation.horizon_months = limits::MAX_HORIZON_MONTHS;
    accepted(sc);
    // Past the integer types, the parser refuses the number where it stands.
    for (from, to) in [
        ("trials: 20000", "trials: 1000000000000000000000000000000"),
        ("horizon_months: 12", "horizon_months: 10000000000"),
        ("horizon_months: 12", "horizon_months: -1"),
        ("horizon_months: 12", "horizon_months: 1e6"),
    ] {
        let text = teaching_text().replacen(from, to, 1);
        let (line, _, message) = syntax_error(&text);
        let expected = text[..text.find(to).unwrap()].matches('\n').count() + 1;
        assert_eq!(line, expected, "{to}: {message}");
    }
}

#[test]
fn the_engine_refuses_a_run_it_cannot_hold_in_memory() {
    // Runs go through validated scenarios, but the engine itself does not trust the count.
    let vs = armistice::load_str(&teaching_text(), FILE).unwrap();
    let opts = RunOptions {
        trials: u64::MAX,
        seed: 1,
        threads: Some(1),
    };
    let err = simulate(&vs, &opts, &Control::new(), &|| {}).unwrap_err();
    assert!(err.to_string().contains("not enough memory"), "{err}");
}

// ------------------------------------------------------------------ numbers

const SPECIAL: [f64; 9] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    1e308,
    -1e308,
    f64::MAX,
    f64::MIN_POSITIVE,
    5e-324,
    -0.0,
];

#[test]
fn huge_nan_and_infinite_numbers_are_refused_at_their_field() {
    let base = teaching();
    let mut paths = Vec::new();
    base.visit_inputs(|key, path, _| paths.push((key, path.to_string())));
    assert!(paths.len() > 30);
    for (key, path) in &paths {
        let spec = spec_of(*key);
        for x in SPECIAL {
            let mut sc = base.clone();
            assert!(sc.update_input(path, |i| i.value = Dist::Fixed(x)));
            match validate(sc) {
                Ok(_) => assert!(spec.accepts(x), "{path} = {x} was accepted"),
                Err(issues) => {
                    if !spec.accepts(x) {
                        assert!(
                            issues.iter().any(|i| &i.path == path),
                            "{path} = {x}: {issues:?}"
                        );
                    }
                }
            }
        }
    }
    // Plain numbers outside the inputs.
    for x in SPECIAL {
        let mut sc = teaching();
        sc.observed.push(Observation {
            month: 1,
            label: "x".into(),
            gained_by_b_km2: x,
            source: None,
        });
        if !(x.abs() <= limits::MAX_AREA_KM2) {
            refused_at(sc, "observed[0].gained_by_b_km2", &["finite"]);
        }
    }
    // Written in a file: `1e999` reads as infinity and is refused at its field.
    for (to, shown) in [("1e999", "inf"), ("-1e999", "-inf"), ("NaN", "NaN")] {
        let text =
            teaching_text().replacen("materiel_usd_bn: 8,", &format!("materiel_usd_bn: {to},"), 1);
        let err = armistice::load_str(&text, FILE).unwrap_err();
        assert_error_says_where(&err, FILE);
        let LoadError::Invalid { issues, .. } = err else {
            panic!("{to}: {err}")
        };
        assert!(
            issues.iter().any(|i| i.path == "sides.a.materiel_usd_bn"
                && i.message.contains(&format!("got {shown}"))),
            "{issues:?}"
        );
    }
}

// ------------------------------------------------------------------ distributions

/// Fields with different kinds of range: a probability, a symmetric range, an open lower
/// bound with a large maximum, an open bound at 0 with maximum 1, and a wide closed range.
fn target_fields() -> Vec<InputKey> {
    vec![
        InputKey::Battle(BattleField::Stalemate),
        InputKey::Side(SideRef::A, SideField::Optimism),
        InputKey::Side(SideRef::B, SideField::Manpower),
        InputKey::Side(SideRef::A, SideField::Patience),
        InputKey::Battle(BattleField::Noise),
        InputKey::Side(SideRef::A, SideField::CasualtyTolerance),
    ]
}

fn with_dist(key: InputKey, d: Dist) -> Scenario {
    let mut sc = teaching();
    assert!(sc.update_input_by_key(key, |i| *i = Input::dist(d)));
    sc
}

#[test]
fn distributions_that_cannot_be_sampled_are_refused() {
    let key = InputKey::Battle(BattleField::Noise);
    let path = "battlefield.front_noise_km2";
    let cases = [
        // A Normal truncated 40 standard deviations into its tail keeps no mass at all.
        (
            Dist::Normal {
                mean: 0.0,
                sd: 1.0,
                min: Some(40.0),
                max: Some(41.0),
            },
            "keeps almost none",
        ),
        (
            Dist::Normal {
                mean: 1e5,
                sd: 1.0,
                min: Some(0.0),
                max: Some(10.0),
            },
            "keeps almost none",
        ),
        (
            Dist::Beta {
                alpha: 1e-5,
                beta: 1.0,
                min: 0.0,
                max: 10.0,
            },
            "0.01..=10000",
        ),
        (
            Dist::Beta {
                alpha: 2.0,
                beta: 1e6,
                min: 0.0,
                max: 10.0,
            },
            "0.01..=10000",
        ),
        (
            Dist::LogNormal {
                median: 1.0,
                p90: 1e9,
            },
            "at most 1e6",
        ),
        (
            Dist::LogNormal {
                median: 1e-300,
                p90: 1e300,
            },
            "at most 1e6",
        ),
        (
            Dist::Normal {
                mean: 10.0,
                sd: -1.0,
                min: Some(0.0),
                max: None,
            },
            "sd must be 0 or more",
        ),
        (
            Dist::Normal {
                mean: 10.0,
                sd: 1e300,
                min: Some(0.0),
                max: None,
            },
            "tails reach",
        ),
        (
            Dist::Uniform { min: 5.0, max: 5.0 },
            "min must be below max",
        ),
        (
            Dist::Chance {
                p: 1.5,
                yes: 1.0,
                no: 0.0,
            },
            "probability within 0..=1",
        ),
        (
            Dist::Uniform {
                min: -1e308,
                max: 1e308,
            },
            "gives values in",
        ),
    ];
    for (d, needle) in cases {
        refused_at(with_dist(key, d.clone()), path, &[needle]);
    }
}

/// Extreme but possibly valid distributions on a field with range `lo..=hi`.
fn extreme_dists(lo: f64, hi: f64) -> Vec<Dist> {
    let w = hi - lo;
    let tiny = w * 1e-12;
    let mid = lo + 0.5 * w;
    let pos_lo = if lo > 0.0 { lo } else { hi * 1e-12 };
    let mut v = vec![
        Dist::Uniform { min: lo, max: hi },
        Dist::Uniform {
            min: hi - tiny,
            max: hi,
        },
        Dist::Triangular {
            min: lo,
            mode: lo,
            max: hi,
        },
        Dist::Triangular {
            min: lo,
            mode: hi,
            max: hi,
        },
        Dist::Pert {
            min: lo,
            mode: lo,
            max: hi,
        },
        Dist::Pert {
            min: mid,
            mode: mid + tiny,
            max: mid + 2.0 * tiny,
        },
        Dist::Chance {
            p: 1e-300,
            yes: hi,
            no: lo.max(pos_lo),
        },
        Dist::Chance {
            p: 1.0,
            yes: hi,
            no: hi,
        },
        // Normal: tiny and huge sd, truncated deep in a tail, sd 0.
        Dist::Normal {
            mean: mid,
            sd: tiny,
            min: None,
            max: None,
        },
        Dist::Normal {
            mean: mid,
            sd: w * 1e6,
            min: Some(lo),
            max: Some(hi),
        },
        Dist::Normal {
            mean: hi + 5.5 * w,
            sd: w,
            min: Some(lo),
            max: Some(hi),
        },
        Dist::Normal {
            mean: lo - 5.5 * w,
            sd: w,
            min: Some(lo),
            max: Some(hi),
        },
        Dist::Normal {
            mean: lo - 5.9 * w,
            sd: w,
            min: Some(lo),
            max: None,
        },
        Dist::Normal {
            mean: hi,
            sd: 0.0,
            min: Some(lo),
            max: Some(hi),
        },
        // LogNormal at the largest allowed spread, squeezed to the bottom of the range.
        Dist::LogNormal {
            median: pos_lo.max(1e-300),
            p90: pos_lo.max(1e-300) * 1e6,
        },
        Dist::LogNormal {
            median: hi * 1e-30,
            p90: hi * 1e-24,
        },
        Dist::LogNormal {
            median: hi * 0.5,
            p90: hi * 0.5 * (1.0 + 1e-12),
        },
    ];
    for (a, b) in [
        (0.01, 0.01),
        (0.01, 1e4),
        (1e4, 0.01),
        (1e4, 1e4),
        (0.01, 1.0),
    ] {
        v.push(Dist::Beta {
            alpha: a,
            beta: b,
            min: lo,
            max: hi,
        });
    }
    v
}

#[test]
fn every_accepted_extreme_distribution_samples_finite_values_within_the_field_range() {
    let mut accepted_count = 0;
    for key in target_fields() {
        let spec = spec_of(key);
        for d in extreme_dists(spec.min, spec.max) {
            let sc = with_dist(key, d.clone());
            let Ok(vs) = validate(sc) else {
                continue;
            };
            accepted_count += 1;
            // The summaries the app shows.
            for x in [d.mean(), d.central(), d.quantile(0.05), d.quantile(0.95)] {
                assert!(x.is_finite(), "{d:?}: {x}");
            }
            let (lo, hi) = d.support();
            let (plo, phi) = (d.quantile(1e-3), d.quantile(1.0 - 1e-3));
            for k in 0..=20 {
                let x = plo + (phi - plo) * f64::from(k) / 20.0;
                let (p, c) = (d.pdf(x), d.cdf(x));
                assert!(p.is_finite() || p == f64::INFINITY, "{d:?}: pdf({x}) = {p}");
                assert!((0.0..=1.0).contains(&c), "{d:?}: cdf({x}) = {c}");
            }
            // Raw draws are finite and within the distribution's support; clamped draws
            // within the field's range.
            let sampler = Sampler::new(&d);
            // An open lower bound is reached only by rounding (e.g. Beta(0.01, ..) puts mass
            // below the smallest float); the engine moves such draws just inside the range.
            let inside = |x: f64| spec.accepts(x) || (spec.min_open && x == spec.min);
            let slack = 1e-9 * (hi - lo).abs().max(lo.abs()).max(hi.abs()).max(1.0);
            let mut outside = 0;
            let n = 4_000;
            for i in 0..n {
                let x = sampler.sample(&mut SubRng::new(i, 99));
                assert!(x.is_finite(), "{d:?}: draw {i} is {x}");
                if lo.is_finite() && hi.is_finite() {
                    assert!(
                        x >= lo - slack && x <= hi + slack,
                        "{d:?}: draw {x} outside {lo}..={hi}"
                    );
                }
                if !inside(x) {
                    outside += 1;
                }
                let c = clamp_to(spec, x);
                assert!(spec.accepts(c), "{d:?}: clamped draw {c}");
            }
            assert!(
                outside <= n / 1000,
                "{d:?}: {outside} of {n} draws were outside the field's range"
            );
            // A short run with it gives finite results.
            let opts = RunOptions {
                trials: 64,
                seed: 3,
                threads: Some(1),
            };
            let r = simulate(&vs, &opts, &Control::new(), &|| {}).expect("runs");
            for rec in &r.output.records {
                assert!(
                    rec.leverage_a.is_finite() && rec.p_a.is_finite(),
                    "{d:?}: {rec:?}"
                );
            }
        }
    }
    eprintln!("{accepted_count} extreme distributions were valid and sampled");
    assert!(
        accepted_count >= 60,
        "only {accepted_count} cases were valid"
    );
}

// ------------------------------------------------------------------ edges of every range

/// The smallest and largest values each field accepts (for an open lower bound, the smallest
/// positive numbers), one input at a time, in the baseline and the teaching scenario: the run gives finite
/// results.
#[test]
fn every_input_at_the_edges_of_its_range_gives_finite_results() {
    let mut failures = Vec::new();
    // The baseline (its variants differ only in values) and the teaching scenario.
    for (name, text) in armistice::SHIPPED
        .iter()
        .filter(|(n, _)| n.starts_with("baseline") || n.starts_with("teaching"))
    {
        let base = armistice::parse_str(text, name).unwrap();
        let mut keys = Vec::new();
        base.visit_inputs(|key, path, _| keys.push((key, path.to_string())));
        for (key, path) in keys {
            let spec = spec_of(key);
            let edges: Vec<f64> = if spec.min_open {
                vec![5e-324, f64::MIN_POSITIVE, 1e-300, 1e-12, spec.max]
            } else {
                vec![spec.min, spec.max]
            };
            // As a fixed value and as a certain event (`Chance` with p 1 is fixed too).
            let values = edges.iter().flat_map(|&x| {
                [
                    Dist::Fixed(x),
                    Dist::Chance {
                        p: 1.0,
                        yes: x,
                        no: spec.max,
                    },
                ]
            });
            for d in values {
                let x = d.central();
                let mut sc = base.clone();
                sc.simulation.horizon_months = sc.simulation.horizon_months.min(24);
                assert!(sc.update_input(&path, |i| i.value = d.clone()));
                let Ok(vs) = validate(sc) else {
                    continue;
                };
                let opts = RunOptions {
                    trials: 16,
                    seed: 1,
                    threads: Some(1),
                };
                let r = simulate(&vs, &opts, &Control::new(), &|| {}).expect("runs");
                if let Some(rec) = r.output.records.iter().find(|r| {
                    ![
                        r.leverage_a,
                        r.d_a,
                        r.d_b,
                        r.p_a,
                        r.held_by_b_km2,
                        r.casualties_a,
                        r.casualties_b,
                    ]
                    .iter()
                    .all(|x| x.is_finite())
                }) {
                    failures.push(format!("{name}: {path} = {d:?} ({x:e}): {rec:?}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_value_too_close_to_an_open_bound_is_refused() {
    // Found by fuzzing: a casualty tolerance of 2.2e-308 (as `Chance(p: 1, yes: ...)`) made the
    // cost of fighting infinite and the leverage NaN.
    for d in [
        Dist::Fixed(1e-300),
        Dist::Chance {
            p: 1.0,
            yes: f64::MIN_POSITIVE,
            no: 1e6,
        },
    ] {
        let key = InputKey::Side(SideRef::A, SideField::CasualtyTolerance);
        let path = match d {
            Dist::Fixed(_) => "sides.a.casualty_tolerance",
            _ => "sides.a.casualty_tolerance.value.yes",
        };
        refused_at(
            with_dist(key, d),
            path,
            &["above 0", "cannot be computed with", "e-16"],
        );
    }
    // A distribution with most of its draws that close to the bound is refused too.
    for d in [
        Dist::LogNormal {
            median: 1e-22,
            p90: 1e-16,
        },
        Dist::Beta {
            alpha: 0.01,
            beta: 0.01,
            min: 0.0,
            max: 1e8,
        },
    ] {
        refused_at(
            with_dist(InputKey::Side(SideRef::B, SideField::Manpower), d),
            "sides.b.manpower",
            &[
                "of its draws at or below 2.220446049250313e-16",
                "at most 1e-6",
            ],
        );
    }
    // The smallest accepted value is where the simulator clamps draws.
    let spec = spec_of(InputKey::Side(SideRef::A, SideField::CasualtyTolerance));
    assert!(spec.accepts(spec.lowest()));
    assert!(!spec.accepts(spec.lowest() / 2.0));
    assert_eq!(clamp_to(spec, 0.0), spec.lowest());
    accepted(with_dist(
        InputKey::Side(SideRef::A, SideField::CasualtyTolerance),
        Dist::Fixed(spec.lowest()),
    ));
}
