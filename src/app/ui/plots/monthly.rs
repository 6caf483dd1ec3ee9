//! The plots of a monthly run (format version 2): when the war ends (the settlement curve),
//! why it goes on (month by month), the terms at settlement, and the leverage at each month's
//! table. Each overlays the pinned baseline when it is a monthly run too.

use egui::Ui;
use egui_plot::{
    Bar, FilledArea, HoverPosition, Line, LineStyle, Plot, PlotPoint, PlotPoints, VLine,
};

use super::{
    baseline_bars, cell_ui, horizontal_bars, legend, pointer, row_labels, rows_plot, side_names,
};
use crate::app::actions::PlotId;
use crate::app::state::AppState;
use crate::app::theme::Palette;
use crate::model::Constraint;
use crate::report::reason_label;
use crate::stats::Settlement;

fn settlement(state: &AppState) -> Option<&Settlement> {
    state.result.as_ref()?.summary.settlement.as_ref()
}

fn baseline_settlement(state: &AppState) -> Option<&Settlement> {
    state.baseline.as_ref()?.result.summary.settlement.as_ref()
}

/// The share of runs settled by each month, with its 95% band, the baseline's curve, and
/// what happened after the scenario's date (the hindcast) when the file records it.
pub(super) fn settlement_ui(state: &mut AppState, ui: &mut Ui) {
    let title = "When the war ends";
    cell_ui(
        state,
        ui,
        PlotId::Settlement,
        title,
        |_, _| {},
        |state, ui, h| {
            let Some(s) = settlement(state).cloned() else {
                return;
            };
            let base = baseline_settlement(state).cloned();
            let pal = Palette::of(ui, state.settings.presentation);
            let talks = s.hindcast.as_ref().and_then(|h| h.talks.clone());
            let mut months = vec![0.0];
            let mut p = vec![0.0];
            let mut lo = vec![0.0];
            let mut hi = vec![0.0];
            for (t, x) in s.settled_by.iter().enumerate() {
                months.push(t as f64 + 1.0);
                p.push(x.p);
                lo.push((x.p - 1.96 * x.se).max(0.0));
                hi.push((x.p + 1.96 * x.se).min(1.0));
            }
            let curve: Vec<PlotPoint> = months
                .iter()
                .zip(&p)
                .map(|(m, v)| PlotPoint::new(*m, *v))
                .collect();
            let fighting = s.fighting.clone();
            Plot::new("plot-settlement")
                .height(h)
                .legend(legend())
                .include_y(0.0)
                .include_y(1.0)
                .include_x(0.0)
                .x_axis_label("month after the scenario date")
                .y_axis_label("share of runs settled by the month")
                .label_formatter(move |pos: &HoverPosition| {
                    let x = pointer(pos).x;
                    let m = x.round().max(0.0) as usize;
                    let settled = if m == 0 { 0.0 } else { p.get(m).copied()? };
                    let left = if m == 0 {
                        None
                    } else {
                        fighting.get(m - 1).copied()
                    };
                    Some(format!(
                        "month {m}: {:.1}% settled{}",
                        settled * 100.0,
                        left.map_or(String::new(), |f| format!(
                            "\n{} runs still fighting",
                            crate::text::group_thousands(f as f64)
                        ))
                    ))
                })
                .show(ui, |pui| {
                    pui.add(
                        FilledArea::new("95% band (Monte Carlo)", &months, &lo, &hi)
                            .fill_color(pal.band_outer),
                    );
                    pui.line(
                        Line::new("settled by month", PlotPoints::Owned(curve))
                            .color(pal.deal)
                            .width(pal.line_width),
                    );
                    if let Some(b) = &base {
                        let pts: Vec<PlotPoint> = std::iter::once(PlotPoint::new(0.0, 0.0))
                            .chain(
                                b.settled_by
                                    .iter()
                                    .enumerate()
                                    .map(|(t, x)| PlotPoint::new(t as f64 + 1.0, x.p)),
                            )
                            .collect();
                        pui.line(
                            Line::new("baseline", PlotPoints::Owned(pts))
                                .color(pal.baseline)
                                .style(LineStyle::dashed_dense())
                                .width(pal.line_width * 0.8),
                        );
                    }
                    if let Some(t) = &talks {
                        let m = f64::from(t.through_month);
                        let label = match t.settled_in_month {
                            None => {
                                format!("observed: no settlement through month {}", t.through_month)
                            }
                            Some(k) => format!("observed: settled in month {k}"),
                        };
                        pui.vline(
                            VLine::new(label.clone(), m)
                                .color(pal.observed)
                                .style(LineStyle::dashed_loose())
                                .width(pal.line_width),
                        );
                    }
                });
        },
    );
}

