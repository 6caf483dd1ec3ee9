//! The system's file dialog: rfd (on Linux the XDG desktop portal, reached through libdbus
//! opened at run time, else zenity; no GTK is linked), shown on its own thread so that the
//! window keeps drawing, with the filters of each purpose (scenarios, CSV, JSON, PNG).
//!
//! rfd answers "no file" both when the user cancels and when it could show no dialog at all,
//! and says which only in its log. A listener installed at start-up ([`listen_to_rfd`])
//! collects rfd's warnings on the dialog's thread: when its last resort (zenity) failed too,
//! the reply is [`Reply::Unavailable`] and the app falls back to egui_file's built-in dialog,
//! saying so in the status bar. Without the listener (another logger was installed first) the
//! app uses the built-in dialog from the start, so a missing portal never looks like a
//! cancelled dialog.
//!
//! The dialog is built on the UI thread, where the app's window is known: the portal then
//! places it over the window and keeps it in front (its parent).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::app::actions::{DialogPurpose, ExportKind};
use crate::job::Waker;

/// Which file dialog the app shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DialogBackend {
    /// The system's (rfd), falling back to the built-in one when it cannot be shown.
    System,
    /// egui_file's, drawn inside the window: in tests, when `ARMISTICE_FILE_DIALOG=builtin`,
    /// and once the system's could not be shown.
    #[default]
    BuiltIn,
}

impl DialogBackend {
    /// The backend for the desktop app: the system's, unless `ARMISTICE_FILE_DIALOG` is
    /// `builtin` or rfd's messages cannot be listened to.
    pub fn for_desktop() -> Self {
        let builtin_asked = std::env::var("ARMISTICE_FILE_DIALOG")
            .is_ok_and(|v| v.trim().eq_ignore_ascii_case("builtin"));
        if builtin_asked || !listen_to_rfd() {
            DialogBackend::BuiltIn
        } else {
            DialogBackend::System
        }
    }
}

/// A named set of file extensions a dialog offers (`*` for every file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Filter {
    /// What the dialog shows, e.g. "Armistice scenario (*.ron)".
    pub name: &'static str,
    /// Extensions without the dot.
    pub extensions: &'static [&'static str],
}

const SCENARIO: Filter = Filter {
    name: "Armistice scenario (*.ron)",
    extensions: &["ron"],
};
/// What File > Open reads: a scenario, or an export whose replay record carries one.
const OPENABLE: Filter = Filter {
    name: "Scenario, or a figure, export or brief (*.ron, *.svg, *.png, *.csv, *.json, *.html)",
    extensions: &["ron", "svg", "png", "csv", "json", "html", "htm"],
};
const ALL_FILES: Filter = Filter {
    name: "All files",
    extensions: &["*"],
};
const CSV: Filter = Filter {
    name: "CSV table (*.csv)",
    extensions: &["csv"],
};
const JSON: Filter = Filter {
    name: "JSON (*.json)",
    extensions: &["json"],
};
const FIGURE: Filter = Filter {
    name: "Figure (*.svg, *.png)",
    extensions: &["svg", "png"],
};
const HTML: Filter = Filter {
    name: "Web page (*.html)",
    extensions: &["html", "htm"],
};

/// The filters of a dialog for `purpose`, the one selected first.
pub fn filters(purpose: DialogPurpose) -> &'static [Filter] {
    match purpose {
        DialogPurpose::Open => &[OPENABLE, SCENARIO, ALL_FILES],
        DialogPurpose::SaveAs => &[SCENARIO],
        DialogPurpose::Export(ExportKind::SummaryCsv | ExportKind::TrialsCsv) => &[CSV],
        DialogPurpose::Export(ExportKind::SummaryJson) => &[JSON],
        DialogPurpose::Export(ExportKind::Brief) => &[HTML],
        DialogPurpose::ExportFigure(_) => &[FIGURE],
    }
}

/// True when `path` passes the first filter of `purpose`: what the built-in dialog, which
/// offers no choice of filter, lists.
pub fn shows(purpose: DialogPurpose, path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    filters(purpose).first().is_some_and(|f| {
        f.extensions
            .iter()
            .any(|x| *x == "*" || ext.as_deref() == Some(*x))
    })
}

/// What a dialog asks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// What the chosen file is for.
    pub purpose: DialogPurpose,
    /// The dialog's title.
    pub title: String,
    /// The folder it opens in.
    pub dir: PathBuf,
    /// The file name a save dialog proposes.
    pub file_name: Option<String>,
}

impl Request {
    /// True for the dialogs that save (every purpose but opening a scenario).
    pub fn saves(&self) -> bool {
        self.purpose != DialogPurpose::Open
    }
}

/// What the system's dialog answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// The user chose this file.
    Chosen(PathBuf),
    /// The user closed the dialog without choosing.
    Cancelled,
    /// No dialog could be shown; why, in a few words.
    Unavailable(String),
}

