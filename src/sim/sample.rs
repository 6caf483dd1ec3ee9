//! Samplers: a [`Dist`] compiled once per run into the constants its draws need, then drawn
//! from an input's own stream. The normal family and the simple shapes use the inverse
//! distribution function of one uniform (monotone, so an edited parameter moves each trial's
//! draw smoothly under common random numbers); Beta and PERT use a ratio of Marsaglia-Tsang
//! gammas. Every draw is clamped to the valid range of its field.

use rand_distr::{Distribution, StandardNormal};

use super::rng::SubRng;
use crate::scenario::dist::{lognormal_params, norm_cdf, norm_quantile, pert_shape};
use crate::scenario::{Dist, FieldSpec};

/// Gamma(shape, 1) by Marsaglia and Tsang (2000), with the boost U^(1/a) for shape < 1.
#[derive(Clone, Copy, Debug)]
pub struct GammaSampler {
    d: f64,
    c: f64,
    /// 1/shape when shape < 1 (boost), else 0.
    inv_shape_boost: f64,
}

impl GammaSampler {
    pub fn new(shape: f64) -> Self {
        let (a, boost) = if shape < 1.0 {
            (shape + 1.0, 1.0 / shape)
        } else {
            (shape, 0.0)
        };
        let d = a - 1.0 / 3.0;
        GammaSampler {
            d,
            c: 1.0 / (9.0 * d).sqrt(),
            inv_shape_boost: boost,
        }
    }

    #[inline(always)]
    pub fn sample(&self, rng: &mut SubRng) -> f64 {
        let g = loop {
            let z: f64 = StandardNormal.sample(rng);
            let t = 1.0 + self.c * z;
            if t <= 0.0 {
                continue;
            }
            let v = t * t * t;
            let u = rng.uniform_open();
            let z2 = z * z;
            if u < 1.0 - 0.0331 * z2 * z2 {
                break self.d * v;
            }
            if u.ln() < 0.5 * z2 + self.d * (1.0 - v + v.ln()) {
                break self.d * v;
            }
        };
        if self.inv_shape_boost > 0.0 {
            g * rng.uniform_open().powf(self.inv_shape_boost)
        } else {
            g
        }
    }
}

/// A distribution ready to draw from.
#[derive(Clone, Debug)]
pub enum Sampler {
    Fixed(f64),
    Uniform {
        min: f64,
        width: f64,
    },
    Triangular {
        min: f64,
        max: f64,
        fc: f64,
        left: f64,
        right: f64,
    },
    Beta {
        a: GammaSampler,
        b: GammaSampler,
        min: f64,
        width: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    /// Truncated normal by inverse transform over the kept mass `[lo, lo + mass]`.
    TruncNormal {
        mean: f64,
        sd: f64,
        lo: f64,
        mass: f64,
    },
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    Chance {
        p: f64,
        yes: f64,
        no: f64,
    },
}

impl Sampler {
    /// Compiles a (validated) distribution.
    pub fn new(d: &Dist) -> Sampler {
        match *d {
            Dist::Fixed(x) => Sampler::Fixed(x),
            Dist::Uniform { min, max } => Sampler::Uniform {
                min,
                width: max - min,
            },
            Dist::Triangular { min, mode, max } => Sampler::Triangular {
                min,
                max,
                fc: (mode - min) / (max - min),
                left: (max - min) * (mode - min),
                right: (max - min) * (max - mode),
            },
            Dist::Pert { min, mode, max } => {
                let (a, b) = pert_shape(min, mode, max);
                Sampler::Beta {
                    a: GammaSampler::new(a),
                    b: GammaSampler::new(b),
                    min,
                    width: max - min,
                }
            }
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
            } => Sampler::Beta {
                a: GammaSampler::new(alpha),
                b: GammaSampler::new(beta),
                min,
                width: max - min,
            },
            Dist::Normal { mean, sd, min, max } => {
                if min.is_none() && max.is_none() || !(sd > 0.0) {
                    Sampler::Normal { mean, sd }
                } else {
                    let lo = min.map_or(0.0, |m| norm_cdf((m - mean) / sd));
                    let hi = max.map_or(1.0, |m| norm_cdf((m - mean) / sd));
                    Sampler::TruncNormal {
                        mean,
                        sd,
                        lo,
                        mass: hi - lo,
                    }
                }
            }
            Dist::LogNormal { median, p90 } => {
                let (mu, sigma) = lognormal_params(median, p90);
                Sampler::LogNormal { mu, sigma }
            }
            Dist::Chance { p, yes, no } => Sampler::Chance { p, yes, no },
        }
    }

    /// Fills `out[i]` with the draw of the input with stream key `input_key` in the trial
    /// with key `keys[i]`, clamped to the field's range: exactly what `sample` gives trial by
    /// trial, with the choice of sampler made once for the whole column.
    pub fn fill(&self, keys: &[u64], input_key: u64, spec: &FieldSpec, out: &mut [f64]) {
        macro_rules! column {
            ($r:ident => $draw:expr) => {
                for (o, &k) in out.iter_mut().zip(keys) {
                    #[allow(unused_mut)]
                    let mut $r = SubRng::new(k, input_key);
                    *o = clamp_to(spec, $draw);
                }
            };
        }
        match *self {
            Sampler::Fixed(x) => out.iter_mut().for_each(|o| *o = clamp_to(spec, x)),
            Sampler::Uniform { min, width } => column!(r => min + width * r.uniform()),
            Sampler::Triangular {
                min,
                max,
                fc,
                left,
                right,
            } => column!(r => triangular(r.uniform(), min, max, fc, left, right)),
            Sampler::Beta { a, b, min, width } => {
                column!(r => scaled_beta(&a, &b, min, width, &mut r))
            }
            _ => column!(r => self.sample(&mut r)),
        }
    }

