//! Tornado: for each uncertain input, the output when the input is held at its 10th and at
//! its 90th percentile while every other input is drawn as usual, with common random numbers
//! (same seed and trials, each input on its own stream). On request, each structural setting
//! too (the horizon, months, areas), set to the two ends of its slider range. Rows are ranked
//! by the size of the swing between the two, and each says which kind it is.

use std::io::Write;

use rayon::prelude::*;

use super::output::Output;
use super::{
    AnalysisError, OnProgress, ParamKey, Tracker, fix_inputs, is_correlated, param_label, params,
};
use crate::scenario::ValidScenario;
use crate::sim::sample::clamp_to;
use crate::sim::{Control, Engine, RunOptions, RunOutput};

/// Percentiles the input is held at.
pub const LOW_QUANTILE: f64 = 0.1;
pub const HIGH_QUANTILE: f64 = 0.9;

/// One bar: an input held at its 10th and at its 90th percentile.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoBar {
    /// Field path.
    pub path: String,
    /// Readable name.
    pub label: String,
    /// An uncertain input or a structural setting.
    pub key: ParamKey,
    /// The unit of `low_value` and `high_value`.
    pub unit: &'static str,
    /// The input's 10th and 90th percentiles (the bar's labels); for a structural setting,
    /// the ends of its slider range.
    pub low_value: f64,
    pub high_value: f64,
    /// The output with the input held at each.
    pub output_low: f64,
    pub output_high: f64,
    /// `output_high - output_low`.
    pub swing: f64,
    /// Standard error of the swing, from the trial-by-trial differences.
    pub swing_se: f64,
    /// True when the input takes part in a declared correlation (holding it fixed drops the
    /// correlation, so the swing leaves out its effect through the correlated inputs).
    pub correlated: bool,
}

/// A tornado chart's data.
#[derive(Clone, Debug, PartialEq)]
pub struct Tornado {
    pub output: Output,
    pub output_id: String,
    pub output_label: String,
    /// The output with every input drawn as usual.
    pub base: f64,
    /// Bars ranked by `|swing|`, largest first.
    pub bars: Vec<TornadoBar>,
    pub trials: u64,
    pub seed: u64,
    /// True when the scenario declares correlations between inputs.
    pub correlated_inputs: bool,
    /// The CSV's commented stamp.
    pub stamp: crate::run::Stamp,
}

impl Tornado {
    /// A warning when the output is a probability of a rare event (or of an almost certain
    /// one): the swings then rest on few trials (see [`super::FEW_CASES`]).
    pub fn warning(&self) -> Option<String> {
        if !self.output.is_probability() || !self.base.is_finite() {
            return None;
        }
        let cases = (self.base * self.trials as f64).round() as u64;
        let (rare, what) = if 2 * cases <= self.trials {
            (cases, format!("count towards {}", self.output_label))
        } else {
            (
                self.trials.saturating_sub(cases),
                format!("count against {}", self.output_label),
            )
        };
        super::few_cases_warning(rare, self.trials, &what)
    }
}

fn run_values(
    vs: &ValidScenario,
    output: Output,
    opts: &RunOptions,
    control: &Control,
    tracker: &Tracker,
) -> Result<Vec<f64>, AnalysisError> {
    let engine = Engine::new(vs);
    let out: RunOutput = engine.run(opts, control, &|| tracker.report())?;
    let held = engine.structure().held_fixed;
    Ok(out.records.iter().map(|r| output.of(r, held)).collect())
}

