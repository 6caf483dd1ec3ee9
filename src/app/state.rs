//! The app's state and the one handler that turns the UI's intents into loads, saves,
//! exports and runs. Drawing lives in `ui/`; nothing here draws.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use super::actions::{Action, ConfirmChoice, DialogPurpose, ExportKind, PlotId};
use super::document::{Document, History};
use super::recovery::{AUTOSAVE_EVERY, Draft, Recovery};
use super::runner::{RunEvent, Runner};
use super::settings::Settings;
use crate::job::Waker;
use crate::report;
use crate::run::RunResult;
use crate::scenario::{self, LoadError, SHIPPED};
use crate::stats::{Outcome, PairedDiff, paired_diff_with};

/// A result kept for comparison.
pub struct Baseline {
    pub result: Arc<RunResult>,
    /// Title of the scenario it came from.
    pub title: String,
    /// Its scenario hash.
    pub hash: String,
}

/// How the current result differs from the baseline, trial by trial.
#[derive(Clone, Debug, Default)]
pub struct Comparison {
    pub deal: PairedDiff,
    pub leverage_a: PairedDiff,
    pub leverage_b: PairedDiff,
    /// Difference in P(each package), paired.
    pub packages: Vec<PairedDiff>,
    /// Trials compared (the smaller run).
    pub trials: usize,
    /// True when both runs share seed (common random numbers); otherwise differences
    /// include sampling noise.
    pub common_random_numbers: bool,
}

/// A message in the status bar.
#[derive(Clone, Debug)]
pub struct Status {
    pub text: String,
    pub error: bool,
    pub at: Instant,
}

/// A file that could not be opened, with every problem found.
#[derive(Clone, Debug)]
pub struct LoadErrorView {
    pub file: String,
    pub lines: Vec<String>,
}

/// What waits for an answer to "Save changes?".
#[derive(Clone, Debug)]
pub enum Pending {
    New,
    Open(PathBuf),
    OpenShipped(usize),
    Quit,
}

/// State that only the UI reads and writes (not the scenario).
#[derive(Default)]
pub struct UiState {
    pub search: String,
    pub dialog: Option<(DialogPurpose, egui_file::FileDialog)>,
    /// Screen rectangle of each plot in the last frame (for PNG export).
    pub plot_rects: HashMap<PlotId, egui::Rect>,
    /// The plot being exported: its caption (the stamp) is drawn while it is captured.
    pub exporting: Option<PlotId>,
    /// Cached density previews of input distributions, by field path.
    pub previews: HashMap<String, (crate::scenario::Dist, Vec<egui::Pos2>)>,
    /// Bumped whenever results change, for the plot cache.
    pub results_generation: u64,
}

/// Everything the app holds.
pub struct AppState {
    pub doc: Document,
    pub history: History,
    pub runner: Runner,
    pub settings: Settings,
    pub ui: UiState,
    /// The latest result and whether it is only the quick pass.
    pub result: Option<Arc<RunResult>>,
    pub result_is_quick: bool,
    /// Wall time of the last quick and full passes.
    pub last_quick: Option<Duration>,
    pub last_full: Option<Duration>,
    pub baseline: Option<Baseline>,
    pub comparison: Option<Comparison>,
    pub run_error: Option<String>,
    pub load_error: Option<LoadErrorView>,
    pub status: Option<Status>,
    pub pending: Option<Pending>,
    /// What the repair of an inconsistent set of declared correlations changed, if anything.
    pub correlation_warning: Option<String>,
    /// The analyses (tornado, Sobol, curves, heatmaps, why no deal).
    pub analysis: super::analysis::AnalysisState,
    /// Unsaved changes left by a previous session, offered for restoring.
    pub offered_draft: Option<Draft>,
    recovery: Option<Recovery>,
    /// What was last written to the recovery file, and when.
    autosaved: Option<crate::scenario::Scenario>,
    last_autosave: Instant,
    actions: Vec<Action>,
    waker: Option<Waker>,
    needs_run: bool,
    allow_close: bool,
    screenshot_tx: Sender<Arc<egui::ColorImage>>,
    screenshot_rx: Receiver<Arc<egui::ColorImage>>,
    pending_png: Option<(PlotId, PathBuf, egui::Rect, f32)>,
    applied_zoom: f32,
    /// Whether the inputs panel was open before presentation mode folded it away.
    inputs_before_presentation: bool,
    applied_theme: Option<(super::settings::ThemeChoice, bool)>,
    title: String,
}

