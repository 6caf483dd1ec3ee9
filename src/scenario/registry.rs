//! The catalogue of a scenario's numeric inputs: a stable key and field path for each, with
//! its unit, valid range and default slider. Validation, the simulator's input layout, the
//! app's controls and the command line's `inputs`/`--vary` all walk the inputs through here,
//! in one fixed order.
//!
//! Long on purpose: the walk must list every numeric field of the file in one place, in one
//! order (the engine's input layout depends on it), so it is not split by section.

use super::input::{Input, SliderHint};
use super::limits::{MAX_AREA_KM2, MAX_MONTH};
use super::types::{Change, Scenario, SideRef, Territory, When};
use crate::text::fmt_exact;

/// A field of a side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SideField {
    Manpower,
    Recruits,
    Losses,
    Materiel,
    MaterielReference,
    Production,
    Burn,
    Quality,
    CasualtyTolerance,
    SpendingTolerance,
    Patience,
    Optimism,
    PriorUncertainty,
    PeaceDemobilised,
    PeaceRecruitShare,
    PeaceConsumption,
}

impl SideField {
    pub const ALL: [SideField; 16] = [
        SideField::Manpower,
        SideField::Recruits,
        SideField::Losses,
        SideField::Materiel,
        SideField::MaterielReference,
        SideField::Production,
        SideField::Burn,
        SideField::Quality,
        SideField::CasualtyTolerance,
        SideField::SpendingTolerance,
        SideField::Patience,
        SideField::Optimism,
        SideField::PriorUncertainty,
        SideField::PeaceDemobilised,
        SideField::PeaceRecruitShare,
        SideField::PeaceConsumption,
    ];
}

/// A battlefield field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BattleField {
    /// `contested_km2`.
    Contested,
    /// `held_by_b_km2`.
    Held,
    FrontSpeed,
    BreakEven,
    Noise,
    ExchangeRatio,
    Saturation,
    Floor,
    Decisiveness,
    Stalemate,
    Continuation,
    HiddenEdge,
}

impl BattleField {
    pub const ALL: [BattleField; 12] = [
        BattleField::Contested,
        BattleField::Held,
        BattleField::FrontSpeed,
        BattleField::BreakEven,
        BattleField::Noise,
        BattleField::ExchangeRatio,
        BattleField::Saturation,
        BattleField::Floor,
        BattleField::Decisiveness,
        BattleField::Stalemate,
        BattleField::Continuation,
        BattleField::HiddenEdge,
    ];
}

/// Whether a change multiplies its input or sets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChangeOp {
    Scale,
    Set,
}

/// Names every numeric input of a scenario. Attribute indices count the three built-in
/// attributes (0 security guarantee, 1 sanctions relief, 2 neutrality) then the `other`
/// attributes in the alphabetical order of side `a`'s weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InputKey {
    Side(SideRef, SideField),
    Battle(BattleField),
    AidAmount(usize),
    AidContinue(usize),
    /// The cut-off month of aid stream `s` (`aid[s].cutoff.month`).
    AidCutoffMonth(usize),
    TroopSize(usize),
    /// The arrival month of contingent `c` (`troops[c].arrival_month`).
    TroopArrival(usize),
    TroopEffectiveness(usize),
    Weight(SideRef, usize),
    PackageTerritory(usize),
    PackageAttr(usize, usize),
    /// The month of event `e` (`When::Month`).
    EventMonth(usize),
    /// The monthly hazard of event `e` (`When::Hazard`).
    EventHazard(usize),
    EventProbability(usize),
    /// The value of change `c` of event `e`.
    EventChange(usize, usize, ChangeOp),
    LeverProbability(usize),
    /// The value of change `c` of lever `l`.
    LeverChange(usize, usize, ChangeOp),
}

impl InputKey {
    /// True for the inputs that set the war's geometry and calendar rather than a rate or a
    /// value: the contested and held areas, cut-off and arrival months. They may be uncertain
    /// like any input; sensitivity analyses list them as `structural` and include them, when
    /// fixed, only on request (as they do the structural settings).
    pub fn is_structural(&self) -> bool {
        matches!(
            self,
            InputKey::Battle(BattleField::Contested | BattleField::Held)
                | InputKey::AidCutoffMonth(_)
                | InputKey::TroopArrival(_)
        )
    }
}

/// What a field means and which values it takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FieldSpec {
    /// Short label for controls.
    pub label: &'static str,
    /// Unit label.
    pub unit: &'static str,
    /// Smallest valid value.
    pub min: f64,
    /// True when `min` itself is not valid.
    pub min_open: bool,
    /// Largest valid value.
    pub max: f64,
    /// Default slider range and step (the file's `slider` hints override them).
    pub slider: (f64, f64, f64),
    /// One sentence for tooltips.
    pub help: &'static str,
    /// True when only whole numbers are valid (months, written without a decimal point).
    pub integer: bool,
}

impl FieldSpec {
    /// True when `x` is a valid value of the field (NaN is not; a fraction is not for an
    /// integer field).
    pub fn accepts(&self, x: f64) -> bool {
        x >= self.lowest() && x <= self.max && (!self.integer || x.fract() == 0.0)
    }

    /// The same field taking whole numbers only.
    pub const fn whole(self) -> FieldSpec {
        FieldSpec {
            integer: true,
            ..self
        }
    }

    /// The smallest valid value: `min`, or above an open bound the first value the simulator
    /// tells apart from it (`min` plus 2.2e-16, relative), which is also where it clamps
    /// draws. Tinier values such as 1e-300 would turn a division into infinity.
    pub fn lowest(&self) -> f64 {
        if self.min_open {
            self.min + f64::EPSILON * self.min.abs().max(1.0)
        } else {
            self.min
        }
    }

    /// `x` moved into the values the field accepts: below them to [`FieldSpec::lowest`], above
    /// them to `max`, NaN to the lowest.
    pub fn clamp(&self, x: f64) -> f64 {
        if x >= self.lowest() {
            x.min(self.max)
        } else {
            self.lowest()
        }
    }

