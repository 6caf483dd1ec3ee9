//! The shape of one trial, compiled once per run from a validated scenario: where each input
//! sits in the flat value vector, when aid arrives, when contingents join, what packages
//! offer. Nothing here is random; a trial is this structure plus one value per input.

use std::collections::HashMap;

use crate::scenario::registry::{BattleField as BF, ChangeOp, InputKey, SideField as SF};
use crate::scenario::{Change, Dist, Protocol, Schedule, SideRef, Territory, ValidScenario, When};

/// `out[u]` = the sum of `shares[1..=u]` (index 0 is 0); `out` is overwritten.
fn running_sum(shares: &[f64], out: &mut Vec<f64>) {
    out.clear();
    let mut acc = 0.0;
    for (u, x) in shares.iter().enumerate() {
        if u > 0 {
            acc += x;
        }
        out.push(acc);
    }
}

/// Index of each side field in the value vector.
#[derive(Clone, Debug, Default)]
pub struct SideIdx {
    pub manpower: usize,
    pub recruits: usize,
    /// Absent when derived from the other side's losses and the exchange ratio.
    pub losses: Option<usize>,
    pub materiel: usize,
    pub materiel_reference: usize,
    pub production: usize,
    pub burn: usize,
    pub quality: usize,
    pub casualty_tolerance: usize,
    pub spending_tolerance: usize,
    pub patience: usize,
    pub optimism: usize,
    /// Format version 2 (the zero or one slot when the file leaves them out).
    pub prior_sd: usize,
    pub peace_demobilised: usize,
    pub peace_recruit_share: usize,
    pub peace_consumption: usize,
}

/// Index of each battlefield field in the value vector.
#[derive(Clone, Debug, Default)]
pub struct BattleIdx {
    pub front_speed: usize,
    pub break_even: usize,
    pub noise: usize,
    pub exchange_ratio: Option<usize>,
    pub saturation: usize,
    pub floor: usize,
    pub decisiveness: usize,
    pub stalemate: usize,
    pub continuation: usize,
    /// Format version 2: the true hidden edge of `b`, km2 a month (the zero slot if absent).
    pub hidden_edge: usize,
    /// The contested area and the area `b` holds at the start, km2 (the start is capped at
    /// the contested area in each trial).
    pub contested: usize,
    pub held: usize,
}

/// One aid stream, compiled.
#[derive(Clone, Debug)]
pub struct AidPlan {
    /// Receiving side, 0 = a, 1 = b.
    pub side: usize,
    pub amount: usize,
    /// Index of the continuation probability, when the stream has a cut-off.
    pub continue_probability: Option<usize>,
    /// Months from dispatch to arrival.
    pub lag: u32,
    /// Index of the cut-off month, when the stream has a cut-off: dispatches after it happen
    /// only if the stream continues, and from the table of this month on the sides know
    /// whether it does.
    pub cutoff: Option<usize>,
    /// Where the amount arrives: for the file's cut-off month when it is fixed (or there is
    /// none). A drawn cut-off month has its shares built for each trial into the trial's
    /// scratch space ([`AidPlan::shares_into`]), by the same arithmetic.
    pub shares: AidShares,
    /// True when the cut-off month is drawn per trial.
    pub cutoff_drawn: bool,
    /// What [`AidPlan::shares_into`] needs: the schedule and the spans it covers.
    pub schedule: Schedule,
    pub horizon: usize,
    pub span: usize,
    pub shift_months: u32,
    pub monthly: bool,
}

/// Where an aid stream's amount arrives, for one cut-off month.
#[derive(Clone, Debug, Default)]
pub struct AidShares {
    /// Share of the amount arriving in month t (index t - 1) whatever happens.
    pub arrive_always: Vec<f64>,
    /// Share arriving in month t only if the stream continues past its cut-off.
    pub arrive_if_continues: Vec<f64>,
    /// Share of the amount arriving in the months of peace projected after a deal (months
    /// `T+1 ..= T+shift_months`), whatever happens / only if the stream continues.
    pub after_always: f64,
    pub after_if_continues: f64,
    /// Format version 2: share of the amount arriving in month `u` (index `u`, index 0
    /// unused) whatever happens / only if the stream continues, over the horizon and the
    /// months the sides look ahead (`Structure::ext_months`), and their running sums
    /// (`cum_*[u]` = shares arriving in months 1..=u).
    pub share_always: Vec<f64>,
    pub share_if_continues: Vec<f64>,
    pub cum_always: Vec<f64>,
    pub cum_if_continues: Vec<f64>,
}

