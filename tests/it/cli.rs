//! The command line, driven as a user would: output, exit codes (0 fine, 2 bad input) and
//! messages, from a working directory that holds no scenario.

use std::path::Path;

use armistice::{Outcome, Scenario};
use assert_cmd::cargo::cargo_bin_cmd;

use crate::common::*;

/// The binary, run in `dir`.
fn armistice(dir: &Path) -> assert_cmd::Command {
    let mut cmd = cargo_bin_cmd!("armistice");
    cmd.current_dir(dir);
    cmd
}

/// Runs the binary with `args` in `dir`; returns (exit code, stdout, stderr).
fn run_cli(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = armistice(dir).args(args).output().unwrap();
    (
        out.status.code().expect("the process exited normally"),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

/// Runs and expects success; returns stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = run_cli(dir, args);
    assert_eq!(code, 0, "armistice {args:?} failed:\n{stderr}");
    stdout
}

/// Runs and expects exit code 2 (bad input) with nothing on stdout; returns stderr.
fn bad_input(dir: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = run_cli(dir, args);
    assert_eq!(
        code, 2,
        "armistice {args:?}: expected exit code 2\nstdout: {stdout}\nstderr: {stderr}"
    );
    assert!(!stderr.trim().is_empty(), "armistice {args:?}: no message");
    stderr
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The teaching scenario with one text edit, written into `dir`.
fn write_edited(dir: &Path, name: &str, from: &str, to: &str) -> std::path::PathBuf {
    let text = teaching_text();
    assert_eq!(text.matches(from).count(), 1, "{from}");
    let path = dir.join(name);
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

#[test]
fn run_without_a_file_prints_the_baseline_table_from_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = ok(dir.path(), &["run"]);
    let baseline = armistice::builtin_baseline().unwrap();
    for section in [
        "P(settled within 24 months)",
        "Median month of settlement",
        "Most likely terms at settlement",
        "When the war ends",
        "At settlement",
        "Hindcast",
    ] {
        assert!(stdout.contains(section), "{section}: {stdout}");
    }
    assert!(stdout.contains(&baseline.meta.title), "{stdout}");
    assert!(stdout.contains("not a forecast"), "{stdout}");
    // The file's trials and seed are the defaults.
    assert!(
        stdout.contains(&format!("20,000 trials, seed {}", baseline.simulation.seed)),
        "{stdout}"
    );
    for p in &baseline.bargaining.packages {
        assert!(stdout.contains(&p.name), "package {} missing", p.name);
    }
}

#[cfg(not(feature = "gui"))]
#[test]
fn no_subcommand_without_the_app_runs_the_baseline_headless() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = ok(dir.path(), &[]);
    assert!(stdout.contains("P(settled within 24 months)"), "{stdout}");
}

#[test]
fn json_output_is_a_complete_summary() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = ok(dir.path(), &["run", "--trials", "2000", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    let baseline = armistice::builtin_baseline().unwrap();

    let stamp = &v["stamp"];
    assert_eq!(stamp["app"], "armistice");
    assert_eq!(stamp["trials"], 2000);
    assert_eq!(stamp["seed"], baseline.simulation.seed);
    assert_eq!(stamp["scenario_title"], baseline.meta.title.as_str());
    assert_eq!(
        stamp["scenario_hash"],
        armistice::scenario_hash(baseline.scenario()).as_str()
    );

    // A monthly (format version 2) run: when, on what terms, why the war goes on.
    assert!(
        v.get("p_deal").is_none(),
        "the one-shot P(deal) is not reported"
    );
    let st = &v["settlement"];
    let p_deal = st["p_settled_within_horizon"]["p"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p_deal));
    assert!(st["p_settled_within_horizon"]["se"].as_f64().unwrap() >= 0.0);
    let curve = st["settled_by_month"].as_array().unwrap();
    assert_eq!(curve.len(), baseline.simulation.horizon_months as usize);
    let last = curve.last().unwrap()["p"].as_f64().unwrap();
    assert!((last - p_deal).abs() < 1e-12);
    assert!(
        curve
            .windows(2)
            .all(|w| w[0]["p"].as_f64() <= w[1]["p"].as_f64())
    );
    assert_eq!(
        st["why_the_war_goes_on"].as_array().unwrap().len(),
        curve.len()
    );
    for key in [
        "median_settlement_month",
        "held_by_b_at_settlement_km2",
        "casualties_a_at_settlement",
        "leverage_a_at_settlement",
        "unsettled_blocked_by",
        "leverage_a_by_month",
        "hindcast",
    ] {
        assert!(st.get(key).is_some(), "settlement.{key}");
    }

    let packages = v["packages"].as_array().unwrap();
    assert_eq!(packages.len(), baseline.bargaining.packages.len());
    for (j, p) in packages.iter().zip(&baseline.bargaining.packages) {
        assert_eq!(j["name"], p.name.as_str());
    }
    let sum: f64 = packages.iter().map(|p| p["p"].as_f64().unwrap()).sum();
    assert!((sum - p_deal).abs() < 1e-9, "{sum} vs {p_deal}");

    let outcomes = v["outcomes"].as_object().unwrap();
    for o in Outcome::ALL {
        let c = &outcomes[o.id()];
        for key in ["mean", "se", "sd", "p5", "p25", "p50", "p75", "p95"] {
            assert!(c[key].is_f64(), "{}.{key}: {}", o.id(), c[key]);
        }
    }
    assert_eq!(outcomes.len(), Outcome::ALL.len());

    // The numbers are those of the library's run with the same options.
    let r = run(&baseline, 2000, baseline.simulation.seed, None);
    assert!((r.summary.p_deal.p - p_deal).abs() < 1e-12);
    let lev = outcomes["leverage_a"]["mean"].as_f64().unwrap();
    assert!((r.summary.outcome(Outcome::LeverageA).mean - lev).abs() < 1e-12);
}

#[test]
fn json_is_byte_identical_on_1_and_2_threads() {
    let dir = tempfile::tempdir().unwrap();
    let args = |t: &'static str| {
        [
            "run",
            "--trials",
            "5000",
            "--format",
            "json",
            "--threads",
            t,
        ]
    };
    let one = ok(dir.path(), &args("1"));
    let two = ok(dir.path(), &args("2"));
    assert!(!one.is_empty());
    assert_eq!(one, two);
    // ... while another seed changes the numbers.
    let other = ok(
        dir.path(),
        &["run", "--trials", "5000", "--format", "json", "--seed", "1"],
    );
    assert_ne!(one, other);
}

