//! One trial of format version 2: bargaining while fighting. Each month the sides fight, learn
//! from the front, and meet at the table; the war ends in the first month a package is
//! acceptable to both (after threats and the wish to wait for a better moment) and durable.
//! Wagner (2000), Filson and Werner (2002), Slantchev (2003), Powell (2004), Fearon (2004).
//! docs/MODEL.md, section 3B, gives every equation.
//!
//! This file is long because it is one algorithm: the month loop and the table it calls share
//! the trial's state; the pure pieces (beliefs, the contest) live in [`super::belief`].

use super::bargain::{Split, nash_power_from_patience, rubinstein_proposer_share};
use super::belief::{balance, posterior_mean, prevail_a, prior_means};
use super::lanchester::loss_rates;
use super::structure::{ChangePlan, Structure, TargetKind, WhenPlan};
use super::war::{Constraint, TrialOutcome, materiel_factor};
use crate::scenario::registry::{ATTR_CAP_A, ATTR_CAP_B, ATTR_GUARANTEE};
use crate::scenario::{Protocol, SideRef, Talks};

/// Smallest combat power used in ratios.
const MIN_POWER: f64 = 1e-9;
/// Bins of the per-month leverage histograms.
pub const LEVERAGE_BINS: usize = 200;
/// How many future months a side looks at when it weighs waiting for a better table.
const LOOKAHEAD_MONTHS: usize = 2;

/// The random draws of one trial besides the inputs.
#[derive(Clone, Copy, Debug)]
pub struct Draws<'a> {
    /// Per aid stream: does it continue after its cut-off.
    pub continues: &'a [bool],
    /// Per month: a standard normal for the front noise.
    pub noise: &'a [f64],
    /// Per event: a uniform deciding whether it happens, and one for its timing (hazards).
    pub event_occurs: &'a [f64],
    pub event_timing: &'a [f64],
    /// Per lever: a uniform; the donor carries a threat out when it is below the lever's
    /// probability at the time.
    pub lever: &'a [f64],
}

/// Per-month counts of a run (or part of one), merged by adding: among the trials still
/// fighting after each month's table, what kept the war going, and the leverage of side `a`
/// at each month's table.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthlyCounts {
    pub months: usize,
    /// `reasons[t * 4 + c]`: trials whose table in month `t + 1` failed for [`Constraint`] `c`.
    pub reasons: Vec<u64>,
    /// `leverage[t * LEVERAGE_BINS + b]`: trials at the table in month `t + 1` whose leverage
    /// of `a` fell in bin `b` of 0..1.
    pub leverage: Vec<u32>,
}

impl MonthlyCounts {
    pub fn new(months: usize) -> Self {
        MonthlyCounts {
            months,
            reasons: vec![0; months * 4],
            leverage: vec![0; months * LEVERAGE_BINS],
        }
    }

    fn add_reason(&mut self, month: usize, c: Constraint) {
        if let Some(x) = self.reasons.get_mut((month - 1) * 4 + c as usize) {
            *x += 1;
        }
    }

    fn add_leverage(&mut self, month: usize, lev: f64) {
        let b = ((lev * LEVERAGE_BINS as f64) as usize).min(LEVERAGE_BINS - 1);
        if let Some(x) = self.leverage.get_mut((month - 1) * LEVERAGE_BINS + b) {
            *x += 1;
        }
    }

    /// Adds another run part's counts (order does not matter).
    pub fn merge(mut self, other: &MonthlyCounts) -> Self {
        for (a, b) in self.reasons.iter_mut().zip(&other.reasons) {
            *a += b;
        }
        for (a, b) in self.leverage.iter_mut().zip(&other.leverage) {
            *a += b;
        }
        self
    }
}

/// One package at one month's table, for the step-by-step view of a trial.
#[derive(Clone, Debug, PartialEq)]
pub struct PackageTrace {
    /// Each side's utility of the package.
    pub utility: [f64; 2],
    /// The least each side would take for it: its value of fighting on, lowered by threats
    /// and raised by the wish to wait.
    pub reservation: [f64; 2],
    pub acceptable: bool,
    pub durable: bool,
}

/// One month of a trial, for the step-by-step view.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthTrace {
    pub month: u32,
    /// Area held by `b` after the month's fighting, km2.
    pub held_by_b_km2: f64,
    pub power: [f64; 2],
    /// Each side's belief about the hidden edge, km2 a month of front movement for `b`.
    pub belief_km2: [f64; 2],
    /// The true hidden edge, km2 a month.
    pub true_edge_km2: f64,
    /// Each side's value of fighting on (`d_a`, `d_b`); the range is `[d_a, 1 - d_b]`.
    pub fighting_value: [f64; 2],
    /// Whether the table met this month.
    pub table: bool,
    pub packages: Vec<PackageTrace>,
    pub settled_with: Option<usize>,
    pub reason: Option<Constraint>,
    pub leverage_a: f64,
    /// Events that happened at the start of the month.
    pub events: Vec<usize>,
    /// Levers in force during the month.
    pub levers_active: Vec<bool>,
}

/// What each lever's side knows about whether its donor carries threats out.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Credibility {
    /// Never tested.
    Unknown,
    /// Carried out when its probability was `q`.
    Shown(f64),
    /// Not carried out when its probability was `q`: the lever's draw is at least `q`.
    Bluff(f64),
}

