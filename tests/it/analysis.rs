//! The analyses: Sobol indices against the Ishigami function's analytic values, sweeps and
//! shards (merged shards equal the unsharded CSV byte for byte), tornado ranking, smooth
//! leverage curves from common random numbers, correlated inputs (Iman-Conover), and PRIM.

use std::path::Path;

use armistice::{
    AnalysisError, Axis, BATCH, Control, Correlation, Dist, Engine, FactorKind, Input, Outcome,
    Output, PrimOptions, Progress, RunOptions, Scenario, Shard, SobolOptions, SweepSpec,
    ValidScenario, achieved_rank_correlations, correlation_report, fix_inputs, ishigami,
    ishigami_indices, leverage_curve, merge_csv, rows_per_point, run_sweep, saltelli_jansen,
    scenario_hash, sobol, to_ron_string, tornado, validate, why_no_deal, write_shard,
    write_sweep_csv,
};
use assert_cmd::cargo::cargo_bin_cmd;

use crate::common::*;

fn no_progress() -> impl Fn(Progress) + Sync {
    |_| {}
}

// ---------------------------------------------------------------------------------------
// Sobol
// ---------------------------------------------------------------------------------------

#[test]
fn sobol_indices_of_ishigami_match_the_analytic_values() {
    let (a, b) = (7.0, 0.1);
    let (s1, st) = ishigami_indices(a, b);
    // The published values.
    for (x, want) in s1.iter().zip([0.3139, 0.4424, 0.0]) {
        assert!((x - want).abs() < 1e-4);
    }
    for (x, want) in st.iter().zip([0.5576, 0.4424, 0.2437]) {
        assert!((x - want).abs() < 1e-4);
    }
    // 99% intervals: with six indices, 95% intervals would leave one value outside for
    // about one seed in four (checked over 40 seeds: 8 had a miss, as the level predicts).
    let opts = SobolOptions {
        samples: 8192,
        bootstrap: 500,
        confidence: 0.99,
        seed: 20241120,
    };
    let pi = std::f64::consts::PI;
    let e = saltelli_jansen(
        3,
        &opts,
        &|_, u| -pi + 2.0 * pi * u,
        || (),
        |_, x| ishigami(x, a, b),
        &Control::new(),
        &no_progress(),
    )
    .unwrap();
    assert_eq!(e.evaluations, 8192 * 5);
    for i in 0..3 {
        let x = &e.indices[i];
        assert!(
            x.s1_low <= s1[i] && s1[i] <= x.s1_high,
            "S1[{i}] = {} not in [{}, {}] (estimate {})",
            s1[i],
            x.s1_low,
            x.s1_high,
            x.s1
        );
        assert!(
            x.st_low <= st[i] && st[i] <= x.st_high,
            "ST[{i}] = {} not in [{}, {}] (estimate {})",
            st[i],
            x.st_low,
            x.st_high,
            x.st
        );
        // The intervals are informative, not vacuous.
        assert!(
            x.s1_high - x.s1_low < 0.15 && x.st_high - x.st_low < 0.15,
            "{x:?}"
        );
    }
}

#[test]
fn sobol_results_do_not_depend_on_threads_and_can_be_cancelled() {
    let opts = SobolOptions {
        samples: 512,
        bootstrap: 50,
        confidence: 0.9,
        seed: 1,
    };
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            saltelli_jansen(
                3,
                &opts,
                &|_, u| u,
                || (),
                |_, x| ishigami(x, 7.0, 0.1),
                &Control::new(),
                &no_progress(),
            )
            .unwrap()
        })
    };
    assert_eq!(run(1), run(2));
    let control = Control::new();
    control.cancel();
    let err = saltelli_jansen(
        3,
        &opts,
        &|_, u| u,
        || (),
        |_, x| ishigami(x, 7.0, 0.1),
        &control,
        &no_progress(),
    )
    .unwrap_err();
    assert_eq!(err, AnalysisError::Cancelled);
}

