//! The analysis commands: `sweep`, `merge`, `sensitivity` and `why-no-deal`. Each writes
//! tidy CSV (or, for "why no deal", a readable report) and prints notes and warnings to
//! standard error.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{CliError, RunArgs, finish_out, load, open_out};
use crate::analysis::prim::{PrimOptions, why_no_deal};
use crate::analysis::sobol::{SobolOptions, sobol};
use crate::analysis::sweep::{Axis, Shard, SweepSpec, merge_csv, run_sweep};
use crate::analysis::tornado::tornado_with;
use crate::analysis::{AnalysisError, Output, Progress, dropped_correlations, in_pool};
use crate::scenario::ValidScenario;
use crate::sim::Control;
use crate::sim::correlate::correlation_warning;

/// Arguments of `sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (.ron); without it, the built-in baseline.
    pub file: Option<PathBuf>,
    /// An input to vary: its name (as `armistice inputs` lists it) and STEPS evenly spaced
    /// values from FROM to TO, both included. Repeat for a grid (the Cartesian product; the
    /// first --vary varies slowest in the point numbering).
    #[arg(long = "vary", value_name = "NAME=FROM:TO:STEPS", required = true)]
    pub vary: Vec<String>,
    /// Trials and seed of every point, threads, and where to write the CSV.
    #[command(flatten)]
    pub run: RunArgs,
    /// Run only shard I of N: the points whose index leaves remainder I-1 when divided by N.
    /// `armistice merge` joins the shard files into the unsharded CSV.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
}

/// Arguments of `merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard files written by `armistice sweep --shard I/N` (any order).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Write the merged CSV to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}

/// Sensitivity methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Method {
    /// Each uncertain input held at its 10th and 90th percentile, ranked by swing.
    Tornado,
    /// First-order and total Sobol indices with bootstrap intervals.
    Sobol,
    /// "Why no deal": the box of inputs where no-deal trials concentrate (PRIM).
    Prim,
}

/// Arguments of `sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// Scenario file (.ron); without it, the built-in baseline.
    pub file: Option<PathBuf>,
    /// The method.
    #[arg(long, short = 'm', value_enum, default_value_t = Method::Tornado)]
    pub method: Method,
    /// The output to explain: `p_deal`, `p_package:<name or index>`, `leverage_a`,
    /// `leverage_b`, `gained_by_b_km2` (alias `territory`) or another outcome id. Not used by
    /// prim.
    #[arg(long, default_value = "leverage_a")]
    pub output: String,
    /// Trials per run (tornado, prim; Sobol takes `--samples`), seed, threads, and where to
    /// write.
    #[command(flatten)]
    pub run: RunArgs,
    /// Sobol: base samples N (the model runs N x (factors + 2) times).
    #[arg(long, default_value_t = 2048)]
    pub samples: usize,
    /// Sobol: bootstrap resamples for the confidence intervals.
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: usize,
    /// Sobol: confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
    /// PRIM: share of the box's trials each peel removes.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// PRIM: the reported box is the densest covering at least this share of no-deal trials.
    #[arg(long, default_value_t = 0.5)]
    pub min_coverage: f64,
    /// Tornado: include the structural settings (horizon, months, areas; `kind` structural in
    /// `armistice inputs`), each set to the two ends of its slider range. The `kind` column
    /// tells them from the uncertain inputs.
    #[arg(long)]
    pub structural: bool,
}

/// Arguments of `why-no-deal`.
#[derive(Debug, Args)]
pub struct WhyNoDealArgs {
    /// Scenario file (.ron); without it, the built-in baseline.
    pub file: Option<PathBuf>,
    /// Trials, seed, threads, and where to write the report.
    #[command(flatten)]
    pub run: RunArgs,
    /// Share of the box's trials each peel removes.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// The reported box is the densest covering at least this share of no-deal trials.
    #[arg(long, default_value_t = 0.5)]
    pub min_coverage: f64,
}

/// A failed analysis as a command line error, with what to try for threads and memory.
pub(crate) fn cli_error(e: AnalysisError) -> CliError {
    match e {
        AnalysisError::BadRequest(m) => CliError::BadInput(m),
        AnalysisError::Failed(m) if m.contains("worker threads") => {
            CliError::Other(format!("{m}; try fewer threads, e.g. --threads 1"))
        }
        AnalysisError::Failed(m) if m.contains("not enough memory for") && m.contains("Sobol") => {
            CliError::Other(format!("{m}; try fewer samples (--samples)"))
        }
        AnalysisError::Failed(m) if m.contains("not enough memory") => CliError::Other(format!(
            "{m}; try fewer trials (--trials) or a smaller grid"
        )),
        other => CliError::Other(other.to_string()),
    }
}

/// Prints the scenario's warnings (settings without effect, repaired correlations) to
/// standard error; they never stop a command.
pub fn warn_correlations(vs: &ValidScenario) {
    for w in crate::scenario::warnings::warnings(vs.scenario()) {
        note!("armistice: warning: {w}");
    }
    if let Some(w) = correlation_warning(vs) {
        note!("armistice: warning: {w}");
    }
}

