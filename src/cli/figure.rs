//! The figure commands: `figure` (any plot of the app to SVG or PNG at a chosen size and
//! scale), `brief` (the one-page HTML brief) and `replay` (rerun the run a figure, a CSV, a
//! JSON report or a brief came from, and print its JSON summary).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{CliError, RunArgs, finish_out, load, open_out};
use crate::analysis::sweep::{Axis, heatmap, leverage_curve};
use crate::analysis::{AnalysisError, Output, in_pool};
use crate::figure::export::{Format, Look, Spec};
use crate::figure::{FigureInput, PlotKind, build};
use crate::replay::Replay;
use crate::run::{RunResult, simulate};
use crate::scenario::ValidScenario;
use crate::sim::{Control, RunOptions};

/// Arguments of `figure`.
#[derive(Debug, Args)]
pub struct FigureArgs {
    /// Scenario file (.ron); without it, the built-in baseline.
    pub file: Option<PathBuf>,
    /// The plot: leverage, deal (format version 1), front, bargaining-range,
    /// settlement-curve, why-the-war-goes-on, terms-at-settlement, leverage-by-month
    /// (format version 2), or an analysis: tornado, sobol, leverage-curve, heatmap,
    /// why-no-deal.
    #[arg(long, short = 'p')]
    pub plot: String,
    /// Trials, seed, threads, and the file to write (`.svg` or `.png`; required).
    #[command(flatten)]
    pub run: RunArgs,
    /// The format, when the file name does not say it.
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<Format>,
    /// Width in points (CSS pixels; 72 points make an inch in print at scale 1).
    #[arg(long, default_value_t = 800.0)]
    pub width: f32,
    /// Height in points.
    #[arg(long, default_value_t = 500.0)]
    pub height: f32,
    /// PNG pixels per point (3 gives 2400 x 1500 pixels for the default size).
    #[arg(long, default_value_t = 3.0)]
    pub scale: f32,
    /// Colours and sizes.
    #[arg(long, value_enum, default_value_t = Look::Light)]
    pub theme: Look,
    /// Leverage: cumulative distributions instead of histograms.
    #[arg(long)]
    pub cdf: bool,
    /// Front: the area gained in each month instead of since the start.
    #[arg(long)]
    pub per_month: bool,
    /// Tornado, Sobol, heatmap: the output to explain (as `sensitivity --output` takes it).
    #[arg(long, default_value = "leverage_a")]
    pub output: String,
    /// Leverage curve (one) and heatmap (two: x, then y): `NAME=FROM:TO:STEPS`.
    #[arg(long = "vary", value_name = "NAME=FROM:TO:STEPS")]
    pub vary: Vec<String>,
    /// Sobol: base samples.
    #[arg(long, default_value_t = 1024)]
    pub samples: usize,
}

/// Arguments of `brief`.
#[derive(Debug, Args)]
pub struct BriefArgs {
    /// Scenario file (.ron); without it, the built-in baseline.
    pub file: Option<PathBuf>,
    /// Trials, seed, threads, and the file to write (`.html`; standard output without it).
    #[command(flatten)]
    pub run: RunArgs,
}

/// Arguments of `replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// A file Armistice exported: a PNG or SVG figure, a CSV or JSON export, or a brief.
    pub figure: PathBuf,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, short = 't')]
    pub threads: Option<usize>,
    /// Write the JSON summary here instead of standard output.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Only print the scenario the record carries (RON), without running it.
    #[arg(long)]
    pub scenario_only: bool,
}

/// The largest file `replay` reads (a PNG at the largest size and scale stays under it).
const MAX_FIGURE_BYTES: u64 = 512 * 1024 * 1024;

fn analysis_error(e: AnalysisError) -> CliError {
    match e {
        AnalysisError::BadRequest(m) => CliError::BadInput(m),
        other => CliError::Other(other.to_string()),
    }
}

fn run_of(vs: &ValidScenario, opts: &RunOptions) -> Result<RunResult, CliError> {
    simulate(vs, opts, &Control::new(), &|| {}).map_err(|e| CliError::Other(e.to_string()))
}

/// The format `out` names, or the one asked for.
fn format_of(out: &Path, asked: Option<Format>) -> Result<Format, CliError> {
    asked.or_else(|| Format::of_path(out)).ok_or_else(|| {
        CliError::BadInput(format!(
            "{}: name the file .svg or .png, or give --format svg|png",
            out.display()
        ))
    })
}

