//! A result against a pinned baseline, trial by trial: the paired differences of P(deal),
//! of each package's probability and of each side's mean leverage. With the same seed both
//! runs draw the same random numbers (common random numbers), so a difference is due to what
//! changed between them, not to sampling noise.

use crate::run::RunResult;
use crate::sim::TrialRecord;
use crate::stats::{Outcome, PairedDiff, paired_diff_with};

/// How a result differs from a baseline, trial by trial.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    /// Difference in P(deal) (each trial counts 1 with a deal, 0 without).
    pub deal: PairedDiff,
    /// Difference in side `a`'s leverage (share of the issue).
    pub leverage_a: PairedDiff,
    /// Difference in side `b`'s leverage (share of the issue).
    pub leverage_b: PairedDiff,
    /// Difference in P(each package), for the packages both runs have, in order.
    pub packages: Vec<PairedDiff>,
    /// (Monthly runs) Difference in the month of settlement, a run that does not settle
    /// within the horizon counting as the month after it.
    pub settlement_month: Option<PairedDiff>,
    /// Trials compared: those both runs have (the smaller run's count).
    pub trials: usize,
    /// True when both runs share their seed (common random numbers); otherwise differences
    /// include sampling noise.
    pub common_random_numbers: bool,
}

/// `current` against `baseline`, over the trials both have.
pub fn compare(baseline: &RunResult, current: &RunResult) -> Comparison {
    let b = &baseline.output.records;
    let v = &current.output.records;
    let deal = |r: &TrialRecord| f64::from(u8::from(r.deal()));
    let leverage = |o: Outcome| paired_diff_with(b, v, |r| o.of(r, None), |r| o.of(r, None));
    let shared_packages = current
        .summary
        .p_package
        .len()
        .min(baseline.summary.p_package.len());
    let packages = (0..shared_packages)
        .map(|k| {
            let is_k = move |r: &TrialRecord| f64::from(u8::from(r.package() == Some(k)));
            paired_diff_with(b, v, is_k, is_k)
        })
        .collect();
    let month = |horizon: Option<u32>| {
        let h = horizon.unwrap_or(0);
        move |r: &TrialRecord| f64::from(r.settled_month().unwrap_or(h + 1))
    };
    let horizon = |r: &RunResult| r.summary.settlement.as_ref().map(|s| s.horizon_months);
    let settlement_month = match (horizon(baseline), horizon(current)) {
        (Some(hb), Some(hv)) => Some(paired_diff_with(b, v, month(Some(hb)), month(Some(hv)))),
        _ => None,
    };
    Comparison {
        settlement_month,
        deal: paired_diff_with(b, v, deal, deal),
        leverage_a: leverage(Outcome::LeverageA),
        leverage_b: leverage(Outcome::LeverageB),
        packages,
        trials: b.len().min(v.len()),
        common_random_numbers: baseline.stamp.seed == current.stamp.seed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::simulate;
    use crate::scenario::{Dist, ValidScenario, builtin_baseline, validate};
    use crate::sim::{Control, RunOptions};

    fn run(vs: &ValidScenario, trials: u64, seed: u64) -> RunResult {
        let opts = RunOptions {
            trials,
            seed,
            threads: Some(1),
        };
        simulate(vs, &opts, &Control::new(), &|| {}).unwrap()
    }

    /// The baseline with side `a`'s materiel stock at `bn`.
    fn with_materiel(bn: f64) -> ValidScenario {
        let mut sc = builtin_baseline().unwrap().into_inner();
        sc.sides.a.materiel_usd_bn.value = Dist::Fixed(bn);
        validate(sc).unwrap()
    }

    #[test]
    fn a_result_against_itself_differs_nowhere() {
        let r = run(&with_materiel(20.0), 2_048, 7);
        let c = compare(&r, &r);
        assert_eq!(c.trials, 2_048);
        assert!(c.common_random_numbers);
        assert_eq!(c.packages.len(), r.summary.p_package.len());
        for d in [c.deal, c.leverage_a, c.leverage_b]
            .iter()
            .chain(&c.packages)
        {
            assert_eq!((d.mean, d.se, d.p_higher, d.p_lower), (0.0, 0.0, 0.0, 0.0));
        }
    }

    #[test]
    fn paired_differences_are_the_differences_of_the_means() {
        let base = run(&with_materiel(20.0), 4_096, 11);
        let more = run(&with_materiel(60.0), 4_096, 11);
        let c = compare(&base, &more);
        let mean = |r: &RunResult, o: Outcome| r.summary.outcome(o).mean;
        for (d, o) in [
            (c.leverage_a, Outcome::LeverageA),
            (c.leverage_b, Outcome::LeverageB),
        ] {
            let expected = mean(&more, o) - mean(&base, o);
            assert!(
                (d.mean - expected).abs() < 1e-9,
                "{o:?}: {d:?} vs {expected}"
            );
        }
        let p = |r: &RunResult| r.summary.p_deal.p;
        assert!((c.deal.mean - (p(&more) - p(&base))).abs() < 1e-12);
        for (k, d) in c.packages.iter().enumerate() {
            let pk = |r: &RunResult| r.summary.p_package[k].p;
            assert!(
                (d.mean - (pk(&more) - pk(&base))).abs() < 1e-12,
                "package {k}"
            );
        }
        // Three times the materiel raises side a's leverage in more trials than it lowers it;
        // the two sides' shares add up to one, so b's falls by as much.
        assert!(c.leverage_a.mean > 0.0);
        assert!(c.leverage_a.p_higher > c.leverage_a.p_lower);
        assert!((c.leverage_a.mean + c.leverage_b.mean).abs() < 1e-9);
        // Common random numbers: the paired standard error is far below an unpaired one.
        let unpaired = (base.summary.outcome(Outcome::LeverageA).se.powi(2)
            + more.summary.outcome(Outcome::LeverageA).se.powi(2))
        .sqrt();
        assert!(
            c.leverage_a.se < unpaired,
            "{} vs {unpaired}",
            c.leverage_a.se
        );
    }

    #[test]
    fn runs_of_different_sizes_and_seeds_compare_over_the_shared_trials() {
        let vs = with_materiel(20.0);
        let small = run(&vs, 1_024, 3);
        let large = run(&vs, 3_072, 3);
        let c = compare(&large, &small);
        assert_eq!(c.trials, 1_024);
        assert!(c.common_random_numbers);
        // The small run is the first trials of the large one: no difference at all.
        assert_eq!(c.leverage_a.mean, 0.0);
        let other_seed = run(&vs, 1_024, 4);
        let c = compare(&small, &other_seed);
        assert!(!c.common_random_numbers);
        assert!(c.leverage_a.p_higher > 0.0 && c.leverage_a.p_lower > 0.0);
    }

    #[test]
    fn only_the_packages_both_runs_have_are_compared() {
        let base = run(&with_materiel(20.0), 1_024, 5);
        let mut sc = with_materiel(20.0).into_inner();
        sc.bargaining.packages.pop();
        let fewer = run(&validate(sc).unwrap(), 1_024, 5);
        let c = compare(&base, &fewer);
        assert_eq!(c.packages.len(), base.summary.p_package.len() - 1);
    }
}
