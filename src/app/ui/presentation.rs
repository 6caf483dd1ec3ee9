//! Presentation mode for the back of a room: pages a clicker steps through (Right/Left,
//! Page Down/Up). The first page holds the headline numbers as percentages in plain words
//! ("31% of runs end in a deal within 12 months"), each at least three times the size of the
//! ordinary cards' labels, with standard errors only on request; every other page shows one
//! plot at full width under a large caption saying what it shows. The teacher can drop
//! numbered markers on a plot and clear them, or turn on a pointer highlight.

use egui::{Align2, Color32, FontId, Pos2, RichText, Stroke, Ui, vec2};

use super::plots::PlotCache;
use crate::analysis::output::Output;
use crate::app::actions::PlotKind;
use crate::app::state::AppState;
use crate::classroom::{self, Plain};
use crate::scenario::TrialPick;
use crate::stats::Outcome;

/// Size of a card's words, as a multiple of the ordinary cards' labels (small text, 9 points;
/// 12.6 with the larger text of presentation mode, which this is still more than three times).
pub const LABEL_SCALE: f32 = 4.3;
/// Size of a card's number, as a multiple of the same.
pub const NUMBER_SCALE: f32 = 7.0;
/// The ordinary cards' label size (egui's small text).
const CARD_LABEL: f32 = 9.0;

/// One page of the presentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// The headline numbers.
    Numbers,
    Plot(PlotKind),
    /// One trial told month by month.
    Trial,
}

/// A marker the teacher dropped on a plot: where (as a share of the plot's width and
/// height), on which page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mark {
    pub page: usize,
    pub at: (f32, f32),
}

/// Presentation mode's own state.
#[derive(Clone, Debug, Default)]
pub struct PresentUi {
    /// The page shown, by index in [`pages`].
    pub page: usize,
    /// Show standard errors next to the numbers (off by default).
    pub show_se: bool,
    /// A click on a plot drops a marker.
    pub marking: bool,
    /// A highlight follows the pointer over the plot.
    pub spotlight: bool,
    pub marks: Vec<Mark>,
}

/// The pages of a monthly run (format version 2) or a one-shot one.
pub fn pages(monthly: bool) -> Vec<Page> {
    if monthly {
        vec![
            Page::Numbers,
            Page::Plot(PlotKind::Settlement),
            Page::Plot(PlotKind::Why),
            Page::Plot(PlotKind::Terms),
            Page::Plot(PlotKind::Front),
            Page::Plot(PlotKind::LeverageMonths),
            Page::Trial,
        ]
    } else {
        vec![
            Page::Numbers,
            Page::Plot(PlotKind::Leverage),
            Page::Plot(PlotKind::Deal),
            Page::Plot(PlotKind::Front),
            Page::Plot(PlotKind::Range),
        ]
    }
}

/// A page's name on its tab.
fn page_name(p: Page) -> &'static str {
    match p {
        Page::Numbers => "The numbers",
        Page::Trial => "One war, month by month",
        Page::Plot(id) => match id {
            PlotKind::Settlement => "When it ends",
            PlotKind::Why => "Why it goes on",
            PlotKind::Terms => "The terms",
            PlotKind::Front => "The front",
            PlotKind::LeverageMonths => "Leverage by month",
            PlotKind::Leverage => "Leverage",
            PlotKind::Deal => "Which deal",
            PlotKind::Range => "Bargaining range",
            PlotKind::Tornado => "What matters most",
            PlotKind::Sobol => "What explains the spread",
            PlotKind::Curve => "Leverage against one input",
            PlotKind::Heatmap => "Two inputs at once",
            PlotKind::WhyNoDeal => "Why no deal",
        },
    }
}