#[test]
fn sobol_on_a_scenario_names_inputs_and_chance_factors() {
    let vs = load(&teaching_path());
    let opts = SobolOptions {
        samples: 64,
        bootstrap: 20,
        confidence: 0.9,
        seed: 4,
    };
    let last = std::sync::Mutex::new(Progress::default());
    let s = sobol(
        &vs,
        Output::Outcome(Outcome::LeverageA),
        &opts,
        Some(2),
        &Control::new(),
        &|p| *last.lock().unwrap() = p,
    )
    .unwrap();
    let uncertain = vs
        .inputs()
        .iter()
        .filter(|i| !i.input.value.is_fixed())
        .count();
    let inputs = s
        .factors
        .iter()
        .filter(|f| f.kind == FactorKind::Input)
        .count();
    assert_eq!(inputs, uncertain);
    assert!(s.factors.iter().any(|f| f.kind == FactorKind::AidEvent));
    assert!(s.factors.iter().any(|f| f.kind == FactorKind::FrontNoise));
    let p = *last.lock().unwrap();
    assert_eq!(p.done, p.total);
    assert_eq!(p.total, 64 * (s.factors.len() as u64 + 2));
    for x in &s.estimate.indices {
        assert!(x.st.is_finite() && x.s1.is_finite());
        assert!(x.st > -0.05);
    }
    // The CSV has one row per factor.
    let mut buf = Vec::new();
    armistice::write_sobol_csv(&s, &mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    assert_eq!(stamp_of(&text)["trials"], s.options.samples.to_string());
    let rows = without_comments(&text);
    assert!(rows.starts_with("rank,factor,label,kind,S1,S1_low,S1_high,ST,ST_low,ST_high,"));
    assert_eq!(rows.lines().count(), s.factors.len() + 1);
}

// ---------------------------------------------------------------------------------------
// Sweeps and shards
// ---------------------------------------------------------------------------------------

fn small_sweep() -> SweepSpec {
    SweepSpec {
        axes: vec![
            Axis::new("aid[0].amount_usd_bn", 0.0, 1.0, 3),
            Axis::new("battlefield.stalemate", 0.2, 0.6, 3),
        ],
        trials: 700,
        seed: 5,
    }
}

fn sweep_csv(vs: &ValidScenario, spec: &SweepSpec, shard: Option<Shard>) -> Vec<u8> {
    let r = run_sweep(vs, spec, shard, &Control::new(), &no_progress()).unwrap();
    let mut buf = Vec::new();
    match shard {
        Some(s) => write_shard(&r, s, &mut buf).unwrap(),
        None => write_sweep_csv(&r, &mut buf).unwrap(),
    }
    buf
}

#[test]
fn merged_shards_equal_the_unsharded_sweep_byte_for_byte() {
    let vs = load(&teaching_path());
    let spec = small_sweep();
    let full = sweep_csv(&vs, &spec, None);
    for count in [1usize, 2, 4, 11] {
        let mut shards: Vec<(String, Vec<u8>)> = (1..=count)
            .map(|index| {
                let s = Shard { index, count };
                (
                    format!("shard {index}/{count}"),
                    sweep_csv(&vs, &spec, Some(s)),
                )
            })
            .collect();
        // Any order of the files.
        shards.reverse();
        let mut merged = Vec::new();
        let summary = merge_csv(
            shards
                .iter()
                .map(|(n, b)| (n.clone(), b.as_slice()))
                .collect(),
            &mut merged,
        )
        .unwrap();
        assert_eq!(summary.points, 9);
        assert_eq!(merged, full, "{count} shards");
    }
}

#[test]
fn merge_refuses_missing_duplicate_and_foreign_shards() {
    let vs = load(&teaching_path());
    let spec = small_sweep();
    let one = sweep_csv(&vs, &spec, Some(Shard { index: 1, count: 2 }));
    let two = sweep_csv(&vs, &spec, Some(Shard { index: 2, count: 2 }));
    let other_seed = SweepSpec { seed: 6, ..spec };
    let foreign = sweep_csv(&vs, &other_seed, Some(Shard { index: 2, count: 2 }));
    let merge = |files: Vec<(&str, &Vec<u8>)>| {
        merge_csv(
            files
                .into_iter()
                .map(|(n, b)| (n.to_string(), b.as_slice()))
                .collect(),
            Vec::new(),
        )
    };
    let missing = merge(vec![("one", &one)]).unwrap_err().to_string();
    assert!(
        missing.contains("point 1 is in none of the files"),
        "{missing}"
    );
    let dup = merge(vec![("one", &one), ("two", &two), ("again", &one)])
        .unwrap_err()
        .to_string();
    assert!(dup.contains("appears in both"), "{dup}");
    let mixed = merge(vec![("one", &one), ("foreign", &foreign)])
        .unwrap_err()
        .to_string();
    assert!(mixed.contains("different sweeps"), "{mixed}");
    let junk = b"a,b\n1,2\n".to_vec();
    let err = merge(vec![("junk", &junk)]).unwrap_err().to_string();
    assert!(
        err.contains("junk: line 1: not a shard of a sweep"),
        "{err}"
    );
}

#[test]
fn a_sweep_csv_is_tidy_with_one_row_per_point_output_and_statistic() {
    let vs = load(&teaching_path());
    let spec = small_sweep();
    let r = run_sweep(&vs, &spec, None, &Control::new(), &no_progress()).unwrap();
    let mut buf = Vec::new();
    write_sweep_csv(&r, &mut buf).unwrap();
    // The stamp, then a header that a CSV reader skipping `#` lines finds.
    let text = String::from_utf8(buf.clone()).unwrap();
    let stamp = stamp_of(&text);
    assert_eq!(stamp["title"], vs.meta.title);
    assert_eq!(stamp["scenario_hash"], scenario_hash(vs.scenario()));
    assert_eq!(stamp["seed"], spec.seed.to_string());
    assert_eq!(stamp["trials"], spec.trials.to_string());
    assert_eq!(stamp["armistice"], env!("CARGO_PKG_VERSION"));
    assert!(
        stamp["units"].contains("battlefield.stalemate=probability"),
        "{stamp:?}"
    );
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(buf.as_slice());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "sweep",
            "points",
            "point",
            "aid[0].amount_usd_bn",
            "battlefield.stalemate",
            "output",
            "statistic",
            "value",
            "unit"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let packages = vs.bargaining.packages.len();
    // A monthly (format version 2) scenario adds the median month of settlement (one value),
    // the settlement month (seven statistics) and P(settled by month m) for every month.
    let horizon = vs.simulation.horizon_months as usize;
    let per_point = 2 + 2 * packages + 7 * Outcome::ALL.len() + 1 + 7 + 2 * horizon;
    assert_eq!(rows_per_point(&r.outputs), per_point);
    assert_eq!(rows.len(), 9 * per_point);
    // Every value parses as a number; every row has every column.
    for row in &rows {
        assert_eq!(row.len(), header.len());
        // "NaN" where no median month falls within the horizon.
        row[7].parse::<f64>().unwrap();
        row[3].parse::<f64>().unwrap();
        assert_eq!(&row[1], "9");
    }
    // The point values follow the grid, first axis slowest.
    let at = |p: usize| rows[p * per_point].clone();
    assert_eq!((&at(0)[3], &at(0)[4]), ("0.0", "0.2"));
    assert_eq!((&at(1)[3], &at(1)[4]), ("0.0", "0.4"));
    assert_eq!((&at(3)[3], &at(3)[4]), ("0.5", "0.2"));
    let names: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[5]).collect();
    assert!(names.contains("p_deal") && names.contains("leverage_a"));
    assert!(names.contains("gained_by_b_km2") && names.contains("range_low"));
}

