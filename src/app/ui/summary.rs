//! The summary strip: P(deal), the most likely package, and each side's mean leverage, each
//! with its standard error and, when a baseline is pinned, the paired change.

use egui::{RichText, Ui};

use crate::app::state::AppState;
use crate::stats::{Outcome, PairedDiff};

fn delta_text(d: &PairedDiff, crn: bool) -> String {
    let sign = if d.mean >= 0.0 { "+" } else { "" };
    if crn {
        format!(
            "{sign}{:.3} ± {:.3} vs baseline; higher in {:.0}% of trials, lower in {:.0}%",
            d.mean,
            d.se,
            d.p_higher * 100.0,
            d.p_lower * 100.0
        )
    } else {
        format!(
            "{sign}{:.3} ± {:.3} vs baseline (different seeds)",
            d.mean, d.se
        )
    }
}

fn card(ui: &mut Ui, title: &str, value: &str, se: &str, delta: Option<String>, width: f32) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(width);
        ui.set_max_width(width);
        ui.vertical(|ui| {
            ui.add(egui::Label::new(RichText::new(title).small().weak()).truncate());
            ui.horizontal(|ui| {
                let size = egui::TextStyle::Body.resolve(ui.style()).size * 1.5;
                let r = ui.label(RichText::new(value).size(size).strong());
                r.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::accesskit::Role::Label,
                        true,
                        format!("{title}: {value} {se}"),
                    )
                });
                ui.add(egui::Label::new(RichText::new(se).weak()).truncate());
            });
            if let Some(d) = delta {
                ui.add(egui::Label::new(RichText::new(d).small()).wrap());
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
    if r.summary.settlement.is_some() {
        monthly_ui(state, ui, &r);
        return;
    }
    let s = &r.summary;
    let sc = state.doc.last_valid.scenario();
    let cmp = state.comparison.clone();
    let crn = cmp.as_ref().is_some_and(|c| c.common_random_numbers);
    let n_cards = 4.0;
    let spacing = ui.spacing().item_spacing.x;
    // Frame margins and stroke take about 14 points per card.
    let width = ((ui.available_width() - spacing * (n_cards - 1.0)) / n_cards - 14.0).max(60.0);
    ui.horizontal_wrapped(|ui| {
        card(
            ui,
            "P(deal)",
            &format!("{:.3}", s.p_deal.p),
            &format!("± {:.3}", s.p_deal.se),
            cmp.as_ref().map(|c| delta_text(&c.deal, crn)),
            width,
        );
        let (pk_name, pk_value, pk_se, pk_delta) = match s.most_likely_package() {
            Some(k) => (
                sc.bargaining
                    .packages
                    .get(k)
                    .map_or("?".into(), |p| p.name.clone()),
                format!("{:.3}", s.p_package[k].p),
                format!("± {:.3}", s.p_package[k].se),
                cmp.as_ref()
                    .and_then(|c| c.packages.get(k))
                    .map(|d| delta_text(d, crn)),
            ),
            None => (
                "no package is ever agreed".into(),
                "-".into(),
                String::new(),
                None,
            ),
        };
        card(
            ui,
            &format!("Most likely: {pk_name}"),
            &pk_value,
            &pk_se,
            pk_delta,
            width,
        );
        for (i, o) in [Outcome::LeverageA, Outcome::LeverageB]
            .into_iter()
            .enumerate()
        {
            let c = s.outcome(o);
            let name = if i == 0 {
                &sc.sides.a.name
            } else {
                &sc.sides.b.name
            };
            let d = cmp
                .as_ref()
                .map(|c| delta_text(if i == 0 { &c.leverage_a } else { &c.leverage_b }, crn));
            card(
                ui,
                &format!("Mean leverage of {name}"),
                &format!("{:.3}", c.mean),
                &format!("± {:.4}", c.se),
                d,
                width,
            );
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

/// The strip of a monthly run (format version 2): P(settled within the horizon), the median
/// month of settlement, the most likely terms, and each side's mean leverage at settlement or
/// at the horizon.
fn monthly_ui(state: &mut AppState, ui: &mut Ui, r: &crate::run::RunResult) {
    let s = &r.summary;
    let Some(st) = s.settlement.as_ref() else {
        return;
    };
    let sc = state.doc.last_valid.scenario();
    let cmp = state.comparison.clone();
    let crn = cmp.as_ref().is_some_and(|c| c.common_random_numbers);
    let base = state
        .baseline
        .as_ref()
        .and_then(|b| b.result.summary.settlement.clone());
    let n_cards = 4.0;
    let spacing = ui.spacing().item_spacing.x;
    let width = ((ui.available_width() - spacing * (n_cards - 1.0)) / n_cards - 14.0).max(60.0);
    let horizon = st.horizon_months;
    ui.horizontal_wrapped(|ui| {
        card(
            ui,
            &format!("Settled within {horizon} months"),
            &format!("{:.1}%", st.settled.p * 100.0),
            &format!("± {}", pct_se(st.settled.se)),
            cmp.as_ref().map(|c| delta_text(&c.deal, crn)),
            width,
        );
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
        let delta = cmp
            .as_ref()
            .and_then(|c| c.settlement_month.as_ref())
            .map(|d| {
                format!(
                    "baseline: {}; mean month {}",
                    month(base.as_ref().and_then(|b| b.median_month)),
                    delta_text(d, crn)
                )
            });
        card(
            ui,
            "Median month of settlement",
            &month(st.median_month),
            &interval,
            delta,
            width,
        );
        let (pk_name, pk_value, pk_se, pk_delta) = match s.most_likely_package() {
            Some(k) => (
                sc.bargaining
                    .packages
                    .get(k)
                    .map_or("?".into(), |p| p.name.clone()),
                format!("{:.1}%", s.p_package[k].p * 100.0),
                format!("± {}", pct_se(s.p_package[k].se)),
                cmp.as_ref()
                    .and_then(|c| c.packages.get(k))
                    .map(|d| delta_text(d, crn)),
            ),
            None => ("no settlement".into(), "-".into(), String::new(), None),
        };
        card(
            ui,
            &format!("Most likely terms: {pk_name}"),
            &pk_value,
            &pk_se,
            pk_delta,
            width,
        );
        let c = s.outcome(Outcome::LeverageA);
        card(
            ui,
            &format!(
                "Mean leverage of {} (at settlement or the horizon)",
                sc.sides.a.name
            ),
            &format!("{:.3}", c.mean),
            &format!("± {:.4}", c.se),
            cmp.as_ref().map(|c| delta_text(&c.leverage_a, crn)),
            width,
        );
    });
}