impl AidPlan {
    /// The stream's cut-off month in a trial with values `v` (rounded to a whole month).
    #[inline]
    pub fn cutoff_month(&self, v: &[f64]) -> Option<u32> {
        self.cutoff.map(|slot| month_of(v[slot], 0))
    }

    /// Builds the stream's shares for a trial with values `v` into `out`, reusing its
    /// buffers: the arithmetic of a file with the trial's cut-off month written in.
    pub fn shares_into(&self, v: &[f64], out: &mut AidShares) {
        aid_shares(
            out,
            &self.schedule,
            self.lag,
            self.cutoff_month(v),
            self.horizon,
            self.span,
            self.shift_months,
            self.monthly,
        );
    }
}

/// The whole month a month-valued input stands for: rounded, at least `min`.
#[inline]
pub fn month_of(x: f64, min: u32) -> u32 {
    if x.is_finite() {
        x.round().clamp(f64::from(min), f64::from(u32::MAX)) as u32
    } else {
        min
    }
}

/// One troop contingent, compiled.
#[derive(Clone, Debug)]
pub struct TroopPlan {
    pub side: usize,
    pub size: usize,
    pub effectiveness: usize,
    /// Index of the month of arrival (1-based, rounded); after the horizon means it never
    /// fights in the run.
    pub arrival: usize,
}

impl TroopPlan {
    /// The month of arrival in a trial with values `v`.
    #[inline]
    pub fn arrival_month(&self, v: &[f64]) -> u32 {
        month_of(v[self.arrival], 1)
    }
}

/// One package, compiled.
#[derive(Clone, Debug)]
pub struct PackagePlan {
    /// Index of the territory share for `a`, or `None` for a freeze on the line.
    pub territory: Option<usize>,
    /// Index of each attribute level, in attribute order.
    pub levels: Vec<usize>,
}

/// What a change of an event or a lever does, compiled: `cur[target] = cur[target] * cur[value]`
/// (scale) or `cur[target] = cur[value]` (set).
#[derive(Clone, Debug)]
pub struct ChangePlan {
    pub target: usize,
    pub scale: bool,
    pub value: usize,
    /// What the projections see of it.
    pub kind: TargetKind,
}

/// The inputs a side's projection reads, for the changes that touch them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    /// The amount of aid stream `s`.
    Aid(usize),
    Recruits(usize),
    Production(usize),
    Burn(usize),
    /// Anything else: it takes effect when it happens but is not projected.
    Other,
}

/// When an event happens, compiled.
#[derive(Clone, Copy, Debug)]
pub enum WhenPlan {
    /// In the month of this slot (rounded); `fixed` when the month is a plain number, which
    /// makes the event scheduled: the sides anticipate it with its probability.
    Month { slot: usize, fixed: bool },
    /// With the probability of this slot in every month.
    Hazard(usize),
}

/// One event, compiled.
#[derive(Clone, Debug)]
pub struct EventPlan {
    pub when: WhenPlan,
    pub probability: usize,
    pub changes: Vec<ChangePlan>,
}

/// One pressure lever, compiled.
#[derive(Clone, Debug)]
pub struct LeverPlan {
    /// The side pressed, 0 = a, 1 = b.
    pub side: usize,
    /// The packages it backs.
    pub backs: Vec<usize>,
    pub probability: usize,
    pub from_month: u32,
    pub changes: Vec<ChangePlan>,
}

