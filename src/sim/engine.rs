//! The Monte Carlo engine: compiles a validated scenario once, then runs trials in parallel
//! in fixed-size batches, each batch with its own generator seeded from (seed, batch index),
//! so results are bit-identical on any number of threads. Progress is reported and
//! cancellation checked between batches, through an API with no UI in it.
//!
//! Long because the compiled run (the sampler plan, the batch loop, the single-trial trace
//! and the draws the benchmark checks) shares one private layout of draws that must not
//! drift between its users.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use super::front::{FrontHist, FrontSpec, FrontStart};
use super::record::TrialRecord;
use super::rng::{BATCH, SubRng, batch_rng, name_key};
use super::sample::{Sampler, clamp_to};
use crate::model::monthly::{Draws, MonthTrace, MonthlyCounts, MonthlyScratch, evaluate_monthly};
use crate::model::{Scratch, Structure, TrialOutcome, evaluate};
use crate::scenario::registry::spec_of;
use crate::scenario::{FieldSpec, InputKey, ValidScenario};

/// Settings of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunOptions {
    pub trials: u64,
    pub seed: u64,
    /// Worker threads; `None` uses all cores.
    pub threads: Option<usize>,
}

impl RunOptions {
    /// The trials and seed the scenario file asks for, on all cores.
    pub fn from_scenario(vs: &ValidScenario) -> Self {
        RunOptions {
            trials: vs.simulation.trials,
            seed: vs.simulation.seed,
            threads: None,
        }
    }
}

/// Shared between a run and whoever watches it: cancel flag and progress counter.
#[derive(Debug, Default)]
pub struct Control {
    cancel: AtomicBool,
    done: AtomicU64,
}

impl Control {
    pub fn new() -> Self {
        Control::default()
    }

    /// Asks the run to stop at the next batch boundary.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Trials finished so far.
    pub fn done_trials(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }
}

/// Why a run did not finish.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RunError {
    #[error("the run was cancelled")]
    Cancelled,
    #[error("not enough memory for {trials} trials")]
    OutOfMemory { trials: u64 },
    #[error("cannot start worker threads: {0}")]
    Threads(String),
}

/// The raw result of a run: one record per trial, in trial order, and the front histograms.
#[derive(Clone, Debug)]
pub struct RunOutput {
    pub trials: u64,
    pub seed: u64,
    pub records: Vec<TrialRecord>,
    pub front: FrontHist,
    /// (Format version 2) Per month: what kept the war going and the leverage at the table.
    pub monthly: Option<MonthlyCounts>,
    /// (Format version 2) The front histograms of the months each trial fought (up to and
    /// including its month of settlement): the front of a war that goes on.
    pub front_fighting: Option<FrontHist>,
}

#[derive(Clone, Debug)]
struct Uncertain {
    slot: usize,
    key: u64,
    sampler: Sampler,
    spec: &'static FieldSpec,
}

/// A scenario compiled for simulation.
#[derive(Clone, Debug)]
pub struct Engine {
    structure: Structure,
    keys: Vec<InputKey>,
    paths: Vec<String>,
    /// Values of every slot when nothing is drawn (fixed values; medians of the rest).
    base: Vec<f64>,
    uncertain: Vec<Uncertain>,
    /// Per aid stream: the continuation-probability slot and the event's stream key.
    cutoffs: Vec<Option<(usize, u64)>>,
    /// Stream key of the monthly front noise, when the noise can be non-zero.
    noise_key: Option<u64>,
    /// Per event: the stream keys of whether it happens and of its timing.
    event_keys: Vec<(u64, u64)>,
    /// Per pressure lever: the stream key of whether its donor carries a threat out.
    lever_keys: Vec<u64>,
    front_spec: FrontSpec,
    /// Rank correlations induced batch by batch (`sim::correlate`); `None` without any.
    correlation: Option<super::correlate::CorrelationPlan>,
}

/// Trials whose inputs are drawn together, column by column, before they run.
const CHUNK: usize = 256;

