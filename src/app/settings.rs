//! Settings that persist between runs (through eframe's storage): theme, UI scale,
//! presentation mode, recent files, plot choices.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Light or dark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    Light,
    Dark,
}

/// Which plots the central area shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlotTab {
    /// Every plot of the run in a grid.
    All,
    /// Each side's leverage.
    Leverage,
    /// Which deal, if any.
    Deal,
    /// The front.
    Front,
    /// The bargaining range.
    Range,
    /// The analysis panel.
    Analysis,
    /// (Monthly runs) When the war ends: the settlement curve.
    When,
    /// (Monthly runs) Why the war goes on, month by month.
    Why,
    /// (Monthly runs) The terms at settlement.
    Terms,
    /// (Monthly runs) Leverage at each month's table.
    LeverageMonths,
}

impl PlotTab {
    /// The tabs of a one-shot run (format version 1).
    pub const ONE_SHOT: [PlotTab; 6] = [
        PlotTab::All,
        PlotTab::Leverage,
        PlotTab::Deal,
        PlotTab::Front,
        PlotTab::Range,
        PlotTab::Analysis,
    ];

    /// The tabs of a monthly run (format version 2).
    pub const MONTHLY: [PlotTab; 9] = [
        PlotTab::All,
        PlotTab::When,
        PlotTab::Why,
        PlotTab::Terms,
        PlotTab::Front,
        PlotTab::LeverageMonths,
        PlotTab::Leverage,
        PlotTab::Range,
        PlotTab::Analysis,
    ];

    /// The tabs for a run of the monthly model or of the one-shot one.
    pub fn tabs(monthly: bool) -> &'static [PlotTab] {
        if monthly {
            &PlotTab::MONTHLY
        } else {
            &PlotTab::ONE_SHOT
        }
    }

    /// The tab's name on screen.
    pub fn label(self) -> &'static str {
        match self {
            PlotTab::All => "All plots",
            PlotTab::Leverage => "Leverage",
            PlotTab::Deal => "Deal",
            PlotTab::Front => "Front",
            PlotTab::Range => "Bargaining range",
            PlotTab::Analysis => "Analysis",
            PlotTab::When => "When it ends",
            PlotTab::Why => "Why it goes on",
            PlotTab::Terms => "Terms",
            PlotTab::LeverageMonths => "Leverage by month",
        }
    }
}

/// What the front chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FrontView {
    /// Area gained since the start.
    Cumulative,
    /// Area gained in each month.
    Monthly,
}

/// How figures are exported: format, size in points, PNG scale and look.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FigureExport {
    pub format: crate::figure::export::Format,
    /// Points (CSS pixels); 160..=4000.
    pub width: f32,
    pub height: f32,
    /// PNG pixels per point, 1..=8.
    pub scale: f32,
    pub look: crate::figure::export::Look,
}

impl Default for FigureExport {
    fn default() -> Self {
        let spec = crate::figure::export::Spec::default();
        FigureExport {
            format: crate::figure::export::Format::Svg,
            width: spec.width,
            height: spec.height,
            scale: spec.scale,
            look: crate::figure::export::Look::Light,
        }
    }
}

impl FigureExport {
    pub fn spec(&self) -> crate::figure::export::Spec {
        crate::figure::export::Spec {
            width: self.width,
            height: self.height,
            scale: self.scale,
            theme: self.look.theme(),
        }
    }
}

/// Persisted settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Light or dark.
    pub theme: ThemeChoice,
    /// UI scale (zoom factor), 0.7..=2.5.
    pub ui_scale: f32,
    /// Larger text, thicker lines, high contrast, inputs panel hidden.
    pub presentation: bool,
    /// Most recent first.
    pub recent: Vec<PathBuf>,
    /// Show cumulative distributions instead of histograms.
    pub show_cdf: bool,
    /// The plots shown: all four, one of them, or the analysis panel.
    pub plot_tab: PlotTab,
    /// The front per month or since the start.
    pub front_view: FrontView,
    /// Show the inputs panel (in presentation mode it starts hidden).
    pub show_inputs: bool,
    /// Folder of the last file dialog.
    pub last_dir: Option<PathBuf>,
    /// How figures are exported.
    pub figure_export: FigureExport,
    /// Width of the inputs panel in points: it changes only when its edge is dragged.
    pub inputs_width: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: ThemeChoice::Light,
            ui_scale: 1.0,
            presentation: false,
            recent: Vec::new(),
            show_cdf: false,
            plot_tab: PlotTab::All,
            front_view: FrontView::Cumulative,
            show_inputs: true,
            last_dir: None,
            figure_export: FigureExport::default(),
            inputs_width: 360.0,
        }
    }
}

/// Most recent files kept.
pub const MAX_RECENT: usize = 10;

impl Settings {
    /// Puts `path` first in the recent list.
    pub fn remember(&mut self, path: &std::path::Path) {
        let path = path.to_path_buf();
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path.clone());
        self.recent.truncate(MAX_RECENT);
        if let Some(dir) = path.parent() {
            self.last_dir = Some(dir.to_path_buf());
        }
    }

    /// The zoom factor to apply: the UI scale (presentation mode enlarges text on top).
    pub fn zoom(&self) -> f32 {
        self.ui_scale.clamp(0.7, 2.5)
    }
}
