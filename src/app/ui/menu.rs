//! The menu bar, the toolbar (scenario picker, seed, trials, progress, baseline) and the
//! status bar.

use egui::{RichText, Ui};

use super::widgets::{Editor, seed_field, trials_field};
use crate::app::actions::{Action, DialogPurpose, ExportKind, LessonAction, PlotKind};
use crate::app::settings::{PlotTab, ThemeChoice};
use crate::app::state::AppState;
use crate::scenario::SHIPPED;

fn shortcut(ui: &Ui, mods: egui::Modifiers, key: egui::Key) -> String {
    ui.ctx()
        .format_shortcut(&egui::KeyboardShortcut::new(mods, key))
}

fn item(ui: &mut Ui, text: &str, shortcut: Option<String>, enabled: bool) -> bool {
    let mut b = egui::Button::new(text);
    if let Some(s) = shortcut {
        b = b.shortcut_text(s);
    }
    let clicked = ui.add_enabled(enabled, b).clicked();
    if clicked {
        ui.close();
    }
    clicked
}

/// The menu bar.
pub fn menu_bar_ui(state: &mut AppState, ui: &mut Ui) {
    use egui::{Key, Modifiers};
    let cmd = Modifiers::COMMAND;
    let cmd_shift = Modifiers::COMMAND | Modifiers::SHIFT;
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if item(ui, "New", Some(shortcut(ui, cmd, Key::N)), true) {
                state.push(Action::New);
            }
            if item(ui, "Open...", Some(shortcut(ui, cmd, Key::O)), true) {
                state.push(Action::ShowDialog(DialogPurpose::Open));
            }
            ui.menu_button("Open recent", |ui| {
                if state.settings.recent.is_empty() {
                    ui.label(RichText::new("No recent files").weak());
                }
                for p in state.settings.recent.clone() {
                    if item(ui, &p.display().to_string(), None, true) {
                        state.push(Action::Open(p));
                    }
                }
            });
            ui.menu_button("Shipped scenarios", |ui| {
                for (i, (name, _)) in SHIPPED.iter().enumerate() {
                    if item(ui, name, None, true) {
                        state.push(Action::OpenShipped(i));
                    }
                }
            });
            ui.separator();
            if item(ui, "Save", Some(shortcut(ui, cmd, Key::S)), true) {
                state.push(Action::Save);
            }
            if item(
                ui,
                "Save As...",
                Some(shortcut(ui, cmd_shift, Key::S)),
                true,
            ) {
                state.push(Action::ShowDialog(DialogPurpose::SaveAs));
            }
            if item(ui, "Revert", None, state.doc.is_dirty()) {
                state.push(Action::Revert);
            }
            ui.separator();
            ui.menu_button("Export", |ui| {
                let has = state.result.is_some();
                if item(ui, "Brief (one-page HTML)...", None, has) {
                    state.push(Action::ShowDialog(DialogPurpose::Export(ExportKind::Brief)));
                }
                ui.separator();
                for kind in [
                    ExportKind::SummaryCsv,
                    ExportKind::TrialsCsv,
                    ExportKind::SummaryJson,
                ] {
                    if item(ui, &format!("{}...", kind.label()), None, has) {
                        state.push(Action::ShowDialog(DialogPurpose::Export(kind)));
                    }
                }
                ui.separator();
                ui.label(
                    RichText::new("Figures (SVG or PNG, drawn at the size you choose)").weak(),
                );
                let monthly = state.is_monthly();
                for kind in PlotKind::OUTCOMES
                    .into_iter()
                    .filter(|k| k.applies_to(monthly))
                {
                    let title = state
                        .figure(kind)
                        .map_or_else(|| kind.name().to_string(), |f| f.title);
                    if item(
                        ui,
                        &format!("{}...", crate::text::clip(&title, 60)),
                        None,
                        has,
                    ) {
                        state.push(Action::ExportFigureOptions(kind));
                    }
                }
            });
            if item(ui, "Export brief...", None, state.result.is_some()) {
                state.push(Action::ShowDialog(DialogPurpose::Export(ExportKind::Brief)));
            }
            ui.separator();
            if item(ui, "Quit", None, true) {
                state.push(Action::Quit);
            }
        });
        ui.menu_button("Edit", |ui| {
            if item(
                ui,
                "Undo",
                Some(shortcut(ui, cmd, Key::Z)),
                state.history.can_undo(),
            ) {
                state.push(Action::Undo);
            }
            if item(
                ui,
                "Redo",
                Some(shortcut(ui, cmd_shift, Key::Z)),
                state.history.can_redo(),
            ) {
                state.push(Action::Redo);
            }
            ui.separator();
            if item(
                ui,
                "Pin as baseline",
                Some(shortcut(ui, cmd, Key::B)),
                state.result.is_some(),
            ) {
                state.push(Action::PinBaseline);
            }
            if item(ui, "Clear baseline", None, state.baseline.is_some()) {
                state.push(Action::ClearBaseline);
            }
        });
        ui.menu_button("View", |ui| {
            let mut pres = state.settings.presentation;
            if ui
                .checkbox(
                    &mut pres,
                    format!(
                        "Presentation mode ({})",
                        shortcut(ui, Modifiers::NONE, Key::F11)
                    ),
                )
                .clicked()
            {
                state.push(Action::TogglePresentation);
                ui.close();
            }
            ui.checkbox(&mut state.settings.show_inputs, "Inputs panel");
            ui.separator();
            ui.label(RichText::new("Theme").weak());
            ui.radio_value(&mut state.settings.theme, ThemeChoice::Light, "Light");
            ui.radio_value(&mut state.settings.theme, ThemeChoice::Dark, "Dark");
            ui.separator();
            ui.label(RichText::new("UI scale").weak());
            ui.horizontal(|ui| {
                if ui.button("-").clicked() {
                    state.settings.ui_scale = (state.settings.ui_scale - 0.1).max(0.7);
                }
                ui.label(format!("{:.0}%", state.settings.ui_scale * 100.0));
                if ui.button("+").clicked() {
                    state.settings.ui_scale = (state.settings.ui_scale + 0.1).min(2.5);
                }
                if ui.button("Reset").clicked() {
                    state.settings.ui_scale = 1.0;
                }
            });
            ui.separator();
            ui.label(RichText::new("Plots").weak());
            for &t in PlotTab::tabs(state.is_monthly()) {
                ui.radio_value(&mut state.settings.plot_tab, t, t.label());
            }
            ui.checkbox(&mut state.settings.show_cdf, "Cumulative distributions");
        });
        ui.menu_button("Lessons", |ui| lessons_menu_ui(state, ui));
        ui.menu_button("Help", |ui| {
            ui.set_max_width(420.0);
            super::help::help_menu_ui(state, ui);
        });
    });
}

