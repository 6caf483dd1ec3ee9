//! Lesson mode: one step at a time in a panel beside one large view. The panel shows the
//! step's text, the inputs it set, the prediction question (one answer, a show of hands, a
//! number or a range), Reveal, then the result next to the prediction with its score, the
//! theory next to the simulation, and "what happened and why"; Back and Next (also the arrow
//! and page keys a clicker sends) move through the steps. The view beside it stays hidden
//! until the result is revealed.

use egui::{RichText, Ui};

use super::plots::PlotCache;
use crate::analysis::output::Output;
use crate::app::actions::{Action, LessonAction, PlotKind};
use crate::app::lesson::{Answer, LessonRun};
use crate::app::state::AppState;
use crate::classroom::{self, Unit};
use crate::scenario::{LessonView, Question, Scenario};

/// The banner that offers an open file's lesson.
pub fn offer_ui(state: &mut AppState, ui: &mut Ui) {
    let Some(lesson) = state.doc.scenario.lesson.as_ref() else {
        return;
    };
    let text = format!(
        "This file has a lesson: \"{}\" ({} steps).",
        lesson.title,
        lesson.steps.len()
    );
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(text).strong());
            if ui.button("Start the lesson").clicked() {
                state.push(Action::Lesson(LessonAction::Start));
            }
            if ui.button("Not now").clicked() {
                state.push(Action::Lesson(LessonAction::DismissOffer));
            }
        });
    });
    ui.add_space(2.0);
}

/// The lesson panel.
pub fn lesson_panel_ui(state: &mut AppState, ui: &mut Ui) {
    let Some(run) = state.lesson.as_ref() else {
        return;
    };
    let title = run.lesson.title.clone();
    let n = run.lesson.steps.len();
    let at = run.at;
    let tally = run.tally();
    ui.add_space(4.0);
    ui.heading(RichText::new(title).strong());
    ui.horizontal_wrapped(|ui| {
        let where_ = if at == 0 {
            "Introduction".to_string()
        } else {
            format!("Step {at} of {n}")
        };
        ui.label(RichText::new(where_).strong());
        if tally.scored > 0 || tally.hands > 0 {
            ui.label(RichText::new(format!("· {}", tally.text())).weak());
        }
    });
    ui.separator();
    nav_ui(state, ui);
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("lesson-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if at == 0 {
                let intro = state
                    .lesson
                    .as_ref()
                    .map(|r| r.lesson.introduction.clone())
                    .unwrap_or_default();
                super::help::markdown_ui(state, ui, &intro);
                ui.add_space(8.0);
                ui.label(
                    RichText::new(
                        "Next (the right arrow, Page Down or a clicker) starts the first step.",
                    )
                    .weak(),
                );
            } else {
                step_ui(state, ui);
            }
        });
}

/// Back, Next, show of hands, leave.
fn nav_ui(state: &mut AppState, ui: &mut Ui) {
    let Some(run) = state.lesson.as_mut() else {
        return;
    };
    let (first, last) = (run.at == 0, run.is_last());
    let size = egui::TextStyle::Button.resolve(ui.style()).size * 1.2;
    let mut action = None;
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(
                !first,
                egui::Button::new(RichText::new("◀ Back").size(size)),
            )
            .on_hover_text("The step before (← or Page Up); its changes are undone")
            .clicked()
        {
            action = Some(LessonAction::Back);
        }
        if ui
            .add_enabled(!last, egui::Button::new(RichText::new("Next ▶").size(size)))
            .on_hover_text("The next step (→ or Page Down); its changes are applied")
            .clicked()
        {
            action = Some(LessonAction::Next);
        }
        ui.checkbox(&mut run.show_of_hands, "Show of hands")
            .on_hover_text("Type how many in the room chose each answer");
        if ui.button("Leave the lesson").clicked() {
            action = Some(LessonAction::Exit);
        }
    });
    if let Some(a) = action {
        state.push(Action::Lesson(a));
    }
}

