//! Armistice: explore how a war might be negotiated to an end.
//!
//! A scenario file describes two warring sides, the aid and troops third parties give them,
//! and a menu of concession packages. Armistice draws the uncertain inputs many times, runs
//! each draw through a model of the war and the bargaining table, and summarises each side's
//! leverage, which deal (if any) both would accept, and how the front moves. It is an
//! exploration tool with every assumption visible, not a forecast.
//!
//! # Modules and the dependency rule
//!
//! Dependencies run one way: `app -> analysis -> job -> run -> sim/stats -> model/scenario`
//! (the command line sits beside the app). The core never names the UI;
//! `cargo check --no-default-features` builds it without egui.
//!
//! | module | owns |
//! |---|---|
//! | [`scenario`] | the RON file: types, distributions, validation, limits, load/save |
//! | [`model`] | the war and the table as pure functions (no randomness, no I/O) |
//! | [`sim`] | random streams, samplers, records, the parallel batched engine |
//! | [`stats`] | proportions, quantiles, histograms, paired comparisons |
//! | [`run`] | one run from a validated scenario to a summary, with its stamp |
//! | [`analysis`] | sweeps and shards, leverage curves, heatmaps, tornado, Sobol indices, "why no deal" (PRIM) |
//! | [`job`] | the background run: thread, progress, cancel, wake callback |
//! | [`report`] | table, JSON and CSV output |
//! | [`brief`] | the one-page HTML brief of a run (headline, plots, inputs, sources) |
//! | [`replay`] | the record every export carries to rerun its run |
//! | [`compare`] | a result against a pinned baseline, trial by trial |
//! | [`figure`] | one description of each plot, laid out for the screen and written to SVG and PNG |
//! | [`files`] | safe readers (regular files, size limits) and the one crash-safe writer of every output |
//! | [`cli`] | the command line |
//! | [`text`] | numbers and names as text, one formatter per purpose |
//! | `app` | the desktop app (feature `gui`) |

pub mod analysis;
pub mod brief;
pub mod cli;
pub mod compare;
pub mod figure;
pub mod files;
pub mod job;
pub mod model;
pub mod replay;
pub mod report;
pub mod run;
pub mod scenario;
pub mod sim;
pub mod stats;
pub mod text;

#[cfg(feature = "gui")]
pub mod app;

pub use run::{RunResult, Stamp, simulate};
pub use scenario::{Scenario, ValidScenario};
