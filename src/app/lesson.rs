//! A lesson in progress (lesson mode): which step is shown, what entering each step changed
//! (so that going back restores it), the class's predictions, which results are revealed and
//! how each prediction scored. The handler moves it (`Action::Lesson*`); `ui/lesson.rs` draws
//! it. Nothing here draws or runs.

use crate::analysis::output::Output;
use crate::classroom::Unit;
use crate::classroom::score::{Prediction, Score, Tally, score};
use crate::scenario::lesson::Setting;
use crate::scenario::{Lesson, LessonStep, LessonView, Question, Scenario, TrialPick};

/// What a class has entered for one step, and what the reveal gave.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    /// The answer chosen (choice questions).
    pub choice: Option<usize>,
    /// Hands for each answer (show of hands).
    pub hands: Vec<u32>,
    /// A number, or the two ends of a range, as typed (percentages for shares).
    pub number: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The revealed value, in the output's unit (shares as 0..1; NaN: none).
    pub value: Option<f64>,
    /// Its standard error.
    pub se: Option<f64>,
    /// The value before the step's changes, when the step changed inputs and a result of the
    /// scenario before them was shown.
    pub before: Option<f64>,
    pub score: Option<Score>,
}

impl Answer {
    pub fn revealed(&self) -> bool {
        self.value.is_some()
    }
}

/// What entering a step changed.
#[derive(Clone, Debug)]
struct Entered {
    before: Scenario,
    settings: Vec<Setting>,
}

/// A lesson being taught.
#[derive(Clone, Debug)]
pub struct LessonRun {
    pub lesson: Lesson,
    /// 0: the introduction; `k`: step `k` (from 1).
    pub at: usize,
    /// Per step: what entering it changed (when it changed something and was entered).
    entered: Vec<Option<Entered>>,
    /// Per step.
    pub answers: Vec<Answer>,
    /// Choice questions take a count of hands for each answer instead of one answer.
    pub show_of_hands: bool,
    /// Which trial the single-trial view tells in this lesson.
    pub trial_cursor: Option<u64>,
}

impl LessonRun {
    pub fn new(lesson: Lesson) -> Self {
        let n = lesson.steps.len();
        LessonRun {
            lesson,
            at: 0,
            entered: vec![None; n],
            answers: vec![Answer::default(); n],
            show_of_hands: false,
            trial_cursor: None,
        }
    }

    /// The step shown (none on the introduction).
    pub fn step(&self) -> Option<&LessonStep> {
        self.at
            .checked_sub(1)
            .and_then(|k| self.lesson.steps.get(k))
    }

    pub fn answer(&self) -> Option<&Answer> {
        self.at.checked_sub(1).and_then(|k| self.answers.get(k))
    }

    pub fn answer_mut(&mut self) -> Option<&mut Answer> {
        self.at.checked_sub(1).and_then(|k| self.answers.get_mut(k))
    }

    pub fn is_last(&self) -> bool {
        self.at >= self.lesson.steps.len()
    }

    /// Moves to the next step; returns the scenario with its changes applied to `current`
    /// when it has any (the caller makes that an undoable edit).
    pub fn next(&mut self, current: &Scenario) -> Option<Scenario> {
        if self.is_last() {
            return None;
        }
        self.at += 1;
        let step = self.step()?;
        let settings = crate::scenario::lesson::settings(step);
        if settings.is_empty() {
            return None;
        }
        let changed = crate::scenario::lesson::apply(current, &settings);
        if let Some(slot) = self.entered.get_mut(self.at - 1) {
            *slot = Some(Entered {
                before: current.clone(),
                settings,
            });
        }
        (changed != *current).then_some(changed)
    }

    /// Moves back a step; returns `current` with the changes of the step left restored, when
    /// it made any.
    pub fn back(&mut self, current: &Scenario) -> Option<Scenario> {
        if self.at == 0 {
            return None;
        }
        let left = self.entered.get_mut(self.at - 1).and_then(Option::take);
        self.at -= 1;
        let e = left?;
        let restored = crate::scenario::lesson::restore(current, &e.before, &e.settings);
        (restored != *current).then_some(restored)
    }

    /// The output the current step reveals, parsed for `sc`.
    pub fn output(&self, sc: &Scenario) -> Option<Output> {
        let name = self.step()?.reveal.as_ref()?;
        Output::parse(name, sc).ok()
    }

    /// Whether the current step's result is still hidden: it asks for a prediction that has
    /// not been revealed.
    pub fn hidden(&self) -> bool {
        self.step().is_some_and(|s| s.question.is_some())
            && !self.answer().is_some_and(Answer::revealed)
    }

