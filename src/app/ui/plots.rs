//! The outcome plots: all four in a grid, or one of them, each in a cell with its title, its
//! choices and its export button. Every plot is a figure of [`crate::figure`] (the one
//! description the exports also use), built once per result and painted by
//! [`super::figure_view`].

use std::collections::HashMap;

use egui::{RichText, Ui};

use super::figure_view::figure_ui;
use crate::app::actions::{Action, PlotKind};
use crate::app::settings::{FrontView, PlotTab};
use crate::app::state::AppState;
use crate::figure::{Figure, Theme};

/// The figures of the current result, built once per result and choice.
#[derive(Default)]
pub struct PlotCache {
    key: Option<(u64, bool, FrontView)>,
    figures: HashMap<PlotKind, Option<Figure>>,
}

impl PlotCache {
    fn get(&mut self, state: &AppState, kind: PlotKind) -> Option<&Figure> {
        let key = (
            state.ui.results_generation,
            state.settings.show_cdf,
            state.settings.front_view,
        );
        if self.key != Some(key) {
            self.key = Some(key);
            self.figures.clear();
        }
        self.figures
            .entry(kind)
            .or_insert_with(|| state.figure(kind))
            .as_ref()
    }
}

/// The theme figures are drawn in on screen.
pub fn screen_theme(state: &AppState, ui: &Ui) -> Theme {
    Theme {
        dark: ui.visuals().dark_mode,
        presentation: state.settings.presentation,
        compact: false,
    }
}

/// The plot a tab shows alone, if any.
fn single(tab: PlotTab, monthly: bool) -> Option<PlotKind> {
    match tab {
        PlotTab::All | PlotTab::Analysis => None,
        PlotTab::Leverage => Some(PlotKind::Leverage),
        PlotTab::Deal if monthly => Some(PlotKind::Terms),
        PlotTab::Deal => Some(PlotKind::Deal),
        PlotTab::Front => Some(PlotKind::Front),
        PlotTab::Range => Some(PlotKind::Range),
        PlotTab::When | PlotTab::Why | PlotTab::Terms | PlotTab::LeverageMonths if !monthly => {
            Some(PlotKind::Deal)
        }
        PlotTab::When => Some(PlotKind::Settlement),
        PlotTab::Why => Some(PlotKind::Why),
        PlotTab::Terms => Some(PlotKind::Terms),
        PlotTab::LeverageMonths => Some(PlotKind::LeverageMonths),
    }
}

/// The plots area: a grid of four, or one of them.
pub fn plots_ui(state: &mut AppState, cache: &mut PlotCache, ui: &mut Ui) {
    if state.result.is_none() {
        ui.centered_and_justified(|ui| {
            let size = egui::TextStyle::Body.resolve(ui.style()).size * 1.3;
            ui.label(RichText::new("Running the first simulation...").size(size));
        });
        return;
    }
    let monthly = state
        .result
        .as_ref()
        .is_some_and(|r| r.summary.settlement.is_some());
    if let Some(kind) = single(state.settings.plot_tab, monthly) {
        let rect = ui.available_rect_before_wrap();
        ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
            cell_ui(state, cache, ui, kind)
        });
        return;
    }
    let grid = if monthly {
        [
            PlotKind::Settlement,
            PlotKind::Why,
            PlotKind::Terms,
            PlotKind::Front,
        ]
    } else {
        [
            PlotKind::Leverage,
            PlotKind::Deal,
            PlotKind::Front,
            PlotKind::Range,
        ]
    };
    // Two columns when wide enough, else one column that scrolls.
    let gap = 8.0;
    let avail = ui.available_size();
    if avail.x >= 640.0 && avail.y >= 380.0 {
        let w = (avail.x - gap) / 2.0;
        let h = (avail.y - gap) / 2.0;
        let origin = ui.available_rect_before_wrap().min;
        for (i, kind) in grid.into_iter().enumerate() {
            let (cx, cy) = ((i % 2) as f32, (i / 2) as f32);
            let min = origin + egui::vec2(cx * (w + gap), cy * (h + gap));
            let rect = egui::Rect::from_min_size(min, egui::vec2(w, h));
            ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
                ui.set_clip_rect(rect.intersect(ui.clip_rect()));
                cell_ui(state, cache, ui, kind);
            });
        }
        ui.allocate_rect(
            egui::Rect::from_min_size(origin, avail),
            egui::Sense::hover(),
        );
    } else {
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let h = (avail.y * 0.8).max(280.0);
                for kind in grid {
                    ui.allocate_ui(egui::vec2(ui.available_width(), h), |ui| {
                        cell_ui(state, cache, ui, kind)
                    });
                    ui.add_space(gap);
                }
            });
    }
}

