//! Format-preserving saves: a scenario is written over the text it came from, changing only
//! what changed. Comments, blank lines, order and layout stay; an edited value is replaced
//! where it stands; an added item is written in the file's layout after its neighbour; a
//! removed item goes with its line. A byte-order mark and CRLF line endings are kept.
//!
//! It works on RON syntax, not on the scenario's fields: the old and the new scenario are both
//! written canonically and parsed into [`super::syntax`] trees; the difference of those two
//! trees (struct fields by name, list items by position when the lengths agree and otherwise
//! by their `name` or `id`, map entries by key) says what changed, and each change is applied
//! to the matching place of the original text's tree; named items that changed places move
//! with their own lines. The result is parsed back and must equal
//! the new scenario; if it does not (a layout the patcher cannot follow), the canonical text is
//! written instead.

use super::diagnose::BOM;
use super::error::SaveError;
use super::io::{parse_str, to_ron_string};
use super::syntax::{self, Entry, Group, Key, Kind, Node, Shape};
use super::types::Scenario;
use text::{
    crlf_outside_strings, indent_of, line_end, line_start, longest_increasing, plain_integers,
    starts_line,
};

/// How a save was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// The original text with only the changes patched in.
    Preserved,
    /// The canonical text (the original could not be followed).
    Canonical,
}

/// One replacement of a byte range of the original text.
#[derive(Clone, Debug)]
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

/// The three texts a save looks at: the original and the canonical forms of the old and
/// the new scenario, with their trees.
struct Texts<'a> {
    orig: &'a str,
    old: &'a str,
    new: &'a str,
    /// The original writes whole numbers without `.0` (`20`, not `20.0`).
    plain_integers: bool,
}

/// The text to save `new` as, patched into `original` (the file as read, with its BOM and
/// line endings), and how it was written.
pub fn patch_text(original: &str, new: &Scenario) -> Result<(String, Layout), SaveError> {
    let canonical = to_ron_string(new)?;
    let (bom, body) = match original.strip_prefix(BOM) {
        Some(b) => (BOM, b),
        None => ("", original),
    };
    let Ok(old) = parse_str(body, "original") else {
        return Ok((canonical, Layout::Canonical));
    };
    if old == *new {
        return Ok((original.to_string(), Layout::Preserved));
    }
    let old_text = to_ron_string(&old)?;
    let crlf = body.contains("\r\n");
    for with_crlf in [crlf, false] {
        if let Some(patched) = patch_body(body, &old_text, &canonical, with_crlf)
            && parse_str(&patched, "patched").is_ok_and(|sc| sc == *new)
        {
            return Ok((format!("{bom}{patched}"), Layout::Preserved));
        }
    }
    Ok((canonical, Layout::Canonical))
}

fn patch_body(body: &str, old_text: &str, new_text: &str, crlf: bool) -> Option<String> {
    let orig_tree = syntax::parse(body).ok()?;
    let old_tree = syntax::parse(old_text).ok()?;
    let new_tree = syntax::parse(new_text).ok()?;
    let t = Texts {
        orig: body,
        old: old_text,
        new: new_text,
        plain_integers: plain_integers(body, &orig_tree.root),
    };
    let mut edits = Vec::new();
    t.diff(&old_tree.root, &new_tree.root, &orig_tree.root, &mut edits)?;
    edits.sort_by_key(|e| (e.start, e.end));
    // Two insertions after the same last entry both add its missing comma: once is enough.
    edits.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.text == "," && b.text == ",");
    let mut out = String::with_capacity(body.len() + 256);
    let mut at = 0;
    for e in &edits {
        if e.start < at {
            return None; // overlapping changes: leave it to the canonical text
        }
        out.push_str(&body[at..e.start]);
        if crlf {
            out.push_str(&crlf_outside_strings(&e.text));
        } else {
            out.push_str(&e.text);
        }
        at = e.end;
    }
    out.push_str(&body[at..]);
    Some(out)
}

fn group(n: &Node) -> Option<&Group> {
    n.group()
}

