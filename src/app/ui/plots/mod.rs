//! The outcome plots (the only module besides the analysis panel that uses egui_plot): the
//! plots area (all four in a grid, or one), and the frame every plot cell shares. The plots
//! themselves are split by kind: the distributions (leverage, bargaining range), which deal,
//! the front; their data is built once per result (`cache`), never per frame.

mod cache;
mod deal;
mod distributions;
mod front;
mod monthly;

pub use cache::PlotCache;
use deal::deal_ui;
use distributions::{leverage_ui, range_ui};
use front::front_ui;

use egui::{RichText, Ui};
use egui_plot::{HoverPosition, Legend, Line, LineStyle, Plot, PlotPoint, PlotPoints};

use crate::app::actions::{Action, DialogPurpose, PlotId};
use crate::app::settings::PlotTab;
use crate::app::state::AppState;
use crate::app::theme::Palette;
use cache::Dist1;

/// One plot, in the space `ui` gives it (the cache must be fresh: see [`refresh_ui`]).
pub fn plot_ui(state: &mut AppState, cache: &PlotCache, ui: &mut Ui, id: PlotId) {
    match id {
        PlotId::Leverage => leverage_ui(state, cache, ui),
        PlotId::Deal => deal_ui(state, ui),
        PlotId::Front => front_ui(state, cache, ui),
        PlotId::Range => range_ui(state, cache, ui),
        PlotId::Settlement => monthly::settlement_ui(state, ui),
        PlotId::Why => monthly::why_ui(state, ui),
        PlotId::Terms => monthly::terms_ui(state, ui),
        PlotId::LeverageMonths => monthly::leverage_months_ui(state, ui),
    }
}

/// Brings the plot data up to date with the results (for drawing single plots).
pub fn refresh_ui(state: &AppState, cache: &mut PlotCache) {
    cache.refresh(state);
}

/// The plots area: a grid of all four, or one of them.
pub fn plots_ui(state: &mut AppState, cache: &mut PlotCache, ui: &mut Ui) {
    cache.refresh(state);
    if state.result.is_none() {
        ui.centered_and_justified(|ui| {
            let size = egui::TextStyle::Body.resolve(ui.style()).size * 1.3;
            ui.label(RichText::new("Running the first simulation...").size(size));
        });
        return;
    }
    let tab = state.settings.plot_tab;
    let avail = ui.available_size();
    let monthly = state
        .result
        .as_ref()
        .is_some_and(|r| r.summary.settlement.is_some());
    let draw = plot_ui;
    let single = match tab {
        PlotTab::All | PlotTab::Analysis => None,
        PlotTab::Leverage => Some(PlotId::Leverage),
        PlotTab::Deal if monthly => Some(PlotId::Terms),
        PlotTab::Deal => Some(PlotId::Deal),
        PlotTab::Front => Some(PlotId::Front),
        PlotTab::Range => Some(PlotId::Range),
        PlotTab::When | PlotTab::Why | PlotTab::Terms | PlotTab::LeverageMonths if !monthly => {
            Some(PlotId::Deal)
        }
        PlotTab::When => Some(PlotId::Settlement),
        PlotTab::Why => Some(PlotId::Why),
        PlotTab::Terms => Some(PlotId::Terms),
        PlotTab::LeverageMonths => Some(PlotId::LeverageMonths),
    };
    if let Some(id) = single {
        let rect = ui.available_rect_before_wrap();
        ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
            draw(state, cache, ui, id)
        });
        return;
    }
    let grid = if monthly {
        [
            PlotId::Settlement,
            PlotId::Why,
            PlotId::Terms,
            PlotId::Front,
        ]
    } else {
        [PlotId::Leverage, PlotId::Deal, PlotId::Front, PlotId::Range]
    };
    // Two columns when wide enough, else one column that scrolls.
    let gap = 8.0;
    if avail.x >= 640.0 && avail.y >= 380.0 {
        let w = (avail.x - gap) / 2.0;
        let h = (avail.y - gap) / 2.0;
        let origin = ui.available_rect_before_wrap().min;
        let cells = [
            (grid[0], 0.0, 0.0),
            (grid[1], 1.0, 0.0),
            (grid[2], 0.0, 1.0),
            (grid[3], 1.0, 1.0),
        ];
        for (id, cx, cy) in cells {
            let min = origin + egui::vec2(cx * (w + gap), cy * (h + gap));
            let rect = egui::Rect::from_min_size(min, egui::vec2(w, h));
            ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
                ui.set_clip_rect(rect.intersect(ui.clip_rect()));
                draw(state, cache, ui, id);
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
                let h = (avail.y * 0.8).max(260.0);
                for id in grid {
                    ui.allocate_ui(egui::vec2(ui.available_width(), h), |ui| {
                        draw(state, cache, ui, id)
                    });
                    ui.add_space(gap);
                }
            });
    }
}

/// One plot cell, the frame every plot shares: the title row with the plot's toggles and its
/// PNG button, the plot itself (`body` draws it in the height it is given, which keeps room
/// for the export caption), the stamp under it while it is exported, and the cell's rectangle
/// (title, plot with its axes, caption), which is what a PNG export captures.
fn cell_ui(
    state: &mut AppState,
    ui: &mut Ui,
    id: PlotId,
    title: &str,
    toggles: impl FnOnce(&mut AppState, &mut Ui),
    body: impl FnOnce(&mut AppState, &mut Ui, f32),
) {
    let top = ui.cursor().min;
    header_ui(state, ui, id, title, toggles);
    let height = plot_height(state, ui, id);
    body(state, ui, height);
    caption_ui(state, ui, id);
    state
        .ui
        .plot_rects
        .insert(id, egui::Rect::from_min_max(top, ui.min_rect().max));
}