impl Credibility {
    /// The chance, as the pressed side sees it, that a threat is carried out when the lever's
    /// probability is `q` (the lever's uniform draw, given what was seen).
    fn chance(self, q: f64) -> f64 {
        match self {
            Credibility::Unknown => q,
            Credibility::Shown(at) => {
                if q >= at || at <= 0.0 {
                    1.0
                } else {
                    q / at
                }
            }
            Credibility::Bluff(lb) => {
                if lb >= 1.0 {
                    0.0
                } else {
                    ((q - lb) / (1.0 - lb)).max(0.0)
                }
            }
        }
    }
}

/// Reusable buffers of a trial.
#[derive(Clone, Debug, Default)]
pub struct MonthlyScratch {
    /// Values in force this month.
    cur: Vec<f64>,
    /// Values with the events so far (without levers).
    base: Vec<f64>,
    /// Per aid stream, the amount dispatched in each month `1..=T` (index `s * (T + 1) + d`).
    amount_hist: Vec<f64>,
    /// Per side, effective troops joining in month `u` (index `side * (span + 1) + u`).
    joins: Vec<f64>,
    /// Per event, the month it happens (0: never in this trial).
    event_month: Vec<u32>,
    lever_active: Vec<bool>,
    lever_next: Vec<bool>,
    lever_cred: Vec<Credibility>,
    /// Per aid stream, the amount of future dispatches a projection assumes.
    proj_amount: Vec<f64>,
    proj_amount_alt: Vec<f64>,
    /// Per package: utilities, durability.
    pkg: Vec<Pkg>,
}

#[derive(Clone, Copy, Debug, Default)]
struct Pkg {
    u: [f64; 2],
    durable: bool,
    /// Each side's reservation value for this package.
    r: [f64; 2],
}

impl MonthlyScratch {
    pub fn new(st: &Structure) -> Self {
        let span = st.horizon + st.ext_months;
        MonthlyScratch {
            cur: vec![0.0; st.n_values],
            base: vec![0.0; st.n_values],
            amount_hist: vec![0.0; st.aid.len() * (st.horizon + 1)],
            joins: vec![0.0; 2 * (span + 1)],
            event_month: vec![0; st.events.len()],
            lever_active: vec![false; st.levers.len()],
            lever_next: vec![false; st.levers.len()],
            lever_cred: vec![Credibility::Unknown; st.levers.len()],
            proj_amount: vec![0.0; st.aid.len()],
            proj_amount_alt: vec![0.0; st.aid.len()],
            pkg: vec![Pkg::default(); st.packages.len()],
        }
    }
}

/// The rates a projection assumes from the month after the table on.
#[derive(Clone, Copy, Debug)]
struct Rates {
    recruits: [f64; 2],
    production: [f64; 2],
    burn: [f64; 2],
}

/// The physical state after a month's fighting.
#[derive(Clone, Copy, Debug)]
struct State {
    /// The month the state is for (a projection starts after it).
    month: usize,
    /// The last month whose dispatches of aid are known (the month of the table).
    known: usize,
    manpower: [f64; 2],
    stock: [f64; 2],
    held: f64,
    /// Uncapped loss rates of the month (troops a month), `a` then `b`.
    loss_rate: [f64; 2],
}

/// The trial's constants and working values, shared by the month loop and the table.
struct Trial<'a> {
    st: &'a Structure,
    draws: &'a Draws<'a>,
    /// Combat power from manpower and stock, with the trial's quality and reference.
    quality: [f64; 2],
    inv_reference: [f64; 2],
    saturation: f64,
    floor: f64,
}

