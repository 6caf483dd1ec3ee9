//! One trial, step by step: pick a trial of the run (the median one, a random one, one with
//! no deal, one that settles late, or step through them) and tell its story month by month
//! with `Engine::trace_trial`: the bargaining range as an interval on a 0..1 bar with every
//! package placed on it by each side's utility (the Fearon diagram), which constraint binds
//! or which package settles it, and under it the front, each side's belief and its value of
//! fighting on, month by month. A month slider and Play animate it.

use egui::{Align2, Color32, FontId, Pos2, Rect, RichText, Stroke, Ui, vec2};
use egui_plot::{Line, Plot, PlotPoints, VLine};

use crate::app::state::AppState;
use crate::app::theme::Palette;
use crate::classroom::story::{self, Picture};
use crate::model::TrialOutcome;
use crate::model::monthly::MonthTrace;
use crate::scenario::TrialPick;

/// Seconds between months while playing.
const PLAY_STEP_S: f64 = 0.9;

/// What the view shows: the trial, the month, whether it plays.
#[derive(Default)]
pub struct TrialView {
    /// The last way a trial was picked, and the trial.
    pub pick: Option<TrialPick>,
    pub trial: Option<u64>,
    /// The month shown (from 1).
    pub month: u32,
    pub playing: bool,
    last_step: Option<f64>,
    story: Option<Story>,
}

/// One trial's trace, computed once per (results, trial).
struct Story {
    key: (u64, u64),
    outcome: TrialOutcome,
    months: Vec<MonthTrace>,
}

impl TrialView {
    /// Picks a trial of `state`'s result the way `what` says, stepping on from the trial shown.
    fn choose(&mut self, state_records: &[crate::sim::TrialRecord], horizon: u32, what: TrialPick) {
        let cursor = match what {
            TrialPick::Random => Some(self.trial.map_or(1, |t| t.wrapping_mul(31).wrapping_add(7))),
            TrialPick::NoDeal | TrialPick::Late if self.pick == Some(what) => self.trial,
            _ => None,
        };
        self.trial = story::pick(state_records, horizon, what, cursor);
        self.pick = Some(what);
        self.month = u32::MAX;
        self.playing = false;
    }
}

/// The view, taking the whole of `ui`. `default_pick` chooses a trial when none is chosen
/// (a lesson step names one).
pub fn trial_ui(state: &mut AppState, ui: &mut Ui, default_pick: TrialPick) {
    let Some(result) = state.result.clone() else {
        ui.label("Running the first simulation...");
        return;
    };
    if !state.is_monthly() {
        ui.label(
            "One trial told month by month needs format version 2 (the table meets every month).",
        );
        return;
    }
    let horizon = state.doc.last_valid.simulation.horizon_months;
    let records = &result.output.records;
    let generation = state.ui.results_generation;
    let view = &mut state.ui.trial;
    if view.trial.is_none_or(|t| t >= records.len() as u64) || view.pick.is_none() {
        view.choose(records, horizon, default_pick);
    }
    picker_ui(view, records, horizon, ui);
    let Some(trial) = view.trial else {
        ui.label(RichText::new("No trial of this run is of that kind.").strong());
        return;
    };
    if view
        .story
        .as_ref()
        .is_none_or(|s| s.key != (generation, trial))
    {
        let (outcome, months, _) = state.doc.compiled.trace_trial(result.stamp.seed, trial);
        view.story = Some(Story {
            key: (generation, trial),
            outcome,
            months,
        });
    }
    let Some(story) = view.story.as_ref() else {
        return;
    };
    let n = story.months.len() as u32;
    if n == 0 {
        ui.label("This trial has no month to tell.");
        return;
    }
    if view.month == u32::MAX || view.month > n {
        view.month = n;
    }
    view.month = view.month.max(1);
    month_controls_ui(view, n, ui);
    let Some(story) = state.ui.trial.story.as_ref() else {
        return;
    };
    let month = state.ui.trial.month;
    let sc = state.doc.last_valid.scenario();
    let (a, b) = (sc.sides.a.name.clone(), sc.sides.b.name.clone());
    let names: Vec<String> = sc
        .bargaining
        .packages
        .iter()
        .map(|p| p.name.clone())
        .collect();
    let Some(m) = story.months.get(month as usize - 1) else {
        return;
    };
    let pic = Picture::of(m);
    let pal = Palette::of(ui, state.settings.presentation);
    let big = state.settings.presentation;
    // The story scrolls as one when the space is short (large text, a small window), so
    // nothing is squeezed or drawn over.
    let full = ui.available_height();
    egui::ScrollArea::vertical()
        .id_salt("trial-story")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            headline_ui(ui, trial, &story.outcome, horizon, &names);
            month_text_ui(ui, m, &pic, &a, &b, &names);
            let diagram_h = (full * 0.42).clamp(150.0, 300.0);
            fearon_ui(ui, &pic, &a, &b, &pal, diagram_h, big);
            packages_ui(ui, &pic, &a, &b, &names);
            let h = ui.available_height().max(if big { 240.0 } else { 170.0 });
            history_ui(ui, &story.months, month, sc, &pal, h);
        });
}

