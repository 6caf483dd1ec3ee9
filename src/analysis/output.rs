//! The outputs an analysis looks at, each a mean over trials of a per-trial value: P(deal) and
//! P(each package) (means of indicators) and every continuous outcome of [`Outcome`]; for a
//! monthly run (format version 2) also P(settled by month m), the month of settlement, and
//! its median (a quantile, for sweeps only).

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
    /// (Format version 2) P(settled by the end of month `m`).
    PSettledBy(u32),
    /// (Format version 2) The month of settlement, a trial that does not settle within the
    /// horizon counting as the month after it (`horizon + 1`).
    SettlementMonth {
        /// The scenario's horizon in months.
        horizon: u32,
    },
    /// (Format version 2) The first month by which half the trials have settled: a quantile of
    /// the run, not a mean over trials (sweeps, leverage curves and heatmaps only).
    MedianSettlementMonth,
}

/// A statistic of an output over the trials of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Statistic {
    /// A probability (share of trials).
    P,
    /// Standard error of the probability or of the mean.
    Se,
    /// The mean over the trials.
    Mean,
    /// The 5th percentile.
    P5,
    /// The 25th percentile.
    P25,
    /// The median.
    P50,
    /// The 75th percentile.
    P75,
    /// The 95th percentile.
    P95,
    /// A statistic of the whole run (the median month of settlement).
    Value,
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
            Statistic::Value => "value",
        }
    }
}

/// The aliases `--output` accepts besides the ids.
const ALIASES: [(&str, Output); 3] = [
    ("territory", Output::Outcome(Outcome::GainedByB)),
    ("deal", Output::PDeal),
    ("p_settled", Output::PDeal),
];

impl Output {
    /// Every output of a scenario, in the order sweeps write them.
    pub fn all(sc: &Scenario) -> Vec<Output> {
        let mut v = vec![Output::PDeal];
        v.extend((0..sc.bargaining.packages.len()).map(Output::PPackage));
        v.extend(Outcome::ALL.iter().map(|&o| Output::Outcome(o)));
        if sc.version >= 2 {
            let horizon = sc.simulation.horizon_months;
            v.push(Output::MedianSettlementMonth);
            v.push(Output::SettlementMonth { horizon });
            v.extend((1..=horizon).map(Output::PSettledBy));
        }
        v
    }

