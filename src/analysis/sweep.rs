//! Sweeps: runs of a scenario over a grid of fixed input values, with common random numbers.
//!
//! Each `--vary NAME=FROM:TO:STEPS` is an [`Axis`] of `STEPS` evenly spaced values from `FROM`
//! to `TO` (both included, as `numpy.linspace`), each rounded to the decimal the grid's step
//! justifies so that it prints as that decimal (`-0.15`, not `-0.15000000000000002`), or to a
//! whole number for a whole month. `NAME` is an input (the contested area, a cut-off or
//! arrival month among them) or a structural setting (the horizon, a lever's first month). Several axes make the Cartesian product, numbered row-major: the first axis varies
//! slowest, so point `p` of axes with `n1, n2, ...` steps has coordinates
//! `(p / (n2 n3 ...), ...)`. At each point the varied inputs are held at
//! their values ([`super::fix_inputs`]) and the scenario runs with the same seed and trial
//! count as every other point; since each input draws from its own stream, the other inputs'
//! draws are the same at every point, and the result of a point depends only on the scenario,
//! the point's values, the seed and the trial count: never on which shard runs it.
//!
//! Results are written as tidy CSV (one row per point, output and statistic) that
//! `pandas.read_csv` reads directly; a shard starts with a checksum line, and [`merge_csv`]
//! (`analysis::merge`) checks every shard and joins them into exactly the bytes an unsharded
//! run writes. A leverage curve ([`leverage_curve`]) and a heatmap ([`heatmap`]) are sweeps
//! over one and two axes (`curves`).

use std::io::Write;
use std::str::FromStr;

use rayon::prelude::*;

pub use super::axis::Axis;
pub use super::merge::merge_csv;
use super::output::{Output, PointStats};
use super::{AnalysisError, OnProgress, Tracker, find_param, fix_inputs};
use crate::run::{Stamp, simulate_with};
use crate::scenario::limits::MAX_TRIALS;
use crate::scenario::{ValidScenario, scenario_hash};
use crate::sim::rng::name_key;
use crate::sim::{Control, Engine, RunOptions};
use crate::text::{fmt_csv, fmt_exact};

mod curves;

pub use curves::{CurvePoint, Heatmap, LeverageCurve, heatmap, leverage_curve};

/// Most values along one axis.
pub const MAX_STEPS: usize = 100_000;
/// Most points in one sweep.
pub const MAX_POINTS: usize = 10_000_000;

/// The fixed columns of a sweep CSV before the varied inputs' columns.
pub const LEADING_COLUMNS: [&str; 3] = ["sweep", "points", "point"];
/// The columns after the varied inputs' columns (`unit` is the unit of `value`).
pub const TRAILING_COLUMNS: [&str; 4] = ["output", "statistic", "value", "unit"];

/// The path of the horizon, whose sweeps change which months P(settled by month m) has.
pub const HORIZON_PATH: &str = "simulation.horizon_months";

/// What a sweep runs: its axes, and the seed and trial count of every point.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepSpec {
    /// The varied inputs; several make a grid (the first varies slowest).
    pub axes: Vec<Axis>,
    /// Trials of every point.
    pub trials: u64,
    /// Seed of every point (the same at each: common random numbers).
    pub seed: u64,
}

impl SweepSpec {
    /// Number of points (the product of the axes' steps), saturating.
    pub fn points(&self) -> usize {
        self.axes
            .iter()
            .fold(1usize, |n, a| n.saturating_mul(a.steps))
    }

    /// The step index along each axis of point `p` (first axis slowest).
    pub fn coords(&self, p: usize) -> Vec<usize> {
        let mut rest = p;
        let mut c = vec![0; self.axes.len()];
        for (k, a) in self.axes.iter().enumerate().rev() {
            let n = a.steps.max(1);
            c[k] = rest % n;
            rest /= n;
        }
        c
    }

    /// The spec with each axis marked whole where it varies a whole-month setting or an
    /// event's month (`Param::whole`), checked ([`SweepSpec::check`]).
    pub fn resolved(&self, vs: &ValidScenario) -> Result<SweepSpec, AnalysisError> {
        let mut spec = self.clone();
        for a in &mut spec.axes {
            a.whole = find_param(vs.scenario(), &a.path)?.whole;
        }
        spec.check_resolved(vs)?;
        Ok(spec)
    }