fn picker_ui(view: &mut TrialView, records: &[crate::sim::TrialRecord], horizon: u32, ui: &mut Ui) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Tell one trial:").strong());
        for (what, label, hover) in [
            (
                TrialPick::Median,
                "Median",
                "The trial in the middle of the run, by month of settlement",
            ),
            (TrialPick::Random, "Random", "Another trial drawn at random"),
            (
                TrialPick::NoDeal,
                "No deal",
                "A trial still fighting at the horizon (again: the next one)",
            ),
            (
                TrialPick::Late,
                "Settles late",
                "A trial that settles in the latest month any does (again: the next one)",
            ),
        ] {
            let selected = view.pick == Some(what);
            if ui
                .selectable_label(selected, label)
                .on_hover_text(hover)
                .clicked()
            {
                view.choose(records, horizon, what);
            }
        }
        ui.separator();
        let n = records.len() as u64;
        if let Some(t) = view.trial {
            if ui.button("◀").on_hover_text("The trial before").clicked() {
                view.choose(records, horizon, TrialPick::Number(t.saturating_sub(1)));
            }
            let mut shown = t;
            let r = ui.add(
                egui::DragValue::new(&mut shown)
                    .range(0..=n.saturating_sub(1))
                    .prefix("trial "),
            );
            if r.changed() && shown != t {
                view.choose(records, horizon, TrialPick::Number(shown));
            }
            if ui.button("▶").on_hover_text("The trial after").clicked() {
                view.choose(
                    records,
                    horizon,
                    TrialPick::Number((t + 1).min(n.saturating_sub(1))),
                );
            }
            ui.label(
                RichText::new(format!("of {}", crate::text::group_thousands(n as f64))).weak(),
            );
        }
    });
}

fn month_controls_ui(view: &mut TrialView, n: u32, ui: &mut Ui) {
    let now = ui.input(|i| i.time);
    if view.playing {
        let due = view.last_step.is_none_or(|t| now - t >= PLAY_STEP_S);
        if due {
            if view.month >= n {
                view.playing = false;
            } else {
                view.month += 1;
                view.last_step = Some(now);
            }
        }
        if view.playing {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(PLAY_STEP_S / 3.0));
        }
    }
    ui.horizontal(|ui| {
        let label = if view.playing {
            "⏸ Pause"
        } else {
            "▶ Play"
        };
        if ui
            .button(label)
            .on_hover_text("Play the months one after another")
            .clicked()
        {
            view.playing = !view.playing;
            if view.playing && view.month >= n {
                view.month = 1;
            }
            view.last_step = Some(now);
        }
        ui.label("Month");
        let mut m = view.month;
        ui.spacing_mut().slider_width = (ui.available_width() - 80.0).clamp(120.0, 900.0);
        if ui.add(egui::Slider::new(&mut m, 1..=n.max(1))).changed() {
            view.month = m;
            view.playing = false;
        }
    });
}

