//! Places a `Figure` in a rectangle: title, legend (above the plot, so it never covers
//! data), axes with round ticks, the marks clipped to the plot area, value labels on or
//! beside their bars (whichever fits, in the colour that contrasts with what is under them),
//! rule labels that step aside instead of overlapping, a colour scale for cells, the notes
//! and the stamp. The result is a [`Scene`] of shapes and text in points, which the app
//! paints and the SVG and PNG writers write, so that screen and file show the same figure.
//!
//! Long because every placement here (legend, ticks, rotated and wrapped labels, row labels,
//! value labels beside bars, rule labels stepping aside, the colour scale) measures against
//! the one plot rectangle and the same text measure; apart, each part would need all of them.

use super::font::Measure;
use super::palette::{Ink, Rgba, Theme};
use super::ticks::nice_ticks;
use super::{Bar, Dash, Figure, Mark, Shape, Swatch};

/// A stroke: width in points, colour, dash pattern (on, off) in points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    pub width: f32,
    pub color: Rgba,
    pub dash: Option<[f32; 2]>,
}

/// Horizontal alignment of a text at its anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One shape of a scene, in points from the top left, y down.
#[derive(Clone, Debug, PartialEq)]
pub enum Prim {
    Rect {
        rect: [f32; 4],
        fill: Option<Rgba>,
        stroke: Option<Stroke>,
    },
    Polyline {
        points: Vec<[f32; 2]>,
        stroke: Stroke,
    },
    /// The area between two lines over the same x positions.
    Band {
        xs: Vec<f32>,
        top: Vec<f32>,
        bottom: Vec<f32>,
        fill: Rgba,
    },
    Marker {
        center: [f32; 2],
        radius: f32,
        shape: Shape,
        fill: Option<Rgba>,
        stroke: Option<Stroke>,
    },
    /// A line of text; `pos` is where its baseline starts (Left), centres (Center) or ends
    /// (Right). `vertical` turns it a quarter to the left around `pos`.
    Text {
        pos: [f32; 2],
        text: String,
        size: f32,
        color: Rgba,
        align: Align,
        vertical: bool,
    },
    /// The shapes up to the matching `EndClip` are clipped to this rectangle.
    Clip([f32; 4]),
    EndClip,
}

/// A read-out in scene coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct HoverPx {
    pub pos: [f32; 2],
    pub region: Option<[f32; 4]>,
    pub text: String,
}

/// A laid-out figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    pub width: f32,
    pub height: f32,
    pub background: Rgba,
    pub prims: Vec<Prim>,
    /// The plot area (left, top, right, bottom).
    pub plot: [f32; 4],
    /// The data window shown (x min, x max, y min, y max).
    pub view: [f64; 4],
    pub hovers: Vec<HoverPx>,
}

