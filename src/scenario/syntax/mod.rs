//! A lossless syntax tree of RON text: every value with its byte span in the original text,
//! so that diagnostics can name the exact place and saves can patch only what changed. It
//! knows RON's grammar, not the scenario's fields.
//!
//! The tree holds spans, not text: whitespace and comments stay where they are in the text,
//! which is what makes the tree lossless (the text is never re-printed from the tree).

use std::ops::Range;

mod parser;

pub use parser::parse;

/// A byte range of the text.
pub type Span = Range<usize>;

/// One value.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the value is in the text.
    pub span: Span,
    /// What it is.
    pub kind: Kind,
}

/// What a value is.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A number as written (`12`, `-0.5`, `1e6`, `0x10`, `inf`).
    Number,
    /// A string (normal, raw or byte string), with its unescaped content.
    Str(String),
    /// A character literal.
    Char,
    /// An identifier on its own: `true`, `None`, `Line`, `Nash`.
    Ident(String),
    /// Brackets with entries: a struct, tuple, list or map, optionally named.
    Group(Group),
}

/// The shape of a bracketed value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `(name: value, ...)`, optionally named: `Name(a: 1)`.
    Struct,
    /// `(value, ...)`, optionally named: `Some(x)`, `Fixed(20)`, `()`.
    Tuple,
    /// `[value, ...]`.
    List,
    /// `{key: value, ...}`.
    Map,
}

/// A bracketed value.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Parentheses, brackets or braces.
    pub shape: Shape,
    /// The name before the bracket (`Triangular` in `Triangular(min: 1, ...)`).
    pub name: Option<String>,
    /// Offset of the opening bracket.
    pub open: usize,
    /// Offset of the closing bracket.
    pub close: usize,
    /// The entries between the brackets, in order.
    pub entries: Vec<Entry>,
}

/// The key of an entry.
#[derive(Clone, Debug, PartialEq)]
pub enum Key {
    /// A struct field's name.
    Field(String, Span),
    /// A map entry's key.
    Value(Node),
}

/// One entry of a group: a struct field, a tuple or list item, or a map entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The field name or map key; none for a tuple or list item.
    pub key: Option<Key>,
    /// The entry's value.
    pub value: Node,
    /// From the key (or the value when there is none) to the end of the value.
    pub span: Span,
    /// Offset of the comma after the entry, if there is one.
    pub comma: Option<usize>,
}

impl Entry {
    /// The field name, for struct fields.
    pub fn field(&self) -> Option<&str> {
        match &self.key {
            Some(Key::Field(name, _)) => Some(name),
            _ => None,
        }
    }

    /// Where the entry's key starts (its value, when it has no key).
    pub fn key_span(&self) -> Span {
        match &self.key {
            Some(Key::Field(_, s)) => s.clone(),
            Some(Key::Value(n)) => n.span.clone(),
            None => self.value.span.clone(),
        }
    }
}

impl Node {
    /// The bracketed value, when it is one.
    pub fn group(&self) -> Option<&Group> {
        match &self.kind {
            Kind::Group(g) => Some(g),
            _ => None,
        }
    }

    /// The value of struct field `name`.
    pub fn field(&self, name: &str) -> Option<&Node> {
        self.group()?
            .entries
            .iter()
            .find(|e| e.field() == Some(name))
            .map(|e| &e.value)
    }
}

/// A parsed text: the top-level value and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Tree {
    /// The top-level value.
    pub root: Node,
}

/// A syntax error: where (a byte offset) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset of the error.
    pub offset: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

/// 1-based line and column (in characters) of byte `offset` of `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Byte offset of 1-based `line` and `column` (in characters) of `text`, clamped to the text.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[start..];
    let end = rest.find('\n').unwrap_or(rest.len());
    rest[..end]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(start + end, |(i, _)| start + i)
}

pub(crate) fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Every key given twice in one struct or map: `(first, second, key)` spans of the keys,
/// in text order.
pub fn duplicate_keys(tree: &Tree, text: &str) -> Vec<(Span, Span, String)> {
    let mut out = Vec::new();
    let mut stack = vec![&tree.root];
    while let Some(node) = stack.pop() {
        let Some(g) = node.group() else { continue };
        let mut seen: Vec<(String, Span)> = Vec::new();
        for e in &g.entries {
            stack.push(&e.value);
            let key = match &e.key {
                Some(Key::Field(n, _)) => n.clone(),
                Some(Key::Value(k)) => match &k.kind {
                    Kind::Str(s) => format!("\"{s}\""),
                    _ => text[k.span.clone()].to_string(),
                },
                None => continue,
            };
            let span = e.key_span();
            match seen.iter().find(|(k, _)| *k == key) {
                Some((_, first)) => out.push((first.clone(), span, key)),
                None => seen.push((key, span)),
            }
        }
    }
    out.sort_by_key(|(_, second, _)| second.start);
    out
}

