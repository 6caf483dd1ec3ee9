//! Crash drafts in the app, by meaning (egui_kittest): a draft is named by its file and
//! offered whatever process wrote it; restored, it goes on top of the file as it is now; a
//! draft older than a save of its file is discarded with a note in the status bar; a file
//! changed since the draft's edits began is not silently replaced.
#![cfg(feature = "gui")]

use std::path::{Path, PathBuf};

use armistice::{Action, ArmisticeApp, Recovery, Settings, content_hash};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::common::app::{harness, title_in_file};

const TITLE: &str = "Late 2024: the aid rush before the US transition";

/// A file holding `text`, and a crashed window's draft of it titled "Draft", begun from the
/// built-in baseline's text (when `text` differs, the file changed since the edits began).
fn file_and_draft(dir: &Path, text: &str) -> (PathBuf, PathBuf) {
    let file = dir.join("open.ron");
    std::fs::write(&file, text).unwrap();
    let rec = dir.join("recovery");
    let baseline = armistice::builtin_baseline().unwrap().into_inner();
    let mut sc = baseline.clone();
    sc.meta.title = "Draft".into();
    let base = content_hash(armistice::BUILTIN_BASELINE.as_bytes());
    Recovery::new(rec.clone())
        .save(&sc, Some(&file), "open.ron", Some((base, &baseline)))
        .unwrap();
    (file, rec)
}

fn start(rec: &Path) -> Harness<'static, ArmisticeApp> {
    let mut h =
        harness(ArmisticeApp::new(None, Settings::default(), Some(rec.to_path_buf())).unwrap());
    h.step();
    h.step();
    h
}

fn restore(h: &mut Harness<'static, ArmisticeApp>) {
    assert!(
        h.query_by_label_contains("Restore unsaved changes?")
            .is_some()
    );
    h.get_by_role_and_label(Role::Button, "Restore").click();
    for _ in 0..3 {
        h.step();
    }
}

#[test]
fn a_draft_of_an_unchanged_file_is_restored_on_it_and_saves_without_a_question() {
    let dir = tempfile::tempdir().unwrap();
    let (file, rec) = file_and_draft(dir.path(), armistice::BUILTIN_BASELINE);
    let mut h = start(&rec);
    restore(&mut h);
    let s = &h.state().state;
    assert_eq!(s.doc.path.as_deref(), Some(file.as_path()));
    assert_eq!(s.doc.scenario.meta.title, "Draft");
    assert!(s.doc.is_dirty());
    assert!(s.disk_notice.is_none());
    h.state_mut().state.push(Action::Save);
    h.step();
    h.step();
    assert!(h.state().state.save_conflict.is_none());
    assert_eq!(title_in_file(&file), "Draft");
}

#[test]
fn a_draft_older_than_a_save_of_its_file_is_discarded_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let (file, rec) = file_and_draft(dir.path(), armistice::BUILTIN_BASELINE);
    // The draft was written an hour ago; the file was saved since with other content.
    let info = std::fs::read_dir(&rec)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&info).unwrap()).unwrap();
    let written = json["written_at"].as_u64().unwrap();
    json["written_at"] = serde_json::json!(written - 3_600);
    std::fs::write(&info, json.to_string()).unwrap();
    std::fs::write(
        &file,
        armistice::BUILTIN_BASELINE.replace(TITLE, "Saved later"),
    )
    .unwrap();

    let h = start(&rec);
    assert!(h.state().state.offered_draft.is_none());
    assert!(
        h.query_by_label_contains("Restore unsaved changes?")
            .is_none()
    );
    assert!(
        h.query_by_label_contains("Discarded the unsaved changes to open.ron")
            .is_some()
    );
    assert!(!info.exists());
    assert_eq!(title_in_file(&file), "Saved later");
}

#[test]
fn a_draft_of_a_file_changed_since_its_edits_began_asks_before_replacing_it() {
    let dir = tempfile::tempdir().unwrap();
    // Edited elsewhere while the crashed window had the file open, before its last autosave.
    let (file, rec) = file_and_draft(
        dir.path(),
        &armistice::BUILTIN_BASELINE.replace(TITLE, "Theirs"),
    );
    let mut h = start(&rec);
    restore(&mut h);
    assert_eq!(h.state().state.doc.scenario.meta.title, "Draft");
    // The notice asks: reload the file, compare, or keep the draft.
    assert!(h.state().state.disk_notice.is_some());
    assert!(
        h.query_by_role_and_label(Role::Button, "Keep my version")
            .is_some()
    );
    h.state_mut().state.push(Action::Save);
    for _ in 0..3 {
        h.step();
    }
    assert!(
        h.query_by_label_contains("The file changed on disk")
            .is_some()
    );
    assert_eq!(title_in_file(&file), "Theirs");
}

#[test]
fn a_draft_goes_on_top_of_other_changes_made_to_its_file_since() {
    let dir = tempfile::tempdir().unwrap();
    // Another program changed the description while the crashed window edited the title.
    let description = "Ukraine and Russia in November 2024.";
    assert!(armistice::BUILTIN_BASELINE.contains(description));
    let (file, rec) = file_and_draft(
        dir.path(),
        &armistice::BUILTIN_BASELINE.replace(description, "Changed elsewhere."),
    );
    let mut h = start(&rec);
    restore(&mut h);
    let s = &h.state().state;
    // Both changes: the draft's title on the file's new description.
    assert_eq!(s.doc.scenario.meta.title, "Draft");
    assert!(
        s.doc
            .scenario
            .meta
            .description
            .starts_with("Changed elsewhere."),
        "{}",
        s.doc.scenario.meta.description
    );
    assert!(s.disk_notice.is_some());
    h.get_by_role_and_label(Role::Button, "Keep my version")
        .click();
    h.step();
    h.state_mut().state.push(Action::Save);
    for _ in 0..3 {
        h.step();
    }
    // Nothing of the other program's is lost, so the save needs no question.
    assert!(h.state().state.save_conflict.is_none());
    let saved = armistice::load_file(&file).unwrap();
    assert_eq!(saved.scenario().meta.title, "Draft");
    assert!(
        saved
            .scenario()
            .meta
            .description
            .starts_with("Changed elsewhere.")
    );
}
