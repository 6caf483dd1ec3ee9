//! The app and a file changed elsewhere, by meaning (egui_kittest): a save that finds the
//! file changed on disk asks (overwrite, save as, reload, show the difference) and writes
//! nothing until answered; a change made while the file is open is offered for reloading,
//! and the edits stay unless the user reloads.
#![cfg(feature = "gui")]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use armistice::{Action, ArmisticeApp, Settings};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::common::app::{edit, harness, title_in_file};

const TITLE: &str = "Late 2024: the aid rush before the US transition";

/// The built-in baseline saved as `<dir>/open.ron`, and the app on it.
fn app_on_file(dir: &Path) -> (PathBuf, Harness<'static, ArmisticeApp>) {
    let path = dir.join("open.ron");
    std::fs::write(&path, armistice::BUILTIN_BASELINE).unwrap();
    let app = ArmisticeApp::new(Some(path.clone()), Settings::default(), None).unwrap();
    let mut h = harness(app);
    h.step();
    assert_eq!(h.state().state.doc.path.as_deref(), Some(path.as_path()));
    (path, h)
}

/// Another program edits the file: the title changes.
fn edit_elsewhere(path: &Path, title: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(TITLE));
    std::fs::write(path, text.replace(TITLE, title)).unwrap();
}

fn steps(h: &mut Harness<'static, ArmisticeApp>, n: usize) {
    for _ in 0..n {
        h.step();
    }
}

/// The app on a file, "Mine" typed as its title, "Theirs" written by another program, then
/// Save.
fn save_over_a_changed_file(dir: &Path) -> (PathBuf, Harness<'static, ArmisticeApp>) {
    let (path, mut h) = app_on_file(dir);
    edit(&mut h, |sc| sc.meta.title = "Mine".into());
    edit_elsewhere(&path, "Theirs");
    h.state_mut().state.push(Action::Save);
    steps(&mut h, 3);
    (path, h)
}

#[test]
fn a_save_over_a_file_changed_elsewhere_asks_and_overwrite_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut h) = save_over_a_changed_file(dir.path());
    assert!(
        h.query_by_label_contains("The file changed on disk")
            .is_some()
    );
    for b in [
        "Overwrite",
        "Save as…",
        "Reload from disk",
        "Show the difference",
        "Cancel",
    ] {
        assert!(h.query_by_role_and_label(Role::Button, b).is_some(), "{b}");
    }
    // Nothing was written: the other program's edit is still there.
    assert_eq!(title_in_file(&path), "Theirs");
    assert!(h.state().state.doc.is_dirty());

    // The difference shows both titles, one removed and one added.
    h.get_by_role_and_label(Role::Button, "Show the difference")
        .click();
    steps(&mut h, 3);
    assert!(h.query_by_label_contains("− ").is_some());
    assert!(
        h.query_all_by_label_contains("title: \"Theirs\"")
            .next()
            .is_some()
    );
    assert!(
        h.query_all_by_label_contains("title: \"Mine\"")
            .next()
            .is_some()
    );

    h.get_by_role_and_label(Role::Button, "Overwrite").click();
    steps(&mut h, 3);
    assert_eq!(title_in_file(&path), "Mine");
    let s = &h.state().state;
    assert!(!s.doc.is_dirty());
    assert!(s.save_conflict.is_none());
    assert!(
        h.query_by_label_contains("The file changed on disk")
            .is_none()
    );
    // Saved again with no change elsewhere: no question.
    edit(&mut h, |sc| sc.meta.title = "Mine again".into());
    h.state_mut().state.push(Action::Save);
    steps(&mut h, 2);
    assert!(h.state().state.save_conflict.is_none());
    assert_eq!(title_in_file(&path), "Mine again");
}

#[test]
fn reload_from_the_question_loads_the_version_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut h) = save_over_a_changed_file(dir.path());
    h.get_by_role_and_label(Role::Button, "Reload from disk")
        .click();
    steps(&mut h, 3);
    let s = &h.state().state;
    assert_eq!(s.doc.scenario.meta.title, "Theirs");
    assert!(!s.doc.is_dirty());
    assert_eq!(title_in_file(&path), "Theirs");
}

/// Steps (sleeping between frames) until the changed-on-disk notice shows (bounded).
fn wait_for_notice(h: &mut Harness<'static, ArmisticeApp>) {
    let start = Instant::now();
    while h.state().state.disk_notice.is_none() {
        h.step();
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the change on disk was not noticed"
        );
    }
    steps(h, 2);
}

#[test]
fn a_change_on_disk_while_open_is_offered_and_edits_stay_unless_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut h) = app_on_file(dir.path());
    edit(&mut h, |sc| sc.meta.title = "Mine".into());
    edit_elsewhere(&path, "Theirs");
    wait_for_notice(&mut h);
    assert!(h.query_by_label_contains("changed on disk").is_some());
    // Keeping my version keeps the edit, and the same change is not offered again.
    h.get_by_role_and_label(Role::Button, "Keep my version")
        .click();
    steps(&mut h, 2);
    assert_eq!(h.state().state.doc.scenario.meta.title, "Mine");
    std::thread::sleep(Duration::from_millis(1_200));
    steps(&mut h, 3);
    assert!(h.state().state.disk_notice.is_none());
    // A further change is offered again; reloading loads it.
    edit_elsewhere_again(&path, "Theirs", "Theirs, later");
    wait_for_notice(&mut h);
    h.get_by_role_and_label(Role::Button, "Reload from disk")
        .click();
    steps(&mut h, 3);
    let s = &h.state().state;
    assert_eq!(s.doc.scenario.meta.title, "Theirs, later");
    assert!(!s.doc.is_dirty());
    assert!(s.disk_notice.is_none());
}

fn edit_elsewhere_again(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn a_second_window_on_the_same_file_is_told_before_it_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut first) = app_on_file(dir.path());
    let second = ArmisticeApp::new(Some(path.clone()), Settings::default(), None).unwrap();
    let mut second = harness(second);
    second.step();
    edit(&mut first, |sc| sc.meta.title = "First".into());
    first.state_mut().state.push(Action::Save);
    steps(&mut first, 2);
    assert_eq!(title_in_file(&path), "First");
    edit(&mut second, |sc| sc.meta.title = "Second".into());
    second.state_mut().state.push(Action::Save);
    steps(&mut second, 3);
    assert!(second.state().state.save_conflict.is_some());
    assert_eq!(title_in_file(&path), "First");
}

#[test]
fn an_action_waiting_for_the_save_goes_on_after_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut h) = app_on_file(dir.path());
    edit(&mut h, |sc| sc.meta.title = "Mine".into());
    edit_elsewhere(&path, "Theirs");
    h.state_mut().state.push(Action::OpenShipped(4));
    steps(&mut h, 3);
    h.get_by_role_and_label(Role::Button, "Save").click();
    steps(&mut h, 3);
    // The save found the other edit: asked, nothing written, the other file not opened.
    assert!(
        h.query_by_label_contains("The file changed on disk")
            .is_some()
    );
    assert_eq!(title_in_file(&path), "Theirs");
    assert_eq!(h.state().state.doc.path.as_deref(), Some(path.as_path()));
    h.get_by_role_and_label(Role::Button, "Overwrite").click();
    steps(&mut h, 3);
    assert_eq!(title_in_file(&path), "Mine");
    assert_eq!(h.state().state.doc.scenario.sides.a.name, "Arvenia");
}
