//! Every shipped scenario and the template: loads, validates, round-trips through the
//! canonical RON writer (and JSON), and runs to a sensible summary.

use armistice::{Outcome, QUANTILES, RunResult, Scenario, ValidScenario};

use crate::common::*;

const TRIALS: u64 = 4_000;

fn assert_ordered(what: &str, q: &[f64; 5]) {
    assert!(q.iter().all(|x| x.is_finite()), "{what}: {q:?}");
    assert!(
        q.windows(2).all(|w| w[0] <= w[1]),
        "{what}: quantiles not ordered p5<=p25<=p50<=p75<=p95: {q:?}"
    );
}

/// Checks that a run's summary is a coherent description of its records.
fn check_summary(name: &str, vs: &ValidScenario, r: &RunResult) {
    let s = &r.summary;
    let recs = &r.output.records;
    let n = recs.len() as u64;
    assert_eq!(n, TRIALS, "{name}: one record per trial");
    assert_eq!(s.trials, TRIALS, "{name}");

    // P(deal): a proportion of the records, with a binomial standard error.
    let deals = recs.iter().filter(|r| r.deal()).count() as f64;
    assert!((0.0..=1.0).contains(&s.p_deal.p), "{name}: {:?}", s.p_deal);
    assert_eq!(
        s.p_deal.p,
        deals / n as f64,
        "{name}: P(deal) is the share of deals"
    );
    let degenerate = s.p_deal.p == 0.0 || s.p_deal.p == 1.0;
    assert_eq!(
        s.p_deal.se > 0.0,
        !degenerate,
        "{name}: se of P(deal) {:?}",
        s.p_deal
    );
    let expected_se = (s.p_deal.p * (1.0 - s.p_deal.p) / n as f64).sqrt();
    assert!((s.p_deal.se - expected_se).abs() < 1e-15, "{name}");

    // Package probabilities: one per package, each in 0..=1, summing to P(deal).
    let n_packages = vs.bargaining.packages.len();
    assert_eq!(s.p_package.len(), n_packages, "{name}");
    for (k, p) in s.p_package.iter().enumerate() {
        assert!((0.0..=1.0).contains(&p.p), "{name}: package {k}: {p:?}");
        let hits = recs.iter().filter(|r| r.package() == Some(k)).count() as f64;
        assert_eq!(p.p, hits / n as f64, "{name}: package {k}");
    }
    let sum: f64 = s.p_package.iter().map(|p| p.p).sum();
    assert!(
        (sum - s.p_deal.p).abs() < 1e-12,
        "{name}: package probabilities sum to {sum}, P(deal) is {}",
        s.p_deal.p
    );
    assert!(
        recs.iter()
            .all(|r| r.package().is_none_or(|k| k < n_packages)),
        "{name}: a record names a package that does not exist"
    );

    // Every trial without a deal says which constraint blocked it; with a deal, none.
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r.blocked().is_some(), !r.deal(), "{name}: trial {i}: {r:?}");
    }
    if s.p_deal.p < 1.0 {
        let shares: f64 = s.blocked_given_no_deal.iter().map(|p| p.p).sum();
        assert!(
            (shares - 1.0).abs() < 1e-12,
            "{name}: blocked shares sum to {shares}"
        );
    }
    assert!((0.0..=1.0).contains(&s.p_range_empty.p), "{name}");

    // Continuous outcomes: all present, in order, finite and ordered.
    let order: Vec<Outcome> = s.outcomes.iter().map(|(o, _)| *o).collect();
    assert_eq!(order, Outcome::ALL.to_vec(), "{name}");
    for (o, c) in &s.outcomes {
        let what = format!("{name}: {}", o.id());
        for (label, x) in [
            ("mean", c.mean),
            ("se", c.se),
            ("sd", c.sd),
            ("min", c.min),
            ("max", c.max),
        ] {
            assert!(x.is_finite(), "{what}: {label} is {x}");
        }
        assert!(c.sd >= 0.0 && c.se >= 0.0, "{what}");
        assert!(
            (c.se - c.sd / (n as f64).sqrt()).abs() <= 1e-12 * c.sd.max(1.0),
            "{what}: se {} is not sd/sqrt(n) = {}",
            c.se,
            c.sd / (n as f64).sqrt()
        );
        assert_ordered(&what, &c.quantiles);
        assert!(
            c.min <= c.quantiles[0] && c.quantiles[4] <= c.max,
            "{what}: quantiles {:?} outside min..max {}..{}",
            c.quantiles,
            c.min,
            c.max
        );
        assert!(c.min <= c.mean && c.mean <= c.max, "{what}");
        assert_eq!(
            c.histogram.counts.iter().sum::<u64>(),
            n,
            "{what}: histogram counts every trial"
        );
        // The summary is of the records: recompute the mean and extremes independently.
        let held = s.front.shared_start();
        let values: Vec<f64> = recs.iter().map(|r| o.of(r, held)).collect();
        let mean = values.iter().sum::<f64>() / n as f64;
        assert!(
            (c.mean - mean).abs() <= 1e-9 * mean.abs().max(1.0),
            "{what}: mean {} vs {mean}",
            c.mean
        );
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert_eq!((c.min, c.max), (min, max), "{what}");
    }

    // Leverage of the two sides shares the issue; probabilities and areas stay in range.
    let lev_a = s.outcome(Outcome::LeverageA);
    let lev_b = s.outcome(Outcome::LeverageB);
    assert!((lev_a.mean + lev_b.mean - 1.0).abs() < 1e-9, "{name}");
    assert!(
        lev_a.sd > 0.0,
        "{name}: an uncertain scenario gives spread leverage"
    );
    let p = s.outcome(Outcome::WinProbabilityA);
    assert!(p.min >= 0.0 && p.max <= 1.0, "{name}: P(a prevails) {p:?}");
    let bf = &vs.battlefield;
    // The shipped scenarios fix both areas.
    let (contested, held_start) = (
        bf.contested_km2.value.central(),
        bf.held_by_b_km2.value.central(),
    );
    let held = s.outcome(Outcome::HeldByB);
    assert!(
        held.min >= 0.0 && held.max <= contested as f32 as f64,
        "{name}: area held by b outside 0..=contested: {}..{}",
        held.min,
        held.max
    );
    for o in [Outcome::CasualtiesA, Outcome::CasualtiesB] {
        assert!(s.outcome(o).min >= 0.0, "{name}: {}", o.id());
    }

    // The front bands: one row per month, ordered, and inside the contested area.
    let horizon = vs.simulation.horizon_months as usize;
    let front = &s.front;
    assert_eq!(front.start_km2, held_start, "{name}");
    assert_eq!(front.cumulative.len(), horizon, "{name}");
    assert_eq!(front.monthly.len(), horizon, "{name}");
    for (t, (cum, month)) in front.cumulative.iter().zip(&front.monthly).enumerate() {
        assert_ordered(&format!("{name}: cumulative front, month {}", t + 1), cum);
        assert_ordered(&format!("{name}: monthly front, month {}", t + 1), month);
        assert!(
            cum[0] >= -held_start - 1e-6 && cum[4] <= contested - held_start + 1e-6,
            "{name}: month {}: cumulative gain {cum:?} leaves the contested area",
            t + 1
        );
    }
    // The histogram bands agree with the records at the horizon: the median cumulative gain
    // of the front histogram is the median of the records' gains, to a few bins' width.
    let spec = armistice::Engine::new(vs).front_spec().clone();
    let (lo, hi) = spec.cum_range[horizon - 1];
    let bin = (hi - lo) / armistice::FRONT_BINS as f64;
    let gained = s.outcome(Outcome::GainedByB);
    // (Records keep areas as f32, hence the extra km2.)
    let tol = 3.0 * bin + 1.0;
    assert!(
        (front.cumulative[horizon - 1][2] - gained.median()).abs() <= tol,
        "{name}: front median at the horizon {} vs the records' median gain {} (tolerance {tol})",
        front.cumulative[horizon - 1][2],
        gained.median()
    );
    assert_eq!(QUANTILES, [0.05, 0.25, 0.50, 0.75, 0.95]);
}

