//! Pure properties of a [`Dist`]: support, mean, density, distribution function and quantile
//! function. Sampling lives in `sim::sample`; nothing here is random.
//!
//! Over 600 lines only with its tests: each property of each distribution is checked
//! against its closed form beside the code.

use super::input::Dist;

const SQRT_2: f64 = std::f64::consts::SQRT_2;
/// z of the 90th percentile of the standard normal.
pub const Z90: f64 = 1.2815515655446004;

/// The (mu, sigma) of the underlying normal of a log-normal given as median and p90.
pub fn lognormal_params(median: f64, p90: f64) -> (f64, f64) {
    let mu = median.ln();
    let sigma = (p90.ln() - mu) / Z90;
    (mu, sigma)
}

/// Shape parameters (alpha, beta) of the Beta behind a PERT on [min, max] with a mode.
pub fn pert_shape(min: f64, mode: f64, max: f64) -> (f64, f64) {
    let range = max - min;
    if !(range > 0.0) {
        return (1.0, 1.0);
    }
    let alpha = 1.0 + 4.0 * (mode - min) / range;
    let beta = 1.0 + 4.0 * (max - mode) / range;
    (alpha, beta)
}

/// Standard normal distribution function.
pub fn norm_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / SQRT_2)
}

/// Standard normal density.
pub fn norm_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Standard normal quantile function (Wichura's AS 241, PPND16; relative accuracy about
/// 1e-16). Returns -inf at 0 and +inf at 1. The coefficients are the published ones.
#[allow(clippy::excessive_precision)]
pub fn norm_quantile(p: f64) -> f64 {
    if !(p > 0.0) {
        return f64::NEG_INFINITY;
    }
    if !(p < 1.0) {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q
            * (((((((2509.0809287301226727 * r + 33430.575583588128105) * r
                + 67265.770927008700853)
                * r
                + 45921.953931549871457)
                * r
                + 13731.693765509461125)
                * r
                + 1971.5909503065514427)
                * r
                + 133.14166789178437745)
                * r
                + 3.387132872796366608)
            / (((((((5226.495278852545925 * r + 28729.085735721942674) * r
                + 39307.89580009271061)
                * r
                + 21213.794301586595867)
                * r
                + 5394.1960214247511077)
                * r
                + 687.1870074920579083)
                * r
                + 42.313330701600911252)
                * r
                + 1.0);
    }
    let mut r = if q < 0.0 { p } else { 1.0 - p };
    r = (-r.ln()).sqrt();
    let val = if r <= 5.0 {
        r -= 1.6;
        (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r
            + 0.24178072517745061177)
            * r
            + 1.27045825245236838258)
            * r
            + 3.64784832476320460504)
            * r
            + 5.7694972214606914055)
            * r
            + 4.6303378461565452959)
            * r
            + 1.42343711074968357734)
            / (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r
                + 0.0151986665636164571966)
                * r
                + 0.14810397642748007459)
                * r
                + 0.68976733498510000455)
                * r
                + 1.6763848301838038494)
                * r
                + 2.05319162663775882187)
                * r
                + 1.0)
    } else {
        r -= 5.0;
        (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
            + 0.0012426609473880784386)
            * r
            + 0.026532189526576123093)
            * r
            + 0.29656057182850489123)
            * r
            + 1.7848265399172913358)
            * r
            + 5.4637849111641143699)
            * r
            + 6.6579046435011037772)
            / (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r
                + 1.8463183175100546818e-5)
                * r
                + 7.868691311456132591e-4)
                * r
                + 0.0148753612908506148525)
                * r
                + 0.13692988092273580531)
                * r
                + 0.59983220655588793769)
                * r
                + 1.0)
    };
    if q < 0.0 { -val } else { val }
}

fn ln_beta(a: f64, b: f64) -> f64 {
    libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b)
}

/// Continued fraction of the incomplete beta function (modified Lentz).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let qab = a + b;
    let qap = a + 1.0;
    let qam = a - 1.0;
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=500 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// Regularised incomplete beta function I_x(a, b): the Beta(a, b) distribution function.
pub fn beta_cdf(x: f64, a: f64, b: f64) -> f64 {
    if !(x > 0.0) {
        return 0.0;
    }
    if !(x < 1.0) {
        return 1.0;
    }
    let ln_front = a * x.ln() + b * (1.0 - x).ln() - ln_beta(a, b);
    let front = ln_front.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, 1.0 - x) / b
    }
}

/// Beta(a, b) density.
pub fn beta_pdf(x: f64, a: f64, b: f64) -> f64 {
    if !(x > 0.0 && x < 1.0) {
        return 0.0;
    }
    ((a - 1.0) * x.ln() + (b - 1.0) * (1.0 - x).ln() - ln_beta(a, b)).exp()
}