fn step_ui(state: &mut AppState, ui: &mut Ui) {
    let sc = state.doc.scenario.clone();
    let Some(run) = state.lesson.as_ref() else {
        return;
    };
    let Some(step) = run.step().cloned() else {
        return;
    };
    let output = run.output(&sc);
    let hidden = run.hidden();
    if !step.title.is_empty() {
        ui.label(RichText::new(&step.title).heading().strong());
    }
    super::help::markdown_ui(state, ui, &step.text);
    if !step.changes.is_empty() {
        ui.add_space(4.0);
        ui.label(RichText::new("This step sets:").weak());
        for c in &step.changes {
            ui.label(RichText::new(format!("  {}", change_text(&sc, c))).weak());
        }
    }
    ui.add_space(6.0);
    if let Some(q) = &step.question {
        question_ui(state, ui, q, output.map(Unit::of), hidden);
    }
    let current = state.result_is_current();
    if hidden {
        ui.add_space(4.0);
        let size = egui::TextStyle::Button.resolve(ui.style()).size * 1.3;
        let label = if current { "Reveal" } else { "Simulating..." };
        let r = ui
            .add_enabled(
                current,
                egui::Button::new(RichText::new(label).size(size).strong()),
            )
            .on_hover_text("Show the result and score the prediction");
        if r.clicked() {
            state.push(Action::Lesson(LessonAction::Reveal));
        }
        return;
    }
    // Revealed, or nothing to predict: the result, the score, theory, explanation.
    if let Some(o) = output {
        result_ui(state, ui, o, &sc, current);
    }
    if let Some(t) = &step.theory {
        theory_ui(state, ui, t, output);
    }
    if !step.explanation.is_empty() {
        ui.add_space(6.0);
        ui.label(RichText::new("What happened and why").strong());
        super::help::markdown_ui(state, ui, &step.explanation);
    }
}

/// "Borsk: patience = 0.6" from `sides.b.patience = 0.6`.
fn change_text(sc: &Scenario, change: &str) -> String {
    let Ok(s) = crate::scenario::lesson::parse_change(change) else {
        return change.to_string();
    };
    match sc.inputs().into_iter().find(|i| i.path == s.path) {
        Some(info) => format!(
            "{} = {} {}",
            crate::analysis::input_label(sc, info.key),
            crate::text::fmt_readable(s.value),
            info.spec.unit
        ),
        None => change.to_string(),
    }
}

fn question_ui(state: &mut AppState, ui: &mut Ui, q: &Question, unit: Option<Unit>, open: bool) {
    let size = egui::TextStyle::Body.resolve(ui.style()).size * 1.15;
    ui.label(
        RichText::new(format!("Predict: {}", q.prompt()))
            .size(size)
            .strong(),
    );
    let Some(run) = state.lesson.as_mut() else {
        return;
    };
    let hands = run.show_of_hands;
    let Some(a) = run.answer_mut() else { return };
    let unit = unit.unwrap_or(Unit::Percent);
    ui.add_enabled_ui(open, |ui| match q {
        Question::Choice { choices, .. } => {
            if a.hands.len() != choices.len() {
                a.hands.resize(choices.len(), 0);
            }
            for (i, c) in choices.iter().enumerate() {
                if hands {
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::DragValue::new(&mut a.hands[i])
                                .range(0..=10_000)
                                .suffix(" hands"),
                        );
                        ui.label(c);
                    });
                } else {
                    ui.radio_value(&mut a.choice, Some(i), c.as_str());
                }
            }
        }
        Question::Number { .. } => {
            ui.horizontal(|ui| {
                let mut x = a.number.unwrap_or(0.0);
                let r = ui.add(
                    egui::DragValue::new(&mut x)
                        .suffix(unit.typed_suffix())
                        .speed(0.5),
                );
                super::widgets::name_widget(&r, egui::accesskit::Role::SpinButton, "Prediction");
                if r.changed() || a.number.is_none() && r.lost_focus() {
                    a.number = Some(x);
                }
                if a.number.is_none() {
                    ui.label(RichText::new("(type or drag a number)").weak());
                }
            });
        }
        Question::Range { .. } => {
            ui.horizontal(|ui| {
                let mut lo = a.low.unwrap_or(0.0);
                let mut hi = a.high.unwrap_or(0.0);
                ui.label("from");
                if ui
                    .add(
                        egui::DragValue::new(&mut lo)
                            .suffix(unit.typed_suffix())
                            .speed(0.5),
                    )
                    .changed()
                {
                    a.low = Some(lo);
                }
                ui.label("to");
                if ui
                    .add(
                        egui::DragValue::new(&mut hi)
                            .suffix(unit.typed_suffix())
                            .speed(0.5),
                    )
                    .changed()
                {
                    a.high = Some(hi);
                }
            });
        }
    });
}

