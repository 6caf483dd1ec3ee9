//! Rank correlations between uncertain inputs.
//!
//! A scenario may declare rank (Spearman) correlations between pairs of uncertain inputs.
//! The engine induces them with the method of Iman and Conover (1982): within each batch of
//! trials it first draws every correlated input for all the trials of the batch exactly as
//! it would without correlations, then *reorders* each input's draws across the trials so
//! that their ranks follow a reference sample with the target correlation. Each input keeps
//! its own draws (so its distribution is unchanged); only which trial gets which draw
//! changes. The reordering uses randomness of the batch's own (seed, batch index) and is
//! computed over all [`BATCH`] trials of a batch whether or not a run uses them all, so a
//! trial's inputs depend only on the scenario, the seed and the trial's index: results stay
//! bit-identical on any number of threads and a shorter run is a prefix of a longer one.
//!
//! A set of declared correlations that cannot hold together (the matrix is not positive
//! semi-definite) is replaced by the nearest valid correlation matrix, found by alternating
//! projections (Higham 2002), and [`CorrelationPlan::changes`] lists what changed so that the
//! command line and the app can show it.
//!
//! References: R. L. Iman and W. J. Conover (1982), A distribution-free approach to inducing
//! rank correlation among input variables, Communications in Statistics - Simulation and
//! Computation 11(3), 311-334. N. J. Higham (2002), Computing the nearest correlation matrix -
//! a problem from finance, IMA Journal of Numerical Analysis 22(3), 329-343.
//!
//! Over 600 lines only with its tests, which check the method on hand-built cases.

use super::rng::{BATCH, SubRng, mix64, name_key};
use crate::scenario::ValidScenario;
use crate::scenario::dist::norm_quantile;

/// A square matrix, row by row.
pub type Matrix = Vec<Vec<f64>>;

/// Eigenvalues above `-PSD_TOLERANCE` count as non-negative.
const PSD_TOLERANCE: f64 = 1e-10;

/// One entry of the correlation matrix that the repair changed.
#[derive(Clone, Debug, PartialEq)]
pub struct CorrelationChange {
    /// Field path of the first input.
    pub a: String,
    /// Field path of the second input.
    pub b: String,
    /// The rank correlation the file declares (0 when it declares none for this pair).
    pub declared: f64,
    /// The rank correlation the simulation uses.
    pub used: f64,
}

impl CorrelationChange {
    /// One line, e.g. `sides.a.manpower ~ battlefield.exchange_ratio: declared 0.9, used 0.74`.
    pub fn describe(&self) -> String {
        format!(
            "{} ~ {}: declared {:.3}, used {:.3}",
            self.a, self.b, self.declared, self.used
        )
    }
}

/// The result of [`repair_correlation`]: the nearest valid correlation matrix and the entries
/// (upper triangle, `i < j`) it changed by more than `1e-6`, as `(i, j, before, after)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Repair {
    pub matrix: Matrix,
    pub changes: Vec<(usize, usize, f64, f64)>,
}

/// Eigenvalues (ascending) and eigenvectors (columns of the returned matrix) of a symmetric
/// matrix, by cyclic Jacobi rotations.
pub fn symmetric_eigen(m: &[Vec<f64>]) -> (Vec<f64>, Matrix) {
    let n = m.len();
    let mut a: Matrix = m.to_vec();
    let mut v: Matrix = (0..n)
        .map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        let scale: f64 = (0..n).map(|i| a[i][i] * a[i][i]).sum::<f64>().max(1e-300);
        if off <= 1e-30 * scale {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p][q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut() {
                    let (akp, akq) = (row[p], row[q]);
                    row[p] = c * akp - s * akq;
                    row[q] = s * akp + c * akq;
                }
                let (upper, lower) = a.split_at_mut(q);
                for (x, y) in upper[p].iter_mut().zip(lower[0].iter_mut()) {
                    let (apk, aqk) = (*x, *y);
                    *x = c * apk - s * aqk;
                    *y = s * apk + c * aqk;
                }
                for row in v.iter_mut() {
                    let vkp = row[p];
                    let vkq = row[q];
                    row[p] = c * vkp - s * vkq;
                    row[q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[i][i].total_cmp(&a[j][j]));
    let values = order.iter().map(|&i| a[i][i]).collect();
    let vectors = (0..n)
        .map(|r| order.iter().map(|&c| v[r][c]).collect())
        .collect();
    (values, vectors)
}

/// The smallest eigenvalue of a symmetric matrix (`+inf` for an empty one).
pub fn min_eigenvalue(m: &[Vec<f64>]) -> f64 {
    symmetric_eigen(m)
        .0
        .first()
        .copied()
        .unwrap_or(f64::INFINITY)
}

/// True when a symmetric matrix is positive semi-definite (up to rounding).
pub fn is_positive_semidefinite(m: &[Vec<f64>]) -> bool {
    min_eigenvalue(m) >= -PSD_TOLERANCE
}

/// The projection of a symmetric matrix onto the positive semi-definite cone: its negative
/// eigenvalues set to `floor` (0 for the plain projection).
fn project_psd(m: &[Vec<f64>], floor: f64) -> Matrix {
    let n = m.len();
    let (values, vectors) = symmetric_eigen(m);
    let clipped: Vec<f64> = values.iter().map(|&l| l.max(floor)).collect();
    (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    (0..n)
                        .map(|k| vectors[i][k] * clipped[k] * vectors[j][k])
                        .sum()
                })
                .collect()
        })
        .collect()
}

