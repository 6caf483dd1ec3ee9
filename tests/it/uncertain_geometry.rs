//! The contested and held areas, the cut-off and arrival months as uncertain inputs. Each
//! trial draws one value and is, trial by trial, the trial of the file with that value fixed
//! (every other input keeps its own stream, so the draws are common random numbers); a
//! month's draw is rounded to a whole month; the start is capped at the contested area; the
//! area gained is counted from each trial's own start.

use armistice::{
    Dist, Engine, Input, InputKey, Outcome, Scenario, TrialRecord, ValidScenario, parse_str,
    to_ron_string, validate,
};

use crate::common::*;

const SEED: u64 = 20_241_120;
const TRIALS: u64 = 1_500;

fn baseline() -> Scenario {
    load(&baseline_path()).into_inner()
}

fn v1_baseline() -> Scenario {
    load(&root().join("tests/fixtures/v1/baseline-2024.ron")).into_inner()
}

fn with(sc: &Scenario, path: &str, d: Dist) -> ValidScenario {
    let mut sc = sc.clone();
    assert!(sc.update_input(path, |i| i.value = d), "{path} is an input");
    validate(sc).unwrap_or_else(|e| panic!("{path}: {e:?}"))
}

fn records(vs: &ValidScenario) -> Vec<TrialRecord> {
    run(vs, TRIALS, SEED, Some(2)).output.records
}

/// The value each trial of a run of `vs` drew for the input at `path`.
fn drawn(vs: &ValidScenario, path: &str) -> Vec<f64> {
    let engine = Engine::new(vs);
    let slot = engine
        .paths()
        .iter()
        .position(|p| p == path)
        .unwrap_or_else(|| panic!("{path} has a slot"));
    (0..TRIALS)
        .map(|t| engine.trial_inputs(SEED, t)[slot])
        .collect()
}

/// `path` given `Chance(p: 0.5, yes, no)`: every trial equals the trial of the file with the
/// value it drew fixed, and both values are drawn about half the time.
fn mixture_is_trial_by_trial(sc: &Scenario, path: &str, yes: f64, no: f64, expect_yes: f64) {
    let mixed = with(sc, path, Dist::Chance { p: 0.5, yes, no });
    let at_yes = records(&with(sc, path, Dist::Fixed(yes)));
    let at_no = records(&with(sc, path, Dist::Fixed(no)));
    let got = records(&mixed);
    let draws = drawn(&mixed, path);
    let mut n_yes = 0;
    for (t, x) in draws.iter().enumerate() {
        let want = if *x == yes {
            n_yes += 1;
            &at_yes[t]
        } else {
            assert_eq!(*x, no, "{path}: trial {t} drew {x}");
            &at_no[t]
        };
        assert_eq!(
            record_bits(&got[t]),
            record_bits(want),
            "{path}: trial {t} (drew {x}) differs from the fixed file's"
        );
    }
    // Binomial(1500, 1/2): 4 standard errors are 77 trials.
    let share = f64::from(n_yes) / TRIALS as f64;
    assert!(
        (share - 0.5).abs() < 4.0 * (0.25 / TRIALS as f64).sqrt(),
        "{path}: {share}"
    );
    // The two fixed files differ, so the test sees which one each trial followed.
    let differ = at_yes
        .iter()
        .zip(&at_no)
        .filter(|(a, b)| record_bits(a) != record_bits(b))
        .count();
    assert!(
        differ as f64 >= expect_yes * TRIALS as f64,
        "{path}: the two values give the same records in {} of {TRIALS} trials",
        TRIALS as usize - differ
    );
}

/// The four fields, each given two values (a second value that changes most trials for the
/// areas, at least some for the months).
fn each_field_mixes_trial_by_trial(sc: &Scenario) {
    for (path, yes, no, differ) in [
        ("battlefield.contested_km2", 140_000.0, 220_000.0, 0.9),
        ("battlefield.held_by_b_km2", 111_000.0, 90_000.0, 0.9),
        ("aid[1].cutoff.month", 2.0, 8.0, 0.05),
        ("troops[0].arrival_month", 1.0, 6.0, 0.05),
    ] {
        mixture_is_trial_by_trial(sc, path, yes, no, differ);
    }
}

#[test]
fn each_trial_is_the_fixed_file_of_its_draw_in_the_monthly_model() {
    let sc = baseline();
    assert_eq!(sc.version, 2);
    each_field_mixes_trial_by_trial(&sc);
}

#[test]
fn each_trial_is_the_fixed_file_of_its_draw_in_the_one_shot_model() {
    let sc = v1_baseline();
    assert_eq!(sc.version, 1);
    each_field_mixes_trial_by_trial(&sc);
}

