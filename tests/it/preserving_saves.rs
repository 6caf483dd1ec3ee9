//! Saves change only what changed: for every shipped scenario, three values changed through
//! the library (as the app's state does, then `save_edited`), through `armistice set`, and
//! through the app's own Save, give a file whose difference from the original is exactly the
//! lines of those values; a save with nothing changed gives the same bytes, BOM and CRLF
//! included.

use std::path::{Path, PathBuf};

use armistice::syntax::{self, Node};
use armistice::{Dist, Scenario, validate};
use assert_cmd::cargo::cargo_bin_cmd;

use crate::common::shipped_scenarios;

/// The node of field path `path` (`aid[1].cutoff.continue_probability`) in a syntax tree.
fn node_at<'t>(root: &'t Node, path: &str) -> Option<&'t Node> {
    let mut node = root;
    for part in path.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((n, i)) => (n, Some(i.trim_end_matches(']').parse::<usize>().ok()?)),
            None => (part, None),
        };
        node = node.field(name)?;
        if let Some(i) = index {
            node = &node.group()?.entries.get(i)?.value;
        }
    }
    Some(node)
}

/// Line numbers (1-based) where two texts differ; `None` when the line counts differ.
fn changed_lines(a: &str, b: &str) -> Option<Vec<usize>> {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('\n').collect(), b.split('\n').collect());
    (a.len() == b.len()).then(|| {
        (0..a.len())
            .filter(|&i| a[i] != b[i])
            .map(|i| i + 1)
            .collect()
    })
}

/// Three inputs written in the file, with new fixed values the scenario accepts, and the
/// lines they are on.
fn three_changes(text: &str) -> (Scenario, Vec<(String, f64)>, Vec<usize>) {
    let sc = armistice::parse_str(text, "s").unwrap();
    let tree = syntax::parse(text).unwrap();
    let inputs = sc.inputs();
    let mut chosen = Vec::new();
    let mut lines = Vec::new();
    let mut edited = sc.clone();
    let order: Vec<usize> = (0..inputs.len())
        .step_by(7)
        .chain(0..inputs.len())
        .collect();
    for i in order {
        let info = &inputs[i];
        let Some(node) = node_at(&tree.root, &info.path) else {
            continue;
        };
        let line = syntax::line_col(text, node.span.start).0;
        if lines.contains(&line) || text[node.span.clone()].contains('\n') {
            continue;
        }
        let central = info.input.value.central();
        let new = if info.input.value.is_fixed() {
            central * 0.5
        } else {
            central
        };
        let new = (new * 1000.0).round() / 1000.0;
        if !info.spec.accepts(new) {
            continue;
        }
        let mut trial = edited.clone();
        trial.update_input(&info.path, |inp| inp.value = Dist::Fixed(new));
        if trial == edited || validate(trial.clone()).is_err() {
            continue;
        }
        edited = trial;
        chosen.push((info.path.clone(), new));
        lines.push(line);
        if chosen.len() == 3 {
            break;
        }
    }
    assert_eq!(chosen.len(), 3);
    lines.sort();
    (edited, chosen, lines)
}

fn copy_of(dir: &Path, from: &Path) -> PathBuf {
    let p = dir.join(from.file_name().unwrap());
    std::fs::copy(from, &p).unwrap();
    p
}

#[test]
fn three_changed_values_change_exactly_their_lines() {
    for path in shipped_scenarios() {
        let dir = tempfile::tempdir().unwrap();
        let original = std::fs::read_to_string(&path).unwrap();
        let (edited, chosen, lines) = three_changes(&original);
        let name = path.display();

        // Through the library, as the app's Save does.
        let lib = copy_of(dir.path(), &path);
        let loaded = armistice::parse_str(&original, "s").unwrap();
        armistice::save_edited(&lib, &edited, Some(&lib), &loaded).unwrap();
        let lib_text = std::fs::read_to_string(&lib).unwrap();
        assert_eq!(
            changed_lines(&original, &lib_text),
            Some(lines.clone()),
            "{name}"
        );
        assert_eq!(armistice::load_file(&lib).unwrap().scenario(), &edited);

        // Through `armistice set`, into another file.
        let out = dir.path().join("set.ron");
        let mut cmd = cargo_bin_cmd!("armistice");
        cmd.arg("set").arg(&path);
        for (p, v) in &chosen {
            cmd.arg(format!("{p}={v}"));
        }
        let done = cmd.arg("--out").arg(&out).output().unwrap();
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        assert_eq!(std::fs::read_to_string(&out).unwrap(), lib_text, "{name}");
    }
}

