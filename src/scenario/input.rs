//! One numeric input of a scenario: a plain number or a distribution, with the source it
//! cites, a note, and optional slider hints for the desktop app.
//!
//! In a file an input is written either as a bare number (`manpower: 880000`) or as a
//! parenthesised struct whose `value` is a distribution:
//!
//! ```ron
//! manpower: (
//!     value: Triangular(min: 580000, mode: 640000, max: 700000),
//!     source: "statements-2024",
//!     note: "troops in the theatre",
//!     slider: (min: 300000, max: 1000000, step: 10000, unit: "troops"),
//! ),
//! ```

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A probability distribution for an uncertain input (or a fixed value).
///
/// Every variant is written in a file as `Name(field: value, ...)`. Parameters are in the
/// unit of the input they describe.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Dist {
    /// Always this value.
    Fixed(f64),
    /// Uniform on `[min, max]`.
    Uniform { min: f64, max: f64 },
    /// Triangular on `[min, max]` with its peak at `mode`.
    Triangular { min: f64, mode: f64, max: f64 },
    /// PERT (a scaled Beta with shape 4) on `[min, max]` with its mode at `mode`: smoother than
    /// a triangle and the usual choice for expert three-point estimates.
    Pert { min: f64, mode: f64, max: f64 },
    /// Normal with mean and standard deviation, optionally truncated to `[min, max]`.
    Normal {
        mean: f64,
        sd: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    /// Log-normal given the way analysts elicit it: its median and its 90th percentile
    /// (`p90 > median > 0`).
    LogNormal { median: f64, p90: f64 },
    /// Beta(alpha, beta) scaled to `[min, max]` (default `[0, 1]`).
    Beta {
        alpha: f64,
        beta: f64,
        #[serde(default = "zero", skip_serializing_if = "is_zero")]
        min: f64,
        #[serde(default = "one", skip_serializing_if = "is_one")]
        max: f64,
    },
    /// An event (Bernoulli): `yes` with probability `p`, otherwise `no` (defaults 1 and 0).
    Chance {
        p: f64,
        #[serde(default = "one", skip_serializing_if = "is_one")]
        yes: f64,
        #[serde(default = "zero", skip_serializing_if = "is_zero")]
        no: f64,
    },
}

fn zero() -> f64 {
    0.0
}
fn one() -> f64 {
    1.0
}
fn is_zero(x: &f64) -> bool {
    *x == 0.0
}
fn is_one(x: &f64) -> bool {
    *x == 1.0
}

impl Dist {
    /// The name used in files, e.g. `"Pert"`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Dist::Fixed(_) => "Fixed",
            Dist::Uniform { .. } => "Uniform",
            Dist::Triangular { .. } => "Triangular",
            Dist::Pert { .. } => "Pert",
            Dist::Normal { .. } => "Normal",
            Dist::LogNormal { .. } => "LogNormal",
            Dist::Beta { .. } => "Beta",
            Dist::Chance { .. } => "Chance",
        }
    }

    /// True when the distribution always gives the same value.
    pub fn is_fixed(&self) -> bool {
        match self {
            Dist::Fixed(_) => true,
            Dist::Chance { p, yes, no } => *p == 0.0 || *p == 1.0 || yes == no,
            _ => false,
        }
    }
}

/// Optional hints for the slider the desktop app builds for an input. Anything left out
/// falls back to the defaults of the field (see docs/SCENARIO_FORMAT.md).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SliderHint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// A numeric input: its value (fixed or a distribution) and what documents it.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    pub value: Dist,
    /// Id of an entry of `meta.sources`.
    pub source: Option<String>,
    pub note: Option<String>,
    pub slider: Option<SliderHint>,
}

impl Input {
    /// A fixed value with no source, note or hints.
    pub fn fixed(x: f64) -> Self {
        Input {
            value: Dist::Fixed(x),
            source: None,
            note: None,
            slider: None,
        }
    }

    /// An input with the given distribution and no source, note or hints.
    pub fn dist(value: Dist) -> Self {
        Input {
            value,
            source: None,
            note: None,
            slider: None,
        }
    }

    /// Sets the source id (builder style).
    pub fn cite(mut self, source: &str) -> Self {
        self.source = Some(source.to_string());
        self
    }

