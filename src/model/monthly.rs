//! One trial of format version 2: bargaining while fighting. Each month the sides fight, learn
//! from the front, and meet at the table; the war ends in the first month a package is
//! acceptable to both (after threats and the wish to wait for a better moment) and durable.
//! Wagner (2000), Filson and Werner (2002), Slantchev (2003), Powell (2004), Fearon (2004).
//! docs/MODEL.md, section 3B, gives every equation.
//!
//! The month loop lives here; what a side expects is in `model/outlook.rs`, the table in
//! `model/table.rs`, beliefs and the contest in [`super::belief`].

use super::belief::{balance, posterior_mean, prevail_a, prior_means};
use super::lanchester::loss_rates;
use super::outlook::{Outlook, State, Trial};
use super::structure::{AidPlan, AidShares, ChangePlan, Structure, WhenPlan};
use super::table::{Pkg, TableResult, table};
use super::war::{Constraint, TrialOutcome};
use crate::scenario::Talks;

/// Bins of the per-month leverage histograms.
pub const LEVERAGE_BINS: usize = 200;

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
pub(super) enum Credibility {
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
    pub(super) fn chance(self, q: f64) -> f64 {
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
    pub(super) cur: Vec<f64>,
    /// Values with the events so far (without levers).
    base: Vec<f64>,
    /// Per aid stream, the amount dispatched in each month `1..=T` (index `s * (T + 1) + d`).
    pub(super) amount_hist: Vec<f64>,
    /// Per side, effective troops joining in month `u` (index `side * (span + 1) + u`).
    pub(super) joins: Vec<f64>,
    /// Per event, the month it happens (0: never in this trial).
    event_month: Vec<u32>,
    pub(super) lever_active: Vec<bool>,
    lever_next: Vec<bool>,
    pub(super) lever_cred: Vec<Credibility>,
    /// What the sides expect at this month's table, and with a lever pulled.
    pub(super) outlook: Outlook,
    pub(super) outlook_alt: Outlook,
    /// Per package: utilities, durability, reservation values at this month's table.
    pub(super) pkg: Vec<Pkg>,
    /// Per aid stream, its shares in this trial when its cut-off month is drawn.
    aid: Vec<AidShares>,
    /// Per aid stream, its cut-off month in this trial; per contingent, its arrival month.
    pub(super) cutoff_month: Vec<Option<u32>>,
    pub(super) arrival_month: Vec<u32>,
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
            outlook: Outlook::default(),
            outlook_alt: Outlook::default(),
            pkg: vec![Pkg::default(); st.packages.len()],
            aid: vec![AidShares::default(); st.aid.len()],
            cutoff_month: vec![None; st.aid.len()],
            arrival_month: vec![0; st.troops.len()],
        }
    }

    /// Where aid stream `s` arrives in this trial: its own shares when its cut-off month is
    /// drawn (built at the trial's start), else the plan's.
    #[inline]
    pub(super) fn aid_shares<'a>(&'a self, plan: &'a AidPlan, s: usize) -> &'a AidShares {
        match self.aid.get(s) {
            Some(own) if plan.cutoff_drawn => own,
            _ => &plan.shares,
        }
    }
}

/// The month an event's month input stands for (rounded, at least 1).
pub(super) fn event_month_of(x: f64) -> u32 {
    if x.is_finite() {
        x.round().clamp(1.0, f64::from(u32::MAX)) as u32
    } else {
        1
    }
}

/// The value of a change's target after the change, from the values in force.
#[inline]
pub(super) fn changed(now: f64, ch: &ChangePlan, vals: &[f64]) -> f64 {
    if ch.scale {
        now * vals[ch.value]
    } else {
        vals[ch.value]
    }
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
    // Aid streams' cut-off months and contingents' arrival months in this trial (no event
    // changes them), and the shares of the streams whose cut-off month is drawn.
    for (s, plan) in st.aid.iter().enumerate() {
        if let Some(c) = sc.cutoff_month.get_mut(s) {
            *c = plan.cutoff_month(v);
        }
        if let (true, Some(own)) = (plan.cutoff_drawn, sc.aid.get_mut(s)) {
            plan.shares_into(v, own);
        }
    }
    for (c, plan) in st.troops.iter().enumerate() {
        if let Some(m) = sc.arrival_month.get_mut(c) {
            *m = plan.arrival_month(v);
        }
    }
    // Troops joining, by month, over the horizon and the months looked ahead.
    sc.joins.iter_mut().for_each(|x| *x = 0.0);
    for plan in &st.troops {
        let m = plan.arrival_month(v) as usize;
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

    let area = v[bt.contested];
    let held_start = v[bt.held].min(area);
    let mut held = held_start;
    let mut casualties = [0.0f64; 2];
    let mut settled: Option<(usize, usize)> = None;
    let mut last = TableResult::default();

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
                let shares = sc.aid_shares(plan, s);
                let share = shares.share_always[t]
                    + if cont {
                        shares.share_if_continues[t]
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
        held_start_km2: held_start,
        casualties_a: casualties[0],
        casualties_b: casualties[1],
        package: settled.map(|(_, k)| k),
        blocked: if settled.is_some() { None } else { last.reason },
        range_empty: last.d_a > 1.0 - last.d_b,
        settled_month: settled.map(|(t, _)| t as u32),
    }
}
