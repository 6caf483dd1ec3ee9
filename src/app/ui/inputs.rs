//! The inputs panel: every input of the scenario as a control built from the file (slider
//! and exact field for plain numbers, type and parameters with a density preview for
//! distributions), grouped as in the file, filtered by a search box; plus editing of aid
//! streams, contingents, packages, sources and the scenario's description.

use std::collections::HashMap;

use egui::{Pos2, RichText, Ui, Vec2};

use super::widgets::{Editor, fmt_num, int_field, name_widget, number_field, slider};
use crate::app::state::AppState;
use crate::scenario::registry::{BUILTIN_ATTRIBUTES, side_field_name, spec_of};
use crate::scenario::{
    AidStream, Contingent, Cutoff, Dist, FieldSpec, Input, InputKey, Issue, Package, Protocol,
    Scenario, Schedule, SideRef, Source, Territory,
};
use egui::accesskit::Role;

/// Draws the inputs panel; edits go into `ed`.
pub fn inputs_ui(state: &mut AppState, ed: &mut Editor, ui: &mut Ui) {
    ui.horizontal(|ui| {
        ui.heading("Inputs");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("Hide")
                .on_hover_text("Hide the inputs panel (View menu to show it again)")
                .clicked()
            {
                state.settings.show_inputs = false;
            }
        });
    });
    ui.horizontal(|ui| {
        ui.label("Search");
        let r = ui.add(
            egui::TextEdit::singleline(&mut state.ui.search)
                .hint_text("filter inputs by name")
                .desired_width(ui.available_width() - 30.0),
        );
        let q = state.ui.search.clone();
        r.widget_info(|| {
            let mut info =
                egui::WidgetInfo::text_edit(true, q.clone(), q.clone(), "filter inputs by name");
            info.label = Some("Search inputs".into());
            info
        });
        if !state.ui.search.is_empty()
            && ui
                .small_button("x")
                .on_hover_text("Clear the search")
                .clicked()
        {
            state.ui.search.clear();
        }
    });
    ui.separator();
    let issues = state.doc.issues.clone();
    let previews = &mut state.ui.previews;
    let query = state.ui.search.trim().to_lowercase();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let mut cx = Cx {
                issues: &issues,
                previews,
                sources: ed.draft.meta.sources.clone(),
                names: Names::of(&ed.draft),
            };
            if query.is_empty() {
                sections_ui(&mut cx, ed, ui);
            } else {
                search_ui(&mut cx, ed, ui, &query);
            }
        });
}

/// What input controls need besides the input itself.
struct Cx<'a> {
    issues: &'a [Issue],
    previews: &'a mut HashMap<String, (Dist, Vec<Pos2>)>,
    sources: Vec<Source>,
    names: Names,
}

/// Display names used in labels.
#[derive(Default)]
struct Names {
    sides: [String; 2],
    aid: Vec<String>,
    troops: Vec<String>,
    packages: Vec<String>,
    attributes: Vec<String>,
}

impl Names {
    fn of(sc: &Scenario) -> Self {
        Names {
            sides: [sc.sides.a.name.clone(), sc.sides.b.name.clone()],
            aid: sc.aid.iter().map(|a| a.name.clone()).collect(),
            troops: sc.troops.iter().map(|t| t.name.clone()).collect(),
            packages: sc
                .bargaining
                .packages
                .iter()
                .map(|p| p.name.clone())
                .collect(),
            attributes: sc.attribute_names(),
        }
    }

    fn attr(&self, k: usize) -> String {
        self.attributes
            .get(k)
            .map_or_else(|| "attribute".into(), |a| a.replace('_', " "))
    }

