//! The work of every frame besides drawing: shortcuts and dropped files become intents,
//! background results come in, unsaved changes are autosaved, theme, zoom and title follow
//! the settings.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{AppState, Pending};
use crate::app::actions::{Action, DialogPurpose};
use crate::app::native_dialog::{Reply, SystemDialog};
use crate::app::recovery::AUTOSAVE_EVERY;
use crate::app::runner::RunEvent;

impl AppState {
    /// Work that is not drawing, once before each frame is drawn (and while the window is
    /// hidden): keyboard shortcuts and dropped files (recorded as intents), the close request,
    /// background results, autosave, theme and title.
    pub fn logic(&mut self, ctx: &egui::Context) {
        if self.waker.is_none() {
            let c = ctx.clone();
            self.waker = Some(Arc::new(move || c.request_repaint()));
        }
        self.shortcuts(ctx);
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            self.push(Action::Open(path));
        }
        if ctx.input(|i| i.viewport().close_requested()) && self.doc.is_dirty() && !self.allow_close
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.pending = Some(Pending::Quit);
        }
        let (event, again) = self.runner.poll(&self.waker());
        if let Some(after) = again {
            ctx.request_repaint_after(after);
        }
        match event {
            Some(RunEvent::Result {
                result,
                scenario,
                quick,
                elapsed,
            }) => {
                if quick {
                    self.last_quick = Some(elapsed);
                } else {
                    self.last_full = Some(elapsed);
                }
                self.set_result(result, scenario, quick);
            }
            Some(RunEvent::Failed(msg)) => {
                self.run_error = Some(msg);
            }
            None => {}
        }
        if self.runner.is_busy() {
            // Keep the progress bar moving.
            ctx.request_repaint_after(Duration::from_millis(50));
        }
        if self.analysis.poll() {
            ctx.request_repaint();
        }
        if self.analysis.running().is_some() {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
        self.receive_dialog_answer();
        self.autosave(ctx);
        self.watch_disk(ctx);
        self.apply_look(ctx);
    }

    /// The system file dialog's answer, once it has one: the chosen file becomes an intent;
    /// a dialog that could not be shown makes way for the built-in one.
    fn receive_dialog_answer(&mut self) {
        let Some(reply) = self.ui.system_dialog.as_ref().and_then(SystemDialog::poll) else {
            return;
        };
        let Some(dialog) = self.ui.system_dialog.take() else {
            return;
        };
        match reply {
            Reply::Chosen(path) => self.push(dialog.purpose.action(path)),
            Reply::Cancelled => {}
            Reply::Unavailable(why) => {
                self.use_builtin_dialogs(&why);
                self.push(Action::ShowDialog(dialog.purpose));
            }
        }
    }

    /// Writes unsaved changes to the recovery file every few seconds; removes it once there
    /// is nothing unsaved. A draft still offered for restoring is left alone.
    fn autosave(&mut self, ctx: &egui::Context) {
        let Some(rec) = &self.recovery else { return };
        if self.offered_draft.is_some() {
            return;
        }
        if self.doc.is_dirty() && !self.allow_close {
            if self.autosaved.as_ref() != Some(&self.doc.scenario) {
                let due = self.last_autosave.elapsed() >= AUTOSAVE_EVERY;
                if due {
                    let name = self.doc.display_name();
                    let saved = self.doc.saved();
                    let base = self.doc.disk.as_ref().map(|s| (s.hash, saved));
                    match rec.save(&self.doc.scenario, self.doc.path.as_deref(), &name, base) {
                        Ok(key) => {
                            // The file changed (Save As): the old file's draft goes.
                            if let Some(old) = self.draft_key.take()
                                && old != key
                            {
                                rec.clear(&old);
                            }
                            self.draft_key = Some(key);
                            self.autosaved = Some(self.doc.scenario.clone());
                        }
                        Err(e) => self.set_status(&format!("Autosave failed: {e}"), true),
                    }
                    self.last_autosave = Instant::now();
                } else {
                    ctx.request_repaint_after(AUTOSAVE_EVERY - self.last_autosave.elapsed());
                }
            }
        } else if self.autosaved.is_some() || self.allow_close {
            if let Some(key) = self.draft_key.take() {
                rec.clear(&key);
            }
            self.autosaved = None;
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let cmd = Modifiers::COMMAND;
        let cmd_shift = Modifiers::COMMAND | Modifiers::SHIFT;
        let table: [(KeyboardShortcut, Action); 9] = [
            (
                KeyboardShortcut::new(cmd_shift, Key::S),
                Action::ShowDialog(DialogPurpose::SaveAs),
            ),
            (KeyboardShortcut::new(cmd, Key::S), Action::Save),
            (
                KeyboardShortcut::new(cmd, Key::O),
                Action::ShowDialog(DialogPurpose::Open),
            ),
            (KeyboardShortcut::new(cmd, Key::N), Action::New),
            (KeyboardShortcut::new(cmd_shift, Key::Z), Action::Redo),
            (KeyboardShortcut::new(cmd, Key::Y), Action::Redo),
            (KeyboardShortcut::new(cmd, Key::Z), Action::Undo),
            (
                KeyboardShortcut::new(Modifiers::NONE, Key::F11),
                Action::TogglePresentation,
            ),
            (KeyboardShortcut::new(cmd, Key::B), Action::PinBaseline),
        ];
        for (sc, action) in table {
            if ctx.input_mut(|i| i.consume_shortcut(&sc)) {
                self.push(action);
            }
        }
        // Ctrl+F: to the inputs' search box (the panel opens if it was hidden).
        if ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(cmd, Key::F))) {
            self.settings.show_inputs = true;
            self.ui.focus_search = true;
        }
        self.clicker_keys(ctx);
    }

    /// The keys a presentation clicker sends (Right and Page Down forward, Left and Page Up
    /// back) step a lesson, or turn presentation mode's pages; not while text is typed.
    fn clicker_keys(&mut self, ctx: &egui::Context) {
        use egui::{Key, Modifiers};
        if (self.lesson.is_none() && !self.settings.presentation) || ctx.text_edit_focused() {
            return;
        }
        for (key, forward) in [
            (Key::ArrowRight, true),
            (Key::PageDown, true),
            (Key::ArrowLeft, false),
            (Key::PageUp, false),
        ] {
            if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, key)) {
                if self.lesson.is_some() {
                    let a = if forward {
                        crate::app::actions::LessonAction::Next
                    } else {
                        crate::app::actions::LessonAction::Back
                    };
                    self.push(Action::Lesson(a));
                } else {
                    crate::app::ui::presentation::turn(self, forward);
                }
            }
        }
    }

    /// Applies theme, zoom and the window title when they change.
    fn apply_look(&mut self, ctx: &egui::Context) {
        let zoom = self.settings.zoom();
        if (zoom - self.applied_zoom).abs() > f32::EPSILON {
            ctx.set_zoom_factor(zoom);
            self.applied_zoom = zoom;
        }
        let theme = (self.settings.theme, self.settings.presentation);
        if self.applied_theme != Some(theme) {
            crate::app::theme::apply(ctx, theme.0, theme.1);
            self.applied_theme = Some(theme);
        }
        let title = format!(
            "{}{} - Armistice",
            if self.doc.is_dirty() { "* " } else { "" },
            self.doc.display_name()
        );
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}
