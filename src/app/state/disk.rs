//! The open file against the disk: the check before a save (a file changed elsewhere is
//! never overwritten without a question), the watch while the file is open (at most once a
//! second, every three seconds in the background, and when the window gets the focus), and the answers: overwrite, save as, reload,
//! show the difference, keep editing.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{AppState, DiffView, DiskChange};
use crate::app::actions::{DialogPurpose, DiskChoice};
use crate::app::disk::{self, DiskStamp, DiskState};

/// How often the open file is checked while the window is in use.
pub const DISK_CHECK_EVERY: Duration = Duration::from_secs(1);
/// How often it is checked while the window is in the background.
pub const DISK_CHECK_UNFOCUSED: Duration = Duration::from_secs(3);

impl AppState {
    /// Before saving to `path`, the open file: true when it may be written. When it is the
    /// open file and its content is no longer what was loaded or last saved, the question is
    /// put instead (`save_conflict`) and nothing is written.
    pub(super) fn disk_allows_save(&mut self, path: &Path) -> bool {
        if self.doc.path.as_deref() != Some(path) {
            return true;
        }
        let Some(stamp) = self.doc.disk.as_mut() else {
            return true;
        };
        match disk::check(path, stamp, false) {
            DiskState::Changed { text, stamp } => {
                self.save_conflict = Some(DiskChange {
                    path: path.to_path_buf(),
                    text,
                    stamp,
                });
                false
            }
            // Removed or unreadable: the writer recreates it or says why it cannot.
            DiskState::Same | DiskState::Unreadable(_) => true,
        }
    }

    /// After a save to `path`: what is on disk now is what the document knows.
    pub(super) fn saved_to_disk(&mut self, path: &Path) {
        self.doc.disk = DiskStamp::read(path).ok().map(|(_, s)| s);
        self.disk_notice = None;
        self.disk_seen = None;
        self.save_conflict = None;
    }

    /// Forgets what was noticed about the previous document's file.
    pub(super) fn forget_disk(&mut self) {
        self.after_save = None;
        self.disk_notice = None;
        self.disk_seen = None;
        self.save_conflict = None;
        self.diff_view = None;
    }

    /// Checks the open file at most once per [`DISK_CHECK_EVERY`] (every
    /// [`DISK_CHECK_UNFOCUSED`] in the background) and whenever the window gets the focus; a size and a time that match skip reading it. A change is offered
    /// for reloading once per version.
    pub(super) fn watch_disk(&mut self, ctx: &egui::Context) {
        let focused = ctx.input(|i| i.focused);
        let gained = focused && !self.was_focused;
        self.was_focused = focused;
        let Some(path) = self.doc.path.clone() else {
            return;
        };
        if self.doc.disk.is_none() || self.save_conflict.is_some() {
            return;
        }
        // A window in the background looks less often (it looks again when focused).
        let every = if focused {
            DISK_CHECK_EVERY
        } else {
            DISK_CHECK_UNFOCUSED
        };
        ctx.request_repaint_after(every);
        if !gained && self.last_disk_check.elapsed() < every {
            return;
        }
        self.last_disk_check = Instant::now();
        if let Some(seen) = self.disk_seen.as_mut()
            && disk::check(&path, seen, true) == DiskState::Same
        {
            return;
        }
        let Some(known) = self.doc.disk.as_mut() else {
            return;
        };
        match disk::check(&path, known, true) {
            DiskState::Changed { text, stamp } => {
                self.disk_seen = Some(stamp.clone());
                self.disk_notice = Some(DiskChange { path, text, stamp });
            }
            DiskState::Same => {
                // Back to the version loaded (an edit undone elsewhere).
                self.disk_notice = None;
                self.disk_seen = None;
            }
            DiskState::Unreadable(_) => {}
        }
    }

    /// Carries out an answer about the file having changed on disk.
    /// Only Overwrite carries on with an action that waited for the save (Quit, Open, New
    /// after "Save changes?"); any other answer drops it.
    pub(super) fn disk_choice(&mut self, ctx: &egui::Context, choice: DiskChoice) {
        let waiting = match choice {
            DiskChoice::ShowDifference | DiskChoice::CloseDifference | DiskChoice::KeepMine => None,
            _ => self.after_save.take(),
        };
        match choice {
            DiskChoice::Overwrite => {
                if let Some(c) = self.save_conflict.take() {
                    // The user has seen the version on disk: it is the one being replaced.
                    self.doc.disk = Some(c.stamp);
                    self.diff_view = None;
                    if self.save_to(&c.path) {
                        if let Some(what) = waiting {
                            self.proceed_after_save(ctx, what);
                        }
                    } else if self.save_conflict.is_some() {
                        // Changed once more meanwhile: asked again, still waiting.
                        self.after_save = waiting;
                    }
                }
            }
            DiskChoice::SaveAs => {
                self.save_conflict = None;
                self.diff_view = None;
                self.show_dialog(DialogPurpose::SaveAs);
            }
            DiskChoice::Reload => {
                let path = self
                    .save_conflict
                    .take()
                    .or_else(|| self.disk_notice.take())
                    .map(|c| c.path)
                    .or_else(|| self.doc.path.clone());
                self.diff_view = None;
                if let Some(path) = path {
                    self.open_now(&path);
                }
            }
            DiskChoice::ShowDifference => {
                let Some(c) = self.save_conflict.as_ref().or(self.disk_notice.as_ref()) else {
                    return;
                };
                self.diff_view = Some(self.diff_with(&c.text.clone(), &c.path.clone()));
            }
            DiskChoice::KeepMine => {
                self.disk_notice = None;
                self.set_status(
                    "Kept your version; saving will ask before it replaces the file on disk.",
                    false,
                );
            }
            DiskChoice::Cancel => {
                self.save_conflict = None;
                self.diff_view = None;
            }
            DiskChoice::CloseDifference => self.diff_view = None,
        }
    }

    /// The diff between `disk_text` (the file at `path` now) and the edited scenario as a
    /// save would write it over that text.
    pub(super) fn diff_with(&self, disk_text: &str, path: &Path) -> DiffView {
        let mine = crate::scenario::patch::patch_text(disk_text, &self.doc.scenario)
            .map(|(t, _)| t)
            .or_else(|_| crate::scenario::to_ron_string(&self.doc.scenario))
            .unwrap_or_default();
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into(),
        );
        DiffView {
            title: format!("{name}: on disk (−) and your version (+)"),
            lines: disk::line_diff(disk_text, &mine),
        }
    }
}
