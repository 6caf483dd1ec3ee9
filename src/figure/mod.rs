//! Figures: one description of each plot that the app draws on screen and the exports write
//! to SVG and PNG. A builder ([`build`]) turns a run's result into a [`Figure`] (series,
//! bands, bars, rules, points, cells, their legend, the hover read-outs and a text summary
//! for screen readers); [`layout`] places it in a rectangle as a [`layout::Scene`] of
//! shapes and text; [`svg`] and [`raster`] write a scene to a file, and the app paints the
//! same scene with egui. Nothing here names egui.
//!
//! Colours are named by meaning ([`Ink`]) and resolved by [`palette`] for the theme, so that
//! each side keeps its colour everywhere and every other encoding comes from another,
//! colour-blind-safe set.

pub mod analysis;
pub mod build;
pub mod export;
pub mod font;
pub mod layout;
mod monthly;
pub mod palette;
pub mod raster;
pub mod svg;
pub mod ticks;

pub use build::{FigureInput, build};
pub use palette::{Ink, Theme};

/// Every plot the app has, as the command line names it (`armistice figure --plot NAME`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum PlotKind {
    /// Each side's leverage: distribution (histogram or CDF), mean and 90% interval.
    Leverage,
    /// (Format version 1) Which deal, if any, and what blocked one.
    Deal,
    /// The front as a fan chart with the observed figures.
    Front,
    /// The bargaining range: the share of trials in which each split is inside it.
    Range,
    /// (Format version 2) The share of runs settled by each month.
    Settlement,
    /// (Format version 2) Why the war goes on, month by month.
    Why,
    /// (Format version 2) The terms at settlement.
    Terms,
    /// (Format version 2) Side a's leverage at each month's table.
    LeverageMonths,
    /// Analysis: the inputs that move an output (10th/90th percentile swings).
    Tornado,
    /// Analysis: Sobol indices S1 and ST with their intervals.
    Sobol,
    /// Analysis: leverage and the chance of a deal against one input.
    Curve,
    /// Analysis: an output over two inputs.
    Heatmap,
    /// Analysis: where the runs without a deal concentrate (PRIM's peeling trajectory and
    /// the conditions of the reported box).
    WhyNoDeal,
}

impl PlotKind {
    pub const ALL: [PlotKind; 13] = [
        PlotKind::Leverage,
        PlotKind::Deal,
        PlotKind::Front,
        PlotKind::Range,
        PlotKind::Settlement,
        PlotKind::Why,
        PlotKind::Terms,
        PlotKind::LeverageMonths,
        PlotKind::Tornado,
        PlotKind::Sobol,
        PlotKind::Curve,
        PlotKind::Heatmap,
        PlotKind::WhyNoDeal,
    ];

    /// The analysis charts.
    pub const ANALYSES: [PlotKind; 5] = [
        PlotKind::Tornado,
        PlotKind::Sobol,
        PlotKind::Curve,
        PlotKind::Heatmap,
        PlotKind::WhyNoDeal,
    ];

    /// The plots of a run (not the analyses).
    pub const OUTCOMES: [PlotKind; 8] = [
        PlotKind::Leverage,
        PlotKind::Deal,
        PlotKind::Front,
        PlotKind::Range,
        PlotKind::Settlement,
        PlotKind::Why,
        PlotKind::Terms,
        PlotKind::LeverageMonths,
    ];

