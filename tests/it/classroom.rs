//! The classroom by meaning: a lesson opens, steps forward and back with the clicker's keys,
//! applies and undoes its changes, hides the result until Reveal and scores a prediction; the
//! single-trial view shows the chosen trial's range and packages; presentation mode enlarges
//! the cards and hides standard errors; `check` reports a bad lesson with its position; every
//! shipped lesson loads and its closed forms agree with the simulation.

use std::path::Path;

use armistice::Output;
use armistice::{Dist, lesson};

use crate::common::*;

#[cfg(feature = "gui")]
mod app {
    use armistice::LessonAction;
    use armistice::{Action, ArmisticeApp, Dist, Settings};
    use egui::accesskit::Role;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use crate::common::app::{harness, settle, step_until};
    use crate::common::teaching_path;

    fn teaching_app() -> ArmisticeApp {
        ArmisticeApp::new(Some(teaching_path()), Settings::default(), None).expect("the app opens")
    }

    fn aid(h: &Harness<'static, ArmisticeApp>) -> Dist {
        h.state().state.doc.scenario.aid[0]
            .amount_usd_bn
            .value
            .clone()
    }

    fn at(h: &Harness<'static, ArmisticeApp>) -> usize {
        h.state().state.lesson.as_ref().expect("in lesson mode").at
    }

    /// Steps until the run of the scenario as it is now is complete (bounded).
    fn settle_current(h: &mut Harness<'static, ArmisticeApp>) {
        step_until(h, "the run of the step", |a| a.state.result_is_current());
    }

    #[test]
    fn a_lesson_opens_steps_with_the_keys_hides_the_result_and_scores_a_prediction() {
        let mut h = harness(teaching_app());
        settle(&mut h);
        // Opening a file with a lesson offers it.
        h.get_by_label("Start the lesson").click();
        h.step();
        h.step();
        assert_eq!(at(&h), 0);
        assert!(
            h.query_by_label_contains("Arvenia and Borsk: what ends a war")
                .is_some()
        );
        let before = aid(&h);
        // Step 1: a question; the result is hidden until Reveal.
        h.key_press(egui::Key::ArrowRight);
        h.step();
        h.step();
        assert_eq!(at(&h), 1);
        assert!(h.query_by_label_contains("The result is hidden").is_some());
        assert!(h.query_by_label_contains("Result:").is_none());
        settle_current(&mut h);
        h.get_by_label("Fewer than 1 in 4").click();
        h.step();
        h.get_by_role_and_label(Role::Button, "Reveal").click();
        h.step();
        h.step();
        assert!(h.query_by_label_contains("The result is hidden").is_none());
        assert!(
            h.query_by_label_contains("Result: 14% of runs end in a deal within 12 months")
                .is_some()
        );
        let lesson = h.state().state.lesson.as_ref().unwrap();
        let score = lesson.answers[0].score.clone().expect("scored");
        assert_eq!(score.right, Some(true));
        assert_eq!(lesson.tally().text(), "1 of 1 prediction right");
        assert!(
            h.query_by_label_contains("right. The answer: Fewer than 1 in 4")
                .is_some()
        );
        // Steps 2 and 3 (Page Down, as a clicker sends): step 3 cuts the ally's support.
        h.key_press(egui::Key::PageDown);
        h.step();
        h.key_press(egui::Key::PageDown);
        h.step();
        h.step();
        assert_eq!(at(&h), 3);
        assert_eq!(aid(&h), Dist::Fixed(0.0));
        // A wrong prediction is scored wrong.
        settle_current(&mut h);
        h.get_by_label("It rises").click();
        h.step();
        h.get_by_role_and_label(Role::Button, "Reveal").click();
        h.step();
        h.step();
        let lesson = h.state().state.lesson.as_ref().unwrap();
        assert_eq!(lesson.answers[2].score.as_ref().unwrap().right, Some(false));
        assert_eq!(lesson.tally().text(), "1 of 2 predictions right");
        // Back (Left, then Page Up) undoes the change.
        h.key_press(egui::Key::ArrowLeft);
        h.step();
        h.step();
        assert_eq!(at(&h), 2);
        assert_eq!(aid(&h), before);
        h.key_press(egui::Key::PageUp);
        h.step();
        assert_eq!(at(&h), 1);
        // Each change is an ordinary edit: Undo takes the going back back.
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
        h.step();
        h.step();
        assert_eq!(aid(&h), Dist::Fixed(0.0));
    }

