//! One trial of the war and the table, as a pure function of the drawn values: the aid
//! pipeline, forces and attrition, the front, the expected outcome of fighting on, the
//! disagreement values, each package's acceptability and durability, the agreed package and
//! each side's leverage. docs/MODEL.md gives every equation with its source.

use super::bargain::{Split, nash_power_from_patience, rubinstein_proposer_share};
use super::commitment::declining_side_fights;
use super::contest::win_probability;
use super::fearon::disagreement_values;
use super::lanchester::loss_rates;
use super::structure::{AidShares, Structure};
use crate::scenario::registry::ATTR_GUARANTEE;
use crate::scenario::{Protocol, SideRef};

/// Smallest combat power used in ratios, so that a side with nothing left does not divide
/// by zero.
const MIN_POWER: f64 = 1e-9;

/// Which constraint blocked a deal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Constraint {
    /// Side `a` prefers fighting to every package that `b` would accept.
    AcceptableToA = 0,
    /// Side `b` prefers fighting to every package that `a` would accept.
    AcceptableToB = 1,
    /// Some package suits both, but an expected shift of power makes it not durable.
    Durability = 2,
    /// (Format version 2) The range is empty because the sides' beliefs differ: with the
    /// truth known to both it would not be.
    MutualOptimism = 3,
}

impl Constraint {
    /// The constraints of the one-shot model (format version 1).
    pub const ALL: [Constraint; 3] = [
        Constraint::AcceptableToA,
        Constraint::AcceptableToB,
        Constraint::Durability,
    ];

    /// What keeps a war going in the monthly model (format version 2), in code order.
    pub const MONTHLY: [Constraint; 4] = [
        Constraint::AcceptableToA,
        Constraint::AcceptableToB,
        Constraint::Durability,
        Constraint::MutualOptimism,
    ];

    pub fn from_u8(x: u8) -> Option<Constraint> {
        Constraint::MONTHLY.get(usize::from(x)).copied()
    }

    /// Short label, with the side names filled in by the caller where needed.
    pub fn label(self) -> &'static str {
        match self {
            Constraint::AcceptableToA => "a's acceptability",
            Constraint::AcceptableToB => "b's acceptability",
            Constraint::Durability => "durability",
            Constraint::MutualOptimism => "mutual optimism",
        }
    }
}

/// What one trial yields.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrialOutcome {
    /// Share of the issue side `a` commands at the bargaining solution (0..1 when the range is
    /// non-empty). Side `b`'s leverage is `1 - leverage_a`.
    pub leverage_a: f64,
    /// Side `a`'s value of fighting on (low end of the bargaining range).
    pub d_a: f64,
    /// Side `b`'s value of fighting on; the range's high end is `1 - d_b`.
    pub d_b: f64,
    /// Probability that `a` prevails if the war is fought to the finish.
    pub p_a: f64,
    /// Area held by `b` at the horizon, km2.
    pub held_by_b_km2: f64,
    /// Area held by `b` at the start of this trial, km2.
    pub held_start_km2: f64,
    /// Killed and wounded over the horizon.
    pub casualties_a: f64,
    pub casualties_b: f64,
    /// The agreed package, if any.
    pub package: Option<usize>,
    /// What blocked a deal, when there is none.
    pub blocked: Option<Constraint>,
    /// True when the bargaining range over the territory alone is empty.
    pub range_empty: bool,
    /// (Format version 2) The month the war ended in a settlement, if it did within the
    /// horizon.
    pub settled_month: Option<u32>,
}

/// Reusable buffers, so that a trial allocates nothing.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    /// Materiel arriving per side per month ($bn).
    arrivals: [Vec<f64>; 2],
    /// Effective troops joining per side per month.
    joining: [Vec<f64>; 2],
    /// Per aid stream with a drawn cut-off month, its shares in this trial.
    aid: Vec<AidShares>,
}

impl Scratch {
    pub fn new(horizon: usize) -> Self {
        Scratch {
            arrivals: [vec![0.0; horizon], vec![0.0; horizon]],
            joining: [vec![0.0; horizon], vec![0.0; horizon]],
            aid: Vec::new(),
        }
    }
}