#[test]
fn csv_has_a_header_and_one_row_per_trial() {
    let dir = tempfile::tempdir().unwrap();
    let n = 1500;
    let stdout = ok(
        dir.path(),
        &["run", "--trials", &n.to_string(), "--format", "csv"],
    );
    // The stamp: `#` lines that a CSV reader (and pandas' `comment="#"`) skips.
    assert!(stdout.starts_with("# armistice: "), "{stdout}");
    assert!(stdout.contains("\n# units: "), "{stdout}");
    // The replay record follows the stamp, a comment too.
    assert!(stdout.contains("\n# armistice-replay {"), "{stdout}");
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(stdout.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[..5],
        ["trial", "deal", "package", "blocked_by", "range_empty"]
    );
    for o in Outcome::ALL {
        assert!(header.iter().any(|h| h == o.id()), "{} missing", o.id());
    }
    assert!(header.iter().any(|h| h == "seed"));
    let deal = header.iter().position(|h| h == "deal").unwrap();
    let package = header.iter().position(|h| h == "package").unwrap();
    let blocked = header.iter().position(|h| h == "blocked_by").unwrap();
    let lev = header.iter().position(|h| h == "leverage_a").unwrap();
    let mut rows = 0;
    for (i, row) in rdr.records().enumerate() {
        let row = row.unwrap();
        assert_eq!(row.len(), header.len(), "row {i}");
        assert_eq!(row[0].parse::<usize>().unwrap(), i);
        let is_deal = &row[deal] == "1";
        assert!(is_deal || &row[deal] == "0");
        assert_eq!(!row[package].is_empty(), is_deal, "row {i}");
        assert_eq!(row[blocked].is_empty(), is_deal, "row {i}");
        assert!(row[lev].parse::<f64>().unwrap().is_finite());
        rows += 1;
    }
    assert_eq!(rows, n);
}

