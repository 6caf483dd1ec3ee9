//! The two distribution plots: each side's leverage, and the bargaining range (each side's
//! walk-away value), as densities or distribution functions, with the baseline overlaid.

use egui::Ui;
use egui_plot::{Line, LineStyle, Plot, PlotPoints, VLine};

use super::cache::PlotCache;
use super::{baseline_lines, cell_ui, hover_text, legend, side_names};
use crate::app::actions::PlotId;
use crate::app::state::AppState;
use crate::app::theme::Palette;

pub(super) fn leverage_ui(state: &mut AppState, cache: &PlotCache, ui: &mut Ui) {
    let toggles = |state: &mut AppState, ui: &mut Ui| {
        ui.checkbox(&mut state.settings.show_cdf, "CDF")
            .on_hover_text("Show cumulative distributions instead of histograms");
    };
    let title = "Leverage of each side";
    cell_ui(
        state,
        ui,
        PlotId::Leverage,
        title,
        toggles,
        |state, ui, h| {
            let Some(lev) = &cache.lev else { return };
            let pal = Palette::of(ui, state.settings.presentation);
            let names = side_names(state);
            let cdf = state.settings.show_cdf;
            Plot::new("plot-leverage")
                .height(h)
                .legend(legend())
                .x_axis_label("share of the contested issue the side commands")
                .y_axis_label(if cdf {
                    "cumulative probability"
                } else {
                    "density"
                })
                .label_formatter(hover_text(
                    move |name, p| {
                        let what = if cdf { "P(≤)" } else { "density" };
                        format!("{name}\nleverage {:.3}\n{what} {:.3}", p.x, p.y)
                    },
                    |p| format!("leverage {:.3}", p.x),
                ))
                .show(ui, |pui| {
                    for (i, d) in lev.iter().enumerate() {
                        let pts = if cdf { &d.cdf } else { &d.density };
                        let color = pal.sides[i];
                        let name = format!(
                            "{}: mean {:.3}, 90% in {:.2}..{:.2}",
                            names[i], d.mean, d.p5, d.p95
                        );
                        pui.line(
                            Line::new(name, PlotPoints::Borrowed(pts))
                                .color(color)
                                .width(pal.line_width),
                        );
                        pui.vline(
                            VLine::new("", d.mean)
                                .color(color)
                                .width(pal.line_width * 0.7),
                        );
                        for x in [d.p5, d.p95] {
                            pui.vline(
                                VLine::new("", x)
                                    .color(color.gamma_multiply(0.7))
                                    .style(LineStyle::dashed_loose())
                                    .width(1.0),
                            );
                        }
                    }
                    if let Some(base) = &cache.lev_base {
                        baseline_lines(pui, base, &names, &pal, cdf);
                    }
                });
        },
    );
}

pub(super) fn range_ui(state: &mut AppState, cache: &PlotCache, ui: &mut Ui) {
    let toggles = |state: &mut AppState, ui: &mut Ui| {
        ui.checkbox(&mut state.settings.show_cdf, "CDF");
    };
    let title = "Bargaining range (walk-away values)";
    cell_ui(state, ui, PlotId::Range, title, toggles, |state, ui, h| {
        let Some(range) = &cache.range else { return };
        let pal = Palette::of(ui, state.settings.presentation);
        let names = side_names(state);
        let cdf = state.settings.show_cdf;
        let labels = [
            format!("lowest share {} accepts", names[0]),
            format!("highest share {} concedes", names[1]),
        ];
        Plot::new("plot-range")
            .height(h)
            .legend(legend())
            .x_axis_label(format!("share of the issue for {}", names[0]))
            .y_axis_label(if cdf {
                "cumulative probability"
            } else {
                "density"
            })
            .label_formatter(hover_text(
                |name, p| format!("{name}\nshare {:.3}\n{:.3}", p.x, p.y),
                |p| format!("share {:.3}", p.x),
            ))
            .show(ui, |pui| {
                for (i, d) in range.iter().enumerate() {
                    let pts = if cdf { &d.cdf } else { &d.density };
                    pui.line(
                        Line::new(
                            format!("{} (mean {:.3})", labels[i], d.mean),
                            PlotPoints::Borrowed(pts),
                        )
                        .color(pal.sides[i])
                        .width(pal.line_width),
                    );
                }
                if let Some(base) = &cache.range_base {
                    baseline_lines(pui, base, &labels, &pal, cdf);
                }
            });
    });
}
