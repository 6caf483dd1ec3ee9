//! "Why no deal": scenario discovery with PRIM, the Patient Rule Induction Method (J. H.
//! Friedman and N. I. Fisher (1999), Bump hunting in high-dimensional data, Statistics and
//! Computing 9, 123-143), as used for scenario discovery by Bryant and Lempert (2010).
//!
//! Over the trials of a run, PRIM looks for a box (a range of each input) inside which the
//! trials of interest (here: no deal) concentrate. It starts from the box holding every trial
//! and peels: at each step it considers, for every input, cutting off the share `alpha` of
//! the remaining trials with the lowest or with the highest values of that input (for a
//! yes/no variable: all trials with one of its values), and makes the cut that raises the
//! share of trials of interest inside the box the most per share of the box it removes (the
//! "lenient" peeling objective of the EMA Workbench, Kwakkel 2017; plain PRIM takes the cut
//! with the highest share left, which lets a yes/no cut of most of the box win at once).
//! Each step's box is one point of the *trajectory*, with its
//!
//! - coverage: the share of all trials of interest that lie in the box, and
//! - density: the share of the trials in the box that are of interest.
//!
//! Peeling stops when the box would hold fewer than `min_support` of all trials or no cut
//! raises the density. The reported box is the densest one on the trajectory that still
//! covers at least `min_coverage` of the trials of interest. A yes/no variable (whether an
//! aid stream continues) is cut a whole category at a time. This implementation peels only
//! (no pasting).
//!
//! Over 600 lines only with its tests, which check the method on hand-built cases.

use rayon::prelude::*;

use super::{AnalysisError, OnProgress, Tracker, event_label, input_label};
use crate::scenario::ValidScenario;
use crate::sim::{BATCH, Control, Engine, RunOptions, RunOutput};
use crate::text::fmt_quantity;

/// How a variable is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    /// A number.
    Continuous,
    /// 0 (no) or 1 (yes).
    Binary,
}

/// The data PRIM looks at: one column per variable, one entry per observation, and which
/// observations are of interest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PrimData {
    /// Identifiers (field paths for inputs).
    pub names: Vec<String>,
    /// Readable names for the conditions.
    pub labels: Vec<String>,
    pub kinds: Vec<VarKind>,
    /// `columns[j][i]`: variable `j` of observation `i`.
    pub columns: Vec<Vec<f64>>,
    /// True for the observations of interest.
    pub target: Vec<bool>,
}

/// Settings of PRIM.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrimOptions {
    /// Share of the box's observations each peel removes.
    pub alpha: f64,
    /// Smallest share of all observations a box may hold.
    pub min_support: f64,
    /// The reported box is the densest with at least this coverage.
    pub min_coverage: f64,
}

impl Default for PrimOptions {
    fn default() -> Self {
        PrimOptions {
            alpha: 0.05,
            min_support: 0.05,
            min_coverage: 0.5,
        }
    }
}

impl PrimOptions {
    /// Checks every setting against its valid range; the error names the setting.
    pub fn check(&self) -> Result<(), AnalysisError> {
        for (name, x, lo, hi) in [
            ("--alpha", self.alpha, 0.0, 0.5),
            ("--min-support", self.min_support, 0.0, 1.0),
            ("--min-coverage", self.min_coverage, 0.0, 1.0),
        ] {
            if !(x > lo && x <= hi) {
                return Err(AnalysisError::BadRequest(format!(
                    "{name} must be above {lo} and at most {hi}, got {x}"
                )));
            }
        }
        Ok(())
    }
}

/// One box of the peeling trajectory.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimBox {
    /// Lower and upper limit of each variable (inclusive).
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    /// Observations in the box, and those of interest among them.
    pub count: usize,
    pub hits: usize,
    /// Share of all observations of interest that are in the box.
    pub coverage: f64,
    /// Share of the box's observations that are of interest.
    pub density: f64,
    /// Share of all observations in the box.
    pub support: f64,
}

/// A limit of the reported box on one variable, as data and as text.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub variable: usize,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// E.g. "Exchange ratio >= 2.8" or "US: new aid after the inauguration continues: no".
    pub text: String,
}

