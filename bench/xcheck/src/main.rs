//! Dumps what `bench/agreement.py --exact` compares: for the first N trials of a run of a
//! scenario, every random draw the engine makes for the trial (`Engine::batch_draws`: the
//! input values in slot order, clamped and, with correlations, reordered; the aid
//! continuation events; the monthly front noise; the uniforms of the events and the pressure
//! levers) and the outcome of the model on exactly those draws (`monthly::evaluate_monthly`
//! for format version 2, `war::evaluate` for version 1), with the month-by-month trace.
//!
//! Before writing anything it runs the same trials through `Engine::run` (one thread) and
//! checks that every trial's record and, for version 2, the per-month counts equal those of
//! the evaluations here: the dumped draws are the run's own.
//!
//! Usage: armistice-xcheck SCENARIO.ron TRIALS SEED OUT.bin
//!
//! OUT.bin holds one little-endian f64 row per trial:
//!   n_values slot values, n_aid continuation events (0/1), horizon noise draws,
//!   n_events "occurs" uniforms, n_events "timing" uniforms, n_levers lever uniforms,
//!   the outcome: leverage_a, d_a, d_b, p_a, held_by_b_km2, casualties_a, casualties_b,
//!     package (-1 none), blocked (-1 none), range_empty (0/1), settled_month (0 none),
//!   per month: the table's code (0..3 the reason the war went on, 4 settled at this table,
//!     -1 no table this month, -2 the war was over), the leverage of `a` at the table (NaN
//!     without one), and the area held by `b` after the month.
//! OUT.bin.paths lists the slot paths, then a line
//! `#n_values=.. horizon=.. n_aid=.. n_events=.. n_levers=.. version=..`.
//! OUT.bin.counts (version 2) holds the run's per-month counts as little-endian f64: the
//! reasons (horizon x 4), then the leverage histograms (horizon x LEVERAGE_BINS).

use std::io::Write;
use std::process::ExitCode;

use armistice::{
    BATCH, Control, Engine, MonthTrace, MonthlyCounts, MonthlyScratch, RunOptions, Scratch,
    TrialRecord, ValidScenario, evaluate, evaluate_monthly, load_file,
};

/// Codes of the per-month table column.
const SETTLED_HERE: f64 = 4.0;
const NO_TABLE: f64 = -1.0;
const WAR_OVER: f64 = -2.0;

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("armistice-xcheck: {msg}");
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: armistice-xcheck SCENARIO.ron TRIALS SEED OUT.bin");
        return ExitCode::from(2);
    }
    let vs = match load_file(std::path::Path::new(&args[1])) {
        Ok(vs) => vs,
        Err(e) => return fail(format!("{}: {e}", args[1])),
    };
    let (Ok(trials), Ok(seed)) = (args[2].parse::<u64>(), args[3].parse::<u64>()) else {
        return fail("TRIALS and SEED must be whole numbers");
    };
    match dump(&vs, trials, seed, &args[4]) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

fn dump(
    vs: &ValidScenario,
    trials: u64,
    seed: u64,
    out: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let engine = Engine::new(vs);
    let st = engine.structure();
    let horizon = st.horizon;
    let monthly = st.monthly();
    let run = engine.run(
        &RunOptions {
            trials,
            seed,
            threads: Some(1),
        },
        &Control::new(),
        &|| {},
    )?;

    let mut paths = std::fs::File::create(format!("{out}.paths"))?;
    for p in engine.paths() {
        writeln!(paths, "{p}")?;
    }
    writeln!(
        paths,
        "#n_values={} horizon={horizon} n_aid={} n_events={} n_levers={} version={}",
        st.n_values,
        st.aid.len(),
        st.events.len(),
        st.levers.len(),
        st.version
    )?;

    let mut f = std::io::BufWriter::new(std::fs::File::create(out)?);
    let mut scratch = Scratch::new(horizon);
    let mut monthly_scratch = MonthlyScratch::new(st);
    let mut counts = MonthlyCounts::new(horizon);
    let mut front = vec![0.0; horizon];
    let mut trace: Vec<MonthTrace> = Vec::new();
    let mut row: Vec<f64> = Vec::new();
    let mut mismatched = 0u64;
    let mut first_mismatch = None;
    let batches = trials.div_ceil(BATCH as u64);
    for b in 0..batches {
        let len = (trials - b * BATCH as u64).min(BATCH as u64) as usize;
        let mut i = 0;
        let mut io_error = None;
        engine.batch_draws(seed, b, len, |v, d| {
            trace.clear();
            let o = if monthly {
                evaluate_monthly(
                    st,
                    v,
                    d,
                    &mut front,
                    &mut monthly_scratch,
                    Some(&mut counts),
                    Some(&mut trace),
                )
            } else {
                evaluate(st, v, d.continues, d.noise, &mut front, &mut scratch)
            };
            let trial = b as usize * BATCH + i;
            if run.records.get(trial) != Some(&TrialRecord::from_outcome(&o)) {
                mismatched += 1;
                first_mismatch.get_or_insert(trial);
            }
            row.clear();
            row.extend_from_slice(v);
            row.extend(d.continues.iter().map(|&c| f64::from(u8::from(c))));
            row.extend_from_slice(d.noise);
            row.extend_from_slice(d.event_occurs);
            row.extend_from_slice(d.event_timing);
            row.extend_from_slice(d.lever);
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
                f64::from(u8::from(o.range_empty)),
                o.settled_month.map_or(0.0, f64::from),
            ]);
            let mut code = vec![WAR_OVER; horizon];
            let mut lev = vec![f64::NAN; horizon];
            if monthly {
                for m in &trace {
                    let t = m.month as usize - 1;
                    if !m.table {
                        code[t] = NO_TABLE;
                    } else if m.settled_with.is_some() {
                        code[t] = SETTLED_HERE;
                        lev[t] = m.leverage_a;
                    } else {
                        code[t] = m.reason.map_or(NO_TABLE, |c| f64::from(c as u8));
                        lev[t] = m.leverage_a;
                    }
                }
            } else {
                code.iter_mut().for_each(|c| *c = NO_TABLE);
            }
            row.extend_from_slice(&code);
            row.extend_from_slice(&lev);
            row.extend_from_slice(&front);
            if io_error.is_none() {
                for x in &row {
                    if let Err(e) = f.write_all(&x.to_le_bytes()) {
                        io_error = Some(e);
                        break;
                    }
                }
            }
            i += 1;
        });
        if let Some(e) = io_error {
            return Err(e.into());
        }
    }
    f.flush()?;
    if let Some(t) = first_mismatch {
        return Err(format!(
            "{mismatched} of {trials} trials evaluated on Engine::batch_draws differ from the \
             run's records (first: trial {t})"
        )
        .into());
    }
    if let Some(run_counts) = &run.monthly {
        if *run_counts != counts {
            return Err("the per-month counts differ from the run's".into());
        }
        let mut c = std::io::BufWriter::new(std::fs::File::create(format!("{out}.counts"))?);
        for x in &counts.reasons {
            c.write_all(&(*x as f64).to_le_bytes())?;
        }
        for x in &counts.leverage {
            c.write_all(&f64::from(*x).to_le_bytes())?;
        }
        c.flush()?;
    }
    Ok(())
}