impl Trial<'_> {
    #[inline]
    fn power(&self, m: f64, k: f64, i: usize) -> f64 {
        (m * materiel_factor(k, self.inv_reference[i], self.saturation, self.floor)
            * self.quality[i])
            .max(MIN_POWER)
    }

    /// Expected aid arriving at `side` in months `from + 1 ..= from + months`, as seen at the
    /// table of month `known`: dispatches up to `known` at the amounts sent, later ones at
    /// `future[s]`; a stream whose cut-off has not been reached by `known` continues with its
    /// probability.
    fn aid_expected(
        &self,
        sc: &MonthlyScratch,
        side: usize,
        known: usize,
        from: usize,
        months: usize,
        future: &[f64],
    ) -> f64 {
        let t_max = self.st.horizon;
        let mut total = 0.0;
        for (s, plan) in self.st.aid.iter().enumerate() {
            if plan.side != side {
                continue;
            }
            let c = match plan.cutoff_month {
                Some(m) if (m as usize) > known => {
                    plan.continue_probability.map_or(1.0, |slot| sc.cur[slot])
                }
                _ => {
                    if self.draws.continues.get(s).copied().unwrap_or(true) {
                        1.0
                    } else {
                        0.0
                    }
                }
            };
            let last = (from + months).min(plan.share_always.len() - 1);
            let lag = plan.lag as usize;
            // Dispatches already made (dispatch month <= known): their amounts are known.
            let sent_until = (known + lag).min(last);
            for u in (from + 1)..=sent_until {
                let d = u - lag;
                if d >= 1 && d <= t_max {
                    total += sc.amount_hist[s * (t_max + 1) + d]
                        * (plan.share_always[u] + c * plan.share_if_continues[u]);
                }
            }
            let lo = sent_until.max(from);
            if last > lo {
                total += future[s]
                    * ((plan.cum_always[last] - plan.cum_always[lo])
                        + c * (plan.cum_if_continues[last] - plan.cum_if_continues[lo]));
            }
        }
        total
    }

    /// Effective troops joining `side` in months `from + 1 ..= from + months`.
    fn joins(&self, sc: &MonthlyScratch, side: usize, from: usize, months: usize) -> f64 {
        let span = self.st.horizon + self.st.ext_months;
        let row = &sc.joins[side * (span + 1)..(side + 1) * (span + 1)];
        let last = (from + months).min(span);
        if last <= from {
            return 0.0;
        }
        row[from + 1..=last].iter().sum()
    }

    /// The rates and future aid amounts in force, with the expected effect of scheduled
    /// events after month `t` (each added on its own, weighted by its probability) over the
    /// `horizon` months ahead, written into `sc.proj_amount`. Returns the rates averaged over
    /// the projection.
    fn expected_rates(&self, sc: &mut MonthlyScratch, t: usize, horizon: f64) -> Rates {
        let st = self.st;
        let mut rates = Rates {
            recruits: [sc.cur[st.sides[0].recruits], sc.cur[st.sides[1].recruits]],
            production: [
                sc.cur[st.sides[0].production],
                sc.cur[st.sides[1].production],
            ],
            burn: [sc.cur[st.sides[0].burn], sc.cur[st.sides[1].burn]],
        };
        for (s, plan) in st.aid.iter().enumerate() {
            sc.proj_amount[s] = sc.cur[plan.amount];
        }
        for ev in &st.events {
            let WhenPlan::Month { slot, fixed: true } = ev.when else {
                continue;
            };
            let m = event_month_of(sc.cur[slot]);
            if m as usize <= t {
                continue;
            }
            let p = sc.cur[ev.probability].clamp(0.0, 1.0);
            // Share of the projection after the event's start.
            let after = ((t as f64 + horizon) - (m as f64 - 1.0)).clamp(0.0, horizon);
            let share = if horizon > 0.0 { after / horizon } else { 0.0 };
            for ch in &ev.changes {
                let now = sc.cur[ch.target];
                let new = changed(now, ch, &sc.cur);
                let delta = p * (new - now);
                match ch.kind {
                    TargetKind::Recruits(i) => rates.recruits[i] += delta * share,
                    TargetKind::Production(i) => rates.production[i] += delta * share,
                    TargetKind::Burn(i) => rates.burn[i] += delta * share,
                    // Aid: weighted by the share of the projection's dispatches after it.
                    TargetKind::Aid(s) => {
                        if let Some(x) = sc.proj_amount.get_mut(s) {
                            *x += delta * share;
                        }
                    }
                    TargetKind::Other => {}
                }
            }
        }
        rates
    }

    /// Projects the war `tau` months ahead from `now` with `rates` and the future aid amounts
    /// `future`, and returns each side's expected share of the issue by its own belief
    /// (`belief[i]`, edge units), plus the projected balance.
    #[allow(clippy::too_many_arguments)]
    fn war_values(
        &self,
        sc: &MonthlyScratch,
        now: &State,
        rates: &Rates,
        future: &[f64],
        beliefs: [f64; 2],
        tau: f64,
        x_now: f64,
    ) -> [f64; 2] {
        let st = self.st;
        let months = tau.round().max(0.0) as usize;
        let c = [0, 1].map(|i| {
            let m = (now.manpower[i]
                + (rates.recruits[i] - now.loss_rate[i]) * tau
                + self.joins(sc, i, now.month, months))
            .max(0.0);
            let k = (now.stock[i]
                + (rates.production[i] - rates.burn[i]) * tau
                + self.aid_expected(sc, i, now.known, now.month, months, future))
            .max(0.0);
            self.power(m, k, i)
        });
        let r = sc.cur[st.battle.break_even];
        let x_end = balance(c[0], c[1], r);
        let n = sc.cur[st.battle.decisiveness];
        let s = sc.cur[st.battle.stalemate];
        let speed = sc.cur[st.battle.front_speed];
        let area = st.contested_km2;
        beliefs.map(|m| {
            let p = prevail_a(x_end + m, n);
            let drift = speed * (0.5 * (x_now + x_end) + m);
            let held = (now.held + tau * drift).clamp(0.0, area);
            (1.0 - s) * p + s * (1.0 - held / area)
        })
    }

    /// Each side's cost of fighting `months` more months, in shares of the issue, with the
    /// loss rates of `now` and the given own production.
    fn cost(
        &self,
        sc: &MonthlyScratch,
        now: &State,
        production: [f64; 2],
        months: f64,
    ) -> [f64; 2] {
        let st = self.st;
        [0, 1].map(|i| {
            let side = &st.sides[i];
            (now.loss_rate[i] / sc.cur[side.casualty_tolerance]
                + production[i] / sc.cur[side.spending_tolerance])
                * months
        })
    }

    /// The two fighting values `(d_a, d_b)` from the expected shares and costs.
    fn fighting_values(expected: [f64; 2], cost: [f64; 2]) -> [f64; 2] {
        [expected[0] - cost[0], 1.0 - expected[1] - cost[1]]
    }

    /// Whether package `k` is durable at the table of `now` (the commitment test of format
    /// version 2): project `S` months of peace with demobilisation, peacetime recruiting and
    /// consumption, the package's caps on each side's rebuilding, and the aid expected to
    /// arrive; the declining side (by its own belief) fights if the shift in expected shares,
    /// stalemate included, outweighs the cost of a period of war.
    #[allow(clippy::too_many_arguments)]
    fn durable(
        &self,
        sc: &MonthlyScratch,
        now: &State,
        power_now: [f64; 2],
        caps: [f64; 2],
        guarantee: f64,
        beliefs: [f64; 2],
        line_share_a: f64,
    ) -> bool {
        let st = self.st;
        let months = st.shift_months as usize;
        let s_months = f64::from(st.shift_months);
        let mut c = [0.0; 2];
        for i in 0..2 {
            let side = &st.sides[i];
            let m0 = now.manpower[i];
            let k0 = now.stock[i];
            let mut m = m0 * (1.0 - sc.cur[side.peace_demobilised].clamp(0.0, 1.0))
                + sc.cur[side.recruits] * sc.cur[side.peace_recruit_share] * s_months;
            let mut k = (k0
                + (sc.cur[side.production] - sc.cur[side.peace_consumption]) * s_months
                + self.aid_expected(sc, i, now.known, now.month, months, &sc.proj_amount))
            .max(0.0);
            let keep = 1.0 - caps[i].clamp(0.0, 1.0);
            if m > m0 {
                m = m0 + (m - m0) * keep;
            }
            if k > k0 {
                k = k0 + (k - k0) * keep;
            }
            c[i] = self.power(m, k, i);
        }
        let r = sc.cur[st.battle.break_even];
        let n = sc.cur[st.battle.decisiveness];
        let s = sc.cur[st.battle.stalemate];
        let x_now = balance(power_now[0], power_now[1], r);
        let x_peace = balance(c[0], c[1], r);
        let cost = |i: usize| {
            let side = &st.sides[i];
            (now.loss_rate[i] / sc.cur[side.casualty_tolerance]
                + sc.cur[side.production] / sc.cur[side.spending_tolerance])
                * s_months
        };
        let fights = |delta: f64, e_now: f64, e_next: f64, c: f64| {
            delta * (e_now - e_next) > (1.0 - delta) * (1.0 - e_now + c)
        };
        if x_peace > x_now {
            // b gains in peace: a declines; a guarantee shrinks a's decline.
            let p_now = prevail_a(x_now + beliefs[0], n);
            let p_raw = prevail_a(x_peace + beliefs[0], n);
            let p_next = p_now + (p_raw - p_now) * (1.0 - guarantee.clamp(0.0, 1.0));
            let e_now = (1.0 - s) * p_now + s * line_share_a;
            let e_next = (1.0 - s) * p_next + s * line_share_a;
            let delta = sc.cur[st.sides[0].patience].powi(st.shift_months as i32);
            !fights(delta, e_now, e_next, cost(0))
        } else if x_peace < x_now {
            let q_now = 1.0 - prevail_a(x_now + beliefs[1], n);
            let q_next = 1.0 - prevail_a(x_peace + beliefs[1], n);
            let e_now = (1.0 - s) * q_now + s * (1.0 - line_share_a);
            let e_next = (1.0 - s) * q_next + s * (1.0 - line_share_a);
            let delta = sc.cur[st.sides[1].patience].powi(st.shift_months as i32);
            !fights(delta, e_now, e_next, cost(1))
        } else {
            true
        }
    }

    /// The split of the range and the weight of `a` in the Nash product, from the patience
    /// in force.
    fn split(&self, sc: &MonthlyScratch) -> Split {
        let st = self.st;
        let delta_a = sc.cur[st.sides[0].patience];
        let delta_b = sc.cur[st.sides[1].patience];
        match st.protocol {
            Protocol::Nash => Split::Nash {
                power_a: nash_power_from_patience(delta_a, delta_b),
            },
            Protocol::Rubinstein { proposer } => Split::Rubinstein {
                share_a: match proposer {
                    SideRef::A => rubinstein_proposer_share(delta_a, delta_b),
                    SideRef::B => 1.0 - rubinstein_proposer_share(delta_b, delta_a),
                },
            },
        }
    }

    /// Each side's utility of package `k` when the line leaves `a` the share `line`.
    fn utilities(&self, sc: &MonthlyScratch, k: usize, line: f64) -> [f64; 2] {
        let st = self.st;
        let pkg = &st.packages[k];
        let terr_a = pkg.territory.map_or(line, |i| sc.cur[i]);
        let mut u = [terr_a, 1.0 - terr_a];
        for (j, &lvl) in pkg.levels.iter().enumerate() {
            let level = sc.cur[lvl];
            u[0] += sc.cur[st.weights[0][j]] * level;
            u[1] += sc.cur[st.weights[1][j]] * level;
        }
        u
    }

    fn level(&self, sc: &MonthlyScratch, k: usize, attr: usize) -> f64 {
        self.st.packages[k]
            .levels
            .get(attr)
            .map_or(0.0, |&slot| sc.cur[slot])
    }
}

