//! The outcome plots (the only module that uses egui_plot): leverage distributions, deal
//! and package probabilities with what blocked a deal, the front as a fan chart, and the
//! bargaining range. Plot data is built once per result (see [`PlotCache`]), never per frame.

use egui::{RichText, Ui};
use egui_plot::{
    Bar, BarChart, FilledArea, HoverPosition, Legend, Line, LineStyle, Plot, PlotPoint, PlotPoints,
    Points, Text, VLine,
};

use crate::app::actions::{Action, DialogPurpose, PlotId};
use crate::app::settings::{FrontView, PlotTab};
use crate::app::state::AppState;
use crate::app::theme::Palette;
use crate::model::Constraint;
use crate::run::RunResult;
use crate::stats::{Continuous, Histogram, Outcome};

/// Density (or distribution function) of a histogram as step points.
fn step_points(h: &Histogram, cdf: bool) -> Vec<PlotPoint> {
    let n: u64 = h.counts.iter().sum();
    if n == 0 {
        return Vec::new();
    }
    let w = h.bin_width();
    let mut pts = Vec::with_capacity(h.counts.len() * 2 + 2);
    if cdf {
        let mut cum = 0u64;
        pts.push(PlotPoint::new(h.lo, 0.0));
        for (i, c) in h.counts.iter().enumerate() {
            cum += c;
            pts.push(PlotPoint::new(
                h.lo + (i as f64 + 1.0) * w,
                cum as f64 / n as f64,
            ));
        }
    } else {
        pts.push(PlotPoint::new(h.lo, 0.0));
        for (i, c) in h.counts.iter().enumerate() {
            let d = *c as f64 / (n as f64 * w);
            pts.push(PlotPoint::new(h.lo + i as f64 * w, d));
            pts.push(PlotPoint::new(h.lo + (i as f64 + 1.0) * w, d));
        }
        pts.push(PlotPoint::new(h.hi, 0.0));
    }
    pts
}

/// One distribution ready to draw.
struct Dist1 {
    density: Vec<PlotPoint>,
    cdf: Vec<PlotPoint>,
    mean: f64,
    p5: f64,
    p95: f64,
}

impl Dist1 {
    fn of(c: &Continuous) -> Self {
        Dist1 {
            density: step_points(&c.histogram, false),
            cdf: step_points(&c.histogram, true),
            mean: c.mean,
            p5: c.quantiles[0],
            p95: c.quantiles[4],
        }
    }
}

/// The front bands of one result.
struct Bands {
    months: Vec<f64>,
    /// For each of p5, p25, p50, p75, p95.
    q: [Vec<f64>; 5],
}

impl Bands {
    fn of(r: &RunResult, view: FrontView) -> Self {
        // A monthly run: the front of the wars still going (a settled war's line stands still).
        let f = r
            .summary
            .settlement
            .as_ref()
            .map_or(&r.summary.front, |s| &s.front_while_fighting);
        let rows = match view {
            FrontView::Cumulative => &f.cumulative,
            FrontView::Monthly => &f.monthly,
        };
        let mut months = Vec::with_capacity(rows.len() + 1);
        let mut q: [Vec<f64>; 5] = Default::default();
        if view == FrontView::Cumulative {
            months.push(0.0);
            for v in q.iter_mut() {
                v.push(0.0);
            }
        }
        for (t, row) in rows.iter().enumerate() {
            months.push(t as f64 + 1.0);
            for (k, v) in q.iter_mut().enumerate() {
                v.push(row[k]);
            }
        }
        Bands { months, q }
    }

    fn line(&self, k: usize) -> Vec<PlotPoint> {
        self.months
            .iter()
            .zip(&self.q[k])
            .map(|(x, y)| PlotPoint::new(*x, *y))
            .collect()
    }
}

/// Everything the plots draw, built once per result.
pub struct PlotCache {
    key: (u64, bool, FrontView),
    lev: Option<[Dist1; 2]>,
    lev_base: Option<[Dist1; 2]>,
    range: Option<[Dist1; 2]>,
    range_base: Option<[Dist1; 2]>,
    bands: Option<Bands>,
    bands_base_median: Option<Vec<PlotPoint>>,
    observed: Vec<PlotPoint>,
    observed_labels: Vec<String>,
    /// Observations after the scenario's date (months from 1 on): the hindcast.
    hindcast: Vec<PlotPoint>,
}

