//! Validation of what format version 2 adds: which fields need it, events, pressure levers and
//! the observed talks. Called by [`super::validate()`]; each problem has its field path.

use std::collections::{BTreeMap, BTreeSet};

use super::error::Issue;
use super::limits::{MAX_MONTH, MAX_NAME_CHARS, MAX_TEXT_CHARS};
use super::registry::{BattleField, InputKey, SideField};
use super::types::*;

/// Most events and most pressure levers in a file.
pub const MAX_EVENTS: usize = 64;
/// Most changes of one event or lever.
pub const MAX_CHANGES: usize = 32;

/// The problems of the version-2 parts of a scenario (and of version-2 fields in a version-1
/// file).
pub fn check(sc: &Scenario) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut push = |path: String, message: String| issues.push(Issue::new(path, message));
    if !READABLE_VERSIONS.contains(&sc.version) {
        push(
            "version".into(),
            format!(
                "this build reads format versions {}, got {}",
                READABLE_VERSIONS
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join(" and "),
                sc.version
            ),
        );
        return issues;
    }
    if sc.version < 2 {
        for path in version_2_fields(sc) {
            push(
                path,
                "needs format version 2 (`version: 2`; `armistice upgrade FILE` converts a \
                 version-1 file)"
                    .into(),
            );
        }
        return issues;
    }
    let targets = change_targets(sc);
    let side_ids = [sc.sides.a.id.as_str(), sc.sides.b.id.as_str()];
    if sc.events.len() > MAX_EVENTS {
        push(
            "events".into(),
            format!(
                "has {} events; at most {MAX_EVENTS} are allowed",
                sc.events.len()
            ),
        );
    }
    for (e, ev) in sc.events.iter().enumerate() {
        let p = format!("events[{e}]");
        name(&mut push, &format!("{p}.name"), &ev.name);
        text(&mut push, &format!("{p}.description"), &ev.description);
        changes(&mut push, &p, &ev.changes, &targets);
        if ev.changes.is_empty() {
            push(
                format!("{p}.changes"),
                "an event needs at least one change".into(),
            );
        }
    }
    if sc.pressure.len() > MAX_EVENTS {
        push(
            "pressure".into(),
            format!(
                "has {} levers; at most {MAX_EVENTS} are allowed",
                sc.pressure.len()
            ),
        );
    }
    let packages: BTreeSet<&str> = sc
        .bargaining
        .packages
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    for (l, lever) in sc.pressure.iter().enumerate() {
        let p = format!("pressure[{l}]");
        name(&mut push, &format!("{p}.name"), &lever.name);
        text(&mut push, &format!("{p}.description"), &lever.description);
        if lever.donor.chars().count() > MAX_NAME_CHARS {
            push(
                format!("{p}.donor"),
                format!("is too long; at most {MAX_NAME_CHARS} characters are allowed"),
            );
        }
        if !side_ids.contains(&lever.on.as_str()) {
            push(
                format!("{p}.on"),
                format!(
                    "names side \"{}\"; the sides are \"{}\" and \"{}\"",
                    lever.on, side_ids[0], side_ids[1]
                ),
            );
        }
        if lever.backs.is_empty() {
            push(
                format!("{p}.backs"),
                "a lever backs at least one package".into(),
            );
        }
        for (k, b) in lever.backs.iter().enumerate() {
            if !packages.contains(b.as_str()) {
                push(
                    format!("{p}.backs[{k}]"),
                    format!(
                        "no package is named \"{b}\"; the packages are {}",
                        packages
                            .iter()
                            .map(|n| format!("\"{n}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
        if !(1..=MAX_MONTH).contains(&lever.from_month) {
            push(
                format!("{p}.from_month"),
                format!("must be within 1..={MAX_MONTH}, got {}", lever.from_month),
            );
        }
        if lever.changes.is_empty() {
            push(
                format!("{p}.changes"),
                "a lever needs at least one change".into(),
            );
        }
        changes(&mut push, &p, &lever.changes, &targets);
    }
    if let Some(o) = &sc.observed_talks {
        if !(1..=MAX_MONTH).contains(&o.through_month) {
            push(
                "observed_talks.through_month".into(),
                format!("must be within 1..={MAX_MONTH}, got {}", o.through_month),
            );
        }
        if let Some(m) = o.settled_in_month
            && !(1..=o.through_month).contains(&m)
        {
            push(
                "observed_talks.settled_in_month".into(),
                format!(
                    "must be within 1..=through_month ({}), got {m}",
                    o.through_month
                ),
            );
        }
        name(&mut push, "observed_talks.label", &o.label);
        if let Some(s) = &o.source
            && !sc.meta.sources.iter().any(|x| &x.id == s)
        {
            push(
                "observed_talks.source".into(),
                format!("cites source \"{s}\", which meta.sources does not list"),
            );
        }
    }
    issues
}

fn name(push: &mut impl FnMut(String, String), path: &str, s: &str) {
    if s.trim().is_empty() {
        push(path.into(), "must not be empty".into());
    }
    let n = s.chars().count();
    if n > MAX_NAME_CHARS {
        push(
            path.into(),
            format!("is {n} characters long; at most {MAX_NAME_CHARS} are allowed"),
        );
    }
}

fn text(push: &mut impl FnMut(String, String), path: &str, s: &str) {
    let n = s.chars().count();
    if n > MAX_TEXT_CHARS {
        push(
            path.into(),
            format!("is {n} characters long; at most {MAX_TEXT_CHARS} are allowed"),
        );
    }
}

fn changes(
    push: &mut impl FnMut(String, String),
    owner: &str,
    list: &[Change],
    targets: &BTreeMap<String, InputKey>,
) {
    if list.len() > MAX_CHANGES {
        push(
            format!("{owner}.changes"),
            format!(
                "has {} changes; at most {MAX_CHANGES} are allowed",
                list.len()
            ),
        );
    }
    for (c, ch) in list.iter().enumerate() {
        let p = format!("{owner}.changes[{c}]");
        let target = ch.target();
        let Some(key) = targets.get(target) else {
            push(
                format!("{p}.input"),
                format!(
                    "\"{target}\" is not an input of this scenario (`armistice inputs` lists them)"
                ),
            );
            continue;
        };
        if let Err(why) = changeable(*key) {
            push(format!("{p}.input"), format!("\"{target}\" {why}"));
            continue;
        }
    }
}

/// Whether an event or a lever may change the input with this key: only what the monthly
/// loop reads after the start. `Err` says why not.
pub fn changeable(key: InputKey) -> Result<(), &'static str> {
    const START: &str = "is read only at the start of a trial: a change later has no effect";
    match key {
        InputKey::Side(_, SideField::Manpower | SideField::Materiel | SideField::Losses) => {
            Err(START)
        }
        InputKey::Side(_, SideField::Optimism | SideField::PriorUncertainty) => Err(
            "is a prior belief: beliefs move with what the sides learn from the front, not by events",
        ),
        InputKey::Battle(BattleField::ExchangeRatio) => Err(START),
        InputKey::AidContinue(_) => Err("is settled once per trial at the cut-off"),
        InputKey::Battle(BattleField::Contested | BattleField::Held)
        | InputKey::AidCutoffMonth(_)
        | InputKey::TroopArrival(_) => Err(
            "sets the war's geometry or calendar, drawn once per trial: give it a distribution \
             instead of changing it by an event",
        ),
        InputKey::EventMonth(_)
        | InputKey::EventHazard(_)
        | InputKey::EventProbability(_)
        | InputKey::EventChange(..)
        | InputKey::LeverChange(..) => Err("belongs to an event or a lever and cannot be changed"),
        _ => Ok(()),
    }
}

/// Every input path a change may name, with its key.
fn change_targets(sc: &Scenario) -> BTreeMap<String, InputKey> {
    let mut m = BTreeMap::new();
    sc.visit_inputs(|k, path, _| {
        m.insert(path.to_string(), k);
    });
    m
}

/// The paths of the version-2 fields a scenario uses.
fn version_2_fields(sc: &Scenario) -> Vec<String> {
    let mut v = Vec::new();
    for (l, s) in [("a", &sc.sides.a), ("b", &sc.sides.b)] {
        for (field, present) in [
            (
                SideField::PriorUncertainty,
                s.prior_uncertainty_km2_per_month.is_some(),
            ),
            (
                SideField::PeaceDemobilised,
                s.peace_demobilised_share.is_some(),
            ),
            (
                SideField::PeaceRecruitShare,
                s.peace_recruit_share.is_some(),
            ),
            (
                SideField::PeaceConsumption,
                s.peace_consumption_usd_bn_per_month.is_some(),
            ),
        ] {
            if present {
                v.push(format!(
                    "sides.{l}.{}",
                    super::registry::side_field_name(field)
                ));
            }
        }
    }
    if sc.battlefield.hidden_edge_km2_per_month.is_some() {
        v.push("battlefield.hidden_edge_km2_per_month".into());
    }
    if sc.bargaining.talks.is_some() {
        v.push("bargaining.talks".into());
    }
    for (l, w) in [
        ("a", &sc.bargaining.weights.a),
        ("b", &sc.bargaining.weights.b),
    ] {
        if w.force_cap_a.is_some() {
            v.push(format!("bargaining.weights.{l}.force_cap_a"));
        }
        if w.force_cap_b.is_some() {
            v.push(format!("bargaining.weights.{l}.force_cap_b"));
        }
    }
    for (i, p) in sc.bargaining.packages.iter().enumerate() {
        if p.force_cap_a.is_some() {
            v.push(format!("bargaining.packages[{i}].force_cap_a"));
        }
        if p.force_cap_b.is_some() {
            v.push(format!("bargaining.packages[{i}].force_cap_b"));
        }
    }
    if !sc.events.is_empty() {
        v.push("events".into());
    }
    if !sc.pressure.is_empty() {
        v.push("pressure".into());
    }
    if sc.observed_talks.is_some() {
        v.push("observed_talks".into());
    }
    v
}
