//! How fast does a cancel take effect during a 10,000,000-trial run?
//!
//! Starts a 10M-trial run of the built-in baseline as a background job (as the app does, on
//! all cores), cancels it after various delays, and measures the time from `Job::cancel()`
//! until the job reports `Cancelled`, polling every 0.1 ms as an app would each frame.
//!
//! ```sh
//! cargo run --release --no-default-features --features bench --example cancel_latency
//! cargo run --release --no-default-features --features bench --example cancel_latency -- 2000000
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use armistice::{BATCH, Job, JobOutcome, RunOptions, TrialRecord, builtin_baseline};

/// Delays after the start at which the run is cancelled, in milliseconds.
const CANCEL_AFTER_MS: [u64; 16] = [
    0, 10, 50, 100, 150, 200, 250, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 4_000, 5_000,
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let trials: u64 = match std::env::args().nth(1) {
        Some(a) => a.parse()?,
        None => 10_000_000,
    };
    let scenario = Arc::new(builtin_baseline()?);
    let record_bytes = trials * std::mem::size_of::<TrialRecord>() as u64;
    println!(
        "{trials} trials of the built-in baseline on all cores ({} threads), batches of {BATCH}; \
         the records take {} MB",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        record_bytes / 1_000_000
    );
    println!(
        "{:>10} {:>12} {:>10} {:>10}",
        "after ms", "trials done", "latency ms", "outcome"
    );
    // (latency, trials done when cancelled)
    let mut samples: Vec<(Duration, u64)> = Vec::new();
    for after in CANCEL_AFTER_MS {
        let opts = RunOptions {
            trials,
            seed: scenario.simulation.seed,
            threads: None,
        };
        let mut job = Job::run(scenario.clone(), opts, Arc::new(|| {}));
        std::thread::sleep(Duration::from_millis(after));
        let done = job.progress().done;
        let asked = Instant::now();
        job.cancel();
        let outcome = loop {
            if let Some(o) = job.poll() {
                break o;
            }
            std::thread::sleep(Duration::from_micros(100));
        };
        let latency = asked.elapsed();
        let what = match outcome {
            JobOutcome::Cancelled => "cancelled",
            JobOutcome::Done(_) => "finished",
            JobOutcome::Failed(_) => "failed",
        };
        println!(
            "{after:>10} {done:>12} {:>10.1} {what:>10}",
            latency.as_secs_f64() * 1e3
        );
        if what == "cancelled" {
            samples.push((latency, done));
        }
    }
    let report = |what: &str, mut v: Vec<Duration>| {
        v.sort();
        if let Some(max) = v.last() {
            println!(
                "cancel latency {what} ({} runs): median {:.1} ms, max {:.1} ms",
                v.len(),
                v[v.len() / 2].as_secs_f64() * 1e3,
                max.as_secs_f64() * 1e3
            );
        }
    };
    report("overall", samples.iter().map(|s| s.0).collect());
    report(
        "once batches are under way",
        samples.iter().filter(|s| s.1 > 0).map(|s| s.0).collect(),
    );
    report(
        "before the first batch",
        samples.iter().filter(|s| s.1 == 0).map(|s| s.0).collect(),
    );

    // What happens before the first batch: the records are allocated and filled.
    let start = Instant::now();
    let mut records: Vec<TrialRecord> = Vec::new();
    records.try_reserve_exact(trials as usize)?;
    records.resize(trials as usize, TrialRecord::default());
    let filled = start.elapsed();
    let start = Instant::now();
    drop(records);
    println!(
        "allocating and filling the {} MB of records takes {:.1} ms; freeing them {:.1} ms",
        record_bytes / 1_000_000,
        filled.as_secs_f64() * 1e3,
        start.elapsed().as_secs_f64() * 1e3
    );

    // How long the whole run takes, for scale.
    let opts = RunOptions {
        trials,
        seed: scenario.simulation.seed,
        threads: None,
    };
    let start = Instant::now();
    let job = Job::run(scenario, opts, Arc::new(|| {}));
    match job.wait() {
        JobOutcome::Done(r) => println!(
            "the whole run: {:.1} s ({:.2} µs per trial), {} records",
            start.elapsed().as_secs_f64(),
            start.elapsed().as_secs_f64() * 1e6 / trials as f64,
            r.output.records.len()
        ),
        JobOutcome::Cancelled => println!("the whole run was cancelled"),
        JobOutcome::Failed(e) => println!("the whole run failed: {e}"),
    }
    Ok(())
}