/// The result of PRIM.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimResult {
    /// Step 0 is the box of all observations.
    pub trajectory: Vec<PrimBox>,
    /// Index of the reported box in the trajectory.
    pub selected: usize,
    pub observations: usize,
    pub hits: usize,
    /// Smallest and largest value of each variable over all observations.
    pub data_min: Vec<f64>,
    pub data_max: Vec<f64>,
}

impl PrimResult {
    /// The reported box.
    pub fn selected_box(&self) -> &PrimBox {
        &self.trajectory[self.selected]
    }

    /// The limits of trajectory box `step` that cut into the data, as readable conditions.
    pub fn conditions(&self, data: &PrimData, step: usize) -> Vec<Condition> {
        let Some(b) = self.trajectory.get(step) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for j in 0..b.lower.len() {
            let lo = (b.lower[j] > self.data_min[j]).then_some(b.lower[j]);
            let hi = (b.upper[j] < self.data_max[j]).then_some(b.upper[j]);
            if lo.is_none() && hi.is_none() {
                continue;
            }
            let label = data.labels.get(j).map_or("?", String::as_str);
            let text = match (data.kinds.get(j), lo, hi) {
                (Some(VarKind::Binary), Some(_), _) => format!("{label}: yes"),
                (Some(VarKind::Binary), None, Some(_)) => format!("{label}: no"),
                (_, Some(l), Some(h)) => {
                    format!(
                        "{label} between {} and {}",
                        fmt_quantity(l),
                        fmt_quantity(h)
                    )
                }
                (_, Some(l), None) => format!("{label} at least {}", fmt_quantity(l)),
                (_, None, Some(h)) => format!("{label} at most {}", fmt_quantity(h)),
                (_, None, None) => continue,
            };
            out.push(Condition {
                variable: j,
                lower: lo,
                upper: hi,
                text,
            });
        }
        out
    }
}

/// One candidate cut.
struct Peel {
    var: usize,
    high: bool,
    removed: usize,
    removed_hits: usize,
    /// The new limit (smallest or largest value left in the box).
    limit: f64,
    density: f64,
}

/// The state of the box a peel starts from.
struct Peeling<'a> {
    data: &'a PrimData,
    in_box: &'a [bool],
    /// Observations each peel removes at least.
    r: usize,
    count: usize,
    hits: usize,
}

/// Walks the in-box observations of one variable from one end and finds the cut removing at
/// least `r` of them (and every tie of the last one removed).
fn candidate(st: &Peeling, order: &[usize], var: usize, high: bool) -> Option<Peel> {
    let (data, in_box, r, count, hits) = (st.data, st.in_box, st.r, st.count, st.hits);
    let col = &data.columns[var];
    let mut removed = 0usize;
    let mut removed_hits = 0usize;
    let mut last: Option<f64> = None;
    let mut limit: Option<f64> = None;
    let mut walk = |i: usize| -> bool {
        if !in_box[i] {
            return true;
        }
        let x = col[i];
        if removed >= r && last.is_some_and(|l| l != x) {
            limit = Some(x);
            return false;
        }
        removed += 1;
        removed_hits += usize::from(data.target[i]);
        last = Some(x);
        true
    };
    if high {
        for &i in order.iter().rev() {
            if !walk(i) {
                break;
            }
        }
    } else {
        for &i in order {
            if !walk(i) {
                break;
            }
        }
    }
    let limit = limit?;
    if removed >= count {
        return None;
    }
    Some(Peel {
        var,
        high,
        removed,
        removed_hits,
        limit,
        density: (hits - removed_hits) as f64 / (count - removed) as f64,
    })
}

/// An empty vector with room for `len` items, for the data of `trials` trials, or "not enough
/// memory" (which the caller reports with a suggestion) instead of an abort.
fn room<T>(len: usize, trials: usize) -> Result<Vec<T>, AnalysisError> {
    let mut v = Vec::new();
    v.try_reserve_exact(len)
        .map_err(|_| AnalysisError::Failed(format!("not enough memory for {trials} trials")))?;
    Ok(v)
}

