//! Figures and replay: every plot exports to a well-formed SVG and to a PNG of the size and
//! scale asked for, with no on-screen controls and with the caption stamp; every kind of
//! export carries a record from which `armistice replay` reruns the run and prints the JSON
//! that `run --format json` printed, byte for byte; an edited record is refused.

use std::path::Path;

use armistice::Replay;
use armistice::figure_export::Spec;
use armistice::{FigureInput, PlotKind, build};
use assert_cmd::cargo::cargo_bin_cmd;
use quick_xml::events::Event;

use crate::common::*;

const TRIALS: u64 = 2_000;

fn cli(dir: &Path, args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = cargo_bin_cmd!("armistice")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(dir: &Path, args: &[&str]) -> Vec<u8> {
    let (code, out, err) = cli(dir, args);
    assert_eq!(code, 0, "armistice {args:?}: {err}");
    out
}

/// Parses an SVG document fully; returns the root's width and height and every text.
fn parse_svg(svg: &str) -> (f64, f64, Vec<String>) {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut size = None;
    let mut texts = Vec::new();
    let mut current: Option<String> = None;
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                if e.name().as_ref() == b"svg" {
                    let attr = |k: &[u8]| {
                        e.attributes()
                            .flatten()
                            .find(|a| a.key.as_ref() == k)
                            .map(|a| String::from_utf8_lossy(&a.value).parse::<f64>().unwrap())
                    };
                    size = Some((attr(b"width").unwrap(), attr(b"height").unwrap()));
                }
                if e.name().as_ref() == b"text" {
                    current = Some(String::new());
                }
            }
            Ok(Event::End(e)) => {
                depth -= 1;
                if e.name().as_ref() == b"text" {
                    texts.extend(current.take());
                }
            }
            Ok(Event::Text(t)) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t.decode().unwrap());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some(c) = current.as_mut() {
                    let name = r.decode().unwrap();
                    c.push_str(match name.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("unexpected entity {other}"),
                    });
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("the SVG is not well-formed XML: {e}"),
        }
    }
    assert_eq!(depth, 0, "unbalanced elements");
    let (w, h) = size.expect("an <svg> root");
    (w, h, texts)
}

fn kinds(monthly: bool) -> Vec<PlotKind> {
    PlotKind::OUTCOMES
        .into_iter()
        .filter(|k| k.applies_to(monthly))
        .collect()
}

#[test]
fn every_plot_exports_to_svg_and_png_of_the_requested_size_without_controls() {
    for path in [
        baseline_path(),
        root().join("tests/fixtures/v1/teaching-arvenia-borsk.ron"),
    ] {
        let vs = load(&path);
        let result = run(&vs, TRIALS, 3, Some(2));
        let monthly = vs.version >= 2;
        let replay = Replay::of(vs.scenario(), &result.stamp);
        for kind in kinds(monthly) {
            let input = FigureInput {
                result: &result,
                scenario: vs.scenario(),
                baseline: None,
                cdf: false,
                front_monthly: false,
            };
            let fig = build(kind, &input).unwrap_or_else(|| panic!("{kind:?}"));
            assert!(!fig.summary.is_empty(), "{kind:?} has a summary");
            let spec = Spec {
                width: 640.0,
                height: 400.0,
                scale: 3.0,
                ..Spec::default()
            };
            let svg = armistice::figure_export::svg(&fig, &spec, &result.stamp, &replay);
            let (w, h, texts) = parse_svg(&svg);
            assert_eq!((w, h), (640.0, 400.0), "{kind:?}");
            // No on-screen controls; the title and the stamp are there.
            for control in ["PNG", "SVG", "CDF", "per month", "since start", "Export"] {
                assert!(
                    !texts.iter().any(|t| t == control),
                    "{kind:?} shows the control {control}"
                );
            }
            assert!(texts.iter().any(|t| t == &fig.title), "{kind:?} title");
            let stamp = texts.join(" ");
            assert!(
                stamp.contains(&result.stamp.scenario_hash),
                "{kind:?} stamp"
            );
            assert!(stamp.contains("seed 3"), "{kind:?} seed");
            assert!(stamp.contains("2,000 trials"), "{kind:?} trials");
            let png = armistice::figure_export::png(&fig, &spec, &result.stamp, &replay).unwrap();
            let info = armistice::figure_raster::read_png(&png).unwrap();
            assert_eq!((info.width, info.height), (1920, 1200), "{kind:?}");
            assert!(
                info.texts
                    .iter()
                    .any(|(k, v)| k == "Title" && v == &fig.title)
            );
        }
    }
}

