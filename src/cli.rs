//! The command line: `run`, `check`, `new`, `inputs`, the analyses (`sweep`, `merge`,
//! `sensitivity`, `why-no-deal`, in [`analysis`]), the figures (`figure`, `brief`, `replay`,
//! in [`figure`]), the hidden `completions` and `manpage` generators (in [`generate`]), and
//! (with no subcommand) the desktop app. Bad input (a file or an argument) exits with code
//! 2, anything else that fails with 1.
//!
//! Long because every command's arguments and its dispatch sit together, so that `--help`
//! and the code read in the same order; each command's work lives in its own module.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::files::{Sink, WriteError, WriteOptions};
use crate::report;
use crate::run::simulate;
use crate::scenario::{self, LoadError, ValidScenario};
use crate::sim::{Control, RunError, RunOptions};

/// Writes a line to standard error, ignoring failure: a closed or full standard error must
/// not stop (or crash) a command.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod analysis;
pub mod figure;
pub mod generate;

/// Explore how a war might be negotiated to an end: Monte Carlo simulation of each side's
/// bargaining leverage under uncertain aid, troops and attrition.
///
/// With no subcommand, opens the desktop app (on FILE, or on the built-in late-2024 baseline).
#[derive(Debug, Parser)]
#[command(
    name = "armistice",
    version,
    long_version = long_version(),
    about,
    long_about = None,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A scenario file (.ron) to open in the desktop app.
    pub file: Option<PathBuf>,

    /// Replace read-only output files too (`-o`, `--out`).
    #[arg(long, global = true)]
    pub force: bool,

    /// Plain text without colours in help and error messages (as when NO_COLOR is set).
    #[arg(long, global = true)]
    pub no_color: bool,

    /// The command; none opens the app.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What `armistice --version` prints after the name: the version, then the scenario format
/// versions this build reads (from [`scenario::READABLE_VERSIONS`]) and the one it writes.
pub fn long_version() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let read = scenario::READABLE_VERSIONS
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "{}\nscenario format versions read: {read}\nscenario format version written: {}",
            env!("CARGO_PKG_VERSION"),
            scenario::FORMAT_VERSION
        )
    })
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
        /// With `--format csv`: one more column per drawn input (named as `armistice inputs`
        /// lists it), holding the value each trial drew, to regress outcomes on inputs.
        #[arg(long)]
        with_inputs: bool,
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
    /// List every number of a scenario that can be set or swept, one per line,
    /// tab-separated: name (as `--vary` and `set` take it), value (as written; the median,
    /// rounded to its distribution's precision, for an uncertain input), slider minimum,
    /// slider maximum, and kind: `input` (may be a distribution) or `structural` (a plain
    /// number such as the horizon or a cut-off month; whole months are swept over whole
    /// months).
    Inputs {
        /// Scenario file (.ron); without it, the built-in baseline.
        file: Option<PathBuf>,
    },
    /// Change values in a scenario file, keeping its comments and layout: only the lines of
    /// the changed values change. PATH is an input or structural setting as `armistice
    /// inputs` lists it (or simulation.trials, simulation.seed); VALUE is a number or, for an
    /// input, a distribution in RON. The result is validated before it is
    /// written (in place, keeping backups, or to --out).
    Set {
        /// Scenario file (.ron), or `-` for standard input (then written to standard output
        /// unless --out says otherwise).
        file: PathBuf,
        /// `PATH=VALUE`, e.g. `sides.a.manpower=900000` or
        /// `'aid[1].cutoff.continue_probability=Triangular(min: 0.2, mode: 0.4, max: 0.6)'`.
        #[arg(required = true, value_name = "PATH=VALUE")]
        assignments: Vec<String>,
        /// Write the result here instead of over FILE (`-` for standard output).
        #[arg(long, short = 'o')]
        out: Option<PathBuf>,
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
    /// Write the one-page brief of a run: a self-contained HTML file (title, headline numbers
    /// with standard errors, the main plots, every input, the sources cited, the replay
    /// stamp) that prints on two A4 or Letter pages.
    Brief(figure::BriefArgs),
    /// Rerun the run an exported file came from (a PNG or SVG figure, a CSV or JSON export,
    /// a brief) and print its JSON summary: the same bytes as `run --format json` printed.
    /// An edited record is refused.
    Replay(figure::ReplayArgs),
    /// Explain the trials that end with no deal: the box of inputs where they concentrate
    /// (PRIM), as readable conditions with coverage and density.
    WhyNoDeal(analysis::WhyNoDealArgs),
    /// Print the shell completion script for SHELL (for packagers and `cargo install` users).
    #[command(hide = true)]
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or with --dir write it and one page per command there.
    #[command(hide = true)]
    Manpage {
        /// Write armistice.1 and armistice-COMMAND.1 into this folder.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
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
    /// Standard output was closed by its reader (`armistice run -f csv | head -1`): the
    /// command ends quietly with exit code 0, as Unix tools do.
    #[error("standard output was closed")]
    OutputClosed,
}

impl CliError {
    /// The process exit code: 2 for bad input, 1 for anything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::BadInput(_) => 2,
            CliError::Other(_) => 1,
            CliError::OutputClosed => 0,
        }
    }
}

