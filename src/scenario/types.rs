//! The scenario document: a serde mirror of the RON file. Every struct refuses unknown
//! fields. A value of these types is not yet checked; [`super::validate()`] turns it into a
//! [`super::ValidScenario`], the only form the simulator accepts.
//!
//! Long because it is the whole file format in one place, each field with its doc comment;
//! docs/SCENARIO_FORMAT.md follows its order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::input::Input;

/// The file format version this build writes. Format version 2 is bargaining while fighting
/// (the table meets every month, beliefs learn from the front, events and pressure).
pub const FORMAT_VERSION: u32 = 2;

/// Every format version this build reads, oldest first (`armistice --version` lists them).
/// Version 1 files keep the one-shot model of version 1 (the table meets once, at the
/// horizon, under complete information), so they give the numbers they always gave;
/// `armistice upgrade` converts them.
pub const READABLE_VERSIONS: [u32; 2] = [1, 2];

/// A whole scenario file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// File format version; must be [`FORMAT_VERSION`].
    pub version: u32,
    pub meta: Meta,
    pub simulation: Simulation,
    pub sides: Sides,
    /// Aid streams from third parties (may be empty).
    #[serde(default)]
    pub aid: Vec<AidStream>,
    /// Troop contingents from third parties (may be empty).
    #[serde(default)]
    pub troops: Vec<Contingent>,
    pub battlefield: Battlefield,
    pub bargaining: Bargaining,
    /// Rank correlations between uncertain inputs (may be empty: inputs are independent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub correlations: Vec<Correlation>,
    /// Observed monthly territorial change, drawn over the front chart (may be empty). Months
    /// from 1 on lie after the scenario's date: they are a hindcast, never a target.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observed: Vec<Observation>,
    /// (Version 2) Dated or uncertain events that change inputs from a month on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    /// (Version 2) Third parties' pressure at the table: aid as a lever.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pressure: Vec<Lever>,
    /// (Version 2) What happened at the table after the scenario's date, for the hindcast.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_talks: Option<ObservedTalks>,
    /// (Version 2) A lesson that travels with the file: an introduction and steps a class
    /// goes through one at a time (checked by [`super::lesson`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<Lesson>,
}

/// What the scenario is and where its numbers come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub authors: Vec<String>,
    /// The date the scenario describes (ISO 8601, e.g. "2024-11-20"); month 1 starts here.
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub sources: Vec<Source>,
}

/// A source that inputs cite by `id`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub citation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// Monte Carlo settings. Results depend only on the scenario, `seed` and `trials`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Simulation {
    /// Number of Monte Carlo trials (1..=20,000,000).
    pub trials: u64,
    /// Seed of the random number streams.
    pub seed: u64,
    /// Months simulated before the sides sit down at the table (1..=240).
    pub horizon_months: u32,
}

/// The two warring sides. Side `a` is conventionally the defender; the territory figures
/// count the area held by side `b`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sides {
    pub a: Side,
    pub b: Side,
}

/// One warring side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Side {
    /// Short identifier that aid streams and contingents name as recipient.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Troops in the theatre at the start.
    pub manpower: Input,
    /// Troops recruited per month.
    pub recruits_per_month: Input,
    /// Killed and wounded per month at the start. Give it for both sides, or for one side
    /// together with `battlefield.exchange_ratio`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub losses_per_month: Option<Input>,
    /// Stock of materiel at the start, in billions of US dollars of equipment.
    pub materiel_usd_bn: Input,
    /// The stock at which the materiel factor is 1 (the side fights at its full quality).
    pub materiel_reference_usd_bn: Input,
    /// Own production (and purchases) added to the stock per month, $bn.
    pub production_usd_bn_per_month: Input,
    /// Materiel consumed per month of fighting, $bn.
    pub burn_usd_bn_per_month: Input,
    /// Combat effectiveness per soldier relative to a reference of 1.
    pub quality: Input,
    /// Casualties the side would bear to win the whole contested issue.
    pub casualty_tolerance: Input,
    /// Own spending ($bn) the side would bear to win the whole contested issue.
    pub spending_tolerance_usd_bn: Input,
    /// Monthly discount factor in (0, 1]: how much a deal next month is worth relative to
    /// one now. Higher is more patient.
    pub patience: Input,
    /// Bias added to the side's own belief about its chance of winning (-0.5..=0.5). In
    /// format version 2 it is the bias of the side's prior at the start, which fighting erodes.
    pub optimism: Input,
    /// (Version 2) Standard deviation of the side's prior about the hidden edge behind the
    /// front's drift, km2 a month: 0 means the side never learns from the front.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_uncertainty_km2_per_month: Option<Input>,
    /// (Version 2) Share of the troops demobilised over the months of peace after a deal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peace_demobilised_share: Option<Input>,
    /// (Version 2) Share of the wartime recruits a month the side keeps recruiting in peace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peace_recruit_share: Option<Input>,
    /// (Version 2) Materiel consumed per month of peace (training, wear), $bn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peace_consumption_usd_bn_per_month: Option<Input>,
}

