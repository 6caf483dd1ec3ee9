//! The figures of a run: each side's leverage, which deal (format version 1), the front,
//! and the bargaining range; the monthly plots are in `monthly.rs`. Each builder says what
//! to draw, its legend, a read-out for every data point (value, share, count) and the
//! summary a screen reader speaks.
//!
//! Long because the run plots share the rows of an outcome (with the baseline's bars and the
//! paired change), the band and hover helpers and the summaries' wording; the monthly model's
//! plots already live in `monthly.rs` and the analyses' in `analysis.rs`.

use super::palette::Ink;
use super::{Axis, Bar, Dash, Figure, Hover, Mark, NumFormat, PlotKind, Shape, Swatch};
use crate::model::Constraint;
use crate::run::RunResult;
use crate::scenario::{Scenario, Territory};
use crate::stats::{Continuous, Histogram, Outcome};
use crate::text::{fmt_percent, fmt_points, group_thousands};

/// What a figure is built from.
#[derive(Clone, Copy)]
pub struct FigureInput<'a> {
    pub result: &'a RunResult,
    /// The scenario of the result (names, packages, observations).
    pub scenario: &'a Scenario,
    /// The pinned baseline and its name.
    pub baseline: Option<(&'a RunResult, &'a str)>,
    /// Leverage as cumulative distributions instead of histograms.
    pub cdf: bool,
    /// The front per month instead of since the start.
    pub front_monthly: bool,
}

impl FigureInput<'_> {
    pub(super) fn names(&self) -> (&str, &str) {
        (
            self.scenario.sides.a.name.as_str(),
            self.scenario.sides.b.name.as_str(),
        )
    }

    pub(super) fn monthly(&self) -> bool {
        self.result.summary.settlement.is_some()
    }

    pub(super) fn trials(&self) -> u64 {
        self.result.summary.trials
    }

    pub(super) fn baseline_name(&self) -> String {
        self.baseline
            .map_or_else(String::new, |(_, n)| format!("baseline “{n}”"))
    }
}

/// The figure of `kind` for a run, or `None` when the plot does not apply to it (a monthly
/// plot of a one-shot run, an analysis chart).
pub fn build(kind: PlotKind, input: &FigureInput) -> Option<Figure> {
    let monthly = input.monthly();
    if !kind.applies_to(monthly) {
        return None;
    }
    match kind {
        PlotKind::Leverage => Some(leverage(input)),
        PlotKind::Deal => Some(deal(input)),
        PlotKind::Front => Some(front(input)),
        PlotKind::Range => Some(range(input)),
        PlotKind::Settlement => super::monthly::settlement(input),
        PlotKind::Why => super::monthly::why(input),
        PlotKind::Terms => super::monthly::terms(input),
        PlotKind::LeverageMonths => super::monthly::leverage_months(input),
        PlotKind::Tornado
        | PlotKind::Sobol
        | PlotKind::Curve
        | PlotKind::Heatmap
        | PlotKind::WhyNoDeal => None,
    }
}

/// "0.28": a share of the issue.
pub(super) fn share(x: f64) -> String {
    let x = if x.abs() < 0.0005 { 0.0 } else { x };
    format!("{x:.2}")
}

/// "8,420 of 20,000 runs".
pub(super) fn of_runs(count: f64, n: u64) -> String {
    format!(
        "{} of {} runs",
        group_thousands(count),
        group_thousands(n as f64)
    )
}

