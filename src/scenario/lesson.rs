//! Lessons in the scenario file (format version 2): the rules a lesson must follow (a title,
//! at least one step, no empty step, changes `path = value` that name inputs and stay in
//! their ranges, well-formed questions), each problem with its field path; and the changes a
//! step makes, applied to a scenario and restored from the version before them. The names of
//! the outputs a step reveals are checked where the outputs live
//! (`crate::classroom::output_issues`).

use super::error::Issue;
use super::input::Dist;
use super::limits::{MAX_NAME_CHARS, MAX_TEXT_CHARS};
use super::types::{Lesson, LessonStep, Question, Scenario};
use crate::text::fmt_exact;

/// Most steps in a lesson.
pub const MAX_STEPS: usize = 100;
/// Most changes one step makes.
pub const MAX_STEP_CHANGES: usize = 32;
/// Most answers of a choice question.
pub const MAX_CHOICES: usize = 8;

/// One change of a step: an input's path and the fixed value it takes.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// The input's path, as `armistice inputs` lists it.
    pub path: String,
    /// The fixed value the input takes in the step.
    pub value: f64,
}

/// Reads `"path = value"` (spaces around `=` optional). Checks only the form; whether the
/// path is an input and the value in its range is [`check`]'s work.
pub fn parse_change(text: &str) -> Result<Setting, String> {
    let Some((path, value)) = text.split_once('=') else {
        return Err(format!(
            "\"{text}\" must be `path = value`, e.g. \"sides.a.optimism = 0\""
        ));
    };
    let path = path.trim();
    if path.is_empty() {
        return Err(format!("\"{text}\" names no input before `=`"));
    }
    let value: f64 = value.trim().replace('_', "").parse().map_err(|_| {
        format!(
            "\"{text}\": the value after `=` must be a number, got \"{}\"",
            value.trim()
        )
    })?;
    if !value.is_finite() {
        return Err(format!("\"{text}\": the value must be a finite number"));
    }
    Ok(Setting {
        path: path.to_string(),
        value,
    })
}

/// The changes of a step, each parsed; the ones that do not parse are left out (validation
/// reports them).
pub fn settings(step: &LessonStep) -> Vec<Setting> {
    step.changes
        .iter()
        .filter_map(|c| parse_change(c).ok())
        .collect()
}

/// `sc` with each setting's input held at its value. Declared correlations that name a held
/// input are dropped: a fixed value cannot be correlated (as a heatmap cell's values are).
pub fn apply(sc: &Scenario, settings: &[Setting]) -> Scenario {
    let mut out = sc.clone();
    for s in settings {
        out.update_input(&s.path, |i| i.value = Dist::Fixed(s.value));
        out.correlations.retain(|c| c.a != s.path && c.b != s.path);
    }
    out
}

/// `current` with the inputs at `settings`' paths as they were in `before`, and the
/// correlations of `before` that name them back: what going back over a step does, keeping
/// every other edit made since.
pub fn restore(current: &Scenario, before: &Scenario, settings: &[Setting]) -> Scenario {
    let mut out = current.clone();
    let inputs = before.inputs();
    for s in settings {
        if let Some(info) = inputs.iter().find(|i| i.path == s.path) {
            out.update_input(&s.path, |i| *i = info.input.clone());
        }
    }
    for c in &before.correlations {
        let named = settings.iter().any(|s| c.a == s.path || c.b == s.path);
        if named && !out.correlations.contains(c) {
            out.correlations.push(c.clone());
        }
    }
    out
}

