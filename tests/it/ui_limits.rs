//! The desktop app against hostile input (no display): an edit that asks for too many trials
//! or months is listed as a problem and the last results stay; a hostile file shows its
//! message (file and position or field) and the scenario that was open stays.
#![cfg(feature = "gui")]

use std::time::{Duration, Instant};

use armistice::{Action, limits};
use egui_kittest::kittest::Queryable;

use crate::common::app::{app, edit, harness, settle};

#[test]
fn too_many_trials_or_months_are_listed_and_the_last_results_stay() {
    let mut h = harness(app());
    settle(&mut h);
    for (change, path, shown) in [
        (
            Box::new(|sc: &mut armistice::Scenario| sc.simulation.trials = 1_000_000_000_000)
                as Box<dyn Fn(&mut armistice::Scenario)>,
            "simulation.trials",
            "simulation.trials: must be within 1..=20000000, got 1000000000000",
        ),
        (
            Box::new(|sc: &mut armistice::Scenario| sc.simulation.horizon_months = 1_000_000),
            "simulation.horizon_months",
            "simulation.horizon_months: must be within 1..=240 months, got 1000000",
        ),
    ] {
        let before = h.state().state.result.clone().expect("a result");
        edit(&mut h, change);
        let s = &h.state().state;
        assert!(
            s.doc.issues.iter().any(|i| i.path == path),
            "{:?}",
            s.doc.issues
        );
        assert!(!s.runner.is_busy(), "no run starts for an invalid edit");
        let now = s.result.clone().expect("the last results stay");
        assert!(std::sync::Arc::ptr_eq(&now, &before));
        assert!(
            h.query_by_label_contains(shown).is_some(),
            "the problem is shown: {shown}"
        );
        assert!(
            h.query_by_label_contains("the results show the last valid version")
                .is_some()
        );
        // Undo brings back the valid scenario.
        h.state_mut().state.push(Action::Undo);
        h.step();
        h.step();
        assert!(h.state().state.doc.issues.is_empty());
        settle(&mut h);
    }
    // The app stays usable: a valid change runs.
    edit(&mut h, |sc| sc.simulation.trials = 4_096);
    settle(&mut h);
    assert_eq!(
        h.state().state.result.as_ref().map(|r| r.stamp.trials),
        Some(4_096)
    );
}

#[test]
fn hostile_files_show_where_they_are_wrong_and_the_open_scenario_stays() {
    let dir = tempfile::tempdir().unwrap();
    let teaching = crate::hostile::teaching_text();
    let one = "            (name: \"Same\", territory: Line),\n";
    let many = teaching.replacen(
        "        packages: [\n",
        &format!(
            "        packages: [\n{}",
            one.repeat((limits::MAX_FILE_BYTES as usize - teaching.len() - 1_000) / one.len())
        ),
        1,
    );
    let files: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "nested.ron",
            "[".repeat(100_000).into_bytes(),
            "nested.ron:1:1:",
        ),
        (
            "long-name.ron",
            teaching
                .replacen(
                    "casualty_tolerance: 600000,",
                    &format!("{}: 600000,", "z".repeat(500_000)),
                    1,
                )
                .into_bytes(),
            "long-name.ron:",
        ),
        (
            "trillion.ron",
            teaching
                .replacen("trials: 20000", "trials: 1000000000000", 1)
                .into_bytes(),
            "trillion.ron: simulation.trials: must be within 1..=20000000",
        ),
        (
            "packages.ron",
            many.into_bytes(),
            "packages.ron: bargaining.packages: has",
        ),
        ("sparse.ron", Vec::new(), "at most 1048576 bytes"),
    ];
    let mut h = harness(app());
    settle(&mut h);
    let title = h.state().state.doc.scenario.meta.title.clone();
    let before = h.state().state.result.clone().expect("a result");
    for (name, bytes, needle) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        if name == "sparse.ron" {
            std::fs::File::options()
                .write(true)
                .open(&path)
                .unwrap()
                .set_len(8 << 30)
                .unwrap();
        }
        h.state_mut().state.push(Action::Open(path.clone()));
        let start = Instant::now();
        h.step();
        h.step();
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{name}: the app froze for {:?}",
            start.elapsed()
        );
        let s = &h.state().state;
        let err = s.load_error.clone().expect("the error is shown");
        assert!(
            err.lines.iter().any(|l| l.contains(needle)),
            "{name}: {:?}",
            err.lines
        );
        assert!(err.lines.len() <= limits::MAX_ISSUES + 1, "{name}");
        assert!(
            err.lines
                .iter()
                .all(|l| l.chars().count() < 2 * limits::MAX_MESSAGE_CHARS),
            "{name}: a very long line"
        );
        assert_eq!(s.doc.scenario.meta.title, title, "{name}");
        assert!(s.doc.path.is_none(), "{name}");
        assert!(std::sync::Arc::ptr_eq(
            s.result.as_ref().expect("the results stay"),
            &before
        ));
        assert!(h.query_by_label_contains("Could not open").is_some());
        h.state_mut().state.push(Action::DismissLoadError);
        h.step();
    }
}
