//! Hand-computed checks of the monthly model (format version 2), each through the whole
//! pipeline (file, validation, compiled structure, engine): learning closes and then opens
//! the range in the month computed by hand; a certain aid cut makes the other side wait; a
//! threatened cut makes a side accept; complete information settles at once. docs/MODEL.md,
//! section 6, lists them with their arithmetic.

use crate::model::Constraint;
use crate::scenario::{ValidScenario, load_str};
use crate::sim::Engine;

/// Two equal sides that fight to a standstill: 100,000 troops each, recruits equal to
/// losses, stocks at the reference and no production or burn, break-even 1, decisiveness 1
/// (so `p = (2 - x) / 4`), no stalemate branch. `a` and `b` override or add side fields
/// (`field: value` separated by `;`), `rest` comes after the bargaining section.
pub(crate) struct Spec<'a> {
    pub horizon: u32,
    pub noise: f64,
    pub continuation: f64,
    pub a: &'a str,
    pub b: &'a str,
    pub aid: &'a str,
    pub packages: &'a str,
    pub rest: &'a str,
}

impl Default for Spec<'_> {
    fn default() -> Self {
        Spec {
            horizon: 12,
            noise: 100.0,
            continuation: 12.0,
            a: "",
            b: "",
            aid: "",
            packages: r#"(name: "Half", territory: Share(0.5))"#,
            rest: "",
        }
    }
}

pub(crate) fn scenario(s: &Spec) -> ValidScenario {
    let side = |id: &str, extra: &str| {
        let mut fields = vec![
            ("manpower", "100000"),
            ("recruits_per_month", "1000"),
            ("losses_per_month", "1000"),
            ("materiel_usd_bn", "10"),
            ("materiel_reference_usd_bn", "10"),
            ("production_usd_bn_per_month", "0"),
            ("burn_usd_bn_per_month", "0"),
            ("quality", "1"),
            ("casualty_tolerance", "200000"),
            ("spending_tolerance_usd_bn", "1000"),
            ("patience", "0.99"),
            ("optimism", "0"),
        ];
        let overrides: Vec<(&str, &str)> = extra
            .split(';')
            .filter_map(|kv| kv.split_once(':'))
            .map(|(k, v)| (k.trim(), v.trim()))
            .collect();
        for (k, v) in &overrides {
            if let Some(f) = fields.iter_mut().find(|(name, _)| name == k) {
                f.1 = v;
            } else {
                fields.push((k, v));
            }
        }
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        format!(
            "(id: \"{id}\", name: \"{}\", {})",
            id.to_uppercase(),
            body.join(", ")
        )
    };
    let text = format!(
        r#"(
    version: 2,
    meta: (title: "Hand-computed case"),
    simulation: (trials: 64, seed: 7, horizon_months: {horizon}),
    sides: (a: {a}, b: {b}),
    aid: [{aid}],
    troops: [],
    battlefield: (
        contested_km2: 100000, held_by_b_km2: 50000, front_speed_km2_per_month: 1000,
        break_even_ratio: 1, front_noise_km2: {noise}, materiel_saturation: 1,
        materiel_floor: 0, decisiveness: 1, stalemate: 0, continuation_months: {tau},
    ),
    bargaining: (
        protocol: Nash, shift_months: 12,
        weights: (
            a: (security_guarantee: 0, sanctions_relief: 0, neutrality: 0),
            b: (security_guarantee: 0, sanctions_relief: 0, neutrality: 0),
        ),
        packages: [{packages}],
    ),
    {rest}
)"#,
        horizon = s.horizon,
        a = side("a", s.a),
        b = side("b", s.b),
        aid = s.aid,
        noise = s.noise,
        tau = s.continuation,
        packages = s.packages,
        rest = s.rest,
    );
    match load_str(&text, "test") {
        Ok(vs) => vs,
        Err(e) => panic!("{e}\n{text}"),
    }
}

/// The deterministic trial (every draw at its central value, no front noise).
fn point(
    vs: &ValidScenario,
) -> (
    crate::model::TrialOutcome,
    Vec<crate::model::monthly::MonthTrace>,
) {
    let engine = Engine::new(vs);
    engine.point_trace()
}

