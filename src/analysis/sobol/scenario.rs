//! Sobol indices of a scenario: its factors (the uncertain inputs and the chance that is not
//! an input: aid continuation, front noise, events, levers), the model evaluated through the
//! generic Saltelli-Jansen estimator, and the tidy CSV of the result.

use std::io::Write;

use rand_distr::{Distribution, StandardNormal};

use super::{SobolEstimate, SobolOptions, saltelli_jansen};
use crate::analysis::output::Output;
use crate::analysis::quantile::FastQuantile;
use crate::analysis::{AnalysisError, OnProgress, event_label, input_label, is_correlated};
use crate::model::monthly::{Draws, MonthlyScratch, evaluate_monthly};
use crate::model::{Scratch, evaluate};
use crate::scenario::ValidScenario;
use crate::scenario::registry::{BattleField, InputKey};
use crate::sim::rng::{SubRng, mix64, name_key};
use crate::sim::sample::clamp_to;
use crate::sim::{Control, Engine, TrialRecord};

/// What a factor of a scenario's Sobol analysis is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactorKind {
    /// An uncertain input.
    Input,
    /// An uncertain area or month ([`crate::scenario::InputKey::is_structural`]).
    Structural,
    /// Whether an aid stream continues after its cut-off (chance, given its probability).
    AidEvent,
    /// The monthly front noise (chance).
    FrontNoise,
    /// (Format version 2) Whether an event happens, or when a hazard strikes (chance).
    Event,
    /// (Format version 2) Whether a lever's donor carries a threat out (chance).
    Lever,
}

impl FactorKind {
    /// The kind's id in CSV output (`input`, `aid_event`, ...).
    pub fn id(self) -> &'static str {
        match self {
            FactorKind::Input => "input",
            FactorKind::Structural => "structural",
            FactorKind::AidEvent => "aid_event",
            FactorKind::FrontNoise => "front_noise",
            FactorKind::Event => "event",
            FactorKind::Lever => "lever",
        }
    }
}

/// One factor of a scenario's Sobol analysis.
#[derive(Clone, Debug, PartialEq)]
pub struct SobolFactor {
    /// Field path for inputs; `aid[i].cutoff.event` and `battlefield.front_noise.monthly`
    /// for the chance factors.
    pub name: String,
    pub label: String,
    pub kind: FactorKind,
    /// True when the input takes part in a declared correlation (not applied here).
    pub correlated: bool,
}

/// The Sobol indices of one output of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioSobol {
    /// The output explained.
    pub output: Output,
    /// Its id, as `--output` takes it.
    pub output_id: String,
    /// Its readable name.
    pub output_label: String,
    /// The factors, in the order of `estimate.indices`.
    pub factors: Vec<SobolFactor>,
    /// The indices of each factor, with their intervals.
    pub estimate: SobolEstimate,
    /// The settings the analysis ran with.
    pub options: SobolOptions,
    /// True when the scenario declares correlations, which the indices do not reflect.
    pub correlated_inputs: bool,
    /// The CSV's commented stamp (its trial count is the base samples N).
    pub stamp: crate::run::Stamp,
}

impl ScenarioSobol {
    /// Factor indices by decreasing total index.
    pub fn ranked(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.factors.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&self.estimate.indices[a], &self.estimate.indices[b]);
            y.st.total_cmp(&x.st)
        });
        order
    }
}

enum Factor {
    Input {
        slot: usize,
        q: FastQuantile,
        spec: &'static crate::scenario::FieldSpec,
    },
    Event,
    Noise,
    /// A uniform draw of format version 2: event occurrence or timing, or a lever.
    Uniform,
}