/// A system dialog open on its own thread.
pub struct SystemDialog {
    /// What the chosen file is for.
    pub purpose: DialogPurpose,
    rx: Receiver<Reply>,
}

impl SystemDialog {
    /// Shows the dialog, over `parent` when given, on a thread of its own; `waker` is called
    /// once it has answered.
    pub fn spawn(
        request: Request,
        parent: Option<&eframe::Frame>,
        waker: Waker,
    ) -> Result<SystemDialog, String> {
        let (tx, rx) = channel();
        let purpose = request.purpose;
        let dialog = build(&request, parent);
        std::thread::Builder::new()
            .name("armistice-file-dialog".into())
            .spawn(move || {
                // The app may have quit meanwhile; then nobody waits for the answer.
                let _ = tx.send(show(&request, dialog));
                waker();
            })
            .map_err(|e| format!("cannot start the file dialog: {e}"))?;
        Ok(SystemDialog { purpose, rx })
    }

    /// The answer, once there is one.
    pub fn poll(&self) -> Option<Reply> {
        match self.rx.try_recv() {
            Ok(reply) => Some(reply),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Reply::Unavailable(
                "the dialog's thread ended without an answer".into(),
            )),
        }
    }
}

/// rfd's dialog for a request: title, folder, filters, proposed name, and the app's window
/// as its parent when there is one.
fn build(request: &Request, parent: Option<&eframe::Frame>) -> rfd::FileDialog {
    let mut dialog = rfd::FileDialog::new()
        .set_title(&request.title)
        .set_directory(&request.dir);
    for f in filters(request.purpose) {
        dialog = dialog.add_filter(f.name, f.extensions);
    }
    if let Some(name) = &request.file_name {
        dialog = dialog.set_file_name(name);
    }
    if let Some(window) = parent {
        dialog = dialog.set_parent(window);
    }
    dialog
}

/// Shows rfd's dialog on this thread and waits for it.
fn show(request: &Request, dialog: rfd::FileDialog) -> Reply {
    MESSAGES.with(|m| m.borrow_mut().clear());
    let chosen = if request.saves() {
        dialog.save_file()
    } else {
        dialog.pick_file()
    };
    let messages = MESSAGES.with(|m| std::mem::take(&mut *m.borrow_mut()));
    let reply = classify(chosen, &messages);
    if matches!(reply, Reply::Unavailable(_)) {
        // rfd's own words, for whoever sets up the desktop.
        eprintln!("armistice: no system file dialog: {}", messages.join("; "));
    }
    reply
}

/// The reply from rfd's answer and what it logged meanwhile: no file is `Unavailable` when
/// rfd's last resort failed as well (it logs "Failed to ... with zenity: ..." after the portal
/// failed), else `Cancelled` (a portal or zenity dialog the user closed).
fn classify(chosen: Option<PathBuf>, messages: &[String]) -> Reply {
    if let Some(path) = chosen {
        return Reply::Chosen(path);
    }
    let Some(zenity) = messages.iter().find(|m| m.contains("with zenity")) else {
        return Reply::Cancelled;
    };
    let zenity = if zenity.contains("No such file or directory") {
        "zenity is not installed".to_string()
    } else {
        format!(
            "zenity failed: {}",
            zenity.split_once(": ").map_or("", |(_, e)| e)
        )
    };
    Reply::Unavailable(format!(
        "the XDG desktop portal cannot be reached and {zenity}"
    ))
}

thread_local! {
    /// rfd's warnings and errors logged on this thread since the dialog opened.
    static MESSAGES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Keeps rfd's warnings and errors on the thread that logs them; ignores everything else.
struct RfdListener;

impl log::Log for RfdListener {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::Level::Warn && metadata.target().starts_with("rfd")
    }

    fn log(&self, record: &log::Record) {
        if self.enabled(record.metadata()) {
            let text = record.args().to_string();
            MESSAGES.with(|m| m.borrow_mut().push(text));
        }
    }

    fn flush(&self) {}
}

static LISTENER: RfdListener = RfdListener;