/// Title row with the plot's toggles and its PNG export button.
fn header_ui(
    state: &mut AppState,
    ui: &mut Ui,
    id: PlotId,
    title: &str,
    extra: impl FnOnce(&mut AppState, &mut Ui),
) {
    ui.horizontal(|ui| {
        let size = egui::TextStyle::Body.resolve(ui.style()).size * 1.1;
        ui.label(RichText::new(title).strong().size(size));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("PNG")
                .on_hover_text("Save this plot as a PNG image")
                .clicked()
            {
                state.push(Action::ShowDialog(DialogPurpose::ExportPng(id)));
            }
            extra(state, ui);
        });
    });
}

/// The stamp under a plot being exported, so the image says what it shows.
fn caption_ui(state: &AppState, ui: &mut Ui, id: PlotId) {
    if state.ui.exporting == Some(id)
        && let Some(r) = &state.result
    {
        ui.label(RichText::new(r.stamp.line()).small().weak());
    }
}

fn plot_height(state: &AppState, ui: &Ui, id: PlotId) -> f32 {
    // The stamp under an exported plot may take two lines.
    let caption = if state.ui.exporting == Some(id) {
        2.0 * egui::TextStyle::Small.resolve(ui.style()).size + 8.0
    } else {
        0.0
    };
    (ui.available_height() - caption - 4.0).max(80.0)
}

/// The baseline's two distributions, dashed and paler than the current ones.
fn baseline_lines<'a>(
    pui: &mut egui_plot::PlotUi<'a>,
    base: &'a [Dist1; 2],
    names: &[String; 2],
    pal: &Palette,
    cdf: bool,
) {
    for (i, d) in base.iter().enumerate() {
        let pts = if cdf { &d.cdf } else { &d.density };
        pui.line(
            Line::new(format!("baseline: {}", names[i]), PlotPoints::Borrowed(pts))
                .color(pal.sides[i].gamma_multiply(0.55))
                .style(LineStyle::dashed_dense())
                .width(pal.line_width * 0.8),
        );
    }
}

/// A plot's hover text: `near` names a data point of a named series, `elsewhere` any other
/// position under the pointer.
fn hover_text(
    near: impl Fn(&str, PlotPoint) -> String,
    elsewhere: impl Fn(PlotPoint) -> String,
) -> impl Fn(&HoverPosition<'_>) -> Option<String> {
    move |pos| {
        Some(match pos {
            HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } => near(plot_name, *position),
            HoverPosition::Elsewhere { position } => elsewhere(*position),
        })
    }
}

/// The position under the pointer, wherever it is.
fn pointer(pos: &HoverPosition<'_>) -> PlotPoint {
    match pos {
        HoverPosition::NearDataPoint { position, .. } | HoverPosition::Elsewhere { position } => {
            *position
        }
    }
}

/// A plot of horizontal bars, one row per item from the top (`rows` of them), over shares
/// from 0 to 1: no vertical axis (each row is labelled by [`row_labels`]) and no hover text.
fn rows_plot(id: &str, height: f32, x_label: &str, rows: usize) -> Plot<'static> {
    Plot::new(id)
        .height(height)
        .allow_scroll(false)
        .x_axis_label(x_label.to_string())
        .include_x(0.0)
        .include_x(1.0)
        .include_y(-0.6)
        .include_y(rows as f64 - 0.4)
        .show_axes([true, false])
        .show_grid([true, false])
        .label_formatter(|_| None)
}

/// Each row's label drawn inside a [`rows_plot`], next to its bar (inside it when the bar is
/// long), so that it stays readable at any text size: `(y, bar length, text)`.
fn row_labels(pui: &mut egui_plot::PlotUi<'_>, rows: &[(f64, f64, String)], color: egui::Color32) {
    for (y, p, text) in rows {
        let (x, anchor) = if *p < 0.5 {
            (p + 0.015, egui::Align2::LEFT_CENTER)
        } else {
            (p - 0.015, egui::Align2::RIGHT_CENTER)
        };
        pui.text(
            egui_plot::Text::new("", PlotPoint::new(x, *y), text.as_str())
                .color(color)
                .anchor(anchor),
        );
    }
}

/// Horizontal bars whose hover text is each bar's name.
fn horizontal_bars(name: &str, bars: Vec<egui_plot::Bar>) -> egui_plot::BarChart {
    egui_plot::BarChart::new(name, bars)
        .horizontal()
        .element_formatter(Box::new(|bar, _| bar.name.clone()))
}

/// The baseline's bars of a [`rows_plot`], paler, just below the current ones: row `row` at
/// `y_of(row) - 0.2`, named by `name(row, value)`.
fn baseline_bars(
    values: &[f64],
    y_of: impl Fn(usize) -> f64,
    width: f64,
    name: impl Fn(usize, f64) -> String,
    pal: &Palette,
) -> egui_plot::BarChart {
    let bars = values
        .iter()
        .enumerate()
        .map(|(row, p)| {
            egui_plot::Bar::new(y_of(row) - 0.2, *p)
                .width(width)
                .name(name(row, *p))
                .fill(pal.baseline.gamma_multiply(0.6))
        })
        .collect();
    horizontal_bars("baseline", bars)
}

/// The legend of the line plots: top left, over a translucent background.
pub fn legend() -> Legend {
    Legend::default()
        .position(egui_plot::Corner::LeftTop)
        .background_alpha(0.75)
}

fn side_names(state: &AppState) -> [String; 2] {
    let sc = state.doc.last_valid.scenario();
    [sc.sides.a.name.clone(), sc.sides.b.name.clone()]
}