fn result_ui(state: &mut AppState, ui: &mut Ui, o: Output, sc: &Scenario, current: bool) {
    let Some(run) = state.lesson.as_ref() else {
        return;
    };
    let unit = Unit::of(o);
    let answer = run.answer().cloned().unwrap_or_default();
    // Steps without a question show the live result; revealed ones the value they revealed.
    let value = answer.value.or_else(|| {
        let r = state.result.as_ref()?;
        current.then(|| classroom::value_of(o, &r.summary))
    });
    let Some(value) = value else {
        ui.label(RichText::new("Simulating...").weak());
        return;
    };
    let plain = classroom::plain(o, value, sc);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        let size = egui::TextStyle::Heading.resolve(ui.style()).size * 1.6;
        let r = ui.label(RichText::new(&plain.number).size(size).strong());
        r.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::accesskit::Role::Label,
                true,
                format!("Result: {} {}", plain.number, plain.words),
            )
        });
        ui.add(egui::Label::new(RichText::new(&plain.words).strong()).wrap());
        if let Some(b) = answer.before {
            ui.label(format!("Before this step's changes: {}", unit.format(b)));
        }
        score_ui(ui, run, &answer, unit);
    });
}

fn score_ui(ui: &mut Ui, run: &LessonRun, a: &Answer, unit: Unit) {
    let Some(s) = &a.score else { return };
    let q = run.step().and_then(|s| s.question.clone());
    let verdict = |right: Option<bool>| match right {
        Some(true) => "right",
        Some(false) => "wrong",
        None => "no right answer",
    };
    let text = match (&q, s.hands) {
        (Some(Question::Choice { choices, .. }), Some((right, total))) => format!(
            "The room: {right} of {total} hands right ({:.0}%). The answer: {}",
            100.0 * f64::from(right) / f64::from(total.max(1)),
            s.right_choice
                .and_then(|k| choices.get(k))
                .map_or("?", |c| c.as_str())
        ),
        (Some(Question::Choice { choices, .. }), None) => {
            let chosen = a
                .choice
                .and_then(|k| choices.get(k))
                .map_or("?", |c| c.as_str());
            match s.right_choice.and_then(|k| choices.get(k)) {
                Some(r) => format!(
                    "Prediction: {chosen}: {}. The answer: {r}",
                    verdict(s.right)
                ),
                None => format!("Prediction: {chosen}"),
            }
        }
        (Some(Question::Number { .. }), _) => {
            let typed = a.number.unwrap_or(0.0) / unit.typed_factor();
            match s.off_by {
                Some(d) if s.right == Some(true) => format!(
                    "Prediction: {}: right (off by {})",
                    unit.format(typed),
                    unit.format_difference(d)
                ),
                Some(d) => format!(
                    "Prediction: {}: {} by {}",
                    unit.format(typed),
                    if d > 0.0 { "too low" } else { "too high" },
                    unit.format_difference(d)
                ),
                None => format!(
                    "Prediction: {}: wrong (the output has no value)",
                    unit.format(typed)
                ),
            }
        }
        (Some(Question::Range { .. }), _) => {
            let f = unit.typed_factor();
            let (lo, hi) = (a.low.unwrap_or(0.0) / f, a.high.unwrap_or(0.0) / f);
            match s.off_by {
                Some(0.0) => format!(
                    "Prediction: {} to {}: right",
                    unit.format(lo),
                    unit.format(hi)
                ),
                Some(d) => format!(
                    "Prediction: {} to {}: outside by {}",
                    unit.format(lo),
                    unit.format(hi),
                    unit.format_difference(d)
                ),
                None => format!(
                    "Prediction: {} to {}: wrong",
                    unit.format(lo),
                    unit.format(hi)
                ),
            }
        }
        (None, _) => return,
    };
    let color = match s.right {
        Some(true) => crate::app::theme::Palette::of(ui, false).deal,
        Some(false) => ui.visuals().error_fg_color,
        None => ui.visuals().text_color(),
    };
    ui.label(RichText::new(text).color(color).strong());
}