    /// The slider of an input of this field: the one rule behind the app's controls, the
    /// analysis tab's axes and `armistice inputs`.
    ///
    /// The range is the file's hints (`hint`), else the field's default range and step. Above an
    /// open lower bound (manpower must be above 0) it starts one step above the bound, or at
    /// [`FieldSpec::lowest`] when that step would leave no range. It is widened to show `value`
    /// (as far as the field accepts it), and it never reaches outside the values the field
    /// accepts: both ends, and every value between them, are valid values of the field, so a
    /// sweep over the range (`--vary NAME=MIN:MAX:STEPS`) and a slider dragged to either end
    /// give valid scenarios.
    pub fn slider_range(&self, hint: Option<&SliderHint>, value: f64) -> SliderRange {
        let (default_lo, default_hi, default_step) = self.slider;
        let hint = hint.cloned().unwrap_or_default();
        let step = hint
            .step
            .filter(|s| *s > 0.0 && s.is_finite())
            .unwrap_or(default_step);
        let wanted_lo = hint.min.filter(|x| x.is_finite()).unwrap_or(default_lo);
        let wanted_hi = hint.max.filter(|x| x.is_finite()).unwrap_or(default_hi);
        let floor = if self.min_open && self.min + step < wanted_hi {
            self.min + step
        } else {
            self.lowest()
        };
        let mut lo = wanted_lo.max(floor).min(self.max);
        let mut hi = wanted_hi.min(self.max).max(self.lowest());
        if value.is_finite() {
            let shown = self.clamp(value);
            lo = lo.min(shown);
            hi = hi.max(shown);
        }
        if !(hi > lo) {
            hi = (lo + step.max(1.0)).min(self.max);
            if !(hi > lo) {
                lo = (hi - step.max(1.0)).max(self.lowest());
            }
        }
        if self.integer {
            // Whole ends within the field, a whole step.
            return SliderRange {
                min: lo.ceil().min(self.max.floor()),
                max: hi.floor().max(lo.ceil()).min(self.max.floor()),
                step: step.round().max(1.0),
            };
        }
        SliderRange {
            min: lo,
            max: hi,
            step,
        }
    }

    /// "within 0..=1", "above 0 and at most 1e6", for messages.
    pub fn describe_range(&self) -> String {
        if self.min_open {
            format!(
                "above {} and at most {}",
                fmt_exact(self.min),
                fmt_exact(self.max)
            )
        } else {
            format!("within {}..={}", fmt_exact(self.min), fmt_exact(self.max))
        }
    }
}

/// A slider's ends and step (see [`FieldSpec::slider_range`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SliderRange {
    /// The left end: a valid value of the field.
    pub min: f64,
    /// The right end: a valid value of the field, above `min`.
    pub max: f64,
    /// The distance between neighbouring slider positions, above 0.
    pub step: f64,
}

const fn spec(
    label: &'static str,
    unit: &'static str,
    min: f64,
    min_open: bool,
    max: f64,
    slider: (f64, f64, f64),
    help: &'static str,
) -> FieldSpec {
    FieldSpec {
        label,
        unit,
        min,
        min_open,
        max,
        slider,
        help,
        integer: false,
    }
}

const SHARE: FieldSpec = spec(
    "Level",
    "0..1",
    0.0,
    false,
    1.0,
    (0.0, 1.0, 0.01),
    "Level of the attribute in this package, from 0 (absent) to 1 (fully present).",
);

/// The spec of a side field.
pub fn side_spec(field: SideField) -> &'static FieldSpec {
    use SideField::*;
    const MANPOWER: FieldSpec = spec(
        "Manpower",
        "troops",
        0.0,
        true,
        1e8,
        (0.0, 2_000_000.0, 10_000.0),
        "Troops in the theatre at the start.",
    );
    const RECRUITS: FieldSpec = spec(
        "Recruits per month",
        "troops/month",
        0.0,
        false,
        1e7,
        (0.0, 100_000.0, 1_000.0),
        "Troops recruited and sent to the front each month.",
    );
    const LOSSES: FieldSpec = spec(
        "Losses per month",
        "troops/month",
        0.0,
        false,
        1e7,
        (0.0, 100_000.0, 1_000.0),
        "Killed and wounded per month at the starting balance of power.",
    );
    const MATERIEL: FieldSpec = spec(
        "Materiel stock",
        "$bn",
        0.0,
        false,
        1e5,
        (0.0, 200.0, 1.0),
        "Stock of materiel at the start, in billions of dollars of equipment.",
    );
    const MATERIEL_REF: FieldSpec = spec(
        "Materiel reference",
        "$bn",
        0.0,
        true,
        1e5,
        (1.0, 200.0, 1.0),
        "Stock at which the side fights at its full quality (materiel factor 1).",
    );
    const PRODUCTION: FieldSpec = spec(
        "Own production",
        "$bn/month",
        0.0,
        false,
        1e4,
        (0.0, 20.0, 0.1),
        "Materiel the side produces or buys itself each month.",
    );
    const BURN: FieldSpec = spec(
        "Materiel burn",
        "$bn/month",
        0.0,
        false,
        1e4,
        (0.0, 20.0, 0.1),
        "Materiel consumed per month of fighting.",
    );
    const QUALITY: FieldSpec = spec(
        "Quality",
        "x",
        0.0,
        true,
        100.0,
        (0.1, 3.0, 0.01),
        "Combat effectiveness per soldier relative to a reference of 1.",
    );
    const CASUALTY_TOL: FieldSpec = spec(
        "Casualty tolerance",
        "troops per issue",
        0.0,
        true,
        1e9,
        (100_000.0, 10_000_000.0, 50_000.0),
        "Casualties the side would bear to win the whole contested issue.",
    );
    const SPENDING_TOL: FieldSpec = spec(
        "Spending tolerance",
        "$bn per issue",
        0.0,
        true,
        1e6,
        (10.0, 5_000.0, 10.0),
        "Own spending the side would bear to win the whole contested issue.",
    );
    const PATIENCE: FieldSpec = spec(
        "Patience",
        "per month",
        0.0,
        true,
        1.0,
        (0.80, 1.0, 0.001),
        "Monthly discount factor: the value of a deal next month relative to one now.",
    );
    const OPTIMISM: FieldSpec = spec(
        "Optimism",
        "win prob.",
        -0.5,
        false,
        0.5,
        (-0.3, 0.3, 0.01),
        "Added to the side's own belief about its chance of winning.",
    );
    const PRIOR_SD: FieldSpec = spec(
        "Prior uncertainty",
        "km2/month",
        0.0,
        false,
        1e6,
        (0.0, 1_000.0, 5.0),
        "Standard deviation of the side's prior about the hidden edge behind the front: 0 never learns.",
    );
    const DEMOB: FieldSpec = spec(
        "Demobilised in peace",
        "share",
        0.0,
        false,
        1.0,
        (0.0, 1.0, 0.01),
        "Share of the side's troops demobilised over the months of peace after a deal.",
    );
    const PEACE_RECRUITS: FieldSpec = spec(
        "Recruiting in peace",
        "share of wartime",
        0.0,
        false,
        10.0,
        (0.0, 2.0, 0.01),
        "Recruits a month in peace, as a share of the wartime rate.",
    );
    const PEACE_USE: FieldSpec = spec(
        "Materiel use in peace",
        "$bn/month",
        0.0,
        false,
        1e4,
        (0.0, 10.0, 0.1),
        "Materiel consumed per month of peace (training, wear).",
    );
    match field {
        PriorUncertainty => &PRIOR_SD,
        PeaceDemobilised => &DEMOB,
        PeaceRecruitShare => &PEACE_RECRUITS,
        PeaceConsumption => &PEACE_USE,
        Manpower => &MANPOWER,
        Recruits => &RECRUITS,
        Losses => &LOSSES,
        Materiel => &MATERIEL,
        MaterielReference => &MATERIEL_REF,
        Production => &PRODUCTION,
        Burn => &BURN,
        Quality => &QUALITY,
        CasualtyTolerance => &CASUALTY_TOL,
        SpendingTolerance => &SPENDING_TOL,
        Patience => &PATIENCE,
        Optimism => &OPTIMISM,
    }
}

