//! Colours by meaning, resolved per theme. Each side keeps one colour everywhere (the
//! Okabe-Ito blue and vermillion, which stay apart under every common colour-vision
//! deficiency); other encodings use neutral greys, the Okabe-Ito bluish green and reddish
//! purple, luminance steps of one hue (a tornado's percentiles), or viridis (a heatmap), so
//! no colour means two things. Text on a coloured fill is black or white, whichever
//! contrasts more (WCAG contrast ratio).

/// An sRGB colour with alpha, 0..=255.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Rgba([r, g, b, 255])
    }

    pub fn with_alpha(self, a: f32) -> Self {
        let [r, g, b, _] = self.0;
        Rgba([r, g, b, (a.clamp(0.0, 1.0) * 255.0).round() as u8])
    }

    pub fn alpha(self) -> f32 {
        f32::from(self.0[3]) / 255.0
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        let [r, g, b, _] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// This colour painted over `bg` (opaque result).
    pub fn over(self, bg: Rgba) -> Rgba {
        let a = self.alpha();
        let mix = |f: u8, b: u8| (f32::from(f) * a + f32::from(b) * (1.0 - a)).round() as u8;
        Rgba::rgb(
            mix(self.0[0], bg.0[0]),
            mix(self.0[1], bg.0[1]),
            mix(self.0[2], bg.0[2]),
        )
    }

    /// Relative luminance (WCAG 2), ignoring alpha.
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0[0]) + 0.7152 * lin(self.0[1]) + 0.0722 * lin(self.0[2])
    }

    /// WCAG contrast ratio of two opaque colours (1..21).
    pub fn contrast(self, other: Rgba) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }
}

/// The look a figure is drawn in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Theme {
    pub dark: bool,
    /// Presentation mode: high contrast, thicker lines, larger text.
    pub presentation: bool,
    /// Small print (a figure in a printed brief): smaller text and thinner lines.
    pub compact: bool,
}

impl Theme {
    /// The light theme used for files (papers print on white).
    pub const PRINT: Theme = Theme {
        dark: false,
        presentation: false,
        compact: false,
    };

    pub fn background(self) -> Rgba {
        match (self.dark, self.presentation) {
            (true, true) => Rgba::rgb(0, 0, 0),
            (true, false) => Rgba::rgb(27, 27, 27),
            (false, true) => Rgba::rgb(255, 255, 255),
            (false, false) => Rgba::rgb(255, 255, 255),
        }
    }

    pub fn text(self) -> Rgba {
        match (self.dark, self.presentation) {
            (true, true) => Rgba::rgb(255, 255, 255),
            (true, false) => Rgba::rgb(225, 225, 225),
            (false, true) => Rgba::rgb(0, 0, 0),
            (false, false) => Rgba::rgb(30, 30, 30),
        }
    }

    /// Secondary text (axis labels, notes).
    pub fn weak_text(self) -> Rgba {
        match (self.dark, self.presentation) {
            (_, true) => self.text(),
            (true, false) => Rgba::rgb(180, 180, 180),
            (false, false) => Rgba::rgb(80, 80, 80),
        }
    }

    pub fn grid(self) -> Rgba {
        if self.dark {
            Rgba::rgb(255, 255, 255).with_alpha(if self.presentation { 0.22 } else { 0.12 })
        } else {
            Rgba::rgb(0, 0, 0).with_alpha(if self.presentation { 0.2 } else { 0.1 })
        }
    }

    pub fn axis(self) -> Rgba {
        self.weak_text()
    }

    /// Width of a data line, in points.
    pub fn line_width(self) -> f32 {
        if self.presentation {
            3.0
        } else if self.compact {
            1.2
        } else {
            1.75
        }
    }

    /// Body text size, in points.
    pub fn text_size(self) -> f32 {
        if self.presentation {
            17.5
        } else if self.compact {
            9.5
        } else {
            12.5
        }
    }

    /// Black or white, whichever reads better on `fill` (painted over the background).
    pub fn text_on(self, fill: Rgba) -> Rgba {
        let solid = fill.over(self.background());
        let black = Rgba::rgb(0, 0, 0);
        let white = Rgba::rgb(255, 255, 255);
        if solid.contrast(black) >= solid.contrast(white) {
            black
        } else {
            white
        }
    }

