//! The classroom's core (no UI): the outputs a lesson reveals, checked against the outputs a
//! run has and said in plain words ("31% of runs end in a deal within 12 months"); the
//! scoring of predictions ([`score`]); and one trial of a run picked and told month by month
//! ([`story`]). The app's lesson mode, single-trial view and presentation mode draw from here.

pub mod score;
pub mod shipped;
pub mod story;

use crate::analysis::output::{Output, PointStats};
use crate::scenario::{Issue, Scenario};
use crate::stats::{Outcome, Summary};

/// The problems of the output names a scenario's lesson uses (`reveal`), each with its
/// position, e.g. `lesson.steps[2].reveal: unknown output "p_dael"; choose one of ...`.
/// The rest of a lesson is checked with the file (`scenario::lesson`).
pub fn output_issues(sc: &Scenario) -> Vec<Issue> {
    let Some(lesson) = &sc.lesson else {
        return Vec::new();
    };
    let mut issues = Vec::new();
    for (k, step) in lesson.steps.iter().enumerate() {
        if let Some(name) = &step.reveal
            && let Err(e) = Output::parse(name, sc)
        {
            issues.push(Issue::new(
                format!("lesson.steps[{k}].reveal"),
                format!("step {}: {e}", k + 1),
            ));
        }
    }
    issues
}

/// Every problem of a scenario's lesson that validation leaves to the outputs
/// (the names of the outputs it reveals); empty when the lesson is sound or there is none.
pub fn lesson_issues(sc: &Scenario) -> Vec<Issue> {
    output_issues(sc)
}

/// The value of `output` in a run's summary: its probability, its mean, or (for the median
/// month of settlement) the month, NaN when half the runs do not settle.
pub fn value_of(output: Output, summary: &Summary) -> f64 {
    PointStats::from_summary(summary).headline(output)
}

/// The standard error of that value (NaN for the median month).
pub fn se_of(output: Output, summary: &Summary) -> f64 {
    PointStats::from_summary(summary).value(output, crate::analysis::output::Statistic::Se)
}

/// How an output's values are written and taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A share (probability or share of the issue), written as a percentage.
    Percent,
    /// A month.
    Month,
    /// km2 of territory.
    Km2,
    /// Troops.
    Troops,
}

impl Unit {
    pub fn of(output: Output) -> Unit {
        match output {
            Output::PDeal | Output::PPackage(_) | Output::PSettledBy(_) => Unit::Percent,
            Output::SettlementMonth { .. } | Output::MedianSettlementMonth => Unit::Month,
            Output::Outcome(o) => match o {
                Outcome::HeldByB | Outcome::GainedByB => Unit::Km2,
                Outcome::CasualtiesA | Outcome::CasualtiesB => Unit::Troops,
                _ => Unit::Percent,
            },
        }
    }

    /// A value in this unit as the class reads it: "31%", "month 7", "1,250 km²".
    pub fn format(self, x: f64) -> String {
        if x.is_nan() {
            return "none".into();
        }
        match self {
            // Never "100%" or "0%" for what is not certain or impossible.
            Unit::Percent if x > 0.0 && x < 0.005 => "under 1%".into(),
            Unit::Percent if (0.995..1.0).contains(&x) => "over 99%".into(),
            Unit::Percent => format!("{:.0}%", x * 100.0),
            Unit::Month => {
                if (x - x.round()).abs() < 0.05 {
                    format!("month {:.0}", x)
                } else {
                    format!("month {:.1}", x)
                }
            }
            Unit::Km2 => format!("{} km²", crate::text::group_thousands(x.round())),
            Unit::Troops => crate::text::group_thousands(x.round()),
        }
    }

    /// A difference in this unit: "12 points", "1.5 months", "300 km²".
    pub fn format_difference(self, d: f64) -> String {
        let d = d.abs();
        match self {
            Unit::Percent => format!("{:.0} percentage points", d * 100.0),
            Unit::Month => format!("{d:.1} months"),
            Unit::Km2 => format!("{} km²", crate::text::group_thousands(d.round())),
            Unit::Troops => format!("{} troops", crate::text::group_thousands(d.round())),
        }
    }

    /// The factor from the file's unit to the unit typed in the app (percentages for shares).
    pub fn typed_factor(self) -> f64 {
        match self {
            Unit::Percent => 100.0,
            _ => 1.0,
        }
    }

    /// What the class types, e.g. "%" or "months".
    pub fn typed_suffix(self) -> &'static str {
        match self {
            Unit::Percent => "%",
            Unit::Month => " months",
            Unit::Km2 => " km²",
            Unit::Troops => " troops",
        }
    }
}

