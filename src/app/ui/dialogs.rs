//! Dialogs: the built-in file dialog (pure egui, works on any desktop and in tests; the
//! system's is `app::native_dialog`), the "Save changes?" question, and the panel listing a
//! file's problems.

use egui::{RichText, Ui};

use crate::app::actions::{Action, ConfirmChoice};
use crate::app::state::{AppState, Pending};

/// Shows the open file dialog, if any, and turns a choice into an action.
pub fn file_dialog_ui(state: &mut AppState, ctx: &egui::Context) {
    let Some((purpose, dialog)) = state.ui.dialog.as_mut() else {
        return;
    };
    let purpose = *purpose;
    dialog.show(ctx);
    let chosen = dialog
        .selected()
        .then(|| dialog.path().map(|p| p.to_path_buf()))
        .flatten();
    let state_now = dialog.state();
    if let Some(path) = chosen {
        state.ui.dialog = None;
        state.push(purpose.action(path));
    } else if matches!(
        state_now,
        egui_file::State::Cancelled | egui_file::State::Closed
    ) {
        state.ui.dialog = None;
    }
}

/// The export options of a figure: format, size, PNG scale and look; then the file dialog.
pub fn export_options_ui(state: &mut AppState, ctx: &egui::Context) {
    use crate::figure::export::{Format, Look, MAX_SIDE, MIN_SIDE};
    let Some(kind) = state.ui.export_options else {
        return;
    };
    let title = state
        .figure(kind)
        .map_or_else(|| kind.name().to_string(), |f| f.title);
    let mut close = false;
    let mut save = false;
    let e = &mut state.settings.figure_export;
    egui::Modal::new(egui::Id::unique("figure-export")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading("Export figure");
        ui.label(RichText::new(&title).strong());
        ui.label(
            RichText::new(
                "Drawn off screen at this size, with the caption stamp (scenario, hash, seed, \
                 trials, version) and the record that replays it; no on-screen controls.",
            )
            .weak(),
        );
        ui.add_space(6.0);
        egui::Grid::new("figure-export-grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui.label("Format");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut e.format, Format::Svg, "SVG (vector)");
                    ui.radio_value(&mut e.format, Format::Png, "PNG");
                });
                ui.end_row();
                ui.label("Width");
                ui.add(
                    egui::DragValue::new(&mut e.width)
                        .range(MIN_SIDE..=MAX_SIDE)
                        .suffix(" pt"),
                );
                ui.end_row();
                ui.label("Height");
                ui.add(
                    egui::DragValue::new(&mut e.height)
                        .range(MIN_SIDE..=MAX_SIDE)
                        .suffix(" pt"),
                );
                ui.end_row();
                ui.label("Scale (PNG)");
                ui.add_enabled(
                    e.format == Format::Png,
                    egui::Slider::new(&mut e.scale, 1.0..=8.0)
                        .step_by(0.5)
                        .suffix("x"),
                );
                ui.end_row();
                ui.label("Look");
                egui::ComboBox::from_id_salt("figure-export-look")
                    .selected_text(e.look.label())
                    .show_ui(ui, |ui| {
                        for l in Look::ALL {
                            ui.selectable_value(&mut e.look, l, l.label());
                        }
                    });
                ui.end_row();
            });
        let size = if e.format == Format::Png {
            format!(
                "{} x {} pixels ({:.0} dpi at {:.1} x {:.1} cm)",
                (e.width * e.scale).round(),
                (e.height * e.scale).round(),
                96.0 * e.scale,
                e.width / 96.0 * 2.54,
                e.height / 96.0 * 2.54
            )
        } else {
            format!(
                "{} x {} points ({:.1} x {:.1} cm at 96 per inch); scales without loss",
                e.width.round(),
                e.height.round(),
                e.width / 96.0 * 2.54,
                e.height / 96.0 * 2.54
            )
        };
        ui.label(RichText::new(size).weak());
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Save...").clicked() {
                save = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
    });
    if save {
        state.ui.export_options = None;
        state.push(Action::ShowDialog(
            crate::app::actions::DialogPurpose::ExportFigure(kind),
        ));
    } else if close {
        state.ui.export_options = None;
    }
}

/// Asks whether to keep the pinned baseline when another scenario opens.
pub fn baseline_question_ui(state: &mut AppState, ctx: &egui::Context) {
    if state.baseline_question.is_none() {
        return;
    }
    let name = state
        .baseline
        .as_ref()
        .map_or_else(String::new, |b| b.name.clone());
    let mut answer = None;
    egui::Modal::new(egui::Id::unique("keep-baseline")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading("Keep the baseline?");
        ui.label(format!(
            "The baseline \"{name}\" is pinned. Keep comparing with it after the other scenario \
             opens, or clear it?"
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Keep the baseline").clicked() {
                answer = Some(true);
            }
            if ui.button("Clear it").clicked() {
                answer = Some(false);
            }
        });
    });
    if let Some(a) = answer {
        state.push(Action::AnswerBaseline(a));
    }
}

