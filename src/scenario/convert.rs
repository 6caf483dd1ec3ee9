//! An input's distribution as another kind: the kinds an input can have, and the conversion
//! that keeps a distribution's centre and spread where the new kind can express them (the
//! app's kind chooser, through `scenario::Edit::ConvertDistribution`).

use super::input::Dist;
use super::registry::FieldSpec;

/// The kinds of distribution an input can have, in the order the app offers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DistKind {
    /// Always one value.
    Fixed,
    /// Uniform between two values.
    Uniform,
    /// Triangular: least, most likely, largest.
    Triangular,
    /// PERT: least, most likely, largest, smoother than a triangle.
    Pert,
    /// Normal, optionally truncated.
    Normal,
    /// Log-normal by its median and 90th percentile.
    LogNormal,
    /// Beta, scaled to a range.
    Beta,
    /// An event: one value with probability `p`, another otherwise.
    Chance,
}

impl DistKind {
    /// Every kind.
    pub const ALL: [DistKind; 8] = [
        DistKind::Fixed,
        DistKind::Uniform,
        DistKind::Triangular,
        DistKind::Pert,
        DistKind::Normal,
        DistKind::LogNormal,
        DistKind::Beta,
        DistKind::Chance,
    ];

    /// The name used in files and shown in the app, e.g. `"Pert"`.
    pub fn name(self) -> &'static str {
        match self {
            DistKind::Fixed => "Fixed",
            DistKind::Uniform => "Uniform",
            DistKind::Triangular => "Triangular",
            DistKind::Pert => "Pert",
            DistKind::Normal => "Normal",
            DistKind::LogNormal => "LogNormal",
            DistKind::Beta => "Beta",
            DistKind::Chance => "Chance",
        }
    }
}

impl Dist {
    /// Its kind.
    pub fn kind(&self) -> DistKind {
        match self {
            Dist::Fixed(_) => DistKind::Fixed,
            Dist::Uniform { .. } => DistKind::Uniform,
            Dist::Triangular { .. } => DistKind::Triangular,
            Dist::Pert { .. } => DistKind::Pert,
            Dist::Normal { .. } => DistKind::Normal,
            Dist::LogNormal { .. } => DistKind::LogNormal,
            Dist::Beta { .. } => DistKind::Beta,
            Dist::Chance { .. } => DistKind::Chance,
        }
    }

    /// The distribution as another kind, for an input of the field `spec`. It keeps the
    /// centre (the median, which is the mean of a symmetric distribution) and the spread (the
    /// 90% range from the 5th to the 95th percentile) where the new kind can express them:
    /// a fixed value is the centre; uniform, triangular, PERT and Beta span the 90% range
    /// (triangular and PERT peak at the centre); a normal has the centre as its mean and the
    /// 90% range as its own; a log-normal keeps a positive centre as its median. A fixed
    /// value, which has no spread, gets ±20% of its size (or a tenth of the default slider
    /// range around 0). Everything stays within the field's valid range.
    pub fn converted(&self, kind: DistKind, spec: &FieldSpec) -> Dist {
        let c = self.central();
        let (lo, hi) = {
            let (a, b) = (self.quantile(0.05), self.quantile(0.95));
            if b > a {
                (a, b)
            } else {
                let w = if c.abs() > 0.0 {
                    c.abs() * 0.2
                } else {
                    (spec.slider.1 - spec.slider.0) * 0.1
                };
                (c - w, c + w)
            }
        };
        let lo = lo.max(spec.min);
        let hi = hi.min(spec.max);
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (spec.min, spec.max.min(spec.min + 1.0))
        };
        let c = c.clamp(lo, hi);
        match kind {
            DistKind::Fixed => Dist::Fixed(c),
            DistKind::Uniform => Dist::Uniform { min: lo, max: hi },
            DistKind::Triangular => Dist::Triangular {
                min: lo,
                mode: c,
                max: hi,
            },
            DistKind::Pert => Dist::Pert {
                min: lo,
                mode: c,
                max: hi,
            },
            DistKind::Normal => Dist::Normal {
                mean: c,
                sd: ((hi - lo) / 3.29).max(1e-9),
                min: spec
                    .min
                    .is_finite()
                    .then_some(spec.min)
                    .filter(|m| *m > -1e300),
                max: (spec.max < 1e4).then_some(spec.max),
            },
            DistKind::LogNormal => {
                let median = if c > 0.0 { c } else { hi.max(1e-6) / 2.0 };
                Dist::LogNormal {
                    median,
                    p90: median * 1.5,
                }
            }
            DistKind::Beta => Dist::Beta {
                alpha: 2.0,
                beta: 2.0,
                min: lo,
                max: hi,
            },
            DistKind::Chance => Dist::Chance {
                p: 0.5,
                yes: hi,
                no: lo,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::registry::spec_of;

    #[test]
    fn conversion_keeps_the_centre_and_the_90_percent_range() {
        let spec = spec_of(crate::scenario::InputKey::AidAmount(0));
        let pert = Dist::Pert {
            min: 1.0,
            mode: 2.0,
            max: 4.0,
        };
        let (q05, q50, q95) = (pert.quantile(0.05), pert.quantile(0.5), pert.quantile(0.95));
        assert_eq!(pert.converted(DistKind::Fixed, spec), Dist::Fixed(q50));
        assert_eq!(
            pert.converted(DistKind::Uniform, spec),
            Dist::Uniform { min: q05, max: q95 }
        );
        assert_eq!(
            pert.converted(DistKind::Triangular, spec),
            Dist::Triangular {
                min: q05,
                mode: q50,
                max: q95
            }
        );
        // A normal: the same median and a 90% range as wide (centred on the median, so a
        // skewed distribution's range moves; truncation at the field's bound of 0 shifts it a
        // little).
        let normal = pert.converted(DistKind::Normal, spec);
        assert_eq!(normal.kind(), DistKind::Normal);
        assert!((normal.quantile(0.5) - q50).abs() < 0.01 * (q95 - q05));
        let width = normal.quantile(0.95) - normal.quantile(0.05);
        assert!((width - (q95 - q05)).abs() < 0.01 * (q95 - q05), "{width}");
        // A fixed value has no spread: ±20% around it.
        assert_eq!(
            Dist::Fixed(10.0).converted(DistKind::Uniform, spec),
            Dist::Uniform {
                min: 8.0,
                max: 12.0
            }
        );
        // Never outside the field's range: a probability stays within 0..=1.
        let p = spec_of(crate::scenario::InputKey::AidContinue(0));
        let Dist::Uniform { min, max } = Dist::Fixed(0.95).converted(DistKind::Uniform, p) else {
            panic!("a uniform")
        };
        assert!(min >= 0.0 && max <= 1.0 && max > min, "{min}..{max}");
    }

    #[test]
    fn every_kind_converts_to_itself_by_name() {
        let spec = spec_of(crate::scenario::InputKey::AidAmount(0));
        for kind in DistKind::ALL {
            let d = Dist::Fixed(1.0).converted(kind, spec);
            assert_eq!(d.kind(), kind);
            assert_eq!(d.kind_name(), kind.name());
        }
    }
}