#[test]
fn out_writes_a_file_instead_of_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = ok(
        dir.path(),
        &[
            "run",
            "--trials",
            "1000",
            "--format",
            "json",
            "--out",
            "result.json",
        ],
    );
    assert!(stdout.is_empty(), "{stdout}");
    let text = std::fs::read_to_string(dir.path().join("result.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["stamp"]["trials"], 1000);
}

#[test]
fn check_accepts_good_files() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<String> = all_scenario_files()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let stdout = ok(dir.path(), &args);
    for f in &files {
        assert!(stdout.contains(&format!("{f}: valid")), "{f}: {stdout}");
    }
}

#[test]
fn check_rejects_a_bad_file_naming_the_file_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write_edited(
        dir.path(),
        "bad-recipient.ron",
        r#"recipient: "arvenia","#,
        r#"recipient: "atlantis","#,
    );
    let good = teaching_path();
    let (code, stdout, stderr) = run_cli(dir.path(), &["check", path_str(&good), path_str(&bad)]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("bad-recipient.ron"), "{stderr}");
    assert!(stderr.contains("aid[0].recipient"), "{stderr}");
    assert!(stderr.contains("atlantis"), "{stderr}");
    // The good file is still reported as valid.
    assert!(
        stdout.contains(&format!("{}: valid", good.display())),
        "{stdout}"
    );
}

#[test]
fn check_reports_syntax_errors_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write_edited(dir.path(), "no-comma.ron", "seed: 7,\n", "seed: 7\n");
    let stderr = bad_input(dir.path(), &["check", path_str(&bad)]);
    // The parser stops at `horizon_months`, where the comma after `seed: 7` was expected.
    let text = std::fs::read_to_string(&bad).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("horizon_months"))
        .unwrap()
        + 1;
    let column = text
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("horizon_months")
        .unwrap()
        + 1;
    assert!(
        stderr.contains(&format!("{}:{line}:{column}:", bad.display())),
        "{stderr}"
    );
}

#[test]
fn run_on_a_bad_or_missing_file_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = bad_input(dir.path(), &["run", "missing.ron"]);
    assert!(stderr.contains("missing.ron"), "{stderr}");
    let bad = write_edited(dir.path(), "zero-trials.ron", "trials: 20000", "trials: 0");
    let stderr = bad_input(dir.path(), &["run", path_str(&bad)]);
    assert!(stderr.contains("zero-trials.ron"), "{stderr}");
    assert!(stderr.contains("simulation.trials"), "{stderr}");
}

#[test]
fn bad_arguments_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = bad_input(dir.path(), &["run", "--trials", "0"]);
    assert!(stderr.contains("--trials"), "{stderr}");
    let too_many = (armistice::limits::MAX_TRIALS + 1).to_string();
    let stderr = bad_input(dir.path(), &["run", "--trials", &too_many]);
    assert!(stderr.contains(&too_many), "{stderr}");
    bad_input(dir.path(), &["run", "--threads", "0"]);
    bad_input(dir.path(), &["run", "--trials", "many"]);
    bad_input(dir.path(), &["run", "--format", "xml"]);
    let stderr = bad_input(dir.path(), &["run", "--frobnicate"]);
    assert!(stderr.contains("--frobnicate"), "{stderr}");
    bad_input(dir.path(), &["--frobnicate"]);
    bad_input(dir.path(), &["check"]);
}