impl Default for PlotCache {
    fn default() -> Self {
        PlotCache {
            key: (u64::MAX, false, FrontView::Cumulative),
            lev: None,
            lev_base: None,
            range: None,
            range_base: None,
            bands: None,
            bands_base_median: None,
            observed: Vec::new(),
            observed_labels: Vec::new(),
            hindcast: Vec::new(),
        }
    }
}

impl PlotCache {
    fn refresh(&mut self, state: &AppState) {
        let key = (
            state.ui.results_generation,
            state.settings.show_cdf,
            state.settings.front_view,
        );
        if key == self.key {
            return;
        }
        self.key = key;
        let two = |r: &RunResult, a: Outcome, b: Outcome| {
            [
                Dist1::of(r.summary.outcome(a)),
                Dist1::of(r.summary.outcome(b)),
            ]
        };
        let cur = state.result.as_deref();
        let base = state.baseline.as_ref().map(|b| b.result.as_ref());
        self.lev = cur.map(|r| two(r, Outcome::LeverageA, Outcome::LeverageB));
        self.lev_base = base.map(|r| two(r, Outcome::LeverageA, Outcome::LeverageB));
        self.range = cur.map(|r| two(r, Outcome::RangeLow, Outcome::RangeHigh));
        self.range_base = base.map(|r| two(r, Outcome::RangeLow, Outcome::RangeHigh));
        let view = state.settings.front_view;
        self.bands = cur.map(|r| Bands::of(r, view));
        self.bands_base_median = base.map(|r| Bands::of(r, view).line(2));
        // Observed figures: monthly gains as given; cumulated from month 1 for the other view.
        let obs = &state.doc.last_valid.observed;
        self.observed.clear();
        self.observed_labels.clear();
        self.hindcast.clear();
        let mut sorted: Vec<_> = obs.iter().collect();
        sorted.sort_by_key(|o| o.month);
        let mut cum = 0.0;
        for o in sorted {
            match view {
                FrontView::Monthly => {
                    let pt = PlotPoint::new(f64::from(o.month), o.gained_by_b_km2);
                    if o.month >= 1 {
                        self.hindcast.push(pt);
                    } else {
                        self.observed.push(pt);
                    }
                    self.observed_labels.push(o.label.clone());
                }
                FrontView::Cumulative => {
                    if o.month >= 1 {
                        cum += o.gained_by_b_km2;
                        self.hindcast.push(PlotPoint::new(f64::from(o.month), cum));
                        self.observed_labels.push(o.label.clone());
                    }
                }
            }
        }
    }
}