    /// A label for an input: its field label, with the section it belongs to when `context`.
    fn label(&self, key: InputKey, context: bool) -> String {
        let spec = spec_of(key);
        let base = match key {
            InputKey::Weight(_, k) => format!("Weight: {}", self.attr(k)),
            InputKey::PackageAttr(_, k) => capitalise(&self.attr(k)),
            _ => spec.label.to_string(),
        };
        if !context {
            return base;
        }
        let side = |s: SideRef| self.sides[s.index()].clone();
        let ctx = match key {
            InputKey::Side(s, _) => side(s),
            InputKey::Battle(_) => "Battlefield".into(),
            InputKey::AidAmount(i) | InputKey::AidContinue(i) => {
                self.aid.get(i).cloned().unwrap_or_default()
            }
            InputKey::TroopSize(i) | InputKey::TroopEffectiveness(i) => {
                self.troops.get(i).cloned().unwrap_or_default()
            }
            InputKey::Weight(s, _) => side(s),
            InputKey::PackageTerritory(i) | InputKey::PackageAttr(i, _) => {
                self.packages.get(i).cloned().unwrap_or_default()
            }
            InputKey::EventMonth(_)
            | InputKey::EventHazard(_)
            | InputKey::EventProbability(_)
            | InputKey::EventChange(..) => "Events".into(),
            InputKey::LeverProbability(_) | InputKey::LeverChange(..) => "Pressure".into(),
        };
        format!("{ctx} · {base}")
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn search_ui(cx: &mut Cx, ed: &mut Editor, ui: &mut Ui, query: &str) {
    let shown = inputs_matching(cx, ed, ui, true, |_, path, label| {
        label.to_lowercase().contains(query) || path.to_lowercase().contains(query)
    });
    if shown == 0 {
        ui.label(RichText::new("No input matches the search.").weak());
    }
}

/// Draws the inputs whose keys pass `filter`, in catalogue order.
fn inputs_where(cx: &mut Cx, ed: &mut Editor, ui: &mut Ui, filter: impl Fn(InputKey) -> bool) {
    inputs_matching(cx, ed, ui, false, |key, _, _| filter(key));
}

/// Draws the inputs that `keep(key, path, label)` accepts, labelled with their section when
/// `context`; returns how many it drew.
fn inputs_matching(
    cx: &mut Cx,
    ed: &mut Editor,
    ui: &mut Ui,
    context: bool,
    keep: impl Fn(InputKey, &str, &str) -> bool,
) -> usize {
    let mut shown = 0;
    let mut changed: Option<String> = None;
    // The names are read while the draft's inputs are borrowed mutably.
    let names = std::mem::take(&mut cx.names);
    ed.draft.visit_inputs_mut(|key, path, input| {
        let label = names.label(key, context);
        if keep(key, path, &label) {
            shown += 1;
            if input_ui(cx, ui, key, path, &label, input) {
                changed.get_or_insert_with(|| path.to_string());
            }
        }
    });
    cx.names = names;
    if let Some(p) = changed {
        ed.touched(&p);
    }
    shown
}

fn section(ui: &mut Ui, title: &str, open: bool, body: impl FnOnce(&mut Ui)) {
    egui::CollapsingHeader::new(RichText::new(title).strong())
        .id_salt(title)
        .default_open(open)
        .show(ui, body);
}

fn sections_ui(cx: &mut Cx, ed: &mut Editor, ui: &mut Ui) {
    section(ui, "Simulation", false, |ui| simulation_ui(ed, ui));
    for s in [SideRef::A, SideRef::B] {
        let title = format!(
            "Side {}: {}",
            if s == SideRef::A { "a" } else { "b" },
            cx.names.sides[s.index()]
        );
        section(ui, &title, s == SideRef::A, |ui| {
            side_identity_ui(ed, ui, s);
            inputs_where(cx, ed, ui, |k| matches!(k, InputKey::Side(x, _) if x == s));
            losses_toggle_ui(ed, ui, s);
        });
    }
    section(ui, "Aid", true, |ui| aid_ui(cx, ed, ui));
    section(ui, "Troops", false, |ui| troops_ui(cx, ed, ui));
    section(ui, "Battlefield", false, |ui| {
        battlefield_fixed_ui(ed, ui);
        inputs_where(cx, ed, ui, |k| matches!(k, InputKey::Battle(_)));
    });
    section(ui, "Bargaining", false, |ui| bargaining_ui(cx, ed, ui));
    section(ui, "Packages", false, |ui| packages_ui(cx, ed, ui));
    section(ui, "Correlations", false, |ui| correlations_ui(ed, ui));
    section(ui, "Sources", false, |ui| sources_ui(ed, ui));
    section(ui, "About this scenario", false, |ui| meta_ui(ed, ui));
}

/// One numeric input. Returns true when it changed.
fn input_ui(
    cx: &mut Cx,
    ui: &mut Ui,
    key: InputKey,
    path: &str,
    label: &str,
    input: &mut Input,
) -> bool {
    let spec = spec_of(key);
    let hint = input.slider.clone().unwrap_or_default();
    let unit = hint.unit.clone().unwrap_or_else(|| spec.unit.to_string());
    let problems: Vec<&Issue> = cx
        .issues
        .iter()
        .filter(|i| i.path == path || i.path.starts_with(&format!("{path}.")))
        .collect();
    let before = input.clone();
    let frame = if problems.is_empty() {
        egui::Frame::NONE
    } else {
        egui::Frame::NONE
            .stroke(egui::Stroke::new(1.5, ui.visuals().error_fg_color))
            .inner_margin(2.0)
    };
    frame.show(ui, |ui| {
        ui.horizontal(|ui| {
            let r = ui.label(RichText::new(label).strong()).on_hover_ui(|ui| {
                hover_ui(ui, spec, input, &cx.sources, path);
            });
            r.widget_info(|| egui::WidgetInfo::labeled(egui::accesskit::Role::Label, true, label));
            ui.label(RichText::new(&unit).weak().small());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                kind_combo(ui, path, spec, input);
                if input.source.is_some() || input.note.is_some() {
                    ui.label(RichText::new("(i)").weak().small())
                        .on_hover_ui(|ui| {
                            hover_ui(ui, spec, input, &cx.sources, path);
                        });
                }
            });
        });
        let width = ui.available_width();
        match &mut input.value {
            Dist::Fixed(x) => {
                let (lo, hi, step) = slider_range(spec, &hint, *x);
                ui.horizontal(|ui| {
                    slider(ui, x, lo, hi, step, label, (width - 110.0).max(60.0));
                    number_field(ui, x, step.max((hi - lo) / 500.0), label);
                });
                if !spec.accepts(*x) {
                    *x = x.clamp(spec.min, spec.max);
                }
            }
            dist => {
                dist_params_ui(ui, dist, spec, label);
                preview_ui(ui, cx.previews, path, dist, width);
            }
        }
        for p in &problems {
            ui.label(
                RichText::new(&p.message)
                    .color(ui.visuals().error_fg_color)
                    .small(),
            );
        }
    });
    ui.add_space(4.0);
    *input != before
}

fn hover_ui(ui: &mut Ui, spec: &FieldSpec, input: &Input, sources: &[Source], path: &str) {
    ui.set_max_width(360.0);
    ui.label(spec.help);
    if let Some(n) = &input.note {
        ui.separator();
        ui.label(n);
    }
    if let Some(id) = &input.source {
        ui.separator();
        match sources.iter().find(|s| &s.id == id) {
            Some(s) => {
                ui.label(RichText::new(format!("Source: {}", s.citation)).italics());
                if let Some(d) = &s.date {
                    ui.label(RichText::new(d).weak());
                }
                if let Some(u) = &s.url {
                    ui.label(RichText::new(u).weak());
                }
                if let Some(p) = &s.publication {
                    ui.label(RichText::new(p).weak());
                }
            }
            None => {
                ui.label(format!("Source \"{id}\" is not in the sources list."));
            }
        }
    } else if input.note.is_none() {
        ui.label(RichText::new("No source or note given.").weak());
    }
    ui.label(RichText::new(path).monospace().weak().small());
}

