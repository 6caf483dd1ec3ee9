//! Warnings about a valid scenario: settings that are allowed but almost certainly not what
//! the author meant, such as an aid cut-off or a troop arrival after the horizon. They are
//! shown, never fatal.

use super::error::Issue;
use super::input::Input;
use super::types::Scenario;
use crate::text::fmt_exact;

/// "month 14" for a fixed month, "months 14..=20" for a distribution over whole months.
fn months_text(input: &Input) -> String {
    let (lo, hi) = input.value.reach();
    if input.value.is_fixed() {
        format!("month {}", fmt_exact(lo.round()))
    } else {
        format!(
            "months {}..={}",
            fmt_exact(lo.round()),
            fmt_exact(hi.round())
        )
    }
}

/// Every warning about `sc`, each at the field it is about.
pub fn warnings(sc: &Scenario) -> Vec<Issue> {
    let horizon = sc.simulation.horizon_months;
    let mut out = Vec::new();
    for (i, s) in sc.aid.iter().enumerate() {
        let Some(c) = &s.cutoff else { continue };
        // Dispatches after the cut-off month are the uncertain ones.
        if c.month.value.reach().0.round() >= f64::from(horizon) {
            out.push(Issue::new(
                format!("aid[{i}].cutoff.month"),
                format!(
                    "the cut-off at {} comes after the horizon ({horizon} months): no \
                     simulated month sees it; at most it changes what the sides expect beyond \
                     the horizon",
                    months_text(&c.month)
                ),
            ));
        }
    }
    for (i, t) in sc.troops.iter().enumerate() {
        if t.arrival_month.value.reach().0.round() > f64::from(horizon) {
            out.push(Issue::new(
                format!("troops[{i}].arrival_month"),
                format!(
                    "the contingent arrives in {}, after the horizon ({horizon} months): it \
                     never joins the simulated fighting; at most the sides expect it beyond the \
                     horizon",
                    months_text(&t.arrival_month)
                ),
            ));
        }
    }
    // The held area is capped at the contested area in each trial.
    let bf = &sc.battlefield;
    let (held_lo, held_hi) = bf.held_by_b_km2.value.reach();
    let (contested_lo, _) = bf.contested_km2.value.reach();
    if held_hi > contested_lo {
        let what = if bf.held_by_b_km2.value.is_fixed() && bf.contested_km2.value.is_fixed() {
            format!(
                "{} km2 is more than the contested area ({} km2): side b holds all of it at \
                 the start",
                fmt_exact(held_lo),
                fmt_exact(contested_lo)
            )
        } else {
            format!(
                "it can reach {} km2, more than the smallest contested area ({} km2): in the \
                 trials where it exceeds the contested area it is capped at it (side b holds \
                 all of it at the start)",
                fmt_exact(held_hi),
                fmt_exact(contested_lo)
            )
        };
        out.push(Issue::new("battlefield.held_by_b_km2", what));
    }
    out.extend(lever_warnings(sc));
    out
}

/// A lever's threat should hurt the side it presses: raising aid to that side, or cutting aid
/// to its opponent, would make refusing more attractive, which is almost certainly a wrong
/// stream index.
fn lever_warnings(sc: &Scenario) -> Vec<Issue> {
    use super::types::Change;
    let mut out = Vec::new();
    for (l, lever) in sc.pressure.iter().enumerate() {
        for (c, ch) in lever.changes.iter().enumerate() {
            let target = ch.target();
            let Some(i) = target
                .strip_prefix("aid[")
                .and_then(|r| r.split_once(']'))
                .filter(|(_, tail)| *tail == ".amount_usd_bn")
                .and_then(|(n, _)| n.parse::<usize>().ok())
            else {
                continue;
            };
            let Some(stream) = sc.aid.get(i) else {
                continue;
            };
            // Whether the change can raise the amount: a factor above 1, or a new value.
            let raises = match ch {
                Change::Scale { by, .. } => by.value.support().1 > 1.0,
                Change::Set { to, .. } => to.value.support().1 > 0.0,
            };
            let lowers = match ch {
                Change::Scale { by, .. } => by.value.support().0 < 1.0,
                Change::Set { .. } => true,
            };
            let to_pressed = stream.recipient == lever.on;
            let problem = if to_pressed && raises {
                Some("raises aid to the side it presses")
            } else if !to_pressed && lowers && !raises {
                Some("cuts aid to the other side")
            } else {
                None
            };
            if let Some(what) = problem {
                out.push(Issue::new(
                    format!("pressure[{l}].changes[{c}].input"),
                    format!(
                        "this threat {what} (\"{}\" goes to \"{}\"): it makes refusing more \
                         attractive, not less; is the stream index right?",
                        stream.name, stream.recipient
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin_baseline;

    #[test]
    fn a_threat_that_helps_the_pressed_side_is_warned_about() {
        let mut sc = builtin_baseline().unwrap().into_inner();
        assert!(lever_warnings(&sc).is_empty(), "{:?}", lever_warnings(&sc));
        // The lever on Russia pointed at North Korea's stream to Russia.
        let north_korea = sc
            .aid
            .iter()
            .position(|a| a.recipient == sc.sides.b.id)
            .unwrap();
        let lever = sc
            .pressure
            .iter()
            .position(|l| l.on == sc.sides.b.id)
            .unwrap();
        if let crate::scenario::Change::Set { input, .. } = &mut sc.pressure[lever].changes[0] {
            *input = format!("aid[{north_korea}].amount_usd_bn");
        }
        let w = lever_warnings(&sc);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].message.contains("raises aid to the side it presses"));
    }

    #[test]
    fn cutoffs_and_arrivals_after_the_horizon_are_warned_about() {
        let mut sc = builtin_baseline().unwrap().into_inner();
        assert!(warnings(&sc).is_empty());
        sc.simulation.horizon_months = 1;
        let w = warnings(&sc);
        assert!(w.iter().any(|i| i.path.ends_with("cutoff.month")), "{w:?}");
        sc.simulation.horizon_months = 12;
        sc.troops[0].arrival_month = Input::fixed(13.0);
        sc.aid[0]
            .cutoff
            .get_or_insert(crate::scenario::Cutoff {
                month: Input::fixed(1.0),
                continue_probability: crate::scenario::Input::fixed(1.0),
            })
            .month = Input::fixed(500.0);
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