/// The per-thread buffers of a batch.
struct Workspace {
    /// Trial keys of the current batch.
    keys: Vec<u64>,
    /// The uncertain inputs of the current chunk of trials, one column of `CHUNK` values per
    /// input (small enough to stay in cache while the chunk's trials run).
    cols: Vec<f64>,
    v: Vec<f64>,
    cont: Vec<bool>,
    noise: Vec<f64>,
    front: Vec<f64>,
    scratch: Scratch,
    event_occurs: Vec<f64>,
    event_timing: Vec<f64>,
    lever: Vec<f64>,
    monthly: MonthlyScratch,
}

impl Engine {
    /// Compiles a validated scenario.
    pub fn new(vs: &ValidScenario) -> Self {
        let (structure, keys) = Structure::compile(vs);
        let mut paths = Vec::with_capacity(keys.len());
        let mut base = vec![0.0; structure.n_values];
        base[structure.one_slot] = 1.0;
        let mut uncertain = Vec::new();
        let mut slot = 0;
        vs.visit_inputs(|key, path, input| {
            let spec = spec_of(key);
            base[slot] = clamp_to(spec, input.value.central());
            if !input.value.is_fixed() {
                uncertain.push(Uncertain {
                    slot,
                    key: name_key(&stream_name(vs, key, path)),
                    sampler: Sampler::new(&input.value),
                    spec,
                });
            } else if let crate::scenario::Dist::Chance { p, yes, no } = input.value {
                base[slot] = clamp_to(spec, if p >= 1.0 { yes } else { no });
            }
            paths.push(path.to_string());
            slot += 1;
        });
        // Streams are independent, so the drawing order is free: group inputs by sampler
        // kind, which keeps the branch in the draw loop predictable.
        uncertain.sort_by_key(|u: &Uncertain| (u.sampler.kind_order(), u.slot));
        let cutoffs = structure
            .aid
            .iter()
            .enumerate()
            .map(|(s, a)| {
                a.continue_probability.map(|slot| {
                    let name =
                        stream_name(vs, InputKey::AidContinue(s), &format!("aid[{s}].cutoff"));
                    (slot, name_key(&format!("{name}.event")))
                })
            })
            .collect();
        let upper = |k: InputKey| -> f64 { vs.input_by_key(k).map_or(0.0, |i| i.value.reach().1) };
        use crate::scenario::BattleField as BF;
        let noise_hi = upper(InputKey::Battle(BF::Noise));
        let max_move = 2.0 * upper(InputKey::Battle(BF::FrontSpeed)) + 8.0 * noise_hi;
        // The front's bins: the gain since each trial's start lies between minus the largest
        // start and the largest contested area less the smallest start (with fixed areas, the
        // same two numbers). The start shown is the central start.
        let lower = |k: InputKey| -> f64 { vs.input_by_key(k).map_or(0.0, |i| i.value.reach().0) };
        let front_spec = FrontSpec::new(
            structure.horizon,
            FrontStart {
                central: base[structure.battle.held].min(base[structure.battle.contested]),
                uncertain: structure.held_fixed.is_none(),
                most: upper(InputKey::Battle(BF::Held)).min(upper(InputKey::Battle(BF::Contested))),
                // A start is the held area capped at the contested area.
                least: lower(InputKey::Battle(BF::Held))
                    .min(lower(InputKey::Battle(BF::Contested)))
                    .max(0.0),
                contested_most: upper(InputKey::Battle(BF::Contested)),
            },
            max_move,
        );
        let sc = vs.scenario();
        let ranked = |list: &str, names: &[&str], i: usize| {
            let name = names.get(i).copied().unwrap_or("");
            let rank = names[..i.min(names.len())]
                .iter()
                .filter(|n| **n == name)
                .count();
            format!("{list}[{name}#{rank}]")
        };
        let event_names: Vec<&str> = sc.events.iter().map(|e| e.name.as_str()).collect();
        let event_keys = (0..sc.events.len())
            .map(|e| {
                let stem = ranked("events", &event_names, e);
                (
                    name_key(&format!("{stem}.occurs")),
                    name_key(&format!("{stem}.timing")),
                )
            })
            .collect();
        let lever_names: Vec<&str> = sc.pressure.iter().map(|l| l.name.as_str()).collect();
        let lever_keys = (0..sc.pressure.len())
            .map(|l| {
                name_key(&format!(
                    "{}.carried_out",
                    ranked("pressure", &lever_names, l)
                ))
            })
            .collect();
        Engine {
            noise_key: (noise_hi > 0.0).then(|| name_key("battlefield.front_noise.monthly")),
            event_keys,
            lever_keys,
            structure,
            keys,
            paths,
            base,
            uncertain,
            cutoffs,
            front_spec,
            correlation: super::correlate::CorrelationPlan::new(vs),
        }
    }