    /// The prediction entered for the current step, if it is complete, in the output's unit.
    pub fn prediction(&self, unit: Unit) -> Option<Prediction> {
        let q = self.step()?.question.as_ref()?;
        let a = self.answer()?;
        let f = unit.typed_factor();
        match q {
            Question::Choice { .. } if self.show_of_hands => {
                (a.hands.iter().sum::<u32>() > 0).then(|| Prediction::Hands(a.hands.clone()))
            }
            Question::Choice { .. } => a.choice.map(Prediction::Choice),
            Question::Number { .. } => a.number.map(|x| Prediction::Number(x / f)),
            Question::Range { .. } => match (a.low, a.high) {
                (Some(l), Some(h)) => Some(Prediction::Range(l / f, h / f)),
                _ => None,
            },
        }
    }

    /// Reveals the current step's result: `value` and `se` of its output (in the output's
    /// unit), scoring the prediction entered, if any.
    pub fn reveal(&mut self, unit: Unit, value: f64, se: f64) {
        let prediction = self.prediction(unit);
        let question = self.step().and_then(|s| s.question.clone());
        let Some(a) = self.answer_mut() else { return };
        a.value = Some(value);
        a.se = Some(se);
        a.score = match (question, prediction) {
            (Some(q), Some(p)) => Some(score(&q, unit, value, &p)),
            _ => None,
        };
    }

    /// The scores of every step revealed so far.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for s in self.answers.iter().filter_map(|a| a.score.as_ref()) {
            t.add(s);
        }
        t
    }

    /// What the current step shows beside its text: its own choice, else the view of the
    /// output it reveals, else one trial told month by month.
    pub fn view(&self, sc: &Scenario) -> LessonView {
        if let Some(v) = self.step().and_then(|s| s.show) {
            return v;
        }
        match self.output(sc) {
            Some(o) => view_of(o),
            None => LessonView::Trial(TrialPick::Median),
        }
    }
}

/// The view that shows an output best.
pub fn view_of(output: Output) -> LessonView {
    use crate::stats::Outcome;
    match output {
        Output::PDeal
        | Output::PSettledBy(_)
        | Output::SettlementMonth { .. }
        | Output::MedianSettlementMonth => LessonView::SettlementCurve,
        Output::PPackage(_) => LessonView::Terms,
        Output::Outcome(o) => match o {
            Outcome::LeverageA | Outcome::LeverageB | Outcome::SurplusA | Outcome::SurplusB => {
                LessonView::Leverage
            }
            Outcome::RangeLow | Outcome::RangeHigh => LessonView::BargainingRange,
            _ => LessonView::Front,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    fn lesson_scenario() -> Scenario {
        let text = include_str!("../../scenarios/teaching-arvenia-borsk.ron");
        let mut sc = load_str(text, "teaching").unwrap().into_inner();
        let step = |changes: Vec<&str>, question: Option<Question>| LessonStep {
            title: String::new(),
            text: "t".into(),
            changes: changes.into_iter().map(String::from).collect(),
            question,
            reveal: Some("p_deal".into()),
            show: None,
            theory: None,
            explanation: String::new(),
        };
        sc.lesson = Some(Lesson {
            title: "L".into(),
            introduction: String::new(),
            steps: vec![
                step(vec!["sides.a.patience = 0.5"], None),
                step(
                    vec!["sides.b.patience = 0.6"],
                    Some(Question::Number {
                        prompt: "?".into(),
                        tolerance: None,
                    }),
                ),
            ],
        });
        sc
    }

    #[test]
    fn steps_apply_and_going_back_restores() {
        let sc = lesson_scenario();
        let mut run = LessonRun::new(sc.lesson.clone().unwrap());
        let s1 = run.next(&sc).unwrap();
        let s2 = run.next(&s1).unwrap();
        assert_eq!(run.at, 2);
        assert!(run.next(&s2).is_none(), "no step after the last");
        assert!(run.hidden());
        let b1 = run.back(&s2).unwrap();
        assert_eq!(b1, s1);
        let b0 = run.back(&b1).unwrap();
        assert_eq!(b0, sc);
        assert_eq!(run.at, 0);
        assert!(run.back(&b0).is_none());
    }

    #[test]
    fn reveal_scores_the_prediction_typed_in_percent() {
        let sc = lesson_scenario();
        let mut run = LessonRun::new(sc.lesson.clone().unwrap());
        run.next(&sc);
        run.next(&sc);
        if let Some(a) = run.answer_mut() {
            a.number = Some(40.0);
        }
        run.reveal(Unit::Percent, 0.43, 0.01);
        assert!(!run.hidden());
        let s = run.answer().and_then(|a| a.score.clone()).unwrap();
        assert_eq!(s.right, Some(true));
        assert_eq!(run.tally().right, 1);
    }
}
