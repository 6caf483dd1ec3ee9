//! The settlement part of a monthly run's report (format version 2): JSON, the table's
//! sections, and the summary CSV's rows. Every label says "at settlement", "by month t" or
//! "within the horizon", so that nobody reads a horizon figure as a forecast of a deal.

use std::io::{self, Write};

use serde::Serialize;

use super::{JsonOutcome, constraint_id, group_thousands};
use crate::model::Constraint;
use crate::scenario::Scenario;
use crate::stats::{Proportion, Settlement};
use crate::text::{label_row, pad_left, pad_right};

/// Appended to the labels of the outcomes that every trial has: in a monthly run they are
/// read when the war ends.
pub const AT_END: &str = "(at settlement, or at the horizon if none)";

#[derive(Serialize)]
struct JsonMonth {
    month: u32,
    p: f64,
    se: f64,
}

#[derive(Serialize)]
struct JsonWhy {
    month: u32,
    still_fighting: u64,
    /// Shares of the trials still fighting; `null` when none are.
    a_prefers_fighting: Option<f64>,
    b_prefers_fighting: Option<f64>,
    no_durable_package: Option<f64>,
    mutual_optimism: Option<f64>,
}

#[derive(Serialize)]
struct JsonBand {
    month: u32,
    p5: f64,
    p25: f64,
    p50: f64,
    p75: f64,
    p95: f64,
}

/// The `settlement` object of the JSON report.
#[derive(Serialize)]
pub(super) struct JsonSettlement<'a> {
    p_settled_within_horizon: Proportion,
    /// `null` when fewer than half the trials settle within the horizon.
    median_settlement_month: Option<u32>,
    p_no_settlement_within_horizon: Proportion,
    settled_by_month: Vec<JsonMonth>,
    held_by_b_at_settlement_km2: JsonOutcome<'a>,
    casualties_a_at_settlement: JsonOutcome<'a>,
    casualties_b_at_settlement: JsonOutcome<'a>,
    leverage_a_at_settlement: JsonOutcome<'a>,
    /// Among the trials not settled within the horizon: what blocked the last table.
    /// Shares of the runs that did not settle; each `null` when every run settled.
    unsettled_blocked_by: std::collections::BTreeMap<&'static str, Option<Proportion>>,
    why_the_war_goes_on: Vec<JsonWhy>,
    leverage_a_by_month: Vec<JsonBand>,
    /// The monthly gain of `b` (km2) over the wars still going that month.
    monthly_gain_by_b_while_fighting_km2: Vec<JsonBand>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hindcast: Option<&'a crate::stats::settlement::Hindcast>,
}

fn bands(rows: &[[f64; 5]]) -> Vec<JsonBand> {
    rows.iter()
        .enumerate()
        .filter(|(_, q)| q.iter().all(|x| x.is_finite()))
        .map(|(t, q)| JsonBand {
            month: t as u32 + 1,
            p5: q[0],
            p25: q[1],
            p50: q[2],
            p75: q[3],
            p95: q[4],
        })
        .collect()
}

impl<'a> JsonSettlement<'a> {
    pub(super) fn of(s: &'a Settlement, sc: &Scenario) -> Self {
        let a = &sc.sides.a.name;
        let b = &sc.sides.b.name;
        JsonSettlement {
            p_settled_within_horizon: s.settled,
            median_settlement_month: s.median_month,
            p_no_settlement_within_horizon: Proportion {
                p: 1.0 - s.settled.p,
                se: s.settled.se,
            },
            settled_by_month: s
                .settled_by
                .iter()
                .enumerate()
                .map(|(t, p)| JsonMonth {
                    month: t as u32 + 1,
                    p: p.p,
                    se: p.se,
                })
                .collect(),
            held_by_b_at_settlement_km2: JsonOutcome::of(
                format!("Area held by {b} at settlement"),
                "km2",
                &s.held_at_settlement,
            ),
            casualties_a_at_settlement: JsonOutcome::of(
                format!("Casualties of {a} up to settlement"),
                "troops",
                &s.casualties_a_at_settlement,
            ),
            casualties_b_at_settlement: JsonOutcome::of(
                format!("Casualties of {b} up to settlement"),
                "troops",
                &s.casualties_b_at_settlement,
            ),
            leverage_a_at_settlement: JsonOutcome::of(
                format!("Leverage of {a} in the month of settlement"),
                "share of the issue",
                &s.leverage_a_at_settlement,
            ),
            unsettled_blocked_by: Constraint::MONTHLY
                .iter()
                .map(|c| {
                    let empty = s.settled.p >= 1.0;
                    (
                        constraint_id(*c),
                        (!empty).then_some(s.unsettled_why[*c as usize]),
                    )
                })
                .collect(),
            why_the_war_goes_on: s
                .why
                .iter()
                .zip(&s.fighting)
                .enumerate()
                .map(|(t, (w, f))| JsonWhy {
                    month: t as u32 + 1,
                    still_fighting: *f,
                    a_prefers_fighting: w[0],
                    b_prefers_fighting: w[1],
                    no_durable_package: w[2],
                    mutual_optimism: w[3],
                })
                .collect(),
            leverage_a_by_month: s
                .leverage_a_by_month
                .iter()
                .enumerate()
                .filter_map(|(t, q)| {
                    q.map(|q| JsonBand {
                        month: t as u32 + 1,
                        p5: q[0],
                        p25: q[1],
                        p50: q[2],
                        p75: q[3],
                        p95: q[4],
                    })
                })
                .collect(),
            monthly_gain_by_b_while_fighting_km2: bands(&s.front_while_fighting.monthly),
            hindcast: s.hindcast.as_ref(),
        }
    }
}