    /// The compiled trial structure.
    pub fn structure(&self) -> &Structure {
        &self.structure
    }

    /// Field path of each value slot.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Key of each value slot.
    pub fn keys(&self) -> &[InputKey] {
        &self.keys
    }

    /// Slots of the uncertain inputs.
    pub fn uncertain_slots(&self) -> Vec<usize> {
        self.uncertain.iter().map(|u| u.slot).collect()
    }

    /// The bin ranges of the front histograms.
    pub fn front_spec(&self) -> &FrontSpec {
        &self.front_spec
    }

    /// The deterministic computation: every input at its fixed value (medians for
    /// uncertain ones), no front noise, and every aid stream continuing when its
    /// continuation probability is 1 (stopping otherwise).
    pub fn point_outcome(&self) -> (TrialOutcome, Vec<f64>) {
        let mut ws = self.workspace();
        let cont: Vec<bool> = self
            .cutoffs
            .iter()
            .map(|c| c.is_none_or(|(slot, _)| ws.v[slot] >= 1.0))
            .collect();
        ws.cont = cont;
        // Events happen with probability 1 only, levers are carried out with probability 1
        // only (as the cut-off events).
        ws.event_occurs
            .iter_mut()
            .for_each(|u| *u = 1.0 - f64::EPSILON);
        ws.event_timing.iter_mut().for_each(|u| *u = 0.5);
        ws.lever.iter_mut().for_each(|u| *u = 1.0 - f64::EPSILON);
        let out = self.evaluate(&mut ws, None, None);
        (out, ws.front)
    }

    /// [`Engine::point_outcome`] told month by month (format version 2).
    pub fn point_trace(&self) -> (TrialOutcome, Vec<MonthTrace>) {
        let mut ws = self.workspace();
        for (s, c) in self.cutoffs.iter().enumerate() {
            ws.cont[s] = c.is_none_or(|(slot, _)| ws.v[slot] >= 1.0);
        }
        ws.event_occurs
            .iter_mut()
            .for_each(|u| *u = 1.0 - f64::EPSILON);
        ws.event_timing.iter_mut().for_each(|u| *u = 0.5);
        ws.lever.iter_mut().for_each(|u| *u = 1.0 - f64::EPSILON);
        let mut trace = Vec::new();
        let out = self.evaluate(&mut ws, None, Some(&mut trace));
        (out, trace)
    }

    /// Runs the model on the values and draws in `ws`: the one-shot model of format version
    /// 1 or the monthly one of version 2.
    #[inline]
    fn evaluate(
        &self,
        ws: &mut Workspace,
        counts: Option<&mut MonthlyCounts>,
        trace: Option<&mut Vec<MonthTrace>>,
    ) -> TrialOutcome {
        if self.structure.monthly() {
            let draws = Draws {
                continues: &ws.cont,
                noise: &ws.noise,
                event_occurs: &ws.event_occurs,
                event_timing: &ws.event_timing,
                lever: &ws.lever,
            };
            evaluate_monthly(
                &self.structure,
                &ws.v,
                &draws,
                &mut ws.front,
                &mut ws.monthly,
                counts,
                trace,
            )
        } else {
            evaluate(
                &self.structure,
                &ws.v,
                &ws.cont,
                &ws.noise,
                &mut ws.front,
                &mut ws.scratch,
            )
        }
    }

