//! Paints a figure with egui: the same layout the exports use ([`crate::figure::layout`]),
//! measured with egui's fonts, so that the screen shows what a file will hold. Adds what only
//! a screen has: the read-out of the nearest data point (or the bar, cell or band under the
//! pointer), zoom (Ctrl+scroll or pinch) and pan (drag) on continuous axes, reset with a
//! double-click, a click's data coordinates, and the figure's summary as its AccessKit label.

use std::sync::Arc;

use egui::epaint::{Mesh, PathShape, TextShape};
use egui::{Color32, FontId, Pos2, Rect, Sense, Shape, Ui, Vec2, pos2};

use crate::figure::layout::{Align, Options, Prim, Scene, Stroke, layout};
use crate::figure::palette::Rgba;
use crate::figure::{Figure, Shape as MarkShape, Theme, font::Measure};

/// Text measured with egui's fonts (the app's proportional face).
pub struct EguiMeasure<'a>(pub &'a egui::Context);

impl Measure for EguiMeasure<'_> {
    fn width(&self, text: &str, size: f32) -> f32 {
        self.0.fonts_mut(|f| {
            f.layout_no_wrap(text.to_string(), FontId::proportional(size), Color32::WHITE)
                .size()
                .x
        })
    }
}

fn c32(c: Rgba) -> Color32 {
    let [r, g, b, a] = c.0;
    Color32::from_rgba_unmultiplied(r, g, b, a)
}

fn stroke(s: &Stroke) -> egui::Stroke {
    egui::Stroke::new(s.width, c32(s.color))
}

/// What a click or the pointer did on a figure.
pub struct FigureResponse {
    /// Data coordinates of a click inside the plot area.
    pub clicked: Option<[f64; 2]>,
}

/// Draws `fig` in a rectangle of `size` (the figure's own title is left to the caller).
pub fn figure_ui(
    ui: &mut Ui,
    id_salt: &str,
    fig: &Figure,
    theme: Theme,
    size: Vec2,
) -> FigureResponse {
    let (rect, response) = ui.allocate_exact_size(size, Sense::click_and_drag());
    let id = ui.scope_id().with(id_salt);
    let mut view: Option<[f64; 4]> = ui.data(|d| d.get_temp(id));
    if response.double_clicked() {
        view = None;
    }
    let measure = EguiMeasure(ui.ctx());
    let opts = Options {
        title: false,
        stamp: None,
        view,
    };
    let mut scene = layout(fig, rect.width(), rect.height(), theme, &measure, &opts);
    if fig.zoomable && interact_view(ui, &response, rect, &scene, &mut view) {
        scene = layout(
            fig,
            rect.width(),
            rect.height(),
            theme,
            &measure,
            &Options { view, ..opts },
        );
    }
    ui.data_mut(|d| match view {
        Some(v) => {
            d.insert_temp(id, v);
        }
        None => d.remove::<[f64; 4]>(id),
    });
    let painter = ui.painter_at(rect);
    paint(&painter, &scene, rect.min);
    let summary = fig.summary.clone();
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::accesskit::Role::Image, true, summary.clone())
    });
    let mut clicked = None;
    if let Some(p) = response
        .interact_pointer_pos()
        .filter(|_| response.clicked())
    {
        let local = [p.x - rect.min.x, p.y - rect.min.y];
        let [l, t, r, b] = scene.plot;
        if local[0] >= l && local[0] <= r && local[1] >= t && local[1] <= b {
            clicked = Some(scene.data_at(local));
        }
    }
    if let Some(p) = response.hover_pos().filter(|_| !response.dragged()) {
        let local = [p.x - rect.min.x, p.y - rect.min.y];
        if let Some(h) = scene.hover_at(local, 28.0) {
            highlight(&painter, h, rect.min, theme);
            let text = h.text.clone();
            response.on_hover_ui_at_pointer(|ui| {
                ui.label(text);
            });
        }
    }
    FigureResponse { clicked }
}

/// Zoom (Ctrl+scroll, pinch) and pan (drag) the data window; true when it changed.
fn interact_view(
    ui: &Ui,
    response: &egui::Response,
    rect: Rect,
    scene: &Scene,
    view: &mut Option<[f64; 4]>,
) -> bool {
    let [x0, x1, y0, y1] = scene.view;
    let [l, t, r, b] = scene.plot;
    let (w, h) = ((r - l).max(1.0), (b - t).max(1.0));
    let mut v = [x0, x1, y0, y1];
    let mut changed = false;
    if response.dragged() {
        let d = response.drag_delta();
        let dx = f64::from(d.x / w) * (x1 - x0);
        let dy = f64::from(d.y / h) * (y1 - y0);
        v = [x0 - dx, x1 - dx, y0 + dy, y1 + dy];
        changed = d != Vec2::ZERO;
    }
    if response.hovered() {
        let zoom = ui.input(|i| i.zoom_delta());
        if (zoom - 1.0).abs() > 1e-4
            && let Some(p) = response.hover_pos()
        {
            let [cx, cy] = scene.data_at([p.x - rect.min.x, p.y - rect.min.y]);
            let k = 1.0 / f64::from(zoom);
            v = [
                cx + (v[0] - cx) * k,
                cx + (v[1] - cx) * k,
                cy + (v[2] - cy) * k,
                cy + (v[3] - cy) * k,
            ];
            changed = true;
        }
    }
    if changed && v.iter().all(|x| x.is_finite()) && v[1] > v[0] && v[3] > v[2] {
        *view = Some(v);
        true
    } else {
        false
    }
}

