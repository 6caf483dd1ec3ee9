//! The figures of a monthly run (format version 2): when the war ends (the settlement
//! curve), why it goes on, the terms at settlement, and side a's leverage at each month's
//! table; each with the pinned baseline when it is a monthly run too.

use super::build::{FigureInput, bar_rows, fan, of_runs, outcome_rows, share};
use super::palette::Ink;
use super::{Axis, Dash, Figure, Hover, Mark, NumFormat, PlotKind, Swatch};
use crate::model::Constraint;
use crate::report::reason_label;
use crate::stats::Settlement;
use crate::text::{fmt_percent, group_thousands};

fn baseline_settlement<'a>(input: &FigureInput<'a>) -> Option<&'a Settlement> {
    input.baseline?.0.summary.settlement.as_ref()
}

/// The share of runs settled by each month, its 95% band, the baseline's curve and the
/// observed talks.
pub(super) fn settlement(input: &FigureInput) -> Option<Figure> {
    let s = input.result.summary.settlement.as_ref()?;
    let n = input.trials();
    let horizon = f64::from(s.horizon_months);
    let mut f = Figure::new(
        PlotKind::Settlement,
        "When the war ends",
        Axis::numeric(
            "month after the scenario date",
            0.0,
            horizon + 0.5,
            NumFormat::Month,
        ),
        Axis::numeric(
            "share of runs settled by the month",
            0.0,
            1.04,
            NumFormat::Percent,
        ),
    );
    let mut months = vec![0.0];
    let (mut p, mut lo, mut hi) = (vec![0.0], vec![0.0], vec![0.0]);
    for (t, x) in s.settled_by.iter().enumerate() {
        months.push(t as f64 + 1.0);
        p.push(x.p);
        lo.push((x.p - 1.96 * x.se).max(0.0));
        hi.push((x.p + 1.96 * x.se).min(1.0));
    }
    f.marks.push(Mark::Band {
        x: months.clone(),
        lo,
        hi,
        ink: Ink::Settled,
        alpha: 0.25,
    });
    f.marks.push(Mark::Line {
        points: months.iter().zip(&p).map(|(m, v)| [*m, *v]).collect(),
        ink: Ink::Settled,
        dash: Dash::Solid,
        width: 1.0,
    });
    f.legend(
        "settled by the month",
        Swatch::Line(Ink::Settled, Dash::Solid),
    );
    f.legend("95% band (Monte Carlo)", Swatch::Fill(Ink::Settled, 0.25));
    let base = baseline_settlement(input);
    for (t, x) in s.settled_by.iter().enumerate() {
        let m = t + 1;
        let mut text = format!(
            "month {m}: {} settled ± {}\n{} runs still fighting",
            fmt_percent(x.p),
            fmt_percent(x.se),
            group_thousands(s.fighting.get(t).copied().unwrap_or(0) as f64)
        );
        if let Some(b) = base.and_then(|b| b.settled_by.get(t)) {
            text.push_str(&format!(
                "\n{}: {}",
                input.baseline_name(),
                fmt_percent(b.p)
            ));
        }
        f.hovers.push(Hover::point(m as f64, x.p, text));
    }
    if let Some(b) = base {
        let pts: Vec<[f64; 2]> = std::iter::once([0.0, 0.0])
            .chain(
                b.settled_by
                    .iter()
                    .enumerate()
                    .map(|(t, x)| [t as f64 + 1.0, x.p]),
            )
            .collect();
        f.x.max = f.x.max.max(pts.len() as f64 - 0.5);
        f.marks.push(Mark::Line {
            points: pts,
            ink: Ink::Baseline,
            dash: Dash::Dashed,
            width: 0.9,
        });
        f.legend(
            input.baseline_name(),
            Swatch::Line(Ink::Baseline, Dash::Dashed),
        );
    }
    if let Some(t) = s.hindcast.as_ref().and_then(|h| h.talks.as_ref()) {
        let label = match t.settled_in_month {
            None => format!("observed: no settlement through month {}", t.through_month),
            Some(k) => format!("observed: settled in month {k}"),
        };
        // The legend names the line; a label on it would cover the curve.
        f.marks.push(Mark::VRule {
            x: f64::from(t.through_month),
            ink: Ink::Observed,
            dash: Dash::Dotted,
            label: None,
        });
        f.legend(label, Swatch::Line(Ink::Observed, Dash::Dotted));
    }
    let at = |m: usize| s.settled_by.get(m.saturating_sub(1)).map_or(0.0, |x| x.p);
    let marks: Vec<usize> = [6usize, 12, s.horizon_months as usize]
        .into_iter()
        .filter(|m| *m <= s.horizon_months as usize)
        .collect();
    f.summary = format!(
        "Share of runs settled by each month: {}; {}. {} of {} runs settle within the horizon.",
        marks
            .iter()
            .map(|m| format!("{} by month {m}", fmt_percent(at(*m))))
            .collect::<Vec<_>>()
            .join(", "),
        match s.median_month {
            Some(m) => format!("half have settled by month {m}"),
            None => format!("fewer than half settle within {} months", s.horizon_months),
        },
        group_thousands(s.n_settled as f64),
        group_thousands(n as f64)
    );
    f.zoomable = true;
    Some(f)
}