/// A histogram's bins as density steps (or the distribution function), with a read-out per
/// bin.
fn distribution_points(
    h: &Histogram,
    cdf: bool,
    who: &str,
    n_total: u64,
) -> (Vec<[f64; 2]>, Vec<Hover>) {
    let n: u64 = h.counts.iter().sum();
    let mut pts = Vec::with_capacity(h.counts.len() * 2 + 2);
    let mut hovers = Vec::with_capacity(h.counts.len());
    if n == 0 {
        return (pts, hovers);
    }
    let w = h.bin_width();
    if cdf {
        let mut cum = 0u64;
        pts.push([h.lo, 0.0]);
        for (i, c) in h.counts.iter().enumerate() {
            cum += c;
            let x = h.lo + (i as f64 + 1.0) * w;
            let p = cum as f64 / n as f64;
            pts.push([x, p]);
            hovers.push(Hover::point(
                x,
                p,
                format!(
                    "{who}: leverage at most {}\nin {} ({})",
                    share(x),
                    fmt_percent(p),
                    of_runs(cum as f64, n_total)
                ),
            ));
        }
    } else {
        pts.push([h.lo, 0.0]);
        for (i, c) in h.counts.iter().enumerate() {
            let d = *c as f64 / (n as f64 * w);
            let (x0, x1) = (h.lo + i as f64 * w, h.lo + (i as f64 + 1.0) * w);
            pts.push([x0, d]);
            pts.push([x1, d]);
            if *c > 0 {
                hovers.push(Hover::point(
                    (x0 + x1) / 2.0,
                    d,
                    format!(
                        "{who}: leverage {} to {}\nin {} ({})",
                        share(x0),
                        share(x1),
                        fmt_percent(*c as f64 / n as f64),
                        of_runs(*c as f64, n_total)
                    ),
                ));
            }
        }
        pts.push([h.hi, 0.0]);
    }
    (pts, hovers)
}

/// "median 0.28, 90% between 0.00 and 0.51".
pub(super) fn median_and_interval(c: &Continuous) -> String {
    format!(
        "median {}, 90% between {} and {}",
        share(c.quantiles[2]),
        share(c.quantiles[0]),
        share(c.quantiles[4])
    )
}

/// Each side's leverage: its distribution, median and 90% interval; the baseline dashed.
fn leverage(input: &FigureInput) -> Figure {
    let (a, b) = input.names();
    let s = &input.result.summary;
    let when = if input.monthly() {
        " at settlement or the horizon"
    } else {
        ""
    };
    let outcomes = [
        (Outcome::LeverageA, a, Ink::SideA),
        (Outcome::LeverageB, b, Ink::SideB),
    ];
    let cdf = input.cdf;
    let mut lo: f64 = -0.02;
    let mut hi: f64 = 1.02;
    let mut ymax: f64 = if cdf { 1.0 } else { 0.0 };
    let mut marks = Vec::new();
    let mut hovers = Vec::new();
    let mut legend = Vec::new();
    let mut summary = Vec::new();
    for (o, who, ink) in outcomes {
        let c = s.outcome(o);
        lo = lo.min(c.histogram.lo);
        hi = hi.max(c.histogram.hi);
        // The 90% interval, shaded, and the median.
        marks.push(Mark::Band {
            x: vec![c.quantiles[0], c.quantiles[4]],
            lo: vec![0.0, 0.0],
            hi: vec![0.0, 0.0],
            ink,
            alpha: 0.08,
        });
        let (pts, hv) = distribution_points(&c.histogram, cdf, who, input.trials());
        ymax = ymax.max(pts.iter().map(|p| p[1]).fold(0.0, f64::max));
        marks.push(Mark::Line {
            points: pts,
            ink,
            dash: Dash::Solid,
            width: 1.0,
        });
        marks.push(Mark::VRule {
            x: c.quantiles[2],
            ink,
            dash: Dash::Dotted,
            label: Some(format!("{who}: median {}", share(c.quantiles[2]))),
        });
        hovers.extend(hv);
        legend.push((
            format!("{who}: {}", median_and_interval(c)),
            Swatch::Line(ink, Dash::Solid),
        ));
        summary.push(format!(
            "Leverage of {who}{when}: {}",
            median_and_interval(c)
        ));
    }
    if let Some((base, _)) = input.baseline {
        let bs = &base.summary;
        let mut meds = Vec::new();
        for (o, who, ink) in outcomes {
            let c = bs.outcome(o);
            let (pts, _) = distribution_points(&c.histogram, cdf, who, bs.trials);
            ymax = ymax.max(pts.iter().map(|p| p[1]).fold(0.0, f64::max));
            marks.push(Mark::Line {
                points: pts,
                ink,
                dash: Dash::Dashed,
                width: 0.8,
            });
            meds.push(format!("{who} {}", share(c.quantiles[2])));
        }
        legend.push((
            format!("dashed: {}", input.baseline_name()),
            Swatch::Line(Ink::Baseline, Dash::Dashed),
        ));
        summary.push(format!(
            "{}: medians {}",
            input.baseline_name(),
            meds.join(", ")
        ));
    }
    legend.push((
        "shaded: 90% of runs; dotted: median".to_string(),
        Swatch::Fill(Ink::Text, 0.15),
    ));
    let title = format!("Leverage of each side{when}");
    let mut f = Figure::new(
        PlotKind::Leverage,
        title,
        Axis::numeric(
            format!("leverage: share of the contested issue the side commands{when}"),
            lo,
            hi,
            NumFormat::Share,
        ),
        Axis::numeric(
            if cdf {
                "share of runs at or below"
            } else {
                "density"
            },
            0.0,
            if cdf { 1.04 } else { (ymax * 1.1).max(1e-9) },
            if cdf {
                NumFormat::Percent
            } else {
                NumFormat::Plain
            },
        ),
    );
    // The interval shading spans the whole height.
    let top = f.y.max;
    for m in &mut marks {
        if let Mark::Band { hi, .. } = m {
            hi.iter_mut().for_each(|v| *v = top);
        }
    }
    f.marks = marks;
    f.hovers = hovers;
    for (l, s) in legend {
        f.legend(l, s);
    }
    f.summary = summary.join(". ") + ".";
    f.zoomable = true;
    f
}

