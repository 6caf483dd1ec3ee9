//! The analysis commands: `sweep`, `merge`, `sensitivity` and `why-no-deal`. Each writes
//! tidy CSV (or, for "why no deal", a readable report) and prints notes and warnings to
//! standard error.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{CliError, RunArgs, load, write_out};
use crate::analysis::prim::{PrimOptions, why_no_deal};
use crate::analysis::sobol::{SobolOptions, sobol};
use crate::analysis::sweep::{Axis, Shard, SweepSpec, merge_csv, run_sweep};
use crate::analysis::tornado::tornado;
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

fn cli_error(e: AnalysisError) -> CliError {
    match e {
        AnalysisError::BadRequest(m) => CliError::BadInput(m),
        other => CliError::Other(other.to_string()),
    }
}

/// Prints the warning about repaired correlations, if any, to standard error.
pub fn warn_correlations(vs: &ValidScenario) {
    if let Some(w) = correlation_warning(vs) {
        eprintln!("armistice: warning: {w}");
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
        eprintln!("armistice: note: the correlation {d} is left out while its input is held fixed");
    }
    let control = Control::new();
    let bar = Bar::new("trials");
    let progress = |p: Progress| bar.update(p);
    let result = in_pool(opts.threads, || {
        run_sweep(&vs, &spec, args.shard, &control, &progress)
    })
    .map_err(cli_error)?;
    bar.finish();
    let mut buf = Vec::new();
    crate::analysis::sweep::write_csv(&result, &mut buf).map_err(cli_error)?;
    write_out(args.run.out.as_deref(), &buf)
}

/// `armistice merge`.
pub fn merge(args: MergeArgs) -> Result<(), CliError> {
    let mut inputs = Vec::with_capacity(args.files.len());
    for f in &args.files {
        let file = std::fs::File::open(f)
            .map_err(|e| CliError::BadInput(format!("{}: cannot read: {e}", f.display())))?;
        inputs.push((f.display().to_string(), std::io::BufReader::new(file)));
    }
    match args.out.as_deref() {
        Some(p) => {
            // Write next to the target, then rename: a failed merge leaves no partial file.
            let tmp = tmp_path(p);
            let file = std::fs::File::create(&tmp)
                .map_err(|e| CliError::Other(format!("{}: cannot write: {e}", tmp.display())))?;
            let result = merge_csv(inputs, std::io::BufWriter::new(file));
            match result {
                Ok(_) => std::fs::rename(&tmp, p)
                    .map_err(|e| CliError::Other(format!("{}: cannot write: {e}", p.display()))),
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    Err(cli_error(e))
                }
            }
        }
        None => {
            let mut buf = Vec::new();
            merge_csv(inputs, &mut buf).map_err(cli_error)?;
            write_out(None, &buf)
        }
    }
}

fn tmp_path(p: &Path) -> PathBuf {
    let mut name = p.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    p.with_file_name(name)
}

/// `armistice sensitivity`.
pub fn sensitivity(args: SensitivityArgs) -> Result<(), CliError> {
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
    let control = Control::new();
    let mut buf = Vec::new();
    match args.method {
        Method::Tornado => {
            let bar = Bar::new("trials");
            let progress = |p: Progress| bar.update(p);
            let t = tornado(&vs, output, &opts, &control, &progress).map_err(cli_error)?;
            bar.finish();
            if t.correlated_inputs {
                eprintln!(
                    "armistice: note: the scenario declares correlations; an input held at a \
                     percentile is not correlated with the others (column `correlated`)"
                );
            }
            crate::analysis::tornado::write_csv(&t, &mut buf).map_err(cli_error)?;
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
                eprintln!(
                    "armistice: note: the scenario declares correlations; Sobol indices assume \
                     independent inputs and ignore them (column `correlated`)"
                );
            }
            crate::analysis::sobol::write_csv(&s, &mut buf).map_err(cli_error)?;
        }
        Method::Prim => {}
    }
    write_out(args.run.out.as_deref(), &buf)
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
    let control = Control::new();
    let bar = Bar::new("trials");
    let progress = |p: Progress| bar.update(p);
    let w = why_no_deal(&vs, &opts, &popts, &control, &progress).map_err(cli_error)?;
    bar.finish();
    write_out(args.run.out.as_deref(), w.report().as_bytes())
}
