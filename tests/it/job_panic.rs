//! A panic inside a background run is caught: the job reports it as a failure with the panic's
//! message, the calling thread goes on, and the next job runs normally.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use armistice::{Job, JobOutcome, RunOptions};

#[test]
fn a_panic_inside_a_run_is_reported_as_a_failure() {
    let vs = Arc::new(armistice::builtin_baseline().unwrap());
    let opts = RunOptions {
        trials: 3 * armistice::BATCH as u64,
        seed: 1,
        threads: Some(2),
    };
    // The waker is called from inside the run after each batch: make the first call panic,
    // as a bug deep inside the engine would.
    let fired = Arc::new(AtomicBool::new(false));
    let f = fired.clone();
    let waker = Arc::new(move || {
        if !f.swap(true, Ordering::SeqCst) {
            panic!("injected failure in batch work");
        }
    });
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {})); // keep the test output quiet
    let outcome = Job::run(vs.clone(), opts, waker).wait();
    std::panic::set_hook(hook);
    match outcome {
        JobOutcome::Failed(msg) => {
            assert!(msg.contains("internal error"), "{msg}");
            assert!(msg.contains("injected failure in batch work"), "{msg}");
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    assert!(fired.load(Ordering::SeqCst));
    // The next run is unaffected.
    match Job::run(vs, opts, Arc::new(|| {})).wait() {
        JobOutcome::Done(r) => assert_eq!(r.output.records.len() as u64, opts.trials),
        other => panic!("expected a result, got {other:?}"),
    }
}
