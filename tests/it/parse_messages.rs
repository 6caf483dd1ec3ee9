//! Parse errors people understand, through the command line: a byte-order mark and CRLF
//! line endings are accepted; a float for an integer, an unclosed string or comment, a key
//! given twice, an out-of-range integer and a misspelled field each get a message saying
//! what is wrong where it starts; warnings are printed and `check` still exits 0.

use assert_cmd::cargo::cargo_bin_cmd;

use crate::hostile::{teaching_text, temp_file};

/// `armistice check` on `text`: (exit code, stdout, stderr).
fn check(text: &str) -> (i32, String, String) {
    let (_dir, path) = temp_file("s.ron", text.as_bytes());
    let out = cargo_bin_cmd!("armistice")
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&path.display().to_string(), "s.ron");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

#[test]
fn a_bom_and_crlf_are_accepted() {
    let text = format!("\u{feff}{}", teaching_text().replace('\n', "\r\n"));
    let (code, stdout, stderr) = check(&text);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("valid"), "{stdout}");
}

#[test]
fn messages_say_what_is_wrong_where_it_starts() {
    let t = teaching_text();
    let title = t.find("title: \"").unwrap() + 7;
    let title_end = title + t[title..].find('\n').unwrap();
    let cases: Vec<(String, &str, String)> = vec![
        (
            t.replacen("trials: 20000,", "trials: 20000.0,", 1),
            "a whole number is expected for `trials`, got 20000.0",
            "trials:".into(),
        ),
        (
            format!("{}\"never closed,{}", &t[..title], &t[title_end..]),
            "this string is not closed",
            "title:".into(),
        ),
        (
            t.replacen("(\n    version", "/* open\n(\n    version", 1),
            "this comment is not closed",
            "/* open".into(),
        ),
        (
            t.replacen("seed: 7,", "seed: -7,", 1),
            "within 0..=18446744073709551615 is expected for `seed`, got -7",
            "seed:".into(),
        ),
        (
            t.replacen("trials: 20000,", "trials: 20000, trials: 3,", 1),
            "`trials` is given twice here; it was first given at line",
            "trials:".into(),
        ),
        (
            t.replacen("manpower:", "manpowr:", 1),
            "did you mean `manpower`?",
            "manpowr".into(),
        ),
    ];
    for (text, says, at) in cases {
        let (code, stdout, stderr) = check(&text);
        assert_eq!(code, 2, "{says}: {stderr}");
        assert!(stdout.is_empty());
        let line = line_of(&text, &at);
        assert!(
            stderr.starts_with(&format!("s.ron:{line}:")),
            "{says}: expected at line {line}: {stderr}"
        );
        assert!(stderr.contains(says), "{says}: {stderr}");
        assert!(!stderr.contains("Expected comma"), "{stderr}");
    }
}

#[test]
fn warnings_are_printed_and_check_still_succeeds() {
    let text = teaching_text().replacen("horizon_months: 12", "horizon_months: 2", 1);
    let (code, stdout, stderr) = check(&text);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("valid"));
    assert!(
        stderr.contains("s.ron: warning: aid[0].cutoff.month"),
        "{stderr}"
    );
    assert!(stderr.contains("after the horizon (2 months)"), "{stderr}");
}