/// `Some(x)` in the original where the canonical text writes `x` (implicit `Some`).
fn unwrap_some<'n>(t: &'n Node, canonical: &Node) -> &'n Node {
    match (group(t), group(canonical)) {
        (Some(g), c) if g.name.as_deref() == Some("Some") && g.entries.len() == 1 => {
            if c.is_some_and(|c| c.name.as_deref() == Some("Some")) {
                t
            } else {
                &g.entries[0].value
            }
        }
        _ => t,
    }
}

/// The key a list item is matched by: its `name` or `id`, else its whole canonical text.
fn item_key(text: &str, n: &Node) -> String {
    named_key(n).unwrap_or_else(|| text[n.span.clone()].to_string())
}

/// An item's `name` or `id`, when it has one.
fn named_key(n: &Node) -> Option<String> {
    ["name", "id"]
        .iter()
        .find_map(|f| match n.field(f).map(|v| &v.kind) {
            Some(Kind::Str(s)) => Some(format!("{f}={s}")),
            _ => None,
        })
}

fn entry_key(text: &str, e: &Entry) -> String {
    match &e.key {
        Some(Key::Field(n, _)) => n.clone(),
        Some(Key::Value(k)) => match &k.kind {
            Kind::Str(s) => format!("\"{s}\""),
            _ => text[k.span.clone()].to_string(),
        },
        None => String::new(),
    }
}

