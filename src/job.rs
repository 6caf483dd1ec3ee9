//! The one background job, for runs and analyses alike: spawns a named worker thread,
//! reports progress, can be cancelled, survives a panic inside the work, and wakes whoever
//! waits through a plain callback (the app passes one that repaints; the core never names the
//! UI).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::thread::JoinHandle;

use crate::run::{RunResult, simulate_with};
use crate::scenario::ValidScenario;
use crate::sim::{Control, Engine, RunError, RunOptions};

/// Called from the worker after each progress report and when the work ends.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// Progress of a job in units of work (trials or model evaluations).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Units done so far.
    pub done: u64,
    /// Units in all (0 until the work has said).
    pub total: u64,
}

impl Progress {
    /// Share done, 0..=1.
    pub fn fraction(&self) -> f32 {
        if self.total == 0 {
            1.0
        } else {
            (self.done as f64 / self.total as f64).min(1.0) as f32
        }
    }
}

/// How a job ended.
#[derive(Debug)]
pub enum JobOutcome<T> {
    /// The work finished with this result.
    Done(T),
    /// The work stopped because it was cancelled.
    Cancelled,
    /// The work failed (out of memory, threads, a bad request) or panicked; the message says
    /// why.
    Failed(String),
}

impl<T> From<Result<T, RunError>> for JobOutcome<T> {
    fn from(r: Result<T, RunError>) -> Self {
        match r {
            Ok(v) => JobOutcome::Done(v),
            Err(RunError::Cancelled) => JobOutcome::Cancelled,
            Err(e) => JobOutcome::Failed(e.to_string()),
        }
    }
}

/// Work in flight on its own thread.
///
/// ```no_run
/// # use std::sync::Arc;
/// # use armistice::{Axis, Job, JobOutcome, leverage_curve};
/// # let vs = Arc::new(armistice::builtin_baseline().unwrap());
/// let opts = armistice::RunOptions::from_scenario(&vs);
/// let axis = Axis::new("aid[2].amount_usd_bn", 0.0, 4.0, 9);
/// let mut job = Job::spawn(
///     "analysis",
///     move |control, progress| leverage_curve(&vs, &axis, &opts, control, progress).into(),
///     Arc::new(|| {}),
/// );
/// // each frame: job.progress(), job.poll(); a new request: job.cancel()
/// ```
pub struct Job<T> {
    /// What the work is, for messages: "simulation", "analysis".
    what: &'static str,
    control: Arc<Control>,
    progress: Arc<(AtomicU64, AtomicU64)>,
    rx: Receiver<JobOutcome<T>>,
    handle: Option<JoinHandle<()>>,
}

impl Job<RunResult> {
    /// Starts running `scenario` with `opts` on a thread named `armistice-simulation`;
    /// progress is counted in trials.
    pub fn run(scenario: Arc<ValidScenario>, opts: RunOptions, waker: Waker) -> Self {
        Job::run_compiled(Arc::new(Engine::new(&scenario)), scenario, opts, waker)
    }

    /// Like [`Job::run`], with the scenario already compiled (`engine` is
    /// `Engine::new(&scenario)`), so that passes of one scenario share one compilation.
    pub fn run_compiled(
        engine: Arc<Engine>,
        scenario: Arc<ValidScenario>,
        opts: RunOptions,
        waker: Waker,
    ) -> Self {
        let total = opts.trials;
        Job::spawn_from(
            "simulation",
            Progress { done: 0, total },
            move |control, report| {
                let progress = || {
                    report(Progress {
                        done: control.done_trials(),
                        total,
                    })
                };
                simulate_with(&engine, &scenario, &opts, control, &progress).into()
            },
            waker,
        )
    }
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a new thread named `armistice-{what}` (`what` names the work in
    /// messages, e.g. "analysis"). The work reports its progress through the callback it is
    /// given and checks its [`Control`] for cancellation; `waker` is called after each
    /// progress report and when the work ends.
    pub fn spawn<F>(what: &'static str, work: F, waker: Waker) -> Job<T>
    where
        F: FnOnce(&Control, &(dyn Fn(Progress) + Sync)) -> JobOutcome<T> + Send + 'static,
    {
        Job::spawn_from(what, Progress::default(), work, waker)
    }

    fn spawn_from<F>(what: &'static str, initial: Progress, work: F, waker: Waker) -> Job<T>
    where
        F: FnOnce(&Control, &(dyn Fn(Progress) + Sync)) -> JobOutcome<T> + Send + 'static,
    {
        let control = Arc::new(Control::new());
        let progress = Arc::new((AtomicU64::new(initial.done), AtomicU64::new(initial.total)));
        let (tx, rx) = channel();
        let worker_control = control.clone();
        let worker_progress = progress.clone();
        let handle = std::thread::Builder::new()
            .name(format!("armistice-{what}"))
            .spawn(move || {
                let report = |p: Progress| {
                    worker_progress.0.store(p.done, Ordering::Relaxed);
                    worker_progress.1.store(p.total, Ordering::Relaxed);
                    waker();
                };
                let outcome = catch_unwind(AssertUnwindSafe(|| work(&worker_control, &report)))
                    .unwrap_or_else(|panic| {
                        JobOutcome::Failed(format!(
                            "the {what} stopped on an internal error: {}",
                            panic_message(panic.as_ref())
                        ))
                    });
                let _ = tx.send(outcome);
                waker();
            });
        match handle {
            Ok(h) => Job {
                what,
                control,
                progress,
                rx,
                handle: Some(h),
            },
            Err(e) => {
                let (tx, rx) = channel();
                let _ = tx.send(JobOutcome::Failed(format!(
                    "cannot start a worker thread: {e}"
                )));
                Job {
                    what,
                    control,
                    progress,
                    rx,
                    handle: None,
                }
            }
        }
    }

    /// Progress so far.
    pub fn progress(&self) -> Progress {
        Progress {
            done: self.progress.0.load(Ordering::Relaxed),
            total: self.progress.1.load(Ordering::Relaxed),
        }
    }

    /// Asks the work to stop at its next batch or point.
    pub fn cancel(&self) {
        self.control.cancel();
    }

    /// The outcome, once the work has ended; `None` while it is still going.
    pub fn poll(&mut self) -> Option<JobOutcome<T>> {
        match self.rx.try_recv() {
            Ok(o) => {
                if let Some(h) = self.handle.take() {
                    let _ = h.join();
                }
                Some(o)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(JobOutcome::Failed(format!(
                "the {} thread ended without a result",
                self.what
            ))),
        }
    }

    /// Blocks until the work ends.
    pub fn wait(mut self) -> JobOutcome<T> {
        let what = self.what;
        let out = self.rx.recv().unwrap_or_else(|_| {
            JobOutcome::Failed(format!("the {what} thread ended without a result"))
        });
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        out
    }
}

impl<T> Drop for Job<T> {
    fn drop(&mut self) {
        // A dropped job stops working; its thread ends at the next batch or point.
        self.control.cancel();
    }
}

/// The text of a panic payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}
