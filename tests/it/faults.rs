//! The process-level fault suite: the real binary against special files, closed and full
//! standard output, outputs it must not replace, and a child process with too little memory
//! (`ulimit -v`) or too few processes (`ulimit -u`). Every case ends quickly with a clear
//! message and the right exit code, never a hang, a panic or an abort.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{baseline_path, teaching_path};

const BIN: &str = env!("CARGO_BIN_EXE_armistice");

/// Runs the binary with a time limit; a run past it is killed and fails the test. Its output
/// is read while it runs, so that a long output cannot fill the pipe and stall it.
fn run_within(args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |r: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(child.stdout.take().map(|s| Box::new(s) as _));
    let err = drain(child.stderr.take().map(|s| Box::new(s) as _));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("`armistice {}` took longer than {limit:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn mkfifo(dir: &Path) -> PathBuf {
    let p = dir.join("fifo");
    assert!(Command::new("mkfifo").arg(&p).status().unwrap().success());
    p
}

fn no_crash(o: &Output, what: &str) {
    let e = stderr(o);
    assert!(o.status.code().is_some(), "{what}: killed by a signal: {e}");
    assert!(!e.contains("panicked"), "{what}: {e}");
}

#[test]
fn special_files_are_refused_at_once_by_every_reader() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = mkfifo(dir.path());
    let fifo = fifo.to_str().unwrap();
    let folder = dir.path().to_str().unwrap();
    let specials = [
        ("/dev/zero", "device"),
        ("/dev/urandom", "device"),
        (fifo, "named pipe (FIFO)"),
        (folder, "folder"),
    ];
    for (file, says) in specials {
        let commands: Vec<Vec<&str>> = vec![
            vec!["check", file],
            vec!["run", file, "-n", "100"],
            vec!["inputs", file],
            vec!["export", file],
            vec!["set", file, "simulation.seed=1", "-o", "-"],
            vec!["sweep", file, "--vary", "battlefield.stalemate=0.1:0.2:2"],
            vec!["merge", file],
        ];
        for args in commands {
            let o = run_within(&args, Duration::from_secs(5));
            no_crash(&o, &args.join(" "));
            assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
            assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
            assert!(o.stdout.is_empty(), "{args:?}");
        }
    }
}