/// The slider's range: the file's hints, else the field's defaults, widened to show the value.
fn slider_range(spec: &FieldSpec, hint: &crate::scenario::SliderHint, x: f64) -> (f64, f64, f64) {
    let (dlo, dhi, dstep) = spec.slider;
    let mut lo = hint.min.unwrap_or(dlo);
    let mut hi = hint.max.unwrap_or(dhi);
    if x.is_finite() {
        if x < lo {
            lo = x;
        }
        if x > hi {
            hi = x;
        }
    }
    lo = lo.max(spec.min);
    hi = hi.min(spec.max);
    if !(hi > lo) {
        hi = lo + 1.0;
    }
    (lo, hi, hint.step.unwrap_or(dstep))
}

const KINDS: [&str; 8] = [
    "Fixed",
    "Uniform",
    "Triangular",
    "Pert",
    "Normal",
    "LogNormal",
    "Beta",
    "Chance",
];

fn kind_combo(ui: &mut Ui, path: &str, spec: &FieldSpec, input: &mut Input) {
    let current = input.value.kind_name();
    let mut chosen = current;
    let combo = egui::ComboBox::from_id_salt(("kind", path))
        .selected_text(current)
        .width(92.0)
        .show_ui(ui, |ui| {
            for k in KINDS {
                ui.selectable_value(&mut chosen, k, k);
            }
        });
    let label = format!("{} distribution", spec.label);
    name_widget(&combo.response, Role::ComboBox, &label);
    combo.response.on_hover_text("Fixed value or distribution");
    if chosen != current {
        input.value = convert(&input.value, chosen, spec);
    }
}

/// Converts a distribution to another kind around the same centre and spread.
fn convert(d: &Dist, kind: &str, spec: &FieldSpec) -> Dist {
    let c = d.central();
    let (lo, hi) = {
        let (a, b) = (d.quantile(0.05), d.quantile(0.95));
        if b > a {
            (a, b)
        } else {
            let w = if c.abs() > 0.0 {
                c.abs() * 0.2
            } else {
                (spec.slider.1 - spec.slider.0) * 0.1
            };
            (c - w, c + w)
        }
    };
    let lo = lo.max(spec.min);
    let hi = hi.min(spec.max);
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (spec.min, spec.max.min(spec.min + 1.0))
    };
    let c = c.clamp(lo, hi);
    match kind {
        "Fixed" => Dist::Fixed(c),
        "Uniform" => Dist::Uniform { min: lo, max: hi },
        "Triangular" => Dist::Triangular {
            min: lo,
            mode: c,
            max: hi,
        },
        "Pert" => Dist::Pert {
            min: lo,
            mode: c,
            max: hi,
        },
        "Normal" => Dist::Normal {
            mean: c,
            sd: ((hi - lo) / 3.29).max(1e-9),
            min: spec
                .min
                .is_finite()
                .then_some(spec.min)
                .filter(|m| *m > -1e300),
            max: (spec.max < 1e4).then_some(spec.max),
        },
        "LogNormal" => {
            let median = if c > 0.0 { c } else { hi.max(1e-6) / 2.0 };
            Dist::LogNormal {
                median,
                p90: median * 1.5,
            }
        }
        "Beta" => Dist::Beta {
            alpha: 2.0,
            beta: 2.0,
            min: lo,
            max: hi,
        },
        _ => Dist::Chance {
            p: 0.5,
            yes: hi,
            no: lo,
        },
    }
}

fn param(ui: &mut Ui, name: &str, value: &mut f64, speed: f64, label: &str) {
    ui.label(RichText::new(name).small());
    number_field(ui, value, speed, &format!("{label} {name}"));
}

fn dist_params_ui(ui: &mut Ui, d: &mut Dist, spec: &FieldSpec, label: &str) {
    let speed = ((spec.slider.1 - spec.slider.0) / 500.0).max(1e-4);
    ui.horizontal_wrapped(|ui| match d {
        Dist::Fixed(_) => {}
        Dist::Uniform { min, max } => {
            param(ui, "min", min, speed, label);
            param(ui, "max", max, speed, label);
        }
        Dist::Triangular { min, mode, max } | Dist::Pert { min, mode, max } => {
            param(ui, "min", min, speed, label);
            param(ui, "mode", mode, speed, label);
            param(ui, "max", max, speed, label);
        }
        Dist::Normal { mean, sd, min, max } => {
            param(ui, "mean", mean, speed, label);
            param(ui, "sd", sd, speed, label);
            let mut has_min = min.is_some();
            if ui.checkbox(&mut has_min, "min").changed() {
                *min = has_min.then(|| spec.min.max(*mean - 3.0 * *sd));
            }
            if let Some(m) = min {
                number_field(ui, m, speed, &format!("{label} truncation min"));
            }
            let mut has_max = max.is_some();
            if ui.checkbox(&mut has_max, "max").changed() {
                *max = has_max.then(|| spec.max.min(*mean + 3.0 * *sd));
            }
            if let Some(m) = max {
                number_field(ui, m, speed, &format!("{label} truncation max"));
            }
        }
        Dist::LogNormal { median, p90 } => {
            param(ui, "median", median, speed, label);
            param(ui, "p90", p90, speed, label);
        }
        Dist::Beta {
            alpha,
            beta,
            min,
            max,
        } => {
            param(ui, "alpha", alpha, 0.05, label);
            param(ui, "beta", beta, 0.05, label);
            param(ui, "min", min, speed, label);
            param(ui, "max", max, speed, label);
        }
        Dist::Chance { p, yes, no } => {
            param(ui, "p", p, 0.01, label);
            param(ui, "yes", yes, speed, label);
            param(ui, "no", no, speed, label);
        }
    });
}

