//! Which deal, if any: P(no deal) and P(each package), then what blocked the no-deal trials,
//! with the baseline's bars beside them.

use egui::Ui;
use egui_plot::Bar;

use super::{baseline_bars, cell_ui, horizontal_bars, row_labels, rows_plot, side_names};
use crate::app::actions::PlotId;
use crate::app::state::AppState;
use crate::app::theme::Palette;
use crate::model::Constraint;

pub(super) fn deal_ui(state: &mut AppState, ui: &mut Ui) {
    let title = "Which deal, if any";
    cell_ui(
        state,
        ui,
        PlotId::Deal,
        title,
        |_, _| {},
        |state, ui, h| {
            let Some(r) = state.result.clone() else {
                return;
            };
            let pal = Palette::of(ui, state.settings.presentation);
            let sc = state.doc.last_valid.scenario();
            let names = side_names(state);
            let s = &r.summary;
            // Rows from the top: no deal, each package, a gap, then what blocked the no-deal trials.
            let mut labels: Vec<String> = vec!["No deal".into()];
            labels.extend(sc.bargaining.packages.iter().map(|p| p.name.clone()));
            let n_main = labels.len();
            labels.push(String::new());
            labels.push(format!("blocked: {} prefers war", names[0]));
            labels.push(format!("blocked: {} prefers war", names[1]));
            labels.push("blocked: not durable".into());
            let n = labels.len();
            let y_of = move |row: usize| (n - 1 - row) as f64;
            let mut probs: Vec<(f64, f64)> = vec![(1.0 - s.p_deal.p, s.p_deal.se)];
            probs.extend(s.p_package.iter().map(|p| (p.p, p.se)));
            let blocked: Vec<(f64, f64)> = Constraint::ALL
                .iter()
                .map(|c| {
                    let p = s.blocked_given_no_deal[*c as usize];
                    (p.p, p.se)
                })
                .collect();
            let base = state.baseline.as_ref().map(|b| {
                let bs = &b.result.summary;
                let mut v = vec![1.0 - bs.p_deal.p];
                v.extend(bs.p_package.iter().map(|p| p.p));
                v
            });
            let has_base = base.is_some();
            let bar_w = if has_base { 0.38 } else { 0.7 };
            let shift = if has_base { 0.2 } else { 0.0 };
            let bars: Vec<Bar> = probs
                .iter()
                .enumerate()
                .map(|(row, (p, se))| {
                    Bar::new(y_of(row) + shift, *p)
                        .width(bar_w)
                        .name(format!("{}\nP = {:.3} ± {:.3}", labels[row], p, se))
                        .fill(if row == 0 { pal.no_deal } else { pal.deal })
                })
                .collect();
            let blocked_bars: Vec<Bar> = blocked
                .iter()
                .enumerate()
                .map(|(k, (p, se))| {
                    let row = n_main + 1 + k;
                    Bar::new(y_of(row), *p)
                        .width(0.7)
                        .name(format!(
                            "{}\n{:.3} ± {:.3} of the no-deal trials",
                            labels[row], p, se
                        ))
                        .fill(pal.no_deal.gamma_multiply(0.7))
                })
                .collect();
            // Row labels are drawn inside the plot, next to each bar, so they stay readable at any
            // text size (axis labels would be dropped when rows are dense).
            let text_color = ui.visuals().text_color();
            let mut row_texts: Vec<(f64, f64, String)> = probs
                .iter()
                .enumerate()
                .map(|(row, (p, _))| (y_of(row), *p, format!("{}  {:.3}", labels[row], p)))
                .collect();
            row_texts.extend(blocked.iter().enumerate().map(|(k, (p, _))| {
                (
                    y_of(n_main + 1 + k),
                    *p,
                    format!("{}  {:.3}", labels[n_main + 1 + k], p),
                )
            }));
            let x_label = "probability (blocked: share of no-deal trials)";
            rows_plot("plot-deal", h, x_label, n).show(ui, |pui| {
                row_labels(pui, &row_texts, text_color);
                pui.bar_chart(horizontal_bars("this run", bars));
                pui.bar_chart(horizontal_bars("what blocked a deal", blocked_bars));
                if let Some(b) = &base {
                    let name =
                        |row: usize, p: f64| format!("baseline: {}\nP = {p:.3}", labels[row]);
                    pui.bar_chart(baseline_bars(b, y_of, bar_w, name, &pal));
                }
            });
        },
    );
}