/// A mark around the data point or region the read-out is about.
fn highlight(painter: &egui::Painter, h: &crate::figure::layout::HoverPx, o: Pos2, theme: Theme) {
    let color = c32(theme.text());
    match h.region {
        Some([x0, y0, x1, y1]) => {
            painter.rect_stroke(
                Rect::from_min_max(pos2(o.x + x0, o.y + y0), pos2(o.x + x1, o.y + y1)),
                0.0,
                egui::Stroke::new(1.5, color),
                egui::StrokeKind::Outside,
            );
        }
        None => {
            painter.circle_stroke(
                pos2(o.x + h.pos[0], o.y + h.pos[1]),
                5.0,
                egui::Stroke::new(2.0, color),
            );
        }
    }
}

fn galley(painter: &egui::Painter, text: &str, size: f32, color: Color32) -> Arc<egui::Galley> {
    painter.layout_no_wrap(text.to_string(), FontId::proportional(size), color)
}

/// Distance from a galley's top to its first baseline.
fn baseline_of(g: &egui::Galley, size: f32) -> f32 {
    g.rows
        .first()
        .and_then(|r| r.row.glyphs.first().map(|gl| r.pos.y + gl.pos.y))
        .unwrap_or(size * 0.8)
}

/// Paints a scene with its origin at `o`.
pub fn paint(base: &egui::Painter, scene: &Scene, o: Pos2) {
    let at = |p: [f32; 2]| pos2(o.x + p[0], o.y + p[1]);
    base.rect_filled(
        Rect::from_min_size(o, egui::vec2(scene.width, scene.height)),
        0.0,
        c32(scene.background),
    );
    let mut stack: Vec<egui::Painter> = vec![base.clone()];
    for prim in &scene.prims {
        let painter = stack.last().cloned().unwrap_or_else(|| base.clone());
        match prim {
            Prim::Clip(r) => {
                let rect = Rect::from_min_max(at([r[0], r[1]]), at([r[2], r[3]]));
                stack.push(painter.with_clip_rect(rect.intersect(painter.clip_rect())));
            }
            Prim::EndClip => {
                if stack.len() > 1 {
                    stack.pop();
                }
            }
            Prim::Rect {
                rect,
                fill,
                stroke: s,
            } => {
                let r = Rect::from_min_max(at([rect[0], rect[1]]), at([rect[2], rect[3]]));
                if let Some(f) = fill {
                    painter.rect_filled(r, 0.0, c32(*f));
                }
                if let Some(s) = s {
                    outline(
                        &painter,
                        &[
                            r.left_top(),
                            r.right_top(),
                            r.right_bottom(),
                            r.left_bottom(),
                            r.left_top(),
                        ],
                        s,
                    );
                }
            }
            Prim::Polyline { points, stroke: s } => {
                let pts: Vec<Pos2> = points.iter().map(|p| at(*p)).collect();
                outline(&painter, &pts, s);
            }
            Prim::Band {
                xs,
                top,
                bottom,
                fill,
            } => {
                let color = c32(*fill);
                let mut mesh = Mesh::default();
                for i in 0..xs.len() {
                    mesh.colored_vertex(at([xs[i], top[i]]), color);
                    mesh.colored_vertex(at([xs[i], bottom[i]]), color);
                    if i > 0 {
                        let k = (2 * i) as u32;
                        mesh.add_triangle(k - 2, k - 1, k);
                        mesh.add_triangle(k - 1, k + 1, k);
                    }
                }
                painter.add(Shape::mesh(mesh));
            }
            Prim::Marker {
                center,
                radius,
                shape,
                fill,
                stroke: s,
            } => {
                let c = at(*center);
                let fill = fill.map_or(Color32::TRANSPARENT, c32);
                let st = s.as_ref().map_or(egui::Stroke::NONE, stroke);
                match shape {
                    MarkShape::Circle => {
                        painter.circle(c, *radius, fill, st);
                    }
                    MarkShape::Diamond => {
                        let r = radius * 1.25;
                        painter.add(PathShape::convex_polygon(
                            vec![
                                pos2(c.x, c.y - r),
                                pos2(c.x + r, c.y),
                                pos2(c.x, c.y + r),
                                pos2(c.x - r, c.y),
                            ],
                            fill,
                            st,
                        ));
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
                let g = galley(&painter, text, *size, c32(*color));
                let w = g.size().x;
                let b = baseline_of(&g, *size);
                let shift = match align {
                    Align::Left => 0.0,
                    Align::Center => w / 2.0,
                    Align::Right => w,
                };
                let p = at(*pos);
                if *vertical {
                    let origin = pos2(p.x - b, p.y + shift);
                    painter.add(
                        TextShape::new(origin, g, c32(*color))
                            .with_angle(-std::f32::consts::FRAC_PI_2),
                    );
                } else {
                    painter.galley(pos2(p.x - shift, p.y - b), g, c32(*color));
                }
            }
        }
    }
}

/// A stroked polyline, dashed when the stroke says so.
fn outline(painter: &egui::Painter, pts: &[Pos2], s: &Stroke) {
    if pts.len() < 2 {
        return;
    }
    match s.dash {
        Some([on, off]) => {
            painter.extend(Shape::dashed_line(pts, stroke(s), on, off));
        }
        None => {
            painter.add(Shape::line(pts.to_vec(), stroke(s)));
        }
    }
}