/// The problems of a scenario's lesson, if it has one (nothing when it has none).
pub fn check(sc: &Scenario) -> Vec<Issue> {
    let Some(lesson) = &sc.lesson else {
        return Vec::new();
    };
    let mut issues = Vec::new();
    if sc.version < 2 {
        issues.push(Issue::new(
            "lesson",
            "needs format version 2 (`version: 2`; `armistice upgrade FILE` converts a \
             version-1 file)",
        ));
        return issues;
    }
    let mut push = |path: String, message: String| issues.push(Issue::new(path, message));
    header(&mut push, lesson);
    let inputs = sc.inputs();
    // The scenario as each step leaves it: every step's changes must keep it valid.
    let mut walked = sc.clone();
    walked.lesson = None;
    // When the scenario itself has problems, they are reported once, for the scenario: the
    // steps are then not walked.
    let walk = super::validate(walked.clone()).is_ok();
    for (k, step) in lesson.steps.iter().enumerate().take(MAX_STEPS) {
        let p = format!("lesson.steps[{k}]");
        let n = k + 1;
        let says_something = !step.text.trim().is_empty()
            || !step.changes.is_empty()
            || step.question.is_some()
            || step.reveal.is_some();
        if !says_something {
            push(
                p.clone(),
                format!(
                    "step {n} is empty: give it text, changes, a question or an output to reveal"
                ),
            );
        }
        text(
            &mut push,
            &format!("{p}.title"),
            &step.title,
            MAX_NAME_CHARS,
        );
        text(&mut push, &format!("{p}.text"), &step.text, MAX_TEXT_CHARS);
        text(
            &mut push,
            &format!("{p}.explanation"),
            &step.explanation,
            MAX_TEXT_CHARS,
        );
        if step.changes.len() > MAX_STEP_CHANGES {
            push(
                format!("{p}.changes"),
                format!(
                    "step {n} has {} changes; at most {MAX_STEP_CHANGES} are allowed",
                    step.changes.len()
                ),
            );
        }
        let mut good = Vec::new();
        for (c, change) in step.changes.iter().enumerate().take(MAX_STEP_CHANGES) {
            let cp = format!("{p}.changes[{c}]");
            match parse_change(change) {
                Err(e) => push(cp, format!("step {n}: {e}")),
                Ok(s) => match inputs.iter().find(|i| i.path == s.path) {
                    None => push(
                        cp,
                        format!(
                            "step {n}: \"{}\" is not an input of this scenario{}; \
                             `armistice inputs FILE` lists the names",
                            s.path,
                            did_you_mean(&s.path, inputs.iter().map(|i| i.path.as_str()))
                        ),
                    ),
                    Some(info) if !info.spec.accepts(s.value) => push(
                        cp,
                        format!(
                            "step {n}: {} = {} is outside its range: it must be {} ({})",
                            s.path,
                            fmt_exact(s.value),
                            info.spec.describe_range(),
                            info.spec.unit
                        ),
                    ),
                    Some(_) if good.iter().any(|g: &Setting| g.path == s.path) => {
                        push(cp, format!("step {n} sets {} twice", s.path))
                    }
                    Some(_) => good.push(s),
                },
            }
        }
        if walk && !good.is_empty() {
            walked = apply(&walked, &good);
            if let Err(problems) = super::validate(walked.clone()) {
                let first = problems.first().map_or_else(String::new, |i| i.to_string());
                push(
                    format!("{p}.changes"),
                    format!("step {n}: after its changes the scenario is not valid: {first}"),
                );
            }
        }
        if let Some(q) = &step.question {
            question(&mut push, &p, n, q, step.reveal.is_some());
        }
        if let Some(t) = &step.theory {
            text(
                &mut push,
                &format!("{p}.theory.formula"),
                &t.formula,
                MAX_TEXT_CHARS,
            );
            if t.formula.trim().is_empty() {
                push(
                    format!("{p}.theory.formula"),
                    format!("step {n}: must not be empty"),
                );
            }
            if t.value.is_some() && step.reveal.is_none() {
                push(
                    format!("{p}.theory.value"),
                    format!("step {n}: a theory value needs an output to compare with (`reveal`)"),
                );
            }
            if t.value.is_some_and(|v| !v.is_finite()) {
                push(
                    format!("{p}.theory.value"),
                    format!("step {n}: must be a finite number"),
                );
            }
        }
    }
    issues
}

fn header(push: &mut impl FnMut(String, String), lesson: &Lesson) {
    if lesson.title.trim().is_empty() {
        push("lesson.title".into(), "must not be empty".into());
    }
    text(push, "lesson.title", &lesson.title, MAX_NAME_CHARS);
    text(
        push,
        "lesson.introduction",
        &lesson.introduction,
        MAX_TEXT_CHARS,
    );
    if lesson.steps.is_empty() {
        push(
            "lesson.steps".into(),
            "a lesson needs at least one step".into(),
        );
    }
    if lesson.steps.len() > MAX_STEPS {
        push(
            "lesson.steps".into(),
            format!(
                "has {} steps; at most {MAX_STEPS} are allowed",
                lesson.steps.len()
            ),
        );
    }
}

