//! The analysis panel: choose an analysis, its output and inputs, run it in the background
//! with progress and cancel, and read its chart (tornado, Sobol indices, leverage curve,
//! heatmap) or its list of conditions (why no deal).

use egui::{Color32, RichText, Ui};
use egui_plot::{
    Bar, BarChart, FilledArea, HoverPosition, Legend, Line, Plot, PlotPoint, PlotPoints, Polygon,
    Text, VLine,
};

use crate::analysis::sobol::{NEGATIVE_EXPLAINED, S1_EXPLAINED, ST_EXPLAINED};
use crate::analysis::{Output, Statistic};
use crate::app::actions::Action;
use crate::app::analysis::{AnalysisKind, AnalysisResult, AxisChoice, axis_for};
use crate::app::state::AppState;
use crate::app::theme::Palette;
use crate::scenario::{Scenario, scenario_hash};
use crate::text::{clip, fmt_readable};

/// How many bars the tornado and Sobol charts show.
const TOP: usize = 12;

/// Draws the panel.
pub fn analysis_ui(state: &mut AppState, ui: &mut Ui) {
    let sc = state.doc.last_valid.scenario().clone();
    ui.horizontal_wrapped(|ui| {
        for k in AnalysisKind::ALL {
            ui.selectable_value(&mut state.analysis.kind, k, k.label());
        }
    });
    let kind = state.analysis.kind;
    ui.label(RichText::new(kind.help()).weak());
    controls_ui(state, &sc, ui);
    if let Some(e) = &state.analysis.error {
        ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
    }
    ui.separator();
    let hash = scenario_hash(&sc);
    let Some((result, current)) = state.analysis.result(kind, &hash) else {
        ui.label(
            RichText::new("Press Run to compute this analysis for the current scenario.").weak(),
        );
        return;
    };
    let result = result.clone();
    if !current {
        ui.label(
            RichText::new("Computed for an earlier version of the scenario: press Run to update.")
                .color(ui.visuals().warn_fg_color),
        );
    }
    let pal = Palette::of(ui, state.settings.presentation);
    match &result {
        AnalysisResult::Tornado(t) => tornado_ui(ui, t, &pal),
        AnalysisResult::Sobol(s) => sobol_ui(ui, s, &pal),
        AnalysisResult::Curve(c) => curve_ui(ui, c, &pal, &sc),
        AnalysisResult::Heatmap(h) => heatmap_ui(state, ui, h, &sc),
        AnalysisResult::WhyNoDeal(w) => why_ui(ui, w),
    }
}

fn input_combo(ui: &mut Ui, id: &str, label: &str, sc: &Scenario, choice: &mut AxisChoice) {
    let params = crate::analysis::params(sc);
    let name = |p: &crate::analysis::Param| {
        let l = crate::analysis::param_label(sc, p.key);
        match p.key {
            crate::analysis::ParamKey::Structural(_) => format!("{l} (setting)"),
            crate::analysis::ParamKey::Input(_) => l,
        }
    };
    let current = params
        .iter()
        .find(|p| p.path == choice.path)
        .map_or_else(|| choice.path.clone(), name);
    let whole = params
        .iter()
        .find(|p| p.path == choice.path)
        .is_some_and(|p| p.whole);
    let mut picked = None;
    let combo = egui::ComboBox::from_id_salt(id)
        .selected_text(clip(&current, 40))
        .width(260.0)
        .show_ui(ui, |ui| {
            for p in &params {
                if ui
                    .selectable_label(p.path == choice.path, name(p))
                    .clicked()
                {
                    picked = Some(p.clone());
                }
            }
        });
    super::widgets::name_widget(&combo.response, egui::accesskit::Role::ComboBox, label);
    if let Some(p) = picked {
        let steps = if p.whole {
            axis_for(&p).steps
        } else {
            choice.steps
        };
        *choice = AxisChoice {
            steps,
            ..axis_for(&p)
        };
    }
    let speed = (choice.to - choice.from).abs() / 200.0 + 1e-6;
    ui.label("from");
    super::widgets::number_field(ui, &mut choice.from, speed, &format!("{label} from"));
    ui.label("to");
    super::widgets::number_field(ui, &mut choice.to, speed, &format!("{label} to"));
    if whole {
        // Whole months: whole ends (the values between them are rounded by the sweep).
        choice.from = choice.from.round();
        choice.to = choice.to.round();
    }
    ui.label("steps");
    let mut steps = choice.steps as u32;
    super::widgets::int_field(ui, &mut steps, 2..=41, &format!("{label} steps"));
    choice.steps = steps as usize;
}

