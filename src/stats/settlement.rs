//! The summary of a monthly run (format version 2): when the war ends (the share settled by
//! each month, with standard errors, and the median month), on what terms (each package, the
//! line, casualties and leverage at settlement), what kept it going month by month, and the
//! leverage at each month's table.

use serde::{Deserialize, Serialize};

use super::{Continuous, Proportion};
use crate::model::Constraint;
use crate::model::monthly::{LEVERAGE_BINS, MonthlyCounts};
use crate::sim::TrialRecord;
use crate::sim::front::{QUANTILES, hist_quantiles};

/// The settlement summary of a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Settlement {
    pub horizon_months: u32,
    /// For months 1..=T: the share of trials settled by the end of that month.
    pub settled_by: Vec<Proportion>,
    /// The share settled within the horizon.
    pub settled: Proportion,
    /// The first month by which at least half the trials have settled; `None` when fewer
    /// than half settle within the horizon.
    pub median_month: Option<u32>,
    /// Trials that settled.
    pub n_settled: u64,
    /// The month of settlement over all trials, one that does not settle within the horizon
    /// counting as the month after it.
    pub month: Continuous,
    /// Area held by `b` at settlement, km2 (over the trials that settled).
    pub held_at_settlement: Continuous,
    /// Casualties up to settlement (over the trials that settled).
    pub casualties_a_at_settlement: Continuous,
    pub casualties_b_at_settlement: Continuous,
    /// Leverage of `a` in the month of settlement (over the trials that settled).
    pub leverage_a_at_settlement: Continuous,
    /// Among the trials not settled within the horizon, the share kept going at the last
    /// table by each reason, in [`Constraint::MONTHLY`] order.
    pub unsettled_why: [Proportion; 4],
    /// For months 1..=T: trials still fighting after that month's table.
    pub fighting: Vec<u64>,
    /// For months 1..=T: among the trials still fighting after that month's table, the share
    /// kept going by each reason, in [`Constraint::MONTHLY`] order (empty months have none).
    pub why: Vec<[Option<f64>; 4]>,
    /// For months 1..=T: p5, p25, p50, p75, p95 of `a`'s leverage among the trials at that
    /// month's table (`None` when the table did not meet or nobody was left).
    pub leverage_a_by_month: Vec<Option<[f64; 5]>>,
    /// The front of the wars still going: per month, over the trials that fought it.
    pub front_while_fighting: crate::sim::FrontBands,
    /// The observations after the scenario's date, scored (format version 2 files that have
    /// them).
    pub hindcast: Option<Hindcast>,
}

impl Settlement {
    /// Summarises the records and per-month counts of a monthly run with horizon `t_max`.
    pub fn of(records: &[TrialRecord], counts: &MonthlyCounts, t_max: usize) -> Settlement {
        let n = records.len() as u64;
        let mut by_month = vec![0u64; t_max + 1];
        for r in records {
            if let Some(m) = r.settled_month() {
                let m = (m as usize).min(t_max);
                by_month[m] += 1;
            }
        }
        let mut settled_by = Vec::with_capacity(t_max);
        let mut fighting = Vec::with_capacity(t_max);
        let mut acc = 0;
        let mut median_month = None;
        for (t, c) in by_month.iter().enumerate().skip(1) {
            acc += c;
            settled_by.push(Proportion::from_counts(acc, n));
            fighting.push(n - acc);
            if median_month.is_none() && n > 0 && 2 * acc >= n {
                median_month = Some(t as u32);
            }
        }
        let settled: Vec<&TrialRecord> = records.iter().filter(|r| r.deal()).collect();
        let mut blocked = [0u64; 4];
        for r in records {
            if let (false, Some(c)) = (r.deal(), r.blocked()) {
                blocked[c as usize] += 1;
            }
        }
        let unsettled = n - settled.len() as u64;
        let over =
            |f: &dyn Fn(&TrialRecord) -> f64| Continuous::from_fn(settled.len(), |i| f(settled[i]));
        let why = (0..t_max)
            .map(|t| {
                let row = &counts.reasons[t * 4..t * 4 + 4];
                let total: u64 = row.iter().sum();
                let mut out = [None; 4];
                if total > 0 {
                    for (o, c) in out.iter_mut().zip(row) {
                        *o = Some(*c as f64 / total as f64);
                    }
                }
                out
            })
            .collect();
        let leverage_a_by_month = (0..t_max)
            .map(|t| {
                let row = &counts.leverage[t * LEVERAGE_BINS..(t + 1) * LEVERAGE_BINS];
                row.iter()
                    .any(|c| *c > 0)
                    .then(|| hist_quantiles(row, (0.0, 1.0), &QUANTILES))
            })
            .collect();
        Settlement {
            horizon_months: t_max as u32,
            settled: Proportion::from_counts(acc, n),
            settled_by,
            median_month,
            n_settled: settled.len() as u64,
            month: Continuous::from_fn(records.len(), |i| {
                f64::from(records[i].settled_month().unwrap_or(t_max as u32 + 1))
            }),
            held_at_settlement: over(&|r| f64::from(r.held_by_b_km2)),
            casualties_a_at_settlement: over(&|r| f64::from(r.casualties_a)),
            casualties_b_at_settlement: over(&|r| f64::from(r.casualties_b)),
            leverage_a_at_settlement: over(&|r| f64::from(r.leverage_a)),
            unsettled_why: blocked.map(|b| Proportion::from_counts(b, unsettled)),
            fighting,
            why,
            leverage_a_by_month,
            front_while_fighting: crate::sim::FrontBands::default(),
            hindcast: None,
        }
    }

