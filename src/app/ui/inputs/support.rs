//! Outside support: the aid streams (donor, recipient, schedule, lag, cut-off) and the troop
//! contingents, each with its inputs, added and removed.

use egui::Ui;
use egui::accesskit::Role;

use super::control::text_row;
use super::{Cx, inputs_where};
use crate::app::ui::widgets::{Editor, int_field, name_widget};
use crate::scenario::{Cutoff, Edit, Input, InputKey, ItemOp, List, Scenario, Schedule};

/// The sides as a recipient can name them: (id, name).
fn side_choices(sc: &Scenario) -> [(String, String); 2] {
    [
        (sc.sides.a.id.clone(), sc.sides.a.name.clone()),
        (sc.sides.b.id.clone(), sc.sides.b.name.clone()),
    ]
}

/// Which side receives the aid or troops; returns true when the choice changed.
fn recipient_combo(
    ui: &mut Ui,
    id: (&str, usize),
    recipient: &mut String,
    sides: &[(String, String); 2],
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
                ui.selectable_value(recipient, i.clone(), n);
            }
        });
    name_widget(&combo.response, Role::ComboBox, "Recipient");
    *recipient != before
}

/// A list of outside support as the panel shows it.
struct Items {
    list: List,
    /// Salt of the items' header ids.
    id: &'static str,
    titles: Vec<String>,
    /// Which items' headers start open.
    open: fn(usize) -> bool,
    remove_label: &'static str,
    add_label: &'static str,
    add: Edit,
}

/// The items of a list, each under its own header with its fields and inputs (`body`) and a
/// remove button, then a button that adds one.
fn items_ui(
    cx: &mut Cx,
    ed: &mut Editor,
    ui: &mut Ui,
    items: Items,
    mut body: impl FnMut(&mut Cx, &mut Editor, &mut Ui, usize),
) {
    let mut remove = None;
    for i in 0..items.list.len(&ed.draft) {
        let title = items.titles.get(i).cloned().unwrap_or_default();
        egui::CollapsingHeader::new(&title)
            .id_salt((items.id, i))
            .default_open((items.open)(i))
            .show(ui, |ui| {
                body(cx, ed, ui, i);
                if ui.small_button(items.remove_label).clicked() {
                    remove = Some(i);
                }
            });
    }
    if let Some(i) = remove {
        ed.apply(Edit::Item(items.list, ItemOp::Remove(i)));
    }
    if ui.button(items.add_label).clicked() {
        ed.apply(items.add);
    }
}

pub(super) fn aid_ui(cx: &mut Cx, ed: &mut Editor, ui: &mut Ui) {
    let items = Items {
        list: List::AidStreams,
        id: "aid",
        titles: cx.names.aid.clone(),
        open: |i| i < 2,
        remove_label: "Remove this stream",
        add_label: "Add an aid stream",
        add: Edit::AddAidStream,
    };
    items_ui(cx, ed, ui, items, |cx, ed, ui, i| {
        aid_stream_fields_ui(ed, ui, i);
        inputs_where(
            cx,
            ed,
            ui,
            |k| matches!(k, InputKey::AidAmount(j) | InputKey::AidCutoffMonth(j) | InputKey::AidContinue(j) if j == i),
        );
    });
}

pub(super) fn aid_stream_fields_ui(ed: &mut Editor, ui: &mut Ui, i: usize) {
    let sides = side_choices(&ed.draft);
    let Some(s) = ed.draft.aid.get_mut(i) else {
        return;
    };
    let mut changed = false;
    text_row(ui, &mut changed, "Name", &mut s.name);
    text_row(ui, &mut changed, "Donor", &mut s.donor);
    ui.horizontal(|ui| {
        ui.label("Recipient");
        changed |= recipient_combo(ui, ("aid-recipient", i), &mut s.recipient, &sides);
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
            .checkbox(&mut has, "Cut-off")
            .on_hover_text("After this month the stream continues only with some probability")
            .changed()
        {
            s.cutoff = has.then(|| Cutoff {
                month: Input::fixed(2.0),
                continue_probability: Input::fixed(0.5),
            });
            changed = true;
        }
    });
    if changed {
        ed.touched(&format!("aid[{i}]"));
    }
}

pub(super) fn troops_ui(cx: &mut Cx, ed: &mut Editor, ui: &mut Ui) {
    let items = Items {
        list: List::Contingents,
        id: "troops",
        titles: cx.names.troops.clone(),
        open: |_| true,
        remove_label: "Remove this contingent",
        add_label: "Add a contingent",
        add: Edit::AddContingent,
    };
    items_ui(cx, ed, ui, items, |cx, ed, ui, i| {
        let sides = side_choices(&ed.draft);
        let mut changed = false;
        if let Some(t) = ed.draft.troops.get_mut(i) {
            text_row(ui, &mut changed, "Name", &mut t.name);
            text_row(ui, &mut changed, "Contributor", &mut t.contributor);
            ui.horizontal(|ui| {
                ui.label("Recipient");
                changed |= recipient_combo(ui, ("troop-recipient", i), &mut t.recipient, &sides);
            });
        }
        if changed {
            ed.touched(&format!("troops[{i}]"));
        }
        inputs_where(
            cx,
            ed,
            ui,
            |k| matches!(k, InputKey::TroopSize(j) | InputKey::TroopArrival(j) | InputKey::TroopEffectiveness(j) if j == i),
        );
    });
}
