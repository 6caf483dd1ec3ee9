//! Structural settings: the numbers of a scenario that are not inputs (the horizon, the
//! shift, the delivery lags and the months of schedules and levers). They stay plain numbers
//! of the file, never distributions (the contested and held areas, cut-off and arrival months
//! are inputs and may be uncertain); this
//! registry lists them beside the inputs, with a path, a [`FieldSpec`] (whole months are
//! `integer`) and a getter and setter on [`Scenario`], so that `armistice inputs`, `set`,
//! `sweep --vary`, the app's curve and heatmap axes and, on request, the tornado can set them.

use super::limits::{MAX_HORIZON_MONTHS, MAX_LAG_MONTHS, MAX_MONTH};
use super::registry::{FieldSpec, SliderRange};
use super::types::{Scenario, Schedule};
use crate::text::fmt_exact;

/// Names every structural setting of a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StructuralKey {
    /// `simulation.horizon_months`.
    Horizon,
    /// `bargaining.shift_months`.
    Shift,
    /// `aid[s].lag_months`.
    AidLag(usize),
    /// `aid[s].schedule.from_month` (a `Monthly` or `Window` schedule).
    AidFromMonth(usize),
    /// `aid[s].schedule.to_month` (a `Window` schedule).
    AidToMonth(usize),
    /// `pressure[l].from_month` (format version 2).
    LeverFromMonth(usize),
}

/// One structural setting as listed by [`Scenario::structural`].
#[derive(Clone, Debug, PartialEq)]
pub struct StructuralInfo {
    pub key: StructuralKey,
    /// Field path, as in validation messages and `--vary`.
    pub path: String,
    /// Unit, the range valid in this scenario (the held area is at most the contested area, a
    /// window's first month at most its last), default slider, and whether it is whole.
    pub spec: FieldSpec,
    /// The value in the file.
    pub value: f64,
}

impl StructuralInfo {
    /// The range `armistice inputs` lists and the analysis tab offers: the default slider,
    /// widened to show the value, within the valid range (whole ends for whole fields).
    pub fn slider_range(&self) -> SliderRange {
        self.spec.slider_range(None, self.value)
    }
}

const fn months(label: &'static str, min: f64, max: f64, help: &'static str) -> FieldSpec {
    FieldSpec {
        label,
        unit: "months",
        min,
        min_open: false,
        max,
        slider: (min, 36.0, 1.0),
        help,
        integer: true,
    }
}

const HORIZON: FieldSpec = months(
    "Horizon",
    1.0,
    MAX_HORIZON_MONTHS as f64,
    "Months of war simulated before the last table.",
);
const SHIFT: FieldSpec = months(
    "Shift projected over",
    1.0,
    MAX_HORIZON_MONTHS as f64,
    "Months over which the post-deal shift of power is projected (commitment test).",
);
const LAG: FieldSpec = FieldSpec {
    slider: (0.0, 12.0, 1.0),
    ..months(
        "Delivery lag",
        0.0,
        MAX_LAG_MONTHS as f64,
        "Months between dispatch and arrival at the front.",
    )
};
const FROM: FieldSpec = months(
    "First month",
    1.0,
    MAX_MONTH as f64,
    "First month of the stream's dispatches.",
);
const TO: FieldSpec = months(
    "Last month",
    1.0,
    MAX_MONTH as f64,
    "Last month of the window over which the amount is spread.",
);
const LEVER_FROM: FieldSpec = months(
    "First month",
    1.0,
    MAX_MONTH as f64,
    "First month in which the lever can be applied.",
);

impl Scenario {
    /// Every structural setting, in a fixed order: simulation, bargaining, battlefield, then
    /// each aid stream, contingent and lever in file order.
    pub fn structural(&self) -> Vec<StructuralInfo> {
        let mut out = Vec::new();
        let mut push = |key: StructuralKey, path: String| {
            if let (Some(spec), Some(value)) =
                (self.structural_spec(key), self.structural_value(key))
            {
                out.push(StructuralInfo {
                    key,
                    path,
                    spec,
                    value,
                });
            }
        };
        push(StructuralKey::Horizon, "simulation.horizon_months".into());
        push(StructuralKey::Shift, "bargaining.shift_months".into());
        for (s, aid) in self.aid.iter().enumerate() {
            push(StructuralKey::AidLag(s), format!("aid[{s}].lag_months"));
            push(
                StructuralKey::AidFromMonth(s),
                format!("aid[{s}].schedule.from_month"),
            );
            if matches!(aid.schedule, Schedule::Window { .. }) {
                push(
                    StructuralKey::AidToMonth(s),
                    format!("aid[{s}].schedule.to_month"),
                );
            }
        }
        for l in 0..self.pressure.len() {
            push(
                StructuralKey::LeverFromMonth(l),
                format!("pressure[{l}].from_month"),
            );
        }
        out
    }

    /// The structural setting with a field path.
    pub fn structural_at(&self, path: &str) -> Option<StructuralInfo> {
        self.structural().into_iter().find(|s| s.path == path)
    }

