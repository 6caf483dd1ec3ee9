//! Intents the UI records while drawing; [`super::state::AppState::handle`] carries them out
//! (all file I/O and every run start there).

use std::path::PathBuf;

use crate::scenario::Scenario;

/// Which export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// The summary (every outcome's statistics) as CSV.
    SummaryCsv,
    /// One row per trial as CSV.
    TrialsCsv,
    /// The summary as JSON, as `armistice run --format json` prints it.
    SummaryJson,
    /// The one-page HTML brief.
    Brief,
}

impl ExportKind {
    /// The file extension added when the chosen name has none.
    pub fn extension(self) -> &'static str {
        match self {
            ExportKind::SummaryCsv | ExportKind::TrialsCsv => "csv",
            ExportKind::SummaryJson => "json",
            ExportKind::Brief => "html",
        }
    }

    /// The name the save dialog proposes.
    pub fn default_name(self) -> &'static str {
        match self {
            ExportKind::SummaryCsv => "summary.csv",
            ExportKind::TrialsCsv => "trials.csv",
            ExportKind::SummaryJson => "summary.json",
            ExportKind::Brief => "brief.html",
        }
    }

    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            ExportKind::SummaryCsv => "Summary as CSV",
            ExportKind::TrialsCsv => "Per-trial results as CSV",
            ExportKind::SummaryJson => "Summary as JSON",
            ExportKind::Brief => "Brief (one-page HTML)",
        }
    }
}

pub use crate::figure::PlotKind;

/// A file dialog's purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogPurpose {
    /// Open a scenario file (or a figure, export or brief, for the scenario it carries).
    Open,
    /// Save the scenario under a new name.
    SaveAs,
    /// Write the results in this form.
    Export(ExportKind),
    /// A figure (SVG or PNG, as the export settings say).
    ExportFigure(PlotKind),
}

impl DialogPurpose {
    /// What choosing `path` in the dialog asks for.
    pub fn action(self, path: PathBuf) -> Action {
        match self {
            DialogPurpose::Open => Action::Open(path),
            DialogPurpose::SaveAs => Action::SaveAs(path),
            DialogPurpose::Export(kind) => Action::Export(kind, path),
            DialogPurpose::ExportFigure(plot) => Action::ExportFigure(plot, path),
        }
    }
}

/// Something the user asked for.
#[derive(Clone, Debug)]
pub enum Action {
    /// A new scenario from the template (asks about unsaved changes first).
    New,
    /// Open a file (asks about unsaved changes first).
    Open(PathBuf),
    /// Open one of the shipped scenarios, by index in `scenario::SHIPPED`.
    OpenShipped(usize),
    /// Show a file dialog.
    ShowDialog(DialogPurpose),
    /// Save to the open file (or ask where, for a new or shipped scenario).
    Save,
    /// Save to this file, which becomes the open file.
    SaveAs(PathBuf),
    /// Go back to the version on disk (or as shipped).
    Revert,
    /// The UI changed the scenario; `key` names the edited field so that a drag or typing
    /// coalesces into one undo step.
    Edit {
        /// The whole scenario after the change.
        scenario: Box<Scenario>,
        /// The edited field's path (or the name of a structural edit).
        key: String,
    },
    /// Step back in the edit history.
    Undo,
    /// Step forward again.
    Redo,
    /// Keep the current results as the baseline to compare with.
    PinBaseline,
    /// Drop the baseline.
    ClearBaseline,
    /// Answer to "Keep the baseline?" when another scenario opens: true keeps it.
    AnswerBaseline(bool),
    /// Write the current results to a file.
    Export(ExportKind, PathBuf),
    /// Draw a plot off screen and write it (format, size and scale from the settings).
    ExportFigure(PlotKind, PathBuf),
    /// Show the figure export options for a plot (then the file dialog).
    ExportFigureOptions(PlotKind),
    /// Switch presentation mode (large text, inputs folded away) on or off.
    TogglePresentation,
    /// Hide the problems of a file that failed to open.
    DismissLoadError,
    /// Close the window (asks about unsaved changes first).
    Quit,
    /// Answer to the unsaved-changes question.
    Confirm(ConfirmChoice),
    /// Start the runs again (e.g. after a failure).
    Rerun,
    /// Restore the unsaved changes a previous session left.
    RestoreDraft,
    /// Throw them away.
    DiscardDraft,
    /// Run the analysis chosen in the analysis panel.
    RunAnalysis,
    /// Stop the analysis in flight.
    CancelAnalysis,
    /// Set inputs to fixed values (e.g. a heatmap cell), as one edit.
    ApplyValues(Vec<(String, f64)>),
    /// Lesson mode: start, step, reveal, leave.
    Lesson(LessonAction),
    /// An answer about the open file having changed on disk (before a save, or noticed
    /// while it is open).
    Disk(DiskChoice),
    /// Open one of the shipped lessons, by index in `classroom::shipped::LESSONS`, and start
    /// it (asks about unsaved changes first).
    OpenLesson(usize),
}

/// What the lesson panel, the keys and the clicker ask of a lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LessonAction {
    /// Start the open file's lesson.
    Start,
    /// The next step (its changes are applied).
    Next,
    /// The step before (the changes of the step left are undone).
    Back,
    /// Show the current step's result and score the prediction.
    Reveal,
    /// Leave lesson mode (the scenario stays as the lesson left it; Undo takes it back).
    Exit,
    /// Do not offer the open file's lesson again.
    DismissOffer,
}

/// Answers to "the file changed on disk".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskChoice {
    /// Save anyway, replacing the version on disk.
    Overwrite,
    /// Save to the open file's path although it was deleted or renamed (recreating it).
    SaveAgain,
    /// Save to another file instead.
    SaveAs,
    /// Load the version on disk (unsaved edits are dropped).
    Reload,
    /// Show how the version on disk and the edited one differ, line by line.
    ShowDifference,
    /// Hide the notice and keep editing (a later save still asks).
    KeepMine,
    /// Close the question without saving.
    Cancel,
    /// Close the difference window.
    CloseDifference,
}

/// Answers to "Save changes?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfirmChoice {
    Save,
    Discard,
    Cancel,
}