/// The nearest correlation matrix (in the Frobenius norm) to a symmetric matrix with a unit
/// diagonal: Higham's (2002) alternating projections with Dykstra's correction, between the
/// positive semi-definite cone and the matrices with a unit diagonal.
pub fn nearest_correlation(m: &[Vec<f64>]) -> Matrix {
    let n = m.len();
    let mut y: Matrix = m.to_vec();
    let mut ds: Matrix = vec![vec![0.0; n]; n];
    for _ in 0..1000 {
        let r: Matrix = (0..n)
            .map(|i| (0..n).map(|j| y[i][j] - ds[i][j]).collect())
            .collect();
        let x = project_psd(&r, 0.0);
        for i in 0..n {
            for j in 0..n {
                ds[i][j] = x[i][j] - r[i][j];
            }
        }
        let mut next = x;
        for (i, row) in next.iter_mut().enumerate() {
            row[i] = 1.0;
        }
        let diff: f64 = (0..n)
            .flat_map(|i| (0..n).map(move |j| (i, j)))
            .map(|(i, j)| (next[i][j] - y[i][j]).powi(2))
            .sum::<f64>()
            .sqrt();
        let norm: f64 = y.iter().flatten().map(|x| x * x).sum::<f64>().sqrt();
        y = next;
        if diff <= 1e-12 * norm.max(1.0) {
            break;
        }
    }
    // Rounding can leave an eigenvalue a hair below zero: lift it and rescale to a unit
    // diagonal.
    if min_eigenvalue(&y) < 0.0 {
        let lifted = project_psd(&y, 1e-12);
        let d: Vec<f64> = (0..n).map(|i| lifted[i][i].max(1e-300).sqrt()).collect();
        y = (0..n)
            .map(|i| (0..n).map(|j| lifted[i][j] / (d[i] * d[j])).collect())
            .collect();
    }
    for (i, row) in y.iter_mut().enumerate() {
        row[i] = 1.0;
        for x in row.iter_mut() {
            *x = x.clamp(-1.0, 1.0);
        }
    }
    // Exact symmetry.
    let t = y.clone();
    for (i, row) in y.iter_mut().enumerate() {
        for (j, x) in row.iter_mut().enumerate() {
            *x = 0.5 * (t[i][j] + t[j][i]);
        }
    }
    y
}

/// A correlation matrix that can hold (positive semi-definite) comes back unchanged; one that
/// cannot is replaced by the nearest valid correlation matrix ([`nearest_correlation`]), with
/// the list of entries that changed.
pub fn repair_correlation(m: &[Vec<f64>]) -> Repair {
    if is_positive_semidefinite(m) {
        return Repair {
            matrix: m.to_vec(),
            changes: Vec::new(),
        };
    }
    let fixed = nearest_correlation(m);
    let n = m.len();
    let mut changes = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            if (fixed[i][j] - m[i][j]).abs() > 1e-6 {
                changes.push((i, j, m[i][j], fixed[i][j]));
            }
        }
    }
    Repair {
        matrix: fixed,
        changes,
    }
}

