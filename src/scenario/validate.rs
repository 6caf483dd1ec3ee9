//! Validation: turns a parsed [`Scenario`] into a [`ValidScenario`] or lists every problem
//! with its field path, the offending value and what was expected. Checks are written so
//! that NaN fails them.

use std::collections::BTreeSet;

use super::error::Issue;
use super::input::{Dist, Input};
use super::limits::*;
use super::registry::FieldSpec;
use super::types::*;
use crate::text::{clip, fmt_exact};

mod correlations;
mod dist;

/// A scenario that passed validation: the only form the simulator accepts.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidScenario(Scenario);

impl ValidScenario {
    /// The validated scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.0
    }

    /// Gives the scenario back, e.g. to edit it (and validate it again).
    pub fn into_inner(self) -> Scenario {
        self.0
    }
}

impl std::ops::Deref for ValidScenario {
    type Target = Scenario;
    fn deref(&self) -> &Scenario {
        &self.0
    }
}

/// Tail mass beyond which an unbounded distribution must not leave its field's range.
const TAIL: f64 = 1e-6;

/// Checks every rule of the format; returns all problems, not just the first.
pub fn validate(scenario: Scenario) -> Result<ValidScenario, Vec<Issue>> {
    let mut v = Validator::default();
    v.check(&scenario);
    if v.issues.is_empty() {
        Ok(ValidScenario(scenario))
    } else {
        Err(bounded(v.issues))
    }
}

/// At most [`MAX_ISSUES`] problems, each at most [`MAX_MESSAGE_CHARS`] long: a hostile file
/// (thousands of bad entries, megabyte-long names) still gets a list that can be read and
/// shown. A last entry, at the first problem left out, counts the rest.
fn bounded(mut issues: Vec<Issue>) -> Vec<Issue> {
    if issues.len() > MAX_ISSUES {
        let rest = issues.len() - MAX_ISSUES;
        let at = issues[MAX_ISSUES].path.clone();
        issues.truncate(MAX_ISSUES);
        issues.push(Issue::new(
            at,
            format!("and {rest} more problems from here on, not listed; fix the ones above first"),
        ));
    }
    for i in &mut issues {
        i.path = clip(&i.path, MAX_MESSAGE_CHARS);
        i.message = clip(&i.message, MAX_MESSAGE_CHARS);
    }
    issues
}

#[derive(Default)]
struct Validator {
    issues: Vec<Issue>,
}