/// Runs PRIM's peeling on `data`. Cancellation is checked at every step.
pub fn prim(
    data: &PrimData,
    opts: &PrimOptions,
    control: &Control,
) -> Result<PrimResult, AnalysisError> {
    opts.check()?;
    let n = data.target.len();
    let d = data.columns.len();
    if n == 0 || data.columns.iter().any(|c| c.len() != n) {
        return Err(AnalysisError::BadRequest(
            "PRIM needs at least one observation and columns of equal length".into(),
        ));
    }
    let total_hits = data.target.iter().filter(|t| **t).count();
    let (data_min, data_max): (Vec<f64>, Vec<f64>) = data
        .columns
        .iter()
        .map(|c| {
            c.iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                    (lo.min(x), hi.max(x))
                })
        })
        .unzip();
    // Each variable's observations in increasing order (ties by index: a total order, so an
    // unstable sort, which allocates nothing, gives the one answer).
    let orders: Vec<Vec<usize>> = data
        .columns
        .par_iter()
        .map(|c| {
            let mut o = room::<usize>(n, n)?;
            o.extend(0..n);
            o.sort_unstable_by(|&a, &b| c[a].total_cmp(&c[b]).then(a.cmp(&b)));
            Ok(o)
        })
        .collect::<Result<_, AnalysisError>>()?;
    let mut in_box = room(n, n)?;
    in_box.resize(n, true);
    let mut count = n;
    let mut hits = total_hits;
    let mut lower = data_min.clone();
    let mut upper = data_max.clone();
    let make_box = |lower: &Vec<f64>, upper: &Vec<f64>, count: usize, hits: usize| PrimBox {
        lower: lower.clone(),
        upper: upper.clone(),
        count,
        hits,
        coverage: if total_hits > 0 {
            hits as f64 / total_hits as f64
        } else {
            0.0
        },
        density: hits as f64 / count.max(1) as f64,
        support: count as f64 / n as f64,
    };
    let mut trajectory = vec![make_box(&lower, &upper, count, hits)];
    loop {
        if total_hits == 0 {
            break;
        }
        if control.is_cancelled() {
            return Err(AnalysisError::Cancelled);
        }
        let r = ((opts.alpha * count as f64).floor() as usize).max(1);
        let density = hits as f64 / count as f64;
        let state = Peeling {
            data,
            in_box: &in_box,
            r,
            count,
            hits,
        };
        let best = (0..d)
            .into_par_iter()
            .flat_map_iter(|j| {
                let state = &state;
                let order = &orders[j];
                [false, true]
                    .into_iter()
                    .filter_map(move |high| candidate(state, order, j, high))
            })
            .collect::<Vec<Peel>>()
            .into_iter()
            .reduce(|a, b| {
                // The gain in density per share of the box removed: a yes/no variable, which
                // can only be cut a whole category at a time, must not win just by cutting
                // much at once.
                let gain = |p: &Peel| (p.density - density) * count as f64 / p.removed as f64;
                let (ga, gb) = (gain(&a), gain(&b));
                let better = gb > ga || (gb == ga && b.removed < a.removed);
                if better { b } else { a }
            });
        let Some(p) = best else { break };
        if p.density <= density + 1e-12 {
            break;
        }
        if ((count - p.removed) as f64) < opts.min_support * n as f64 {
            break;
        }
        let col = &data.columns[p.var];
        for i in 0..n {
            let out = if p.high {
                col[i] > p.limit
            } else {
                col[i] < p.limit
            };
            if in_box[i] && out {
                in_box[i] = false;
            }
        }
        if p.high {
            upper[p.var] = p.limit;
        } else {
            lower[p.var] = p.limit;
        }
        count -= p.removed;
        hits -= p.removed_hits;
        trajectory.push(make_box(&lower, &upper, count, hits));
    }
    let min_cov = opts.min_coverage;
    let selected = trajectory
        .iter()
        .enumerate()
        .filter(|(_, b)| b.coverage >= min_cov - 1e-12)
        .fold(0usize, |best, (i, b)| {
            if b.density > trajectory[best].density {
                i
            } else {
                best
            }
        });
    Ok(PrimResult {
        trajectory,
        selected,
        observations: n,
        hits: total_hits,
        data_min,
        data_max,
    })
}