/// A reason's label with the side names.
pub fn reason_label(c: Constraint, a: &str, b: &str) -> String {
    match c {
        Constraint::AcceptableToA => format!("{a} prefers fighting on"),
        Constraint::AcceptableToB => format!("{b} prefers fighting on"),
        Constraint::Durability => "no acceptable package would hold".to_string(),
        Constraint::MutualOptimism => "mutual optimism: no range".to_string(),
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| super::NONE.to_string(), |v| format!("{:.0}%", v * 100.0))
}

/// The table's headline lines for a monthly run.
pub(super) fn headline(
    w: &mut dyn Write,
    s: &Settlement,
    most_likely: Option<&str>,
) -> io::Result<()> {
    let p = s.settled;
    writeln!(
        w,
        "{:<44} {:>8.3}  {:>7.4}",
        format!("P(settled within {} months)", s.horizon_months),
        p.p,
        p.se
    )?;
    writeln!(
        w,
        "{:<44} {:>8}",
        "Median month of settlement",
        s.median_month
            .map_or_else(|| "not within the horizon".to_string(), |m| m.to_string())
    )?;
    writeln!(
        w,
        "{:<44} {}",
        "Most likely terms at settlement",
        most_likely.unwrap_or("none (no settlement)")
    )
}

/// The table's settlement sections: the settlement curve, terms at settlement, and why the
/// war goes on, month by month.
pub(super) fn sections(w: &mut dyn Write, s: &Settlement, sc: &Scenario) -> io::Result<()> {
    let a = &sc.sides.a.name;
    let b = &sc.sides.b.name;
    writeln!(
        w,
        "When the war ends: share of runs settled by each month, and why the others fight on"
    )?;
    writeln!(
        w,
        "{:>6} {:>9} {:>7} {:>10}  {:>9} {:>9} {:>9} {:>9}  {:>13}",
        "month",
        "settled",
        "± se",
        "fighting",
        "a waits",
        "b waits",
        "no hold",
        "optimism",
        "leverage a p50"
    )?;
    for (t, p) in s.settled_by.iter().enumerate() {
        let why = s.why.get(t).copied().unwrap_or([None; 4]);
        let lev = s
            .leverage_a_by_month
            .get(t)
            .copied()
            .flatten()
            .map_or_else(|| "—".to_string(), |q| format!("{:.3}", q[2]));
        writeln!(
            w,
            "{:>6} {:>9.3} {:>7.4} {:>10}  {:>9} {:>9} {:>9} {:>9}  {:>13}",
            t + 1,
            p.p,
            p.se,
            group_thousands(s.fighting.get(t).copied().unwrap_or(0) as f64),
            pct(why[0]),
            pct(why[1]),
            pct(why[2]),
            pct(why[3]),
            lev
        )?;
    }
    writeln!(
        w,
        "(a waits: {} prefers fighting on; b waits: {} prefers fighting on; no hold: no \
         acceptable package would be durable; optimism: the sides' beliefs leave no range)",
        a, b
    )?;
    writeln!(w)?;
    writeln!(
        w,
        "At settlement ({} of the runs that settled)",
        group_thousands(s.n_settled as f64)
    )?;
    if s.n_settled == 0 {
        writeln!(w, "  no run settled within the horizon")?;
        return Ok(());
    }
    let row = |w: &mut dyn Write, label: &str, c: &crate::stats::Continuous, thousands: bool| {
        let f = |x: f64| {
            if thousands {
                group_thousands(x)
            } else {
                format!("{x:.3}")
            }
        };
        let rest = format!(
            " {:>10} {:>10} {:>10} {:>10}",
            f(c.quantiles[0]),
            f(c.quantiles[2]),
            f(c.quantiles[4]),
            f(c.mean)
        );
        write!(w, "{}", label_row("  ", label, 42, &rest))
    };
    writeln!(
        w,
        "  {:<42} {:>10} {:>10} {:>10} {:>10}",
        "", "p5", "median", "p95", "mean"
    )?;
    row(
        w,
        &format!("area held by {b} (km2)"),
        &s.held_at_settlement,
        true,
    )?;
    row(
        w,
        &format!("casualties of {a}"),
        &s.casualties_a_at_settlement,
        true,
    )?;
    row(
        w,
        &format!("casualties of {b}"),
        &s.casualties_b_at_settlement,
        true,
    )?;
    row(
        w,
        &format!("leverage of {a}"),
        &s.leverage_a_at_settlement,
        false,
    )?;
    if let Some(h) = &s.hindcast {
        writeln!(w)?;
        hindcast(w, h, b)?;
    }
    if s.settled.p < 1.0 {
        writeln!(w)?;
        writeln!(
            w,
            "Not settled within the horizon ({:.1}% of runs): what blocked the last table",
            (1.0 - s.settled.p) * 100.0
        )?;
        for c in Constraint::MONTHLY {
            let rest = format!(" {:>8.3}", s.unsettled_why[c as usize].p);
            write!(w, "{}", label_row("  ", &reason_label(c, a, b), 42, &rest))?;
        }
    }
    Ok(())
}

