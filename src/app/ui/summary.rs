//! The summary strip: the headline numbers with their standard errors (P(deal) or P(settled
//! within the horizon), the median month, the most likely package, leverage), and with a
//! pinned baseline, the baseline's own value beside each, the paired change with an arrow
//! and "higher in X% of runs", the baseline's name (editable) and the inputs that differ
//! from it, each a link that shows it in the inputs panel.

use egui::{Color32, RichText, Ui};

use crate::app::state::AppState;
use crate::stats::{Outcome, PairedDiff};
use crate::text::{fmt_percent, fmt_points};

/// One headline number.
struct Card {
    title: String,
    value: String,
    se: String,
    /// The baseline's value.
    base: Option<String>,
    /// The paired change: its text and its direction (-1, 0, 1).
    change: Option<(String, i8)>,
}

/// What a change is measured in.
#[derive(Clone, Copy)]
enum Unit {
    /// A share of runs (percentage points).
    Points,
    /// A share of the issue.
    Share,
    /// Months.
    Months,
}

/// "⬆ +1.2 points; higher in 8.1% of runs, lower in 0.4%".
fn change(d: &PairedDiff, unit: Unit, paired: bool) -> (String, i8) {
    let dir = if d.mean > 1e-12 {
        1
    } else if d.mean < -1e-12 {
        -1
    } else {
        0
    };
    let arrow = match dir {
        1 => "⬆",
        -1 => "⬇",
        _ => "=",
    };
    let amount = match unit {
        Unit::Points => fmt_points(d.mean),
        Unit::Share => format!("{:+.3}", d.mean).replace('-', "−"),
        Unit::Months => format!("{:+.1} months", d.mean).replace('-', "−"),
    };
    let (up, down) = match unit {
        Unit::Months => ("later", "earlier"),
        _ => ("higher", "lower"),
    };
    let text = if paired {
        format!(
            "{arrow} {amount}; {up} in {} of runs, {down} in {}",
            fmt_percent(d.p_higher),
            fmt_percent(d.p_lower)
        )
    } else {
        format!("{arrow} {amount} (different seeds: includes sampling noise)")
    };
    (text, dir)
}

fn change_color(ui: &Ui, dir: i8) -> Color32 {
    let dark = ui.visuals().dark_mode;
    match (dir, dark) {
        (1, false) => Color32::from_rgb(0, 105, 90),
        (1, true) => Color32::from_rgb(90, 210, 180),
        (-1, false) => Color32::from_rgb(150, 40, 110),
        (-1, true) => Color32::from_rgb(235, 140, 200),
        _ => ui.visuals().weak_text_color(),
    }
}

fn card_ui(ui: &mut Ui, c: &Card, width: f32) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(width);
        ui.set_max_width(width);
        ui.vertical(|ui| {
            ui.add(egui::Label::new(RichText::new(&c.title).small().weak()).truncate())
                .on_hover_text(&c.title);
            ui.horizontal_wrapped(|ui| {
                let size = egui::TextStyle::Body.resolve(ui.style()).size * 1.5;
                let r = ui.label(RichText::new(&c.value).size(size).strong());
                let spoken = format!(
                    "{}: {} {}{}{}",
                    c.title,
                    c.value,
                    c.se,
                    c.base
                        .as_ref()
                        .map_or(String::new(), |b| format!("; baseline {b}")),
                    c.change
                        .as_ref()
                        .map_or(String::new(), |(t, _)| format!("; change {t}"))
                );
                r.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::accesskit::Role::Label, true, spoken.clone())
                });
                ui.add(egui::Label::new(RichText::new(&c.se).weak()).truncate());
            });
            if let Some(b) = &c.base {
                ui.add(egui::Label::new(RichText::new(format!("baseline: {b}")).small()).wrap());
            }
            if let Some((t, dir)) = &c.change {
                let color = change_color(ui, *dir);
                ui.add(egui::Label::new(RichText::new(t).small().color(color)).wrap());
            }
        });
    });
}

/// Draws the strip.
pub fn summary_ui(state: &mut AppState, ui: &mut Ui) {
    let Some(r) = state.result.clone() else {
        ui.label("No results yet.");
        return;
    };
    if state.baseline.is_some() {
        baseline_bar_ui(state, ui);
    }
    let cards = cards(state, &r);
    let n_cards = cards.len() as f32;
    let spacing = ui.spacing().item_spacing.x;
    // Frame margins and stroke take about 14 points per card.
    let width = ((ui.available_width() - spacing * (n_cards - 1.0)) / n_cards - 14.0).max(60.0);
    ui.horizontal_wrapped(|ui| {
        for c in &cards {
            card_ui(ui, c, width);
        }
    });
}

/// A standard error as a percentage with the digits it needs (0.04% rather than 0.0%).
fn pct_se(se: f64) -> String {
    let pct = se * 100.0;
    if pct >= 0.1 || pct == 0.0 {
        format!("{pct:.1}%")
    } else {
        format!("{pct:.2}%")
    }
}

