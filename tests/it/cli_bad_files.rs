//! The command line answers every bad or hostile file, whichever command reads it, with exit
//! code 2, nothing on standard output, and a short message that names the file and the
//! position (file:line:column) or the field path of the problem.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use armistice::limits;
use assert_cmd::cargo::cargo_bin_cmd;

use crate::hostile::*;

/// What the message must say besides the file name.
#[derive(Clone, Copy, Debug)]
enum Where {
    /// `file:line:column:`.
    Position,
    /// `file: ...field.path`.
    Field(&'static str),
    /// Only the file (a file that cannot be read at all has no position).
    File(&'static str),
}

struct Case {
    name: &'static str,
    /// Writes the bad file (or folder) at the path.
    make: Box<dyn Fn(&Path)>,
    expect: Where,
}

fn text_case(name: &'static str, text: String, expect: Where) -> Case {
    Case {
        name,
        make: Box::new(move |p| std::fs::write(p, &text).unwrap()),
        expect,
    }
}

fn edited(from: &str, to: &str) -> String {
    let text = teaching_text();
    assert_eq!(text.matches(from).count(), 1, "{from}");
    text.replacen(from, to, 1)
}

fn cases() -> Vec<Case> {
    let teaching = teaching_text();
    let packages = {
        let one = "            (name: \"Same\", territory: Line),\n";
        let n = (limits::MAX_FILE_BYTES as usize - teaching.len() - 1_000) / one.len();
        edited(
            "        packages: [\n",
            &format!("        packages: [\n{}", one.repeat(n)),
        )
    };
    vec![
        text_case(
            "missing-comma.ron",
            edited("seed: 7,\n", "seed: 7\n"),
            Where::Position,
        ),
        text_case(
            "unknown-field.ron",
            edited(
                "quality: 1.0,\n            casualty_tolerance: 600000,",
                "quality: 1.0,\n            morale: 3,\n            casualty_tolerance: 600000,",
            ),
            Where::Position,
        ),
        text_case(
            "truncated.ron",
            teaching[..teaching.len() / 2].to_string(),
            Where::Position,
        ),
        text_case("empty.ron", String::new(), Where::Position),
        text_case("nested.ron", "[".repeat(100_000), Where::Position),
        text_case(
            "nested-inside.ron",
            edited(
                "materiel_usd_bn: 8,",
                &format!("materiel_usd_bn: {}", "(".repeat(100_000)),
            ),
            Where::Position,
        ),
        text_case(
            "long-field-name.ron",
            edited(
                "casualty_tolerance: 600000,",
                &format!("{}: 600000,", "z".repeat(500_000)),
            ),
            Where::Position,
        ),
        text_case(
            "huge-integer.ron",
            edited("trials: 20000", "trials: 1000000000000000000000000"),
            Where::Position,
        ),
        text_case(
            "trillion-trials.ron",
            edited("trials: 20000", "trials: 1000000000000"),
            Where::Field("simulation.trials"),
        ),
        text_case(
            "million-months.ron",
            edited("horizon_months: 12", "horizon_months: 1000000"),
            Where::Field("simulation.horizon_months"),
        ),
        text_case(
            "nan.ron",
            edited("materiel_usd_bn: 8,", "materiel_usd_bn: NaN,"),
            Where::Field("sides.a.materiel_usd_bn"),
        ),
        text_case(
            "infinite.ron",
            edited("front_noise_km2: 40,", "front_noise_km2: 1e999,"),
            Where::Field("battlefield.front_noise_km2"),
        ),
        text_case(
            "beta-tiny-shape.ron",
            edited(
                "stalemate: 0.4,",
                "stalemate: (value: Beta(alpha: 0.00001, beta: 1)),",
            ),
            Where::Field("battlefield.stalemate"),
        ),
        text_case(
            "normal-far-tail.ron",
            edited(
                "front_noise_km2: 40,",
                "front_noise_km2: (value: Normal(mean: 0, sd: 1, min: 40, max: 41)),",
            ),
            Where::Field("battlefield.front_noise_km2"),
        ),
        text_case(
            "lognormal-enormous.ron",
            edited(
                "front_noise_km2: 40,",
                "front_noise_km2: (value: LogNormal(median: 1, p90: 1e12)),",
            ),
            Where::Field("battlefield.front_noise_km2"),
        ),
        text_case(
            "thousands-of-packages.ron",
            packages,
            Where::Field("bargaining.packages"),
        ),
        text_case(
            "too-large.ron",
            format!(
                "{teaching}//{}\n",
                "x".repeat(limits::MAX_FILE_BYTES as usize)
            ),
            Where::File("at most 1048576 bytes"),
        ),
        Case {
            name: "sparse-8gib.ron",
            make: Box::new(|p| {
                std::fs::File::create(p).unwrap().set_len(8 << 30).unwrap();
            }),
            expect: Where::File("at most 1048576 bytes"),
        },
        Case {
            name: "latin1.ron",
            make: Box::new(|p| {
                let mut bytes = teaching_text().into_bytes();
                bytes.insert(40, 0xE9);
                std::fs::write(p, bytes).unwrap();
            }),
            expect: Where::Position,
        },
        Case {
            name: "binary.ron",
            make: Box::new(|p| {
                let bytes: Vec<u8> = (0..4096u32)
                    .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                    .collect();
                std::fs::write(p, bytes).unwrap();
            }),
            expect: Where::Position,
        },
        Case {
            name: "folder.ron",
            make: Box::new(|p| std::fs::create_dir(p).unwrap()),
            expect: Where::File("cannot read"),
        },
        Case {
            name: "missing.ron",
            make: Box::new(|_| {}),
            expect: Where::File("cannot read"),
        },
    ]
}

/// Runs the binary; returns (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = cargo_bin_cmd!("armistice")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().expect("the process exited normally"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// True when `stderr` holds `file:line:column:` for the file.
fn has_position(stderr: &str, file: &str) -> bool {
    stderr.match_indices(&format!("{file}:")).any(|(at, m)| {
        let rest = &stderr[at + m.len()..];
        let mut parts = rest.splitn(3, ':');
        let line = parts.next().unwrap_or("");
        let column = parts.next().unwrap_or("");
        !line.is_empty()
            && !column.is_empty()
            && line.bytes().all(|b| b.is_ascii_digit())
            && column.bytes().all(|b| b.is_ascii_digit())
            && parts.next().is_some()
    })
}

fn commands(file: &str) -> Vec<Vec<String>> {
    let mut v: Vec<Vec<&str>> = vec![
        vec!["check", file],
        vec!["run", file],
        vec!["run", file, "--format", "json", "--out", "result.json"],
        vec!["inputs", file],
        vec!["export", file, "-f", "ron"],
        vec!["export", file, "-f", "json", "-o", "export.json"],
        vec!["sensitivity", file],
        vec!["why-no-deal", file],
    ];
    // Without the desktop app, a bare FILE runs it headless.
    if !cfg!(feature = "gui") {
        v.push(vec![file]);
    }
    v.into_iter()
        .map(|a| a.into_iter().map(String::from).collect())
        .collect()
}

#[test]
fn every_bad_file_is_exit_code_2_with_the_file_and_where() {
    let dir = tempfile::tempdir().unwrap();
    for case in cases() {
        let path: PathBuf = dir.path().join(case.name);
        (case.make)(&path);
        let file = path.display().to_string();
        for args in commands(&file) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let start = Instant::now();
            let (code, stdout, stderr) = run(dir.path(), &args);
            let took = start.elapsed();
            let what = format!("{}: armistice {:?}", case.name, &args[..1]);
            assert_eq!(
                code, 2,
                "{what}: exit code\nstdout: {stdout}\nstderr: {stderr}"
            );
            assert!(stdout.is_empty(), "{what}: stdout: {stdout}");
            assert!(stderr.contains(&file), "{what}: names the file: {stderr}");
            assert!(
                stderr.len() < 20_000,
                "{what}: a message of {} bytes",
                stderr.len()
            );
            assert!(took < Duration::from_secs(20), "{what}: took {took:?}");
            match case.expect {
                Where::Position => {
                    assert!(
                        has_position(&stderr, &file),
                        "{what}: no line:column: {stderr}"
                    )
                }
                Where::Field(field) => assert!(
                    stderr.contains(&format!("{file}: {field}: "))
                        || stderr.contains(&format!("\n  {field}: ")),
                    "{what}: no field path {field}: {stderr}"
                ),
                Where::File(needle) => assert!(stderr.contains(needle), "{what}: {stderr}"),
            }
            // Nothing was written for a file that did not load.
            assert!(!dir.path().join("result.json").exists(), "{what}");
            assert!(!dir.path().join("export.json").exists(), "{what}");
        }
    }
}

#[test]
fn check_lists_each_bad_file_and_still_reports_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.ron");
    std::fs::write(&good, teaching_text()).unwrap();
    let mut args = vec!["check".to_string(), good.display().to_string()];
    let mut files = Vec::new();
    for case in cases() {
        let path = dir.path().join(case.name);
        (case.make)(&path);
        files.push(path.display().to_string());
        args.push(path.display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = run(dir.path(), &args);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stdout.contains(&format!("{}: valid", good.display())),
        "{stdout}"
    );
    for f in &files {
        assert!(stderr.contains(f.as_str()), "{f}: {stderr}");
    }
    assert!(
        stderr.contains(&format!(
            "{} of {} files are invalid",
            files.len(),
            files.len() + 1
        )),
        "{stderr}"
    );
}

#[test]
fn a_trillion_trials_on_the_command_line_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    for n in [
        "1000000000000",
        "18446744073709551615",
        "99999999999999999999999",
    ] {
        let (code, stdout, stderr) = run(dir.path(), &["run", "--trials", n]);
        assert_eq!(code, 2, "{n}: {stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains("--trials"), "{stderr}");
    }
}
