//! The app's state: the open document and its undo history, the runs and their results, the
//! pinned baseline and the comparison with it, messages, the analyses, and what only the UI
//! reads and writes. What changes it lives beside it: `logic` (the work of every frame:
//! shortcuts, dropped files, background results, autosave, look), `handle` (the one place
//! that carries out the UI's intents, and the one place that starts a run) and `export`
//! (summaries, per-trial CSV, figures and the brief). Drawing lives in `ui/`; nothing here draws.

mod disk;
mod export;
mod handle;
mod lesson;
mod logic;
mod restore;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::actions::{Action, DialogPurpose, PlotKind};
use super::disk::{DiffLine, DiskStamp};
use super::document::{Document, History};
use super::recovery::{Draft, Recovery};
use super::runner::Runner;
use super::settings::Settings;
use crate::compare::{Comparison, compare};
use crate::job::Waker;
use crate::run::RunResult;
use crate::scenario::{self, LoadError, SHIPPED, ValidScenario};

/// A result kept for comparison.
pub struct Baseline {
    pub result: Arc<RunResult>,
    /// Its name as the plots and the strip show it: the scenario's title when pinned (the
    /// user may rename it).
    pub name: String,
    /// Its scenario hash.
    pub hash: String,
    /// The scenario it came from, to list the inputs that differ from it.
    pub scenario: Arc<ValidScenario>,
}

/// One input that differs from the baseline, as the strip lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeView {
    pub label: String,
    /// Field path (what the inputs panel's search finds it by).
    pub path: String,
    pub before: String,
    pub after: String,
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

/// The open file as found changed on disk: where, its text now and its stamp.
#[derive(Clone, Debug)]
pub struct DiskChange {
    pub path: PathBuf,
    pub text: String,
    pub stamp: DiskStamp,
}

/// A line diff shown in a window: its title and lines.
#[derive(Clone, Debug)]
pub struct DiffView {
    pub title: String,
    pub lines: Vec<DiffLine>,
}

/// What waits for an answer to "Save changes?".
#[derive(Clone, Debug)]
pub enum Pending {
    New,
    Open(PathBuf),
    OpenShipped(usize),
    OpenLesson(usize),
    Quit,
}

impl Pending {
    /// True for what replaces the open scenario (and so asks about the baseline).
    pub fn replaces_scenario(&self) -> bool {
        !matches!(self, Pending::Quit)
    }
}

/// State that only the UI reads and writes (not the scenario).
#[derive(Default)]
pub struct UiState {
    pub search: String,
    /// Ctrl+F was pressed: the search box takes the keyboard focus when next drawn.
    pub focus_search: bool,
    pub dialog: Option<(DialogPurpose, egui_file::FileDialog)>,
    /// The plot whose export options are shown.
    pub export_options: Option<PlotKind>,
    /// Where the inputs panel's right edge was in the last frame (to tell a drag of it).
    pub inputs_edge: Option<f32>,
    /// The system's file dialog while it is open (on its own thread).
    pub system_dialog: Option<super::native_dialog::SystemDialog>,
    /// A system dialog asked for this frame, opened once the frame has been drawn (where the
    /// app's window is known, to be its parent).
    pub pending_dialog: Option<super::native_dialog::Request>,
    /// Cached density previews of input distributions, by field path.
    pub previews: HashMap<String, (crate::scenario::Dist, Vec<egui::Pos2>)>,
    /// Bumped whenever results change, for the plot cache.
    pub results_generation: u64,
    /// The single-trial view: which trial, which month, playing or not.
    pub trial: super::ui::trial::TrialView,
    /// Presentation mode: which plot, standard errors shown, the teacher's marks.
    pub present: super::ui::presentation::PresentUi,
    /// The help window and the document it shows.
    pub help: Option<super::ui::help::HelpDoc>,
    /// Rendered markdown (help and lesson text).
    pub markdown: egui_commonmark::CommonMarkCache,
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
    /// The scenario the latest result ran (the open one may have changed since).
    pub result_scenario: Option<Arc<ValidScenario>>,
    pub result_is_quick: bool,
    /// Wall time of the last quick and full passes.
    pub last_quick: Option<Duration>,
    pub last_full: Option<Duration>,
    pub baseline: Option<Baseline>,
    pub comparison: Option<Comparison>,
    /// The inputs of the current result's scenario that differ from the baseline's.
    pub baseline_changes: Vec<ChangeView>,
    pub run_error: Option<String>,
    pub load_error: Option<LoadErrorView>,
    pub status: Option<Status>,
    pub pending: Option<Pending>,
    /// What waits for an answer to "Keep the baseline?" (opening another scenario while a
    /// baseline is pinned).
    pub baseline_question: Option<Pending>,
    /// What the repair of an inconsistent set of declared correlations changed, if anything.
    pub correlation_warning: Option<String>,
    /// The analyses (tornado, Sobol, curves, heatmaps, why no deal).
    pub analysis: super::analysis::AnalysisState,
    /// A save found the file changed on disk since it was loaded or saved: the question
    /// (overwrite, save as, reload, show the difference) waits for an answer.
    pub save_conflict: Option<DiskChange>,
    /// What waited for that save ("Save changes?" answered Save): carried out after
    /// Overwrite.
    after_save: Option<Pending>,
    /// The open file changed on disk while open: reloading is offered (edits are kept
    /// unless the user reloads).
    pub disk_notice: Option<DiskChange>,
    /// The last changed version of the file already noticed (not offered again).
    disk_seen: Option<DiskStamp>,
    /// The open file was deleted or renamed while open: the notice says so (its path).
    pub disk_gone: Option<PathBuf>,
    /// That absence was already announced (not again until the file comes back).
    gone_seen: bool,
    /// A save found the open file gone (deleted or renamed): the question (save it there
    /// again, save as, cancel) waits for an answer; nothing has been written.
    pub save_gone: Option<PathBuf>,
    /// When the file on disk was last checked, and whether the window had the focus then.
    last_disk_check: Instant,
    was_focused: bool,
    /// A line diff being shown.
    pub diff_view: Option<DiffView>,
    /// Unsaved changes left by a previous session, offered for restoring.
    pub offered_draft: Option<Draft>,
    /// The lesson being taught (lesson mode), if any.
    pub lesson: Option<super::lesson::LessonRun>,
    /// The open file has a lesson that has not been started or declined: offer it.
    pub lesson_offer: bool,
    /// Whether the inputs panel was open before lesson mode folded it away.
    inputs_before_lesson: bool,
    /// Which file dialog to show: the built-in one unless the desktop app asks for the
    /// system's (`run_native`), and again once the system's could not be shown.
    pub file_dialogs: super::native_dialog::DialogBackend,
    recovery: Option<Recovery>,
    /// What was last written to the recovery file, its key, and when.
    autosaved: Option<crate::scenario::Scenario>,
    draft_key: Option<String>,
    last_autosave: Instant,
    actions: Vec<Action>,
    waker: Option<Waker>,
    /// A run of the last valid version is due: it starts once the frame's intents are
    /// carried out (see `handle_all`).
    run_due: bool,
    allow_close: bool,
    applied_zoom: f32,
    /// Whether the inputs panel was open before presentation mode folded it away.
    inputs_before_presentation: bool,
    applied_theme: Option<(super::settings::ThemeChoice, bool)>,
    title: String,
}

