//! Headless output of a run: a readable summary table, JSON for scripts (no timings or dates,
//! so equal runs print equal bytes), and tidy CSV of per-trial records and of the summary,
//! each carrying the run's stamp.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::Constraint;
use crate::run::{RunResult, Stamp};
use crate::scenario::Scenario;
use crate::sim::front::QUANTILES;
use crate::stats::{Continuous, Outcome, Proportion, Summary};
use crate::text::{clip, group_thousands};

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
    start_held_by_b_km2: f64,
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
    blocked_given_no_deal: Option<std::collections::BTreeMap<&'static str, Proportion>>,
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
                .map(|c| (constraint_id(*c), s.blocked_given_no_deal[*c as usize]))
                .collect()
        }),
        settlement: s
            .settlement
            .as_ref()
            .map(|st| settlement::JsonSettlement::of(st, scenario)),
        outcomes,
        front: JsonFront {
            start_held_by_b_km2: s.front.start_km2,
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
        writeln!(w, "{label:<44} {:>8.3}  {:>7.4}", p.p, p.se)
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
        writeln!(w, "{:<44} {:>8.3}  {:>7.4}", label, c.mean, c.se)?;
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
        writeln!(
            w,
            "{mark} {:<42} {:>8.3}  {:>7.4}",
            clip(&p.name, 42),
            pr.p,
            pr.se
        )?;
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
        writeln!(
            w,
            "{:<44} {:>8.3}  {:>7.4}",
            format!("  {label}"),
            p.p,
            p.se
        )?;
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
        writeln!(
            w,
            "{:<44} {:>10} {:>9} {:>10} {:>10} {:>10} {:>10} {:>10}",
            clip(&label, 44),
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
        )?;
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

/// Writes one row per trial, after a comment line with the replay record (read with
/// `pandas.read_csv(path, comment="#")`). Columns: trial, deal, package, blocked_by, range_empty, every
/// [`Outcome`], then the stamp columns scenario_hash and seed.
pub fn trials_csv(result: &RunResult, scenario: &Scenario, w: &mut dyn Write) -> io::Result<()> {
    w.write_all(
        crate::replay::csv_line(&crate::replay::Replay::of(scenario, &result.stamp)).as_bytes(),
    )?;
    let mut wtr = csv::Writer::from_writer(w);
    let mut header: Vec<String> = ["trial", "deal", "package", "blocked_by", "range_empty"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(Outcome::ALL.iter().map(|o| o.id().to_string()));
    let monthly = result.summary.settlement.is_some();
    if monthly {
        header.push("settlement_month".into());
    }
    header.push("scenario_hash".into());
    header.push("seed".into());
    wtr.write_record(&header)?;
    let held = result.summary.front.start_km2;
    let names: Vec<&str> = scenario
        .bargaining
        .packages
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    let seed = result.stamp.seed.to_string();
    let mut row: Vec<String> = Vec::with_capacity(header.len());
    for (i, r) in result.output.records.iter().enumerate() {
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
        wtr.write_record(&row)?;
    }
    wtr.flush()?;
    Ok(())
}

/// Writes the summary as tidy CSV after a comment line with the replay record: one row per
/// (quantity, statistic), with the stamp in every row (scenario_title, scenario_hash, seed, trials, app_version).
pub fn summary_csv(result: &RunResult, scenario: &Scenario, w: &mut dyn Write) -> io::Result<()> {
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
    ])?;
    let st = &result.stamp;
    let seed = st.seed.to_string();
    let trials = st.trials.to_string();
    let mut put = |q: &str, stat: &str, v: f64| {
        wtr.write_record([
            st.scenario_title.as_str(),
            st.scenario_hash.as_str(),
            seed.as_str(),
            trials.as_str(),
            st.app_version.as_str(),
            q,
            stat,
            &format!("{v}"),
        ])
    };
    let s = &result.summary;
    put("p_deal", "p", s.p_deal.p)?;
    put("p_deal", "se", s.p_deal.se)?;
    put("p_range_empty", "p", s.p_range_empty.p)?;
    put("p_range_empty", "se", s.p_range_empty.se)?;
    for (p, pr) in scenario.bargaining.packages.iter().zip(&s.p_package) {
        let q = format!("p_package[{}]", p.name);
        put(&q, "p", pr.p)?;
        put(&q, "se", pr.se)?;
    }
    for c in Constraint::ALL {
        let q = format!("blocked_given_no_deal[{}]", constraint_id(c));
        put(&q, "p", s.blocked_given_no_deal[c as usize].p)?;
        put(&q, "se", s.blocked_given_no_deal[c as usize].se)?;
    }
    for (o, c) in &s.outcomes {
        put(o.id(), "mean", c.mean)?;
        put(o.id(), "se", c.se)?;
        put(o.id(), "sd", c.sd)?;
        for (q, v) in ["p5", "p25", "p50", "p75", "p95"].iter().zip(c.quantiles) {
            put(o.id(), q, v)?;
        }
    }
    if let Some(st) = &s.settlement {
        for (q, stat, v) in settlement::csv_rows(st) {
            put(&q, stat, v)?;
        }
    }
    for (t, (m, cum)) in s.front.monthly.iter().zip(&s.front.cumulative).enumerate() {
        for (q, v) in ["p5", "p25", "p50", "p75", "p95"].iter().zip(m) {
            put(&format!("monthly_gain_by_b_km2[{}]", t + 1), q, *v)?;
        }
        for (q, v) in ["p5", "p25", "p50", "p75", "p95"].iter().zip(cum) {
            put(&format!("cumulative_gain_by_b_km2[{}]", t + 1), q, *v)?;
        }
    }
    wtr.flush()?;
    Ok(())
}
