//! The desktop app driven by meaning (egui_kittest, no display): find widgets by role and
//! label, act on them, step frames until the background runs finish, check the state.
#![cfg(feature = "gui")]

use std::time::{Duration, Instant};

use armistice::{Action, ArmisticeApp, Dist, Outcome, Settings};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use crate::common::app::{app, edit, harness, settle};

fn mean_leverage_a(h: &Harness<'static, ArmisticeApp>) -> f64 {
    h.state()
        .state
        .result
        .as_ref()
        .expect("a result")
        .summary
        .outcome(Outcome::LeverageA)
        .mean
}

fn materiel_a(h: &Harness<'static, ArmisticeApp>) -> Dist {
    h.state()
        .state
        .doc
        .scenario
        .sides
        .a
        .materiel_usd_bn
        .value
        .clone()
}

#[test]
fn the_window_opens_on_the_baseline_with_results() {
    let mut h = harness(app());
    settle(&mut h);
    let s = &h.state().state;
    assert_eq!(s.result.as_ref().map(|r| r.stamp.trials), Some(20_000));
    assert!(!s.result_is_quick);
    // A monthly run (format version 2): when, on what terms, why the war goes on.
    assert!(
        h.query_all_by_label_contains("Settled within 24 months")
            .next()
            .is_some()
    );
    assert!(
        h.query_all_by_label_contains("Median month of settlement")
            .next()
            .is_some()
    );
    assert!(
        h.query_all_by_label_contains("Most likely terms")
            .next()
            .is_some()
    );
    // Each plot: its title, and a figure whose screen-reader label gives its key numbers.
    for (title, summary) in [
        ("When the war ends", "Share of runs settled by each month: "),
        ("Why the war goes on", "Why the war goes on, among the "),
        (
            "Terms at settlement",
            "Terms at settlement: no settlement within 24 months in ",
        ),
        (
            "The front while fighting",
            "Area gained by Russia since the start by month 24: median ",
        ),
    ] {
        assert!(
            h.query_all_by_role(Role::Label).any(|n| n
                .accesskit_node()
                .value()
                .is_some_and(|l| l.contains(title))),
            "{title}"
        );
        assert!(
            h.query_all_by_role(Role::Image).any(|n| n
                .accesskit_node()
                .label()
                .is_some_and(|l| l.starts_with(summary))),
            "{summary}"
        );
    }
    assert!(
        h.query_all_by_label_contains("not a forecast")
            .next()
            .is_some()
    );
}

#[test]
fn moving_a_slider_changes_the_results() {
    let mut h = harness(app());
    settle(&mut h);
    let before = mean_leverage_a(&h);
    h.get_by_role_and_label(Role::Slider, "Materiel stock")
        .set_value_accesskit(60.0);
    h.step();
    // The quick pass shows first.
    let start = Instant::now();
    while h
        .state()
        .state
        .result
        .as_ref()
        .map(|r| r.stamp.scenario_hash.clone())
        == Some(
            h.state()
                .state
                .baseline
                .as_ref()
                .map_or(String::new(), |b| b.hash.clone()),
        )
    {
        h.step();
        assert!(start.elapsed() < Duration::from_secs(30));
    }
    settle(&mut h);
    assert_eq!(materiel_a(&h), Dist::Fixed(60.0));
    let after = mean_leverage_a(&h);
    assert!(
        after > before + 0.005,
        "three times the materiel should raise Ukraine's leverage: {before} -> {after}"
    );
}

