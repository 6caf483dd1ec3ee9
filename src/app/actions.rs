//! Intents the UI records while drawing; [`super::state::AppState::handle`] carries them out
//! (all file I/O and every run start there).

use std::path::PathBuf;

use crate::scenario::Scenario;

/// Which export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    SummaryCsv,
    TrialsCsv,
    SummaryJson,
    /// The one-page HTML brief.
    Brief,
}

impl ExportKind {
    pub fn extension(self) -> &'static str {
        match self {
            ExportKind::SummaryCsv | ExportKind::TrialsCsv => "csv",
            ExportKind::SummaryJson => "json",
            ExportKind::Brief => "html",
        }
    }

    pub fn default_name(self) -> &'static str {
        match self {
            ExportKind::SummaryCsv => "summary.csv",
            ExportKind::TrialsCsv => "trials.csv",
            ExportKind::SummaryJson => "summary.json",
            ExportKind::Brief => "brief.html",
        }
    }

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
    Open,
    SaveAs,
    Export(ExportKind),
    /// A figure (SVG or PNG, as the export settings say).
    ExportFigure(PlotKind),
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
    Save,
    SaveAs(PathBuf),
    /// Go back to the version on disk (or as shipped).
    Revert,
    /// The UI changed the scenario; `key` names the edited field so that a drag or typing
    /// coalesces into one undo step.
    Edit {
        scenario: Box<Scenario>,
        key: String,
    },
    Undo,
    Redo,
    PinBaseline,
    ClearBaseline,
    /// Answer to "Keep the baseline?" when another scenario opens: true keeps it.
    AnswerBaseline(bool),
    Export(ExportKind, PathBuf),
    /// Draw a plot off screen and write it (format, size and scale from the settings).
    ExportFigure(PlotKind, PathBuf),
    /// Show the figure export options for a plot (then the file dialog).
    ExportFigureOptions(PlotKind),
    TogglePresentation,
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
    CancelAnalysis,
    /// Set inputs to fixed values (e.g. a heatmap cell), as one edit.
    ApplyValues(Vec<(String, f64)>),
}

/// Answers to "Save changes?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfirmChoice {
    Save,
    Discard,
    Cancel,
}