/// The analysis figure of `kind` for `vs`.
fn analysis_figure(
    kind: PlotKind,
    vs: &ValidScenario,
    args: &FigureArgs,
    opts: &RunOptions,
) -> Result<crate::figure::Figure, CliError> {
    let sc = vs.scenario();
    let control = Control::new();
    let progress = |_| {};
    let output = || Output::parse(&args.output, sc).map_err(CliError::BadInput);
    let axes = || {
        args.vary
            .iter()
            .map(|v| Axis::parse(v))
            .collect::<Result<Vec<_>, _>>()
            .map_err(analysis_error)
    };
    match kind {
        PlotKind::Tornado => {
            let o = output()?;
            let t = crate::analysis::tornado::tornado(vs, o, opts, &control, &progress)
                .map_err(analysis_error)?;
            Ok(crate::figure::analysis::tornado(&t))
        }
        PlotKind::Sobol => {
            let o = output()?;
            let sopts = crate::analysis::sobol::SobolOptions {
                samples: args.samples.max(64),
                seed: opts.seed,
                ..Default::default()
            };
            let s = crate::analysis::sobol::sobol(vs, o, &sopts, opts.threads, &control, &progress)
                .map_err(analysis_error)?;
            Ok(crate::figure::analysis::sobol(&s))
        }
        PlotKind::Curve => {
            let axes = axes()?;
            let [axis] = axes.as_slice() else {
                return Err(CliError::BadInput(
                    "leverage-curve needs one --vary NAME=FROM:TO:STEPS".into(),
                ));
            };
            let c = in_pool(opts.threads, || {
                leverage_curve(vs, axis, opts, &control, &progress)
            })
            .map_err(analysis_error)?;
            Ok(crate::figure::analysis::curve(
                &c,
                &sc.sides.a.name,
                sc.version >= 2,
            ))
        }
        PlotKind::Heatmap => {
            let o = output()?;
            let axes = axes()?;
            let [x, y] = axes.as_slice() else {
                return Err(CliError::BadInput(
                    "heatmap needs two --vary NAME=FROM:TO:STEPS (x, then y)".into(),
                ));
            };
            let h = in_pool(opts.threads, || {
                heatmap(vs, x, y, opts, &control, &progress)
            })
            .map_err(analysis_error)?;
            let current = crate::figure::analysis::current_point(vs, &x.path, &y.path);
            Ok(crate::figure::analysis::heatmap(
                &h,
                o,
                &o.label(sc),
                current,
            ))
        }
        PlotKind::WhyNoDeal => {
            let w = crate::analysis::prim::why_no_deal(
                vs,
                opts,
                &crate::analysis::prim::PrimOptions::default(),
                &control,
                &progress,
            )
            .map_err(analysis_error)?;
            Ok(crate::figure::analysis::why_no_deal(&w, sc.version >= 2))
        }
        _ => Err(CliError::Other(format!(
            "{} is not an analysis",
            kind.name()
        ))),
    }
}

/// `armistice figure`.
pub fn figure(args: FigureArgs) -> Result<(), CliError> {
    let kind = PlotKind::from_name(&args.plot).ok_or_else(|| {
        CliError::BadInput(format!(
            "--plot {}: unknown plot; one of {}",
            args.plot,
            PlotKind::ALL.map(|k| k.name()).join(", ")
        ))
    })?;
    let out =
        args.run.out.clone().ok_or_else(|| {
            CliError::BadInput("give --out FILE.svg or --out FILE.png".to_string())
        })?;
    let format = format_of(&out, args.format)?;
    let spec = Spec {
        width: args.width,
        height: args.height,
        scale: args.scale,
        theme: args.theme.theme(),
    };
    spec.check().map_err(CliError::BadInput)?;
    let vs = load(args.file.as_deref())?;
    super::analysis::warn_correlations(&vs);
    let opts = args.run.options(&vs)?;
    // Refuse a target that cannot be written before the work starts.
    let sink = open_out(Some(&out))?;
    let monthly = vs.version >= 2;
    if !kind.applies_to(monthly) {
        return Err(CliError::BadInput(format!(
            "--plot {}: the scenario is format version {}; this plot is for version {}",
            kind.name(),
            vs.version,
            if monthly { 1 } else { 2 }
        )));
    }
    let result = run_of(&vs, &opts)?;
    let fig = if kind.is_analysis() {
        analysis_figure(kind, &vs, &args, &opts)?
    } else {
        let input = FigureInput {
            result: &result,
            scenario: vs.scenario(),
            baseline: None,
            cdf: args.cdf,
            front_monthly: args.per_month,
        };
        build(kind, &input)
            .ok_or_else(|| CliError::Other(format!("no {} plot for this run", kind.name())))?
    };
    let replay = Replay::of(vs.scenario(), &result.stamp);
    let bytes = crate::figure::export::file(&fig, &spec, format, &result.stamp, &replay)
        .map_err(|e| CliError::BadInput(e.to_string()))?;
    finish_out(sink, |w| w.write_all(&bytes))
}

/// `armistice brief`.
pub fn brief(args: BriefArgs) -> Result<(), CliError> {
    let vs = load(args.file.as_deref())?;
    super::analysis::warn_correlations(&vs);
    let opts = args.run.options(&vs)?;
    let sink = open_out(args.run.out.as_deref())?;
    let result = run_of(&vs, &opts)?;
    let html = crate::brief::html(&result, vs.scenario(), &crate::brief::today());
    finish_out(sink, |w| w.write_all(html.as_bytes()))
}

/// `armistice replay`.
pub fn replay(args: ReplayArgs) -> Result<(), CliError> {
    let bytes = crate::files::read_limited(&args.figure, MAX_FIGURE_BYTES)
        .map_err(|e| CliError::BadInput(e.to_string()))?;
    let record = crate::replay::extract(&bytes)
        .map_err(|e| CliError::BadInput(format!("{}: {e}", args.figure.display())))?;
    let vs = record
        .verify()
        .map_err(|e| CliError::BadInput(format!("{}: {e}", args.figure.display())))?;
    let sink = open_out(args.out.as_deref())?;
    if args.scenario_only {
        return finish_out(sink, |w| w.write_all(record.scenario.as_bytes()));
    }
    if let Some(t) = args.threads
        && !(1..=1024).contains(&t)
    {
        return Err(CliError::BadInput(format!(
            "--threads must be within 1..=1024, got {t}"
        )));
    }
    if !(1..=crate::scenario::limits::MAX_TRIALS).contains(&record.trials) {
        return Err(CliError::BadInput(format!(
            "{}: the record asks for {} trials, outside 1..={}",
            args.figure.display(),
            record.trials,
            crate::scenario::limits::MAX_TRIALS
        )));
    }
    let opts = RunOptions {
        trials: record.trials,
        seed: record.seed,
        threads: args.threads,
    };
    let result = run_of(&vs, &opts)?;
    let text = crate::report::json(&result, &vs).map_err(|e| CliError::Other(e.to_string()))?;
    finish_out(sink, |w| w.write_all(text.as_bytes()))
}