/// A row of horizontal bars: the current value (filled) and the baseline's (hollow).
pub(super) struct Row {
    pub label: String,
    pub p: f64,
    pub se: f64,
    pub count: f64,
    pub ink: Ink,
    pub base: Option<f64>,
    /// Paired change against the baseline: mean difference, share of runs higher, lower.
    pub change: Option<(f64, f64, f64)>,
}

/// Bars for `rows` (from the top; `None` is a gap with an optional heading), as shares of
/// `n` runs (`denominator` names them in the read-outs).
pub(super) fn bar_rows(
    f: &mut Figure,
    rows: &[Option<Row>],
    headings: &[(usize, String)],
    denominator: &dyn Fn(usize) -> (u64, String),
    base_name: &str,
) {
    let labels: Vec<String> = rows
        .iter()
        .map(|r| r.as_ref().map_or(String::new(), |r| r.label.clone()))
        .collect();
    f.y = Axis::categories(labels);
    let has_base = rows.iter().flatten().any(|r| r.base.is_some());
    let (thick, shift) = if has_base { (0.4, 0.21) } else { (0.68, 0.0) };
    let mut bars = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let Some(r) = r else { continue };
        let y = f.y.row_y(i);
        let (n, what) = denominator(i);
        bars.push(Bar {
            y: y + shift,
            thickness: thick,
            from: 0.0,
            to: r.p,
            ink: r.ink,
            hollow: false,
            label: Some(fmt_percent(r.p)),
        });
        let mut text = format!(
            "{}: {} ± {} of {what}\n({})",
            r.label,
            fmt_percent(r.p),
            fmt_percent(r.se),
            of_runs(r.count, n)
        );
        if let Some(bp) = r.base {
            bars.push(Bar {
                y: y - shift,
                thickness: thick,
                from: 0.0,
                to: bp,
                ink: r.ink,
                hollow: true,
                label: Some(format!("{} (baseline)", fmt_percent(bp))),
            });
            text.push_str(&format!("\n{base_name}: {}", fmt_percent(bp)));
            if let Some((d, up, down)) = r.change {
                text.push_str(&format!(
                    "\nchange {}; higher in {} of runs, lower in {}",
                    fmt_points(d),
                    fmt_percent(up),
                    fmt_percent(down)
                ));
            }
        }
        f.hovers.push(Hover::region(
            [
                0.0,
                y - 0.5,
                r.p.max(r.base.unwrap_or(0.0)).max(0.04),
                y + 0.5,
            ],
            text,
        ));
    }
    f.marks.push(Mark::Bars(bars));
    for (row, h) in headings {
        f.marks.push(Mark::Note {
            at: [0.0, f.y.row_y(*row)],
            text: h.clone(),
            align: -1,
        });
    }
    if has_base {
        f.legend("filled: this run", Swatch::Fill(Ink::Unsettled, 1.0));
        f.legend(
            format!("outlined: {base_name}"),
            Swatch::Hollow(Ink::Baseline),
        );
    }
}