/// Beta(a, b) quantile by bisection on the distribution function (accurate to about 1e-13).
pub fn beta_quantile(p: f64, a: f64, b: f64) -> f64 {
    if !(p > 0.0) {
        return 0.0;
    }
    if !(p < 1.0) {
        return 1.0;
    }
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if beta_cdf(mid, a, b) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-14 {
            break;
        }
    }
    0.5 * (lo + hi)
}

impl Dist {
    /// The smallest and largest values it gives in practice: its support, with an unbounded
    /// end replaced by its 1-in-a-million tail (finite for every valid distribution).
    pub fn reach(&self) -> (f64, f64) {
        let (lo, hi) = self.support();
        (
            if lo.is_finite() {
                lo
            } else {
                self.quantile(1e-6)
            },
            if hi.is_finite() {
                hi
            } else {
                self.quantile(1.0 - 1e-6)
            },
        )
    }

    /// Smallest and largest values the distribution can give (may be infinite).
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Dist::Fixed(x) => (x, x),
            Dist::Uniform { min, max }
            | Dist::Triangular { min, max, .. }
            | Dist::Pert { min, max, .. }
            | Dist::Beta { min, max, .. } => (min, max),
            Dist::Normal { min, max, .. } => (
                min.unwrap_or(f64::NEG_INFINITY),
                max.unwrap_or(f64::INFINITY),
            ),
            Dist::LogNormal { .. } => (0.0, f64::INFINITY),
            Dist::Chance { yes, no, .. } => (yes.min(no), yes.max(no)),
        }
    }

    /// Distribution function P(X <= x).
    pub fn cdf(&self, x: f64) -> f64 {
        match *self {
            Dist::Fixed(v) => f64::from(u8::from(x >= v)),
            Dist::Uniform { min, max } => ((x - min) / (max - min)).clamp(0.0, 1.0),
            Dist::Triangular { min, mode, max } => {
                if x <= min {
                    0.0
                } else if x >= max {
                    1.0
                } else if x <= mode {
                    (x - min) * (x - min) / ((max - min) * (mode - min))
                } else {
                    1.0 - (max - x) * (max - x) / ((max - min) * (max - mode))
                }
            }
            Dist::Pert { min, mode, max } => {
                let (a, b) = pert_shape(min, mode, max);
                beta_cdf((x - min) / (max - min), a, b)
            }
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
            } => beta_cdf((x - min) / (max - min), alpha, beta),
            Dist::Normal { mean, sd, min, max } => {
                if !(sd > 0.0) {
                    return f64::from(u8::from(x >= mean));
                }
                let (lo, hi) = normal_mass_bounds(mean, sd, min, max);
                let c = norm_cdf((x - mean) / sd);
                ((c - lo) / (hi - lo)).clamp(0.0, 1.0)
            }
            Dist::LogNormal { median, p90 } => {
                if !(x > 0.0) {
                    return 0.0;
                }
                let (mu, sigma) = lognormal_params(median, p90);
                norm_cdf((x.ln() - mu) / sigma)
            }
            Dist::Chance { p, yes, no } => {
                let mut c = 0.0;
                if x >= no {
                    c += 1.0 - p;
                }
                if x >= yes {
                    c += p;
                }
                c
            }
        }
    }

    /// Quantile function: the value below which a share `q` (0..=1) of the draws fall.
    pub fn quantile(&self, q: f64) -> f64 {
        let q = q.clamp(0.0, 1.0);
        match *self {
            Dist::Fixed(v) => v,
            Dist::Uniform { min, max } => min + q * (max - min),
            Dist::Triangular { min, mode, max } => triangular_quantile(min, mode, max, q),
            Dist::Pert { min, mode, max } => {
                let (a, b) = pert_shape(min, mode, max);
                min + beta_quantile(q, a, b) * (max - min)
            }
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
            } => min + beta_quantile(q, alpha, beta) * (max - min),
            Dist::Normal { mean, sd, min, max } => {
                if !(sd > 0.0) {
                    return mean;
                }
                let (lo, hi) = normal_mass_bounds(mean, sd, min, max);
                let x = mean + sd * norm_quantile(lo + q * (hi - lo));
                x.clamp(
                    min.unwrap_or(f64::NEG_INFINITY),
                    max.unwrap_or(f64::INFINITY),
                )
            }
            Dist::LogNormal { median, p90 } => {
                let (mu, sigma) = lognormal_params(median, p90);
                (mu + sigma * norm_quantile(q)).exp()
            }
            Dist::Chance { p, yes, no } => {
                let (first, second, p_first) = if no <= yes {
                    (no, yes, 1.0 - p)
                } else {
                    (yes, no, p)
                };
                if q <= p_first { first } else { second }
            }
        }
    }

    /// Density at `x` (for previews). Point masses (Fixed, Chance) have no density and give 0.
    pub fn pdf(&self, x: f64) -> f64 {
        match *self {
            Dist::Fixed(_) | Dist::Chance { .. } => 0.0,
            Dist::Uniform { min, max } => {
                if x >= min && x <= max && max > min {
                    1.0 / (max - min)
                } else {
                    0.0
                }
            }
            Dist::Triangular { min, mode, max } => {
                if !(x >= min && x <= max && max > min) {
                    0.0
                } else if x < mode {
                    2.0 * (x - min) / ((max - min) * (mode - min))
                } else if x > mode {
                    2.0 * (max - x) / ((max - min) * (max - mode))
                } else {
                    2.0 / (max - min)
                }
            }
            Dist::Pert { min, mode, max } => {
                let (a, b) = pert_shape(min, mode, max);
                beta_pdf((x - min) / (max - min), a, b) / (max - min)
            }
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
            } => beta_pdf((x - min) / (max - min), alpha, beta) / (max - min),
            Dist::Normal { mean, sd, min, max } => {
                if !(sd > 0.0) {
                    return 0.0;
                }
                if x < min.unwrap_or(f64::NEG_INFINITY) || x > max.unwrap_or(f64::INFINITY) {
                    return 0.0;
                }
                let (lo, hi) = normal_mass_bounds(mean, sd, min, max);
                norm_pdf((x - mean) / sd) / sd / (hi - lo)
            }
            Dist::LogNormal { median, p90 } => {
                if !(x > 0.0) {
                    return 0.0;
                }
                let (mu, sigma) = lognormal_params(median, p90);
                norm_pdf((x.ln() - mu) / sigma) / (x * sigma)
            }
        }
    }

    /// Mean of the distribution.
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Fixed(v) => v,
            Dist::Uniform { min, max } => 0.5 * (min + max),
            Dist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Dist::Pert { min, mode, max } => (min + 4.0 * mode + max) / 6.0,
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
            } => min + (max - min) * alpha / (alpha + beta),
            Dist::Normal { mean, sd, min, max } => {
                if !(sd > 0.0) {
                    return mean;
                }
                let a = min.map_or(f64::NEG_INFINITY, |m| (m - mean) / sd);
                let b = max.map_or(f64::INFINITY, |m| (m - mean) / sd);
                let mass = norm_cdf(b) - norm_cdf(a);
                let pa = if a.is_finite() { norm_pdf(a) } else { 0.0 };
                let pb = if b.is_finite() { norm_pdf(b) } else { 0.0 };
                if mass > 0.0 {
                    mean + sd * (pa - pb) / mass
                } else {
                    mean
                }
            }
            Dist::LogNormal { median, p90 } => {
                let (mu, sigma) = lognormal_params(median, p90);
                (mu + 0.5 * sigma * sigma).exp()
            }
            Dist::Chance { p, yes, no } => p * yes + (1.0 - p) * no,
        }
    }

    /// A representative value for display and for a one-number summary: the value itself
    /// when fixed, otherwise the median.
    pub fn central(&self) -> f64 {
        match *self {
            Dist::Fixed(v) => v,
            _ => self.quantile(0.5),
        }
    }

    /// The value as a person reads it (`armistice inputs`): the value as written when fixed;
    /// otherwise the median rounded to one place finer than the finest place the
    /// distribution's parameters in the input's unit use (a `Pert(min: 0.1, mode: 0.4, max:
    /// 0.8)` to hundredths, a `Triangular` of whole ten-thousands to thousands), so that it
    /// prints as a short decimal.
    pub fn shown_value(&self) -> f64 {
        let median = self.central();
        let place = self
            .parameters_in_unit()
            .into_iter()
            .filter_map(crate::text::last_place)
            .min();
        match (self, place) {
            (Dist::Fixed(_), _) | (_, None) => median,
            (_, Some(e)) => crate::text::round_to_place(median, e - 1),
        }
    }

    /// The parameters given in the input's own unit (not shapes or probabilities).
    fn parameters_in_unit(&self) -> Vec<f64> {
        match *self {
            Dist::Fixed(v) => vec![v],
            Dist::Uniform { min, max } => vec![min, max],
            Dist::Triangular { min, mode, max } | Dist::Pert { min, mode, max } => {
                vec![min, mode, max]
            }
            Dist::Normal { mean, sd, min, max } => [Some(mean), Some(sd), min, max]
                .into_iter()
                .flatten()
                .collect(),
            Dist::LogNormal { median, p90 } => vec![median, p90],
            Dist::Beta { min, max, .. } => vec![min, max],
            Dist::Chance { yes, no, .. } => vec![yes, no],
        }
    }
}

