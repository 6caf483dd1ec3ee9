//! Sweeps over one and two inputs as the app shows them: a leverage curve (mean leverage with
//! its 90% band and P(deal) against one input) and a heatmap (any output over a grid of two).

use super::{Axis, SweepResult, SweepSpec, run_sweep};
use crate::analysis::output::{OutcomeStats, Output, PointStats};
use crate::analysis::{AnalysisError, OnProgress, ParamKey, find_param, param_label};
use crate::scenario::ValidScenario;
use crate::sim::{Control, RunOptions};
use crate::stats::{Outcome, Proportion};

/// One point of a leverage curve.
#[derive(Clone, Debug, PartialEq)]
pub struct CurvePoint {
    /// The input's value.
    pub x: f64,
    /// Side a's leverage: mean, standard error and quantiles (p5 and p95 are the 90% band).
    pub leverage_a: OutcomeStats,
    /// Side b's leverage.
    pub leverage_b: OutcomeStats,
    /// P(deal) (format version 1) or P(settled within the horizon).
    pub p_deal: Proportion,
    /// Every output at this point.
    pub stats: PointStats,
}

/// Mean leverage (with its 90% band) and P(deal) against one input.
#[derive(Clone, Debug, PartialEq)]
pub struct LeverageCurve {
    /// The input and its values.
    pub axis: Axis,
    /// Readable name of the input.
    pub label: String,
    /// The input's current value in the scenario (its median when uncertain), to mark.
    pub current: f64,
    /// One point per value of the axis, in order.
    pub points: Vec<CurvePoint>,
}

/// Runs a leverage curve: the scenario at each value of `axis`, every point with the same
/// `opts.seed` and `opts.trials` (common random numbers, so the curve is smooth).
pub fn leverage_curve(
    vs: &ValidScenario,
    axis: &Axis,
    opts: &RunOptions,
    control: &Control,
    on_progress: OnProgress,
) -> Result<LeverageCurve, AnalysisError> {
    let spec = SweepSpec {
        axes: vec![axis.clone()],
        trials: opts.trials,
        seed: opts.seed,
    };
    let info = find_param(vs.scenario(), &axis.path)?;
    let result = crate::analysis::in_pool(opts.threads, || {
        run_sweep(vs, &spec, None, control, on_progress)
    })?;
    let outcome = |s: &PointStats, o: Outcome| {
        s.outcomes
            .iter()
            .find(|(x, _)| *x == o)
            .map(|(_, c)| *c)
            .unwrap_or_default()
    };
    Ok(LeverageCurve {
        label: param_label(vs.scenario(), info.key),
        current: match info.key {
            ParamKey::Input(k) => vs
                .scenario()
                .input_by_key(k)
                .map_or(info.value, |i| i.value.central()),
            ParamKey::Structural(_) => info.value,
        },
        axis: result
            .spec
            .axes
            .first()
            .cloned()
            .unwrap_or_else(|| axis.clone()),
        points: result
            .points
            .into_iter()
            .map(|p| CurvePoint {
                x: p.values[0],
                leverage_a: outcome(&p.stats, Outcome::LeverageA),
                leverage_b: outcome(&p.stats, Outcome::LeverageB),
                p_deal: p.stats.p_deal,
                stats: p.stats,
            })
            .collect(),
    })
}

/// A grid of results over two inputs: any output of any cell, without running again.
#[derive(Clone, Debug, PartialEq)]
pub struct Heatmap {
    /// The input along the horizontal axis.
    pub x: Axis,
    /// The input along the vertical axis.
    pub y: Axis,
    /// Readable name of the x input.
    pub x_label: String,
    /// Readable name of the y input.
    pub y_label: String,
    /// The whole sweep (axes `[x, y]`: point `ix * y.steps + iy`).
    pub sweep: SweepResult,
}

impl Heatmap {
    /// Every output's statistics at cell `(ix, iy)`.
    pub fn cell(&self, ix: usize, iy: usize) -> Option<&PointStats> {
        self.sweep
            .points
            .get(ix * self.y.steps + iy)
            .map(|p| &p.stats)
    }

    /// One statistic of one output over the grid, `grid[iy][ix]` (rows along y).
    pub fn grid(&self, output: Output, stat: crate::analysis::Statistic) -> Vec<Vec<f64>> {
        (0..self.y.steps)
            .map(|iy| {
                (0..self.x.steps)
                    .map(|ix| {
                        self.cell(ix, iy)
                            .map_or(f64::NAN, |c| c.value(output, stat))
                    })
                    .collect()
            })
            .collect()
    }

    /// The input values of cell `(ix, iy)`, e.g. to set the scenario to them with
    /// [`crate::analysis::fix_inputs`].
    pub fn cell_values(&self, ix: usize, iy: usize) -> [(String, f64); 2] {
        [
            (self.x.path.clone(), self.x.value(ix)),
            (self.y.path.clone(), self.y.value(iy)),
        ]
    }
}

/// Runs a two-input grid for a heatmap, with common random numbers across cells.
pub fn heatmap(
    vs: &ValidScenario,
    x: &Axis,
    y: &Axis,
    opts: &RunOptions,
    control: &Control,
    on_progress: OnProgress,
) -> Result<Heatmap, AnalysisError> {
    let spec = SweepSpec {
        axes: vec![x.clone(), y.clone()],
        trials: opts.trials,
        seed: opts.seed,
    };
    let xi = find_param(vs.scenario(), &x.path)?;
    let yi = find_param(vs.scenario(), &y.path)?;
    let sweep = crate::analysis::in_pool(opts.threads, || {
        run_sweep(vs, &spec, None, control, on_progress)
    })?;
    Ok(Heatmap {
        x: sweep
            .spec
            .axes
            .first()
            .cloned()
            .unwrap_or_else(|| x.clone()),
        y: sweep.spec.axes.get(1).cloned().unwrap_or_else(|| y.clone()),
        x_label: param_label(vs.scenario(), xi.key),
        y_label: param_label(vs.scenario(), yi.key),
        sweep,
    })
}