/// One row to run: what it varies, its path and unit, and the two values it is held at.
type Row = (ParamKey, String, &'static str, f64, f64);

/// A percentile of a whole-month input rounded to its month (the model rounds every draw).
fn whole(spec: &crate::scenario::FieldSpec, x: f64) -> f64 {
    if spec.integer { x.round() } else { x }
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// Runs the tornado of `output`: `2 k + 1` runs of `opts.trials` trials for `k` uncertain
/// inputs, in parallel, with progress in trials.
pub fn tornado(
    vs: &ValidScenario,
    output: Output,
    opts: &RunOptions,
    control: &Control,
    on_progress: OnProgress,
) -> Result<Tornado, AnalysisError> {
    tornado_with(vs, output, opts, false, control, on_progress)
}

/// [`tornado`], with the structural settings too when `structural` is true (each at the two
/// ends of its slider range, as `armistice inputs` lists them).
pub fn tornado_with(
    vs: &ValidScenario,
    output: Output,
    opts: &RunOptions,
    structural: bool,
    control: &Control,
    on_progress: OnProgress,
) -> Result<Tornado, AnalysisError> {
    if !output.is_mean_over_trials() {
        return Err(AnalysisError::BadRequest(format!(
            "\"{}\" is a quantile of the run, not a mean over trials; use \
             \"settlement_month\" (the mean month) or \"p_settled_by:<month>\"",
            output.id(vs.scenario())
        )));
    }
    let sc = vs.scenario();
    let inputs = sc.inputs();
    // Each row: (key, path, unit, low, high).
    let mut rows: Vec<Row> = inputs
        .iter()
        .filter(|i| !i.input.value.is_fixed())
        .map(|i| {
            let d = &i.input.value;
            (
                ParamKey::Input(i.key),
                i.path.clone(),
                i.spec.unit,
                whole(i.spec, clamp_to(i.spec, d.quantile(LOW_QUANTILE))),
                whole(i.spec, clamp_to(i.spec, d.quantile(HIGH_QUANTILE))),
            )
        })
        .collect();
    if structural {
        rows.extend(
            params(sc)
                .into_iter()
                .filter(|p| match p.key {
                    ParamKey::Structural(_) => true,
                    ParamKey::Input(k) => k.is_structural() && !p.uncertain,
                })
                .map(|p| (p.key, p.path, p.spec.unit, p.slider.min, p.slider.max)),
        );
    }
    let run_opts = RunOptions {
        threads: None,
        ..*opts
    };
    let total = (2 * rows.len() as u64 + 1).saturating_mul(opts.trials);
    super::in_pool(opts.threads, || {
        let tracker = Tracker::new(control, total, on_progress);
        let base = mean(&run_values(vs, output, &run_opts, control, &tracker)?);
        let mut bars = rows
            .par_iter()
            .map(
                |(key, path, unit, low_value, high_value)| -> Result<TornadoBar, AnalysisError> {
                    tracker.check()?;
                    let (low_value, high_value) = (*low_value, *high_value);
                    let at = |x: f64| -> Result<Vec<f64>, AnalysisError> {
                        let point = fix_inputs(vs, &[(path.as_str(), x)])?;
                        run_values(&point, output, &run_opts, control, &tracker)
                    };
                    let lo = at(low_value)?;
                    let hi = at(high_value)?;
                    let diffs: Vec<f64> = hi.iter().zip(&lo).map(|(h, l)| h - l).collect();
                    let swing = mean(&diffs);
                    let n = diffs.len() as f64;
                    let var = if diffs.len() > 1 {
                        diffs.iter().map(|d| (d - swing).powi(2)).sum::<f64>() / (n - 1.0)
                    } else {
                        0.0
                    };
                    Ok(TornadoBar {
                        path: path.clone(),
                        label: param_label(sc, *key),
                        key: *key,
                        unit,
                        low_value,
                        high_value,
                        output_low: mean(&lo),
                        output_high: mean(&hi),
                        swing,
                        swing_se: (var / n.max(1.0)).sqrt(),
                        correlated: is_correlated(sc, path),
                    })
                },
            )
            .collect::<Result<Vec<_>, _>>()?;
        // Largest swing first; ties keep the catalogue order (the sort is stable).
        bars.sort_by(|a, b| b.swing.abs().total_cmp(&a.swing.abs()));
        tracker.report();
        Ok(Tornado {
            output,
            output_id: output.id(sc),
            output_label: output.label(sc),
            base,
            bars,
            trials: opts.trials,
            seed: opts.seed,
            correlated_inputs: sc.correlations.iter().any(|c| c.rank != 0.0),
            stamp: crate::run::Stamp::new(vs, opts.seed, opts.trials),
        })
    })
}

/// Writes a tornado as CSV after the commented stamp, one row per input in rank order: `rank,
/// input, label, kind, input_p10, input_p90, input_unit, output, output_at_p10,
/// output_at_p90, swing, swing_se, base, output_unit, correlated, trials, seed`. `kind` is
/// `input` (an uncertain input, held at its 10th and 90th percentiles) or `structural` (a
/// setting, at the ends of its slider range, which the `input_p10` and `input_p90` columns
/// then hold).
pub fn write_tornado_csv(t: &Tornado, mut w: impl Write) -> Result<(), AnalysisError> {
    let io = |e: csv::Error| AnalysisError::Failed(format!("cannot write the CSV: {e}"));
    w.write_all(t.stamp.csv_comment().as_bytes())
        .map_err(|e| AnalysisError::Failed(format!("cannot write the CSV: {e}")))?;
    let mut wtr = csv::Writer::from_writer(w);
    wtr.write_record([
        "rank",
        "input",
        "label",
        "kind",
        "input_p10",
        "input_p90",
        "input_unit",
        "output",
        "output_at_p10",
        "output_at_p90",
        "swing",
        "swing_se",
        "base",
        "output_unit",
        "correlated",
        "trials",
        "seed",
    ])
    .map_err(io)?;
    let num = crate::text::fmt_csv;
    for (k, b) in t.bars.iter().enumerate() {
        wtr.write_record([
            (k + 1).to_string(),
            b.path.clone(),
            b.label.clone(),
            b.key.kind_id().to_string(),
            num(b.low_value),
            num(b.high_value),
            b.unit.to_string(),
            t.output_id.clone(),
            num(b.output_low),
            num(b.output_high),
            num(b.swing),
            num(b.swing_se),
            num(t.base),
            t.output.unit().to_string(),
            b.correlated.to_string(),
            t.trials.to_string(),
            t.seed.to_string(),
        ])
        .map_err(io)?;
    }
    wtr.flush()
        .map_err(|e| AnalysisError::Failed(format!("cannot write the CSV: {e}")))
}
