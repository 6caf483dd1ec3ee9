//! One month's table (format version 2): each side's value of fighting on, the threats of
//! pressure levers, the wish to wait for a better table before an anticipated change, the
//! durability of each package, and the package chosen by the Nash product, or the reason the
//! war goes on. docs/MODEL.md, section 3B, gives the rules.

use super::belief::balance;
use super::monthly::{MonthTrace, MonthlyScratch, PackageTrace, changed, event_month_of};
use super::outlook::{Anticipated, Outlook, State, Trial, fighting_values};
use super::structure::{TargetKind, WhenPlan};
use super::war::Constraint;
use crate::scenario::registry::{ATTR_CAP_A, ATTR_CAP_B, ATTR_GUARANTEE};

/// How many coming months a side looks at when it weighs waiting for a better table.
const LOOKAHEAD_MONTHS: usize = 2;

/// One package at the table.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Pkg {
    /// Each side's utility.
    pub u: [f64; 2],
    pub durable: bool,
    /// Each side's reservation value: its value of fighting on, lowered by threats and raised
    /// by the wish to wait.
    pub r: [f64; 2],
}

impl Pkg {
    fn acceptable(&self) -> bool {
        self.u[0] >= self.r[0] && self.u[1] >= self.r[1]
    }

    fn passes(&self) -> bool {
        self.durable && self.acceptable()
    }
}

/// What one month's table gave.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct TableResult {
    pub d_a: f64,
    pub d_b: f64,
    pub leverage_a: f64,
    pub package: Option<usize>,
    pub reason: Option<Constraint>,
}

/// The best package under the (asymmetric) Nash product of the gains, `a` weighing `w_a`, with
/// its gains; the first on ties. A zero-weight term is left out (`0 ln 0` is undefined).
pub(super) fn nash_choice(
    gains: impl Iterator<Item = (usize, [f64; 2])>,
    w_a: f64,
) -> Option<(usize, [f64; 2])> {
    let w_b = 1.0 - w_a;
    let term = |w: f64, g: f64| if w > 0.0 { w * g.ln() } else { 0.0 };
    let mut best: Option<(usize, [f64; 2], f64)> = None;
    for (k, g) in gains {
        let score = term(w_a, g[0]) + term(w_b, g[1]);
        if best.is_none_or(|(_, _, b)| score > b) {
            best = Some((k, g, score));
        }
    }
    best.map(|(k, g, _)| (k, g))
}

/// The table of the month of `now`.
pub(super) fn table(
    trial: &Trial,
    sc: &mut MonthlyScratch,
    now: &State,
    beliefs: [f64; 2],
    trace: Option<&mut MonthTrace>,
) -> TableResult {
    let st = trial.st;
    let bt = &st.battle;
    let t = now.month;
    let tau = sc.cur[bt.continuation].max(0.0);
    let power_now = [
        trial.power(now.manpower[0], now.stock[0], 0),
        trial.power(now.manpower[1], now.stock[1], 1),
    ];
    let x_now = balance(power_now[0], power_now[1], sc.cur[bt.break_even]);
    let mut outlook = std::mem::take(&mut sc.outlook);
    trial.outlook(sc, t, &mut outlook);
    let expected = trial.war_values(sc, now, &outlook, beliefs, tau, x_now);
    let cost = trial.cost(sc, now, &outlook, tau);
    let d = fighting_values(expected, cost);
    let split = trial.split(sc);
    let leverage_a = split.leverage_a(d[0], d[1]);
    let line = 1.0 - now.held / sc.cur[st.battle.contested];

    // The peace is the same for every package; its balance depends only on a package's caps,
    // which most packages share (usually none), so each distinct pair is computed once.
    let peace = trial.peace(sc, now, &outlook);
    let mut balances: Vec<([f64; 2], f64)> = Vec::with_capacity(4);
    let mut pkgs = std::mem::take(&mut sc.pkg);
    for (k, p) in pkgs.iter_mut().enumerate() {
        let caps = [
            trial.level(sc, k, ATTR_CAP_A),
            trial.level(sc, k, ATTR_CAP_B),
        ];
        let x_peace = match balances.iter().find(|(c, _)| *c == caps) {
            Some((_, x)) => *x,
            None => {
                let x = trial.peace_balance(sc, now, peace, caps);
                balances.push((caps, x));
                x
            }
        };
        let guarantee = trial.level(sc, k, ATTR_GUARANTEE);
        *p = Pkg {
            u: trial.utilities(sc, k, line),
            durable: trial.durable(sc, now, x_peace, power_now, guarantee, beliefs, line),
            r: d,
        };
    }

    // Threats: a side pressed by a lever that backs a package the other side would take
    // values refusing it with the lever's expected effect from next month on.
    let mut alt = std::mem::take(&mut sc.outlook_alt);
    for (l, lever) in st.levers.iter().enumerate() {
        if sc.lever_active[l] || (lever.from_month as usize) > t + 1 {
            continue;
        }
        let i = lever.side;
        let q = sc.lever_cred[l].chance(sc.cur[lever.probability].clamp(0.0, 1.0));
        let relevant = q > 0.0
            && lever.backs.iter().any(|&k| {
                let p = &pkgs[k];
                p.u[1 - i] >= p.r[1 - i] && p.u[i] < p.r[i]
            });
        if !relevant {
            continue;
        }
        alt.clone_from(&outlook);
        for ch in &lever.changes {
            if ch.kind != TargetKind::Other {
                let now_v = sc.cur[ch.target];
                alt.changes.push(Anticipated {
                    month: t + 1,
                    kind: ch.kind,
                    delta: changed(now_v, ch, &sc.cur) - now_v,
                });
            }
        }
        let e_alt = trial.war_values(sc, now, &alt, beliefs, tau, x_now);
        let c_alt = trial.cost(sc, now, &alt, tau);
        let d_alt = fighting_values(e_alt, c_alt)[i];
        let threatened = d[i] + q * (d_alt - d[i]);
        for &k in &lever.backs {
            pkgs[k].r[i] = pkgs[k].r[i].min(threatened);
        }
    }
    sc.outlook_alt = alt;

    // Waiting for a better table: only when some package would pass today.
    if pkgs.iter().any(Pkg::passes) {
        let wait = waiting_values(trial, sc, now, &outlook, beliefs, tau, x_now, cost);
        for p in pkgs.iter_mut() {
            for (r, w) in p.r.iter_mut().zip(wait) {
                *r = r.max(w);
            }
        }
    }

    let package = nash_choice(
        pkgs.iter()
            .enumerate()
            .filter(|(_, p)| p.passes())
            .map(|(k, p)| (k, [p.u[0] - p.r[0], p.u[1] - p.r[1]])),
        split.weight_a(),
    )
    .map(|(k, _)| k);
    let reason = if package.is_some() {
        None
    } else {
        Some(reason_for(
            trial, sc, &pkgs, now, &outlook, tau, x_now, d, cost,
        ))
    };
    if let Some(tr) = trace {
        tr.packages = pkgs
            .iter()
            .map(|p| PackageTrace {
                utility: p.u,
                reservation: p.r,
                acceptable: p.acceptable(),
                durable: p.durable,
            })
            .collect();
    }
    sc.pkg = pkgs;
    sc.outlook = outlook;
    TableResult {
        d_a: d[0],
        d_b: d[1],
        leverage_a,
        package,
        reason,
    }
}