/// "Why no deal" for a scenario: PRIM over a run's trials, no deal as the trials of interest.
#[derive(Clone, Debug, PartialEq)]
pub struct WhyNoDeal {
    /// The variables (uncertain inputs and aid continuation events) and each trial's values.
    pub data: PrimData,
    pub result: PrimResult,
    /// The reported box's conditions.
    pub conditions: Vec<String>,
    pub trials: u64,
    pub seed: u64,
    pub options: PrimOptions,
}

impl WhyNoDeal {
    /// Share of trials with no deal.
    pub fn no_deal_share(&self) -> f64 {
        self.result.hits as f64 / self.result.observations.max(1) as f64
    }

    /// A warning when too few trials end with no deal for the box to mean much (see
    /// [`super::FEW_CASES`]).
    pub fn warning(&self) -> Option<String> {
        super::few_cases_warning(
            self.result.hits as u64,
            self.result.observations as u64,
            "end with no deal",
        )
    }

    /// A readable report: the conditions, the box's coverage and density, the trajectory.
    pub fn report(&self) -> String {
        let r = &self.result;
        let b = r.selected_box();
        let pct = |x: f64| format!("{:.1}%", 100.0 * x);
        let mut s = format!(
            "Why no deal: {} of {} trials ({}) end with no deal.\n",
            r.hits,
            r.observations,
            pct(self.no_deal_share())
        );
        if r.hits == 0 {
            s.push_str("Every trial ends with a deal: there is nothing to explain.\n");
            return s;
        }
        if self.conditions.is_empty() {
            s.push_str(
                "No box of inputs concentrates the no-deal trials more than the whole run does.\n",
            );
        } else {
            s.push_str(&format!(
                "Where no-deal trials concentrate (PRIM, peeling alpha {}):\n",
                self.options.alpha
            ));
            for c in &self.conditions {
                s.push_str(&format!("  - {c}\n"));
            }
            s.push_str(&format!(
                "This box holds {} of the no-deal trials (coverage); {} of the trials in it \
                 end with no deal (density, against {} overall); it holds {} of all trials.\n",
                pct(b.coverage),
                pct(b.density),
                pct(self.no_deal_share()),
                pct(b.support)
            ));
        }
        s.push_str("\nPeeling trajectory (the reported box is marked *):\n");
        s.push_str("  step  coverage  density  support  limits\n");
        for (i, t) in r.trajectory.iter().enumerate() {
            let limits = self.result.conditions(&self.data, i).len();
            s.push_str(&format!(
                "{} {:>4}  {:>8.3}  {:>7.3}  {:>7.3}  {limits}\n",
                if i == r.selected { "*" } else { " " },
                i,
                t.coverage,
                t.density,
                t.support
            ));
        }
        s
    }
}

/// Runs the scenario and explains its no-deal trials.
pub fn why_no_deal(
    vs: &ValidScenario,
    opts: &RunOptions,
    prim_opts: &PrimOptions,
    control: &Control,
    on_progress: OnProgress,
) -> Result<WhyNoDeal, AnalysisError> {
    prim_opts.check()?;
    super::in_pool(opts.threads, || {
        let engine = Engine::new(vs);
        let tracker = Tracker::new(control, opts.trials, on_progress);
        let run_opts = RunOptions {
            threads: None,
            ..*opts
        };
        let output = engine.run(&run_opts, control, &|| tracker.report())?;
        why_no_deal_of_run(vs, &engine, &output, prim_opts, control)
    })
}

