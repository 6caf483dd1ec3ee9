//! Warnings in the app, by meaning (egui_kittest): the scenario warnings `armistice check`
//! prints (a cut-off or an arrival after the horizon, a threat that helps the side it
//! presses) appear in the problems panel as warnings, apart from errors, and do not stop the
//! runs; an analysis on too few trials of interest says so in its figure.
#![cfg(feature = "gui")]

use egui_kittest::kittest::Queryable;

use crate::common::app::{app, edit, harness, settle, step_until};

#[test]
fn a_cutoff_after_the_horizon_is_a_warning_in_the_problems_panel_not_an_error() {
    let mut h = harness(app());
    settle(&mut h);
    assert!(h.state().state.doc.warnings.is_empty());
    assert!(h.query_by_label_contains("warning").is_none());
    let stamp = h.state().state.result.clone().unwrap().stamp.clone();
    // The baseline's cut-offs are in month 2: a horizon of 2 months never sees them.
    edit(&mut h, |sc| sc.simulation.horizon_months = 2);
    settle(&mut h);
    let s = &h.state().state;
    assert!(s.doc.issues.is_empty(), "{:?}", s.doc.issues);
    assert!(
        s.doc
            .warnings
            .iter()
            .any(|w| w.path.ends_with("cutoff.month")),
        "{:?}",
        s.doc.warnings
    );
    // The runs went on with the edit: a warning is never fatal.
    assert_ne!(s.result.as_ref().unwrap().stamp, stamp);
    let n = s.doc.warnings.len();
    let heading = if n == 1 {
        "1 warning: the scenario runs".to_string()
    } else {
        format!("{n} warnings: the scenario runs")
    };
    assert!(h.query_by_label_contains(&heading).is_some());
    assert!(h.query_by_label_contains("problem(s)").is_none());
    // Both aid cut-offs (month 2) are listed.
    assert_eq!(
        h.query_all_by_label_contains("comes after the horizon (2 months)")
            .count(),
        2
    );
    // Back within the horizon, the warning goes.
    edit(&mut h, |sc| sc.simulation.horizon_months = 24);
    settle(&mut h);
    assert!(h.state().state.doc.warnings.is_empty());
    assert!(h.query_by_label_contains("warning: aid[").is_none());
}

#[test]
fn an_edit_with_errors_shows_its_problems_and_no_stale_warnings() {
    let mut h = harness(app());
    settle(&mut h);
    edit(&mut h, |sc| sc.simulation.horizon_months = 2);
    assert!(!h.state().state.doc.warnings.is_empty());
    edit(&mut h, |sc| sc.simulation.trials = 0);
    let s = &h.state().state;
    assert!(!s.doc.issues.is_empty());
    assert!(s.doc.warnings.is_empty());
    assert!(h.query_by_label_contains("problem(s)").is_some());
    assert!(h.query_by_label_contains("warning: aid[").is_none());
}

#[test]
fn why_no_deal_on_few_no_deal_trials_warns_in_the_analysis_tab() {
    use armistice::AnalysisKind;
    use egui::accesskit::Role;
    let mut h = harness(app());
    settle(&mut h);
    h.get_by_label("Analysis").click();
    h.step();
    h.step();
    // The baseline ends with a deal in nearly every trial: 2,000 trials hold a handful of
    // no-deal ones.
    h.state_mut().state.analysis.kind = AnalysisKind::WhyNoDeal;
    h.state_mut().state.analysis.trials = 2_000;
    h.step();
    assert!(
        h.query_by_label_contains("too few for this analysis")
            .is_none()
    );
    h.get_by_role_and_label(Role::Button, "Run").click();
    h.step();
    step_until(&mut h, "the analysis", |a| {
        a.state.analysis.running().is_none() && !a.state.analysis.results.is_empty()
    });
    h.step();
    assert!(
        h.query_by_label_contains("trials end with no deal: too few for this analysis")
            .is_some(),
        "the analysis warns that it rests on few trials"
    );
    // The answer is still shown: the figure's conditions.
    assert!(h.query_by_label_contains("Conditions:").is_some());
}