/// The month an event's month input stands for (rounded, at least 1).
fn event_month_of(x: f64) -> u32 {
    if x.is_finite() {
        x.round().clamp(1.0, f64::from(u32::MAX)) as u32
    } else {
        1
    }
}

/// The value of a change's target after the change, from the values in force.
#[inline]
fn changed(now: f64, ch: &ChangePlan, vals: &[f64]) -> f64 {
    if ch.scale {
        now * vals[ch.value]
    } else {
        vals[ch.value]
    }
}

/// Index of the best package under the (asymmetric) Nash product of the gains `g`, among
/// those `ok`; the first on ties.
fn nash_choice(gains: impl Iterator<Item = (usize, [f64; 2])>, w_a: f64) -> Option<usize> {
    let w_b = 1.0 - w_a;
    let term = |w: f64, g: f64| if w > 0.0 { w * g.ln() } else { 0.0 };
    let mut best: Option<(usize, f64)> = None;
    for (k, g) in gains {
        let score = term(w_a, g[0]) + term(w_b, g[1]);
        if best.is_none_or(|(_, b)| score > b) {
            best = Some((k, score));
        }
    }
    best.map(|(k, _)| k)
}

/// Runs one trial of format version 2. `v` holds one value per input slot; `front` receives
/// the area held by `b` after each month (frozen after a settlement); `counts` (if any) is
/// given each month's reason and leverage; `trace` (if any) each month's table.
pub fn evaluate_monthly(
    st: &Structure,
    v: &[f64],
    draws: &Draws,
    front: &mut [f64],
    sc: &mut MonthlyScratch,
    mut counts: Option<&mut MonthlyCounts>,
    mut trace: Option<&mut Vec<MonthTrace>>,
) -> TrialOutcome {
    let t_max = st.horizon;
    let span = t_max + st.ext_months;
    sc.cur.clear();
    sc.cur.extend_from_slice(v);
    sc.base.clear();
    sc.base.extend_from_slice(v);
    let sa = &st.sides[0];
    let sb = &st.sides[1];
    let bt = &st.battle;

    // When each event happens in this trial (0: never).
    for (e, ev) in st.events.iter().enumerate() {
        let occurs = draws.event_occurs.get(e).copied().unwrap_or(1.0) < v[ev.probability];
        let month = match ev.when {
            WhenPlan::Month { slot, .. } => event_month_of(v[slot]),
            WhenPlan::Hazard(slot) => {
                let h = v[slot];
                let u = draws.event_timing.get(e).copied().unwrap_or(0.5);
                if h >= 1.0 {
                    1
                } else if h > 0.0 {
                    // The first month of a geometric wait: P(month = m) = h (1 - h)^(m - 1).
                    let m = 1.0 + ((1.0 - u).ln() / (1.0 - h).ln()).floor();
                    if m.is_finite() && m < f64::from(u32::MAX) {
                        m.max(1.0) as u32
                    } else {
                        0
                    }
                } else {
                    0
                }
            }
        };
        sc.event_month[e] = if occurs { month } else { 0 };
    }
    for l in 0..st.levers.len() {
        sc.lever_active[l] = false;
        sc.lever_next[l] = false;
        sc.lever_cred[l] = Credibility::Unknown;
    }
    // Troops joining, by month, over the horizon and the months looked ahead.
    sc.joins.iter_mut().for_each(|x| *x = 0.0);
    for plan in &st.troops {
        let m = plan.arrival_month as usize;
        if m >= 1 && m <= span {
            sc.joins[plan.side * (span + 1) + m] += v[plan.size] * v[plan.effectiveness];
        }
    }

    let trial = Trial {
        st,
        draws,
        quality: [v[sa.quality], v[sb.quality]],
        inv_reference: [
            1.0 / v[sa.materiel_reference],
            1.0 / v[sb.materiel_reference],
        ],
        saturation: v[bt.saturation],
        floor: v[bt.floor],
    };

    let mut manpower = [v[sa.manpower], v[sb.manpower]];
    let mut stock = [v[sa.materiel], v[sb.materiel]];
    let c0 = [
        trial.power(manpower[0], stock[0], 0),
        trial.power(manpower[1], stock[1], 1),
    ];
    let (loss0_a, loss0_b) = match (sa.losses, sb.losses, bt.exchange_ratio) {
        (Some(la), Some(lb), _) => (v[la], v[lb]),
        (Some(la), None, Some(e)) => (v[la], v[la] * v[e]),
        (None, Some(lb), Some(e)) => (v[lb] / v[e], v[lb]),
        _ => (0.0, 0.0),
    };
    let kill_rate_a = loss0_b / c0[0];
    let kill_rate_b = loss0_a / c0[1];

    // Priors: each side's optimism at the start, as a bias in edge units.
    let edge_units = |km2: f64, speed: f64| if speed > 0.0 { km2 / speed } else { 0.0 };
    let true_edge0 = edge_units(v[bt.hidden_edge], v[bt.front_speed]);
    let x0 = balance(c0[0], c0[1], v[bt.break_even]) + true_edge0;
    let prior = prior_means(
        x0,
        true_edge0,
        [v[sa.optimism], v[sb.optimism]],
        v[bt.decisiveness],
    );
    let mut signals = 0u32;
    let mut signal_sum = 0.0;

    let area = st.contested_km2;
    let mut held = st.held_by_b_km2;
    let mut casualties = [0.0f64; 2];
    let mut settled: Option<(usize, usize)> = None;
    let mut last = LastTable::default();

    for t in 1..=t_max {
        // Events that start this month, and levers switched on or off at the last table.
        let mut dirty = false;
        let mut fired = Vec::new();
        for (e, ev) in st.events.iter().enumerate() {
            if sc.event_month[e] as usize == t {
                for ch in &ev.changes {
                    let now = sc.base[ch.target];
                    sc.base[ch.target] = changed(now, ch, &sc.base);
                }
                dirty = true;
                if trace.is_some() {
                    fired.push(e);
                }
            }
        }
        for l in 0..st.levers.len() {
            if sc.lever_active[l] != sc.lever_next[l] {
                sc.lever_active[l] = sc.lever_next[l];
                dirty = true;
            }
        }
        if dirty {
            for &slot in &st.dynamic_slots {
                sc.cur[slot] = sc.base[slot];
            }
            for (l, lever) in st.levers.iter().enumerate() {
                if sc.lever_active[l] {
                    for ch in &lever.changes {
                        let now = sc.cur[ch.target];
                        sc.cur[ch.target] = changed(now, ch, &sc.base);
                    }
                }
            }
        }

        // Aid dispatched this month and arriving this month; contingents joining.
        for (s, plan) in st.aid.iter().enumerate() {
            sc.amount_hist[s * (t_max + 1) + t] = sc.cur[plan.amount];
        }
        for (s, plan) in st.aid.iter().enumerate() {
            let lag = plan.lag as usize;
            if t > lag {
                let d = t - lag;
                let cont = draws.continues.get(s).copied().unwrap_or(true);
                let share = plan.share_always[t]
                    + if cont {
                        plan.share_if_continues[t]
                    } else {
                        0.0
                    };
                stock[plan.side] += sc.amount_hist[s * (t_max + 1) + d] * share;
            }
        }
        manpower[0] += sc.joins[t];
        manpower[1] += sc.joins[(span + 1) + t];

        // Fighting.
        let ca = trial.power(manpower[0], stock[0], 0);
        let cb = trial.power(manpower[1], stock[1], 1);
        let r = sc.cur[bt.break_even];
        let x = balance(ca, cb, r);
        let speed = sc.cur[bt.front_speed];
        let sigma = sc.cur[bt.noise];
        let z = draws.noise.get(t - 1).copied().unwrap_or(0.0);
        let moved = (held + speed * x + sc.cur[bt.hidden_edge] + sigma * z).clamp(0.0, area);
        // The front is a signal of the edge unless it hit an end of the contested area.
        if moved > 0.0 && moved < area && speed > 0.0 {
            signals += 1;
            signal_sum += (moved - held - speed * x) / speed;
        }
        held = moved;
        if let Some(slot) = front.get_mut(t - 1) {
            *slot = held;
        }
        let (la, lb) = loss_rates(ca, cb, kill_rate_a, kill_rate_b);
        let losses = [la.min(manpower[0]), lb.min(manpower[1])];
        for (i, side) in st.sides.iter().enumerate() {
            casualties[i] += losses[i];
            manpower[i] = manpower[i] - losses[i] + sc.cur[side.recruits];
            stock[i] = (stock[i] + sc.cur[side.production] - sc.cur[side.burn]).max(0.0);
        }
        let loss_rate = [la, lb];

        // The table.
        let beliefs = [0, 1].map(|i| {
            posterior_mean(
                prior[i],
                signals,
                signal_sum,
                sc.cur[st.sides[i].prior_sd],
                sigma,
            )
        });
        let meets = match st.talks {
            Talks::EveryMonth => true,
            Talks::AtHorizon => t == t_max,
        };
        let now = State {
            month: t,
            known: t,
            manpower,
            stock,
            held,
            loss_rate,
        };
        let mut month_trace = trace.as_ref().map(|_| MonthTrace {
            month: t as u32,
            held_by_b_km2: held,
            power: [
                trial.power(manpower[0], stock[0], 0),
                trial.power(manpower[1], stock[1], 1),
            ],
            belief_km2: beliefs.map(|m| m * speed),
            true_edge_km2: sc.cur[bt.hidden_edge],
            fighting_value: [0.0; 2],
            table: meets,
            packages: Vec::new(),
            settled_with: None,
            reason: None,
            leverage_a: 0.0,
            events: fired,
            levers_active: sc.lever_active.clone(),
        });
        if meets {
            let table = table(&trial, sc, &now, beliefs, month_trace.as_mut());
            last = table;
            if let Some(c) = counts.as_deref_mut() {
                c.add_leverage(t, table.leverage_a);
                if let Some(reason) = table.reason {
                    c.add_reason(t, reason);
                }
            }
            if let Some(mt) = month_trace.as_mut() {
                mt.fighting_value = [table.d_a, table.d_b];
                mt.settled_with = table.package;
                mt.reason = table.reason;
                mt.leverage_a = table.leverage_a;
            }
            if let Some(k) = table.package {
                settled = Some((t, k));
            } else {
                // Levers: pulled next month where the pressed side refused a backed package
                // the other side would take.
                for (l, lever) in st.levers.iter().enumerate() {
                    let triggered = (lever.from_month as usize) <= t + 1
                        && lever.backs.iter().any(|&k| {
                            let p = &sc.pkg[k];
                            let i = lever.side;
                            p.durable && p.u[1 - i] >= p.r[1 - i] && p.u[i] < p.r[i]
                        });
                    let q = sc.cur[lever.probability];
                    sc.lever_next[l] = if triggered {
                        let carried_out = draws.lever.get(l).copied().unwrap_or(1.0) < q;
                        sc.lever_cred[l] = if carried_out {
                            Credibility::Shown(q)
                        } else {
                            match sc.lever_cred[l] {
                                Credibility::Bluff(lb) => Credibility::Bluff(lb.max(q)),
                                _ => Credibility::Bluff(q),
                            }
                        };
                        carried_out
                    } else {
                        false
                    };
                }
            }
        }
        if let (Some(tr), Some(mt)) = (trace.as_deref_mut(), month_trace) {
            tr.push(mt);
        }
        if settled.is_some() {
            // The front stands still from the settlement on.
            for slot in front.iter_mut().take(t_max).skip(t) {
                *slot = held;
            }
            break;
        }
    }

    let x_end = balance(
        trial.power(manpower[0], stock[0], 0),
        trial.power(manpower[1], stock[1], 1),
        sc.cur[bt.break_even],
    );
    let true_edge = edge_units(sc.cur[bt.hidden_edge], sc.cur[bt.front_speed]);
    TrialOutcome {
        leverage_a: last.leverage_a,
        d_a: last.d_a,
        d_b: last.d_b,
        p_a: prevail_a(x_end + true_edge, sc.cur[bt.decisiveness]),
        held_by_b_km2: held,
        casualties_a: casualties[0],
        casualties_b: casualties[1],
        package: settled.map(|(_, k)| k),
        blocked: if settled.is_some() { None } else { last.reason },
        range_empty: last.d_a > 1.0 - last.d_b,
        settled_month: settled.map(|(t, _)| t as u32),
    }
}

