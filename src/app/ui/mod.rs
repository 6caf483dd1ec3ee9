//! Drawing: the window's layout, and the panels in their own modules. The UI reads state and
//! records intents (`Action`s); it does no file I/O and starts no runs.

pub mod analysis;
pub mod dialogs;
pub mod disk;
pub mod figure_view;
pub mod help;
pub mod inputs;
pub mod lesson;
pub mod menu;
pub mod plots;
pub mod presentation;
pub mod summary;
pub mod tab_cycle;
pub mod trial;
pub mod widgets;

use egui::Ui;

use super::actions::Action;
use super::state::AppState;
use widgets::Editor;

/// Draws one frame. Edits collected from the widgets become one `Action::Edit`.
pub fn root_ui(state: &mut AppState, cache: &mut plots::PlotCache, ui: &mut Ui) {
    let mut ed = Editor::new(&state.doc.scenario);
    egui::Panel::top("menu").show(ui, |ui| {
        menu::menu_bar_ui(state, ui);
        ui.add_space(2.0);
        menu::toolbar_ui(state, &mut ed, ui);
        ui.add_space(2.0);
    });
    // While Save asks about a file that is gone, the question says it all.
    if state.disk_notice.is_some() || state.disk_gone.is_some() && state.save_gone.is_none() {
        egui::Panel::top("disk-notice").show(ui, |ui| disk::notice_ui(state, ui));
    }
    egui::Panel::bottom("status").show(ui, |ui| menu::status_ui(state, ui));
    if state.load_error.is_some()
        || !state.doc.issues.is_empty()
        || !state.doc.warnings.is_empty()
        || state.correlation_warning.is_some()
    {
        egui::Panel::bottom("problems")
            .resizable(true)
            .show(ui, |ui| dialogs::problems_ui(state, ui));
    }
    if state.settings.show_inputs {
        inputs_panel_ui(state, &mut ed, ui);
    }
    if state.lesson.is_some() {
        let full = ui.available_width();
        egui::Panel::left("lesson")
            .resizable(true)
            .default_size((full * 0.36).clamp(300.0, 640.0))
            .min_size(260.0)
            .show(ui, |ui| lesson::lesson_panel_ui(state, ui));
        egui::CentralPanel::default().show(ui, |ui| lesson::lesson_view_ui(state, cache, ui));
        end_frame(state, ed, ui);
        return;
    }
    egui::CentralPanel::default().show(ui, |ui| {
        if state.lesson_offer {
            lesson::offer_ui(state, ui);
        }
        if state.settings.presentation {
            presentation::presentation_ui(state, cache, ui);
            return;
        }
        if !state.is_monthly() {
            upgrade_banner_ui(state, ui);
        }
        summary::summary_ui(state, ui);
        ui.add_space(2.0);
        ui.horizontal_wrapped(|ui| {
            for &t in super::settings::PlotTab::tabs(state.is_monthly()) {
                ui.selectable_value(&mut state.settings.plot_tab, t, t.label());
            }
        });
        ui.add_space(2.0);
        if state.settings.plot_tab == super::settings::PlotTab::Analysis {
            egui::ScrollArea::vertical()
                .id_salt("analysis-scroll")
                .auto_shrink([false, false])
                .show(ui, |ui| analysis::analysis_ui(state, ui));
        } else {
            plots::plots_ui(state, cache, ui);
        }
    });
    end_frame(state, ed, ui);
}

/// The windows and dialogs over the panels, and the frame's edits as one intent.
fn end_frame(state: &mut AppState, mut ed: Editor, ui: &mut Ui) {
    let ctx = ui.ctx().clone();
    dialogs::export_options_ui(state, &ctx);
    dialogs::baseline_question_ui(state, &ctx);
    help::help_ui(state, &ctx);
    dialogs::file_dialog_ui(state, &ctx);
    dialogs::confirm_ui(state, &ctx);
    dialogs::restore_ui(state, &ctx);
    disk::conflict_ui(state, &ctx);
    disk::diff_ui(state, &ctx);
    if let Some(warning) = ed.warning.take() {
        state.set_status(&warning, true);
    }
    if let Some(key) = ed.key.take()
        && ed.draft != state.doc.scenario
    {
        state.push(Action::Edit {
            scenario: Box::new(ed.draft),
            key,
        });
    }
}

/// The inputs panel at the width the user gave it: exactly that width (wide contents are
/// clipped, never widen it) unless the user drags its edge, which sets a new width.
fn inputs_panel_ui(state: &mut AppState, ed: &mut Editor, ui: &mut Ui) {
    let full = ui.available_width();
    let max_width = (full * 0.6).max(MIN_INPUTS_WIDTH);
    let width = if state.settings.presentation {
        300.0f32.min(max_width)
    } else {
        state
            .settings
            .inputs_width
            .clamp(MIN_INPUTS_WIDTH, max_width)
    };
    let edge = state.ui.inputs_edge;
    let dragging = ui.input(|i| {
        i.pointer.primary_down()
            && i.pointer
                .press_origin()
                .zip(edge)
                .is_some_and(|(p, e)| (p.x - e).abs() <= 6.0)
    });
    let panel = egui::Panel::left("inputs").resizable(true);
    let panel = if dragging {
        panel.size_range(MIN_INPUTS_WIDTH..=max_width)
    } else {
        panel.exact_size(width)
    };
    let r = panel.show(ui, |ui| inputs::inputs_ui(state, ed, ui));
    state.ui.inputs_edge = Some(r.response.rect.right());
    if dragging && !state.settings.presentation {
        state.settings.inputs_width = r.response.rect.width();
    }
}

/// The narrowest the inputs panel gets.
const MIN_INPUTS_WIDTH: f32 = 250.0;

/// Offers to convert a scenario of format version 1 (the one-shot model) to version 2 and
/// says what changes; the conversion is an edit like any other (undo takes it back).
fn upgrade_banner_ui(state: &mut AppState, ui: &mut Ui) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                egui::RichText::new(
                    "This file is format version 1: the table meets once, at the horizon. \
                     Its numbers are those it always gave.",
                )
                .strong(),
            );
            if ui
                .button("Upgrade to version 2 (bargaining while fighting)")
                .on_hover_text("The table then meets every month; undo takes it back")
                .clicked()
            {
                let (upgraded, notes) =
                    crate::scenario::upgrade::upgrade(state.doc.scenario.clone());
                state.push(Action::Edit {
                    scenario: Box::new(upgraded),
                    key: "version".into(),
                });
                state.set_status(
                    &format!(
                        "Converted to format version 2 ({} changes of meaning: see \"What changes\")",
                        notes.len()
                    ),
                    false,
                );
            }
        });
        ui.collapsing("What changes", |ui| {
            for note in crate::scenario::upgrade::NOTES {
                ui.label(format!("• {note}"));
            }
        });
    });
    ui.add_space(2.0);
}