/// Installs the listener to rfd's log (the process's logger). True when it is installed, now
/// or before; false when another logger was installed first.
pub fn listen_to_rfd() -> bool {
    static INSTALLED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *INSTALLED.get_or_init(|| {
        let ok = log::set_logger(&LISTENER).is_ok();
        if ok {
            log::set_max_level(log::LevelFilter::Warn);
        }
        ok
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::actions::PlotKind;

    #[test]
    fn each_purpose_offers_its_own_files() {
        assert!(shows(DialogPurpose::Open, Path::new("a/baseline.ron")));
        assert!(!shows(DialogPurpose::Open, Path::new("notes.txt")));
        // A figure or an export opens the scenario it carries.
        assert!(shows(DialogPurpose::Open, Path::new("fig.svg")));
        assert!(shows(DialogPurpose::Open, Path::new("brief.html")));
        // The system's dialog also offers scenarios alone and every file (a scenario under
        // another name).
        assert_eq!(filters(DialogPurpose::Open)[1].extensions, ["ron"]);
        assert_eq!(filters(DialogPurpose::Open)[2].extensions, ["*"]);
        assert!(shows(DialogPurpose::SaveAs, Path::new("x.RON")));
        assert!(!shows(DialogPurpose::SaveAs, Path::new("x.csv")));
        for kind in [
            ExportKind::SummaryCsv,
            ExportKind::TrialsCsv,
            ExportKind::SummaryJson,
            ExportKind::Brief,
        ] {
            let purpose = DialogPurpose::Export(kind);
            let own = format!("out.{}", kind.extension());
            assert!(shows(purpose, Path::new(&own)), "{kind:?}");
            assert!(shows(purpose, Path::new(kind.default_name())), "{kind:?}");
            assert!(!shows(purpose, Path::new("scenario.ron")), "{kind:?}");
            assert_eq!(filters(purpose).len(), 1);
        }
        let fig = DialogPurpose::ExportFigure(PlotKind::Deal);
        assert!(shows(fig, Path::new("deal.png")));
        assert!(shows(fig, Path::new("deal.svg")));
        assert!(!shows(fig, Path::new("deal.csv")));
        assert!(!shows(fig, Path::new("no-extension")));
    }

    #[test]
    fn no_file_is_unavailable_only_when_the_last_resort_failed_too() {
        let path = PathBuf::from("/tmp/x.ron");
        assert_eq!(classify(Some(path.clone()), &[]), Reply::Chosen(path));
        assert_eq!(classify(None, &[]), Reply::Cancelled);
        let portal_down = "Can't connect to a portal: libdbus-1.so not found".to_string();
        // The portal failed, zenity showed a dialog and the user closed it.
        assert_eq!(
            classify(
                None,
                &[portal_down.clone(), "Using zenity fallback".to_string()]
            ),
            Reply::Cancelled
        );
        let reply = classify(
            None,
            &[
                portal_down,
                "Using zenity fallback".to_string(),
                "Failed to pick file with zenity: No such file or directory (os error 2)"
                    .to_string(),
            ],
        );
        match reply {
            Reply::Unavailable(why) => assert_eq!(
                why,
                "the XDG desktop portal cannot be reached and zenity is not installed"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_listener_keeps_rfds_messages_on_the_thread_that_logs_them() {
        assert!(listen_to_rfd());
        MESSAGES.with(|m| m.borrow_mut().clear());
        log::error!(target: "rfd::backend::xdg_desktop_portal", "Failed to save file with zenity: gone");
        log::error!(target: "eframe", "not rfd's");
        log::info!(target: "rfd", "below a warning");
        std::thread::spawn(|| log::error!(target: "rfd", "another thread's"))
            .join()
            .unwrap();
        let kept = MESSAGES.with(|m| m.borrow().clone());
        assert_eq!(
            kept,
            vec!["Failed to save file with zenity: gone".to_string()]
        );
        assert_eq!(
            classify(None, &kept),
            Reply::Unavailable(
                "the XDG desktop portal cannot be reached and zenity failed: gone".into()
            )
        );
    }
}

#[cfg(test)]
mod system_tests {
    use super::*;

    /// True when rfd has no way to show a dialog here: no session bus to reach a portal
    /// through (nor an X display that libdbus could start one for) and no zenity.
    fn no_dialog_possible() -> bool {
        let on_path = |name: &str| {
            std::env::var_os("PATH")
                .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
        };
        let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
            || std::env::var_os("XDG_RUNTIME_DIR")
                .is_some_and(|d| Path::new(&d).join("bus").exists());
        let display = std::env::var_os("DISPLAY").is_some() && on_path("dbus-launch");
        !bus && !display && !on_path("zenity")
    }

    #[test]
    fn without_portal_or_zenity_the_dialog_is_unavailable_not_cancelled() {
        if !no_dialog_possible() {
            eprintln!("skipped: this machine may show a real dialog, which would wait for a user");
            return;
        }
        assert!(listen_to_rfd());
        for purpose in [DialogPurpose::Open, DialogPurpose::SaveAs] {
            let request = Request {
                purpose,
                title: "test".into(),
                dir: std::env::temp_dir(),
                file_name: Some("x.ron".into()),
            };
            let reply = show(&request, build(&request, None));
            match reply {
                Reply::Unavailable(why) => {
                    assert!(why.contains("zenity is not installed"), "{why}")
                }
                other => panic!("{purpose:?}: {other:?}"),
            }
        }
    }
}
