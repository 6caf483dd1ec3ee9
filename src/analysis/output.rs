//! The outputs an analysis looks at, each a mean over trials of a per-trial value: P(deal) and
//! P(each package) (means of indicators) and every continuous outcome of [`Outcome`].

use crate::scenario::Scenario;
use crate::sim::TrialRecord;
use crate::stats::{Continuous, Outcome, Proportion, Summary};

/// One output of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Output {
    /// P(some package is agreed).
    PDeal,
    /// P(package `k` is agreed).
    PPackage(usize),
    /// A continuous outcome (its mean, or other statistics in sweeps).
    Outcome(Outcome),
}

/// A statistic of an output over the trials of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Statistic {
    /// A probability (share of trials).
    P,
    /// Standard error of the probability or of the mean.
    Se,
    Mean,
    P5,
    P25,
    P50,
    P75,
    P95,
}

impl Statistic {
    /// Statistics of a probability.
    pub const OF_PROBABILITY: [Statistic; 2] = [Statistic::P, Statistic::Se];
    /// Statistics of a continuous outcome.
    pub const OF_CONTINUOUS: [Statistic; 7] = [
        Statistic::Mean,
        Statistic::Se,
        Statistic::P5,
        Statistic::P25,
        Statistic::P50,
        Statistic::P75,
        Statistic::P95,
    ];

    /// The name in CSV files.
    pub fn id(self) -> &'static str {
        match self {
            Statistic::P => "p",
            Statistic::Se => "se",
            Statistic::Mean => "mean",
            Statistic::P5 => "p5",
            Statistic::P25 => "p25",
            Statistic::P50 => "p50",
            Statistic::P75 => "p75",
            Statistic::P95 => "p95",
        }
    }
}

/// The aliases `--output` accepts besides the ids.
const ALIASES: [(&str, Output); 2] = [
    ("territory", Output::Outcome(Outcome::GainedByB)),
    ("deal", Output::PDeal),
];

impl Output {
    /// Every output of a scenario with `n_packages` packages, in the order sweeps write them.
    pub fn all(n_packages: usize) -> Vec<Output> {
        let mut v = vec![Output::PDeal];
        v.extend((0..n_packages).map(Output::PPackage));
        v.extend(Outcome::ALL.iter().map(|&o| Output::Outcome(o)));
        v
    }