/// Asks what to do with unsaved changes.
pub fn confirm_ui(state: &mut AppState, ctx: &egui::Context) {
    let Some(pending) = state.pending.clone() else {
        return;
    };
    let what = match pending {
        Pending::New => "start a new scenario",
        Pending::Open(_) | Pending::OpenShipped(_) => "open another scenario",
        Pending::OpenLesson(_) => "open a lesson",
        Pending::Quit => "quit",
    };
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("confirm-unsaved")).show(ctx, |ui| {
        ui.set_max_width(380.0);
        ui.heading("Save changes?");
        ui.label(format!(
            "\"{}\" has unsaved changes. Save them before you {what}?",
            state.doc.display_name()
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                choice = Some(ConfirmChoice::Save);
            }
            if ui.button("Discard changes").clicked() {
                choice = Some(ConfirmChoice::Discard);
            }
            if ui.button("Cancel").clicked() {
                choice = Some(ConfirmChoice::Cancel);
            }
        });
    });
    if let Some(c) = choice {
        state.push(Action::Confirm(c));
    }
}

/// Offers to restore unsaved changes a previous session left.
pub fn restore_ui(state: &mut AppState, ctx: &egui::Context) {
    let Some(draft) = &state.offered_draft else {
        return;
    };
    let ago = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        .saturating_sub(draft.info.written_at);
    let when = if ago < 120 {
        format!("{ago} seconds ago")
    } else if ago < 2 * 3600 {
        format!("{} minutes ago", ago / 60)
    } else if ago < 2 * 86_400 {
        format!("{} hours ago", ago / 3600)
    } else {
        format!("{} days ago", ago / 86_400)
    };
    let name = draft.info.name.clone();
    let at = crate::app::recovery::utc_time(draft.info.written_at);
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("restore-draft")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading("Restore unsaved changes?");
        ui.label(format!(
            "Armistice closed while \"{name}\" had unsaved changes (autosaved {when}, {at}). Restore them?"
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Restore").clicked() {
                choice = Some(Action::RestoreDraft);
            }
            if ui.button("Discard them").clicked() {
                choice = Some(Action::DiscardDraft);
            }
        });
    });
    if let Some(a) = choice {
        state.push(a);
    }
}

/// The problems panel: a file that failed to load, or the current edit's validation issues.
pub fn problems_ui(state: &mut AppState, ui: &mut Ui) {
    if let Some(err) = state.load_error.clone() {
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!(
                    "Could not open {}: the scenario that was open stays open.",
                    err.file
                ))
                .strong()
                .color(ui.visuals().error_fg_color),
            );
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Dismiss").clicked() {
                    state.push(Action::DismissLoadError);
                }
            });
        });
        egui::ScrollArea::vertical()
            .id_salt("load-errors")
            .max_height(120.0)
            .show(ui, |ui| {
                for l in &err.lines {
                    ui.label(RichText::new(l).monospace());
                }
            });
    }
    if let Some(w) = &state.correlation_warning {
        ui.label(RichText::new(w).color(ui.visuals().warn_fg_color));
    }
    if !state.doc.issues.is_empty() {
        ui.label(
            RichText::new(format!(
                "{} problem(s) in the current edit: the results show the last valid version.",
                state.doc.issues.len()
            ))
            .strong()
            .color(ui.visuals().error_fg_color),
        );
        egui::ScrollArea::vertical()
            .id_salt("edit-issues")
            .max_height(100.0)
            .show(ui, |ui| {
                for i in &state.doc.issues {
                    ui.label(RichText::new(i.to_string()).monospace());
                }
            });
    }
    warnings_ui(&state.doc.warnings, ui);
}

/// The scenario's warnings: settings that are allowed (the scenario runs) but almost
/// certainly not meant, as `armistice check` prints them; told apart from problems by their
/// heading and colour.
fn warnings_ui(warnings: &[crate::scenario::Issue], ui: &mut Ui) {
    if warnings.is_empty() {
        return;
    }
    let n = warnings.len();
    ui.label(
        RichText::new(format!(
            "{n} warning{}: the scenario runs, but this is probably not what was meant.",
            if n == 1 { "" } else { "s" }
        ))
        .strong()
        .color(ui.visuals().warn_fg_color),
    );
    egui::ScrollArea::vertical()
        .id_salt("edit-warnings")
        .max_height(100.0)
        .show(ui, |ui| {
            for w in warnings {
                ui.label(
                    RichText::new(format!("warning: {w}"))
                        .monospace()
                        .color(ui.visuals().warn_fg_color),
                );
            }
        });
}