/// The plots area: a grid of all four, or one of them.
pub fn plots_ui(state: &mut AppState, cache: &mut PlotCache, ui: &mut Ui) {
    cache.refresh(state);
    if state.result.is_none() {
        ui.centered_and_justified(|ui| {
            let size = egui::TextStyle::Body.resolve(ui.style()).size * 1.3;
            ui.label(RichText::new("Running the first simulation...").size(size));
        });
        return;
    }
    let tab = state.settings.plot_tab;
    let avail = ui.available_size();
    let monthly = state
        .result
        .as_ref()
        .is_some_and(|r| r.summary.settlement.is_some());
    let draw = |state: &mut AppState, cache: &PlotCache, ui: &mut Ui, id: PlotId| match id {
        PlotId::Leverage => leverage_ui(state, cache, ui),
        PlotId::Deal => deal_ui(state, ui),
        PlotId::Front => front_ui(state, cache, ui),
        PlotId::Range => range_ui(state, cache, ui),
        PlotId::Settlement => super::monthly_plots::settlement_ui(state, ui),
        PlotId::Why => super::monthly_plots::why_ui(state, ui),
        PlotId::Terms => super::monthly_plots::terms_ui(state, ui),
        PlotId::LeverageMonths => super::monthly_plots::leverage_months_ui(state, ui),
    };
    let single = match tab {
        PlotTab::All | PlotTab::Analysis => None,
        PlotTab::Leverage => Some(PlotId::Leverage),
        PlotTab::Deal if monthly => Some(PlotId::Terms),
        PlotTab::Deal => Some(PlotId::Deal),
        PlotTab::Front => Some(PlotId::Front),
        PlotTab::Range => Some(PlotId::Range),
        PlotTab::When | PlotTab::Why | PlotTab::Terms | PlotTab::LeverageMonths if !monthly => {
            Some(PlotId::Deal)
        }
        PlotTab::When => Some(PlotId::Settlement),
        PlotTab::Why => Some(PlotId::Why),
        PlotTab::Terms => Some(PlotId::Terms),
        PlotTab::LeverageMonths => Some(PlotId::LeverageMonths),
    };
    if let Some(id) = single {
        let rect = ui.available_rect_before_wrap();
        ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
            draw(state, cache, ui, id)
        });
        return;
    }
    let grid = if monthly {
        [
            PlotId::Settlement,
            PlotId::Why,
            PlotId::Terms,
            PlotId::Front,
        ]
    } else {
        [PlotId::Leverage, PlotId::Deal, PlotId::Front, PlotId::Range]
    };
    // Two columns when wide enough, else one column that scrolls.
    let gap = 8.0;
    if avail.x >= 640.0 && avail.y >= 380.0 {
        let w = (avail.x - gap) / 2.0;
        let h = (avail.y - gap) / 2.0;
        let origin = ui.available_rect_before_wrap().min;
        let cells = [
            (grid[0], 0.0, 0.0),
            (grid[1], 1.0, 0.0),
            (grid[2], 0.0, 1.0),
            (grid[3], 1.0, 1.0),
        ];
        for (id, cx, cy) in cells {
            let min = origin + egui::vec2(cx * (w + gap), cy * (h + gap));
            let rect = egui::Rect::from_min_size(min, egui::vec2(w, h));
            ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
                ui.set_clip_rect(rect.intersect(ui.clip_rect()));
                draw(state, cache, ui, id);
            });
        }
        ui.allocate_rect(
            egui::Rect::from_min_size(origin, avail),
            egui::Sense::hover(),
        );
    } else {
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let h = (avail.y * 0.8).max(260.0);
                for id in grid {
                    ui.allocate_ui(egui::vec2(ui.available_width(), h), |ui| {
                        draw(state, cache, ui, id)
                    });
                    ui.add_space(gap);
                }
            });
    }
}

/// One plot cell, the frame every plot shares: the title row with the plot's toggles and its
/// PNG button, the plot itself (`body` draws it in the height it is given, which keeps room
/// for the export caption), the stamp under it while it is exported, and the cell's rectangle
/// (title, plot with its axes, caption), which is what a PNG export captures.
pub(super) fn cell_ui(
    state: &mut AppState,
    ui: &mut Ui,
    id: PlotId,
    title: &str,
    toggles: impl FnOnce(&mut AppState, &mut Ui),
    body: impl FnOnce(&mut AppState, &mut Ui, f32),
) {
    let top = ui.cursor().min;
    header_ui(state, ui, id, title, toggles);
    let height = plot_height(state, ui, id);
    body(state, ui, height);
    caption_ui(state, ui, id);
    state
        .ui
        .plot_rects
        .insert(id, egui::Rect::from_min_max(top, ui.min_rect().max));
}

/// Title row with the plot's toggles and its PNG export button.
fn header_ui(
    state: &mut AppState,
    ui: &mut Ui,
    id: PlotId,
    title: &str,
    extra: impl FnOnce(&mut AppState, &mut Ui),
) {
    ui.horizontal(|ui| {
        let size = egui::TextStyle::Body.resolve(ui.style()).size * 1.1;
        ui.label(RichText::new(title).strong().size(size));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("PNG")
                .on_hover_text("Save this plot as a PNG image")
                .clicked()
            {
                state.push(Action::ShowDialog(DialogPurpose::ExportPng(id)));
            }
            extra(state, ui);
        });
    });
}

