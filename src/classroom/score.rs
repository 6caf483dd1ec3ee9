//! Scoring a prediction against the revealed value: right or wrong, how far off, the share
//! of a room that chose the right answer (a show of hands), and a tally across a lesson.

use super::Unit;
use crate::scenario::Question;

/// What the class predicted, in the output's own unit (shares as 0..1).
#[derive(Clone, Debug, PartialEq)]
pub enum Prediction {
    /// One answer of a choice question (from 0).
    Choice(usize),
    /// A show of hands: how many chose each answer.
    Hands(Vec<u32>),
    Number(f64),
    /// Low and high ends.
    Range(f64, f64),
}

/// How a prediction did.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    /// Right or wrong; `None` when the question has no right answer (opinions).
    pub right: Option<bool>,
    /// The right answer of a choice question, when there is one.
    pub right_choice: Option<usize>,
    /// Revealed value minus the prediction (number), or the distance outside the range
    /// (signed: positive when the value lies above it); 0 inside.
    pub off_by: Option<f64>,
    /// A show of hands: hands for the right answer, and all hands.
    pub hands: Option<(u32, u32)>,
}

/// The answer whose interval between `bounds` holds `value`.
pub fn bin(value: f64, bounds: &[f64]) -> Option<usize> {
    if value.is_nan() {
        return None;
    }
    Some(bounds.iter().take_while(|b| value >= **b).count())
}

/// The tolerance of a number question: the question's own, or 5 percentage points for a
/// share, 1 month for a month, and 10% of the value otherwise.
pub fn tolerance(question_tolerance: Option<f64>, unit: Unit, value: f64) -> f64 {
    question_tolerance.unwrap_or(match unit {
        Unit::Percent => 0.05,
        Unit::Month => 1.0,
        Unit::Km2 | Unit::Troops => 0.1 * value.abs(),
    })
}

/// Scores `prediction` for `question` against the revealed `value` (NaN when the output has
/// no value, e.g. no median month: a number or range is then wrong, a bound choice the last
/// answer).
pub fn score(question: &Question, unit: Unit, value: f64, prediction: &Prediction) -> Score {
    let mut s = Score {
        right: None,
        right_choice: None,
        off_by: None,
        hands: None,
    };
    match (question, prediction) {
        (
            Question::Choice {
                answer,
                bounds,
                choices,
                ..
            },
            p,
        ) => {
            s.right_choice = match answer {
                Some(a) => Some(*a),
                None if !bounds.is_empty() => {
                    if value.is_nan() {
                        Some(choices.len().saturating_sub(1))
                    } else {
                        bin(value, bounds)
                    }
                }
                None => None,
            };
            match p {
                Prediction::Choice(c) => s.right = s.right_choice.map(|r| r == *c),
                Prediction::Hands(counts) => {
                    let total: u32 = counts.iter().sum();
                    if let Some(r) = s.right_choice {
                        let right = counts.get(r).copied().unwrap_or(0);
                        s.hands = Some((right, total));
                        s.right = (total > 0).then_some(2 * right > total);
                    }
                }
                _ => {}
            }
        }
        (Question::Number { tolerance: t, .. }, Prediction::Number(x)) => {
            if value.is_nan() {
                s.right = Some(false);
            } else {
                let off = value - x;
                s.off_by = Some(off);
                s.right = Some(off.abs() <= tolerance(*t, unit, value) + 1e-12);
            }
        }
        (Question::Range { .. }, Prediction::Range(lo, hi)) => {
            let (lo, hi) = if lo <= hi { (*lo, *hi) } else { (*hi, *lo) };
            if value.is_nan() {
                s.right = Some(false);
            } else {
                let off = if value < lo {
                    value - lo
                } else if value > hi {
                    value - hi
                } else {
                    0.0
                };
                s.off_by = Some(off);
                s.right = Some(off == 0.0);
            }
        }
        _ => {}
    }
    s
}

/// The scores of a lesson so far.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    /// Predictions scored right or wrong.
    pub scored: u32,
    pub right: u32,
    /// Hands for the right answers, and all hands, over the shows of hands.
    pub hands_right: u32,
    pub hands: u32,
}

impl Tally {
    pub fn add(&mut self, s: &Score) {
        if let Some(r) = s.right {
            self.scored += 1;
            self.right += u32::from(r);
        }
        if let Some((r, t)) = s.hands {
            self.hands_right += r;
            self.hands += t;
        }
    }

    /// "2 of 3 predictions right; the room: 61% of hands right".
    pub fn text(&self) -> String {
        let mut t = format!(
            "{} of {} prediction{} right",
            self.right,
            self.scored,
            if self.scored == 1 { "" } else { "s" }
        );
        if self.hands > 0 {
            t.push_str(&format!(
                "; the room: {:.0}% of hands right",
                100.0 * f64::from(self.hands_right) / f64::from(self.hands)
            ));
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(answer: Option<usize>, bounds: Vec<f64>) -> Question {
        Question::Choice {
            prompt: "?".into(),
            choices: vec!["low".into(), "middle".into(), "high".into()],
            answer,
            bounds,
        }
    }

    #[test]
    fn a_choice_is_right_or_wrong() {
        let q = choice(Some(2), vec![]);
        assert_eq!(
            score(&q, Unit::Percent, 0.3, &Prediction::Choice(2)).right,
            Some(true)
        );
        assert_eq!(
            score(&q, Unit::Percent, 0.3, &Prediction::Choice(0)).right,
            Some(false)
        );
        let opinion = choice(None, vec![]);
        assert_eq!(
            score(&opinion, Unit::Percent, 0.3, &Prediction::Choice(0)).right,
            None
        );
    }

    #[test]
    fn bounds_pick_the_right_answer_from_the_value() {
        let q = choice(None, vec![0.25, 0.75]);
        let s = score(&q, Unit::Percent, 0.8, &Prediction::Choice(1));
        assert_eq!((s.right_choice, s.right), (Some(2), Some(false)));
        let s = score(&q, Unit::Percent, 0.25, &Prediction::Choice(1));
        assert_eq!((s.right_choice, s.right), (Some(1), Some(true)));
    }

    #[test]
    fn numbers_and_ranges_say_how_far_off() {
        let q = Question::Number {
            prompt: "?".into(),
            tolerance: None,
        };
        let s = score(&q, Unit::Percent, 0.31, &Prediction::Number(0.5));
        assert!((s.off_by.unwrap() + 0.19).abs() < 1e-12);
        assert_eq!(s.right, Some(false));
        let s = score(&q, Unit::Percent, 0.31, &Prediction::Number(0.35));
        assert_eq!(s.right, Some(true));
        let r = Question::Range { prompt: "?".into() };
        let s = score(&r, Unit::Month, 7.0, &Prediction::Range(2.0, 5.0));
        assert_eq!((s.off_by, s.right), (Some(2.0), Some(false)));
        let s = score(&r, Unit::Month, 4.0, &Prediction::Range(5.0, 2.0));
        assert_eq!((s.off_by, s.right), (Some(0.0), Some(true)));
    }

    #[test]
    fn a_show_of_hands_counts_the_room() {
        let q = choice(Some(1), vec![]);
        let s = score(&q, Unit::Percent, 0.0, &Prediction::Hands(vec![5, 14, 4]));
        assert_eq!(s.hands, Some((14, 23)));
        assert_eq!(s.right, Some(true));
        let mut t = Tally::default();
        t.add(&s);
        t.add(&score(&q, Unit::Percent, 0.0, &Prediction::Choice(0)));
        assert_eq!(
            t.text(),
            "1 of 2 predictions right; the room: 61% of hands right"
        );
    }
}
