//! The Help window: the model's documentation, the teaching guide, the scenario format and
//! the analyses, rendered inside the app (headings, paragraphs, lists, tables, code) from the
//! documents compiled into the binary.

use egui::{RichText, Ui};

use crate::app::state::AppState;

/// A document the Help window shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HelpDoc {
    Model,
    Teaching,
    Format,
    Analysis,
}

impl HelpDoc {
    pub const ALL: [HelpDoc; 4] = [
        HelpDoc::Model,
        HelpDoc::Teaching,
        HelpDoc::Format,
        HelpDoc::Analysis,
    ];

    pub fn title(self) -> &'static str {
        match self {
            HelpDoc::Model => "The model",
            HelpDoc::Teaching => "Teaching with Armistice",
            HelpDoc::Format => "Scenario files",
            HelpDoc::Analysis => "Analyses",
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            HelpDoc::Model => include_str!("../../../docs/MODEL.md"),
            HelpDoc::Teaching => include_str!("../../../docs/TEACHING.md"),
            HelpDoc::Format => include_str!("../../../docs/SCENARIO_FORMAT.md"),
            HelpDoc::Analysis => include_str!("../../../docs/ANALYSIS.md"),
        }
    }
}

/// Draws the Help window when it is open.
pub fn help_ui(state: &mut AppState, ctx: &egui::Context) {
    let Some(doc) = state.ui.help else { return };
    let mut open = true;
    let screen = ctx.content_rect();
    egui::Window::new("Help")
        .open(&mut open)
        .default_size([(screen.width() * 0.7).min(900.0), screen.height() * 0.8])
        .max_height(screen.height() * 0.9)
        .resizable(true)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.horizontal_wrapped(|ui| {
                for d in HelpDoc::ALL {
                    if ui.selectable_label(doc == d, d.title()).clicked() {
                        state.ui.help = Some(d);
                    }
                }
            });
            ui.separator();
            egui::ScrollArea::vertical()
                .id_salt(("help", doc.title()))
                .auto_shrink([false, false])
                .show(ui, |ui| markdown_ui(state, ui, doc.text()));
        });
    if !open {
        state.ui.help = None;
    }
}

/// Renders markdown text (lesson text, documents) with the shared cache, each character the
/// fonts cannot draw written with ones they can (see [`printable`]).
pub fn markdown_ui(state: &mut AppState, ui: &mut Ui, text: &str) {
    let text = printable(ui.ctx(), text);
    egui_commonmark::CommonMarkViewer::new().show(ui, &mut state.ui.markdown, &text);
}

/// What to write for a character of the documents that a font may lack.
const FALLBACKS: [(char, &str); 16] = [
    ('→', "->"),
    ('←', "<-"),
    ('⇔', "<=>"),
    ('∈', " in "),
    ('⊕', " xor "),
    ('⌊', "floor("),
    ('⌋', ")"),
    ('⁻', "^-"),
    ('ⁿ', "^n"),
    ('\u{303}', "~"),
    ('\u{304}', "-"),
    ('▼', "v"),
    ('✘', "x"),
    ('≤', "<="),
    ('≥', ">="),
    ('∫', "integral "),
];

/// `text` with every character that the proportional or the monospace font cannot draw
/// replaced: by its fallback (`→` as `->`, `ⁿ` as `^n`), or by `?`.
pub fn printable<'a>(ctx: &egui::Context, text: &'a str) -> std::borrow::Cow<'a, str> {
    let fonts = [
        egui::FontId::proportional(12.0),
        egui::FontId::monospace(12.0),
    ];
    let drawable =
        |c: char| c.is_ascii() || ctx.fonts_mut(|f| fonts.iter().all(|id| f.has_glyph(id, c)));
    if text.chars().all(drawable) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if drawable(c) {
            out.push(c);
        } else {
            out.push_str(
                FALLBACKS
                    .iter()
                    .find(|(k, _)| *k == c)
                    .map_or("?", |(_, v)| v),
            );
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The Help menu's entries.
pub fn help_menu_ui(state: &mut AppState, ui: &mut Ui) {
    ui.label(RichText::new(format!("Armistice {}", env!("CARGO_PKG_VERSION"))).strong());
    for d in HelpDoc::ALL {
        if ui.button(d.title()).clicked() {
            state.ui.help = Some(d);
            ui.close();
        }
    }
    ui.separator();
    ui.label(
        "Explores how a war might be negotiated to an end. Every number is an assumption you \
         can see and change; the results are an exploration, not a forecast.",
    );
}
