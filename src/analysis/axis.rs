//! One axis of a sweep: `NAME=FROM:TO:STEPS`, its evenly spaced values rounded to the decimal
//! the grid's step justifies (`-0.3:0.3:5` gives `-0.15`, not `-0.15000000000000002`, so
//! that `df[df.x == -0.15]` finds it in pandas), or to whole numbers for a whole-month
//! setting, and how the CSV writes them.

use super::AnalysisError;
use super::sweep::MAX_STEPS;
use crate::text::{decimals_of, fmt_csv, round_decimals};

/// One varied input or setting: `steps` evenly spaced values from `from` to `to`, both
/// included.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// Field path, as `armistice inputs` lists it.
    pub path: String,
    /// The first value, in the input's unit.
    pub from: f64,
    /// The last value (included).
    pub to: f64,
    /// How many evenly spaced values, 1..=`MAX_STEPS`.
    pub steps: usize,
    /// True for a whole-month setting or an event's month: values are rounded to whole
    /// numbers (set by [`super::sweep::SweepSpec::resolved`] from the field, not by the user).
    pub whole: bool,
}

impl Axis {
    /// An axis of `steps` values from `from` to `to` along the input or setting at `path`.
    pub fn new(path: impl Into<String>, from: f64, to: f64, steps: usize) -> Self {
        Axis {
            path: path.into(),
            from,
            to,
            steps,
            whole: false,
        }
    }

    /// The decimals every value of the grid is rounded to: the fewest with which both `from`
    /// and the step are written (within the rounding error of computing the step), or `None`
    /// when there are none (a step of 1/3).
    fn decimals(&self) -> Option<usize> {
        if self.steps <= 2 {
            return None;
        }
        let step = (self.to - self.from) / (self.steps - 1) as f64;
        let noise = 8.0 * f64::EPSILON * self.from.abs().max(self.to.abs());
        Some(decimals_of(self.from, noise)?.max(decimals_of(step, noise)?))
    }

    fn value_with(&self, i: usize, decimals: Option<usize>) -> f64 {
        if self.steps <= 1 || i == 0 {
            return self.from;
        }
        if i + 1 >= self.steps {
            return self.to;
        }
        let x = self.from + (self.to - self.from) * (i as f64 / (self.steps - 1) as f64);
        match decimals {
            _ if self.whole => x.round(),
            Some(d) => round_decimals(x, d),
            None => x,
        }
    }

    /// Value `i` of `0..steps`: `from + (to - from) i / (steps - 1)`, exactly `from` and `to`
    /// at the ends, rounded to the decimals of the grid (`-0.3:0.3:5` gives `-0.15` exactly
    /// as written), or to a whole number on a whole axis.
    pub fn value(&self, i: usize) -> f64 {
        self.value_with(i, self.decimals())
    }

    /// A value of this axis as the CSV writes it: a whole number without a decimal point on a
    /// whole axis (`12`), otherwise the shortest text that reads back to the same `f64`.
    pub fn format(&self, x: f64) -> String {
        if self.whole && x.fract() == 0.0 && x.abs() < 1e15 {
            format!("{}", x as i64)
        } else {
            fmt_csv(x)
        }
    }

    /// All values in order.
    pub fn values(&self) -> Vec<f64> {
        let d = self.decimals();
        (0..self.steps).map(|i| self.value_with(i, d)).collect()
    }

    /// Parses `NAME=FROM:TO:STEPS`.
    pub fn parse(spec: &str) -> Result<Axis, AnalysisError> {
        let bad = |why: &str| {
            AnalysisError::BadRequest(format!(
                "--vary {spec}: {why}; write NAME=FROM:TO:STEPS, e.g. \
                 battlefield.exchange_ratio=1:4:7 (STEPS values from FROM to TO)"
            ))
        };
        let (name, range) = spec.rsplit_once('=').ok_or_else(|| bad("no `=`"))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(bad("the input name is empty"));
        }
        let parts: Vec<&str> = range.split(':').map(str::trim).collect();
        if parts.len() != 3 {
            return Err(bad("expected three parts after `=`"));
        }
        let num = |s: &str, what: &str| -> Result<f64, AnalysisError> {
            s.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| bad(&format!("{what} \"{s}\" is not a finite number")))
        };
        let from = num(parts[0], "FROM")?;
        let to = num(parts[1], "TO")?;
        let steps: usize = parts[2]
            .parse()
            .ok()
            .filter(|n| (1..=MAX_STEPS).contains(n))
            .ok_or_else(|| {
                bad(&format!(
                    "STEPS \"{}\" must be a whole number within 1..={MAX_STEPS}",
                    parts[2]
                ))
            })?;
        if steps == 1 && from != to {
            return Err(bad("with STEPS 1, FROM and TO must be equal"));
        }
        Ok(Axis::new(name, from, to, steps))
    }

    /// `NAME=FROM:TO:STEPS` as [`Axis::parse`] reads it.
    pub fn spec_text(&self) -> String {
        format!(
            "{}={}:{}:{}",
            self.path,
            fmt_csv(self.from),
            fmt_csv(self.to),
            self.steps
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_parse_and_space_evenly() {
        let a = Axis::parse("battlefield.exchange_ratio=1:4:7").unwrap();
        assert_eq!(a.path, "battlefield.exchange_ratio");
        assert_eq!(a.values(), vec![1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]);
        let b = Axis::parse("sides.a.optimism=-0.3:0.3:3").unwrap();
        assert_eq!(b.values(), vec![-0.3, 0.0, 0.3]);
        let c = Axis::parse("sides.a.optimism=-0.3:0.3:5").unwrap();
        let printed: Vec<String> = c.values().iter().map(|x| fmt_csv(*x)).collect();
        assert_eq!(printed, ["-0.3", "-0.15", "0.0", "0.15", "0.3"]);
        let d = Axis::parse("x=0:1:11").unwrap();
        let printed: Vec<String> = d.values().iter().map(|x| x.to_string()).collect();
        assert_eq!(printed[3], "0.3");
        assert_eq!(printed[7], "0.7");
        // A step with no short decimal keeps the exact value.
        let e = Axis::parse("x=0:1:4").unwrap();
        assert_eq!(e.value(1), 1.0 / 3.0);
        // Whole axes round.
        let mut w = Axis::parse("m=1:36:5").unwrap();
        w.whole = true;
        assert_eq!(w.values(), vec![1.0, 10.0, 19.0, 27.0, 36.0]);
        assert_eq!(Axis::parse("x=2:2:1").unwrap().values(), vec![2.0]);
        for bad in [
            "x",
            "=1:2:3",
            "x=1:2",
            "x=1:2:0",
            "x=a:2:3",
            "x=1:2:1",
            "x=1:inf:3",
        ] {
            assert!(Axis::parse(bad).is_err(), "{bad}");
        }
    }
}