    /// A 95% interval of the median month from the settlement curve's standard errors: the
    /// first month whose upper bound reaches one half, and the first whose lower bound does
    /// (`None` when that never happens within the horizon).
    pub fn median_month_interval(&self) -> (Option<u32>, Option<u32>) {
        let first = |f: &dyn Fn(&Proportion) -> f64| {
            self.settled_by
                .iter()
                .position(|p| f(p) >= 0.5)
                .map(|t| t as u32 + 1)
        };
        (first(&|p| p.p + 1.96 * p.se), first(&|p| p.p - 1.96 * p.se))
    }

    /// The share of trials kept fighting after month `t` (1-based) by `c`, if any were.
    pub fn why_share(&self, t: usize, c: Constraint) -> Option<f64> {
        self.why.get(t.checked_sub(1)?)?[c as usize]
    }
}

/// One observed month after the scenario's date, scored against the simulated front.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HindcastMonth {
    pub month: u32,
    pub label: String,
    /// Area gained by `b` in that month, km2, as observed.
    pub observed_km2: f64,
    /// The share of the simulated wars still going in that month whose gain was below the
    /// observed one (`None` past the horizon or when no war was still going).
    pub percentile: Option<f64>,
}

/// What happened at the table, scored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TalksHindcast {
    pub through_month: u32,
    pub settled_in_month: Option<u32>,
    pub label: String,
    /// The simulated share settled by `through_month` (`None` past the horizon).
    pub p_settled_by: Option<Proportion>,
    /// The probability the simulation gave to what happened: no settlement by
    /// `through_month`, or a settlement in the observed month.
    pub p_of_what_happened: Option<f64>,
}

/// How the observations after the scenario's date compare with the simulation: a hindcast,
/// reported, never fitted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Hindcast {
    pub months: Vec<HindcastMonth>,
    /// Among the scored months: the share inside the middle 50% and 90% of the simulated
    /// monthly gains.
    pub inside_50: Option<f64>,
    pub inside_90: Option<f64>,
    pub talks: Option<TalksHindcast>,
}

impl Hindcast {
    /// Scores the observations from month 1 on against the front of the wars still going
    /// (`fighting`, binned by `spec`) and the settlement curve.
    pub fn of(
        settlement: &Settlement,
        fighting: &crate::sim::FrontHist,
        spec: &crate::sim::FrontSpec,
        sc: &crate::scenario::Scenario,
    ) -> Option<Hindcast> {
        let months: Vec<HindcastMonth> = sc
            .observed
            .iter()
            .filter(|o| o.month >= 1)
            .map(|o| HindcastMonth {
                month: o.month as u32,
                label: o.label.clone(),
                observed_km2: o.gained_by_b_km2,
                percentile: fighting.monthly_share_below(spec, o.month as usize, o.gained_by_b_km2),
            })
            .collect();
        let talks = sc.observed_talks.as_ref().map(|t| {
            let by = |m: u32| {
                settlement
                    .settled_by
                    .get((m as usize).checked_sub(1)?)
                    .copied()
            };
            let p_settled_by = by(t.through_month);
            let p_of_what_happened = match t.settled_in_month {
                None => p_settled_by.map(|p| 1.0 - p.p),
                Some(m) => {
                    let before = m.checked_sub(1).and_then(by).map_or(0.0, |p| p.p);
                    by(m).map(|p| p.p - before)
                }
            };
            TalksHindcast {
                through_month: t.through_month,
                settled_in_month: t.settled_in_month,
                label: t.label.clone(),
                p_settled_by,
                p_of_what_happened,
            }
        });
        if months.is_empty() && talks.is_none() {
            return None;
        }
        let scored: Vec<f64> = months.iter().filter_map(|m| m.percentile).collect();
        let share = |lo: f64, hi: f64| {
            (!scored.is_empty()).then(|| {
                scored.iter().filter(|p| **p >= lo && **p <= hi).count() as f64
                    / scored.len() as f64
            })
        };
        Some(Hindcast {
            inside_50: share(0.25, 0.75),
            inside_90: share(0.05, 0.95),
            months,
            talks,
        })
    }
}