    /// The values of the varied inputs at point `p`, in axis order.
    pub fn point_values(&self, p: usize) -> Vec<f64> {
        self.coords(p)
            .iter()
            .zip(&self.axes)
            .map(|(&i, a)| a.value(i))
            .collect()
    }

    /// Checks everything before any run: at least one axis, no input twice, every name an
    /// input or structural setting of the scenario, whole ends for a whole-month setting,
    /// every value of every axis valid for its input, the number of points and the trial
    /// count within limits.
    pub fn check(&self, vs: &ValidScenario) -> Result<(), AnalysisError> {
        self.resolved(vs).map(|_| ())
    }

    fn check_resolved(&self, vs: &ValidScenario) -> Result<(), AnalysisError> {
        if self.axes.is_empty() {
            return Err(AnalysisError::BadRequest(
                "give at least one --vary NAME=FROM:TO:STEPS".into(),
            ));
        }
        for (i, a) in self.axes.iter().enumerate() {
            if self.axes[..i].iter().any(|b| b.path == a.path) {
                return Err(AnalysisError::BadRequest(format!(
                    "{} is varied twice; give each input one --vary",
                    a.path
                )));
            }
            if !(1..=MAX_STEPS).contains(&a.steps) || !a.from.is_finite() || !a.to.is_finite() {
                return Err(AnalysisError::BadRequest(format!(
                    "{}: FROM and TO must be finite and STEPS within 1..={MAX_STEPS}",
                    a.path
                )));
            }
            let info = find_param(vs.scenario(), &a.path)?;
            if info.whole && (a.from.fract() != 0.0 || a.to.fract() != 0.0) {
                return Err(AnalysisError::BadRequest(format!(
                    "--vary {}={}:{}:{}: {} takes whole months, so FROM and TO must be whole \
                     numbers (the values between them are rounded to whole months)",
                    a.path,
                    fmt_exact(a.from),
                    fmt_exact(a.to),
                    a.steps,
                    a.path,
                )));
            }
            for x in [a.from, a.to] {
                if !info.spec.accepts(x) {
                    return Err(AnalysisError::BadRequest(format!(
                        "--vary {}={}:{}:{}: the value {} is outside the allowed range of {}, \
                         which must be {} ({})",
                        a.path,
                        fmt_exact(a.from),
                        fmt_exact(a.to),
                        a.steps,
                        fmt_exact(x),
                        a.path,
                        info.spec.describe_range(),
                        info.spec.unit
                    )));
                }
            }
            // Interior values lie between the ends, but check them all: rounding must not
            // step outside an open bound.
            for x in a.values() {
                if !info.spec.accepts(x) {
                    return Err(AnalysisError::BadRequest(format!(
                        "{} = {} is outside its allowed range: it must be {} ({})",
                        a.path,
                        fmt_exact(x),
                        info.spec.describe_range(),
                        info.spec.unit
                    )));
                }
            }
        }
        let n = self
            .axes
            .iter()
            .try_fold(1usize, |n, a| n.checked_mul(a.steps));
        if n.is_none_or(|n| n > MAX_POINTS) {
            return Err(AnalysisError::BadRequest(format!(
                "the sweep has more than {MAX_POINTS} points; use fewer steps"
            )));
        }
        if !(1..=MAX_TRIALS).contains(&self.trials) {
            return Err(AnalysisError::BadRequest(format!(
                "--trials must be within 1..={MAX_TRIALS}, got {}",
                self.trials
            )));
        }
        Ok(())
    }

    /// The sweep's identity: a hash of the scenario, the axes, the seed and the trial count.
    /// Shards of one sweep share it; [`merge_csv`] refuses files with different ids.
    pub fn id(&self, vs: &ValidScenario) -> String {
        let mut text = format!(
            "armistice-sweep-1|{}|{}|{}",
            scenario_hash(vs.scenario()),
            self.seed,
            self.trials
        );
        for a in &self.axes {
            text.push_str(&format!(
                "|{}={:016x}:{:016x}:{}",
                a.path,
                a.from.to_bits(),
                a.to.to_bits(),
                a.steps
            ));
        }
        format!("sw-{:016x}", name_key(&text))
    }
}