fn headline_ui(ui: &mut Ui, trial: u64, out: &TrialOutcome, horizon: u32, names: &[String]) {
    let pkg = |k: usize| names.get(k).map_or("a package", |s| s.as_str()).to_string();
    let text = match (out.settled_month, out.package) {
        (Some(m), Some(k)) => format!(
            "Trial {trial}: the war ends in month {m} on \"{}\".",
            pkg(k)
        ),
        _ => format!("Trial {trial}: no deal within {horizon} months."),
    };
    let size = egui::TextStyle::Body.resolve(ui.style()).size * 1.25;
    ui.label(RichText::new(text).strong().size(size));
}

fn month_text_ui(ui: &mut Ui, m: &MonthTrace, pic: &Picture, a: &str, b: &str, names: &[String]) {
    let status = match (pic.settled_with, pic.binding) {
        (Some(k), _) => format!(
            "settled on \"{}\"",
            names.get(k).map_or("a package", |s| s.as_str())
        ),
        (None, Some(c)) => format!("no deal: {}", story::binding_text(c, a, b)),
        (None, None) if !pic.table => "the table did not meet".to_string(),
        (None, None) => "no deal".to_string(),
    };
    ui.label(format!("Month {}: {status}.", m.month));
    ui.label(
        RichText::new(format!(
            "Belief about {b}'s hidden edge (km² a month): {a} {:+.0}, {b} {:+.0}, truth {:+.0}. \
             Value of fighting on: {a} {:.0}%, {b} {:.0}% of the issue.",
            m.belief_km2[0],
            m.belief_km2[1],
            m.true_edge_km2,
            m.fighting_value[0] * 100.0,
            m.fighting_value[1] * 100.0
        ))
        .weak(),
    );
}

