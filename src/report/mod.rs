//! Headless output of a run: a readable summary table, JSON for scripts (no timings or dates,
//! so equal runs print equal bytes), and tidy CSV of per-trial records and of the summary,
//! each carrying the run's stamp.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::Constraint;
use crate::run::{RunResult, Stamp};
use crate::scenario::Scenario;
use crate::sim::front::QUANTILES;
use crate::sim::{BATCH, Engine};
use crate::stats::{Continuous, Outcome, Proportion, Summary};
use crate::text::{fmt_csv, group_thousands, label_row};

mod settlement;

pub use settlement::reason_label;

#[derive(Serialize)]
struct JsonOutcome<'a> {
    label: String,
    unit: &'a str,
    mean: f64,
    se: f64,
    sd: f64,
    min: f64,
    max: f64,
    p5: f64,
    p25: f64,
    p50: f64,
    p75: f64,
    p95: f64,
    histogram: &'a crate::stats::Histogram,
}

impl<'a> JsonOutcome<'a> {
    fn of(label: String, unit: &'a str, c: &'a Continuous) -> Self {
        JsonOutcome {
            label,
            unit,
            mean: c.mean,
            se: c.se,
            sd: c.sd,
            min: c.min,
            max: c.max,
            p5: c.quantiles[0],
            p25: c.quantiles[1],
            p50: c.quantiles[2],
            p75: c.quantiles[3],
            p95: c.quantiles[4],
            histogram: &c.histogram,
        }
    }
}

#[derive(Serialize)]
struct JsonPackage<'a> {
    name: &'a str,
    p: f64,
    se: f64,
}

#[derive(Serialize)]
struct JsonFront<'a> {
    /// The start every trial shares, or the central start when each draws its own.
    start_held_by_b_km2: f64,
    /// Present (true) only when each trial draws its own start: the gains are then counted
    /// from each trial's start.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    start_uncertain: bool,
    months: Vec<usize>,
    quantiles: [f64; 5],
    cumulative_gain_by_b_km2: &'a [[f64; 5]],
    monthly_gain_by_b_km2: &'a [[f64; 5]],
}

#[derive(Serialize)]
struct JsonReport<'a> {
    stamp: &'a Stamp,
    side_a: &'a str,
    side_b: &'a str,
    horizon_months: u32,
    /// Format version 1 only: P(a package is acceptable and durable at the horizon).
    #[serde(skip_serializing_if = "Option::is_none")]
    p_deal: Option<Proportion>,
    most_likely_package: Option<&'a str>,
    packages: Vec<JsonPackage<'a>>,
    p_range_empty: Proportion,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Shares of the no-deal trials; each `null` when every trial made a deal.
    blocked_given_no_deal: Option<std::collections::BTreeMap<&'static str, Option<Proportion>>>,
    /// Format version 2 only: when the war ends, on what terms, what keeps it going.
    #[serde(skip_serializing_if = "Option::is_none")]
    settlement: Option<settlement::JsonSettlement<'a>>,
    outcomes: std::collections::BTreeMap<&'static str, JsonOutcome<'a>>,
    front: JsonFront<'a>,
    /// What reruns this run: the scenario, the seed and the trials (`armistice replay`).
    replay: crate::replay::Replay,
}

pub(crate) fn constraint_id(c: Constraint) -> &'static str {
    match c {
        Constraint::AcceptableToA => "acceptability_a",
        Constraint::AcceptableToB => "acceptability_b",
        Constraint::Durability => "durability",
        Constraint::MutualOptimism => "mutual_optimism",
    }
}

