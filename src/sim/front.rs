//! Per-month distributions of the front, kept as fixed-bin histograms so that memory does
//! not grow with the number of trials and merging batches in any order gives identical
//! counts. Two views: the area `b` has gained since the start (cumulative) and the area it
//! gained in each month.

use serde::{Deserialize, Serialize};

/// Bins per month and view.
pub const FRONT_BINS: usize = 2048;

/// The bin ranges of a run, fixed by the scenario alone.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontSpec {
    pub months: usize,
    /// The area `b` holds at the start: the file's (capped at the contested area), or the
    /// central value of its distribution when each trial draws its own.
    pub held_start_km2: f64,
    /// True when each trial draws its own start.
    pub start_uncertain: bool,
    /// Cumulative gain range per month.
    pub cum_range: Vec<(f64, f64)>,
    /// Monthly gain range (same for every month).
    pub month_range: (f64, f64),
    /// (low end, bins per km2) of each range, for binning without a division.
    cum_scale: Vec<(f64, f64)>,
    month_scale: (f64, f64),
}

impl FrontSpec {
    /// `max_move` bounds the monthly movement (drift plus eight noise standard deviations at
    /// the upper tails of their inputs); values beyond it are counted in the edge bins.
    pub fn new(months: usize, start: FrontStart, max_move: f64) -> Self {
        let h = if max_move > 0.0 && max_move.is_finite() {
            max_move
        } else {
            1.0
        };
        let cum_range: Vec<(f64, f64)> = (1..=months)
            .map(|t| {
                let reach = h * t as f64;
                let lo = (-reach).max(-start.most);
                let hi = reach.min((start.contested_most - start.least).max(0.0));
                if hi > lo {
                    (lo, hi)
                } else {
                    (lo - 0.5, lo + 0.5)
                }
            })
            .collect();
        let scale = |(lo, hi): (f64, f64)| (lo, FRONT_BINS as f64 / (hi - lo));
        let cum_scale = cum_range.iter().map(|r| scale(*r)).collect();
        FrontSpec {
            months,
            held_start_km2: start.central,
            start_uncertain: start.uncertain,
            cum_range,
            month_range: (-h, h),
            cum_scale,
            month_scale: scale((-h, h)),
        }
    }
}

#[inline]
fn bin_of(x: f64, (lo, scale): (f64, f64)) -> usize {
    // Float-to-integer casts saturate: NaN and negative values give 0, huge ones usize::MAX.
    (((x - lo) * scale) as usize).min(FRONT_BINS - 1)
}

/// What bounds the gain since the start: the central start (shown), whether trials draw their
/// own, the largest and smallest start and the largest contested area (with fixed areas:
/// the start, the start and the contested area).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrontStart {
    pub central: f64,
    pub uncertain: bool,
    pub most: f64,
    pub least: f64,
    pub contested_most: f64,
}

impl FrontStart {
    /// Fixed areas: `b` holds `held` of `contested` at the start of every trial.
    pub fn fixed(held: f64, contested: f64) -> Self {
        FrontStart {
            central: held,
            uncertain: false,
            most: held,
            least: held,
            contested_most: contested,
        }
    }
}

/// Histogram counts of one run (or part of one).
#[derive(Clone, Debug, PartialEq)]
pub struct FrontHist {
    cum: Vec<u32>,
    month: Vec<u32>,
    months: usize,
}

impl FrontHist {
    pub fn new(spec: &FrontSpec) -> Self {
        FrontHist {
            cum: vec![0; spec.months * FRONT_BINS],
            month: vec![0; spec.months * FRONT_BINS],
            months: spec.months,
        }
    }

    /// Counts one trial's path of areas held by `b` after each month, from `start`.
    #[inline]
    pub fn add(&mut self, spec: &FrontSpec, start: f64, held: &[f64]) {
        let mut prev = start;
        for (t, &x) in held.iter().enumerate().take(self.months) {
            let base = t * FRONT_BINS;
            self.cum[base + bin_of(x - start, spec.cum_scale[t])] += 1;
            self.month[base + bin_of(x - prev, spec.month_scale)] += 1;
            prev = x;
        }
    }

    /// Adds another histogram's counts (order does not matter).
    pub fn merge(mut self, other: &FrontHist) -> Self {
        for (a, b) in self.cum.iter_mut().zip(&other.cum) {
            *a += b;
        }
        for (a, b) in self.month.iter_mut().zip(&other.month) {
            *a += b;
        }
        self
    }

    /// The share of the trials counted in month `month` (1-based) whose gain that month was
    /// below `gain_km2` (linear within bins); `None` when none were counted.
    pub fn monthly_share_below(
        &self,
        spec: &FrontSpec,
        month: usize,
        gain_km2: f64,
    ) -> Option<f64> {
        let t = month.checked_sub(1).filter(|t| *t < self.months)?;
        let counts = &self.month[t * FRONT_BINS..(t + 1) * FRONT_BINS];
        let total: u64 = counts.iter().map(|c| u64::from(*c)).sum();
        if total == 0 {
            return None;
        }
        let (lo, scale) = spec.month_scale;
        let pos = ((gain_km2 - lo) * scale).clamp(0.0, FRONT_BINS as f64);
        let whole = pos.floor() as usize;
        let mut below: f64 = counts[..whole.min(FRONT_BINS)]
            .iter()
            .map(|c| f64::from(*c))
            .sum();
        if whole < FRONT_BINS {
            below += f64::from(counts[whole]) * (pos - whole as f64);
        }
        Some(below / total as f64)
    }