#[test]
fn undo_and_redo_restore_a_value() {
    let mut h = harness(app());
    settle(&mut h);
    h.get_by_role_and_label(Role::Slider, "Materiel stock")
        .set_value_accesskit(45.0);
    h.step();
    h.step();
    assert_eq!(materiel_a(&h), Dist::Fixed(45.0));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.step();
    h.step();
    assert_eq!(materiel_a(&h), Dist::Fixed(20.0));
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    h.step();
    h.step();
    assert_eq!(materiel_a(&h), Dist::Fixed(45.0));
    // The Edit menu offers the same.
    h.get_by_role_and_label(Role::Button, "Edit").click();
    h.step();
    h.step();
    h.get_by_label_contains("Undo").click();
    h.step();
    h.step();
    assert_eq!(materiel_a(&h), Dist::Fixed(20.0));
}

#[test]
fn a_slider_at_its_left_end_gives_a_valid_value() {
    use egui_kittest::kittest::NodeT;
    let mut h = harness(app());
    settle(&mut h);
    // Manpower must be above 0; make side a's a plain number so that it gets a slider.
    edit(&mut h, |sc| {
        sc.sides.a.manpower.value = Dist::Fixed(640_000.0)
    });
    let left_end = h
        .get_by_role_and_label(Role::Slider, "Manpower")
        .accesskit_node()
        .min_numeric_value()
        .expect("the slider has a range");
    assert!(left_end > 0.0, "the slider starts at {left_end}");
    // At the left end, and dragged (or set) beyond it: always a value the field accepts.
    for x in [left_end, 0.0] {
        h.get_by_role_and_label(Role::Slider, "Manpower")
            .set_value_accesskit(x);
        h.step();
        h.step();
        let s = &h.state().state;
        let Dist::Fixed(v) = s.doc.scenario.sides.a.manpower.value else {
            panic!("manpower is a number")
        };
        assert!(v > 0.0, "set to {x}, got {v}");
        assert!(s.doc.issues.is_empty(), "set to {x}: {:?}", s.doc.issues);
    }
}

#[test]
fn list_edits_in_the_inputs_panel_are_one_undo_step_each() {
    let mut h = harness(app());
    settle(&mut h);
    let packages = |h: &Harness<'static, ArmisticeApp>| -> Vec<String> {
        h.state()
            .state
            .doc
            .scenario
            .bargaining
            .packages
            .iter()
            .map(|p| p.name.clone())
            .collect()
    };
    let before = packages(&h);
    // A tall window, so that the sections below the fold are on screen.
    h.set_size(egui::vec2(1280.0, 3000.0));
    h.step();
    h.get_by_label("Packages").click();
    h.step();
    h.get_by_label(before[0].as_str()).click();
    h.step();
    h.step();
    h.get_by_role_and_label(Role::Button, "Duplicate").click();
    h.step();
    h.step();
    let after = packages(&h);
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after[1], format!("{} (copy)", before[0]));
    assert!(h.state().state.doc.issues.is_empty());
    // Removing an aid stream, then undoing it, brings the stream back.
    let streams = h.state().state.doc.scenario.aid.clone();
    h.get_all_by_role_and_label(Role::Button, "Remove this stream")
        .next()
        .expect("an open aid stream")
        .click();
    h.step();
    h.step();
    assert_eq!(h.state().state.doc.scenario.aid[..], streams[1..]);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.step();
    h.step();
    assert_eq!(h.state().state.doc.scenario.aid, streams);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.step();
    h.step();
    assert_eq!(packages(&h), before);
}

#[test]
fn choosing_another_kind_converts_the_distribution() {
    let mut h = harness(app());
    settle(&mut h);
    // Side a's manpower is a triangular distribution in the baseline.
    let before = h.state().state.doc.scenario.sides.a.manpower.value.clone();
    assert!(matches!(before, Dist::Triangular { .. }));
    h.get_by_role_and_label(Role::ComboBox, "Manpower distribution")
        .click();
    h.step();
    h.step();
    h.get_by_role_and_label(Role::Button, "Uniform").click();
    h.step();
    h.step();
    let Dist::Uniform { min, max } = h.state().state.doc.scenario.sides.a.manpower.value else {
        panic!("converted to a uniform")
    };
    assert!((min - before.quantile(0.05)).abs() < 1e-6, "{min}");
    assert!((max - before.quantile(0.95)).abs() < 1e-6, "{max}");
    assert!(h.state().state.history.can_undo());
}