    /// The colour of `ink` in this theme.
    pub fn ink(self, ink: Ink) -> Rgba {
        let d = self.dark;
        match ink {
            // Okabe & Ito (2008): blue and vermillion; lighter on dark backgrounds.
            Ink::SideA => {
                if d {
                    Rgba::rgb(86, 180, 233)
                } else {
                    Rgba::rgb(0, 114, 178)
                }
            }
            Ink::SideB => {
                if d {
                    Rgba::rgb(240, 128, 70)
                } else {
                    Rgba::rgb(213, 94, 0)
                }
            }
            // Bluish green: a settlement, a deal, a split inside the range.
            Ink::Settled => {
                if d {
                    Rgba::rgb(60, 200, 160)
                } else {
                    Rgba::rgb(0, 158, 115)
                }
            }
            // Grey, darker than the settled green so that the two differ in lightness too
            // (under deuteranopia their hues merge).
            Ink::Unsettled => {
                if d {
                    Rgba::rgb(105, 105, 105)
                } else {
                    Rgba::rgb(90, 90, 90)
                }
            }
            Ink::Baseline => {
                if d {
                    Rgba::rgb(200, 200, 200)
                } else {
                    Rgba::rgb(70, 70, 70)
                }
            }
            Ink::Observed | Ink::Text => self.text(),
            // Reddish purple: the commitment problem.
            Ink::Durability => {
                if d {
                    Rgba::rgb(205, 110, 170)
                } else {
                    Rgba::rgb(230, 155, 195)
                }
            }
            // Yellow: mutual optimism.
            Ink::Optimism => {
                if d {
                    Rgba::rgb(240, 228, 66)
                } else {
                    Rgba::rgb(225, 205, 40)
                }
            }
            // One hue, two lightnesses: an input low and high.
            Ink::Low => {
                if d {
                    Rgba::rgb(120, 120, 120)
                } else {
                    Rgba::rgb(190, 190, 190)
                }
            }
            Ink::High => {
                if d {
                    Rgba::rgb(220, 220, 220)
                } else {
                    Rgba::rgb(60, 60, 60)
                }
            }
            // Purples (ColorBrewer PuOr): a Sobol index alone and with interactions.
            Ink::Alone => {
                if d {
                    Rgba::rgb(190, 180, 225)
                } else {
                    Rgba::rgb(170, 160, 210)
                }
            }
            Ink::Together => {
                if d {
                    Rgba::rgb(140, 110, 200)
                } else {
                    Rgba::rgb(94, 60, 153)
                }
            }
            Ink::Package => {
                if d {
                    Rgba::rgb(200, 200, 200)
                } else {
                    Rgba::rgb(60, 60, 60)
                }
            }
            Ink::Scale(t) => viridis(f64::from(t)),
        }
    }
}

/// Colours by meaning.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ink {
    /// Side a, wherever it appears (its leverage, its refusal, its rows).
    SideA,
    /// Side b, wherever it appears.
    SideB,
    /// A settlement, a deal, a split both sides accept.
    Settled,
    /// No settlement, no deal.
    Unsettled,
    /// The pinned baseline (with dashed lines or hollow bars).
    Baseline,
    /// Observed figures.
    Observed,
    /// Text and neutral marks.
    Text,
    /// No package is durable.
    Durability,
    /// Mutual optimism closes the range.
    Optimism,
    /// An input at its low end (tornado: 10th percentile; Sobol: S1).
    Low,
    /// An input at its high end (tornado: 90th percentile; Sobol: ST).
    High,
    /// A Sobol index of an input alone (S1).
    Alone,
    /// A Sobol index with the input's interactions (ST).
    Together,
    /// A package's territorial share, marked on the range.
    Package,
    /// A value 0..1 of a sequential colour scale (viridis).
    Scale(f32),
}