/// What one month's table gave.
#[derive(Clone, Copy, Debug, Default)]
struct LastTable {
    d_a: f64,
    d_b: f64,
    leverage_a: f64,
    package: Option<usize>,
    reason: Option<Constraint>,
}

/// The table of one month: fighting values, threats, the wish to wait, durability, the
/// choice of a package or the reason there is none.
fn table(
    trial: &Trial,
    sc: &mut MonthlyScratch,
    now: &State,
    beliefs: [f64; 2],
    trace: Option<&mut MonthTrace>,
) -> LastTable {
    let st = trial.st;
    let bt = &st.battle;
    let t = now.month;
    let tau = sc.cur[bt.continuation].max(0.0);
    let power_now = [
        trial.power(now.manpower[0], now.stock[0], 0),
        trial.power(now.manpower[1], now.stock[1], 1),
    ];
    let r = sc.cur[bt.break_even];
    let x_now = balance(power_now[0], power_now[1], r);
    let rates = trial.expected_rates(sc, t, tau);
    let future = sc.proj_amount.clone();
    let expected = trial.war_values(sc, now, &rates, &future, beliefs, tau, x_now);
    let cost = trial.cost(sc, now, rates.production, tau);
    let d = Trial::fighting_values(expected, cost);
    let split = trial.split(sc);
    let leverage_a = split.leverage_a(d[0], d[1]);
    let line = 1.0 - now.held / st.contested_km2;

    // Utilities and durability of every package.
    for k in 0..st.packages.len() {
        let u = trial.utilities(sc, k, line);
        let caps = [
            trial.level(sc, k, ATTR_CAP_A),
            trial.level(sc, k, ATTR_CAP_B),
        ];
        let guarantee = trial.level(sc, k, ATTR_GUARANTEE);
        let durable = trial.durable(sc, now, power_now, caps, guarantee, beliefs, line);
        sc.pkg[k] = Pkg { u, durable, r: d };
    }

    // Threats: a side pressed by a lever that backs a package the other side would take
    // values refusing it with the lever's expected effect.
    for (l, lever) in st.levers.iter().enumerate() {
        if sc.lever_active[l] || (lever.from_month as usize) > t + 1 {
            continue;
        }
        let i = lever.side;
        let q = sc.lever_cred[l].chance(sc.cur[lever.probability].clamp(0.0, 1.0));
        if q <= 0.0 {
            continue;
        }
        let relevant = lever.backs.iter().any(|&k| {
            let p = &sc.pkg[k];
            p.u[1 - i] >= p.r[1 - i] && p.u[i] < p.r[i]
        });
        if !relevant {
            continue;
        }
        // The projection with the lever pulled from next month on.
        let mut alt = rates;
        sc.proj_amount_alt.clone_from(&future);
        for ch in &lever.changes {
            let now_v = sc.cur[ch.target];
            let new = changed(now_v, ch, &sc.cur);
            match ch.kind {
                TargetKind::Recruits(j) => alt.recruits[j] += new - now_v,
                TargetKind::Production(j) => alt.production[j] += new - now_v,
                TargetKind::Burn(j) => alt.burn[j] += new - now_v,
                TargetKind::Aid(s) => {
                    if let Some(x) = sc.proj_amount_alt.get_mut(s) {
                        *x += new - now_v;
                    }
                }
                TargetKind::Other => {}
            }
        }
        let alt_future = sc.proj_amount_alt.clone();
        let e_alt = trial.war_values(sc, now, &alt, &alt_future, beliefs, tau, x_now);
        let c_alt = trial.cost(sc, now, alt.production, tau);
        let d_alt = Trial::fighting_values(e_alt, c_alt)[i];
        let threatened = d[i] + q * (d_alt - d[i]);
        for &k in &lever.backs {
            let p = &mut sc.pkg[k];
            p.r[i] = p.r[i].min(threatened);
        }
    }

    // Waiting for a better table: only when some package would pass today.
    let passes = |p: &Pkg| p.durable && p.u[0] >= p.r[0] && p.u[1] >= p.r[1];
    if sc.pkg.iter().any(passes) {
        let wait = waiting_values(trial, sc, now, &rates, &future, beliefs, tau, x_now, cost);
        for p in sc.pkg.iter_mut() {
            for (r, w) in p.r.iter_mut().zip(wait) {
                *r = r.max(w);
            }
        }
    }

    let w_a = split.weight_a();
    let package = nash_choice(
        sc.pkg
            .iter()
            .enumerate()
            .filter(|(_, p)| passes(p))
            .map(|(k, p)| (k, [p.u[0] - p.r[0], p.u[1] - p.r[1]])),
        w_a,
    );

    let reason = if package.is_some() {
        None
    } else {
        Some(reason_for(
            trial, sc, now, &rates, &future, tau, x_now, d, cost,
        ))
    };

    if let Some(tr) = trace {
        tr.packages = sc
            .pkg
            .iter()
            .map(|p| PackageTrace {
                utility: p.u,
                reservation: p.r,
                acceptable: p.u[0] >= p.r[0] && p.u[1] >= p.r[1],
                durable: p.durable,
            })
            .collect();
    }
    LastTable {
        d_a: d[0],
        d_b: d[1],
        leverage_a,
        package,
        reason,
    }
}

