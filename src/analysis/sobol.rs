//! Global sensitivity: first-order (S1) and total (ST) Sobol indices with bootstrap
//! confidence intervals, by the Saltelli design with the Jansen estimators (A. Saltelli,
//! P. Annoni, I. Azzini, F. Campolongo, M. Ratto and S. Tarantola (2010), Variance based
//! sensitivity analysis of model output. Design and estimator for the total sensitivity
//! index, Computer Physics Communications 181(2), 259-270; M. J. W. Jansen (1999), Analysis of
//! variance designs for model output, Computer Physics Communications 117, 35-43).
//!
//! The design: two independent `N x k` samples `A` and `B` of the `k` factors, and for each
//! factor `i` the matrix `A_B^(i)`: `A` with its column `i` taken from `B`; `N (k + 2)` model
//! evaluations in all. With `V` the variance of the outputs of `A` and `B` together,
//!
//! - `S1_i = (V - 1/(2N) sum_j (f(B)_j - f(A_B^(i))_j)^2) / V` (Jansen), since `B` and
//!   `A_B^(i)` share only factor `i`;
//! - `ST_i = 1/(2N) sum_j (f(A)_j - f(A_B^(i))_j)^2 / V` (Jansen), since `A` and `A_B^(i)`
//!   share every factor but `i`.
//!
//! Confidence intervals are percentile intervals over bootstrap resamples of the `N` rows.
//! [`saltelli_jansen`] is generic over the model, so the Ishigami test exercises the same
//! code as the scenario analysis ([`sobol`], in `scenario`).
//!
//! In a scenario the factors are the uncertain inputs, sampled in quantile space (uniforms
//! through each input's quantile function), plus the randomness that is not an input: each
//! aid stream's continuation event (a uniform `u`; the stream continues when `u` is below its
//! continuation probability) and the monthly front noise (one uniform that seeds the whole
//! path of monthly draws). Including them as factors makes each trial a deterministic
//! function of its factors, as the estimators assume, and shows how much of the variance is
//! pure chance of the war. The indices assume independent factors: declared correlations are
//! not applied here, and the result says so.

use rayon::prelude::*;

use super::{AnalysisError, OnProgress, Tracker};
use crate::sim::Control;
use crate::sim::rng::{SubRng, mix64, name_key};
use crate::stats::quantile_sorted;

mod scenario;

pub use scenario::{FactorKind, ScenarioSobol, sobol, write_sobol_csv};

/// How to read S1, in one sentence (for the app and reports).
pub const S1_EXPLAINED: &str = "S1 (first-order index) is the share of the output's variance \
    that this input explains on its own: how much the spread would shrink, on average, if this \
    input alone were known exactly.";
/// How to read ST, in one sentence.
pub const ST_EXPLAINED: &str = "ST (total index) is the share of the variance this input is \
    involved in, alone or through interactions with other inputs: an input with ST near 0 can \
    be fixed anywhere in its range without changing the output's spread.";
/// Why an index can come out slightly below zero, in one sentence.
pub const NEGATIVE_EXPLAINED: &str = "Indices are estimated from a finite sample, so an input \
    with almost no influence can get a slightly negative estimate; read it as zero, and the \
    confidence interval shows how large it could be.";

/// Settings of a Sobol analysis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolOptions {
    /// Base samples `N` (rows of `A` and `B`); the model runs `N (k + 2)` times.
    pub samples: usize,
    /// Bootstrap resamples for the confidence intervals (0: no intervals).
    pub bootstrap: usize,
    /// Confidence level of the intervals, e.g. 0.95.
    pub confidence: f64,
    /// Seed of the sample matrices and of the bootstrap.
    pub seed: u64,
}

impl Default for SobolOptions {
    fn default() -> Self {
        SobolOptions {
            samples: 2048,
            bootstrap: 1000,
            confidence: 0.95,
            seed: 0,
        }
    }
}

/// Most base samples.
pub const MAX_SAMPLES: usize = 1 << 22;
/// Most bootstrap resamples.
pub const MAX_BOOTSTRAP: usize = 100_000;

/// The indices of one factor with their confidence intervals.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SobolIndex {
    /// First-order index: the share of the output's variance due to this factor alone.
    pub s1: f64,
    pub s1_low: f64,
    pub s1_high: f64,
    /// Total index: the share due to this factor alone and in all its interactions.
    pub st: f64,
    pub st_low: f64,
    pub st_high: f64,
}