#[test]
fn a_drawn_month_is_rounded_to_a_whole_month() {
    // Every draw of Uniform(1.6, 2.4) rounds to 2: the run is the file with month 2, bit for
    // bit (the month's own stream changes no other draw).
    for sc in [baseline(), v1_baseline()] {
        for (path, lo, hi, month) in [
            ("aid[1].cutoff.month", 1.6, 2.4, 2.0),
            ("troops[0].arrival_month", 3.6, 4.4, 4.0),
        ] {
            let drawn_run = records(&with(&sc, path, Dist::Uniform { min: lo, max: hi }));
            let fixed_run = records(&with(&sc, path, Dist::Fixed(month)));
            assert_records_identical(path, &drawn_run, &fixed_run);
        }
    }
}

/// `path` given `dist`: every sampled trial equals the same trial of the file with the month
/// it drew (rounded) written in.
fn sampled_trials_are_their_fixed_files(sc: &Scenario, path: &str, dist: Dist) {
    const N: u64 = 400;
    let drawn_vs = with(sc, path, dist);
    let got = run(&drawn_vs, N, SEED, Some(2)).output.records;
    let engine = Engine::new(&drawn_vs);
    let slot = engine.paths().iter().position(|p| p == path).unwrap();
    let mut by_month: std::collections::BTreeMap<u64, Vec<usize>> = Default::default();
    for t in (0..N).step_by(8) {
        let month = engine.trial_inputs(SEED, t)[slot].round();
        by_month.entry(month as u64).or_default().push(t as usize);
    }
    assert!(by_month.len() >= 5, "{path}: months drawn {by_month:?}");
    for (month, trials) in &by_month {
        let fixed = run(
            &with(sc, path, Dist::Fixed(*month as f64)),
            N,
            SEED,
            Some(2),
        );
        for &t in trials {
            assert_eq!(
                record_bits(&got[t]),
                record_bits(&fixed.output.records[t]),
                "{path}: trial {t} (month {month})"
            );
        }
    }
}

#[test]
fn a_cut_off_month_drawn_anywhere_is_the_fixed_file_of_its_month() {
    // Over the whole field (past the horizon and every month the sides look ahead), within
    // the horizon, and wholly after it.
    for sc in [baseline(), v1_baseline()] {
        let horizon = f64::from(sc.simulation.horizon_months);
        for dist in [
            Dist::Uniform {
                min: 0.0,
                max: 1000.0,
            },
            Dist::Uniform { min: 1.0, max: 9.0 },
            Dist::Uniform {
                min: horizon + 5.0,
                max: horizon + 40.0,
            },
        ] {
            sampled_trials_are_their_fixed_files(&sc, "aid[1].cutoff.month", dist);
        }
        sampled_trials_are_their_fixed_files(
            &sc,
            "troops[0].arrival_month",
            Dist::Uniform {
                min: 1.0,
                max: 40.0,
            },
        );
    }
}

#[test]
fn a_start_above_the_contested_area_is_capped_at_it() {
    let sc = load(&teaching_path()).into_inner();
    let contested = sc.battlefield.contested_km2.value.central();
    let held = sc.battlefield.held_by_b_km2.value.central();
    let path = "battlefield.held_by_b_km2";
    let mixed = with(
        &sc,
        path,
        Dist::Chance {
            p: 0.5,
            yes: 2.0 * contested,
            no: held,
        },
    );
    let at_cap = records(&with(&sc, path, Dist::Fixed(contested)));
    let at_file = records(&with(&sc, path, Dist::Fixed(held)));
    let got = records(&mixed);
    for (t, x) in drawn(&mixed, path).iter().enumerate() {
        let want = if *x > contested {
            &at_cap[t]
        } else {
            &at_file[t]
        };
        assert_eq!(record_bits(&got[t]), record_bits(want), "trial {t}");
    }
    // A fixed start above the contested area is allowed, capped, and warned about.
    let mut over = sc.clone();
    over.battlefield.held_by_b_km2 = Input::fixed(2.0 * contested);
    let vs = validate(over).expect("a start above the contested area is capped, not refused");
    assert_records_identical("fixed start above the area", &records(&vs), &at_cap);
    // The front is the capped file's front too.
    let capped = with(&sc, path, Dist::Fixed(contested));
    let (over_run, cap_run) = (
        run(&vs, TRIALS, SEED, Some(2)),
        run(&capped, TRIALS, SEED, Some(2)),
    );
    assert_eq!(over_run.summary.front, cap_run.summary.front);
    let w = armistice::warnings(vs.scenario());
    assert!(
        w.iter()
            .any(|i| i.path == path && i.message.contains("more than the contested")),
        "{w:?}"
    );
}