    /// The statistics sweeps report for this output.
    pub fn statistics(self) -> &'static [Statistic] {
        match self {
            Output::PDeal | Output::PPackage(_) => &Statistic::OF_PROBABILITY,
            Output::Outcome(_) => &Statistic::OF_CONTINUOUS,
        }
    }

    /// True for P(deal) and P(package).
    pub fn is_probability(self) -> bool {
        matches!(self, Output::PDeal | Output::PPackage(_))
    }

    /// The name in CSV files and on the command line: `p_deal`, `p_package:<package name>`,
    /// or an [`Outcome`] id such as `leverage_a`.
    pub fn id(self, sc: &Scenario) -> String {
        match self {
            Output::PDeal => "p_deal".into(),
            Output::PPackage(k) => format!(
                "p_package:{}",
                sc.bargaining
                    .packages
                    .get(k)
                    .map_or_else(|| k.to_string(), |p| p.name.clone())
            ),
            Output::Outcome(o) => o.id().into(),
        }
    }

    /// A readable label with the side and package names.
    pub fn label(self, sc: &Scenario) -> String {
        match self {
            Output::PDeal => "P(deal)".into(),
            Output::PPackage(k) => format!(
                "P({})",
                sc.bargaining
                    .packages
                    .get(k)
                    .map_or_else(|| format!("package {k}"), |p| p.name.clone())
            ),
            Output::Outcome(o) => {
                format!("Mean {}", o.label(&sc.sides.a.name, &sc.sides.b.name))
            }
        }
    }

    /// Parses an output name: an id as [`Output::id`] gives it, `p_package:<index>` (from 0),
    /// or the aliases `territory` (area gained by side b) and `deal`.
    pub fn parse(name: &str, sc: &Scenario) -> Result<Output, String> {
        let name = name.trim();
        if let Some((_, o)) = ALIASES.iter().find(|(a, _)| *a == name) {
            return Ok(*o);
        }
        if name == "p_deal" {
            return Ok(Output::PDeal);
        }
        if let Some(o) = Outcome::from_id(name) {
            return Ok(Output::Outcome(o));
        }
        if let Some(p) = name.strip_prefix("p_package:") {
            let packages = &sc.bargaining.packages;
            if let Some(k) = packages.iter().position(|x| x.name == p) {
                return Ok(Output::PPackage(k));
            }
            if let Ok(k) = p.parse::<usize>()
                && k < packages.len()
            {
                return Ok(Output::PPackage(k));
            }
            return Err(format!(
                "no package is named \"{p}\"; the packages are {}",
                packages
                    .iter()
                    .map(|x| format!("\"{}\"", x.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Err(format!(
            "unknown output \"{name}\"; choose one of {}",
            Output::names(sc).join(", ")
        ))
    }

    /// Every name [`Output::parse`] accepts (ids, then aliases).
    pub fn names(sc: &Scenario) -> Vec<String> {
        let mut v: Vec<String> = Output::all(sc.bargaining.packages.len())
            .into_iter()
            .map(|o| o.id(sc))
            .collect();
        v.extend(ALIASES.iter().map(|(a, _)| a.to_string()));
        v
    }

    /// The per-trial value whose mean over trials is this output (an indicator for
    /// probabilities). `held_start` is the area side b holds at the start.
    #[inline]
    pub fn of(self, r: &TrialRecord, held_start: f64) -> f64 {
        match self {
            Output::PDeal => f64::from(u8::from(r.deal())),
            Output::PPackage(k) => f64::from(u8::from(r.package() == Some(k))),
            Output::Outcome(o) => o.of(r, held_start),
        }
    }
}

/// Mean, standard error and quantiles of a continuous outcome over the trials of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct OutcomeStats {
    pub mean: f64,
    pub se: f64,
    /// p5, p25, p50, p75, p95.
    pub quantiles: [f64; 5],
}

impl From<&Continuous> for OutcomeStats {
    fn from(c: &Continuous) -> Self {
        OutcomeStats {
            mean: c.mean,
            se: c.se,
            quantiles: c.quantiles,
        }
    }
}

/// Everything a sweep keeps of one run: every output's statistics.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PointStats {
    pub p_deal: Proportion,
    pub p_package: Vec<Proportion>,
    /// In [`Outcome::ALL`] order.
    pub outcomes: Vec<(Outcome, OutcomeStats)>,
}

impl PointStats {
    pub fn from_summary(s: &Summary) -> Self {
        PointStats {
            p_deal: s.p_deal,
            p_package: s.p_package.clone(),
            outcomes: s
                .outcomes
                .iter()
                .map(|(o, c)| (*o, OutcomeStats::from(c)))
                .collect(),
        }
    }

    /// One statistic of one output; NaN when the output does not have that statistic.
    pub fn value(&self, output: Output, stat: Statistic) -> f64 {
        let prop = |p: Proportion| match stat {
            Statistic::P => p.p,
            Statistic::Se => p.se,
            _ => f64::NAN,
        };
        match output {
            Output::PDeal => prop(self.p_deal),
            Output::PPackage(k) => self.p_package.get(k).map_or(f64::NAN, |p| prop(*p)),
            Output::Outcome(o) => {
                let Some((_, c)) = self.outcomes.iter().find(|(x, _)| *x == o) else {
                    return f64::NAN;
                };
                match stat {
                    Statistic::Mean => c.mean,
                    Statistic::Se => c.se,
                    Statistic::P5 => c.quantiles[0],
                    Statistic::P25 => c.quantiles[1],
                    Statistic::P50 => c.quantiles[2],
                    Statistic::P75 => c.quantiles[3],
                    Statistic::P95 => c.quantiles[4],
                    Statistic::P => f64::NAN,
                }
            }
        }
    }

    /// The headline number of an output: its probability or its mean.
    pub fn headline(&self, output: Output) -> f64 {
        self.value(
            output,
            if output.is_probability() {
                Statistic::P
            } else {
                Statistic::Mean
            },
        )
    }
}