/// What a page shows, in a sentence for the room.
pub fn caption(p: Page, a: &str, b: &str) -> String {
    match p {
        Page::Numbers => "What the simulation gives, over all its runs".into(),
        Page::Trial => format!(
            "One run, month by month: the range of splits both {a} and {b} prefer to fighting, and every package on the table"
        ),
        Page::Plot(id) => match id {
            PlotKind::Settlement => "When the war ends: the share of runs that have ended in a deal by each month".into(),
            PlotKind::Why => "Why the war goes on: among the runs still fighting, what stood in the way of a deal each month".into(),
            PlotKind::Terms => "The terms: how often each package ends the war".into(),
            PlotKind::Front => format!("The front: the area {b} has gained while the war goes on (middle run, half and nine in ten of the runs)"),
            PlotKind::LeverageMonths => format!("Leverage by month: the share of the issue {a} commands at each month's table"),
            PlotKind::Leverage => "Leverage: the share of the issue each side commands at the table".into(),
            PlotKind::Deal => "Which deal, if any, and what blocked one".into(),
            PlotKind::Range => format!("The bargaining range: in how many runs each split of the issue suits both {a} and {b} better than fighting on"),
            // The analyses are not pages of a presentation; their figures carry their own titles.
            other => other.name().replace('-', " "),
        },
    }
}

/// Moves to the next or previous page (the clicker's keys).
pub fn turn(state: &mut AppState, forward: bool) {
    let n = pages(state.is_monthly()).len();
    let p = &mut state.ui.present.page;
    *p = if forward {
        (*p + 1).min(n - 1)
    } else {
        p.saturating_sub(1)
    };
}

/// Presentation mode's central area.
pub fn presentation_ui(state: &mut AppState, cache: &mut PlotCache, ui: &mut Ui) {
    let all = pages(state.is_monthly());
    state.ui.present.page = state.ui.present.page.min(all.len() - 1);
    let page_index = state.ui.present.page;
    let page = all[page_index];
    tabs_ui(state, ui, &all);
    let sc = state.doc.last_valid.scenario();
    let (a, b) = (sc.sides.a.name.clone(), sc.sides.b.name.clone());
    let caption_size = CARD_LABEL * LABEL_SCALE * 0.8;
    ui.add(
        egui::Label::new(
            RichText::new(caption(page, &a, &b))
                .size(caption_size)
                .strong(),
        )
        .wrap(),
    );
    ui.add_space(4.0);
    if state.result.is_none() {
        ui.label(RichText::new("Running the first simulation...").size(caption_size));
        return;
    }
    match page {
        Page::Numbers => numbers_ui(state, ui),
        Page::Trial => super::trial::trial_ui(state, ui, TrialPick::Median),
        Page::Plot(id) => {
            let rect = ui.available_rect_before_wrap();
            ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
                super::plots::plot_ui(state, cache, ui, id)
            });
            marks_ui(state, ui, rect, page_index);
        }
    }
}

fn tabs_ui(state: &mut AppState, ui: &mut Ui, all: &[Page]) {
    ui.horizontal_wrapped(|ui| {
        let size = egui::TextStyle::Button.resolve(ui.style()).size * 1.15;
        for (i, p) in all.iter().enumerate() {
            let selected = state.ui.present.page == i;
            if ui
                .selectable_label(selected, RichText::new(page_name(*p)).size(size))
                .clicked()
            {
                state.ui.present.page = i;
            }
        }
        ui.separator();
        let pres = &mut state.ui.present;
        ui.checkbox(&mut pres.show_se, "Standard errors")
            .on_hover_text("Show the Monte Carlo standard error next to each number");
        ui.toggle_value(&mut pres.marking, "✚ Marker")
            .on_hover_text("Click on a plot to drop a numbered marker");
        ui.toggle_value(&mut pres.spotlight, "◎ Pointer")
            .on_hover_text("Highlight the pointer over the plot");
        if !pres.marks.is_empty() && ui.button("Clear marks").clicked() {
            pres.marks.clear();
        }
    });
}