/// A small density curve of the distribution, computed once per change of the distribution.
fn preview_ui(
    ui: &mut Ui,
    cache: &mut HashMap<String, (Dist, Vec<Pos2>)>,
    path: &str,
    d: &Dist,
    width: f32,
) {
    let size = Vec2::new(width.clamp(80.0, 320.0), 28.0);
    let (rect, resp) = ui.allocate_exact_size(size, egui::Sense::hover());
    let valid_params = {
        let (lo, hi) = d.support();
        lo.is_finite() || hi.is_finite()
    };
    if !valid_params {
        return;
    }
    let entry = cache
        .entry(path.to_string())
        .or_insert_with(|| (Dist::Fixed(f64::NAN), Vec::new()));
    if &entry.0 != d {
        entry.0 = d.clone();
        entry.1 = density_points(d);
    }
    let pts = &entry.1;
    let painter = ui.painter_at(rect);
    let color = ui.visuals().hyperlink_color;
    painter.rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
    if pts.len() >= 2 {
        let to_screen: Vec<Pos2> = pts
            .iter()
            .map(|p| {
                Pos2::new(
                    rect.left() + p.x * rect.width(),
                    rect.bottom() - p.y * (rect.height() - 2.0),
                )
            })
            .collect();
        painter.add(egui::Shape::line(to_screen, egui::Stroke::new(1.5, color)));
    }
    let (q5, q50, q95) = (d.quantile(0.05), d.quantile(0.5), d.quantile(0.95));
    resp.on_hover_text(format!(
        "median {}, 90% of draws within {} .. {}, mean {}",
        fmt_num(q50),
        fmt_num(q5),
        fmt_num(q95),
        fmt_num(d.mean())
    ));
}

/// Normalised density points (x and y within 0..1) for the preview; point masses are drawn
/// as spikes.
fn density_points(d: &Dist) -> Vec<Pos2> {
    let (lo, hi) = (d.quantile(0.001), d.quantile(0.999));
    if !(hi > lo) || !lo.is_finite() || !hi.is_finite() {
        return Vec::new();
    }
    if let Dist::Chance { p, yes, no } = *d {
        let (a, b) = if no <= yes {
            ((no, 1.0 - p), (yes, p))
        } else {
            ((yes, p), (no, 1.0 - p))
        };
        let span = (b.0 - a.0).max(1e-12);
        let x = |v: f64| ((v - a.0) / span * 0.8 + 0.1) as f32;
        return vec![
            Pos2::new(0.0, 0.0),
            Pos2::new(x(a.0), 0.0),
            Pos2::new(x(a.0), a.1 as f32),
            Pos2::new(x(a.0), 0.0),
            Pos2::new(x(b.0), 0.0),
            Pos2::new(x(b.0), b.1 as f32),
            Pos2::new(x(b.0), 0.0),
            Pos2::new(1.0, 0.0),
        ];
    }
    let n = 64;
    let ys: Vec<f64> = (0..=n)
        .map(|i| d.pdf(lo + (hi - lo) * f64::from(i) / f64::from(n)))
        .map(|y| if y.is_finite() { y } else { 0.0 })
        .collect();
    let max = ys.iter().cloned().fold(0.0f64, f64::max);
    if !(max > 0.0) {
        return Vec::new();
    }
    ys.iter()
        .enumerate()
        .map(|(i, y)| Pos2::new(i as f32 / n as f32, (y / max) as f32))
        .collect()
}

fn text_row(ui: &mut Ui, ed_changed: &mut bool, label: &str, value: &mut String) {
    ui.horizontal(|ui| {
        ui.label(label);
        let r = ui.add(egui::TextEdit::singleline(value).desired_width(ui.available_width()));
        let v = value.clone();
        r.widget_info(|| {
            let mut info = egui::WidgetInfo::text_edit(true, v.clone(), v.clone(), "");
            info.label = Some(label.to_string());
            info
        });
        if r.changed() {
            *ed_changed = true;
        }
    });
}

fn simulation_ui(ed: &mut Editor, ui: &mut Ui) {
    let sim = &mut ed.draft.simulation;
    let mut changed = None;
    egui::Grid::new("sim-grid").num_columns(2).show(ui, |ui| {
        ui.label("Trials");
        let mut t = sim.trials as f64;
        if number_field(ui, &mut t, 100.0, "Trials").changed() {
            sim.trials = t.clamp(1.0, crate::scenario::limits::MAX_TRIALS as f64) as u64;
            changed = Some("simulation.trials");
        }
        ui.end_row();
        ui.label("Seed");
        let r = ui.add(egui::DragValue::new(&mut sim.seed).speed(1.0));
        name_widget(&r, Role::SpinButton, "Seed");
        if r.changed() {
            changed = Some("simulation.seed");
        }
        ui.end_row();
        ui.label("Horizon (months)");
        if int_field(
            ui,
            &mut sim.horizon_months,
            1..=crate::scenario::limits::MAX_HORIZON_MONTHS,
            "Horizon",
        )
        .changed()
        {
            changed = Some("simulation.horizon_months");
        }
        ui.end_row();
    });
    if let Some(p) = changed {
        ed.touched(p);
    }
}

fn side_identity_ui(ed: &mut Editor, ui: &mut Ui, s: SideRef) {
    let l = if s == SideRef::A { "a" } else { "b" };
    let side = if s == SideRef::A {
        &mut ed.draft.sides.a
    } else {
        &mut ed.draft.sides.b
    };
    let mut changed = false;
    text_row(ui, &mut changed, "Name", &mut side.name);
    text_row(ui, &mut changed, "Id", &mut side.id);
    if changed {
        ed.touched(&format!("sides.{l}.name"));
    }
}

/// Switches how a side's losses are given: its own loss rate, or from the other side's and
/// the exchange ratio.
fn losses_toggle_ui(ed: &mut Editor, ui: &mut Ui, s: SideRef) {
    let sc = &mut ed.draft;
    let has = match s {
        SideRef::A => sc.sides.a.losses_per_month.is_some(),
        SideRef::B => sc.sides.b.losses_per_month.is_some(),
    };
    let other_has = match s {
        SideRef::A => sc.sides.b.losses_per_month.is_some(),
        SideRef::B => sc.sides.a.losses_per_month.is_some(),
    };
    if has && other_has {
        if ui
            .small_button("Derive losses from the exchange ratio instead")
            .on_hover_text("Remove this side's loss rate; it then follows from the other side's and battlefield.exchange_ratio.")
            .clicked()
        {
            match s {
                SideRef::A => sc.sides.a.losses_per_month = None,
                SideRef::B => sc.sides.b.losses_per_month = None,
            }
            sc.battlefield.exchange_ratio.get_or_insert_with(|| Input::fixed(2.0));
            ed.touched(&format!("sides.{}.{}", if s == SideRef::A { "a" } else { "b" }, side_field_name(crate::scenario::SideField::Losses)));
        }
    } else if !has
        && ui
            .small_button("Give this side's losses directly")
            .on_hover_text(
                "Add a loss rate for this side; the exchange ratio is then no longer used.",
            )
            .clicked()
    {
        let value = Input::fixed(10_000.0);
        match s {
            SideRef::A => sc.sides.a.losses_per_month = Some(value),
            SideRef::B => sc.sides.b.losses_per_month = Some(value),
        }
        sc.battlefield.exchange_ratio = None;
        ed.touched("losses");
    }
}

