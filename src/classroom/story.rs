//! One trial of a run, picked and told month by month: which trial (the median one, a
//! random one, one with no deal, one that settles late, or a number), and for each month the
//! picture of the table: the bargaining range `[d_a, 1 - d_b]` on a 0..1 bar, every package
//! placed on it by each side's utility, whether each is acceptable and durable, the choice
//! or the constraint that binds (Fearon 1995, told as the monthly model runs it: section 3B
//! of docs/MODEL.md).

use crate::model::Constraint;
use crate::model::monthly::MonthTrace;
use crate::scenario::TrialPick;
use crate::sim::TrialRecord;

/// The month a record settled in, a trial that did not counting as `horizon + 1`.
fn month_or_after(r: &TrialRecord, horizon: u32) -> u32 {
    r.settled_month().unwrap_or(horizon + 1)
}

/// The trial `pick` names among `records` (a run's records, in trial order). `cursor` makes
/// repeated picks step: a random pick draws from it, and "no deal" and "late" return the
/// first matching trial after it (wrapping round); pass `None` for the first. `None` when
/// no trial matches (e.g. every trial settles and "no deal" is asked for).
pub fn pick(
    records: &[TrialRecord],
    horizon: u32,
    what: TrialPick,
    cursor: Option<u64>,
) -> Option<u64> {
    let n = records.len() as u64;
    if n == 0 {
        return None;
    }
    let after = |pred: &dyn Fn(&TrialRecord) -> bool| -> Option<u64> {
        let start = cursor.map_or(0, |c| (c + 1) % n);
        (0..n)
            .map(|i| (start + i) % n)
            .find(|&i| records.get(i as usize).is_some_and(pred))
    };
    match what {
        TrialPick::Number(k) => Some(k.min(n - 1)),
        TrialPick::Random => {
            // SplitMix64 of the cursor: a different trial at each press, the same sequence
            // every time.
            let mut z = cursor.unwrap_or(0).wrapping_add(0x9e37_79b9_7f4a_7c15);
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            Some(z % n)
        }
        TrialPick::NoDeal => after(&|r| r.settled_month().is_none()),
        TrialPick::Late => {
            let latest = records
                .iter()
                .filter_map(TrialRecord::settled_month)
                .max()?;
            after(&|r| r.settled_month() == Some(latest))
        }
        TrialPick::Median => {
            let mut idx: Vec<u64> = (0..n).collect();
            let key = |i: &u64| {
                let r = &records[*i as usize];
                (month_or_after(r, horizon), r.leverage_a)
            };
            let mid = idx.len() / 2;
            idx.select_nth_unstable_by(mid, |x, y| {
                let (mx, lx) = key(x);
                let (my, ly) = key(y);
                mx.cmp(&my).then(lx.total_cmp(&ly)).then(x.cmp(y))
            });
            idx.get(mid).copied()
        }
    }
}

/// A package placed on the 0..1 bar of side `a`'s share: where each side's utility puts it,
/// and where each side's reservation value for it lies (all in `a`'s share: side `b`'s
/// utility `U_b` sits at `1 - U_b`).
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    pub index: usize,
    /// `U_a`: where `a` puts the package.
    pub by_a: f64,
    /// `1 - U_b`: where `b` puts it.
    pub by_b: f64,
    /// `a` accepts it at or right of this point; `b` at or left of `by_b_limit`.
    pub a_limit: f64,
    pub b_limit: f64,
    pub acceptable: bool,
    pub durable: bool,
    pub chosen: bool,
}

/// The table of one month as a picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Picture {
    pub month: u32,
    /// The bargaining range over territory: from `d_a` (the least `a` takes) to `1 - d_b`
    /// (the most `b` concedes). Empty when `low > high`.
    pub low: f64,
    pub high: f64,
    pub packages: Vec<Placed>,
    /// The package agreed this month.
    pub settled_with: Option<usize>,
    /// What kept the war going, when the table met and nothing was agreed.
    pub binding: Option<Constraint>,
    pub table: bool,
}