    /// Quantiles p5, p25, p50, p75, p95 of each month, linear within bins.
    pub fn bands(&self, spec: &FrontSpec) -> FrontBands {
        let q = |counts: &[u32], range: (f64, f64)| -> [f64; 5] {
            hist_quantiles(counts, range, &QUANTILES)
        };
        FrontBands {
            start_km2: spec.held_start_km2,
            start_uncertain: spec.start_uncertain,
            cumulative: (0..self.months)
                .map(|t| {
                    q(
                        &self.cum[t * FRONT_BINS..(t + 1) * FRONT_BINS],
                        spec.cum_range[t],
                    )
                })
                .collect(),
            monthly: (0..self.months)
                .map(|t| {
                    q(
                        &self.month[t * FRONT_BINS..(t + 1) * FRONT_BINS],
                        spec.month_range,
                    )
                })
                .collect(),
        }
    }
}

/// The quantile levels of every band and summary.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.50, 0.75, 0.95];

/// Quantile of binned counts over `range`, interpolating linearly within the bin.
#[cfg(test)]
pub fn hist_quantile(counts: &[u32], (lo, hi): (f64, f64), p: f64) -> f64 {
    let total: u64 = counts.iter().map(|c| u64::from(*c)).sum();
    if total == 0 {
        return f64::NAN;
    }
    let target = p * total as f64;
    let width = (hi - lo) / counts.len() as f64;
    let mut cum = 0.0;
    for (i, &c) in counts.iter().enumerate() {
        let next = cum + f64::from(c);
        if next >= target && c > 0 {
            let frac = ((target - cum) / f64::from(c)).clamp(0.0, 1.0);
            return lo + (i as f64 + frac) * width;
        }
        cum = next;
    }
    hi
}

/// Several quantiles of binned counts in one pass (`levels` ascending): the same values as
/// [`hist_quantile`] gives one by one.
pub fn hist_quantiles(counts: &[u32], (lo, hi): (f64, f64), levels: &[f64; 5]) -> [f64; 5] {
    let total: u64 = counts.iter().map(|c| u64::from(*c)).sum();
    if total == 0 {
        return [f64::NAN; 5];
    }
    let width = (hi - lo) / counts.len() as f64;
    let mut out = [hi; 5];
    let mut k = 0;
    let mut cum = 0.0;
    for (i, &c) in counts.iter().enumerate() {
        let next = cum + f64::from(c);
        while k < levels.len() {
            let target = levels[k] * total as f64;
            if next >= target && c > 0 {
                let frac = ((target - cum) / f64::from(c)).clamp(0.0, 1.0);
                out[k] = lo + (i as f64 + frac) * width;
                k += 1;
            } else {
                break;
            }
        }
        if k == levels.len() {
            break;
        }
        cum = next;
    }
    out
}

/// Per-month quantile bands of the front (km2 gained by side `b`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrontBands {
    /// Area held by `b` at the start (the central value when each trial draws its own).
    pub start_km2: f64,
    /// True when each trial draws its own start: the bands are of the gain since each
    /// trial's start.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub start_uncertain: bool,
    /// For months 1..=T: p5, p25, p50, p75, p95 of the area gained since the start.
    pub cumulative: Vec<[f64; 5]>,
    /// For months 1..=T: p5, p25, p50, p75, p95 of the area gained in that month.
    pub monthly: Vec<[f64; 5]>,
}

impl FrontBands {
    /// The start every trial shares, or `None` when each trial draws its own.
    pub fn shared_start(&self) -> Option<f64> {
        (!self.start_uncertain).then_some(self.start_km2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_in_one_pass_equal_quantiles_one_by_one() {
        let counts: Vec<u32> = (0..2048u32)
            .map(|i| (i * 7919) % 13 + u32::from(i % 97 == 0) * 40)
            .collect();
        let range = (-500.0, 1500.0);
        assert_eq!(
            hist_quantiles(&counts, range, &QUANTILES),
            QUANTILES.map(|p| hist_quantile(&counts, range, p))
        );
        let sparse: Vec<u32> = (0..2048u32).map(|i| u32::from(i == 700) * 5).collect();
        assert_eq!(
            hist_quantiles(&sparse, range, &QUANTILES),
            QUANTILES.map(|p| hist_quantile(&sparse, range, p))
        );
    }

    #[test]
    fn histogram_quantiles_recover_a_uniform_sample() {
        let spec = FrontSpec::new(1, FrontStart::fixed(1000.0, 10_000.0), 500.0);
        let mut h = FrontHist::new(&spec);
        let n = 100_000;
        for i in 0..n {
            // gains uniform on [-400, 400)
            let g = -400.0 + 800.0 * (i as f64 + 0.5) / n as f64;
            h.add(&spec, 1000.0, &[1000.0 + g]);
        }
        let b = h.bands(&spec);
        let expect = [-360.0, -200.0, 0.0, 200.0, 360.0];
        for (got, want) in b.cumulative[0].iter().zip(expect) {
            assert!((got - want).abs() < 0.5, "{got} vs {want}");
        }
        for (got, want) in b.monthly[0].iter().zip(expect) {
            assert!((got - want).abs() < 0.5, "{got} vs {want}");
        }
    }
}