fn theory_ui(state: &AppState, ui: &mut Ui, t: &crate::scenario::Theory, o: Option<Output>) {
    ui.add_space(4.0);
    ui.label(RichText::new("Theory").strong());
    ui.label(RichText::new(&t.formula).monospace());
    if let (Some(v), Some(o)) = (t.value, o) {
        let unit = Unit::of(o);
        let sim = state
            .lesson
            .as_ref()
            .and_then(|r| r.answer())
            .and_then(|a| a.value)
            .or_else(|| {
                state
                    .result
                    .as_ref()
                    .map(|r| classroom::value_of(o, &r.summary))
            });
        let sim = sim.map_or_else(|| "…".to_string(), |x| unit.format(x));
        ui.label(format!(
            "Closed form: {}   Simulation: {sim}",
            unit.format(v)
        ));
    }
}

/// The view beside the lesson panel: one plot or one trial, hidden until the reveal.
pub fn lesson_view_ui(state: &mut AppState, cache: &mut PlotCache, ui: &mut Ui) {
    let Some(run) = state.lesson.as_ref() else {
        return;
    };
    let sc = state.doc.scenario.clone();
    let view = run.view(&sc);
    let hidden = run.hidden();
    let (a, b) = (sc.sides.a.name.clone(), sc.sides.b.name.clone());
    let page = match view {
        LessonView::Trial(_) => super::presentation::Page::Trial,
        other => super::presentation::Page::Plot(plot_of(other)),
    };
    let size = egui::TextStyle::Heading.resolve(ui.style()).size;
    ui.add(
        egui::Label::new(
            RichText::new(super::presentation::caption(page, &a, &b))
                .size(size)
                .strong(),
        )
        .wrap(),
    );
    if hidden {
        ui.centered_and_justified(|ui| {
            ui.label(
                RichText::new(
                    "The result is hidden until you reveal it.\nPredict first, then press Reveal.",
                )
                .size(size * 1.2),
            );
        });
        return;
    }
    if state.result.is_none() {
        ui.label("Running the first simulation...");
        return;
    }
    match view {
        LessonView::Trial(pick) => super::trial::trial_ui(state, ui, pick),
        other => {
            let rect = ui.available_rect_before_wrap();
            ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
                super::plots::plot_ui(state, cache, ui, plot_of(other))
            });
        }
    }
}

/// The plot of a lesson view (the trial view has none).
fn plot_of(v: LessonView) -> PlotKind {
    match v {
        LessonView::SettlementCurve => PlotKind::Settlement,
        LessonView::WhyItGoesOn => PlotKind::Why,
        LessonView::Terms => PlotKind::Terms,
        LessonView::Front => PlotKind::Front,
        LessonView::Leverage => PlotKind::Leverage,
        LessonView::BargainingRange => PlotKind::Range,
        LessonView::LeverageByMonth | LessonView::Trial(_) => PlotKind::LeverageMonths,
    }
}