/// Everything a trial needs besides the drawn values.
#[derive(Clone, Debug)]
pub struct Structure {
    /// Months simulated.
    pub horizon: usize,
    /// Length of the value vector: one entry per catalogued input, then one slot that is
    /// always 0 (the level of an attribute a package leaves out) and one that is always 1.
    pub n_values: usize,
    /// Index of the always-zero slot.
    pub zero_slot: usize,
    pub sides: [SideIdx; 2],
    pub battle: BattleIdx,
    /// The area `b` holds at the start when the file fixes it (and the contested area), else
    /// `None`: each trial then draws its own.
    pub held_fixed: Option<f64>,
    pub aid: Vec<AidPlan>,
    pub troops: Vec<TroopPlan>,
    pub packages: Vec<PackagePlan>,
    /// Weight indices per side, in attribute order.
    pub weights: [Vec<usize>; 2],
    pub protocol: Protocol,
    pub shift_months: u32,
    /// The file format version: 1 runs the one-shot model, 2 bargaining while fighting.
    pub version: u32,
    /// Format version 2: when the table meets.
    pub talks: crate::scenario::Talks,
    /// Index of a slot that is always 1.
    pub one_slot: usize,
    /// Format version 2: months after the horizon that the arrays of aid shares cover (how
    /// far the sides can look ahead).
    pub ext_months: usize,
    pub events: Vec<EventPlan>,
    pub levers: Vec<LeverPlan>,
    /// Slots that events or levers can change.
    pub dynamic_slots: Vec<usize>,
}

impl Structure {
    /// True for format version 2 and later: the table meets during the war.
    pub fn monthly(&self) -> bool {
        self.version >= 2
    }
}

/// Where a stream's amount arrives for one cut-off month (`None`: the stream has none),
/// written into `plan` (its buffers are reused).
#[allow(clippy::too_many_arguments)]
fn aid_shares(
    plan: &mut AidShares,
    schedule: &Schedule,
    lag: u32,
    cutoff: Option<u32>,
    horizon: usize,
    span: usize,
    shift_months: u32,
    monthly: bool,
) {
    let zero = |v: &mut Vec<f64>, n: usize| {
        v.clear();
        v.resize(n, 0.0);
    };
    zero(&mut plan.arrive_always, horizon);
    zero(&mut plan.arrive_if_continues, horizon);
    zero(&mut plan.share_always, span + 1);
    zero(&mut plan.share_if_continues, span + 1);
    plan.after_always = 0.0;
    plan.after_if_continues = 0.0;
    let conditional = |dispatch: u32| cutoff.is_some_and(|c| dispatch > c);
    let after_end = horizon + shift_months as usize;
    let mut add = |dispatch: u32, share: f64| {
        let arrival = dispatch.saturating_add(lag) as usize;
        let cond = conditional(dispatch);
        if monthly && arrival >= 1 && arrival <= span {
            if cond {
                plan.share_if_continues[arrival] += share;
            } else {
                plan.share_always[arrival] += share;
            }
        }
        if arrival >= 1 && arrival <= horizon {
            if cond {
                plan.arrive_if_continues[arrival - 1] += share;
            } else {
                plan.arrive_always[arrival - 1] += share;
            }
        } else if arrival > horizon && arrival <= after_end {
            if cond {
                plan.after_if_continues += share;
            } else {
                plan.after_always += share;
            }
        }
    };
    match schedule {
        Schedule::Monthly { from_month } => {
            // Every month of the horizon and of the projected peace (format version 2: and
            // of every month the sides can look ahead).
            let last = if monthly { span } else { after_end };
            for m in (*from_month).max(1)..=last as u32 {
                add(m, 1.0);
            }
        }
        Schedule::Window {
            from_month,
            to_month,
        } => {
            let n = f64::from(to_month - from_month + 1);
            for m in *from_month..=*to_month {
                add(m, 1.0 / n);
            }
        }
        Schedule::Shares(shares) => {
            for (k, share) in shares.iter().enumerate() {
                add(k as u32 + 1, *share);
            }
        }
    }
    running_sum(&plan.share_always, &mut plan.cum_always);
    running_sum(&plan.share_if_continues, &mut plan.cum_if_continues);
}

