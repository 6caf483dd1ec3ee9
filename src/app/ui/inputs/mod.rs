//! The inputs panel: every input of the scenario as a control built from the file, grouped
//! in sections as in the file, or filtered by the search box. This module draws the panel,
//! the search and the sections; the rest is split by concept:
//!
//! | module | draws |
//! |---|---|
//! | `control` | one input: slider and exact field, or a distribution's kind, parameters and density preview |
//! | `sides` | the simulation settings, each side's identity and losses, the battlefield's areas |
//! | `support` | aid streams and troop contingents |
//! | `bargaining` | protocol, weights, further attributes, packages |
//! | `correlations` | rank correlations between uncertain inputs |
//! | `about` | sources and the scenario's description |
//!
//! Structural changes (adding, removing, moving items, converting a distribution) are
//! `scenario::Edit`s that the panel asks the editor to apply.

mod about;
mod bargaining;
mod control;
mod correlations;
mod sides;
mod support;

use about::{meta_ui, sources_ui};
use bargaining::{bargaining_ui, packages_ui};
use control::input_ui;
use correlations::correlations_ui;
use sides::{losses_toggle_ui, side_identity_ui, simulation_ui};
use support::{aid_ui, troops_ui};

use std::collections::HashMap;

use egui::{Pos2, RichText, Ui};

use super::widgets::Editor;
use crate::app::state::AppState;
use crate::scenario::registry::spec_of;
use crate::scenario::{Dist, Edit, InputKey, Issue, Scenario, SideRef, Source};

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
        super::tab_cycle::start_ui(ui);
        let r = ui.add(
            egui::TextEdit::singleline(&mut state.ui.search)
                .id(super::tab_cycle::search_id())
                .hint_text("filter inputs by name (Ctrl+F)")
                .desired_width(ui.available_width() - 30.0),
        );
        if std::mem::take(&mut state.ui.focus_search) {
            r.request_focus();
        }
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
                edit: None,
            };
            if query.is_empty() {
                sections_ui(&mut cx, ed, ui);
            } else {
                search_ui(&mut cx, ed, ui, &query);
            }
            super::tab_cycle::end_ui(ui);
        });
}

/// What input controls need besides the input itself.
struct Cx<'a> {
    issues: &'a [Issue],
    previews: &'a mut HashMap<String, (Dist, Vec<Pos2>)>,
    sources: Vec<Source>,
    names: Names,
    /// An edit a control asked for while the inputs were borrowed, applied after them.
    edit: Option<Edit>,
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
            InputKey::AidAmount(i) | InputKey::AidContinue(i) | InputKey::AidCutoffMonth(i) => {
                self.aid.get(i).cloned().unwrap_or_default()
            }
            InputKey::TroopSize(i)
            | InputKey::TroopArrival(i)
            | InputKey::TroopEffectiveness(i) => self.troops.get(i).cloned().unwrap_or_default(),
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
    if let Some(edit) = cx.edit.take() {
        ed.apply(edit);
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
        inputs_where(cx, ed, ui, |k| matches!(k, InputKey::Battle(_)));
    });
    section(ui, "Bargaining", false, |ui| bargaining_ui(cx, ed, ui));
    section(ui, "Packages", false, |ui| packages_ui(cx, ed, ui));
    section(ui, "Correlations", false, |ui| correlations_ui(ed, ui));
    section(ui, "Sources", false, |ui| sources_ui(ed, ui));
    section(ui, "About this scenario", false, |ui| meta_ui(ed, ui));
}
