//! Results depend only on the scenario, the seed and the trial count: never on the number of
//! threads, and a shorter run is a prefix of a longer one.

use armistice::{
    BATCH, Control, Engine, Input, RunError, RunOptions, RunResult, Scratch, TrialRecord, evaluate,
};

use crate::common::*;

/// Not a multiple of the batch size, and spanning several batches (the last one partial).
fn trials() -> u64 {
    let n = 2 * BATCH as u64 + 777;
    assert_ne!(n % BATCH as u64, 0);
    assert!(n > 2 * BATCH as u64);
    n
}

/// The summary, as text that shows every f64 exactly (Debug prints the shortest string that
/// reads back to the same bits, and distinguishes -0.0 from 0.0).
fn summary_text(r: &RunResult) -> String {
    format!("{:?}", r.summary)
}

#[test]
fn results_are_bit_identical_on_1_2_and_8_threads() {
    let n = trials();
    for path in shipped_scenarios() {
        let name = name_of(&path);
        let vs = load(&path);
        let seed = vs.simulation.seed;
        let one = run(&vs, n, seed, Some(1));
        assert_eq!(one.output.records.len() as u64, n, "{name}");
        for threads in [2, 8] {
            let many = run(&vs, n, seed, Some(threads));
            let what = format!("{name}: 1 vs {threads} threads");
            assert_records_identical(&what, &one.output.records, &many.output.records);
            assert!(
                one.output.front == many.output.front,
                "{what}: front histograms"
            );
            assert_eq!(summary_text(&one), summary_text(&many), "{what}: summaries");
            assert_eq!(one.stamp, many.stamp, "{what}");
        }
        // All cores (threads: None) gives the same again.
        let all = run(&vs, n, seed, None);
        assert_records_identical(
            &format!("{name}: all cores"),
            &one.output.records,
            &all.output.records,
        );
        assert_eq!(summary_text(&one), summary_text(&all), "{name}: all cores");
    }
}

#[test]
fn a_shorter_run_is_a_prefix_of_a_longer_one() {
    for path in [baseline_path(), teaching_path()] {
        let name = name_of(&path);
        let vs = load(&path);
        let short_n = BATCH as u64 + 1_001;
        let long_n = 3 * BATCH as u64 + 7;
        let short = run(&vs, short_n, 99, Some(2));
        let long = run(&vs, long_n, 99, Some(8));
        assert_records_identical(
            &format!("{name}: {short_n} trials vs the first {short_n} of {long_n}"),
            &short.output.records,
            &long.output.records[..short_n as usize],
        );
        // A single trial is the first trial of every run.
        let single = run(&vs, 1, 99, Some(1));
        assert_records_identical(
            &format!("{name}: 1 trial"),
            &single.output.records,
            &long.output.records[..1],
        );
    }
}

#[test]
fn different_seeds_give_different_records() {
    for path in shipped_scenarios() {
        let name = name_of(&path);
        let vs = load(&path);
        let n = 3_000;
        let a = run(&vs, n, 1, None);
        let b = run(&vs, n, 2, None);
        let differ = a
            .output
            .records
            .iter()
            .zip(&b.output.records)
            .filter(|(x, y)| record_bits(x) != record_bits(y))
            .count();
        // Every shipped scenario draws several continuous inputs per trial, so two seeds
        // should essentially never produce the same trial.
        assert!(
            differ as f64 >= 0.99 * n as f64,
            "{name}: only {differ} of {n} trials differ between seeds 1 and 2"
        );
        assert_ne!(summary_text(&a), summary_text(&b), "{name}");
        assert_ne!(a.stamp, b.stamp, "{name}: the stamp carries the seed");
    }
}

#[test]
fn the_file_seed_and_trials_are_the_default_options() {
    let vs = load(&baseline_path());
    let opts = RunOptions::from_scenario(&vs);
    assert_eq!(opts.trials, vs.simulation.trials);
    assert_eq!(opts.seed, vs.simulation.seed);
    assert_eq!(opts.threads, None);
}

#[test]
fn trial_inputs_are_the_draws_of_the_run() {
    // Without front noise and cut-offs a one-shot (format version 1) trial is a pure
    // function of its inputs, so the inputs `Engine::trial_inputs` reports must give back
    // the run's record of that trial.
    let v1 = crate::common::root().join("tests/fixtures/v1/teaching-arvenia-borsk.ron");
    let mut sc = load(&v1).into_inner();
    sc.battlefield.front_noise_km2 = Input::fixed(0.0);
    for a in &mut sc.aid {
        a.cutoff = None;
    }
    let vs = armistice::validate(sc).unwrap();
    let engine = Engine::new(&vs);
    assert!(!engine.uncertain_slots().is_empty());
    let n = 2 * BATCH as u64 + 5;
    let result = run(&vs, n, 11, Some(2));
    let horizon = engine.structure().horizon;
    let cont = vec![true; vs.aid.len()];
    let noise = vec![0.0; horizon];
    let trials = [
        0,
        1,
        BATCH as u64 - 1,
        BATCH as u64,
        BATCH as u64 + 3,
        n - 1,
    ];
    for trial in trials {
        let v = engine.trial_inputs(11, trial);
        let mut front = vec![0.0; horizon];
        let out = evaluate(
            engine.structure(),
            &v,
            &cont,
            &noise,
            &mut front,
            &mut Scratch::new(horizon),
        );
        let rec = TrialRecord::from_outcome(&out);
        assert_eq!(
            record_bits(&rec),
            record_bits(&result.output.records[trial as usize]),
            "trial {trial}"
        );
    }
    // A monthly (format version 2) trial told month by month, from the draws of the run,
    // gives the run's record too.
    let monthly = load(&teaching_path());
    let engine2 = Engine::new(&monthly);
    let result2 = run(&monthly, n, 11, Some(2));
    for trial in trials {
        let (out, months, _) = engine2.trace_trial(11, trial);
        let rec = TrialRecord::from_outcome(&out);
        assert_eq!(
            record_bits(&rec),
            record_bits(&result2.output.records[trial as usize]),
            "trial {trial}"
        );
        let fought = out.settled_month.map_or(horizon, |m| m as usize);
        assert_eq!(months.len(), fought, "one table per month fought");
    }
    // Seeds change the draws.
    let slots = engine.uncertain_slots();
    let (x, y) = (engine.trial_inputs(11, 0), engine.trial_inputs(12, 0));
    assert!(slots.iter().any(|&s| x[s] != y[s]));
}

#[test]
fn a_cancelled_run_stops_with_an_error() {
    let vs = load(&teaching_path());
    let control = Control::new();
    control.cancel();
    let opts = RunOptions {
        trials: 3 * BATCH as u64,
        seed: 1,
        threads: Some(2),
    };
    let err = armistice::simulate(&vs, &opts, &control, &|| {}).unwrap_err();
    assert_eq!(err, RunError::Cancelled);
    assert_eq!(control.done_trials(), 0);
}

#[test]
fn progress_counts_every_trial_once() {
    let vs = load(&teaching_path());
    let control = Control::new();
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let n = 2 * BATCH as u64 + 5;
    let opts = RunOptions {
        trials: n,
        seed: 3,
        threads: Some(2),
    };
    armistice::simulate(&vs, &opts, &control, &|| {
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    })
    .unwrap();
    assert_eq!(control.done_trials(), n);
    assert_eq!(
        calls.load(std::sync::atomic::Ordering::Relaxed),
        3,
        "one progress call per batch"
    );
}