/// The Lessons menu: this file's lesson, the shipped lessons, leaving lesson mode.
fn lessons_menu_ui(state: &mut AppState, ui: &mut Ui) {
    let title = state.doc.scenario.lesson.as_ref().map(|l| l.title.clone());
    let label = match &title {
        Some(t) => format!("Start this file's lesson: {}", crate::text::clip(t, 40)),
        None => "This file has no lesson".to_string(),
    };
    if item(ui, &label, None, title.is_some()) {
        state.push(Action::Lesson(LessonAction::Start));
    }
    if item(ui, "Leave the lesson", None, state.lesson.is_some()) {
        state.push(Action::Lesson(LessonAction::Exit));
    }
    ui.separator();
    ui.label(RichText::new("Shipped lessons").weak());
    for (i, (name, text)) in crate::classroom::shipped::LESSONS.iter().enumerate() {
        let title = crate::scenario::parse_str(text, name)
            .ok()
            .and_then(|s| s.lesson.map(|l| l.title))
            .unwrap_or_else(|| name.to_string());
        if item(ui, &title, None, true) {
            state.push(Action::OpenLesson(i));
        }
    }
}

/// The toolbar: scenario picker, seed, trials, progress and the baseline buttons.
pub fn toolbar_ui(state: &mut AppState, ed: &mut Editor, ui: &mut Ui) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Scenario");
        let current = state.doc.display_name();
        let mut pick: Option<usize> = None;
        let combo = egui::ComboBox::from_id_salt("scenario-picker")
            .selected_text(crate::text::clip(&current, 34))
            .width(230.0)
            .show_ui(ui, |ui| {
                for (i, (name, _)) in SHIPPED.iter().enumerate() {
                    if ui
                        .selectable_label(current.starts_with(name), *name)
                        .clicked()
                    {
                        pick = Some(i);
                    }
                }
                ui.separator();
                if ui.button("Open a file...").clicked() {
                    state.push(Action::ShowDialog(DialogPurpose::Open));
                }
            });
        super::widgets::name_widget(&combo.response, egui::accesskit::Role::ComboBox, "Scenario");
        if let Some(i) = pick {
            state.push(Action::OpenShipped(i));
        }
        ui.separator();
        ui.label("Seed");
        seed_field(ui, ed);
        ui.label("Trials");
        ui.scope(|ui| {
            ui.spacing_mut().interact_size.x = 90.0;
            trials_field(ui, ed);
        });
        ui.separator();
        if let Some((p, total)) = state.runner.progress() {
            ui.add(egui::ProgressBar::new(p).desired_width(140.0).text(format!(
                "{:.0}% of {}",
                p * 100.0,
                crate::text::group_thousands(total as f64)
            )));
        } else if let Some(r) = &state.result {
            let t = state
                .last_full
                .or(state.last_quick)
                .map_or(0.0, |d| d.as_secs_f64());
            ui.label(
                RichText::new(format!(
                    "{} trials in {:.2} s",
                    crate::text::group_thousands(r.stamp.trials as f64),
                    t
                ))
                .weak(),
            );
        }
        ui.separator();
        if ui
            .add_enabled(state.result.is_some(), egui::Button::new("Pin as baseline"))
            .on_hover_text(
                "Keep these results; later results are compared with them, trial by trial",
            )
            .clicked()
        {
            state.push(Action::PinBaseline);
        }
        if state.baseline.is_some() && ui.button("Clear baseline").clicked() {
            state.push(Action::ClearBaseline);
        }
        if !state.settings.show_inputs && ui.button("Show inputs").clicked() {
            state.settings.show_inputs = true;
        }
    });
}

/// The status bar: messages, what the results are, and the reminder that this is not a
/// forecast.
pub fn status_ui(state: &mut AppState, ui: &mut Ui) {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        if ui.available_width() > 700.0 {
            ui.label(
                RichText::new("An exploration of assumptions, not a forecast")
                    .weak()
                    .italics(),
            );
        }
        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
            if let Some(err) = state.run_error.clone() {
                if ui.small_button("Run again").clicked() {
                    state.push(Action::Rerun);
                }
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("Simulation error: {err}"))
                            .color(ui.visuals().error_fg_color),
                    )
                    .truncate(),
                );
            } else if let Some(s) = &state.status {
                let text = RichText::new(&s.text);
                let text = if s.error {
                    text.color(ui.visuals().error_fg_color)
                } else {
                    text
                };
                ui.add(egui::Label::new(text).truncate());
            } else if let Some(r) = &state.result {
                let quick = if state.result_is_quick {
                    " (quick pass, refining)"
                } else {
                    ""
                };
                ui.add(
                    egui::Label::new(RichText::new(format!("{}{quick}", r.stamp.line())).weak())
                        .truncate(),
                );
            }
        });
    });
}