fn recipient_combo(
    ui: &mut Ui,
    id: (&str, usize),
    recipient: &mut String,
    sides: [(&str, &str); 2],
) -> bool {
    let before = recipient.clone();
    let shown = sides
        .iter()
        .find(|(i, _)| *i == recipient.as_str())
        .map_or(recipient.clone(), |(_, n)| n.to_string());
    let combo = egui::ComboBox::from_id_salt(id)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for (i, n) in sides {
                ui.selectable_value(recipient, i.to_string(), n);
            }
        });
    name_widget(&combo.response, Role::ComboBox, "Recipient");
    *recipient != before
}

fn aid_ui(cx: &mut Cx, ed: &mut Editor, ui: &mut Ui) {
    let n = ed.draft.aid.len();
    let mut remove = None;
    for i in 0..n {
        let title = cx.names.aid.get(i).cloned().unwrap_or_default();
        egui::CollapsingHeader::new(&title)
            .id_salt(("aid", i))
            .default_open(i < 2)
            .show(ui, |ui| {
                aid_stream_fields_ui(ed, ui, i);
                inputs_where(
                    cx,
                    ed,
                    ui,
                    |k| matches!(k, InputKey::AidAmount(j) | InputKey::AidContinue(j) if j == i),
                );
                if ui.small_button("Remove this stream").clicked() {
                    remove = Some(i);
                }
            });
    }
    if let Some(i) = remove {
        ed.draft.aid.remove(i);
        ed.draft
            .remap_item_paths("aid", |k| (k != i).then_some(if k > i { k - 1 } else { k }));
        ed.touched("aid");
    }
    if ui.button("Add an aid stream").clicked() {
        let recipient = ed.draft.sides.a.id.clone();
        ed.draft.aid.push(AidStream {
            name: format!("New aid stream {}", n + 1),
            donor: "Donor".into(),
            recipient,
            amount_usd_bn: Input::fixed(1.0),
            schedule: Schedule::Monthly { from_month: 1 },
            lag_months: 1,
            cutoff: None,
        });
        ed.touched("aid");
    }
}

fn aid_stream_fields_ui(ed: &mut Editor, ui: &mut Ui, i: usize) {
    let sides = [
        (ed.draft.sides.a.id.clone(), ed.draft.sides.a.name.clone()),
        (ed.draft.sides.b.id.clone(), ed.draft.sides.b.name.clone()),
    ];
    let Some(s) = ed.draft.aid.get_mut(i) else {
        return;
    };
    let mut changed = false;
    text_row(ui, &mut changed, "Name", &mut s.name);
    text_row(ui, &mut changed, "Donor", &mut s.donor);
    ui.horizontal(|ui| {
        ui.label("Recipient");
        changed |= recipient_combo(
            ui,
            ("aid-recipient", i),
            &mut s.recipient,
            [(&sides[0].0, &sides[0].1), (&sides[1].0, &sides[1].1)],
        );
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Schedule");
        let kind = match s.schedule {
            Schedule::Monthly { .. } => 0,
            Schedule::Window { .. } => 1,
            Schedule::Shares(_) => 2,
        };
        let mut k = kind;
        let combo = egui::ComboBox::from_id_salt(("aid-schedule", i))
            .selected_text(["Monthly", "Window", "Shares"][k])
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut k, 0, "Monthly")
                    .on_hover_text("The amount every month from a month on");
                ui.selectable_value(&mut k, 1, "Window")
                    .on_hover_text("The amount spread evenly over a window of months");
                ui.selectable_value(&mut k, 2, "Shares")
                    .on_hover_text("Shares of the amount in months 1, 2, ...");
            });
        name_widget(&combo.response, Role::ComboBox, "Schedule");
        if k != kind {
            s.schedule = match k {
                0 => Schedule::Monthly { from_month: 1 },
                1 => Schedule::Window {
                    from_month: 1,
                    to_month: 3,
                },
                _ => Schedule::Shares(vec![0.5, 0.5]),
            };
            changed = true;
        }
        match &mut s.schedule {
            Schedule::Monthly { from_month } => {
                ui.label("from month");
                changed |= int_field(ui, from_month, 1..=1000, "from month").changed();
            }
            Schedule::Window {
                from_month,
                to_month,
            } => {
                ui.label("months");
                changed |= int_field(ui, from_month, 1..=1000, "from month").changed();
                ui.label("to");
                changed |= int_field(ui, to_month, 1..=1000, "to month").changed();
            }
            Schedule::Shares(shares) => {
                let mut text = shares
                    .iter()
                    .map(|x| format!("{x}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let r = ui.add(egui::TextEdit::singleline(&mut text).desired_width(140.0));
                r.clone()
                    .on_hover_text("Shares of the amount per month, separated by commas");
                if r.changed() {
                    let parsed: Option<Vec<f64>> = text
                        .split(',')
                        .map(|t| t.trim())
                        .filter(|t| !t.is_empty())
                        .map(|t| t.parse::<f64>().ok())
                        .collect();
                    if let Some(p) = parsed {
                        *shares = p;
                        changed = true;
                    }
                }
            }
        }
    });
    ui.horizontal(|ui| {
        ui.label("Delivery lag (months)");
        changed |= int_field(ui, &mut s.lag_months, 0..=120, "Delivery lag").changed();
    });
    ui.horizontal(|ui| {
        let mut has = s.cutoff.is_some();
        if ui
            .checkbox(&mut has, "Cut-off after month")
            .on_hover_text("After this month the stream continues only with some probability")
            .changed()
        {
            s.cutoff = has.then(|| Cutoff {
                month: 2,
                continue_probability: Input::fixed(0.5),
            });
            changed = true;
        }
        if let Some(c) = &mut s.cutoff {
            changed |= int_field(ui, &mut c.month, 0..=1000, "Cut-off month").changed();
        }
    });
    if changed {
        ed.touched(&format!("aid[{i}]"));
    }
}