    /// The name on the command line and the stem of an exported file.
    pub fn name(self) -> &'static str {
        match self {
            PlotKind::Leverage => "leverage",
            PlotKind::Deal => "deal",
            PlotKind::Front => "front",
            PlotKind::Range => "bargaining-range",
            PlotKind::Settlement => "settlement-curve",
            PlotKind::Why => "why-the-war-goes-on",
            PlotKind::Terms => "terms-at-settlement",
            PlotKind::LeverageMonths => "leverage-by-month",
            PlotKind::Tornado => "tornado",
            PlotKind::Sobol => "sobol",
            PlotKind::Curve => "leverage-curve",
            PlotKind::Heatmap => "heatmap",
            PlotKind::WhyNoDeal => "why-no-deal",
        }
    }

    pub fn from_name(name: &str) -> Option<PlotKind> {
        let n = name.trim().to_ascii_lowercase();
        PlotKind::ALL.into_iter().find(|k| {
            k.name() == n
                || match k {
                    PlotKind::Range => n == "range",
                    PlotKind::Settlement => n == "settlement" || n == "when",
                    PlotKind::Why => n == "why",
                    PlotKind::Terms => n == "terms",
                    PlotKind::LeverageMonths => n == "leverage-months",
                    PlotKind::Curve => n == "curve",
                    _ => false,
                }
        })
    }

    /// Whether the plot exists for a run of the monthly model (`true`) or the one-shot one.
    pub fn applies_to(self, monthly: bool) -> bool {
        match self {
            PlotKind::Deal => !monthly,
            PlotKind::Settlement | PlotKind::Why | PlotKind::Terms | PlotKind::LeverageMonths => {
                monthly
            }
            _ => true,
        }
    }

    /// True for the analysis charts, which need an analysis run first.
    pub fn is_analysis(self) -> bool {
        matches!(
            self,
            PlotKind::Tornado
                | PlotKind::Sobol
                | PlotKind::Curve
                | PlotKind::Heatmap
                | PlotKind::WhyNoDeal
        )
    }
}

/// How numbers on an axis or in a read-out are written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NumFormat {
    /// A share of the issue or a probability as a decimal (0.25).
    Share,
    /// A share as a percentage (25%).
    Percent,
    /// Square kilometres with thousands separators.
    Km2,
    /// Whole months.
    Month,
    /// Counts with thousands separators.
    Count,
    /// Any other number, readable.
    Plain,
}

impl NumFormat {
    /// `x` with `decimals` decimals (for tick labels, where the step decides them).
    pub fn tick(self, x: f64, decimals: usize) -> String {
        let x = if x == 0.0 { 0.0 } else { x };
        match self {
            NumFormat::Percent => format!("{:.*}%", decimals.saturating_sub(2), x * 100.0),
            NumFormat::Km2 | NumFormat::Count | NumFormat::Month if decimals == 0 => {
                crate::text::group_thousands(x)
            }
            NumFormat::Plain if x.abs() >= 1000.0 && decimals == 0 => {
                crate::text::group_thousands(x)
            }
            _ => format!("{x:.decimals$}"),
        }
    }

    /// `x` for a read-out.
    pub fn value(self, x: f64) -> String {
        match self {
            NumFormat::Share => format!("{x:.3}"),
            NumFormat::Percent => crate::text::fmt_percent(x),
            NumFormat::Km2 => format!("{} km²", crate::text::group_thousands(x)),
            NumFormat::Month => format!("month {}", crate::text::group_thousands(x)),
            NumFormat::Count => crate::text::group_thousands(x),
            NumFormat::Plain => crate::text::fmt_readable(x),
        }
    }
}

/// One axis: what it shows and the data window it spans.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub label: String,
    pub min: f64,
    pub max: f64,
    pub format: NumFormat,
    /// Row labels of a categorical axis (bars), from the top; empty for a numeric axis.
    pub categories: Vec<String>,
    /// Whether to draw the axis with ticks (a categorical axis draws its labels instead).
    pub ticks: bool,
}

impl Axis {
    pub fn numeric(label: impl Into<String>, min: f64, max: f64, format: NumFormat) -> Self {
        Axis {
            label: label.into(),
            min,
            max,
            format,
            categories: Vec::new(),
            ticks: true,
        }
    }

    /// Rows from the top: row `i` sits at `y = n - 1 - i`.
    pub fn categories(rows: Vec<String>) -> Self {
        let n = rows.len() as f64;
        Axis {
            label: String::new(),
            min: -0.6,
            max: n - 0.4,
            format: NumFormat::Plain,
            categories: rows,
            ticks: false,
        }
    }

    /// The y coordinate of category row `i` (from the top).
    pub fn row_y(&self, i: usize) -> f64 {
        self.categories.len() as f64 - 1.0 - i as f64
    }
}

/// Line styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dash {
    Solid,
    /// The baseline.
    Dashed,
    /// Reference lines (intervals, observed talks).
    Dotted,
}

/// Marker shapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Diamond,
}