/// The stamp under a plot being exported, so the image says what it shows.
fn caption_ui(state: &AppState, ui: &mut Ui, id: PlotId) {
    if state.ui.exporting == Some(id)
        && let Some(r) = &state.result
    {
        ui.label(RichText::new(r.stamp.line()).small().weak());
    }
}

fn plot_height(state: &AppState, ui: &Ui, id: PlotId) -> f32 {
    // The stamp under an exported plot may take two lines.
    let caption = if state.ui.exporting == Some(id) {
        2.0 * egui::TextStyle::Small.resolve(ui.style()).size + 8.0
    } else {
        0.0
    };
    (ui.available_height() - caption - 4.0).max(80.0)
}

fn leverage_ui(state: &mut AppState, cache: &PlotCache, ui: &mut Ui) {
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
                .label_formatter(move |pos: &HoverPosition| {
                    let p = match pos {
                        HoverPosition::NearDataPoint {
                            plot_name,
                            position,
                            ..
                        } => {
                            return Some(format!(
                                "{plot_name}\nleverage {:.3}\n{} {:.3}",
                                position.x,
                                if cdf { "P(≤)" } else { "density" },
                                position.y
                            ));
                        }
                        HoverPosition::Elsewhere { position } => position,
                    };
                    Some(format!("leverage {:.3}", p.x))
                })
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

/// The baseline's two distributions, dashed and paler than the current ones.
fn baseline_lines<'a>(
    pui: &mut egui_plot::PlotUi<'a>,
    base: &'a [Dist1; 2],
    names: &[String; 2],
    pal: &Palette,
    cdf: bool,
) {
    for (i, d) in base.iter().enumerate() {
        let pts = if cdf { &d.cdf } else { &d.density };
        pui.line(
            Line::new(format!("baseline: {}", names[i]), PlotPoints::Borrowed(pts))
                .color(pal.sides[i].gamma_multiply(0.55))
                .style(LineStyle::dashed_dense())
                .width(pal.line_width * 0.8),
        );
    }
}

/// The legend of the line plots: top left, over a translucent background.
pub(super) fn legend() -> Legend {
    Legend::default()
        .position(egui_plot::Corner::LeftTop)
        .background_alpha(0.75)
}

pub(super) fn side_names(state: &AppState) -> [String; 2] {
    let sc = state.doc.last_valid.scenario();
    [sc.sides.a.name.clone(), sc.sides.b.name.clone()]
}

fn deal_ui(state: &mut AppState, ui: &mut Ui) {
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
            Plot::new("plot-deal")
                .height(h)
                .allow_scroll(false)
                .x_axis_label("probability (blocked: share of no-deal trials)")
                .include_x(0.0)
                .include_x(1.0)
                .include_y(-0.6)
                .include_y(n as f64 - 0.4)
                .show_axes([true, false])
                .show_grid([true, false])
                .label_formatter(|_| None)
                .show(ui, |pui| {
                    for (y, p, text) in &row_texts {
                        let (x, anchor) = if *p < 0.5 {
                            (p + 0.015, egui::Align2::LEFT_CENTER)
                        } else {
                            (p - 0.015, egui::Align2::RIGHT_CENTER)
                        };
                        pui.text(
                            Text::new("", PlotPoint::new(x, *y), text.as_str())
                                .color(text_color)
                                .anchor(anchor),
                        );
                    }
                    pui.bar_chart(
                        BarChart::new("this run", bars)
                            .horizontal()
                            .element_formatter(Box::new(|bar, _| bar.name.clone())),
                    );
                    pui.bar_chart(
                        BarChart::new("what blocked a deal", blocked_bars)
                            .horizontal()
                            .element_formatter(Box::new(|bar, _| bar.name.clone())),
                    );
                    if let Some(b) = &base {
                        let bbars: Vec<Bar> = b
                            .iter()
                            .enumerate()
                            .map(|(row, p)| {
                                Bar::new(y_of(row) - 0.2, *p)
                                    .width(bar_w)
                                    .name(format!("baseline: {}\nP = {:.3}", labels[row], p))
                                    .fill(pal.baseline.gamma_multiply(0.6))
                            })
                            .collect();
                        pui.bar_chart(
                            BarChart::new("baseline", bbars)
                                .horizontal()
                                .element_formatter(Box::new(|bar, _| bar.name.clone())),
                        );
                    }
                });
        },
    );
}

