//! The front as a fan chart: the median and the 50% and 90% bands of the area gained, per
//! month or since the start, with the baseline's median and the observed figures.

use egui::Ui;
use egui_plot::{FilledArea, Line, LineStyle, Plot, PlotPoints, Points};

use super::cache::PlotCache;
use super::{cell_ui, hover_text, legend, side_names};
use crate::app::actions::PlotId;
use crate::app::settings::FrontView;
use crate::app::state::AppState;
use crate::app::theme::Palette;
use crate::text::group_thousands;

pub(super) fn front_ui(state: &mut AppState, cache: &PlotCache, ui: &mut Ui) {
    let b_name = side_names(state)[1].clone();
    let title = if state.is_monthly() {
        "The front while fighting".to_string()
    } else {
        format!("The front: area gained by {b_name}")
    };
    let toggles = |state: &mut AppState, ui: &mut Ui| {
        ui.selectable_value(
            &mut state.settings.front_view,
            FrontView::Monthly,
            "per month",
        );
        ui.selectable_value(
            &mut state.settings.front_view,
            FrontView::Cumulative,
            "since start",
        );
    };
    cell_ui(state, ui, PlotId::Front, &title, toggles, |state, ui, h| {
        let Some(b) = &cache.bands else { return };
        let pal = Palette::of(ui, state.settings.presentation);
        let monthly = state.settings.front_view == FrontView::Monthly;
        Plot::new("plot-front")
            .height(h)
            .legend(legend())
            .x_axis_label("month")
            .y_axis_label(if monthly {
                format!("km² gained by {b_name} in the month")
            } else {
                format!("km² gained by {b_name} since the start")
            })
            .label_formatter(hover_text(
                |name, p| format!("{name}\nmonth {:.0}: {} km²", p.x, group_thousands(p.y)),
                |p| format!("month {:.1}, {} km²", p.x, group_thousands(p.y)),
            ))
            .show(ui, |pui| {
                pui.add(
                    FilledArea::new("90% of trials", &b.months, &b.q[0], &b.q[4])
                        .fill_color(pal.band_outer),
                );
                pui.add(
                    FilledArea::new("50% of trials", &b.months, &b.q[1], &b.q[3])
                        .fill_color(pal.band_inner),
                );
                pui.line(
                    Line::new("median", PlotPoints::Owned(b.line(2)))
                        .color(pal.median)
                        .width(pal.line_width),
                );
                if let Some(m) = &cache.bands_base_median {
                    pui.line(
                        Line::new("baseline median", PlotPoints::Borrowed(m))
                            .color(pal.baseline)
                            .style(LineStyle::dashed_dense())
                            .width(pal.line_width * 0.8),
                    );
                }
                let radius = if state.settings.presentation {
                    6.0
                } else {
                    4.0
                };
                if !cache.observed.is_empty() {
                    pui.points(
                        Points::new(
                            "observed before the scenario date",
                            PlotPoints::Borrowed(&cache.observed),
                        )
                        .color(pal.observed)
                        .radius(radius)
                        .shape(egui_plot::MarkerShape::Diamond),
                    );
                }
                if !cache.hindcast.is_empty() {
                    pui.points(
                        Points::new(
                            "observed after it (hindcast, not fitted)",
                            PlotPoints::Borrowed(&cache.hindcast),
                        )
                        .color(pal.observed)
                        .radius(radius)
                        .filled(false)
                        .shape(egui_plot::MarkerShape::Circle),
                    );
                }
            });
    });
}