impl From<WriteError> for CliError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Closed => CliError::OutputClosed,
            WriteError::Refused { .. } => CliError::BadInput(e.to_string()),
            WriteError::Io { .. } => CliError::Other(e.to_string()),
        }
    }
}

/// A failed run, with what to try.
fn run_failed(e: RunError) -> CliError {
    match e {
        RunError::OutOfMemory { trials } => CliError::Other(format!(
            "not enough memory for {trials} trials; try fewer trials (--trials) or free memory"
        )),
        RunError::Threads(m) => CliError::Other(format!(
            "cannot start worker threads ({m}); try fewer threads, e.g. --threads 1"
        )),
        other => CliError::Other(other.to_string()),
    }
}

/// Runs `f`, a run of the engine and its summary, on a pool of this command's own rather
/// than rayon's global one, so that threads the system refuses (`ulimit -u`, or no memory
/// left for a thread's stack under `ulimit -v`) are an error with a suggestion, not a panic.
/// With a thread count the engine runs on its own pool of that size, and the summary after
/// it on this one.
fn on_pool<T: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> Result<T, RunError> + Send,
) -> Result<T, CliError> {
    crate::analysis::in_pool(threads, || Ok(f()))
        .map_err(analysis::cli_error)?
        .map_err(run_failed)
}

static FORCE: AtomicBool = AtomicBool::new(false);

/// Lets `-o` replace read-only files (the global `--force`).
pub fn set_force(force: bool) {
    FORCE.store(force, Ordering::Relaxed);
}

/// How output files are written: crash-safely with backups; read-only ones only with `--force`.
pub fn write_options() -> WriteOptions {
    WriteOptions {
        force: FORCE.load(Ordering::Relaxed),
        ..WriteOptions::default()
    }
}

/// Opens the output before the work starts, so that a target that cannot be written is
/// refused at once: standard output for `None`, `-` or `/dev/stdout`.
pub fn open_out(out: Option<&Path>) -> Result<Sink, CliError> {
    Ok(Sink::open(out, write_options())?)
}

/// Runs `write` into an open output and finishes it (a file is put in place only then).
pub fn finish_out(
    mut sink: Sink,
    write: impl FnOnce(&mut Sink) -> std::io::Result<()>,
) -> Result<(), CliError> {
    if let Err(e) = write(&mut sink) {
        return Err(sink.error(e).into());
    }
    Ok(sink.finish()?)
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
            with_inputs,
            draws_only,
        } => {
            if draws_only {
                draws(file.as_deref(), &args)
            } else {
                run_with(file.as_deref(), &args, format, with_inputs)
            }
        }
        Command::Check { files } => check(&files),
        Command::New { out } => write_out(out.as_deref(), scenario::template::TEMPLATE.as_bytes()),
        Command::Inputs { file } => inputs(file.as_deref()),
        Command::Set {
            file,
            assignments,
            out,
        } => set(&file, &assignments, out.as_deref()),
        Command::Sweep(args) => analysis::sweep(args),
        Command::Merge(args) => analysis::merge(args),
        Command::Upgrade { file, out } => upgrade(&file, out.as_deref()),
        Command::Sensitivity(args) => analysis::sensitivity(args),
        Command::WhyNoDeal(args) => analysis::why(args),
        Command::Figure(args) => figure::figure(args),
        Command::Brief(args) => figure::brief(args),
        Command::Replay(args) => figure::replay(args),
        Command::Completions { shell } => write_out(None, &generate::completions(shell)),
        Command::Manpage { dir: None } => write_out(None, &generate::manpage()?),
        Command::Manpage { dir: Some(dir) } => {
            for path in generate::manpages(&dir)? {
                eprintln!("wrote {}", path.display());
            }
            Ok(())
        }
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

/// Writes to `out` crash-safely (see [`crate::files::write`]), or to standard output.
fn write_out(out: Option<&Path>, bytes: &[u8]) -> Result<(), CliError> {
    finish_out(open_out(out)?, |w| w.write_all(bytes))
}

/// Runs a scenario and prints (or writes) its result.
pub fn run(file: Option<&Path>, args: &RunArgs, format: Format) -> Result<(), CliError> {
    run_with(file, args, format, false)
}

/// `armistice run`; `with_inputs` adds the drawn inputs to the per-trial CSV.
pub fn run_with(
    file: Option<&Path>,
    args: &RunArgs,
    format: Format,
    with_inputs: bool,
) -> Result<(), CliError> {
    if with_inputs && format != Format::Csv {
        return Err(CliError::BadInput(
            "--with-inputs adds columns to the per-trial CSV: use it with --format csv".into(),
        ));
    }
    let vs = load(file)?;
    analysis::warn_correlations(&vs);
    let opts = args.options(&vs)?;
    let sink = open_out(args.out.as_deref())?;
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
    let result = on_pool(opts.threads, || simulate(&vs, &opts, &control, &progress))?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if format == Format::Json {
        let text = report::json(&result, &vs)
            .map_err(|e| CliError::Other(format!("cannot format the result: {e}")))?;
        return finish_out(sink, |w| w.write_all(text.as_bytes()));
    }
    // The table and the per-trial CSV stream into the output as they are formatted.
    finish_out(sink, |w| match format {
        Format::Csv if with_inputs => {
            let engine = crate::sim::Engine::new(&vs);
            report::trials_csv_with(&result, &vs, Some(&engine), w)
        }
        Format::Csv => report::trials_csv(&result, &vs, w),
        _ => report::table(&result, &vs, w),
    })
}

