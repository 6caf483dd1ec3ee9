//! The one-page brief: a self-contained HTML file (no network: styles inline, figures as
//! inline SVG) with the scenario's title, description and date, the headline numbers with
//! their standard errors, the main plots, every input (value or distribution, unit, source or
//! "assumption", note), the bibliography of the sources the inputs and observations cite
//! (and only those), the replay stamp and record, and the reminder that it is an exploration
//! of stated assumptions, not a forecast. Its print style fits two A4 or Letter pages.

use std::fmt::Write;

use crate::figure::layout::{Options, layout};
use crate::figure::palette::Theme;
use crate::figure::svg::{SvgMeta, escape, to_svg};
use crate::figure::{FigureInput, PlotKind, build, font::EmbeddedFont};
use crate::replay::{Replay, html_script};
use crate::run::RunResult;
use crate::scenario::{Scenario, Source};
use crate::stats::Outcome;
use crate::text::{fmt_percent, group_thousands};

/// The plots a brief shows, for a monthly run and a one-shot one.
pub fn plots(monthly: bool) -> [PlotKind; 4] {
    if monthly {
        [
            PlotKind::Settlement,
            PlotKind::Terms,
            PlotKind::Why,
            PlotKind::Front,
        ]
    } else {
        [
            PlotKind::Deal,
            PlotKind::Leverage,
            PlotKind::Range,
            PlotKind::Front,
        ]
    }
}

/// Size of a figure in the brief, in CSS pixels: two side by side across an A4 or Letter
/// page.
const FIG_W: f32 = 352.0;
const FIG_H: f32 = 184.0;

/// The source ids the scenario cites, in order of first citation (inputs in catalogue
/// order, then the observations).
pub fn cited_sources(sc: &Scenario) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut add = |id: &Option<String>| {
        if let Some(id) = id
            && !ids.contains(id)
        {
            ids.push(id.clone());
        }
    };
    for i in sc.inputs() {
        add(&i.input.source);
    }
    for o in &sc.observed {
        add(&o.source);
    }
    if let Some(t) = &sc.observed_talks {
        add(&t.source);
    }
    ids
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    crate::text::civil_date((secs / 86_400) as i64)
}

