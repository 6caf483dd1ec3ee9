//! Exports: the summary (CSV, JSON) and per-trial records (CSV) of the current result, and a
//! plot as PNG, cropped from a screenshot of the window to the plot's cell.

use std::path::{Path, PathBuf};

use super::AppState;
use crate::app::actions::{ExportKind, PlotId};
use crate::report;
use crate::scenario;

impl AppState {
    pub(super) fn export(&mut self, kind: ExportKind, path: &Path) {
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

    pub(super) fn start_png(&mut self, ctx: &egui::Context, plot: PlotId, path: PathBuf) {
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

    pub(super) fn receive_screenshot(&mut self, _ctx: &egui::Context) {
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