#[test]
fn every_scenario_loads_validates_round_trips_and_runs() {
    for path in all_scenario_files() {
        let name = name_of(&path);
        let vs = load(&path);

        // Validating the validated scenario again accepts it unchanged.
        let again = armistice::validate(vs.scenario().clone())
            .unwrap_or_else(|issues| panic!("{name}: {issues:?}"));
        assert_eq!(again, vs, "{name}");

        // parse_str (no validation) gives the same document as load_file.
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed: Scenario = armistice::parse_str(&text, &name).unwrap();
        assert_eq!(&parsed, vs.scenario(), "{name}");

        // Canonical RON round-trips to an equal scenario, and writing it again is stable.
        let ron = armistice::to_ron_string(vs.scenario()).unwrap();
        let back = armistice::load_str(&ron, &name)
            .unwrap_or_else(|e| panic!("{name}: the canonical RON does not load back: {e}\n{ron}"));
        assert_eq!(back, vs, "{name}: RON round trip changed the scenario");
        assert_eq!(
            armistice::to_ron_string(back.scenario()).unwrap(),
            ron,
            "{name}: writing the reloaded scenario gives different text"
        );
        assert_eq!(
            armistice::scenario_hash(back.scenario()),
            armistice::scenario_hash(vs.scenario()),
            "{name}"
        );

        // JSON (what `armistice export` writes) round-trips too.
        let json = serde_json::to_string_pretty(vs.scenario()).unwrap();
        let from_json: Scenario = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{name}: the JSON does not load back: {e}"));
        assert_eq!(&from_json, vs.scenario(), "{name}: JSON round trip");

        let result = run(&vs, TRIALS, vs.simulation.seed, None);
        assert_eq!(result.stamp.trials, TRIALS, "{name}");
        assert_eq!(result.stamp.seed, vs.simulation.seed, "{name}");
        assert_eq!(result.stamp.scenario_title, vs.meta.title, "{name}");
        assert_eq!(
            result.stamp.scenario_hash,
            armistice::scenario_hash(vs.scenario()),
            "{name}"
        );
        check_summary(&name, &vs, &result);
    }
}

