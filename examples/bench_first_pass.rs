//! Benchmark: the first pass after a slider move. Each repetition edits one input of the
//! baseline (as a slider drag does), validates the scenario, compiles it for the engine,
//! runs 20,000 trials on all cores and summarises them: everything the app does before it
//! can show new numbers. Prints the median and 95th percentile over the repetitions.
//!
//! cargo run --release --no-default-features --features bench --example bench_first_pass

use std::time::Instant;

use armistice::{Control, Dist, RunOptions, builtin_baseline, simulate, validate};

fn main() {
    let base = match builtin_baseline() {
        Ok(v) => v.into_inner(),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let trials = 20_000;
    let reps = 60;
    let mut times = Vec::with_capacity(reps);
    let mut checksum = 0.0;
    for rep in 0..reps + 5 {
        let mut sc = base.clone();
        // A slider move: a different materiel stock each time.
        sc.sides.a.materiel_usd_bn.value = Dist::Fixed(15.0 + rep as f64 * 0.1);
        let start = Instant::now();
        let Ok(valid) = validate(sc) else {
            eprintln!("the edited baseline does not validate");
            std::process::exit(1);
        };
        let opts = RunOptions {
            trials,
            seed: valid.simulation.seed,
            threads: None,
        };
        let result = simulate(&valid, &opts, &Control::new(), &|| {});
        let elapsed = start.elapsed().as_secs_f64() * 1e3;
        match result {
            Ok(r) => checksum += r.summary.p_deal.p,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
        if rep >= 5 {
            times.push(elapsed);
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let p95 = times[(times.len() as f64 * 0.95) as usize - 1];
    println!(
        "first pass: {trials} trials of the baseline (validate + compile + run + summarise), \
         {reps} repetitions on {} threads: median {median:.2} ms, p95 {p95:.2} ms (checksum {checksum:.3})",
        rayon::current_num_threads()
    );
}
