//! The figures of the analyses: the tornado (each input's 10th/90th-percentile swing), Sobol
//! indices with their intervals, a leverage curve against one input, a heatmap of an output
//! over two inputs with its colour scale and the scenario's current point, and "why no
//! deal" (PRIM's peeling trajectory with the conditions of the reported box).

use super::build::share;
use super::palette::Ink;
use super::{Axis, Bar, Dash, Figure, Hover, Mark, NumFormat, PlotKind, Swatch};
use crate::analysis::Output;
use crate::analysis::sobol::ScenarioSobol;
use crate::analysis::sweep::{Heatmap, LeverageCurve};
use crate::analysis::tornado::Tornado;
use crate::text::{fmt_percent, fmt_quantity};

/// How many inputs the tornado and Sobol charts show.
pub const TOP: usize = 12;

/// How an output's values are written.
pub fn output_format(o: Output) -> NumFormat {
    match o {
        Output::PDeal | Output::PPackage(_) | Output::PSettledBy(_) => NumFormat::Percent,
        Output::SettlementMonth { .. } | Output::MedianSettlementMonth => NumFormat::Plain,
        Output::Outcome(oc) => match oc.unit() {
            "km2" => NumFormat::Km2,
            "troops" => NumFormat::Count,
            "probability" => NumFormat::Percent,
            _ => NumFormat::Share,
        },
    }
}

/// An output value for people.
fn value(f: NumFormat, x: f64) -> String {
    match f {
        NumFormat::Share => format!("{x:.3}"),
        NumFormat::Km2 => format!("{} km²", fmt_quantity(x)),
        NumFormat::Count => fmt_quantity(x),
        _ => f.value(x),
    }
}