#[test]
fn asking_for_too_many_trials_sets_the_maximum_and_says_so() {
    use armistice::limits::MAX_TRIALS;
    let mut h = harness(app());
    settle(&mut h);
    h.get_by_role_and_label(Role::SpinButton, "Trials")
        .set_value_accesskit(1e12);
    h.step();
    h.step();
    let s = &h.state().state;
    assert_eq!(s.doc.scenario.simulation.trials, MAX_TRIALS);
    let status = s.status.as_ref().expect("a status message");
    assert!(
        status.error && status.text.contains("limited to"),
        "{}",
        status.text
    );
}

#[test]
fn pinning_a_baseline_shows_the_paired_change() {
    let mut h = harness(app());
    settle(&mut h);
    h.get_by_role_and_label(Role::Button, "Pin as baseline")
        .click();
    h.step();
    assert!(h.state().state.baseline.is_some());
    h.get_by_role_and_label(Role::Slider, "Materiel stock")
        .set_value_accesskit(60.0);
    h.step();
    settle(&mut h);
    let cmp = h.state().state.comparison.clone().expect("a comparison");
    assert!(cmp.common_random_numbers);
    assert_eq!(cmp.trials, 20_000);
    assert!(cmp.leverage_a.mean > 0.0, "{:?}", cmp.leverage_a);
    assert!(cmp.leverage_a.p_higher > cmp.leverage_a.p_lower);
    // Each headline card shows the baseline's own value beside the current one.
    assert!(h.query_all_by_label_contains("baseline: ").count() >= 3);
    // Clearing it removes the comparison.
    h.get_by_role_and_label(Role::Button, "Clear baseline")
        .click();
    h.step();
    assert!(h.state().state.comparison.is_none());
}

#[test]
fn a_bad_file_shows_its_errors_and_the_open_scenario_stays() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    let text = armistice::BUILTIN_BASELINE.replace(
        "horizon_months: 24,",
        "horizon_months: 24\n        oops: 3,",
    );
    assert_ne!(text, armistice::BUILTIN_BASELINE);
    std::fs::write(&bad, text).unwrap();
    let mut h = harness(app());
    settle(&mut h);
    let title_before = h.state().state.doc.scenario.meta.title.clone();
    let result_before = h.state().state.result.clone().unwrap().stamp.clone();
    // Intents are carried out after the frame that follows them is drawn; the problems panel
    // shows from the next frame.
    h.state_mut().state.push(Action::Open(bad.clone()));
    h.step();
    h.step();
    h.step();
    let s = &h.state().state;
    assert_eq!(s.doc.scenario.meta.title, title_before);
    assert!(s.doc.path.is_none());
    assert_eq!(s.result.as_ref().unwrap().stamp, result_before);
    let err = s.load_error.clone().expect("the error is shown");
    assert!(
        err.lines
            .iter()
            .any(|l| l.contains("bad.ron:") && l.contains(":9:")),
        "{err:?}"
    );
    assert!(h.query_by_label_contains("Could not open").is_some());
    h.get_by_role_and_label(Role::Button, "Dismiss").click();
    h.step();
    assert!(h.state().state.load_error.is_none());
}

#[test]
fn an_invalid_edit_is_listed_and_the_last_results_stay() {
    let mut h = harness(app());
    settle(&mut h);
    let before = h.state().state.result.clone().unwrap().stamp.clone();
    edit(&mut h, |sc| {
        sc.bargaining.packages[0].security_guarantee.value = Dist::Fixed(1.4)
    });
    let s = &h.state().state;
    assert!(!s.doc.issues.is_empty());
    assert_eq!(s.result.as_ref().unwrap().stamp, before);
    assert!(
        h.query_by_label_contains(
            "bargaining.packages[0].security_guarantee: must be within 0..=1"
        )
        .is_some()
    );
}

