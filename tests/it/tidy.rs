//! Tidy data for pandas and R: every CSV starts with the same commented stamp, which a CSV
//! reader skipping `#` lines (and pandas, when `bench/.venv` has it) reads past; units in a
//! column or a `# units:` line; `--with-inputs` adds the drawn inputs; a share of an empty
//! set is `none` in CSV and `null` in JSON.

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;

use armistice::{Engine, report_json, scenario_hash, summary_csv};

use crate::common::{baseline_path, load, root, run, stamp_of, teaching_path, template_path};

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = cargo_bin_cmd!("armistice")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "armistice {args:?}: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// Header and rows as a CSV reader that skips `#` lines reads them.
fn read(text: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut r = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|x| x.unwrap()).collect();
    (header, rows)
}

#[test]
fn with_inputs_adds_one_column_per_drawn_input_holding_what_the_trial_drew() {
    let dir = tempfile::tempdir().unwrap();
    let file = baseline_path();
    let file = file.to_str().unwrap();
    // More trials than one batch, so that the columns follow the batches.
    let n = 1500;
    let plain = ok(
        dir.path(),
        &["run", file, "-n", &n.to_string(), "-f", "csv"],
    );
    let with = ok(
        dir.path(),
        &[
            "run",
            file,
            "-n",
            &n.to_string(),
            "-f",
            "csv",
            "--with-inputs",
        ],
    );
    let (h0, rows0) = read(&plain);
    let (h1, rows1) = read(&with);
    assert_eq!(rows0.len(), n);
    assert_eq!(rows1.len(), n);
    // The same columns first, then one per uncertain input, named and ordered as `inputs`.
    assert_eq!(&h1[..h0.len()], &h0[..]);
    let vs = load(&baseline_path());
    let uncertain: Vec<String> = vs
        .inputs()
        .into_iter()
        .filter(|i| !i.input.value.is_fixed())
        .map(|i| i.path)
        .collect();
    assert_eq!(&h1[h0.len()..], &uncertain[..]);
    let listed = ok(dir.path(), &["inputs", file]);
    for p in &uncertain {
        assert!(
            listed.contains(&format!("{p}\t")),
            "{p} is listed by inputs"
        );
    }
    // The other columns are unchanged, row by row.
    for (a, b) in rows0.iter().zip(&rows1) {
        assert_eq!(
            a.iter().collect::<Vec<_>>(),
            b.iter().take(h0.len()).collect::<Vec<_>>()
        );
    }
    // Each value is the one the trial drew, as the engine gives it trial by trial.
    let engine = Engine::new(&vs);
    let seed = vs.simulation.seed;
    for trial in [0usize, 1, 1023, 1024, 1499] {
        let drawn = engine.trial_inputs(seed, trial as u64);
        for (k, path) in uncertain.iter().enumerate() {
            let slot = engine.paths().iter().position(|p| p == path).unwrap();
            let cell: f64 = rows1[trial][h0.len() + k].parse().unwrap();
            assert_eq!(
                cell.to_bits(),
                drawn[slot].to_bits(),
                "trial {trial}, {path}"
            );
        }
    }
    // Units of the new columns in the `# units:` line.
    let units = &stamp_of(&with)["units"];
    assert!(units.contains("sides.a.manpower=troops"), "{units}");
    // Only with the per-trial CSV.
    let out = cargo_bin_cmd!("armistice")
        .current_dir(dir.path())
        .args(["run", file, "-n", "100", "--with-inputs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format csv"));
}