/// The rows of an outcome: "no deal" (`none`: its label, share and standard error) and
/// each package, with the baseline's share when `with_base` says the baseline has them.
pub(super) fn outcome_rows(
    input: &FigureInput,
    none: (String, f64, f64),
    base_none: Option<f64>,
    with_base: bool,
) -> Vec<Option<Row>> {
    let s = &input.result.summary;
    let n = input.trials() as f64;
    let cmp = input
        .baseline
        .map(|(base, _)| crate::compare::compare(base, input.result));
    let base = input
        .baseline
        .map(|(r, _)| &r.summary)
        .filter(|_| with_base);
    let (label, p, se) = none;
    let mut rows = vec![Some(Row {
        label,
        p,
        se,
        count: (p * n).round(),
        ink: Ink::Unsettled,
        base: base_none.filter(|_| with_base),
        change: cmp
            .as_ref()
            .map(|c| (-c.deal.mean, c.deal.p_lower, c.deal.p_higher)),
    })];
    for (k, (pk, pr)) in input
        .scenario
        .bargaining
        .packages
        .iter()
        .zip(&s.p_package)
        .enumerate()
    {
        rows.push(Some(Row {
            label: pk.name.clone(),
            p: pr.p,
            se: pr.se,
            count: (pr.p * n).round(),
            ink: Ink::Settled,
            base: base.and_then(|b| b.p_package.get(k)).map(|x| x.p),
            change: cmp
                .as_ref()
                .and_then(|c| c.packages.get(k))
                .map(|d| (d.mean, d.p_higher, d.p_lower)),
        }));
    }
    rows
}