#[test]
fn save_then_reopen_gives_an_equal_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saved.ron");
    let mut h = harness(app());
    settle(&mut h);
    h.get_by_role_and_label(Role::Slider, "Materiel stock")
        .set_value_accesskit(33.0);
    h.step();
    h.step();
    assert!(h.state().state.doc.is_dirty());
    let edited = h.state().state.doc.scenario.clone();
    h.state_mut().state.push(Action::SaveAs(path.clone()));
    h.step();
    assert!(!h.state().state.doc.is_dirty());
    assert_eq!(h.state().state.doc.path.as_deref(), Some(path.as_path()));
    // Open something else, then the saved file again.
    h.state_mut().state.push(Action::OpenShipped(4));
    h.step();
    assert_ne!(h.state().state.doc.scenario, edited);
    h.state_mut().state.push(Action::Open(path.clone()));
    h.step();
    assert_eq!(h.state().state.doc.scenario, edited);
    assert_eq!(armistice::load_file(&path).unwrap().scenario(), &edited);
}

#[test]
fn unsaved_changes_ask_before_another_file_opens() {
    let mut h = harness(app());
    settle(&mut h);
    h.get_by_role_and_label(Role::Slider, "Materiel stock")
        .set_value_accesskit(30.0);
    h.step();
    h.step();
    h.state_mut().state.push(Action::OpenShipped(4));
    h.step();
    h.step();
    h.step();
    assert!(h.query_by_label_contains("Save changes?").is_some());
    h.get_by_role_and_label(Role::Button, "Cancel").click();
    h.step();
    h.step();
    assert_eq!(materiel_a(&h), Dist::Fixed(30.0));
    h.state_mut().state.push(Action::OpenShipped(4));
    h.step();
    h.step();
    h.get_by_role_and_label(Role::Button, "Discard changes")
        .click();
    h.step();
    h.step();
    assert_eq!(h.state().state.doc.scenario.sides.a.name, "Arvenia");
}

#[test]
fn presentation_mode_makes_the_text_larger() {
    let mut h = harness(app());
    settle(&mut h);
    let before = h
        .get_by_role_and_label(Role::Label, "Terms at settlement")
        .rect()
        .height();
    h.key_press(egui::Key::F11);
    for _ in 0..4 {
        h.step();
    }
    assert!(h.state().state.settings.presentation);
    // Presentation mode shows one plot at a time: the clicker's key turns to the terms.
    for _ in 0..3 {
        h.key_press(egui::Key::ArrowRight);
        h.step();
    }
    h.step();
    let after = h
        .get_by_role_and_label(Role::Label, "Terms at settlement")
        .rect()
        .height();
    assert!(after > before * 1.2, "text height {before} -> {after}");
    // The inputs panel folds away to leave room for the plots.
    assert!(
        h.query_by_role_and_label(Role::Slider, "Materiel stock")
            .is_none()
    );
    h.key_press(egui::Key::F11);
    for _ in 0..4 {
        h.step();
    }
    assert!(!h.state().state.settings.presentation);
}

#[test]
fn the_search_box_filters_inputs() {
    let mut h = harness(app());
    settle(&mut h);
    h.get_by_label("Search inputs").click();
    h.step();
    h.get_by_label("Search inputs").type_text("exchange");
    h.step();
    h.step();
    assert!(
        h.query_all_by_label_contains("Battlefield · Exchange ratio")
            .next()
            .is_some()
    );
    assert!(
        h.query_by_role_and_label(Role::Slider, "Materiel stock")
            .is_none()
    );
}

