//! Keeps Tab and Shift+Tab inside the inputs panel: two invisible focus stops, one before the
//! search box and one after the last input, send the keyboard focus round the panel (from the
//! last input to the search box, and back) instead of on into the menu bar or the plots. A
//! stop reached from outside the panel passes the focus on to the panel's first or last input.

use egui::{Id, Rect, Sense, Ui};

/// The inputs' search box, the first input of the panel.
const SEARCH: &str = "inputs-search";
const START: &str = "inputs-tab-start";
const END: &str = "inputs-tab-end";

/// The id of the inputs' search box.
pub fn search_id() -> Id {
    Id::unique(SEARCH)
}

/// True when Tab (without Shift) was pressed this frame.
fn tab_forward(ui: &Ui) -> bool {
    ui.input(|i| {
        i.events.iter().any(|e| {
            matches!(
                e,
                egui::Event::Key {
                    key: egui::Key::Tab,
                    pressed: true,
                    modifiers,
                    ..
                } if !modifiers.any()
            )
        })
    })
}

/// An invisible focus stop at the current position; returns whether it had the focus when the
/// frame began (it was reached backwards, by Shift+Tab, or sent there) and whether it got the
/// focus while being added (reached forwards, by Tab).
fn stop(ui: &mut Ui, id: Id, before: impl FnOnce(&Ui, bool)) -> bool {
    let had = ui.memory(|m| m.has_focus(id));
    before(ui, had);
    let at = Rect::from_min_size(ui.next_widget_position(), egui::Vec2::ZERO);
    ui.interact(at, id, Sense::focusable_noninteractive());
    !had && ui.memory(|m| m.has_focus(id)) && tab_forward(ui)
}

/// The stop before the search box: reached by Tab from before the panel, it hands the focus
/// to the search box; reached by Shift+Tab from the search box, it sends it round to the last
/// input (through the stop after it).
pub fn start_ui(ui: &mut Ui) {
    let forward = stop(ui, Id::unique(START), |ui, had| {
        if had {
            ui.memory_mut(|m| m.request_focus(Id::unique(END)));
            ui.ctx().request_repaint();
        }
    });
    if forward {
        ui.memory_mut(|m| m.request_focus(search_id()));
        ui.ctx().request_repaint();
    }
}

/// The stop after the last input: reached by Tab from the last input, it sends the focus round
/// to the search box; reached backwards (by Shift+Tab from after the panel, or sent by the
/// stop before the search box), it hands it to the last input.
pub fn end_ui(ui: &mut Ui) {
    let forward = stop(ui, Id::unique(END), |ui, had| {
        if had {
            // The focused stop, on being added, gives the focus to the widget added before it.
            ui.memory_mut(|m| m.move_focus(egui::FocusDirection::Previous));
            ui.ctx().request_repaint();
        }
    });
    if forward {
        ui.memory_mut(|m| m.request_focus(search_id()));
        ui.ctx().request_repaint();
    }
}