/// The hindcast: where each month observed after the scenario's date falls among the wars
/// still going that month, and the probability the simulation gave to the talks' outcome.
fn hindcast(w: &mut dyn Write, h: &crate::stats::settlement::Hindcast, b: &str) -> io::Result<()> {
    writeln!(
        w,
        "Hindcast: what happened after the scenario date, against the simulation (not fitted)"
    )?;
    if !h.months.is_empty() {
        writeln!(
            w,
            "  {:<10} {} {:>28}",
            "month",
            pad_left(&format!("gained by {b}"), 16),
            "percentile among wars going on"
        )?;
        for m in &h.months {
            writeln!(
                w,
                "  {} {:>16} {:>28}",
                pad_right(&m.label, 10),
                group_thousands(m.observed_km2),
                m.percentile.map_or_else(
                    || "past the horizon".to_string(),
                    |p| format!("{:.0}", p * 100.0)
                )
            )?;
        }
        if let (Some(i50), Some(i90)) = (h.inside_50, h.inside_90) {
            writeln!(
                w,
                "  inside the middle 50%: {:.0}% of months; inside the middle 90%: {:.0}%",
                i50 * 100.0,
                i90 * 100.0
            )?;
        }
    }
    if let Some(t) = &h.talks {
        writeln!(w, "  Talks: {}", t.label)?;
        match (t.p_settled_by, t.p_of_what_happened) {
            (Some(p), Some(q)) => writeln!(
                w,
                "  simulated P(settled by month {}) = {:.3}; the simulation gave what happened a probability of {:.3}",
                t.through_month, p.p, q
            )?,
            _ => writeln!(
                w,
                "  month {} is past the horizon: not scored",
                t.through_month
            )?,
        }
    }
    Ok(())
}

/// The summary CSV's rows of a monthly run: `(quantity, statistic, value, unit)`; the value
/// is `None` for a share of an empty set (why the war goes on in a month no run still fights,
/// what blocked the runs that did not settle when all of them did).
pub(super) fn csv_rows(s: &Settlement) -> Vec<(String, &'static str, Option<f64>, &'static str)> {
    const P: &str = "probability";
    let mut rows = vec![
        ("p_settled".to_string(), "p", Some(s.settled.p), P),
        ("p_settled".to_string(), "se", Some(s.settled.se), P),
        (
            "median_settlement_month".to_string(),
            "value",
            Some(s.median_month.map_or(f64::NAN, f64::from)),
            "month",
        ),
    ];
    for (t, p) in s.settled_by.iter().enumerate() {
        rows.push((format!("p_settled_by[{}]", t + 1), "p", Some(p.p), P));
        rows.push((format!("p_settled_by[{}]", t + 1), "se", Some(p.se), P));
    }
    let all_settled = s.settled.p >= 1.0;
    for c in Constraint::MONTHLY {
        let b = s.unsettled_why[c as usize];
        let q = format!("unsettled_blocked_by[{}]", constraint_id(c));
        let unit = "share of unsettled runs";
        rows.push((q.clone(), "p", (!all_settled).then_some(b.p), unit));
        rows.push((q, "se", (!all_settled).then_some(b.se), unit));
    }
    for (t, why) in s.why.iter().enumerate() {
        for c in Constraint::MONTHLY {
            rows.push((
                format!("why_fighting[{}][{}]", t + 1, constraint_id(c)),
                "share",
                why[c as usize],
                "share of runs still fighting",
            ));
        }
    }
    if let Some(h) = &s.hindcast {
        for m in &h.months {
            if let Some(p) = m.percentile {
                rows.push((
                    format!("hindcast_percentile[{}]", m.month),
                    "value",
                    Some(p),
                    "share of runs below",
                ));
            }
        }
        if let Some(t) = &h.talks
            && let Some(q) = t.p_of_what_happened
        {
            rows.push((
                "hindcast_p_of_talks_outcome".to_string(),
                "value",
                Some(q),
                P,
            ));
        }
    }
    for (t, q) in s.leverage_a_by_month.iter().enumerate() {
        if let Some(q) = q {
            for (name, v) in ["p5", "p25", "p50", "p75", "p95"].iter().zip(q) {
                rows.push((
                    format!("leverage_a_by_month[{}]", t + 1),
                    name,
                    Some(*v),
                    "share of the issue",
                ));
            }
        }
    }
    rows
}