impl AppState {
    /// Opens `file` (or the built-in baseline). A file that fails to load leaves the baseline
    /// open and shows the file's problems.
    ///
    /// With a recovery folder, unsaved changes are autosaved there and a draft left by a
    /// previous session is offered for restoring.
    pub fn new(
        file: Option<PathBuf>,
        settings: Settings,
        recovery_dir: Option<PathBuf>,
    ) -> Result<Self, LoadError> {
        let (tx, rx) = channel();
        let builtin = Self::shipped_document(0)?;
        let analysis = super::analysis::AnalysisState::new(&builtin.scenario);
        let correlation_warning = correlation_warning_of(&builtin.last_valid);
        let recovery = recovery_dir.map(Recovery::new);
        let offered_draft = recovery.as_ref().and_then(Recovery::load);
        let mut state = AppState {
            doc: builtin,
            history: History::default(),
            runner: Runner::default(),
            settings,
            ui: UiState::default(),
            result: None,
            result_is_quick: false,
            last_quick: None,
            last_full: None,
            baseline: None,
            comparison: None,
            run_error: None,
            load_error: None,
            status: None,
            pending: None,
            correlation_warning,
            analysis,
            offered_draft,
            recovery,
            autosaved: None,
            last_autosave: Instant::now(),
            actions: Vec::new(),
            waker: None,
            needs_run: true,
            allow_close: false,
            screenshot_tx: tx,
            screenshot_rx: rx,
            pending_png: None,
            applied_zoom: 0.0,
            inputs_before_presentation: true,
            applied_theme: None,
            title: String::new(),
        };
        if let Some(path) = file {
            state.open_now(&path);
        }
        Ok(state)
    }

    fn shipped_document(index: usize) -> Result<Document, LoadError> {
        let (name, text) = SHIPPED.get(index).copied().unwrap_or(SHIPPED[0]);
        let valid = scenario::load_str(text, name)?;
        Ok(Document::new(valid, None, format!("{name} (shipped)")))
    }

    /// Records an intent; it is carried out after the current frame is drawn.
    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    /// The waker handed to background runs.
    fn waker(&self) -> Waker {
        self.waker.clone().unwrap_or_else(|| Arc::new(|| {}))
    }

