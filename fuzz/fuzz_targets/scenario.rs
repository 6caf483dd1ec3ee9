//! Fuzz target: any bytes as a scenario file, through load, validate, save and a short run.
//!
//! What counts as a failure (a crash that libFuzzer reports):
//! - any panic, stack overflow, huge allocation or hang in parsing, validation, saving or the
//!   simulation;
//! - an error that names neither a position (line:column) nor a field path;
//! - a valid scenario whose saved text does not load back to the same scenario;
//! - a run of a valid scenario that fails, or gives a non-finite or out-of-range number.
//!
//! The run is short: 64 trials, the horizon capped at 24 months, on the calling thread.

#![no_main]

use std::sync::Once;

use armistice::{Control, LoadError, RunOptions, simulate};
use libfuzzer_sys::fuzz_target;

const FILE: &str = "fuzz.ron";
const TRIALS: u64 = 64;
const HORIZON_CAP: u32 = 24;

static POOL: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    POOL.call_once(|| {
        // One worker thread: executions are cheaper and results do not depend on it.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build_global();
    });
    let text = String::from_utf8_lossy(data);
    let valid = match armistice::load_str(&text, FILE) {
        Ok(v) => v,
        Err(e) => {
            check_error(&e);
            return;
        }
    };

    // Saving a valid scenario and loading it again gives the same scenario.
    let saved = match armistice::to_ron_string(valid.scenario()) {
        Ok(s) => s,
        Err(e) => panic!("a valid scenario cannot be written: {e}"),
    };
    match armistice::load_str(&saved, "saved.ron") {
        Ok(again) => assert!(
            again.scenario() == valid.scenario(),
            "the saved text loads as a different scenario:\n{saved}"
        ),
        Err(e) => panic!("the saved text of a valid scenario does not load: {e}\n{saved}"),
    }

    // A short run.
    let mut sc = valid.into_inner();
    sc.simulation.horizon_months = sc.simulation.horizon_months.min(HORIZON_CAP);
    let Ok(short) = armistice::validate(sc) else {
        return;
    };
    let opts = RunOptions {
        trials: TRIALS,
        seed: short.simulation.seed,
        threads: None,
    };
    let result = match simulate(&short, &opts, &Control::new(), &|| {}) {
        Ok(r) => r,
        Err(e) => panic!("a valid scenario failed to run: {e}"),
    };
    let contested = short.battlefield.contested_km2 as f32;
    for (i, r) in result.output.records.iter().enumerate() {
        let fields = [
            ("leverage_a", r.leverage_a),
            ("d_a", r.d_a),
            ("d_b", r.d_b),
            ("p_a", r.p_a),
            ("held_by_b_km2", r.held_by_b_km2),
            ("casualties_a", r.casualties_a),
            ("casualties_b", r.casualties_b),
        ];
        for (name, x) in fields {
            assert!(x.is_finite(), "trial {i}: {name} is {x}: {r:?}");
        }
        assert!((0.0..=1.0).contains(&r.p_a), "trial {i}: p_a {}", r.p_a);
        assert!(
            r.held_by_b_km2 >= 0.0 && r.held_by_b_km2 <= contested * (1.0 + 1e-6),
            "trial {i}: held_by_b_km2 {} outside 0..={contested}",
            r.held_by_b_km2
        );
        assert!(
            r.casualties_a >= 0.0 && r.casualties_b >= 0.0,
            "trial {i}: negative casualties: {r:?}"
        );
    }
});

/// Every error says where: a line and column, or a field path.
fn check_error(e: &LoadError) {
    match e {
        LoadError::Syntax { line, column, .. } => {
            assert!(*line >= 1 && *column >= 1, "no position: {e}");
        }
        LoadError::Invalid { issues, .. } => {
            assert!(!issues.is_empty(), "an invalid scenario with no issue");
            for i in issues {
                assert!(!i.path.is_empty(), "an issue with no field path: {i}");
                assert!(!i.message.is_empty(), "an issue with no message: {i}");
            }
        }
        LoadError::TooLarge { .. } => {}
        LoadError::Io { .. } => panic!("an I/O error from text in memory: {e}"),
    }
    let shown = e.to_string();
    assert!(
        shown.starts_with(FILE),
        "the message does not name the file: {shown}"
    );
}