#[test]
fn sweep_values_are_checked_before_anything_runs() {
    let vs = load(&teaching_path());
    let control = Control::new();
    let bad = SweepSpec {
        axes: vec![Axis::new("battlefield.stalemate", 0.5, 1.5, 3)],
        trials: 100,
        seed: 1,
    };
    let err = run_sweep(&vs, &bad, None, &control, &no_progress())
        .unwrap_err()
        .to_string();
    assert!(err.contains("battlefield.stalemate"), "{err}");
    assert!(err.contains("1.5") && err.contains("0..=1"), "{err}");
    assert_eq!(control.done_trials(), 0);
    let unknown = SweepSpec {
        axes: vec![Axis::new("battlefield.stalemat", 0.1, 0.2, 2)],
        ..bad.clone()
    };
    let err = run_sweep(&vs, &unknown, None, &control, &no_progress())
        .unwrap_err()
        .to_string();
    assert!(err.contains("not an input"), "{err}");
    let twice = SweepSpec {
        axes: vec![
            Axis::new("battlefield.stalemate", 0.1, 0.2, 2),
            Axis::new("battlefield.stalemate", 0.1, 0.2, 2),
        ],
        ..bad
    };
    assert!(matches!(
        run_sweep(&vs, &twice, None, &control, &no_progress()),
        Err(AnalysisError::BadRequest(_))
    ));
}