/// The path of struct fields and item indices to the innermost entry containing `offset`,
/// e.g. `["simulation", "trials"]` or `["aid", "[1]", "cutoff"]`, with the entry.
pub fn entry_at(tree: &Tree, offset: usize) -> (Vec<String>, Option<&Entry>) {
    let mut path = Vec::new();
    let mut found = None;
    let mut node = &tree.root;
    while let Some(g) = node.group() {
        let inside = g.entries.iter().enumerate().find(|(_, e)| {
            let end = e.comma.map_or(e.span.end, |c| c + 1);
            e.span.start <= offset && offset < end.max(e.span.end + 1)
        });
        let Some((i, e)) = inside else { break };
        match &e.key {
            Some(Key::Field(n, _)) => path.push(n.clone()),
            Some(Key::Value(k)) => path.push(match &k.kind {
                Kind::Str(s) => format!("[\"{s}\"]"),
                _ => format!("[{i}]"),
            }),
            None => {
                if g.name.is_none() || g.shape == Shape::List {
                    path.push(format!("[{i}]"));
                }
            }
        }
        found = Some(e);
        node = &e.value;
    }
    (path, found)
}

/// Joins a path from [`entry_at`] as the scenario's field paths are written
/// (`aid[1].cutoff`).
#[cfg(test)]
pub fn join_path(path: &[String]) -> String {
    let mut s = String::new();
    for p in path {
        if !s.is_empty() && !p.starts_with('[') {
            s.push('.');
        }
        s.push_str(p);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_values_with_spans() {
        let text = "// c\n(a: 1, b: [1, 2,], c: {\"k\": Fixed(2)}, d: Some((x: r#\"q\"#)), e: None, f: 'x',)";
        let t = parse(text).unwrap();
        let g = t.root.group().unwrap();
        assert_eq!(g.shape, Shape::Struct);
        assert_eq!(g.entries.len(), 6);
        let b = t.root.field("b").unwrap();
        assert_eq!(&text[b.span.clone()], "[1, 2,]");
        assert_eq!(b.group().unwrap().entries.len(), 2);
        let c = t.root.field("c").unwrap().group().unwrap();
        assert_eq!(c.shape, Shape::Map);
        assert_eq!(&text[c.entries[0].value.span.clone()], "Fixed(2)");
        let d = t.root.field("d").unwrap();
        assert_eq!(d.group().unwrap().name.as_deref(), Some("Some"));
        assert_eq!(t.root.field("e").unwrap().kind, Kind::Ident("None".into()));
    }

    #[test]
    fn unclosed_strings_and_comments_are_reported_at_their_start() {
        let text = "(\n  a: \"open,\n  b: \"x\",\n)";
        let e = parse(text).unwrap_err();
        assert_eq!(line_col(text, e.offset), (2, 6));
        assert!(e.message.contains("string is not closed"), "{}", e.message);
        let text = "(a: 1, /* never\n closed\n b: 2)";
        let e = parse(text).unwrap_err();
        assert_eq!(line_col(text, e.offset), (1, 8));
        assert!(e.message.contains("comment is not closed"));
        let e = parse("(a: \"x").unwrap_err();
        assert_eq!(e.offset, 4);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = "[".repeat(100_000);
        assert!(parse(&text).unwrap_err().message.contains("nested"));
    }

    #[test]
    fn duplicate_keys_are_found_with_both_positions() {
        let text = "(a: {\"x\": 1, \"y\": 2, \"x\": 3}, b: 1, b: 2)";
        let t = parse(text).unwrap();
        let d = duplicate_keys(&t, text);
        assert_eq!(d.len(), 2);
        assert_eq!(&text[d[0].0.clone()], "\"x\"");
        assert_eq!(d[0].1.start, 21);
        assert_eq!(d[1].2, "b");
    }

    #[test]
    fn positions_convert_both_ways() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 5), (2, 3));
        assert_eq!(offset_of(text, 2, 3), 5);
        assert_eq!(offset_of(text, 3, 1), 8);
        assert_eq!(offset_of(text, 9, 1), text.len());
    }

    #[test]
    fn entry_at_names_the_field_path() {
        let text = "(sim: (trials: 20000.0), aid: [(c: 1), (c: 2)])";
        let t = parse(text).unwrap();
        let (p, _) = entry_at(&t, text.find("20000").unwrap() + 5);
        assert_eq!(join_path(&p), "sim.trials");
        let (p, e) = entry_at(&t, text.rfind("c: 2").unwrap() + 3);
        assert_eq!(join_path(&p), "aid[1].c");
        assert_eq!(e.unwrap().field(), Some("c"));
    }
}
