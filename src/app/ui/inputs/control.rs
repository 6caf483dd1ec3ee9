//! One input's control: its label with the note and source on hover, the kind chooser, a
//! slider and exact field for a plain number or the parameters and a density preview for a
//! distribution, and its problems; plus the labelled text row the sections use.

use egui::accesskit::Role;
use egui::{Pos2, RichText, Ui, Vec2};

use std::collections::HashMap;

use super::Cx;
use crate::app::ui::widgets::{name_widget, number_field, slider, whole_number_field};
use crate::scenario::registry::spec_of;
use crate::scenario::{Dist, DistKind, Edit, FieldSpec, Input, InputKey, Issue, Source};
use crate::text::fmt_readable;

/// One numeric input. Returns true when it changed.
pub(super) fn input_ui(
    cx: &mut Cx,
    ui: &mut Ui,
    key: InputKey,
    path: &str,
    label: &str,
    input: &mut Input,
) -> bool {
    let spec = spec_of(key);
    let unit = input
        .slider
        .as_ref()
        .and_then(|h| h.unit.clone())
        .unwrap_or_else(|| spec.unit.to_string());
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
        // A label too long to share its row with the unit and the kind menu (an item's name
        // in front of the field's, when searching) gets a row of its own, wrapped.
        let width_of = |text: &str, style: egui::TextStyle| {
            let font = style.resolve(ui.style());
            ui.painter()
                .layout_no_wrap(text.to_string(), font, egui::Color32::WHITE)
                .size()
                .x
        };
        // The kind menu (KIND_MENU_WIDTH and its button's padding), the (i) and the spacing
        // between them.
        let own_row = width_of(label, egui::TextStyle::Body)
            + width_of(&unit, egui::TextStyle::Small)
            + KIND_MENU_WIDTH
            + 48.0
            > ui.available_width();
        let title = |ui: &mut egui::Ui| {
            let r = ui
                .add(egui::Label::new(RichText::new(label).strong()).wrap())
                .on_hover_ui(|ui| {
                    hover_ui(ui, spec, input, &cx.sources, path);
                });
            r.widget_info(|| egui::WidgetInfo::labeled(egui::accesskit::Role::Label, true, label));
        };
        if own_row {
            title(ui);
        }
        ui.horizontal(|ui| {
            if !own_row {
                title(ui);
            }
            ui.label(RichText::new(&unit).weak().small());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(kind) = kind_combo(ui, path, spec, input) {
                    cx.edit = Some(Edit::ConvertDistribution {
                        path: path.to_string(),
                        kind,
                    });
                }
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
                let range = spec.slider_range(input.slider.as_ref(), *x);
                let (lo, hi, step) = (range.min, range.max, range.step);
                ui.horizontal(|ui| {
                    slider(ui, x, lo, hi, step, label, (width - 110.0).max(60.0));
                    if spec.integer {
                        whole_number_field(ui, x, label);
                        *x = x.round();
                    } else {
                        number_field(ui, x, step.max((hi - lo) / 500.0), label);
                    }
                });
                if !spec.accepts(*x) {
                    *x = spec.clamp(*x);
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

/// The width of an input's distribution-kind menu.
const KIND_MENU_WIDTH: f32 = 92.0;

pub(super) fn hover_ui(
    ui: &mut Ui,
    spec: &FieldSpec,
    input: &Input,
    sources: &[Source],
    path: &str,
) {
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

/// The kind chooser of an input; returns the kind chosen when it changed.
pub(super) fn kind_combo(
    ui: &mut Ui,
    path: &str,
    spec: &FieldSpec,
    input: &Input,
) -> Option<DistKind> {
    let current = input.value.kind();
    let mut chosen = current;
    let combo = egui::ComboBox::from_id_salt(("kind", path))
        .selected_text(current.name())
        .width(KIND_MENU_WIDTH)
        .show_ui(ui, |ui| {
            for k in DistKind::ALL {
                ui.selectable_value(&mut chosen, k, k.name());
            }
        });
    let label = format!("{} distribution", spec.label);
    name_widget(&combo.response, Role::ComboBox, &label);
    combo.response.on_hover_text("Fixed value or distribution");
    (chosen != current).then_some(chosen)
}

pub(super) fn param(ui: &mut Ui, name: &str, value: &mut f64, speed: f64, label: &str) {
    ui.label(RichText::new(name).small());
    number_field(ui, value, speed, &format!("{label} {name}"));
}

pub(super) fn dist_params_ui(ui: &mut Ui, d: &mut Dist, spec: &FieldSpec, label: &str) {
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
pub(super) fn preview_ui(
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
        fmt_readable(q50),
        fmt_readable(q5),
        fmt_readable(q95),
        fmt_readable(d.mean())
    ));
}

/// Normalised density points (x and y within 0..1) for the preview; point masses are drawn
/// as spikes.
pub(super) fn density_points(d: &Dist) -> Vec<Pos2> {
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

pub(super) fn text_row(ui: &mut Ui, ed_changed: &mut bool, label: &str, value: &mut String) {
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

/// A labelled text row for an optional text: empty means none.
pub(super) fn optional_text_row(
    ui: &mut Ui,
    changed: &mut bool,
    label: &str,
    value: &mut Option<String>,
) {
    let mut text = value.clone().unwrap_or_default();
    text_row(ui, changed, label, &mut text);
    *value = (!text.is_empty()).then_some(text);
}

/// A labelled text area of `rows` lines across the panel.
pub(super) fn text_area(
    ui: &mut Ui,
    changed: &mut bool,
    label: &str,
    value: &mut String,
    rows: usize,
) {
    ui.label(label);
    *changed |= ui
        .add(
            egui::TextEdit::multiline(value)
                .desired_rows(rows)
                .desired_width(ui.available_width()),
        )
        .changed();
}
