//! The plots, the comparison and the layout in the app, by meaning (egui_kittest): every
//! plot gives screen readers its key numbers; the bar labels are all drawn whatever their
//! length; the comparison shows the baseline's value beside the current one, the paired
//! change and the inputs that differ (a click shows one in the inputs panel); opening another
//! scenario asks about the baseline; the inputs panel keeps its width; figures export from
//! the app without grabbing the screen; File > Open accepts a figure.
#![cfg(feature = "gui")]

use armistice::Action;
use armistice::Dist;
use armistice::PlotKind;
use armistice::figure_export::Format;
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};

use crate::common::app::{app, edit, harness, settle};

/// The screen-reader labels of the figures on screen.
fn figure_labels(h: &egui_kittest::Harness<'static, armistice::ArmisticeApp>) -> Vec<String> {
    h.query_all_by_role(Role::Image)
        .filter_map(|n| n.accesskit_node().label())
        .collect()
}

#[test]
fn every_plot_speaks_its_key_numbers() {
    use armistice::PlotTab;
    let mut h = harness(app());
    settle(&mut h);
    let r = h.state().state.result.clone().unwrap();
    let st = r.summary.settlement.clone().unwrap();
    for (tab, starts, number) in [
        (
            PlotTab::When,
            "Share of runs settled by each month",
            armistice::fmt_percent(st.settled_by[5].p),
        ),
        (
            PlotTab::Why,
            "Why the war goes on",
            String::from("runs still fighting"),
        ),
        (
            PlotTab::Terms,
            "Terms at settlement",
            armistice::fmt_percent(r.summary.p_package[0].p),
        ),
        (PlotTab::Front, "Area gained by Russia", String::from("km²")),
        (
            PlotTab::LeverageMonths,
            "Leverage of Ukraine at each month's table: median",
            String::from("90% of runs"),
        ),
        (
            PlotTab::Leverage,
            "Leverage of Ukraine at settlement or the horizon: median",
            format!(
                "{:.2}",
                r.summary.outcome(armistice::Outcome::LeverageA).quantiles[2]
            ),
        ),
        (
            PlotTab::Range,
            "Bargaining range of Ukraine's share",
            armistice::fmt_percent(r.summary.p_range_empty.p),
        ),
    ] {
        h.state_mut().state.settings.plot_tab = tab;
        h.step();
        h.step();
        let labels = figure_labels(&h);
        assert!(
            labels
                .iter()
                .any(|l| l.starts_with(starts) && l.contains(&number)),
            "{tab:?}: no figure says \"{starts}...{number}\" in {labels:?}"
        );
    }
}

/// Bar labels are drawn on or beside every bar, long bars included (a bar past one half
/// once lost its label), at the smallest window size.
#[test]
fn every_bar_keeps_its_label_in_a_small_cell() {
    use armistice::figure_layout::{Options, layout};
    use armistice::{EmbeddedFont, FigureInput, Theme, build};
    let v1 = crate::common::load(
        &crate::common::root().join("tests/fixtures/v1/teaching-arvenia-borsk.ron"),
    );
    let v2 = crate::common::load(&crate::common::baseline_path());
    for (vs, kind) in [(&v1, PlotKind::Deal), (&v2, PlotKind::Terms)] {
        let r = crate::common::run(vs, 4_000, 1, Some(2));
        let fig = build(
            kind,
            &FigureInput {
                result: &r,
                scenario: vs.scenario(),
                baseline: Some((&r, "itself")),
                cdf: false,
                front_monthly: false,
            },
        )
        .unwrap();
        let mut labels = Vec::new();
        for m in &fig.marks {
            if let armistice::Mark::Bars(bars) = m {
                labels.extend(bars.iter().filter_map(|b| b.label.clone()));
            }
        }
        assert!(labels.len() >= 4, "{kind:?}");
        // A quarter of a 1024x768 window, in each theme.
        for dark in [false, true] {
            let theme = Theme {
                dark,
                ..Theme::PRINT
            };
            let scene = layout(
                &fig,
                300.0,
                230.0,
                theme,
                EmbeddedFont::get(),
                &Options::default(),
            );
            let texts = scene.texts();
            for l in &labels {
                assert!(
                    texts
                        .iter()
                        .any(|t| t == l || t.starts_with(&l[..l.len().min(3)])),
                    "{kind:?}: the label {l} is missing from {texts:?}"
                );
            }
            // Every row keeps its name (cut short with an ellipsis if need be).
            for row in fig.y.categories.iter().filter(|c| !c.is_empty()) {
                let head: String = row.chars().take(4).collect();
                assert!(
                    texts.iter().any(|t| t.starts_with(&head)),
                    "{kind:?}: row {row} lost its label"
                );
            }
        }
    }
}

