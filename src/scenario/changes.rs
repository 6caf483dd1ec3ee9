//! What differs between two scenarios, input by input: the numbers and distributions of the
//! inputs both have, the inputs only one has (an aid stream or a package added or removed),
//! and the simulation settings (trials, seed, horizon). The app lists them under a pinned
//! baseline; each names its field path so that it can be found.

use super::{Dist, InputKey, Scenario};
use crate::text::fmt_number;

/// One difference.
// Listed by the app under a pinned baseline; the headless build has no baseline.
#[cfg_attr(not(feature = "gui"), allow(dead_code))]
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Field path (as `armistice inputs` lists it).
    pub path: String,
    /// The input's key in the scenario that has it (the current one when both do).
    pub key: Option<InputKey>,
    /// The value in the baseline, as text (`None`: it has no such input).
    pub before: Option<String>,
    /// The value now.
    pub after: Option<String>,
}

/// Every input and setting of `current` that differs from `base`, in `current`'s order (the
/// inputs only `base` has last).
#[cfg_attr(not(feature = "gui"), allow(dead_code))]
pub fn changes(base: &Scenario, current: &Scenario) -> Vec<Change> {
    let mut out = Vec::new();
    let sim = |name: &str, b: String, c: String, out: &mut Vec<Change>| {
        if b != c {
            out.push(Change {
                path: format!("simulation.{name}"),
                key: None,
                before: Some(b),
                after: Some(c),
            });
        }
    };
    let (bs, cs) = (&base.simulation, &current.simulation);
    sim(
        "trials",
        bs.trials.to_string(),
        cs.trials.to_string(),
        &mut out,
    );
    sim("seed", bs.seed.to_string(), cs.seed.to_string(), &mut out);
    sim(
        "horizon_months",
        bs.horizon_months.to_string(),
        cs.horizon_months.to_string(),
        &mut out,
    );
    let before = base.inputs();
    let now = current.inputs();
    for i in &now {
        match before.iter().find(|b| b.path == i.path) {
            Some(b) if b.input.value == i.input.value => {}
            Some(b) => out.push(Change {
                path: i.path.clone(),
                key: Some(i.key),
                before: Some(describe(&b.input.value)),
                after: Some(describe(&i.input.value)),
            }),
            None => out.push(Change {
                path: i.path.clone(),
                key: Some(i.key),
                before: None,
                after: Some(describe(&i.input.value)),
            }),
        }
    }
    for b in &before {
        if !now.iter().any(|i| i.path == b.path) {
            out.push(Change {
                path: b.path.clone(),
                key: None,
                before: Some(describe(&b.input.value)),
                after: None,
            });
        }
    }
    out
}

/// A value or distribution in words: `20`, `triangular 10–40, mode 20`.
pub fn describe(d: &Dist) -> String {
    let f = fmt_number;
    let range = |a: f64, b: f64| format!("{}–{}", f(a), f(b));
    match d {
        Dist::Fixed(x) => f(*x),
        Dist::Uniform { min, max } => format!("uniform {}", range(*min, *max)),
        Dist::Triangular { min, mode, max } => {
            format!("triangular {}, mode {}", range(*min, *max), f(*mode))
        }
        Dist::Pert { min, mode, max } => {
            format!("PERT {}, mode {}", range(*min, *max), f(*mode))
        }
        Dist::Normal { mean, sd, min, max } => {
            let mut s = format!("normal, mean {}, sd {}", f(*mean), f(*sd));
            match (min, max) {
                (Some(a), Some(b)) => s.push_str(&format!(", within {}", range(*a, *b))),
                (Some(a), None) => s.push_str(&format!(", at least {}", f(*a))),
                (None, Some(b)) => s.push_str(&format!(", at most {}", f(*b))),
                (None, None) => {}
            }
            s
        }
        Dist::LogNormal { median, p90 } => {
            format!("log-normal, median {}, 90th pct. {}", f(*median), f(*p90))
        }
        Dist::Beta {
            alpha,
            beta,
            min,
            max,
        } => {
            let mut s = format!("beta({}, {})", f(*alpha), f(*beta));
            if *min != 0.0 || *max != 1.0 {
                s.push_str(&format!(" on {}", range(*min, *max)));
            }
            s
        }
        Dist::Chance { p, yes, no } => {
            if *yes == 1.0 && *no == 0.0 {
                format!("chance {}", f(*p))
            } else {
                format!("{} with chance {}, else {}", f(*yes), f(*p), f(*no))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin_baseline;

    #[test]
    fn a_scenario_does_not_differ_from_itself() {
        let sc = builtin_baseline().unwrap().into_inner();
        assert!(changes(&sc, &sc).is_empty());
    }

    #[test]
    fn changed_added_and_removed_inputs_and_settings_are_listed() {
        let base = builtin_baseline().unwrap().into_inner();
        let mut cur = base.clone();
        cur.sides.a.materiel_usd_bn.value = Dist::Fixed(60.0);
        cur.simulation.seed += 1;
        cur.bargaining.packages.pop();
        let c = changes(&base, &cur);
        let m = c
            .iter()
            .find(|c| c.path == "sides.a.materiel_usd_bn")
            .unwrap();
        assert_eq!(m.after.as_deref(), Some("60"));
        assert!(m.before.is_some());
        assert!(c.iter().any(|c| c.path == "simulation.seed"));
        assert!(
            c.iter()
                .any(|c| c.after.is_none() && c.path.starts_with("bargaining.packages[")),
            "{c:?}"
        );
    }

    #[test]
    fn distributions_read_as_words() {
        assert_eq!(describe(&Dist::Fixed(2500.0)), "2,500");
        assert_eq!(
            describe(&Dist::Triangular {
                min: 10.0,
                mode: 20.0,
                max: 40.0
            }),
            "triangular 10–40, mode 20"
        );
        assert_eq!(
            describe(&Dist::Chance {
                p: 0.3,
                yes: 1.0,
                no: 0.0
            }),
            "chance 0.3"
        );
    }
}