fn controls_ui(state: &mut AppState, sc: &Scenario, ui: &mut Ui) {
    let kind = state.analysis.kind;
    let a = &mut state.analysis;
    if matches!(
        kind,
        AnalysisKind::Tornado | AnalysisKind::Sobol | AnalysisKind::Heatmap
    ) {
        ui.horizontal(|ui| {
            ui.label("Output");
            let outputs = Output::all(sc);
            let current =
                Output::parse(&a.output, sc).map_or_else(|_| a.output.clone(), |o| o.label(sc));
            let combo = egui::ComboBox::from_id_salt("analysis-output")
                .selected_text(clip(&current, 48))
                .width(300.0)
                .show_ui(ui, |ui| {
                    for o in outputs {
                        let id = o.id(sc);
                        if ui.selectable_label(a.output == id, o.label(sc)).clicked() {
                            a.output = id;
                        }
                    }
                });
            super::widgets::name_widget(&combo.response, egui::accesskit::Role::ComboBox, "Output");
        });
    }
    match kind {
        AnalysisKind::Curve => {
            ui.horizontal_wrapped(|ui| {
                ui.label("Input");
                input_combo(ui, "curve-input", "Curve input", sc, &mut a.curve);
            });
        }
        AnalysisKind::Heatmap => {
            ui.horizontal_wrapped(|ui| {
                ui.label("x");
                input_combo(ui, "heat-x", "Heatmap x", sc, &mut a.heat_x);
            });
            ui.horizontal_wrapped(|ui| {
                ui.label("y");
                input_combo(ui, "heat-y", "Heatmap y", sc, &mut a.heat_y);
            });
        }
        _ => {}
    }
    let request = ui.horizontal(|ui| {
        if kind == AnalysisKind::Sobol {
            ui.label("Base samples");
            let mut n = a.sobol_samples as f64;
            if super::widgets::number_field(ui, &mut n, 16.0, "Base samples").changed() {
                a.sobol_samples = n.clamp(64.0, 65_536.0) as usize;
            }
        } else {
            ui.label("Trials per run");
            let mut t = a.trials as f64;
            if super::widgets::number_field(ui, &mut t, 100.0, "Trials per run").changed() {
                a.trials = t.clamp(100.0, 1_000_000.0) as u64;
            }
        }
        let running = a.running();
        let mut request = None;
        if let Some((k, p)) = running {
            ui.add(
                egui::ProgressBar::new(p.fraction())
                    .desired_width(160.0)
                    .text(format!("{}: {:.0}%", k.label(), p.fraction() * 100.0)),
            );
            if ui.button("Cancel").clicked() {
                request = Some(Action::CancelAnalysis);
            }
        } else if ui
            .button("Run")
            .on_hover_text("Run this analysis in the background")
            .clicked()
        {
            request = Some(Action::RunAnalysis);
        }
        request
    });
    if let Some(a) = request.inner {
        state.push(a);
    }
}