/// The spec of a battlefield field.
pub fn battle_spec(field: BattleField) -> &'static FieldSpec {
    use BattleField::*;
    const CONTESTED: FieldSpec = spec(
        "Contested area",
        "km2",
        0.0,
        true,
        MAX_AREA_KM2,
        (10_000.0, 500_000.0, 1_000.0),
        "Area in dispute between the sides.",
    );
    const HELD: FieldSpec = spec(
        "Held by b at the start",
        "km2",
        0.0,
        false,
        MAX_AREA_KM2,
        (0.0, 500_000.0, 1_000.0),
        "Part of the contested area side b holds at the start (capped at the contested area).",
    );
    const SPEED: FieldSpec = spec(
        "Front speed",
        "km2/month",
        0.0,
        false,
        1e6,
        (0.0, 10_000.0, 50.0),
        "Monthly gain of side b per unit of relative power advantage over the break-even ratio.",
    );
    const BREAK_EVEN: FieldSpec = spec(
        "Break-even ratio",
        "C_b/C_a",
        0.0,
        true,
        100.0,
        (0.25, 4.0, 0.01),
        "Power ratio at which the front does not move (attackers need an edge).",
    );
    const NOISE: FieldSpec = spec(
        "Front noise",
        "km2/month",
        0.0,
        false,
        1e6,
        (0.0, 2_000.0, 10.0),
        "Standard deviation of monthly front movement not explained by power.",
    );
    const EXCHANGE: FieldSpec = spec(
        "Exchange ratio",
        "b losses per a loss",
        0.0,
        true,
        1_000.0,
        (0.25, 8.0, 0.05),
        "Losses of side b per loss of side a at the starting balance (contested).",
    );
    const SATURATION: FieldSpec = spec(
        "Materiel saturation",
        "x reference",
        0.0,
        true,
        100.0,
        (0.05, 5.0, 0.05),
        "Half-saturation of the materiel factor: smaller means faster diminishing returns.",
    );
    const FLOOR: FieldSpec = spec(
        "Materiel floor",
        "share",
        0.0,
        false,
        1.0,
        (0.0, 1.0, 0.01),
        "Share of combat power a side keeps with no materiel at all.",
    );
    const DECISIVE: FieldSpec = spec(
        "Decisiveness",
        "exponent n",
        0.0,
        true,
        64.0,
        (0.5, 8.0, 0.5),
        "Contest-success exponent: 1 lottery-like, 2 and 4 increasingly decisive.",
    );
    const STALEMATE: FieldSpec = spec(
        "Stalemate",
        "probability",
        0.0,
        false,
        1.0,
        (0.0, 1.0, 0.01),
        "Probability that fighting on ends in stalemate on the line reached.",
    );
    const CONTINUATION: FieldSpec = spec(
        "War continuation",
        "months",
        0.0,
        false,
        600.0,
        (0.0, 60.0, 1.0),
        "Months the war is expected to go on without a deal (sets the cost of fighting).",
    );
    const HIDDEN_EDGE: FieldSpec = spec(
        "Hidden edge of b",
        "km2/month",
        -1e6,
        false,
        1e6,
        (-1_000.0, 1_000.0, 10.0),
        "Front movement a month in b's favour that the power counts do not show; the sides learn it.",
    );
    match field {
        HiddenEdge => &HIDDEN_EDGE,
        Contested => &CONTESTED,
        Held => &HELD,
        FrontSpeed => &SPEED,
        BreakEven => &BREAK_EVEN,
        Noise => &NOISE,
        ExchangeRatio => &EXCHANGE,
        Saturation => &SATURATION,
        Floor => &FLOOR,
        Decisiveness => &DECISIVE,
        Stalemate => &STALEMATE,
        Continuation => &CONTINUATION,
    }
}

