//! The parser of [`super`]: RON text to a lossless tree, with errors that name what is wrong
//! where it starts (an unclosed string or comment at its opening quote or `/*`).

use super::{
    Entry, Group, Key, Kind, Node, Shape, Span, SyntaxError, Tree, floor_char_boundary, line_col,
};
use crate::scenario::limits::MAX_NESTING;

/// Parses RON text into a lossless tree.
pub fn parse(text: &str) -> Result<Tree, SyntaxError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
        last_string: None,
    };
    p.trivia()?;
    while p.peek() == Some(b'#') {
        p.attribute()?;
        p.trivia()?;
    }
    let root = p.value()?;
    p.trivia()?;
    if p.pos < p.bytes.len() {
        return Err(p.unexpected("the end of the file after the scenario's closing bracket"));
    }
    Ok(Tree { root })
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    /// The span of the last string read that spans several lines: the likely culprit when the
    /// text goes wrong right after it (its closing quote is missing).
    last_string: Option<(Span, usize)>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, k: usize) -> Option<u8> {
        self.bytes.get(self.pos + k).copied()
    }

    fn err(&self, offset: usize, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            offset,
            message: message.into(),
        }
    }

    /// An error at the current position: `expected` is what should come here.
    fn unexpected(&self, expected: &str) -> SyntaxError {
        // A string that ran over several lines and was followed by nonsense has almost
        // certainly lost its closing quote: say so at its start.
        if let Some((span, after)) = &self.last_string
            && *after == self.pos
        {
            let (line, _) = line_col(self.text, span.end);
            return self.err(
                span.start,
                format!(
                    "this string is not closed: its closing `\"` is missing, so the text up to \
                     line {line} was read as part of it"
                ),
            );
        }
        let found = match self.peek() {
            None => "the end of the file".to_string(),
            Some(_) => {
                let rest = &self.text[floor_char_boundary(self.text, self.pos)..];
                let token: String = match rest.chars().next() {
                    Some(c) if c.is_alphanumeric() || c == '_' => rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
                        .take(40)
                        .collect(),
                    Some(c) => c.to_string(),
                    None => String::new(),
                };
                format!("`{token}`")
            }
        };
        self.err(self.pos, format!("expected {expected}, found {found}"))
    }

    /// Skips whitespace and comments.
    fn trivia(&mut self) -> Result<(), SyntaxError> {
        loop {
            match self.peek() {
                Some(b) if b.is_ascii_whitespace() => self.pos += 1,
                Some(b'/') if self.peek_at(1) == Some(b'/') => {
                    while let Some(b) = self.peek() {
                        if b == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                Some(b'/') if self.peek_at(1) == Some(b'*') => {
                    let start = self.pos;
                    self.pos += 2;
                    let mut level = 1usize;
                    while level > 0 {
                        match (self.peek(), self.peek_at(1)) {
                            (None, _) => {
                                return Err(self.err(
                                    start,
                                    "this comment is not closed: `/*` needs a matching `*/`",
                                ));
                            }
                            (Some(b'*'), Some(b'/')) => {
                                level -= 1;
                                self.pos += 2;
                            }
                            (Some(b'/'), Some(b'*')) => {
                                level += 1;
                                self.pos += 2;
                            }
                            _ => self.pos += 1,
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    /// `#![enable(...)]` before the value.
    fn attribute(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == b']' {
                return Ok(());
            }
        }
        Err(self.err(
            start,
            "this attribute is not closed: `#![` needs a matching `]`",
        ))
    }

    fn ident(&mut self) -> Option<(String, Span)> {
        let start = self.pos;
        if self.peek() == Some(b'r') && self.peek_at(1) == Some(b'#') {
            let s = self.pos + 2;
            if self.bytes.get(s).is_some_and(|b| is_ident_char(*b)) {
                self.pos = s;
                while self
                    .peek()
                    .is_some_and(|b| is_ident_char(b) || b == b'.' || b == b'+' || b == b'-')
                {
                    self.pos += 1;
                }
                return Some((self.text[s..self.pos].to_string(), start..self.pos));
            }
        }
        if !self.peek().is_some_and(is_ident_start) {
            return None;
        }
        while self.peek().is_some_and(is_ident_char) {
            self.pos += 1;
        }
        Some((self.text[start..self.pos].to_string(), start..self.pos))
    }

    fn value(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        let Some(b) = self.peek() else {
            return Err(self.unexpected("a value"));
        };
        match b {
            b'(' | b'[' | b'{' => self.group(None, start),
            b'"' => self.string(start, start, false),
            b'\'' => self.char_lit(start, start),
            b'b' if self.peek_at(1) == Some(b'"') => self.string(start, start + 1, false),
            b'b' if self.peek_at(1) == Some(b'\'') => self.char_lit(start, start + 1),
            b'r' if matches!(self.peek_at(1), Some(b'"' | b'#'))
                && !(self.peek_at(1) == Some(b'#')
                    && self.peek_at(2).is_some_and(is_ident_start)) =>
            {
                self.string(start, start + 1, true)
            }
            b'b' if self.peek_at(1) == Some(b'r')
                && matches!(self.peek_at(2), Some(b'"' | b'#')) =>
            {
                self.string(start, start + 2, true)
            }
            b'0'..=b'9' | b'-' | b'+' | b'.' => Ok(self.number(start)),
            _ => {
                if (b == b'i' || b == b'N')
                    && (self.text[start..].starts_with("inf")
                        || self.text[start..].starts_with("NaN"))
                {
                    let n = self.number(start);
                    if n.span.end - n.span.start == 3 {
                        return Ok(n);
                    }
                    self.pos = start;
                }
                let Some((name, _)) = self.ident() else {
                    return Err(self.unexpected("a value"));
                };
                let after = self.pos;
                self.trivia()?;
                if self.peek() == Some(b'(') {
                    return self.group(Some(name), start);
                }
                self.pos = after;
                Ok(Node {
                    span: start..after,
                    kind: Kind::Ident(name),
                })
            }
        }
    }

    fn number(&mut self, start: usize) -> Node {
        if matches!(self.peek(), Some(b'-' | b'+')) {
            self.pos += 1;
        }
        let hex =
            self.text[self.pos..].starts_with("0x") || self.text[self.pos..].starts_with("0X");
        while let Some(b) = self.peek() {
            let exponent_sign = (b == b'-' || b == b'+')
                && !hex
                && matches!(self.bytes.get(self.pos - 1), Some(b'e' | b'E'));
            if !(is_ident_char(b) || b == b'.' || exponent_sign) {
                break;
            }
            self.pos += 1;
        }
        Node {
            span: start..self.pos,
            kind: Kind::Number,
        }
    }

    /// A string starting at `start` whose quote (or `#`s of a raw string) is at `quote`.
    fn string(&mut self, start: usize, quote: usize, raw: bool) -> Result<Node, SyntaxError> {
        self.pos = quote;
        let not_closed = |p: &Self| {
            p.err(
                start,
                "this string is not closed: its closing `\"` is missing (the file ends inside it)",
            )
        };
        if raw {
            let mut hashes = 0;
            while self.peek() == Some(b'#') {
                hashes += 1;
                self.pos += 1;
            }
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("`\"` to open a raw string"));
            }
            self.pos += 1;
            let body = self.pos;
            let closing: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let Some(k) = self.text[body..].find(&closing) else {
                return Err(not_closed(self));
            };
            self.pos = body + k + closing.len();
            let content = self.text[body..body + k].to_string();
            return Ok(self.finish_string(start, content));
        }
        self.pos += 1;
        let mut content = String::new();
        loop {
            let Some(b) = self.peek() else {
                return Err(not_closed(self));
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    let esc = self.pos;
                    self.pos += 1;
                    let Some(c) = self.peek() else {
                        return Err(not_closed(self));
                    };
                    self.pos += 1;
                    match c {
                        b'n' => content.push('\n'),
                        b't' => content.push('\t'),
                        b'r' => content.push('\r'),
                        b'0' => content.push('\0'),
                        b'\\' => content.push('\\'),
                        b'"' => content.push('"'),
                        b'\'' => content.push('\''),
                        b'\n' => {
                            // A line continuation: skip the next line's indentation.
                            while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
                                self.pos += 1;
                            }
                        }
                        b'x' => {
                            let hex = self.text.get(self.pos..self.pos + 2).unwrap_or("");
                            let v = u8::from_str_radix(hex, 16).map_err(|_| {
                                self.err(esc, "invalid escape: `\\x` needs two hex digits")
                            })?;
                            content.push(char::from(v));
                            self.pos += 2;
                        }
                        b'u' => {
                            let rest = &self.text[self.pos..];
                            let close = rest
                                .strip_prefix('{')
                                .and_then(|r| r.find('}'))
                                .ok_or_else(|| {
                                    self.err(esc, "invalid escape: write `\\u{XXXX}`")
                                })?;
                            let code = u32::from_str_radix(&rest[1..=close], 16)
                                .ok()
                                .and_then(char::from_u32)
                                .ok_or_else(|| {
                                    self.err(esc, "invalid escape: `\\u{..}` is not a character")
                                })?;
                            content.push(code);
                            self.pos += close + 2;
                        }
                        _ => {
                            return Err(self.err(
                                esc,
                                "invalid escape in a string: use `\\\\` for a backslash",
                            ));
                        }
                    }
                }
                _ => {
                    let rest = &self.text[self.pos..];
                    let c = rest.chars().next().unwrap_or('\u{fffd}');
                    content.push(c);
                    self.pos += c.len_utf8().max(1);
                }
            }
        }
        Ok(self.finish_string(start, content))
    }

    fn finish_string(&mut self, start: usize, content: String) -> Node {
        let span = start..self.pos;
        let after_string = self.pos;
        if self.text[span.clone()].contains('\n') {
            // Remember where the next token starts, to blame this string if it is wrong.
            let mut probe = Parser {
                text: self.text,
                bytes: self.bytes,
                pos: self.pos,
                depth: 0,
                last_string: None,
            };
            if probe.trivia().is_ok() {
                self.last_string = Some((span.clone(), probe.pos));
            }
        }
        self.pos = after_string;
        Node {
            span,
            kind: Kind::Str(content),
        }
    }

    fn char_lit(&mut self, start: usize, quote: usize) -> Result<Node, SyntaxError> {
        self.pos = quote + 1;
        if self.peek() == Some(b'\\') {
            self.pos += 1;
        }
        let c = self.text[self.pos..].chars().next();
        self.pos += c.map_or(0, char::len_utf8);
        while self.peek().is_some_and(|b| b != b'\'' && b != b'\n') {
            self.pos += 1;
        }
        if self.peek() != Some(b'\'') {
            return Err(self.err(
                start,
                "this character literal is not closed: `'` is missing",
            ));
        }
        self.pos += 1;
        Ok(Node {
            span: start..self.pos,
            kind: Kind::Char,
        })
    }

    fn group(&mut self, name: Option<String>, start: usize) -> Result<Node, SyntaxError> {
        if self.depth >= MAX_NESTING {
            return Err(self.err(
                self.pos,
                format!(
                    "brackets are nested more than {MAX_NESTING} deep; a scenario never needs that many"
                ),
            ));
        }
        self.depth += 1;
        let open = self.pos;
        let (close_byte, mut shape) = match self.peek() {
            Some(b'[') => (b']', Shape::List),
            Some(b'{') => (b'}', Shape::Map),
            _ => (b')', Shape::Tuple),
        };
        self.pos += 1;
        let mut entries: Vec<Entry> = Vec::new();
        loop {
            self.trivia()?;
            if self.peek() == Some(close_byte) {
                break;
            }
            let entry_start = self.pos;
            let key = match shape {
                Shape::Map => {
                    let k = self.value()?;
                    self.trivia()?;
                    if self.peek() != Some(b':') {
                        return Err(self.unexpected("`:` after the map key"));
                    }
                    self.pos += 1;
                    self.trivia()?;
                    Some(Key::Value(k))
                }
                Shape::List => None,
                Shape::Tuple | Shape::Struct => {
                    // A field `name:` makes the group a struct.
                    let save = self.pos;
                    let mut key = None;
                    if let Some((n, span)) = self.ident() {
                        self.trivia()?;
                        if self.peek() == Some(b':') {
                            self.pos += 1;
                            self.trivia()?;
                            key = Some(Key::Field(n, span));
                        } else {
                            self.pos = save;
                        }
                    }
                    if entries.is_empty() && key.is_some() {
                        shape = Shape::Struct;
                    } else if (shape == Shape::Struct) != key.is_some() {
                        return Err(if shape == Shape::Struct {
                            self.unexpected("a field name followed by `:`")
                        } else {
                            self.unexpected("a value (this group has no field names)")
                        });
                    }
                    key
                }
            };
            let value = self.value()?;
            let span = entry_start..value.span.end;
            self.trivia()?;
            let comma = if self.peek() == Some(b',') {
                self.pos += 1;
                Some(self.pos - 1)
            } else {
                None
            };
            entries.push(Entry {
                key,
                value,
                span,
                comma,
            });
            if comma.is_none() {
                self.trivia()?;
                if self.peek() != Some(close_byte) {
                    let what = match close_byte {
                        b']' => "`,` or `]` closing the list",
                        b'}' => "`,` or `}` closing the map",
                        _ => "`,` or `)` closing the brackets",
                    };
                    return Err(self.unexpected(what));
                }
                break;
            }
        }
        if self.peek() != Some(close_byte) {
            return Err(self.unexpected("a closing bracket"));
        }
        let close = self.pos;
        self.pos += 1;
        self.depth -= 1;
        Ok(Node {
            span: start..self.pos,
            kind: Kind::Group(Group {
                shape,
                name,
                open,
                close,
                entries,
            }),
        })
    }
}