/// Which side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SideRef {
    A,
    B,
}

impl SideRef {
    pub fn index(self) -> usize {
        match self {
            SideRef::A => 0,
            SideRef::B => 1,
        }
    }
    pub fn other(self) -> SideRef {
        match self {
            SideRef::A => SideRef::B,
            SideRef::B => SideRef::A,
        }
    }
}

/// A stream of aid from a donor to one side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AidStream {
    pub name: String,
    pub donor: String,
    /// Id of the receiving side.
    pub recipient: String,
    /// Billions of US dollars: the whole amount, or per month with `schedule: Monthly`.
    pub amount_usd_bn: Input,
    pub schedule: Schedule,
    /// Months between dispatch and arrival at the front.
    #[serde(default)]
    pub lag_months: u32,
    /// A month after which the stream continues only with some probability (e.g. a change of
    /// government).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cutoff: Option<Cutoff>,
}

/// When an aid stream is dispatched.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Schedule {
    /// `amount_usd_bn` every month from `from_month` on (and after the horizon).
    Monthly { from_month: u32 },
    /// `amount_usd_bn` spread evenly over months `from_month..=to_month`.
    Window { from_month: u32, to_month: u32 },
    /// The share of `amount_usd_bn` dispatched in months 1, 2, ... (shares sum to at most 1).
    Shares(Vec<f64>),
}

/// A cut-off: dispatches after `month` happen only if the stream continues, which it does
/// with probability `continue_probability` (drawn once per trial).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cutoff {
    /// The cut-off month: a whole month, or a distribution drawn once per trial and rounded to
    /// a whole month (0 cuts every dispatch).
    #[serde(serialize_with = "super::input::serialize_month")]
    pub month: Input,
    pub continue_probability: Input,
}

/// Troops sent by a third party to fight for one side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contingent {
    pub name: String,
    pub contributor: String,
    /// Id of the receiving side.
    pub recipient: String,
    /// Troops.
    pub size: Input,
    /// Month in which the contingent joins the fighting (1 = the first simulated month): a
    /// whole month, or a distribution drawn once per trial and rounded to a whole month.
    #[serde(serialize_with = "super::input::serialize_month")]
    pub arrival_month: Input,
    /// Effectiveness of one of its soldiers relative to one of the recipient's (0..=1).
    pub effectiveness: Input,
}

/// How combat power moves the front and how the war would end.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Battlefield {
    /// Area in dispute, km2 (a number or a distribution, drawn once per trial).
    pub contested_km2: Input,
    /// Part of it held by side `b` at the start, km2 (a number or a distribution, drawn once
    /// per trial and capped at that trial's contested area).
    pub held_by_b_km2: Input,
    /// km2 per month that side `b` gains per unit of (symmetric) relative power advantage.
    pub front_speed_km2_per_month: Input,
    /// Power ratio C_b / C_a at which the front does not move.
    pub break_even_ratio: Input,
    /// Standard deviation of the monthly front movement not explained by power, km2.
    pub front_noise_km2: Input,
    /// Losses of `b` per loss of `a` at the starting balance. Needed only when one side has
    /// no `losses_per_month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_ratio: Option<Input>,
    /// Half-saturation of the materiel factor, as a multiple of the reference stock: smaller
    /// means faster diminishing returns.
    pub materiel_saturation: Input,
    /// Share of combat power a side keeps with no materiel at all (0..=1).
    pub materiel_floor: Input,
    /// Contest-success exponent n: 1, 2 and 4 are the usual presets.
    pub decisiveness: Input,
    /// Probability that fighting on ends in stalemate on the line reached.
    pub stalemate: Input,
    /// Months the war is expected to go on if no deal is struck (for the cost of fighting; in
    /// format version 2 also how far ahead each side projects the balance).
    pub continuation_months: Input,
    /// (Version 2) The true edge of side `b` that the power counts do not show, km2 a month
    /// of front movement in its favour. The sides learn it from the front.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden_edge_km2_per_month: Option<Input>,
}

/// The bargaining table: protocol, salience of each attribute, and the packages on offer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bargaining {
    pub protocol: Protocol,
    /// Months over which the post-deal shift of power is projected (commitment test).
    #[serde(default = "default_shift_months")]
    pub shift_months: u32,
    /// (Version 2) When the table meets: every month (the default) or only at the horizon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talks: Option<Talks>,
    pub weights: SideWeights,
    pub packages: Vec<Package>,
}

