//! Where randomness meets the model: random streams, samplers, the per-trial record, the
//! front histograms, and the parallel batched engine with progress and cancellation.

pub mod correlate;
pub mod engine;
pub mod front;
pub mod record;
pub mod rng;
pub mod sample;

pub use engine::{Control, Engine, RunError, RunOptions, RunOutput};
pub use front::{FrontBands, FrontHist, FrontSpec};
pub use record::TrialRecord;
pub use rng::BATCH;