/// The result of [`saltelli_jansen`].
#[derive(Clone, Debug, PartialEq)]
pub struct SobolEstimate {
    /// One per factor, in factor order.
    pub indices: Vec<SobolIndex>,
    /// Mean and variance of the output over `A` and `B`.
    pub mean: f64,
    pub variance: f64,
    pub samples: usize,
    pub evaluations: u64,
}

impl SobolOptions {
    /// Checks the settings.
    pub fn check(&self) -> Result<(), AnalysisError> {
        if !(2..=MAX_SAMPLES).contains(&self.samples) {
            return Err(AnalysisError::BadRequest(format!(
                "--samples must be within 2..={MAX_SAMPLES}, got {}",
                self.samples
            )));
        }
        if self.bootstrap > MAX_BOOTSTRAP {
            return Err(AnalysisError::BadRequest(format!(
                "--bootstrap must be at most {MAX_BOOTSTRAP}, got {}",
                self.bootstrap
            )));
        }
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return Err(AnalysisError::BadRequest(format!(
                "--confidence must be between 0 and 1 (e.g. 0.95), got {}",
                self.confidence
            )));
        }
        Ok(())
    }
}

/// Rows evaluated per unit of parallel work (and per progress report).
const CHUNK_ROWS: usize = 16;

/// Estimates first-order and total Sobol indices of a model of `k` factors.
///
/// `transform(i, u)` maps a uniform `u` in (0, 1) to factor `i`'s value (its quantile
/// function); it is applied once per entry of `A` and `B`. `model(state, x)` evaluates the
/// model at the factor values `x`, with per-thread `state` made by `init`. The result depends
/// only on the arguments (not on the number of threads).
pub fn saltelli_jansen<S, I, M>(
    k: usize,
    opts: &SobolOptions,
    transform: &(dyn Fn(usize, f64) -> f64 + Sync),
    init: I,
    model: M,
    control: &Control,
    on_progress: OnProgress,
) -> Result<SobolEstimate, AnalysisError>
where
    I: Fn() -> S + Sync + Send,
    M: Fn(&mut S, &[f64]) -> f64 + Sync + Send,
{
    opts.check()?;
    if k == 0 {
        return Err(AnalysisError::BadRequest(
            "there is nothing uncertain to analyse: every input is fixed".into(),
        ));
    }
    let n = opts.samples;
    let evaluations = (n as u64).saturating_mul(k as u64 + 2);
    let tracker = Tracker::new(control, evaluations, on_progress);
    // A and B, row by row: row j holds A_j (k values) then B_j (k values).
    let design_key = mix64(opts.seed ^ name_key("sobol.design"));
    let mut ab = vec![0.0f64; n * 2 * k];
    ab.par_chunks_mut(2 * k).enumerate().for_each(|(j, row)| {
        let mut r = SubRng::new(design_key, mix64(j as u64));
        for (c, x) in row.iter_mut().enumerate() {
            *x = transform(c % k, r.uniform_open());
        }
    });
    // Evaluations: row j holds f(A_j), f(B_j), f(A_B^(1)_j), ..., f(A_B^(k)_j).
    let width = k + 2;
    let mut y = vec![0.0f64; n * width];
    y.par_chunks_mut(width * CHUNK_ROWS)
        .zip(ab.par_chunks(2 * k * CHUNK_ROWS))
        .try_for_each_init(
            || (init(), vec![0.0f64; k]),
            |(state, x), (ys, rows)| -> Result<(), AnalysisError> {
                tracker.check()?;
                for (yrow, row) in ys.chunks_mut(width).zip(rows.chunks(2 * k)) {
                    let (a, b) = row.split_at(k);
                    yrow[0] = model(state, a);
                    yrow[1] = model(state, b);
                    x.copy_from_slice(a);
                    for i in 0..k {
                        x[i] = b[i];
                        yrow[2 + i] = model(state, x);
                        x[i] = a[i];
                    }
                }
                tracker.add(ys.len() as u64);
                Ok(())
            },
        )?;
    if let Some(p) = y.iter().position(|v| !v.is_finite()) {
        return Err(AnalysisError::Failed(format!(
            "the model gave a non-finite value (row {} of the design)",
            p / width
        )));
    }
    let all: Vec<usize> = (0..n).collect();
    let point = jansen(&y, k, &all);
    let mut indices: Vec<SobolIndex> = (0..k)
        .map(|i| SobolIndex {
            s1: point.s1[i],
            st: point.st[i],
            s1_low: f64::NAN,
            s1_high: f64::NAN,
            st_low: f64::NAN,
            st_high: f64::NAN,
        })
        .collect();
    if opts.bootstrap > 0 {
        let boot_key = mix64(opts.seed ^ name_key("sobol.bootstrap"));
        let reps: Vec<Estimates> = (0..opts.bootstrap)
            .into_par_iter()
            .map(|r| {
                let mut rng = SubRng::new(boot_key, mix64(r as u64));
                let rows: Vec<usize> = (0..n)
                    .map(|_| (rng.next_word() % n as u64) as usize)
                    .collect();
                jansen(&y, k, &rows)
            })
            .collect();
        let lo_q = 0.5 * (1.0 - opts.confidence);
        let hi_q = 1.0 - lo_q;
        for (i, idx) in indices.iter_mut().enumerate() {
            let mut s1: Vec<f64> = reps.iter().map(|e| e.s1[i]).collect();
            let mut st: Vec<f64> = reps.iter().map(|e| e.st[i]).collect();
            s1.sort_by(f64::total_cmp);
            st.sort_by(f64::total_cmp);
            idx.s1_low = quantile_sorted(&s1, lo_q);
            idx.s1_high = quantile_sorted(&s1, hi_q);
            idx.st_low = quantile_sorted(&st, lo_q);
            idx.st_high = quantile_sorted(&st, hi_q);
        }
    }
    tracker.report();
    Ok(SobolEstimate {
        indices,
        mean: point.mean,
        variance: point.variance,
        samples: n,
        evaluations,
    })
}