    /// Work that is not drawing: keyboard shortcuts, dropped files, the close request,
    /// background results, screenshots, theme and title.
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
        if self.needs_run {
            self.needs_run = false;
            self.runner
                .restart(self.doc.last_valid.clone(), self.waker());
        }
        let (event, again) = self.runner.poll(&self.waker());
        if let Some(after) = again {
            ctx.request_repaint_after(after);
        }
        match event {
            Some(RunEvent::Result {
                result,
                quick,
                elapsed,
            }) => {
                if quick {
                    self.last_quick = Some(elapsed);
                } else {
                    self.last_full = Some(elapsed);
                }
                self.set_result(result, quick);
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
        self.receive_screenshot(ctx);
        self.autosave(ctx);
        self.apply_look(ctx);
        self.handle_all(ctx);
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
                    match rec.save(&self.doc.scenario, self.doc.path.as_deref(), &name) {
                        Ok(()) => self.autosaved = Some(self.doc.scenario.clone()),
                        Err(e) => self.set_status(&format!("Autosave failed: {e}"), true),
                    }
                    self.last_autosave = Instant::now();
                } else {
                    ctx.request_repaint_after(AUTOSAVE_EVERY - self.last_autosave.elapsed());
                }
            }
        } else if self.autosaved.is_some() || self.allow_close {
            rec.clear();
            self.autosaved = None;
        }
    }

    /// Restores the draft a previous session left: the file it came from (when it still
    /// loads) with the draft's changes on top, unsaved.
    fn restore_draft(&mut self, draft: Draft) {
        let base = draft
            .info
            .original
            .as_ref()
            .and_then(|p| scenario::load_file(p).ok().map(|v| (v, Some(p.clone()))));
        let doc = match base {
            Some((v, path)) => Document::new(v, path, draft.info.name.clone()),
            None => match Self::shipped_document(0) {
                Ok(mut d) => {
                    d.name = draft.info.name.clone();
                    d
                }
                Err(e) => {
                    self.set_status(&e.to_string(), true);
                    return;
                }
            },
        };
        self.replace_document(doc);
        self.apply_scenario(draft.scenario);
        // Adopt the draft: keep it as this process's own recovery file, then drop the old one.
        if let Some(rec) = &self.recovery {
            let name = self.doc.display_name();
            if rec
                .save(&self.doc.scenario, self.doc.path.as_deref(), &name)
                .is_ok()
            {
                self.autosaved = Some(self.doc.scenario.clone());
                rec.remove(draft.owner);
            }
        }
        self.set_status("Restored the unsaved changes of the last session.", false);
    }

    /// Carries out every recorded intent.
    pub fn handle_all(&mut self, ctx: &egui::Context) {
        let actions = std::mem::take(&mut self.actions);
        let any = !actions.is_empty();
        for a in actions {
            self.handle(ctx, a);
        }
        if any {
            ctx.request_repaint();
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
                if let Some(r) = &self.result {
                    self.baseline = Some(Baseline {
                        result: r.clone(),
                        title: r.stamp.scenario_title.clone(),
                        hash: r.stamp.scenario_hash.clone(),
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
            Action::ExportPng(plot, path) => self.start_png(ctx, plot, with_extension(path, "png")),
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
            Action::ApplyValues(values) => {
                let fixes: Vec<(&str, f64)> =
                    values.iter().map(|(p, v)| (p.as_str(), *v)).collect();
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
            Action::RestoreDraft => {
                if let Some(d) = self.offered_draft.take() {
                    self.restore_draft(d);
                }
            }
            Action::DiscardDraft => {
                if let (Some(d), Some(r)) = (self.offered_draft.take(), &self.recovery) {
                    r.remove(d.owner);
                }
            }
            Action::Rerun => {
                self.run_error = None;
                self.needs_run = true;
            }
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

    fn proceed(&mut self, what: Pending) {
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
                    self.proceed(what.clone());
                    if matches!(what, Pending::Quit) {
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                }
            }
        }
    }

    /// Loads a file now; on failure shows its problems and keeps the open scenario.
    fn open_now(&mut self, path: &Path) {
        match scenario::load_file(path) {
            Ok(v) => {
                self.settings.remember(path);
                let name = path.display().to_string();
                self.replace_document(Document::new(v, Some(path.to_path_buf()), name));
                self.load_error = None;
                self.set_status(&format!("Opened {}", path.display()), false);
            }
            Err(e) => {
                self.load_error = Some(LoadErrorView {
                    file: path.display().to_string(),
                    lines: load_error_lines(&e),
                });
            }
        }
    }

    fn replace_document(&mut self, doc: Document) {
        self.analysis.cancel();
        self.analysis = super::analysis::AnalysisState::new(doc.last_valid.scenario());
        self.correlation_warning = correlation_warning_of(&doc.last_valid);
        self.doc = doc;
        self.history.clear();
        self.result = None;
        self.comparison = None;
        self.run_error = None;
        self.needs_run = true;
        self.bump_results();
        self.update_comparison();
    }

    /// Sets the edited scenario and, when it is valid and changed, restarts the runs.
    fn apply_scenario(&mut self, sc: crate::scenario::Scenario) {
        if let Some(valid) = self.doc.set(sc) {
            self.run_error = None;
            self.correlation_warning = correlation_warning_of(&valid);
            self.runner.restart(valid, self.waker());
        }
    }

    fn save_to(&mut self, path: &Path) -> bool {
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
        match scenario::io::save_edited(
            path,
            &self.doc.scenario,
            self.doc.path.as_deref(),
            self.doc.saved(),
        ) {
            Ok(_) => {
                self.doc.mark_saved(path.to_path_buf());
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

    fn show_dialog(&mut self, purpose: DialogPurpose) {
        let dir = self
            .settings
            .last_dir
            .clone()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        let mut dialog = match purpose {
            DialogPurpose::Open => {
                let filter = Box::new(|p: &Path| p.extension().is_some_and(|e| e == "ron"));
                egui_file::FileDialog::open_file()
                    .title("Open a scenario")
                    .show_files_filter(filter)
            }
            DialogPurpose::SaveAs => egui_file::FileDialog::save_file()
                .title("Save the scenario as")
                .default_filename(self.doc.display_name().replace(" (shipped)", "")),
            DialogPurpose::Export(kind) => egui_file::FileDialog::save_file()
                .title(kind.label())
                .default_filename(kind.default_name()),
            DialogPurpose::ExportPng(plot) => egui_file::FileDialog::save_file()
                .title("Save the plot as PNG")
                .default_filename(format!("{}.png", plot.file_stem())),
        };
        dialog = dialog.initial_path(dir);
        dialog.open();
        self.ui.dialog = Some((purpose, dialog));
    }

    fn export(&mut self, kind: ExportKind, path: &Path) {
        let Some(result) = self.result.clone() else {
            self.set_status(
                "Nothing to export yet: the first run has not finished.",
                true,
            );
            return;
        };
        let sc = self.doc.last_valid.scenario();
        let mut buf: Vec<u8> = Vec::new();
        let written = match kind {
            ExportKind::SummaryCsv => report::summary_csv(&result, sc, &mut buf),
            ExportKind::TrialsCsv => report::trials_csv(&result, sc, &mut buf),
            ExportKind::SummaryJson => report::json(&result, sc)
                .map(|t| buf.extend_from_slice(t.as_bytes()))
                .map_err(std::io::Error::other),
        };
        let outcome = written
            .map_err(|e| e.to_string())
            .and_then(|_| scenario::io::write_atomic(path, &buf).map_err(|e| e.to_string()));
        match outcome {
            Ok(()) => {
                if let Some(dir) = path.parent() {
                    self.settings.last_dir = Some(dir.to_path_buf());
                }
                self.set_status(&format!("Exported {}", path.display()), false)
            }
            Err(e) => self.set_status(&format!("Export failed: {e}"), true),
        }
    }

    fn start_png(&mut self, ctx: &egui::Context, plot: PlotId, path: PathBuf) {
        let Some(rect) = self.ui.plot_rects.get(&plot).copied() else {
            self.set_status("That plot is not on screen; show it first.", true);
            return;
        };
        self.ui.exporting = Some(plot);
        self.pending_png = Some((plot, path, rect, ctx.pixels_per_point()));
        let tx = self.screenshot_tx.clone();
        let c = ctx.clone();
        ctx.request_screenshot(move |image| {
            let _ = tx.send(image);
            c.request_repaint();
        });
    }

    fn receive_screenshot(&mut self, _ctx: &egui::Context) {
        let Ok(image) = self.screenshot_rx.try_recv() else {
            return;
        };
        self.ui.exporting = None;
        let Some((_plot, path, rect, ppp)) = self.pending_png.take() else {
            return;
        };
        match save_png(&image, rect, ppp, &path) {
            Ok(()) => self.set_status(&format!("Saved plot to {}", path.display()), false),
            Err(e) => self.set_status(&format!("Could not save the plot: {e}"), true),
        }
    }

    fn set_result(&mut self, result: Arc<RunResult>, quick: bool) {
        self.result = Some(result);
        self.result_is_quick = quick;
        self.update_comparison();
        self.bump_results();
    }

    fn bump_results(&mut self) {
        self.ui.results_generation = self.ui.results_generation.wrapping_add(1);
    }

    fn update_comparison(&mut self) {
        let (Some(base), Some(cur)) = (&self.baseline, &self.result) else {
            self.comparison = None;
            return;
        };
        let b = &base.result.output.records;
        let v = &cur.output.records;
        let deal = |r: &crate::sim::TrialRecord| f64::from(u8::from(r.deal()));
        let lev = |o: Outcome| paired_diff_with(b, v, |r| o.of(r, 0.0), |r| o.of(r, 0.0));
        let n_pk = cur
            .summary
            .p_package
            .len()
            .min(base.result.summary.p_package.len());
        let packages = (0..n_pk)
            .map(|k| {
                let is_k =
                    move |r: &crate::sim::TrialRecord| f64::from(u8::from(r.package() == Some(k)));
                paired_diff_with(b, v, is_k, is_k)
            })
            .collect();
        self.comparison = Some(Comparison {
            deal: paired_diff_with(b, v, deal, deal),
            leverage_a: lev(Outcome::LeverageA),
            leverage_b: lev(Outcome::LeverageB),
            packages,
            trials: b.len().min(v.len()),
            common_random_numbers: base.result.stamp.seed == cur.stamp.seed,
        });
    }

    pub fn set_status(&mut self, text: &str, error: bool) {
        self.status = Some(Status {
            text: text.to_string(),
            error,
            at: Instant::now(),
        });
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
            super::theme::apply(ctx, theme.0, theme.1);
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

    /// The window title as last set.
    pub fn window_title(&self) -> &str {
        &self.title
    }

    /// True when the window may close (no unsaved changes, or the user chose).
    pub fn may_close(&self) -> bool {
        self.allow_close || !self.doc.is_dirty()
    }
}

fn correlation_warning_of(vs: &crate::scenario::ValidScenario) -> Option<String> {
    crate::analysis::correlation::correlation_report(vs).and_then(|r| r.warning)
}

fn load_error_lines(e: &LoadError) -> Vec<String> {
    e.lines()
}

/// Adds `ext` when the path has no extension.
fn with_extension(path: PathBuf, ext: &str) -> PathBuf {
    if path.extension().is_some() {
        path
    } else {
        path.with_extension(ext)
    }
}

/// Crops a window screenshot to `rect` (points) and writes it as PNG.
fn save_png(
    image: &egui::ColorImage,
    rect: egui::Rect,
    ppp: f32,
    path: &Path,
) -> Result<(), String> {
    let [w, h] = image.size;
    let x0 = ((rect.min.x * ppp).floor().max(0.0) as usize).min(w);
    let y0 = ((rect.min.y * ppp).floor().max(0.0) as usize).min(h);
    let x1 = ((rect.max.x * ppp).ceil().max(0.0) as usize).min(w);
    let y1 = ((rect.max.y * ppp).ceil().max(0.0) as usize).min(h);
    if x1 <= x0 || y1 <= y0 {
        return Err("the plot has no visible area".into());
    }
    let mut rgba = Vec::with_capacity((x1 - x0) * (y1 - y0) * 4);
    for y in y0..y1 {
        for x in x0..x1 {
            let c = image.pixels[y * w + x];
            rgba.extend_from_slice(&[c.r(), c.g(), c.b(), c.a()]);
        }
    }
    let mut png: Vec<u8> = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        &rgba,
        (x1 - x0) as u32,
        (y1 - y0) as u32,
        image::ExtendedColorType::Rgba8,
    )
    .map_err(|e| e.to_string())?;
    scenario::io::write_atomic(path, &png).map_err(|e| e.to_string())
}