/// The lower Cholesky factor (row-major, n x n) of a positive semi-definite matrix; a zero
/// pivot (a singular matrix, e.g. a correlation of exactly 1) gives a zero column. `None` when
/// the matrix is not positive semi-definite.
pub fn cholesky_psd(m: &[Vec<f64>]) -> Option<Vec<f64>> {
    let n = m.len();
    let mut l = vec![0.0; n * n];
    for j in 0..n {
        let mut d = m[j][j];
        for k in 0..j {
            d -= l[j * n + k] * l[j * n + k];
        }
        if d < -1e-9 {
            return None;
        }
        if d <= 1e-12 {
            continue;
        }
        let djj = d.sqrt();
        l[j * n + j] = djj;
        for i in j + 1..n {
            let mut s = m[i][j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            l[i * n + j] = s / djj;
        }
    }
    Some(l)
}

/// The Pearson correlation of bivariate normal variables whose rank (Spearman) correlation is
/// `rank`: `2 sin(pi rank / 6)` (see Kruskal 1958).
pub fn normal_pearson_of_rank(rank: f64) -> f64 {
    2.0 * (std::f64::consts::PI * rank / 6.0).sin()
}

/// The inverse of [`normal_pearson_of_rank`]: `6/pi asin(r / 2)`.
#[cfg(test)]
pub fn normal_rank_of_pearson(r: f64) -> f64 {
    6.0 / std::f64::consts::PI * (0.5 * r).clamp(-1.0, 1.0).asin()
}

/// The van der Waerden scores of `n` ranks: `Phi^-1(i / (n + 1))` for `i = 1..=n`.
pub fn van_der_waerden_scores(n: usize) -> Vec<f64> {
    (1..=n)
        .map(|i| norm_quantile(i as f64 / (n as f64 + 1.0)))
        .collect()
}

/// Reorders the rows of each column so that the columns' rank correlations follow a target
/// (Iman and Conover 1982). `columns[j]` holds the draws of input `j` for the `n` trials of a
/// batch; each column keeps its own values, only their order changes. `target_chol` is the
/// lower Cholesky factor (row-major, k x k) of the target correlation of the normal scores
/// (see [`normal_pearson_of_rank`]); `scores` the `n` van der Waerden scores; `key` seeds the
/// random permutations, so the result is a pure function of its arguments.
pub fn iman_conover(columns: &mut [Vec<f64>], target_chol: &[f64], scores: &[f64], key: u64) {
    let k = columns.len();
    let n = scores.len();
    if k < 2 || n < 2 || columns.iter().any(|c| c.len() != n) || target_chol.len() != k * k {
        return;
    }
    // 1. Each column of the reference sample is a random permutation of the scores.
    let mut m = vec![0.0; n * k];
    for j in 0..k {
        let mut perm: Vec<usize> = (0..n).collect();
        let mut r = SubRng::new(key, mix64(j as u64 + 1));
        for i in (1..n).rev() {
            let pick = (r.next_word() % (i as u64 + 1)) as usize;
            perm.swap(i, pick);
        }
        for (i, &p) in perm.iter().enumerate() {
            m[i * k + j] = scores[p];
        }
    }
    // 2. Remove the sample's own correlation E (Cholesky Q) and impose the target P:
    //    T = M Q^-T P^T, row by row t = P Q^-1 m.
    let ss: f64 = scores.iter().map(|s| s * s).sum();
    let e: Matrix = (0..k)
        .map(|a| {
            (0..k)
                .map(|b| (0..n).map(|i| m[i * k + a] * m[i * k + b]).sum::<f64>() / ss)
                .collect()
        })
        .collect();
    let q = cholesky_psd(&e).filter(|q| (0..k).all(|j| q[j * k + j] > 1e-9));
    let mut t = vec![0.0; n * k];
    let mut z = vec![0.0; k];
    for i in 0..n {
        let row = &m[i * k..(i + 1) * k];
        match &q {
            Some(q) => {
                for a in 0..k {
                    let mut s = row[a];
                    for b in 0..a {
                        s -= q[a * k + b] * z[b];
                    }
                    z[a] = s / q[a * k + a];
                }
            }
            None => z.copy_from_slice(row),
        }
        for a in 0..k {
            t[i * k + a] = (0..=a).map(|b| target_chol[a * k + b] * z[b]).sum();
        }
    }
    // 3. Give each column's values the ranks of the matching column of T.
    let mut order: Vec<usize> = (0..n).collect();
    for (j, col) in columns.iter_mut().enumerate() {
        let mut sorted = col.clone();
        sorted.sort_by(f64::total_cmp);
        order.sort_by(|&x, &y| t[x * k + j].total_cmp(&t[y * k + j]).then(x.cmp(&y)));
        for (rank, &row) in order.iter().enumerate() {
            col[row] = sorted[rank];
        }
    }
}

/// Spearman's rank correlation of two equally long samples (average ranks for ties).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    fn ranks(v: &[f64]) -> Vec<f64> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < idx.len() {
            let mut j = i;
            while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
                j += 1;
            }
            let avg = 0.5 * (i + j) as f64;
            for &p in &idx[i..=j] {
                r[p] = avg;
            }
            i = j + 1;
        }
        r
    }
    let n = x.len().min(y.len());
    if n < 2 {
        return f64::NAN;
    }
    let (rx, ry) = (ranks(&x[..n]), ranks(&y[..n]));
    let mean = 0.5 * (n - 1) as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (a, b) = (rx[i] - mean, ry[i] - mean);
        sxy += a * b;
        sxx += a * a;
        syy += b * b;
    }
    sxy / (sxx * syy).sqrt()
}