/// Why no package passed: a side that waits for a better moment or refuses; no durable
/// package; or an empty range that complete information would open (mutual optimism).
#[allow(clippy::too_many_arguments)]
fn reason_for(
    trial: &Trial,
    sc: &MonthlyScratch,
    now: &State,
    rates: &Rates,
    future: &[f64],
    tau: f64,
    x_now: f64,
    d: [f64; 2],
    cost: [f64; 2],
) -> Constraint {
    let acceptable = |p: &Pkg| p.u[0] >= p.r[0] && p.u[1] >= p.r[1];
    if sc.pkg.iter().any(acceptable) {
        return Constraint::Durability;
    }
    if d[0] + d[1] > 1.0 {
        // Would the range open if both sides knew the true edge?
        let st = trial.st;
        let true_edge = if sc.cur[st.battle.front_speed] > 0.0 {
            sc.cur[st.battle.hidden_edge] / sc.cur[st.battle.front_speed]
        } else {
            0.0
        };
        let e = trial.war_values(sc, now, rates, future, [true_edge; 2], tau, x_now);
        let d_true = Trial::fighting_values(e, cost);
        if d_true[0] + d_true[1] <= 1.0 {
            return Constraint::MutualOptimism;
        }
    }
    // The package closest to acceptance, and the side that balks at it.
    let mut best: Option<(f64, [f64; 2])> = None;
    for p in &sc.pkg {
        let g = [p.u[0] - p.r[0], p.u[1] - p.r[1]];
        let m = g[0].min(g[1]);
        if best.is_none_or(|(b, _)| m > b) {
            best = Some((m, g));
        }
    }
    match best {
        Some((_, g)) if g[0] < g[1] => Constraint::AcceptableToA,
        _ => Constraint::AcceptableToB,
    }
}