#[test]
fn new_prints_a_template_that_check_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = ok(dir.path(), &["new"]);
    assert_eq!(stdout, armistice::TEMPLATE);
    std::fs::write(dir.path().join("mine.ron"), &stdout).unwrap();
    let checked = ok(dir.path(), &["check", "mine.ron"]);
    assert!(checked.contains("mine.ron: valid"), "{checked}");
    // --out writes the same text.
    ok(dir.path(), &["new", "--out", "other.ron"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("other.ron")).unwrap(),
        stdout
    );
}

#[test]
fn inputs_lists_every_input_and_setting_as_five_tab_separated_fields() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = ok(dir.path(), &["inputs"]);
    let baseline = armistice::builtin_baseline().unwrap();
    let inputs: Vec<String> = baseline.inputs().into_iter().map(|i| i.path).collect();
    let settings: Vec<String> = baseline.structural().into_iter().map(|i| i.path).collect();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), inputs.len() + settings.len());
    assert!(lines[0].starts_with("sides.a.manpower\t"), "{}", lines[0]);
    // The areas and the cut-off and arrival months are inputs of kind structural.
    let geometry = |p: &str| {
        p.starts_with("battlefield.contested_km2")
            || p.starts_with("battlefield.held_by_b_km2")
            || p.ends_with("cutoff.month")
            || p.ends_with("arrival_month")
    };
    let expected = inputs
        .iter()
        .map(|p| (p, if geometry(p) { "structural" } else { "input" }))
        .chain(settings.iter().map(|p| (p, "structural")));
    for (line, (path, kind)) in lines.iter().zip(expected) {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 5, "{line:?}");
        assert_eq!(fields[0], path);
        assert_eq!(fields[4], kind, "{line:?}");
        let nums: Vec<f64> = fields[1..4]
            .iter()
            .map(|f| f.parse().unwrap_or_else(|_| panic!("{line:?}: {f:?}")))
            .collect();
        assert!(nums.iter().all(|x| x.is_finite()), "{line:?}");
        assert!(nums[1] <= nums[2], "slider min at most max: {line:?}");
        // Numbers as people write them: no float noise such as 0.9599999999999999.
        for f in &fields[1..4] {
            let decimals = f.split_once('.').map_or(0, |(_, d)| d.len());
            assert!(decimals <= 6 && !f.contains('e'), "{line:?}: {f}");
        }
        if kind == "structural" && (path.ends_with("month") || path.ends_with("months")) {
            assert!(nums.iter().all(|x| x.fract() == 0.0), "{line:?}");
        }
    }
    for setting in [
        "simulation.horizon_months",
        "bargaining.shift_months",
        "battlefield.contested_km2",
        "battlefield.held_by_b_km2",
        "aid[0].lag_months",
        "aid[0].cutoff.month",
        "aid[0].schedule.from_month",
        "aid[0].schedule.to_month",
        "troops[0].arrival_month",
    ] {
        assert!(
            stdout.contains(&format!("\n{setting}\t")),
            "{setting} is listed: {stdout}"
        );
    }
    // With a file, that file's inputs and settings.
    let teaching = ok(dir.path(), &["inputs", path_str(&teaching_path())]);
    assert!(
        teaching.contains("aid[0].cutoff.continue_probability\t"),
        "{teaching}"
    );
    let sc = load(&teaching_path());
    assert_eq!(
        teaching.lines().count(),
        sc.inputs().len() + sc.structural().len()
    );
}