const STYLE: &str = r#"
:root { --ink: #1e1e1e; --weak: #555; --rule: #ccc; --a: #0072b2; --b: #d55e00; }
* { box-sizing: border-box; }
body { font-family: Ubuntu, "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
  max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.35; font-size: 15px; }
h1 { font-size: 1.6rem; margin: 0.2rem 0; font-weight: 500; }
h2 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; border-bottom: 1px solid var(--rule); font-weight: 500; }
.kicker, .meta, .stamp, .note { color: var(--weak); }
.kicker { margin: 0; font-size: 0.85rem; letter-spacing: 0.02em; }
.desc { margin: 0.3rem 0; }
.meta { margin: 0.2rem 0; font-size: 0.85rem; }
.warning { margin: 0.5rem 0; padding: 0.3rem 0.6rem; border-left: 4px solid var(--ink); font-weight: 500; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.15rem 0.4rem; border-bottom: 1px solid #eee; }
th { font-weight: 500; border-bottom: 1px solid var(--rule); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.headline td:nth-child(odd) { width: 30%; }
.headline .se { color: var(--weak); }
.figures { display: grid; grid-template-columns: 1fr 1fr; gap: 0.6rem; margin-top: 0.6rem; }
.figures figure { margin: 0; }
.figures svg { width: 100%; height: auto; display: block; }
.inputs th:nth-child(1) { width: 46%; }
.inputs th:nth-child(2) { width: 44%; }
.inputs .unit { color: var(--weak); }
.inputs tr.with-note td { border-bottom: none; }
.inputs tr.note-row td { color: var(--weak); font-size: 0.88em; padding-top: 0; padding-left: 1.2rem; }
.assumption { color: var(--weak); font-style: italic; }
.sources ol { padding-left: 1.6rem; margin: 0.2rem 0; }
.sources li { margin: 0.1rem 0; }
.stamp { font-size: 0.8rem; margin-top: 1rem; border-top: 1px solid var(--rule); padding-top: 0.3rem; }
code { font-size: 0.9em; }
@page { size: auto; margin: 9mm 10mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 7.6pt; line-height: 1.22; }
  h1 { font-size: 13pt; }
  h2 { font-size: 8.6pt; margin: 0.45rem 0 0.15rem; }
  .warning { margin: 0.25rem 0; padding: 0.1rem 0.4rem; }
  .figures { gap: 0.2rem 0.5rem; margin-top: 0.2rem; }
  .figures figure { break-inside: avoid; }
  th, td { padding: 0.02rem 0.25rem; }
  .inputs .cols { column-count: 2; column-gap: 1.1rem; }
  .inputs table { font-size: 5.9pt; line-height: 1.1; }
  .srcid { display: none; }
  .inputs tr { break-inside: avoid; }
  .inputs tr.with-note { break-after: avoid; }
  .headline table { font-size: 7.4pt; }
  .sources { font-size: 6pt; line-height: 1.12; column-count: 2; column-gap: 1.2rem; }
  .sources h2 { column-span: all; }
  .stamp { font-size: 6.3pt; margin-top: 0.3rem; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// One headline row: label, value, and its standard error (or interval) as text.
fn headline_rows(result: &RunResult, sc: &Scenario) -> Vec<(String, String, String)> {
    let s = &result.summary;
    let (a, b) = (&sc.sides.a.name, &sc.sides.b.name);
    let mut rows = Vec::new();
    let pkg = s
        .most_likely_package()
        .and_then(|k| sc.bargaining.packages.get(k).map(|p| (k, p.name.clone())));
    if let Some(st) = &s.settlement {
        rows.push((
            format!("Settled within {} months", st.horizon_months),
            fmt_percent(st.settled.p),
            format!("± {}", fmt_percent(st.settled.se)),
        ));
        let (lo, hi) = st.median_month_interval();
        rows.push((
            "Median month of settlement".into(),
            st.median_month.map_or_else(
                || format!("not within {}", st.horizon_months),
                |m| format!("month {m}"),
            ),
            match (lo, hi) {
                (Some(x), Some(y)) if x == y => "95% interval: that month".to_string(),
                (Some(x), Some(y)) => format!("95% interval: {x} to {y}"),
                (Some(x), None) => format!("95% interval: {x} or later"),
                _ => String::new(),
            },
        ));
        if let Some((k, name)) = &pkg {
            rows.push((
                format!("Most likely terms: {name}"),
                fmt_percent(s.p_package[*k].p),
                format!("± {}", fmt_percent(s.p_package[*k].se)),
            ));
        }
        if st.n_settled > 0 {
            let l = &st.held_at_settlement;
            rows.push((
                format!("Area {b} holds at settlement (median, km²)"),
                group_thousands(l.quantiles[2]),
                format!(
                    "90% of settled runs: {} to {}",
                    group_thousands(l.quantiles[0]),
                    group_thousands(l.quantiles[4])
                ),
            ));
        }
    } else {
        rows.push((
            "P(deal)".into(),
            fmt_percent(s.p_deal.p),
            format!("± {}", fmt_percent(s.p_deal.se)),
        ));
        if let Some((k, name)) = &pkg {
            rows.push((
                format!("Most likely deal: {name}"),
                fmt_percent(s.p_package[*k].p),
                format!("± {}", fmt_percent(s.p_package[*k].se)),
            ));
        }
    }
    let when = if s.settlement.is_some() {
        " at settlement or the horizon"
    } else {
        ""
    };
    for (o, who) in [(Outcome::LeverageA, a), (Outcome::LeverageB, b)] {
        let c = s.outcome(o);
        rows.push((
            format!("Mean leverage of {who}{when}"),
            format!("{:.3}", c.mean),
            format!("± {:.3}", c.se),
        ));
    }
    rows.push((
        "No bargaining range over territory".into(),
        fmt_percent(s.p_range_empty.p),
        format!("± {}", fmt_percent(s.p_range_empty.se)),
    ));
    rows
}

/// The brief of a run of `sc`, dated `date`.
pub fn html(result: &RunResult, sc: &Scenario, date: &str) -> String {
    let mut h = String::with_capacity(256 * 1024);
    let title = escape(&sc.meta.title);
    let stamp = &result.stamp;
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"Armistice {}\">\n<title>{title}: brief</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&stamp.app_version)
    );
    // Header.
    let _ = writeln!(
        h,
        "<header>\n<p class=\"kicker\">Armistice brief · made {}</p>\n<h1>{title}</h1>",
        escape(date)
    );
    if !sc.meta.description.trim().is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"desc\">{}</p>",
            escape(sc.meta.description.trim())
        );
    }
    let mut meta = Vec::new();
    if !sc.meta.date.is_empty() {
        meta.push(format!("Scenario date {}", escape(&sc.meta.date)));
    }
    if !sc.meta.authors.is_empty() {
        meta.push(format!("by {}", escape(&sc.meta.authors.join(", "))));
    }
    meta.push(format!(
        "{} runs, seed {}, horizon {} months",
        group_thousands(stamp.trials as f64),
        stamp.seed,
        sc.simulation.horizon_months
    ));
    let _ = writeln!(
        h,
        "<p class=\"meta\">{}</p>\n<p class=\"warning\">An exploration of stated assumptions, not a forecast: every number follows from the inputs listed below.</p>\n</header>",
        meta.join(" · ")
    );
    // Headline numbers, two to a row.
    h.push_str("<section class=\"headline\">\n<h2>Headline numbers (± standard error of the Monte Carlo estimate)</h2>\n<table>\n<tbody>\n");
    let rows = headline_rows(result, sc);
    for pair in rows.chunks(2) {
        h.push_str("<tr>");
        for (label, value, se) in pair {
            let _ = write!(
                h,
                "<td>{}</td><td class=\"num\">{} <span class=\"se\">{}</span></td>",
                escape(label),
                escape(value),
                escape(se)
            );
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
    // Figures.
    h.push_str("<section class=\"figures\">\n");
    let input = FigureInput {
        result,
        scenario: sc,
        baseline: None,
        cdf: false,
        front_monthly: false,
    };
    let theme = Theme {
        compact: true,
        ..Theme::PRINT
    };
    for (i, kind) in plots(result.summary.settlement.is_some())
        .into_iter()
        .enumerate()
    {
        let Some(fig) = build(kind, &input) else {
            continue;
        };
        let scene = layout(
            &fig,
            FIG_W,
            FIG_H,
            theme,
            EmbeddedFont::get(),
            &Options {
                title: true,
                stamp: None,
                view: None,
            },
        );
        let prefix = format!("f{i}-");
        let svg = to_svg(
            &scene,
            &SvgMeta {
                title: &fig.title,
                description: &fig.summary,
                replay: None,
                id_prefix: &prefix,
                standalone: false,
            },
        );
        let _ = writeln!(h, "<figure>{svg}</figure>");
    }
    h.push_str("</section>\n");
    // Inputs.
    let cited = cited_sources(sc);
    let number = |id: &str| cited.iter().position(|c| c == id).map(|i| i + 1);
    h.push_str("<section class=\"inputs\">\n<h2>Inputs</h2>\n<div class=\"cols\">\n<table>\n<thead><tr><th>Input</th><th>Value or distribution, unit</th><th>Source</th></tr></thead>\n<tbody>\n");
    for i in sc.inputs() {
        let label = crate::analysis::input_label(sc, i.key);
        let unit = i
            .input
            .slider
            .as_ref()
            .and_then(|s| s.unit.clone())
            .unwrap_or_else(|| i.spec.unit.to_string());
        let source = match &i.input.source {
            Some(id) => match number(id) {
                Some(n) => format!("<a href=\"#src-{n}\">[{n}]</a>"),
                None => escape(id),
            },
            None => "<span class=\"assumption\">assumption</span>".to_string(),
        };
        let note = i.input.note.as_deref().unwrap_or("").trim();
        let _ = writeln!(
            h,
            "<tr class=\"input{}\"><td>{}</td><td>{} <span class=\"unit\">{}</span></td><td>{source}</td></tr>",
            if note.is_empty() { "" } else { " with-note" },
            escape(&label),
            escape(&crate::scenario::changes::describe(&i.input.value)),
            escape(&unit)
        );
        if !note.is_empty() {
            let _ = writeln!(
                h,
                "<tr class=\"note-row\"><td colspan=\"3\">{}</td></tr>",
                escape(note)
            );
        }
    }
    h.push_str("</tbody>\n</table>\n</div>\n</section>\n");
    // Sources.
    h.push_str("<section class=\"sources\">\n<h2>Sources cited</h2>\n");
    if cited.is_empty() {
        h.push_str("<p>No input cites a source: every input is an assumption.</p>\n");
    } else {
        h.push_str("<ol>\n");
        for (k, id) in cited.iter().enumerate() {
            let src: Option<&Source> = sc.meta.sources.iter().find(|s| &s.id == id);
            let _ = write!(h, "<li id=\"src-{}\">", k + 1);
            match src {
                Some(s) => {
                    let _ = write!(h, "{}", escape(&s.citation));
                    if let Some(p) = &s.publication {
                        let _ = write!(h, ". <i>{}</i>", escape(p));
                    }
                    if let Some(d) = &s.date {
                        let _ = write!(h, ", {}", escape(d));
                    }
                    if let Some(u) = &s.url {
                        let _ = write!(h, ". <a href=\"{0}\">{0}</a>", escape(u));
                    }
                    let _ = write!(h, " <span class=\"note srcid\">[{}]</span>", escape(id));
                }
                None => {
                    let _ = write!(h, "{} (not in the scenario's list of sources)", escape(id));
                }
            }
            h.push_str("</li>\n");
        }
        h.push_str("</ol>\n");
    }
    h.push_str("</section>\n");
    // Stamp and record.
    let _ = writeln!(
        h,
        "<footer class=\"stamp\">{} · Rerun exactly: <code>armistice replay THIS_FILE</code>, or open this file in Armistice. An exploration of stated assumptions, not a forecast.</footer>",
        escape(&crate::figure::export::caption(stamp).replace(
            " · an exploration of stated assumptions, not a forecast",
            ""
        ))
    );
    h.push_str(&html_script(&Replay::of(sc, stamp)));
    h.push_str("\n</body>\n</html>\n");
    h
}