impl Scene {
    /// Data coordinates of a scene point.
    pub fn data_at(&self, p: [f32; 2]) -> [f64; 2] {
        let [l, t, r, b] = self.plot;
        let [x0, x1, y0, y1] = self.view;
        let fx = f64::from((p[0] - l) / (r - l).max(1.0));
        let fy = f64::from((b - p[1]) / (b - t).max(1.0));
        [x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)]
    }

    /// The read-out for a pointer at `p`: the region it is in, else the nearest data point
    /// within `radius`.
    pub fn hover_at(&self, p: [f32; 2], radius: f32) -> Option<&HoverPx> {
        let [l, t, r, b] = self.plot;
        if p[0] < l - radius || p[0] > r + radius || p[1] < t - radius || p[1] > b + radius {
            return None;
        }
        if let Some(h) = self.hovers.iter().find(|h| {
            h.region.is_some_and(|[x0, y0, x1, y1]| {
                p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1
            })
        }) {
            return Some(h);
        }
        self.hovers
            .iter()
            .filter(|h| h.region.is_none())
            .map(|h| {
                let dx = h.pos[0] - p[0];
                let dy = h.pos[1] - p[1];
                (dx * dx + dy * dy, h)
            })
            .filter(|(d, _)| *d <= radius * radius)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, h)| h)
    }

    /// Every text of the scene, in drawing order (for tests and checks).
    pub fn texts(&self) -> Vec<&str> {
        self.prims
            .iter()
            .filter_map(|p| match p {
                Prim::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// What to draw besides the figure itself.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    /// Draw the title (the app draws it in the plot's header instead).
    pub title: bool,
    /// The stamp under the figure (exports): title, hash, seed, trials, version.
    pub stamp: Option<String>,
    /// A data window to show instead of the figure's own (zoom and pan).
    pub view: Option<[f64; 4]>,
}

const PAD: f32 = 8.0;

/// The lines of a rotated y-axis label: none without one (or on a category axis, whose rows
/// are labelled instead), one when it fits `plot_h`, else up to three (the last cut if it
/// must be).
fn y_label_lines(c: &Ctx, label: &str, plot_h: f32, numeric: bool) -> Vec<String> {
    if !numeric || label.is_empty() {
        return Vec::new();
    }
    if c.m.width(label, c.small) <= plot_h {
        return vec![label.to_string()];
    }
    let mut lines = c.wrap(label, c.small, plot_h);
    if lines.len() > 3 {
        let rest = lines.split_off(2).join(" ");
        lines.push(rest);
    }
    lines
}

struct Ctx<'a> {
    theme: Theme,
    m: &'a dyn Measure,
    small: f32,
    prims: Vec<Prim>,
}

impl Ctx<'_> {
    fn line_h(&self, size: f32) -> f32 {
        size * 1.3
    }

    fn text(&mut self, pos: [f32; 2], text: &str, size: f32, color: Rgba, align: Align) {
        if text.is_empty() {
            return;
        }
        self.prims.push(Prim::Text {
            pos,
            text: text.to_string(),
            size,
            color,
            align,
            vertical: false,
        });
    }

    /// `text` cut with an ellipsis to fit `max` points.
    fn fit(&self, text: &str, size: f32, max: f32) -> String {
        if self.m.width(text, size) <= max {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let (mut lo, mut hi) = (0usize, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let cand: String = chars[..mid].iter().collect::<String>() + "…";
            if self.m.width(&cand, size) <= max {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        chars[..lo]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…"
    }

    /// `text` broken into lines of at most `max` points (a word longer than a line is cut).
    fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let cand = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if self.m.width(&cand, size) <= max || line.is_empty() {
                line = cand;
            } else {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines.into_iter().map(|l| self.fit(&l, size, max)).collect()
    }

    /// Baseline offset from the top of a line of `size`.
    fn baseline(&self, size: f32) -> f32 {
        let lh = self.line_h(size);
        // Centre the font's ascent-to-descent box in the line.
        let asc = size * 0.78;
        let desc = size * 0.2;
        (lh - asc - desc) / 2.0 + asc
    }
}

fn dash_of(d: Dash, width: f32) -> Option<[f32; 2]> {
    match d {
        Dash::Solid => None,
        Dash::Dashed => Some([6.0 * width.max(1.0), 4.0 * width.max(1.0)]),
        Dash::Dotted => Some([1.5 * width.max(1.0), 3.0 * width.max(1.0)]),
    }
}

/// Lays out `fig` in `width` x `height` points.
pub fn layout(
    fig: &Figure,
    width: f32,
    height: f32,
    theme: Theme,
    measure: &dyn Measure,
    opts: &Options,
) -> Scene {
    let body = theme.text_size();
    let mut c = Ctx {
        theme,
        m: measure,

        small: body * 0.88,
        prims: Vec::new(),
    };
    let text = theme.text();
    let weak = theme.weak_text();
    let inner_w = (width - 2.0 * PAD).max(20.0);
    let mut top = PAD * 0.5;
    if opts.title && !fig.title.is_empty() {
        let size = body * 1.2;
        for line in c.wrap(&fig.title, size, inner_w) {
            let b = top + c.baseline(size);
            c.text([PAD, b], &line, size, text, Align::Left);
            top += c.line_h(size);
        }
        top += 2.0;
    }
    top = legend(&mut c, fig, PAD, top, inner_w);
    // The bottom, from the edge up: stamp, notes, x-axis label, tick labels.
    let mut bottom_lines: Vec<(String, f32, Rgba)> = Vec::new();
    for n in &fig.notes {
        for l in c.wrap(n, c.small, inner_w) {
            bottom_lines.push((l, c.small, weak));
        }
    }
    if let Some(stamp) = &opts.stamp {
        for l in c.wrap(stamp, c.small * 0.9, inner_w) {
            bottom_lines.push((l, c.small * 0.9, weak));
        }
    }
    let notes_h: f32 = bottom_lines.iter().map(|(_, s, _)| c.line_h(*s)).sum();
    let numeric_x = fig.x.categories.is_empty() && fig.x.ticks;
    let tick_h = if numeric_x {
        c.line_h(c.small) + 2.0
    } else {
        0.0
    };
    // The x axis's label: on two lines when one would be cut (the plot is about the inner
    // width less the left column's tick labels and rotated label, taken as 70 points here).
    let x_label_lines: Vec<String> = if fig.x.label.is_empty() {
        Vec::new()
    } else if c.m.width(&fig.x.label, c.small) <= inner_w - 70.0 {
        vec![fig.x.label.clone()]
    } else {
        let mut lines = c.wrap(&fig.x.label, c.small, (inner_w - 70.0).max(40.0));
        if lines.len() > 2 {
            let rest = lines.split_off(1).join(" ");
            lines.push(rest);
        }
        lines
    };
    let xlabel_h = c.line_h(c.small) * x_label_lines.len() as f32;
    let bottom_h = tick_h + xlabel_h + notes_h + PAD * 0.5;
    let view = opts
        .view
        .unwrap_or([fig.x.min, fig.x.max, fig.y.min, fig.y.max]);
    let (y_ticks, y_dec) = if fig.y.categories.is_empty() && fig.y.ticks {
        let plot_h = (height - top - bottom_h).max(40.0);
        nice_ticks(view[2], view[3], ((plot_h / 45.0) as usize).clamp(2, 10))
    } else {
        (Vec::new(), 0)
    };
    // The y axis's label, rotated: on more lines when one would be cut at the plot's height.
    let y_label_lines = y_label_lines(
        &c,
        &fig.y.label,
        (height - top - bottom_h - 4.0).max(20.0),
        fig.y.categories.is_empty(),
    );
    // The left column: row labels, or tick labels and the rotated axis label.
    let left = if !fig.y.categories.is_empty() {
        let widest = fig
            .y
            .categories
            .iter()
            .map(|l| c.m.width(l, c.small))
            .fold(0.0f32, f32::max);
        PAD + widest.min(inner_w * 0.42) + 6.0
    } else {
        let widest = y_ticks
            .iter()
            .map(|v| c.m.width(&fig.y.format.tick(*v, y_dec), c.small))
            .fold(0.0f32, f32::max);
        let label = if y_label_lines.is_empty() {
            0.0
        } else {
            c.line_h(c.small) * y_label_lines.len() as f32 + 2.0
        };
        PAD + label + widest + 6.0
    };
    let cells = fig.marks.iter().find_map(|m| match m {
        Mark::Cells {
            min,
            max,
            scale_label,
            scale_format,
            ..
        } => Some((*min, *max, scale_label.clone(), *scale_format)),
        _ => None,
    });
    let right_pad = if let Some((lo, hi, _, f)) = &cells {
        let (t, d) = nice_ticks(*lo, *hi, 5);
        let w = t
            .iter()
            .map(|v| c.m.width(&f.tick(*v, d), c.small))
            .fold(0.0f32, f32::max);
        14.0 + 6.0 + w + 6.0 + c.line_h(c.small) + PAD
    } else {
        PAD + 6.0
    };
    let plot_top = top + 4.0;
    let plot = [
        left,
        plot_top,
        (width - right_pad).max(left + 20.0),
        (height - bottom_h).max(plot_top + 20.0),
    ];
    let [pl, pt, pr, pb] = plot;
    let sx = move |x: f64| pl + ((x - view[0]) / (view[1] - view[0]).max(1e-12)) as f32 * (pr - pl);
    let sy = move |y: f64| pb - ((y - view[2]) / (view[3] - view[2]).max(1e-12)) as f32 * (pb - pt);
    // Grid and axes.
    let grid = Stroke {
        width: 1.0,
        color: theme.grid(),
        dash: None,
    };
    let axis = Stroke {
        width: 1.0,
        color: theme.axis(),
        dash: None,
    };
    if numeric_x {
        let (mut ticks, mut dec) = nice_ticks(
            view[0],
            view[1],
            ((pr - pl) / 90.0).clamp(2.0, 10.0) as usize,
        );
        // Fewer ticks until their labels do not touch.
        for target in (2..ticks.len().max(2)).rev() {
            let widest = ticks
                .iter()
                .map(|v| c.m.width(&fig.x.format.tick(*v, dec), c.small))
                .fold(0.0f32, f32::max);
            let spacing = if ticks.len() > 1 {
                (sx(ticks[1]) - sx(ticks[0])).abs()
            } else {
                f32::MAX
            };
            if widest + 8.0 <= spacing {
                break;
            }
            (ticks, dec) = nice_ticks(view[0], view[1], target);
        }
        for v in &ticks {
            let x = sx(*v);
            c.prims.push(Prim::Polyline {
                points: vec![[x, pt], [x, pb]],
                stroke: grid,
            });
            c.prims.push(Prim::Polyline {
                points: vec![[x, pb], [x, pb + 4.0]],
                stroke: axis,
            });
            let label = fig.x.format.tick(*v, dec);
            let b = pb + 2.0 + c.baseline(c.small);
            c.text([x, b], &label, c.small, weak, Align::Center);
        }
    }
    for v in &y_ticks {
        let y = sy(*v);
        c.prims.push(Prim::Polyline {
            points: vec![[pl, y], [pr, y]],
            stroke: grid,
        });
        let label = fig.y.format.tick(*v, y_dec);
        c.text(
            [pl - 6.0, y + c.small * 0.35],
            &label,
            c.small,
            weak,
            Align::Right,
        );
    }
    c.prims.push(Prim::Polyline {
        points: vec![[pl, pt], [pl, pb], [pr, pb]],
        stroke: axis,
    });
    for (k, line) in x_label_lines.iter().enumerate() {
        let b = pb + tick_h + c.baseline(c.small) + k as f32 * c.line_h(c.small);
        let label = c.fit(line, c.small, pr - pl);
        c.text([(pl + pr) / 2.0, b], &label, c.small, weak, Align::Center);
    }
    for (k, line) in y_label_lines.iter().enumerate() {
        let label = c.fit(line, c.small, pb - pt);
        c.prims.push(Prim::Text {
            pos: [
                PAD + c.small * 0.95 + k as f32 * c.line_h(c.small),
                (pt + pb) / 2.0,
            ],
            text: label,
            size: c.small,
            color: weak,
            align: Align::Center,
            vertical: true,
        });
    }
    // Row labels: on two lines when one would be cut and the rows are far enough apart.
    let pitch = if fig.y.categories.len() > 1 {
        (sy(0.0) - sy(1.0)).abs()
    } else {
        pb - pt
    };
    // Two tight lines (1.1 times the type size apart) need a little over two sizes of pitch.
    let row_line = c.small * 1.1;
    let two_lines = pitch >= 2.1 * c.small;
    let room = pl - PAD - 6.0;
    for (i, row) in fig.y.categories.iter().enumerate() {
        let y = sy(fig.y.row_y(i));
        if y < pt - 1.0 || y > pb + 1.0 {
            continue;
        }
        let lines = if two_lines && c.m.width(row, c.small) > room {
            let mut l = c.wrap(row, c.small, room);
            if l.len() > 2 {
                let rest = l.split_off(1).join(" ");
                l.push(rest);
            }
            l
        } else {
            vec![row.clone()]
        };
        let first = y + c.small * 0.35 - (lines.len() as f32 - 1.0) * row_line / 2.0;
        for (k, line) in lines.iter().enumerate() {
            let label = c.fit(line, c.small, room);
            c.text(
                [pl - 6.0, first + k as f32 * row_line],
                &label,
                c.small,
                text,
                Align::Right,
            );
        }
    }
    // The marks, clipped to the plot.
    c.prims.push(Prim::Clip(plot));
    let mut rule_labels: Vec<[f32; 4]> = Vec::new();
    for mark in &fig.marks {
        draw_mark(&mut c, mark, &sx, &sy, plot, &mut rule_labels);
    }
    c.prims.push(Prim::EndClip);
    if let Some((lo, hi, label, f)) = cells {
        colour_scale(&mut c, [pr + 14.0, pt, pr + 28.0, pb], lo, hi, &label, f);
    }
    // Notes and stamp.
    let mut y = pb + tick_h + xlabel_h;
    for (line, size, color) in &bottom_lines {
        let b = y + c.baseline(*size);
        c.text([PAD, b], line, *size, *color, Align::Left);
        y += c.line_h(*size);
    }
    let hovers = fig
        .hovers
        .iter()
        .map(|h| HoverPx {
            pos: [sx(h.x), sy(h.y)],
            region: h.region.map(|[x0, y0, x1, y1]| {
                let (a, b) = (sx(x0), sx(x1));
                let (p, q) = (sy(y0), sy(y1));
                [a.min(b), p.min(q), a.max(b), p.max(q)]
            }),
            text: h.text.clone(),
        })
        .collect();
    Scene {
        width,
        height,
        background: theme.background(),
        prims: c.prims,
        plot,
        view,
        hovers,
    }
}

/// The legend, left to right, wrapping; returns the y under it.
fn legend(c: &mut Ctx, fig: &Figure, x0: f32, top: f32, width: f32) -> f32 {
    if fig.legend.is_empty() {
        return top;
    }
    let size = c.small;
    let lh = c.line_h(size) + 2.0;
    let sw = 20.0;
    let mut x = x0;
    let mut y = top;
    let color = c.theme.text();
    for item in &fig.legend {
        let max_label = width - sw - 6.0;
        let label = c.fit(&item.label, size, max_label);
        let w = sw + 5.0 + c.m.width(&label, size);
        if x > x0 && x + w > x0 + width {
            x = x0;
            y += lh;
        }
        let cy = y + lh / 2.0;
        swatch(c, item.swatch, [x, cy - 6.0, x + sw, cy + 6.0]);
        let b = y + c.baseline(size) + 1.0;
        c.text([x + sw + 5.0, b], &label, size, color, Align::Left);
        x += w + 16.0;
    }
    y + lh + 2.0
}

fn swatch(c: &mut Ctx, s: Swatch, r: [f32; 4]) {
    let t = c.theme;
    let cy = (r[1] + r[3]) / 2.0;
    match s {
        Swatch::Line(ink, dash) => {
            let w = t.line_width();
            c.prims.push(Prim::Polyline {
                points: vec![[r[0], cy], [r[2], cy]],
                stroke: Stroke {
                    width: w,
                    color: t.ink(ink),
                    dash: dash_of(dash, w * 0.6),
                },
            })
        }
        Swatch::Fill(ink, alpha) => c.prims.push(Prim::Rect {
            rect: [r[0] + 2.0, r[1] + 1.0, r[2] - 2.0, r[3] - 1.0],
            fill: Some(t.ink(ink).with_alpha(alpha)),
            stroke: None,
        }),
        Swatch::Hollow(ink) => c.prims.push(Prim::Rect {
            rect: [r[0] + 2.0, r[1] + 1.0, r[2] - 2.0, r[3] - 1.0],
            fill: None,
            stroke: Some(Stroke {
                width: 1.5,
                color: t.ink(ink),
                dash: Some([3.0, 2.0]),
            }),
        }),
        Swatch::Marker(ink, shape, filled) => {
            c.prims
                .push(marker(t, [(r[0] + r[2]) / 2.0, cy], ink, shape, filled))
        }
    }
}

fn marker(t: Theme, center: [f32; 2], ink: Ink, shape: Shape, filled: bool) -> Prim {
    let color = t.ink(ink);
    let radius = if t.presentation { 6.0 } else { 4.5 };
    Prim::Marker {
        center,
        radius,
        shape,
        fill: filled.then_some(color),
        stroke: Some(Stroke {
            width: 1.5,
            color: if filled { t.background() } else { color },
            dash: None,
        }),
    }
}

fn draw_mark(
    c: &mut Ctx,
    mark: &Mark,
    sx: &dyn Fn(f64) -> f32,
    sy: &dyn Fn(f64) -> f32,
    plot: [f32; 4],
    rule_labels: &mut Vec<[f32; 4]>,
) {
    let t = c.theme;
    match mark {
        Mark::Line {
            points,
            ink,
            dash,
            width,
        } => {
            let w = t.line_width() * width;
            c.prims.push(Prim::Polyline {
                points: points.iter().map(|p| [sx(p[0]), sy(p[1])]).collect(),
                stroke: Stroke {
                    width: w,
                    color: t.ink(*ink),
                    dash: dash_of(*dash, w * 0.6),
                },
            });
        }
        Mark::Band {
            x,
            lo,
            hi,
            ink,
            alpha,
        } => {
            let a = if t.presentation {
                (alpha * 1.4).min(1.0)
            } else {
                *alpha
            };
            c.prims.push(Prim::Band {
                xs: x.iter().map(|v| sx(*v)).collect(),
                top: hi.iter().map(|v| sy(*v)).collect(),
                bottom: lo.iter().map(|v| sy(*v)).collect(),
                fill: t.ink(*ink).with_alpha(a),
            });
        }
        Mark::Bars(bars) => {
            for b in bars {
                draw_bar(c, b, sx, sy, plot);
            }
        }
        Mark::VRule {
            x,
            ink,
            dash,
            label,
        } => {
            let px = sx(*x);
            let w = t.line_width() * 0.8;
            c.prims.push(Prim::Polyline {
                points: vec![[px, plot[1]], [px, plot[3]]],
                stroke: Stroke {
                    width: w,
                    color: t.ink(*ink),
                    dash: dash_of(*dash, w * 0.8),
                },
            });
            if let Some(label) = label {
                rule_label(c, px, label, plot, rule_labels);
            }
        }
        Mark::Points {
            points,
            ink,
            shape,
            filled,
        } => {
            for p in points {
                c.prims
                    .push(marker(t, [sx(p[0]), sy(p[1])], *ink, *shape, *filled));
            }
        }
        Mark::Segments { segments, ink } => {
            for s in segments {
                c.prims.push(Prim::Polyline {
                    points: vec![[sx(s[0][0]), sy(s[0][1])], [sx(s[1][0]), sy(s[1][1])]],
                    stroke: Stroke {
                        width: 1.5,
                        color: t.ink(*ink),
                        dash: None,
                    },
                });
            }
        }
        Mark::Cells {
            xs,
            ys,
            values,
            min,
            max,
            current,
            ..
        } => {
            let half = |v: &[f64], i: usize| -> (f64, f64) {
                let d = if v.len() > 1 {
                    (v[1] - v[0]).abs() / 2.0
                } else {
                    0.5
                };
                (v[i] - d, v[i] + d)
            };
            let span = if max > min { max - min } else { 1.0 };
            for (iy, row) in values.iter().enumerate() {
                for (ix, v) in row.iter().enumerate() {
                    if ix >= xs.len() || iy >= ys.len() {
                        continue;
                    }
                    let (x0, x1) = half(xs, ix);
                    let (y0, y1) = half(ys, iy);
                    let fill = if v.is_finite() {
                        t.ink(Ink::Scale(((v - min) / span) as f32))
                    } else {
                        t.ink(Ink::Unsettled)
                    };
                    c.prims.push(Prim::Rect {
                        rect: [sx(x0), sy(y1), sx(x1), sy(y0)],
                        fill: Some(fill),
                        stroke: Some(Stroke {
                            width: 0.5,
                            color: t.background(),
                            dash: None,
                        }),
                    });
                }
            }
            if let Some([x, y]) = current {
                let center = [sx(*x), sy(*y)];
                for (w, color) in [(4.0, Rgba::rgb(0, 0, 0)), (1.75, Rgba::rgb(255, 255, 255))] {
                    c.prims.push(Prim::Marker {
                        center,
                        radius: 8.0,
                        shape: Shape::Circle,
                        fill: None,
                        stroke: Some(Stroke {
                            width: w,
                            color,
                            dash: None,
                        }),
                    });
                }
            }
        }
        Mark::Note { at, text, align } => {
            let a = match align {
                -1 => Align::Left,
                1 => Align::Right,
                _ => Align::Center,
            };
            let color = t.text();
            let size = c.small;
            c.text([sx(at[0]), sy(at[1]) + size * 0.35], text, size, color, a);
        }
    }
}

/// A bar and its value label: inside the bar when it fits (black or white, whichever
/// contrasts), else beside its end, else inside cut short.
fn draw_bar(
    c: &mut Ctx,
    b: &Bar,
    sx: &dyn Fn(f64) -> f32,
    sy: &dyn Fn(f64) -> f32,
    plot: [f32; 4],
) {
    let t = c.theme;
    let (x0, x1) = (sx(b.from.min(b.to)), sx(b.from.max(b.to)));
    let yc = sy(b.y);
    let half = ((sy(b.y - b.thickness / 2.0) - sy(b.y + b.thickness / 2.0)) / 2.0).abs();
    let rect = [x0, yc - half, x1.max(x0 + 0.5), yc + half];
    let color = t.ink(b.ink);
    if b.hollow {
        c.prims.push(Prim::Rect {
            rect,
            fill: Some(color.with_alpha(0.12)),
            stroke: Some(Stroke {
                width: 1.5,
                color,
                dash: Some([3.0, 2.0]),
            }),
        });
    } else {
        c.prims.push(Prim::Rect {
            rect,
            fill: Some(color),
            stroke: None,
        });
    }
    let Some(label) = &b.label else { return };
    let size = (c.small).min(half * 2.0 * 0.95).max(c.small * 0.7);
    let w = c.m.width(label, size);
    let base = yc + size * 0.35;
    let pad = 4.0;
    let toward_right = b.to >= b.from;
    let (end, inner_room) = if toward_right {
        (x1, x1 - x0)
    } else {
        (x0, x1 - x0)
    };
    let outside_room = if toward_right {
        plot[2] - end - pad
    } else {
        end - plot[0] - pad
    };
    if w + 2.0 * pad <= inner_room && !b.hollow {
        let (x, align) = if toward_right {
            (end - pad, Align::Right)
        } else {
            (end + pad, Align::Left)
        };
        let tc = t.text_on(color);
        c.text([x, base], label, size, tc, align);
    } else if w <= outside_room {
        let (x, align) = if toward_right {
            (end + pad, Align::Left)
        } else {
            (end - pad, Align::Right)
        };
        c.text([x, base], label, size, t.text(), align);
    } else {
        let room = inner_room.max(outside_room).max(20.0);
        let fitted = c.fit(label, size, room);
        let inside = inner_room >= outside_room && !b.hollow;
        let (x, align, tc) = match (inside, toward_right) {
            (true, true) => (end - pad, Align::Right, t.text_on(color)),
            (true, false) => (end + pad, Align::Left, t.text_on(color)),
            (false, true) => (end + pad, Align::Left, t.text()),
            (false, false) => (end - pad, Align::Right, t.text()),
        };
        c.text([x, base], &fitted, size, tc, align);
    }
}

/// A rule's label at the top of the plot, beside its line, moved down a row while it would
/// overlap an earlier one.
fn rule_label(c: &mut Ctx, px: f32, label: &str, plot: [f32; 4], taken: &mut Vec<[f32; 4]>) {
    let size = c.small * 0.92;
    let lh = c.line_h(size);
    let text = c.fit(label, size, (plot[2] - plot[0]) * 0.6);
    let w = c.m.width(&text, size);
    let right_side = px + 4.0 + w <= plot[2];
    let (x0, x1) = if right_side {
        (px + 3.0, px + 7.0 + w)
    } else {
        (px - 7.0 - w, px - 3.0)
    };
    let mut y = plot[1] + 2.0;
    for _ in 0..12 {
        let r = [x0, y, x1, y + lh];
        if !taken
            .iter()
            .any(|o| r[0] < o[2] && r[2] > o[0] && r[1] < o[3] && r[3] > o[1])
        {
            break;
        }
        y += lh;
    }
    let r = [x0, y, x1, y + lh];
    taken.push(r);
    c.prims.push(Prim::Rect {
        rect: r,
        fill: Some(c.theme.background().with_alpha(0.85)),
        stroke: None,
    });
    let color = c.theme.text();
    c.text(
        [x0 + 2.0, y + c.baseline(size)],
        &text,
        size,
        color,
        Align::Left,
    );
}

/// The colour scale beside a heatmap: a bar of the scale with its ticks and label.
fn colour_scale(c: &mut Ctx, r: [f32; 4], lo: f64, hi: f64, label: &str, f: super::NumFormat) {
    let t = c.theme;
    let steps = 48;
    let h = (r[3] - r[1]) / steps as f32;
    for i in 0..steps {
        let frac = (i as f32 + 0.5) / steps as f32;
        let y1 = r[3] - i as f32 * h;
        c.prims.push(Prim::Rect {
            rect: [r[0], y1 - h - 0.3, r[2], y1],
            fill: Some(t.ink(Ink::Scale(frac))),
            stroke: None,
        });
    }
    c.prims.push(Prim::Rect {
        rect: r,
        fill: None,
        stroke: Some(Stroke {
            width: 1.0,
            color: t.axis(),
            dash: None,
        }),
    });
    let span = if hi > lo { hi - lo } else { 1.0 };
    let (ticks, dec) = nice_ticks(lo, hi, 5);
    let weak = t.weak_text();
    let mut widest = 0.0f32;
    for v in ticks {
        let y = r[3] - ((v - lo) / span) as f32 * (r[3] - r[1]);
        c.prims.push(Prim::Polyline {
            points: vec![[r[2], y], [r[2] + 4.0, y]],
            stroke: Stroke {
                width: 1.0,
                color: t.axis(),
                dash: None,
            },
        });
        let s = f.tick(v, dec);
        widest = widest.max(c.m.width(&s, c.small));
        c.text(
            [r[2] + 6.0, y + c.small * 0.35],
            &s,
            c.small,
            weak,
            Align::Left,
        );
    }
    if !label.is_empty() {
        let text = c.fit(label, c.small, r[3] - r[1]);
        c.prims.push(Prim::Text {
            pos: [r[2] + 8.0 + widest + c.small * 1.1, (r[1] + r[3]) / 2.0],
            text,
            size: c.small,
            color: weak,
            align: Align::Center,
            vertical: true,
        });
    }
}
