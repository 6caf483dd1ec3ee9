//! The look of the app: light and dark themes, and the high-contrast look of presentation
//! mode (thicker lines, stronger text). The plots' colours are in `crate::figure::palette`.

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