/// Mutual optimism of 0.1 each, no bias about the truth: with decisiveness 1 and equal
/// sides, `p = (2 - x) / 4`, so a's prior is x = -0.4 and b's +0.4 (edge units), and the
/// believed chances differ by `(m_b - m_a) / 4 = 0.2`. The cost of war is
/// `1000 * 12 / 200000 = 0.06` a side, 0.12 in all: the range is closed while the gap
/// `0.2 (1 - w_n)` exceeds 0.12, that is while `w_n < 0.4`. With front noise 100 and a prior
/// sd of 50 km2 a month, `w_n = n / (4 + n)`: 0.2, 0.33, then 0.43 at month 3. Share(0.5) is
/// then worth 0.5 to both and `d_a = d_b = 0.5 + 0.2 * 4/7 / 2 - 0.06 = 0.4971`: settled in
/// month 3. With noise 200, `w_n = n / (16 + n)` reaches 0.4 at n = 10.67: month 11.
#[test]
fn learning_opens_the_range_in_the_month_computed_by_hand() {
    let base = Spec {
        a: "optimism: 0.1; prior_uncertainty_km2_per_month: 50",
        b: "optimism: 0.1; prior_uncertainty_km2_per_month: 50",
        ..Spec::default()
    };
    let (out, trace) = point(&scenario(&base));
    assert_eq!(out.settled_month, Some(3), "{trace:#?}");
    assert_eq!(out.package, Some(0));
    assert_eq!(trace[0].reason, Some(Constraint::MutualOptimism));
    assert_eq!(trace[1].reason, Some(Constraint::MutualOptimism));
    let d = trace[2].fighting_value;
    assert!(
        (d[0] - (0.5 + 0.1 * 4.0 / 7.0 - 0.06)).abs() < 1e-12,
        "{d:?}"
    );
    assert!(
        (d[1] - (0.5 + 0.1 * 4.0 / 7.0 - 0.06)).abs() < 1e-12,
        "{d:?}"
    );
    // The beliefs after n months, in km2 a month: -400 (1 - w_n) for a.
    for (k, m) in trace.iter().enumerate() {
        let n = (k + 1) as f64;
        let w = n / (4.0 + n);
        assert!((m.belief_km2[0] + 400.0 * (1.0 - w)).abs() < 1e-9, "{m:?}");
        assert!((m.belief_km2[1] - 400.0 * (1.0 - w)).abs() < 1e-9, "{m:?}");
    }
    // A noisier front teaches more slowly.
    let noisy = Spec {
        noise: 200.0,
        ..base
    };
    let (out, _) = point(&scenario(&noisy));
    assert_eq!(out.settled_month, Some(11));
    // Without prior uncertainty nobody learns: no settlement within the horizon.
    let stubborn = Spec {
        a: "optimism: 0.1",
        b: "optimism: 0.1",
        ..Spec::default()
    };
    let (out, trace) = point(&scenario(&stubborn));
    assert_eq!(out.settled_month, None);
    assert!(
        trace
            .iter()
            .all(|m| m.reason == Some(Constraint::MutualOptimism))
    );
}