impl Validator {
    fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.issues.push(Issue::new(path, message));
    }

    fn name(&mut self, path: &str, s: &str, required: bool) {
        if required && s.trim().is_empty() {
            self.push(path, "must not be empty");
        }
        let n = s.chars().count();
        if n > MAX_NAME_CHARS {
            self.push(
                path,
                format!("is {n} characters long; at most {MAX_NAME_CHARS} are allowed"),
            );
        }
    }

    fn text(&mut self, path: &str, s: &str) {
        let n = s.chars().count();
        if n > MAX_TEXT_CHARS {
            self.push(
                path,
                format!("is {n} characters long; at most {MAX_TEXT_CHARS} are allowed"),
            );
        }
    }

    fn count(&mut self, path: &str, n: usize, max: usize, what: &str) {
        if n > max {
            self.push(path, format!("has {n} {what}; at most {max} are allowed"));
        }
    }

    fn check(&mut self, sc: &Scenario) {
        self.issues.extend(super::validate_v2::check(sc));
        self.issues.extend(super::lesson::check(sc));
        self.meta(&sc.meta);
        let source_ids: BTreeSet<&str> = sc.meta.sources.iter().map(|s| s.id.as_str()).collect();

        let sim = &sc.simulation;
        if !(1..=MAX_TRIALS).contains(&sim.trials) {
            self.push(
                "simulation.trials",
                format!("must be within 1..={MAX_TRIALS}, got {}", sim.trials),
            );
        }
        if !(1..=MAX_HORIZON_MONTHS).contains(&sim.horizon_months) {
            self.push(
                "simulation.horizon_months",
                format!(
                    "must be within 1..={MAX_HORIZON_MONTHS} months, got {}",
                    sim.horizon_months
                ),
            );
        }

        for (l, side) in [("a", &sc.sides.a), ("b", &sc.sides.b)] {
            self.name(&format!("sides.{l}.id"), &side.id, true);
            self.name(&format!("sides.{l}.name"), &side.name, true);
        }
        if sc.sides.a.id == sc.sides.b.id {
            self.push(
                "sides.b.id",
                format!(
                    "must differ from sides.a.id, both are \"{}\"",
                    sc.sides.a.id
                ),
            );
        }
        let given = [
            sc.sides.a.losses_per_month.is_some(),
            sc.sides.b.losses_per_month.is_some(),
            sc.battlefield.exchange_ratio.is_some(),
        ];
        if given.iter().filter(|g| **g).count() != 2 {
            self.push(
                "battlefield.exchange_ratio",
                format!(
                    "give exactly two of sides.a.losses_per_month, sides.b.losses_per_month and \
                     battlefield.exchange_ratio (given: {})",
                    [
                        "sides.a.losses_per_month",
                        "sides.b.losses_per_month",
                        "battlefield.exchange_ratio"
                    ]
                    .iter()
                    .zip(given)
                    .filter(|(_, g)| *g)
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
                    .if_empty("none")
                ),
            );
        }

        let side_ids = [sc.sides.a.id.as_str(), sc.sides.b.id.as_str()];
        self.count("aid", sc.aid.len(), MAX_AID_STREAMS, "streams");
        for (i, s) in sc.aid.iter().enumerate() {
            let p = format!("aid[{i}]");
            self.name(&format!("{p}.name"), &s.name, true);
            self.name(&format!("{p}.donor"), &s.donor, false);
            self.recipient(&format!("{p}.recipient"), &s.recipient, side_ids);
            self.schedule(&format!("{p}.schedule"), &s.schedule);
            if s.lag_months > MAX_LAG_MONTHS {
                self.push(
                    format!("{p}.lag_months"),
                    format!("must be at most {MAX_LAG_MONTHS}, got {}", s.lag_months),
                );
            }
        }
        self.count("troops", sc.troops.len(), MAX_CONTINGENTS, "contingents");
        for (i, t) in sc.troops.iter().enumerate() {
            let p = format!("troops[{i}]");
            self.name(&format!("{p}.name"), &t.name, true);
            self.name(&format!("{p}.contributor"), &t.contributor, false);
            self.recipient(&format!("{p}.recipient"), &t.recipient, side_ids);
        }

        self.bargaining(&sc.bargaining);

        self.count(
            "observed",
            sc.observed.len(),
            MAX_OBSERVATIONS,
            "observations",
        );
        for (i, o) in sc.observed.iter().enumerate() {
            let p = format!("observed[{i}]");
            self.name(&format!("{p}.label"), &o.label, false);
            if !(-120..=MAX_MONTH as i32).contains(&o.month) {
                self.push(
                    format!("{p}.month"),
                    format!("must be within -120..={MAX_MONTH}, got {}", o.month),
                );
            }
            if !o.gained_by_b_km2.is_finite() || o.gained_by_b_km2.abs() > MAX_AREA_KM2 {
                self.push(
                    format!("{p}.gained_by_b_km2"),
                    format!(
                        "must be a finite area of at most {} km2, got {}",
                        fmt_exact(MAX_AREA_KM2),
                        fmt_exact(o.gained_by_b_km2)
                    ),
                );
            }
            if let Some(s) = &o.source {
                self.source_ref(&format!("{p}.source"), s, &source_ids);
            }
        }

        // Every numeric input: its distribution, range, source and hints.
        sc.visit_inputs(|key, path, input| {
            // The value of a `Set` change is bounded by the input it sets.
            self.input(sc.effective_spec(key), path, input, &source_ids);
        });
        self.correlations(sc);
    }

    fn meta(&mut self, m: &Meta) {
        self.name("meta.title", &m.title, true);
        self.text("meta.description", &m.description);
        self.name("meta.date", &m.date, false);
        for (i, a) in m.authors.iter().enumerate() {
            self.name(&format!("meta.authors[{i}]"), a, false);
        }
        self.count("meta.authors", m.authors.len(), MAX_SOURCES, "authors");
        self.count("meta.sources", m.sources.len(), MAX_SOURCES, "sources");
        let mut seen = BTreeSet::new();
        for (i, s) in m.sources.iter().enumerate() {
            let p = format!("meta.sources[{i}]");
            self.name(&format!("{p}.id"), &s.id, true);
            self.text(&format!("{p}.citation"), &s.citation);
            if s.citation.trim().is_empty() {
                self.push(format!("{p}.citation"), "must not be empty");
            }
            for (field, v) in [
                ("url", &s.url),
                ("publication", &s.publication),
                ("date", &s.date),
            ] {
                if let Some(v) = v {
                    self.name(&format!("{p}.{field}"), v, false);
                }
            }
            if !seen.insert(s.id.as_str()) {
                self.push(
                    format!("{p}.id"),
                    format!(
                        "\"{}\" is used by an earlier source; ids must be unique",
                        s.id
                    ),
                );
            }
        }
    }

    fn recipient(&mut self, path: &str, r: &str, side_ids: [&str; 2]) {
        if !side_ids.contains(&r) {
            self.push(
                path,
                format!(
                    "must be the id of a side (\"{}\" or \"{}\"), got \"{r}\"",
                    side_ids[0], side_ids[1]
                ),
            );
        }
    }

    fn schedule(&mut self, path: &str, s: &Schedule) {
        match s {
            Schedule::Monthly { from_month } => {
                if !(1..=MAX_MONTH).contains(from_month) {
                    self.push(
                        format!("{path}.from_month"),
                        format!("must be within 1..={MAX_MONTH}, got {from_month}"),
                    );
                }
            }
            Schedule::Window {
                from_month,
                to_month,
            } => {
                if !(1..=MAX_MONTH).contains(from_month) {
                    self.push(
                        format!("{path}.from_month"),
                        format!("must be within 1..={MAX_MONTH}, got {from_month}"),
                    );
                }
                if !(*from_month..=MAX_MONTH).contains(to_month) {
                    self.push(
                        format!("{path}.to_month"),
                        format!(
                            "must be within from_month..={MAX_MONTH} ({from_month}..={MAX_MONTH}), got {to_month}"
                        ),
                    );
                }
            }
            Schedule::Shares(shares) => {
                if shares.is_empty() {
                    self.push(path, "needs at least one share");
                }
                if shares.len() > MAX_MONTH as usize {
                    self.push(
                        path,
                        format!(
                            "has {} shares; at most {MAX_MONTH} months are allowed",
                            shares.len()
                        ),
                    );
                    return;
                }
                let mut sum = 0.0;
                for (i, x) in shares.iter().enumerate() {
                    if !(*x >= 0.0 && *x <= 1.0) {
                        self.push(
                            format!("{path}[{i}]"),
                            format!("must be within 0..=1, got {}", fmt_exact(*x)),
                        );
                    } else {
                        sum += x;
                    }
                }
                if sum > 1.0 + 1e-9 {
                    self.push(
                        path,
                        format!("shares must sum to at most 1, got {}", fmt_exact(sum)),
                    );
                }
            }
        }
    }

    fn bargaining(&mut self, b: &Bargaining) {
        if !(1..=MAX_HORIZON_MONTHS).contains(&b.shift_months) {
            self.push(
                "bargaining.shift_months",
                format!(
                    "must be within 1..={MAX_HORIZON_MONTHS}, got {}",
                    b.shift_months
                ),
            );
        }
        let a_keys: BTreeSet<&String> = b.weights.a.other.keys().collect();
        let b_keys: BTreeSet<&String> = b.weights.b.other.keys().collect();
        self.count(
            "bargaining.weights.a.other",
            a_keys.len(),
            MAX_OTHER_ATTRIBUTES,
            "attributes",
        );
        for k in a_keys.symmetric_difference(&b_keys) {
            let missing = if a_keys.contains(k) { "b" } else { "a" };
            self.push(
                format!("bargaining.weights.{missing}.other"),
                format!("needs a weight for attribute \"{k}\", which the other side weighs"),
            );
        }
        for (l, w) in [("a", &b.weights.a), ("b", &b.weights.b)] {
            for k in w.other.keys() {
                self.name(&format!("bargaining.weights.{l}.other"), k, true);
                if super::registry::BUILTIN_ATTRIBUTES.contains(&k.as_str()) {
                    self.push(
                        format!("bargaining.weights.{l}.other.{k}"),
                        "is a built-in attribute: give its weight in its own field",
                    );
                }
            }
        }
        if b.packages.is_empty() {
            self.push(
                "bargaining.packages",
                "needs at least one concession package",
            );
        }
        self.count(
            "bargaining.packages",
            b.packages.len(),
            MAX_PACKAGES,
            "packages",
        );
        let mut names = BTreeSet::new();
        for (i, p) in b.packages.iter().enumerate() {
            let path = format!("bargaining.packages[{i}]");
            self.name(&format!("{path}.name"), &p.name, true);
            self.text(&format!("{path}.description"), &p.description);
            if !names.insert(p.name.as_str()) {
                self.push(
                    format!("{path}.name"),
                    format!(
                        "\"{}\" is the name of an earlier package; names must be unique",
                        p.name
                    ),
                );
            }
            for k in p.other.keys() {
                if !a_keys.contains(k) {
                    self.push(
                        format!("{path}.other.{k}"),
                        format!(
                            "attribute \"{k}\" has no weight: add it to bargaining.weights.a.other and \
                             bargaining.weights.b.other"
                        ),
                    );
                }
            }
        }
    }

    fn source_ref(&mut self, path: &str, id: &str, ids: &BTreeSet<&str>) {
        if !ids.contains(id) {
            let known: Vec<&str> = ids.iter().copied().collect();
            self.push(
                path,
                format!(
                    "cites source \"{id}\", which meta.sources does not list (known: {})",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            );
        }
    }

    fn input(&mut self, spec: &'static FieldSpec, path: &str, input: &Input, ids: &BTreeSet<&str>) {
        if let Some(s) = &input.source {
            self.source_ref(&format!("{path}.source"), s, ids);
        }
        if let Some(n) = &input.note {
            self.text(&format!("{path}.note"), n);
        }
        if let Some(h) = &input.slider {
            self.slider(&format!("{path}.slider"), h);
        }
        self.dist(path, &input.value, spec);
    }

    fn slider(&mut self, path: &str, h: &super::input::SliderHint) {
        for (f, v) in [("min", h.min), ("max", h.max), ("step", h.step)] {
            if let Some(v) = v
                && !v.is_finite()
            {
                self.push(
                    format!("{path}.{f}"),
                    format!("must be a finite number, got {}", fmt_exact(v)),
                );
            }
        }
        if let (Some(lo), Some(hi)) = (h.min, h.max)
            && lo >= hi
        {
            self.push(
                path,
                format!(
                    "slider min must be below max, got min {} and max {}",
                    fmt_exact(lo),
                    fmt_exact(hi)
                ),
            );
        }
        if let Some(s) = h.step
            && !(s > 0.0)
        {
            self.push(
                format!("{path}.step"),
                format!("must be above 0, got {}", fmt_exact(s)),
            );
        }
        if let Some(u) = &h.unit {
            self.name(&format!("{path}.unit"), u, false);
        }
    }
}

trait IfEmpty {
    fn if_empty(self, alt: &str) -> String;
}
impl IfEmpty for String {
    fn if_empty(self, alt: &str) -> String {
        if self.is_empty() {
            alt.to_string()
        } else {
            self
        }
    }
}