/// The spec of any input key.
pub fn spec_of(key: InputKey) -> &'static FieldSpec {
    const AID: FieldSpec = spec(
        "Amount",
        "$bn",
        0.0,
        false,
        1e5,
        (0.0, 100.0, 0.1),
        "Billions of dollars: the whole amount, or per month for a monthly stream.",
    );
    const CONTINUE: FieldSpec = spec(
        "Continues after cut-off",
        "probability",
        0.0,
        false,
        1.0,
        (0.0, 1.0, 0.01),
        "Probability that the stream goes on after its cut-off month.",
    );
    const SIZE: FieldSpec = spec(
        "Size",
        "troops",
        0.0,
        false,
        1e7,
        (0.0, 200_000.0, 1_000.0),
        "Troops in the contingent.",
    );
    const CUTOFF_MONTH: FieldSpec = spec(
        "Cut-off month",
        "month",
        0.0,
        false,
        MAX_MONTH as f64,
        (0.0, 36.0, 1.0),
        "Dispatches after this month happen only if the stream continues (a distribution is \
         drawn once per trial and rounded to a whole month).",
    )
    .whole();
    const ARRIVAL: FieldSpec = spec(
        "Arrival month",
        "month",
        1.0,
        false,
        MAX_MONTH as f64,
        (1.0, 36.0, 1.0),
        "Month in which the contingent joins the fighting (a distribution is drawn once per \
         trial and rounded to a whole month).",
    )
    .whole();
    const EFFECT: FieldSpec = spec(
        "Effectiveness",
        "0..1",
        0.0,
        false,
        1.0,
        (0.0, 1.0, 0.01),
        "Effectiveness of one of its soldiers relative to one of the recipient's.",
    );
    const WEIGHT: FieldSpec = spec(
        "Weight",
        "territory shares",
        -10.0,
        false,
        10.0,
        (-1.0, 1.0, 0.01),
        "Value of the attribute (0 to 1) in shares of the contested territory; negative if disliked.",
    );
    const TERRITORY: FieldSpec = spec(
        "Territory kept by a",
        "share",
        0.0,
        false,
        1.0,
        (0.0, 1.0, 0.01),
        "Share of the contested area that side a keeps under the package.",
    );
    const EVENT_MONTH: FieldSpec = spec(
        "Month",
        "month",
        1.0,
        false,
        1000.0,
        (1.0, 60.0, 1.0),
        "Month in which the event happens (rounded to a whole month).",
    );
    const HAZARD: FieldSpec = spec(
        "Monthly hazard",
        "probability",
        0.0,
        false,
        1.0,
        (0.0, 0.1, 0.001),
        "Probability that the event happens in any one month.",
    );
    const PROBABILITY: FieldSpec = spec(
        "Probability",
        "probability",
        0.0,
        false,
        1.0,
        (0.0, 1.0, 0.01),
        "Probability that it happens (drawn once per trial).",
    );
    const SCALE: FieldSpec = spec(
        "Factor",
        "x",
        0.0,
        false,
        1e3,
        (0.0, 3.0, 0.01),
        "Multiplies the input it changes.",
    );
    const SET: FieldSpec = spec(
        "New value",
        "as the input",
        -1e9,
        false,
        1e9,
        (0.0, 1.0, 0.01),
        "The value the input takes (it must be valid for that input).",
    );
    match key {
        InputKey::EventMonth(_) => &EVENT_MONTH,
        InputKey::EventHazard(_) => &HAZARD,
        InputKey::EventProbability(_) | InputKey::LeverProbability(_) => &PROBABILITY,
        InputKey::EventChange(_, _, ChangeOp::Scale)
        | InputKey::LeverChange(_, _, ChangeOp::Scale) => &SCALE,
        InputKey::EventChange(_, _, ChangeOp::Set) | InputKey::LeverChange(_, _, ChangeOp::Set) => {
            &SET
        }
        InputKey::Side(_, f) => side_spec(f),
        InputKey::Battle(f) => battle_spec(f),
        InputKey::AidAmount(_) => &AID,
        InputKey::AidContinue(_) => &CONTINUE,
        InputKey::TroopSize(_) => &SIZE,
        InputKey::TroopEffectiveness(_) => &EFFECT,
        InputKey::AidCutoffMonth(_) => &CUTOFF_MONTH,
        InputKey::TroopArrival(_) => &ARRIVAL,
        InputKey::Weight(..) => &WEIGHT,
        InputKey::PackageTerritory(_) => &TERRITORY,
        InputKey::PackageAttr(..) => &SHARE,
    }
}

/// The file name of a side field.
pub fn side_field_name(field: SideField) -> &'static str {
    use SideField::*;
    match field {
        Manpower => "manpower",
        Recruits => "recruits_per_month",
        Losses => "losses_per_month",
        Materiel => "materiel_usd_bn",
        MaterielReference => "materiel_reference_usd_bn",
        Production => "production_usd_bn_per_month",
        Burn => "burn_usd_bn_per_month",
        Quality => "quality",
        CasualtyTolerance => "casualty_tolerance",
        SpendingTolerance => "spending_tolerance_usd_bn",
        Patience => "patience",
        Optimism => "optimism",
        PriorUncertainty => "prior_uncertainty_km2_per_month",
        PeaceDemobilised => "peace_demobilised_share",
        PeaceRecruitShare => "peace_recruit_share",
        PeaceConsumption => "peace_consumption_usd_bn_per_month",
    }
}

/// The file name of a battlefield field.
pub fn battle_field_name(field: BattleField) -> &'static str {
    use BattleField::*;
    match field {
        FrontSpeed => "front_speed_km2_per_month",
        BreakEven => "break_even_ratio",
        Noise => "front_noise_km2",
        ExchangeRatio => "exchange_ratio",
        Saturation => "materiel_saturation",
        Floor => "materiel_floor",
        Decisiveness => "decisiveness",
        Stalemate => "stalemate",
        Continuation => "continuation_months",
        HiddenEdge => "hidden_edge_km2_per_month",
        Contested => "contested_km2",
        Held => "held_by_b_km2",
    }
}