/// The Sobol indices of `output` for a scenario: its uncertain inputs, aid continuation
/// events and front noise as factors (see the module documentation). With the baseline's
/// factors, `N = 2048` means about 80,000 trials.
pub fn sobol(
    vs: &ValidScenario,
    output: Output,
    opts: &SobolOptions,
    threads: Option<usize>,
    control: &Control,
    on_progress: OnProgress,
) -> Result<ScenarioSobol, AnalysisError> {
    if !output.is_mean_over_trials() {
        return Err(AnalysisError::BadRequest(format!(
            "\"{}\" is a quantile of the run, not a mean over trials; use \
             \"settlement_month\" (the mean month) or \"p_settled_by:<month>\"",
            output.id(vs.scenario())
        )));
    }
    opts.check()?;
    let sc = vs.scenario();
    let engine = Engine::new(vs);
    let st = engine.structure();
    let inputs = sc.inputs();
    let mut slots = engine.uncertain_slots();
    slots.sort_unstable();
    let mut factors: Vec<Factor> = Vec::new();
    let mut described: Vec<SobolFactor> = Vec::new();
    for &slot in &slots {
        let Some(info) = inputs.get(slot) else {
            continue;
        };
        factors.push(Factor::Input {
            slot,
            q: FastQuantile::new(&info.input.value),
            spec: info.spec,
        });
        described.push(SobolFactor {
            name: info.path.clone(),
            label: input_label(sc, info.key),
            kind: if info.key.is_structural() {
                FactorKind::Structural
            } else {
                FactorKind::Input
            },
            correlated: is_correlated(sc, &info.path),
        });
    }
    let mut event_of = vec![None; st.aid.len()];
    for s in crate::analysis::chance_streams(vs, &engine) {
        event_of[s] = Some(factors.len());
        factors.push(Factor::Event);
        described.push(SobolFactor {
            name: format!("aid[{s}].cutoff.event"),
            label: event_label(sc, s),
            kind: FactorKind::AidEvent,
            correlated: false,
        });
    }
    let noise_possible = sc
        .input_by_key(InputKey::Battle(BattleField::Noise))
        .is_some_and(|i| i.value.support().1 > 0.0);
    let noise_factor = noise_possible.then(|| {
        factors.push(Factor::Noise);
        described.push(SobolFactor {
            name: "battlefield.front_noise.monthly".into(),
            label: "Front noise (chance, month by month)".into(),
            kind: FactorKind::FrontNoise,
            correlated: false,
        });
        factors.len() - 1
    });
    // Format version 2: each event's occurrence (and a hazard's timing) and each lever's
    // uniform are chance factors too.
    let mut event_factors = Vec::new();
    let mut lever_factors = Vec::new();
    if st.monthly() {
        for (e, ev) in sc.events.iter().enumerate() {
            let occurs = factors.len();
            factors.push(Factor::Uniform);
            described.push(SobolFactor {
                name: format!("events[{e}].occurs"),
                label: format!("{}: happens (chance)", ev.name),
                kind: FactorKind::Event,
                correlated: false,
            });
            let timing = matches!(ev.when, crate::scenario::When::Hazard(_)).then(|| {
                factors.push(Factor::Uniform);
                described.push(SobolFactor {
                    name: format!("events[{e}].timing"),
                    label: format!("{}: when it strikes (chance)", ev.name),
                    kind: FactorKind::Event,
                    correlated: false,
                });
                factors.len() - 1
            });
            event_factors.push((occurs, timing));
        }
        for (l, lever) in sc.pressure.iter().enumerate() {
            lever_factors.push(factors.len());
            factors.push(Factor::Uniform);
            described.push(SobolFactor {
                name: format!("pressure[{l}].carried_out"),
                label: format!("{}: threat carried out (chance)", lever.name),
                kind: FactorKind::Lever,
                correlated: false,
            });
        }
    }
    let k = factors.len();
    // Fixed inputs at their values (the engine's own layout), uncertain ones overwritten.
    let base = engine.trial_inputs(opts.seed, 0);
    let held = st.held_fixed;
    let horizon = st.horizon;
    let noise_key = name_key("analysis.sobol.front_noise");
    let transform = |i: usize, u: f64| -> f64 {
        match &factors[i] {
            Factor::Input { q, spec, .. } => clamp_to(spec, q.quantile(u)),
            Factor::Event | Factor::Noise | Factor::Uniform => u,
        }
    };
    let init = || {
        (
            base.clone(),
            vec![true; st.aid.len()],
            vec![0.0f64; horizon],
            vec![0.0f64; horizon],
            Scratch::new(horizon),
            MonthlyScratch::new(st),
        )
    };
    type State = (
        Vec<f64>,
        Vec<bool>,
        Vec<f64>,
        Vec<f64>,
        Scratch,
        MonthlyScratch,
    );
    let model = |s: &mut State, x: &[f64]| -> f64 {
        let (v, cont, noise, front, scratch, monthly) = s;
        for (f, &xi) in factors.iter().zip(x) {
            if let Factor::Input { slot, .. } = f {
                v[*slot] = xi;
            }
        }
        for (s_idx, plan) in st.aid.iter().enumerate() {
            cont[s_idx] = match (event_of[s_idx], plan.continue_probability) {
                (Some(e), Some(pslot)) => x[e] < v[pslot],
                (None, Some(pslot)) => v[pslot] >= 1.0,
                _ => true,
            };
        }
        if let Some(nf) = noise_factor {
            let mut r = SubRng::new(mix64(x[nf].to_bits()), noise_key);
            for z in noise.iter_mut() {
                *z = StandardNormal.sample(&mut r);
            }
        }
        let out = if st.monthly() {
            let occurs: Vec<f64> = event_factors.iter().map(|(o, _)| x[*o]).collect();
            let timing: Vec<f64> = event_factors
                .iter()
                .map(|(_, t)| t.map_or(0.5, |t| x[t]))
                .collect();
            let lever: Vec<f64> = lever_factors.iter().map(|&l| x[l]).collect();
            let draws = Draws {
                continues: cont,
                noise,
                event_occurs: &occurs,
                event_timing: &timing,
                lever: &lever,
            };
            evaluate_monthly(st, v, &draws, front, monthly, None, None)
        } else {
            evaluate(st, v, cont, noise, front, scratch)
        };
        output.of(&TrialRecord::from_outcome(&out), held)
    };
    let estimate = crate::analysis::in_pool(threads, || {
        saltelli_jansen(k, opts, &transform, init, model, control, on_progress)
    })?;
    Ok(ScenarioSobol {
        output,
        output_id: output.id(sc),
        output_label: output.label(sc),
        factors: described,
        estimate,
        options: *opts,
        correlated_inputs: sc.correlations.iter().any(|c| c.rank != 0.0),
        stamp: crate::run::Stamp::new(vs, opts.seed, opts.samples as u64),
    })
}

