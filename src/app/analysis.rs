//! The app's analyses: which inputs matter (tornado, Sobol), how outcomes move with one or
//! two inputs (leverage curve, heatmap), and why deals fail (PRIM). One analysis runs in the
//! background at a time, with progress and cancel, like the main run; results are kept per
//! kind with the hash of the scenario they were computed for.

use std::sync::Arc;

use crate::analysis::prim::{PrimOptions, WhyNoDeal, why_no_deal};
use crate::analysis::sobol::{ScenarioSobol, SobolOptions, sobol};
use crate::analysis::sweep::{Axis, Heatmap, LeverageCurve, heatmap, leverage_curve};
use crate::analysis::tornado::{Tornado, tornado};
use crate::analysis::{AnalysisError, Output, Progress};
use crate::job::{Job, JobOutcome, Waker};
use crate::scenario::{Scenario, ValidScenario, scenario_hash};
use crate::sim::RunOptions;

/// Which analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AnalysisKind {
    /// Swings of an output with each input at its 10th and 90th percentile.
    Tornado,
    /// First-order and total Sobol indices.
    Sobol,
    /// Mean leverage and P(deal) against one input.
    Curve,
    /// Any output over a grid of two inputs.
    Heatmap,
    /// The inputs' box where deals fail (PRIM).
    WhyNoDeal,
}

impl AnalysisKind {
    /// Every kind, in the order the panel offers them.
    pub const ALL: [AnalysisKind; 5] = [
        AnalysisKind::Tornado,
        AnalysisKind::Sobol,
        AnalysisKind::Curve,
        AnalysisKind::Heatmap,
        AnalysisKind::WhyNoDeal,
    ];

    /// The name on the panel's tab.
    pub fn label(self) -> &'static str {
        match self {
            AnalysisKind::Tornado => "Tornado",
            AnalysisKind::Sobol => "Sobol indices",
            AnalysisKind::Curve => "Leverage curve",
            AnalysisKind::Heatmap => "2-D sweep",
            AnalysisKind::WhyNoDeal => "Why no deal",
        }
    }

    /// The figure of this analysis.
    pub fn plot(self) -> crate::figure::PlotKind {
        use crate::figure::PlotKind;
        match self {
            AnalysisKind::Tornado => PlotKind::Tornado,
            AnalysisKind::Sobol => PlotKind::Sobol,
            AnalysisKind::Curve => PlotKind::Curve,
            AnalysisKind::Heatmap => PlotKind::Heatmap,
            AnalysisKind::WhyNoDeal => PlotKind::WhyNoDeal,
        }
    }

    /// What it does, in a sentence or two, under the tabs.
    pub fn help(self) -> &'static str {
        match self {
            AnalysisKind::Tornado => {
                "How much the chosen output moves when each uncertain input is held at its 10th \
                 and at its 90th percentile, all else drawn as usual (same random draws)."
            }
            AnalysisKind::Sobol => {
                "Global sensitivity: the share of the output's variance each input explains \
                 alone (S1) and with its interactions (ST), with bootstrap confidence intervals."
            }
            AnalysisKind::Curve => {
                "Mean leverage (with its 90% band) and P(deal) as one input moves over a range, \
                 with the same random draws at every point so the curve is smooth."
            }
            AnalysisKind::Heatmap => {
                "A chosen output over a grid of two inputs. Hover a cell for its values; click \
                 a cell to set the scenario to them."
            }
            AnalysisKind::WhyNoDeal => {
                "Scenario discovery (PRIM): the ranges of inputs where the trials without a deal \
                 concentrate, as a list of conditions with their coverage and density."
            }
        }
    }
}

/// A finished analysis.
#[derive(Clone, Debug)]
pub enum AnalysisResult {
    /// A tornado.
    Tornado(Tornado),
    /// Sobol indices.
    Sobol(Box<ScenarioSobol>),
    /// A leverage curve.
    Curve(LeverageCurve),
    /// A heatmap's whole grid.
    Heatmap(Box<Heatmap>),
    /// The conditions under which deals fail.
    WhyNoDeal(Box<WhyNoDeal>),
}