/// Among the runs still fighting after each month's table, the share kept going by each
/// reason, stacked.
pub(super) fn why_ui(state: &mut AppState, ui: &mut Ui) {
    let title = "Why the war goes on";
    cell_ui(
        state,
        ui,
        PlotId::Why,
        title,
        |_, _| {},
        |state, ui, h| {
            let Some(s) = settlement(state).cloned() else {
                return;
            };
            let pal = Palette::of(ui, state.settings.presentation);
            let names = side_names(state);
            let colors = [pal.sides[0], pal.sides[1], pal.durability, pal.optimism];
            // Stack in MONTHLY order: each reason's band from the sum of those before it.
            let months: Vec<f64> = (1..=s.why.len()).map(|t| t as f64).collect();
            let mut lower = vec![0.0; months.len()];
            let mut layers = Vec::new();
            for c in Constraint::MONTHLY {
                let upper: Vec<f64> = s
                    .why
                    .iter()
                    .zip(&lower)
                    .map(|(w, l)| l + w[c as usize].unwrap_or(0.0))
                    .collect();
                layers.push((c, lower.clone(), upper.clone()));
                lower = upper;
            }
            let why = s.why.clone();
            let fighting = s.fighting.clone();
            let hover_names = names.clone();
            Plot::new("plot-why")
                .height(h)
                .legend(legend().position(egui_plot::Corner::RightBottom))
                .include_y(0.0)
                .include_y(1.0)
                .include_x(0.5)
                .x_axis_label("month")
                .y_axis_label("share of the runs still fighting")
                .label_formatter(move |pos: &HoverPosition| {
                    let x = pointer(pos).x;
                    let m = x.round().max(1.0) as usize;
                    let w = why.get(m - 1)?;
                    let mut text = format!(
                        "month {m}: {} runs still fighting",
                        crate::text::group_thousands(
                            fighting.get(m - 1).copied().unwrap_or(0) as f64
                        )
                    );
                    for c in Constraint::MONTHLY {
                        if let Some(v) = w[c as usize] {
                            text.push_str(&format!(
                                "\n{}: {:.0}%",
                                reason_label(c, &hover_names[0], &hover_names[1]),
                                v * 100.0
                            ));
                        }
                    }
                    Some(text)
                })
                .show(ui, |pui| {
                    for (c, lo, hi) in &layers {
                        let k = *c as usize;
                        pui.add(
                            FilledArea::new(
                                reason_label(*c, &names[0], &names[1]),
                                &months,
                                lo,
                                hi,
                            )
                            .fill_color(colors[k].gamma_multiply(0.75)),
                        );
                    }
                });
        },
    );
}

/// The share of runs settling on each package, and no settlement, with the baseline; the
/// line at settlement in the caption.
pub(super) fn terms_ui(state: &mut AppState, ui: &mut Ui) {
    let title = "Terms at settlement";
    cell_ui(
        state,
        ui,
        PlotId::Terms,
        title,
        |_, _| {},
        |state, ui, h| {
            let Some(r) = state.result.clone() else {
                return;
            };
            let Some(s) = r.summary.settlement.as_ref() else {
                return;
            };
            let pal = Palette::of(ui, state.settings.presentation);
            let sc = state.doc.last_valid.scenario();
            let horizon = s.horizon_months;
            let mut labels: Vec<String> = vec![format!("No settlement within {horizon} months")];
            labels.extend(sc.bargaining.packages.iter().map(|p| p.name.clone()));
            let mut probs: Vec<(f64, f64)> = vec![(1.0 - s.settled.p, s.settled.se)];
            probs.extend(r.summary.p_package.iter().map(|p| (p.p, p.se)));
            let base: Option<Vec<f64>> = state.baseline.as_ref().and_then(|b| {
                let bs = &b.result.summary;
                bs.settlement.as_ref().map(|st| {
                    let mut v = vec![1.0 - st.settled.p];
                    v.extend(bs.p_package.iter().map(|p| p.p));
                    v
                })
            });
            let n = labels.len();
            let y_of = move |row: usize| (n - 1 - row) as f64;
            let has_base = base.is_some();
            let bar_w = if has_base { 0.38 } else { 0.7 };
            let shift = if has_base { 0.2 } else { 0.0 };
            let bars: Vec<Bar> = probs
                .iter()
                .enumerate()
                .map(|(row, (p, se))| {
                    Bar::new(y_of(row) + shift, *p)
                        .width(bar_w)
                        .name(format!(
                            "{}\n{:.1}% ± {:.1}% of runs",
                            labels[row],
                            p * 100.0,
                            se * 100.0
                        ))
                        .fill(if row == 0 { pal.no_deal } else { pal.deal })
                })
                .collect();
            let text_color = ui.visuals().text_color();
            let texts: Vec<(f64, f64, String)> = probs
                .iter()
                .enumerate()
                .map(|(row, (p, _))| (y_of(row), *p, format!("{}  {:.1}%", labels[row], p * 100.0)))
                .collect();
            let b_name = side_names(state)[1].clone();
            let line = &s.held_at_settlement;
            let caption = if s.n_settled > 0 {
                format!(
                    "Line at settlement: {} holds {} km² (median; 90% of settled runs {} to {})",
                    b_name,
                    crate::text::group_thousands(line.quantiles[2]),
                    crate::text::group_thousands(line.quantiles[0]),
                    crate::text::group_thousands(line.quantiles[4])
                )
            } else {
                "No run settles within the horizon.".to_string()
            };
            let plot_h = (h - 2.0 * egui::TextStyle::Body.resolve(ui.style()).size).max(60.0);
            rows_plot("plot-terms", plot_h, "share of runs", n).show(ui, |pui| {
                row_labels(pui, &texts, text_color);
                pui.bar_chart(horizontal_bars("this run", bars));
                if let Some(b) = &base {
                    let name = |row: usize, p: f64| {
                        format!("baseline: {}\n{:.1}% of runs", labels[row], p * 100.0)
                    };
                    pui.bar_chart(baseline_bars(b, y_of, bar_w, name, &pal));
                }
            });
            ui.label(caption);
        },
    );
}

