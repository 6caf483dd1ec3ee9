//! Builders of hostile and oversized scenario files, shared by the limit, mutation, CLI and
//! crash-safety tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use armistice::{LoadError, Scenario, limits};

/// The crate root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The teaching scenario's text.
pub fn teaching_text() -> String {
    std::fs::read_to_string(root().join("scenarios/teaching-arvenia-borsk.ron"))
        .expect("the teaching scenario is shipped")
}

/// The teaching scenario, parsed (not validated).
pub fn teaching() -> Scenario {
    armistice::parse_str(&teaching_text(), "teaching.ron").unwrap_or_else(|e| panic!("{e}"))
}

/// Every shipped scenario and the template: (name, text).
pub fn seed_texts() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = armistice::SHIPPED
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    v.push(("template.ron".into(), armistice::TEMPLATE.to_string()));
    v
}

/// A text of `n` characters made of words, for long descriptions.
pub fn words(n: usize) -> String {
    const TEXT: &str =
        "The front moves a little each month while both sides wait for the other to blink. ";
    TEXT.chars().cycle().take(n).collect()
}

/// A valid scenario as large as the size limit allows (within `margin` bytes of it): the
/// teaching scenario with a description of the longest length allowed and as many packages
/// with long descriptions as fit. `title` tells two such files apart.
pub fn big_scenario(title: &str, margin: usize) -> (Scenario, String) {
    let mut sc = teaching();
    sc.meta.title = title.to_string();
    sc.meta.description = words(limits::MAX_TEXT_CHARS);
    let template = sc.bargaining.packages[0].clone();
    let limit = limits::MAX_FILE_BYTES as usize - margin;
    let mut text = armistice::to_ron_string(&sc).expect("writes");
    let mut i = 0;
    while sc.bargaining.packages.len() < limits::MAX_PACKAGES {
        let mut p = template.clone();
        p.name = format!("Package {i} of {title}");
        // A description long enough to fill the rest, at most the longest allowed.
        let room = limit.saturating_sub(text.len() + 200);
        if room < 100 {
            break;
        }
        p.description = words(room.min(limits::MAX_TEXT_CHARS));
        sc.bargaining.packages.push(p);
        text = armistice::to_ron_string(&sc).expect("writes");
        i += 1;
    }
    assert!(
        text.len() as u64 <= limits::MAX_FILE_BYTES,
        "{} bytes",
        text.len()
    );
    (sc, text)
}

/// The file label and position or field path of an error, checking that it names them.
pub fn assert_error_says_where(e: &LoadError, file: &str) {
    let shown = e.to_string();
    assert!(
        shown.starts_with(file),
        "the message names the file: {shown}"
    );
    match e {
        LoadError::Syntax { line, column, .. } => {
            assert!(*line >= 1 && *column >= 1, "a position: {shown}");
            assert!(
                shown.starts_with(&format!("{file}:{line}:{column}: ")),
                "{shown}"
            );
        }
        LoadError::Invalid { issues, .. } => {
            assert!(!issues.is_empty(), "{shown}");
            for i in issues {
                assert!(!i.path.is_empty(), "a field path: {i}");
                assert!(!i.message.is_empty(), "a message: {i}");
            }
            for line in e.lines() {
                assert!(line.starts_with(&format!("{file}: ")), "{line}");
            }
        }
        LoadError::TooLarge { .. } | LoadError::Io { .. } => {}
    }
}

/// A fresh file path in a temporary folder (kept alive by the returned guard).
pub fn temp_file(name: &str, contents: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join(name);
    std::fs::write(&path, contents).expect("writes");
    (dir, path)
}