/// The draft files in the recovery folder.
fn drafts_in(rec: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(rec)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "ron"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn unsaved_changes_survive_a_crash_and_are_offered_back() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("recovery");
    let mut h = harness(ArmisticeApp::new(None, Settings::default(), Some(rec.clone())).unwrap());
    settle(&mut h);
    h.get_by_role_and_label(Role::Slider, "Materiel stock")
        .set_value_accesskit(41.0);
    h.step();
    // Autosave happens within a few seconds of the edit.
    let start = Instant::now();
    while drafts_in(&rec).is_empty() {
        h.step();
        std::thread::sleep(Duration::from_millis(50));
        assert!(start.elapsed() < Duration::from_secs(20), "no autosave");
    }
    let crashed = drafts_in(&rec);
    assert_eq!(crashed.len(), 1);
    let edited = h.state().state.doc.scenario.clone();
    drop(h); // the app ends without saving, as in a crash

    // The next window (the same process id, as after a reused id) is offered the draft.
    let mut h = harness(ArmisticeApp::new(None, Settings::default(), Some(rec.clone())).unwrap());
    h.step();
    h.step();
    assert!(
        h.query_by_label_contains("Restore unsaved changes?")
            .is_some()
    );
    assert!(h.query_by_label_contains("UTC").is_some());
    h.get_by_role_and_label(Role::Button, "Restore").click();
    h.step();
    h.step();
    let s = &h.state().state;
    assert_eq!(s.doc.scenario, edited);
    assert!(s.doc.is_dirty());
    assert!(
        !crashed[0].exists(),
        "the restored draft is adopted, not left behind"
    );
    // Saving removes the draft.
    let path = dir.path().join("restored.ron");
    h.state_mut().state.push(Action::SaveAs(path));
    h.step();
    h.step();
    assert!(drafts_in(&rec).is_empty(), "no draft is left");
}

#[test]
fn a_discarded_draft_is_not_offered_again() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("recovery");
    let recovery = armistice::Recovery::new(rec.clone());
    let mut sc = armistice::builtin_baseline().unwrap().into_inner();
    sc.meta.title = "A draft".into();
    recovery.save(&sc, None, "draft", None).unwrap();
    let crashed = drafts_in(&rec);
    let mut h = harness(ArmisticeApp::new(None, Settings::default(), Some(rec.clone())).unwrap());
    h.step();
    h.step();
    h.get_by_role_and_label(Role::Button, "Discard them")
        .click();
    h.step();
    assert!(!crashed[0].exists());
    assert_ne!(h.state().state.doc.scenario.meta.title, "A draft");
    let h2 = harness(ArmisticeApp::new(None, Settings::default(), Some(rec)).unwrap());
    assert!(h2.state().state.offered_draft.is_none());
}