#[test]
fn common_random_numbers_make_the_leverage_curve_monotone_in_aid() {
    // Aid to side a raises a's power trial by trial; with the same draws at every point the
    // mean leverage of a rises at every step.
    let vs = load(&teaching_path());
    assert_eq!(vs.aid[0].recipient, vs.sides.a.id);
    let axis = Axis::new("aid[0].amount_usd_bn", 0.0, 2.0, 9);
    let opts = RunOptions {
        trials: 3000,
        seed: 77,
        threads: Some(2),
    };
    let curve = leverage_curve(&vs, &axis, &opts, &Control::new(), &no_progress()).unwrap();
    assert_eq!(curve.points.len(), 9);
    let means: Vec<f64> = curve.points.iter().map(|p| p.leverage_a.mean).collect();
    for w in means.windows(2) {
        assert!(w[1] > w[0], "not increasing: {means:?}");
    }
    for p in &curve.points {
        let q = p.leverage_a.quantiles;
        assert!(q[0] <= p.leverage_a.mean && p.leverage_a.mean <= q[4]);
        assert!((p.leverage_a.mean + p.leverage_b.mean - 1.0).abs() < 1e-9);
    }
    assert!((curve.current - vs.aid[0].amount_usd_bn.value.central()).abs() < 1e-12);
}

// ---------------------------------------------------------------------------------------
// Tornado
// ---------------------------------------------------------------------------------------

#[test]
fn tornado_ranks_a_dominant_input_first() {
    // Every input fixed at its median but three: side b's optimism over a wide range (it moves
    // b's fighting value one for one), and two narrow ones.
    let mut sc: Scenario = load(&teaching_path()).into_inner();
    sc.visit_inputs_mut(|_, _, input| {
        if !input.value.is_fixed() {
            input.value = Dist::Fixed(input.value.central());
        }
    });
    sc.sides.b.optimism = Input::dist(Dist::Uniform {
        min: -0.3,
        max: 0.3,
    });
    sc.sides.a.manpower = Input::dist(Dist::Uniform {
        min: 99_000.0,
        max: 101_000.0,
    });
    sc.battlefield.stalemate = Input::dist(Dist::Uniform {
        min: 0.39,
        max: 0.41,
    });
    let vs = validate(sc).unwrap();
    let opts = RunOptions {
        trials: 1500,
        seed: 3,
        threads: Some(2),
    };
    let t = tornado(
        &vs,
        Output::Outcome(Outcome::LeverageA),
        &opts,
        &Control::new(),
        &no_progress(),
    )
    .unwrap();
    assert_eq!(t.bars.len(), 3);
    assert_eq!(t.bars[0].path, "sides.b.optimism");
    assert!(t.bars[0].swing < 0.0, "b's optimism lowers a's leverage");
    assert!(
        t.bars[0].swing.abs() > 5.0 * t.bars[1].swing.abs(),
        "{:?}",
        t.bars
    );
    assert!((t.bars[0].low_value - -0.24).abs() < 1e-9);
    assert!((t.bars[0].high_value - 0.24).abs() < 1e-9);
    assert!(!t.correlated_inputs);
    let mut buf = Vec::new();
    armistice::write_tornado_csv(&t, &mut buf).unwrap();
    let text = without_comments(&String::from_utf8(buf).unwrap());
    assert_eq!(text.lines().count(), 4);
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with("1,sides.b.optimism,")
    );
}

// ---------------------------------------------------------------------------------------
// Correlated inputs
// ---------------------------------------------------------------------------------------

const A_IN: &str = "sides.a.manpower";
const B_IN: &str = "sides.b.losses_per_month";
const C_IN: &str = "sides.a.optimism";

fn with_correlations(pairs: &[(&str, &str, f64)]) -> Result<ValidScenario, Vec<armistice::Issue>> {
    let mut sc = load(&teaching_path()).into_inner();
    sc.correlations = pairs
        .iter()
        .map(|&(a, b, rank)| Correlation {
            a: a.into(),
            b: b.into(),
            rank,
        })
        .collect();
    validate(sc)
}

fn slot_of(vs: &ValidScenario, path: &str) -> usize {
    vs.inputs().iter().position(|i| i.path == path).unwrap()
}

