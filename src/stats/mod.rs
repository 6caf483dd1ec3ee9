//! Summaries of a run: proportions with standard errors, and for each continuous outcome the
//! mean, its standard error, quantiles and a histogram. Computed once per result, in trial
//! order, so equal runs give equal numbers.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub mod settlement;

pub use settlement::Settlement;

use crate::model::Constraint;
use crate::sim::front::QUANTILES;
use crate::sim::{FrontBands, RunOutput, TrialRecord};

/// Bins of the outcome histograms.
pub const HIST_BINS: usize = 40;

/// A proportion with its binomial standard error.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Proportion {
    pub p: f64,
    pub se: f64,
}

impl Proportion {
    pub fn from_counts(hits: u64, n: u64) -> Self {
        if n == 0 {
            return Proportion { p: 0.0, se: 0.0 };
        }
        let p = hits as f64 / n as f64;
        Proportion {
            p,
            se: (p * (1.0 - p) / n as f64).sqrt(),
        }
    }
}

/// Counts over equal-width bins of `[lo, hi]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    pub lo: f64,
    pub hi: f64,
    pub counts: Vec<u64>,
}

impl Histogram {
    pub fn bin_width(&self) -> f64 {
        (self.hi - self.lo) / self.counts.len().max(1) as f64
    }

    /// Centre of bin `i`.
    pub fn centre(&self, i: usize) -> f64 {
        self.lo + (i as f64 + 0.5) * self.bin_width()
    }
}

/// Summary of one continuous outcome.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Continuous {
    pub mean: f64,
    /// Standard error of the mean: sd / sqrt(n).
    pub se: f64,
    pub sd: f64,
    pub min: f64,
    pub max: f64,
    /// p5, p25, p50, p75, p95.
    pub quantiles: [f64; 5],
    pub histogram: Histogram,
}

impl Continuous {
    /// Summarises values (NaN-free) in the given order.
    pub fn of(values: &[f64]) -> Self {
        Continuous::from_fn(values.len(), |i| values[i])
    }

    /// Summarises the `n` values `value(0..n)` without storing them: three passes (sums and
    /// range; variance, histogram and a fine count; the few values near each quantile), with
    /// exact quantiles. Sums run in index order, so equal inputs give equal results.
    pub fn from_fn(n: usize, value: impl Fn(usize) -> f64) -> Self {
        if n == 0 {
            return Continuous::default();
        }
        let (mut sum, mut min, mut max) = (0.0, f64::INFINITY, f64::NEG_INFINITY);
        for i in 0..n {
            let x = value(i);
            sum += x;
            min = min.min(x);
            max = max.max(x);
        }
        let mean = sum / n as f64;
        let (lo, hi) = if max > min {
            (min, max)
        } else {
            (min - 0.5, max + 0.5)
        };
        // Fine bins for locating the order statistics: about 16 values a bin, at most 4,096.
        let fine_bins = (n / 16).clamp(64, 4096);
        let hist_scale = HIST_BINS as f64 / (hi - lo);
        let fine_scale = fine_bins as f64 / (hi - lo);
        let mut counts = vec![0u64; HIST_BINS];
        let mut fine = vec![0u64; fine_bins];
        let mut ss = 0.0;
        for i in 0..n {
            let x = value(i);
            ss += (x - mean) * (x - mean);
            counts[(((x - lo) * hist_scale) as usize).min(HIST_BINS - 1)] += 1;
            fine[(((x - lo) * fine_scale) as usize).min(fine_bins - 1)] += 1;
        }
        let var = if n > 1 { ss / (n - 1) as f64 } else { 0.0 };
        let sd = var.sqrt();
        // The order statistics the quantiles need, and the fine bin each lies in.
        let mut needed: Vec<usize> = Vec::with_capacity(10);
        for q in QUANTILES {
            let i = ((n - 1) as f64 * q).floor() as usize;
            needed.push(i);
            needed.push((i + 1).min(n - 1));
        }
        needed.sort_unstable();
        needed.dedup();
        let mut bin_start = vec![0u64; fine_bins];
        let mut acc = 0;
        for (b, c) in fine.iter().enumerate() {
            bin_start[b] = acc;
            acc += c;
        }
        let bin_of_rank = |k: usize| -> usize {
            // The last bin whose first rank is at most k (and which holds values).
            let mut b = bin_start
                .partition_point(|&s| s <= k as u64)
                .saturating_sub(1);
            while fine[b] == 0 && b > 0 {
                b -= 1;
            }
            b
        };
        let mut bins: Vec<usize> = needed.iter().map(|&k| bin_of_rank(k)).collect();
        bins.sort_unstable();
        bins.dedup();
        let mut members: Vec<Vec<f64>> = bins
            .iter()
            .map(|b| Vec::with_capacity(fine[*b] as usize))
            .collect();
        for i in 0..n {
            let x = value(i);
            let b = (((x - lo) * fine_scale) as usize).min(fine_bins - 1);
            if let Ok(j) = bins.binary_search(&b) {
                members[j].push(x);
            }
        }
        for m in members.iter_mut() {
            m.sort_unstable_by(f64::total_cmp);
        }
        let order_stat = |k: usize| -> f64 {
            let b = bin_of_rank(k);
            let j = bins.binary_search(&b).unwrap_or(0);
            let r = k - bin_start[b] as usize;
            members[j].get(r).copied().unwrap_or(f64::NAN)
        };
        let quantiles = QUANTILES.map(|q| {
            let h = (n - 1) as f64 * q;
            let i = h.floor() as usize;
            let frac = h - i as f64;
            if i + 1 < n {
                let a = order_stat(i);
                a + frac * (order_stat(i + 1) - a)
            } else {
                order_stat(n - 1)
            }
        });
        Continuous {
            mean,
            se: sd / (n as f64).sqrt(),
            sd,
            min,
            max,
            quantiles,
            histogram: Histogram { lo, hi, counts },
        }
    }