#[test]
fn every_listed_slider_range_is_a_sweep_the_input_accepts() {
    use armistice::fix_inputs;
    use armistice::{Axis, SweepSpec};
    let dir = tempfile::tempdir().unwrap();
    for file in all_scenario_files() {
        let vs = load(&file);
        let listed = ok(dir.path(), &["inputs", path_str(&file)]);
        assert_eq!(
            listed.lines().count(),
            vs.inputs().len() + vs.structural().len(),
            "{file:?}"
        );
        for line in listed.lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            let (name, from, to) = (fields[0], fields[2], fields[3]);
            // What `sweep --vary NAME=MIN:MAX:5` checks before it runs a point, and the
            // validation each point's scenario then passes.
            let vary = format!("{name}={from}:{to}:5");
            let axis = Axis::parse(&vary).unwrap_or_else(|e| panic!("{vary}: {e}"));
            let spec = SweepSpec {
                axes: vec![axis.clone()],
                trials: 100,
                seed: 1,
            };
            let resolved = spec
                .resolved(&vs)
                .unwrap_or_else(|e| panic!("{}: --vary {vary}: {e}", name_of(&file)));
            let values = resolved.axes[0].values();
            // Whole months: the month-valued settings, and an event's month (an input the
            // model rounds to a whole month).
            assert_eq!(
                resolved.axes[0].whole,
                (fields[4] == "structural" && name.contains("month"))
                    || name.ends_with(".when.month"),
                "{name}"
            );
            for x in values {
                fix_inputs(&vs, &[(name, x)])
                    .unwrap_or_else(|e| panic!("{}: {name} = {x}: {e}", name_of(&file)));
            }
        }
    }
    // A whole-month setting over its listed range, end to end through the command line.
    let csv = ok(
        dir.path(),
        &[
            "sweep",
            path_str(&baseline_path()),
            "--vary",
            "simulation.horizon_months=1:36:5",
            "--vary",
            "aid[0].cutoff.month=0:12:3",
            "--trials",
            "256",
            "--threads",
            "1",
        ],
    );
    let months: std::collections::BTreeSet<(String, String)> = csv
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[3].to_string(), f[4].to_string())
        })
        .collect();
    let horizons: std::collections::BTreeSet<&str> =
        months.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        horizons,
        ["1", "10", "19", "27", "36"].into_iter().collect(),
        "whole months: {months:?}"
    );
    assert_eq!(months.len(), 15);
    let err = bad_input(
        dir.path(),
        &["sweep", "--vary", "simulation.horizon_months=1:35.5:5"],
    );
    assert!(err.contains("must be whole numbers"), "{err}");
    // The range that used to start at a value the field refuses, swept end to end.
    let listed = ok(dir.path(), &["inputs", path_str(&baseline_path())]);
    let line = listed
        .lines()
        .find(|l| l.starts_with("sides.a.manpower\t"))
        .expect("manpower is listed");
    let fields: Vec<&str> = line.split('\t').collect();
    let vary = format!("sides.a.manpower={}:{}:5", fields[2], fields[3]);
    let csv = ok(
        dir.path(),
        &[
            "sweep",
            path_str(&baseline_path()),
            "--vary",
            &vary,
            "--trials",
            "1024",
            "--threads",
            "1",
        ],
    );
    assert!(csv.lines().count() > 5, "{csv}");
}