fn troops_ui(cx: &mut Cx, ed: &mut Editor, ui: &mut Ui) {
    let n = ed.draft.troops.len();
    let mut remove = None;
    for i in 0..n {
        let title = cx.names.troops.get(i).cloned().unwrap_or_default();
        egui::CollapsingHeader::new(&title)
            .id_salt(("troops", i))
            .default_open(true)
            .show(ui, |ui| {
                let sides = [
                    (ed.draft.sides.a.id.clone(), ed.draft.sides.a.name.clone()),
                    (ed.draft.sides.b.id.clone(), ed.draft.sides.b.name.clone()),
                ];
                let mut changed = false;
                if let Some(t) = ed.draft.troops.get_mut(i) {
                    text_row(ui, &mut changed, "Name", &mut t.name);
                    text_row(ui, &mut changed, "Contributor", &mut t.contributor);
                    ui.horizontal(|ui| {
                        ui.label("Recipient");
                        changed |= recipient_combo(
                            ui,
                            ("troop-recipient", i),
                            &mut t.recipient,
                            [(&sides[0].0, &sides[0].1), (&sides[1].0, &sides[1].1)],
                        );
                        ui.label("arrives in month");
                        changed |= int_field(ui, &mut t.arrival_month, 1..=1000, "Arrival month").changed();
                    });
                }
                if changed {
                    ed.touched(&format!("troops[{i}]"));
                }
                inputs_where(cx, ed, ui, |k| matches!(k, InputKey::TroopSize(j) | InputKey::TroopEffectiveness(j) if j == i));
                if ui.small_button("Remove this contingent").clicked() {
                    remove = Some(i);
                }
            });
    }
    if let Some(i) = remove {
        ed.draft.troops.remove(i);
        ed.draft.remap_item_paths("troops", |k| {
            (k != i).then_some(if k > i { k - 1 } else { k })
        });
        ed.touched("troops");
    }
    if ui.button("Add a contingent").clicked() {
        let recipient = ed.draft.sides.b.id.clone();
        ed.draft.troops.push(Contingent {
            name: format!("New contingent {}", n + 1),
            contributor: "Contributor".into(),
            recipient,
            size: Input::fixed(5_000.0),
            arrival_month: 1,
            effectiveness: Input::fixed(0.5),
        });
        ed.touched("troops");
    }
}

fn battlefield_fixed_ui(ed: &mut Editor, ui: &mut Ui) {
    let bf = &mut ed.draft.battlefield;
    let mut changed = false;
    egui::Grid::new("battlefield-grid")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("Contested area (km2)");
            changed |= number_field(ui, &mut bf.contested_km2, 100.0, "Contested area").changed();
            ui.end_row();
            ui.label("Held by side b at the start (km2)");
            changed |= number_field(ui, &mut bf.held_by_b_km2, 100.0, "Held by side b").changed();
            ui.end_row();
        });
    if changed {
        ed.touched("battlefield.area");
    }
}

fn bargaining_ui(cx: &mut Cx, ed: &mut Editor, ui: &mut Ui) {
    let names = cx.names.sides.clone();
    let mut changed = false;
    {
        let b = &mut ed.draft.bargaining;
        ui.horizontal(|ui| {
            ui.label("Protocol");
            let is_nash = matches!(b.protocol, Protocol::Nash);
            let mut nash = is_nash;
            let combo = egui::ComboBox::from_id_salt("protocol")
                .selected_text(if nash {
                    "Nash (power from patience)"
                } else {
                    "Rubinstein (alternating offers)"
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut nash, true, "Nash (power from patience)");
                    ui.selectable_value(&mut nash, false, "Rubinstein (alternating offers)");
                });
            name_widget(&combo.response, Role::ComboBox, "Protocol");
            if nash != is_nash {
                b.protocol = if nash {
                    Protocol::Nash
                } else {
                    Protocol::Rubinstein {
                        proposer: SideRef::A,
                    }
                };
                changed = true;
            }
        });
        if let Protocol::Rubinstein { proposer } = &mut b.protocol {
            ui.horizontal(|ui| {
                ui.label("First proposer");
                changed |= ui.radio_value(proposer, SideRef::A, &names[0]).changed();
                changed |= ui.radio_value(proposer, SideRef::B, &names[1]).changed();
            });
        }
        ui.horizontal(|ui| {
            ui.label("Shift projected over (months)")
                .on_hover_text("For the durability test: how far ahead the post-deal balance of power is projected.");
            changed |= int_field(ui, &mut b.shift_months, 1..=240, "Shift months").changed();
        });
    }
    if changed {
        ed.touched("bargaining.protocol");
    }
    for s in [SideRef::A, SideRef::B] {
        ui.label(
            RichText::new(format!(
                "What {} values (in shares of the contested area)",
                names[s.index()]
            ))
            .strong(),
        );
        inputs_where(
            cx,
            ed,
            ui,
            |k| matches!(k, InputKey::Weight(x, _) if x == s),
        );
    }
    // Extra attributes, defined by their weights.
    ui.separator();
    ui.label(RichText::new("Further attributes").strong())
        .on_hover_text(
            "Attributes besides the guarantee, sanctions relief and neutrality, e.g. reparations.",
        );
    let others: Vec<String> = ed
        .draft
        .bargaining
        .weights
        .a
        .other
        .keys()
        .cloned()
        .collect();
    let mut remove_attr = None;
    for name in &others {
        ui.horizontal(|ui| {
            ui.label(name);
            if ui.small_button("Remove").clicked() {
                remove_attr = Some(name.clone());
            }
        });
    }
    if let Some(name) = remove_attr {
        let b = &mut ed.draft.bargaining;
        b.weights.a.other.remove(&name);
        b.weights.b.other.remove(&name);
        for p in &mut b.packages {
            p.other.remove(&name);
        }
        ed.touched("bargaining.attributes");
    }
    let id = egui::Id::unique("new-attribute");
    let mut new_name: String = ui.data_mut(|d| d.get_temp::<String>(id).unwrap_or_default());
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut new_name)
                .hint_text("new attribute name")
                .desired_width(150.0),
        );
        let valid = !new_name.trim().is_empty()
            && !BUILTIN_ATTRIBUTES.contains(&new_name.trim())
            && !others.contains(&new_name.trim().to_string());
        if ui
            .add_enabled(valid, egui::Button::new("Add attribute"))
            .clicked()
        {
            let n = new_name.trim().replace(' ', "_");
            ed.draft
                .bargaining
                .weights
                .a
                .other
                .insert(n.clone(), Input::fixed(0.0));
            ed.draft
                .bargaining
                .weights
                .b
                .other
                .insert(n, Input::fixed(0.0));
            new_name.clear();
            ed.touched("bargaining.attributes");
        }
    });
    ui.data_mut(|d| d.insert_temp(id, new_name));
}

