//! Declared rank correlations as the app and the command line show them: which inputs are
//! correlated, the matrix declared and the one used, the warning when the declared one had to
//! be repaired, and the rank correlations a run actually achieves. The method itself (Iman and
//! Conover 1982; Higham 2002 for the repair) lives in [`crate::sim::correlate`], where the
//! engine applies it.

use rayon::prelude::*;

use crate::scenario::ValidScenario;
pub use crate::sim::correlate::{CorrelationChange, CorrelationPlan, Matrix, spearman};
use crate::sim::{BATCH, Engine};

/// The declared correlations of a scenario, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct CorrelationReport {
    /// Field paths of the correlated inputs (the rows and columns of the matrices).
    pub inputs: Vec<String>,
    /// Readable names of those inputs.
    pub labels: Vec<String>,
    /// Declared rank correlations (unit diagonal, 0 where nothing is declared).
    pub declared: Matrix,
    /// The rank correlations the simulation induces.
    pub used: Matrix,
    /// What the repair changed; empty when the declared matrix is valid.
    pub changes: Vec<CorrelationChange>,
    /// The warning to show, when something changed.
    pub warning: Option<String>,
}

/// The report of a scenario's correlations; `None` when it declares none (or only zeros).
pub fn correlation_report(vs: &ValidScenario) -> Option<CorrelationReport> {
    let plan = CorrelationPlan::new(vs)?;
    let sc = vs.scenario();
    let inputs = sc.inputs();
    let labels = plan
        .slots
        .iter()
        .map(|&s| {
            inputs
                .get(s)
                .map_or_else(String::new, |i| super::input_label(sc, i.key))
        })
        .collect();
    Some(CorrelationReport {
        inputs: plan.paths.clone(),
        labels,
        warning: plan.warning(),
        declared: plan.declared,
        used: plan.used,
        changes: plan.changes,
    })
}

/// The rank correlations between the given input slots over the first `trials` trials of a
/// run with `seed`, as the engine draws them (`result[a][b]` for `slots[a]`, `slots[b]`).
pub fn achieved_rank_correlations(
    engine: &Engine,
    seed: u64,
    trials: u64,
    slots: &[usize],
) -> Matrix {
    let n = trials as usize;
    let batches = n.div_ceil(BATCH);
    let per_batch: Vec<Vec<Vec<f64>>> = (0..batches)
        .into_par_iter()
        .map(|b| {
            let len = BATCH.min(n - b * BATCH);
            let mut cols = vec![Vec::with_capacity(len); slots.len()];
            engine.batch_inputs(seed, b as u64, len, |v, _| {
                for (c, &s) in cols.iter_mut().zip(slots) {
                    c.push(v[s]);
                }
            });
            cols
        })
        .collect();
    let mut cols = vec![Vec::with_capacity(n); slots.len()];
    for batch in per_batch {
        for (c, b) in cols.iter_mut().zip(batch) {
            c.extend(b);
        }
    }
    (0..slots.len())
        .map(|a| {
            (0..slots.len())
                .map(|b| {
                    if a == b {
                        1.0
                    } else {
                        spearman(&cols[a], &cols[b])
                    }
                })
                .collect()
        })
        .collect()
}
