//! Dumps what `bench/agreement.py --exact` compares: for N trials of a scenario, the engine's
//! own drawn inputs (`Engine::trial_inputs`, slot order, clamped), a continuation event per
//! aid stream and a standard normal per month (from streams of this program), and the f64
//! outcome of `war::evaluate` on exactly those values.
//!
//! Usage: armistice-xcheck SCENARIO.ron TRIALS SEED OUT.bin
//!
//! OUT.bin holds one little-endian f64 row per trial: the n_values slot values, n_aid events
//! (0/1), horizon noise draws, then leverage_a, d_a, d_b, p_a, held_by_b_km2, casualties_a,
//! casualties_b, package (-1 = none), blocked (-1 = none) and range_empty (0/1).
//! OUT.bin.paths lists the slot paths, then a line `#n_values=.. horizon=.. n_aid=..`.

use std::io::Write;

use armistice::model::{Scratch, evaluate};
use armistice::sim::Engine;
use armistice::sim::rng::SubRng;

/// A standard normal by Box-Muller from one stream (any generator will do: the NumPy side
/// reads the same numbers from the dump).
fn normal(r: &mut SubRng) -> f64 {
    let u1 = r.uniform_open();
    let u2 = r.uniform();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: armistice-xcheck SCENARIO.ron TRIALS SEED OUT.bin");
        std::process::exit(2);
    }
    let vs = armistice::scenario::load_file(std::path::Path::new(&args[1]))
        .unwrap_or_else(|e| panic!("{}: {e}", args[1]));
    let trials: u64 = args[2].parse().expect("TRIALS");
    let seed: u64 = args[3].parse().expect("SEED");
    let out = &args[4];

    let engine = Engine::new(&vs);
    let st = engine.structure();
    let horizon = st.horizon;
    let n_aid = st.aid.len();
    let mut paths = std::fs::File::create(format!("{out}.paths")).expect("create paths");
    for p in engine.paths() {
        writeln!(paths, "{p}").expect("write paths");
    }
    writeln!(
        paths,
        "#n_values={} horizon={horizon} n_aid={n_aid}",
        st.n_values
    )
    .expect("write paths");

    let mut f = std::io::BufWriter::new(std::fs::File::create(out).expect("create out"));
    let mut scratch = Scratch::new(horizon);
    let mut front = vec![0.0; horizon];
    let mut noise = vec![0.0; horizon];
    let mut cont = vec![true; n_aid];
    let mut row = Vec::new();
    for trial in 0..trials {
        let v = engine.trial_inputs(seed, trial);
        for (s, plan) in st.aid.iter().enumerate() {
            cont[s] = plan
                .continue_probability
                .is_none_or(|slot| SubRng::new(trial ^ seed, 1000 + s as u64).uniform() < v[slot]);
        }
        let mut r = SubRng::new(trial ^ seed, 99);
        for z in noise.iter_mut() {
            *z = normal(&mut r);
        }
        let o = evaluate(st, &v, &cont, &noise, &mut front, &mut scratch);
        row.clear();
        row.extend_from_slice(&v);
        row.extend(cont.iter().map(|&c| if c { 1.0 } else { 0.0 }));
        row.extend_from_slice(&noise);
        row.extend([
            o.leverage_a,
            o.d_a,
            o.d_b,
            o.p_a,
            o.held_by_b_km2,
            o.casualties_a,
            o.casualties_b,
            o.package.map_or(-1.0, |k| k as f64),
            o.blocked.map_or(-1.0, |c| f64::from(c as u8)),
            if o.range_empty { 1.0 } else { 0.0 },
        ]);
        for x in &row {
            f.write_all(&x.to_le_bytes()).expect("write");
        }
    }
    f.flush().expect("flush");
}
