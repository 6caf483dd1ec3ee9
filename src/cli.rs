//! The command line: `run`, `check`, `new`, `inputs`, the analyses (`sweep`, `merge`,
//! `sensitivity`, `why-no-deal`, in [`analysis`]), the figures (`figure`, `brief`, `replay`,
//! in [`figure`]), and (with no subcommand) the desktop
//! app. Bad input (a file or an argument) exits with code 2, anything else that fails with 1.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report;
use crate::run::simulate;
use crate::scenario::{self, LoadError, ValidScenario};
use crate::sim::{Control, RunOptions};

pub mod analysis;
pub mod figure;

/// Explore how a war might be negotiated to an end: Monte Carlo simulation of each side's
/// bargaining leverage under uncertain aid, troops and attrition.
///
/// With no subcommand, opens the desktop app (on FILE, or on the built-in late-2024 baseline).
#[derive(Debug, Parser)]
#[command(name = "armistice", version, about, long_about = None, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// A scenario file (.ron) to open in the desktop app.
    pub file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Output formats of `run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable summary table.
    Table,
    /// The summary as JSON (no timings or dates: equal runs give equal bytes).
    Json,
    /// One row per trial, for pandas (`pd.read_csv`).
    Csv,
}

/// Formats of `export`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Ron,
}

/// What every command that runs the model takes: trials, seed, threads, and where to write.
#[derive(Debug, Default, Args)]
pub struct RunArgs {
    /// Monte Carlo trials per run (default: the file's `simulation.trials`).
    #[arg(long, short = 'n')]
    pub trials: Option<u64>,
    /// Seed of the random streams (default: the file's `simulation.seed`). The same
    /// scenario, seed and trials give the same results on any number of threads (and on any
    /// machine of the same platform and math library).
    #[arg(long, short = 's')]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, short = 't')]
    pub threads: Option<usize>,
    /// Write the output to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}

impl RunArgs {
    /// The run options for `vs`: the file's, overridden by the arguments given, each checked.
    pub fn options(&self, vs: &ValidScenario) -> Result<RunOptions, CliError> {
        let mut opts = RunOptions::from_scenario(vs);
        if let Some(n) = self.trials {
            if !(1..=scenario::limits::MAX_TRIALS).contains(&n) {
                return Err(CliError::BadInput(format!(
                    "--trials must be within 1..={}, got {n}",
                    scenario::limits::MAX_TRIALS
                )));
            }
            opts.trials = n;
        }
        if let Some(s) = self.seed {
            opts.seed = s;
        }
        if let Some(t) = self.threads {
            if !(1..=1024).contains(&t) {
                return Err(CliError::BadInput(format!(
                    "--threads must be within 1..=1024, got {t}"
                )));
            }
            opts.threads = Some(t);
        }
        Ok(opts)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario headless and print its summary.
    Run {
        /// Scenario file (.ron). Without it, the built-in late-2024 baseline runs.
        file: Option<PathBuf>,
        #[command(flatten)]
        run: RunArgs,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Benchmark mode: draw every random number a run needs, sum them, skip the model,
        /// and print the sum and the time taken as JSON (the floor of a run's cost).
        #[arg(long, hide = true)]
        draws_only: bool,
    },
    /// Validate scenario files and print every problem found.
    Check {
        /// Scenario files (.ron).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print a commented scenario template to start from.
    New {
        /// Write the template to this file instead of standard output.
        #[arg(long, short = 'o')]
        out: Option<PathBuf>,
    },
    /// Validate a scenario and print it in canonical form: RON (as the app saves it) or JSON
    /// (for scripts in other languages).
    Export {
        /// Scenario file (.ron); without it, the built-in baseline.
        file: Option<PathBuf>,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short = 'o')]
        out: Option<PathBuf>,
    },
    /// List a scenario's numeric inputs, one per line, tab-separated: name (as `--vary`
    /// takes it), current value, slider minimum, slider maximum.
    Inputs {
        /// Scenario file (.ron); without it, the built-in baseline.
        file: Option<PathBuf>,
    },
    /// Run a scenario at every point of a grid of input values (common random numbers) and
    /// write tidy CSV: one row per point, output and statistic. Shards with --shard I/N.
    Sweep(analysis::SweepArgs),
    /// Join the shard files of one sweep into the CSV an unsharded run writes.
    Merge(analysis::MergeArgs),
    /// Convert a scenario of format version 1 (the one-shot model) to version 2 (bargaining
    /// while fighting), keeping its comments and layout, and say what changes. Writes the file
    /// in place (the previous version kept as a backup) or to --out.
    Upgrade {
        /// Scenario file (.ron) of format version 1.
        file: PathBuf,
        /// Write the converted file here instead of replacing FILE (`-` for standard output).
        #[arg(long, short = 'o')]
        out: Option<PathBuf>,
    },
    /// Which inputs matter for an output: tornado (10th/90th percentile swings), Sobol
    /// indices, or PRIM ("why no deal"). Writes CSV (tornado, sobol) or a report (prim).
    Sensitivity(analysis::SensitivityArgs),
    /// Draw one plot of the app to an SVG (vector) or PNG file at a chosen size and scale,
    /// with its caption stamp and the record that replays it.
    Figure(figure::FigureArgs),
    /// Rerun the run an exported file came from (a PNG or SVG figure, a CSV or JSON export,
    /// a brief) and print its JSON summary: the same bytes as `run --format json` printed.
    /// An edited record is refused.
    Replay(figure::ReplayArgs),
    /// Explain the trials that end with no deal: the box of inputs where they concentrate
    /// (PRIM), as readable conditions with coverage and density.
    WhyNoDeal(analysis::WhyNoDealArgs),
}

/// A failure with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A bad file or argument: exit code 2.
    #[error("{0}")]
    BadInput(String),
    /// Anything else: exit code 1.
    #[error("{0}")]
    Other(String),
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::BadInput(_) => 2,
            CliError::Other(_) => 1,
        }
    }
}

impl From<LoadError> for CliError {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Io { ref source, .. } if source.kind() != std::io::ErrorKind::NotFound => {
                // A file that exists but cannot be read is still the user's input to fix.
                CliError::BadInput(e.to_string())
            }
            other => CliError::BadInput(other.to_string()),
        }
    }
}

/// Loads a scenario file, or the built-in baseline when `file` is `None`.
pub fn load(file: Option<&Path>) -> Result<ValidScenario, CliError> {
    match file {
        Some(p) => Ok(scenario::load_file(p)?),
        None => scenario::builtin_baseline().map_err(|e| CliError::Other(e.to_string())),
    }
}

/// Runs a headless subcommand.
pub fn execute(command: Command) -> Result<(), CliError> {
    match command {
        Command::Run {
            file,
            run: args,
            format,
            draws_only,
        } => {
            if draws_only {
                draws(file.as_deref(), &args)
            } else {
                run(file.as_deref(), &args, format)
            }
        }
        Command::Check { files } => check(&files),
        Command::New { out } => write_out(out.as_deref(), scenario::template::TEMPLATE.as_bytes()),
        Command::Inputs { file } => inputs(file.as_deref()),
        Command::Sweep(args) => analysis::sweep(args),
        Command::Merge(args) => analysis::merge(args),
        Command::Upgrade { file, out } => upgrade(&file, out.as_deref()),
        Command::Sensitivity(args) => analysis::sensitivity(args),
        Command::WhyNoDeal(args) => analysis::why(args),
        Command::Figure(args) => figure::figure(args),
        Command::Replay(args) => figure::replay(args),
        Command::Export { file, format, out } => {
            let vs = load(file.as_deref())?;
            let text = match format {
                ExportFormat::Json => serde_json::to_string_pretty(vs.scenario())
                    .map(|mut t| {
                        t.push('\n');
                        t
                    })
                    .map_err(|e| CliError::Other(e.to_string()))?,
                ExportFormat::Ron => scenario::to_ron_string(vs.scenario())
                    .map_err(|e| CliError::Other(e.to_string()))?,
            };
            write_out(out.as_deref(), text.as_bytes())
        }
    }
}

/// Writes to `out` crash-safely (a synced temporary file renamed over it, the previous
/// version kept as `.bak`), or to standard output.
fn write_out(out: Option<&Path>, bytes: &[u8]) -> Result<(), CliError> {
    match out {
        Some(p) => scenario::io::write_atomic(p, bytes).map_err(|e| match e {
            scenario::SaveError::Io { file, source } => {
                CliError::Other(format!("{file}: cannot write: {source}"))
            }
            other => CliError::Other(other.to_string()),
        }),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(bytes)
                .and_then(|_| stdout.flush())
                .map_err(|e| CliError::Other(format!("cannot write to standard output: {e}")))
        }
    }
}

/// Runs a scenario and prints (or writes) its result.
pub fn run(file: Option<&Path>, args: &RunArgs, format: Format) -> Result<(), CliError> {
    let vs = load(file)?;
    analysis::warn_correlations(&vs);
    let opts = args.options(&vs)?;
    let control = Control::new();
    let bar = (std::io::stderr().is_terminal() && opts.trials >= 200_000).then(|| {
        let bar = indicatif::ProgressBar::new(opts.trials);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {bar:40} {pos}/{len} trials ({eta} left)",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let progress = || {
        if let Some(b) = &bar {
            b.set_position(control.done_trials());
        }
    };
    let result =
        simulate(&vs, &opts, &control, &progress).map_err(|e| CliError::Other(e.to_string()))?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let mut buf: Vec<u8> = Vec::new();
    let written = match format {
        Format::Table => report::table(&result, &vs, &mut buf),
        Format::Json => report::json(&result, &vs)
            .map_err(std::io::Error::other)
            .and_then(|t| buf.write_all(t.as_bytes())),
        Format::Csv => report::trials_csv(&result, &vs, &mut buf),
    };
    written.map_err(|e| CliError::Other(format!("cannot format the result: {e}")))?;
    write_out(args.out.as_deref(), &buf)
}

fn draws(file: Option<&Path>, args: &RunArgs) -> Result<(), CliError> {
    let vs = load(file)?;
    let opts = args.options(&vs)?;
    let engine = crate::sim::Engine::new(&vs);
    let start = std::time::Instant::now();
    let sum = engine
        .run_draws_only(&opts, &Control::new())
        .map_err(|e| CliError::Other(e.to_string()))?;
    let seconds = start.elapsed().as_secs_f64();
    let text = format!(
        "{{\"mode\": \"draws_only\", \"trials\": {}, \"seed\": {}, \"sum\": {sum}, \"seconds\": {seconds}}}\n",
        opts.trials, opts.seed
    );
    write_out(None, text.as_bytes())
}

fn check(files: &[PathBuf]) -> Result<(), CliError> {
    let mut failed = Vec::new();
    for f in files {
        match scenario::load_file(f) {
            Ok(vs) => {
                let inputs = vs.inputs();
                let uncertain = inputs.iter().filter(|i| !i.input.value.is_fixed()).count();
                println!(
                    "{}: valid ({} inputs, {} uncertain, {} packages)",
                    f.display(),
                    inputs.len(),
                    uncertain,
                    vs.bargaining.packages.len()
                );
                analysis::warn_correlations(&vs);
            }
            Err(e) => {
                for line in e.lines() {
                    eprintln!("{line}");
                }
                failed.push(f.display().to_string());
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::BadInput(format!(
            "{} of {} file{} invalid: {}",
            failed.len(),
            files.len(),
            if files.len() == 1 { " is" } else { "s are" },
            failed.join(", ")
        )))
    }
}

fn upgrade(file: &Path, out: Option<&Path>) -> Result<(), CliError> {
    let vs = scenario::load_file(file)?;
    let text = std::fs::read_to_string(file)
        .map_err(|e| CliError::BadInput(format!("{}: cannot read: {e}", file.display())))?;
    let up = scenario::upgrade::upgrade_text(&text, vs.scenario())
        .map_err(|e| CliError::BadInput(format!("{}: {e}", file.display())))?;
    // The converted text must be a valid version-2 scenario before anything is written.
    scenario::load_str(&up.text, &file.display().to_string())?;
    match out {
        Some(p) if p == Path::new("-") => write_out(None, up.text.as_bytes())?,
        Some(p) => write_out(Some(p), up.text.as_bytes())?,
        None => write_out(Some(file), up.text.as_bytes())?,
    }
    let target = match out {
        Some(p) if p != Path::new("-") => p.display().to_string(),
        Some(_) => "standard output".to_string(),
        None => file.display().to_string(),
    };
    eprintln!(
        "{}: converted from format version 1 to {} ({target}). What changes:",
        file.display(),
        scenario::FORMAT_VERSION
    );
    for note in up.notes {
        eprintln!("  - {note}");
    }
    Ok(())
}

fn inputs(file: Option<&Path>) -> Result<(), CliError> {
    let vs = load(file)?;
    let mut text = String::new();
    for info in vs.inputs() {
        let range = info.slider_range();
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            info.path,
            info.input.value.central(),
            range.min,
            range.max
        ));
    }
    write_out(None, text.as_bytes())
}