/// The correlations of a scenario, compiled for the engine.
#[derive(Clone, Debug)]
pub struct CorrelationPlan {
    /// Field paths of the correlated inputs, in catalogue order.
    pub paths: Vec<String>,
    /// Value slots of those inputs (their catalogue positions).
    pub slots: Vec<usize>,
    /// The declared rank correlations (unit diagonal, 0 where the file declares nothing).
    pub declared: Matrix,
    /// The rank correlations the simulation induces: `declared`, or its repair.
    pub used: Matrix,
    /// What the repair changed (empty when the declared correlations can hold together).
    pub changes: Vec<CorrelationChange>,
    /// Lower Cholesky factor of the normal-score correlation behind `used`.
    chol: Vec<f64>,
    /// The van der Waerden scores of a batch.
    scores: Vec<f64>,
}

impl CorrelationPlan {
    /// The plan of a scenario; `None` when it declares no correlation, or only zero ones (its
    /// inputs are then drawn independently, exactly as without the declarations).
    pub fn new(vs: &ValidScenario) -> Option<CorrelationPlan> {
        let sc = vs.scenario();
        if sc.correlations.iter().all(|c| c.rank == 0.0) {
            return None;
        }
        let mut all = Vec::new();
        sc.visit_inputs(|_, path, _| all.push(path.to_string()));
        let mut slots: Vec<usize> = Vec::new();
        for c in &sc.correlations {
            for name in [&c.a, &c.b] {
                if let Some(s) = all.iter().position(|p| p == name)
                    && !slots.contains(&s)
                {
                    slots.push(s);
                }
            }
        }
        slots.sort_unstable();
        let k = slots.len();
        if k < 2 {
            return None;
        }
        let paths: Vec<String> = slots.iter().map(|&s| all[s].clone()).collect();
        let mut declared: Matrix = (0..k)
            .map(|i| (0..k).map(|j| f64::from(u8::from(i == j))).collect())
            .collect();
        for c in &sc.correlations {
            if let (Some(i), Some(j)) = (
                paths.iter().position(|p| *p == c.a),
                paths.iter().position(|p| *p == c.b),
            ) && i != j
            {
                declared[i][j] = c.rank;
                declared[j][i] = c.rank;
            }
        }
        let repair = repair_correlation(&declared);
        let changes = repair
            .changes
            .iter()
            .map(|&(i, j, before, after)| CorrelationChange {
                a: paths[i].clone(),
                b: paths[j].clone(),
                declared: before,
                used: after,
            })
            .collect();
        let used = repair.matrix;
        // The normal scores' Pearson correlation that gives the wanted rank correlation.
        let mut pearson: Matrix = used
            .iter()
            .map(|row| row.iter().map(|&r| normal_pearson_of_rank(r)).collect())
            .collect();
        if !is_positive_semidefinite(&pearson) {
            pearson = nearest_correlation(&pearson);
        }
        let chol = cholesky_psd(&pearson)
            .or_else(|| cholesky_psd(&nearest_correlation(&pearson)))
            .unwrap_or_else(|| {
                (0..k * k)
                    .map(|x| f64::from(u8::from(x / k == x % k)))
                    .collect()
            });
        Some(CorrelationPlan {
            paths,
            slots,
            declared,
            used,
            changes,
            chol,
            scores: van_der_waerden_scores(BATCH),
        })
    }

    /// The warning to show when the declared correlations had to be repaired, one line per
    /// changed pair after a heading line; `None` when nothing changed.
    pub fn warning(&self) -> Option<String> {
        if self.changes.is_empty() {
            return None;
        }
        let mut text = String::from(
            "the declared rank correlations cannot all hold together (their matrix is not \
             positive semi-definite); the nearest valid correlation matrix (Higham 2002) is \
             used instead:",
        );
        for c in &self.changes {
            text.push_str("\n  ");
            text.push_str(&c.describe());
        }
        Some(text)
    }

