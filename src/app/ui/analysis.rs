//! The analysis panel: choose an analysis, its output and inputs, run it in the background
//! with progress and cancel, and read its figure (tornado, Sobol indices, leverage curve,
//! heatmap, why no deal), drawn from the figure layer like every plot and exportable alike.

use egui::{RichText, Ui};

use super::figure_view::figure_ui;
use crate::analysis::Output;
use crate::analysis::sobol::{NEGATIVE_EXPLAINED, S1_EXPLAINED, ST_EXPLAINED};
use crate::app::actions::Action;
use crate::app::analysis::{AnalysisKind, AnalysisResult, AxisChoice, axis_for};
use crate::app::state::AppState;
use crate::scenario::{Scenario, scenario_hash};
use crate::text::clip;

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
    chart_ui(state, ui, kind, &result);
}

/// The analysis's figure, with its title row and export button; a heatmap cell clicked sets
/// the scenario to its values.
fn chart_ui(state: &mut AppState, ui: &mut Ui, kind: AnalysisKind, result: &AnalysisResult) {
    let plot = kind.plot();
    let Some(fig) = state.figure(plot) else {
        return;
    };
    if let AnalysisResult::Tornado(t) = result
        && t.correlated_inputs
    {
        ui.label(RichText::new("Inputs are correlated: holding one fixed drops its correlations, so its bar leaves out its effect through correlated inputs.").color(ui.visuals().warn_fg_color));
    }
    if let AnalysisResult::Sobol(_) = result {
        ui.label(RichText::new(S1_EXPLAINED).small());
        ui.label(RichText::new(ST_EXPLAINED).small());
        ui.label(RichText::new(NEGATIVE_EXPLAINED).small().weak());
    }
    super::plots::header_ui(state, ui, plot, &fig.title);
    let theme = super::plots::screen_theme(state, ui);
    // Room for every row of a bar chart, else the panel's height.
    let rows = fig.y.categories.len() as f32;
    let min_h = if rows > 0.0 {
        90.0 + rows * 30.0
    } else {
        320.0
    };
    let h = ui.available_height().max(min_h);
    let size = egui::vec2(ui.available_width(), h);
    let r = figure_ui(ui, plot.name(), &fig, theme, size);
    if let (AnalysisResult::Heatmap(h), Some([x, y])) = (result, r.clicked) {
        let nearest = |values: Vec<f64>, v: f64| {
            values
                .into_iter()
                .min_by(|a, b| (a - v).abs().total_cmp(&(b - v).abs()))
        };
        if let (Some(cx), Some(cy)) = (nearest(h.x.values(), x), nearest(h.y.values(), y)) {
            state.push(Action::ApplyValues(vec![
                (h.x.path.clone(), cx),
                (h.y.path.clone(), cy),
            ]));
        }
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