/// Which deal (format version 1): no deal and each package, then what blocked a deal.
fn deal(input: &FigureInput) -> Figure {
    let (a, b) = input.names();
    let s = &input.result.summary;
    let n = input.trials();
    let base_none = input.baseline.map(|(b, _)| 1.0 - b.summary.p_deal.p);
    let mut rows = outcome_rows(
        input,
        ("No deal".into(), 1.0 - s.p_deal.p, s.p_deal.se),
        base_none,
        true,
    );
    let n_main = rows.len();
    rows.push(None);
    let no_deal = ((1.0 - s.p_deal.p) * n as f64).round();
    let blocked_label = |c: Constraint| match c {
        Constraint::AcceptableToA => format!("{a} prefers fighting"),
        Constraint::AcceptableToB => format!("{b} prefers fighting"),
        Constraint::Durability => "no package is durable".to_string(),
        Constraint::MutualOptimism => "mutual optimism".to_string(),
    };
    let blocked_ink = |c: Constraint| match c {
        Constraint::AcceptableToA => Ink::SideA,
        Constraint::AcceptableToB => Ink::SideB,
        Constraint::Durability => Ink::Durability,
        Constraint::MutualOptimism => Ink::Optimism,
    };
    for c in Constraint::ALL {
        let p = s.blocked_given_no_deal[c as usize];
        rows.push(Some(Row {
            label: blocked_label(c),
            p: p.p,
            se: p.se,
            count: p.p * no_deal,
            ink: blocked_ink(c),
            base: None,
            change: None,
        }));
    }
    let mut f = Figure::new(
        PlotKind::Deal,
        "Which deal, if any",
        Axis::numeric("share of trials", 0.0, 1.0, NumFormat::Percent),
        Axis::categories(Vec::new()),
    );
    let headings = [(
        n_main,
        "What blocked a deal, as a share of the no-deal trials:".to_string(),
    )];
    let den = move |i: usize| {
        if i < n_main {
            (n, "trials".to_string())
        } else {
            (no_deal as u64, "the no-deal trials".to_string())
        }
    };
    bar_rows(&mut f, &rows, &headings, &den, &input.baseline_name());
    let best = s
        .most_likely_package()
        .and_then(|k| input.scenario.bargaining.packages.get(k))
        .map(|p| p.name.clone());
    f.summary = format!(
        "Which deal, if any: a deal in {} of trials ± {}; no deal in {}{}. When there is no deal: {}.",
        fmt_percent(s.p_deal.p),
        fmt_percent(s.p_deal.se),
        fmt_percent(1.0 - s.p_deal.p),
        best.map_or(String::new(), |b| format!(
            "; most likely package {b} ({})",
            s.most_likely_package()
                .map_or(String::new(), |k| fmt_percent(s.p_package[k].p))
        )),
        Constraint::ALL
            .iter()
            .map(|c| format!(
                "{} {}",
                blocked_label(*c),
                fmt_percent(s.blocked_given_no_deal[*c as usize].p)
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    f
}

/// The front as a fan chart of the area `b` gained, with the observed figures.
fn front(input: &FigureInput) -> Figure {
    let (_, b) = input.names();
    let monthly_view = input.front_monthly;
    let s = &input.result.summary;
    let bands = s
        .settlement
        .as_ref()
        .map_or(&s.front, |st| &st.front_while_fighting);
    let rows = if monthly_view {
        &bands.monthly
    } else {
        &bands.cumulative
    };
    let mut xs = Vec::new();
    let mut q: [Vec<f64>; 5] = Default::default();
    if !monthly_view {
        xs.push(0.0);
        for v in q.iter_mut() {
            v.push(0.0);
        }
    }
    for (t, row) in rows.iter().enumerate() {
        xs.push(t as f64 + 1.0);
        for (k, v) in q.iter_mut().enumerate() {
            v.push(row[k]);
        }
    }
    let what = if monthly_view {
        format!("km² gained by {b} in the month")
    } else {
        format!("km² gained by {b} since the start")
    };
    let mut f = Figure::new(
        PlotKind::Front,
        if input.monthly() {
            "The front while fighting".to_string()
        } else {
            "The front".to_string()
        },
        Axis::numeric("month", 0.0, 1.0, NumFormat::Month),
        Axis::numeric(what.clone(), 0.0, 1.0, NumFormat::Km2),
    );
    fan(&mut f, &xs, &q, Ink::SideB, "of runs");
    for (i, x) in xs.iter().enumerate() {
        if *x == 0.0 {
            continue;
        }
        f.hovers.push(Hover::point(
            *x,
            q[2][i],
            format!(
                "month {}: median {} km²\n50% of runs {} to {}\n90% of runs {} to {}",
                x,
                group_thousands(q[2][i]),
                group_thousands(q[1][i]),
                group_thousands(q[3][i]),
                group_thousands(q[0][i]),
                group_thousands(q[4][i])
            ),
        ));
    }
    let (mut ymin, mut ymax) = (0.0f64, 0.0f64);
    for v in q.iter().flatten() {
        ymin = ymin.min(*v);
        ymax = ymax.max(*v);
    }
    if let Some((base, _)) = input.baseline {
        let bb = base
            .summary
            .settlement
            .as_ref()
            .map_or(&base.summary.front, |st| &st.front_while_fighting);
        let rows = if monthly_view {
            &bb.monthly
        } else {
            &bb.cumulative
        };
        let mut pts: Vec<[f64; 2]> = if monthly_view {
            Vec::new()
        } else {
            vec![[0.0, 0.0]]
        };
        pts.extend(rows.iter().enumerate().map(|(t, r)| [t as f64 + 1.0, r[2]]));
        for p in &pts {
            ymin = ymin.min(p[1]);
            ymax = ymax.max(p[1]);
        }
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
    // Observed figures: monthly gains as given; cumulated from month 1 for the other view.
    let mut obs: Vec<_> = input.scenario.observed.iter().collect();
    obs.sort_by_key(|o| o.month);
    let (mut before, mut after) = (Vec::new(), Vec::new());
    let mut cum = 0.0;
    for o in obs {
        let (x, y) = if monthly_view {
            (f64::from(o.month), o.gained_by_b_km2)
        } else if o.month >= 1 {
            cum += o.gained_by_b_km2;
            (f64::from(o.month), cum)
        } else {
            continue;
        };
        ymin = ymin.min(y);
        ymax = ymax.max(y);
        f.hovers.push(Hover::point(
            x,
            y,
            format!(
                "observed, month {} ({}): {} km²{}",
                o.month,
                o.label,
                group_thousands(y),
                if monthly_view { "" } else { " since the start" }
            ),
        ));
        if o.month >= 1 {
            after.push([x, y]);
        } else {
            before.push([x, y]);
        }
    }
    let xmin = before
        .iter()
        .map(|p| p[0])
        .fold(xs.first().copied().unwrap_or(0.0), f64::min);
    if !before.is_empty() {
        f.marks.push(Mark::Points {
            points: before,
            ink: Ink::Observed,
            shape: Shape::Diamond,
            filled: true,
        });
        f.legend(
            "observed before the scenario date",
            Swatch::Marker(Ink::Observed, Shape::Diamond, true),
        );
    }
    if !after.is_empty() {
        f.marks.push(Mark::Points {
            points: after,
            ink: Ink::Observed,
            shape: Shape::Circle,
            filled: false,
        });
        f.legend(
            "observed after it (hindcast, not fitted)",
            Swatch::Marker(Ink::Observed, Shape::Circle, false),
        );
    }
    let xmax = xs.last().copied().unwrap_or(1.0);
    let pad = (ymax - ymin).max(1.0) * 0.06;
    f.x.min = xmin - 0.5;
    f.x.max = xmax + 0.5;
    f.y.min = ymin - pad;
    f.y.max = ymax + pad;
    let last = xs.len().saturating_sub(1);
    f.summary = format!(
        "{} by month {}: median {}, 90% of runs between {} and {}{}.",
        if monthly_view {
            format!("Area gained by {b} in each month")
        } else {
            format!("Area gained by {b} since the start")
        },
        xmax,
        crate::text::fmt_quantity(q[2].get(last).copied().unwrap_or(0.0)) + " km²",
        crate::text::fmt_quantity(q[0].get(last).copied().unwrap_or(0.0)),
        crate::text::fmt_quantity(q[4].get(last).copied().unwrap_or(0.0)),
        if input.monthly() {
            ", over the runs still fighting"
        } else {
            ""
        }
    );
    f.zoomable = true;
    f
}

/// A fan chart: the 90% and 50% bands and the median of quantiles `q` (p5, p25, p50, p75,
/// p95) over `xs`, with their legend ("50% of runs ...").
pub(super) fn fan(f: &mut Figure, xs: &[f64], q: &[Vec<f64>; 5], ink: Ink, of: &str) {
    for (lo, hi, alpha) in [(0, 4, 0.16), (1, 3, 0.32)] {
        f.marks.push(Mark::Band {
            x: xs.to_vec(),
            lo: q[lo].clone(),
            hi: q[hi].clone(),
            ink,
            alpha,
        });
    }
    f.marks.push(Mark::Line {
        points: xs.iter().zip(&q[2]).map(|(x, y)| [*x, *y]).collect(),
        ink,
        dash: Dash::Solid,
        width: 1.0,
    });
    f.legend("median", Swatch::Line(ink, Dash::Solid));
    f.legend(format!("50% {of}"), Swatch::Fill(ink, 0.32));
    f.legend(format!("90% {of}"), Swatch::Fill(ink, 0.16));
}

/// Steps of the split grid of the range plot.
const SPLITS: usize = 200;

/// For each split x in 0, 1/SPLITS, ..., 1: the share of records whose range `[d_a, 1 - d_b]`
/// contains it; and the share of records with an empty range.
pub fn range_coverage(records: &[crate::sim::TrialRecord]) -> (Vec<f64>, f64) {
    let n = records.len();
    let mut diff = vec![0i64; SPLITS + 2];
    let mut empty = 0u64;
    for r in records {
        if r.range_empty != 0 {
            empty += 1;
            continue;
        }
        let lo = f64::from(r.d_a);
        let hi = 1.0 - f64::from(r.d_b);
        if !(lo <= hi) || hi < 0.0 || lo > 1.0 {
            continue;
        }
        let i0 = (lo.max(0.0) * SPLITS as f64).ceil() as usize;
        let i1 = (hi.min(1.0) * SPLITS as f64).floor() as usize;
        if i0 <= i1 && i1 <= SPLITS {
            diff[i0] += 1;
            diff[i1 + 1] -= 1;
        }
    }
    let mut acc = 0i64;
    let cover = (0..=SPLITS)
        .map(|i| {
            acc += diff[i];
            if n == 0 { 0.0 } else { acc as f64 / n as f64 }
        })
        .collect();
    (cover, if n == 0 { 0.0 } else { empty as f64 / n as f64 })
}

/// Side `a`'s territorial share under each package: the central value of its share, or for
/// a freeze on the line, the median line (1 - median area held by `b` / contested area).
pub(super) fn package_shares(input: &FigureInput) -> Vec<(String, f64, bool)> {
    let sc = input.scenario;
    let held = input.result.summary.outcome(Outcome::HeldByB).quantiles[2];
    // With an uncertain contested area, the line against its central value.
    let contested = sc.battlefield.contested_km2.value.central();
    sc.bargaining
        .packages
        .iter()
        .map(|p| match &p.territory {
            Territory::Share(i) => (p.name.clone(), i.value.central(), false),
            Territory::Line => (
                p.name.clone(),
                if contested > 0.0 {
                    (1.0 - held / contested).clamp(0.0, 1.0)
                } else {
                    0.5
                },
                true,
            ),
        })
        .collect()
}

/// The bargaining range: for each split of the issue, the share of runs in which both sides
/// prefer it to fighting on; the share with no range at all; every package's split marked.
fn range(input: &FigureInput) -> Figure {
    let (a, _) = input.names();
    let s = &input.result.summary;
    let (cover, empty) = range_coverage(&input.result.output.records);
    let xs: Vec<f64> = (0..=SPLITS).map(|i| i as f64 / SPLITS as f64).collect();
    let at = if input.monthly() {
        " (at settlement or the last table)"
    } else {
        ""
    };
    let mut f = Figure::new(
        PlotKind::Range,
        format!("Bargaining range: the splits both sides prefer to fighting on{at}"),
        Axis::numeric(
            format!("split: share of the contested issue for {a}"),
            -0.01,
            1.01,
            NumFormat::Share,
        ),
        Axis::numeric(
            "share of runs in which the split is inside the range",
            0.0,
            1.04,
            NumFormat::Percent,
        ),
    );
    f.marks.push(Mark::Band {
        x: xs.clone(),
        lo: vec![0.0; xs.len()],
        hi: cover.clone(),
        ink: Ink::Settled,
        alpha: 0.3,
    });
    f.marks.push(Mark::Line {
        points: xs.iter().zip(&cover).map(|(x, y)| [*x, *y]).collect(),
        ink: Ink::Settled,
        dash: Dash::Solid,
        width: 1.0,
    });
    f.legend(
        "inside the range: both prefer the split to fighting on",
        Swatch::Fill(Ink::Settled, 0.3),
    );
    for (i, x) in xs.iter().enumerate().step_by(5) {
        f.hovers.push(Hover::point(
            *x,
            cover[i],
            format!(
                "split {} for {a}: inside the range in {} ({})",
                share(*x),
                fmt_percent(cover[i]),
                of_runs((cover[i] * input.trials() as f64).round(), input.trials())
            ),
        ));
    }
    // The most a split can reach: the runs that have a range at all.
    let with_range = 1.0 - empty;
    f.marks.push(Mark::Line {
        points: vec![[0.0, with_range], [1.0, with_range]],
        ink: Ink::Text,
        dash: Dash::Dotted,
        width: 0.6,
    });
    // Explained in the note under the plot, not beside the line, where the packages' labels
    // sit.
    if let Some((base, _)) = input.baseline {
        let (bc, bempty) = range_coverage(&base.output.records);
        f.marks.push(Mark::Line {
            points: xs.iter().zip(&bc).map(|(x, y)| [*x, *y]).collect(),
            ink: Ink::Baseline,
            dash: Dash::Dashed,
            width: 0.9,
        });
        f.legend(
            format!(
                "{} (range empty in {})",
                input.baseline_name(),
                fmt_percent(bempty)
            ),
            Swatch::Line(Ink::Baseline, Dash::Dashed),
        );
    }
    let mut pk_summary = Vec::new();
    for (name, x, line) in package_shares(input) {
        let i = ((x.clamp(0.0, 1.0)) * SPLITS as f64).round() as usize;
        let inside = cover.get(i).copied().unwrap_or(0.0);
        let label = if line {
            format!("{name} (line, median)")
        } else {
            name.clone()
        };
        f.marks.push(Mark::VRule {
            x,
            ink: Ink::Package,
            dash: Dash::Dashed,
            label: Some(label.clone()),
        });
        f.hovers.push(Hover::point(
            x,
            inside,
            format!(
                "{label}: {a} keeps {}\ninside the range in {} of runs",
                share(x),
                fmt_percent(inside)
            ),
        ));
        pk_summary.push(format!(
            "{label} at {} (inside in {})",
            share(x),
            fmt_percent(inside)
        ));
    }
    if !pk_summary.is_empty() {
        f.legend(
            "packages: the split each gives",
            Swatch::Line(Ink::Package, Dash::Dashed),
        );
    }
    let (best_i, best) =
        cover.iter().enumerate().fold(
            (0, 0.0f64),
            |acc, (i, v)| if *v > acc.1 { (i, *v) } else { acc },
        );
    let lo = s.outcome(Outcome::RangeLow).quantiles[2];
    let hi = s.outcome(Outcome::RangeHigh).quantiles[2];
    f.notes.push(format!(
        "The range is empty in {} ± {} of runs (each side expects more from fighting than the other would concede); the dotted line is the share that has one. Median range: {} to {}.",
        fmt_percent(empty),
        fmt_percent(s.p_range_empty.se),
        share(lo),
        share(hi)
    ));
    f.summary = format!(
        "Bargaining range of {a}'s share{at}: empty in {} of runs; median range {} to {}; the split most often inside it is {} (in {} of runs). Packages: {}.",
        fmt_percent(empty),
        share(lo),
        share(hi),
        share(xs[best_i]),
        fmt_percent(best),
        if pk_summary.is_empty() {
            "none".to_string()
        } else {
            pk_summary.join("; ")
        }
    );
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::TrialRecord;

    fn rec(d_a: f32, d_b: f32) -> TrialRecord {
        TrialRecord {
            d_a,
            d_b,
            range_empty: u8::from(d_a > 1.0 - d_b),
            ..Default::default()
        }
    }

    #[test]
    fn range_coverage_counts_the_runs_whose_range_holds_each_split() {
        // Ranges [0.2, 0.6], [0.4, 0.9] and an empty one (0.7 > 0.5).
        let recs = [rec(0.2, 0.4), rec(0.4, 0.1), rec(0.7, 0.5)];
        let (cover, empty) = range_coverage(&recs);
        assert!((empty - 1.0 / 3.0).abs() < 1e-12);
        let at = |x: f64| cover[(x * SPLITS as f64).round() as usize];
        assert_eq!(at(0.1), 0.0);
        assert!((at(0.3) - 1.0 / 3.0).abs() < 1e-12);
        assert!((at(0.5) - 2.0 / 3.0).abs() < 1e-12);
        assert!((at(0.8) - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(at(0.95), 0.0);
        assert!(cover.iter().all(|v| *v <= 1.0 - empty + 1e-12));
    }
}