    /// Reorders the draws of one batch (`columns[j]` for input `paths[j]`, [`BATCH`] values
    /// each) with randomness of the batch's own seed and index.
    pub fn reorder(&self, seed: u64, batch: u64, columns: &mut [Vec<f64>]) {
        let key = mix64(seed ^ mix64(batch ^ name_key("correlations.iman-conover")));
        iman_conover(columns, &self.chol, &self.scores, key);
    }
}

/// The warning about a scenario's declared correlations, when they had to be repaired.
pub fn correlation_warning(vs: &ValidScenario) -> Option<String> {
    CorrelationPlan::new(vs).and_then(|p| p.warning())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigenvalues_of_a_known_matrix() {
        let m = vec![
            vec![2.0, 1.0, 0.0],
            vec![1.0, 2.0, 0.0],
            vec![0.0, 0.0, 5.0],
        ];
        let (values, vectors) = symmetric_eigen(&m);
        for (a, b) in values.iter().zip([1.0, 3.0, 5.0]) {
            assert!((a - b).abs() < 1e-12, "{values:?}");
        }
        // A v = lambda v for each column.
        for (c, &l) in values.iter().enumerate() {
            for i in 0..3 {
                let av: f64 = (0..3).map(|j| m[i][j] * vectors[j][c]).sum();
                assert!((av - l * vectors[i][c]).abs() < 1e-10);
            }
        }
    }

    #[test]
    fn a_valid_matrix_is_left_alone_and_an_invalid_one_repaired() {
        let ok = vec![
            vec![1.0, 0.5, 0.2],
            vec![0.5, 1.0, 0.1],
            vec![0.2, 0.1, 1.0],
        ];
        let r = repair_correlation(&ok);
        assert!(r.changes.is_empty());
        assert_eq!(r.matrix, ok);
        // x ~ y and y ~ z strongly positive but x ~ z strongly negative: impossible.
        let bad = vec![
            vec![1.0, 0.9, -0.9],
            vec![0.9, 1.0, 0.9],
            vec![-0.9, 0.9, 1.0],
        ];
        assert!(!is_positive_semidefinite(&bad));
        let r = repair_correlation(&bad);
        assert!(!r.changes.is_empty());
        assert!(is_positive_semidefinite(&r.matrix));
        for i in 0..3 {
            assert_eq!(r.matrix[i][i], 1.0);
            for j in 0..3 {
                assert_eq!(r.matrix[i][j], r.matrix[j][i]);
            }
        }
        // Higham's example (2002, section 4): the nearest correlation matrix to
        // [[1,1,0],[1,1,1],[0,1,1]] has off-diagonal entries 0.7607 and 0.1573.
        let h = vec![
            vec![1.0, 1.0, 0.0],
            vec![1.0, 1.0, 1.0],
            vec![0.0, 1.0, 1.0],
        ];
        let x = nearest_correlation(&h);
        assert!((x[0][1] - 0.7607).abs() < 1e-3, "{x:?}");
        assert!((x[1][2] - 0.7607).abs() < 1e-3, "{x:?}");
        assert!((x[0][2] - 0.1573).abs() < 1e-3, "{x:?}");
    }

    #[test]
    fn iman_conover_induces_the_target_and_keeps_the_values() {
        let n = 4096;
        let rank: f64 = 0.6;
        let p = normal_pearson_of_rank(rank);
        let target = vec![vec![1.0, p], vec![p, 1.0]];
        let chol = cholesky_psd(&target).unwrap();
        let mut cols: Vec<Vec<f64>> = (0..2)
            .map(|j| {
                let mut r = SubRng::new(99, j);
                (0..n).map(|_| r.uniform().powi(3)).collect()
            })
            .collect();
        let before = cols.clone();
        iman_conover(&mut cols, &chol, &van_der_waerden_scores(n), 7);
        let rho = spearman(&cols[0], &cols[1]);
        assert!((rho - rank).abs() < 0.02, "{rho}");
        for (a, b) in cols.iter().zip(&before) {
            let (mut a, mut b) = (a.clone(), b.clone());
            a.sort_by(f64::total_cmp);
            b.sort_by(f64::total_cmp);
            assert_eq!(a, b);
        }
        // A pure function of its arguments.
        let mut again = before.clone();
        iman_conover(&mut again, &chol, &van_der_waerden_scores(n), 7);
        assert_eq!(again, cols);
    }

    #[test]
    fn rank_and_pearson_conversions_invert() {
        for r in [-1.0, -0.5, 0.0, 0.3, 1.0] {
            assert!((normal_rank_of_pearson(normal_pearson_of_rank(r)) - r).abs() < 1e-12);
        }
    }
}