    pub fn median(&self) -> f64 {
        self.quantiles[2]
    }
}

/// Quantile of sorted values, interpolating linearly (type 7, as NumPy's default).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
    let i = h.floor() as usize;
    let frac = h - i as f64;
    if i + 1 < n {
        sorted[i] + frac * (sorted[i + 1] - sorted[i])
    } else {
        sorted[n - 1]
    }
}

/// The continuous outcomes every summary carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    LeverageA,
    LeverageB,
    SurplusA,
    SurplusB,
    RangeLow,
    RangeHigh,
    WinProbabilityA,
    HeldByB,
    GainedByB,
    CasualtiesA,
    CasualtiesB,
}

impl Outcome {
    pub const ALL: [Outcome; 11] = [
        Outcome::LeverageA,
        Outcome::LeverageB,
        Outcome::SurplusA,
        Outcome::SurplusB,
        Outcome::RangeLow,
        Outcome::RangeHigh,
        Outcome::WinProbabilityA,
        Outcome::HeldByB,
        Outcome::GainedByB,
        Outcome::CasualtiesA,
        Outcome::CasualtiesB,
    ];

    /// Identifier used in JSON, CSV and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Outcome::LeverageA => "leverage_a",
            Outcome::LeverageB => "leverage_b",
            Outcome::SurplusA => "surplus_a",
            Outcome::SurplusB => "surplus_b",
            Outcome::RangeLow => "range_low",
            Outcome::RangeHigh => "range_high",
            Outcome::WinProbabilityA => "win_probability_a",
            Outcome::HeldByB => "held_by_b_km2",
            Outcome::GainedByB => "gained_by_b_km2",
            Outcome::CasualtiesA => "casualties_a",
            Outcome::CasualtiesB => "casualties_b",
        }
    }

    pub fn from_id(id: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.id() == id)
    }

    /// Human label with the side names.
    pub fn label(self, a: &str, b: &str) -> String {
        match self {
            Outcome::LeverageA => format!("Leverage of {a}"),
            Outcome::LeverageB => format!("Leverage of {b}"),
            Outcome::SurplusA => format!("Surplus of {a} over fighting"),
            Outcome::SurplusB => format!("Surplus of {b} over fighting"),
            Outcome::RangeLow => format!("Range low end ({a}'s fighting value)"),
            Outcome::RangeHigh => format!("Range high end (1 - {b}'s fighting value)"),
            Outcome::WinProbabilityA => format!("P({a} prevails in a war to the finish)"),
            Outcome::HeldByB => format!("Area held by {b} at the horizon"),
            Outcome::GainedByB => format!("Area gained by {b} over the horizon"),
            Outcome::CasualtiesA => format!("Casualties of {a}"),
            Outcome::CasualtiesB => format!("Casualties of {b}"),
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Outcome::LeverageA
            | Outcome::LeverageB
            | Outcome::SurplusA
            | Outcome::SurplusB
            | Outcome::RangeLow
            | Outcome::RangeHigh => "share of the issue",
            Outcome::WinProbabilityA => "probability",
            Outcome::HeldByB | Outcome::GainedByB => "km2",
            Outcome::CasualtiesA | Outcome::CasualtiesB => "troops",
        }
    }

    /// The value of this outcome in a record. `held_start` is the area `b` held at the start
    /// when every trial shares it (the file fixes it), `None` to read each record's own.
    #[inline]
    pub fn of(self, r: &TrialRecord, held_start: Option<f64>) -> f64 {
        let lev = f64::from(r.leverage_a);
        match self {
            Outcome::LeverageA => lev,
            Outcome::LeverageB => 1.0 - lev,
            Outcome::SurplusA => lev - f64::from(r.d_a),
            Outcome::SurplusB => (1.0 - lev) - f64::from(r.d_b),
            Outcome::RangeLow => f64::from(r.d_a),
            Outcome::RangeHigh => 1.0 - f64::from(r.d_b),
            Outcome::WinProbabilityA => f64::from(r.p_a),
            Outcome::HeldByB => f64::from(r.held_by_b_km2),
            Outcome::GainedByB => {
                f64::from(r.held_by_b_km2)
                    - held_start.unwrap_or_else(|| f64::from(r.held_start_km2))
            }
            Outcome::CasualtiesA => f64::from(r.casualties_a),
            Outcome::CasualtiesB => f64::from(r.casualties_b),
        }
    }
}

