//! Text helpers of format-preserving saves: lines and their indentation, CRLF outside string
//! literals, the file's way of writing whole numbers, and the items that keep their order.

use crate::scenario::syntax::{Kind, Node};

/// `text` with its line ends outside string literals written as CRLF (a string's own line
/// breaks are its content).
pub(super) fn crlf_outside_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut chars = text.chars().peekable();
    // Inside a string: the closing quote and, for a raw string, its `#`s.
    let mut closing: Option<String> = None;
    let mut prev = '\0';
    while let Some(c) = chars.next() {
        match &closing {
            Some(end) => {
                out.push(c);
                if c == '\\' && end == "\"" {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                } else if c == '"' {
                    let hashes = end.len() - 1;
                    let mut n = 0;
                    while n < hashes && chars.peek() == Some(&'#') {
                        out.push('#');
                        chars.next();
                        n += 1;
                    }
                    if n == hashes {
                        closing = None;
                    }
                }
            }
            None => {
                if c == '\n' && prev != '\r' {
                    out.push('\r');
                }
                out.push(c);
                if c == '"' {
                    // A raw string's opening `r#..#"`: count the hashes before the quote.
                    let hashes = out[..out.len() - 1]
                        .chars()
                        .rev()
                        .take_while(|&h| h == '#')
                        .count();
                    let raw = out[..out.len() - 1 - hashes].ends_with('r');
                    closing = Some(format!(
                        "\"{}",
                        if raw {
                            "#".repeat(hashes)
                        } else {
                            String::new()
                        }
                    ));
                }
            }
        }
        prev = c;
    }
    out
}

/// True when the text writes more whole numbers without a fraction than with `.0`.
pub(super) fn plain_integers(text: &str, root: &Node) -> bool {
    let (mut plain, mut dotted) = (0usize, 0usize);
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match &n.kind {
            Kind::Number => {
                let s = &text[n.span.clone()];
                if s.ends_with(".0") {
                    dotted += 1;
                } else if s.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                    plain += 1;
                }
            }
            Kind::Group(g) => stack.extend(g.entries.iter().map(|e| &e.value)),
            _ => {}
        }
    }
    plain >= dotted
}

/// The values of the longest strictly increasing subsequence of `xs`.
pub(super) fn longest_increasing(xs: &[usize]) -> Vec<usize> {
    let n = xs.len();
    let mut len = vec![1usize; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        for j in 0..i {
            if xs[j] < xs[i] && len[j] + 1 > len[i] {
                len[i] = len[j] + 1;
                prev[i] = j;
            }
        }
    }
    let Some(mut i) = (0..n).max_by_key(|&i| (len[i], std::cmp::Reverse(i))) else {
        return Vec::new();
    };
    let mut out = vec![xs[i]];
    while prev[i] != usize::MAX {
        i = prev[i];
        out.push(xs[i]);
    }
    out.reverse();
    out
}

/// Start of the line holding `at`, and its indentation.
pub(super) fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

pub(super) fn indent_of(text: &str, at: usize) -> &str {
    let s = line_start(text, at);
    let line = &text[s..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// True when only blanks stand before `at` on its line.
pub(super) fn starts_line(text: &str, at: usize) -> bool {
    text[line_start(text, at)..at].trim().is_empty()
}

/// The end of the line holding `at` (the offset of its `\n`, or the end of the text).
pub(super) fn line_end(text: &str, at: usize) -> usize {
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if end > at && text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    }
}