    /// Sets the note (builder style).
    pub fn with_note(mut self, note: &str) -> Self {
        self.note = Some(note.to_string());
        self
    }

    /// True for a fixed number with no source, note or hints (written as a bare number).
    pub fn is_bare(&self) -> bool {
        matches!(self.value, Dist::Fixed(_))
            && self.source.is_none()
            && self.note.is_none()
            && self.slider.is_none()
    }
}

impl From<f64> for Input {
    fn from(x: f64) -> Self {
        Input::fixed(x)
    }
}

impl Serialize for Input {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let (true, Dist::Fixed(x)) = (self.is_bare(), &self.value) {
            return serializer.serialize_f64(*x);
        }
        let n = 1
            + usize::from(self.source.is_some())
            + usize::from(self.note.is_some())
            + usize::from(self.slider.is_some());
        let mut st = serializer.serialize_struct("Input", n)?;
        st.serialize_field("value", &self.value)?;
        if let Some(s) = &self.source {
            st.serialize_field("source", s)?;
        }
        if let Some(s) = &self.note {
            st.serialize_field("note", s)?;
        }
        if let Some(s) = &self.slider {
            st.serialize_field("slider", s)?;
        }
        st.end()
    }
}

const INPUT_FIELDS: &[&str] = &["value", "source", "note", "slider"];
const DIST_PARAMS: &[&str] = &[
    "min", "max", "mode", "mean", "sd", "median", "p90", "alpha", "beta", "p", "yes", "no",
];

struct InputVisitor;

impl<'de> Visitor<'de> for InputVisitor {
    type Value = Input;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a number, or (value: <distribution>, source: \"id\", note: \"...\") \
             where <distribution> is e.g. Fixed(3.0) or Pert(min: 1.0, mode: 2.0, max: 4.0)",
        )
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Input, E> {
        Ok(Input::fixed(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Input, E> {
        Ok(Input::fixed(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Input, E> {
        Ok(Input::fixed(v as f64))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Input, E> {
        Ok(Input::fixed(v as f64))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Input, E> {
        Ok(Input::fixed(v as f64))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Input, A::Error> {
        let mut value: Option<Dist> = None;
        let mut source = None;
        let mut note = None;
        let mut slider = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "value" => {
                    if value.is_some() {
                        return Err(de::Error::custom(
                            "`value` is given twice in this numeric input",
                        ));
                    }
                    value = Some(map.next_value::<Dist>().map_err(|e| {
                        de::Error::custom(format!(
                            "{e}; after `value:` write a distribution such as Fixed(20), \
                             Triangular(min: 1, mode: 2, max: 4) or Pert(min: 1, mode: 2, max: 4)"
                        ))
                    })?);
                }
                "source" => source = Some(map.next_value()?),
                "note" => note = Some(map.next_value()?),
                "slider" => slider = Some(map.next_value()?),
                other if DIST_PARAMS.contains(&other) => {
                    return Err(de::Error::custom(format!(
                        "`{other}` is a distribution parameter: write the distribution as \
                         (value: Pert(min: .., mode: .., max: ..)), naming it after `value:`"
                    )));
                }
                other => {
                    return Err(de::Error::custom(format!(
                        "unknown field `{other}` in a numeric input; expected one of {}",
                        INPUT_FIELDS
                            .iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            }
        }
        let value = value.ok_or_else(|| {
            de::Error::custom(
                "this numeric input has no `value`: write (value: Fixed(20), ...) or just the number",
            )
        })?;
        Ok(Input {
            value,
            source,
            note,
            slider,
        })
    }
}

impl<'de> Deserialize<'de> for Input {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(InputVisitor)
    }
}

/// Writes a month-valued input: a bare whole month as an integer (`arrival_month: 3`, as the
/// field was written before it accepted distributions, so a file's canonical text and hash
/// stay as they were), anything else as an [`Input`].
pub fn serialize_month<S: Serializer>(input: &Input, serializer: S) -> Result<S::Ok, S::Error> {
    if let (true, Dist::Fixed(x)) = (input.is_bare(), &input.value)
        && x.fract() == 0.0
        && (0.0..=f64::from(u32::MAX)).contains(x)
    {
        return serializer.serialize_u32(*x as u32);
    }
    input.serialize(serializer)
}
