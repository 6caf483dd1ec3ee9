//! Analyses over many runs or many trials: which inputs matter, how outcomes move with one or
//! two inputs, and where deals fail. Every analysis runs in the calling thread (on the rayon
//! pool it is called from), reports progress through a plain callback, stops at the next
//! batch or point when its [`Control`] is cancelled, and names no UI; `crate::job::Job` runs
//! any of them on a background thread for the app. docs/ANALYSIS.md explains each method with its
//! reference.
//!
//! | module | owns |
//! |---|---|
//! | [`output`] | the outputs an analysis can look at (P(deal), P(package), outcome means) |
//! | [`axis`] | one axis of a sweep: its values as decimals, or whole months |
//! | [`sweep`] | grids of fixed input values (leverage curves, heatmaps, sharded sweeps), tidy CSV, merging shards |
//! | [`tornado`] | one-at-a-time swings between each input's 10th and 90th percentile |
//! | [`sobol`] | first-order and total Sobol indices (Saltelli design, Jansen estimators, bootstrap intervals) |
//! | [`prim`] | scenario discovery: the box of inputs where deals fail (PRIM) |
//! | [`quantile`] | fast quantile functions for sampling in quantile space |
//! | [`correlation`] | what the app and the command line show about declared correlations |
//!
//! Common random numbers: every run an analysis makes uses the same seed and trial count, and
//! each input draws from its own stream keyed by its field path, so holding one input fixed
//! leaves every other input's draws unchanged. Differences between points are then due to the
//! inputs that changed, not to sampling noise, and curves come out smooth.

pub mod axis;
pub mod correlation;
pub mod merge;
pub mod output;
pub mod prim;
pub mod quantile;
pub mod sobol;
pub mod sweep;
pub mod tornado;

use std::sync::atomic::{AtomicU64, Ordering};

use crate::scenario::registry::{BUILTIN_ATTRIBUTES, InputKey, spec_of};
use crate::scenario::{
    Dist, FieldSpec, Scenario, SideRef, SliderRange, StructuralKey, ValidScenario, validate,
};
use crate::sim::{Control, RunError};

pub use crate::job::Progress;
pub use output::{Output, Statistic};

/// Why an analysis did not finish.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    /// The request cannot be carried out as asked: an unknown input, a value outside its
    /// range, a malformed argument, shard files that do not belong together.
    #[error("{0}")]
    BadRequest(String),
    /// Cancelled through its [`Control`].
    #[error("the analysis was cancelled")]
    Cancelled,
    /// Anything else (out of memory, threads).
    #[error("{0}")]
    Failed(String),
}

impl<T> From<Result<T, AnalysisError>> for crate::job::JobOutcome<T> {
    fn from(r: Result<T, AnalysisError>) -> Self {
        match r {
            Ok(v) => crate::job::JobOutcome::Done(v),
            Err(AnalysisError::Cancelled) => crate::job::JobOutcome::Cancelled,
            Err(e) => crate::job::JobOutcome::Failed(e.to_string()),
        }
    }
}

impl From<RunError> for AnalysisError {
    fn from(e: RunError) -> Self {
        match e {
            RunError::Cancelled => AnalysisError::Cancelled,
            other => AnalysisError::Failed(other.to_string()),
        }
    }
}

/// The progress callback every analysis takes (called from worker threads).
pub type OnProgress<'a> = &'a (dyn Fn(Progress) + Sync);

/// Counts work for one analysis: trials the engine finished under `control` since the start,
/// plus work counted here directly.
pub(crate) struct Tracker<'a> {
    control: &'a Control,
    start: u64,
    extra: AtomicU64,
    total: u64,
    on_progress: OnProgress<'a>,
}

impl<'a> Tracker<'a> {
    pub(crate) fn new(control: &'a Control, total: u64, on_progress: OnProgress<'a>) -> Self {
        Tracker {
            control,
            start: control.done_trials(),
            extra: AtomicU64::new(0),
            total,
            on_progress,
        }
    }

    /// Reports progress now.
    pub(crate) fn report(&self) {
        let done = self.control.done_trials().saturating_sub(self.start)
            + self.extra.load(Ordering::Relaxed);
        (self.on_progress)(Progress {
            done: done.min(self.total),
            total: self.total,
        });
    }

    /// Counts `n` units of work done outside the engine and reports.
    pub(crate) fn add(&self, n: u64) {
        self.extra.fetch_add(n, Ordering::Relaxed);
        self.report();
    }

