//! The one background run: spawns a named worker thread, reports progress, can be
//! cancelled, survives a panic inside the engine, and wakes whoever waits through a plain
//! callback (the app passes one that repaints; the core never names the UI).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::thread::JoinHandle;

use crate::run::{RunResult, simulate};
use crate::scenario::ValidScenario;
use crate::sim::{Control, RunError, RunOptions};

/// Called from the worker after each batch and when the run ends.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// How a job ended.
#[derive(Debug)]
pub enum JobOutcome {
    Done(Box<RunResult>),
    Cancelled,
    /// The run failed (out of memory, threads) or panicked; the message says why.
    Failed(String),
}

/// A run in flight.
pub struct Job {
    control: Arc<Control>,
    trials: u64,
    /// Caller's tag (e.g. which pass of which edit this is).
    pub tag: u64,
    rx: Receiver<JobOutcome>,
    handle: Option<JoinHandle<()>>,
}

impl Job {
    /// Starts running `scenario` with `opts` on a new thread named `armistice-job`.
    pub fn spawn(scenario: Arc<ValidScenario>, opts: RunOptions, tag: u64, waker: Waker) -> Job {
        let control = Arc::new(Control::new());
        let (tx, rx) = channel();
        let worker_control = control.clone();
        let trials = opts.trials;
        let handle = std::thread::Builder::new()
            .name("armistice-job".into())
            .spawn(move || {
                let progress_waker = waker.clone();
                let progress = move || progress_waker();
                let result = catch_unwind(AssertUnwindSafe(|| {
                    simulate(&scenario, &opts, &worker_control, &progress)
                }));
                let outcome = match result {
                    Ok(Ok(r)) => JobOutcome::Done(Box::new(r)),
                    Ok(Err(RunError::Cancelled)) => JobOutcome::Cancelled,
                    Ok(Err(e)) => JobOutcome::Failed(e.to_string()),
                    Err(panic) => JobOutcome::Failed(format!(
                        "the simulation stopped on an internal error: {}",
                        panic_message(panic.as_ref())
                    )),
                };
                let _ = tx.send(outcome);
                waker();
            });
        match handle {
            Ok(h) => Job {
                control,
                trials,
                tag,
                rx,
                handle: Some(h),
            },
            Err(e) => {
                let (tx, rx) = channel();
                let _ = tx.send(JobOutcome::Failed(format!(
                    "cannot start a worker thread: {e}"
                )));
                Job {
                    control,
                    trials,
                    tag,
                    rx,
                    handle: None,
                }
            }
        }
    }

    /// Share of the trials done, 0..=1.
    pub fn progress(&self) -> f32 {
        if self.trials == 0 {
            return 1.0;
        }
        (self.control.done_trials() as f64 / self.trials as f64).min(1.0) as f32
    }

    pub fn trials(&self) -> u64 {
        self.trials
    }

    /// Asks the run to stop at the next batch.
    pub fn cancel(&self) {
        self.control.cancel();
    }

    /// The outcome, once the run has ended; `None` while it is still going.
    pub fn poll(&mut self) -> Option<JobOutcome> {
        match self.rx.try_recv() {
            Ok(o) => {
                if let Some(h) = self.handle.take() {
                    let _ = h.join();
                }
                Some(o)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(JobOutcome::Failed(
                "the simulation thread ended without a result".into(),
            )),
        }
    }

    /// Blocks until the run ends.
    pub fn wait(mut self) -> JobOutcome {
        let out = self.rx.recv().unwrap_or(JobOutcome::Failed(
            "the simulation thread ended without a result".into(),
        ));
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        out
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        // A dropped job stops working; its thread ends at the next batch.
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
