//! Any analysis on a background thread, like the main run's [`crate::job::Job`]: progress,
//! cancel, survives a panic, and wakes whoever waits through a plain callback.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::thread::JoinHandle;

use super::{AnalysisError, Progress};
use crate::job::{Waker, panic_message};
use crate::sim::Control;

/// An analysis in flight.
///
/// ```no_run
/// # use std::sync::Arc;
/// # use armistice::analysis::{job::AnalysisJob, sweep::{Axis, leverage_curve}};
/// # let vs = Arc::new(armistice::scenario::builtin_baseline().unwrap());
/// let opts = armistice::sim::RunOptions::from_scenario(&vs);
/// let axis = Axis::new("aid[2].amount_usd_bn", 0.0, 4.0, 9);
/// let mut job = AnalysisJob::spawn(
///     move |control, progress| leverage_curve(&vs, &axis, &opts, control, progress),
///     Arc::new(|| {}),
/// );
/// // each frame: job.progress(), job.poll(); a new request: job.cancel()
/// ```
pub struct AnalysisJob<T> {
    control: Arc<Control>,
    progress: Arc<(AtomicU64, AtomicU64)>,
    rx: Receiver<Result<T, AnalysisError>>,
    handle: Option<JoinHandle<()>>,
}

impl<T: Send + 'static> AnalysisJob<T> {
    /// Starts `work` on a new thread named `armistice-analysis`. `waker` is called after each
    /// progress report and when the work ends.
    pub fn spawn<F>(work: F, waker: Waker) -> AnalysisJob<T>
    where
        F: FnOnce(&Control, &(dyn Fn(Progress) + Sync)) -> Result<T, AnalysisError>
            + Send
            + 'static,
    {
        let control = Arc::new(Control::new());
        let progress = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
        let (tx, rx) = channel();
        let worker_control = control.clone();
        let worker_progress = progress.clone();
        let handle = std::thread::Builder::new()
            .name("armistice-analysis".into())
            .spawn(move || {
                let report = |p: Progress| {
                    worker_progress.0.store(p.done, Ordering::Relaxed);
                    worker_progress.1.store(p.total, Ordering::Relaxed);
                    waker();
                };
                let result = catch_unwind(AssertUnwindSafe(|| work(&worker_control, &report)))
                    .unwrap_or_else(|panic| {
                        Err(AnalysisError::Failed(format!(
                            "the analysis stopped on an internal error: {}",
                            panic_message(panic.as_ref())
                        )))
                    });
                let _ = tx.send(result);
                waker();
            });
        match handle {
            Ok(h) => AnalysisJob {
                control,
                progress,
                rx,
                handle: Some(h),
            },
            Err(e) => {
                let (tx, rx) = channel();
                let _ = tx.send(Err(AnalysisError::Failed(format!(
                    "cannot start a worker thread: {e}"
                ))));
                AnalysisJob {
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

    /// Asks the analysis to stop at its next batch or point.
    pub fn cancel(&self) {
        self.control.cancel();
    }

    /// The result once the analysis has ended; `None` while it is still going.
    pub fn poll(&mut self) -> Option<Result<T, AnalysisError>> {
        match self.rx.try_recv() {
            Ok(r) => {
                if let Some(h) = self.handle.take() {
                    let _ = h.join();
                }
                Some(r)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(AnalysisError::Failed(
                "the analysis thread ended without a result".into(),
            ))),
        }
    }

    /// Blocks until the analysis ends.
    pub fn wait(mut self) -> Result<T, AnalysisError> {
        let r = self.rx.recv().unwrap_or(Err(AnalysisError::Failed(
            "the analysis thread ended without a result".into(),
        )));
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        r
    }
}

impl<T> Drop for AnalysisJob<T> {
    fn drop(&mut self) {
        // A dropped analysis stops working; its thread ends at the next batch or point.
        self.control.cancel();
    }
}