/// The tornado: for each input (largest swing first), a bar from the output with every input
/// drawn to the output with the input at its 10th percentile (light) and at its 90th (dark).
pub fn tornado(t: &Tornado) -> Figure {
    let fmt = output_format(t.output);
    let bars: Vec<_> = t.bars.iter().take(TOP).collect();
    let rows: Vec<String> = bars
        .iter()
        .map(|b| {
            format!(
                "{} ({} to {})",
                b.label,
                fmt_quantity(b.low_value),
                fmt_quantity(b.high_value)
            )
        })
        .collect();
    let (mut lo, mut hi) = (t.base, t.base);
    for b in &bars {
        lo = lo.min(b.output_low).min(b.output_high);
        hi = hi.max(b.output_low).max(b.output_high);
    }
    let span = (hi - lo).max(1e-9);
    let mut f = Figure::new(
        PlotKind::Tornado,
        format!("What moves {}", lowercase_first(&t.output_label)),
        Axis::numeric(
            t.output_label.clone(),
            lo - 0.22 * span,
            hi + 0.22 * span,
            fmt,
        ),
        Axis::categories(rows),
    );
    let mut marks = Vec::new();
    for (i, b) in bars.iter().enumerate() {
        let y = f.y.row_y(i);
        // The longer part first, so that the shorter one stays visible when both go the
        // same way.
        let mut parts = [
            (b.output_low, Ink::Low, "10th"),
            (b.output_high, Ink::High, "90th"),
        ];
        parts.sort_by(|a, c| (c.0 - t.base).abs().total_cmp(&(a.0 - t.base).abs()));
        for (v, ink, _) in parts {
            marks.push(Bar {
                y,
                thickness: 0.66,
                from: t.base,
                to: v,
                ink,
                hollow: false,
                label: Some(value(fmt, v)),
            });
        }
        f.hovers.push(Hover::region(
            [lo - 0.22 * span, y - 0.5, hi + 0.22 * span, y + 0.5],
            format!(
                "{}\nat its 10th percentile ({}): {}\nat its 90th percentile ({}): {}\nswing {} ± {}{}",
                b.label,
                fmt_quantity(b.low_value),
                value(fmt, b.output_low),
                fmt_quantity(b.high_value),
                value(fmt, b.output_high),
                value(fmt, b.swing),
                value(fmt, b.swing_se),
                if b.correlated {
                    "\n(correlated input: holding it fixed drops its correlations)"
                } else {
                    ""
                }
            ),
        ));
    }
    f.marks.push(Mark::Bars(marks));
    f.marks.push(Mark::VRule {
        x: t.base,
        ink: Ink::Text,
        dash: Dash::Solid,
        label: Some(format!("every input drawn: {}", value(fmt, t.base))),
    });
    f.legend("input at its 10th percentile", Swatch::Fill(Ink::Low, 1.0));
    f.legend("input at its 90th percentile", Swatch::Fill(Ink::High, 1.0));
    if let Some(few) = t.warning() {
        f.notes.push(format!("Warning: {few}."));
    }
    f.notes.push(format!(
        "{} trials per run, seed {}; rows show each input's 10th to 90th percentile.{}",
        crate::text::group_thousands(t.trials as f64),
        t.seed,
        if t.bars.len() > TOP {
            format!(
                " {} more inputs with smaller swings are not shown.",
                t.bars.len() - TOP
            )
        } else {
            String::new()
        }
    ));
    f.summary = format!(
        "Tornado of {}: {} with every input drawn as usual. Largest swings: {}.",
        t.output_label,
        value(fmt, t.base),
        bars.iter()
            .take(5)
            .map(|b| format!(
                "{} from {} to {}",
                b.label,
                value(fmt, b.output_low),
                value(fmt, b.output_high)
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    if let Some(few) = t.warning() {
        f.summary.push_str(&format!(" Warning: {few}."));
    }
    f
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) if !s.starts_with("P(") => {
            first.to_lowercase().collect::<String>() + c.as_str()
        }
        _ => s.to_string(),
    }
}

/// Sobol indices: for each input (largest total index first), S1 and ST with their
/// bootstrap intervals.
pub fn sobol(s: &ScenarioSobol) -> Figure {
    let shown: Vec<usize> = s.ranked().into_iter().take(TOP).collect();
    let rows: Vec<String> = shown.iter().map(|&k| s.factors[k].label.clone()).collect();
    let mut f = Figure::new(
        PlotKind::Sobol,
        format!(
            "Which inputs explain the variance of {}",
            lowercase_first(&s.output_label)
        ),
        Axis::numeric(
            "share of the output's variance",
            0.0,
            1.05,
            NumFormat::Share,
        ),
        Axis::categories(rows),
    );
    let mut bars = Vec::new();
    let mut whiskers = Vec::new();
    for (i, &k) in shown.iter().enumerate() {
        let y = f.y.row_y(i);
        let idx = &s.estimate.indices[k];
        for (v, lo, hi, dy, ink) in [
            (idx.s1, idx.s1_low, idx.s1_high, 0.2, Ink::Alone),
            (idx.st, idx.st_low, idx.st_high, -0.2, Ink::Together),
        ] {
            bars.push(Bar {
                y: y + dy,
                thickness: 0.38,
                from: 0.0,
                to: v.max(0.0),
                ink,
                hollow: false,
                label: Some(format!("{v:.2}")),
            });
            whiskers.push([[lo, y + dy], [hi, y + dy]]);
        }
        f.hovers.push(Hover::region(
            [0.0, y - 0.5, 1.05, y + 0.5],
            format!(
                "{}\nS1 (alone) {:.3} [{:.3}, {:.3}]\nST (with interactions) {:.3} [{:.3}, {:.3}]",
                s.factors[k].label,
                idx.s1,
                idx.s1_low,
                idx.s1_high,
                idx.st,
                idx.st_low,
                idx.st_high
            ),
        ));
    }
    f.marks.push(Mark::Bars(bars));
    f.marks.push(Mark::Segments {
        segments: whiskers,
        ink: Ink::Text,
    });
    f.legend("S1: the input alone", Swatch::Fill(Ink::Alone, 1.0));
    f.legend(
        "ST: with its interactions",
        Swatch::Fill(Ink::Together, 1.0),
    );
    f.legend(
        format!(
            "{}% bootstrap interval",
            (s.options.confidence * 100.0).round()
        ),
        Swatch::Line(Ink::Text, Dash::Solid),
    );
    f.notes.push(format!(
        "{} base samples.{}",
        crate::text::group_thousands(s.options.samples as f64),
        if s.correlated_inputs {
            " The scenario declares correlated inputs; these indices treat inputs as independent."
        } else {
            ""
        }
    ));
    f.summary = format!(
        "Sobol indices of {}: {}.",
        s.output_label,
        shown
            .iter()
            .take(5)
            .map(|&k| {
                let i = &s.estimate.indices[k];
                format!("{} S1 {:.2}, ST {:.2}", s.factors[k].label, i.s1, i.st)
            })
            .collect::<Vec<_>>()
            .join("; ")
    );
    f
}

/// Side a's mean leverage (with its 90% band) and the chance of a deal against one input.
pub fn curve(c: &LeverageCurve, a: &str, monthly: bool) -> Figure {
    let xs: Vec<f64> = c.points.iter().map(|p| p.x).collect();
    let (x0, x1) = (
        xs.first().copied().unwrap_or(0.0),
        xs.last().copied().unwrap_or(1.0),
    );
    let pad = (x1 - x0).abs().max(1e-9) * 0.03;
    let deal = if monthly {
        "P(settled within the horizon)"
    } else {
        "P(deal)"
    };
    let mut f = Figure::new(
        PlotKind::Curve,
        format!("Leverage of {a} and {deal} against {}", c.label),
        Axis::numeric(
            c.label.clone(),
            x0.min(x1) - pad,
            x0.max(x1) + pad,
            NumFormat::Plain,
        ),
        Axis::numeric(
            "share of the issue / probability",
            0.0,
            1.04,
            NumFormat::Share,
        ),
    );
    f.marks.push(Mark::Band {
        x: xs.clone(),
        lo: c.points.iter().map(|p| p.leverage_a.quantiles[0]).collect(),
        hi: c.points.iter().map(|p| p.leverage_a.quantiles[4]).collect(),
        ink: Ink::SideA,
        alpha: 0.18,
    });
    f.marks.push(Mark::Line {
        points: c.points.iter().map(|p| [p.x, p.leverage_a.mean]).collect(),
        ink: Ink::SideA,
        dash: Dash::Solid,
        width: 1.0,
    });
    f.marks.push(Mark::Line {
        points: c.points.iter().map(|p| [p.x, p.p_deal.p]).collect(),
        ink: Ink::Settled,
        dash: Dash::Solid,
        width: 1.0,
    });
    f.marks.push(Mark::VRule {
        x: c.current,
        ink: Ink::Text,
        dash: Dash::Dotted,
        label: Some(format!("current value {}", fmt_quantity(c.current))),
    });
    for p in &c.points {
        f.hovers.push(Hover::point(
            p.x,
            p.leverage_a.mean,
            format!(
                "{} = {}\nmean leverage of {a} {} (90% {} to {})\n{deal} {}",
                c.label,
                fmt_quantity(p.x),
                share(p.leverage_a.mean),
                share(p.leverage_a.quantiles[0]),
                share(p.leverage_a.quantiles[4]),
                fmt_percent(p.p_deal.p)
            ),
        ));
        f.hovers.push(Hover::point(
            p.x,
            p.p_deal.p,
            format!(
                "{} = {}\n{deal} {} ± {}",
                c.label,
                fmt_quantity(p.x),
                fmt_percent(p.p_deal.p),
                fmt_percent(p.p_deal.se)
            ),
        ));
    }
    f.legend(
        format!("mean leverage of {a}"),
        Swatch::Line(Ink::SideA, Dash::Solid),
    );
    f.legend(format!("{a}: 90% of runs"), Swatch::Fill(Ink::SideA, 0.18));
    f.legend(deal, Swatch::Line(Ink::Settled, Dash::Solid));
    let ends = |p: &crate::analysis::sweep::CurvePoint| {
        format!(
            "at {}: leverage {}, {deal} {}",
            fmt_quantity(p.x),
            share(p.leverage_a.mean),
            fmt_percent(p.p_deal.p)
        )
    };
    f.summary = match (c.points.first(), c.points.last()) {
        (Some(p), Some(q)) => format!(
            "Leverage of {a} and {deal} against {}: {}; {}.",
            c.label,
            ends(p),
            ends(q)
        ),
        _ => format!("Leverage curve against {}: no points.", c.label),
    };
    f.zoomable = true;
    f
}

/// The scenario's current values of two inputs (their central values), if both exist.
pub fn current_point(vs: &crate::scenario::ValidScenario, x: &str, y: &str) -> Option<[f64; 2]> {
    let inputs = vs.inputs();
    let value = |p: &str| {
        inputs
            .iter()
            .find(|i| i.path == p)
            .map(|i| i.input.value.central())
    };
    Some([value(x)?, value(y)?])
}

/// An output over two inputs, with its colour scale and the scenario's current point.
pub fn heatmap(
    h: &Heatmap,
    output: Output,
    output_label: &str,
    current: Option<[f64; 2]>,
) -> Figure {
    let stat = if output.is_probability() {
        crate::analysis::Statistic::P
    } else {
        crate::analysis::Statistic::Mean
    };
    let grid = h.grid(output, stat);
    let fmt = output_format(output);
    let (mut vmin, mut vmax) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in grid.iter().flatten().filter(|v| v.is_finite()) {
        vmin = vmin.min(*v);
        vmax = vmax.max(*v);
    }
    if !vmin.is_finite() {
        (vmin, vmax) = (0.0, 1.0);
    }
    if vmax <= vmin {
        vmax = vmin + 1e-9;
    }
    let xs = h.x.values();
    let ys = h.y.values();
    let half = |v: &[f64]| {
        if v.len() > 1 {
            (v[1] - v[0]).abs() / 2.0
        } else {
            0.5
        }
    };
    let (hx, hy) = (half(&xs), half(&ys));
    let bounds = |v: &[f64], d: f64| {
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo - d, hi + d)
    };
    let (x0, x1) = bounds(&xs, hx);
    let (y0, y1) = bounds(&ys, hy);
    let mut f = Figure::new(
        PlotKind::Heatmap,
        format!("{output_label} over two inputs"),
        Axis::numeric(h.x_label.clone(), x0, x1, NumFormat::Plain),
        Axis::numeric(h.y_label.clone(), y0, y1, NumFormat::Plain),
    );
    for (iy, row) in grid.iter().enumerate() {
        for (ix, v) in row.iter().enumerate() {
            let (Some(x), Some(y)) = (xs.get(ix), ys.get(iy)) else {
                continue;
            };
            f.hovers.push(Hover::region(
                [x - hx, y - hy, x + hx, y + hy],
                format!(
                    "{} = {}\n{} = {}\n{output_label}: {}\nclick to set the scenario to these values",
                    h.x_label,
                    fmt_quantity(*x),
                    h.y_label,
                    fmt_quantity(*y),
                    value(fmt, *v)
                ),
            ));
        }
    }
    f.marks.push(Mark::Cells {
        xs: xs.clone(),
        ys: ys.clone(),
        values: grid.clone(),
        min: vmin,
        max: vmax,
        scale_label: output_label.to_string(),
        scale_format: fmt,
        current,
    });
    if current.is_some() {
        f.legend(
            "ring: the scenario's current values",
            Swatch::Marker(Ink::Text, super::Shape::Circle, false),
        );
    }
    f.summary = format!(
        "{output_label} over {} ({} to {}) and {} ({} to {}): from {} to {}.",
        h.x_label,
        fmt_quantity(xs.first().copied().unwrap_or(0.0)),
        fmt_quantity(xs.last().copied().unwrap_or(0.0)),
        h.y_label,
        fmt_quantity(ys.first().copied().unwrap_or(0.0)),
        fmt_quantity(ys.last().copied().unwrap_or(0.0)),
        value(fmt, vmin),
        value(fmt, vmax)
    );
    f
}

