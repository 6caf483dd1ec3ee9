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

/// The figure palette's colours as egui colours, for the views egui_plot still draws (the
/// one-trial view of lesson mode): the same colour for the same meaning as every figure.
pub struct Palette {
    /// Side a, side b.
    pub sides: [Color32; 2],
    /// The pinned baseline.
    pub baseline: Color32,
    /// A median line.
    pub median: Color32,
    /// Observed figures.
    pub observed: Color32,
    /// A deal, a settlement.
    pub deal: Color32,
    /// No deal.
    pub no_deal: Color32,
    /// No package is durable.
    pub durability: Color32,
    /// Plot line width.
    pub line_width: f32,
}

impl Palette {
    /// The palette of the figures' theme for this `ui` (dark or light) and presentation mode.
    pub fn of(ui: &egui::Ui, presentation: bool) -> Self {
        use crate::figure::palette::Ink;
        let theme = crate::figure::Theme {
            dark: ui.visuals().dark_mode,
            presentation,
            compact: false,
        };
        let c = |ink: Ink| {
            let [r, g, b, a] = theme.ink(ink).0;
            Color32::from_rgba_unmultiplied(r, g, b, a)
        };
        Palette {
            sides: [c(Ink::SideA), c(Ink::SideB)],
            baseline: c(Ink::Baseline),
            median: c(Ink::Text),
            observed: c(Ink::Observed),
            deal: c(Ink::Settled),
            no_deal: c(Ink::Unsettled),
            durability: c(Ink::Durability),
            line_width: theme.line_width(),
        }
    }
}