/// Each side's value of waiting for the table of a coming month where an anticipated change
/// takes effect (a scheduled event, a cut-off, a contingent's arrival): the package that table
/// would choose, discounted, minus the cost of fighting until then. `-inf` when there is no
/// such month or no package would pass then.
#[allow(clippy::too_many_arguments)]
fn waiting_values(
    trial: &Trial,
    sc: &MonthlyScratch,
    now: &State,
    rates: &Rates,
    future: &[f64],
    beliefs: [f64; 2],
    tau: f64,
    x_now: f64,
    cost: [f64; 2],
) -> [f64; 2] {
    let st = trial.st;
    let t = now.month;
    let reach = t + tau.round().max(0.0) as usize;
    let mut months: Vec<usize> = Vec::with_capacity(8);
    for ev in &st.events {
        if let WhenPlan::Month { slot, fixed: true } = ev.when {
            let m = event_month_of(sc.cur[slot]) as usize;
            if m > t && m <= reach && sc.cur[ev.probability] > 0.0 {
                months.push(m);
            }
        }
    }
    for plan in &st.aid {
        if let Some(m) = plan.cutoff_month {
            let m = m as usize;
            if m > t && m <= reach {
                months.push(m);
            }
        }
    }
    for plan in &st.troops {
        let m = plan.arrival_month as usize;
        if m > t && m <= reach {
            months.push(m);
        }
    }
    months.sort_unstable();
    months.dedup();
    months.truncate(LOOKAHEAD_MONTHS);
    let mut wait = [f64::NEG_INFINITY; 2];
    let per_month = if tau > 0.0 {
        [cost[0] / tau, cost[1] / tau]
    } else {
        [0.0; 2]
    };
    let area = st.contested_km2;
    let r = sc.cur[st.battle.break_even];
    let speed = sc.cur[st.battle.front_speed];
    for &m in &months {
        let gap = (m - t) as f64;
        for i in 0..2 {
            // Side i's view of the state at the table of month m.
            let mut later = *now;
            later.month = m;
            for j in 0..2 {
                later.manpower[j] = (now.manpower[j]
                    + (rates.recruits[j] - now.loss_rate[j]) * gap
                    + trial.joins(sc, j, t, m - t))
                .max(0.0);
                later.stock[j] = (now.stock[j]
                    + (rates.production[j] - rates.burn[j]) * gap
                    + trial.aid_expected(sc, j, t, t, m - t, future))
                .max(0.0);
            }
            let p_later = [
                trial.power(later.manpower[0], later.stock[0], 0),
                trial.power(later.manpower[1], later.stock[1], 1),
            ];
            let x_later = balance(p_later[0], p_later[1], r);
            later.held =
                (now.held + gap * speed * (0.5 * (x_now + x_later) + beliefs[i])).clamp(0.0, area);
            let e = trial.war_values(sc, &later, rates, future, beliefs, tau, x_later);
            let d_later = Trial::fighting_values(e, cost);
            let line = 1.0 - later.held / area;
            let w_a = trial.split(sc).weight_a();
            let choice = nash_choice(
                (0..st.packages.len()).filter_map(|k| {
                    let u = trial.utilities(sc, k, line);
                    (u[0] >= d_later[0] && u[1] >= d_later[1])
                        .then_some((k, [u[0] - d_later[0], u[1] - d_later[1]]))
                }),
                w_a,
            );
            if let Some(k) = choice {
                let u = trial.utilities(sc, k, line);
                let delta = sc.cur[st.sides[i].patience];
                let value = delta.powf(gap) * u[i] - per_month[i] * gap;
                wait[i] = wait[i].max(value);
            }
        }
    }
    wait
}