impl AppState {
    /// True when the scenario runs the monthly model (format version 2).
    pub fn is_monthly(&self) -> bool {
        self.doc.last_valid.version >= 2
    }

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
        let builtin = Self::shipped_document(0)?;
        let analysis = super::analysis::AnalysisState::new(&builtin.scenario);
        let correlation_warning = builtin.correlation_warning();
        let recovery = recovery_dir.map(Recovery::new);
        let found = recovery.as_ref().map(Recovery::load).unwrap_or_default();
        let offered_draft = found.offered;
        let mut state = AppState {
            doc: builtin,
            history: History::default(),
            runner: Runner::default(),
            settings,
            ui: UiState::default(),
            result: None,
            result_scenario: None,
            result_is_quick: false,
            last_quick: None,
            last_full: None,
            baseline: None,
            comparison: None,
            baseline_changes: Vec::new(),
            run_error: None,
            load_error: None,
            status: None,
            pending: None,
            baseline_question: None,
            correlation_warning,
            analysis,
            save_conflict: None,
            after_save: None,
            disk_notice: None,
            disk_seen: None,
            disk_gone: None,
            gone_seen: false,
            save_gone: None,
            last_disk_check: Instant::now(),
            was_focused: false,
            diff_view: None,
            offered_draft,
            lesson: None,
            lesson_offer: false,
            inputs_before_lesson: true,
            file_dialogs: super::native_dialog::DialogBackend::BuiltIn,
            recovery,
            autosaved: None,
            draft_key: None,
            last_autosave: Instant::now(),
            actions: Vec::new(),
            waker: None,
            run_due: true,
            allow_close: false,
            applied_zoom: 0.0,
            inputs_before_presentation: true,
            applied_theme: None,
            title: String::new(),
        };
        if let Some(path) = file {
            state.open_now(&path);
        }
        if !found.discarded.is_empty() {
            state.set_status(&found.discarded.join(" "), false);
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

    fn set_result(&mut self, result: Arc<RunResult>, scenario: Arc<ValidScenario>, quick: bool) {
        self.result = Some(result);
        self.result_scenario = Some(scenario);
        self.result_is_quick = quick;
        self.update_comparison();
        self.bump_results();
    }

    fn bump_results(&mut self) {
        self.ui.results_generation = self.ui.results_generation.wrapping_add(1);
    }

    fn update_comparison(&mut self) {
        self.comparison = match (&self.baseline, &self.result) {
            (Some(base), Some(current)) => Some(compare(&base.result, current)),
            _ => None,
        };
        self.baseline_changes = match (&self.baseline, &self.result_scenario) {
            (Some(base), Some(current)) => {
                let label = |sc: &scenario::Scenario, c: &scenario::changes::Change| {
                    c.key
                        .map_or_else(|| c.path.clone(), |k| crate::analysis::input_label(sc, k))
                };
                scenario::changes::changes(base.scenario.scenario(), current.scenario())
                    .into_iter()
                    .map(|c| ChangeView {
                        label: if c.after.is_some() {
                            label(current.scenario(), &c)
                        } else {
                            label(base.scenario.scenario(), &c)
                        },
                        before: c.before.clone().unwrap_or_else(|| "(none)".into()),
                        after: c.after.clone().unwrap_or_else(|| "(removed)".into()),
                        path: c.path,
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
    }

    pub fn set_status(&mut self, text: &str, error: bool) {
        self.status = Some(Status {
            text: text.to_string(),
            error,
            at: Instant::now(),
        });
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