/// The built-in package attributes, in attribute-index order: the first three in every
/// format version, the force caps from format version 2 on.
pub const BUILTIN_ATTRIBUTES: [&str; 5] = [
    "security_guarantee",
    "sanctions_relief",
    "neutrality",
    "force_cap_a",
    "force_cap_b",
];

/// Attribute index of the security guarantee.
pub const ATTR_GUARANTEE: usize = 0;
/// Attribute index of the caps on side `a`'s rebuilding after a deal (format version 2).
pub const ATTR_CAP_A: usize = 3;
/// Attribute index of the caps on side `b`'s rebuilding after a deal (format version 2).
pub const ATTR_CAP_B: usize = 4;

/// How many built-in attributes a file of format `version` has.
pub fn builtin_attribute_count(version: u32) -> usize {
    if version >= 2 { 5 } else { 3 }
}

fn side_letter(s: SideRef) -> &'static str {
    match s {
        SideRef::A => "a",
        SideRef::B => "b",
    }
}

macro_rules! walk_inputs {
    ($sc:expr, $f:expr, $($mutability:tt)*) => {{
        let sc = $sc;
        let f = $f;
        let attr_names: Vec<String> = sc.attribute_names();
        for (side_ref, side) in [(SideRef::A, & $($mutability)* sc.sides.a), (SideRef::B, & $($mutability)* sc.sides.b)] {
            let l = side_letter(side_ref);
            for field in SideField::ALL {
                let path = format!("sides.{l}.{}", side_field_name(field));
                let key = InputKey::Side(side_ref, field);
                let input = match field {
                    SideField::Manpower => Some(& $($mutability)* side.manpower),
                    SideField::Recruits => Some(& $($mutability)* side.recruits_per_month),
                    SideField::Losses => (& $($mutability)* side.losses_per_month).opt_ref(),
                    SideField::Materiel => Some(& $($mutability)* side.materiel_usd_bn),
                    SideField::MaterielReference => Some(& $($mutability)* side.materiel_reference_usd_bn),
                    SideField::Production => Some(& $($mutability)* side.production_usd_bn_per_month),
                    SideField::Burn => Some(& $($mutability)* side.burn_usd_bn_per_month),
                    SideField::Quality => Some(& $($mutability)* side.quality),
                    SideField::CasualtyTolerance => Some(& $($mutability)* side.casualty_tolerance),
                    SideField::SpendingTolerance => Some(& $($mutability)* side.spending_tolerance_usd_bn),
                    SideField::Patience => Some(& $($mutability)* side.patience),
                    SideField::Optimism => Some(& $($mutability)* side.optimism),
                    SideField::PriorUncertainty => (& $($mutability)* side.prior_uncertainty_km2_per_month).opt_ref(),
                    SideField::PeaceDemobilised => (& $($mutability)* side.peace_demobilised_share).opt_ref(),
                    SideField::PeaceRecruitShare => (& $($mutability)* side.peace_recruit_share).opt_ref(),
                    SideField::PeaceConsumption => (& $($mutability)* side.peace_consumption_usd_bn_per_month).opt_ref(),
                };
                if let Some(input) = input {
                    f(key, &path, input);
                }
            }
        }
        {
            let bf = & $($mutability)* sc.battlefield;
            for field in BattleField::ALL {
                let path = format!("battlefield.{}", battle_field_name(field));
                let key = InputKey::Battle(field);
                let input = match field {
                    BattleField::Contested => Some(& $($mutability)* bf.contested_km2),
                    BattleField::Held => Some(& $($mutability)* bf.held_by_b_km2),
                    BattleField::FrontSpeed => Some(& $($mutability)* bf.front_speed_km2_per_month),
                    BattleField::BreakEven => Some(& $($mutability)* bf.break_even_ratio),
                    BattleField::Noise => Some(& $($mutability)* bf.front_noise_km2),
                    BattleField::ExchangeRatio => (& $($mutability)* bf.exchange_ratio).opt_ref(),
                    BattleField::Saturation => Some(& $($mutability)* bf.materiel_saturation),
                    BattleField::Floor => Some(& $($mutability)* bf.materiel_floor),
                    BattleField::Decisiveness => Some(& $($mutability)* bf.decisiveness),
                    BattleField::Stalemate => Some(& $($mutability)* bf.stalemate),
                    BattleField::Continuation => Some(& $($mutability)* bf.continuation_months),
                    BattleField::HiddenEdge => (& $($mutability)* bf.hidden_edge_km2_per_month).opt_ref(),
                };
                if let Some(input) = input {
                    f(key, &path, input);
                }
            }
        }
        for (i, s) in (& $($mutability)* sc.aid).iter_or_mut().enumerate() {
            f(InputKey::AidAmount(i), &format!("aid[{i}].amount_usd_bn"), & $($mutability)* s.amount_usd_bn);
            if let Some(c) = (& $($mutability)* s.cutoff).opt_ref() {
                f(InputKey::AidCutoffMonth(i), &format!("aid[{i}].cutoff.month"), & $($mutability)* c.month);
                f(InputKey::AidContinue(i), &format!("aid[{i}].cutoff.continue_probability"), & $($mutability)* c.continue_probability);
            }
        }
        for (i, t) in (& $($mutability)* sc.troops).iter_or_mut().enumerate() {
            f(InputKey::TroopSize(i), &format!("troops[{i}].size"), & $($mutability)* t.size);
            f(InputKey::TroopArrival(i), &format!("troops[{i}].arrival_month"), & $($mutability)* t.arrival_month);
            f(InputKey::TroopEffectiveness(i), &format!("troops[{i}].effectiveness"), & $($mutability)* t.effectiveness);
        }
        for (side_ref, w) in [(SideRef::A, & $($mutability)* sc.bargaining.weights.a), (SideRef::B, & $($mutability)* sc.bargaining.weights.b)] {
            let l = side_letter(side_ref);
            f(InputKey::Weight(side_ref, 0), &format!("bargaining.weights.{l}.security_guarantee"), & $($mutability)* w.security_guarantee);
            f(InputKey::Weight(side_ref, 1), &format!("bargaining.weights.{l}.sanctions_relief"), & $($mutability)* w.sanctions_relief);
            f(InputKey::Weight(side_ref, 2), &format!("bargaining.weights.{l}.neutrality"), & $($mutability)* w.neutrality);
            if let Some(input) = (& $($mutability)* w.force_cap_a).opt_ref() {
                f(InputKey::Weight(side_ref, ATTR_CAP_A), &format!("bargaining.weights.{l}.force_cap_a"), input);
            }
            if let Some(input) = (& $($mutability)* w.force_cap_b).opt_ref() {
                f(InputKey::Weight(side_ref, ATTR_CAP_B), &format!("bargaining.weights.{l}.force_cap_b"), input);
            }
            for (name, input) in (& $($mutability)* w.other).iter_or_mut() {
                if let Some(k) = attr_names.iter().position(|n| n == name) {
                    f(InputKey::Weight(side_ref, k), &format!("bargaining.weights.{l}.other.{name}"), input);
                }
            }
        }
        for (i, p) in (& $($mutability)* sc.bargaining.packages).iter_or_mut().enumerate() {
            if let Territory::Share(input) = & $($mutability)* p.territory {
                f(InputKey::PackageTerritory(i), &format!("bargaining.packages[{i}].territory"), input);
            }
            f(InputKey::PackageAttr(i, 0), &format!("bargaining.packages[{i}].security_guarantee"), & $($mutability)* p.security_guarantee);
            f(InputKey::PackageAttr(i, 1), &format!("bargaining.packages[{i}].sanctions_relief"), & $($mutability)* p.sanctions_relief);
            f(InputKey::PackageAttr(i, 2), &format!("bargaining.packages[{i}].neutrality"), & $($mutability)* p.neutrality);
            if let Some(input) = (& $($mutability)* p.force_cap_a).opt_ref() {
                f(InputKey::PackageAttr(i, ATTR_CAP_A), &format!("bargaining.packages[{i}].force_cap_a"), input);
            }
            if let Some(input) = (& $($mutability)* p.force_cap_b).opt_ref() {
                f(InputKey::PackageAttr(i, ATTR_CAP_B), &format!("bargaining.packages[{i}].force_cap_b"), input);
            }
            for (name, input) in (& $($mutability)* p.other).iter_or_mut() {
                if let Some(k) = attr_names.iter().position(|n| n == name) {
                    f(InputKey::PackageAttr(i, k), &format!("bargaining.packages[{i}].other.{name}"), input);
                }
            }
        }
        for (e, ev) in (& $($mutability)* sc.events).iter_or_mut().enumerate() {
            match & $($mutability)* ev.when {
                When::Month(input) => f(InputKey::EventMonth(e), &format!("events[{e}].when.month"), input),
                When::Hazard(input) => f(InputKey::EventHazard(e), &format!("events[{e}].when.hazard"), input),
            }
            f(InputKey::EventProbability(e), &format!("events[{e}].probability"), & $($mutability)* ev.probability);
            for (c, ch) in (& $($mutability)* ev.changes).iter_or_mut().enumerate() {
                match ch {
                    Change::Scale { by, .. } => f(InputKey::EventChange(e, c, ChangeOp::Scale), &format!("events[{e}].changes[{c}].by"), by),
                    Change::Set { to, .. } => f(InputKey::EventChange(e, c, ChangeOp::Set), &format!("events[{e}].changes[{c}].to"), to),
                }
            }
        }
        for (l, lever) in (& $($mutability)* sc.pressure).iter_or_mut().enumerate() {
            f(InputKey::LeverProbability(l), &format!("pressure[{l}].probability"), & $($mutability)* lever.probability);
            for (c, ch) in (& $($mutability)* lever.changes).iter_or_mut().enumerate() {
                match ch {
                    Change::Scale { by, .. } => f(InputKey::LeverChange(l, c, ChangeOp::Scale), &format!("pressure[{l}].changes[{c}].by"), by),
                    Change::Set { to, .. } => f(InputKey::LeverChange(l, c, ChangeOp::Set), &format!("pressure[{l}].changes[{c}].to"), to),
                }
            }
        }
    }};
}

