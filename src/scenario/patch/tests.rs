//! Tests of format-preserving saves: unchanged files keep their bytes, edits change only
//! their lines, added and removed items keep the rest, BOM and CRLF stay.

use super::*;
use crate::scenario::io::SHIPPED;
use crate::scenario::{Dist, Input, Source};

fn changed_lines(a: &str, b: &str) -> Vec<String> {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    let mut out = Vec::new();
    if a.len() == b.len() {
        for (x, y) in a.iter().zip(&b) {
            if x != y {
                out.push(y.to_string());
            }
        }
    } else {
        out.push(format!("{} lines became {}", a.len(), b.len()));
    }
    out
}

#[test]
fn nothing_changed_is_the_same_bytes() {
    for (name, text) in SHIPPED {
        let sc = parse_str(text, name).unwrap();
        let (out, layout) = patch_text(text, &sc).unwrap();
        assert_eq!(layout, Layout::Preserved);
        assert_eq!(out, *text, "{name}");
    }
}

#[test]
fn edited_values_change_only_their_lines() {
    let text = SHIPPED[4].1;
    let mut sc = parse_str(text, "t").unwrap();
    sc.simulation.trials = 5000;
    sc.update_input("sides.a.manpower", |i| i.value = Dist::Fixed(95000.0));
    sc.meta.title = "Changed \"title\"".into();
    let (out, layout) = patch_text(text, &sc).unwrap();
    assert_eq!(layout, Layout::Preserved);
    let changed = changed_lines(text, &out);
    assert_eq!(changed.len(), 3, "{changed:#?}");
    assert!(changed[1].contains("trials: 5000,"), "{changed:#?}");
    assert!(
        changed[2].contains("manpower: (value: Fixed(95000), source: \"invented\")"),
        "{changed:#?}"
    );
    // The comments at the top stay.
    assert!(out.starts_with(&text[..text.find('(').unwrap()]));
}

#[test]
fn added_and_removed_items_keep_the_rest() {
    let text = SHIPPED[0].1;
    let mut sc = parse_str(text, "t").unwrap();
    let mut p = sc.bargaining.packages[1].clone();
    p.name = "A new package".into();
    sc.bargaining.packages.insert(2, p);
    sc.bargaining.packages.remove(4);
    sc.meta.sources.push(Source {
        id: "new-source".into(),
        citation: "A new citation".into(),
        url: None,
        publication: None,
        date: Some("2025".into()),
    });
    sc.sides.b.quality = Input::fixed(1.5).with_note("added note");
    let (out, layout) = patch_text(text, &sc).unwrap();
    assert_eq!(layout, Layout::Preserved);
    assert_eq!(parse_str(&out, "o").unwrap(), sc);
    // Every comment line of the original is still there.
    for l in text.lines().filter(|l| l.trim_start().starts_with("//")) {
        assert!(out.contains(l), "lost: {l}");
    }
    assert!(
        out.contains("(id: \"new-source\", citation: \"A new citation\", date: \"2025\"),"),
        "{out}"
    );
}

#[test]
fn bom_and_crlf_are_kept() {
    let text = format!("{BOM}{}", SHIPPED[4].1.replace('\n', "\r\n"));
    let mut sc = parse_str(&text, "t").unwrap();
    sc.simulation.seed = 99;
    sc.bargaining.packages[0].description = "Two\nlines".into();
    let (out, layout) = patch_text(&text, &sc).unwrap();
    assert_eq!(layout, Layout::Preserved);
    assert!(out.starts_with(BOM));
    // Every line ends in CRLF but the line break inside the new description.
    assert_eq!(out.matches('\n').count(), out.matches("\r\n").count() + 1);
    assert!(out.contains("Two\nlines"));
    assert_eq!(parse_str(&out, "o").unwrap(), sc);
}

#[test]
fn every_single_edit_of_a_shipped_scenario_keeps_the_layout() {
    for (name, text) in SHIPPED {
        let sc = parse_str(text, name).unwrap();
        let check = |edited: &Scenario, what: &str| {
            let (out, layout) = patch_text(text, edited).unwrap();
            assert_eq!(layout, Layout::Preserved, "{name}: {what}");
            assert_eq!(parse_str(&out, "o").unwrap(), *edited, "{name}: {what}");
        };
        for (k, info) in sc.inputs().into_iter().enumerate() {
            let mut e = sc.clone();
            let x = info.input.value.central() + 1.0;
            e.update_input(&info.path, |i| i.value = Dist::Fixed(x));
            check(&e, &info.path);
            if k % 4 != 0 {
                continue;
            }
            let mut e = sc.clone();
            e.update_input(&info.path, |i| i.note = Some("a new note".into()));
            check(&e, &info.path);
        }
        for k in 0..sc.bargaining.packages.len() {
            let mut e = sc.clone();
            e.bargaining.packages.remove(k);
            check(&e, "a package removed");
            let mut e = sc.clone();
            let mut p = e.bargaining.packages[k].clone();
            p.name = format!("{} (copy)", p.name);
            e.bargaining.packages.insert(k + 1, p);
            check(&e, "a package duplicated");
        }
        for k in 0..sc.aid.len() {
            let mut e = sc.clone();
            e.aid.remove(k);
            check(&e, "an aid stream removed");
        }
        let mut e = sc.clone();
        e.meta.sources.clear();
        check(&e, "all sources removed");
    }
}

#[test]
fn moved_items_keep_their_lines_and_the_comments_around_them() {
    for (name, text) in SHIPPED {
        let sc = parse_str(text, name).unwrap();
        let n = sc.bargaining.packages.len();
        for k in 1..n {
            // Up one place, as the app's "move up" does, and with a change inside.
            let mut e = sc.clone();
            e.bargaining.packages.swap(k - 1, k);
            e.bargaining.packages[k - 1].description = "moved".into();
            let (out, layout) = patch_text(text, &e).unwrap();
            assert_eq!(layout, Layout::Preserved, "{name}: package {k} up");
            assert_eq!(parse_str(&out, "o").unwrap(), e, "{name}");
            for l in text.lines().filter(|l| l.trim_start().starts_with("//")) {
                assert!(out.contains(l), "{name}: lost {l}");
            }
            assert_eq!(
                out.lines().count(),
                text.lines().count(),
                "{name}: package {k} up"
            );
        }
        // The last to the front, and a new one at the end.
        let mut e = sc.clone();
        let last = e.bargaining.packages.pop().unwrap();
        e.bargaining.packages.insert(0, last.clone());
        let mut added = last;
        added.name = "Added".into();
        e.bargaining.packages.push(added);
        let (out, layout) = patch_text(text, &e).unwrap();
        assert_eq!(layout, Layout::Preserved, "{name}: last to front");
        assert_eq!(parse_str(&out, "o").unwrap(), e, "{name}");
    }
}