/// The summary of a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub trials: u64,
    pub seed: u64,
    pub p_deal: Proportion,
    /// P(each package is agreed), in package order.
    pub p_package: Vec<Proportion>,
    /// P(the territorial bargaining range is empty).
    pub p_range_empty: Proportion,
    /// Among trials with no deal, the share blocked by each constraint: side a's
    /// acceptability, side b's acceptability, durability.
    pub blocked_given_no_deal: [Proportion; 3],
    /// One summary per [`Outcome`], in [`Outcome::ALL`] order.
    pub outcomes: Vec<(Outcome, Continuous)>,
    pub front: FrontBands,
    /// (Format version 2) When the war ends, on what terms, and what keeps it going.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<Settlement>,
}

impl Summary {
    /// The summary of one outcome.
    pub fn outcome(&self, o: Outcome) -> &Continuous {
        static EMPTY: std::sync::OnceLock<Continuous> = std::sync::OnceLock::new();
        self.outcomes
            .iter()
            .find(|(k, _)| *k == o)
            .map(|(_, c)| c)
            .unwrap_or_else(|| EMPTY.get_or_init(Continuous::default))
    }

    /// Index of the most likely package, if any deal happens at all.
    pub fn most_likely_package(&self) -> Option<usize> {
        self.p_package
            .iter()
            .enumerate()
            .filter(|(_, p)| p.p > 0.0)
            .max_by(|a, b| a.1.p.total_cmp(&b.1.p).then(b.0.cmp(&a.0)))
            .map(|(i, _)| i)
    }
}

/// Summarises one outcome over the records, with the outcome's formula fixed at compile time
/// in each arm (the three passes then run without a branch per value).
fn summarize_outcome(o: Outcome, recs: &[TrialRecord], held_start: Option<f64>) -> Continuous {
    let n = recs.len();
    macro_rules! over {
        ($f:expr) => {{
            let f = $f;
            Continuous::from_fn(n, |i| f(&recs[i]))
        }};
    }
    match o {
        Outcome::LeverageA => over!(|r: &TrialRecord| Outcome::LeverageA.of(r, held_start)),
        Outcome::LeverageB => over!(|r: &TrialRecord| Outcome::LeverageB.of(r, held_start)),
        Outcome::SurplusA => over!(|r: &TrialRecord| Outcome::SurplusA.of(r, held_start)),
        Outcome::SurplusB => over!(|r: &TrialRecord| Outcome::SurplusB.of(r, held_start)),
        Outcome::RangeLow => over!(|r: &TrialRecord| Outcome::RangeLow.of(r, held_start)),
        Outcome::RangeHigh => over!(|r: &TrialRecord| Outcome::RangeHigh.of(r, held_start)),
        Outcome::WinProbabilityA => {
            over!(|r: &TrialRecord| Outcome::WinProbabilityA.of(r, held_start))
        }
        Outcome::HeldByB => over!(|r: &TrialRecord| Outcome::HeldByB.of(r, held_start)),
        Outcome::GainedByB => over!(|r: &TrialRecord| Outcome::GainedByB.of(r, held_start)),
        Outcome::CasualtiesA => over!(|r: &TrialRecord| Outcome::CasualtiesA.of(r, held_start)),
        Outcome::CasualtiesB => over!(|r: &TrialRecord| Outcome::CasualtiesB.of(r, held_start)),
    }
}