impl AnalysisResult {
    /// Which analysis it is.
    pub fn kind(&self) -> AnalysisKind {
        match self {
            AnalysisResult::Tornado(_) => AnalysisKind::Tornado,
            AnalysisResult::Sobol(_) => AnalysisKind::Sobol,
            AnalysisResult::Curve(_) => AnalysisKind::Curve,
            AnalysisResult::Heatmap(_) => AnalysisKind::Heatmap,
            AnalysisResult::WhyNoDeal(_) => AnalysisKind::WhyNoDeal,
        }
    }
}

/// One range of an input for a curve or a heatmap axis.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisChoice {
    pub path: String,
    pub from: f64,
    pub to: f64,
    pub steps: usize,
}

/// What the analysis panel asks for and holds.
pub struct AnalysisState {
    pub kind: AnalysisKind,
    /// Output id (see `analysis::Output::id`).
    pub output: String,
    /// Trials per run of an analysis.
    pub trials: u64,
    pub sobol_samples: usize,
    pub curve: AxisChoice,
    pub heat_x: AxisChoice,
    pub heat_y: AxisChoice,
    job: Option<(AnalysisKind, Job<AnalysisResult>, String)>,
    /// Latest result of each kind, with the hash of the scenario it was computed for.
    pub results: Vec<(AnalysisResult, String)>,
    pub error: Option<String>,
}

impl AnalysisState {
    /// Defaults for a scenario: the first aid stream's amount for the curve (or the first
    /// input), two inputs for the heatmap.
    pub fn new(sc: &Scenario) -> Self {
        let inputs = crate::analysis::params(sc);
        let pick = |pred: &dyn Fn(&str) -> bool, fallback: usize| {
            inputs
                .iter()
                .find(|i| pred(&i.path))
                .or_else(|| inputs.get(fallback))
                .map(axis_for)
                .unwrap_or(AxisChoice {
                    path: String::new(),
                    from: 0.0,
                    to: 1.0,
                    steps: 9,
                })
        };
        let curve = pick(
            &|p| p.starts_with("aid[") && p.ends_with("amount_usd_bn"),
            0,
        );
        let heat_x = AxisChoice {
            steps: 9,
            ..pick(
                &|p| p.starts_with("aid[") && p.ends_with("amount_usd_bn"),
                0,
            )
        };
        let heat_y = AxisChoice {
            steps: 9,
            ..pick(
                &|p| p.ends_with("exchange_ratio") || p.ends_with("stalemate"),
                1,
            )
        };
        AnalysisState {
            kind: AnalysisKind::Tornado,
            output: "leverage_a".into(),
            trials: 10_000,
            sobol_samples: 1024,
            curve,
            heat_x,
            heat_y,
            job: None,
            results: Vec::new(),
            error: None,
        }
    }

    /// The latest result of a kind and whether it was computed for `hash`.
    pub fn result(&self, kind: AnalysisKind, hash: &str) -> Option<(&AnalysisResult, bool)> {
        self.results
            .iter()
            .find(|(r, _)| r.kind() == kind)
            .map(|(r, h)| (r, h == hash))
    }

    /// Progress of the analysis in flight, if any, with its kind.
    pub fn running(&self) -> Option<(AnalysisKind, Progress)> {
        self.job.as_ref().map(|(k, j, _)| (*k, j.progress()))
    }

    pub fn cancel(&mut self) {
        if let Some((_, job, _)) = self.job.take() {
            job.cancel();
        }
    }

