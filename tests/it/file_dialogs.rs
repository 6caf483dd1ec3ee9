//! The file dialogs of the app: the built-in one (egui_file) in tests and wherever the system's
//! cannot be shown, with the status bar saying so; the system's (rfd through the XDG desktop
//! portal or zenity) is tried first by the desktop app.
#![cfg(feature = "gui")]

use std::path::Path;
use std::time::{Duration, Instant};

use armistice::{Action, DialogBackend, DialogPurpose, ExportKind};

use crate::common::app::{app, harness};

#[test]
fn the_app_under_test_uses_the_built_in_dialog_with_the_purposes_filter() {
    let mut h = harness(app());
    h.step();
    assert_eq!(h.state().state.file_dialogs, DialogBackend::BuiltIn);
    h.state_mut()
        .state
        .push(Action::ShowDialog(DialogPurpose::Export(
            ExportKind::SummaryJson,
        )));
    h.step();
    let s = &h.state().state;
    assert!(s.ui.system_dialog.is_none());
    let (purpose, _) = s.ui.dialog.as_ref().expect("the built-in dialog is open");
    assert_eq!(*purpose, DialogPurpose::Export(ExportKind::SummaryJson));
    assert!(s.status.is_none(), "no message when nothing failed");
}

/// True when no system dialog can be shown here: no session bus to reach a portal through
/// (nor an X display with dbus-launch to start one) and no zenity.
fn no_system_dialog_possible() -> bool {
    let on_path = |name: &str| {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
    };
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        || std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|d| Path::new(&d).join("bus").exists());
    let display = std::env::var_os("DISPLAY").is_some() && on_path("dbus-launch");
    !bus && !display && !on_path("zenity")
}

#[test]
fn without_a_system_dialog_the_app_falls_back_to_its_own_and_says_so() {
    if !no_system_dialog_possible() {
        eprintln!("skipped: this machine may show a real dialog, which would wait for a user");
        return;
    }
    let mut h = harness(app());
    h.step();
    // What the desktop app does at start-up: listen to rfd, then try the system's dialog.
    let backend = DialogBackend::for_desktop();
    assert_eq!(backend, DialogBackend::System);
    h.state_mut().state.file_dialogs = backend;
    let purpose = DialogPurpose::Export(ExportKind::TrialsCsv);
    h.state_mut().state.push(Action::ShowDialog(purpose));
    h.step();
    assert!(h.state().state.ui.system_dialog.is_some());
    let start = Instant::now();
    while h.state().state.ui.system_dialog.is_some() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no answer from the system dialog's thread"
        );
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.step();
    let s = &h.state().state;
    // Not taken for a cancelled dialog: the built-in one opens in its place.
    assert_eq!(s.ui.dialog.as_ref().map(|(p, _)| *p), Some(purpose));
    assert_eq!(s.file_dialogs, DialogBackend::BuiltIn);
    let status = s.status.as_ref().expect("a message in the status bar");
    assert!(
        status.text.contains("No system file dialog") && status.text.contains("built-in"),
        "{}",
        status.text
    );
    assert!(
        status.text.contains("zenity is not installed"),
        "{}",
        status.text
    );
    // The status bar shows it.
    use egui_kittest::kittest::Queryable;
    assert!(h.query_by_label_contains("No system file dialog").is_some());
}