impl Texts<'_> {
    /// Compact one-line text of a canonical (new) node: `(a: 1, b: [2, 3])`.
    fn compact(&self, n: &Node) -> String {
        match &n.kind {
            Kind::Group(g) => {
                let (open, close) = match g.shape {
                    Shape::List => ('[', ']'),
                    Shape::Map => ('{', '}'),
                    _ => ('(', ')'),
                };
                let items: Vec<String> = g
                    .entries
                    .iter()
                    .map(|e| {
                        let v = self.compact(&e.value);
                        match &e.key {
                            Some(Key::Field(k, _)) => format!("{k}: {v}"),
                            Some(Key::Value(k)) => format!("{}: {v}", self.compact(k)),
                            None => v,
                        }
                    })
                    .collect();
                format!(
                    "{}{open}{}{close}",
                    g.name.as_deref().unwrap_or(""),
                    items.join(", ")
                )
            }
            Kind::Number => self.number(&self.new[n.span.clone()], self.plain_integers),
            _ => self.new[n.span.clone()].to_string(),
        }
    }

    fn number(&self, canonical: &str, plain: bool) -> String {
        match canonical.strip_suffix(".0") {
            Some(whole) if plain => whole.to_string(),
            _ => canonical.to_string(),
        }
    }

    /// The new node's text for the place of `t` in the original: one line where `t` was on
    /// one line (or `compact`), else the canonical lines re-indented to `t`'s indentation.
    fn render(&self, n: &Node, at: usize, one_line: bool) -> String {
        if one_line || !self.new[n.span.clone()].contains('\n') {
            return self.compact(n);
        }
        let from = indent_of(self.new, n.span.start);
        let to = indent_of(self.orig, at);
        let text = &self.new[n.span.clone()];
        let mut out = String::with_capacity(text.len());
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
                out.push_str(to);
                out.push_str(line.strip_prefix(from).unwrap_or(line.trim_start()));
            } else {
                out.push_str(line);
            }
        }
        out
    }

    fn replace(&self, n: &Node, t: &Node, edits: &mut Vec<Edit>) {
        let was = &self.orig[t.span.clone()];
        let text = match (&n.kind, &t.kind) {
            (Kind::Number, Kind::Number) => {
                let plain = !was.contains(['.', 'e', 'E']);
                self.number(&self.new[n.span.clone()], plain)
            }
            _ => self.render(n, t.span.start, !was.contains('\n')),
        };
        edits.push(Edit {
            start: t.span.start,
            end: t.span.end,
            text,
        });
    }

    /// Records the edits that turn `t` (the original's node for canonical `o`) into `n`.
    fn diff(&self, o: &Node, n: &Node, t: &Node, edits: &mut Vec<Edit>) -> Option<()> {
        if self.old[o.span.clone()] == self.new[n.span.clone()] {
            return Some(());
        }
        let t = unwrap_some(t, o);
        let (Some(og), Some(ng), Some(tg)) = (group(o), group(n), group(t)) else {
            self.replace(n, t, edits);
            return Some(());
        };
        let same_kind = og.shape == ng.shape && og.name == ng.name;
        let t_matches = tg.shape == og.shape
            && (tg.name == og.name || (og.shape == Shape::Struct && og.name.is_none()));
        if !same_kind || !t_matches {
            self.replace(n, t, edits);
            return Some(());
        }
        match og.shape {
            Shape::Struct | Shape::Map => self.diff_keyed(og, ng, tg, edits),
            Shape::Tuple | Shape::List => self.diff_items(og, ng, tg, n, t, edits),
        }
    }

    fn diff_keyed(&self, og: &Group, ng: &Group, tg: &Group, edits: &mut Vec<Edit>) -> Option<()> {
        let find = |g: &Group, text: &str, key: &str| {
            g.entries.iter().position(|e| entry_key(text, e) == key)
        };
        let mut last_in_t: Option<usize> = None;
        for ne in &ng.entries {
            let key = entry_key(self.new, ne);
            let oi = find(og, self.old, &key);
            let ti = find(tg, self.orig, &key);
            match (oi, ti) {
                (Some(oi), Some(ti)) => self.diff(
                    &og.entries[oi].value,
                    &ne.value,
                    &tg.entries[ti].value,
                    edits,
                )?,
                // The original writes a value the canonical text leaves out (a default).
                (None, Some(ti)) => self.replace(&ne.value, &tg.entries[ti].value, edits),
                // Left out by the original (a default) and unchanged.
                (Some(oi), None)
                    if self.old[og.entries[oi].value.span.clone()]
                        == self.new[ne.value.span.clone()] => {}
                (_, None) => self.insert(tg, last_in_t, ne, edits),
            }
            if ti.is_some() {
                last_in_t = ti;
            }
        }
        for (ti, te) in tg.entries.iter().enumerate() {
            let key = entry_key(self.orig, te);
            let in_old = find(og, self.old, &key).is_some();
            let in_new = find(ng, self.new, &key).is_some();
            if in_old && !in_new {
                self.remove(tg, ti, edits);
            }
        }
        Some(())
    }

    fn diff_items(
        &self,
        og: &Group,
        ng: &Group,
        tg: &Group,
        n: &Node,
        t: &Node,
        edits: &mut Vec<Edit>,
    ) -> Option<()> {
        if tg.entries.len() != og.entries.len() {
            self.replace(n, t, edits);
            return Some(());
        }
        // Same length: item by item, unless named items changed places (then by name, so a
        // moved item keeps its own lines).
        let named = |g: &Group| -> Option<Vec<String>> {
            g.entries.iter().map(|e| named_key(&e.value)).collect()
        };
        let reordered = match (named(og), named(ng)) {
            (Some(a), Some(b)) => {
                a != b && {
                    let (mut a, mut b) = (a, b);
                    a.sort();
                    b.sort();
                    a == b
                }
            }
            _ => false,
        };
        if og.entries.len() == ng.entries.len() && !reordered {
            for ((oe, ne), te) in og.entries.iter().zip(&ng.entries).zip(&tg.entries) {
                self.diff(&oe.value, &ne.value, &te.value, edits)?;
            }
            return Some(());
        }
        if og.shape == Shape::Tuple {
            self.replace(n, t, edits);
            return Some(());
        }
        // Items added or removed: match them by name (or id, or whole text).
        let old_keys: Vec<String> = og
            .entries
            .iter()
            .map(|e| item_key(self.old, &e.value))
            .collect();
        let mut used = vec![false; old_keys.len()];
        let mut pairs: Vec<(Option<usize>, usize)> = Vec::new();
        for (ni, ne) in ng.entries.iter().enumerate() {
            let key = item_key(self.new, &ne.value);
            let oi = (0..old_keys.len()).find(|&i| !used[i] && old_keys[i] == key);
            if let Some(i) = oi {
                used[i] = true;
            }
            pairs.push((oi, ni));
        }
        let kept: Vec<usize> = pairs.iter().filter_map(|(o, _)| *o).collect();
        // The items that keep their places: the longest run in increasing order; the others
        // moved, and are moved with their own lines.
        let stay = longest_increasing(&kept);
        let multi_line = self.orig[tg.open..tg.close].contains('\n');
        if stay.len() < kept.len() && !multi_line {
            self.replace(n, t, edits);
            return Some(());
        }
        let mark = edits.len();
        let mut last: Option<usize> = None;
        for (oi, ni) in pairs {
            match oi {
                Some(oi) if !stay.contains(&oi) => {
                    let moved = self.move_entry(
                        tg,
                        oi,
                        last,
                        &og.entries[oi].value,
                        &ng.entries[ni].value,
                        edits,
                    );
                    if moved.is_none() {
                        edits.truncate(mark);
                        self.replace(n, t, edits);
                        return Some(());
                    }
                }
                Some(oi) => {
                    self.diff(
                        &og.entries[oi].value,
                        &ng.entries[ni].value,
                        &tg.entries[oi].value,
                        edits,
                    )?;
                    last = Some(oi);
                }
                None => self.insert(tg, last, &ng.entries[ni], edits),
            }
        }
        for (oi, u) in used.iter().enumerate() {
            if !u {
                self.remove(tg, oi, edits);
            }
        }
        Some(())
    }

    /// The text of a new entry (`key: value` or the item).
    fn entry_text(&self, ne: &Entry, at: usize, one_line: bool) -> String {
        let value = self.render(&ne.value, at, one_line);
        match &ne.key {
            Some(Key::Field(k, _)) => format!("{k}: {value}"),
            Some(Key::Value(k)) => format!("{}: {value}", self.compact(k)),
            None => value,
        }
    }

    /// Inserts `ne` into the original group `tg` after its entry `after` (at the start when
    /// `None`), in the group's layout.
    fn insert(&self, tg: &Group, after: Option<usize>, ne: &Entry, edits: &mut Vec<Edit>) {
        let multi_line = self.orig[tg.open..tg.close].contains('\n');
        let sibling = after.or(if tg.entries.is_empty() { None } else { Some(0) });
        let one_line_items =
            sibling.is_some_and(|s| !self.orig[tg.entries[s].span.clone()].contains('\n'));
        if !multi_line {
            // `(a: 1, b: 2)`: inline, after the entry or after the bracket.
            let text = self.entry_text(ne, tg.open, true);
            let (at, text) = match after.map(|a| &tg.entries[a]) {
                Some(e) => (e.span.end, format!(", {text}")),
                None if tg.entries.is_empty() => (tg.open + 1, text),
                None => (tg.open + 1, format!("{text}, ")),
            };
            edits.push(Edit {
                start: at,
                end: at,
                text,
            });
            return;
        }
        let indent = match sibling.map(|s| &tg.entries[s]) {
            Some(e) if starts_line(self.orig, e.span.start) => {
                indent_of(self.orig, e.span.start).to_string()
            }
            _ => format!("{}    ", indent_of(self.orig, tg.open)),
        };
        // Render at the sibling's indentation.
        let anchor = sibling.map_or(tg.open, |s| tg.entries[s].span.start);
        let body = self.entry_text(ne, anchor, one_line_items);
        let at = self.insert_point(tg, after, edits);
        edits.push(Edit {
            start: at,
            end: at,
            text: format!("\n{indent}{body},"),
        });
    }

    /// Where a new line goes after entry `after` of a multi-line group (after the bracket for
    /// `None`): the end of the entry's line, after a comment that ends it. Adds the comma the
    /// entry lacks.
    fn insert_point(&self, tg: &Group, after: Option<usize>, edits: &mut Vec<Edit>) -> usize {
        let Some(e) = after.map(|a| &tg.entries[a]) else {
            return tg.open + 1;
        };
        let at = match e.comma {
            Some(c) => c + 1,
            None => {
                edits.push(Edit {
                    start: e.span.end,
                    end: e.span.end,
                    text: ",".into(),
                });
                e.span.end
            }
        };
        let end = line_end(self.orig, at);
        let rest = self.orig[at..end].trim();
        if rest.is_empty() || rest.starts_with("//") {
            end
        } else {
            at
        }
    }

    /// The lines of entry `i` of a multi-line group (`start..end`, without the last line
    /// break), when the entry has its lines to itself.
    fn own_lines(&self, tg: &Group, i: usize) -> Option<(usize, usize)> {
        let e = &tg.entries[i];
        if !starts_line(self.orig, e.span.start) {
            return None;
        }
        let after = e.comma.map_or(e.span.end, |c| c + 1);
        let end = line_end(self.orig, after);
        let rest = self.orig[after..end].trim();
        (rest.is_empty() || rest.starts_with("//"))
            .then(|| (line_start(self.orig, e.span.start), end))
    }

    /// Moves entry `oi` of the original group (its own lines, with its comments, and the
    /// changes `o` to `n` inside it) to after entry `after`.
    fn move_entry(
        &self,
        tg: &Group,
        oi: usize,
        after: Option<usize>,
        o: &Node,
        n: &Node,
        edits: &mut Vec<Edit>,
    ) -> Option<()> {
        let (start, end) = self.own_lines(tg, oi)?;
        let e = &tg.entries[oi];
        let mut inner = Vec::new();
        self.diff(o, n, &e.value, &mut inner)?;
        if e.comma.is_none() {
            inner.push(Edit {
                start: e.span.end,
                end: e.span.end,
                text: ",".into(),
            });
        }
        inner.sort_by_key(|x| (x.start, x.end));
        let mut block = String::new();
        let mut at = start;
        for x in &inner {
            if x.start < at || x.end > end {
                return None;
            }
            block.push_str(&self.orig[at..x.start]);
            block.push_str(&x.text);
            at = x.end;
        }
        block.push_str(&self.orig[at..end]);
        self.remove(tg, oi, edits);
        let to = self.insert_point(tg, after, edits);
        edits.push(Edit {
            start: to,
            end: to,
            text: format!("\n{block}"),
        });
        Some(())
    }

    /// Removes entry `i` of the original group `tg`: its whole line when it has one to itself.
    fn remove(&self, tg: &Group, i: usize, edits: &mut Vec<Edit>) {
        let e = &tg.entries[i];
        let after = e.comma.map_or(e.span.end, |c| c + 1);
        let end = line_end(self.orig, after);
        let rest = self.orig[after..end].trim();
        if starts_line(self.orig, e.span.start) && (rest.is_empty() || rest.starts_with("//")) {
            let start = line_start(self.orig, e.span.start);
            let stop = self.orig[end..]
                .find('\n')
                .map_or(self.orig.len(), |i| end + i + 1);
            edits.push(Edit {
                start,
                end: stop,
                text: String::new(),
            });
        } else if e.comma.is_some() {
            let mut stop = after;
            while self.orig[stop..].starts_with(' ') {
                stop += 1;
            }
            edits.push(Edit {
                start: e.span.start,
                end: stop,
                text: String::new(),
            });
        } else if i > 0 {
            // The last entry without a comma: take the comma before it.
            let prev = &tg.entries[i - 1];
            let start = prev.comma.unwrap_or(prev.span.end);
            edits.push(Edit {
                start,
                end: e.span.end,
                text: String::new(),
            });
        } else {
            edits.push(Edit {
                start: e.span.start,
                end: e.span.end,
                text: String::new(),
            });
        }
    }
}

mod text;

#[cfg(test)]
mod tests;