/// Side a's leverage at each month's table: median and 50% and 90% bands, with the
/// baseline's median.
pub(super) fn leverage_months_ui(state: &mut AppState, ui: &mut Ui) {
    let names = side_names(state);
    let title = format!("Leverage of {} by month", names[0]);
    cell_ui(
        state,
        ui,
        PlotId::LeverageMonths,
        &title,
        |_, _| {},
        |state, ui, h| {
            let Some(s) = settlement(state).cloned() else {
                return;
            };
            let base = baseline_settlement(state).cloned();
            let pal = Palette::of(ui, state.settings.presentation);
            let rows: Vec<(f64, [f64; 5])> = s
                .leverage_a_by_month
                .iter()
                .enumerate()
                .filter_map(|(t, q)| q.map(|q| (t as f64 + 1.0, q)))
                .collect();
            let months: Vec<f64> = rows.iter().map(|(m, _)| *m).collect();
            let col = |k: usize| -> Vec<f64> { rows.iter().map(|(_, q)| q[k]).collect() };
            let (q0, q1, q2, q3, q4) = (col(0), col(1), col(2), col(3), col(4));
            let median: Vec<PlotPoint> = months
                .iter()
                .zip(&q2)
                .map(|(m, v)| PlotPoint::new(*m, *v))
                .collect();
            Plot::new("plot-leverage-months")
                .height(h)
                .legend(legend())
                .include_y(0.0)
                .include_y(1.0)
                .x_axis_label("month")
                .y_axis_label(format!("share of the issue {} commands", names[0]))
                .label_formatter(|pos: &HoverPosition| match pos {
                    HoverPosition::NearDataPoint {
                        plot_name,
                        position,
                        ..
                    } => Some(format!(
                        "{plot_name}\nmonth {:.0}: {:.3}",
                        position.x, position.y
                    )),
                    HoverPosition::Elsewhere { position } => {
                        Some(format!("month {:.0}", position.x.round()))
                    }
                })
                .show(ui, |pui| {
                    pui.add(
                        FilledArea::new("90% of runs at the table", &months, &q0, &q4).fill_color(
                            pal.sides[0].gamma_multiply(if state.settings.presentation {
                                0.3
                            } else {
                                0.18
                            }),
                        ),
                    );
                    pui.add(
                        FilledArea::new("50% of runs at the table", &months, &q1, &q3).fill_color(
                            pal.sides[0].gamma_multiply(if state.settings.presentation {
                                0.5
                            } else {
                                0.35
                            }),
                        ),
                    );
                    pui.line(
                        Line::new("median", PlotPoints::Owned(median))
                            .color(pal.sides[0])
                            .width(pal.line_width),
                    );
                    if let Some(b) = &base {
                        let pts: Vec<PlotPoint> = b
                            .leverage_a_by_month
                            .iter()
                            .enumerate()
                            .filter_map(|(t, q)| q.map(|q| PlotPoint::new(t as f64 + 1.0, q[2])))
                            .collect();
                        pui.line(
                            Line::new("baseline median", PlotPoints::Owned(pts))
                                .color(pal.baseline)
                                .style(LineStyle::dashed_dense())
                                .width(pal.line_width * 0.8),
                        );
                    }
                });
        },
    );
}
