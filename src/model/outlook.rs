//! What a side expects (format version 2): the rates and aid in force with the anticipated
//! changes of scheduled events (and, for a threat, of a lever), the projection of the war
//! `continuation_months` ahead that gives each side's value of fighting on, the cost of
//! fighting, and the projection of a peace that the durability test reads. docs/MODEL.md,
//! section 3B, gives the equations.

use super::bargain::{Split, nash_power_from_patience, rubinstein_proposer_share};
use super::belief::{balance, prevail_a};
use super::monthly::{Draws, MonthlyScratch};
use super::structure::{Structure, TargetKind};
use super::war::materiel_factor;
use crate::scenario::{Protocol, SideRef};

/// Smallest combat power used in ratios.
const MIN_POWER: f64 = 1e-9;

/// A change a side expects from month `month` on, weighted by its probability.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Anticipated {
    pub month: usize,
    pub kind: TargetKind,
    /// Expected change of the target: probability times (new value - value now).
    pub delta: f64,
}

/// The rates and aid a side expects: those in force and the anticipated changes.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Outlook {
    pub recruits: [f64; 2],
    pub production: [f64; 2],
    pub burn: [f64; 2],
    /// Per aid stream, the amount of dispatches after the table, before anticipated changes.
    pub amount: Vec<f64>,
    pub changes: Vec<Anticipated>,
}

impl Outlook {
    /// The sum of a rate over months `from + 1 ..= from + len` (`len` may be fractional).
    pub fn integral(&self, base: f64, kind: TargetKind, from: usize, len: f64) -> f64 {
        let mut total = base * len;
        for c in &self.changes {
            if c.kind == kind {
                let overlap = (from as f64 + len - (c.month as f64 - 1.0)).clamp(0.0, len);
                total += c.delta * overlap;
            }
        }
        total
    }

    /// Recruits, production and burn of side `i` summed over `len` months after `from`.
    pub fn recruits(&self, i: usize, from: usize, len: f64) -> f64 {
        self.integral(self.recruits[i], TargetKind::Recruits(i), from, len)
    }

    pub fn net_production(&self, i: usize, from: usize, len: f64) -> f64 {
        self.integral(self.production[i], TargetKind::Production(i), from, len)
            - self.integral(self.burn[i], TargetKind::Burn(i), from, len)
    }

    /// The production of side `i` averaged over `len` months after `from` (its own spending,
    /// for the cost of fighting).
    pub fn mean_production(&self, i: usize, from: usize, len: f64) -> f64 {
        if len > 0.0 {
            self.integral(self.production[i], TargetKind::Production(i), from, len) / len
        } else {
            self.production[i]
        }
    }
}

/// The physical state after a month's fighting (or projected to a later month).
#[derive(Clone, Copy, Debug)]
pub(super) struct State {
    /// The month the state is for (a projection starts after it).
    pub month: usize,
    /// The last month whose dispatches of aid are known (the month of the table).
    pub known: usize,
    pub manpower: [f64; 2],
    pub stock: [f64; 2],
    pub held: f64,
    /// Uncapped loss rates of the month (troops a month), `a` then `b`.
    pub loss_rate: [f64; 2],
}

/// The trial's constants, shared by the month loop and the table.
pub(super) struct Trial<'a> {
    pub st: &'a Structure,
    pub draws: &'a Draws<'a>,
    pub quality: [f64; 2],
    pub inv_reference: [f64; 2],
    pub saturation: f64,
    pub floor: f64,
}