/// Steps until the analysis in flight has finished (bounded).
fn settle_analysis(h: &mut Harness<'static, ArmisticeApp>) {
    let start = Instant::now();
    while h.state().state.analysis.running().is_some() {
        h.step();
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the analysis did not finish"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    h.step();
    h.step();
}

#[test]
fn a_tornado_runs_in_the_background_and_ranks_the_inputs() {
    use armistice::{AnalysisKind, AnalysisResult};
    let mut h = harness(app());
    settle(&mut h);
    h.get_by_label("Analysis").click();
    h.step();
    h.step();
    h.state_mut().state.analysis.trials = 2_000;
    h.get_by_role_and_label(Role::Button, "Run").click();
    h.step();
    assert!(
        h.state().state.analysis.running().is_some()
            || !h.state().state.analysis.results.is_empty()
    );
    settle_analysis(&mut h);
    let hash = armistice::scenario_hash(&h.state().state.doc.scenario);
    let (r, current) = h
        .state()
        .state
        .analysis
        .result(AnalysisKind::Tornado, &hash)
        .expect("a tornado");
    assert!(current);
    let AnalysisResult::Tornado(t) = r else {
        panic!("not a tornado")
    };
    assert!(t.bars.len() > 10);
    for w in t.bars.windows(2) {
        assert!(w[0].swing.abs() >= w[1].swing.abs());
    }
    assert!(
        h.query_all_by_label_contains("with every input drawn as usual")
            .next()
            .is_some()
    );
}

#[test]
fn a_leverage_curve_and_a_heatmap_cell_can_be_applied() {
    use armistice::{AnalysisKind, AnalysisResult};
    let mut h = harness(app());
    settle(&mut h);
    h.get_by_label("Analysis").click();
    h.step();
    {
        let a = &mut h.state_mut().state.analysis;
        a.kind = AnalysisKind::Heatmap;
        a.trials = 500;
        a.heat_x.steps = 3;
        a.heat_y.steps = 3;
    }
    h.step();
    h.get_by_role_and_label(Role::Button, "Run").click();
    h.step();
    settle_analysis(&mut h);
    let hash = armistice::scenario_hash(&h.state().state.doc.scenario);
    let (r, _) = h
        .state()
        .state
        .analysis
        .result(AnalysisKind::Heatmap, &hash)
        .expect("a heatmap");
    let AnalysisResult::Heatmap(map) = r else {
        panic!("not a heatmap")
    };
    let (xp, yp) = (map.x.path.clone(), map.y.path.clone());
    let (xv, yv) = (map.x.values()[2], map.y.values()[1]);
    // Clicking a cell sends these values; the scenario takes them as one undoable edit.
    h.state_mut().state.push(Action::ApplyValues(vec![
        (xp.clone(), xv),
        (yp.clone(), yv),
    ]));
    h.step();
    h.step();
    let inputs = h.state().state.doc.scenario.inputs();
    let value = |p: &str| {
        inputs
            .iter()
            .find(|i| i.path == p)
            .unwrap()
            .input
            .value
            .clone()
    };
    assert_eq!(value(&xp), Dist::Fixed(xv));
    assert_eq!(value(&yp), Dist::Fixed(yv));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.step();
    h.step();
    let inputs = h.state().state.doc.scenario.inputs();
    assert_ne!(
        inputs.iter().find(|i| i.path == xp).unwrap().input.value,
        Dist::Fixed(xv)
    );
}

#[test]
fn inconsistent_correlations_are_repaired_with_a_visible_warning() {
    let mut h = harness(app());
    settle(&mut h);
    let pair = |a: &str, b: &str, rank: f64| armistice::Correlation {
        a: a.into(),
        b: b.into(),
        rank,
    };
    // Three inputs cannot be pairwise this correlated and anti-correlated at once.
    edit(&mut h, |sc| {
        sc.correlations = vec![
            pair("sides.a.manpower", "sides.b.manpower", 0.9),
            pair("sides.b.manpower", "battlefield.exchange_ratio", 0.9),
            pair("sides.a.manpower", "battlefield.exchange_ratio", -0.9),
        ]
    });
    let warning = h
        .state()
        .state
        .correlation_warning
        .clone()
        .expect("a repair warning");
    assert!(warning.contains("0.9"), "{warning}");
    assert!(
        h.query_all_by_label_contains("correlation")
            .next()
            .is_some()
    );
    settle(&mut h);
    assert!(h.state().state.run_error.is_none());
}

#[test]
fn exports_carry_the_stamp() {
    use armistice::ExportKind;
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(app());
    settle(&mut h);
    let stamp = h.state().state.result.as_ref().unwrap().stamp.clone();
    for (kind, name) in [
        (ExportKind::SummaryCsv, "summary"),
        (ExportKind::TrialsCsv, "trials"),
        (ExportKind::SummaryJson, "summary-json"),
        (ExportKind::Brief, "brief"),
    ] {
        let path = dir.path().join(name);
        h.state_mut().state.push(Action::Export(kind, path.clone()));
        h.step();
        let written = path.with_extension(kind.extension());
        let text = std::fs::read_to_string(&written).unwrap();
        assert!(text.contains(&stamp.scenario_hash), "{name}");
        match kind {
            ExportKind::SummaryJson => {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(v["stamp"]["seed"], stamp.seed);
                assert_eq!(v["stamp"]["trials"], stamp.trials);
                assert_eq!(v["stamp"]["scenario_title"], stamp.scenario_title.as_str());
            }
            ExportKind::TrialsCsv => {
                let mut rdr = csv::ReaderBuilder::new()
                    .comment(Some(b'#'))
                    .from_path(&written)
                    .unwrap();
                assert!(rdr.headers().unwrap().iter().any(|c| c == "scenario_hash"));
                assert_eq!(rdr.records().count() as u64, stamp.trials);
            }
            ExportKind::SummaryCsv => {
                let mut rdr = csv::ReaderBuilder::new()
                    .comment(Some(b'#'))
                    .from_path(&written)
                    .unwrap();
                let headers = rdr.headers().unwrap().clone();
                for col in [
                    "scenario_title",
                    "scenario_hash",
                    "seed",
                    "trials",
                    "app_version",
                ] {
                    assert!(headers.iter().any(|c| c == col), "{col}");
                }
                assert!(rdr.records().count() > 50);
            }
            ExportKind::Brief => {
                assert!(text.starts_with("<!DOCTYPE html>"));
                assert!(text.contains("not a forecast"));
                assert!(text.contains("id=\"armistice-replay\""));
            }
        }
    }
}

/// A version-1 file shows the one-shot plots and offers the upgrade; the upgrade is an edit
/// that brings the monthly plots and can be undone.
#[test]
fn a_version_1_file_offers_the_upgrade() {
    let v1 = crate::common::root().join("tests/fixtures/v1/teaching-arvenia-borsk.ron");
    let mut h = harness(app());
    settle(&mut h);
    h.state_mut().state.push(Action::Open(v1));
    settle(&mut h);
    assert_eq!(h.state().state.doc.scenario.version, 1);
    assert!(h.query_all_by_label_contains("P(deal)").next().is_some());
    assert!(h.query_by_label_contains("Leverage of each side").is_some());
    h.get_by_role_and_label(
        Role::Button,
        "Upgrade to version 2 (bargaining while fighting)",
    )
    .click();
    settle(&mut h);
    assert_eq!(h.state().state.doc.scenario.version, 2);
    assert!(h.query_by_label_contains("When the war ends").is_some());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut h);
    assert_eq!(h.state().state.doc.scenario.version, 1);
}