    /// One trial of a run told month by month: its outcome, the table of every month it
    /// fought (format version 2; empty for version 1), and the area held by `b` after each
    /// month.
    pub fn trace_trial(&self, seed: u64, trial: u64) -> (TrialOutcome, Vec<MonthTrace>, Vec<f64>) {
        let batch = trial / BATCH as u64;
        let mut rng = batch_rng(seed, batch);
        let mut key = 0;
        for _ in 0..=(trial % BATCH as u64) {
            key = rng.next_u64();
        }
        let mut ws = self.workspace();
        self.draw(key, &mut ws);
        if let Some(c) = self.correlated_batch(seed, batch) {
            self.apply_correlated(&c, (trial % BATCH as u64) as usize, key, &mut ws);
        }
        let mut trace = Vec::new();
        let out = self.evaluate(&mut ws, None, Some(&mut trace));
        (out, trace, ws.front)
    }

    fn workspace(&self) -> Workspace {
        let t = self.structure.horizon;
        Workspace {
            keys: vec![0; BATCH],
            cols: vec![0.0; self.uncertain.len() * CHUNK],
            v: self.base.clone(),
            cont: vec![true; self.cutoffs.len()],
            noise: vec![0.0; t],
            front: vec![0.0; t],
            scratch: Scratch::new(t),
            event_occurs: vec![0.0; self.event_keys.len()],
            event_timing: vec![0.0; self.event_keys.len()],
            lever: vec![0.0; self.lever_keys.len()],
            monthly: MonthlyScratch::new(&self.structure),
        }
    }

    /// Draws the inputs of the trial with key `key` into `ws`.
    #[inline]
    fn draw(&self, key: u64, ws: &mut Workspace) {
        for u in &self.uncertain {
            let mut r = SubRng::new(key, u.key);
            ws.v[u.slot] = clamp_to(u.spec, u.sampler.sample(&mut r));
        }
        self.draw_events(key, ws);
    }

    /// Draws the uncertain inputs of trials `start..start + len` of the batch (at most
    /// [`CHUNK`]), input by input (one column per input): the same values as [`Self::draw`]
    /// gives trial by trial, but with one sampler at a time the loop has no branch to
    /// mispredict and independent trials overlap in the pipeline.
    fn draw_columns(&self, ws: &mut Workspace, start: usize, len: usize) {
        for (k, u) in self.uncertain.iter().enumerate() {
            let col = &mut ws.cols[k * CHUNK..k * CHUNK + len];
            u.sampler
                .fill(&ws.keys[start..start + len], u.key, u.spec, col);
        }
    }

    /// Copies the inputs of trial `i` of the current chunk into the value vector.
    #[inline]
    fn gather(&self, ws: &mut Workspace, i: usize) {
        for (k, u) in self.uncertain.iter().enumerate() {
            ws.v[u.slot] = ws.cols[k * CHUNK + i];
        }
    }

    /// Draws the aid continuation events and the monthly front noise of a trial.
    #[inline]
    fn draw_events(&self, key: u64, ws: &mut Workspace) {
        for (s, c) in self.cutoffs.iter().enumerate() {
            if let Some((slot, event_key)) = *c {
                ws.cont[s] = SubRng::new(key, event_key).uniform() < ws.v[slot];
            }
        }
        if let Some(nk) = self.noise_key {
            let mut r = SubRng::new(key, nk);
            for z in ws.noise.iter_mut() {
                *z = StandardNormal.sample(&mut r);
            }
        }
        for (e, (occurs, timing)) in self.event_keys.iter().enumerate() {
            ws.event_occurs[e] = SubRng::new(key, *occurs).uniform();
            ws.event_timing[e] = SubRng::new(key, *timing).uniform();
        }
        for (l, k) in self.lever_keys.iter().enumerate() {
            ws.lever[l] = SubRng::new(key, *k).uniform();
        }
    }

