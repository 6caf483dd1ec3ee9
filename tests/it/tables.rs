//! The terminal table of `armistice run` lines up by display width: Korean names (two
//! columns a character) and Cyrillic ones (one) keep the numbers in their columns, and a long
//! package name is wrapped onto further lines, never cut.

use assert_cmd::cargo::cargo_bin_cmd;

use crate::common::teaching_text;

/// Terminal columns of `s`, counted independently of the crate: Hangul syllables take two,
/// every other character used here (ASCII, Cyrillic) one.
fn columns(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}

const LONG: &str = "Перемирие с гарантиями безопасности и нейтралитетом на двадцать лет";

#[test]
fn korean_and_cyrillic_names_line_up_and_long_names_wrap_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = teaching_text();
    for (from, to) in [
        ("name: \"Arvenia\"", "name: \"대한민국\""),
        ("name: \"Borsk\"", "name: \"Россия\""),
        (
            "name: \"Ceasefire on the line\"",
            "name: \"휴전 (현 전선)\"",
        ),
        (
            "name: \"Ceasefire with guarantee\"",
            &format!("name: \"{LONG}\""),
        ),
    ] {
        assert_eq!(text.matches(from).count(), 1, "{from}");
        text = text.replacen(from, to, 1);
    }
    let file = dir.path().join("names.ron");
    std::fs::write(&file, text).unwrap();
    let out = cargo_bin_cmd!("armistice")
        .args(["run", file.to_str().unwrap(), "-n", "400", "-t", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    let line = |start: &str| -> &str {
        lines
            .iter()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("a line starting {start:?}:\n{table}"))
    };
    // Rows of one block end in the same column (their numbers have fixed widths), whatever
    // the script of the name.
    let blocks: [[&str; 3]; 4] = [
        [
            "* 휴전 (현 전선) ",
            "  Перемирие с гарантиями",
            "  Neutral Arvenia, province returned ",
        ],
        [
            "Mean leverage of 대한민국 at the end ",
            "Mean leverage of Россия at the end ",
            "P(no territorial range at the last table) ",
        ],
        [
            "Leverage of 대한민국 (share) ",
            "Casualties of 대한민국 (troops) ",
            "Casualties of Россия (troops) ",
        ],
        [
            "  대한민국 prefers fighting on ",
            "  Россия prefers fighting on ",
            "  no acceptable package would hold ",
        ],
    ];
    for block in blocks {
        let width = columns(line(block[2]));
        for start in block {
            let row = line(start);
            assert_eq!(columns(row), width, "{row:?} in\n{table}");
        }
    }
    // The long name, wrapped: its first line carries the numbers, the rest follows indented,
    // and nothing is cut.
    let at = lines
        .iter()
        .position(|l| l.starts_with("  Перемирие"))
        .unwrap();
    let mut words: Vec<&str> = lines[at]
        .split_whitespace()
        .take_while(|w| w.parse::<f64>().is_err())
        .collect();
    for next in &lines[at + 1..] {
        if !next.starts_with("    ") || next.trim().is_empty() {
            break;
        }
        words.extend(next.split_whitespace());
    }
    assert_eq!(words.join(" "), LONG, "\n{table}");
    assert!(!table.contains('…'), "nothing is clipped:\n{table}");
}
