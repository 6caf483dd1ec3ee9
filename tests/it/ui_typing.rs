//! Typing exact values, by meaning (egui_kittest): a value typed into a distribution's
//! parameter is applied whole on Enter (never keystroke by keystroke into an invalid
//! distribution), the field keeps the focus, and Ctrl+F goes to the inputs' search box.
#![cfg(feature = "gui")]

use armistice::{ArmisticeApp, Dist};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::common::app::{app, harness, settle};

/// The first aid stream's continuation probability.
fn continuation(h: &Harness<'static, ArmisticeApp>) -> Dist {
    h.state().state.doc.scenario.aid[0]
        .cutoff
        .as_ref()
        .expect("the baseline's first aid stream has a cut-off")
        .continue_probability
        .value
        .clone()
}

fn mode_of(d: &Dist) -> f64 {
    match d {
        Dist::Pert { mode, .. } | Dist::Triangular { mode, .. } => *mode,
        other => panic!("expected a distribution with a mode, got {other:?}"),
    }
}

#[test]
fn typing_0_7_into_a_distribution_parameter_gives_0_7() {
    let mut h = harness(app());
    settle(&mut h);
    h.get_by_label("Search inputs").click();
    h.step();
    h.get_by_label("Search inputs")
        .type_text("aid[0].cutoff.continue_probability");
    h.step();
    h.step();
    let before = continuation(&h);
    assert_eq!(mode_of(&before), 0.4);
    // The search leaves one input: its only "mode" field.
    let mode = " mode";
    h.get_by_label_contains(mode).click();
    h.step();
    h.step();
    // One key at a time, a frame between keys, as a person types: "0" alone is below the
    // minimum (0.1) and must not be applied.
    for key in ["0", ".", "7"] {
        h.get_by_label_contains(mode).type_text(key);
        h.step();
        assert_eq!(continuation(&h), before, "applied before Enter at {key:?}");
    }
    h.key_press(Key::Enter);
    h.step();
    h.step();
    assert_eq!(mode_of(&continuation(&h)), 0.7);
    assert!(h.state().state.doc.issues.is_empty());
    // The field keeps the focus after Enter.
    assert!(h.get_by_label_contains(mode).is_focused());
}

#[test]
fn ctrl_f_focuses_the_inputs_search() {
    let mut h = harness(app());
    settle(&mut h);
    assert!(!h.get_by_label("Search inputs").is_focused());
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.step();
    h.step();
    assert!(h.get_by_label("Search inputs").is_focused());
    h.get_by_label("Search inputs").type_text("exchange");
    h.step();
    h.step();
    assert_eq!(h.state().state.ui.search, "exchange");
}