/// Viridis (van der Walt and Smith, matplotlib), interpolated between nine of its stops.
pub fn viridis(t: f64) -> Rgba {
    const STOPS: [[u8; 3]; 9] = [
        [68, 1, 84],
        [71, 44, 122],
        [59, 81, 139],
        [44, 113, 142],
        [33, 144, 141],
        [39, 173, 129],
        [92, 200, 99],
        [170, 220, 50],
        [253, 231, 37],
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (STOPS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(STOPS.len() - 2);
    let f = pos - i as f64;
    let mix = |k: usize| {
        (f64::from(STOPS[i][k]) * (1.0 - f) + f64::from(STOPS[i + 1][k]) * f).round() as u8
    };
    Rgba::rgb(mix(0), mix(1), mix(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_of_black_and_white_is_21() {
        let c = Rgba::rgb(0, 0, 0).contrast(Rgba::rgb(255, 255, 255));
        assert!((c - 21.0).abs() < 1e-9);
    }

    #[test]
    fn text_on_a_fill_reaches_the_wcag_ratio_for_large_text() {
        for theme in [
            Theme::PRINT,
            Theme {
                dark: true,
                ..Theme::PRINT
            },
            Theme {
                dark: true,
                presentation: true,
                compact: false,
            },
        ] {
            for ink in [
                Ink::SideA,
                Ink::SideB,
                Ink::Settled,
                Ink::Unsettled,
                Ink::Durability,
                Ink::Optimism,
                Ink::Low,
                Ink::High,
                Ink::Alone,
                Ink::Together,
                Ink::Scale(0.0),
                Ink::Scale(0.5),
                Ink::Scale(1.0),
            ] {
                let fill = theme.ink(ink).over(theme.background());
                let text = theme.text_on(fill);
                assert!(
                    text.contrast(fill) >= 3.0,
                    "{ink:?} in {theme:?}: {}",
                    text.contrast(fill)
                );
            }
        }
    }

    #[test]
    fn the_sides_differ_from_every_other_encoding() {
        let t = Theme::PRINT;
        for side in [Ink::SideA, Ink::SideB] {
            for other in [
                Ink::Settled,
                Ink::Unsettled,
                Ink::Baseline,
                Ink::Durability,
                Ink::Optimism,
                Ink::Low,
                Ink::High,
                Ink::Alone,
                Ink::Together,
            ] {
                assert_ne!(t.ink(side), t.ink(other), "{side:?} {other:?}");
            }
        }
    }

    /// Machado, Oliveira and Fernandes (2009), A physiologically-based model for simulation
    /// of color vision deficiency, IEEE TVCG 15(6): the matrices for severity 1.0, applied
    /// to linear RGB.
    const DEUTERANOPIA: [[f64; 3]; 3] = [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ];
    const PROTANOPIA: [[f64; 3]; 3] = [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ];
    const NORMAL: [[f64; 3]; 3] = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];

    /// CIELAB (D65) of `c` as seen through `m`.
    fn lab_seen(c: Rgba, m: &[[f64; 3]; 3]) -> [f64; 3] {
        let lin = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let l = [lin(c.0[0]), lin(c.0[1]), lin(c.0[2])];
        let s: Vec<f64> = m
            .iter()
            .map(|r| (r[0] * l[0] + r[1] * l[1] + r[2] * l[2]).clamp(0.0, 1.0))
            .collect();
        let x = (0.4124 * s[0] + 0.3576 * s[1] + 0.1805 * s[2]) / 0.95047;
        let y = 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2];
        let z = (0.0193 * s[0] + 0.1192 * s[1] + 0.9505 * s[2]) / 1.08883;
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        let (fx, fy, fz) = (f(x), f(y), f(z));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    fn delta_e(a: Rgba, b: Rgba, m: &[[f64; 3]; 3]) -> f64 {
        let (p, q) = (lab_seen(a, m), lab_seen(b, m));
        ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)).sqrt()
    }

    #[test]
    fn colours_that_share_a_plot_stay_apart_under_colour_blindness() {
        // Pairs drawn side by side and told apart by colour alone: the sides; deal and no
        // deal; the reasons a war goes on (each side, durability, optimism) and a
        // settlement; an input low and high; a Sobol index alone and together. (The
        // baseline is told apart by dashes and outlines as well.)
        let pairs = [
            (Ink::SideA, Ink::SideB),
            (Ink::Settled, Ink::Unsettled),
            (Ink::Settled, Ink::SideA),
            (Ink::Settled, Ink::SideB),
            (Ink::Settled, Ink::Durability),
            (Ink::Settled, Ink::Optimism),
            (Ink::SideA, Ink::Durability),
            (Ink::SideB, Ink::Durability),
            (Ink::SideA, Ink::Optimism),
            (Ink::SideB, Ink::Optimism),
            (Ink::Durability, Ink::Optimism),
            (Ink::Low, Ink::High),
            (Ink::Alone, Ink::Together),
        ];
        let themes = [
            Theme::PRINT,
            Theme {
                dark: true,
                ..Theme::PRINT
            },
        ];
        for t in themes {
            for (a, b) in pairs {
                let (ca, cb) = (t.ink(a), t.ink(b));
                for (vision, m, least) in [
                    ("normal vision", &NORMAL, 30.0),
                    ("deuteranopia", &DEUTERANOPIA, 18.0),
                    ("protanopia", &PROTANOPIA, 18.0),
                ] {
                    let d = delta_e(ca, cb, m);
                    assert!(
                        d >= least,
                        "{a:?} and {b:?} in {t:?} under {vision}: delta E {d:.1} < {least}"
                    );
                }
            }
        }
    }

    #[test]
    fn viridis_runs_from_purple_to_yellow() {
        assert_eq!(viridis(0.0), Rgba::rgb(68, 1, 84));
        assert_eq!(viridis(1.0), Rgba::rgb(253, 231, 37));
        assert!(viridis(0.2).luminance() < viridis(0.8).luminance());
    }
}