fn default_shift_months() -> u32 {
    12
}

/// When the table meets (format version 2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Talks {
    /// After every month's fighting: the war ends in the first month a package passes.
    #[default]
    EveryMonth,
    /// Once, after the last month: the one-shot check, with the beliefs learned by then.
    AtHorizon,
}

/// How the sides split the difference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Protocol {
    /// Asymmetric Nash bargaining, bargaining power from relative patience.
    Nash,
    /// Rubinstein alternating offers, one round a month, `proposer` moving first.
    Rubinstein { proposer: SideRef },
}

/// Each side's weights on the package attributes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SideWeights {
    pub a: Weights,
    pub b: Weights,
}

/// How much a side values each attribute going from 0 to 1, in shares of the contested
/// territory (the numeraire). Negative weights mean the side dislikes the attribute.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub security_guarantee: Input,
    pub sanctions_relief: Input,
    pub neutrality: Input,
    /// (Version 2) Value of caps on side `a`'s rebuilding after a deal (force limits with
    /// monitoring). Absent means 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_cap_a: Option<Input>,
    /// (Version 2) Value of caps on side `b`'s rebuilding after a deal. Absent means 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_cap_b: Option<Input>,
    /// Further attributes, by name; every package attribute in `other` needs a weight here.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other: BTreeMap<String, Input>,
}

/// A concession package on the table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub territory: Territory,
    /// Strength of a security guarantee for side `a` (0..=1). It also shrinks the shift of
    /// power against `a` after the deal.
    #[serde(default = "zero_input")]
    pub security_guarantee: Input,
    /// Sanctions relief for side `b` (0..=1).
    #[serde(default = "zero_input")]
    pub sanctions_relief: Input,
    /// Neutrality commitment by side `a` (0..=1).
    #[serde(default = "zero_input")]
    pub neutrality: Input,
    /// (Version 2) Share of side `a`'s rebuilding after the deal that the package prevents
    /// (force caps with monitoring), 0..=1. It shrinks `a`'s rise in the durability test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_cap_a: Option<Input>,
    /// (Version 2) The same for side `b`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_cap_b: Option<Input>,
    /// Further attributes (0..=1), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other: BTreeMap<String, Input>,
}

fn zero_input() -> Input {
    Input::fixed(0.0)
}

/// The territorial term of a package.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Territory {
    /// Freeze on the line reached at the horizon.
    Line,
    /// Side `a` keeps this share (0..=1) of the contested area.
    Share(Input),
}

/// An observed monthly territorial change, for comparison with the simulated front.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// Month relative to the scenario date (1 = first simulated month; 0 and below are
    /// before the start).
    pub month: i32,
    pub label: String,
    /// km2 gained by side `b` in that month (negative when it lost ground).
    pub gained_by_b_km2: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A rank (Spearman) correlation between two uncertain inputs, named by their field paths as
/// `armistice inputs` lists them, e.g.
/// `(a: "sides.a.manpower", b: "battlefield.exchange_ratio", rank: 0.5)`. The simulator
/// induces it batch by batch with the Iman-Conover method, leaving each input's own
/// distribution unchanged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correlation {
    /// Field path of the first input.
    pub a: String,
    /// Field path of the second input.
    pub b: String,
    /// Target rank correlation, -1..=1.
    pub rank: f64,
}

/// A dated or uncertain event (format version 2): from its month on, its changes apply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// When it happens.
    pub when: When,
    /// Probability that it happens at all (drawn once per trial). Default 1.
    #[serde(default = "one_input", skip_serializing_if = "is_one_input")]
    pub probability: Input,
    /// What it changes, from the start of its month on.
    pub changes: Vec<Change>,
}

/// When an event happens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum When {
    /// In this month (a number, or a distribution rounded to whole months). A fixed month is
    /// scheduled: the sides anticipate it with its probability.
    Month(Input),
    /// With this probability in each month, independently (the first month it strikes). The
    /// sides cannot anticipate it.
    Hazard(Input),
}

/// A change to one input, named by its path as `armistice inputs` lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Change {
    /// Multiply the input by `by`.
    Scale { input: String, by: Input },
    /// Set the input to `to`.
    Set { input: String, to: Input },
}

impl Change {
    /// The path of the input it changes.
    pub fn target(&self) -> &str {
        match self {
            Change::Scale { input, .. } | Change::Set { input, .. } => input,
        }
    }
}

