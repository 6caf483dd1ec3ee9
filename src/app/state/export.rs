//! Exports: the summary (CSV, JSON) and per-trial records (CSV) of the current result, and
//! each plot as a figure drawn off screen (SVG or PNG at the chosen size and scale, with its
//! caption stamp and no on-screen controls). Every export carries the replay record of the
//! run it shows: the scenario that run used, its seed and its trial count.

use std::path::Path;

use super::AppState;
use crate::app::actions::{ExportKind, PlotKind};
use crate::app::settings::FrontView;
use crate::figure::{Figure, FigureInput, build};
use crate::replay::Replay;
use crate::report;

impl AppState {
    /// The figure of `kind` as the screen shows it and the exports write it: the current
    /// result (or analysis) with the pinned baseline and the plot's choices.
    pub fn figure(&self, kind: PlotKind) -> Option<Figure> {
        if kind.is_analysis() {
            return crate::app::analysis::figure(self, kind);
        }
        let result = self.result.as_deref()?;
        let scenario = self
            .result_scenario
            .as_deref()
            .unwrap_or(&self.doc.last_valid);
        let input = FigureInput {
            result,
            scenario: scenario.scenario(),
            baseline: self
                .baseline
                .as_ref()
                .map(|b| (b.result.as_ref(), b.name.as_str())),
            cdf: self.settings.show_cdf,
            front_monthly: self.settings.front_view == FrontView::Monthly,
        };
        build(kind, &input)
    }

    pub(super) fn export(&mut self, kind: ExportKind, path: &Path) {
        let (Some(result), Some(vs)) = (self.result.clone(), self.result_scenario.clone()) else {
            self.set_status(
                "Nothing to export yet: the first run has not finished.",
                true,
            );
            return;
        };
        let sc = vs.scenario();
        let mut buf: Vec<u8> = Vec::new();
        let written = match kind {
            ExportKind::SummaryCsv => report::summary_csv(&result, sc, &mut buf),
            ExportKind::TrialsCsv => report::trials_csv(&result, sc, &mut buf),
            ExportKind::SummaryJson => report::json(&result, sc)
                .map(|t| buf.extend_from_slice(t.as_bytes()))
                .map_err(std::io::Error::other),
            ExportKind::Brief => {
                buf.extend_from_slice(
                    crate::brief::html(&result, sc, &crate::brief::today()).as_bytes(),
                );
                Ok(())
            }
        };
        let outcome = written.map_err(|e| e.to_string());
        self.write_export(path, outcome.map(|_| buf));
    }

    /// Draws `plot` off screen and writes it as the export settings say.
    pub(super) fn export_figure(&mut self, plot: PlotKind, path: &Path) {
        let (Some(result), Some(vs)) = (self.result.clone(), self.result_scenario.clone()) else {
            self.set_status(
                "Nothing to export yet: the first run has not finished.",
                true,
            );
            return;
        };
        let Some(fig) = self.figure(plot) else {
            self.set_status(
                &format!("There is no {} plot to export yet.", plot.name()),
                true,
            );
            return;
        };
        let settings = self.settings.figure_export;
        let spec = settings.spec();
        if let Err(e) = spec.check() {
            self.set_status(&format!("Export failed: {e}"), true);
            return;
        }
        let format = crate::figure::export::Format::of_path(path).unwrap_or(settings.format);
        let replay = Replay::of(vs.scenario(), &result.stamp);
        let bytes = crate::figure::export::file(&fig, &spec, format, &result.stamp, &replay)
            .map_err(|e| e.to_string());
        self.write_export(path, bytes);
    }

    /// Writes an export's bytes (or reports why there are none) and says so in the status
    /// bar.
    fn write_export(&mut self, path: &Path, bytes: Result<Vec<u8>, String>) {
        let outcome = bytes
            .and_then(|b| crate::scenario::io::write_atomic(path, &b).map_err(|e| e.to_string()));
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
}