#[test]
fn the_png_is_drawn_not_blank() {
    let vs = load(&baseline_path());
    let result = run(&vs, TRIALS, 3, Some(2));
    let input = FigureInput {
        result: &result,
        scenario: vs.scenario(),
        baseline: None,
        cdf: false,
        front_monthly: false,
    };
    let fig = build(PlotKind::Settlement, &input).unwrap();
    let spec = Spec::default();
    let scene = armistice::figure_export::scene(&fig, &spec, &result.stamp);
    let (w, h, rgba) = armistice::figure_raster::render(&scene, 1.0).unwrap();
    assert_eq!((w, h), (800, 500));
    let coloured = rgba
        .chunks(4)
        .filter(|p| !(p[0] == p[1] && p[1] == p[2]))
        .count();
    let dark = rgba.chunks(4).filter(|p| p[0] < 100 && p[1] < 100).count();
    assert!(coloured > 500, "the curve and band are drawn ({coloured})");
    assert!(dark > 500, "the text and axes are drawn ({dark})");
}

/// Each kind of export, made by the command line, replays to the original JSON.
#[test]
fn replay_reproduces_the_json_byte_for_byte_for_every_export_kind() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = baseline_path();
    let f = file.to_str().unwrap();
    let n = TRIALS.to_string();
    let original = ok(d, &["run", f, "-f", "json", "-n", &n, "-s", "11"]);
    let json_path = d.join("summary.json");
    std::fs::write(&json_path, &original).unwrap();
    let mut exports = vec![json_path];
    ok(
        d,
        &[
            "run",
            f,
            "-f",
            "csv",
            "-n",
            &n,
            "-s",
            "11",
            "-o",
            "trials.csv",
        ],
    );
    exports.push(d.join("trials.csv"));
    for out in ["fig.svg", "fig.png"] {
        ok(
            d,
            &[
                "figure", f, "--plot", "terms", "-n", &n, "-s", "11", "-o", out, "--scale", "1",
            ],
        );
        exports.push(d.join(out));
    }
    ok(d, &["brief", f, "-n", &n, "-s", "11", "-o", "brief.html"]);
    exports.push(d.join("brief.html"));
    // The summary CSV as the app writes it.
    let vs = load(&file);
    let result = run(&vs, TRIALS, 11, None);
    let mut buf = Vec::new();
    armistice::summary_csv(&result, &vs, &mut buf).unwrap();
    std::fs::write(d.join("summary.csv"), &buf).unwrap();
    exports.push(d.join("summary.csv"));
    for e in &exports {
        let replayed = ok(d, &["replay", e.to_str().unwrap(), "-t", "1"]);
        assert!(
            replayed == original,
            "{} replays to different bytes",
            e.display()
        );
    }
}