fn reason_ink(c: Constraint) -> Ink {
    match c {
        Constraint::AcceptableToA => Ink::SideA,
        Constraint::AcceptableToB => Ink::SideB,
        Constraint::Durability => Ink::Durability,
        Constraint::MutualOptimism => Ink::Optimism,
    }
}

/// Among the runs still fighting after each month's table, the share kept going by each
/// reason, stacked.
pub(super) fn why(input: &FigureInput) -> Option<Figure> {
    let s = input.result.summary.settlement.as_ref()?;
    let (a, b) = input.names();
    let t_max = s.why.len();
    let mut f = Figure::new(
        PlotKind::Why,
        "Why the war goes on",
        Axis::numeric("month", 0.5, t_max as f64 + 0.5, NumFormat::Month),
        Axis::numeric(
            "share of the runs still fighting",
            0.0,
            1.0,
            NumFormat::Percent,
        ),
    );
    let months: Vec<f64> = (1..=t_max).map(|t| t as f64).collect();
    let mut lower = vec![0.0; t_max];
    for c in Constraint::MONTHLY {
        let upper: Vec<f64> = s
            .why
            .iter()
            .zip(&lower)
            .map(|(w, l)| l + w[c as usize].unwrap_or(0.0))
            .collect();
        let label = reason_label(c, a, b);
        for (t, w) in s.why.iter().enumerate() {
            let Some(v) = w[c as usize] else { continue };
            if v <= 0.0 {
                continue;
            }
            let fighting = s.fighting.get(t).copied().unwrap_or(0);
            f.hovers.push(Hover::region(
                [t as f64 + 0.5, lower[t], t as f64 + 1.5, upper[t]],
                format!(
                    "month {}: {label}\n{} of the {} runs still fighting ({})",
                    t + 1,
                    fmt_percent(v),
                    group_thousands(fighting as f64),
                    group_thousands((v * fighting as f64).round())
                ),
            ));
        }
        f.marks.push(Mark::Band {
            x: months.clone(),
            lo: lower.clone(),
            hi: upper.clone(),
            ink: reason_ink(c),
            alpha: 0.85,
        });
        f.legend(label, Swatch::Fill(reason_ink(c), 0.85));
        lower = upper;
    }
    // The last table's shares, for the summary.
    let last = s.why.iter().rposition(|w| w.iter().any(Option::is_some));
    f.summary = match last {
        Some(t) => format!(
            "Why the war goes on, among the {} runs still fighting after month {}: {}.",
            group_thousands(s.fighting.get(t).copied().unwrap_or(0) as f64),
            t + 1,
            Constraint::MONTHLY
                .iter()
                .map(|c| format!(
                    "{} {}",
                    reason_label(*c, a, b),
                    fmt_percent(s.why[t][*c as usize].unwrap_or(0.0))
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => "Why the war goes on: every run settles before the first table ends.".into(),
    };
    Some(f)
}

/// The share of runs settling on each package, and no settlement, with the baseline; the
/// line at settlement under the plot.
pub(super) fn terms(input: &FigureInput) -> Option<Figure> {
    let s = input.result.summary.settlement.as_ref()?;
    let sum = &input.result.summary;
    let n = input.trials();
    let (_, b) = input.names();
    let base = input
        .baseline
        .and_then(|(r, _)| r.summary.settlement.as_ref());
    let rows = outcome_rows(
        input,
        (
            format!("No settlement within {} months", s.horizon_months),
            1.0 - s.settled.p,
            s.settled.se,
        ),
        base.map(|st| 1.0 - st.settled.p),
        base.is_some(),
    );
    let mut f = Figure::new(
        PlotKind::Terms,
        "Terms at settlement",
        Axis::numeric("share of runs", 0.0, 1.0, NumFormat::Percent),
        Axis::categories(Vec::new()),
    );
    bar_rows(
        &mut f,
        &rows,
        &[],
        &|_| (n, "runs".to_string()),
        &input.baseline_name(),
    );
    let line = &s.held_at_settlement;
    f.notes.push(if s.n_settled > 0 {
        format!(
            "Line at settlement: {b} holds {} km² (median; 90% of settled runs {} to {}).",
            group_thousands(line.quantiles[2]),
            group_thousands(line.quantiles[0]),
            group_thousands(line.quantiles[4])
        )
    } else {
        "No run settles within the horizon.".to_string()
    });
    let best = sum
        .most_likely_package()
        .and_then(|k| input.scenario.bargaining.packages.get(k).map(|p| (k, p)));
    f.summary = format!(
        "Terms at settlement: no settlement within {} months in {}; {}. {}",
        s.horizon_months,
        fmt_percent(1.0 - s.settled.p),
        input
            .scenario
            .bargaining
            .packages
            .iter()
            .zip(&sum.p_package)
            .map(|(p, pr)| format!("{} {}", p.name, fmt_percent(pr.p)))
            .collect::<Vec<_>>()
            .join(", "),
        best.map_or(String::new(), |(k, p)| format!(
            "Most likely terms: {} ({}).",
            p.name,
            fmt_percent(sum.p_package[k].p)
        ))
    );
    Some(f)
}

/// Side a's leverage at each month's table: median and 50% and 90% bands, with the
/// baseline's median.
pub(super) fn leverage_months(input: &FigureInput) -> Option<Figure> {
    let s = input.result.summary.settlement.as_ref()?;
    let (a, _) = input.names();
    let n = input.trials();
    let rows: Vec<(usize, [f64; 5])> = s
        .leverage_a_by_month
        .iter()
        .enumerate()
        .filter_map(|(t, q)| q.map(|q| (t, q)))
        .collect();
    let months: Vec<f64> = rows.iter().map(|(t, _)| *t as f64 + 1.0).collect();
    let col = |k: usize| -> Vec<f64> { rows.iter().map(|(_, q)| q[k]).collect() };
    let mut f = Figure::new(
        PlotKind::LeverageMonths,
        format!("Leverage of {a} by month"),
        Axis::numeric(
            "month",
            0.5,
            f64::from(s.horizon_months) + 0.5,
            NumFormat::Month,
        ),
        Axis::numeric(
            format!("share of the issue {a} commands"),
            0.0,
            1.02,
            NumFormat::Share,
        ),
    );
    let q = [col(0), col(1), col(2), col(3), col(4)];
    fan(&mut f, &months, &q, Ink::SideA, "of runs at the table");
    for (t, q) in &rows {
        let at_table = if *t == 0 {
            n
        } else {
            s.fighting.get(t - 1).copied().unwrap_or(0)
        };
        f.hovers.push(Hover::point(
            *t as f64 + 1.0,
            q[2],
            format!(
                "month {}: median {}\n50% of runs {} to {}\n90% of runs {} to {}\n{} at the table",
                t + 1,
                share(q[2]),
                share(q[1]),
                share(q[3]),
                share(q[0]),
                share(q[4]),
                of_runs(at_table as f64, n)
            ),
        ));
    }
    if let Some(b) = baseline_settlement(input) {
        let pts: Vec<[f64; 2]> = b
            .leverage_a_by_month
            .iter()
            .enumerate()
            .filter_map(|(t, q)| q.map(|q| [t as f64 + 1.0, q[2]]))
            .collect();
        f.marks.push(Mark::Line {
            points: pts,
            ink: Ink::Baseline,
            dash: Dash::Dashed,
            width: 0.9,
        });
        f.legend(
            format!("median of the {}", input.baseline_name()),
            Swatch::Line(Ink::Baseline, Dash::Dashed),
        );
    }
    let first = rows.first();
    let last = rows.last();
    f.summary = match (first, last) {
        (Some((t0, q0)), Some((t1, q1))) => format!(
            "Leverage of {a} at each month's table: median {} in month {} and {} in month {} (90% of runs at that table between {} and {}).",
            share(q0[2]),
            t0 + 1,
            share(q1[2]),
            t1 + 1,
            share(q1[0]),
            share(q1[4])
        ),
        _ => format!("Leverage of {a} at each month's table: no table met."),
    };
    f.zoomable = true;
    Some(f)
}