/// "Why no deal": the peeling trajectory (coverage against density, each step a smaller box)
/// with the reported box marked, and its conditions under the plot.
pub fn why_no_deal(w: &crate::analysis::prim::WhyNoDeal, monthly: bool) -> Figure {
    let r = &w.result;
    let b = r.selected_box();
    let none = if monthly { "no settlement" } else { "no deal" };
    let mut f = Figure::new(
        PlotKind::WhyNoDeal,
        format!("Why {none}: where those runs concentrate"),
        Axis::numeric(
            format!("coverage: share of the runs with {none} inside the box"),
            0.0,
            1.02,
            NumFormat::Percent,
        ),
        Axis::numeric(
            format!("density: share with {none} among the box's runs"),
            0.0,
            1.04,
            NumFormat::Percent,
        ),
    );
    let pts: Vec<[f64; 2]> = r
        .trajectory
        .iter()
        .map(|b| [b.coverage, b.density])
        .collect();
    for (i, p) in pts.iter().enumerate() {
        let limits = r.conditions(&w.data, i).len();
        f.hovers.push(Hover::point(
            p[0],
            p[1],
            format!(
                "step {i}: coverage {}, density {}\n{limits} limits on the inputs",
                fmt_percent(p[0]),
                fmt_percent(p[1])
            ),
        ));
    }
    f.marks.push(Mark::Line {
        points: pts,
        ink: Ink::Text,
        dash: Dash::Solid,
        width: 0.8,
    });
    f.marks.push(Mark::Points {
        points: vec![[b.coverage, b.density]],
        ink: Ink::Unsettled,
        shape: super::Shape::Diamond,
        filled: true,
    });
    let overall = w.no_deal_share();
    f.marks.push(Mark::Line {
        points: vec![[0.0, overall], [1.0, overall]],
        ink: Ink::Text,
        dash: Dash::Dotted,
        width: 0.6,
    });
    f.legend("peeling trajectory", Swatch::Line(Ink::Text, Dash::Solid));
    f.legend(
        "the reported box",
        Swatch::Marker(Ink::Unsettled, super::Shape::Diamond, true),
    );
    f.legend(
        format!("{none} overall: {}", fmt_percent(overall)),
        Swatch::Line(Ink::Text, Dash::Dotted),
    );
    let head = format!(
        "{} of {} runs end with {none}. The box holds {} of them (coverage); {} of its runs end with {none} (density).",
        fmt_percent(overall),
        crate::text::group_thousands(w.trials as f64),
        fmt_percent(b.coverage),
        fmt_percent(b.density)
    );
    f.notes.push(head.clone());
    if let Some(few) = w.warning() {
        f.notes.push(format!("Warning: {few}."));
    }
    if w.conditions.is_empty() {
        f.notes.push(format!(
            "No range of the inputs concentrates the runs with {none} more than the whole sample does."
        ));
    } else {
        f.notes.push(format!(
            "{} is most likely when: {}.",
            capitalise(none),
            w.conditions.join("; ")
        ));
    }
    f.summary = format!(
        "Why {none}: {head} Conditions: {}.",
        w.conditions.join("; ")
    );
    if let Some(few) = w.warning() {
        f.summary.push_str(&format!(" Warning: {few}."));
    }
    f
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}
