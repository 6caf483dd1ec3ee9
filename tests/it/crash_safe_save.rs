//! Saving never corrupts: a writer process (`armistice export FILE -f ron -o OUT`, which saves
//! through `armistice::write_atomic`, as the app does) is killed with SIGKILL again and
//! again at different moments while it writes a scenario of nearly the largest size allowed.
//! After every kill, OUT is absent (nothing was saved yet) or holds a complete valid scenario,
//! the old one or the new one, never a mix; the `.bak` backup is complete too; no temporary
//! copy is ever readable by others (OUT is 0600); and the next save removes the temporary
//! files that killed writers left.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::hostile::big_scenario;

const ROUNDS: usize = 100;

fn writer(input: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_armistice"))
        .args(["export", "-f", "ron", "-o"])
        .arg(out)
        .arg(input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the writer starts")
}

/// Temp files that writers leave in `dir` while saving `out`
/// (`.out.ron.<pid>-<n>.armistice-tmp`, `.out.ron.<pid>-<n>.bak-armistice-tmp`), with the
/// process id of their writer.
fn temp_files(dir: &Path) -> Vec<(PathBuf, u32)> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            let rest = name.strip_prefix(".out.ron.")?;
            if !name.ends_with("armistice-tmp") {
                return None;
            }
            let pid = rest.split('-').next()?.parse().ok()?;
            Some((p, pid))
        })
        .collect()
}

fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).map_or(0, |m| m.permissions().mode() & 0o777)
}

/// A small deterministic generator for the delays.
fn next(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *state >> 33
}

#[test]
fn killing_a_writer_at_any_moment_leaves_the_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (a, a_text) = big_scenario("Version A", 2_000);
    let (b, b_text) = big_scenario("Version B", 2_000);
    let inputs = [dir.path().join("a-in.ron"), dir.path().join("b-in.ron")];
    std::fs::write(&inputs[0], &a_text).unwrap();
    std::fs::write(&inputs[1], &b_text).unwrap();
    // What `export -f ron` writes for each: the canonical text.
    let expected = [
        armistice::to_ron_string(&a).unwrap(),
        armistice::to_ron_string(&b).unwrap(),
    ];
    assert_ne!(expected[0], expected[1]);
    let out = dir.path().join("out.ron");
    let bak = armistice::backup_path(&out);

    // How long a whole save takes, to spread the kills over it.
    let probe = dir.path().join("probe.ron");
    let start = Instant::now();
    let status = writer(&inputs[0], &probe).wait().unwrap();
    let full = start.elapsed();
    assert!(status.success());
    assert_eq!(std::fs::read_to_string(&probe).unwrap(), expected[0]);

    let mut held: Option<usize> = None; // which version OUT holds
    let mut rng = 0x5eed_u64;
    let (mut unchanged, mut replaced, mut mid_save, mut finished) = (0, 0, 0, 0);
    let deadline = Instant::now() + Duration::from_secs(60);
    for round in 0..ROUNDS {
        // Write the version OUT does not hold.
        let new = held.map_or(round % 2, |h| 1 - h);
        let mut child = writer(&inputs[new], &out);
        let pid = child.id();
        let own_temp = |dir: &Path| temp_files(dir).iter().any(|(_, p)| *p == pid);
        if round % 2 == 0 {
            // A blind delay anywhere from the start to a little past the end of a save.
            let us = next(&mut rng) % (full.as_micros() as u64 * 12 / 10 + 1);
            std::thread::sleep(Duration::from_micros(us));
        } else {
            // Wait until the writer has begun its temp file, then let it run a little.
            let start = Instant::now();
            while !own_temp(dir.path()) && start.elapsed() < full * 3 {
                std::thread::sleep(Duration::from_micros(50));
            }
            std::thread::sleep(Duration::from_micros(next(&mut rng) % 3_000));
        }
        let _ = child.kill(); // SIGKILL; an error means it had already exited
        let status = child.wait().unwrap();
        if status.success() {
            finished += 1;
        }

        // OUT: absent only before the first complete save; otherwise old or new, whole.
        match std::fs::read_to_string(&out) {
            Err(e) => {
                assert_eq!(e.kind(), std::io::ErrorKind::NotFound, "round {round}");
                assert!(held.is_none(), "round {round}: OUT vanished after a save");
            }
            Ok(text) => {
                let now = expected.iter().position(|t| *t == text).unwrap_or_else(|| {
                    panic!(
                        "round {round}: OUT is neither version ({} bytes)",
                        text.len()
                    )
                });
                let vs = armistice::load_file(&out)
                    .unwrap_or_else(|e| panic!("round {round}: OUT does not load: {e}"));
                assert_eq!(vs.scenario(), if now == 0 { &a } else { &b });
                if Some(now) == held {
                    unchanged += 1;
                } else {
                    assert_eq!(now, new, "round {round}");
                    replaced += 1;
                }
                held = Some(now);
            }
        }
        // The backup, when there is one, is a whole earlier version.
        if bak.exists() {
            let text = std::fs::read_to_string(&bak).unwrap();
            assert!(
                expected.contains(&text),
                "round {round}: the backup is torn ({} bytes)",
                text.len()
            );
        }
        if own_temp(dir.path()) {
            mid_save += 1;
        }
        if held.is_some() {
            // Once OUT is private, so is every copy of it: temporary files and backups.
            if mode(&out) != 0o600 {
                std::fs::set_permissions(&out, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                    .unwrap();
            }
            for (t, _) in temp_files(dir.path()) {
                let m = mode(&t);
                assert!(
                    m & 0o077 == 0 || m == 0,
                    "round {round}: {} is {m:o}",
                    t.display()
                );
            }
        }
        assert!(Instant::now() < deadline, "the rounds take too long");
    }

    // The next save removes the temp files of killed writers.
    let strays = temp_files(dir.path()).len();
    let new = held.map_or(0, |h| 1 - h);
    let status = writer(&inputs[new], &out).wait().unwrap();
    assert!(status.success(), "the save after {strays} stray temp files");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected[new]);
    if let Some(h) = held {
        assert_eq!(std::fs::read_to_string(&bak).unwrap(), expected[h]);
    }
    assert_eq!(
        temp_files(dir.path()),
        Vec::new(),
        "a save leaves no temp file and removes the {strays} that killed writers left"
    );

    eprintln!(
        "{ROUNDS} kills over a {full:?} save: OUT unchanged {unchanged}, replaced {replaced}, \
         killed mid-save (temp file left) {mid_save}, writer finished first {finished}"
    );
    // The kills landed at different moments: before, during and after writing.
    assert!(unchanged > 0, "no kill left OUT unchanged");
    assert!(replaced > 0, "no save completed");
    assert!(mid_save > 0, "no kill interrupted a save under way");
}