/// The JSON report of a run.
pub fn json(result: &RunResult, scenario: &Scenario) -> Result<String, serde_json::Error> {
    let s = &result.summary;
    let a = &scenario.sides.a.name;
    let b = &scenario.sides.b.name;
    let monthly = s.settlement.is_some();
    let outcomes = s
        .outcomes
        .iter()
        .map(|(o, c)| {
            let label = if monthly {
                format!("{} {}", o.label(a, b), settlement::AT_END)
            } else {
                o.label(a, b)
            };
            (o.id(), JsonOutcome::of(label, o.unit(), c))
        })
        .collect();
    let report = JsonReport {
        stamp: &result.stamp,
        side_a: a,
        side_b: b,
        horizon_months: scenario.simulation.horizon_months,
        p_deal: (!monthly).then_some(s.p_deal),
        most_likely_package: s
            .most_likely_package()
            .and_then(|k| scenario.bargaining.packages.get(k))
            .map(|p| p.name.as_str()),
        packages: scenario
            .bargaining
            .packages
            .iter()
            .zip(&s.p_package)
            .map(|(p, pr)| JsonPackage {
                name: &p.name,
                p: pr.p,
                se: pr.se,
            })
            .collect(),
        p_range_empty: s.p_range_empty,
        blocked_given_no_deal: (!monthly).then(|| {
            Constraint::ALL
                .iter()
                .map(|c| {
                    let empty = s.p_deal.p >= 1.0;
                    (
                        constraint_id(*c),
                        (!empty).then_some(s.blocked_given_no_deal[*c as usize]),
                    )
                })
                .collect()
        }),
        settlement: s
            .settlement
            .as_ref()
            .map(|st| settlement::JsonSettlement::of(st, scenario)),
        outcomes,
        front: JsonFront {
            start_held_by_b_km2: s.front.start_km2,
            start_uncertain: s.front.start_uncertain,
            months: (1..=s.front.cumulative.len()).collect(),
            quantiles: QUANTILES,
            cumulative_gain_by_b_km2: &s.front.cumulative,
            monthly_gain_by_b_km2: &s.front.monthly,
        },
        replay: crate::replay::Replay::of(scenario, &result.stamp),
    };
    let mut text = serde_json::to_string_pretty(&report)?;
    text.push('\n');
    Ok(text)
}

fn fmt_value(x: f64, unit: &str) -> String {
    if unit == "troops" || unit == "km2" {
        group_thousands(x)
    } else {
        format!("{x:.3}")
    }
}

/// Writes the readable summary table.
pub fn table(result: &RunResult, scenario: &Scenario, w: &mut dyn Write) -> io::Result<()> {
    let s: &Summary = &result.summary;
    let a = &scenario.sides.a.name;
    let b = &scenario.sides.b.name;
    writeln!(w, "{}", scenario.meta.title)?;
    writeln!(
        w,
        "{} trials, seed {}, horizon {} months, scenario {}",
        group_thousands(s.trials as f64),
        s.seed,
        scenario.simulation.horizon_months,
        result.stamp.scenario_hash
    )?;
    writeln!(w, "An exploration of stated assumptions, not a forecast.")?;
    writeln!(w)?;
    writeln!(w, "{:<44} {:>8}  {:>7}", "", "value", "± se")?;
    let pl = |w: &mut dyn Write, label: &str, p: Proportion| {
        let rest = format!(" {:>8.3}  {:>7.4}", p.p, p.se);
        write!(w, "{}", label_row("", label, 44, &rest))
    };
    let most_likely = s
        .most_likely_package()
        .and_then(|k| scenario.bargaining.packages.get(k))
        .map(|p| p.name.as_str());
    if let Some(st) = &s.settlement {
        settlement::headline(w, st, most_likely)?;
    } else {
        pl(w, "P(deal)", s.p_deal)?;
    }
    pl(
        w,
        if s.settlement.is_some() {
            "P(no territorial range at the last table)"
        } else {
            "P(no territorial bargaining range)"
        },
        s.p_range_empty,
    )?;
    for o in [Outcome::LeverageA, Outcome::LeverageB] {
        let c = s.outcome(o);
        let label = format!("Mean {}", lowercase_first(&o.label(a, b)));
        let label = if s.settlement.is_some() {
            format!("{label} at the end")
        } else {
            label
        };
        let rest = format!(" {:>8.3}  {:>7.4}", c.mean, c.se);
        write!(w, "{}", label_row("", &label, 44, &rest))?;
    }
    writeln!(w)?;
    if let Some(st) = &s.settlement {
        settlement::sections(w, st, scenario)?;
        writeln!(w)?;
    }
    writeln!(
        w,
        "{}{:<36} {:>8}  {:>7}",
        if s.settlement.is_some() {
            "Terms "
        } else {
            "Packages"
        },
        if s.settlement.is_some() { "  " } else { "" },
        if s.settlement.is_some() {
            "P(settled on)"
        } else {
            "P(agreed)"
        },
        "± se"
    )?;
    for (k, (p, pr)) in scenario
        .bargaining
        .packages
        .iter()
        .zip(&s.p_package)
        .enumerate()
    {
        let mark = if Some(k) == s.most_likely_package() {
            "*"
        } else {
            " "
        };
        let rest = format!(" {:>8.3}  {:>7.4}", pr.p, pr.se);
        write!(w, "{}", label_row(&format!("{mark} "), &p.name, 42, &rest))?;
    }
    writeln!(w)?;
    if s.settlement.is_none() {
        blocked_section(w, s, a, b)?;
    }
    outcomes_section(w, s, a, b)?;
    writeln!(w)?;
    writeln!(w, "Front: area gained by {b} (km2), median and 90% band")?;
    writeln!(
        w,
        "{:>7} {:>12} {:>12} {:>12}   {:>12}",
        "month", "this month", "p5", "p95", "cumulative"
    )?;
    for (t, (m, c)) in s.front.monthly.iter().zip(&s.front.cumulative).enumerate() {
        writeln!(
            w,
            "{:>7} {:>12} {:>12} {:>12}   {:>12}",
            t + 1,
            group_thousands(m[2]),
            group_thousands(m[0]),
            group_thousands(m[4]),
            group_thousands(c[2])
        )?;
    }
    Ok(())
}