impl Structure {
    /// Compiles a validated scenario. Returns the structure and the key of each value slot.
    pub fn compile(vs: &ValidScenario) -> (Structure, Vec<InputKey>) {
        let sc = vs.scenario();
        let mut keys = Vec::new();
        sc.visit_inputs(|k, _, _| keys.push(k));
        let index: HashMap<InputKey, usize> =
            keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        let at = |k: InputKey| index.get(&k).copied().unwrap_or(0);
        let opt = |k: InputKey| index.get(&k).copied();
        let zero_slot = keys.len();
        let one_slot = keys.len() + 1;
        let or_zero = |k: InputKey| opt(k).unwrap_or(zero_slot);
        let side = |s: SideRef| SideIdx {
            manpower: at(InputKey::Side(s, SF::Manpower)),
            recruits: at(InputKey::Side(s, SF::Recruits)),
            losses: opt(InputKey::Side(s, SF::Losses)),
            materiel: at(InputKey::Side(s, SF::Materiel)),
            materiel_reference: at(InputKey::Side(s, SF::MaterielReference)),
            production: at(InputKey::Side(s, SF::Production)),
            burn: at(InputKey::Side(s, SF::Burn)),
            quality: at(InputKey::Side(s, SF::Quality)),
            casualty_tolerance: at(InputKey::Side(s, SF::CasualtyTolerance)),
            spending_tolerance: at(InputKey::Side(s, SF::SpendingTolerance)),
            patience: at(InputKey::Side(s, SF::Patience)),
            optimism: at(InputKey::Side(s, SF::Optimism)),
            prior_sd: or_zero(InputKey::Side(s, SF::PriorUncertainty)),
            peace_demobilised: or_zero(InputKey::Side(s, SF::PeaceDemobilised)),
            peace_recruit_share: opt(InputKey::Side(s, SF::PeaceRecruitShare)).unwrap_or(one_slot),
            peace_consumption: or_zero(InputKey::Side(s, SF::PeaceConsumption)),
        };
        let b = |f: BF| at(InputKey::Battle(f));
        let battle = BattleIdx {
            front_speed: b(BF::FrontSpeed),
            break_even: b(BF::BreakEven),
            noise: b(BF::Noise),
            exchange_ratio: opt(InputKey::Battle(BF::ExchangeRatio)),
            saturation: b(BF::Saturation),
            floor: b(BF::Floor),
            decisiveness: b(BF::Decisiveness),
            stalemate: b(BF::Stalemate),
            continuation: b(BF::Continuation),
            hidden_edge: or_zero(InputKey::Battle(BF::HiddenEdge)),
            contested: b(BF::Contested),
            held: b(BF::Held),
        };
        // How far the sides look ahead: the longest projection (the continuation's largest
        // value, at most the field's maximum) or the peace after a deal, whichever is longer.
        let continuation_hi = vs
            .input_by_key(InputKey::Battle(BF::Continuation))
            .map_or(0.0, |i| i.value.reach().1);
        let ext_months = (continuation_hi.clamp(0.0, 600.0).ceil() as usize)
            .max(sc.bargaining.shift_months as usize)
            .max(1);
        let horizon = sc.simulation.horizon_months as usize;
        let side_of = |id: &str| usize::from(id != sc.sides.a.id);
        let aid = sc
            .aid
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let span = horizon + ext_months;
                let cutoff = s.cutoff.as_ref().map(|c| &c.month.value);
                let mut plan = AidPlan {
                    side: side_of(&s.recipient),
                    amount: at(InputKey::AidAmount(i)),
                    continue_probability: opt(InputKey::AidContinue(i)),
                    lag: s.lag_months,
                    cutoff: cutoff.and_then(|_| opt(InputKey::AidCutoffMonth(i))),
                    shares: AidShares::default(),
                    cutoff_drawn: cutoff.is_some_and(|d| !d.is_fixed()),
                    schedule: s.schedule.clone(),
                    horizon,
                    span,
                    shift_months: sc.bargaining.shift_months,
                    monthly: sc.version >= 2,
                };
                // The file's month (a drawn one is built per trial; these shares are then
                // those of its central month, for whatever reads the plan without a trial).
                let month = cutoff.map(|d| month_of(d.central(), 0));
                let mut shares = AidShares::default();
                aid_shares(
                    &mut shares,
                    &plan.schedule,
                    plan.lag,
                    month,
                    horizon,
                    span,
                    plan.shift_months,
                    plan.monthly,
                );
                plan.shares = shares;
                plan
            })
            .collect();
        let troops = sc
            .troops
            .iter()
            .enumerate()
            .map(|(i, t)| TroopPlan {
                side: side_of(&t.recipient),
                size: at(InputKey::TroopSize(i)),
                effectiveness: at(InputKey::TroopEffectiveness(i)),
                arrival: at(InputKey::TroopArrival(i)),
            })
            .collect();
        let n_attr = sc.attribute_names().len();
        let packages = sc
            .bargaining
            .packages
            .iter()
            .enumerate()
            .map(|(i, p)| PackagePlan {
                territory: match p.territory {
                    Territory::Line => None,
                    Territory::Share(_) => opt(InputKey::PackageTerritory(i)),
                },
                levels: (0..n_attr)
                    .map(|k| opt(InputKey::PackageAttr(i, k)).unwrap_or(keys.len()))
                    .collect(),
            })
            .collect();
        let weights = [SideRef::A, SideRef::B].map(|s| {
            (0..n_attr)
                .map(|k| or_zero(InputKey::Weight(s, k)))
                .collect()
        });
        let paths: HashMap<String, InputKey> = {
            let mut m = HashMap::new();
            sc.visit_inputs(|k, p, _| {
                m.insert(p.to_string(), k);
            });
            m
        };
        let stream_of_amount = |k: InputKey| match k {
            InputKey::AidAmount(s) => Some(s),
            _ => None,
        };
        let compile_changes =
            |changes: &[Change], value_key: &dyn Fn(usize, ChangeOp) -> InputKey| {
                changes
                    .iter()
                    .enumerate()
                    .filter_map(|(c, ch)| {
                        let target_key = *paths.get(ch.target())?;
                        let target = opt(target_key)?;
                        let (scale, op) = match ch {
                            Change::Scale { .. } => (true, ChangeOp::Scale),
                            Change::Set { .. } => (false, ChangeOp::Set),
                        };
                        let kind = match target_key {
                            InputKey::Side(s, SF::Recruits) => TargetKind::Recruits(s.index()),
                            InputKey::Side(s, SF::Production) => TargetKind::Production(s.index()),
                            InputKey::Side(s, SF::Burn) => TargetKind::Burn(s.index()),
                            k => stream_of_amount(k).map_or(TargetKind::Other, TargetKind::Aid),
                        };
                        Some(ChangePlan {
                            target,
                            scale,
                            value: opt(value_key(c, op))?,
                            kind,
                        })
                    })
                    .collect::<Vec<_>>()
            };
        let events: Vec<EventPlan> = sc
            .events
            .iter()
            .enumerate()
            .map(|(e, ev)| EventPlan {
                when: match &ev.when {
                    When::Month(input) => WhenPlan::Month {
                        slot: or_zero(InputKey::EventMonth(e)),
                        fixed: input.value.is_fixed(),
                    },
                    When::Hazard(_) => WhenPlan::Hazard(or_zero(InputKey::EventHazard(e))),
                },
                probability: opt(InputKey::EventProbability(e)).unwrap_or(one_slot),
                changes: compile_changes(&ev.changes, &|c, op| InputKey::EventChange(e, c, op)),
            })
            .collect();
        let levers: Vec<LeverPlan> = sc
            .pressure
            .iter()
            .enumerate()
            .map(|(l, lever)| LeverPlan {
                side: side_of(&lever.on),
                backs: lever
                    .backs
                    .iter()
                    .filter_map(|b| sc.bargaining.packages.iter().position(|p| &p.name == b))
                    .collect(),
                probability: opt(InputKey::LeverProbability(l)).unwrap_or(one_slot),
                from_month: lever.from_month,
                changes: compile_changes(&lever.changes, &|c, op| InputKey::LeverChange(l, c, op)),
            })
            .collect();
        let mut dynamic_slots: Vec<usize> = events
            .iter()
            .flat_map(|e| e.changes.iter().map(|c| c.target))
            .chain(
                levers
                    .iter()
                    .flat_map(|l| l.changes.iter().map(|c| c.target)),
            )
            .collect();
        dynamic_slots.sort_unstable();
        dynamic_slots.dedup();
        let structure = Structure {
            horizon,
            n_values: keys.len() + 2,
            zero_slot,
            sides: [side(SideRef::A), side(SideRef::B)],
            battle,
            held_fixed: match (
                &sc.battlefield.contested_km2.value,
                &sc.battlefield.held_by_b_km2.value,
            ) {
                (Dist::Fixed(c), Dist::Fixed(h)) => Some(h.min(*c)),
                _ => None,
            },
            aid,
            troops,
            packages,
            weights,
            protocol: sc.bargaining.protocol.clone(),
            shift_months: sc.bargaining.shift_months,
            version: sc.version,
            talks: sc.bargaining.talks.unwrap_or_default(),
            one_slot,
            ext_months,
            events,
            levers,
            dynamic_slots,
        };
        (structure, keys)
    }
}