/// Writes Sobol indices as CSV after the commented stamp and a `# units:` line, one row per
/// factor by decreasing total index: `rank, factor, label, kind, S1, S1_low, S1_high, ST,
/// ST_low, ST_high, correlated, output, samples, bootstrap, confidence, seed`.
pub fn write_sobol_csv(s: &ScenarioSobol, mut w: impl Write) -> Result<(), AnalysisError> {
    let io = |e: csv::Error| AnalysisError::Failed(format!("cannot write the CSV: {e}"));
    writeln!(
        w,
        "{}# units: S1, ST and their bounds are shares of the variance of {} ({})",
        s.stamp.csv_comment(),
        s.output_id,
        s.output.unit()
    )
    .map_err(|e| AnalysisError::Failed(format!("cannot write the CSV: {e}")))?;
    let mut wtr = csv::Writer::from_writer(w);
    wtr.write_record([
        "rank",
        "factor",
        "label",
        "kind",
        "S1",
        "S1_low",
        "S1_high",
        "ST",
        "ST_low",
        "ST_high",
        "correlated",
        "output",
        "samples",
        "bootstrap",
        "confidence",
        "seed",
    ])
    .map_err(io)?;
    let num = crate::text::fmt_csv;
    for (rank, i) in s.ranked().into_iter().enumerate() {
        let f = &s.factors[i];
        let x = &s.estimate.indices[i];
        wtr.write_record([
            (rank + 1).to_string(),
            f.name.clone(),
            f.label.clone(),
            f.kind.id().to_string(),
            num(x.s1),
            num(x.s1_low),
            num(x.s1_high),
            num(x.st),
            num(x.st_low),
            num(x.st_high),
            f.correlated.to_string(),
            s.output_id.clone(),
            s.options.samples.to_string(),
            s.options.bootstrap.to_string(),
            num(s.options.confidence),
            s.options.seed.to_string(),
        ])
        .map_err(io)?;
    }
    wtr.flush()
        .map_err(|e| AnalysisError::Failed(format!("cannot write the CSV: {e}")))
}