/// Standard-normal distribution function values at the truncation bounds.
pub fn normal_mass_bounds(mean: f64, sd: f64, min: Option<f64>, max: Option<f64>) -> (f64, f64) {
    let lo = min.map_or(0.0, |m| norm_cdf((m - mean) / sd));
    let hi = max.map_or(1.0, |m| norm_cdf((m - mean) / sd));
    (lo, hi)
}

/// Triangular quantile function.
pub fn triangular_quantile(min: f64, mode: f64, max: f64, q: f64) -> f64 {
    let range = max - min;
    if !(range > 0.0) {
        return min;
    }
    let fc = (mode - min) / range;
    if q < fc {
        min + (q * range * (mode - min)).sqrt()
    } else {
        max - ((1.0 - q) * range * (max - mode)).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_values_print_as_short_decimals() {
        assert_eq!(Dist::Fixed(0.96).shown_value().to_string(), "0.96");
        let pert = Dist::Pert {
            min: 0.1,
            mode: 0.4,
            max: 0.8,
        };
        let shown = pert.shown_value();
        assert!((shown - pert.central()).abs() <= 0.005, "{shown}");
        assert!(shown.to_string().len() <= 4, "{shown}");
        let tri = Dist::Triangular {
            min: 580000.0,
            mode: 640000.0,
            max: 900000.0,
        };
        let shown = tri.shown_value();
        assert_eq!(shown % 1000.0, 0.0, "{shown}");
        assert!((shown - tri.central()).abs() <= 500.0, "{shown}");
        // A median that is itself a parameter stays as written.
        let ln = Dist::LogNormal {
            median: 2.0,
            p90: 3.5,
        };
        assert_eq!(ln.shown_value(), 2.0);
    }

    #[test]
    fn normal_quantile_inverts_cdf() {
        for &p in &[1e-10, 1e-6, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0 - 1e-9] {
            let z = norm_quantile(p);
            assert!((norm_cdf(z) - p).abs() < 1e-12 * p.max(1e-3), "p={p} z={z}");
        }
        assert!((norm_quantile(0.9) - Z90).abs() < 1e-12);
    }

    #[test]
    fn beta_cdf_matches_closed_forms() {
        // Beta(1,1) is uniform; Beta(2,1) has cdf x^2; Beta(1,3) has cdf 1-(1-x)^3.
        for &x in &[0.1, 0.37, 0.5, 0.93] {
            assert!((beta_cdf(x, 1.0, 1.0) - x).abs() < 1e-12);
            assert!((beta_cdf(x, 2.0, 1.0) - x * x).abs() < 1e-12);
            assert!((beta_cdf(x, 1.0, 3.0) - (1.0 - (1.0 - x).powi(3))).abs() < 1e-12);
        }
        let q = beta_quantile(0.25, 2.0, 5.0);
        assert!((beta_cdf(q, 2.0, 5.0) - 0.25).abs() < 1e-10);
    }

    #[test]
    fn quantiles_invert_cdfs_for_every_kind() {
        let dists = [
            Dist::Uniform { min: 1.0, max: 3.0 },
            Dist::Triangular {
                min: 0.0,
                mode: 1.0,
                max: 4.0,
            },
            Dist::Pert {
                min: 6.4,
                mode: 7.1,
                max: 9.9,
            },
            Dist::Normal {
                mean: 0.0,
                sd: 1.0,
                min: Some(-0.5),
                max: Some(2.0),
            },
            Dist::LogNormal {
                median: 2.0,
                p90: 3.5,
            },
            Dist::Beta {
                alpha: 2.0,
                beta: 3.0,
                min: 10.0,
                max: 20.0,
            },
        ];
        for d in &dists {
            for &q in &[0.05, 0.1, 0.5, 0.9, 0.95] {
                let x = d.quantile(q);
                assert!((d.cdf(x) - q).abs() < 1e-9, "{d:?} q={q} x={x}");
            }
        }
        let ln = Dist::LogNormal {
            median: 2.0,
            p90: 3.5,
        };
        assert!((ln.quantile(0.5) - 2.0).abs() < 1e-12);
        assert!((ln.quantile(0.9) - 3.5).abs() < 1e-9);
    }

    #[test]
    fn densities_integrate_to_one() {
        let dists = [
            Dist::Triangular {
                min: 0.0,
                mode: 1.0,
                max: 4.0,
            },
            Dist::Pert {
                min: 6.4,
                mode: 7.1,
                max: 9.9,
            },
            Dist::Normal {
                mean: 0.0,
                sd: 1.0,
                min: Some(-0.5),
                max: Some(2.0),
            },
        ];
        for d in &dists {
            let (lo, hi) = d.support();
            let n = 20_000;
            let h = (hi - lo) / n as f64;
            let s: f64 = (0..n).map(|i| d.pdf(lo + (i as f64 + 0.5) * h) * h).sum();
            assert!((s - 1.0).abs() < 1e-4, "{d:?}: {s}");
        }
    }
}