/// `as_ref` / `as_mut` and `iter` / `iter_mut` under one name, so that one macro body walks
/// both shared and mutable references.
trait RefOrMut<'a> {
    type Out;
    fn opt_ref(self) -> Self::Out;
}
impl<'a, T> RefOrMut<'a> for &'a Option<T> {
    type Out = Option<&'a T>;
    fn opt_ref(self) -> Option<&'a T> {
        self.as_ref()
    }
}
impl<'a, T> RefOrMut<'a> for &'a mut Option<T> {
    type Out = Option<&'a mut T>;
    fn opt_ref(self) -> Option<&'a mut T> {
        self.as_mut()
    }
}
trait IterOrMut<'a> {
    type Iter;
    fn iter_or_mut(self) -> Self::Iter;
}
impl<'a, T: 'a> IterOrMut<'a> for &'a Vec<T> {
    type Iter = std::slice::Iter<'a, T>;
    fn iter_or_mut(self) -> Self::Iter {
        self.iter()
    }
}
impl<'a, T: 'a> IterOrMut<'a> for &'a mut Vec<T> {
    type Iter = std::slice::IterMut<'a, T>;
    fn iter_or_mut(self) -> Self::Iter {
        self.iter_mut()
    }
}
impl<'a, K: 'a, V: 'a> IterOrMut<'a> for &'a std::collections::BTreeMap<K, V> {
    type Iter = std::collections::btree_map::Iter<'a, K, V>;
    fn iter_or_mut(self) -> Self::Iter {
        self.iter()
    }
}
impl<'a, K: 'a, V: 'a> IterOrMut<'a> for &'a mut std::collections::BTreeMap<K, V> {
    type Iter = std::collections::btree_map::IterMut<'a, K, V>;
    fn iter_or_mut(self) -> Self::Iter {
        self.iter_mut()
    }
}

