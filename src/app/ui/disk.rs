//! The open file changed on disk: the question before a save (overwrite, save as, reload,
//! show the difference), the notice while the file is open (reload or keep editing), and
//! the window with the line diff.

use egui::{Color32, RichText, Ui};

use crate::app::actions::{Action, DiskChoice};
use crate::app::disk::DiffLine;
use crate::app::state::AppState;

/// Unchanged lines shown around each change in the diff window.
const CONTEXT_LINES: usize = 3;

/// The notice under the menu while the open file has changed on disk.
pub fn notice_ui(state: &mut AppState, ui: &mut Ui) {
    let Some(change) = &state.disk_notice else {
        return;
    };
    let name = state.doc.display_name();
    let dirty = state.doc.is_dirty();
    let mut choice = None;
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!("\"{name}\" changed on disk."))
                .strong()
                .color(ui.visuals().warn_fg_color),
        );
        ui.label(if dirty {
            "Reload it (your unsaved changes are dropped), or keep editing your version."
        } else {
            "Reload it to see the other version, or keep this one."
        });
        if ui.button("Reload from disk").clicked() {
            choice = Some(DiskChoice::Reload);
        }
        if ui.button("Show the difference").clicked() {
            choice = Some(DiskChoice::ShowDifference);
        }
        if ui.button("Keep my version").clicked() {
            choice = Some(DiskChoice::KeepMine);
        }
        ui.label(
            RichText::new(change.path.display().to_string())
                .small()
                .weak(),
        );
    });
    if let Some(c) = choice {
        state.push(Action::Disk(c));
    }
}

/// Asks what to do when a save finds the file changed on disk.
pub fn conflict_ui(state: &mut AppState, ctx: &egui::Context) {
    let Some(change) = &state.save_conflict else {
        return;
    };
    let file = change.path.display().to_string();
    let mut choice = None;
    let screen = ctx.content_rect().size();
    egui::Modal::new(egui::Id::unique("disk-conflict")).show(ctx, |ui| {
        if state.diff_view.is_some() {
            ui.set_width((screen.x - 80.0).clamp(300.0, 760.0));
        } else {
            ui.set_max_width(460.0);
        }
        ui.heading("The file changed on disk");
        ui.label(format!(
            "{file} was changed by another program or window since it was opened or last \
             saved. Saving now would replace those changes. Nothing has been written."
        ));
        ui.add_space(8.0);
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Overwrite")
                .on_hover_text("Replace the version on disk with yours")
                .clicked()
            {
                choice = Some(DiskChoice::Overwrite);
            }
            if ui.button("Save as…").clicked() {
                choice = Some(DiskChoice::SaveAs);
            }
            if ui
                .button("Reload from disk")
                .on_hover_text("Open the version on disk; your unsaved changes are dropped")
                .clicked()
            {
                choice = Some(DiskChoice::Reload);
            }
            if ui.button("Show the difference").clicked() {
                choice = Some(DiskChoice::ShowDifference);
            }
            if ui.button("Cancel").clicked() {
                choice = Some(DiskChoice::Cancel);
            }
        });
        // Asked for here, the difference shows inside the question (a window would lie
        // under it).
        if let Some(view) = &state.diff_view {
            ui.separator();
            ui.label(RichText::new(&view.title).strong());
            egui::ScrollArea::both()
                .id_salt("disk-conflict-diff")
                .auto_shrink([false, true])
                .min_scrolled_height((screen.y * 0.5 - 120.0).clamp(120.0, 360.0))
                .max_height(screen.y * 0.6)
                .show(ui, |ui| diff_lines_ui(ui, &view.lines));
        }
    });
    if let Some(c) = choice {
        state.push(Action::Disk(c));
    }
}

/// The window with a line diff (from the changed-on-disk notice).
pub fn diff_ui(state: &mut AppState, ctx: &egui::Context) {
    let Some(view) = &state.diff_view else {
        return;
    };
    if state.save_conflict.is_some() {
        return;
    }
    let mut open = true;
    let mut close = false;
    egui::Window::new(view.title.clone())
        .id(egui::Id::unique("disk-diff"))
        .open(&mut open)
        .default_size([640.0, 480.0])
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            let changes = view
                .lines
                .iter()
                .filter(|l| !matches!(l, DiffLine::Same(_)))
                .count();
            ui.label(format!("{changes} line(s) differ."));
            if ui.button("Close").clicked() {
                close = true;
            }
            ui.separator();
            egui::ScrollArea::both()
                .id_salt("disk-diff-lines")
                .auto_shrink([false, false])
                .show(ui, |ui| diff_lines_ui(ui, &view.lines));
        });
    if !open || close {
        state.push(Action::Disk(DiskChoice::CloseDifference));
    }
}

/// The lines of a diff: removed in red with "−", added in green with "+", long unchanged
/// stretches folded to a count.
fn diff_lines_ui(ui: &mut Ui, lines: &[DiffLine]) {
    let (red, green) = if ui.visuals().dark_mode {
        (
            Color32::from_rgb(255, 140, 140),
            Color32::from_rgb(140, 220, 140),
        )
    } else {
        (
            Color32::from_rgb(170, 20, 20),
            Color32::from_rgb(20, 120, 20),
        )
    };
    let near = near_change(lines);
    let mut folded = 0usize;
    for (line, &show) in lines.iter().zip(&near) {
        if !show {
            folded += 1;
            continue;
        }
        if folded > 0 {
            ui.label(RichText::new(format!("… {folded} unchanged line(s)")).weak());
            folded = 0;
        }
        let text = match line {
            DiffLine::Same(l) => RichText::new(format!("  {l}")),
            DiffLine::Removed(l) => RichText::new(format!("− {l}")).color(red),
            DiffLine::Added(l) => RichText::new(format!("+ {l}")).color(green),
        };
        // One diff line per screen line: long lines scroll sideways instead of wrapping.
        ui.add(egui::Label::new(text.monospace()).extend());
    }
    if folded > 0 {
        ui.label(RichText::new(format!("… {folded} unchanged line(s)")).weak());
    }
}

/// For each line, whether it is a change or within [`CONTEXT_LINES`] of one.
fn near_change(lines: &[DiffLine]) -> Vec<bool> {
    let mut show = vec![false; lines.len()];
    for (i, l) in lines.iter().enumerate() {
        if !matches!(l, DiffLine::Same(_)) {
            let from = i.saturating_sub(CONTEXT_LINES);
            let to = (i + CONTEXT_LINES + 1).min(lines.len());
            for s in &mut show[from..to] {
                *s = true;
            }
        }
    }
    show
}