/// The bar from 0 (everything to b) to 1 (everything to a), the range shaded, and each
/// package placed twice: above the bar where `a`'s utility puts it, below where `b`'s does.
fn fearon_ui(ui: &mut Ui, pic: &Picture, a: &str, b: &str, pal: &Palette, height: f32, big: bool) {
    // The caption wraps above the drawing rather than running out of it.
    ui.label(
        RichText::new(format!(
            "{a}'s share of the issue, from 0 to 100%; above the bar: where {a} puts each package, below: where {b} does"
        ))
        .weak(),
    );
    let width = ui.available_width();
    let (rect, _) = ui.allocate_exact_size(vec2(width, height), egui::Sense::hover());
    let p = ui.painter_at(rect);
    let text = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let font = FontId::proportional(if big { 20.0 } else { 13.0 });
    let small = FontId::proportional(if big { 16.0 } else { 11.0 });
    let margin = 16.0;
    let x = |s: f64| rect.left() + margin + (width - 2.0 * margin) * s.clamp(-0.05, 1.05) as f32;
    let bar_y = rect.center().y;
    let bar_h = height * 0.16;
    let bar = Rect::from_min_max(
        Pos2::new(x(0.0), bar_y - bar_h / 2.0),
        Pos2::new(x(1.0), bar_y + bar_h / 2.0),
    );
    p.rect_filled(bar, 2.0, ui.visuals().extreme_bg_color);
    p.rect_stroke(bar, 2.0, Stroke::new(1.0, weak), egui::StrokeKind::Inside);
    // The range, or the gap that keeps the sides apart.
    let (lo, hi) = (pic.low, pic.high);
    if pic.range_empty() {
        let gap = Rect::from_min_max(Pos2::new(x(hi), bar.top()), Pos2::new(x(lo), bar.bottom()));
        p.rect_filled(gap, 0.0, pal.no_deal.gamma_multiply(0.5));
        // Above the gap, kept inside the drawing.
        let label = p.layout_no_wrap(
            format!("no bargaining range (gap {:.2})", -pic.width()),
            font.clone(),
            text,
        );
        let w = label.size().x;
        let cx = gap.center().x.clamp(
            rect.left() + w / 2.0,
            (rect.right() - w / 2.0).max(rect.left() + w / 2.0),
        );
        let at = Pos2::new(cx - w / 2.0, gap.top() - 4.0 - label.size().y);
        p.galley(at, label, text);
    } else {
        let range = Rect::from_min_max(Pos2::new(x(lo), bar.top()), Pos2::new(x(hi), bar.bottom()));
        p.rect_filled(range, 0.0, pal.deal.gamma_multiply(0.55));
        // Inside the range when it fits, else beside it in the bar's free part.
        let label = p.layout_no_wrap(
            format!("bargaining range ({:.2} wide)", pic.width()),
            font.clone(),
            text,
        );
        let (w, h) = (label.size().x, label.size().y);
        let y = bar.center().y - h / 2.0;
        let shown = range.intersect(bar);
        let left = if w + 8.0 <= shown.width() {
            shown.center().x - w / 2.0
        } else if bar.right() - range.right() >= w + 12.0 {
            range.right() + 6.0
        } else {
            (range.left() - 6.0 - w).max(rect.left())
        };
        p.galley(Pos2::new(left, y), label, text);
    }
    for (v, color) in [(lo, pal.sides[0]), (hi, pal.sides[1])] {
        p.line_segment(
            [
                Pos2::new(x(v), bar.top() - 6.0),
                Pos2::new(x(v), bar.bottom() + 6.0),
            ],
            Stroke::new(pal.line_width + 1.0, color),
        );
    }
    // The ends' labels, kept inside the drawing: a's to the left of its line, b's to the right
    // (each flips when it would leave the drawing; b's drops a line when they would meet).
    let inside = |at: f32, left_of: bool| {
        let room = 170.0;
        if left_of && at - rect.left() < room {
            (at.max(rect.left()), Align2::LEFT_TOP)
        } else if !left_of && rect.right() - at < room {
            (at.min(rect.right()), Align2::RIGHT_TOP)
        } else if left_of {
            (at, Align2::RIGHT_TOP)
        } else {
            (at, Align2::LEFT_TOP)
        }
    };
    let (lx, la) = inside(x(lo), true);
    p.text(
        Pos2::new(lx, bar.bottom() + 8.0),
        la,
        format!("least {a} takes {:.0}%", lo * 100.0),
        small.clone(),
        pal.sides[0],
    );
    let (hx, ha) = inside(x(hi), false);
    let clash = (hx - lx).abs() < 2.0 * 170.0 && la != Align2::RIGHT_TOP;
    let b_y = bar.bottom() + 8.0 + if clash { small.size + 4.0 } else { 0.0 };
    p.text(
        Pos2::new(hx, b_y),
        ha,
        format!("most {b} concedes {:.0}%", hi * 100.0),
        small.clone(),
        pal.sides[1],
    );
    for s in [0.0, 0.5, 1.0] {
        p.text(
            Pos2::new(x(s), rect.bottom() - 2.0),
            Align2::CENTER_BOTTOM,
            format!("{:.0}%", s * 100.0),
            small.clone(),
            weak,
        );
    }
    // Packages: a's placement above the bar, b's below, joined.
    let r = if big { 13.0 } else { 9.0 };
    let top_y = bar.top() - r - 14.0;
    let bottom_y = bar.bottom() + r + 30.0;
    for pk in &pic.packages {
        let color = if pk.chosen {
            pal.deal
        } else if pk.acceptable && !pk.durable {
            pal.durability
        } else if pk.acceptable {
            pal.deal.gamma_multiply(0.7)
        } else {
            pal.no_deal
        };
        let (pa, pb) = (
            Pos2::new(x(pk.by_a), top_y),
            Pos2::new(x(pk.by_b), bottom_y),
        );
        p.line_segment([pa, pb], Stroke::new(1.0, color.gamma_multiply(0.6)));
        for c in [pa, pb] {
            if pk.chosen {
                p.circle_filled(c, r + 3.0, color);
            }
            p.circle(c, r, ui.visuals().panel_fill, Stroke::new(2.0, color));
            p.text(
                c,
                Align2::CENTER_CENTER,
                format!("{}", pk.index + 1),
                small.clone(),
                text,
            );
        }
    }
}