#[test]
fn an_edited_record_is_reported_not_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let f = baseline_path();
    ok(
        d,
        &[
            "figure",
            f.to_str().unwrap(),
            "--plot",
            "front",
            "-n",
            "500",
            "-o",
            "fig.svg",
        ],
    );
    let svg = std::fs::read_to_string(d.join("fig.svg")).unwrap();
    // Change the seed in the record, as someone might to pass off another run.
    let record = armistice::figure_svg::replay_of(&svg).unwrap();
    let r = Replay::from_json(&record).unwrap();
    let edited = svg.replace(
        &format!("&quot;seed&quot;:{}", r.seed),
        &format!("&quot;seed&quot;:{}", r.seed + 1),
    );
    assert_ne!(edited, svg);
    std::fs::write(d.join("edited.svg"), edited).unwrap();
    let (code, out, err) = cli(d, &["replay", "edited.svg"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("edited"), "{err}");
    // A file with no record says so.
    std::fs::write(d.join("plain.csv"), "a,b\n1,2\n").unwrap();
    let (code, _, err) = cli(d, &["replay", "plain.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("no replay record"), "{err}");
}

#[test]
fn analysis_figures_come_from_the_command_line_too() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let f = teaching_path();
    let f = f.to_str().unwrap();
    ok(
        d,
        &["figure", f, "--plot", "tornado", "-n", "400", "-o", "t.svg"],
    );
    let (_, _, texts) = parse_svg(&std::fs::read_to_string(d.join("t.svg")).unwrap());
    assert!(
        texts.iter().any(|t| t.contains("10th percentile")),
        "{texts:?}"
    );
    ok(
        d,
        &[
            "figure",
            f,
            "--plot",
            "heatmap",
            "-n",
            "300",
            "--output",
            "p_deal",
            "--vary",
            "battlefield.break_even_ratio=1:2:3",
            "--vary",
            "sides.a.materiel_usd_bn=10:60:3",
            "-o",
            "h.png",
            "--scale",
            "1",
        ],
    );
    let info =
        armistice::figure_raster::read_png(&std::fs::read(d.join("h.png")).unwrap()).unwrap();
    assert_eq!((info.width, info.height), (800, 500));
    ok(
        d,
        &[
            "figure",
            f,
            "--plot",
            "why-no-deal",
            "-n",
            "2000",
            "-o",
            "w.svg",
        ],
    );
    let (_, _, texts) = parse_svg(&std::fs::read_to_string(d.join("w.svg")).unwrap());
    assert!(texts.iter().any(|t| t.starts_with("Why no ")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("coverage")), "{texts:?}");
    let (code, _, err) = cli(d, &["figure", f, "--plot", "nonsense", "-o", "x.svg"]);
    assert_eq!(code, 2);
    assert!(err.contains("leverage"), "{err}");
    let (code, _, err) = cli(d, &["figure", f, "--plot", "front", "-o", "x.gif"]);
    assert_eq!(code, 2);
    assert!(err.contains(".svg or .png"), "{err}");
}

#[test]
fn the_brief_is_self_contained_and_cites_every_cited_source_and_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = baseline_path();
    ok(
        d,
        &[
            "brief",
            file.to_str().unwrap(),
            "-n",
            "1000",
            "-o",
            "brief.html",
        ],
    );
    let whole = std::fs::read_to_string(d.join("brief.html")).unwrap();
    // What a reader sees: the replay record (which holds the whole scenario) left out.
    let start = whole.find("<script type=\"application/json\"").unwrap();
    let end = start + whole[start..].find("</script>").unwrap();
    let html = format!("{}{}", &whole[..start], &whole[end..]);
    let vs = load(&file);
    let sc = vs.scenario();
    let cited = armistice::cited_sources(sc);
    let esc = armistice::figure_svg::escape;
    let (mut shown, mut left_out) = (0, 0);
    for s in &sc.meta.sources {
        if cited.contains(&s.id) {
            assert!(
                html.contains(&esc(&s.citation)),
                "{} is cited but missing",
                s.id
            );
            shown += 1;
        } else {
            assert!(
                !html.contains(&esc(&s.citation)),
                "{} is not cited but listed",
                s.id
            );
            left_out += 1;
        }
    }
    assert!(
        shown > 5 && left_out > 0,
        "cited {shown}, not cited {left_out}"
    );
    // Every input, with its value, and the reminder; four plots as inline SVG.
    for i in sc.inputs() {
        let label = armistice::input_label(sc, i.key);
        assert!(html.contains(&esc(&label)), "{label}");
    }
    assert!(html.contains("not a forecast"));
    assert_eq!(html.matches("<svg ").count(), 4);
    assert!(html.contains(&esc(&sc.meta.title)));
    // Nothing is fetched from elsewhere.
    for remote in ["<link", " src=", "url(http", "@import"] {
        assert!(!html.contains(remote), "{remote}");
    }
    // It prints on two pages at most: a print style that sets the page and small type.
    assert!(html.contains("@media print") && html.contains("@page"));
}

/// The axis labels are never cut: a label too long for a short plot goes on more lines, in
/// a quarter of a 1024x768 window as in the brief's figures; so do the row names.
#[test]
fn axis_labels_are_whole_in_small_figures() {
    use armistice::figure_layout::{Options, layout};
    use armistice::{EmbeddedFont, Theme};
    for (path, monthly) in [
        (
            root().join("tests/fixtures/v1/teaching-arvenia-borsk.ron"),
            false,
        ),
        (baseline_path(), true),
    ] {
        let vs = load(&path);
        let r = run(&vs, 2_000, 1, Some(2));
        for kind in kinds(monthly) {
            let fig = build(
                kind,
                &FigureInput {
                    result: &r,
                    scenario: vs.scenario(),
                    baseline: None,
                    cdf: false,
                    front_monthly: false,
                },
            )
            .unwrap();
            for (w, h) in [(300.0, 230.0), (380.0, 250.0)] {
                let scene = layout(
                    &fig,
                    w,
                    h,
                    Theme::PRINT,
                    EmbeddedFont::get(),
                    &Options::default(),
                );
                let texts = scene.texts();
                let all = texts.join(" ");
                for label in [&fig.x.label, &fig.y.label] {
                    assert!(
                        all.contains(label.as_str()),
                        "{kind:?} at {w}x{h}: the axis label {label:?} is cut: {texts:?}"
                    );
                }
            }
            // A plot cell of a 1024x768 window: row names too long for the left column go
            // on two lines rather than being cut.
            let scene = layout(
                &fig,
                320.0,
                250.0,
                Theme::PRINT,
                EmbeddedFont::get(),
                &Options::default(),
            );
            let all = scene.texts().join(" ");
            for row in &fig.y.categories {
                assert!(
                    all.contains(row.as_str()),
                    "{kind:?}: the row {row:?} is cut: {all}"
                );
            }
        }
    }
}