struct Estimates {
    s1: Vec<f64>,
    st: Vec<f64>,
    mean: f64,
    variance: f64,
}

/// The Jansen estimators over the given rows of the evaluations `y` (rows of `k + 2`).
fn jansen(y: &[f64], k: usize, rows: &[usize]) -> Estimates {
    let width = k + 2;
    let n = rows.len() as f64;
    let mut sum = 0.0;
    for &j in rows {
        sum += y[j * width] + y[j * width + 1];
    }
    let mean = sum / (2.0 * n);
    let mut var = 0.0;
    for &j in rows {
        var += (y[j * width] - mean).powi(2) + (y[j * width + 1] - mean).powi(2);
    }
    let variance = var / (2.0 * n);
    let mut s1 = vec![0.0; k];
    let mut st = vec![0.0; k];
    for &j in rows {
        let r = &y[j * width..(j + 1) * width];
        let (fa, fb) = (r[0], r[1]);
        for i in 0..k {
            let fab = r[2 + i];
            s1[i] += (fb - fab) * (fb - fab);
            st[i] += (fa - fab) * (fa - fab);
        }
    }
    for i in 0..k {
        s1[i] = (variance - s1[i] / (2.0 * n)) / variance;
        st[i] = st[i] / (2.0 * n) / variance;
    }
    Estimates {
        s1,
        st,
        mean,
        variance,
    }
}

/// The Ishigami function `sin x1 + a sin^2 x2 + b x3^4 sin x1`, a standard test of
/// sensitivity methods (Ishigami and Homma 1990), on `[-pi, pi]^3`.
pub fn ishigami(x: &[f64], a: f64, b: f64) -> f64 {
    x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
}

/// The Ishigami function's analytic first-order and total indices.
pub fn ishigami_indices(a: f64, b: f64) -> ([f64; 3], [f64; 3]) {
    use std::f64::consts::PI;
    let pi4 = PI.powi(4);
    let v1 = 0.5 * (1.0 + b * pi4 / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let v = v1 + v2 + v13;
    ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analytic_ishigami_indices() {
        let (s1, st) = ishigami_indices(7.0, 0.1);
        for (a, b) in s1.iter().zip([0.3139, 0.4424, 0.0]) {
            assert!((a - b).abs() < 1e-4, "{s1:?}");
        }
        for (a, b) in st.iter().zip([0.5576, 0.4424, 0.2437]) {
            assert!((a - b).abs() < 1e-4, "{st:?}");
        }
    }

    #[test]
    fn an_additive_model_has_equal_first_order_and_total_indices() {
        // y = x1 + 2 x2 with x uniform: S1 = ST = 1/5, 4/5.
        let opts = SobolOptions {
            samples: 4096,
            bootstrap: 0,
            confidence: 0.95,
            seed: 3,
        };
        let e = saltelli_jansen(
            2,
            &opts,
            &|_, u| u,
            || (),
            |_, x| x[0] + 2.0 * x[1],
            &Control::new(),
            &|_| {},
        )
        .unwrap();
        for (i, want) in [0.2, 0.8].into_iter().enumerate() {
            assert!((e.indices[i].s1 - want).abs() < 0.03, "{:?}", e.indices);
            assert!((e.indices[i].st - want).abs() < 0.03, "{:?}", e.indices);
        }
    }
}