#[test]
fn every_csv_starts_with_the_same_stamp_that_readers_skip() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = teaching_path();
    let file = file.to_str().unwrap();
    let vs = load(&teaching_path());
    let hash = scenario_hash(vs.scenario());
    // (what, text, trials it names, the header's first column)
    let mut csvs: Vec<(&str, String, String, &str)> = vec![
        (
            "per trial",
            ok(d, &["run", file, "-n", "300", "-s", "5", "-f", "csv"]),
            "300".into(),
            "trial",
        ),
        (
            "sweep",
            ok(
                d,
                &[
                    "sweep",
                    file,
                    "--vary",
                    "simulation.horizon_months=6:12:3",
                    "-n",
                    "200",
                    "-s",
                    "5",
                ],
            ),
            "200".into(),
            "sweep",
        ),
        (
            "tornado",
            ok(d, &["sensitivity", file, "-n", "200", "-s", "5"]),
            "200".into(),
            "rank",
        ),
        (
            "sobol",
            ok(
                d,
                &[
                    "sensitivity",
                    file,
                    "-m",
                    "sobol",
                    "--samples",
                    "64",
                    "--bootstrap",
                    "20",
                    "-s",
                    "5",
                ],
            ),
            "64".into(),
            "rank",
        ),
    ];
    let result = run(&vs, 300, 5, Some(1));
    let mut summary = Vec::new();
    summary_csv(&result, &vs, &mut summary).unwrap();
    csvs.push((
        "summary",
        String::from_utf8(summary).unwrap(),
        "300".into(),
        "scenario_title",
    ));
    for (what, text, trials, first) in &csvs {
        let stamp = stamp_of(text);
        assert_eq!(stamp["armistice"], env!("CARGO_PKG_VERSION"), "{what}");
        assert_eq!(stamp["title"], vs.meta.title, "{what}");
        assert_eq!(stamp["scenario_hash"], hash, "{what}");
        assert_eq!(stamp["seed"], "5", "{what}");
        assert_eq!(stamp["trials"], *trials, "{what}");
        let (header, rows) = read(text);
        assert_eq!(header[0], *first, "{what}");
        assert!(!rows.is_empty(), "{what}");
        assert!(rows.iter().all(|r| r.len() == header.len()), "{what}");
        // Units: a column of the tidy files, a `# units:` line of the others.
        assert!(
            header.iter().any(|h| h.ends_with("unit")) || stamp.contains_key("units"),
            "{what}: {header:?}"
        );
        pandas_reads(d, what, text, &header, rows.len());
    }
}

/// Reads `text` with `pandas.read_csv(path, comment="#")` when `bench/.venv` has pandas, and
/// checks its columns and row count.
fn pandas_reads(dir: &Path, what: &str, text: &str, header: &[String], rows: usize) {
    let python = root().join("bench/.venv/bin/python3");
    let has_pandas = python.exists()
        && std::process::Command::new(&python)
            .args(["-c", "import pandas"])
            .status()
            .is_ok_and(|s| s.success());
    if !has_pandas {
        eprintln!("{what}: bench/.venv has no pandas; read with the csv crate only");
        return;
    }
    let path = dir.join("read.csv");
    std::fs::write(&path, text).unwrap();
    let out = std::process::Command::new(&python)
        .args([
            "-c",
            "import sys, pandas; df = pandas.read_csv(sys.argv[1], comment='#', \
             na_values='none', keep_default_na=True); print(len(df)); print('\\t'.join(df.columns))",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    let mut lines = printed.lines();
    assert_eq!(lines.next(), Some(rows.to_string().as_str()), "{what}");
    assert_eq!(lines.next(), Some(header.join("\t").as_str()), "{what}");
}

#[test]
fn a_share_of_an_empty_set_is_none_in_csv_and_null_in_json() {
    // Every run of the template settles: nothing is left to say what blocked the others.
    let vs = load(&template_path());
    let result = run(&vs, 500, 1, Some(1));
    let st = result.summary.settlement.as_ref().unwrap();
    assert_eq!(st.settled.p, 1.0, "the template settles in every run");
    let mut buf = Vec::new();
    summary_csv(&result, &vs, &mut buf).unwrap();
    let (header, rows) = read(&String::from_utf8(buf).unwrap());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let blocked: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| r[col("quantity")].starts_with("unsettled_blocked_by["))
        .collect();
    assert_eq!(blocked.len(), 8);
    assert!(blocked.iter().all(|r| &r[col("value")] == "none"));
    // Shares of a set that is not empty stay numbers, with their unit.
    let settled = rows
        .iter()
        .find(|r| &r[col("quantity")] == "p_settled" && &r[col("statistic")] == "p")
        .unwrap();
    assert_eq!(&settled[col("value")], "1");
    assert_eq!(&settled[col("unit")], "probability");
    let json: serde_json::Value =
        serde_json::from_str(&report_json(&result, &vs).unwrap()).unwrap();
    let why = &json["settlement"]["unsettled_blocked_by"];
    assert!(
        why.as_object().unwrap().values().all(|v| v.is_null()),
        "{why}"
    );
}
