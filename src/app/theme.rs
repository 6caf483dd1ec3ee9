//! Colours and the look of the app: light and dark themes, and the high-contrast look of
//! presentation mode (thicker lines, stronger text).

use egui::{Color32, Stroke, Theme, Visuals};

use super::settings::ThemeChoice;

/// Applies the theme; `presentation` switches to high contrast.
pub fn apply(ctx: &egui::Context, theme: ThemeChoice, presentation: bool) {
    let (egui_theme, mut visuals) = match theme {
        ThemeChoice::Light => (Theme::Light, Visuals::light()),
        ThemeChoice::Dark => (Theme::Dark, Visuals::dark()),
    };
    if presentation {
        let dark = theme == ThemeChoice::Dark;
        let (bg, fg) = if dark {
            (Color32::BLACK, Color32::WHITE)
        } else {
            (Color32::WHITE, Color32::BLACK)
        };
        visuals.override_text_color = Some(fg);
        visuals.panel_fill = bg;
        visuals.window_fill = bg;
        visuals.extreme_bg_color = bg;
        visuals.widgets.noninteractive.bg_stroke = Stroke::new(1.5, fg.gamma_multiply(0.6));
        visuals.widgets.inactive.bg_stroke = Stroke::new(1.5, fg.gamma_multiply(0.7));
        visuals.widgets.inactive.fg_stroke = Stroke::new(2.0, fg);
        visuals.widgets.hovered.fg_stroke = Stroke::new(2.0, fg);
        visuals.widgets.active.fg_stroke = Stroke::new(2.5, fg);
    }
    ctx.set_theme(egui_theme);
    ctx.set_visuals_of(egui_theme, visuals);
    // Presentation mode: larger text and roomier controls, on top of the UI scale.
    let factor = if presentation { PRESENTATION_TEXT } else { 1.0 };
    ctx.style_mut_of(egui_theme, |style| {
        let defaults = egui::Style::default();
        for (text_style, font) in style.text_styles.iter_mut() {
            if let Some(base) = defaults.text_styles.get(text_style) {
                font.size = base.size * factor;
            }
        }
        style.spacing.interact_size = defaults.spacing.interact_size * factor;
        style.spacing.item_spacing = defaults.spacing.item_spacing * factor.sqrt();
    });
}

/// How much larger text is in presentation mode.
pub const PRESENTATION_TEXT: f32 = 1.4;

/// Palette of the plots.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    /// Side a, side b.
    pub sides: [Color32; 2],
    /// The pinned baseline.
    pub baseline: Color32,
    /// The front bands (90%, 50%) and median.
    pub band_outer: Color32,
    pub band_inner: Color32,
    pub median: Color32,
    pub observed: Color32,
    pub deal: Color32,
    pub no_deal: Color32,
    /// What keeps a war going, besides the sides' own colours: no durable package, and mutual
    /// optimism.
    pub durability: Color32,
    pub optimism: Color32,
    /// Plot line width.
    pub line_width: f32,
}

impl Palette {
    pub fn new(dark: bool, presentation: bool) -> Self {
        let (a, b) = if dark {
            (
                Color32::from_rgb(100, 170, 255),
                Color32::from_rgb(255, 120, 100),
            )
        } else {
            (
                Color32::from_rgb(25, 100, 190),
                Color32::from_rgb(200, 50, 40),
            )
        };
        let median = if dark {
            Color32::from_rgb(255, 200, 80)
        } else {
            Color32::from_rgb(150, 70, 0)
        };
        Palette {
            sides: [a, b],
            baseline: if dark {
                Color32::from_gray(190)
            } else {
                Color32::from_gray(90)
            },
            band_outer: median.gamma_multiply(if presentation { 0.28 } else { 0.18 }),
            band_inner: median.gamma_multiply(if presentation { 0.5 } else { 0.38 }),
            median,
            observed: if dark {
                Color32::from_rgb(120, 230, 140)
            } else {
                Color32::from_rgb(20, 130, 50)
            },
            deal: if dark {
                Color32::from_rgb(120, 200, 160)
            } else {
                Color32::from_rgb(40, 140, 100)
            },
            no_deal: if dark {
                Color32::from_gray(150)
            } else {
                Color32::from_gray(120)
            },
            durability: if dark {
                Color32::from_rgb(200, 150, 255)
            } else {
                Color32::from_rgb(120, 60, 170)
            },
            optimism: if dark {
                Color32::from_rgb(240, 200, 90)
            } else {
                Color32::from_rgb(190, 130, 0)
            },
            line_width: if presentation { 3.0 } else { 1.5 },
        }
    }

    pub fn of(ui: &egui::Ui, presentation: bool) -> Self {
        Palette::new(ui.visuals().dark_mode, presentation)
    }
}