impl Trial<'_> {
    /// Combat power from manpower and stock, with the trial's quality and reference.
    #[inline]
    pub fn power(&self, m: f64, k: f64, i: usize) -> f64 {
        (m * materiel_factor(k, self.inv_reference[i], self.saturation, self.floor)
            * self.quality[i])
            .max(MIN_POWER)
    }

    /// The outlook at the table of month `t`: the rates and amounts in force, and the
    /// scheduled events after `t` (fixed month), each weighted by its probability.
    pub fn outlook(&self, sc: &MonthlyScratch, t: usize, out: &mut Outlook) {
        let st = self.st;
        let cur = &sc.cur;
        out.recruits = [cur[st.sides[0].recruits], cur[st.sides[1].recruits]];
        out.production = [cur[st.sides[0].production], cur[st.sides[1].production]];
        out.burn = [cur[st.sides[0].burn], cur[st.sides[1].burn]];
        out.amount.clear();
        out.amount.extend(st.aid.iter().map(|p| cur[p.amount]));
        out.changes.clear();
        for ev in &st.events {
            let super::structure::WhenPlan::Month { slot, fixed: true } = ev.when else {
                continue;
            };
            let m = super::monthly::event_month_of(cur[slot]) as usize;
            if m <= t {
                continue;
            }
            let p = cur[ev.probability].clamp(0.0, 1.0);
            for ch in &ev.changes {
                if ch.kind == TargetKind::Other {
                    continue;
                }
                let now = cur[ch.target];
                let new = super::monthly::changed(now, ch, cur);
                out.changes.push(Anticipated {
                    month: m,
                    kind: ch.kind,
                    delta: p * (new - now),
                });
            }
        }
    }

    /// Expected aid arriving at `side` in months `from + 1 ..= from + months`, as seen at the
    /// table of month `known`: dispatches up to `known` at the amounts sent, later ones at the
    /// outlook's amounts with its anticipated changes; a stream whose cut-off month is after
    /// `known` continues with its probability.
    pub fn aid_expected(
        &self,
        sc: &MonthlyScratch,
        side: usize,
        known: usize,
        from: usize,
        months: usize,
        outlook: &Outlook,
    ) -> f64 {
        let t_max = self.st.horizon;
        let mut total = 0.0;
        for (s, plan) in self.st.aid.iter().enumerate() {
            if plan.side != side {
                continue;
            }
            let c = match sc.cutoff_month.get(s).copied().flatten() {
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
            let plan_shares = sc.aid_shares(plan, s);
            let end = plan_shares.share_always.len() - 1;
            let last = (from + months).min(end);
            let lag = plan.lag as usize;
            // Dispatches already made (dispatch month <= known): their amounts are known.
            let sent_until = (known + lag).min(last);
            for u in (from + 1)..=sent_until {
                // Arrivals in months before `lag + 1` were dispatched before month 1.
                let Some(d) = u.checked_sub(lag) else {
                    continue;
                };
                if d >= 1 && d <= t_max {
                    total += sc.amount_hist[s * (t_max + 1) + d]
                        * (plan_shares.share_always[u] + c * plan_shares.share_if_continues[u]);
                }
            }
            let lo = sent_until.max(from);
            if last > lo {
                let cum =
                    |u: usize| plan_shares.cum_always[u] + c * plan_shares.cum_if_continues[u];
                total += outlook.amount.get(s).copied().unwrap_or(0.0) * (cum(last) - cum(lo));
                for ch in &outlook.changes {
                    if ch.kind == TargetKind::Aid(s) {
                        let start = (ch.month + lag).saturating_sub(1).max(lo);
                        if last > start {
                            total += ch.delta * (cum(last) - cum(start));
                        }
                    }
                }
            }
        }
        total
    }

    /// Effective troops joining `side` in months `from + 1 ..= from + months`.
    pub fn joins(&self, sc: &MonthlyScratch, side: usize, from: usize, months: usize) -> f64 {
        let span = self.st.horizon + self.st.ext_months;
        let row = &sc.joins[side * (span + 1)..(side + 1) * (span + 1)];
        let last = (from + months).min(span);
        if last <= from {
            return 0.0;
        }
        row[from + 1..=last].iter().sum()
    }

    /// The state `gap` months after `now` as a side with belief `belief` (edge units) expects
    /// it: recruits and losses at the outlook's and the month's rates, production, burn and
    /// aid, contingents joining, and the front moving by the believed drift (the mean of the
    /// drift now and at the end).
    pub fn project(
        &self,
        sc: &MonthlyScratch,
        now: &State,
        outlook: &Outlook,
        gap: f64,
        belief: f64,
        x_now: f64,
    ) -> (State, [f64; 2]) {
        let st = self.st;
        let months = gap.round().max(0.0) as usize;
        let mut later = *now;
        later.month = now.month + months;
        for j in 0..2 {
            later.manpower[j] = (now.manpower[j] + outlook.recruits(j, now.month, gap)
                - now.loss_rate[j] * gap
                + self.joins(sc, j, now.month, months))
            .max(0.0);
            later.stock[j] = (now.stock[j]
                + outlook.net_production(j, now.month, gap)
                + self.aid_expected(sc, j, now.known, now.month, months, outlook))
            .max(0.0);
        }
        let power = [
            self.power(later.manpower[0], later.stock[0], 0),
            self.power(later.manpower[1], later.stock[1], 1),
        ];
        let x_later = balance(power[0], power[1], sc.cur[st.battle.break_even]);
        let speed = sc.cur[st.battle.front_speed];
        later.held = (now.held + gap * speed * (0.5 * (x_now + x_later) + belief))
            .clamp(0.0, sc.cur[st.battle.contested]);
        (later, power)
    }

    /// Each side's expected share of the issue from fighting on `tau` months from `now`, by
    /// its own belief (`beliefs[i]`, edge units): `(1 - s) p + s y`, with `p` the chance of
    /// prevailing from the projected balance and `y` the share of the projected line.
    #[allow(clippy::too_many_arguments)]
    pub fn war_values(
        &self,
        sc: &MonthlyScratch,
        now: &State,
        outlook: &Outlook,
        beliefs: [f64; 2],
        tau: f64,
        x_now: f64,
    ) -> [f64; 2] {
        let st = self.st;
        let n = sc.cur[st.battle.decisiveness];
        let s = sc.cur[st.battle.stalemate];
        let area = sc.cur[st.battle.contested];
        let r = sc.cur[st.battle.break_even];
        // The physical projection is common; only the believed edge differs.
        let (end, power) = self.project(sc, now, outlook, tau, 0.0, x_now);
        let x_end = balance(power[0], power[1], r);
        let speed = sc.cur[st.battle.front_speed];
        beliefs.map(|m| {
            let p = prevail_a(x_end + m, n);
            let held = (end.held + tau * speed * m).clamp(0.0, area);
            (1.0 - s) * p + s * (1.0 - held / area)
        })
    }

    /// Each side's cost of fighting `months` more months from `now`, in shares of the issue:
    /// its loss rate over its casualty tolerance plus its own production over its spending
    /// tolerance.
    pub fn cost(
        &self,
        sc: &MonthlyScratch,
        now: &State,
        outlook: &Outlook,
        months: f64,
    ) -> [f64; 2] {
        let st = self.st;
        [0, 1].map(|i| {
            let side = &st.sides[i];
            (now.loss_rate[i] / sc.cur[side.casualty_tolerance]
                + outlook.mean_production(i, now.month, months) / sc.cur[side.spending_tolerance])
                * months
        })
    }

    /// Each side's manpower and stock after `S` months of peace from `now`, before any cap:
    /// demobilisation, peacetime recruiting and consumption, and the aid expected to arrive.
    /// The same for every package of the month's table.
    pub fn peace(&self, sc: &MonthlyScratch, now: &State, outlook: &Outlook) -> [(f64, f64); 2] {
        let st = self.st;
        let months = st.shift_months as usize;
        let s_months = f64::from(st.shift_months);
        [0, 1].map(|i| {
            let side = &st.sides[i];
            let m = now.manpower[i] * (1.0 - sc.cur[side.peace_demobilised].clamp(0.0, 1.0))
                + sc.cur[side.recruits] * sc.cur[side.peace_recruit_share] * s_months;
            let k = (now.stock[i]
                + (sc.cur[side.production] - sc.cur[side.peace_consumption]) * s_months
                + self.aid_expected(sc, i, now.known, now.month, months, outlook))
            .max(0.0);
            (m, k)
        })
    }

    /// The balance after the peace of [`Trial::peace`] under a package's caps on each side's
    /// rebuilding (the share of the rise of manpower and stock above today's it prevents).
    pub fn peace_balance(
        &self,
        sc: &MonthlyScratch,
        now: &State,
        peace: [(f64, f64); 2],
        caps: [f64; 2],
    ) -> f64 {
        let mut c = [0.0; 2];
        for (i, ci) in c.iter_mut().enumerate() {
            let m0 = now.manpower[i];
            let k0 = now.stock[i];
            let (mut m, mut k) = peace[i];
            let keep = 1.0 - caps[i].clamp(0.0, 1.0);
            if m > m0 {
                m = m0 + (m - m0) * keep;
            }
            if k > k0 {
                k = k0 + (k - k0) * keep;
            }
            *ci = self.power(m, k, i);
        }
        balance(c[0], c[1], sc.cur[self.st.battle.break_even])
    }

    /// Whether a package is durable at the table of `now` (the commitment test of format
    /// version 2), given the balance `x_peace` after the peace under its caps
    /// ([`Trial::peace_balance`]) and its guarantee: the declining side (by its own belief)
    /// fights if the fall of its expected share, stalemate included, outweighs a period's cost
    /// of war.
    #[allow(clippy::too_many_arguments)]
    pub fn durable(
        &self,
        sc: &MonthlyScratch,
        now: &State,
        x_peace: f64,
        power_now: [f64; 2],
        guarantee: f64,
        beliefs: [f64; 2],
        line_share_a: f64,
    ) -> bool {
        let st = self.st;
        let s_months = f64::from(st.shift_months);
        let r = sc.cur[st.battle.break_even];
        let n = sc.cur[st.battle.decisiveness];
        let s = sc.cur[st.battle.stalemate];
        let x_now = balance(power_now[0], power_now[1], r);
        let cost = |i: usize| {
            let side = &st.sides[i];
            (now.loss_rate[i] / sc.cur[side.casualty_tolerance]
                + sc.cur[side.production] / sc.cur[side.spending_tolerance])
                * s_months
        };
        let holds = |delta: f64, e_now: f64, e_next: f64, c: f64| {
            !super::commitment::declining_side_fights(delta, e_now, e_next, c)
        };
        if x_peace > x_now {
            // b gains in peace: a declines; a guarantee shrinks a's decline.
            let p_now = prevail_a(x_now + beliefs[0], n);
            let p_raw = prevail_a(x_peace + beliefs[0], n);
            let p_next = p_now + (p_raw - p_now) * (1.0 - guarantee.clamp(0.0, 1.0));
            let e_now = (1.0 - s) * p_now + s * line_share_a;
            let e_next = (1.0 - s) * p_next + s * line_share_a;
            let delta = sc.cur[st.sides[0].patience].powi(st.shift_months as i32);
            holds(delta, e_now, e_next, cost(0))
        } else if x_peace < x_now {
            let q_now = 1.0 - prevail_a(x_now + beliefs[1], n);
            let q_next = 1.0 - prevail_a(x_peace + beliefs[1], n);
            let e_now = (1.0 - s) * q_now + s * (1.0 - line_share_a);
            let e_next = (1.0 - s) * q_next + s * (1.0 - line_share_a);
            let delta = sc.cur[st.sides[1].patience].powi(st.shift_months as i32);
            holds(delta, e_now, e_next, cost(1))
        } else {
            true
        }
    }

    /// The split of the range and the weight of `a` in the Nash product, from the patience
    /// in force.
    pub fn split(&self, sc: &MonthlyScratch) -> Split {
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
    pub fn utilities(&self, sc: &MonthlyScratch, k: usize, line: f64) -> [f64; 2] {
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

    /// The level of attribute `attr` in package `k` (0 when the package leaves it out).
    pub fn level(&self, sc: &MonthlyScratch, k: usize, attr: usize) -> f64 {
        self.st.packages[k]
            .levels
            .get(attr)
            .map_or(0.0, |&slot| sc.cur[slot])
    }
}

/// The two fighting values `(d_a, d_b)` from the expected shares and costs.
pub(super) fn fighting_values(expected: [f64; 2], cost: [f64; 2]) -> [f64; 2] {
    [expected[0] - cost[0], 1.0 - expected[1] - cost[1]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrals_count_the_months_after_a_change() {
        let o = Outlook {
            production: [2.0, 0.0],
            changes: vec![Anticipated {
                month: 4,
                kind: TargetKind::Production(0),
                delta: -1.0,
            }],
            ..Outlook::default()
        };
        // Months 2..=7 from the table of month 1: 6 months at 2, months 4..=7 at 1.
        assert_eq!(
            o.integral(2.0, TargetKind::Production(0), 1, 6.0),
            12.0 - 4.0
        );
        // A window that ends before the change.
        assert_eq!(o.integral(2.0, TargetKind::Production(0), 0, 3.0), 6.0);
        // A window that starts after it.
        assert_eq!(o.integral(2.0, TargetKind::Production(0), 5, 2.0), 2.0);
        assert_eq!(o.mean_production(0, 1, 6.0), 8.0 / 6.0);
    }
}
