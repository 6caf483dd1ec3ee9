//! Armistice: explore how a war might be negotiated to an end.
//!
//! A scenario file describes two warring sides, the aid and troops third parties give them,
//! and a menu of concession packages. Armistice draws the uncertain inputs many times, runs
//! each draw through a model of the war and the bargaining table, and summarises each side's
//! leverage, which deal (if any) both would accept, when, and how the front moves. It is an
//! exploration tool with every assumption visible, not a forecast.
//!
//! # Modules and the dependency rule
//!
//! Dependencies run one way, down this table: a module uses only those below it. The core
//! never names the UI; `cargo check --no-default-features` builds it without egui. The
//! modules are private; what other programs use (the binary, the tests, the examples, the
//! fuzz targets) is re-exported here, flat. ARCHITECTURE.md has the map.
//!
//! | module | owns |
//! |---|---|
//! | `app` | the desktop app (feature `gui`) |
//! | `cli` | the command line |
//! | `brief` | the one-page HTML brief of a run (headline, plots, inputs, sources) |
//! | `figure` | one description of each plot, laid out for the screen and written to SVG and PNG |
//! | `classroom` | lessons' outputs in plain words, scoring predictions, one trial picked and told month by month |
//! | `analysis` | sweeps and shards, leverage curves, heatmaps, tornado, Sobol indices, "why no deal" (PRIM) |
//! | `job` | background work (runs and analyses): thread, progress, cancel, wake callback |
//! | `report` | table, JSON and CSV output |
//! | `replay` | the record every export carries to rerun its run |
//! | `compare` | a result against a pinned baseline, trial by trial |
//! | `run` | one run from a validated scenario to a summary, with its stamp |
//! | `stats` | proportions, quantiles, histograms, paired comparisons, settlement |
//! | `sim` | random streams, samplers, records, the parallel batched engine |
//! | `model` | the war and the table as pure functions (no randomness, no I/O) |
//! | `scenario` | the RON file: types, distributions, registry of inputs, validation, edits, limits, load/save |
//! | `files` | safe readers (regular files, size limits) and the one crash-safe writer of every output (uses none) |
//! | `text` | numbers and names as text, one formatter per purpose (used by all, uses none) |

mod analysis;
mod brief;
// Scoring and the one-trial story serve the app; without it only the lesson checks are used.
#[cfg_attr(not(feature = "gui"), allow(dead_code))]
mod classroom;
mod cli;
mod compare;
// The figure descriptions' marks and layout primitives are not all documented item by item;
// the module doc of each file says what they hold.
#[allow(missing_docs)]
mod figure;
mod files;
mod job;
// Not every public item of the model, the engine and the statistics has a doc comment yet;
// `missing_docs` holds everywhere else.
#[allow(missing_docs)]
mod model;
mod replay;
mod report;
mod run;
mod scenario;
#[allow(missing_docs)]
mod sim;
#[allow(missing_docs)]
mod stats;
mod text;

#[cfg(feature = "gui")]
mod app;

// The scenario file.
pub use scenario::io::{backup_path, save_edited, write_atomic};
pub use scenario::lesson;
pub use scenario::limits;
pub use scenario::patch::Layout;
pub use scenario::registry::spec_of;
pub use scenario::syntax;
pub use scenario::template::TEMPLATE;
pub use scenario::upgrade::upgrade;
pub use scenario::warnings::warnings;
pub use scenario::{
    BUILTIN_BASELINE, BattleField, Change, Correlation, Dist, DistKind, Edit, FORMAT_VERSION,
    FieldSpec, Input, InputKey, Issue, ItemOp, List, LoadError, Observation, Protocol,
    READABLE_VERSIONS, SHIPPED, Scenario, Schedule, SideField, SideRef, Source, Talks,
    ValidScenario, builtin_baseline, load_file, load_str, parse_str, save_file, scenario_hash,
    to_ron_string, validate,
};

// The model, the engine and their results.
pub use model::monthly::{
    Draws, LEVERAGE_BINS, MonthTrace, MonthlyCounts, MonthlyScratch, evaluate_monthly,
};
pub use model::{Constraint, Scratch, Structure, evaluate};
pub use run::{RunResult, Stamp, simulate};
pub use sim::correlate::is_positive_semidefinite;
pub use sim::front::{FRONT_BINS, QUANTILES};
pub use sim::record::{NO_CONSTRAINT, NO_DEAL};
pub use sim::rng::SubRng;
pub use sim::sample::{Sampler, clamp_to};
pub use sim::{BATCH, Control, Engine, RunError, RunOptions, TrialRecord};
pub use stats::{Outcome, PairedDiff};

// Figures (one description per plot, for the screen and the files), the brief, replay.
pub use brief::cited_sources;
pub use figure::font::EmbeddedFont;
pub use figure::{FigureInput, Mark, PlotKind, Theme, build};
pub use figure::{
    export as figure_export, layout as figure_layout, raster as figure_raster, svg as figure_svg,
};
pub use replay::{Replay, extract as extract_replay};

// Output, comparison and background work.
pub use compare::{Comparison, compare};
pub use job::{Job, JobOutcome, Progress};
pub use report::{json as report_json, reason_label, summary_csv};
pub use text::fmt_percent;

// Analyses.
pub use analysis::correlation::{achieved_rank_correlations, correlation_report};
pub use analysis::merge::{Crc32, ShardLine, verify_shard, write_shard};
pub use analysis::prim::{PrimOptions, why_no_deal};
pub use analysis::sobol::{
    FactorKind, NEGATIVE_EXPLAINED, S1_EXPLAINED, ST_EXPLAINED, ScenarioSobol, SobolOptions,
    ishigami, ishigami_indices, saltelli_jansen, sobol, write_sobol_csv,
};
pub use analysis::sweep::{
    Axis, Heatmap, LeverageCurve, Shard, SweepSpec, heatmap, leverage_curve, merge_csv,
    rows_per_point, run_sweep, write_sweep_csv,
};
pub use analysis::tornado::{tornado, write_tornado_csv};
pub use analysis::{
    AnalysisError, Output, Param, ParamKey, Statistic, fix_inputs, input_label, params,
};

// Lessons.
pub use classroom::shipped::LESSONS;
pub use classroom::{lesson_issues, se_of, value_of};

// The command line.
pub use cli::{Cli, CliError, Format, RunArgs, execute, run, set_force};

// The desktop app.
#[cfg(feature = "gui")]
pub use app::actions::{DialogPurpose, ExportKind, LessonAction};
#[cfg(feature = "gui")]
pub use app::analysis::{AnalysisKind, AnalysisResult};
#[cfg(feature = "gui")]
pub use app::native_dialog::DialogBackend;
#[cfg(feature = "gui")]
pub use app::recovery::Recovery;
#[cfg(feature = "gui")]
pub use app::settings::PlotTab;
#[cfg(feature = "gui")]
pub use app::{Action, ArmisticeApp, Settings, run_native};
#[cfg(feature = "gui")]
pub use app::{actions::DiskChoice, disk::content_hash};
