//! The one handler: carries out the intents the UI and the frame's logic recorded (loads,
//! saves, edits, undo, baselines, exports, analyses; restoring a draft is in `restore`), and
//! starts the run that is due.

use std::path::{Path, PathBuf};

use super::{AppState, Baseline, LoadErrorView, Pending};
use crate::app::actions::{Action, ConfirmChoice, DialogPurpose};
use crate::app::disk::DiskStamp;
use crate::app::document::Document;
use crate::app::native_dialog::{self, DialogBackend, Request, SystemDialog};
use crate::scenario::{self, SHIPPED};

impl AppState {
    /// Carries out every intent recorded during the frame, once it is drawn: the one place
    /// that handles them. Then starts the run that is due, if any: the one place a run starts.
    pub fn handle_all(&mut self, ctx: &egui::Context) {
        let actions = std::mem::take(&mut self.actions);
        let any = !actions.is_empty();
        for a in actions {
            self.handle(ctx, a);
        }
        if std::mem::take(&mut self.run_due) {
            let waker = self.waker();
            self.runner.restart(
                self.doc.last_valid.clone(),
                self.doc.compiled.clone(),
                waker,
            );
        }
        if any {
            ctx.request_repaint();
        }
    }

    /// Carries out one intent.
    pub fn handle(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::New => self.guard(Pending::New),
            Action::Open(path) => self.guard(Pending::Open(path)),
            Action::OpenShipped(i) => self.guard(Pending::OpenShipped(i)),
            Action::ShowDialog(purpose) => self.show_dialog(purpose),
            Action::Save => match self.doc.path.clone() {
                Some(p) => {
                    self.save_to(&p);
                }
                None => self.show_dialog(DialogPurpose::SaveAs),
            },
            Action::SaveAs(path) => {
                self.save_to(&with_extension(path, "ron"));
            }
            Action::Revert => {
                let saved = self.doc.saved().clone();
                if saved != self.doc.scenario {
                    self.history.record(&self.doc.scenario, "revert");
                    self.apply_scenario(saved);
                    self.set_status("Reverted to the saved version.", false);
                }
            }
            Action::Edit { scenario, key } => {
                if *scenario != self.doc.scenario {
                    self.history.record(&self.doc.scenario, &key);
                    self.apply_scenario(*scenario);
                }
            }
            Action::Undo => {
                if let Some(prev) = self.history.undo(&self.doc.scenario) {
                    self.apply_scenario(prev);
                }
            }
            Action::Redo => {
                if let Some(next) = self.history.redo(&self.doc.scenario) {
                    self.apply_scenario(next);
                }
            }
            Action::PinBaseline => {
                if let (Some(r), Some(vs)) = (&self.result, &self.result_scenario) {
                    self.baseline = Some(Baseline {
                        result: r.clone(),
                        name: r.stamp.scenario_title.clone(),
                        hash: r.stamp.scenario_hash.clone(),
                        scenario: vs.clone(),
                    });
                    self.update_comparison();
                    self.bump_results();
                    self.set_status("Pinned the current results as the baseline.", false);
                }
            }
            Action::ClearBaseline => {
                self.baseline = None;
                self.comparison = None;
                self.bump_results();
            }
            Action::Export(kind, path) => {
                self.export(kind, &with_extension(path, kind.extension()))
            }
            Action::ExportFigure(plot, path) => {
                let ext = self.settings.figure_export.format.extension();
                self.export_figure(plot, &with_extension(path, ext))
            }
            Action::ExportFigureOptions(plot) => self.ui.export_options = Some(plot),
            Action::AnswerBaseline(keep) => {
                if let Some(what) = self.baseline_question.take() {
                    if !keep {
                        self.baseline = None;
                        self.comparison = None;
                        self.bump_results();
                    }
                    self.proceed_now(what);
                }
            }
            Action::TogglePresentation => {
                self.settings.presentation = !self.settings.presentation;
                if self.settings.presentation {
                    self.inputs_before_presentation = self.settings.show_inputs;
                    self.settings.show_inputs = false;
                } else {
                    self.settings.show_inputs = self.inputs_before_presentation;
                }
            }
            Action::DismissLoadError => self.load_error = None,
            Action::Quit => {
                if self.doc.is_dirty() {
                    self.pending = Some(Pending::Quit);
                } else {
                    self.allow_close = true;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
            Action::Confirm(choice) => self.confirm(ctx, choice),
            Action::RunAnalysis => {
                let waker = self.waker();
                self.analysis.start(self.doc.last_valid.clone(), waker);
            }
            Action::CancelAnalysis => self.analysis.cancel(),
            Action::ApplyValues(values) => self.apply_values(&values),
            Action::RestoreDraft => {
                if let Some(d) = self.offered_draft.take() {
                    self.restore_draft(d);
                }
            }
            Action::DiscardDraft => {
                if let (Some(d), Some(r)) = (self.offered_draft.take(), &self.recovery) {
                    r.remove(&d.key);
                }
            }
            Action::Rerun => {
                self.run_error = None;
                self.run_due = true;
            }
            Action::Lesson(l) => self.lesson_action(l),
            Action::Disk(choice) => self.disk_choice(ctx, choice),
            Action::OpenLesson(i) => self.guard(Pending::OpenLesson(i)),
        }
    }

    /// Sets inputs to fixed values (a heatmap cell) as one undoable edit; correlations of the
    /// inputs held fixed are dropped, and the status says which.
    fn apply_values(&mut self, values: &[(String, f64)]) {
        let fixes: Vec<(&str, f64)> = values.iter().map(|(p, v)| (p.as_str(), *v)).collect();
        let paths: Vec<&str> = fixes.iter().map(|(p, _)| *p).collect();
        let dropped = crate::analysis::dropped_correlations(&self.doc.scenario, &paths);
        match crate::analysis::fix_inputs(&self.doc.last_valid, &fixes) {
            Ok(v) => {
                let key = format!(
                    "apply:{}",
                    values
                        .iter()
                        .map(|(p, _)| p.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                );
                self.history.record(&self.doc.scenario, &key);
                self.apply_scenario(v.into_inner());
                if dropped.is_empty() {
                    self.set_status("Set the inputs to the chosen cell's values.", false);
                } else {
                    self.set_status(
                        &format!(
                            "Set the inputs to the chosen cell's values; fixed inputs cannot be correlated, so these correlations were removed (Undo restores them): {}",
                            dropped.join("; ")
                        ),
                        false,
                    );
                }
            }
            Err(e) => self.set_status(&e.to_string(), true),
        }
    }

    /// Runs `what` now, or asks about unsaved changes first.
    fn guard(&mut self, what: Pending) {
        if self.doc.is_dirty() {
            self.pending = Some(what);
        } else {
            self.proceed(what);
        }
    }

    /// Carries out `what`; when it replaces the open scenario while a baseline is pinned,
    /// asks first whether to keep the baseline.
    fn proceed(&mut self, what: Pending) {
        if what.replaces_scenario() && self.baseline.is_some() {
            self.baseline_question = Some(what);
        } else {
            self.proceed_now(what);
        }
    }

    fn proceed_now(&mut self, what: Pending) {
        match what {
            Pending::New => match scenario::load_str(scenario::template::TEMPLATE, "template") {
                Ok(v) => self.replace_document(Document::new(v, None, "untitled.ron".into())),
                Err(e) => self.set_status(&e.to_string(), true),
            },
            Pending::Open(path) => self.open_now(&path),
            Pending::OpenShipped(i) => match Self::shipped_document(i) {
                Ok(doc) => {
                    self.replace_document(doc);
                    self.load_error = None;
                }
                Err(e) => {
                    self.load_error = Some(LoadErrorView {
                        file: SHIPPED.get(i).map_or("?", |s| s.0).to_string(),
                        lines: e.lines(),
                    })
                }
            },
            Pending::OpenLesson(i) => self.open_lesson_now(i),
            Pending::Quit => {
                self.allow_close = true;
            }
        }
    }

    fn confirm(&mut self, ctx: &egui::Context, choice: ConfirmChoice) {
        let Some(what) = self.pending.take() else {
            return;
        };
        match choice {
            ConfirmChoice::Cancel => {}
            ConfirmChoice::Discard => {
                self.proceed(what.clone());
                if matches!(what, Pending::Quit) {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
            ConfirmChoice::Save => {
                let Some(path) = self.doc.path.clone() else {
                    // No file yet: ask where, and let the user repeat the action after.
                    self.show_dialog(DialogPurpose::SaveAs);
                    return;
                };
                if self.save_to(&path) {
                    self.proceed_after_save(ctx, what);
                } else if self.save_question_open() {
                    // The file changed on disk or is gone: the action goes on if the user
                    // saves anyway.
                    self.after_save = Some(what);
                }
            }
        }
    }

    /// Carries out what waited for a save (and closes the window for Quit).
    pub(super) fn proceed_after_save(&mut self, ctx: &egui::Context, what: Pending) {
        self.proceed(what.clone());
        if matches!(what, Pending::Quit) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Loads a file now; on failure shows its problems and keeps the open scenario. A file
    /// that is not a scenario (a figure, an export, a brief) opens the scenario its replay
    /// record carries, set to the record's seed and trials, as a new unsaved document.
    pub(super) fn open_now(&mut self, path: &Path) {
        if !path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
        {
            return self.open_replay(path);
        }
        // One read: the text parsed is the text whose hash a later save checks against.
        let label = path.display().to_string();
        let loaded = scenario::io::read_text(path).and_then(|text| {
            let stamp = DiskStamp::of_bytes(path, text.as_bytes());
            scenario::load_str(&text, &label).map(|v| (v, stamp))
        });
        let loaded = loaded.and_then(|(v, stamp)| {
            let issues = crate::classroom::lesson_issues(&v);
            if issues.is_empty() {
                Ok((v, stamp))
            } else {
                Err(scenario::LoadError::Invalid {
                    file: path.display().to_string(),
                    issues,
                })
            }
        });
        match loaded {
            Ok((v, stamp)) => {
                self.settings.remember(path);
                let name = path.display().to_string();
                let mut doc = Document::new(v, Some(path.to_path_buf()), name);
                doc.disk = Some(stamp);
                self.replace_document(doc);
                self.load_error = None;
                self.set_status(&format!("Opened {}", path.display()), false);
            }
            Err(e) => {
                self.load_error = Some(LoadErrorView {
                    file: path.display().to_string(),
                    lines: e.lines(),
                });
            }
        }
    }

    /// Opens the scenario of an exported file's replay record; an edited record (a hash that
    /// does not match) is reported and nothing opens.
    fn open_replay(&mut self, path: &Path) {
        let record = crate::files::read_limited(path, 512 * 1024 * 1024)
            .map_err(|e| e.to_string())
            .and_then(|b| crate::replay::extract(&b).map_err(|e| e.to_string()))
            .and_then(|r| r.verify().map(|vs| (r, vs)).map_err(|e| e.to_string()));
        match record {
            Ok((r, vs)) => {
                let mut sc = vs.into_inner();
                sc.simulation.seed = r.seed;
                sc.simulation.trials = r.trials;
                match scenario::validate(sc) {
                    Ok(v) => {
                        let name = format!(
                            "{} (from {})",
                            v.meta.title,
                            path.file_name().map_or_else(
                                || path.display().to_string(),
                                |n| n.to_string_lossy().into_owned()
                            )
                        );
                        self.replace_document(Document::new(v, None, name));
                        self.load_error = None;
                        self.set_status(
                            &format!(
                                "Opened the scenario of {} (seed {}, {} trials): the same run as the figure.",
                                path.display(),
                                r.seed,
                                crate::text::group_thousands(r.trials as f64)
                            ),
                            false,
                        );
                    }
                    Err(issues) => {
                        self.load_error = Some(LoadErrorView {
                            file: path.display().to_string(),
                            lines: issues.iter().map(|i| i.to_string()).collect(),
                        })
                    }
                }
            }
            Err(e) => {
                self.load_error = Some(LoadErrorView {
                    file: path.display().to_string(),
                    lines: vec![e],
                });
            }
        }
    }

    pub(super) fn replace_document(&mut self, doc: Document) {
        self.analysis.cancel();
        self.analysis = crate::app::analysis::AnalysisState::new(doc.last_valid.scenario());
        self.correlation_warning = doc.correlation_warning();
        self.doc = doc;
        self.forget_disk();
        self.history.clear();
        self.result = None;
        self.result_scenario = None;
        self.comparison = None;
        self.run_error = None;
        self.run_due = true;
        self.bump_results();
        self.update_comparison();
        self.lesson_on_open();
    }

    /// Sets the edited scenario; when it is valid and changed, its run is due.
    pub(super) fn apply_scenario(&mut self, sc: crate::scenario::Scenario) {
        if self.doc.set(sc).is_some() {
            self.run_error = None;
            self.correlation_warning = self.doc.correlation_warning();
            self.run_due = true;
        }
    }

    pub(super) fn save_to(&mut self, path: &Path) -> bool {
        if !self.doc.issues.is_empty() {
            // Saving an invalid scenario would write a file that does not load.
            self.set_status(
                &format!(
                    "Not saved: fix the {} problem(s) listed first.",
                    self.doc.issues.len()
                ),
                true,
            );
            return false;
        }
        if !self.disk_allows_save(path) {
            return false;
        }
        match scenario::io::save_edited(
            path,
            &self.doc.scenario,
            self.doc.path.as_deref(),
            self.doc.saved(),
        ) {
            Ok(_) => {
                self.doc.mark_saved(path.to_path_buf());
                self.saved_to_disk(path);
                self.settings.remember(path);
                self.set_status(&format!("Saved {}", path.display()), false);
                true
            }
            Err(e) => {
                self.set_status(&e.to_string(), true);
                false
            }
        }
    }

    /// Shows a file dialog for `purpose`: the system's on its own thread (its answer comes
    /// in through `logic`), or the built-in one.
    pub(super) fn show_dialog(&mut self, purpose: DialogPurpose) {
        if self.ui.system_dialog.is_some() || self.ui.pending_dialog.is_some() {
            self.set_status("A file dialog is open already.", false);
            return;
        }
        let request = self.dialog_request(purpose);
        if self.file_dialogs == DialogBackend::System {
            self.ui.pending_dialog = Some(request);
            return;
        }
        self.show_builtin_dialog(request);
    }

    /// Opens the system dialog asked for in this frame, over `window` when known (the app's
    /// window; tests have none), falling back to the built-in one if it cannot start.
    pub fn open_pending_dialog(&mut self, window: Option<&eframe::Frame>) {
        let Some(request) = self.ui.pending_dialog.take() else {
            return;
        };
        match SystemDialog::spawn(request.clone(), window, self.waker()) {
            Ok(d) => self.ui.system_dialog = Some(d),
            Err(e) => {
                self.use_builtin_dialogs(&e);
                self.show_builtin_dialog(request);
            }
        }
    }

    /// Opens the built-in dialog for a request.
    fn show_builtin_dialog(&mut self, request: Request) {
        let purpose = request.purpose;
        let filter = Box::new(move |p: &Path| native_dialog::shows(purpose, p));
        let dialog = if request.saves() {
            egui_file::FileDialog::save_file()
                .default_filename(request.file_name.unwrap_or_default())
        } else {
            egui_file::FileDialog::open_file()
        };
        let mut dialog = dialog
            .title(&request.title)
            .show_files_filter(filter)
            .initial_path(request.dir);
        dialog.open();
        self.ui.dialog = Some((purpose, dialog));
    }

    /// What a dialog for `purpose` asks: its title, folder and proposed file name.
    fn dialog_request(&self, purpose: DialogPurpose) -> Request {
        let dir = self
            .settings
            .last_dir
            .clone()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        let (title, file_name) = match purpose {
            DialogPurpose::Open => (
                "Open a scenario (or a figure, export or brief to open its scenario)".to_string(),
                None,
            ),
            DialogPurpose::SaveAs => (
                "Save the scenario as".to_string(),
                Some(self.doc.display_name().replace(" (shipped)", "")),
            ),
            DialogPurpose::Export(kind) => {
                (kind.label().to_string(), Some(kind.default_name().into()))
            }
            DialogPurpose::ExportFigure(plot) => {
                let ext = self.settings.figure_export.format.extension();
                (
                    format!("Save the figure as {}", ext.to_ascii_uppercase()),
                    Some(format!("{}.{ext}", plot.name())),
                )
            }
        };
        Request {
            purpose,
            title,
            dir,
            file_name,
        }
    }

    /// Falls back to the built-in file dialog for the rest of the session, saying why in
    /// the status bar.
    pub(super) fn use_builtin_dialogs(&mut self, why: &str) {
        self.file_dialogs = DialogBackend::BuiltIn;
        self.set_status(
            &format!("No system file dialog ({why}); using the built-in one."),
            false,
        );
    }
}

/// Adds `ext` when the path has no extension.
fn with_extension(path: PathBuf, ext: &str) -> PathBuf {
    if path.extension().is_some() {
        path
    } else {
        path.with_extension(ext)
    }
}