/// Explains the no-deal trials of a finished run (e.g. the app's last result) of `engine`,
/// compiled from `vs`.
pub fn why_no_deal_of_run(
    vs: &ValidScenario,
    engine: &Engine,
    output: &RunOutput,
    prim_opts: &PrimOptions,
    control: &Control,
) -> Result<WhyNoDeal, AnalysisError> {
    let sc = vs.scenario();
    let inputs = sc.inputs();
    let mut slots = engine.uncertain_slots();
    slots.sort_unstable();
    let streams = super::chance_streams(vs, engine);
    let mut data = PrimData::default();
    for &slot in &slots {
        if let Some(info) = inputs.get(slot) {
            data.names.push(info.path.clone());
            data.labels.push(input_label(sc, info.key));
            data.kinds.push(VarKind::Continuous);
        }
    }
    for &s in &streams {
        data.names.push(format!("aid[{s}].cutoff.event"));
        data.labels.push(event_label(sc, s));
        data.kinds.push(VarKind::Binary);
    }
    let n = output.records.len();
    let batches = n.div_ceil(BATCH);
    let width = slots.len() + streams.len();
    // The columns first: what does not fit is "not enough memory", never an abort.
    let mut columns = room::<Vec<f64>>(width, n)?;
    for _ in 0..width {
        columns.push(room(n, n)?);
    }
    let per_batch: Vec<Vec<f64>> = (0..batches)
        .into_par_iter()
        .map(|b| {
            let len = BATCH.min(n - b * BATCH);
            let mut rows = room(len * width, n)?;
            engine.batch_inputs(output.seed, b as u64, len, |v, cont| {
                rows.extend(slots.iter().map(|&s| v[s]));
                rows.extend(streams.iter().map(|&s| f64::from(u8::from(cont[s]))));
            });
            Ok(rows)
        })
        .collect::<Result<_, AnalysisError>>()?;
    if control.is_cancelled() {
        return Err(AnalysisError::Cancelled);
    }
    data.columns = columns;
    for rows in &per_batch {
        for row in rows.chunks(width.max(1)) {
            for (col, &x) in data.columns.iter_mut().zip(row) {
                col.push(x);
            }
        }
    }
    data.target = room(n, n)?;
    data.target.extend(output.records.iter().map(|r| !r.deal()));
    let result = prim(&data, prim_opts, control)?;
    let conditions = result
        .conditions(&data, result.selected)
        .into_iter()
        .map(|c| c.text)
        .collect();
    Ok(WhyNoDeal {
        data,
        result,
        conditions,
        trials: output.trials,
        seed: output.seed,
        options: *prim_opts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::SubRng;

    #[test]
    fn finds_a_planted_box() {
        // y = 1 inside x0 >= 0.5 and x1 <= 0.4 when the switch is off (and in 1% of trials
        // anywhere); x2 is noise.
        let n = 20_000;
        let mut r = SubRng::new(5, 6);
        let mut cols = vec![Vec::new(); 4];
        let mut target = Vec::new();
        for _ in 0..n {
            let x: Vec<f64> = (0..3).map(|_| r.uniform()).collect();
            let switch = f64::from(u8::from(r.uniform() < 0.5));
            let inside = x[0] >= 0.5 && x[1] <= 0.4 && switch == 0.0;
            target.push(inside || r.uniform() < 0.01);
            for j in 0..3 {
                cols[j].push(x[j]);
            }
            cols[3].push(switch);
        }
        let data = PrimData {
            names: vec!["x0".into(), "x1".into(), "x2".into(), "switch".into()],
            labels: vec!["x0".into(), "x1".into(), "x2".into(), "Switch".into()],
            kinds: vec![
                VarKind::Continuous,
                VarKind::Continuous,
                VarKind::Continuous,
                VarKind::Binary,
            ],
            columns: cols,
            target,
        };
        let res = prim(&data, &PrimOptions::default(), &Control::new()).unwrap();
        let b = res.selected_box();
        assert!(b.density > 0.85, "{b:?}");
        assert!(b.coverage > 0.8, "{b:?}");
        assert!((b.lower[0] - 0.5).abs() < 0.05, "{b:?}");
        assert!((b.upper[1] - 0.4).abs() < 0.05, "{b:?}");
        let texts: Vec<String> = res
            .conditions(&data, res.selected)
            .into_iter()
            .map(|c| c.text)
            .collect();
        assert!(texts.iter().any(|t| t == "Switch: no"), "{texts:?}");
        assert!(
            texts.iter().any(|t| t.starts_with("x0 at least 0.")),
            "{texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.starts_with("x1 at most 0.")),
            "{texts:?}"
        );
        assert!(!texts.iter().any(|t| t.starts_with("x2")), "{texts:?}");
    }
}