/// Side a lives on an ally's aid (1 $bn a month, burning 1 a month); the aid stops for
/// certain from month 4, a scheduled event both sides see coming. Costs are 0.01 a side over
/// a continuation of 6 months. With decisiveness 1 and the materiel factor `2 xi / (xi + 1)`,
/// the stock a expects at the end of the continuation falls from 6 (month 1: aid in months 2
/// and 3) to 5, 4 and 3 (months 2, 3, 4), so its chance falls from 0.4286 to 0.4, 0.3636 and
/// 0.3158: `d_a` = 0.4186, 0.39, 0.3536, 0.3058 and `d_b` = 0.5614, 0.59, 0.6264, 0.6742.
/// "Split" (a keeps 0.43) suits both sides in month 1 by their fighting values, but b looks
/// ahead to the table of month 4, where only "Lean" (a keeps 0.31) passes: waiting is worth
/// `0.99^3 * 0.69 - 3 * 0.01 / 6 = 0.6645` to b, more than Split's 0.57. So b waits through
/// months 1 to 3 (a still refuses Lean: 0.31 < 0.3536) and both settle on Lean in month 4.
#[test]
fn a_certain_aid_cut_makes_the_other_side_wait_for_it() {
    let spec = Spec {
        continuation: 6.0,
        a: "losses_per_month: 1; recruits_per_month: 1; burn_usd_bn_per_month: 1; \
            casualty_tolerance: 600",
        b: "losses_per_month: 1; recruits_per_month: 1; production_usd_bn_per_month: 1; \
            burn_usd_bn_per_month: 1; casualty_tolerance: 1000000000; \
            spending_tolerance_usd_bn: 600; peace_consumption_usd_bn_per_month: 1",
        aid: r#"(name: "Ally", donor: "Ally", recipient: "a", amount_usd_bn: 1,
                 schedule: Monthly(from_month: 1), lag_months: 0)"#,
        packages: r#"(name: "Split", territory: Share(0.43)), (name: "Lean", territory: Share(0.31))"#,
        rest: r#"events: [(name: "Cut", when: Month(4),
                   changes: [Scale(input: "aid[0].amount_usd_bn", by: 0)])],"#,
        ..Spec::default()
    };
    let (out, trace) = point(&scenario(&spec));
    assert_eq!(out.settled_month, Some(4), "{trace:#?}");
    assert_eq!(out.package, Some(1));
    let want_d = [
        (0.4186, 0.5614),
        (0.39, 0.59),
        (0.3536, 0.6264),
        (0.3058, 0.6742),
    ];
    for (m, (da, db)) in trace.iter().zip(want_d) {
        assert!((m.fighting_value[0] - da).abs() < 5e-4, "{m:?}");
        assert!((m.fighting_value[1] - db).abs() < 5e-4, "{m:?}");
    }
    // Month 1: Split suits both by their fighting values, but b waits for month 4.
    let split = &trace[0].packages[0];
    assert!(split.utility[0] >= trace[0].fighting_value[0]);
    assert!(split.utility[1] >= trace[0].fighting_value[1]);
    assert!((split.reservation[1] - 0.6645).abs() < 5e-4, "{split:?}");
    assert_eq!(trace[0].reason, Some(Constraint::AcceptableToB));
    // Months 2 and 3: no package suits both by their fighting values any more (b refuses
    // Split, a still refuses Lean).
    for m in &trace[1..3] {
        assert!(
            m.packages
                .iter()
                .all(|p| p.utility[0] < m.fighting_value[0] || p.utility[1] < m.fighting_value[1]),
            "{m:?}"
        );
    }
    // An impatient b (0.9 a month) values waiting at 0.9^3 * 0.69 - 0.005 = 0.498, less
    // than Split's 0.57: it takes Split in month 1.
    let b_impatient = spec
        .b
        .replace("casualty_tolerance", "patience: 0.9; casualty_tolerance");
    let impatient = Spec {
        b: &b_impatient,
        ..spec
    };
    let (out, trace) = point(&scenario(&impatient));
    assert_eq!(
        (out.settled_month, out.package),
        (Some(1), Some(0)),
        "{trace:#?}"
    );
}

/// Side a lives on aid as above (steady), and refuses "Deal" (a keeps 0.45) while b would
/// take it: `d_a = 0.5 - 0.01 = 0.49`. A lever on a that backs Deal cuts the aid from next
/// month: projected, a's stock falls to 4 (factor 0.5714), its chance to 0.3636 and its
/// fighting value to 0.3536. With the threat carried out with probability q, a values
/// refusing at `0.49 + q (0.3536 - 0.49)`: below 0.45 from q = 0.293 on. So at q = 0.5 a
/// accepts Deal in month 1 and the threat is never carried out; at q = 0.25 it refuses.
#[test]
fn a_threatened_cut_makes_a_side_accept() {
    let spec = |q: &str| Spec {
        a: "losses_per_month: 1; recruits_per_month: 1; burn_usd_bn_per_month: 1; \
            casualty_tolerance: 600; peace_consumption_usd_bn_per_month: 1",
        b: "losses_per_month: 1; recruits_per_month: 1; production_usd_bn_per_month: 1; \
            burn_usd_bn_per_month: 1; casualty_tolerance: 1000000000; \
            spending_tolerance_usd_bn: 600; peace_consumption_usd_bn_per_month: 1",
        continuation: 6.0,
        aid: r#"(name: "Ally", donor: "Ally", recipient: "a", amount_usd_bn: 1,
                 schedule: Monthly(from_month: 1), lag_months: 0)"#,
        packages: r#"(name: "Deal", territory: Share(0.45))"#,
        rest: if q.is_empty() {
            String::new()
        } else {
            format!(
                r#"pressure: [(name: "Aid for talks", donor: "Ally", on: "a", backs: ["Deal"],
                    probability: {q}, changes: [Scale(input: "aid[0].amount_usd_bn", by: 0)])],"#
            )
        }
        .leak(),
        ..Spec::default()
    };
    let (out, trace) = point(&scenario(&spec("0.5")));
    assert_eq!(
        (out.settled_month, out.package),
        (Some(1), Some(0)),
        "{trace:#?}"
    );
    // b's losses move with a's power a little (a fights with 11 in the month, 10 after).
    assert!(
        (trace[0].fighting_value[0] - 0.49).abs() < 1e-5,
        "{:?}",
        trace[0]
    );
    let r = trace[0].packages[0].reservation[0];
    assert!((r - (0.49 + 0.5 * (0.3536 - 0.49))).abs() < 5e-4, "{r}");
    assert!(trace.iter().all(|m| m.levers_active.iter().all(|a| !a)));
    // A weaker threat does not move a; nor does none.
    for q in ["0.25", ""] {
        let (out, trace) = point(&scenario(&spec(q)));
        assert_eq!(out.settled_month, None, "q = {q}");
        assert_eq!(trace[0].reason, Some(Constraint::AcceptableToA));
    }
}

