//! Where the numbers come from and what the scenario is: the sources and the description.

use egui::Ui;

use super::control::{optional_text_row, text_area, text_row};
use crate::app::ui::widgets::Editor;
use crate::scenario::{Edit, ItemOp, List};

pub(super) fn sources_ui(ed: &mut Editor, ui: &mut Ui) {
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
            text_area(ui, &mut changed, "Citation", &mut s.citation, 2);
            optional_text_row(ui, &mut changed, "URL", &mut s.url);
            optional_text_row(ui, &mut changed, "Publication", &mut s.publication);
            optional_text_row(ui, &mut changed, "Date", &mut s.date);
            if ui.small_button("Remove this source").clicked() {
                remove = Some(i);
            }
        });
    }
    if changed {
        ed.touched("meta.sources");
    }
    if let Some(i) = remove {
        ed.apply(Edit::Item(List::Sources, ItemOp::Remove(i)));
    }
    if ui.button("Add a source").clicked() {
        ed.apply(Edit::AddSource);
    }
}

pub(super) fn meta_ui(ed: &mut Editor, ui: &mut Ui) {
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
    text_area(ui, &mut changed, "Description", &mut m.description, 4);
    if changed {
        ed.touched("meta");
    }
}