/// The contested area and a contingent's arrival month are inputs with the usual control
/// (found by searching); a fixed month stays whole whatever the slider gives.
#[test]
fn areas_and_months_have_input_controls_and_months_stay_whole() {
    let mut h = harness(app());
    settle(&mut h);
    h.get_by_label("Search inputs").click();
    h.step();
    h.get_by_label("Search inputs")
        .type_text("troops[0].arrival_month");
    h.step();
    h.step();
    let label = "North Korean contingent · Arrival month";
    h.get_by_role_and_label(Role::ComboBox, "Arrival month distribution");
    h.get_by_role_and_label(Role::Slider, label)
        .set_value_accesskit(3.4);
    h.step();
    h.step();
    let arrival = |h: &Harness<'static, ArmisticeApp>| {
        h.state().state.doc.scenario.troops[0]
            .arrival_month
            .value
            .clone()
    };
    assert_eq!(arrival(&h), Dist::Fixed(3.0));
    assert!(h.state().state.doc.issues.is_empty());
    h.get_by_label("Search inputs").click();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Search inputs").type_text("contested");
    h.step();
    h.step();
    h.get_by_role_and_label(Role::Slider, "Battlefield · Contested area")
        .set_value_accesskit(200_000.0);
    h.step();
    h.step();
    assert_eq!(
        h.state().state.doc.scenario.battlefield.contested_km2.value,
        Dist::Fixed(200_000.0)
    );
}