fn text(push: &mut impl FnMut(String, String), path: &str, s: &str, max: usize) {
    let n = s.chars().count();
    if n > max {
        push(
            path.into(),
            format!("is {n} characters long; at most {max} are allowed"),
        );
    }
}

fn question(
    push: &mut impl FnMut(String, String),
    p: &str,
    n: usize,
    q: &Question,
    has_reveal: bool,
) {
    let qp = format!("{p}.question");
    if q.prompt().trim().is_empty() {
        push(
            format!("{qp}.prompt"),
            format!("step {n}: the question must not be empty"),
        );
    }
    text(push, &format!("{qp}.prompt"), q.prompt(), MAX_TEXT_CHARS);
    let needs_output = |push: &mut dyn FnMut(String, String), what: &str| {
        if !has_reveal {
            push(
                format!("{p}.reveal"),
                format!("step {n}: {what} needs the output it is scored against (`reveal`)"),
            );
        }
    };
    match q {
        Question::Choice {
            choices,
            answer,
            bounds,
            ..
        } => {
            if !(2..=MAX_CHOICES).contains(&choices.len()) {
                push(
                    format!("{qp}.choices"),
                    format!(
                        "step {n}: a choice needs 2 to {MAX_CHOICES} answers, got {}",
                        choices.len()
                    ),
                );
            }
            for (i, c) in choices.iter().enumerate() {
                if c.trim().is_empty() {
                    push(
                        format!("{qp}.choices[{i}]"),
                        format!("step {n}: an answer must not be empty"),
                    );
                }
                text(push, &format!("{qp}.choices[{i}]"), c, MAX_NAME_CHARS);
            }
            if let Some(a) = answer
                && *a >= choices.len()
            {
                push(
                    format!("{qp}.answer"),
                    format!(
                        "step {n}: answer {a} does not exist: the answers are counted from 0 \
                         to {}",
                        choices.len().saturating_sub(1)
                    ),
                );
            }
            if !bounds.is_empty() {
                if answer.is_some() {
                    push(
                        format!("{qp}.bounds"),
                        format!("step {n}: give either `answer` or `bounds`, not both"),
                    );
                }
                if bounds.len() + 1 != choices.len() {
                    push(
                        format!("{qp}.bounds"),
                        format!(
                            "step {n}: {} answers need {} bounds between them, got {}",
                            choices.len(),
                            choices.len().saturating_sub(1),
                            bounds.len()
                        ),
                    );
                }
                let increasing =
                    bounds.iter().all(|b| b.is_finite()) && bounds.windows(2).all(|w| w[0] < w[1]);
                if !increasing {
                    push(
                        format!("{qp}.bounds"),
                        format!("step {n}: the bounds must be finite and increasing"),
                    );
                }
                needs_output(push, "a choice with bounds");
            }
        }
        Question::Number { tolerance, .. } => {
            if let Some(t) = tolerance
                && !(*t >= 0.0 && t.is_finite())
            {
                push(
                    format!("{qp}.tolerance"),
                    format!("step {n}: must be a finite number of at least 0"),
                );
            }
            needs_output(push, "a number question");
        }
        Question::Range { .. } => needs_output(push, "a range question"),
    }
}

/// " (did you mean a, b?)" with up to five names whose last part contains the last part of
/// `path` or is within two edits of it.
pub fn did_you_mean<'a>(path: &str, names: impl Iterator<Item = &'a str>) -> String {
    let needle = path.rsplit('.').next().unwrap_or(path);
    let close: Vec<&str> = names
        .filter(|n| {
            let last = n.rsplit('.').next().unwrap_or(n);
            n.contains(needle) || edits(last, needle) <= 2
        })
        .take(5)
        .collect();
    if close.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", close.join(", "))
    }
}