    #[test]
    fn a_show_of_hands_counts_the_room() {
        let mut h = harness(teaching_app());
        settle(&mut h);
        h.state_mut()
            .state
            .push(Action::Lesson(LessonAction::Start));
        h.step();
        h.step();
        h.get_by_label("Show of hands").click();
        h.step();
        h.key_press(egui::Key::ArrowRight);
        h.step();
        h.step();
        settle_current(&mut h);
        if let Some(a) = h
            .state_mut()
            .state
            .lesson
            .as_mut()
            .and_then(|l| l.answer_mut())
        {
            a.hands = vec![14, 6, 2, 1];
        }
        h.get_by_role_and_label(Role::Button, "Reveal").click();
        h.step();
        h.step();
        assert!(
            h.query_by_label_contains("The room: 14 of 23 hands right (61%)")
                .is_some()
        );
    }

    #[test]
    fn the_single_trial_view_shows_the_trials_range_and_packages() {
        let mut h = harness(teaching_app());
        settle(&mut h);
        h.state_mut()
            .state
            .push(Action::Lesson(LessonAction::Start));
        h.step();
        for _ in 0..2 {
            h.key_press(egui::Key::ArrowRight);
            h.step();
        }
        h.step();
        settle_current(&mut h);
        h.step();
        // Step 2 tells a trial with no deal.
        let s = &h.state().state;
        let trial = s.ui.trial.trial.expect("a trial is picked");
        let r = s.result.as_ref().unwrap();
        let record = r.output.records[trial as usize];
        assert_eq!(record.settled_month(), None, "the trial has no deal");
        let (_, months, _) = s.doc.compiled.trace_trial(r.stamp.seed, trial);
        let last = months.last().unwrap();
        assert!(
            h.query_by_label_contains(&format!("Trial {trial}: no deal within 12 months"))
                .is_some()
        );
        // Each package in words with what each side gets and needs, as the trace says.
        let names: Vec<String> = s
            .doc
            .scenario
            .bargaining
            .packages
            .iter()
            .map(|p| p.name.clone())
            .collect();
        for (k, p) in last.packages.iter().enumerate() {
            let line = format!(
                "{} {}: Arvenia gets {:.0}% (needs {:.0}%)",
                k + 1,
                names[k],
                p.utility[0] * 100.0,
                p.reservation[0] * 100.0
            );
            assert!(h.query_by_label_contains(&line).is_some(), "{line}");
        }
        // The month's range: the values of fighting on.
        let range = format!(
            "Value of fighting on: Arvenia {:.0}%, Borsk {:.0}%",
            last.fighting_value[0] * 100.0,
            last.fighting_value[1] * 100.0
        );
        assert!(h.query_by_label_contains(&range).is_some(), "{range}");
        // Picking the median trial tells another one.
        h.get_by_label("Median").click();
        h.step();
        h.step();
        let median = h.state().state.ui.trial.trial.unwrap();
        assert!(
            h.query_by_label_contains(&format!("Trial {median}:"))
                .is_some()
        );
    }

    fn label_height(h: &Harness<'static, ArmisticeApp>, text: &str) -> f32 {
        h.get_all_by_label_contains(text)
            .map(|n| n.rect().height())
            .fold(f32::INFINITY, f32::min)
    }

    #[test]
    fn presentation_mode_enlarges_the_cards_and_hides_standard_errors() {
        let mut h = harness(teaching_app());
        settle(&mut h);
        h.get_by_label("Not now").click();
        h.step();
        // The ordinary strip: small labels, standard errors shown.
        let small = label_height(&h, "Most likely terms");
        assert!(h.query_all_by_label_contains("± ").next().is_some());
        h.key_press(egui::Key::F11);
        h.step();
        h.step();
        h.step();
        let words = "of runs end in a deal within 12 months";
        assert!(h.query_all_by_label_contains(words).next().is_some());
        assert!(
            h.query_all_by_label_contains("± ").next().is_none(),
            "no standard errors"
        );
        assert!(h.query_by_label_contains("P(deal)").is_none());
        // The card's number and its words are at least three times the ordinary labels.
        let number = h
            .get_all_by_label_contains(words)
            .map(|n| n.rect().height())
            .fold(0.0, f32::max);
        let words_height = h
            .get_all_by_label(words)
            .map(|n| n.rect().height())
            .fold(0.0, f32::max);
        assert!(words_height >= 3.0 * small, "{words_height} vs {small}");
        assert!(number >= 3.0 * small, "{number} vs {small}");
        // Standard errors on request.
        h.get_by_label("Standard errors").click();
        h.step();
        h.step();
        assert!(
            h.query_all_by_label_contains("Monte Carlo standard error")
                .next()
                .is_some()
        );
        // The clicker turns the pages: one plot, with its caption.
        h.key_press(egui::Key::ArrowRight);
        h.step();
        h.step();
        assert!(
            h.query_by_label_contains("the share of runs that have ended in a deal by each month")
                .is_some()
        );
    }
}