/// One headline number: the number, its words, and (on request) its standard error.
fn card_ui(ui: &mut Ui, plain: &Plain, se: Option<String>, width: f32) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(width);
        ui.vertical(|ui| {
            let number = ui.label(
                RichText::new(&plain.number)
                    .size(CARD_LABEL * NUMBER_SCALE)
                    .strong(),
            );
            number.widget_info(|| {
                egui::WidgetInfo::labeled(
                    egui::accesskit::Role::Label,
                    true,
                    format!("{} {}", plain.number, plain.words),
                )
            });
            ui.add(
                egui::Label::new(RichText::new(&plain.words).size(CARD_LABEL * LABEL_SCALE)).wrap(),
            );
            if let Some(se) = se {
                ui.label(
                    RichText::new(se)
                        .size(CARD_LABEL * LABEL_SCALE * 0.6)
                        .weak(),
                );
            }
        });
    });
}

/// The headline numbers of the run, in plain words.
fn numbers_ui(state: &mut AppState, ui: &mut Ui) {
    let Some(r) = state.result.clone() else {
        return;
    };
    let sc = state.doc.last_valid.scenario();
    let s = &r.summary;
    let mut outputs = vec![Output::PDeal];
    if s.settlement.is_some() {
        outputs.push(Output::MedianSettlementMonth);
    }
    if let Some(k) = s.most_likely_package() {
        outputs.push(Output::PPackage(k));
    }
    outputs.push(Output::Outcome(Outcome::LeverageA));
    let cols = if ui.available_width() >= 1500.0 { 4 } else { 2 };
    let gap = ui.spacing().item_spacing.x;
    let width = (ui.available_width() - gap * (cols as f32 - 1.0)) / cols as f32 - 16.0;
    let show_se = state.ui.present.show_se;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for row in outputs.chunks(cols) {
                ui.horizontal_top(|ui| {
                    for o in row {
                        let value = classroom::value_of(*o, s);
                        let plain = classroom::plain(*o, value, sc);
                        let unit = classroom::Unit::of(*o);
                        let se = classroom::se_of(*o, s);
                        let se = (show_se && se.is_finite()).then(|| {
                            format!(
                                "± {} (Monte Carlo standard error)",
                                unit.format_difference(se)
                            )
                        });
                        card_ui(ui, &plain, se, width.max(200.0));
                    }
                });
                ui.add_space(gap);
            }
        });
}

/// The teacher's markers and pointer highlight over the plot in `rect`.
fn marks_ui(state: &mut AppState, ui: &mut Ui, rect: egui::Rect, page: usize) {
    let pres = &mut state.ui.present;
    let painter = ui.ctx().layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("presentation-marks"),
    ));
    let color = Color32::from_rgb(230, 30, 120);
    if pres.marking {
        let r = ui.interact(
            rect,
            egui::Id::unique("presentation-marking"),
            egui::Sense::click(),
        );
        if r.clicked()
            && let Some(p) = r.interact_pointer_pos()
        {
            let at = (
                (p.x - rect.left()) / rect.width(),
                (p.y - rect.top()) / rect.height(),
            );
            pres.marks.push(Mark { page, at });
        }
    }
    let mut n = 0;
    for m in pres.marks.iter().filter(|m| m.page == page) {
        n += 1;
        let c = Pos2::new(
            rect.left() + m.at.0 * rect.width(),
            rect.top() + m.at.1 * rect.height(),
        );
        painter.circle(c, 22.0, color.gamma_multiply(0.25), Stroke::new(4.0, color));
        painter.text(
            c + vec2(26.0, -26.0),
            Align2::LEFT_BOTTOM,
            n.to_string(),
            FontId::proportional(34.0),
            color,
        );
    }
    if pres.spotlight
        && let Some(p) = ui.ctx().pointer_hover_pos()
        && rect.contains(p)
    {
        painter.circle(
            p,
            36.0,
            Color32::from_rgba_unmultiplied(255, 230, 0, 60),
            Stroke::new(4.0, Color32::from_rgb(255, 200, 0)),
        );
        ui.ctx().request_repaint();
    }
}