fn blocked_section(w: &mut dyn Write, s: &Summary, a: &str, b: &str) -> io::Result<()> {
    writeln!(
        w,
        "When there is no deal, what blocked it (share of no-deal trials)"
    )?;
    for c in Constraint::ALL {
        let label = match c {
            Constraint::AcceptableToA => format!("{a} prefers fighting"),
            Constraint::AcceptableToB => format!("{b} prefers fighting"),
            Constraint::Durability => "no package is durable (commitment problem)".to_string(),
            Constraint::MutualOptimism => "mutual optimism closes the range".to_string(),
        };
        let p = s.blocked_given_no_deal[c as usize];
        let rest = if s.p_deal.p >= 1.0 {
            // Every trial made a deal: a share of no trials.
            format!(" {NONE:>8}  {NONE:>7}")
        } else {
            format!(" {:>8.3}  {:>7.4}", p.p, p.se)
        };
        write!(w, "{}", label_row("  ", &label, 42, &rest))?;
    }
    writeln!(w)
}

fn outcomes_section(w: &mut dyn Write, s: &Summary, a: &str, b: &str) -> io::Result<()> {
    writeln!(
        w,
        "{:<44} {:>10} {:>9} {:>10} {:>10} {:>10} {:>10} {:>10}",
        if s.settlement.is_some() {
            "Outcome (at settlement, or at the horizon)"
        } else {
            "Outcome"
        },
        "mean",
        "± se",
        "p5",
        "p25",
        "p50",
        "p75",
        "p95"
    )?;
    for (o, c) in &s.outcomes {
        let unit = o.unit();
        let label = format!("{} ({})", o.label(a, b), short_unit(unit));
        let c: &Continuous = c;
        let rest = format!(
            " {:>10} {:>9} {:>10} {:>10} {:>10} {:>10} {:>10}",
            fmt_value(c.mean, unit),
            if unit == "troops" || unit == "km2" {
                group_thousands(c.se)
            } else {
                format!("{:.4}", c.se)
            },
            fmt_value(c.quantiles[0], unit),
            fmt_value(c.quantiles[1], unit),
            fmt_value(c.quantiles[2], unit),
            fmt_value(c.quantiles[3], unit),
            fmt_value(c.quantiles[4], unit),
        );
        write!(w, "{}", label_row("", &label, 44, &rest))?;
    }
    Ok(())
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn short_unit(unit: &str) -> &str {
    match unit {
        "share of the issue" => "share",
        "probability" => "prob.",
        other => other,
    }
}

/// Writes one row per trial. Columns: trial, deal, package, blocked_by, range_empty, every
/// [`Outcome`], (format version 2) settlement_month, then the stamp columns scenario_hash and
/// seed. Starts with the commented stamp ([`Stamp::csv_comment`]), a comment line with the
/// replay record and a `# units:` line giving each numeric column's unit.
pub fn trials_csv(result: &RunResult, scenario: &Scenario, w: &mut dyn Write) -> io::Result<()> {
    trials_csv_with(result, scenario, None, w)
}

/// [`trials_csv`], and with `inputs` (the engine that made the run) one more column per drawn
/// input, named by its path as `armistice inputs` lists it, holding the value the trial drew
/// (read back from the engine's streams, without running the model again).
pub fn trials_csv_with(
    result: &RunResult,
    scenario: &Scenario,
    inputs: Option<&Engine>,
    w: &mut dyn Write,
) -> io::Result<()> {
    w.write_all(result.stamp.csv_comment().as_bytes())?;
    w.write_all(
        crate::replay::csv_line(&crate::replay::Replay::of(scenario, &result.stamp)).as_bytes(),
    )?;
    let monthly = result.summary.settlement.is_some();
    let infos = scenario.inputs();
    // The drawn inputs' slots, in the order `armistice inputs` lists them.
    let mut drawn: Vec<usize> = inputs.map_or_else(Vec::new, Engine::uncertain_slots);
    if let Some(e) = inputs {
        drawn.sort_by_key(|&slot| {
            let path = e.paths().get(slot);
            infos.iter().position(|i| Some(&i.path) == path)
        });
    }
    let input_units: Vec<(String, &str)> = inputs.map_or_else(Vec::new, |e| {
        drawn
            .iter()
            .map(|&slot| {
                let path = e.paths().get(slot).cloned().unwrap_or_default();
                let unit = infos
                    .iter()
                    .find(|i| i.path == path)
                    .map_or("", |i| i.spec.unit);
                (path, unit)
            })
            .collect()
    });
    // A drawn month is written as the whole month the trial used.
    let whole: Vec<bool> = input_units
        .iter()
        .map(|(p, _)| infos.iter().any(|i| &i.path == p && i.spec.integer))
        .collect();
    let mut units: Vec<String> = vec!["deal=0 or 1".into(), "range_empty=true or false".into()];
    units.extend(
        Outcome::ALL
            .iter()
            .map(|o| format!("{}={}", o.id(), o.unit())),
    );
    if monthly {
        units.push("settlement_month=month".into());
    }
    units.extend(input_units.iter().map(|(p, u)| format!("{p}={u}")));
    writeln!(w, "# units: {}", units.join("; "))?;
    let mut wtr = csv::Writer::from_writer(w);
    let mut header: Vec<String> = ["trial", "deal", "package", "blocked_by", "range_empty"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(Outcome::ALL.iter().map(|o| o.id().to_string()));
    if monthly {
        header.push("settlement_month".into());
    }
    header.push("scenario_hash".into());
    header.push("seed".into());
    header.extend(input_units.iter().map(|(p, _)| p.clone()));
    wtr.write_record(&header)?;
    let held = result.summary.front.shared_start();
    let names: Vec<&str> = scenario
        .bargaining
        .packages
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    let seed = result.stamp.seed.to_string();
    let mut row: Vec<String> = Vec::with_capacity(header.len());
    let mut drawn_values: Vec<Vec<f64>> = Vec::new();
    for (i, r) in result.output.records.iter().enumerate() {
        if let Some(engine) = inputs
            && i % BATCH == 0
        {
            // The inputs of this batch's trials, as the run drew them.
            drawn_values.clear();
            let len = (result.output.records.len() - i).min(BATCH);
            engine.batch_inputs(result.stamp.seed, (i / BATCH) as u64, len, |v, _| {
                drawn_values.push(
                    drawn
                        .iter()
                        .zip(&whole)
                        .map(|(&s, &w)| if w { v[s].round() } else { v[s] })
                        .collect(),
                );
            });
        }
        row.clear();
        row.push(i.to_string());
        row.push(u8::from(r.deal()).to_string());
        row.push(
            r.package()
                .and_then(|k| names.get(k))
                .map_or(String::new(), |s| s.to_string()),
        );
        row.push(
            r.blocked()
                .map_or(String::new(), |c| constraint_id(c).to_string()),
        );
        row.push(r.range_empty.to_string());
        for o in Outcome::ALL {
            row.push(format!("{}", o.of(r, held) as f32));
        }
        if monthly {
            row.push(r.settled_month().map_or(String::new(), |m| m.to_string()));
        }
        row.push(result.stamp.scenario_hash.clone());
        row.push(seed.clone());
        if let Some(values) = drawn_values.get(i % BATCH) {
            row.extend(values.iter().map(|&x| fmt_csv(x)));
        }
        wtr.write_record(&row)?;
    }
    wtr.flush()?;
    Ok(())
}

/// Writes the summary as tidy CSV after the commented stamp ([`Stamp::csv_comment`]) and a
/// comment line with the replay record: one
/// row per (quantity, statistic), with the stamp in every row too (scenario_title,
/// scenario_hash, seed, trials, app_version) and the value's unit last. A share of an empty
/// set (what blocked the deals when every trial made one) is `none`.
pub fn summary_csv(result: &RunResult, scenario: &Scenario, w: &mut dyn Write) -> io::Result<()> {
    w.write_all(result.stamp.csv_comment().as_bytes())?;
    w.write_all(
        crate::replay::csv_line(&crate::replay::Replay::of(scenario, &result.stamp)).as_bytes(),
    )?;
    let mut wtr = csv::Writer::from_writer(w);
    wtr.write_record([
        "scenario_title",
        "scenario_hash",
        "seed",
        "trials",
        "app_version",
        "quantity",
        "statistic",
        "value",
        "unit",
    ])?;
    let st = &result.stamp;
    let seed = st.seed.to_string();
    let trials = st.trials.to_string();
    let mut put = |q: &str, stat: &str, v: Option<f64>, unit: &str| {
        wtr.write_record([
            st.scenario_title.as_str(),
            st.scenario_hash.as_str(),
            seed.as_str(),
            trials.as_str(),
            st.app_version.as_str(),
            q,
            stat,
            &v.map_or_else(|| NONE.to_string(), |v| format!("{v}")),
            unit,
        ])
    };
    let s = &result.summary;
    const P: &str = "probability";
    put("p_deal", "p", Some(s.p_deal.p), P)?;
    put("p_deal", "se", Some(s.p_deal.se), P)?;
    put("p_range_empty", "p", Some(s.p_range_empty.p), P)?;
    put("p_range_empty", "se", Some(s.p_range_empty.se), P)?;
    for (p, pr) in scenario.bargaining.packages.iter().zip(&s.p_package) {
        let q = format!("p_package[{}]", p.name);
        put(&q, "p", Some(pr.p), P)?;
        put(&q, "se", Some(pr.se), P)?;
    }
    // Every trial made a deal: no no-deal trial to share out.
    let no_deal_empty = s.p_deal.p >= 1.0;
    for c in Constraint::ALL {
        let q = format!("blocked_given_no_deal[{}]", constraint_id(c));
        let b = s.blocked_given_no_deal[c as usize];
        let share = |x: f64| (!no_deal_empty).then_some(x);
        put(&q, "p", share(b.p), "share of no-deal trials")?;
        put(&q, "se", share(b.se), "share of no-deal trials")?;
    }
    for (o, c) in &s.outcomes {
        put(o.id(), "mean", Some(c.mean), o.unit())?;
        put(o.id(), "se", Some(c.se), o.unit())?;
        put(o.id(), "sd", Some(c.sd), o.unit())?;
        for (q, v) in ["p5", "p25", "p50", "p75", "p95"].iter().zip(c.quantiles) {
            put(o.id(), q, Some(v), o.unit())?;
        }
    }
    if let Some(st) = &s.settlement {
        for (q, stat, v, unit) in settlement::csv_rows(st) {
            put(&q, stat, v, unit)?;
        }
    }
    for (t, (m, cum)) in s.front.monthly.iter().zip(&s.front.cumulative).enumerate() {
        for (q, v) in ["p5", "p25", "p50", "p75", "p95"].iter().zip(m) {
            put(
                &format!("monthly_gain_by_b_km2[{}]", t + 1),
                q,
                Some(*v),
                "km2",
            )?;
        }
        for (q, v) in ["p5", "p25", "p50", "p75", "p95"].iter().zip(cum) {
            put(
                &format!("cumulative_gain_by_b_km2[{}]", t + 1),
                q,
                Some(*v),
                "km2",
            )?;
        }
    }
    wtr.flush()?;
    Ok(())
}

/// How CSV and the terminal table write a share of an empty set (JSON writes `null`).
pub const NONE: &str = "none";