    /// The input values of one trial of a run (slot order), as the run drew them.
    pub fn trial_inputs(&self, seed: u64, trial: u64) -> Vec<f64> {
        let batch = trial / BATCH as u64;
        let mut rng = batch_rng(seed, batch);
        let mut key = 0;
        for _ in 0..=(trial % BATCH as u64) {
            key = rng.next_u64();
        }
        let mut ws = self.workspace();
        self.draw(key, &mut ws);
        if let Some(c) = self.correlated_batch(seed, batch) {
            self.apply_correlated(&c, (trial % BATCH as u64) as usize, key, &mut ws);
        }
        ws.v
    }

    fn run_batch(
        &self,
        seed: u64,
        batch: usize,
        chunk: &mut [TrialRecord],
        hist: &mut FrontHist,
        monthly: &mut Option<(MonthlyCounts, FrontHist)>,
        ws: &mut Workspace,
    ) {
        let mut rng = batch_rng(seed, batch as u64);
        let correlated = self.correlated_batch(seed, batch as u64);
        let len = chunk.len();
        for k in ws.keys[..len].iter_mut() {
            *k = rng.next_u64();
        }
        for (i, rec) in chunk.iter_mut().enumerate() {
            if i % CHUNK == 0 {
                self.draw_columns(ws, i, CHUNK.min(len - i));
            }
            self.gather(ws, i % CHUNK);
            let key = ws.keys[i];
            self.draw_events(key, ws);
            if let Some(c) = &correlated {
                self.apply_correlated(c, i, key, ws);
            }
            let out = self.evaluate(ws, monthly.as_mut().map(|m| &mut m.0), None);
            hist.add(&self.front_spec, out.held_start_km2, &ws.front);
            if let Some((_, fighting)) = monthly.as_mut() {
                let fought = out
                    .settled_month
                    .map_or(ws.front.len(), |m| (m as usize).min(ws.front.len()));
                fighting.add(&self.front_spec, out.held_start_km2, &ws.front[..fought]);
            }
            *rec = TrialRecord::from_outcome(&out);
        }
    }

    /// Runs `opts.trials` trials. `on_progress` is called after each batch (from a worker
    /// thread); `control` can cancel between batches.
    pub fn run(
        &self,
        opts: &RunOptions,
        control: &Control,
        on_progress: &(dyn Fn() + Sync),
    ) -> Result<RunOutput, RunError> {
        let n = usize::try_from(opts.trials).map_err(|_| RunError::OutOfMemory {
            trials: opts.trials,
        })?;
        let mut records: Vec<TrialRecord> = Vec::new();
        records
            .try_reserve_exact(n)
            .map_err(|_| RunError::OutOfMemory {
                trials: opts.trials,
            })?;
        // Filled in steps, so that a cancel during the setup of a huge run is noticed quickly.
        const FILL_STEP: usize = 1 << 20;
        while records.len() < n {
            if control.is_cancelled() {
                return Err(RunError::Cancelled);
            }
            let next = (records.len() + FILL_STEP).min(n);
            records.resize(next, TrialRecord::default());
        }
        let spec = &self.front_spec;
        let new_counts = || {
            self.structure.monthly().then(|| {
                (
                    MonthlyCounts::new(self.structure.horizon),
                    FrontHist::new(spec),
                )
            })
        };
        let work = |records: &mut Vec<TrialRecord>| {
            records
                .par_chunks_mut(BATCH)
                .enumerate()
                .try_fold(
                    || (FrontHist::new(spec), new_counts(), self.workspace()),
                    |(mut hist, mut counts, mut ws), (b, chunk)| {
                        if control.is_cancelled() {
                            return Err(RunError::Cancelled);
                        }
                        self.run_batch(opts.seed, b, chunk, &mut hist, &mut counts, &mut ws);
                        control
                            .done
                            .fetch_add(chunk.len() as u64, Ordering::Relaxed);
                        on_progress();
                        Ok((hist, counts, ws))
                    },
                )
                .map(|r| r.map(|(h, c, _)| (h, c)))
                .try_reduce(
                    || (FrontHist::new(spec), new_counts()),
                    |a, b| {
                        let counts = match (a.1, b.1) {
                            (Some(x), Some(y)) => Some((x.0.merge(&y.0), x.1.merge(&y.1))),
                            (x, y) => x.or(y),
                        };
                        Ok((a.0.merge(&b.0), counts))
                    },
                )
        };
        let front = match opts.threads {
            None => work(&mut records),
            Some(t) => pool(t)?.install(|| work(&mut records)),
        };
        let (front, monthly_parts) = match front {
            Ok(f) => f,
            Err(e) => {
                // Freeing a large buffer takes a while; do not make the cancel wait for it.
                if records.len() > FILL_STEP {
                    let _ = std::thread::Builder::new()
                        .name("armistice-free".into())
                        .spawn(move || drop(records));
                }
                return Err(e);
            }
        };
        Ok(RunOutput {
            trials: opts.trials,
            seed: opts.seed,
            records,
            front,
            front_fighting: monthly_parts.as_ref().map(|m| m.1.clone()),
            monthly: monthly_parts.map(|m| m.0),
        })
    }
}