#[test]
fn induced_rank_correlations_are_close_to_the_target() {
    let vs = with_correlations(&[(A_IN, B_IN, 0.6), (A_IN, C_IN, -0.4)]).unwrap();
    let engine = Engine::new(&vs);
    assert!(engine.correlation().is_some());
    let slots = [slot_of(&vs, A_IN), slot_of(&vs, B_IN), slot_of(&vs, C_IN)];
    let m = achieved_rank_correlations(&engine, 9, 3 * BATCH as u64, &slots);
    assert!((m[0][1] - 0.6).abs() < 0.03, "{m:?}");
    assert!((m[0][2] + 0.4).abs() < 0.03, "{m:?}");
    assert!(m[1][2].abs() < 0.05, "{m:?}");
    // Each input keeps its own draws: within a batch, the same values in another order.
    let plain = Engine::new(&load(&teaching_path()));
    let values = |e: &Engine, slot: usize| {
        let mut v = Vec::new();
        e.batch_inputs(9, 1, BATCH, |x, _| v.push(x[slot]));
        v.sort_by(f64::total_cmp);
        v
    };
    for &s in &slots {
        assert_eq!(values(&engine, s), values(&plain, s));
    }
    // trial_inputs reports what the run draws.
    for trial in [0u64, 17, BATCH as u64 + 5] {
        let mut seen = None;
        let (b, i) = (trial / BATCH as u64, (trial % BATCH as u64) as usize);
        let mut k = 0;
        engine.batch_inputs(9, b, i + 1, |v, _| {
            if k == i {
                seen = Some(v.to_vec());
            }
            k += 1;
        });
        assert_eq!(Some(engine.trial_inputs(9, trial)), seen);
    }
}

#[test]
fn correlated_runs_are_deterministic_and_prefixes_of_longer_runs() {
    let vs = with_correlations(&[(A_IN, B_IN, 0.7)]).unwrap();
    let short = run(&vs, 5000, 3, Some(1));
    let long = run(
        &vs,
        (5000 / BATCH as u64 + 2) * BATCH as u64 + 100,
        3,
        Some(2),
    );
    assert_records_identical(
        "correlated: 5000 trials on 1 thread vs a longer run on 2",
        &short.output.records,
        &long.output.records[..5000],
    );
    // And the correlation changes the trials (it is applied at all).
    let plain = run(&load(&teaching_path()), 5000, 3, Some(1));
    assert_ne!(
        short
            .output
            .records
            .iter()
            .map(record_bits)
            .collect::<Vec<_>>(),
        plain
            .output
            .records
            .iter()
            .map(record_bits)
            .collect::<Vec<_>>()
    );
}

#[test]
fn no_or_zero_correlations_leave_results_bit_identical() {
    let plain = load(&teaching_path());
    let zero = with_correlations(&[(A_IN, B_IN, 0.0)]).unwrap();
    assert!(Engine::new(&plain).correlation().is_none());
    assert!(Engine::new(&zero).correlation().is_none());
    let n = BATCH as u64 + 300;
    let a = run(&plain, n, 8, Some(2));
    let b = run(&zero, n, 8, Some(2));
    assert_records_identical("zero correlation", &a.output.records, &b.output.records);
    // An empty list is not written to the file: the format is unchanged for old files.
    let text = to_ron_string(plain.scenario()).unwrap();
    assert!(!text.contains("correlations"));
}

