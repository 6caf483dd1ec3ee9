//! What the installation ships besides the app: `armistice --version` with the scenario
//! format versions, and the shell completions and man pages generated from the clap
//! definitions (the hidden `completions` and `manpage` commands).

use armistice::Cli;
use armistice::{FORMAT_VERSION, READABLE_VERSIONS};
use assert_cmd::cargo::cargo_bin_cmd;
use clap::CommandFactory;

use crate::common::*;

/// Runs the binary with `args`, expects success and returns standard output.
fn stdout_of(args: &[&str]) -> String {
    let out = cargo_bin_cmd!("armistice").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "armistice {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// The visible subcommands, as `armistice --help` lists them (without `help`).
fn subcommands() -> Vec<String> {
    let names: Vec<String> = Cli::command()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_owned())
        .collect();
    assert!(
        names.len() >= 9,
        "expected the documented commands, got {names:?}"
    );
    names
}

#[test]
fn version_names_the_readable_format_versions() {
    let text = stdout_of(&["--version"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], format!("armistice {}", env!("CARGO_PKG_VERSION")));
    let read = READABLE_VERSIONS
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    assert!(
        lines.contains(&format!("scenario format versions read: {read}").as_str()),
        "{text}"
    );
    assert!(
        lines.contains(&format!("scenario format version written: {FORMAT_VERSION}").as_str()),
        "{text}"
    );
    // -V stays one line.
    assert_eq!(
        stdout_of(&["-V"]).trim_end(),
        format!("armistice {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn readable_versions_match_what_loads() {
    assert!(READABLE_VERSIONS.contains(&FORMAT_VERSION));
    for path in shipped_scenarios() {
        let version = load(&path).scenario().version;
        assert!(
            READABLE_VERSIONS.contains(&version),
            "{}: version {version} is not listed as readable",
            path.display()
        );
    }
    // A version past the newest readable one is refused, and the message names it.
    let newest = READABLE_VERSIONS
        .iter()
        .max()
        .copied()
        .unwrap_or(FORMAT_VERSION);
    let text = teaching_text().replacen(
        &format!("version: {FORMAT_VERSION},"),
        &format!("version: {},", newest + 1),
        1,
    );
    let Err(err) = armistice::load_str(&text, "future.ron") else {
        panic!("version {} is accepted", newest + 1);
    };
    let err = err.to_string();
    assert!(err.contains(&(newest + 1).to_string()), "{err}");
}

#[test]
fn completions_cover_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.len() > 1000, "{shell}: only {} bytes", script.len());
        for sub in subcommands() {
            assert!(script.contains(&sub), "{shell} completion lacks {sub}");
        }
        // Options of a subcommand are completed too.
        assert!(
            script.contains("trials"),
            "{shell} completion lacks --trials"
        );
    }
    let bad = cargo_bin_cmd!("armistice")
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "an unknown shell is bad input");
}

#[test]
fn man_page_names_every_subcommand() {
    let page = stdout_of(&["manpage"]);
    assert!(page.contains("\n.TH armistice 1 "), "no title line");
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "EXIT STATUS",
        "FILES",
        "VERSION",
    ] {
        assert!(
            page.contains(&format!(".SH \"{section}\""))
                || page.contains(&format!(".SH {section}")),
            "no {section} section"
        );
    }
    for sub in subcommands() {
        // roff escapes every hyphen: armistice\-why\-no\-deal(1)
        let escaped = format!("armistice-{sub}(1)").replace('-', "\\-");
        assert!(page.contains(&escaped), "man page lacks {escaped}");
    }
}

#[test]
fn man_pages_per_subcommand_are_written_to_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = cargo_bin_cmd!("armistice")
        .args(["manpage", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let main = std::fs::read_to_string(dir.path().join("armistice.1")).unwrap();
    assert_eq!(main, stdout_of(&["manpage"]));
    for sub in subcommands() {
        let path = dir.path().join(format!("armistice-{sub}.1"));
        let page =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(page.contains(&format!("\n.TH armistice-{sub} 1 ")), "{sub}");
        assert!(page.contains("\\-\\-help"), "{sub}: no options section");
    }
    assert!(
        std::fs::read_to_string(dir.path().join("armistice-run.1"))
            .unwrap()
            .contains("\\-\\-trials")
    );
    let written = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(
        written,
        subcommands().len() + 1,
        "no page for hidden commands"
    );
}
