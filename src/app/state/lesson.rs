//! Carrying out the lesson intents: start and leave lesson mode, step forward (applying the
//! step's changes as one undoable edit) and back (restoring them), reveal a result once the
//! run of the step's scenario is complete, and open a shipped lesson.

use super::AppState;
use crate::app::actions::LessonAction;
use crate::app::document::Document;
use crate::app::lesson::LessonRun;
use crate::classroom::{self, Unit};

impl AppState {
    /// True when the result shown is the full run of the scenario as it is now.
    pub fn result_is_current(&self) -> bool {
        self.result.is_some()
            && !self.result_is_quick
            && !self.runner.is_busy()
            && !self.run_due
            && self.doc.issues.is_empty()
            && self.run_error.is_none()
    }

    pub(super) fn lesson_action(&mut self, action: LessonAction) {
        match action {
            LessonAction::Start => self.start_lesson(),
            LessonAction::Exit => {
                if self.lesson.take().is_some() {
                    self.settings.show_inputs = self.inputs_before_lesson;
                    self.set_status(
                        "Left the lesson; Undo (Ctrl+Z) takes its changes back step by step.",
                        false,
                    );
                }
            }
            LessonAction::DismissOffer => self.lesson_offer = false,
            LessonAction::Next => self.lesson_step(true),
            LessonAction::Back => self.lesson_step(false),
            LessonAction::Reveal => self.reveal(),
        }
    }

    fn start_lesson(&mut self) {
        self.lesson_offer = false;
        let Some(lesson) = self.doc.scenario.lesson.clone() else {
            self.set_status("This file has no lesson.", true);
            return;
        };
        let problems = classroom::lesson_issues(&self.doc.scenario);
        if !self.doc.issues.is_empty() || !problems.is_empty() {
            let first = problems
                .first()
                .or(self.doc.issues.first())
                .map_or_else(String::new, |i| i.to_string());
            self.set_status(
                &format!("The lesson cannot start: fix the file's problems first ({first})"),
                true,
            );
            return;
        }
        if self.lesson.is_none() {
            self.inputs_before_lesson = self.settings.show_inputs;
        }
        self.settings.show_inputs = false;
        self.lesson = Some(LessonRun::new(lesson));
    }

    fn lesson_step(&mut self, forward: bool) {
        let before_value = self.current_value_of_next(forward);
        let current = self.doc.scenario.clone();
        let Some(run) = self.lesson.as_mut() else {
            return;
        };
        let changed = if forward {
            run.next(&current)
        } else {
            run.back(&current)
        };
        let at = run.at;
        if forward && let Some(a) = run.answer_mut() {
            a.before = before_value;
        }
        if let Some(sc) = changed {
            let key = format!("lesson:{}:{at}", if forward { "enter" } else { "leave" });
            self.history.record(&self.doc.scenario, &key);
            self.apply_scenario(sc);
        }
    }

    /// The value of the output the next step reveals, from the result shown now, when the
    /// step changes inputs (so that its reveal can say what it was before them).
    fn current_value_of_next(&self, forward: bool) -> Option<f64> {
        let run = self.lesson.as_ref()?;
        if !forward || !self.result_is_current() {
            return None;
        }
        let step = run.lesson.steps.get(run.at)?;
        if step.changes.is_empty() {
            return None;
        }
        let output =
            crate::analysis::output::Output::parse(step.reveal.as_ref()?, &self.doc.scenario)
                .ok()?;
        let r = self.result.as_ref()?;
        Some(classroom::value_of(output, &r.summary))
    }

    fn reveal(&mut self) {
        if !self.result_is_current() {
            self.set_status(
                "The simulation of this step is still running; reveal once it is done.",
                true,
            );
            return;
        }
        let Some(r) = self.result.clone() else { return };
        let sc = self.doc.scenario.clone();
        let Some(run) = self.lesson.as_mut() else {
            return;
        };
        match run.output(&sc) {
            Some(o) => {
                let value = classroom::value_of(o, &r.summary);
                let se = classroom::se_of(o, &r.summary);
                run.reveal(Unit::of(o), value, se);
            }
            // A question without an output to score against: the result is simply shown.
            None => run.reveal(Unit::Percent, f64::NAN, f64::NAN),
        }
    }

    /// Opens the shipped lesson `i` now and starts it.
    pub(super) fn open_lesson_now(&mut self, i: usize) {
        let Some((name, text)) = classroom::shipped::LESSONS.get(i).copied() else {
            return;
        };
        match crate::scenario::load_str(text, name) {
            Ok(v) => {
                self.replace_document(Document::new(v, None, format!("{name} (lesson)")));
                self.load_error = None;
                self.start_lesson();
            }
            Err(e) => self.set_status(&e.to_string(), true),
        }
    }

    /// After a document is replaced: leave any lesson, and offer the new file's lesson.
    pub(super) fn lesson_on_open(&mut self) {
        if self.lesson.take().is_some() {
            self.settings.show_inputs = self.inputs_before_lesson;
        }
        self.lesson_offer = self.doc.scenario.lesson.is_some();
    }
}
