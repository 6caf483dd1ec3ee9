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
            held_at_settlement: over(&|r| f64::from(r.held_by_b_km2)),
            casualties_a_at_settlement: over(&|r| f64::from(r.casualties_a)),
            casualties_b_at_settlement: over(&|r| f64::from(r.casualties_b)),
            leverage_a_at_settlement: over(&|r| f64::from(r.leverage_a)),
            unsettled_why: blocked.map(|b| Proportion::from_counts(b, unsettled)),
            fighting,
            why,
            leverage_a_by_month,
        }
    }

    /// The share of trials kept fighting after month `t` (1-based) by `c`, if any were.
    pub fn why_share(&self, t: usize, c: Constraint) -> Option<f64> {
        self.why.get(t.checked_sub(1)?)?[c as usize]
    }
}
