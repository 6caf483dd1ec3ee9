//! The Simulation section (trials, seed, horizon), each side's name, id and loss toggle,
//! and the battlefield's fixed areas.

use egui::Ui;

use super::control::text_row;
use crate::app::ui::widgets::{Editor, int_field, seed_field, trials_field};
use crate::scenario::{Edit, SideRef};

pub(super) fn simulation_ui(ed: &mut Editor, ui: &mut Ui) {
    egui::Grid::new("sim-grid").num_columns(2).show(ui, |ui| {
        ui.label("Trials");
        trials_field(ui, ed);
        ui.end_row();
        ui.label("Seed");
        seed_field(ui, ed);
        ui.end_row();
        ui.label("Horizon (months)");
        let sim = &mut ed.draft.simulation;
        if int_field(
            ui,
            &mut sim.horizon_months,
            1..=crate::scenario::limits::MAX_HORIZON_MONTHS,
            "Horizon",
        )
        .changed()
        {
            ed.touched("simulation.horizon_months");
        }
        ui.end_row();
    });
}

pub(super) fn side_identity_ui(ed: &mut Editor, ui: &mut Ui, s: SideRef) {
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
pub(super) fn losses_toggle_ui(ed: &mut Editor, ui: &mut Ui, s: SideRef) {
    let derive = Edit::DeriveLosses(s);
    let give = Edit::GiveLosses(s);
    if ed.can_apply(&derive) {
        if ui
            .small_button("Derive losses from the exchange ratio instead")
            .on_hover_text("Remove this side's loss rate; it then follows from the other side's and battlefield.exchange_ratio.")
            .clicked()
        {
            ed.apply(derive);
        }
    } else if ed.can_apply(&give)
        && ui
            .small_button("Give this side's losses directly")
            .on_hover_text(
                "Add a loss rate for this side; the exchange ratio is then no longer used.",
            )
            .clicked()
    {
        ed.apply(give);
    }
}