/// Each package in words: what each side gets and needs, whether it would hold.
fn packages_ui(ui: &mut Ui, pic: &Picture, a: &str, b: &str, names: &[String]) {
    let mark = |ok: bool| if ok { "yes" } else { "no" };
    for pk in &pic.packages {
        let name = names.get(pk.index).map_or("?", |s| s.as_str());
        let a_ok = pk.by_a >= pk.a_limit - 1e-12;
        let b_ok = pk.by_b <= pk.b_limit + 1e-12;
        let verdict = if pk.chosen {
            "agreed"
        } else if pk.acceptable && !pk.durable {
            "acceptable but would not hold"
        } else if pk.acceptable {
            "acceptable"
        } else {
            "refused"
        };
        let line = format!(
            "{} {name}: {a} gets {:.0}% (needs {:.0}%): {}; {b} gives {:.0}% (would give up to {:.0}%): {}; {verdict}",
            pk.index + 1,
            pk.by_a * 100.0,
            pk.a_limit * 100.0,
            mark(a_ok),
            pk.by_b * 100.0,
            pk.b_limit * 100.0,
            mark(b_ok),
        );
        let text = RichText::new(line);
        ui.label(if pk.chosen { text.strong() } else { text });
    }
}

/// A line of a small chart: its name, its points, its colour.
type Series = (String, Vec<[f64; 2]>, Color32);

/// The front, the beliefs and the fighting values, month by month, with the month shown.
fn history_ui(
    ui: &mut Ui,
    months: &[MonthTrace],
    month: u32,
    sc: &crate::scenario::Scenario,
    pal: &Palette,
    h: f32,
) {
    let w = (ui.available_width() - 16.0) / 3.0;
    let at = f64::from(month);
    let series = |f: &dyn Fn(&MonthTrace) -> f64| -> Vec<[f64; 2]> {
        months.iter().map(|m| [f64::from(m.month), f(m)]).collect()
    };
    let (a, b) = (&sc.sides.a.name, &sc.sides.b.name);
    ui.horizontal(|ui| {
        let plots: [(&str, &str, Vec<Series>); 3] = [
            (
                "front",
                "km² held by the other side",
                vec![(
                    format!("held by {b}"),
                    series(&|m| m.held_by_b_km2),
                    pal.median,
                )],
            ),
            (
                "beliefs",
                "hidden edge, km² a month",
                vec![
                    (
                        format!("{a} believes"),
                        series(&|m| m.belief_km2[0]),
                        pal.sides[0],
                    ),
                    (
                        format!("{b} believes"),
                        series(&|m| m.belief_km2[1]),
                        pal.sides[1],
                    ),
                    ("truth".into(), series(&|m| m.true_edge_km2), pal.observed),
                ],
            ),
            (
                "values",
                "share of the issue",
                vec![
                    (
                        format!("least {a} takes"),
                        series(&|m| m.fighting_value[0]),
                        pal.sides[0],
                    ),
                    (
                        format!("most {b} concedes"),
                        series(&|m| 1.0 - m.fighting_value[1]),
                        pal.sides[1],
                    ),
                ],
            ),
        ];
        for (id, y_label, lines) in plots {
            ui.allocate_ui_with_layout(
                vec2(w, h),
                egui::Layout::top_down(egui::Align::Min),
                |ui| {
                    // Room for a key of two rows under the plot, in the lines' colours, so it
                    // never covers them and the three plots line up.
                    let row =
                        ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
                    let h = (h - 2.0 * row - ui.spacing().item_spacing.y).max(100.0);
                    let key: Vec<(String, Color32)> =
                        lines.iter().map(|(n, _, c)| (n.clone(), *c)).collect();
                    Plot::new(format!("trial-{id}"))
                        .height(h)
                        .width(w)
                        .allow_scroll(false)
                        .x_axis_label("month")
                        .y_axis_label(y_label)
                        .show(ui, |pui| {
                            for (name, pts, color) in lines {
                                pui.line(
                                    Line::new(name, PlotPoints::from(pts))
                                        .color(color)
                                        .width(pal.line_width),
                                );
                            }
                            pui.vline(VLine::new("month shown", at).color(pal.baseline).width(1.0));
                        });
                    ui.horizontal_wrapped(|ui| {
                        for (name, color) in key {
                            ui.label(RichText::new(format!("— {name}")).color(color));
                        }
                        ui.label(RichText::new("| month shown").color(pal.baseline));
                    });
                },
            );
        }
    });
}