impl Engine {
    /// The floor of a run's cost, for benchmarks: draws exactly what a run draws for each
    /// trial (the same distributions, streams and counts, including the aid continuation
    /// events and the monthly noise) and sums the draws into an accumulator so that nothing
    /// is optimised away, but does no model work and keeps no records.
    pub fn run_draws_only(&self, opts: &RunOptions, control: &Control) -> Result<f64, RunError> {
        let n = opts.trials as usize;
        let batches = n.div_ceil(BATCH);
        let work = || {
            (0..batches)
                .into_par_iter()
                .try_fold(
                    || (0.0f64, self.workspace()),
                    |(mut acc, mut ws), b| {
                        if control.is_cancelled() {
                            return Err(RunError::Cancelled);
                        }
                        let len = BATCH.min(n - b * BATCH);
                        let mut rng = batch_rng(opts.seed, b as u64);
                        for k in ws.keys[..len].iter_mut() {
                            *k = rng.next_u64();
                        }
                        for i in 0..len {
                            if i % CHUNK == 0 {
                                self.draw_columns(&mut ws, i, CHUNK.min(len - i));
                            }
                            self.gather(&mut ws, i % CHUNK);
                            let key = ws.keys[i];
                            self.draw_events(key, &mut ws);
                            for u in &self.uncertain {
                                acc += ws.v[u.slot];
                            }
                            acc += ws.cont.iter().filter(|c| **c).count() as f64;
                            acc += ws.noise.iter().sum::<f64>();
                        }
                        control.done.fetch_add(len as u64, Ordering::Relaxed);
                        Ok((acc, ws))
                    },
                )
                .map(|r| r.map(|(acc, _)| acc))
                .try_reduce(|| 0.0, |a, b| Ok(a + b))
        };
        match opts.threads {
            None => work(),
            Some(t) => pool(t)?.install(work),
        }
    }
}

/// The name that keys an input's random stream: its field path with list positions replaced
/// by the item's name (and its rank among items of that name), so that reordering, adding or
/// removing aid streams, contingents or packages leaves the other items' draws unchanged.
pub fn stream_name(vs: &ValidScenario, key: InputKey, path: &str) -> String {
    fn named(path: &str, list: &str, i: usize, names: &[&str]) -> String {
        let name = names.get(i).copied().unwrap_or("");
        let rank = names[..i.min(names.len())]
            .iter()
            .filter(|n| **n == name)
            .count();
        path.replacen(
            &format!("{list}[{i}]"),
            &format!("{list}[{name}#{rank}]"),
            1,
        )
    }
    let sc = vs.scenario();
    match key {
        InputKey::AidAmount(i) | InputKey::AidContinue(i) | InputKey::AidCutoffMonth(i) => {
            let names: Vec<&str> = sc.aid.iter().map(|a| a.name.as_str()).collect();
            named(path, "aid", i, &names)
        }
        InputKey::TroopSize(i) | InputKey::TroopArrival(i) | InputKey::TroopEffectiveness(i) => {
            let names: Vec<&str> = sc.troops.iter().map(|t| t.name.as_str()).collect();
            named(path, "troops", i, &names)
        }
        InputKey::PackageTerritory(i) | InputKey::PackageAttr(i, _) => {
            let names: Vec<&str> = sc
                .bargaining
                .packages
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            named(path, "packages", i, &names)
        }
        _ => path.to_string(),
    }
}