    /// The value of a structural setting, if the scenario has it (a stream without a
    /// cut-off has no cut-off month).
    pub fn structural_value(&self, key: StructuralKey) -> Option<f64> {
        let m = |x: u32| Some(f64::from(x));
        match key {
            StructuralKey::Horizon => m(self.simulation.horizon_months),
            StructuralKey::Shift => m(self.bargaining.shift_months),
            StructuralKey::AidLag(s) => self.aid.get(s).and_then(|a| m(a.lag_months)),
            StructuralKey::AidFromMonth(s) => match self.aid.get(s).map(|a| &a.schedule) {
                Some(Schedule::Monthly { from_month } | Schedule::Window { from_month, .. }) => {
                    m(*from_month)
                }
                _ => None,
            },
            StructuralKey::AidToMonth(s) => match self.aid.get(s).map(|a| &a.schedule) {
                Some(Schedule::Window { to_month, .. }) => m(*to_month),
                _ => None,
            },
            StructuralKey::LeverFromMonth(l) => self.pressure.get(l).and_then(|p| m(p.from_month)),
        }
    }

    /// What the setting means and which values it takes in this scenario: a window's months
    /// bound each other, so their ranges follow the other's value.
    pub fn structural_spec(&self, key: StructuralKey) -> Option<FieldSpec> {
        Some(match key {
            StructuralKey::Horizon => HORIZON,
            StructuralKey::Shift => SHIFT,
            StructuralKey::AidLag(_) => LAG,
            StructuralKey::AidFromMonth(s) => match self.aid.get(s).map(|a| &a.schedule) {
                Some(Schedule::Window { to_month, .. }) => FieldSpec {
                    max: f64::from(*to_month),
                    ..FROM
                },
                _ => FROM,
            },
            StructuralKey::AidToMonth(s) => match self.aid.get(s).map(|a| &a.schedule) {
                Some(Schedule::Window { from_month, .. }) => FieldSpec {
                    min: f64::from(*from_month),
                    slider: (
                        f64::from(*from_month),
                        f64::from(*from_month + 12).max(36.0),
                        1.0,
                    ),
                    ..TO
                },
                _ => TO,
            },
            StructuralKey::LeverFromMonth(_) => LEVER_FROM,
        })
        .filter(|_| self.structural_value(key).is_some())
    }

    /// Sets a structural setting. Refuses a value outside its range in this scenario, a
    /// fraction for a whole-month setting, and a setting the scenario does not have.
    pub fn set_structural(&mut self, key: StructuralKey, value: f64) -> Result<(), String> {
        let path = self
            .structural()
            .into_iter()
            .find(|s| s.key == key)
            .map(|s| s.path)
            .ok_or_else(|| format!("the scenario has no setting {key:?}"))?;
        let spec = self
            .structural_spec(key)
            .ok_or_else(|| format!("the scenario has no setting {path}"))?;
        if spec.integer && value.is_finite() && value.fract() != 0.0 {
            return Err(format!(
                "{path} is a whole number of {}; got {}: use a whole number (sweeps of it take \
                 whole FROM and TO and round the values between them)",
                spec.unit,
                fmt_exact(value)
            ));
        }
        if !spec.accepts(value) {
            return Err(format!(
                "{path} = {} is outside its allowed range: it must be {} ({})",
                fmt_exact(value),
                spec.describe_range(),
                spec.unit
            ));
        }
        let month = value as u32;
        match key {
            StructuralKey::Horizon => self.simulation.horizon_months = month,
            StructuralKey::Shift => self.bargaining.shift_months = month,
            StructuralKey::AidLag(s) => {
                if let Some(a) = self.aid.get_mut(s) {
                    a.lag_months = month;
                }
            }
            StructuralKey::AidFromMonth(s) => {
                if let Some(
                    Schedule::Monthly { from_month } | Schedule::Window { from_month, .. },
                ) = self.aid.get_mut(s).map(|a| &mut a.schedule)
                {
                    *from_month = month;
                }
            }
            StructuralKey::AidToMonth(s) => {
                if let Some(Schedule::Window { to_month, .. }) =
                    self.aid.get_mut(s).map(|a| &mut a.schedule)
                {
                    *to_month = month;
                }
            }
            StructuralKey::LeverFromMonth(l) => {
                if let Some(p) = self.pressure.get_mut(l) {
                    p.from_month = month;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{builtin_baseline, validate};

    #[test]
    fn every_structural_setting_reads_back_what_is_set() {
        let sc = builtin_baseline().unwrap().into_inner();
        let list = sc.structural();
        let paths: Vec<&str> = list.iter().map(|s| s.path.as_str()).collect();
        for p in [
            "simulation.horizon_months",
            "bargaining.shift_months",
            "aid[0].lag_months",
            "aid[0].schedule.from_month",
            "aid[0].schedule.to_month",
        ] {
            assert!(paths.contains(&p), "{p} in {paths:?}");
        }
        for info in &list {
            let range = info.slider_range();
            for x in [range.min, range.max] {
                let mut changed = sc.clone();
                changed
                    .set_structural(info.key, x)
                    .unwrap_or_else(|e| panic!("{}: {e}", info.path));
                assert_eq!(changed.structural_value(info.key), Some(x), "{}", info.path);
                validate(changed).unwrap_or_else(|e| panic!("{} = {x}: {e:?}", info.path));
            }
            if info.spec.integer {
                assert!(range.min.fract() == 0.0 && range.max.fract() == 0.0);
                let e = sc.clone().set_structural(info.key, 2.5).unwrap_err();
                assert!(e.contains("whole number"), "{e}");
            }
        }
    }

    #[test]
    fn ranges_follow_the_fields_they_are_bound_to() {
        let sc = builtin_baseline().unwrap().into_inner();
        let from = sc.structural_at("aid[0].schedule.from_month").unwrap();
        let to = sc.structural_at("aid[0].schedule.to_month").unwrap();
        assert_eq!(from.spec.max, to.value);
        assert_eq!(to.spec.min, from.value);
    }
}