/// The edit (Levenshtein) distance between two short names.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{LessonStep, Question, load_str, types::Lesson, validate};

    fn teaching() -> Scenario {
        let text = include_str!("../../scenarios/teaching-arvenia-borsk.ron");
        let mut sc = load_str(text, "teaching").unwrap().into_inner();
        sc.lesson = None;
        sc
    }

    fn step(text: &str) -> LessonStep {
        LessonStep {
            title: String::new(),
            text: text.into(),
            changes: Vec::new(),
            question: None,
            reveal: None,
            show: None,
            theory: None,
            explanation: String::new(),
        }
    }

    fn with_steps(steps: Vec<LessonStep>) -> Scenario {
        let mut sc = teaching();
        sc.lesson = Some(Lesson {
            title: "Test".into(),
            introduction: String::new(),
            steps,
        });
        sc
    }

    #[test]
    fn parses_path_equals_value() {
        assert_eq!(
            parse_change(" sides.a.optimism =0.1 ").unwrap(),
            Setting {
                path: "sides.a.optimism".into(),
                value: 0.1
            }
        );
        assert_eq!(parse_change("a = 20_000").unwrap().value, 20_000.0);
        assert!(parse_change("sides.a.optimism").is_err());
        assert!(parse_change("= 1").is_err());
        assert!(parse_change("x = lots").is_err());
        assert!(parse_change("x = inf").is_err());
    }

    #[test]
    fn a_good_lesson_passes() {
        let mut s = step("Remove the ally's support.");
        s.changes = vec!["aid[0].amount_usd_bn = 0".into()];
        s.question = Some(Question::Number {
            prompt: "How often do they settle?".into(),
            tolerance: None,
        });
        s.reveal = Some("p_deal".into());
        assert_eq!(check(&with_steps(vec![s])), vec![]);
    }

    #[test]
    fn every_problem_has_its_position() {
        let mut bad_path = step("x");
        bad_path.changes = vec![
            "sides.a.optimsm = 0".into(),
            "sides.a.optimism = 3".into(),
            "sides.a.optimism: 0".into(),
        ];
        let empty = step("  ");
        let mut choice = step("y");
        choice.question = Some(Question::Choice {
            prompt: "Which?".into(),
            choices: vec!["one".into()],
            answer: Some(4),
            bounds: vec![],
        });
        let mut range = step("z");
        range.question = Some(Question::Range {
            prompt: "Where?".into(),
        });
        let issues = check(&with_steps(vec![bad_path, empty, choice, range]));
        let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "lesson.steps[0].changes[0]",
                "lesson.steps[0].changes[1]",
                "lesson.steps[0].changes[2]",
                "lesson.steps[1]",
                "lesson.steps[2].question.choices",
                "lesson.steps[2].question.answer",
                "lesson.steps[3].reveal",
            ],
            "{issues:#?}"
        );
        assert!(issues[0].message.contains("did you mean sides.a.optimism"));
        assert!(issues[1].message.contains("outside its range"));
        assert!(issues[3].message.contains("step 2 is empty"));
        // Validation reports them too.
        assert!(validate(with_steps(vec![step("  ")])).is_err());
    }

    #[test]
    fn a_lesson_needs_steps_and_version_2() {
        let mut sc = with_steps(vec![]);
        assert_eq!(check(&sc)[0].path, "lesson.steps");
        sc.version = 1;
        assert_eq!(check(&sc)[0].path, "lesson");
    }

    #[test]
    fn apply_then_restore_gives_the_inputs_back() {
        let sc = teaching();
        let s = vec![
            parse_change("sides.a.optimism = 0").unwrap(),
            parse_change("aid[0].amount_usd_bn = 1").unwrap(),
        ];
        let changed = apply(&sc, &s);
        let info =
            |sc: &Scenario, p: &str| sc.inputs().into_iter().find(|i| i.path == p).unwrap().input;
        assert_eq!(info(&changed, "sides.a.optimism").value, Dist::Fixed(0.0));
        assert_ne!(changed, sc);
        // An edit made since (another input) is kept.
        let mut edited = changed.clone();
        edited.update_input("sides.b.patience", |i| i.value = Dist::Fixed(0.9));
        let back = restore(&edited, &sc, &s);
        assert_eq!(
            info(&back, "sides.a.optimism"),
            info(&sc, "sides.a.optimism")
        );
        assert_eq!(
            info(&back, "aid[0].amount_usd_bn"),
            info(&sc, "aid[0].amount_usd_bn")
        );
        assert_eq!(info(&back, "sides.b.patience").value, Dist::Fixed(0.9));
        let mut undo_edit = back.clone();
        undo_edit.update_input("sides.b.patience", |i| *i = info(&sc, "sides.b.patience"));
        assert_eq!(undo_edit, sc);
    }
}