/// A third party's lever at the table (format version 2): if the side `on` refuses a package
/// the lever backs while the other side would accept it, the lever's changes apply from the
/// next month (when the donor carries the threat out, which it does with `probability`), and
/// are lifted once the side no longer refuses. The sides anticipate the threat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lever {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Who pulls it.
    pub donor: String,
    /// Id of the side it presses.
    pub on: String,
    /// Names of the packages it backs.
    pub backs: Vec<String>,
    /// Probability that the donor carries the threat out (drawn once per trial). Default 1.
    #[serde(default = "one_input", skip_serializing_if = "is_one_input")]
    pub probability: Input,
    /// First month in which it can be applied (default 1).
    #[serde(default = "one_month", skip_serializing_if = "is_one_month")]
    pub from_month: u32,
    /// What a carried-out threat changes.
    pub changes: Vec<Change>,
}

/// What happened at the table after the scenario's date (format version 2), for the hindcast.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservedTalks {
    /// The months after the scenario date that the observation covers (1..=this).
    pub through_month: u32,
    /// The month of a settlement, if one came within them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_in_month: Option<u32>,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

fn one_input() -> Input {
    Input::fixed(1.0)
}

fn is_one_input(i: &Input) -> bool {
    i.is_bare() && i.value == super::input::Dist::Fixed(1.0)
}

fn one_month() -> u32 {
    1
}

fn is_one_month(m: &u32) -> bool {
    *m == 1
}

/// A lesson (format version 2): a title, an introduction and ordered steps. It changes
/// nothing in a run; the app walks a class through it (lesson mode).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub title: String,
    /// Shown before the first step. Text with simple emphasis (`*word*`, `**word**`) and
    /// lists (lines starting with `- ` or `1. `); a blank line starts a paragraph.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub introduction: String,
    /// The steps, in order (at least one).
    pub steps: Vec<LessonStep>,
}

/// One step of a lesson. A step must say or do something: text, changes or a question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonStep {
    /// A short heading.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// What to read or say (the introduction's text rules).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Inputs set on entering the step and restored on going back, each `"path = value"`
    /// with a path as `armistice inputs` lists it and a number in the input's unit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
    /// A prediction the class makes before the result is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<Question>,
    /// The output the step reveals, named as `armistice sensitivity --output` takes it
    /// (`p_deal`, `median_settlement_month`, `p_settled_by:6`, `leverage_a`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reveal: Option<String>,
    /// The view beside the step (default: the one that shows the revealed output).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show: Option<LessonView>,
    /// What theory predicts, shown next to what the simulation gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theory: Option<Theory>,
    /// "What happened and why", shown after the reveal.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub explanation: String,
}

/// A prediction question. Values of probabilities are shares (0..1) in the file; the app
/// shows and takes them as percentages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Question {
    /// Choose one of 2..=8 answers. The right one is `answer` (counted from 0), or the one
    /// whose interval between `bounds` holds the revealed value (`bounds` has one number
    /// fewer than `choices`, increasing); with neither, the answers are opinions (no score).
    Choice {
        prompt: String,
        choices: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answer: Option<usize>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        bounds: Vec<f64>,
    },
    /// A number for the revealed output; right within `tolerance` (default: 5 percentage
    /// points for a probability, 10% of the value otherwise).
    Number {
        prompt: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tolerance: Option<f64>,
    },
    /// A range (low to high) that should hold the revealed output.
    Range { prompt: String },
}

impl Question {
    /// The question as asked.
    pub fn prompt(&self) -> &str {
        match self {
            Question::Choice { prompt, .. }
            | Question::Number { prompt, .. }
            | Question::Range { prompt } => prompt,
        }
    }
}

/// What a step shows beside its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LessonView {
    /// The share of runs settled by each month.
    SettlementCurve,
    /// Why the war goes on, month by month.
    WhyItGoesOn,
    /// The terms at settlement.
    Terms,
    /// The front.
    Front,
    /// Each side's leverage.
    Leverage,
    /// The bargaining range (walk-away values).
    BargainingRange,
    /// Leverage at each month's table.
    LeverageByMonth,
    /// One trial told month by month (the bargaining range with every package on it).
    Trial(TrialPick),
}

/// Which trial of a run to tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrialPick {
    /// The trial in the middle of the run, ordered by month of settlement and leverage.
    Median,
    /// A trial drawn at random.
    Random,
    /// A trial that does not settle within the horizon.
    NoDeal,
    /// A trial that settles late (the latest month any trial settles in).
    Late,
    /// The trial with this number (from 0).
    Number(u64),
}

/// A closed form next to the simulation: a formula as text and, when the author computed it
/// for the step's inputs, its value (in the revealed output's unit).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theory {
    pub formula: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}
