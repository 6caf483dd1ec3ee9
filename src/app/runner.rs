//! Live simulation: every change starts a quick pass (a few thousand trials, shown at once),
//! then refines to the full trial count in the background; a new change cancels the run in
//! flight. The quick pass is the first trials of the full run (same seed), so the two agree,
//! and both passes run the scenario as compiled once for the change.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::job::{Job, JobOutcome, Waker};
use crate::run::RunResult;
use crate::scenario::ValidScenario;
use crate::sim::{BATCH, Engine, RunOptions};

/// Trials of the quick pass: the first eight batches of the full run (same seed), spread
/// over all cores.
pub const QUICK_TRIALS: u64 = 8 * BATCH as u64;
/// Pause after a quick pass before the full pass starts, so that a slider drag keeps
/// getting quick passes instead of starting and cancelling full ones.
pub const FULL_PASS_DELAY: Duration = Duration::from_millis(150);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Idle,
    Quick,
    WaitingForFull(Instant),
    Full,
}

/// What a poll found.
pub enum RunEvent {
    /// A result: `quick` when it is the quick pass of a larger run.
    Result {
        result: Arc<RunResult>,
        /// The scenario the pass ran.
        scenario: Arc<ValidScenario>,
        quick: bool,
        elapsed: Duration,
    },
    /// The run failed; the message says why. Earlier results stay.
    Failed(String),
}

/// Schedules the background runs of the open scenario.
pub struct Runner {
    job: Option<Job<RunResult>>,
    /// The scenario of the passes, and its compilation.
    scenario: Option<(Arc<ValidScenario>, Arc<Engine>)>,
    opts: Option<RunOptions>,
    stage: Stage,
    started: Instant,
    /// Worker threads for runs (`None`: all cores).
    pub threads: Option<usize>,
}

impl Default for Runner {
    fn default() -> Self {
        Runner {
            job: None,
            scenario: None,
            opts: None,
            stage: Stage::Idle,
            started: Instant::now(),
            threads: None,
        }
    }
}

impl Runner {
    /// Cancels whatever runs and starts the passes for `scenario`, compiled as `engine`
    /// (`Engine::new(&scenario)`).
    pub fn restart(&mut self, scenario: Arc<ValidScenario>, engine: Arc<Engine>, waker: Waker) {
        self.cancel();
        let mut opts = RunOptions::from_scenario(&scenario);
        opts.threads = self.threads;
        self.scenario = Some((scenario, engine));
        self.opts = Some(opts);
        if opts.trials > QUICK_TRIALS {
            let quick = RunOptions {
                trials: QUICK_TRIALS,
                ..opts
            };
            self.spawn(quick, Stage::Quick, waker);
        } else {
            self.spawn(opts, Stage::Full, waker);
        }
    }

    fn spawn(&mut self, opts: RunOptions, stage: Stage, waker: Waker) {
        let Some((scenario, engine)) = self.scenario.clone() else {
            return;
        };
        self.started = Instant::now();
        self.job = Some(Job::run_compiled(engine, scenario, opts, waker));
        self.stage = stage;
    }

    /// Stops the run in flight, if any.
    pub fn cancel(&mut self) {
        if let Some(job) = self.job.take() {
            job.cancel();
        }
        self.stage = Stage::Idle;
    }

    /// Checks the run; starts the full pass when its time has come. Returns what happened and
    /// when to look again (for a repaint request), if at all.
    pub fn poll(&mut self, waker: &Waker) -> (Option<RunEvent>, Option<Duration>) {
        if let Stage::WaitingForFull(at) = self.stage {
            let now = Instant::now();
            if now >= at {
                if let Some(o) = self.opts {
                    self.spawn(o, Stage::Full, waker.clone());
                }
            } else {
                return (None, Some(at - now));
            }
        }
        let Some(job) = self.job.as_mut() else {
            return (None, None);
        };
        let Some(outcome) = job.poll() else {
            return (None, None);
        };
        self.job = None;
        let elapsed = self.started.elapsed();
        match outcome {
            JobOutcome::Done(result) => {
                let quick = self.stage == Stage::Quick;
                if quick {
                    self.stage = Stage::WaitingForFull(Instant::now() + FULL_PASS_DELAY);
                } else {
                    self.stage = Stage::Idle;
                }
                let next = quick.then_some(FULL_PASS_DELAY);
                let Some((scenario, _)) = self.scenario.clone() else {
                    return (None, None);
                };
                (
                    Some(RunEvent::Result {
                        result: Arc::new(result),
                        scenario,
                        quick,
                        elapsed,
                    }),
                    next,
                )
            }
            JobOutcome::Cancelled => {
                self.stage = Stage::Idle;
                (None, None)
            }
            JobOutcome::Failed(msg) => {
                self.stage = Stage::Idle;
                (Some(RunEvent::Failed(msg)), None)
            }
        }
    }

    /// True while a pass runs or the full pass is still to come.
    pub fn is_busy(&self) -> bool {
        self.stage != Stage::Idle
    }

    /// Progress of the full run: (share done, total trials), while one is under way.
    pub fn progress(&self) -> Option<(f32, u64)> {
        let total = self.opts.map_or(0, |o| o.trials);
        match self.stage {
            Stage::Idle => None,
            Stage::Quick | Stage::WaitingForFull(_) => Some((
                (QUICK_TRIALS as f64 / total.max(1) as f64).min(1.0) as f32,
                total,
            )),
            Stage::Full => Some((
                self.job.as_ref().map_or(0.0, |j| j.progress().fraction()),
                total,
            )),
        }
    }
}
