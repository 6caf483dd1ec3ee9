//! Typing exact values, by meaning (egui_kittest): a value typed into a distribution's
//! parameter is applied whole on Enter (never keystroke by keystroke into an invalid
//! distribution), the field keeps the focus, Tab and Shift+Tab move from one input to the next
//! in panel order and go round the panel (never into the menu bar), and Ctrl+F goes to the
//! inputs' search box.
#![cfg(feature = "gui")]

use armistice::{ArmisticeApp, Dist};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

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

/// The app, settled, with the inputs searched down to the first aid stream's continuation
/// probability (the search box keeps the focus).
fn continuation_alone() -> Harness<'static, ArmisticeApp> {
    let mut h = harness(app());
    settle(&mut h);
    h.get_by_label("Search inputs").click();
    h.step();
    h.get_by_label("Search inputs")
        .type_text("aid[0].cutoff.continue_probability");
    h.step();
    h.step();
    h
}

#[test]
fn typing_0_7_into_a_distribution_parameter_gives_0_7() {
    let mut h = continuation_alone();
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

/// The accessible names of the widgets that have the keyboard focus.
fn focused(h: &Harness<'static, ArmisticeApp>) -> Vec<String> {
    h.query_all_by(|n| n.is_focused())
        .map(|n| n.accesskit_node().label().unwrap_or_default())
        .collect()
}

/// Presses Tab (with `modifiers`) and lets the focus settle; returns who has it.
fn tab(h: &mut Harness<'static, ArmisticeApp>, modifiers: Modifiers) -> Vec<String> {
    h.key_press_modifiers(modifiers, Key::Tab);
    for _ in 0..3 {
        h.step();
    }
    focused(h)
}

#[test]
fn tab_moves_from_one_input_to_the_next_in_panel_order_and_shift_tab_back() {
    let mut h = harness(app());
    settle(&mut h);
    // Side a is open: its manpower is a distribution (kind, min, mode, max), then recruits.
    h.get_by_label("Manpower min").click();
    h.step();
    h.step();
    assert_eq!(focused(&h), ["Manpower min"]);
    let forward = [
        "Manpower mode",
        "Manpower max",
        "Recruits per month distribution",
    ];
    for want in forward {
        assert_eq!(tab(&mut h, Modifiers::NONE), [want]);
    }
    for want in ["Manpower max", "Manpower mode", "Manpower min"] {
        assert_eq!(tab(&mut h, Modifiers::SHIFT), [want]);
    }
    // A value typed and left by Tab is applied whole, and the focus moves on.
    h.get_by_label("Manpower min").type_text("123456");
    h.step();
    assert_eq!(tab(&mut h, Modifiers::NONE), ["Manpower mode"]);
    h.step();
    match &h.state().state.doc.scenario.sides.a.manpower.value {
        Dist::Pert { min, .. } | Dist::Triangular { min, .. } => assert_eq!(*min, 123456.0),
        other => panic!("expected a distribution with a minimum, got {other:?}"),
    }
}

#[test]
fn tab_and_shift_tab_go_round_the_inputs_panel_not_into_the_menu_bar() {
    // The search leaves one input: a distribution's kind and its three parameters.
    let mut h = continuation_alone();
    let order = [
        "x",
        "Continues after cut-off distribution",
        "US: remaining drawdown and USAI · Continues after cut-off min",
        "US: remaining drawdown and USAI · Continues after cut-off mode",
        "US: remaining drawdown and USAI · Continues after cut-off max",
        "Search inputs",
        "x",
    ];
    for want in order {
        assert_eq!(tab(&mut h, Modifiers::NONE), [want], "Tab");
    }
    // Back from the clear button: the search box, then round to the last input (not to the
    // menu bar), and on back to the clear button.
    for want in order.iter().rev().skip(1) {
        assert_eq!(tab(&mut h, Modifiers::SHIFT), [*want], "Shift+Tab");
    }
}

#[test]
fn shift_tab_from_the_search_box_of_the_whole_panel_stays_in_the_panel() {
    let mut h = harness(app());
    settle(&mut h);
    h.get_by_label("Search inputs").click();
    h.step();
    // The last widget of the unfiltered panel is the header of its last section.
    assert_eq!(tab(&mut h, Modifiers::SHIFT), ["About this scenario"]);
    assert_eq!(tab(&mut h, Modifiers::NONE), ["Search inputs"]);
}