/// A copy of the teaching scenario with its lesson's first step broken in `how`.
fn with_bad_step(dir: &Path, from: &str, to: &str) -> std::path::PathBuf {
    let text = teaching_text();
    assert!(text.contains(from), "{from}");
    let p = dir.join("bad-lesson.ron");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    p
}

#[test]
fn check_reports_a_bad_lesson_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "changes: [\"aid[0].amount_usd_bn = 0\"]",
            "changes: [\"aid[0].amount_usd = 0\"]",
            "lesson.steps[2].changes[0]: step 3: \"aid[0].amount_usd\" is not an input",
        ),
        (
            "reveal: \"leverage_a\"",
            "reveal: \"leverage_c\"",
            "lesson.steps[2].reveal: step 3: unknown output \"leverage_c\"",
        ),
        (
            "                show: Trial(NoDeal),\n",
            "                show: Trial(NoDeal),\n            ),\n            (\n",
            "lesson.steps[2]: step 3 is empty",
        ),
    ];
    for (from, to, expected) in cases {
        let p = with_bad_step(dir.path(), from, to);
        let out = assert_cmd::cargo::cargo_bin_cmd!("armistice")
            .args(["check", p.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "expected {expected:?} in\n{err}");
        assert!(err.contains("bad-lesson.ron"), "{err}");
    }
}

#[test]
fn every_shipped_lesson_loads_and_its_steps_keep_the_scenario_valid() {
    for (name, text) in armistice::LESSONS {
        let vs = armistice::load_str(text, name).unwrap_or_else(|e| panic!("{e}"));
        assert!(armistice::lesson_issues(&vs).is_empty(), "{name}");
        let lesson = vs
            .lesson
            .clone()
            .unwrap_or_else(|| panic!("{name} has a lesson"));
        let mut sc = vs.scenario().clone();
        for step in &lesson.steps {
            sc = lesson::apply(&sc, &lesson::settings(step));
            armistice::validate(sc.clone()).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        }
    }
}

/// Each step's closed form (`theory.value`) agrees with what the simulation gives for the
/// scenario as the lesson leaves it at that step, within the Monte Carlo error.
#[test]
fn the_shipped_closed_forms_agree_with_the_simulation() {
    let mut checked = 0;
    for (name, text) in armistice::LESSONS {
        let vs = armistice::load_str(text, name).unwrap();
        let lesson = vs.lesson.clone().unwrap();
        let mut sc = vs.scenario().clone();
        for (k, step) in lesson.steps.iter().enumerate() {
            sc = lesson::apply(&sc, &lesson::settings(step));
            let (Some(theory), Some(reveal)) = (&step.theory, &step.reveal) else {
                continue;
            };
            let Some(expected) = theory.value else {
                continue;
            };
            let valid = armistice::validate(sc.clone()).unwrap();
            let output = Output::parse(reveal, &sc).unwrap();
            let r = run(&valid, 4_000, 11, None);
            let got = armistice::value_of(output, &r.summary);
            let se = armistice::se_of(output, &r.summary);
            let tol = 4.0 * if se.is_finite() { se } else { 0.0 } + 0.005;
            assert!(
                (got - expected).abs() <= tol,
                "{name} step {}: closed form {expected}, simulation {got} ± {se}",
                k + 1
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "{checked} closed forms checked");
}

#[test]
fn a_steps_changes_are_fixed_values_of_inputs() {
    let vs = load(&teaching_path());
    let lesson = vs.lesson.clone().unwrap();
    let step3 = &lesson.steps[2];
    let sc = lesson::apply(vs.scenario(), &lesson::settings(step3));
    assert_eq!(sc.aid[0].amount_usd_bn.value, Dist::Fixed(0.0));
}
