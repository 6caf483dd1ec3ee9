//! The typeface of exported figures: Ubuntu Light (the app's own text face, so a file looks
//! like the screen), with Hack for the few characters it lacks. Measures text for the layout
//! and turns it into outlines for the PNG renderer. SVG files name the same face and let the
//! viewer draw the text, so that it stays text (selectable, searchable, editable).

use std::sync::OnceLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, GlyphId, MetadataProvider};

/// The font stack an SVG names.
pub const SVG_FONT_FAMILY: &str =
    "Ubuntu, 'Ubuntu Light', 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif";

/// Measures text: the layout asks it how wide a line is.
pub trait Measure {
    /// Width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32;
}

/// One command of a glyph outline, in points, y down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PathCmd {
    Move(f32, f32),
    Line(f32, f32),
    Quad(f32, f32, f32, f32),
    Cubic(f32, f32, f32, f32, f32, f32),
    Close,
}

/// The embedded faces, parsed once.
pub struct EmbeddedFont {
    faces: Vec<FontRef<'static>>,
}

impl EmbeddedFont {
    /// The embedded faces (parsed on first use).
    pub fn get() -> &'static EmbeddedFont {
        static FONT: OnceLock<EmbeddedFont> = OnceLock::new();
        FONT.get_or_init(|| EmbeddedFont {
            faces: [
                epaint_default_fonts::UBUNTU_LIGHT,
                epaint_default_fonts::HACK_REGULAR,
            ]
            .into_iter()
            .filter_map(|data| FontRef::new(data).ok())
            .collect(),
        })
    }

    /// The face that has `ch`, and its glyph.
    fn glyph(&self, ch: char) -> Option<(usize, GlyphId)> {
        self.faces.iter().enumerate().find_map(|(i, f)| {
            f.charmap()
                .map(ch)
                .filter(|g| g.to_u32() != 0)
                .map(|g| (i, g))
        })
    }

    fn advance(&self, face: usize, glyph: GlyphId, size: f32) -> f32 {
        self.faces[face]
            .glyph_metrics(Size::new(size), LocationRef::default())
            .advance_width(glyph)
            .unwrap_or(size * 0.5)
    }

    /// Ascent (above the baseline) and descent (below it, positive) at `size`.
    #[cfg(test)]
    pub fn vertical(&self, size: f32) -> (f32, f32) {
        match self.faces.first() {
            Some(f) => {
                let m = f.metrics(Size::new(size), LocationRef::default());
                (m.ascent, -m.descent)
            }
            None => (size * 0.93, size * 0.2),
        }
    }

    /// The outline of `text` at `size`, its baseline starting at (`x`, `y`).
    pub fn outline(&self, text: &str, size: f32, x: f32, y: f32) -> Vec<PathCmd> {
        let mut pen = Pen {
            cmds: Vec::new(),
            x,
            y,
        };
        for ch in text.chars() {
            let Some((face, glyph)) = self.glyph(ch) else {
                pen.x += size * 0.5;
                continue;
            };
            if let Some(g) = self.faces[face].outline_glyphs().get(glyph) {
                let settings = DrawSettings::unhinted(Size::new(size), LocationRef::default());
                // A glyph that fails to draw is left out; the text around it still reads.
                let _ = g.draw(settings, &mut pen);
            }
            pen.x += self.advance(face, glyph, size);
        }
        pen.cmds
    }
}

impl Measure for EmbeddedFont {
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|ch| match self.glyph(ch) {
                Some((face, g)) => self.advance(face, g, size),
                None => size * 0.5,
            })
            .sum()
    }
}

struct Pen {
    cmds: Vec<PathCmd>,
    x: f32,
    y: f32,
}

impl OutlinePen for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.cmds.push(PathCmd::Move(self.x + x, self.y - y));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.cmds.push(PathCmd::Line(self.x + x, self.y - y));
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.cmds.push(PathCmd::Quad(
            self.x + cx0,
            self.y - cy0,
            self.x + x,
            self.y - y,
        ));
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.cmds.push(PathCmd::Cubic(
            self.x + cx0,
            self.y - cy0,
            self.x + cx1,
            self.y - cy1,
            self.x + x,
            self.y - y,
        ));
    }
    fn close(&mut self) {
        self.cmds.push(PathCmd::Close);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_faces_measure_and_draw_text() {
        let f = EmbeddedFont::get();
        assert_eq!(f.faces.len(), 2);
        let w = f.width("Leverage of Ukraine", 12.0);
        assert!(w > 60.0 && w < 160.0, "{w}");
        assert!(f.width("WWW", 12.0) > f.width("iii", 12.0));
        assert!((f.width("ab", 24.0) - 2.0 * f.width("ab", 12.0)).abs() < 0.01);
        assert!(!f.outline("km² ± 5", 12.0, 0.0, 12.0).is_empty());
        let (asc, desc) = f.vertical(10.0);
        assert!(asc > 6.0 && desc > 0.5, "{asc} {desc}");
    }
}
