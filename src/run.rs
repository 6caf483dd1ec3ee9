//! One simulation from a validated scenario to a summary: compile, run, summarise.

use crate::scenario::{ValidScenario, scenario_hash};
use crate::sim::{Control, Engine, RunError, RunOptions, RunOutput};
use crate::stats::{Summary, summarize};

/// Everything a finished run produced, with what identifies it.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// Every trial's record and the front's histograms.
    pub output: RunOutput,
    /// The statistics of every outcome.
    pub summary: Summary,
    /// What produced it.
    pub stamp: Stamp,
}

/// What identifies a result: scenario title and hash, seed, trial count, app version.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    /// The program: `armistice`.
    pub app: String,
    /// Its version.
    pub app_version: String,
    /// The scenario's `meta.title`.
    pub scenario_title: String,
    /// The hash of the scenario's canonical text (`scenario_hash`).
    pub scenario_hash: String,
    /// The seed of the random streams.
    pub seed: u64,
    /// The number of trials.
    pub trials: u64,
}

impl Stamp {
    /// The stamp of a run of `vs` with `seed` and `trials`.
    pub fn new(vs: &ValidScenario, seed: u64, trials: u64) -> Self {
        Stamp {
            app: "armistice".into(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            scenario_title: vs.meta.title.clone(),
            scenario_hash: scenario_hash(vs.scenario()),
            seed,
            trials,
        }
    }

    /// The commented stamp every CSV starts with, one `# key: value` line each for the
    /// program and its version, the scenario's title and hash, the seed and the trial count
    /// (for Sobol indices, the base samples): `pandas.read_csv(path, comment="#")` and R's
    /// `read.csv(path, comment.char = "#")` skip it. Line breaks in the title become spaces.
    pub fn csv_comment(&self) -> String {
        let title: String = self
            .scenario_title
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        format!(
            "# {}: {}\n# title: {title}\n# scenario_hash: {}\n# seed: {}\n# trials: {}\n",
            self.app, self.app_version, self.scenario_hash, self.seed, self.trials
        )
    }

    /// One line: `armistice 0.1.0 | <title> | scenario <hash> | seed S | N trials` (N with
    /// thousands separators).
    pub fn line(&self) -> String {
        format!(
            "{} {} | {} | scenario {} | seed {} | {} trials",
            self.app,
            self.app_version,
            self.scenario_title,
            self.scenario_hash,
            self.seed,
            crate::text::group_thousands(self.trials as f64)
        )
    }
}

/// Runs a scenario and summarises the result.
pub fn simulate(
    vs: &ValidScenario,
    opts: &RunOptions,
    control: &Control,
    on_progress: &(dyn Fn() + Sync),
) -> Result<RunResult, RunError> {
    let engine = Engine::new(vs);
    simulate_with(&engine, vs, opts, control, on_progress)
}

/// Runs an already compiled engine of `vs` and summarises the result.
pub fn simulate_with(
    engine: &Engine,
    vs: &ValidScenario,
    opts: &RunOptions,
    control: &Control,
    on_progress: &(dyn Fn() + Sync),
) -> Result<RunResult, RunError> {
    let output = engine.run(opts, control, on_progress)?;
    let spec = engine.front_spec();
    let bands = output.front.bands(spec);
    let mut summary = summarize(&output, vs.bargaining.packages.len(), bands);
    if let (Some(st), Some(fighting)) = (summary.settlement.as_mut(), &output.front_fighting) {
        st.front_while_fighting = fighting.bands(spec);
        st.hindcast = crate::stats::settlement::Hindcast::of(st, fighting, spec, vs);
    }
    Ok(RunResult {
        output,
        summary,
        stamp: Stamp::new(vs, opts.seed, opts.trials),
    })
}