#[test]
fn nothing_changed_saves_the_same_bytes_with_bom_and_crlf() {
    for path in shipped_scenarios() {
        let dir = tempfile::tempdir().unwrap();
        let original = std::fs::read_to_string(&path).unwrap();
        for text in [
            original.clone(),
            format!("\u{feff}{}", original.replace('\n', "\r\n")),
        ] {
            let file = dir.path().join("s.ron");
            std::fs::write(&file, &text).unwrap();
            let sc = armistice::load_file(&file).unwrap().into_inner();
            armistice::save_edited(&file, &sc, Some(&file), &sc).unwrap();
            assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
            // And with one change, the BOM and every CRLF stay. The change is made to the
            // scenario as read from this text: a multi-line string (a lesson's) read from a
            // CRLF file holds CRLF line ends.
            let (_, chosen, lines) = three_changes(&original);
            let mut edited = sc.clone();
            for (p, v) in &chosen {
                edited.update_input(p, |inp| inp.value = Dist::Fixed(*v));
            }
            armistice::save_edited(&file, &edited, Some(&file), &sc).unwrap();
            let saved = std::fs::read_to_string(&file).unwrap();
            assert_eq!(saved.starts_with('\u{feff}'), text.starts_with('\u{feff}'));
            assert_eq!(saved.matches("\r\n").count(), text.matches("\r\n").count());
            let plain = |s: &str| s.trim_start_matches('\u{feff}').replace("\r\n", "\n");
            assert_eq!(changed_lines(&plain(&text), &plain(&saved)), Some(lines));
        }
    }
}

#[cfg(feature = "gui")]
#[test]
fn the_apps_save_keeps_the_files_comments() {
    use armistice::{Action, ArmisticeApp, Settings};
    for (k, path) in shipped_scenarios().iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let original = std::fs::read_to_string(path).unwrap();
        let (edited, _, lines) = three_changes(&original);
        let file = copy_of(dir.path(), path);
        let app = ArmisticeApp::new(Some(file.clone()), Settings::default(), None).unwrap();
        let mut h = egui_kittest::Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .build_ui_state(|ui, app: &mut ArmisticeApp| app.frame(ui), app);
        h.step();
        h.state_mut().state.push(Action::Edit {
            scenario: Box::new(edited.clone()),
            key: "test".into(),
        });
        h.step();
        h.state_mut().state.push(Action::Save);
        h.step();
        assert!(!h.state().state.doc.is_dirty(), "{}", path.display());
        let saved = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            changed_lines(&original, &saved),
            Some(lines.clone()),
            "{}",
            path.display()
        );
        // A shipped scenario opened from the menu and saved as a new file keeps its comments.
        if let Some(i) = armistice::SHIPPED
            .iter()
            .position(|(n, _)| path.ends_with(n))
        {
            let copy = dir.path().join(format!("copy-{k}.ron"));
            h.state_mut().state.push(Action::OpenShipped(i));
            h.step();
            h.state_mut().state.push(Action::Edit {
                scenario: Box::new(edited.clone()),
                key: "test".into(),
            });
            h.step();
            h.state_mut().state.push(Action::SaveAs(copy.clone()));
            h.step();
            let saved = std::fs::read_to_string(&copy).unwrap();
            assert_eq!(
                changed_lines(&original, &saved),
                Some(lines),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn a_new_scenario_from_the_template_keeps_its_comments_when_saved() {
    let text = armistice::TEMPLATE;
    let (edited, _, lines) = three_changes(text);
    let loaded = armistice::parse_str(text, "template").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("new.ron");
    let layout = armistice::save_edited(&file, &edited, None, &loaded).unwrap();
    assert_eq!(layout, armistice::Layout::Preserved);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert_eq!(changed_lines(text, &saved), Some(lines));
}