/// A share of a sweep's points: shard `index` of `count` (1-based) runs the points whose index
/// leaves remainder `index - 1` when divided by `count` (round robin, which spreads cheap and
/// expensive regions of the grid evenly).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, 1..=`count`.
    pub index: usize,
    /// How many shards the sweep is split into.
    pub count: usize,
}

impl Shard {
    /// True when this shard runs point `p`.
    pub fn owns(&self, p: usize) -> bool {
        p % self.count == self.index - 1
    }
}

impl FromStr for Shard {
    type Err = String;

    /// Parses `I/N` with `1 <= I <= N`.
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("--shard \"{s}\": write I/N with 1 <= I <= N, e.g. --shard 3/8");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// The result of one point.
#[derive(Clone, Debug, PartialEq)]
pub struct PointResult {
    /// Index in the whole sweep.
    pub index: usize,
    /// Values of the varied inputs, in axis order.
    pub values: Vec<f64>,
    pub stats: PointStats,
}

/// The result of a sweep (or of one shard of it).
#[derive(Clone, Debug, PartialEq)]
pub struct SweepResult {
    pub spec: SweepSpec,
    /// See [`SweepSpec::id`].
    pub id: String,
    /// Points of the whole sweep (a shard runs only some of them).
    pub total_points: usize,
    /// The outputs, in the order the CSV lists them, and their ids.
    pub outputs: Vec<(Output, String)>,
    /// The points run, in increasing index.
    pub points: Vec<PointResult>,
    /// Title and hash of the scenario, seed and trials of every point, and the version: the
    /// CSV's commented stamp.
    pub stamp: Stamp,
    /// The unit of each varied input, in axis order.
    pub axis_units: Vec<&'static str>,
}

/// Runs the points of a sweep (all of them, or one shard's), in parallel, with progress in
/// trials and cancellation between batches. Every value is checked before anything runs.
pub fn run_sweep(
    vs: &ValidScenario,
    spec: &SweepSpec,
    shard: Option<Shard>,
    control: &Control,
    on_progress: OnProgress,
) -> Result<SweepResult, AnalysisError> {
    let spec = &spec.resolved(vs)?;
    let total_points = spec.points();
    let mine: Vec<usize> = (0..total_points)
        .filter(|&p| shard.is_none_or(|s| s.owns(p)))
        .collect();
    let tracker = Tracker::new(
        control,
        (mine.len() as u64).saturating_mul(spec.trials),
        on_progress,
    );
    let opts = RunOptions {
        trials: spec.trials,
        seed: spec.seed,
        threads: None,
    };
    let points = mine
        .par_iter()
        .map(|&p| -> Result<PointResult, AnalysisError> {
            tracker.check()?;
            let values = spec.point_values(p);
            let stats = run_point(vs, spec, &values, &opts, control, &tracker)?;
            Ok(PointResult {
                index: p,
                values,
                stats,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    tracker.report();
    // Over a grid of horizons, P(settled by month m) up to the longest (NaN past a point's
    // own horizon).
    let mut shape = vs.scenario().clone();
    if let Some(a) = spec.axes.iter().find(|a| a.path == HORIZON_PATH) {
        let longest = a.values().into_iter().fold(a.from.max(a.to), f64::max);
        shape.simulation.horizon_months = longest as u32;
    }
    Ok(SweepResult {
        spec: spec.clone(),
        id: spec.id(vs),
        total_points,
        outputs: Output::all(&shape)
            .into_iter()
            .map(|o| (o, o.id(&shape)))
            .collect(),
        points,
        stamp: Stamp::new(vs, spec.seed, spec.trials),
        axis_units: spec
            .axes
            .iter()
            .map(|a| find_param(vs.scenario(), &a.path).map_or("", |p| p.spec.unit))
            .collect(),
    })
}

fn run_point(
    vs: &ValidScenario,
    spec: &SweepSpec,
    values: &[f64],
    opts: &RunOptions,
    control: &Control,
    tracker: &Tracker,
) -> Result<PointStats, AnalysisError> {
    let fixes: Vec<(&str, f64)> = spec
        .axes
        .iter()
        .zip(values)
        .map(|(a, &x)| (a.path.as_str(), x))
        .collect();
    let point = fix_inputs(vs, &fixes)?;
    let engine = Engine::new(&point);
    let result = simulate_with(&engine, &point, opts, control, &|| tracker.report())?;
    Ok(PointStats::from_summary(&result.summary))
}

/// The header of a sweep CSV.
pub fn csv_header(axes: &[Axis]) -> Vec<String> {
    LEADING_COLUMNS
        .iter()
        .map(|s| s.to_string())
        .chain(axes.iter().map(|a| a.path.clone()))
        .chain(TRAILING_COLUMNS.iter().map(|s| s.to_string()))
        .collect()
}

/// Rows each point writes.
pub fn rows_per_point(outputs: &[(Output, String)]) -> usize {
    outputs.iter().map(|(o, _)| o.statistics().len()).sum()
}

/// Writes a sweep as tidy CSV after its commented stamp ([`Stamp::csv_comment`]) and a
/// `# units:` line for the varied inputs' columns: columns `sweep, points, point`, one column
/// per varied input (named by its path), then `output, statistic, value, unit`; one row per
/// point, output and statistic, points in increasing order. Numbers are written as the
/// shortest text that reads back to the same `f64`; whole months as whole numbers.
pub fn write_sweep_csv(result: &SweepResult, mut w: impl Write) -> Result<(), AnalysisError> {
    let io = |e: csv::Error| AnalysisError::Failed(format!("cannot write the CSV: {e}"));
    let units: Vec<String> = result
        .spec
        .axes
        .iter()
        .zip(&result.axis_units)
        .map(|(a, u)| format!("{}={u}", a.path))
        .collect();
    writeln!(
        w,
        "{}# units: {}",
        result.stamp.csv_comment(),
        units.join("; ")
    )
    .map_err(|e| AnalysisError::Failed(format!("cannot write the CSV: {e}")))?;
    let mut wtr = csv::Writer::from_writer(w);
    wtr.write_record(csv_header(&result.spec.axes))
        .map_err(io)?;
    let total = result.total_points.to_string();
    for p in &result.points {
        let index = p.index.to_string();
        let values: Vec<String> = p
            .values
            .iter()
            .zip(&result.spec.axes)
            .map(|(&x, a)| a.format(x))
            .collect();
        for (o, id) in &result.outputs {
            for &s in o.statistics() {
                let mut row: Vec<&str> = vec![&result.id, &total, &index];
                row.extend(values.iter().map(String::as_str));
                let v = fmt_csv(p.stats.value(*o, s));
                row.extend([id.as_str(), s.id(), v.as_str(), o.unit()]);
                wtr.write_record(&row).map_err(io)?;
            }
        }
    }
    wtr.flush()
        .map_err(|e| AnalysisError::Failed(format!("cannot write the CSV: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_row_major() {
        let spec = SweepSpec {
            axes: vec![Axis::new("a", 0.0, 1.0, 2), Axis::new("b", 0.0, 2.0, 3)],
            trials: 1,
            seed: 0,
        };
        assert_eq!(spec.points(), 6);
        assert_eq!(spec.coords(0), vec![0, 0]);
        assert_eq!(spec.coords(1), vec![0, 1]);
        assert_eq!(spec.coords(3), vec![1, 0]);
        assert_eq!(spec.point_values(5), vec![1.0, 2.0]);
    }

    #[test]
    fn shards_partition_the_points() {
        let shards: Vec<Shard> = (1..=3).map(|i| format!("{i}/3").parse().unwrap()).collect();
        for p in 0..20 {
            assert_eq!(shards.iter().filter(|s| s.owns(p)).count(), 1);
        }
        for bad in ["0/3", "4/3", "1/0", "x/2", "3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