fn packages_ui(cx: &mut Cx, ed: &mut Editor, ui: &mut Ui) {
    let n = ed.draft.bargaining.packages.len();
    let mut op: Option<(usize, &str)> = None;
    for i in 0..n {
        let title = cx.names.packages.get(i).cloned().unwrap_or_default();
        egui::CollapsingHeader::new(&title)
            .id_salt(("package", i))
            .default_open(false)
            .show(ui, |ui| {
                let others: Vec<String> = ed.draft.bargaining.weights.a.other.keys().cloned().collect();
                let mut changed = false;
                if let Some(p) = ed.draft.bargaining.packages.get_mut(i) {
                    text_row(ui, &mut changed, "Name", &mut p.name);
                    ui.label("Description");
                    changed |= ui
                        .add(egui::TextEdit::multiline(&mut p.description).desired_rows(2).desired_width(ui.available_width()))
                        .changed();
                    ui.horizontal(|ui| {
                        ui.label("Territory");
                        let line = matches!(p.territory, Territory::Line);
                        if ui.radio(line, "Freeze on the line").clicked() && !line {
                            p.territory = Territory::Line;
                            changed = true;
                        }
                        if ui.radio(!line, "Fixed share").clicked() && line {
                            p.territory = Territory::Share(Input::fixed(0.5));
                            changed = true;
                        }
                    });
                    for name in &others {
                        let mut has = p.other.contains_key(name);
                        if ui.checkbox(&mut has, format!("Includes {}", name.replace('_', " "))).changed() {
                            if has {
                                p.other.insert(name.clone(), Input::fixed(1.0));
                            } else {
                                p.other.remove(name);
                            }
                            changed = true;
                        }
                    }
                }
                if changed {
                    ed.touched(&format!("bargaining.packages[{i}]"));
                }
                inputs_where(cx, ed, ui, |k| matches!(k, InputKey::PackageTerritory(j) | InputKey::PackageAttr(j, _) if j == i));
                ui.horizontal(|ui| {
                    if ui.small_button("Duplicate").clicked() {
                        op = Some((i, "dup"));
                    }
                    if ui.add_enabled(i > 0, egui::Button::new("Up").small()).clicked() {
                        op = Some((i, "up"));
                    }
                    if ui.add_enabled(i + 1 < n, egui::Button::new("Down").small()).clicked() {
                        op = Some((i, "down"));
                    }
                    if ui.small_button("Remove").clicked() {
                        op = Some((i, "remove"));
                    }
                });
            });
    }
    if let Some((i, what)) = op {
        // Where each old package index goes, so correlations keep pointing at their items.
        let n = ed.draft.bargaining.packages.len();
        let remap: Box<dyn Fn(usize) -> Option<usize>> = match what {
            "dup" => Box::new(move |k| Some(if k > i { k + 1 } else { k })),
            "up" if i > 0 => Box::new(move |k| {
                Some(if k == i {
                    i - 1
                } else if k == i - 1 {
                    i
                } else {
                    k
                })
            }),
            "down" if i + 1 < n => Box::new(move |k| {
                Some(if k == i {
                    i + 1
                } else if k == i + 1 {
                    i
                } else {
                    k
                })
            }),
            "remove" => Box::new(move |k| (k != i).then_some(if k > i { k - 1 } else { k })),
            _ => Box::new(Some),
        };
        ed.draft.remap_item_paths("bargaining.packages", remap);
        let packages = &mut ed.draft.bargaining.packages;
        match what {
            "dup" => {
                if let Some(p) = packages.get(i).cloned() {
                    let mut copy = p;
                    copy.name = unique_name(
                        packages.iter().map(|p| p.name.as_str()),
                        &format!("{} (copy)", copy.name),
                    );
                    packages.insert(i + 1, copy);
                }
            }
            "up" if i > 0 => packages.swap(i, i - 1),
            "down" if i + 1 < packages.len() => packages.swap(i, i + 1),
            "remove" => {
                packages.remove(i);
            }
            _ => {}
        }
        ed.touched("bargaining.packages");
    }
    if ui.button("Add a package").clicked() {
        let name = unique_name(
            ed.draft.bargaining.packages.iter().map(|p| p.name.as_str()),
            "New package",
        );
        ed.draft.bargaining.packages.push(Package {
            name,
            description: String::new(),
            territory: Territory::Line,
            security_guarantee: Input::fixed(0.0),
            sanctions_relief: Input::fixed(0.0),
            neutrality: Input::fixed(0.0),
            force_cap_a: None,
            force_cap_b: None,
            other: Default::default(),
        });
        ed.touched("bargaining.packages");
    }
}