/// A progress bar on standard error when it is a terminal.
struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    fn new(what: &str) -> Bar {
        Bar(std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(&format!(
                    "{{spinner}} {{bar:40}} {{pos}}/{{len}} {what} ({{eta}} left)"
                ))
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        }))
    }

    fn update(&self, p: Progress) {
        if let Some(b) = &self.0 {
            b.set_length(p.total);
            b.set_position(p.done);
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// `armistice sweep`.
pub fn sweep(args: SweepArgs) -> Result<(), CliError> {
    let vs = load(args.file.as_deref())?;
    warn_correlations(&vs);
    let opts = args.run.options(&vs)?;
    let axes = args
        .vary
        .iter()
        .map(|v| Axis::parse(v))
        .collect::<Result<Vec<_>, _>>()
        .map_err(cli_error)?;
    let spec = SweepSpec {
        axes,
        trials: opts.trials,
        seed: opts.seed,
    };
    spec.check(&vs).map_err(cli_error)?;
    let varied: Vec<&str> = spec.axes.iter().map(|a| a.path.as_str()).collect();
    for d in dropped_correlations(vs.scenario(), &varied) {
        note!("armistice: note: the correlation {d} is left out while its input is held fixed");
    }
    let sink = open_out(args.run.out.as_deref())?;
    let control = Control::new();
    let bar = Bar::new("trials");
    let progress = |p: Progress| bar.update(p);
    let result = in_pool(opts.threads, || {
        run_sweep(&vs, &spec, args.shard, &control, &progress)
    })
    .map_err(cli_error)?;
    bar.finish();
    finish_out(sink, |w| {
        match args.shard {
            // A shard carries a checksum line that `merge` checks.
            Some(shard) => crate::analysis::merge::write_shard(&result, shard, w),
            None => crate::analysis::sweep::write_sweep_csv(&result, w),
        }
        .map_err(std::io::Error::other)
    })
}

/// `armistice merge`.
pub fn merge(args: MergeArgs) -> Result<(), CliError> {
    let open =
        |f: &PathBuf| crate::files::open_regular(f).map_err(|e| CliError::BadInput(e.to_string()));
    // First every shard against its checksum, so that a damaged one is refused before
    // anything is written; then the merge, which checks every cell.
    for f in &args.files {
        crate::analysis::merge::verify_shard(&f.display().to_string(), open(f)?)
            .map_err(cli_error)?;
    }
    let mut inputs = Vec::with_capacity(args.files.len());
    for f in &args.files {
        inputs.push((f.display().to_string(), open(f)?));
    }
    // Written through the crash-safe writer: a refused merge leaves no file and no partial
    // output in place.
    let sink = open_out(args.out.as_deref())?;
    let mut failure = None;
    let written = finish_out(sink, |w| {
        merge_csv(inputs, w).map(|_| ()).map_err(|e| {
            let err = std::io::Error::other(e.to_string());
            failure = Some(e);
            err
        })
    });
    match failure {
        Some(e) => Err(cli_error(e)),
        None => written,
    }
}

/// `armistice sensitivity`.
pub fn sensitivity(args: SensitivityArgs) -> Result<(), CliError> {
    if args.structural && args.method != Method::Tornado {
        return Err(CliError::BadInput(
            "--structural works with --method tornado: Sobol indices and PRIM draw every factor \
             per trial, and a structural setting is one number per run (sweep it with --vary)"
                .into(),
        ));
    }
    if args.method == Method::Prim {
        return why(WhyNoDealArgs {
            file: args.file,
            run: args.run,
            alpha: args.alpha,
            min_coverage: args.min_coverage,
        });
    }
    let vs = load(args.file.as_deref())?;
    warn_correlations(&vs);
    let opts = args.run.options(&vs)?;
    let output = Output::parse(&args.output, vs.scenario()).map_err(CliError::BadInput)?;
    let sink = open_out(args.run.out.as_deref())?;
    let control = Control::new();
    let mut buf = Vec::new();
    match args.method {
        Method::Tornado => {
            let bar = Bar::new("trials");
            let progress = |p: Progress| bar.update(p);
            let t = tornado_with(&vs, output, &opts, args.structural, &control, &progress)
                .map_err(cli_error)?;
            bar.finish();
            if let Some(w) = t.warning() {
                note!("armistice: warning: {w}");
            }
            if t.correlated_inputs {
                note!(
                    "armistice: note: the scenario declares correlations; an input held at a \
                     percentile is not correlated with the others (column `correlated`)"
                );
            }
            crate::analysis::tornado::write_tornado_csv(&t, &mut buf).map_err(cli_error)?;
        }
        Method::Sobol => {
            let sopts = SobolOptions {
                samples: args.samples,
                bootstrap: args.bootstrap,
                confidence: args.confidence,
                seed: opts.seed,
            };
            let bar = Bar::new("evaluations");
            let progress = |p: Progress| bar.update(p);
            let s =
                sobol(&vs, output, &sopts, opts.threads, &control, &progress).map_err(cli_error)?;
            bar.finish();
            if s.correlated_inputs {
                note!(
                    "armistice: note: the scenario declares correlations; Sobol indices assume \
                     independent inputs and ignore them (column `correlated`)"
                );
            }
            crate::analysis::sobol::write_sobol_csv(&s, &mut buf).map_err(cli_error)?;
        }
        Method::Prim => {}
    }
    finish_out(sink, |w| w.write_all(&buf))
}

/// `armistice why-no-deal`.
pub fn why(args: WhyNoDealArgs) -> Result<(), CliError> {
    let vs = load(args.file.as_deref())?;
    warn_correlations(&vs);
    let opts = args.run.options(&vs)?;
    let popts = PrimOptions {
        alpha: args.alpha,
        min_coverage: args.min_coverage,
        ..PrimOptions::default()
    };
    let sink = open_out(args.run.out.as_deref())?;
    let control = Control::new();
    let bar = Bar::new("trials");
    let progress = |p: Progress| bar.update(p);
    let w = why_no_deal(&vs, &opts, &popts, &control, &progress).map_err(cli_error)?;
    bar.finish();
    if let Some(few) = w.warning() {
        note!("armistice: warning: {few}");
    }
    finish_out(sink, |out| out.write_all(w.report().as_bytes()))
}