/// A named thread pool of `threads` workers, built once and reused.
type PoolCache = Mutex<Vec<(usize, Arc<rayon::ThreadPool>)>>;

fn pool(threads: usize) -> Result<Arc<rayon::ThreadPool>, RunError> {
    static POOLS: OnceLock<PoolCache> = OnceLock::new();
    let threads = threads.max(1);
    let pools = POOLS.get_or_init(|| Mutex::new(Vec::new()));
    let mut guard = pools.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, p)) = guard.iter().find(|(t, _)| *t == threads) {
        return Ok(p.clone());
    }
    let p = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("armistice-sim-{i}"))
            .build()
            .map_err(|e| RunError::Threads(e.to_string()))?,
    );
    guard.push((threads, p.clone()));
    Ok(p)
}

// -------------------------------------------------------------------------------------------
// Correlated inputs (`sim::correlate`) and batch-level access to a run's inputs (the
// analyses of `crate::analysis`). Kept in this one block, apart from the hot loop above.
// -------------------------------------------------------------------------------------------

/// The reordered draws of a batch's correlated inputs: `values[j][i]` is the value of slot
/// `slots[j]` in trial `i` of the batch.
struct CorrelatedBatch {
    slots: Vec<usize>,
    values: Vec<Vec<f64>>,
}

impl Engine {
    /// The declared correlations as the engine induces them; `None` when the inputs are
    /// independent.
    pub fn correlation(&self) -> Option<&super::correlate::CorrelationPlan> {
        self.correlation.as_ref()
    }

    /// Draws the correlated inputs of all [`BATCH`] trials of batch `batch` (exactly as
    /// `draw` does, whether or not the run uses every trial of the batch) and reorders them
    /// with the Iman-Conover method. `None` without correlations, at no cost.
    fn correlated_batch(&self, seed: u64, batch: u64) -> Option<CorrelatedBatch> {
        let plan = self.correlation.as_ref()?;
        let mut ws = self.workspace();
        let mut values: Vec<Vec<f64>> = vec![Vec::with_capacity(BATCH); plan.slots.len()];
        let mut rng = batch_rng(seed, batch);
        for _ in 0..BATCH {
            self.draw(rng.next_u64(), &mut ws);
            for (col, &slot) in values.iter_mut().zip(&plan.slots) {
                col.push(ws.v[slot]);
            }
        }
        plan.reorder(seed, batch, &mut values);
        Some(CorrelatedBatch {
            slots: plan.slots.clone(),
            values,
        })
    }

    /// Puts trial `i`'s reordered values into `ws`, and settles again (as `draw` does) the
    /// continuation event of each aid stream whose continuation probability is among them.
    fn apply_correlated(&self, c: &CorrelatedBatch, i: usize, key: u64, ws: &mut Workspace) {
        for (&slot, col) in c.slots.iter().zip(&c.values) {
            ws.v[slot] = col[i];
        }
        for (s, cut) in self.cutoffs.iter().enumerate() {
            if let Some((slot, event_key)) = *cut
                && c.slots.contains(&slot)
            {
                ws.cont[s] = SubRng::new(key, event_key).uniform() < ws.v[slot];
            }
        }
    }