    /// A rank for grouping samplers of the same kind.
    pub fn kind_order(&self) -> u8 {
        match self {
            Sampler::Fixed(_) => 0,
            Sampler::Uniform { .. } => 1,
            Sampler::Triangular { .. } => 2,
            Sampler::Beta { .. } => 3,
            Sampler::Normal { .. } => 4,
            Sampler::TruncNormal { .. } => 5,
            Sampler::LogNormal { .. } => 6,
            Sampler::Chance { .. } => 7,
        }
    }

    /// One draw.
    #[inline]
    pub fn sample(&self, rng: &mut SubRng) -> f64 {
        match *self {
            Sampler::Fixed(x) => x,
            Sampler::Uniform { min, width } => min + width * rng.uniform(),
            Sampler::Triangular {
                min,
                max,
                fc,
                left,
                right,
            } => triangular(rng.uniform(), min, max, fc, left, right),
            Sampler::Beta { a, b, min, width } => scaled_beta(&a, &b, min, width, rng),
            Sampler::Normal { mean, sd } => mean + sd * norm_quantile(rng.uniform_open()),
            Sampler::TruncNormal { mean, sd, lo, mass } => {
                let q = (lo + mass * rng.uniform_open()).clamp(f64::MIN_POSITIVE, 1.0 - 1e-16);
                mean + sd * norm_quantile(q)
            }
            Sampler::LogNormal { mu, sigma } => {
                (mu + sigma * norm_quantile(rng.uniform_open())).exp()
            }
            Sampler::Chance { p, yes, no } => {
                if rng.uniform() < p {
                    yes
                } else {
                    no
                }
            }
        }
    }
}

/// The triangular quantile function at `u`. Both sides are computed and one selected: which
/// side of the mode a draw falls on is random, so a branch would be mispredicted half the time.
#[inline(always)]
fn triangular(u: f64, min: f64, max: f64, fc: f64, left: f64, right: f64) -> f64 {
    let below = min + (u * left).sqrt();
    let above = max - ((1.0 - u) * right).sqrt();
    if u < fc { below } else { above }
}

/// A Beta draw as the ratio of two gamma draws, scaled to `[min, min + width]`.
#[inline(always)]
fn scaled_beta(a: &GammaSampler, b: &GammaSampler, min: f64, width: f64, rng: &mut SubRng) -> f64 {
    let x = a.sample(rng);
    let y = b.sample(rng);
    let s = x + y;
    let ratio = if s > 0.0 { x / s } else { 0.5 };
    min + width * ratio
}

/// Clamps a draw to a field's valid range (an open lower bound is replaced by the next
/// representable value above it). Validation keeps the clamped mass below one in a million.
#[inline]
pub fn clamp_to(spec: &FieldSpec, x: f64) -> f64 {
    let lo = if spec.min_open {
        spec.min + f64::EPSILON * spec.min.abs().max(1.0)
    } else {
        spec.min
    };
    if x.is_nan() {
        return lo;
    }
    x.clamp(lo, spec.max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(d: &Dist, n: usize) -> (f64, f64) {
        let s = Sampler::new(d);
        let mut sum = 0.0;
        let mut sum2 = 0.0;
        for i in 0..n {
            let mut r = SubRng::new(i as u64, 7);
            let x = s.sample(&mut r);
            sum += x;
            sum2 += x * x;
        }
        let m = sum / n as f64;
        (m, (sum2 / n as f64 - m * m).sqrt())
    }

    #[test]
    fn sample_means_match_analytic_means() {
        let dists = [
            Dist::Uniform { min: 2.0, max: 5.0 },
            Dist::Triangular {
                min: 6.4,
                mode: 7.1,
                max: 9.9,
            },
            Dist::Pert {
                min: 0.3,
                mode: 0.5,
                max: 0.8,
            },
            Dist::Beta {
                alpha: 0.5,
                beta: 0.7,
                min: 0.0,
                max: 1.0,
            },
            Dist::Normal {
                mean: 3.0,
                sd: 2.0,
                min: None,
                max: None,
            },
            Dist::Normal {
                mean: 0.0,
                sd: 1.0,
                min: Some(0.5),
                max: Some(3.0),
            },
            Dist::LogNormal {
                median: 2.0,
                p90: 3.5,
            },
            Dist::Chance {
                p: 0.3,
                yes: 10.0,
                no: 2.0,
            },
        ];
        let n = 200_000;
        for d in &dists {
            let (m, sd) = moments(d, n);
            let tol = 5.0 * sd / (n as f64).sqrt();
            assert!(
                (m - d.mean()).abs() < tol,
                "{d:?}: sample mean {m} vs {}",
                d.mean()
            );
        }
    }

    #[test]
    fn draws_stay_in_support() {
        let d = Dist::Pert {
            min: 1.0,
            mode: 1.0,
            max: 3.0,
        };
        let s = Sampler::new(&d);
        for i in 0..50_000u64 {
            let x = s.sample(&mut SubRng::new(i, 1));
            assert!((1.0..=3.0).contains(&x));
        }
    }

    #[test]
    fn gamma_mean_is_shape() {
        for shape in [0.3, 1.0, 2.5, 9.0] {
            let g = GammaSampler::new(shape);
            let n = 200_000;
            let mut r = SubRng::new(3, 4);
            let m: f64 = (0..n).map(|_| g.sample(&mut r)).sum::<f64>() / n as f64;
            let tol = 5.0 * shape.sqrt() / (n as f64).sqrt();
            assert!((m - shape).abs() < tol, "shape {shape}: {m}");
        }
    }
}