/// Summarises a run of a scenario with `n_packages` packages.
pub fn summarize(out: &RunOutput, n_packages: usize, front: FrontBands) -> Summary {
    let recs = &out.records;
    let n = recs.len() as u64;
    let mut deals = 0u64;
    let mut per_package = vec![0u64; n_packages];
    let mut empty = 0u64;
    let mut blocked = [0u64; 4];
    for r in recs {
        if let Some(k) = r.package() {
            deals += 1;
            if let Some(c) = per_package.get_mut(k) {
                *c += 1;
            }
        } else if let Some(c) = r.blocked() {
            blocked[c as usize] += 1;
        }
        empty += u64::from(r.range_empty);
    }
    let no_deal = n - deals;
    let held_start = front.shared_start();
    // Each outcome is summarised on its own (in parallel); the result does not depend on
    // the order or the number of threads.
    let outcomes = Outcome::ALL
        .par_iter()
        .map(|&o| (o, summarize_outcome(o, recs, held_start)))
        .collect();
    Summary {
        trials: n,
        seed: out.seed,
        p_deal: Proportion::from_counts(deals, n),
        p_package: per_package
            .iter()
            .map(|&c| Proportion::from_counts(c, n))
            .collect(),
        p_range_empty: Proportion::from_counts(empty, n),
        blocked_given_no_deal: Constraint::ALL
            .map(|c| Proportion::from_counts(blocked[c as usize], no_deal)),
        outcomes,
        front,
        settlement: out
            .monthly
            .as_ref()
            .map(|c| Settlement::of(recs, c, c.months)),
    }
}

/// Paired comparison of one outcome between two runs with common random numbers (same seed,
/// same trials): mean difference (variant - baseline), its standard error from the paired
/// differences, and the share of trials where the variant is higher.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PairedDiff {
    pub mean: f64,
    pub se: f64,
    pub p_higher: f64,
    pub p_lower: f64,
}

/// Compares any per-trial quantity `f` of `variant` and `baseline` trial by trial over the
/// trials both have.
pub fn paired_diff_with(
    baseline: &[TrialRecord],
    variant: &[TrialRecord],
    f_base: impl Fn(&TrialRecord) -> f64,
    f_variant: impl Fn(&TrialRecord) -> f64,
) -> PairedDiff {
    let n = baseline.len().min(variant.len());
    if n == 0 {
        return PairedDiff::default();
    }
    let diffs: Vec<f64> = baseline[..n]
        .iter()
        .zip(&variant[..n])
        .map(|(b, v)| f_variant(v) - f_base(b))
        .collect();
    let c = Continuous::of(&diffs);
    let higher = diffs.iter().filter(|d| **d > 0.0).count();
    let lower = diffs.iter().filter(|d| **d < 0.0).count();
    PairedDiff {
        mean: c.mean,
        se: c.se,
        p_higher: higher as f64 / n as f64,
        p_lower: lower as f64 / n as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuous_summary_of_known_values() {
        let v: Vec<f64> = (1..=101).map(f64::from).collect();
        let c = Continuous::of(&v);
        assert_eq!(c.mean, 51.0);
        assert_eq!(c.quantiles, [6.0, 26.0, 51.0, 76.0, 96.0]);
        assert_eq!(c.histogram.counts.iter().sum::<u64>(), 101);
        assert!(
            (c.sd - (v.iter().map(|x| (x - 51.0) * (x - 51.0)).sum::<f64>() / 100.0).sqrt()).abs()
                < 1e-12
        );
    }

    #[test]
    fn counting_quantiles_equal_sorted_quantiles() {
        for n in [1usize, 2, 3, 7, 100, 1001, 20_000] {
            let v: Vec<f64> = (0..n)
                .map(|i| (((i * 7919) % 1009) as f64 * 0.37).sin() * 3.0 + (i % 5) as f64)
                .collect();
            let c = Continuous::from_fn(n, |i| v[i]);
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            assert_eq!(
                c.quantiles,
                QUANTILES.map(|q| quantile_sorted(&sorted, q)),
                "n={n}"
            );
            assert_eq!(c.min, sorted[0]);
            assert_eq!(c.max, sorted[n - 1]);
            assert_eq!(c.histogram.counts.iter().sum::<u64>(), n as u64);
        }
        // Ties and a constant sample.
        let c = Continuous::from_fn(50, |i| if i < 25 { 1.0 } else { 2.0 });
        assert_eq!(c.quantiles, [1.0, 1.0, 1.5, 2.0, 2.0]);
        let k = Continuous::from_fn(10, |_| 4.0);
        assert_eq!(k.quantiles, [4.0; 5]);
    }

    #[test]
    fn proportion_standard_error() {
        let p = Proportion::from_counts(25, 100);
        assert_eq!(p.p, 0.25);
        assert!((p.se - (0.25f64 * 0.75 / 100.0).sqrt()).abs() < 1e-15);
    }
}
