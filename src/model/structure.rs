//! The shape of one trial, compiled once per run from a validated scenario: where each input
//! sits in the flat value vector, when aid arrives, when contingents join, what packages
//! offer. Nothing here is random; a trial is this structure plus one value per input.

use std::collections::HashMap;

use crate::scenario::registry::{BattleField as BF, InputKey, SideField as SF};
use crate::scenario::{Protocol, Schedule, SideRef, Territory, ValidScenario};

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
}

/// One aid stream, compiled.
#[derive(Clone, Debug)]
pub struct AidPlan {
    /// Receiving side, 0 = a, 1 = b.
    pub side: usize,
    pub amount: usize,
    /// Share of the amount arriving in month t (index t - 1) whatever happens.
    pub arrive_always: Vec<f64>,
    /// Share arriving in month t only if the stream continues past its cut-off.
    pub arrive_if_continues: Vec<f64>,
    /// Share of the amount arriving in the months of peace projected after a deal (months
    /// `T+1 ..= T+shift_months`), whatever happens / only if the stream continues.
    pub after_always: f64,
    pub after_if_continues: f64,
    /// Index of the continuation probability, when the stream has a cut-off.
    pub continue_probability: Option<usize>,
}

/// One troop contingent, compiled.
#[derive(Clone, Debug)]
pub struct TroopPlan {
    pub side: usize,
    pub size: usize,
    pub effectiveness: usize,
    /// Month of arrival (1-based); after the horizon means it never fights in the run.
    pub arrival_month: u32,
}

/// One package, compiled.
#[derive(Clone, Debug)]
pub struct PackagePlan {
    /// Index of the territory share for `a`, or `None` for a freeze on the line.
    pub territory: Option<usize>,
    /// Index of each attribute level, in attribute order.
    pub levels: Vec<usize>,
}

/// Everything a trial needs besides the drawn values.
#[derive(Clone, Debug)]
pub struct Structure {
    /// Months simulated.
    pub horizon: usize,
    /// Length of the value vector: one entry per catalogued input, then one slot that is
    /// always 0 (the level of an attribute a package leaves out).
    pub n_values: usize,
    /// Index of the always-zero slot.
    pub zero_slot: usize,
    pub sides: [SideIdx; 2],
    pub battle: BattleIdx,
    pub contested_km2: f64,
    pub held_by_b_km2: f64,
    pub aid: Vec<AidPlan>,
    pub troops: Vec<TroopPlan>,
    pub packages: Vec<PackagePlan>,
    /// Weight indices per side, in attribute order.
    pub weights: [Vec<usize>; 2],
    pub protocol: Protocol,
    pub shift_months: u32,
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
        };
        let horizon = sc.simulation.horizon_months as usize;
        let side_of = |id: &str| usize::from(id != sc.sides.a.id);
        let aid = sc
            .aid
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut plan = AidPlan {
                    side: side_of(&s.recipient),
                    amount: at(InputKey::AidAmount(i)),
                    arrive_always: vec![0.0; horizon],
                    arrive_if_continues: vec![0.0; horizon],
                    after_always: 0.0,
                    after_if_continues: 0.0,
                    continue_probability: opt(InputKey::AidContinue(i)),
                };
                let cutoff = s.cutoff.as_ref().map(|c| c.month);
                let conditional = |dispatch: u32| cutoff.is_some_and(|c| dispatch > c);
                let lag = s.lag_months;
                let after_end = horizon + sc.bargaining.shift_months as usize;
                let mut add = |dispatch: u32, share: f64| {
                    let arrival = dispatch.saturating_add(lag) as usize;
                    let cond = conditional(dispatch);
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
                match &s.schedule {
                    Schedule::Monthly { from_month } => {
                        // Every month of the horizon and of the projected peace.
                        for m in (*from_month).max(1)..=after_end as u32 {
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
                arrival_month: t.arrival_month,
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
        let weights = [SideRef::A, SideRef::B]
            .map(|s| (0..n_attr).map(|k| at(InputKey::Weight(s, k))).collect());
        let structure = Structure {
            horizon,
            n_values: keys.len() + 1,
            zero_slot: keys.len(),
            sides: [side(SideRef::A), side(SideRef::B)],
            battle,
            contested_km2: sc.battlefield.contested_km2,
            held_by_b_km2: sc.battlefield.held_by_b_km2,
            aid,
            troops,
            packages,
            weights,
            protocol: sc.bargaining.protocol.clone(),
            shift_months: sc.bargaining.shift_months,
        };
        (structure, keys)
    }
}