#[test]
fn the_comparison_shows_both_values_the_change_and_what_differs() {
    let mut h = harness(app());
    settle(&mut h);
    h.get_by_role_and_label(Role::Button, "Pin as baseline")
        .click();
    h.step();
    h.step();
    edit(&mut h, |sc| {
        sc.sides.a.materiel_usd_bn.value = Dist::Fixed(80.0);
    });
    settle(&mut h);
    let s = &h.state().state;
    let base = s.baseline.as_ref().unwrap().result.summary.clone();
    let now = s.result.as_ref().unwrap().summary.clone();
    assert_ne!(
        base.outcome(armistice::Outcome::LeverageA).mean,
        now.outcome(armistice::Outcome::LeverageA).mean
    );
    // The leverage card: the current value, the baseline's, and the paired change.
    let card = h
        .query_all_by_role(Role::Label)
        .filter_map(|n| n.accesskit_node().value())
        .find(|l| l.starts_with("Mean leverage of Ukraine") && l.contains("baseline"))
        .expect("the leverage card");
    assert!(
        card.contains(&format!(
            "{:.3}",
            now.outcome(armistice::Outcome::LeverageA).mean
        )),
        "{card}"
    );
    assert!(
        card.contains(&format!(
            "baseline {:.3}",
            base.outcome(armistice::Outcome::LeverageA).mean
        )),
        "{card}"
    );
    assert!(card.contains("higher in"), "{card}");
    assert!(card.contains('⬆') || card.contains('⬇'), "{card}");
    // The baseline is named, and the input that differs is listed; a click shows it.
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Baseline name")
            .is_some()
    );
    let link = h
        .query_all_by_label_contains("Ukraine materiel stock")
        .find(|n| n.accesskit_node().role() == Role::Link)
        .expect("a link to the changed input");
    link.click();
    h.step();
    h.step();
    assert_eq!(h.state().state.ui.search, "sides.a.materiel_usd_bn");
    // The inputs panel shows that input alone, named with its side.
    let sliders: Vec<String> = h
        .query_all_by_role(Role::Slider)
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    assert_eq!(sliders, ["Ukraine · Materiel stock"]);
}

#[test]
fn opening_another_scenario_asks_whether_to_keep_the_baseline() {
    for keep in [true, false] {
        let mut h = harness(app());
        settle(&mut h);
        h.state_mut().state.push(Action::PinBaseline);
        h.step();
        h.state_mut().state.push(Action::OpenShipped(1));
        h.step();
        h.step();
        h.step();
        assert!(h.state().state.baseline_question.is_some());
        assert!(h.query_by_label_contains("Keep the baseline?").is_some());
        let button = if keep {
            "Keep the baseline"
        } else {
            "Clear it"
        };
        h.get_by_role_and_label(Role::Button, button).click();
        h.step();
        settle(&mut h);
        let s = &h.state().state;
        assert!(s.baseline_question.is_none());
        assert_eq!(s.baseline.is_some(), keep, "{button}");
        assert_ne!(
            s.result.as_ref().unwrap().stamp.scenario_hash,
            armistice::scenario_hash(armistice::builtin_baseline().unwrap().scenario()),
            "the other scenario opened"
        );
    }
}

