//! A scene as pixels (vello_cpu, with the text drawn from the embedded typeface's
//! outlines) and as a PNG file that carries its title, description and replay record in
//! text chunks and its resolution (96 dpi times the scale).

use vello_cpu::kurbo::{Affine, BezPath, Cap, Join, Rect};
use vello_cpu::peniko::Color;
use vello_cpu::{Pixmap, RenderContext};

use super::Shape;
use super::font::{EmbeddedFont, Measure, PathCmd};
use super::layout::{Align, Prim, Scene, Stroke};
use super::palette::Rgba;

/// The largest side of a raster, in pixels.
pub const MAX_PIXELS: u32 = 16_000;

/// Why a raster could not be made.
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error(
        "the image would be {0} x {1} pixels; the limit is {MAX_PIXELS} on a side (lower --width, --height or --scale)"
    )]
    TooLarge(u32, u32),
    #[error("cannot encode the PNG: {0}")]
    Png(String),
}

fn color(c: Rgba) -> Color {
    let [r, g, b, a] = c.0;
    Color::from_rgba8(r, g, b, a)
}

fn stroke(s: &Stroke) -> vello_cpu::kurbo::Stroke {
    let k = vello_cpu::kurbo::Stroke::new(f64::from(s.width))
        .with_join(Join::Round)
        .with_caps(Cap::Butt);
    match s.dash {
        Some([on, off]) => k.with_dashes(0.0, [f64::from(on), f64::from(off)]),
        None => k,
    }
}

fn polyline(points: &[[f32; 2]], close: bool) -> BezPath {
    let mut p = BezPath::new();
    for (i, q) in points.iter().enumerate() {
        let pt = (f64::from(q[0]), f64::from(q[1]));
        if i == 0 {
            p.move_to(pt);
        } else {
            p.line_to(pt);
        }
    }
    if close {
        p.close_path();
    }
    p
}

fn rect_path(r: [f32; 4]) -> BezPath {
    let mut p = BezPath::new();
    let [x0, y0, x1, y1] = r.map(f64::from);
    p.move_to((x0, y0));
    p.line_to((x1, y0));
    p.line_to((x1, y1));
    p.line_to((x0, y1));
    p.close_path();
    p
}

fn glyph_path(cmds: &[PathCmd]) -> BezPath {
    let mut p = BezPath::new();
    let f = f64::from;
    for c in cmds {
        match *c {
            PathCmd::Move(x, y) => p.move_to((f(x), f(y))),
            PathCmd::Line(x, y) => p.line_to((f(x), f(y))),
            PathCmd::Quad(a, b, x, y) => p.quad_to((f(a), f(b)), (f(x), f(y))),
            PathCmd::Cubic(a, b, c1, d, x, y) => {
                p.curve_to((f(a), f(b)), (f(c1), f(d)), (f(x), f(y)))
            }
            PathCmd::Close => p.close_path(),
        }
    }
    p
}

/// Fills and strokes a path.
fn paint(ctx: &mut RenderContext, path: &BezPath, fill: Option<Rgba>, s: Option<&Stroke>) {
    if let Some(f) = fill {
        ctx.set_paint(color(f));
        ctx.fill_path(path);
    }
    if let Some(s) = s {
        ctx.set_paint(color(s.color));
        ctx.set_stroke(stroke(s));
        ctx.stroke_path(path);
    }
}

