//! A figure as a file: laid out off screen at the chosen size, with the caption stamp (app
//! and version, scenario title and hash, seed, trials) under it and no on-screen controls,
//! written as SVG (vector) or PNG (at a scale of pixels per point), each carrying its title,
//! the text summary and the replay record.

use super::font::EmbeddedFont;
use super::layout::{Options, layout};
use super::palette::Theme;
use super::raster::{RasterError, encode_png, render};
use super::svg::{SvgMeta, to_svg};
use super::{Figure, layout::Scene};
use crate::replay::{KEY, Replay};
use crate::run::Stamp;

/// The look of an exported figure.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
pub enum Look {
    /// Dark text on white (for print).
    #[default]
    Light,
    /// Light text on a dark background.
    Dark,
    /// High contrast, thick lines and large text (slides).
    Presentation,
}

impl Look {
    pub const ALL: [Look; 3] = [Look::Light, Look::Dark, Look::Presentation];

    pub fn theme(self) -> Theme {
        match self {
            Look::Light => Theme::PRINT,
            Look::Dark => Theme {
                dark: true,
                ..Theme::PRINT
            },
            Look::Presentation => Theme {
                presentation: true,
                ..Theme::PRINT
            },
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Look::Light => "light (print)",
            Look::Dark => "dark",
            Look::Presentation => "presentation",
        }
    }
}

/// File formats of a figure.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
pub enum Format {
    /// Vector graphics (text stays text).
    #[default]
    Svg,
    /// A raster image at the chosen scale.
    Png,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }

    /// The format a file name asks for.
    pub fn of_path(path: &std::path::Path) -> Option<Format> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("svg") => Some(Format::Svg),
            Some("png") => Some(Format::Png),
            _ => None,
        }
    }
}

/// Size and look of an exported figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spec {
    /// Points (CSS pixels): the SVG's size, and the PNG's before scaling.
    pub width: f32,
    pub height: f32,
    /// PNG pixels per point (1 to 8; 3 gives print resolution at a column's width).
    pub scale: f32,
    pub theme: Theme,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            width: 800.0,
            height: 500.0,
            scale: 3.0,
            theme: Theme::PRINT,
        }
    }
}

/// The sizes a figure may have, in points.
pub const MIN_SIDE: f32 = 160.0;
pub const MAX_SIDE: f32 = 4_000.0;

impl Spec {
    /// Checks the size and scale, saying what is wrong.
    pub fn check(&self) -> Result<(), String> {
        for (name, v) in [("width", self.width), ("height", self.height)] {
            if !(MIN_SIDE..=MAX_SIDE).contains(&v) {
                return Err(format!(
                    "{name} must be within {MIN_SIDE}..={MAX_SIDE} points, got {v}"
                ));
            }
        }
        if !(0.5..=8.0).contains(&self.scale) {
            return Err(format!("scale must be within 0.5..=8, got {}", self.scale));
        }
        Ok(())
    }
}

/// The stamp under an exported figure.
pub fn caption(stamp: &Stamp) -> String {
    format!(
        "Armistice {} · {} · scenario {} · seed {} · {} trials · an exploration of stated assumptions, not a forecast",
        stamp.app_version,
        stamp.scenario_title,
        stamp.scenario_hash,
        stamp.seed,
        crate::text::group_thousands(stamp.trials as f64)
    )
}

/// The figure laid out for a file.
pub fn scene(fig: &Figure, spec: &Spec, stamp: &Stamp) -> Scene {
    layout(
        fig,
        spec.width,
        spec.height,
        spec.theme,
        EmbeddedFont::get(),
        &Options {
            title: true,
            stamp: Some(caption(stamp)),
            view: None,
        },
    )
}

/// The figure as an SVG document carrying its replay record.
pub fn svg(fig: &Figure, spec: &Spec, stamp: &Stamp, replay: &Replay) -> String {
    let s = scene(fig, spec, stamp);
    let json = replay.to_json();
    to_svg(
        &s,
        &SvgMeta {
            title: &fig.title,
            description: &fig.summary,
            replay: Some(&json),
            id_prefix: "fig-",
            standalone: true,
        },
    )
}

/// The figure as the bytes of a file of `format`.
pub fn file(
    fig: &Figure,
    spec: &Spec,
    format: Format,
    stamp: &Stamp,
    replay: &Replay,
) -> Result<Vec<u8>, RasterError> {
    match format {
        Format::Svg => Ok(svg(fig, spec, stamp, replay).into_bytes()),
        Format::Png => png(fig, spec, stamp, replay),
    }
}

/// The figure as a PNG image carrying its replay record.
pub fn png(
    fig: &Figure,
    spec: &Spec,
    stamp: &Stamp,
    replay: &Replay,
) -> Result<Vec<u8>, RasterError> {
    let s = scene(fig, spec, stamp);
    let (w, h, rgba) = render(&s, spec.scale)?;
    let json = replay.to_json();
    let software = format!("Armistice {}", stamp.app_version);
    let texts: [(&str, &str); 4] = [
        ("Title", fig.title.as_str()),
        ("Description", fig.summary.as_str()),
        ("Software", software.as_str()),
        (KEY, json.as_str()),
    ];
    encode_png(w, h, &rgba, spec.scale, &texts)
}