/// The headline numbers of the result, with the baseline's and the change when pinned.
fn cards(state: &AppState, r: &crate::run::RunResult) -> Vec<Card> {
    let s = &r.summary;
    let sc = state
        .result_scenario
        .as_ref()
        .map_or_else(|| state.doc.last_valid.scenario(), |v| v.scenario());
    let cmp = state.comparison.as_ref();
    let paired = cmp.is_some_and(|c| c.common_random_numbers);
    let bs = state.baseline.as_ref().map(|b| &b.result.summary);
    let mut out = Vec::new();
    if let Some(st) = &s.settlement {
        let horizon = st.horizon_months;
        let bst = bs.and_then(|b| b.settlement.as_ref());
        out.push(Card {
            title: format!("Settled within {horizon} months"),
            value: fmt_percent(st.settled.p),
            se: format!("± {}", pct_se(st.settled.se)),
            base: bst.map(|b| fmt_percent(b.settled.p)),
            change: cmp.map(|c| change(&c.deal, Unit::Points, paired)),
        });
        let month = |m: Option<u32>| {
            m.map_or_else(|| format!("not within {horizon}"), |m| format!("month {m}"))
        };
        let (lo, hi) = st.median_month_interval();
        let interval = match (lo, hi) {
            (Some(a), Some(b)) if a == b => "95%: the same".to_string(),
            (Some(a), Some(b)) => format!("95%: {a} to {b}"),
            (Some(a), None) => format!("95%: {a} or later"),
            _ => String::new(),
        };
        out.push(Card {
            title: "Median month of settlement".into(),
            value: month(st.median_month),
            se: interval,
            base: bst.map(|b| month(b.median_month)),
            change: cmp
                .and_then(|c| c.settlement_month.as_ref())
                .map(|d| change(d, Unit::Months, paired)),
        });
    } else {
        out.push(Card {
            title: "P(deal)".into(),
            value: fmt_percent(s.p_deal.p),
            se: format!("± {}", pct_se(s.p_deal.se)),
            base: bs.map(|b| fmt_percent(b.p_deal.p)),
            change: cmp.map(|c| change(&c.deal, Unit::Points, paired)),
        });
    }
    let terms = if s.settlement.is_some() {
        "Most likely terms"
    } else {
        "Most likely deal"
    };
    out.push(match s.most_likely_package() {
        Some(k) => Card {
            title: format!(
                "{terms}: {}",
                sc.bargaining
                    .packages
                    .get(k)
                    .map_or("?", |p| p.name.as_str())
            ),
            value: fmt_percent(s.p_package[k].p),
            se: format!("± {}", pct_se(s.p_package[k].se)),
            base: bs
                .and_then(|b| b.p_package.get(k))
                .map(|p| fmt_percent(p.p)),
            change: cmp
                .and_then(|c| c.packages.get(k))
                .map(|d| change(d, Unit::Points, paired)),
        },
        None => Card {
            title: format!("{terms}: none"),
            value: "-".into(),
            se: String::new(),
            base: None,
            change: None,
        },
    });
    let sides = if s.settlement.is_some() {
        vec![(Outcome::LeverageA, &sc.sides.a.name)]
    } else {
        vec![
            (Outcome::LeverageA, &sc.sides.a.name),
            (Outcome::LeverageB, &sc.sides.b.name),
        ]
    };
    for (o, name) in sides {
        let c = s.outcome(o);
        let when = if s.settlement.is_some() {
            " (at settlement or the horizon)"
        } else {
            ""
        };
        out.push(Card {
            title: format!("Mean leverage of {name}{when}"),
            value: format!("{:.3}", c.mean),
            se: format!("± {:.3}", c.se),
            base: bs.map(|b| format!("{:.3}", b.outcome(o).mean)),
            change: cmp.map(|c| {
                let d = if o == Outcome::LeverageA {
                    &c.leverage_a
                } else {
                    &c.leverage_b
                };
                change(d, Unit::Share, paired)
            }),
        });
    }
    out
}

/// The baseline's name (editable), how it is compared, and the inputs that differ from it.
fn baseline_bar_ui(state: &mut AppState, ui: &mut Ui) {
    let paired = state
        .comparison
        .as_ref()
        .is_some_and(|c| c.common_random_numbers);
    let changes = state.baseline_changes.clone();
    let mut show: Option<String> = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Compared with the baseline").strong());
            if let Some(b) = state.baseline.as_mut() {
                let r = ui.add(
                    egui::TextEdit::singleline(&mut b.name)
                        .desired_width(200.0)
                        .hint_text("name of the baseline"),
                );
                let name = b.name.clone();
                r.widget_info(|| {
                    let mut info = egui::WidgetInfo::text_edit(
                        true,
                        name.clone(),
                        name.clone(),
                        "name of the baseline",
                    );
                    info.label = Some("Baseline name".into());
                    info
                });
            }
            ui.label(
                RichText::new(if paired {
                    "same seed: changes are paired, run by run"
                } else {
                    "different seeds: changes include sampling noise"
                })
                .weak()
                .small(),
            );
        });
        ui.horizontal_wrapped(|ui| {
            if changes.is_empty() {
                ui.label(
                    RichText::new("No input differs from the baseline.")
                        .weak()
                        .small(),
                );
                return;
            }
            ui.label(
                RichText::new(format!(
                    "{} input{} differ{}:",
                    changes.len(),
                    if changes.len() == 1 { "" } else { "s" },
                    if changes.len() == 1 { "s" } else { "" }
                ))
                .small(),
            );
            for c in &changes {
                let text = format!("{}: {} to {}", c.label, c.before, c.after);
                if ui
                    .link(RichText::new(text).small())
                    .on_hover_text(format!("Show {} in the inputs panel", c.path))
                    .clicked()
                {
                    show = Some(c.path.clone());
                }
            }
        });
    });
    if let Some(path) = show {
        state.settings.show_inputs = true;
        state.ui.search = path;
    }
    ui.add_space(2.0);
}
