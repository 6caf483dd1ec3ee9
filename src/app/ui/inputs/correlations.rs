//! Rank correlations between uncertain inputs: each pair with its target, removed or added.

use egui::accesskit::Role;
use egui::{RichText, Ui};

use crate::app::ui::widgets::{Editor, name_widget};
use crate::scenario::{Edit, ItemOp, List};

/// Rank correlations between uncertain inputs: each pair with its target rank correlation,
/// and a way to add one.
pub(super) fn correlations_ui(ed: &mut Editor, ui: &mut Ui) {
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
    let mut add = None;
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
    if changed {
        ed.touched("correlations");
    }
    if let Some(i) = remove {
        ed.apply(Edit::Item(List::Correlations, ItemOp::Remove(i)));
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
                    .selected_text(crate::text::clip(&uncertain[*k].1, 28))
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
            let pair = Edit::AddCorrelation {
                a: uncertain[a].0.clone(),
                b: uncertain[b].0.clone(),
            };
            let possible = ed.can_apply(&pair);
            if ui
                .add_enabled(possible, egui::Button::new("Add correlation"))
                .clicked()
            {
                add = Some(pair);
            }
        });
        ui.data_mut(|d| d.insert_temp(id, (a, b)));
    } else {
        ui.label(
            RichText::new("Give at least two inputs a distribution to correlate them.").weak(),
        );
    }
    if let Some(pair) = add {
        ed.apply(pair);
    }
}