    /// `Err(Cancelled)` once the control is cancelled.
    pub(crate) fn check(&self) -> Result<(), AnalysisError> {
        if self.control.is_cancelled() {
            Err(AnalysisError::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// Fewest trials of interest (no-deal trials for "why no deal", the rarer side of a
/// probability for a tornado) an analysis rests on without a warning: with fewer, what it
/// finds may be chance.
pub const FEW_CASES: u64 = 100;

/// The warning for an analysis whose `cases` trials of interest (`what`, e.g. "end with no
/// deal") out of `trials` are fewer than [`FEW_CASES`], with how many trials would give
/// enough at the same share; `None` when there are enough, or none at all.
pub fn few_cases_warning(cases: u64, trials: u64, what: &str) -> Option<String> {
    if cases == 0 || cases >= FEW_CASES {
        return None;
    }
    let needed = (FEW_CASES as f64 * trials as f64 / cases as f64).ceil();
    Some(format!(
        "only {cases} of {} trials {what}: too few for this analysis, and what it finds may be \
         chance; run about {} trials (at this share, {FEW_CASES} would {what})",
        crate::text::group_thousands(trials as f64),
        crate::text::group_thousands(needed),
    ))
}

/// Runs `f` on a pool of `threads` workers (one per core when `None`). The pool is built
/// here rather than taken from rayon's global one, so that threads the system refuses
/// (`ulimit -u`) are an error, not a panic.
pub fn in_pool<T: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> Result<T, AnalysisError> + Send,
) -> Result<T, AnalysisError> {
    match threads {
        // Already inside a pool (an analysis calling another): stay in it.
        None if rayon::current_thread_index().is_some() => f(),
        t => rayon::ThreadPoolBuilder::new()
            .num_threads(t.unwrap_or(0))
            .thread_name(|i| format!("armistice-analysis-{i}"))
            .build()
            .map_err(|e| AnalysisError::Failed(format!("cannot start worker threads: {e}")))?
            .install(f),
    }
}

/// What a sweep, a curve or a heatmap axis can vary: an input of the catalogue, or a
/// structural setting (a plain number of the file, such as the horizon or a delivery lag).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamKey {
    /// An input (a number or a distribution); some set the war's geometry or calendar
    /// ([`InputKey::is_structural`]).
    Input(InputKey),
    /// A plain number of the file.
    Structural(StructuralKey),
}

impl ParamKey {
    /// `input` or `structural`: the kind column of `armistice inputs` and of sensitivity CSVs.
    pub fn kind_id(&self) -> &'static str {
        match self {
            ParamKey::Input(k) if !k.is_structural() => "input",
            ParamKey::Input(_) | ParamKey::Structural(_) => "structural",
        }
    }
}

/// One number of a scenario that analyses can set.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// What it is.
    pub key: ParamKey,
    /// Field path, as `armistice inputs` lists it and `--vary` takes it.
    pub path: String,
    /// Unit and the range valid in this scenario; `integer` for whole months.
    pub spec: FieldSpec,
    /// The value as a person reads it: as written when fixed, the median rounded to the
    /// distribution's own precision when uncertain (see `Dist::shown_value`), to a whole
    /// month for a month.
    pub value: f64,
    /// The slider range `armistice inputs` lists and the app offers for axes.
    pub slider: SliderRange,
    /// True for an input given as a distribution.
    pub uncertain: bool,
    /// True when sweeps, curves and heatmaps take whole values only: a whole-month setting
    /// (`spec.integer`), or an event's month, which the model rounds to a whole month (a
    /// fixed event month may still be written with a fraction, and an uncertain one held at
    /// a fractional quantile).
    pub whole: bool,
}

/// Every input, then every structural setting, of a scenario.
pub fn params(sc: &Scenario) -> Vec<Param> {
    let inputs = sc.inputs().into_iter().map(|i| Param {
        key: ParamKey::Input(i.key),
        slider: i.slider_range(),
        spec: *i.spec,
        // A drawn month is rounded to a whole month: its median is the median month.
        value: if i.spec.integer {
            i.input.value.shown_value().round()
        } else {
            i.input.value.shown_value()
        },
        uncertain: !i.input.value.is_fixed(),
        whole: i.spec.integer || matches!(i.key, InputKey::EventMonth(_)),
        path: i.path,
    });
    let settings = sc.structural().into_iter().map(|s| Param {
        key: ParamKey::Structural(s.key),
        slider: s.slider_range(),
        spec: s.spec,
        value: s.value,
        uncertain: false,
        whole: s.spec.integer,
        path: s.path,
    });
    inputs.chain(settings).collect()
}