#[test]
fn correlations_are_validated_and_round_trip() {
    let errs = |pairs: &[(&str, &str, f64)]| -> String {
        with_correlations(pairs)
            .unwrap_err()
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let e = errs(&[(A_IN, "sides.a.quality", 0.5)]);
    assert!(
        e.contains("correlations[0].b") && e.contains("fixed"),
        "{e}"
    );
    let e = errs(&[(A_IN, "nowhere.at_all", 0.5)]);
    assert!(e.contains("not an input"), "{e}");
    let e = errs(&[(A_IN, B_IN, 1.5)]);
    assert!(
        e.contains("correlations[0].rank") && e.contains("-1..=1"),
        "{e}"
    );
    let e = errs(&[(A_IN, A_IN, 0.5)]);
    assert!(e.contains("must differ"), "{e}");
    let e = errs(&[(A_IN, B_IN, 0.5), (B_IN, A_IN, 0.2)]);
    assert!(
        e.contains("correlations[1]") && e.contains("already"),
        "{e}"
    );
    // Written and read back.
    let vs = with_correlations(&[(A_IN, B_IN, 0.5)]).unwrap();
    let text = to_ron_string(vs.scenario()).unwrap();
    assert!(text.contains("correlations"), "{text}");
    let back = armistice::load_str(&text, "round trip").unwrap();
    assert_eq!(back.correlations, vs.correlations);
}

#[test]
fn an_inconsistent_matrix_is_repaired_with_a_warning_that_shows_the_changes() {
    // A ~ B and A ~ C strongly positive but B ~ C strongly negative cannot all hold.
    let vs =
        with_correlations(&[(A_IN, B_IN, 0.9), (A_IN, C_IN, 0.9), (B_IN, C_IN, -0.9)]).unwrap();
    let report = correlation_report(&vs).unwrap();
    assert!(!report.changes.is_empty());
    let warning = report.warning.unwrap();
    assert!(
        warning.contains("nearest valid correlation matrix"),
        "{warning}"
    );
    assert!(
        warning.contains(A_IN) && warning.contains("declared 0.900"),
        "{warning}"
    );
    assert!(armistice::is_positive_semidefinite(&report.used));
    // The run uses the repaired matrix.
    let engine = Engine::new(&vs);
    let slots = [slot_of(&vs, A_IN), slot_of(&vs, B_IN), slot_of(&vs, C_IN)];
    let m = achieved_rank_correlations(&engine, 2, 2 * BATCH as u64, &slots);
    let order = |p: &str| report.inputs.iter().position(|x| x == p).unwrap();
    let used = report.used[order(A_IN)][order(B_IN)];
    assert!((m[0][1] - used).abs() < 0.05, "{m:?} vs {used}");
    // A consistent one passes unchanged and quietly.
    let ok = with_correlations(&[(A_IN, B_IN, 0.5)]).unwrap();
    let r = correlation_report(&ok).unwrap();
    assert!(r.changes.is_empty() && r.warning.is_none());
}

#[test]
fn holding_a_correlated_input_fixed_drops_its_correlations_and_flags_results() {
    let vs = with_correlations(&[(A_IN, B_IN, 0.6)]).unwrap();
    let fixed = fix_inputs(&vs, &[(A_IN, 100_000.0)]).unwrap();
    assert!(fixed.correlations.is_empty());
    let t = tornado(
        &vs,
        Output::PDeal,
        &RunOptions {
            trials: 300,
            seed: 1,
            threads: Some(2),
        },
        &Control::new(),
        &no_progress(),
    )
    .unwrap();
    assert!(t.correlated_inputs);
    for b in &t.bars {
        assert_eq!(b.correlated, b.path == A_IN || b.path == B_IN, "{}", b.path);
    }
}

// ---------------------------------------------------------------------------------------
// Why no deal
// ---------------------------------------------------------------------------------------

#[test]
fn why_no_deal_explains_the_no_deal_trials_of_a_run() {
    let vs = load(&baseline_path());
    let opts = RunOptions {
        trials: 6000,
        seed: 11,
        threads: Some(2),
    };
    let w = why_no_deal(
        &vs,
        &opts,
        &PrimOptions::default(),
        &Control::new(),
        &no_progress(),
    )
    .unwrap();
    assert_eq!(w.result.observations, 6000);
    let share = w.no_deal_share();
    assert!(share > 0.0 && share < 1.0, "{share}");
    let b = w.result.selected_box();
    assert!(b.density >= share);
    assert!(b.coverage >= 0.5);
    assert!(!w.conditions.is_empty());
    let report = w.report();
    assert!(
        report.contains("coverage") && report.contains("density"),
        "{report}"
    );
    // Its trials are the run's: the data has one row per trial.
    assert!(w.data.columns.iter().all(|c| c.len() == 6000));
    assert!(w.data.names.iter().any(|n| n.ends_with(".cutoff.event")));
}

// ---------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------

fn cli(dir: &Path, args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = cargo_bin_cmd!("armistice")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        out.stdout,
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_command_line_sweeps_shards_and_merges() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = teaching_path();
    let file = file.to_str().unwrap();
    let base = [
        "sweep",
        file,
        "--vary",
        "aid[0].amount_usd_bn=0:1:2",
        "--vary",
        "battlefield.stalemate=0.2:0.6:2",
        "--trials",
        "300",
        "--seed",
        "9",
    ];
    let (code, full, err) = cli(d, &base);
    assert_eq!(code, 0, "{err}");
    let mut shards = Vec::new();
    for i in 1..=3 {
        let name = format!("part-{i}.csv");
        let shard = format!("{i}/3");
        let mut args = base.to_vec();
        args.extend(["--shard", &shard, "--out", &name]);
        let (code, _, err) = cli(d, &args);
        assert_eq!(code, 0, "{err}");
        shards.push(name);
    }
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(String::as_str));
    args.extend(["--out", "merged.csv"]);
    let (code, _, err) = cli(d, &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read(d.join("merged.csv")).unwrap(), full);
    // A missing shard is an error, and leaves no output file.
    let (code, _, err) = cli(d, &["merge", "part-1.csv", "part-3.csv", "-o", "bad.csv"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("missing"), "{err}");
    assert!(!d.join("bad.csv").exists());
    // A value outside the input's range is bad input, named with its range.
    let (code, out, err) = cli(
        d,
        &[
            "sweep",
            file,
            "--vary",
            "battlefield.stalemate=0:2:3",
            "-n",
            "10",
        ],
    );
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("battlefield.stalemate") && err.contains("0..=1"),
        "{err}"
    );
}