/// One plot in the space `ui` gives it, with its title row (lesson mode and presentation
/// pages show plots one at a time).
pub fn plot_ui(state: &mut AppState, cache: &mut PlotCache, ui: &mut Ui, kind: PlotKind) {
    cell_ui(state, cache, ui, kind);
}

/// One plot cell: the title (cut short with its full text on hover when the cell is
/// narrow), the plot's choices and its export button, then the figure in the rest.
fn cell_ui(state: &mut AppState, cache: &mut PlotCache, ui: &mut Ui, kind: PlotKind) {
    let title = cache
        .get(state, kind)
        .map_or_else(|| kind.name().to_string(), |f| f.title.clone());
    header_ui(state, ui, kind, &title);
    let theme = screen_theme(state, ui);
    let size = egui::vec2(ui.available_width(), ui.available_height().max(120.0));
    if let Some(fig) = cache.get(state, kind) {
        figure_ui(ui, kind.name(), fig, theme, size);
    }
}

/// The title row: title on the left, export button and the plot's choices on the right.
/// When the cell is too narrow for the whole title beside them, the choices go on a row of
/// their own under it, so that the title is not cut.
pub fn header_ui(state: &mut AppState, ui: &mut Ui, kind: PlotKind, title: &str) {
    let size = egui::TextStyle::Body.resolve(ui.style()).size * 1.1;
    let has_choices = matches!(kind, PlotKind::Leverage | PlotKind::Front);
    let title_w = ui.fonts_mut(|f| {
        f.layout_no_wrap(
            title.to_string(),
            egui::FontId::proportional(size),
            egui::Color32::WHITE,
        )
        .size()
        .x
    });
    // "Export…" and the choices take about 80 and 150 points.
    let choices_w = if has_choices { 150.0 } else { 0.0 };
    let apart = has_choices && title_w + 80.0 + choices_w > ui.available_width();
    egui::Sides::new().shrink_left().truncate().show(
        ui,
        |ui| {
            ui.add(egui::Label::new(RichText::new(title).strong().size(size)).truncate())
                .on_hover_text(title);
        },
        |ui| {
            if ui
                .small_button("Export…")
                .on_hover_text("Save this plot as SVG or PNG, at a size and scale you choose")
                .clicked()
            {
                state.push(Action::ExportFigureOptions(kind));
            }
            if !apart {
                choices_ui(state, ui, kind);
            }
        },
    );
    if apart {
        ui.horizontal(|ui| choices_ui(state, ui, kind));
    }
}

/// A plot's own choices: distribution functions for leverage, the front's view.
fn choices_ui(state: &mut AppState, ui: &mut Ui, kind: PlotKind) {
    match kind {
        PlotKind::Leverage => {
            ui.checkbox(&mut state.settings.show_cdf, "CDF")
                .on_hover_text("Cumulative distributions instead of histograms");
        }
        PlotKind::Front => {
            ui.selectable_value(
                &mut state.settings.front_view,
                FrontView::Cumulative,
                "since start",
            );
            ui.selectable_value(
                &mut state.settings.front_view,
                FrontView::Monthly,
                "per month",
            );
        }
        _ => {}
    }
}