/// A peace in which b rebuilds: b produces 1 $bn a month, burnt in war but kept in peace,
/// so over the 12 months of peace its stock goes from 10 to 22 (factor 1.375) while a's stays
/// at 10. a's chance falls from 0.5 to `(2 - 0.3158) / 4 = 0.4211`. With patience 0.99 a
/// month (`0.99^12 = 0.8864` a period) and a period's cost of 12 months of losses at 1,000
/// over a tolerance of 200,000 (0.06), a fights if `0.8864 * 0.0789 = 0.0700` exceeds
/// `0.1136 * (1 - 0.5 + 0.06) = 0.0636`: the bare deal does not hold. A guarantee of 0.5
/// halves the fall (0.0350: holds); a cap of 0.5 on b's rebuilding leaves b a stock of 16
/// (factor 1.2308, chance 0.4483: 0.0459, holds); and with a stalemate branch of 0.5 on a line
/// at 0.5 the expected shares fall half as far (0.0350: holds).
#[test]
fn durability_with_a_real_peace() {
    let spec = Spec {
        b: "production_usd_bn_per_month: 1; burn_usd_bn_per_month: 1",
        packages: r#"(name: "Bare", territory: Share(0.5)),
                     (name: "Guaranteed", territory: Share(0.5), security_guarantee: 0.5),
                     (name: "Capped", territory: Share(0.5), force_cap_b: 0.5)"#,
        ..Spec::default()
    };
    let (out, trace) = point(&scenario(&spec));
    let durable: Vec<bool> = trace[0].packages.iter().map(|p| p.durable).collect();
    assert_eq!(durable, [false, true, true], "{trace:#?}");
    assert_eq!((out.settled_month, out.package), (Some(1), Some(1)));
    let with_stalemate = scenario(&spec);
    let mut sc = with_stalemate.into_inner();
    sc.battlefield.stalemate = crate::scenario::Input::fixed(0.5);
    let vs = crate::scenario::validate(sc).unwrap();
    let (_, trace) = point(&vs);
    assert!(trace[0].packages[0].durable, "{:?}", trace[0]);
}

/// Complete information (no optimism, no prior uncertainty, no anticipated change): the
/// monthly model settles in month 1 exactly the trials in which the one-shot table at month 1
/// finds an acceptable, durable package, and nothing is ever blocked by optimism.
#[test]
fn complete_information_settles_at_once() {
    let spec = Spec {
        a: "manpower: (value: Triangular(min: 80000, mode: 100000, max: 120000)); \
            casualty_tolerance: (value: Pert(min: 50000, mode: 200000, max: 400000))",
        b: "manpower: (value: Triangular(min: 80000, mode: 100000, max: 120000)); \
            patience: (value: Pert(min: 0.9, mode: 0.97, max: 0.999))",
        packages: r#"(name: "Half", territory: Share(0.5)), (name: "Third", territory: Share(0.33)),
                     (name: "Line", territory: Line)"#,
        ..Spec::default()
    };
    let monthly = scenario(&spec);
    let mut once = monthly.clone().into_inner();
    once.simulation.horizon_months = 1;
    once.bargaining.talks = Some(crate::scenario::Talks::AtHorizon);
    let once = crate::scenario::validate(once).unwrap();
    let opts = crate::sim::RunOptions {
        trials: 3000,
        seed: 11,
        threads: Some(2),
    };
    let control = crate::sim::Control::new();
    let m = Engine::new(&monthly).run(&opts, &control, &|| {}).unwrap();
    let o = Engine::new(&once).run(&opts, &control, &|| {}).unwrap();
    let mut at_once = 0;
    for (rm, ro) in m.records.iter().zip(&o.records) {
        assert_eq!(rm.settled_month() == Some(1), ro.deal());
        assert_ne!(rm.blocked(), Some(Constraint::MutualOptimism));
        at_once += usize::from(ro.deal());
    }
    // Both kinds of trial occur, so the check is not empty.
    assert!(at_once > 100 && at_once < 2900, "{at_once}");
}