    /// Starts the current kind on `vs` (cancelling any analysis in flight).
    pub fn start(&mut self, vs: Arc<ValidScenario>, waker: Waker) {
        self.cancel();
        self.error = None;
        let kind = self.kind;
        let hash = scenario_hash(vs.scenario());
        let opts = RunOptions {
            trials: self.trials.max(100),
            seed: vs.simulation.seed,
            threads: None,
        };
        let output = match Output::parse(&self.output, vs.scenario()) {
            Ok(o) => o,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        let curve = Axis::new(
            self.curve.path.clone(),
            self.curve.from,
            self.curve.to,
            self.curve.steps,
        );
        let x = Axis::new(
            self.heat_x.path.clone(),
            self.heat_x.from,
            self.heat_x.to,
            self.heat_x.steps,
        );
        let y = Axis::new(
            self.heat_y.path.clone(),
            self.heat_y.from,
            self.heat_y.to,
            self.heat_y.steps,
        );
        let sobol_opts = SobolOptions {
            samples: self.sobol_samples.max(64),
            seed: vs.simulation.seed,
            ..SobolOptions::default()
        };
        let job = Job::spawn(
            "analysis",
            move |control, progress| {
                let result = || -> Result<AnalysisResult, AnalysisError> {
                    Ok(match kind {
                        AnalysisKind::Tornado => {
                            AnalysisResult::Tornado(tornado(&vs, output, &opts, control, progress)?)
                        }
                        AnalysisKind::Sobol => AnalysisResult::Sobol(Box::new(sobol(
                            &vs,
                            output,
                            &sobol_opts,
                            None,
                            control,
                            progress,
                        )?)),
                        AnalysisKind::Curve => AnalysisResult::Curve(leverage_curve(
                            &vs, &curve, &opts, control, progress,
                        )?),
                        AnalysisKind::Heatmap => AnalysisResult::Heatmap(Box::new(heatmap(
                            &vs, &x, &y, &opts, control, progress,
                        )?)),
                        AnalysisKind::WhyNoDeal => AnalysisResult::WhyNoDeal(Box::new(
                            why_no_deal(&vs, &opts, &PrimOptions::default(), control, progress)?,
                        )),
                    })
                };
                result().into()
            },
            waker,
        );
        self.job = Some((kind, job, hash));
    }

    /// Collects a finished analysis. Returns true when something changed.
    pub fn poll(&mut self) -> bool {
        let Some((_, job, _)) = self.job.as_mut() else {
            return false;
        };
        let Some(outcome) = job.poll() else {
            return false;
        };
        let hash = self.job.take().map(|(_, _, h)| h).unwrap_or_default();
        match outcome {
            JobOutcome::Done(r) => {
                let kind = r.kind();
                self.results.retain(|(old, _)| old.kind() != kind);
                self.results.push((r, hash));
            }
            JobOutcome::Cancelled => {}
            JobOutcome::Failed(e) => self.error = Some(e),
        }
        true
    }
}

/// The figure of the latest analysis of `kind`'s sort (`None` when there is none yet): the
/// heatmap of the output chosen now, with the scenario's current point marked.
pub fn figure(
    state: &crate::app::state::AppState,
    kind: crate::figure::PlotKind,
) -> Option<crate::figure::Figure> {
    use crate::figure::analysis as fa;
    let a = &state.analysis;
    let vs = &state.doc.last_valid;
    let sc = vs.scenario();
    let result = a
        .results
        .iter()
        .map(|(r, _)| r)
        .find(|r| r.kind().plot() == kind)?;
    Some(match result {
        AnalysisResult::Tornado(t) => fa::tornado(t),
        AnalysisResult::Sobol(s) => fa::sobol(s),
        AnalysisResult::Curve(c) => fa::curve(c, &sc.sides.a.name, sc.version >= 2),
        AnalysisResult::Heatmap(h) => {
            let output = Output::parse(&a.output, sc).unwrap_or(Output::PDeal);
            let current = fa::current_point(vs, &h.x.path, &h.y.path);
            fa::heatmap(h, output, &output.label(sc), current)
        }
        AnalysisResult::WhyNoDeal(w) => fa::why_no_deal(w, sc.version >= 2),
    })
}

/// An axis over the slider range of an input or structural setting (see
/// `scenario::FieldSpec::slider_range`): whole ends, and at most one step per whole month, for
/// a whole-month setting or an event's month.
pub fn axis_for(param: &crate::analysis::Param) -> AxisChoice {
    let range = param.slider;
    let steps = if param.whole {
        ((range.max - range.min) as usize + 1).clamp(2, 11)
    } else {
        11
    };
    AxisChoice {
        path: param.path.clone(),
        from: range.min,
        to: range.max,
        steps,
    }
}