/// Why no package passed: no acceptable package is durable; or the range is empty and would
/// open if both sides knew the true edge (mutual optimism); or the side that balks at the
/// package closest to acceptance prefers fighting on (or waits for a better table).
#[allow(clippy::too_many_arguments)]
fn reason_for(
    trial: &Trial,
    sc: &MonthlyScratch,
    pkgs: &[Pkg],
    now: &State,
    outlook: &Outlook,
    tau: f64,
    x_now: f64,
    d: [f64; 2],
    cost: [f64; 2],
) -> Constraint {
    if pkgs.iter().any(Pkg::acceptable) {
        return Constraint::Durability;
    }
    if d[0] + d[1] > 1.0 {
        let st = trial.st;
        let speed = sc.cur[st.battle.front_speed];
        let true_edge = if speed > 0.0 {
            sc.cur[st.battle.hidden_edge] / speed
        } else {
            0.0
        };
        let e = trial.war_values(sc, now, outlook, [true_edge; 2], tau, x_now);
        let d_true = fighting_values(e, cost);
        if d_true[0] + d_true[1] <= 1.0 {
            return Constraint::MutualOptimism;
        }
    }
    let mut best: Option<(f64, [f64; 2])> = None;
    for p in pkgs {
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
/// takes effect (a scheduled event, a cut-off, a contingent's arrival; the nearest
/// [`LOOKAHEAD_MONTHS`] within the continuation): the package that table would choose by the
/// side's projection, discounted by its patience, minus the cost of fighting until then.
/// `-inf` when there is no such month or no package would be acceptable then.
#[allow(clippy::too_many_arguments)]
fn waiting_values(
    trial: &Trial,
    sc: &MonthlyScratch,
    now: &State,
    outlook: &Outlook,
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
    for &m in sc.cutoff_month.iter().flatten() {
        let m = m as usize;
        if m > t && m <= reach {
            months.push(m);
        }
    }
    for &m in &sc.arrival_month {
        let m = m as usize;
        if m > t && m <= reach {
            months.push(m);
        }
    }
    let mut wait = [f64::NEG_INFINITY; 2];
    if months.is_empty() {
        return wait;
    }
    months.sort_unstable();
    months.dedup();
    months.truncate(LOOKAHEAD_MONTHS);
    let per_month = if tau > 0.0 {
        [cost[0] / tau, cost[1] / tau]
    } else {
        [0.0; 2]
    };
    let area = sc.cur[st.battle.contested];
    let r = sc.cur[st.battle.break_even];
    let w_a = trial.split(sc).weight_a();
    let mut utilities: Vec<[f64; 2]> = Vec::with_capacity(st.packages.len());
    for &m in &months {
        let gap = (m - t) as f64;
        for (i, wait_i) in wait.iter_mut().enumerate() {
            // Side i's view of the table of month m.
            let (later, power) = trial.project(sc, now, outlook, gap, beliefs[i], x_now);
            let x_later = balance(power[0], power[1], r);
            let e = trial.war_values(sc, &later, outlook, beliefs, tau, x_later);
            let d_later = fighting_values(e, cost);
            let line = 1.0 - later.held / area;
            utilities.clear();
            utilities.extend((0..st.packages.len()).map(|k| trial.utilities(sc, k, line)));
            let choice = nash_choice(
                utilities.iter().enumerate().filter_map(|(k, u)| {
                    (u[0] >= d_later[0] && u[1] >= d_later[1])
                        .then_some((k, [u[0] - d_later[0], u[1] - d_later[1]]))
                }),
                w_a,
            );
            if let Some((k, _)) = choice {
                let delta = sc.cur[st.sides[i].patience];
                *wait_i = wait_i.max(delta.powf(gap) * utilities[k][i] - per_month[i] * gap);
            }
        }
    }
    wait
}