fn tornado_ui(ui: &mut Ui, t: &crate::analysis::tornado::Tornado, pal: &Palette) {
    ui.label(format!(
        "{}: {:.4} with every input drawn as usual ({} trials per run, seed {}). Each bar runs from that value to the output with the input held at its 10th or its 90th percentile.",
        t.output_label, t.base, t.trials, t.seed
    ));
    if t.correlated_inputs {
        ui.label(RichText::new("Inputs are correlated: holding one fixed drops its correlations, so its bar leaves out its effect through correlated inputs.").color(ui.visuals().warn_fg_color));
    }
    let bars: Vec<_> = t.bars.iter().take(TOP).collect();
    let n = bars.len();
    let mut low = Vec::new();
    let mut high = Vec::new();
    let mut texts = Vec::new();
    let (mut xmin, mut xmax) = (t.base, t.base);
    for (row, b) in bars.iter().enumerate() {
        let y = (n - 1 - row) as f64;
        xmin = xmin.min(b.output_low).min(b.output_high);
        xmax = xmax.max(b.output_low).max(b.output_high);
        low.push(
            Bar::new(y, b.output_low - t.base)
                .base_offset(t.base)
                .width(0.7)
                .name(format!(
                    "{}\nat its 10th percentile ({}): {:.4}",
                    b.label,
                    fmt_readable(b.low_value),
                    b.output_low
                ))
                .fill(pal.sides[0]),
        );
        high.push(
            Bar::new(y, b.output_high - t.base)
                .base_offset(t.base)
                .width(0.7)
                .name(format!(
                    "{}\nat its 90th percentile ({}): {:.4}\nswing {:+.4} ± {:.4}",
                    b.label,
                    fmt_readable(b.high_value),
                    b.output_high,
                    b.swing,
                    b.swing_se
                ))
                .fill(pal.sides[1]),
        );
        texts.push((
            y + 0.45,
            format!(
                "{} ({} .. {})",
                clip(&b.label, 44),
                fmt_readable(b.low_value),
                fmt_readable(b.high_value)
            ),
        ));
    }
    let span = (xmax - xmin).max(1e-9);
    let text_color = ui.visuals().text_color();
    Plot::new("analysis-tornado")
        .height(ui.available_height().max(200.0))
        .legend(Legend::default().position(egui_plot::Corner::RightBottom))
        .allow_scroll(false)
        .show_axes([true, false])
        .show_grid([true, false])
        .include_x(xmin - 0.05 * span)
        .include_x(xmax + 0.05 * span)
        .include_y(-0.6)
        .include_y(n as f64)
        .x_axis_label(t.output_label.clone())
        .label_formatter(|_| None)
        .show(ui, |pui| {
            pui.vline(VLine::new("", t.base).color(pal.baseline).width(1.0));
            for (y, text) in &texts {
                pui.text(
                    Text::new("", PlotPoint::new(xmin - 0.04 * span, *y), text.as_str())
                        .color(text_color)
                        .anchor(egui::Align2::LEFT_BOTTOM),
                );
            }
            pui.bar_chart(
                BarChart::new("input at its 10th percentile", low)
                    .color(pal.sides[0])
                    .horizontal()
                    .element_formatter(Box::new(|b, _| b.name.clone())),
            );
            pui.bar_chart(
                BarChart::new("input at its 90th percentile", high)
                    .color(pal.sides[1])
                    .horizontal()
                    .element_formatter(Box::new(|b, _| b.name.clone())),
            );
        });
    if t.bars.len() > TOP {
        ui.label(
            RichText::new(format!(
                "{} more inputs with smaller swings are not shown.",
                t.bars.len() - TOP
            ))
            .weak(),
        );
    }
}