fn front_ui(state: &mut AppState, cache: &PlotCache, ui: &mut Ui) {
    let b_name = side_names(state)[1].clone();
    let title = if state.is_monthly() {
        "The front while fighting".to_string()
    } else {
        format!("The front: area gained by {b_name}")
    };
    let toggles = |state: &mut AppState, ui: &mut Ui| {
        ui.selectable_value(
            &mut state.settings.front_view,
            FrontView::Monthly,
            "per month",
        );
        ui.selectable_value(
            &mut state.settings.front_view,
            FrontView::Cumulative,
            "since start",
        );
    };
    cell_ui(state, ui, PlotId::Front, &title, toggles, |state, ui, h| {
        let Some(b) = &cache.bands else { return };
        let pal = Palette::of(ui, state.settings.presentation);
        let monthly = state.settings.front_view == FrontView::Monthly;
        Plot::new("plot-front")
            .height(h)
            .legend(legend())
            .x_axis_label("month")
            .y_axis_label(if monthly {
                format!("km² gained by {b_name} in the month")
            } else {
                format!("km² gained by {b_name} since the start")
            })
            .label_formatter(|pos: &HoverPosition| {
                let p = match pos {
                    HoverPosition::NearDataPoint {
                        plot_name,
                        position,
                        ..
                    } => {
                        return Some(format!(
                            "{plot_name}\nmonth {:.0}: {} km²",
                            position.x,
                            crate::text::group_thousands(position.y)
                        ));
                    }
                    HoverPosition::Elsewhere { position } => position,
                };
                Some(format!(
                    "month {:.1}, {} km²",
                    p.x,
                    crate::text::group_thousands(p.y)
                ))
            })
            .show(ui, |pui| {
                pui.add(
                    FilledArea::new("90% of trials", &b.months, &b.q[0], &b.q[4])
                        .fill_color(pal.band_outer),
                );
                pui.add(
                    FilledArea::new("50% of trials", &b.months, &b.q[1], &b.q[3])
                        .fill_color(pal.band_inner),
                );
                pui.line(
                    Line::new("median", PlotPoints::Owned(b.line(2)))
                        .color(pal.median)
                        .width(pal.line_width),
                );
                if let Some(m) = &cache.bands_base_median {
                    pui.line(
                        Line::new("baseline median", PlotPoints::Borrowed(m))
                            .color(pal.baseline)
                            .style(LineStyle::dashed_dense())
                            .width(pal.line_width * 0.8),
                    );
                }
                let radius = if state.settings.presentation {
                    6.0
                } else {
                    4.0
                };
                if !cache.observed.is_empty() {
                    pui.points(
                        Points::new(
                            "observed before the scenario date",
                            PlotPoints::Borrowed(&cache.observed),
                        )
                        .color(pal.observed)
                        .radius(radius)
                        .shape(egui_plot::MarkerShape::Diamond),
                    );
                }
                if !cache.hindcast.is_empty() {
                    pui.points(
                        Points::new(
                            "observed after it (hindcast, not fitted)",
                            PlotPoints::Borrowed(&cache.hindcast),
                        )
                        .color(pal.observed)
                        .radius(radius)
                        .filled(false)
                        .shape(egui_plot::MarkerShape::Circle),
                    );
                }
            });
    });
}

fn range_ui(state: &mut AppState, cache: &PlotCache, ui: &mut Ui) {
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
            .label_formatter(move |pos: &HoverPosition| match pos {
                HoverPosition::NearDataPoint {
                    plot_name,
                    position,
                    ..
                } => Some(format!(
                    "{plot_name}\nshare {:.3}\n{:.3}",
                    position.x, position.y
                )),
                HoverPosition::Elsewhere { position } => Some(format!("share {:.3}", position.x)),
            })
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