/// Renders `scene` at `scale` pixels per point: straight (not premultiplied) RGBA rows.
pub fn render(scene: &Scene, scale: f32) -> Result<(u32, u32, Vec<u8>), RasterError> {
    let w = (scene.width * scale).round().max(1.0) as u32;
    let h = (scene.height * scale).round().max(1.0) as u32;
    if w > MAX_PIXELS || h > MAX_PIXELS {
        return Err(RasterError::TooLarge(w, h));
    }
    let (w16, h16) = (w as u16, h as u16);
    let mut ctx = RenderContext::new(w16, h16);
    let font = EmbeddedFont::get();
    let base = Affine::scale(f64::from(scale));
    ctx.set_transform(base);
    ctx.set_paint(color(scene.background));
    ctx.fill_rect(&Rect::new(
        0.0,
        0.0,
        f64::from(scene.width),
        f64::from(scene.height),
    ));
    for p in &scene.prims {
        match p {
            Prim::Clip(r) => ctx.push_clip_layer(&rect_path(*r)),
            Prim::EndClip => ctx.pop_layer(),
            Prim::Rect {
                rect,
                fill,
                stroke: s,
            } => {
                paint(&mut ctx, &rect_path(*rect), *fill, s.as_ref());
            }
            Prim::Polyline { points, stroke: s } => {
                if points.len() < 2 {
                    continue;
                }
                ctx.set_paint(color(s.color));
                ctx.set_stroke(stroke(s));
                ctx.stroke_path(&polyline(points, false));
            }
            Prim::Band {
                xs,
                top,
                bottom,
                fill,
            } => {
                let mut pts: Vec<[f32; 2]> = xs.iter().zip(top).map(|(x, y)| [*x, *y]).collect();
                pts.extend(xs.iter().zip(bottom).rev().map(|(x, y)| [*x, *y]));
                ctx.set_paint(color(*fill));
                ctx.fill_path(&polyline(&pts, true));
            }
            Prim::Marker {
                center,
                radius,
                shape,
                fill,
                stroke: s,
            } => {
                let path = match shape {
                    Shape::Circle => {
                        let c = vello_cpu::kurbo::Circle::new(
                            (f64::from(center[0]), f64::from(center[1])),
                            f64::from(*radius),
                        );
                        vello_cpu::kurbo::Shape::to_path(&c, 0.05)
                    }
                    Shape::Diamond => {
                        let [x, y] = *center;
                        let r = radius * 1.25;
                        polyline(&[[x, y - r], [x + r, y], [x, y + r], [x - r, y]], true)
                    }
                };
                paint(&mut ctx, &path, *fill, s.as_ref());
            }
            Prim::Text {
                pos,
                text,
                size,
                color: c,
                align,
                vertical,
            } => {
                let width = font.width(text, *size);
                let dx = match align {
                    Align::Left => 0.0,
                    Align::Center => -width / 2.0,
                    Align::Right => -width,
                };
                let path = glyph_path(&font.outline(text, *size, dx, 0.0));
                let place = Affine::translate((f64::from(pos[0]), f64::from(pos[1])));
                let turn = if *vertical {
                    Affine::rotate(-std::f64::consts::FRAC_PI_2)
                } else {
                    Affine::IDENTITY
                };
                ctx.set_transform(base * place * turn);
                ctx.set_paint(color(*c));
                ctx.fill_path(&path);
                ctx.set_transform(base);
            }
        }
    }
    ctx.flush();
    let mut pixmap = Pixmap::new(w16, h16);
    ctx.render(&mut pixmap, &mut vello_cpu::Resources::new());
    let rgba: Vec<u8> = pixmap
        .take_unpremultiplied()
        .into_iter()
        .flat_map(|p| [p.r, p.g, p.b, p.a])
        .collect();
    Ok((w, h, rgba))
}

/// Text chunks of a PNG file: keyword and text.
pub type TextChunks<'a> = &'a [(&'a str, &'a str)];

/// Encodes RGBA rows as PNG with the given text chunks (UTF-8, iTXt) and a resolution of 96
/// dpi times `scale`.
pub fn encode_png(
    width: u32,
    height: u32,
    rgba: &[u8],
    scale: f32,
    texts: TextChunks,
) -> Result<Vec<u8>, RasterError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let per_metre = (96.0 * f64::from(scale) / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
        for (k, t) in texts {
            enc.add_itxt_chunk((*k).to_string(), (*t).to_string())
                .map_err(|e| RasterError::Png(e.to_string()))?;
        }
        let mut w = enc
            .write_header()
            .map_err(|e| RasterError::Png(e.to_string()))?;
        w.write_image_data(rgba)
            .map_err(|e| RasterError::Png(e.to_string()))?;
        w.finish().map_err(|e| RasterError::Png(e.to_string()))?;
    }
    Ok(out)
}

/// A decoded PNG: size and its UTF-8 and Latin-1 text chunks.
#[derive(Clone, Debug, Default)]
pub struct PngInfo {
    pub width: u32,
    pub height: u32,
    pub texts: Vec<(String, String)>,
}

/// Reads a PNG's size and text chunks (and decodes its pixels, so a damaged file fails).
pub fn read_png(bytes: &[u8]) -> Result<PngInfo, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_ignore_text_chunk(false);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
    reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    let info = reader.info();
    let mut texts = Vec::new();
    for c in &info.utf8_text {
        let mut c = c.clone();
        let _ = c.decompress_text();
        if let Ok(t) = c.get_text() {
            texts.push((c.keyword.clone(), t));
        }
    }
    for c in &info.uncompressed_latin1_text {
        texts.push((c.keyword.clone(), c.text.clone()));
    }
    Ok(PngInfo {
        width: info.width,
        height: info.height,
        texts,
    })
}