fn sobol_ui(ui: &mut Ui, s: &crate::analysis::sobol::ScenarioSobol, pal: &Palette) {
    ui.label(format!(
        "{}: {} base samples, {}% bootstrap intervals.",
        s.output_label,
        s.options.samples,
        (s.options.confidence * 100.0).round()
    ));
    ui.label(RichText::new(S1_EXPLAINED).small());
    ui.label(RichText::new(ST_EXPLAINED).small());
    ui.label(RichText::new(NEGATIVE_EXPLAINED).small().weak());
    if s.correlated_inputs {
        ui.label(RichText::new("The scenario declares correlated inputs; these indices treat inputs as independent.").color(ui.visuals().warn_fg_color));
    }
    let order = s.ranked();
    let shown: Vec<usize> = order.into_iter().take(TOP).collect();
    let n = shown.len();
    let mut s1 = Vec::new();
    let mut st = Vec::new();
    let mut whiskers = Vec::new();
    let mut texts = Vec::new();
    for (row, &f) in shown.iter().enumerate() {
        let y = (n - 1 - row) as f64;
        let idx = &s.estimate.indices[f];
        let label = &s.factors[f].label;
        s1.push(
            Bar::new(y + 0.17, idx.s1)
                .width(0.32)
                .fill(pal.sides[0])
                .name(format!(
                    "{label}\nS1 {:.3} [{:.3}, {:.3}]",
                    idx.s1, idx.s1_low, idx.s1_high
                )),
        );
        st.push(
            Bar::new(y - 0.17, idx.st)
                .width(0.32)
                .fill(pal.sides[1])
                .name(format!(
                    "{label}\nST {:.3} [{:.3}, {:.3}]",
                    idx.st, idx.st_low, idx.st_high
                )),
        );
        whiskers.push(vec![[idx.s1_low, y + 0.17], [idx.s1_high, y + 0.17]]);
        whiskers.push(vec![[idx.st_low, y - 0.17], [idx.st_high, y - 0.17]]);
        texts.push((y + 0.42, clip(label, 50)));
    }
    let text_color = ui.visuals().text_color();
    let line_color = ui.visuals().strong_text_color();
    Plot::new("analysis-sobol")
        .height(ui.available_height().max(200.0))
        .allow_scroll(false)
        .show_axes([true, false])
        .show_grid([true, false])
        .include_x(0.0)
        .include_x(1.0)
        .include_y(-0.6)
        .include_y(n as f64)
        .legend(Legend::default().position(egui_plot::Corner::RightBottom))
        .x_axis_label("share of the output's variance")
        .label_formatter(|_| None)
        .show(ui, |pui| {
            for (y, text) in &texts {
                pui.text(
                    Text::new("", PlotPoint::new(0.0, *y), text.as_str())
                        .color(text_color)
                        .anchor(egui::Align2::LEFT_BOTTOM),
                );
            }
            pui.bar_chart(
                BarChart::new("S1 (alone)", s1)
                    .color(pal.sides[0])
                    .horizontal()
                    .element_formatter(Box::new(|b, _| b.name.clone())),
            );
            pui.bar_chart(
                BarChart::new("ST (with interactions)", st)
                    .color(pal.sides[1])
                    .horizontal()
                    .element_formatter(Box::new(|b, _| b.name.clone())),
            );
            for w in &whiskers {
                pui.line(
                    Line::new("", PlotPoints::new(w.clone()))
                        .color(line_color)
                        .width(1.5),
                );
            }
        });
}