fn unique_name<'a>(existing: impl Iterator<Item = &'a str>, wanted: &str) -> String {
    let names: Vec<&str> = existing.collect();
    if !names.contains(&wanted) {
        return wanted.to_string();
    }
    (2..)
        .map(|k| format!("{wanted} {k}"))
        .find(|n| !names.contains(&n.as_str()))
        .unwrap_or_else(|| wanted.to_string())
}

/// Rank correlations between uncertain inputs: each pair with its target rank correlation,
/// and a way to add one.
fn correlations_ui(ed: &mut Editor, ui: &mut Ui) {
    ui.label(
        RichText::new(
            "Rank correlations between uncertain inputs, induced in every batch of trials \
             (Iman-Conover). An inconsistent set is repaired to the nearest valid one, with a \
             warning below the plots.",
        )
        .weak()
        .small(),
    );
    let sc = ed.draft.clone();
    let uncertain: Vec<(String, String)> = sc
        .inputs()
        .into_iter()
        .filter(|i| !i.input.value.is_fixed())
        .map(|i| (i.path.clone(), crate::analysis::input_label(&sc, i.key)))
        .collect();
    let label_of = |p: &str| {
        uncertain
            .iter()
            .find(|(path, _)| path == p)
            .map_or_else(|| p.to_string(), |(_, l)| l.clone())
    };
    let mut remove = None;
    let mut changed = false;
    for (i, c) in ed.draft.correlations.iter_mut().enumerate() {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{}  ~  {}", label_of(&c.a), label_of(&c.b)));
            let r = ui.add(
                egui::DragValue::new(&mut c.rank)
                    .range(-1.0..=1.0)
                    .speed(0.01)
                    .max_decimals(2),
            );
            name_widget(&r, Role::SpinButton, "Rank correlation");
            changed |= r.changed();
            if ui.small_button("Remove").clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        ed.draft.correlations.remove(i);
        changed = true;
    }
    if uncertain.len() >= 2 {
        let id = egui::Id::unique("new-correlation");
        let (mut a, mut b): (usize, usize) =
            ui.data_mut(|d| d.get_temp::<(usize, usize)>(id).unwrap_or((0, 1)));
        a = a.min(uncertain.len() - 1);
        b = b.min(uncertain.len() - 1);
        ui.horizontal_wrapped(|ui| {
            for (which, k) in [("first", &mut a), ("second", &mut b)] {
                let combo = egui::ComboBox::from_id_salt(("corr", which))
                    .selected_text(truncate_label(&uncertain[*k].1, 28))
                    .width(170.0)
                    .show_ui(ui, |ui| {
                        for (j, (_, l)) in uncertain.iter().enumerate() {
                            ui.selectable_value(k, j, l);
                        }
                    });
                name_widget(
                    &combo.response,
                    Role::ComboBox,
                    &format!("Correlate {which} input"),
                );
            }
            let exists = ed.draft.correlations.iter().any(|c| {
                (c.a == uncertain[a].0 && c.b == uncertain[b].0)
                    || (c.a == uncertain[b].0 && c.b == uncertain[a].0)
            });
            if ui
                .add_enabled(a != b && !exists, egui::Button::new("Add correlation"))
                .clicked()
            {
                ed.draft.correlations.push(crate::scenario::Correlation {
                    a: uncertain[a].0.clone(),
                    b: uncertain[b].0.clone(),
                    rank: 0.5,
                });
                changed = true;
            }
        });
        ui.data_mut(|d| d.insert_temp(id, (a, b)));
    } else {
        ui.label(
            RichText::new("Give at least two inputs a distribution to correlate them.").weak(),
        );
    }
    if changed {
        ed.touched("correlations");
    }
}

fn truncate_label(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn sources_ui(ed: &mut Editor, ui: &mut Ui) {
    let mut remove = None;
    let mut changed = false;
    for (i, s) in ed.draft.meta.sources.iter_mut().enumerate() {
        egui::CollapsingHeader::new(if s.id.is_empty() {
            "(no id)".to_string()
        } else {
            s.id.clone()
        })
        .id_salt(("source", i))
        .show(ui, |ui| {
            text_row(ui, &mut changed, "Id", &mut s.id);
            ui.label("Citation");
            changed |= ui
                .add(
                    egui::TextEdit::multiline(&mut s.citation)
                        .desired_rows(2)
                        .desired_width(ui.available_width()),
                )
                .changed();
            let mut url = s.url.clone().unwrap_or_default();
            text_row(ui, &mut changed, "URL", &mut url);
            s.url = (!url.is_empty()).then_some(url);
            let mut publication = s.publication.clone().unwrap_or_default();
            text_row(ui, &mut changed, "Publication", &mut publication);
            s.publication = (!publication.is_empty()).then_some(publication);
            let mut date = s.date.clone().unwrap_or_default();
            text_row(ui, &mut changed, "Date", &mut date);
            s.date = (!date.is_empty()).then_some(date);
            if ui.small_button("Remove this source").clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        ed.draft.meta.sources.remove(i);
        changed = true;
    }
    if ui.button("Add a source").clicked() {
        let id = unique_name(
            ed.draft.meta.sources.iter().map(|s| s.id.as_str()),
            "new-source",
        );
        ed.draft.meta.sources.push(Source {
            id,
            citation: "Author, title, publisher".into(),
            url: None,
            publication: None,
            date: None,
        });
        changed = true;
    }
    if changed {
        ed.touched("meta.sources");
    }
}

fn meta_ui(ed: &mut Editor, ui: &mut Ui) {
    let m = &mut ed.draft.meta;
    let mut changed = false;
    text_row(ui, &mut changed, "Title", &mut m.title);
    text_row(ui, &mut changed, "Date", &mut m.date);
    let mut authors = m.authors.join(", ");
    text_row(ui, &mut changed, "Authors", &mut authors);
    if changed {
        m.authors = authors
            .split(',')
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
    }
    ui.label("Description");
    changed |= ui
        .add(
            egui::TextEdit::multiline(&mut m.description)
                .desired_rows(4)
                .desired_width(ui.available_width()),
        )
        .changed();
    if changed {
        ed.touched("meta");
    }
}