/// One input as listed by [`Scenario::inputs`].
#[derive(Clone, Debug, PartialEq)]
pub struct InputInfo {
    pub key: InputKey,
    /// Field path, as in error messages and `--vary`.
    pub path: String,
    pub spec: &'static FieldSpec,
    pub input: Input,
}

impl InputInfo {
    /// The input's slider: its hints and its field, widened to show its value (the median of
    /// a distribution). See [`FieldSpec::slider_range`].
    pub fn slider_range(&self) -> SliderRange {
        self.spec
            .slider_range(self.input.slider.as_ref(), self.input.value.central())
    }
}

impl Scenario {
    /// Names of the package attributes in attribute-index order: the three built-in ones,
    /// then the `other` attributes of side `a`'s weights, alphabetically.
    pub fn attribute_names(&self) -> Vec<String> {
        let mut names: Vec<String> = BUILTIN_ATTRIBUTES[..builtin_attribute_count(self.version)]
            .iter()
            .map(|s| s.to_string())
            .collect();
        names.extend(self.bargaining.weights.a.other.keys().cloned());
        names
    }

    /// Calls `f` for every numeric input, in the fixed catalogue order.
    pub fn visit_inputs(&self, mut f: impl FnMut(InputKey, &str, &Input)) {
        walk_inputs!(self, &mut f,)
    }

    /// Calls `f` for every numeric input, mutably, in the fixed catalogue order.
    pub fn visit_inputs_mut(&mut self, mut f: impl FnMut(InputKey, &str, &mut Input)) {
        walk_inputs!(self, &mut f, mut)
    }

    /// Every numeric input with its key, path and spec.
    pub fn inputs(&self) -> Vec<InputInfo> {
        let mut out = Vec::new();
        self.visit_inputs(|key, path, input| {
            out.push(InputInfo {
                key,
                path: path.to_string(),
                spec: spec_of(key),
                input: input.clone(),
            })
        });
        out
    }

    /// Applies `change` to the input at a field path (as listed by [`Scenario::inputs`]);
    /// false when no input has that path.
    pub fn update_input(&mut self, path: &str, change: impl FnOnce(&mut Input)) -> bool {
        let mut change = Some(change);
        self.visit_inputs_mut(|_, p, input| {
            if p == path
                && let Some(c) = change.take()
            {
                c(input);
            }
        });
        change.is_none()
    }

    /// Applies `change` to the input with a key; false when there is none.
    pub fn update_input_by_key(&mut self, key: InputKey, change: impl FnOnce(&mut Input)) -> bool {
        let mut change = Some(change);
        self.visit_inputs_mut(|k, _, input| {
            if k == key
                && let Some(c) = change.take()
            {
                c(input);
            }
        });
        change.is_none()
    }

    /// Keeps correlation paths pointing at the same items after the items of `list` (`"aid"`,
    /// `"troops"` or `"bargaining.packages"`) were reordered, inserted or removed:
    /// `new_index(old)` gives an item's new position, `None` when it is gone (its correlations
    /// are then removed).
    pub fn remap_item_paths(&mut self, list: &str, new_index: impl Fn(usize) -> Option<usize>) {
        let prefix = format!("{list}[");
        let remap = |path: &str| -> Option<String> {
            let Some(rest) = path.strip_prefix(&prefix) else {
                return Some(path.to_string());
            };
            let Some((num, tail)) = rest.split_once(']') else {
                return Some(path.to_string());
            };
            let Ok(old) = num.parse::<usize>() else {
                return Some(path.to_string());
            };
            new_index(old).map(|new| format!("{prefix}{new}]{tail}"))
        };
        self.correlations = std::mem::take(&mut self.correlations)
            .into_iter()
            .filter_map(|mut c| {
                c.a = remap(&c.a)?;
                c.b = remap(&c.b)?;
                Some(c)
            })
            .collect();
        // The inputs events and levers change follow their items too; a change of a removed
        // item goes, and an event or a lever left with no change goes with it.
        let remap_changes = |changes: &mut Vec<Change>| {
            *changes = std::mem::take(changes)
                .into_iter()
                .filter_map(|mut ch| {
                    let target = match &mut ch {
                        Change::Scale { input, .. } | Change::Set { input, .. } => input,
                    };
                    *target = remap(target)?;
                    Some(ch)
                })
                .collect();
        };
        for ev in &mut self.events {
            remap_changes(&mut ev.changes);
        }
        self.events.retain(|e| !e.changes.is_empty());
        for lever in &mut self.pressure {
            remap_changes(&mut lever.changes);
        }
        self.pressure.retain(|l| !l.changes.is_empty());
    }

    /// The spec that bounds the input with this key: its own, except for the value of an
    /// event's or a lever's `Set` change, which takes the spec of the input it sets.
    pub fn effective_spec(&self, key: InputKey) -> &'static FieldSpec {
        let target = match key {
            InputKey::EventChange(e, c, ChangeOp::Set) => self
                .events
                .get(e)
                .and_then(|ev| ev.changes.get(c))
                .map(|ch| ch.target().to_string()),
            InputKey::LeverChange(l, c, ChangeOp::Set) => self
                .pressure
                .get(l)
                .and_then(|lv| lv.changes.get(c))
                .map(|ch| ch.target().to_string()),
            _ => None,
        };
        let mut found = None;
        if let Some(target) = target {
            self.visit_inputs(|k, p, _| {
                if p == target && found.is_none() {
                    found = Some(spec_of(k));
                }
            });
        }
        found.unwrap_or_else(|| spec_of(key))
    }

    /// The input with a key.
    pub fn input_by_key(&self, key: InputKey) -> Option<Input> {
        let mut found = None;
        self.visit_inputs(|k, _, input| {
            if k == key && found.is_none() {
                found = Some(input.clone());
            }
        });
        found
    }
}

#[cfg(test)]
mod tests {
    use super::{BattleField, FieldSpec, InputKey, SideField, SliderHint, side_spec, spec_of};
    use crate::scenario::{Correlation, SideRef, builtin_baseline};

