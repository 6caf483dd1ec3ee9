//! The bargaining table: protocol, the projection of the shift of power, each side's weights,
//! the further attributes, and the packages (terms, inputs, duplicate, move, remove, add).

use egui::accesskit::Role;
use egui::{RichText, Ui};

use super::control::{text_area, text_row};
use super::{Cx, inputs_where};
use crate::app::ui::widgets::{Editor, int_field, name_widget};
use crate::scenario::{Edit, Input, InputKey, ItemOp, List, Protocol, SideRef, Territory};

pub(super) fn bargaining_ui(cx: &mut Cx, ed: &mut Editor, ui: &mut Ui) {
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
        ed.apply(Edit::RemoveAttribute(name));
    }
    let id = egui::Id::unique("new-attribute");
    let mut new_name: String = ui.data_mut(|d| d.get_temp::<String>(id).unwrap_or_default());
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut new_name)
                .hint_text("new attribute name")
                .desired_width(150.0),
        );
        let add = Edit::AddAttribute(new_name.clone());
        let valid = ed.can_apply(&add);
        if ui
            .add_enabled(valid, egui::Button::new("Add attribute"))
            .clicked()
            && ed.apply(add)
        {
            new_name.clear();
        }
    });
    ui.data_mut(|d| d.insert_temp(id, new_name));
}

pub(super) fn packages_ui(cx: &mut Cx, ed: &mut Editor, ui: &mut Ui) {
    let n = ed.draft.bargaining.packages.len();
    let mut op: Option<ItemOp> = None;
    for i in 0..n {
        let title = cx.names.packages.get(i).cloned().unwrap_or_default();
        egui::CollapsingHeader::new(&title)
            .id_salt(("package", i))
            .default_open(false)
            .show(ui, |ui| {
                let others: Vec<String> = ed.draft.bargaining.weights.a.other.keys().cloned().collect();
                let mut changed = false;
                let mut include = None;
                if let Some(p) = ed.draft.bargaining.packages.get_mut(i) {
                    text_row(ui, &mut changed, "Name", &mut p.name);
                    text_area(ui, &mut changed, "Description", &mut p.description, 2);
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
                            include = Some(Edit::IncludeAttribute {
                                package: i,
                                attribute: name.clone(),
                                included: has,
                            });
                        }
                    }
                }
                if changed {
                    ed.touched(&format!("bargaining.packages[{i}]"));
                }
                if let Some(edit) = include {
                    ed.apply(edit);
                }
                inputs_where(cx, ed, ui, |k| matches!(k, InputKey::PackageTerritory(j) | InputKey::PackageAttr(j, _) if j == i));
                ui.horizontal(|ui| {
                    if ui.small_button("Duplicate").clicked() {
                        op = Some(ItemOp::Duplicate(i));
                    }
                    if ui.add_enabled(i > 0, egui::Button::new("Up").small()).clicked() {
                        op = Some(ItemOp::MoveUp(i));
                    }
                    if ui.add_enabled(i + 1 < n, egui::Button::new("Down").small()).clicked() {
                        op = Some(ItemOp::MoveDown(i));
                    }
                    if ui.small_button("Remove").clicked() {
                        op = Some(ItemOp::Remove(i));
                    }
                });
            });
    }
    if let Some(op) = op {
        ed.apply(Edit::Item(List::Packages, op));
    }
    if ui.button("Add a package").clicked() {
        ed.apply(Edit::AddPackage);
    }
}