#[test]
fn the_monthly_models_months_are_listed_and_swept_over_whole_months() {
    let dir = tempfile::tempdir().unwrap();
    let file = baseline_path();
    let listed = ok(dir.path(), &["inputs", path_str(&file)]);
    let kind = |name: &str| -> String {
        let line = listed
            .lines()
            .find(|l| l.starts_with(&format!("{name}\t")))
            .unwrap_or_else(|| panic!("{name} is listed: {listed}"));
        line.split('\t').nth(4).unwrap_or_default().to_string()
    };
    // An event's month can be uncertain (an input); a lever's first month is a setting.
    assert_eq!(kind("events[0].when.month"), "input");
    assert_eq!(kind("pressure[0].from_month"), "structural");
    assert_eq!(kind("pressure[1].from_month"), "structural");
    for (name, months) in [
        ("events[0].when.month", ["1", "5", "8", "12"]),
        ("pressure[1].from_month", ["1", "5", "9", "13"]),
    ] {
        let last = months[3];
        let vary = format!("{name}=1:{last}:4");
        let args = ["-n", "800", "-s", "7", "-t", "1"];
        let mut sweep_args = vec!["sweep", path_str(&file), "--vary", vary.as_str()];
        sweep_args.extend(args);
        let csv = ok(dir.path(), &sweep_args);
        let mut rdr = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(csv.as_bytes());
        let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header[3], name);
        let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
        let values: std::collections::BTreeSet<String> =
            rows.iter().map(|r| r[3].to_string()).collect();
        let expected: std::collections::BTreeSet<String> =
            months.iter().map(|m| m.to_string()).collect();
        assert_eq!(values, expected, "{vary}: whole months");
        // Each point is the scenario whose file says that month: the shares of each package
        // at the second point equal a run of the file set to its month.
        let set_to = format!("{name}={}", months[1]);
        let edited = dir.path().join("edited.ron");
        ok(
            dir.path(),
            &["set", path_str(&file), &set_to, "-o", path_str(&edited)],
        );
        let mut run_args = vec!["run", path_str(&edited), "-f", "json"];
        run_args.extend(args);
        let json: serde_json::Value = serde_json::from_str(&ok(dir.path(), &run_args)).unwrap();
        let packages = json["packages"].as_array().unwrap();
        assert!(!packages.is_empty());
        for p in packages {
            let output = format!("p_package:{}", p["name"].as_str().unwrap());
            let row = rows
                .iter()
                .find(|r| &r[3] == months[1] && r[4] == *output && &r[5] == "p")
                .unwrap_or_else(|| panic!("{vary}: {output} at {}", months[1]));
            let swept: f64 = row[6].parse().unwrap();
            assert_eq!(swept, p["p"].as_f64().unwrap(), "{set_to}: {output}");
        }
    }
    // The inauguration's month moves the results: with the levers live from month 12 rather
    // than month 1, "Back to the 2022 lines" (backed by the lever on Russia) is chosen in a
    // different share of trials.
    let csv = ok(
        dir.path(),
        &[
            "sweep",
            path_str(&file),
            "--vary",
            "events[0].when.month=1:12:2",
            "-n",
            "2000",
            "-t",
            "1",
        ],
    );
    let share = |month: &str| -> f64 {
        csv.lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|f| f[3] == month && f[4] == "p_package:Back to the 2022 lines" && f[5] == "p")
            .unwrap_or_else(|| panic!("month {month}: {csv}"))[6]
            .parse()
            .unwrap()
    };
    assert!((share("1") - share("12")).abs() > 0.02, "{csv}");
    let err = bad_input(
        dir.path(),
        &[
            "sweep",
            path_str(&file),
            "--vary",
            "events[0].when.month=1:12.5:4",
        ],
    );
    assert!(err.contains("takes whole months"), "{err}");
}

#[test]
fn export_json_and_ron_load_back_to_an_equal_scenario() {
    let dir = tempfile::tempdir().unwrap();
    for (file, expected) in [
        (None, armistice::builtin_baseline().unwrap()),
        (Some(teaching_path()), load(&teaching_path())),
    ] {
        let mut json_args = vec!["export", "-f", "json"];
        let mut ron_args = vec!["export", "-f", "ron"];
        if let Some(f) = &file {
            json_args.push(path_str(f));
            ron_args.push(path_str(f));
        }
        let json = ok(dir.path(), &json_args);
        let from_json: Scenario = serde_json::from_str(&json).unwrap();
        let from_json = armistice::validate(from_json).unwrap();
        assert_eq!(from_json, expected, "{file:?}: JSON export");

        let ron = ok(dir.path(), &ron_args);
        let from_ron = armistice::load_str(&ron, "export").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(from_ron, expected, "{file:?}: RON export");
        assert_eq!(ron, armistice::to_ron_string(expected.scenario()).unwrap());
    }
}

#[test]
fn help_mentions_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = ok(dir.path(), &["--help"]);
    for sub in ["run", "check", "new", "export", "inputs"] {
        assert!(
            stdout.lines().any(|l| l.trim_start().starts_with(sub)),
            "--help does not list `{sub}`:\n{stdout}"
        );
    }
    let run_help = ok(dir.path(), &["run", "--help"]);
    for flag in ["--trials", "--seed", "--threads", "--format", "--out"] {
        assert!(run_help.contains(flag), "{flag}: {run_help}");
    }
    let version = ok(dir.path(), &["--version"]);
    assert!(version.contains(env!("CARGO_PKG_VERSION")), "{version}");
}