#[test]
fn the_area_gained_counts_from_each_trials_own_start() {
    let sc = baseline();
    let vs = with(
        &sc,
        "battlefield.held_by_b_km2",
        Dist::Uniform {
            min: 100_000.0,
            max: 120_000.0,
        },
    );
    let r = run(&vs, TRIALS, SEED, Some(2));
    let recs = &r.output.records;
    let starts = drawn(&vs, "battlefield.held_by_b_km2");
    for (t, rec) in recs.iter().enumerate() {
        assert_eq!(
            f64::from(rec.held_start_km2),
            starts[t] as f32 as f64,
            "trial {t}"
        );
    }
    let gained = r.summary.outcome(Outcome::GainedByB);
    let mean = recs
        .iter()
        .map(|x| f64::from(x.held_by_b_km2) - f64::from(x.held_start_km2))
        .sum::<f64>()
        / recs.len() as f64;
    assert!(
        (gained.mean - mean).abs() < 1e-9 * mean.abs().max(1.0),
        "{} vs {mean}",
        gained.mean
    );
    // The start spreads (sd about 5,800 km2) but the gains do not: counted from the central
    // start instead, their spread would include the start's.
    let m = starts.iter().sum::<f64>() / starts.len() as f64;
    let sd_start =
        (starts.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (starts.len() - 1) as f64).sqrt();
    assert!(sd_start > 5_000.0, "{sd_start}");
    assert!(gained.sd < 0.5 * sd_start, "{gained:?}");
    assert!(r.summary.front.start_uncertain);
    assert_eq!(r.summary.front.shared_start(), None);
    let json = armistice::report_json(&r, vs.scenario()).unwrap();
    assert!(json.contains("\"start_uncertain\": true"), "{json}");
    // With fixed areas, the summary keeps the file's start and says nothing new.
    let fixed = run(&load(&baseline_path()), 200, SEED, Some(1));
    assert!(!fixed.summary.front.start_uncertain);
    let json = armistice::report_json(&fixed, &baseline()).unwrap();
    assert!(!json.contains("start_uncertain"), "{json}");
}

#[test]
fn results_do_not_depend_on_threads_with_drawn_geometry() {
    let mut sc = baseline();
    for (path, d) in [
        (
            "battlefield.contested_km2",
            Dist::Pert {
                min: 115_000.0,
                mode: 140_000.0,
                max: 300_000.0,
            },
        ),
        ("aid[1].cutoff.month", Dist::Uniform { min: 1.0, max: 9.0 }),
        (
            "troops[0].arrival_month",
            Dist::Triangular {
                min: 1.0,
                mode: 2.0,
                max: 8.0,
            },
        ),
        (
            "battlefield.held_by_b_km2",
            Dist::Uniform {
                min: 100_000.0,
                max: 120_000.0,
            },
        ),
    ] {
        assert!(sc.update_input(path, |i| i.value = d));
    }
    let vs = validate(sc).unwrap();
    let one = run(&vs, 3_000, 7, Some(1));
    let two = run(&vs, 3_000, 7, Some(2));
    let eight = run(&vs, 3_000, 7, Some(8));
    assert_records_identical("1 vs 2 threads", &one.output.records, &two.output.records);
    assert_records_identical("1 vs 8 threads", &one.output.records, &eight.output.records);
    assert_eq!(one.summary, eight.summary);
}

#[test]
fn a_fixed_month_is_written_as_a_whole_number_and_a_distribution_round_trips() {
    let sc = baseline();
    let text = to_ron_string(&sc).unwrap();
    assert!(
        text.contains("arrival_month: 1,"),
        "a fixed month stays an integer"
    );
    assert!(!text.contains("arrival_month: 1.0"));
    let vs = with(
        &sc,
        "troops[0].arrival_month",
        Dist::Pert {
            min: 1.0,
            mode: 3.0,
            max: 9.0,
        },
    );
    let text = to_ron_string(vs.scenario()).unwrap();
    let back = parse_str(&text, "round-trip.ron").unwrap();
    assert_eq!(&back, vs.scenario());
}