fn draws(file: Option<&Path>, args: &RunArgs) -> Result<(), CliError> {
    let vs = load(file)?;
    let opts = args.options(&vs)?;
    let engine = crate::sim::Engine::new(&vs);
    let start = std::time::Instant::now();
    let sum = on_pool(opts.threads, || {
        engine.run_draws_only(&opts, &Control::new())
    })?;
    let seconds = start.elapsed().as_secs_f64();
    let text = format!(
        "{{\"mode\": \"draws_only\", \"trials\": {}, \"seed\": {}, \"sum\": {sum}, \"seconds\": {seconds}}}\n",
        opts.trials, opts.seed
    );
    write_out(None, text.as_bytes())
}

fn check(files: &[PathBuf]) -> Result<(), CliError> {
    let mut failed = Vec::new();
    let mut report = String::new();
    for f in files {
        let name = if crate::files::read::is_stdin(f) {
            "<stdin>".to_string()
        } else {
            f.display().to_string()
        };
        match scenario::io::load_file(f) {
            Ok(vs) if !crate::classroom::lesson_issues(&vs).is_empty() => {
                for issue in crate::classroom::lesson_issues(&vs) {
                    note!("{name}: {issue}");
                }
                failed.push(name);
            }
            Ok(vs) => {
                let inputs = vs.inputs();
                let uncertain = inputs.iter().filter(|i| !i.input.value.is_fixed()).count();
                let lesson = vs.lesson.as_ref().map_or_else(String::new, |l| {
                    format!(", a lesson of {} steps", l.steps.len())
                });
                report.push_str(&format!(
                    "{name}: valid ({} inputs, {} uncertain, {} packages{lesson})\n",
                    inputs.len(),
                    uncertain,
                    vs.bargaining.packages.len()
                ));
                // Warnings are shown, never fatal.
                for w in scenario::warnings::warnings(vs.scenario()) {
                    note!("{name}: warning: {w}");
                }
                if let Some(w) = crate::sim::correlate::correlation_warning(&vs) {
                    note!("{name}: warning: {w}");
                }
            }
            Err(e) => {
                for line in e.lines() {
                    note!("{line}");
                }
                failed.push(name);
            }
        }
    }
    // A closed standard output does not hide invalid files: their exit code stays.
    let written = write_out(None, report.as_bytes());
    if failed.is_empty() {
        written
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
    // Read once, through the guarded reader, and parse that same text.
    let text = scenario::io::read_text(file)?;
    let vs = scenario::load_str(&text, &file.display().to_string())?;
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
    note!(
        "{}: converted from format version 1 to {} ({target}). What changes:",
        file.display(),
        scenario::FORMAT_VERSION
    );
    for note in up.notes {
        note!("  - {note}");
    }
    Ok(())
}

fn inputs(file: Option<&Path>) -> Result<(), CliError> {
    use crate::text::fmt_plain;
    let vs = load(file)?;
    let mut text = String::new();
    for p in crate::analysis::params(vs.scenario()) {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\n",
            p.path,
            fmt_plain(p.value),
            fmt_plain(p.slider.min),
            fmt_plain(p.slider.max),
            p.key.kind_id()
        ));
    }
    write_out(None, text.as_bytes())
}

/// `armistice set`: assigns the values, validates, and writes the file with only the changed
/// values' text changed.
fn set(file: &Path, assignments: &[String], out: Option<&Path>) -> Result<(), CliError> {
    let text = scenario::io::read_text(file)?;
    let label = if crate::files::read::is_stdin(file) {
        "<stdin>".to_string()
    } else {
        file.display().to_string()
    };
    let mut sc = scenario::parse_str(&text, &label)?;
    for a in assignments {
        scenario::set::Assignment::parse(a)
            .and_then(|a| a.apply(&mut sc))
            .map_err(|e| CliError::BadInput(format!("{label}: {e}")))?;
    }
    if let Err(issues) = scenario::validate(sc.clone()) {
        return Err(LoadError::Invalid {
            file: label,
            issues,
        }
        .into());
    }
    let (new_text, layout) =
        scenario::patch::patch_text(&text, &sc).map_err(|e| CliError::Other(e.to_string()))?;
    if layout == scenario::patch::Layout::Canonical {
        note!(
            "armistice: note: {label}: its layout could not be followed; written in canonical form"
        );
    }
    let target = match out {
        Some(o) => Some(o),
        None if crate::files::read::is_stdin(file) => None,
        None => Some(file),
    };
    write_out(target, new_text.as_bytes())
}