/// `upgrade` converts a version-1 file in place, changing only its version line (comments
/// kept), names what changes, keeps a backup, and refuses a file that is already version 2.
#[test]
fn upgrade_converts_a_version_1_file_keeping_its_comments() {
    let dir = tempfile::tempdir().unwrap();
    let src = crate::common::root().join("tests/fixtures/v1/teaching-arvenia-borsk.ron");
    let before = std::fs::read_to_string(&src).unwrap();
    let path = dir.path().join("lesson.ron");
    std::fs::write(&path, &before).unwrap();
    let (code, _, stderr) = run_cli(dir.path(), &["upgrade", "lesson.ron"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("What changes"), "{stderr}");
    assert!(stderr.contains("every month"), "{stderr}");
    let after = std::fs::read_to_string(&path).unwrap();
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed, [("    version: 1,", "    version: 2,")]);
    assert_eq!(before.lines().count(), after.lines().count());
    let vs = armistice::load_file(&path).unwrap();
    assert_eq!(vs.version, 2);
    // The old file is kept; a second upgrade is refused.
    let backups = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().contains(".bak"))
        })
        .count();
    assert!(backups >= 1);
    let err = bad_input(dir.path(), &["upgrade", "lesson.ron"]);
    assert!(err.contains("already format version 2"), "{err}");
    // To standard output, the file untouched.
    std::fs::write(&path, &before).unwrap();
    let out = ok(dir.path(), &["upgrade", "lesson.ron", "--out", "-"]);
    assert!(out.contains("version: 2,"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
}

/// The monthly outputs: accepted for a version-2 file, refused with a reason for a
/// version-1 one, and a month outside the horizon refused.
#[test]
fn monthly_outputs_are_checked() {
    use armistice::Output;
    let v2 = armistice::builtin_baseline().unwrap();
    let v1 = load(&crate::common::root().join("tests/fixtures/v1/baseline-2024.ron"));
    assert_eq!(
        Output::parse("p_settled_by:12", &v2).unwrap(),
        Output::PSettledBy(12)
    );
    assert_eq!(
        Output::parse("p_package_at_settlement:Freeze on the line", &v2).unwrap(),
        Output::PPackage(0)
    );
    assert!(Output::parse("median_settlement_month", &v2).is_ok());
    let e = Output::parse("p_settled_by:25", &v2).unwrap_err();
    assert!(e.contains("1..=24"), "{e}");
    let e = Output::parse("settlement_month", &v1).unwrap_err();
    assert!(e.contains("format version 1"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let err = bad_input(
        dir.path(),
        &[
            "sensitivity",
            "--method",
            "tornado",
            "--output",
            "median_settlement_month",
            "--trials",
            "200",
        ],
    );
    assert!(err.contains("settlement_month"), "{err}");
}

#[test]
fn no_color_turns_the_colours_of_help_and_errors_off() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = |args: &[&str]| -> String {
        let out = armistice(dir.path())
            .env("CLICOLOR_FORCE", "1")
            .env_remove("NO_COLOR")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    // Forced colours show (so the check below can fail) ...
    assert!(stderr(&["--bad-flag"]).contains('\u{1b}'));
    assert!(stderr(&["run", "--bad-flag"]).contains('\u{1b}'));
    // ... and --no-color, before or after the subcommand, turns them off.
    for args in [
        &["--no-color", "--bad-flag"][..],
        &["run", "--no-color", "--bad-flag"][..],
    ] {
        let text = stderr(args);
        assert!(!text.contains('\u{1b}'), "{args:?}: {text:?}");
        assert!(text.contains("--bad-flag"), "{text}");
    }
    let help = armistice(dir.path())
        .env("CLICOLOR_FORCE", "1")
        .args(["sweep", "--help", "--no-color"])
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(
        help.contains("--no-color") && !help.contains('\u{1b}'),
        "{help:?}"
    );
}