#[test]
fn the_inputs_panel_keeps_its_width_through_edits() {
    let mut h = harness(app());
    settle(&mut h);
    let width = |h: &egui_kittest::Harness<'static, armistice::ArmisticeApp>| {
        h.state().state.ui.inputs_edge.unwrap()
    };
    let before = width(&h);
    // Edits that once widened the panel: a long package name, a long aid stream name,
    // distributions with wide parameters, another package.
    edit(&mut h, |sc| {
        sc.bargaining.packages[0].name =
            "A package with a very long name that does not fit the panel at all".into();
        sc.aid[0].name = "An aid stream whose name is much longer than the panel".into();
        sc.sides.a.manpower.value = Dist::Triangular {
            min: 123_456_789.0,
            mode: 223_456_789.0,
            max: 323_456_789.0,
        };
    });
    for _ in 0..5 {
        h.step();
    }
    settle(&mut h);
    let after = width(&h);
    assert!(
        (after - before).abs() < 1.0,
        "the panel's edge moved from {before} to {after}"
    );
    assert_eq!(h.state().state.settings.inputs_width, 360.0);
}

#[test]
fn figures_export_from_the_app_as_svg_and_png_at_the_chosen_size() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(app());
    settle(&mut h);
    // The export options, then the file.
    h.state_mut()
        .state
        .push(Action::ExportFigureOptions(PlotKind::Terms));
    h.step();
    h.step();
    h.step();
    assert!(h.query_by_label_contains("Export figure").is_some());
    h.get_by_role_and_label(Role::Button, "Cancel").click();
    h.step();
    for (format, name) in [(Format::Svg, "terms.svg"), (Format::Png, "terms.png")] {
        {
            let e = &mut h.state_mut().state.settings.figure_export;
            e.format = format;
            e.width = 500.0;
            e.height = 320.0;
            e.scale = 3.0;
        }
        let path = dir.path().join(name);
        h.state_mut()
            .state
            .push(Action::ExportFigure(PlotKind::Terms, path.clone()));
        h.step();
        let bytes = std::fs::read(&path).unwrap();
        let record = armistice::extract_replay(&bytes).unwrap();
        let stamp = &h.state().state.result.as_ref().unwrap().stamp;
        assert_eq!(
            (record.seed, record.trials),
            (stamp.seed, stamp.trials),
            "{name}"
        );
        match format {
            Format::Png => {
                let info = armistice::figure_raster::read_png(&bytes).unwrap();
                assert_eq!((info.width, info.height), (1500, 960));
            }
            Format::Svg => {
                let text = String::from_utf8(bytes).unwrap();
                assert!(text.contains("width=\"500\" height=\"320\""));
                assert!(!text.contains(">Export…<"));
            }
        }
    }
}

#[test]
fn file_open_accepts_a_figure_and_refuses_an_edited_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(app());
    settle(&mut h);
    let path = dir.path().join("front.svg");
    h.state_mut().state.settings.figure_export.format = Format::Svg;
    h.state_mut()
        .state
        .push(Action::ExportFigure(PlotKind::Front, path.clone()));
    h.step();
    let svg = std::fs::read_to_string(&path).unwrap();
    // Open another scenario, then the figure: its scenario comes back.
    h.state_mut().state.push(Action::OpenShipped(3));
    h.step();
    settle(&mut h);
    h.state_mut().state.push(Action::Open(path.clone()));
    h.step();
    settle(&mut h);
    let s = &h.state().state;
    assert!(s.load_error.is_none(), "{:?}", s.load_error);
    assert_eq!(
        armistice::scenario_hash(&s.doc.scenario),
        armistice::scenario_hash(armistice::builtin_baseline().unwrap().scenario())
    );
    // An edited figure is reported, and the open scenario stays.
    let edited = dir.path().join("edited.svg");
    std::fs::write(&edited, svg.replacen("Late 2024", "Late 2025", 2)).unwrap();
    let before = h.state().state.doc.scenario.clone();
    h.state_mut().state.push(Action::Open(edited));
    h.step();
    h.step();
    let s = &h.state().state;
    let err = s.load_error.as_ref().expect("the edit is reported");
    assert!(err.lines.join(" ").contains("edited"), "{:?}", err.lines);
    assert_eq!(s.doc.scenario, before);
}
