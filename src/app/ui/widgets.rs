//! Small shared widgets: labelled numeric fields (read and written as `text::fmt_readable`
//! shows numbers), sliders, accessible names, the editing draft.

use egui::{Response, Ui, WidgetInfo};

use crate::scenario::limits::MAX_TRIALS;
use crate::scenario::{Edit, Scenario};

/// The scenario being edited during one frame. Widgets change `draft`; after drawing, a
/// changed draft becomes one `Action::Edit` named by `key` (the edited field's path).
pub struct Editor {
    pub draft: Scenario,
    pub key: Option<String>,
    /// A problem with what was asked for (e.g. more trials than allowed), for the status bar.
    pub warning: Option<String>,
}

impl Editor {
    pub fn new(scenario: &Scenario) -> Self {
        Editor {
            draft: scenario.clone(),
            key: None,
            warning: None,
        }
    }

    /// Notes that the field at `path` changed.
    pub fn touched(&mut self, path: &str) {
        if self.key.is_none() {
            self.key = Some(path.to_string());
        }
    }

    /// Carries out a structural edit on the draft (see `scenario::Edit`), named for undo by
    /// the edit. Returns false when it does not apply.
    pub fn apply(&mut self, edit: Edit) -> bool {
        let applied = self.draft.apply(&edit);
        if applied {
            self.touched(&edit.undo_key());
        }
        applied
    }

    /// True when `edit` would apply to the draft (for enabling the control that asks for it).
    pub fn can_apply(&self, edit: &Edit) -> bool {
        self.draft.clone().apply(edit)
    }
}

/// Parses what a user typed: accepts thousands separators, spaces, and a trailing `%`.
pub fn parse_num(s: &str) -> Option<f64> {
    let t: String = s
        .chars()
        .filter(|c| *c != ',' && *c != '_' && !c.is_whitespace())
        .collect();
    if let Some(p) = t.strip_suffix('%') {
        return p.parse::<f64>().ok().map(|v| v / 100.0);
    }
    t.parse::<f64>().ok()
}

/// After Enter commits a typed value, the field keeps the keyboard focus (so that Tab moves
/// on from it, and typing again edits it), instead of the focus leaving the panel.
fn keep_focus_after_enter(ui: &Ui, r: &Response) {
    if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
        r.request_focus();
    }
}

/// A numeric field with readable formatting and an accessible label. A typed value is
/// applied whole, on Enter or when the field loses focus, never keystroke by keystroke (a
/// first digit alone could be out of range or make a distribution invalid); Escape cancels.
pub fn number_field(ui: &mut Ui, value: &mut f64, speed: f64, label: &str) -> Response {
    let r = ui.add(
        egui::DragValue::new(value)
            .speed(speed)
            .custom_formatter(|n, _| crate::text::fmt_readable(n))
            .custom_parser(parse_num)
            .update_while_editing(false),
    );
    keep_focus_after_enter(ui, &r);
    let v = *value;
    let enabled = ui.is_enabled();
    let label = label.to_string();
    r.widget_info(|| WidgetInfo::drag_value(enabled, v).with_label(label.clone()));
    r
}

/// A field of a whole-number input held as a float (a fixed month): shown and kept whole.
pub fn whole_number_field(ui: &mut Ui, value: &mut f64, label: &str) -> Response {
    let r = ui.add(
        egui::DragValue::new(value)
            .speed(0.1)
            .max_decimals(0)
            .custom_formatter(|n, _| {
                let n = n.round();
                if n.abs() >= 1000.0 {
                    crate::text::fmt_readable(n)
                } else {
                    format!("{n:.0}")
                }
            })
            .custom_parser(parse_num)
            .update_while_editing(false),
    );
    if value.is_finite() {
        *value = value.round();
    }
    keep_focus_after_enter(ui, &r);
    let v = *value;
    let enabled = ui.is_enabled();
    let label = label.to_string();
    r.widget_info(|| WidgetInfo::drag_value(enabled, v).with_label(label.clone()));
    r
}

/// A whole-number field (months, counts).
pub fn int_field(
    ui: &mut Ui,
    value: &mut u32,
    range: std::ops::RangeInclusive<u32>,
    label: &str,
) -> Response {
    let r = ui.add(
        egui::DragValue::new(value)
            .range(range)
            .speed(0.1)
            .update_while_editing(false),
    );
    keep_focus_after_enter(ui, &r);
    let v = f64::from(*value);
    let enabled = ui.is_enabled();
    let label = label.to_string();
    r.widget_info(|| WidgetInfo::drag_value(enabled, v).with_label(label.clone()));
    r
}

/// A slider without its own value text, labelled for assistive technology and tests.
pub fn slider(
    ui: &mut Ui,
    value: &mut f64,
    lo: f64,
    hi: f64,
    step: f64,
    label: &str,
    width: f32,
) -> Response {
    ui.spacing_mut().slider_width = width.max(40.0);
    let mut s = egui::Slider::new(value, lo..=hi)
        .show_value(false)
        .clamping(egui::SliderClamping::Never);
    if step > 0.0 {
        s = s.step_by(step);
    }
    let r = ui.add(s);
    let v = *value;
    let enabled = ui.is_enabled();
    let label = label.to_string();
    r.widget_info(|| WidgetInfo::slider(enabled, v, label.clone()));
    r
}

/// Extension for labelling a drag value.
trait WithLabel {
    fn with_label(self, label: String) -> Self;
}

impl WithLabel for WidgetInfo {
    fn with_label(mut self, label: String) -> Self {
        self.label = Some(label);
        self
    }
}

/// Gives a widget without visible text its accessible name.
pub fn name_widget(response: &Response, role: egui::accesskit::Role, label: &str) {
    let enabled = response.enabled();
    let label = label.to_string();
    response.widget_info(|| WidgetInfo::labeled(role, enabled, label.clone()));
}

/// The seed of the runs, as the toolbar and the Simulation section both show it.
pub fn seed_field(ui: &mut Ui, ed: &mut Editor) {
    let mut seed = ed.draft.simulation.seed;
    let r = ui.add(egui::DragValue::new(&mut seed).speed(1.0));
    name_widget(&r, egui::accesskit::Role::SpinButton, "Seed");
    if r.changed() {
        ed.draft.simulation.seed = seed;
        ed.touched("simulation.seed");
    }
}

/// The trial count, as the toolbar and the Simulation section both show it: kept within
/// 1..=`MAX_TRIALS`, with a warning for the status bar when more were asked for.
pub fn trials_field(ui: &mut Ui, ed: &mut Editor) {
    let mut trials = ed.draft.simulation.trials as f64;
    if number_field(ui, &mut trials, 100.0, "Trials").changed() {
        let max = MAX_TRIALS as f64;
        if trials > max {
            ed.warning = Some(format!(
                "Trials are limited to {} (about {} MB of results); set to the maximum.",
                crate::text::group_thousands(max),
                MAX_TRIALS * std::mem::size_of::<crate::TrialRecord>() as u64 / 1_000_000
            ));
        }
        ed.draft.simulation.trials = trials.clamp(1.0, max) as u64;
        ed.touched("simulation.trials");
    }
}