    /// The unit of the output's values (and of their standard errors and quantiles).
    pub fn unit(self) -> &'static str {
        match self {
            Output::PDeal | Output::PPackage(_) | Output::PSettledBy(_) => "probability",
            Output::Outcome(o) => o.unit(),
            Output::SettlementMonth { .. } | Output::MedianSettlementMonth => "month",
        }
    }

    /// The unit of the output with CSV id `id` (as [`Output::id`] writes it), if it is one.
    pub fn unit_of_id(id: &str) -> Option<&'static str> {
        if id == "p_deal" || id.starts_with("p_package:") || id.starts_with("p_settled_by:") {
            Some("probability")
        } else if id == "settlement_month" || id == "median_settlement_month" {
            Some("month")
        } else {
            Outcome::from_id(id).map(Outcome::unit)
        }
    }

    /// The statistics sweeps report for this output.
    pub fn statistics(self) -> &'static [Statistic] {
        match self {
            Output::PDeal | Output::PPackage(_) | Output::PSettledBy(_) => {
                &Statistic::OF_PROBABILITY
            }
            Output::Outcome(_) | Output::SettlementMonth { .. } => &Statistic::OF_CONTINUOUS,
            Output::MedianSettlementMonth => &[Statistic::Value],
        }
    }

    /// True for P(deal), P(package) and P(settled by month m).
    pub fn is_probability(self) -> bool {
        matches!(
            self,
            Output::PDeal | Output::PPackage(_) | Output::PSettledBy(_)
        )
    }

    /// True when the output is a mean over trials of a per-trial value (every output but the
    /// median month of settlement), as tornado charts, Sobol indices and paired comparisons
    /// need.
    pub fn is_mean_over_trials(self) -> bool {
        !matches!(self, Output::MedianSettlementMonth)
    }

    /// The name in CSV files and on the command line: `p_deal`, `p_package:<package name>`,
    /// or an [`Outcome`] id such as `leverage_a`.
    pub fn id(self, sc: &Scenario) -> String {
        match self {
            Output::PSettledBy(m) => format!("p_settled_by:{m}"),
            Output::SettlementMonth { .. } => "settlement_month".into(),
            Output::MedianSettlementMonth => "median_settlement_month".into(),
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
        let monthly = sc.version >= 2;
        match self {
            Output::PSettledBy(m) => format!("P(settled by month {m})"),
            Output::SettlementMonth { horizon } => format!(
                "Mean month of settlement (none within the horizon counts as {})",
                horizon + 1
            ),
            Output::MedianSettlementMonth => "Median month of settlement".into(),
            Output::PDeal if monthly => {
                format!("P(settled within {} months)", sc.simulation.horizon_months)
            }
            Output::PPackage(k) if monthly => format!(
                "P(settled on {})",
                sc.bargaining
                    .packages
                    .get(k)
                    .map_or_else(|| format!("package {k}"), |p| p.name.clone())
            ),
            Output::PDeal => "P(deal)".into(),
            Output::PPackage(k) => format!(
                "P({})",
                sc.bargaining
                    .packages
                    .get(k)
                    .map_or_else(|| format!("package {k}"), |p| p.name.clone())
            ),
            Output::Outcome(o) => {
                let label = format!("Mean {}", o.label(&sc.sides.a.name, &sc.sides.b.name));
                if monthly {
                    format!("{label} at settlement or the horizon")
                } else {
                    label
                }
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
        let monthly_only = |o: Output| {
            if sc.version >= 2 {
                Ok(o)
            } else {
                Err(format!(
                    "\"{name}\" is an output of the monthly model: the scenario is format \
                     version {} (`armistice upgrade` converts it)",
                    sc.version
                ))
            }
        };
        let horizon = sc.simulation.horizon_months;
        match name {
            "settlement_month" => return monthly_only(Output::SettlementMonth { horizon }),
            "median_settlement_month" => return monthly_only(Output::MedianSettlementMonth),
            _ => {}
        }
        if let Some(m) = name.strip_prefix("p_settled_by:") {
            let m: u32 = m.trim().parse().map_err(|_| {
                format!("\"{name}\": the month after `p_settled_by:` must be a whole number")
            })?;
            if !(1..=horizon).contains(&m) {
                return Err(format!(
                    "\"{name}\": the month must be within 1..={horizon} (the horizon)"
                ));
            }
            return monthly_only(Output::PSettledBy(m));
        }
        let name = if sc.version >= 2 {
            name.strip_prefix("p_package_at_settlement:")
                .map_or_else(|| name.to_string(), |p| format!("p_package:{p}"))
        } else {
            name.to_string()
        };
        let name = name.as_str();
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
        let mut v: Vec<String> = Output::all(sc)
            .into_iter()
            .filter(|o| !matches!(o, Output::PSettledBy(m) if *m > 1))
            .map(|o| {
                let id = o.id(sc);
                if matches!(o, Output::PSettledBy(_)) {
                    format!("p_settled_by:<month 1..={}>", sc.simulation.horizon_months)
                } else {
                    id
                }
            })
            .collect();
        v.extend(ALIASES.iter().map(|(a, _)| a.to_string()));
        v
    }

    /// The per-trial value whose mean over trials is this output (an indicator for
    /// probabilities). `held_start` is the area side b holds at the start.
    #[inline]
    pub fn of(self, r: &TrialRecord, held_start: Option<f64>) -> f64 {
        match self {
            Output::PDeal => f64::from(u8::from(r.deal())),
            Output::PPackage(k) => f64::from(u8::from(r.package() == Some(k))),
            Output::Outcome(o) => o.of(r, held_start),
            Output::PSettledBy(m) => f64::from(u8::from(r.settled_month().is_some_and(|s| s <= m))),
            Output::SettlementMonth { horizon } => {
                f64::from(r.settled_month().unwrap_or(horizon + 1))
            }
            // Not a mean over trials: the per-trial month, for completeness.
            Output::MedianSettlementMonth => f64::from(r.settled_month().unwrap_or(u32::MAX)),
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
    /// (Format version 2) P(settled by month m) for m = 1..=T, the settlement month and its
    /// median.
    pub settled_by: Vec<Proportion>,
    pub settlement_month: Option<OutcomeStats>,
    pub median_settlement_month: Option<u32>,
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
            settled_by: s
                .settlement
                .as_ref()
                .map_or_else(Vec::new, |st| st.settled_by.clone()),
            settlement_month: s
                .settlement
                .as_ref()
                .map(|st| OutcomeStats::from(&st.month)),
            median_settlement_month: s.settlement.as_ref().and_then(|st| st.median_month),
        }
    }

    /// One statistic of one output; NaN when the output does not have that statistic.
    pub fn value(&self, output: Output, stat: Statistic) -> f64 {
        let prop = |p: Proportion| match stat {
            Statistic::P => p.p,
            Statistic::Se => p.se,
            _ => f64::NAN,
        };
        let continuous = |c: &OutcomeStats| match stat {
            Statistic::Mean => c.mean,
            Statistic::Se => c.se,
            Statistic::P5 => c.quantiles[0],
            Statistic::P25 => c.quantiles[1],
            Statistic::P50 => c.quantiles[2],
            Statistic::P75 => c.quantiles[3],
            Statistic::P95 => c.quantiles[4],
            Statistic::P | Statistic::Value => f64::NAN,
        };
        match output {
            Output::PSettledBy(m) => self
                .settled_by
                .get((m as usize).wrapping_sub(1))
                .map_or(f64::NAN, |p| prop(*p)),
            Output::SettlementMonth { .. } => {
                self.settlement_month.as_ref().map_or(f64::NAN, continuous)
            }
            Output::MedianSettlementMonth => match stat {
                Statistic::Value => self.median_settlement_month.map_or(f64::NAN, f64::from),
                _ => f64::NAN,
            },
            Output::PDeal => prop(self.p_deal),
            Output::PPackage(k) => self.p_package.get(k).map_or(f64::NAN, |p| prop(*p)),
            Output::Outcome(o) => {
                let Some((_, c)) = self.outcomes.iter().find(|(x, _)| *x == o) else {
                    return f64::NAN;
                };
                continuous(c)
            }
        }
    }

    /// The headline number of an output: its probability or its mean.
    pub fn headline(&self, output: Output) -> f64 {
        self.value(
            output,
            if output.is_probability() {
                Statistic::P
            } else if output.is_mean_over_trials() {
                Statistic::Mean
            } else {
                Statistic::Value
            },
        )
    }
}