    /// Every field spec of the catalogue.
    fn every_spec() -> Vec<&'static FieldSpec> {
        let mut specs: Vec<&'static FieldSpec> = SideField::ALL
            .iter()
            .map(|f| spec_of(InputKey::Side(SideRef::A, *f)))
            .collect();
        specs.extend(
            BattleField::ALL
                .iter()
                .map(|f| spec_of(InputKey::Battle(*f))),
        );
        specs.extend([
            spec_of(InputKey::AidAmount(0)),
            spec_of(InputKey::AidContinue(0)),
            spec_of(InputKey::TroopSize(0)),
            spec_of(InputKey::TroopEffectiveness(0)),
            spec_of(InputKey::Weight(SideRef::A, 0)),
            spec_of(InputKey::PackageTerritory(0)),
            spec_of(InputKey::PackageAttr(0, 0)),
        ]);
        specs
    }

    fn hint(min: Option<f64>, max: Option<f64>, step: Option<f64>) -> SliderHint {
        SliderHint {
            min,
            max,
            step,
            unit: None,
        }
    }

    #[test]
    fn slider_ends_are_values_the_field_accepts() {
        let hints = [
            None,
            Some(hint(Some(0.0), None, None)),
            Some(hint(Some(-1e9), Some(1e12), None)),
            Some(hint(None, Some(-5.0), None)),
            Some(hint(Some(1e12), None, None)),
            Some(hint(Some(0.0), Some(2.0), Some(0.05))),
            Some(hint(Some(0.5), Some(0.5000001), Some(1e6))),
        ];
        let values = [
            f64::NAN,
            -1e9,
            -0.5,
            0.0,
            0.3,
            1.0,
            1e5,
            1e12,
            f64::INFINITY,
        ];
        for spec in every_spec() {
            for h in &hints {
                for v in values {
                    let r = spec.slider_range(h.as_ref(), v);
                    let what = format!("{} with {h:?} and value {v}", spec.label);
                    assert!(spec.accepts(r.min), "{what}: left end {r:?}");
                    assert!(spec.accepts(r.max), "{what}: right end {r:?}");
                    assert!(r.max > r.min, "{what}: {r:?}");
                    assert!(r.step > 0.0, "{what}: {r:?}");
                    if spec.accepts(v) {
                        assert!(r.min <= v && v <= r.max, "{what}: value not shown, {r:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn an_open_bound_starts_the_slider_one_step_above_it() {
        let manpower = side_spec(SideField::Manpower);
        assert!(!manpower.accepts(0.0));
        let r = manpower.slider_range(None, 640_000.0);
        assert_eq!((r.min, r.max, r.step), (10_000.0, 2_000_000.0, 10_000.0));
        // A smaller value widens the range down to it.
        assert_eq!(manpower.slider_range(None, 500.0).min, 500.0);
        // The file's hints and step count too.
        let h = hint(Some(0.0), Some(5_000.0), Some(100.0));
        let r = manpower.slider_range(Some(&h), 1_000.0);
        assert_eq!((r.min, r.max, r.step), (100.0, 5_000.0, 100.0));
        // A step as wide as the range: the lowest valid value instead.
        let h = hint(Some(0.0), Some(50.0), Some(100.0));
        assert_eq!(manpower.slider_range(Some(&h), 10.0).min, manpower.lowest());
        // A closed bound is itself the start.
        let recruits = side_spec(SideField::Recruits);
        assert_eq!(recruits.slider_range(None, 1.0).min, 0.0);
    }

    #[test]
    fn the_slider_follows_the_hints_and_shows_the_value() {
        let aid = spec_of(InputKey::AidAmount(0));
        let h = hint(Some(0.0), Some(2.0), Some(0.05));
        let r = aid.slider_range(Some(&h), 0.5);
        assert_eq!((r.min, r.max, r.step), (0.0, 2.0, 0.05));
        // A value beyond the hints widens the range to it.
        assert_eq!(aid.slider_range(Some(&h), 7.5).max, 7.5);
        // An invalid value is shown at the nearest valid one.
        let p = spec_of(InputKey::AidContinue(0));
        let r = p.slider_range(None, 1.4);
        assert_eq!((r.min, r.max), (0.0, 1.0));
    }

    #[test]
    fn clamping_gives_a_value_the_field_accepts() {
        let manpower = side_spec(SideField::Manpower);
        assert_eq!(manpower.clamp(0.0), manpower.lowest());
        assert_eq!(manpower.clamp(f64::NAN), manpower.lowest());
        assert_eq!(manpower.clamp(2e8), 1e8);
        assert_eq!(manpower.clamp(5.0), 5.0);
        for spec in every_spec() {
            for v in [
                f64::NAN,
                f64::NEG_INFINITY,
                -1e300,
                0.0,
                1e300,
                f64::INFINITY,
            ] {
                assert!(spec.accepts(spec.clamp(v)), "{}: {v}", spec.label);
            }
        }
    }

    #[test]
    fn correlation_paths_follow_their_items() {
        let mut sc = builtin_baseline().unwrap().into_inner();
        sc.correlations = vec![
            Correlation {
                a: "aid[0].amount_usd_bn".into(),
                b: "aid[2].amount_usd_bn".into(),
                rank: 0.5,
            },
            Correlation {
                a: "aid[1].amount_usd_bn".into(),
                b: "battlefield.exchange_ratio".into(),
                rank: -0.3,
            },
        ];
        // Remove stream 0: the first correlation goes, the second follows stream 1 to 0.
        sc.remap_item_paths("aid", |k| (k != 0).then_some(k.saturating_sub(1)));
        assert_eq!(sc.correlations.len(), 1);
        assert_eq!(sc.correlations[0].a, "aid[0].amount_usd_bn");
        assert_eq!(sc.correlations[0].b, "battlefield.exchange_ratio");
        // Other lists are left alone.
        sc.remap_item_paths("troops", |_| None);
        assert_eq!(sc.correlations.len(), 1);
    }
}
