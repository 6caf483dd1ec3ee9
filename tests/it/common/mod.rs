//! Helpers shared by the integration tests: where the shipped scenarios are, how to run one,
//! and how to compare records bit for bit.
#![allow(dead_code)]

#[cfg(feature = "gui")]
pub mod app;

use std::path::{Path, PathBuf};

use armistice::{Control, RunOptions, RunResult, TrialRecord, ValidScenario, simulate};

/// The crate root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `*.ron` file in `scenarios/`, sorted by name.
pub fn shipped_scenarios() -> Vec<PathBuf> {
    let dir = root().join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 2,
        "expected the shipped scenarios in {}, found {files:?}",
        dir.display()
    );
    files
}

/// The template `armistice new` prints, as a file of the source tree.
pub fn template_path() -> PathBuf {
    root().join("src/scenario/template.ron")
}

/// The shipped scenarios and the template.
pub fn all_scenario_files() -> Vec<PathBuf> {
    let mut v = shipped_scenarios();
    v.push(template_path());
    v
}

pub fn baseline_path() -> PathBuf {
    root().join("scenarios/baseline-2024.ron")
}

pub fn teaching_path() -> PathBuf {
    root().join("scenarios/teaching-arvenia-borsk.ron")
}

pub fn teaching_text() -> String {
    std::fs::read_to_string(teaching_path()).unwrap()
}

pub fn load(path: &Path) -> ValidScenario {
    armistice::load_file(path).unwrap_or_else(|e| panic!("{e}"))
}

pub fn name_of(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Runs a scenario with the given trials, seed and threads.
pub fn run(vs: &ValidScenario, trials: u64, seed: u64, threads: Option<usize>) -> RunResult {
    let opts = RunOptions {
        trials,
        seed,
        threads,
    };
    simulate(vs, &opts, &Control::new(), &|| {}).expect("the run finishes")
}

/// Every field of a record as raw bits, so that comparisons see -0.0 and NaN exactly.
pub fn record_bits(r: &TrialRecord) -> [u32; 12] {
    [
        r.leverage_a.to_bits(),
        r.d_a.to_bits(),
        r.d_b.to_bits(),
        r.p_a.to_bits(),
        r.held_by_b_km2.to_bits(),
        r.held_start_km2.to_bits(),
        r.casualties_a.to_bits(),
        r.casualties_b.to_bits(),
        u32::from(r.package),
        u32::from(r.blocked),
        u32::from(r.range_empty),
        u32::from(r.settled_month),
    ]
}

/// Asserts two record slices are bit-identical, naming the first trial that differs.
pub fn assert_records_identical(what: &str, a: &[TrialRecord], b: &[TrialRecord]) {
    assert_eq!(a.len(), b.len(), "{what}: record counts differ");
    if let Some(i) = (0..a.len()).find(|&i| record_bits(&a[i]) != record_bits(&b[i])) {
        panic!("{what}: trial {i} differs:\n  {:?}\n  {:?}", a[i], b[i]);
    }
}

/// The `# key: value` lines a CSV starts with (its stamp and units).
pub fn stamp_of(text: &str) -> std::collections::BTreeMap<String, String> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("# ")?.split_once(": "))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A CSV without its `#` lines.
pub fn without_comments(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect()
}
