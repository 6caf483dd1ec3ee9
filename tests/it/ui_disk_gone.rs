//! The app and an open file deleted or renamed elsewhere, by meaning (egui_kittest): the
//! absence is announced while the file is open (once, and not after the file comes back), and
//! Save asks (save it there again, save as, cancel) instead of silently recreating the file.
#![cfg(feature = "gui")]

use std::time::{Duration, Instant};

use armistice::{Action, ArmisticeApp};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::common::app::{app_on_file, edit, steps, title_in_file};

/// Steps (sleeping between frames) until `done` holds (bounded by the check's period).
fn wait(h: &mut Harness<'static, ArmisticeApp>, what: &str, done: impl Fn(&ArmisticeApp) -> bool) {
    let start = Instant::now();
    while !done(h.state()) {
        h.step();
        std::thread::sleep(Duration::from_millis(50));
        assert!(start.elapsed() < Duration::from_secs(10), "{what}");
    }
    steps(h, 2);
}

const GONE: &str = "was deleted or renamed on disk";

#[test]
fn a_file_renamed_while_open_is_announced_and_save_asks_before_recreating_it() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut h) = app_on_file(dir.path());
    edit(&mut h, |sc| sc.meta.title = "Mine".into());
    let moved = dir.path().join("moved.ron");
    std::fs::rename(&path, &moved).unwrap();
    wait(&mut h, "the rename was not noticed", |a| {
        a.state.disk_gone.is_some()
    });
    assert!(h.query_by_label_contains(GONE).is_some());
    // The edits stay.
    assert_eq!(h.state().state.doc.scenario.meta.title, "Mine");

    // Save asks; nothing is written.
    h.state_mut().state.push(Action::Save);
    steps(&mut h, 3);
    assert!(
        h.query_by_label_contains("The file is no longer on disk")
            .is_some()
    );
    for b in ["Save it there again", "Save as…", "Cancel"] {
        assert!(h.query_by_role_and_label(Role::Button, b).is_some(), "{b}");
    }
    assert!(!path.exists(), "the file was recreated without a question");
    assert!(h.state().state.doc.is_dirty());

    // Cancel: still nothing written, and a second Save asks again.
    h.get_by_role_and_label(Role::Button, "Cancel").click();
    steps(&mut h, 3);
    assert!(h.state().state.save_gone.is_none());
    assert!(!path.exists());
    // The notice is back under the menu.
    assert!(h.query_by_label_contains(GONE).is_some());
    h.state_mut().state.push(Action::Save);
    steps(&mut h, 3);
    assert!(h.state().state.save_gone.is_some());
    assert!(!path.exists());

    // Save it there again: written where it was; the notice goes.
    h.get_by_role_and_label(Role::Button, "Save it there again")
        .click();
    steps(&mut h, 3);
    assert_eq!(title_in_file(&path), "Mine");
    let s = &h.state().state;
    assert!(!s.doc.is_dirty());
    assert!(s.save_gone.is_none() && s.disk_gone.is_none());
    assert!(h.query_by_label_contains(GONE).is_none());
    // The renamed copy is untouched.
    assert_ne!(title_in_file(&moved), "Mine");
}

#[test]
fn a_deleted_file_is_announced_once_and_forgotten_when_it_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut h) = app_on_file(dir.path());
    let text = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    wait(&mut h, "the deletion was not noticed", |a| {
        a.state.disk_gone.is_some()
    });
    // Keep editing: the notice goes and is not put up again while the file stays away.
    h.get_by_role_and_label(Role::Button, "Keep editing")
        .click();
    steps(&mut h, 2);
    assert!(h.state().state.disk_gone.is_none());
    std::thread::sleep(Duration::from_millis(1200));
    steps(&mut h, 3);
    assert!(h.state().state.disk_gone.is_none());
    assert!(h.query_by_label_contains(GONE).is_none());
    // The same file back: nothing to say, and a save writes without asking.
    std::fs::write(&path, &text).unwrap();
    std::thread::sleep(Duration::from_millis(1200));
    steps(&mut h, 3);
    assert!(h.state().state.disk_notice.is_none());
    edit(&mut h, |sc| sc.meta.title = "Back".into());
    h.state_mut().state.push(Action::Save);
    steps(&mut h, 3);
    assert!(h.state().state.save_gone.is_none());
    assert_eq!(title_in_file(&path), "Back");
    // Deleted again: announced again.
    std::fs::remove_file(&path).unwrap();
    wait(&mut h, "the second deletion was not noticed", |a| {
        a.state.disk_gone.is_some()
    });
}

#[test]
fn a_save_right_after_the_file_is_deleted_asks_even_before_the_notice() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut h) = app_on_file(dir.path());
    edit(&mut h, |sc| sc.meta.title = "Mine".into());
    std::fs::remove_file(&path).unwrap();
    h.state_mut().state.push(Action::Save);
    steps(&mut h, 3);
    assert!(h.state().state.save_gone.is_some());
    assert!(
        h.query_by_label_contains("The file is no longer on disk")
            .is_some()
    );
    assert!(!path.exists());
    // Save as… leaves the question for the file dialog.
    h.get_by_role_and_label(Role::Button, "Save as…").click();
    steps(&mut h, 3);
    assert!(h.state().state.save_gone.is_none());
    assert!(!path.exists());
}
