//! Warnings about a valid scenario: settings that are allowed but almost certainly not what
//! the author meant, such as an aid cut-off or a troop arrival after the horizon. They are
//! shown, never fatal.

use super::error::Issue;
use super::types::Scenario;

/// Every warning about `sc`, each at the field it is about.
pub fn warnings(sc: &Scenario) -> Vec<Issue> {
    let horizon = sc.simulation.horizon_months;
    let mut out = Vec::new();
    for (i, s) in sc.aid.iter().enumerate() {
        let Some(c) = &s.cutoff else { continue };
        // Dispatches after the cut-off month are the uncertain ones.
        if c.month >= horizon {
            out.push(Issue::new(
                format!("aid[{i}].cutoff.month"),
                format!(
                    "the cut-off at month {} comes after the horizon ({horizon} months): no \
                     simulated month sees it; at most it changes what the sides expect beyond \
                     the horizon",
                    c.month
                ),
            ));
        }
    }
    for (i, t) in sc.troops.iter().enumerate() {
        if t.arrival_month > horizon {
            out.push(Issue::new(
                format!("troops[{i}].arrival_month"),
                format!(
                    "the contingent arrives in month {}, after the horizon ({horizon} months): it \
                     never joins the simulated fighting; at most the sides expect it beyond the \
                     horizon",
                    t.arrival_month
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin_baseline;

    #[test]
    fn cutoffs_and_arrivals_after_the_horizon_are_warned_about() {
        let mut sc = builtin_baseline().unwrap().into_inner();
        assert!(warnings(&sc).is_empty());
        sc.simulation.horizon_months = 1;
        let w = warnings(&sc);
        assert!(w.iter().any(|i| i.path.ends_with("cutoff.month")), "{w:?}");
        sc.simulation.horizon_months = 12;
        sc.troops[0].arrival_month = 13;
        sc.aid[0]
            .cutoff
            .get_or_insert(crate::scenario::Cutoff {
                month: 1,
                continue_probability: crate::scenario::Input::fixed(1.0),
            })
            .month = 500;
        let w = warnings(&sc);
        assert_eq!(w[0].path, "aid[0].cutoff.month");
        assert!(
            w[0].message
                .contains("month 500 comes after the horizon (12 months)"),
            "{w:?}"
        );
        assert_eq!(w[1].path, "troops[0].arrival_month");
    }
}