fn curve_ui(ui: &mut Ui, c: &crate::analysis::sweep::LeverageCurve, pal: &Palette, sc: &Scenario) {
    let xs: Vec<f64> = c.points.iter().map(|p| p.x).collect();
    let lo: Vec<f64> = c.points.iter().map(|p| p.leverage_a.quantiles[0]).collect();
    let hi: Vec<f64> = c.points.iter().map(|p| p.leverage_a.quantiles[4]).collect();
    let mean: Vec<[f64; 2]> = c.points.iter().map(|p| [p.x, p.leverage_a.mean]).collect();
    let deal: Vec<[f64; 2]> = c.points.iter().map(|p| [p.x, p.p_deal.p]).collect();
    let a = sc.sides.a.name.clone();
    Plot::new("analysis-curve")
        .height(ui.available_height().max(200.0))
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        .include_y(0.0)
        .include_y(1.0)
        .x_axis_label(c.label.clone())
        .y_axis_label("share of the issue / probability")
        .label_formatter(|pos: &HoverPosition| match pos {
            HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } => Some(format!(
                "{plot_name}\nx = {}\n{:.3}",
                fmt_readable(position.x),
                position.y
            )),
            HoverPosition::Elsewhere { position } => {
                Some(format!("x = {}", fmt_readable(position.x)))
            }
        })
        .show(ui, |pui| {
            pui.add(
                FilledArea::new(format!("{a}: 90% of trials"), &xs, &lo, &hi)
                    .fill_color(pal.sides[0].gamma_multiply(0.2)),
            );
            pui.line(
                Line::new(format!("mean leverage of {a}"), PlotPoints::new(mean))
                    .color(pal.sides[0])
                    .width(pal.line_width),
            );
            pui.line(
                Line::new("P(deal)", PlotPoints::new(deal))
                    .color(pal.deal)
                    .width(pal.line_width),
            );
            pui.vline(
                VLine::new("current value", c.current)
                    .color(pal.baseline)
                    .style(egui_plot::LineStyle::dashed_loose()),
            );
        });
}

/// Colour of a value in 0..1 on a light-to-dark blue scale.
fn heat_color(t: f64) -> Color32 {
    let t = t.clamp(0.0, 1.0) as f32;
    let lerp = |a: f32, b: f32| (a + (b - a) * t).round() as u8;
    Color32::from_rgb(lerp(240.0, 20.0), lerp(245.0, 60.0), lerp(255.0, 140.0))
}

fn heatmap_ui(
    state: &mut AppState,
    ui: &mut Ui,
    h: &crate::analysis::sweep::Heatmap,
    sc: &Scenario,
) {
    let output = Output::parse(&state.analysis.output, sc).unwrap_or(Output::PDeal);
    let stat = if output.is_probability() {
        Statistic::P
    } else {
        Statistic::Mean
    };
    let grid = h.grid(output, stat);
    let (mut vmin, mut vmax) = (f64::INFINITY, f64::NEG_INFINITY);
    for row in &grid {
        for v in row.iter().filter(|v| v.is_finite()) {
            vmin = vmin.min(*v);
            vmax = vmax.max(*v);
        }
    }
    let span = if vmax > vmin { vmax - vmin } else { 1.0 };
    let x_values = h.x.values();
    let y_values = h.y.values();
    let dx = if x_values.len() > 1 {
        x_values[1] - x_values[0]
    } else {
        1.0
    };
    let dy = if y_values.len() > 1 {
        y_values[1] - y_values[0]
    } else {
        1.0
    };
    ui.label(format!(
        "{} ({}) over {} and {}: from {:.3} (light) to {:.3} (dark). Click a cell to set the scenario to its values.",
        output.label(sc),
        stat.id(),
        h.x_label,
        h.y_label,
        vmin,
        vmax
    ));
    let cell_of = |p: PlotPoint| -> Option<(usize, usize)> {
        let ix = ((p.x - x_values.first()?) / dx + 0.5).floor();
        let iy = ((p.y - y_values.first()?) / dy + 0.5).floor();
        (ix >= 0.0 && iy >= 0.0 && (ix as usize) < x_values.len() && (iy as usize) < y_values.len())
            .then_some((ix as usize, iy as usize))
    };
    let hover_text = {
        let grid = grid.clone();
        let xv = x_values.clone();
        let yv = y_values.clone();
        let xl = h.x_label.clone();
        let yl = h.y_label.clone();
        let ol = output.label(sc);
        move |p: &PlotPoint| -> Option<String> {
            let ix = ((p.x - xv.first()?) / dx + 0.5).floor();
            let iy = ((p.y - yv.first()?) / dy + 0.5).floor();
            if ix < 0.0 || iy < 0.0 {
                return None;
            }
            let (ix, iy) = (ix as usize, iy as usize);
            let v = grid.get(iy)?.get(ix)?;
            Some(format!(
                "{xl} = {}\n{yl} = {}\n{ol}: {v:.4}",
                fmt_readable(*xv.get(ix)?),
                fmt_readable(*yv.get(iy)?)
            ))
        }
    };
    let mut clicked: Option<(usize, usize)> = None;
    let resp = Plot::new("analysis-heatmap")
        .height(ui.available_height().max(200.0))
        .allow_scroll(false)
        .x_axis_label(h.x_label.clone())
        .y_axis_label(h.y_label.clone())
        .label_formatter(move |pos: &HoverPosition| {
            let p = match pos {
                HoverPosition::NearDataPoint { position, .. } => position,
                HoverPosition::Elsewhere { position } => position,
            };
            hover_text(p)
        })
        .show(ui, |pui| {
            for (iy, row) in grid.iter().enumerate() {
                for (ix, v) in row.iter().enumerate() {
                    let (x, y) = (x_values[ix], y_values[iy]);
                    let color = if v.is_finite() {
                        heat_color((v - vmin) / span)
                    } else {
                        Color32::GRAY
                    };
                    let corners = vec![
                        [x - dx / 2.0, y - dy / 2.0],
                        [x + dx / 2.0, y - dy / 2.0],
                        [x + dx / 2.0, y + dy / 2.0],
                        [x - dx / 2.0, y + dy / 2.0],
                    ];
                    pui.polygon(
                        Polygon::new("", PlotPoints::new(corners))
                            .fill_color(color)
                            .stroke(egui::Stroke::new(0.5, Color32::WHITE))
                            .allow_hover(false),
                    );
                }
            }
            if pui.response().clicked()
                && let Some(p) = pui.pointer_coordinate()
            {
                clicked = cell_of(p);
            }
        });
    let _ = resp;
    if let Some((ix, iy)) = clicked {
        state.push(Action::ApplyValues(vec![
            (h.x.path.clone(), x_values[ix]),
            (h.y.path.clone(), y_values[iy]),
        ]));
    }
}

