//! A scene as an SVG document: vector shapes, text that stays text (in the app's typeface
//! with common fallbacks, each line fitted to the width the layout measured), a title and
//! description for screen readers, and the replay record in its metadata.

use std::fmt::Write;

use super::Shape;
use super::font::{EmbeddedFont, Measure, SVG_FONT_FAMILY};
use super::layout::{Align, Prim, Scene, Stroke};
use super::palette::Rgba;

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn n(x: f32) -> String {
    let r = (x * 100.0).round() / 100.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

fn paint(attr: &str, c: Rgba) -> String {
    let a = c.alpha();
    if a >= 0.999 {
        format!(" {attr}=\"{}\"", c.hex())
    } else {
        format!(" {attr}=\"{}\" {attr}-opacity=\"{:.3}\"", c.hex(), a)
    }
}

fn stroke_attrs(s: &Stroke) -> String {
    let mut out = paint("stroke", s.color);
    let _ = write!(out, " stroke-width=\"{}\"", n(s.width));
    if let Some([on, off]) = s.dash {
        let _ = write!(out, " stroke-dasharray=\"{} {}\"", n(on), n(off));
    }
    out.push_str(" stroke-linejoin=\"round\" stroke-linecap=\"butt\"");
    out
}

/// What an SVG file says about itself besides its shapes.
#[derive(Clone, Debug, Default)]
pub struct SvgMeta<'a> {
    pub title: &'a str,
    /// The text summary for screen readers.
    pub description: &'a str,
    /// The replay record (JSON), stored in `<metadata>`.
    pub replay: Option<&'a str>,
    /// Prefix of the document's element ids (several SVGs in one HTML page need their own).
    pub id_prefix: &'a str,
    /// A document of its own (with the XML declaration) rather than an element of a page.
    pub standalone: bool,
}

/// The SVG document of `scene`, `width` x `height` points (CSS pixels).
pub fn to_svg(scene: &Scene, meta: &SvgMeta) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let (w, h) = (n(scene.width), n(scene.height));
    let pre = escape(meta.id_prefix);
    if meta.standalone {
        let _ = writeln!(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    }
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{pre}title {pre}desc\">"
    );
    let _ = writeln!(s, "<title id=\"{pre}title\">{}</title>", escape(meta.title));
    let _ = writeln!(
        s,
        "<desc id=\"{pre}desc\">{}</desc>",
        escape(meta.description)
    );
    if let Some(replay) = meta.replay {
        let _ = writeln!(
            s,
            "<metadata id=\"armistice-replay\">{}</metadata>",
            escape(replay)
        );
    }
    let _ = writeln!(
        s,
        "<rect width=\"100%\" height=\"100%\"{}/>",
        paint("fill", scene.background)
    );
    let _ = writeln!(
        s,
        "<g font-family=\"{}\" font-weight=\"300\">",
        escape(SVG_FONT_FAMILY)
    );
    let font = EmbeddedFont::get();
    let mut clip_id = 0usize;
    for p in &scene.prims {
        match p {
            Prim::Clip(r) => {
                clip_id += 1;
                let _ = writeln!(
                    s,
                    "<clipPath id=\"{pre}clip{clip_id}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath><g clip-path=\"url(#{pre}clip{clip_id})\">",
                    n(r[0]),
                    n(r[1]),
                    n(r[2] - r[0]),
                    n(r[3] - r[1])
                );
            }
            Prim::EndClip => s.push_str("</g>\n"),
            Prim::Rect { rect, fill, stroke } => {
                let _ = write!(
                    s,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
                    n(rect[0]),
                    n(rect[1]),
                    n((rect[2] - rect[0]).max(0.0)),
                    n((rect[3] - rect[1]).max(0.0))
                );
                match fill {
                    Some(f) => s.push_str(&paint("fill", *f)),
                    None => s.push_str(" fill=\"none\""),
                }
                if let Some(st) = stroke {
                    s.push_str(&stroke_attrs(st));
                }
                s.push_str("/>\n");
            }
            Prim::Polyline { points, stroke } => {
                if points.len() < 2 {
                    continue;
                }
                s.push_str("<polyline fill=\"none\" points=\"");
                for (i, q) in points.iter().enumerate() {
                    if i > 0 {
                        s.push(' ');
                    }
                    let _ = write!(s, "{},{}", n(q[0]), n(q[1]));
                }
                let _ = writeln!(s, "\"{}/>", stroke_attrs(stroke));
            }
            Prim::Band {
                xs,
                top,
                bottom,
                fill,
            } => {
                if xs.len() < 2 {
                    continue;
                }
                s.push_str("<polygon points=\"");
                for (x, y) in xs.iter().zip(top) {
                    let _ = write!(s, "{},{} ", n(*x), n(*y));
                }
                for (x, y) in xs.iter().zip(bottom).rev() {
                    let _ = write!(s, "{},{} ", n(*x), n(*y));
                }
                let _ = writeln!(s, "\"{}/>", paint("fill", *fill));
            }
            Prim::Marker {
                center,
                radius,
                shape,
                fill,
                stroke,
            } => {
                let fill = fill.map_or(" fill=\"none\"".to_string(), |f| paint("fill", f));
                let stroke = stroke.as_ref().map_or(String::new(), stroke_attrs);
                match shape {
                    Shape::Circle => {
                        let _ = writeln!(
                            s,
                            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"{fill}{stroke}/>",
                            n(center[0]),
                            n(center[1]),
                            n(*radius)
                        );
                    }
                    Shape::Diamond => {
                        let [x, y] = *center;
                        let r = radius * 1.25;
                        let _ = writeln!(
                            s,
                            "<polygon points=\"{},{} {},{} {},{} {},{}\"{fill}{stroke}/>",
                            n(x),
                            n(y - r),
                            n(x + r),
                            n(y),
                            n(x),
                            n(y + r),
                            n(x - r),
                            n(y)
                        );
                    }
                }
            }
            Prim::Text {
                pos,
                text,
                size,
                color,
                align,
                vertical,
            } => {
                let anchor = match align {
                    Align::Left => "start",
                    Align::Center => "middle",
                    Align::Right => "end",
                };
                let rotate = if *vertical {
                    format!(" transform=\"rotate(-90 {} {})\"", n(pos[0]), n(pos[1]))
                } else {
                    String::new()
                };
                // The width the layout measured: a viewer that draws the text in another face
                // fits it to that width, so that no label runs past the space it was given.
                let width = font.width(text, *size);
                let _ = writeln!(
                    s,
                    "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\" textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\"{}{rotate} xml:space=\"preserve\">{}</text>",
                    n(pos[0]),
                    n(pos[1]),
                    n(*size),
                    n(width),
                    paint("fill", *color),
                    escape(text)
                );
            }
        }
    }
    s.push_str("</g>\n</svg>\n");
    s
}

/// The replay record stored in an SVG document's metadata, if any.
pub fn replay_of(svg: &str) -> Option<String> {
    let start_tag = "<metadata id=\"armistice-replay\">";
    let start = svg.find(start_tag)? + start_tag.len();
    let end = start + svg[start..].find("</metadata>")?;
    Some(unescape(&svg[start..end]))
}

/// Undoes [`escape`] (and numeric character references).
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';') else {
            break;
        };
        let entity = &rest[1..end];
        let ch = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips() {
        let t = "a < b && \"c\" > 'd' ]]> é";
        assert_eq!(unescape(&escape(t)), t);
        assert_eq!(unescape("&#x41;&#66;&unknown;"), "AB&unknown;");
    }
}