#[test]
fn every_input_of_every_scenario_is_catalogued_once() {
    for path in all_scenario_files() {
        let name = name_of(&path);
        let vs = load(&path);
        let inputs = vs.inputs();
        assert!(!inputs.is_empty(), "{name}");
        let mut paths: Vec<&str> = inputs.iter().map(|i| i.path.as_str()).collect();
        let n = paths.len();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), n, "{name}: an input path is listed twice");
        for info in &inputs {
            // Every input can be looked up and edited by its path.
            let mut sc = vs.scenario().clone();
            assert!(sc.update_input(&info.path, |_| {}), "{name}: {}", info.path);
            assert_eq!(
                vs.input_by_key(info.key).as_ref(),
                Some(&info.input),
                "{name}: {}",
                info.path
            );
        }
        let mut sc = vs.scenario().clone();
        assert!(!sc.update_input("sides.a.no_such_field", |_| {}), "{name}");
    }
}

#[test]
fn builtin_baseline_equals_the_shipped_file() {
    let builtin = armistice::builtin_baseline().unwrap();
    let file = load(&baseline_path());
    assert_eq!(builtin, file);
    assert_eq!(
        armistice::BUILTIN_BASELINE,
        std::fs::read_to_string(baseline_path()).unwrap()
    );
}

#[test]
fn template_text_is_valid_and_is_the_template_file() {
    let vs = armistice::load_str(armistice::TEMPLATE, "template").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(vs, load(&template_path()));
    // The template documents itself: it is commented, and it shows every kind of input.
    assert!(armistice::TEMPLATE.contains("//"));
    assert!(!vs.aid.is_empty() && !vs.troops.is_empty());
    assert!(vs.bargaining.packages.len() >= 2);
}

#[test]
fn the_shipped_scenarios_cite_only_listed_sources_and_have_distinct_titles() {
    let mut titles = Vec::new();
    for path in shipped_scenarios() {
        let vs = load(&path);
        assert!(!vs.meta.title.trim().is_empty());
        titles.push(vs.meta.title.clone());
        let ids: Vec<&str> = vs.meta.sources.iter().map(|s| s.id.as_str()).collect();
        for info in vs.inputs() {
            if let Some(s) = &info.input.source {
                assert!(
                    ids.contains(&s.as_str()),
                    "{}: {}",
                    name_of(&path),
                    info.path
                );
            }
        }
    }
    let n = titles.len();
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), n, "two shipped scenarios share a title");
}

/// The complete example of docs/SCENARIO_FORMAT.md (section 2) is a valid version-2 scenario
/// that runs.
#[test]
fn the_format_documents_complete_example_is_valid() {
    let doc =
        std::fs::read_to_string(crate::common::root().join("docs/SCENARIO_FORMAT.md")).unwrap();
    let start = doc.find("## 2. A complete example").unwrap();
    let open = doc[start..].find("```ron").unwrap() + start + "```ron".len();
    let close = doc[open..].find("```").unwrap() + open;
    let vs = armistice::load_str(&doc[open..close], "SCENARIO_FORMAT.md example")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(vs.version, armistice::FORMAT_VERSION);
    assert!(!vs.events.is_empty() && vs.observed_talks.is_some());
    let r = run(&vs, 500, 1, Some(1));
    assert!(r.summary.settlement.is_some());
}