fn why_ui(ui: &mut Ui, w: &crate::analysis::prim::WhyNoDeal) {
    let b = w.result.selected_box();
    ui.label(format!(
        "{:.1}% of {} trials end without a deal. The box below holds {:.0}% of them (coverage); {:.0}% of the trials in it end without a deal (density), against {:.1}% overall.",
        w.no_deal_share() * 100.0,
        w.trials,
        b.coverage * 100.0,
        b.density * 100.0,
        w.no_deal_share() * 100.0
    ));
    if w.conditions.is_empty() {
        ui.label(RichText::new("No range of the inputs concentrates the no-deal trials more than the whole sample does.").weak());
    } else {
        ui.label(RichText::new("No deal is most likely when:").strong());
        for c in &w.conditions {
            ui.label(format!("  • {c}"));
        }
    }
    ui.add_space(6.0);
    ui.label(RichText::new("Peeling trajectory: each step trims the box; the reported box is the densest with at least half the coverage.").weak().small());
    let pts: Vec<[f64; 2]> = w
        .result
        .trajectory
        .iter()
        .map(|b| [b.coverage, b.density])
        .collect();
    let sel = [b.coverage, b.density];
    Plot::new("analysis-prim")
        .height(ui.available_height().max(140.0))
        .include_x(0.0)
        .include_x(1.0)
        .include_y(0.0)
        .include_y(1.0)
        .x_axis_label("coverage")
        .y_axis_label("density")
        .show(ui, |pui| {
            pui.line(Line::new("trajectory", PlotPoints::new(pts)).width(1.5));
            pui.points(
                egui_plot::Points::new("reported box", PlotPoints::new(vec![sel])).radius(6.0),
            );
        });
}