fn not_found(sc: &Scenario, path: &str) -> AnalysisError {
    let params = params(sc);
    let needle = path.rsplit('.').next().unwrap_or(path);
    let close: Vec<&str> = params
        .iter()
        .filter(|i| i.path.contains(needle))
        .map(|i| i.path.as_str())
        .take(5)
        .collect();
    let hint = if close.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", close.join(", "))
    };
    AnalysisError::BadRequest(format!(
        "\"{path}\" is not an input of this scenario{hint}; `armistice inputs FILE` lists the names"
    ))
}

/// The input or structural setting with a field path, or a clear error that names close
/// matches.
pub fn find_param(sc: &Scenario, path: &str) -> Result<Param, AnalysisError> {
    params(sc)
        .into_iter()
        .find(|p| p.path == path)
        .ok_or_else(|| not_found(sc, path))
}

/// Checks that `value` is a valid fixed value of the input or setting at `path` (a whole
/// number for a whole-month setting).
pub fn check_value(sc: &Scenario, path: &str, value: f64) -> Result<(), AnalysisError> {
    let param = find_param(sc, path)?;
    if param.spec.integer && value.is_finite() && value.fract() != 0.0 {
        return Err(AnalysisError::BadRequest(format!(
            "{path} takes whole {}: {} is not a whole number",
            param.spec.unit,
            crate::text::fmt_exact(value)
        )));
    }
    if param.spec.accepts(value) {
        Ok(())
    } else {
        Err(AnalysisError::BadRequest(format!(
            "{path} = {} is outside its allowed range: it must be {} ({})",
            crate::text::fmt_exact(value),
            param.spec.describe_range(),
            param.spec.unit
        )))
    }
}