#[test]
fn a_fixed_month_must_be_whole_and_a_distribution_stay_in_range() {
    let sc = baseline();
    let mut bad = sc.clone();
    bad.troops[0].arrival_month = Input::fixed(2.5);
    let e = validate(bad).unwrap_err();
    assert!(
        e.iter()
            .any(|i| i.path == "troops[0].arrival_month" && i.message.contains("whole number")),
        "{e:?}"
    );
    let mut bad = sc.clone();
    bad.troops[0].arrival_month = Input::dist(Dist::Uniform { min: 0.0, max: 4.0 });
    let e = validate(bad).unwrap_err();
    assert!(
        e.iter()
            .any(|i| i.path == "troops[0].arrival_month" && i.message.contains("within 1..=1000")),
        "{e:?}"
    );
}

#[test]
fn events_cannot_change_the_geometry() {
    let mut sc = baseline();
    let ev = sc.events.first_mut().expect("the baseline has events");
    let change = ev.changes.first_mut().expect("with changes");
    let (armistice::Change::Scale { input, .. } | armistice::Change::Set { input, .. }) = change;
    *input = "battlefield.contested_km2".into();
    let e = validate(sc).unwrap_err();
    assert!(
        e.iter().any(|i| i.message.contains("geometry or calendar")),
        "{e:?}"
    );
}

#[test]
fn sensitivity_lists_structural_inputs_by_their_kind() {
    let vs = with(
        &baseline(),
        "battlefield.contested_km2",
        Dist::Uniform {
            min: 115_000.0,
            max: 300_000.0,
        },
    );
    let params = armistice::params(vs.scenario());
    let kind = |path: &str| {
        params
            .iter()
            .find(|p| p.path == path)
            .map(|p| p.key.kind_id())
            .unwrap_or_else(|| panic!("{path} is listed"))
    };
    assert_eq!(kind("battlefield.contested_km2"), "structural");
    assert_eq!(kind("troops[0].arrival_month"), "structural");
    assert_eq!(kind("simulation.horizon_months"), "structural");
    assert_eq!(kind("sides.a.manpower"), "input");
    assert!(matches!(
        params
            .iter()
            .find(|p| p.path == "battlefield.contested_km2")
            .map(|p| p.key),
        Some(armistice::ParamKey::Input(InputKey::Battle(
            armistice::BattleField::Contested
        )))
    ));
}

/// The analyses through the command line, on the baseline with a drawn contested area and
/// arrival month: each lists them with kind `structural`; a sweep sets a month to each whole
/// value of its grid.
#[test]
fn analyses_take_drawn_areas_and_months() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = d.join("drawn.ron");
    std::fs::copy(baseline_path(), &file).unwrap();
    let file = file.to_str().unwrap();
    let cli = |args: &[&str]| -> String {
        let out = assert_cmd::cargo::cargo_bin_cmd!("armistice")
            .current_dir(d)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    cli(&[
        "set",
        file,
        "battlefield.contested_km2=Pert(min: 115000, mode: 140000, max: 300000)",
        "troops[0].arrival_month=Triangular(min: 1, mode: 2, max: 8)",
    ]);
    let kinds = |csv_text: &str, name_col: &str| -> Vec<(String, String)> {
        let mut r = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(csv_text.as_bytes());
        let h = r.headers().unwrap().clone();
        let name = h.iter().position(|c| c == name_col).unwrap();
        let kind = h.iter().position(|c| c == "kind").unwrap();
        r.records()
            .map(|rec| {
                let rec = rec.unwrap();
                (rec[name].to_string(), rec[kind].to_string())
            })
            .collect()
    };
    let tornado = cli(&["sensitivity", file, "--output", "leverage_a", "-n", "300"]);
    let sobol = cli(&[
        "sensitivity",
        file,
        "--method",
        "sobol",
        "--output",
        "leverage_a",
        "--samples",
        "32",
    ]);
    for (what, rows) in [
        ("tornado", kinds(&tornado, "input")),
        ("sobol", kinds(&sobol, "factor")),
    ] {
        for path in ["battlefield.contested_km2", "troops[0].arrival_month"] {
            assert!(
                rows.contains(&(path.to_string(), "structural".to_string())),
                "{what}: {path} in {rows:?}"
            );
        }
        assert!(
            rows.contains(&("sides.a.optimism".to_string(), "input".to_string())),
            "{what}: {rows:?}"
        );
    }
    let out = d.join("sweep.csv");
    cli(&[
        "sweep",
        file,
        "--vary",
        "troops[0].arrival_month=1:7:4",
        "-n",
        "200",
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    let mut r = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = h
        .iter()
        .position(|c| c == "troops[0].arrival_month")
        .unwrap();
    let mut months: Vec<String> = r.records().map(|x| x.unwrap()[col].to_string()).collect();
    months.dedup();
    assert_eq!(months, ["1", "3", "5", "7"]);
}