#[test]
fn standard_input_is_read_with_the_same_size_limit() {
    let big = format!("{}\n", "/".repeat(3 << 20));
    for (input, code) in [
        (std::fs::read(teaching_path()).unwrap(), 0),
        (big.into_bytes(), 2),
    ] {
        let mut child = Command::new(BIN)
            .args(["check", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        // The reader stops at the limit; a write into the closed pipe afterwards may fail.
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let o = child.wait_with_output().unwrap();
        writer.join().unwrap();
        assert_eq!(o.status.code(), Some(code), "{}", stderr(&o));
        if code == 2 {
            assert!(
                stderr(&o).contains("more than 1048576 bytes"),
                "{}",
                stderr(&o)
            );
        }
    }
}

#[test]
fn outputs_that_must_not_be_replaced_are_refused_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fifo = mkfifo(d);
    let base = baseline_path();
    let base = base.to_str().unwrap();
    for (out, says) in [
        (fifo.to_str().unwrap(), "nothing reads"),
        (d.to_str().unwrap(), "folder"),
        ("/dev/full", "device"),
    ] {
        // 2 million trials would take a while: the refusal must come first.
        let o = run_within(
            &["run", base, "-n", "2000000", "-o", out],
            Duration::from_secs(5),
        );
        no_crash(&o, out);
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{out}: {}", stderr(&o));
    }
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(
        std::fs::metadata("/dev/full")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    // Leftovers: none.
    let names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["fifo".to_string()]);
    use std::os::unix::fs::FileTypeExt;
}

#[test]
fn dev_null_stdout_and_dash_are_written_into() {
    let out = run_within(
        &["run", "-n", "500", "-o", "/dev/null"],
        Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    for target in ["-", "/dev/stdout"] {
        let o = run_within(
            &["run", "-n", "500", "-f", "json", "-o", target],
            Duration::from_secs(60),
        );
        assert_eq!(o.status.code(), Some(0), "{target}: {}", stderr(&o));
        assert!(o.stdout.starts_with(b"{"), "{target}");
    }
    // A pipe that something reads, as bash's `>(...)` gives: written into.
    let dir = tempfile::tempdir().unwrap();
    let count = dir.path().join("count.txt");
    let script = format!(
        "\"$0\" run -n 300 -f csv -o >(grep -vc '^#' > '{}'); status=$?; wait; exit $status",
        count.display()
    );
    let o = Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(BIN)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let start = Instant::now();
    while std::fs::read_to_string(&count).map_or(true, |c| c.trim().is_empty())
        && start.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    // The header and 300 rows (the stamp and the replay record are `#` lines).
    assert_eq!(std::fs::read_to_string(&count).unwrap().trim(), "301");
}

#[test]
fn a_closed_standard_output_ends_quietly_and_a_full_one_is_an_error() {
    // `armistice run -f csv | head -1`: the reader goes away after one line.
    for args in [
        vec!["run", "-n", "20000", "-f", "csv"],
        vec!["inputs"],
        vec!["export"],
    ] {
        let mut child = Command::new(BIN)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty());
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args:?}");
    }
    for args in [
        vec!["check", baseline_path().to_str().unwrap()],
        vec!["run", "-n", "500"],
    ] {
        let o = Command::new(BIN)
            .args(&args)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        no_crash(&o, &args.join(" "));
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("No space left on device"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn read_only_files_need_force_and_links_are_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro.json");
    std::fs::write(&ro, "old").unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let ro_s = ro.to_str().unwrap();
    let o = run_within(&["export", "-o", ro_s], Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&ro).unwrap(), "old");
    let o = run_within(&["export", "-o", ro_s, "--force"], Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&ro).unwrap().starts_with('{'));
    assert_eq!(
        std::fs::metadata(&ro).unwrap().permissions().mode() & 0o777,
        0o444
    );
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("ro.json", &link).unwrap();
    let o = run_within(
        &[
            "export",
            "-f",
            "ron",
            "-o",
            link.to_str().unwrap(),
            "--force",
        ],
        Duration::from_secs(20),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(std::fs::read_to_string(&ro).unwrap().starts_with("//"));
}

/// `sh -c 'ulimit ...; exec armistice ...'`, as another user when this one is root (root
/// ignores the process limit). `None` when that is not possible here.
fn limited(limit: &str, args: &[&str]) -> Option<Output> {
    let script = format!("ulimit {limit} && exec \"$0\" \"$@\"");
    let mut cmd = if std::fs::metadata("/proc/self").is_ok_and(|m| {
        use std::os::unix::fs::MetadataExt;
        m.uid() == 0
    }) {
        if Command::new("setpriv").arg("--version").output().is_err() {
            return None;
        }
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "bash",
            "-c",
        ]);
        c
    } else {
        let mut c = Command::new("bash");
        c.arg("-c");
        c
    };
    cmd.arg(script).arg(BIN).args(args).current_dir("/");
    Some(cmd.output().unwrap())
}

#[test]
fn too_little_memory_is_an_error_with_a_suggestion() {
    let Some(o) = limited("-v 400000", &["run", "-n", "20000000", "-t", "2"]) else {
        eprintln!("skipped: cannot run a limited child here");
        return;
    };
    no_crash(&o, "ulimit -v");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not enough memory for 20000000 trials"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("fewer trials"), "{}", stderr(&o));
}

#[test]
fn analyses_short_of_memory_are_an_error_with_a_suggestion() {
    // Sobol's design for the most samples allowed does not fit in 400 MB.
    let Some(o) = limited(
        "-v 400000",
        &[
            "sensitivity",
            "--method",
            "sobol",
            "--samples",
            "4194304",
            "-t",
            "2",
        ],
    ) else {
        eprintln!("skipped: cannot run a limited child here");
        return;
    };
    no_crash(&o, "ulimit -v, sobol");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not enough memory for 4194304 Sobol samples; try fewer samples"),
        "{}",
        stderr(&o)
    );
    // 300,000 trials run in 300 MB, but PRIM's copy of their inputs does not fit beside them.
    let Some(o) = limited("-v 300000", &["run", "-n", "300000", "-t", "2"]) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let Some(o) = limited("-v 300000", &["why-no-deal", "-n", "300000", "-t", "2"]) else {
        return;
    };
    no_crash(&o, "ulimit -v, why-no-deal");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not enough memory for 300000 trials; try fewer trials"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn refused_threads_are_an_error_with_a_suggestion() {
    for args in [
        vec!["run", "-n", "1000"],
        vec!["run", "-n", "1000", "-t", "2"],
        vec![
            "sweep",
            "--vary",
            "battlefield.stalemate=0.1:0.2:2",
            "-n",
            "300",
        ],
        vec!["sensitivity", "-n", "300"],
        vec!["why-no-deal", "-n", "300"],
    ] {
        let Some(o) = limited("-u 1", &args) else {
            eprintln!("skipped: cannot run a limited child here");
            return;
        };
        no_crash(&o, &args.join(" "));
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("cannot start worker threads"),
            "{}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("fewer threads"), "{}", stderr(&o));
    }
}