/// An output's value in plain words: the number, and what it is, for a room.
#[derive(Clone, Debug, PartialEq)]
pub struct Plain {
    /// "31%", "month 5".
    pub number: String,
    /// "of runs end in a deal within 12 months".
    pub words: String,
}

/// `value` of `output` in plain words, with the scenario's side and package names.
pub fn plain(output: Output, value: f64, sc: &Scenario) -> Plain {
    let a = &sc.sides.a.name;
    let b = &sc.sides.b.name;
    let horizon = sc.simulation.horizon_months;
    let monthly = sc.version >= 2;
    let unit = Unit::of(output);
    let number = unit.format(value);
    let words = match output {
        Output::PDeal if monthly => format!("of runs end in a deal within {horizon} months"),
        Output::PDeal => "of runs end in a deal".into(),
        Output::PPackage(k) => format!(
            "of runs end on \"{}\"",
            sc.bargaining
                .packages
                .get(k)
                .map_or("a package", |p| p.name.as_str())
        ),
        Output::PSettledBy(m) => format!("of runs have ended in a deal by month {m}"),
        Output::SettlementMonth { horizon } => format!(
            "is when the war ends on average (a war still going counts as month {})",
            horizon + 1
        ),
        Output::MedianSettlementMonth if value.is_nan() => {
            format!("half the runs are still fighting after {horizon} months")
        }
        Output::MedianSettlementMonth => "is when half the runs have ended in a deal".into(),
        Output::Outcome(o) => match o {
            Outcome::LeverageA => format!("of the issue is what {a} commands at the table"),
            Outcome::LeverageB => format!("of the issue is what {b} commands at the table"),
            Outcome::SurplusA => format!("of the issue is what a deal gains {a} over fighting"),
            Outcome::SurplusB => format!("of the issue is what a deal gains {b} over fighting"),
            Outcome::RangeLow => format!("of the issue is the least {a} would accept"),
            Outcome::RangeHigh => format!("of the issue is the most {b} would concede"),
            Outcome::WinProbabilityA => {
                format!("is {a}'s chance of winning a war fought to the finish")
            }
            Outcome::HeldByB => format!("held by {b} at the end"),
            Outcome::GainedByB => format!("gained by {b}"),
            Outcome::CasualtiesA => format!("casualties of {a}"),
            Outcome::CasualtiesB => format!("casualties of {b}"),
        },
    };
    Plain { number, words }
}

#[cfg(test)]
mod tests {
    use super::Unit;

    #[test]
    fn a_share_near_certain_or_impossible_is_not_rounded_to_it() {
        assert_eq!(Unit::Percent.format(0.997), "over 99%");
        assert_eq!(Unit::Percent.format(1.0), "100%");
        assert_eq!(Unit::Percent.format(0.003), "under 1%");
        assert_eq!(Unit::Percent.format(0.0), "0%");
        assert_eq!(Unit::Percent.format(0.994), "99%");
        assert_eq!(Unit::Percent.format(0.31), "31%");
    }

    use super::*;
    use crate::scenario::{LessonStep, load_str, types::Lesson};

    fn teaching() -> Scenario {
        let text = include_str!("../../scenarios/teaching-arvenia-borsk.ron");
        load_str(text, "teaching").unwrap().into_inner()
    }

    #[test]
    fn unknown_outputs_are_reported_at_their_step() {
        let mut sc = teaching();
        let step = |reveal: &str| LessonStep {
            title: String::new(),
            text: "x".into(),
            changes: vec![],
            question: None,
            reveal: Some(reveal.into()),
            show: None,
            theory: None,
            explanation: String::new(),
        };
        sc.lesson = Some(Lesson {
            title: "t".into(),
            introduction: String::new(),
            steps: vec![
                step("p_deal"),
                step("p_dael"),
                step("p_settled_by:99"),
                step("p_package:Ceasefire on the line"),
            ],
        });
        let issues = output_issues(&sc);
        let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["lesson.steps[1].reveal", "lesson.steps[2].reveal"]);
        assert!(issues[0].message.contains("unknown output \"p_dael\""));
        assert!(issues[0].message.starts_with("step 2"));
    }

    #[test]
    fn plain_words_for_a_room() {
        let sc = teaching();
        let p = plain(Output::PDeal, 0.314, &sc);
        assert_eq!(p.number, "31%");
        assert_eq!(p.words, "of runs end in a deal within 12 months");
        let m = plain(Output::MedianSettlementMonth, f64::NAN, &sc);
        assert_eq!(m.number, "none");
        assert_eq!(Unit::Month.format(5.0), "month 5");
        assert_eq!(
            Unit::Percent.format_difference(-0.12),
            "12 percentage points"
        );
    }
}