/// One horizontal bar from `from` to `to` on row `y`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub y: f64,
    /// Thickness in rows (0..1).
    pub thickness: f64,
    pub from: f64,
    pub to: f64,
    pub ink: Ink,
    /// Drawn as an outline only (the baseline).
    pub hollow: bool,
    /// The value written on or beside the bar.
    pub label: Option<String>,
}

/// What a figure draws, in data coordinates.
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    /// A polyline.
    Line {
        points: Vec<[f64; 2]>,
        ink: Ink,
        dash: Dash,
        /// Relative width (1 = the theme's line width).
        width: f32,
    },
    /// The area between `lo` and `hi` over `x`.
    Band {
        x: Vec<f64>,
        lo: Vec<f64>,
        hi: Vec<f64>,
        ink: Ink,
        /// Opacity of the fill, 0..1.
        alpha: f32,
    },
    /// Horizontal bars.
    Bars(Vec<Bar>),
    /// A vertical line at `x`, with an optional label at its top.
    VRule {
        x: f64,
        ink: Ink,
        dash: Dash,
        label: Option<String>,
    },
    /// Markers.
    Points {
        points: Vec<[f64; 2]>,
        ink: Ink,
        shape: Shape,
        filled: bool,
    },
    /// Short segments (whiskers of an interval).
    Segments {
        segments: Vec<[[f64; 2]; 2]>,
        ink: Ink,
    },
    /// A grid of coloured cells (a heatmap): `values[iy][ix]` over cell centres `xs`, `ys`.
    Cells {
        xs: Vec<f64>,
        ys: Vec<f64>,
        values: Vec<Vec<f64>>,
        /// The value range of the colour scale.
        min: f64,
        max: f64,
        /// The label of the colour scale.
        scale_label: String,
        scale_format: NumFormat,
        /// The scenario's current point, marked with a ring.
        current: Option<[f64; 2]>,
    },
    /// A text at a data position.
    Note {
        at: [f64; 2],
        text: String,
        /// Horizontal anchor: -1 left, 0 centre, 1 right.
        align: i8,
    },
}

/// One entry of the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    pub label: String,
    pub swatch: Swatch,
}

/// What a legend entry shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Swatch {
    Line(Ink, Dash),
    Fill(Ink, f32),
    Hollow(Ink),
    Marker(Ink, Shape, bool),
}

/// A read-out the pointer finds: a point (or a region) of the data and what to say about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Hover {
    pub x: f64,
    pub y: f64,
    /// When set, the read-out shows while the pointer is inside `[x0, x1] x [y0, y1]`.
    pub region: Option<[f64; 4]>,
    pub text: String,
}

impl Hover {
    pub fn point(x: f64, y: f64, text: impl Into<String>) -> Self {
        Hover {
            x,
            y,
            region: None,
            text: text.into(),
        }
    }

    pub fn region(r: [f64; 4], text: impl Into<String>) -> Self {
        Hover {
            x: (r[0] + r[2]) / 2.0,
            y: (r[1] + r[3]) / 2.0,
            region: Some(r),
            text: text.into(),
        }
    }
}

/// A plot, ready to lay out.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub kind: PlotKind,
    pub title: String,
    pub x: Axis,
    pub y: Axis,
    pub marks: Vec<Mark>,
    pub legend: Vec<LegendItem>,
    pub hovers: Vec<Hover>,
    /// Lines under the plot (what the marks do not say: a line at settlement, a share of
    /// empty ranges).
    pub notes: Vec<String>,
    /// What the plot shows and its key numbers, for screen readers.
    pub summary: String,
    /// Whether the view may be zoomed and panned (continuous axes).
    pub zoomable: bool,
}

impl Figure {
    pub fn new(kind: PlotKind, title: impl Into<String>, x: Axis, y: Axis) -> Self {
        Figure {
            kind,
            title: title.into(),
            x,
            y,
            marks: Vec::new(),
            legend: Vec::new(),
            hovers: Vec::new(),
            notes: Vec::new(),
            summary: String::new(),
            zoomable: false,
        }
    }

    pub fn legend(&mut self, label: impl Into<String>, swatch: Swatch) {
        self.legend.push(LegendItem {
            label: label.into(),
            swatch,
        });
    }
}