/// The scenario with each `(path, value)` input held at that fixed value, or each structural
/// setting set to it, validated again. Declared correlations that involve a held input are
/// dropped (a fixed value cannot be correlated); the other input of such a pair is then drawn
/// from its own distribution.
pub fn fix_inputs(
    vs: &ValidScenario,
    fixes: &[(&str, f64)],
) -> Result<ValidScenario, AnalysisError> {
    let mut sc = vs.scenario().clone();
    for &(path, value) in fixes {
        check_value(&sc, path, value)?;
        if !sc.update_input(path, |i| i.value = Dist::Fixed(value)) {
            let key = sc
                .structural_at(path)
                .map(|s| s.key)
                .ok_or_else(|| not_found(&sc, path))?;
            sc.set_structural(key, value)
                .map_err(AnalysisError::BadRequest)?;
        }
        sc.correlations.retain(|c| c.a != path && c.b != path);
    }
    validate(sc).map_err(|issues| {
        AnalysisError::BadRequest(
            issues
                .iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

/// The declared correlations that holding the inputs at `paths` fixed drops, as
/// `"a ~ b"` texts (for a note to the user).
pub fn dropped_correlations(sc: &Scenario, paths: &[&str]) -> Vec<String> {
    sc.correlations
        .iter()
        .filter(|c| paths.contains(&c.a.as_str()) || paths.contains(&c.b.as_str()))
        .map(|c| format!("{} ~ {} (rank {})", c.a, c.b, c.rank))
        .collect()
}

/// True when the input at `path` takes part in a declared (non-zero) correlation.
pub fn is_correlated(sc: &Scenario, path: &str) -> bool {
    sc.correlations
        .iter()
        .any(|c| c.rank != 0.0 && (c.a == path || c.b == path))
}

fn side_name(sc: &Scenario, s: SideRef) -> &str {
    match s {
        SideRef::A => &sc.sides.a.name,
        SideRef::B => &sc.sides.b.name,
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A readable name of an input for plots and reports, e.g. "Russia patience",
/// "Exchange ratio", "US: new aid after the inauguration: amount".
pub fn input_label(sc: &Scenario, key: InputKey) -> String {
    let spec = spec_of(key);
    let attr = |k: usize| -> String {
        sc.attribute_names()
            .get(k)
            .cloned()
            .unwrap_or_else(|| BUILTIN_ATTRIBUTES[0].to_string())
            .replace('_', " ")
    };
    match key {
        InputKey::Side(s, _) => format!("{} {}", side_name(sc, s), lower_first(spec.label)),
        InputKey::Battle(_) => spec.label.to_string(),
        InputKey::AidAmount(i) => format!("{}: amount", aid_name(sc, i)),
        InputKey::AidContinue(i) => format!("{}: continuation probability", aid_name(sc, i)),
        InputKey::AidCutoffMonth(i) => format!("{}: cut-off month", aid_name(sc, i)),
        InputKey::TroopSize(i) | InputKey::TroopArrival(i) | InputKey::TroopEffectiveness(i) => {
            format!(
                "{}: {}",
                sc.troops.get(i).map_or("troops", |t| t.name.as_str()),
                lower_first(spec.label)
            )
        }
        InputKey::Weight(s, k) => format!("{} weight on {}", side_name(sc, s), attr(k)),
        InputKey::PackageTerritory(i) => format!(
            "{}: territory kept by {}",
            package_name(sc, i),
            sc.sides.a.name
        ),
        InputKey::PackageAttr(i, k) => format!("{}: {}", package_name(sc, i), attr(k)),
        InputKey::EventMonth(e) => format!("{}: month", event_name(sc, e)),
        InputKey::EventHazard(e) => format!("{}: monthly hazard", event_name(sc, e)),
        InputKey::EventProbability(e) => format!("{}: probability", event_name(sc, e)),
        InputKey::EventChange(e, c, _) => format!(
            "{}: change of {}",
            event_name(sc, e),
            sc.events
                .get(e)
                .and_then(|ev| ev.changes.get(c))
                .map_or("an input", |ch| ch.target())
        ),
        InputKey::LeverProbability(l) => format!("{}: probability", lever_name(sc, l)),
        InputKey::LeverChange(l, c, _) => format!(
            "{}: change of {}",
            lever_name(sc, l),
            sc.pressure
                .get(l)
                .and_then(|lv| lv.changes.get(c))
                .map_or("an input", |ch| ch.target())
        ),
    }
}

/// A readable name of an input or structural setting, e.g. "Russia patience", "Horizon",
/// "US: new aid after the inauguration: cut-off month".
pub fn param_label(sc: &Scenario, key: ParamKey) -> String {
    match key {
        ParamKey::Input(k) => input_label(sc, k),
        ParamKey::Structural(k) => structural_label(sc, k),
    }
}

/// A readable name of a structural setting.
pub fn structural_label(sc: &Scenario, key: StructuralKey) -> String {
    let label = sc.structural_spec(key).map_or("setting", |s| s.label);
    match key {
        StructuralKey::Horizon => "Horizon".into(),
        StructuralKey::Shift => "Shift of power projected over".into(),
        StructuralKey::AidLag(s)
        | StructuralKey::AidFromMonth(s)
        | StructuralKey::AidToMonth(s) => format!("{}: {}", aid_name(sc, s), lower_first(label)),
        StructuralKey::LeverFromMonth(l) => format!("{}: first month", lever_name(sc, l)),
    }
}

fn event_name(sc: &Scenario, e: usize) -> &str {
    sc.events.get(e).map_or("event", |x| x.name.as_str())
}

fn lever_name(sc: &Scenario, l: usize) -> &str {
    sc.pressure.get(l).map_or("lever", |x| x.name.as_str())
}

/// The readable name of aid stream `i`'s continuation event, e.g.
/// "US: new aid after the inauguration continues".
pub fn event_label(sc: &Scenario, i: usize) -> String {
    format!("{} continues", aid_name(sc, i))
}

fn aid_name(sc: &Scenario, i: usize) -> &str {
    sc.aid.get(i).map_or("aid", |a| a.name.as_str())
}

fn package_name(sc: &Scenario, i: usize) -> &str {
    sc.bargaining
        .packages
        .get(i)
        .map_or("package", |p| p.name.as_str())
}

/// The aid streams whose continuation is left to chance (a cut-off whose continuation
/// probability is not certainly 0 or 1).
pub(crate) fn chance_streams(vs: &ValidScenario, engine: &crate::sim::Engine) -> Vec<usize> {
    let inputs = vs.inputs();
    engine
        .structure()
        .aid
        .iter()
        .enumerate()
        .filter_map(|(s, plan)| {
            let slot = plan.continue_probability?;
            let info = inputs.get(slot)?;
            let (lo, hi) = info.input.value.support();
            let certain = match info.input.value {
                crate::scenario::Dist::Fixed(p) => p <= 0.0 || p >= 1.0,
                _ => lo >= 1.0 || hi <= 0.0,
            };
            (!certain).then_some(s)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_cases_warn_below_the_threshold_only() {
        assert_eq!(few_cases_warning(0, 1000, "end with no deal"), None);
        assert_eq!(few_cases_warning(FEW_CASES, 1000, "end with no deal"), None);
        let w = few_cases_warning(20, 2000, "end with no deal").unwrap();
        assert!(
            w.starts_with("only 20 of 2,000 trials end with no deal: too few"),
            "{w}"
        );
        // 100 at a share of 1% takes 10,000 trials.
        assert!(w.contains("run about 10,000 trials"), "{w}");
        assert!(few_cases_warning(FEW_CASES - 1, 1000, "x").is_some());
    }
}