impl Picture {
    pub fn of(m: &MonthTrace) -> Picture {
        let packages = m
            .packages
            .iter()
            .enumerate()
            .map(|(k, p)| Placed {
                index: k,
                by_a: p.utility[0],
                by_b: 1.0 - p.utility[1],
                a_limit: p.reservation[0],
                b_limit: 1.0 - p.reservation[1],
                acceptable: p.acceptable,
                durable: p.durable,
                chosen: m.settled_with == Some(k),
            })
            .collect();
        Picture {
            month: m.month,
            low: m.fighting_value[0],
            high: 1.0 - m.fighting_value[1],
            packages,
            settled_with: m.settled_with,
            binding: m.reason,
            table: m.table,
        }
    }

    /// True when no territorial split suits both sides.
    pub fn range_empty(&self) -> bool {
        !(self.low <= self.high)
    }

    /// The width of the range (negative when it is empty): `1 - d_a - d_b`.
    pub fn width(&self) -> f64 {
        self.high - self.low
    }
}

/// Which constraint binds, in words, with the side names.
pub fn binding_text(c: Constraint, a: &str, b: &str) -> String {
    match c {
        Constraint::AcceptableToA => format!(
            "{a} prefers fighting on: every package {b} would take gives {a} less than it expects from the war"
        ),
        Constraint::AcceptableToB => format!(
            "{b} prefers fighting on: every package {a} would take gives {b} less than it expects from the war"
        ),
        Constraint::Durability => "a package suits both, but it would not hold: the side that expects to grow weaker in peace would rather fight now (the commitment problem)".to_string(),
        Constraint::MutualOptimism => "mutual optimism: each side expects more from the war than the other will concede, so no split suits both".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::monthly::PackageTrace;

    fn rec(month: u8, lev: f32) -> TrialRecord {
        TrialRecord {
            leverage_a: lev,
            settled_month: month,
            package: if month > 0 { 0 } else { u8::MAX },
            ..TrialRecord::default()
        }
    }

    #[test]
    fn picks_the_median_the_late_and_the_unsettled() {
        let records = vec![
            rec(3, 0.4),
            rec(0, 0.2),
            rec(1, 0.5),
            rec(9, 0.1),
            rec(2, 0.3),
        ];
        // Months 3, 13 (none), 1, 9, 2: the middle one is month 3.
        assert_eq!(pick(&records, 12, TrialPick::Median, None), Some(0));
        assert_eq!(pick(&records, 12, TrialPick::Late, None), Some(3));
        assert_eq!(pick(&records, 12, TrialPick::NoDeal, None), Some(1));
        // Stepping: the next trial with no deal after 1 wraps round to 1.
        assert_eq!(pick(&records, 12, TrialPick::NoDeal, Some(1)), Some(1));
        assert_eq!(pick(&records, 12, TrialPick::Number(99), None), Some(4));
        let r1 = pick(&records, 12, TrialPick::Random, Some(1));
        assert!(r1.is_some_and(|r| r < 5));
        let all_settle = vec![rec(1, 0.5), rec(2, 0.5)];
        assert_eq!(pick(&all_settle, 12, TrialPick::NoDeal, None), None);
        assert_eq!(pick(&[], 12, TrialPick::Median, None), None);
    }

    #[test]
    fn the_picture_places_packages_by_each_sides_utility() {
        let m = MonthTrace {
            month: 4,
            held_by_b_km2: 4000.0,
            power: [1.0, 1.0],
            belief_km2: [0.0, 0.0],
            true_edge_km2: 0.0,
            fighting_value: [0.35, 0.45],
            table: true,
            packages: vec![PackageTrace {
                utility: [0.5, 0.5],
                reservation: [0.35, 0.45],
                acceptable: true,
                durable: true,
            }],
            settled_with: Some(0),
            reason: None,
            leverage_a: 0.45,
            events: vec![],
            levers_active: vec![],
        };
        let p = Picture::of(&m);
        assert_eq!((p.low, p.high), (0.35, 0.55));
        assert!((p.width() - 0.2).abs() < 1e-12);
        assert!(!p.range_empty());
        assert_eq!(p.packages[0].by_b, 0.5);
        assert_eq!(p.packages[0].b_limit, 0.55);
        assert!(p.packages[0].chosen);
    }
}