/// The materiel factor: `floor + (1 - floor) x (1 + h) / (x + h)` with `x` the stock relative
/// to the reference (`stock * inv_reference`, the reciprocal computed once per trial) and `h`
/// the half-saturation. It is concave (diminishing returns), equals 1 at the reference, and
/// never falls below `floor`.
#[inline]
pub fn materiel_factor(stock: f64, inv_reference: f64, saturation: f64, floor: f64) -> f64 {
    let x = (stock * inv_reference).max(0.0);
    floor + (1.0 - floor) * x * (1.0 + saturation) / (x + saturation)
}

/// Monthly front movement in favour of `b` (km2) before noise: `speed * 2 (r - r*) / (r + r*)`,
/// the symmetric relative distance of the power ratio `r = C_b / C_a` from break-even `r*`.
/// It is close to `speed * ln(r / r*)` near break-even and bounded by `2 speed`.
#[inline]
pub fn front_drift(power_a: f64, power_b: f64, speed: f64, break_even: f64) -> f64 {
    // Multiplied through by C_a: (r - r*) / (r + r*) = (C_b - r* C_a) / (C_b + r* C_a).
    let scaled_a = break_even * power_a;
    speed * 2.0 * (power_b - scaled_a) / (power_b + scaled_a)
}

/// Runs one trial. `v` holds one value per input slot (see [`Structure`]); `continues[s]`
/// says whether aid stream `s` goes on after its cut-off; `noise[t]` is a standard normal
/// draw for month `t + 1`. Writes the area held by `b` after each month into `front`.
pub fn evaluate(
    st: &Structure,
    v: &[f64],
    continues: &[bool],
    noise: &[f64],
    front: &mut [f64],
    scratch: &mut Scratch,
) -> TrialOutcome {
    let t_max = st.horizon;
    let sa = &st.sides[0];
    let sb = &st.sides[1];
    let bt = &st.battle;

    // Aid pipeline and contingents, month by month.
    for side in 0..2 {
        scratch.arrivals[side].iter_mut().for_each(|x| *x = 0.0);
        scratch.joining[side].iter_mut().for_each(|x| *x = 0.0);
    }
    // Aid arriving during the projected months of peace after a deal.
    let mut after = [0.0f64; 2];
    for (s, plan) in st.aid.iter().enumerate() {
        let amount = v[plan.amount];
        let cont = continues.get(s).copied().unwrap_or(true);
        if scratch.aid.len() < st.aid.len() {
            scratch.aid.resize_with(st.aid.len(), AidShares::default);
        }
        let plan_shares = match scratch.aid.get_mut(s) {
            Some(own) if plan.cutoff_drawn => {
                plan.shares_into(v, own);
                &*own
            }
            _ => &plan.shares,
        };
        let arr = &mut scratch.arrivals[plan.side];
        for ((slot, always), conditional) in arr
            .iter_mut()
            .zip(&plan_shares.arrive_always)
            .zip(&plan_shares.arrive_if_continues)
        {
            *slot += amount * (always + if cont { *conditional } else { 0.0 });
        }
        after[plan.side] += amount
            * (plan_shares.after_always
                + if cont {
                    plan_shares.after_if_continues
                } else {
                    0.0
                });
    }
    for plan in &st.troops {
        let m = plan.arrival_month(v) as usize;
        if m >= 1 && m <= t_max {
            scratch.joining[plan.side][m - 1] += v[plan.size] * v[plan.effectiveness];
        }
    }

    let quality = [v[sa.quality], v[sb.quality]];
    let reference = [v[sa.materiel_reference], v[sb.materiel_reference]];
    let recruits = [v[sa.recruits], v[sb.recruits]];
    let production = [v[sa.production], v[sb.production]];
    let burn = [v[sa.burn], v[sb.burn]];
    let saturation = v[bt.saturation];
    let floor = v[bt.floor];
    // Once per trial rather than twice a month: the reciprocal of each reference stock.
    let inv_reference = [1.0 / reference[0], 1.0 / reference[1]];
    let power = |m: f64, k: f64, i: usize| {
        (m * materiel_factor(k, inv_reference[i], saturation, floor) * quality[i]).max(MIN_POWER)
    };

    let mut manpower = [v[sa.manpower], v[sb.manpower]];
    let mut stock = [v[sa.materiel], v[sb.materiel]];
    let c0 = [
        power(manpower[0], stock[0], 0),
        power(manpower[1], stock[1], 1),
    ];

    // Starting loss rates: both given, or one given with the exchange ratio (b per a).
    let (loss0_a, loss0_b) = match (sa.losses, sb.losses, bt.exchange_ratio) {
        (Some(la), Some(lb), _) => (v[la], v[lb]),
        (Some(la), None, Some(e)) => (v[la], v[la] * v[e]),
        (None, Some(lb), Some(e)) => (v[lb] / v[e], v[lb]),
        _ => (0.0, 0.0),
    };
    // Lanchester square law: losses proportional to the opponent's combat power, calibrated
    // so that the starting balance gives the starting loss rates.
    let kill_rate_a = loss0_b / c0[0];
    let kill_rate_b = loss0_a / c0[1];

    let speed = v[bt.front_speed];
    let break_even = v[bt.break_even];
    let sigma = v[bt.noise];
    let contested = v[bt.contested];
    let held_start = v[bt.held].min(contested);
    let mut held = held_start;
    let mut casualties = [0.0f64; 2];
    let mut last_losses = [loss0_a, loss0_b];

    let [arrive_a, arrive_b] = &scratch.arrivals;
    let [join_a, join_b] = &scratch.joining;
    let months_iter = arrive_a
        .iter()
        .zip(arrive_b)
        .zip(join_a.iter().zip(join_b))
        .zip(noise.iter().chain(std::iter::repeat(&0.0)))
        .zip(
            front
                .iter_mut()
                .map(Some)
                .chain(std::iter::repeat_with(|| None)),
        )
        .take(t_max);
    for ((((arr_a, arr_b), (join_a, join_b)), z), slot) in months_iter {
        stock[0] += arr_a;
        stock[1] += arr_b;
        manpower[0] += join_a;
        manpower[1] += join_b;
        let ca = power(manpower[0], stock[0], 0);
        let cb = power(manpower[1], stock[1], 1);
        let drift = front_drift(ca, cb, speed, break_even);
        held = (held + drift + sigma * z).clamp(0.0, contested);
        if let Some(slot) = slot {
            *slot = held;
        }
        let (la, lb) = loss_rates(ca, cb, kill_rate_a, kill_rate_b);
        // A side cannot lose more troops than it has; the cost of fighting on, however, is
        // judged by the intensity of the fighting (the uncapped rate), so that a side ground
        // down to its recruits does not look cheaper to keep at war.
        let losses = [la.min(manpower[0]), lb.min(manpower[1])];
        for i in 0..2 {
            casualties[i] += losses[i];
            manpower[i] = manpower[i] - losses[i] + recruits[i];
            stock[i] = (stock[i] + production[i] - burn[i]).max(0.0);
        }
        last_losses = [la, lb];
    }

    // The war fought on from the horizon.
    let ca = power(manpower[0], stock[0], 0);
    let cb = power(manpower[1], stock[1], 1);
    // Who prevails in a war to the finish depends on the same effective balance that moves
    // the front: side a's power is scaled by the break-even ratio, so that at break-even the
    // war is even.
    let n = v[bt.decisiveness];
    let p_a = win_probability(ca * break_even, cb, n);
    let share_line_a = 1.0 - held / contested;
    let stalemate = v[bt.stalemate];
    let believed_a = (p_a + v[sa.optimism]).clamp(0.0, 1.0);
    let believed_b_about_a = 1.0 - ((1.0 - p_a) + v[sb.optimism]).clamp(0.0, 1.0);
    let expect = |p: f64| (1.0 - stalemate) * p + stalemate * share_line_a;
    let months = v[bt.continuation];
    let cost = |i: usize, side: &super::structure::SideIdx| {
        last_losses[i] * months / v[side.casualty_tolerance]
            + production[i] * months / v[side.spending_tolerance]
    };
    let c_a = cost(0, sa);
    let c_b = cost(1, sb);
    let (d_a, d_b) = disagreement_values(expect(believed_a), expect(believed_b_about_a), c_a, c_b);

    let delta_a = v[sa.patience];
    let delta_b = v[sb.patience];
    let split = match st.protocol {
        Protocol::Nash => Split::Nash {
            power_a: nash_power_from_patience(delta_a, delta_b),
        },
        Protocol::Rubinstein { proposer } => Split::Rubinstein {
            share_a: match proposer {
                SideRef::A => rubinstein_proposer_share(delta_a, delta_b),
                SideRef::B => 1.0 - rubinstein_proposer_share(delta_b, delta_a),
            },
        },
    };
    let leverage_a = split.leverage_a(d_a, d_b);
    let range_empty = d_a > 1.0 - d_b;

    // Commitment: project the balance after `shift` months of peace (recruiting and rebuilding
    // stocks, no losses, no burn) and test the declining side.
    let shift = f64::from(st.shift_months);
    let rebuilt = |i: usize| {
        let m = manpower[i] + recruits[i] * shift;
        let k = stock[i] + production[i] * shift + after[i];
        power(m, k, i)
    };
    let p_a_after = win_probability(rebuilt(0) * break_even, rebuilt(1), n);
    let shift_a = p_a_after - p_a;
    let months = st.shift_months as i32;
    let b_declines_and_fights = shift_a > 0.0
        && declining_side_fights(delta_b.powi(months), 1.0 - p_a, 1.0 - p_a_after, c_b);
    let delta_a_period = delta_a.powi(months);

    // Packages: acceptability, durability, and the Nash product among those that pass.
    let w_a = split.weight_a();
    let w_b = 1.0 - w_a;
    // The best package so far: its index, its two gains, and its Nash score once computed.
    let mut best: Option<(usize, f64, f64, Option<f64>)> = None;
    // Zero-weight terms are left out: 0 * ln(0) would be NaN.
    let term = |w: f64, slack: f64| if w > 0.0 { w * slack.ln() } else { 0.0 };
    let score = |sa: f64, sb: f64| term(w_a, sa) + term(w_b, sb);
    let mut closest: Option<(usize, f64, f64, f64)> = None; // (k, min slack, slack a, slack b)
    let mut closest_blocked_by_durability = false;
    for (k, pkg) in st.packages.iter().enumerate() {
        let terr_a = pkg.territory.map_or(share_line_a, |i| v[i]);
        let mut u_a = terr_a;
        let mut u_b = 1.0 - terr_a;
        for (j, &lvl) in pkg.levels.iter().enumerate() {
            let level = v[lvl];
            u_a += v[st.weights[0][j]] * level;
            u_b += v[st.weights[1][j]] * level;
        }
        let slack_a = u_a - d_a;
        let slack_b = u_b - d_b;
        let acceptable = slack_a >= 0.0 && slack_b >= 0.0;
        let durable = if shift_a < 0.0 {
            let guarantee = pkg.levels.get(ATTR_GUARANTEE).map_or(0.0, |&i| v[i]);
            let p_next = p_a + shift_a * (1.0 - guarantee);
            !declining_side_fights(delta_a_period, p_a, p_next, c_a)
        } else {
            !b_declines_and_fights
        };
        if acceptable && durable {
            // The first package with the highest Nash score wins. A package that gains
            // neither side more than the best so far cannot score higher, so its logarithms
            // are skipped; otherwise both scores are compared (equal scores keep the first).
            best = match best {
                None => Some((k, slack_a, slack_b, None)),
                Some((bk, ba, bb, bs)) => {
                    if slack_a <= ba && slack_b <= bb {
                        Some((bk, ba, bb, bs))
                    } else {
                        let held = bs.unwrap_or_else(|| score(ba, bb));
                        let challenger = score(slack_a, slack_b);
                        if challenger > held {
                            Some((k, slack_a, slack_b, Some(challenger)))
                        } else {
                            Some((bk, ba, bb, Some(held)))
                        }
                    }
                }
            };
        }
        let m = slack_a.min(slack_b);
        if closest.is_none_or(|(_, cm, _, _)| m > cm) {
            closest = Some((k, m, slack_a, slack_b));
            closest_blocked_by_durability = acceptable && !durable;
        }
    }
    let package = best.map(|(k, ..)| k);
    let blocked = match (package, closest) {
        (Some(_), _) | (None, None) => None,
        (None, Some((_, _, slack_a, slack_b))) => Some(if closest_blocked_by_durability {
            Constraint::Durability
        } else if slack_a < slack_b {
            Constraint::AcceptableToA
        } else {
            Constraint::AcceptableToB
        }),
    };

    TrialOutcome {
        leverage_a,
        d_a,
        d_b,
        p_a,
        held_by_b_km2: held,
        held_start_km2: held_start,
        casualties_a: casualties[0],
        casualties_b: casualties[1],
        package,
        blocked,
        range_empty,
        settled_month: None,
    }
}
