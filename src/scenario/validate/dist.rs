//! The checks of one input's distribution against its field: finite parameters, parameters
//! that make a distribution, and draws that stay within the field's valid range (a
//! one-in-a-million tail is allowed to reach no further).

use super::*;

impl Validator {
    pub(super) fn dist(&mut self, path: &str, d: &Dist, spec: &FieldSpec) {
        let range = if spec.integer {
            format!("a whole number {}", spec.describe_range())
        } else {
            spec.describe_range()
        };
        let unit = spec.unit;
        // 1. every parameter is a finite number
        let params: Vec<(&str, f64)> = match *d {
            Dist::Fixed(x) => vec![("value", x)],
            Dist::Uniform { min, max } => vec![("min", min), ("max", max)],
            Dist::Triangular { min, mode, max } | Dist::Pert { min, mode, max } => {
                vec![("min", min), ("mode", mode), ("max", max)]
            }
            Dist::Normal { mean, sd, min, max } => {
                let mut v = vec![("mean", mean), ("sd", sd)];
                if let Some(m) = min {
                    v.push(("min", m));
                }
                if let Some(m) = max {
                    v.push(("max", m));
                }
                v
            }
            Dist::LogNormal { median, p90 } => vec![("median", median), ("p90", p90)],
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
            } => vec![("alpha", alpha), ("beta", beta), ("min", min), ("max", max)],
            Dist::Chance { p, yes, no } => vec![("p", p), ("yes", yes), ("no", no)],
        };
        let mut finite = true;
        for (name, x) in &params {
            if !x.is_finite() {
                finite = false;
                let where_ = if matches!(d, Dist::Fixed(_)) {
                    path.to_string()
                } else {
                    format!("{path}.value.{name}")
                };
                self.push(
                    where_,
                    format!("must be a finite number ({unit}), got {}", fmt_exact(*x)),
                );
            }
        }
        if !finite {
            return;
        }
        let kind = d.kind_name();
        // 2. the parameters make a distribution
        let shape_error: Option<String> = match *d {
            Dist::Fixed(_) => None,
            Dist::Uniform { min, max } => (!(min < max)).then(|| {
                format!(
                    "{kind}: min must be below max, got min {} and max {}",
                    fmt_exact(min),
                    fmt_exact(max)
                )
            }),
            Dist::Triangular { min, mode, max } | Dist::Pert { min, mode, max } => {
                if !(min < max) {
                    Some(format!(
                        "{kind}: min must be below max, got min {} and max {}",
                        fmt_exact(min),
                        fmt_exact(max)
                    ))
                } else if !(mode >= min && mode <= max) {
                    Some(format!(
                        "{kind}: mode must be within min..=max ({}..={}), got {}",
                        fmt_exact(min),
                        fmt_exact(max),
                        fmt_exact(mode)
                    ))
                } else {
                    None
                }
            }
            Dist::Normal { mean, sd, min, max } => {
                if !(sd >= 0.0) {
                    Some(format!(
                        "Normal: sd must be 0 or more, got {}",
                        fmt_exact(sd)
                    ))
                } else if let (Some(lo), Some(hi)) = (min, max)
                    && !(lo < hi)
                {
                    Some(format!(
                        "Normal: truncation min must be below max, got min {} and max {}",
                        fmt_exact(lo),
                        fmt_exact(hi)
                    ))
                } else if sd > 0.0 {
                    let (lo, hi) = crate::scenario::dist::normal_mass_bounds(mean, sd, min, max);
                    (!(hi - lo > 1e-9)).then(|| {
                        format!(
                            "Normal: the truncation range keeps almost none of the distribution \
                             (mass {:.1e}); move mean or widen min..max",
                            (hi - lo).max(0.0)
                        )
                    })
                } else if min.is_some_and(|m| mean < m) || max.is_some_and(|m| mean > m) {
                    Some("Normal: with sd 0 the mean must lie within min..=max".into())
                } else {
                    None
                }
            }
            Dist::LogNormal { median, p90 } => {
                if !(median > 0.0) {
                    Some(format!(
                        "LogNormal: median must be above 0, got {}",
                        fmt_exact(median)
                    ))
                } else if !(p90 > median) {
                    Some(format!(
                        "LogNormal: p90 must be above the median ({}), got {}",
                        fmt_exact(median),
                        fmt_exact(p90)
                    ))
                } else if !(p90 / median <= 1e6) {
                    Some(format!(
                        "LogNormal: p90 / median is {}; at most 1e6 can be sampled meaningfully",
                        fmt_exact(p90 / median)
                    ))
                } else {
                    None
                }
            }
            Dist::Beta {
                alpha,
                beta,
                min,
                max,
            } => {
                if !(0.01..=1e4).contains(&alpha) || !(0.01..=1e4).contains(&beta) {
                    Some(format!(
                        "Beta: alpha and beta must be within 0.01..=10000, got alpha {} and beta {}",
                        fmt_exact(alpha),
                        fmt_exact(beta)
                    ))
                } else if !(min < max) {
                    Some(format!(
                        "Beta: min must be below max, got min {} and max {}",
                        fmt_exact(min),
                        fmt_exact(max)
                    ))
                } else {
                    None
                }
            }
            Dist::Chance { p, .. } => (!(0.0..=1.0).contains(&p)).then(|| {
                format!(
                    "Chance: p must be a probability within 0..=1, got {}",
                    fmt_exact(p)
                )
            }),
        };
        if let Some(msg) = shape_error {
            self.push(path, msg);
            return;
        }
        // 3. the values it gives lie in the field's range. A distribution over months is
        // drawn and rounded to a whole month: its range matters, not whether its values are
        // whole.
        let continuous = FieldSpec {
            integer: false,
            ..*spec
        };
        let (spec, range) = if matches!(d, Dist::Fixed(_)) {
            (spec, range)
        } else {
            (&continuous, continuous.describe_range())
        };
        match *d {
            Dist::Fixed(x) => {
                if !spec.accepts(x) {
                    self.push(
                        path,
                        format!(
                            "must be {range} ({unit}), got {}{}",
                            fmt_exact(x),
                            too_close(spec, x)
                        ),
                    );
                }
            }
            Dist::Chance { yes, no, .. } => {
                for (name, x) in [("yes", yes), ("no", no)] {
                    if !spec.accepts(x) {
                        self.push(
                            format!("{path}.value.{name}"),
                            format!(
                                "must be {range} ({unit}), got {}{}",
                                fmt_exact(x),
                                too_close(spec, x)
                            ),
                        );
                    }
                }
            }
            _ => {
                let (lo, hi) = d.support();
                let lo_tail = if lo.is_finite() { lo } else { d.quantile(TAIL) };
                let hi_tail = if hi.is_finite() {
                    hi
                } else {
                    d.quantile(1.0 - TAIL)
                };
                // A continuous distribution reaching an open lower bound (e.g. 0 for a field
                // that must be above 0) gives that exact value with probability zero, but
                // must not put more than its tail below the smallest valid value either
                // (a LogNormal with a median of 1e-22 would be clamped to it almost always).
                let lo_ok = spec.accepts(lo_tail)
                    || (spec.min_open && lo_tail == spec.min && d.cdf(spec.lowest()) <= TAIL);
                let near_open_bound = spec.min_open && lo_tail == spec.min;
                if !lo_ok || !spec.accepts(hi_tail) {
                    let what = if near_open_bound && spec.accepts(hi_tail) {
                        format!(
                            "{kind} puts a share {:.1e} of its draws at or below {:e}, too close \
                             to {} to compute with (at most 1e-6 may be)",
                            d.cdf(spec.lowest()),
                            spec.lowest(),
                            fmt_exact(spec.min)
                        )
                    } else if lo.is_finite() && hi.is_finite() {
                        format!(
                            "{kind} gives values in {}..={}",
                            fmt_exact(lo),
                            fmt_exact(hi)
                        )
                    } else {
                        format!(
                            "{kind} gives values outside the field's range (its 1-in-a-million \
                             tails reach {} and {}); {}",
                            fmt_exact(lo_tail),
                            fmt_exact(hi_tail),
                            if matches!(d, Dist::Normal { .. }) {
                                "truncate it with min/max or use a bounded distribution"
                            } else {
                                "use a bounded distribution (Pert, Triangular, Uniform, Beta)"
                            }
                        )
                    };
                    self.push(path, format!("must be {range} ({unit}), but {what}"));
                }
            }
        }
    }
}

/// Why a value just above an open bound is refused: it is too close to the bound.
fn too_close(spec: &FieldSpec, x: f64) -> String {
    if spec.min_open && x > spec.min && x < spec.lowest() {
        format!(
            "; values this close to {} cannot be computed with (the smallest is {:e})",
            fmt_exact(spec.min),
            spec.lowest()
        )
    } else {
        String::new()
    }
}
