//! Golden summaries: `armistice run --format json` of every pinned scenario at a fixed seed and
//! trial count, compared byte for byte (apart from the app version in the stamp) with the
//! files in `tests/golden/`. An unintended change of results fails here.
//!
//! `tests/fixtures/v1/` holds the scenario files as they were in format version 1: their
//! numbers must never change. To refresh the goldens after a deliberate change of results
//! (never for the version-1 fixtures), run
//! `ARMISTICE_BLESS=1 cargo test --locked golden` and commit the changed files with the
//! reason in the message.

use std::path::{Path, PathBuf};

/// Trials of each golden run: enough to exercise every outcome, small enough to be quick.
const TRIALS: u64 = 3_000;

/// The stamp's app version, replaced so that a new release does not change the goldens.
fn normalise(json: &str) -> String {
    json.lines()
        .map(|l| {
            if l.trim_start().starts_with("\"app_version\":") {
                "    \"app_version\": \"*\",".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn golden_json(path: &Path) -> String {
    let vs = crate::common::load(path);
    let seed = vs.simulation.seed;
    let result = crate::common::run(&vs, TRIALS, seed, Some(2));
    normalise(&armistice::report_json(&result, &vs).unwrap())
}

fn check(files: &[PathBuf], prefix: &str) {
    let bless = std::env::var_os("ARMISTICE_BLESS").is_some();
    let dir = crate::common::root().join("tests/golden");
    let mut failures = Vec::new();
    for path in files {
        let stem = path.file_stem().unwrap().to_string_lossy();
        let golden = dir.join(format!("{prefix}{stem}.json"));
        let got = golden_json(path);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&golden, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&golden).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run ARMISTICE_BLESS=1 cargo test golden",
                golden.display()
            )
        });
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .map_or(0, |i| i + 1);
            failures.push(format!(
                "{} differs from {} (first at line {line})",
                path.display(),
                golden.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn ron_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    v.sort();
    v
}

/// Version-1 files keep the numbers they gave: the one-shot model of format version 1.
#[test]
fn version_1_files_keep_their_numbers() {
    let files = ron_files(&crate::common::root().join("tests/fixtures/v1"));
    assert!(files.len() >= 5, "the version-1 fixtures: {files:?}");
    check(&files, "v1-");
}

/// The shipped scenarios and the template give their pinned summaries.
#[test]
fn shipped_scenarios_give_their_pinned_summaries() {
    check(&crate::common::all_scenario_files(), "");
}

/// The command line prints the same bytes as the library for a version-1 file.
#[test]
fn run_json_on_the_command_line_matches_the_golden() {
    let path = crate::common::root().join("tests/fixtures/v1/baseline-2024.ron");
    let out = assert_cmd::cargo::cargo_bin_cmd!("armistice")
        .args(["run", "-f", "json", "-n", &TRIALS.to_string(), "-t", "2"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = normalise(&String::from_utf8(out.stdout).unwrap());
    let want =
        std::fs::read_to_string(crate::common::root().join("tests/golden/v1-baseline-2024.json"))
            .unwrap();
    assert_eq!(got, want);
}