    /// Calls `visit` with the input values (slot order) and the aid continuation events (one
    /// per aid stream, `true` for streams without a cut-off) of the first `len` trials of
    /// batch `batch` of a run with `seed`, in trial order, exactly as the run draws them.
    /// Visiting every batch is much faster than calling [`Engine::trial_inputs`] per trial.
    pub fn batch_inputs(
        &self,
        seed: u64,
        batch: u64,
        len: usize,
        mut visit: impl FnMut(&[f64], &[bool]),
    ) {
        self.batch_draws(seed, batch, len, |v, d| visit(v, d.continues));
    }

    /// As [`Engine::batch_inputs`], with every other draw of each trial as the run makes it:
    /// the aid continuation events, the monthly front noise, and the uniforms of the events
    /// and the pressure levers. [`evaluate_monthly`](crate::evaluate_monthly) (or
    /// [`evaluate`](crate::evaluate) for format version 1) on these gives the run's outcome
    /// of the trial (for cross-checks against other implementations).
    pub fn batch_draws(
        &self,
        seed: u64,
        batch: u64,
        len: usize,
        mut visit: impl FnMut(&[f64], &Draws),
    ) {
        let mut ws = self.workspace();
        let mut rng = batch_rng(seed, batch);
        let correlated = self.correlated_batch(seed, batch);
        for i in 0..len.min(BATCH) {
            let key = rng.next_u64();
            self.draw(key, &mut ws);
            if let Some(c) = &correlated {
                self.apply_correlated(c, i, key, &mut ws);
            }
            let draws = Draws {
                continues: &ws.cont,
                noise: &ws.noise,
                event_occurs: &ws.event_occurs,
                event_timing: &ws.event_timing,
                lever: &ws.lever,
            };
            visit(&ws.v, &draws);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin_baseline;

    /// Streams are keyed by item names, so they follow an item wherever it moves in its list.
    #[test]
    fn stream_names_use_item_names() {
        let vs = builtin_baseline().unwrap();
        assert_eq!(
            stream_name(&vs, InputKey::AidAmount(2), "aid[2].amount_usd_bn"),
            "aid[Europe: military aid at the 2024 run rate#0].amount_usd_bn"
        );
        assert_eq!(
            stream_name(
                &vs,
                InputKey::Side(
                    crate::scenario::SideRef::A,
                    crate::scenario::SideField::Manpower
                ),
                "sides.a.manpower"
            ),
            "sides.a.manpower"
        );
    }

    /// The draws `batch_draws` gives are the run's: the model on them gives every record and
    /// the per-month counts of the run (two batches, the second one partial).
    #[test]
    fn batch_draws_reproduce_the_run() {
        let vs = builtin_baseline().unwrap();
        let engine = Engine::new(&vs);
        let st = engine.structure();
        assert!(st.monthly(), "the built-in baseline runs the monthly model");
        let opts = RunOptions {
            trials: (BATCH + 300) as u64,
            seed: 7,
            threads: Some(1),
        };
        let run = engine.run(&opts, &Control::new(), &|| {}).unwrap();
        let mut scratch = MonthlyScratch::new(st);
        let mut counts = MonthlyCounts::new(st.horizon);
        let mut front = vec![0.0; st.horizon];
        let mut records = Vec::new();
        for (b, len) in [(0, BATCH), (1, 300)] {
            engine.batch_draws(opts.seed, b, len, |v, d| {
                let o =
                    evaluate_monthly(st, v, d, &mut front, &mut scratch, Some(&mut counts), None);
                records.push(TrialRecord::from_outcome(&o));
            });
        }
        assert_eq!(records, run.records);
        assert_eq!(Some(counts), run.monthly);
        // Every other draw is there too: the noise of each month, an event's and a lever's
        // uniforms.
        engine.batch_draws(opts.seed, 0, 1, |_, d| {
            assert_eq!(d.noise.len(), st.horizon);
            assert_eq!(d.event_occurs.len(), st.events.len());
            assert_eq!(d.lever.len(), st.levers.len());
            assert!(d.noise.iter().any(|z| *z != 0.0));
        });
    }
}