#[test]
fn the_command_line_runs_each_sensitivity_method() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = teaching_path();
    let file = file.to_str().unwrap();
    let (code, out, err) = cli(
        d,
        &[
            "sensitivity",
            file,
            "--method",
            "tornado",
            "--output",
            "p_deal",
            "-n",
            "200",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = without_comments(&String::from_utf8(out).unwrap());
    assert!(
        text.starts_with("rank,input,label,kind,input_p10,input_p90,input_unit,output,"),
        "{text}"
    );
    let (code, out, err) = cli(
        d,
        &[
            "sensitivity",
            file,
            "--method",
            "sobol",
            "--output",
            "territory",
            "--samples",
            "32",
            "--bootstrap",
            "10",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains(",gained_by_b_km2,32,10,"), "{text}");
    let (code, out, err) = cli(d, &["why-no-deal", file, "-n", "2000"]);
    assert_eq!(code, 0, "{err}");
    assert!(String::from_utf8(out).unwrap().contains("Why no deal"));
    let (code, _, err) = cli(d, &["sensitivity", file, "--output", "nonsense"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown output") && err.contains("leverage_a"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------
// Heatmaps and background jobs (the app's entry points)
// ---------------------------------------------------------------------------------------

#[test]
fn a_heatmap_gives_every_output_of_every_cell_and_its_values() {
    let vs = load(&teaching_path());
    let x = Axis::new("aid[0].amount_usd_bn", 0.0, 1.0, 3);
    let y = Axis::new("battlefield.stalemate", 0.2, 0.6, 2);
    let opts = RunOptions {
        trials: 400,
        seed: 2,
        threads: Some(2),
    };
    let h = armistice::heatmap(&vs, &x, &y, &opts, &Control::new(), &no_progress()).unwrap();
    let grid = h.grid(Output::PDeal, armistice::Statistic::P);
    assert_eq!(grid.len(), 2);
    assert!(grid.iter().all(|row| row.len() == 3));
    assert!(grid.iter().flatten().all(|p| (0.0..=1.0).contains(p)));
    // A cell's values set the scenario to that cell, and a run there gives the cell's result.
    let values = h.cell_values(2, 1);
    assert_eq!(values[0], ("aid[0].amount_usd_bn".to_string(), 1.0));
    assert_eq!(values[1], ("battlefield.stalemate".to_string(), 0.6));
    let at = fix_inputs(
        &vs,
        &[(&values[0].0, values[0].1), (&values[1].0, values[1].1)],
    )
    .unwrap();
    let r = run(&at, 400, 2, Some(1));
    assert_eq!(r.summary.p_deal.p, grid[1][2]);
}

#[test]
fn analyses_run_in_the_background_with_progress_and_cancel() {
    use armistice::{Job, JobOutcome};
    use std::sync::Arc;
    let vs = Arc::new(load(&teaching_path()));
    let axis = Axis::new("aid[0].amount_usd_bn", 0.0, 1.0, 3);
    let opts = RunOptions {
        trials: 300,
        seed: 1,
        threads: Some(1),
    };
    let (v, a) = (vs.clone(), axis.clone());
    let job = Job::spawn(
        "analysis",
        move |control, progress| leverage_curve(&v, &a, &opts, control, progress).into(),
        Arc::new(|| {}),
    );
    let JobOutcome::Done(curve) = job.wait() else {
        panic!("the curve is computed")
    };
    assert_eq!(curve.points.len(), 3);
    // Cancelled before it starts: it ends with Cancelled.
    let big = RunOptions {
        trials: 2_000_000,
        ..opts
    };
    let job = Job::spawn(
        "analysis",
        move |control, progress| {
            control.cancel();
            leverage_curve(&vs, &axis, &big, control, progress).into()
        },
        Arc::new(|| {}),
    );
    assert!(matches!(job.wait(), JobOutcome::Cancelled));
}

#[test]
fn analyses_on_too_few_trials_of_interest_warn_and_still_answer() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let baseline = baseline_path();
    let baseline = baseline.to_str().unwrap();
    // The baseline ends with a deal in nearly every trial: 2,000 trials hold a handful of
    // no-deal ones, too few for PRIM's box to mean much.
    let (code, out, err) = cli(d, &["why-no-deal", baseline, "-n", "2000", "-t", "2"]);
    assert_eq!(code, 0, "{err}");
    assert!(String::from_utf8_lossy(&out).starts_with("Why no deal:"));
    let warning = err
        .lines()
        .find(|l| l.starts_with("armistice: warning: only "))
        .unwrap_or_else(|| panic!("no warning about too few trials: {err}"));
    assert!(
        warning.contains("of 2,000 trials end with no deal: too few for this analysis"),
        "{warning}"
    );
    assert!(warning.contains("run about"), "{warning}");
    // The teaching scenario fails to settle in most trials: no such warning.
    let teaching = teaching_path();
    let (code, _, err) = cli(
        d,
        &[
            "why-no-deal",
            teaching.to_str().unwrap(),
            "-n",
            "2000",
            "-t",
            "2",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("too few"), "{err}");
    // A tornado of P(deal) on the baseline: the trials without a deal are the rare side.
    let (code, out, err) = cli(
        d,
        &[
            "sensitivity",
            baseline,
            "--output",
            "p_deal",
            "-n",
            "500",
            "-t",
            "2",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        String::from_utf8_lossy(&out)
            .lines()
            .any(|l| l.starts_with("rank,input"))
    );
    assert!(
        err.contains("of 500 trials count against P(") && err.contains("too few"),
        "{err}"
    );
    // A mean over trials (leverage) is no rare event: no warning.
    let (code, _, err) = cli(d, &["sensitivity", baseline, "-n", "500", "-t", "2"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("too few"), "{err}");
}

#[test]
fn tornado_takes_the_structural_settings_on_request_and_says_which_kind_each_row_is() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = teaching_path();
    let file = file.to_str().unwrap();
    let args = |extra: &[&'static str]| -> Vec<&str> {
        let mut a = vec!["sensitivity", file, "--output", "p_deal", "-n", "300"];
        a.extend_from_slice(extra);
        a
    };
    let kinds = |out: &[u8]| -> Vec<(String, String)> {
        let mut r = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(out);
        let h = r.headers().unwrap().clone();
        let input = h.iter().position(|c| c == "input").unwrap();
        let kind = h.iter().position(|c| c == "kind").unwrap();
        r.records()
            .map(|rec| {
                let rec = rec.unwrap();
                (rec[input].to_string(), rec[kind].to_string())
            })
            .collect()
    };
    let (code, out, err) = cli(d, &args(&[]));
    assert_eq!(code, 0, "{err}");
    let plain = kinds(&out);
    assert!(plain.iter().all(|(_, k)| k == "input"), "{plain:?}");
    let (code, out, err) = cli(d, &args(&["--structural"]));
    assert_eq!(code, 0, "{err}");
    let with = kinds(&out);
    let sc = load(&teaching_path());
    // The plain settings and the areas and months the file fixes.
    let structural: Vec<String> = armistice::params(&sc)
        .into_iter()
        .filter(|p| p.key.kind_id() == "structural" && !p.uncertain)
        .map(|p| p.path)
        .collect();
    assert!(structural.len() > sc.structural().len());
    assert!(structural.contains(&"battlefield.contested_km2".to_string()));
    assert_eq!(with.len(), plain.len() + structural.len());
    for path in structural {
        assert!(
            with.contains(&(path.clone(), "structural".to_string())),
            "{path} in {with:?}"
        );
    }
    // Sobol and PRIM draw every factor per trial: a structural setting is refused there.
    let (code, _, err) = cli(d, &args(&["--method", "sobol", "--structural"]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--structural works with --method tornado"),
        "{err}"
    );
}
