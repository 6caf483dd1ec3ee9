//! Assignments `PATH=VALUE` to a scenario, as `armistice set` takes them: PATH is an input or
//! a structural setting as `armistice inputs` lists it (`sides.a.manpower`,
//! `aid[1].cutoff.continue_probability`, `simulation.horizon_months`, `aid[0].cutoff.month`)
//! or one of the run settings (`simulation.trials`, `simulation.seed`); VALUE is a number or,
//! for an input, a distribution written in RON (`Triangular(min: 1, mode: 2, max: 3)`).

use super::diagnose::{closest, options};
use super::input::Dist;
use super::types::Scenario;

/// The run settings `set` accepts besides the inputs and structural settings (whole numbers).
pub const SETTINGS: [&str; 2] = ["simulation.trials", "simulation.seed"];

/// One `PATH=VALUE`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub path: String,
    pub value: Dist,
}

impl Assignment {
    /// Parses `PATH=VALUE`.
    pub fn parse(text: &str) -> Result<Assignment, String> {
        let Some((path, value)) = text.split_once('=') else {
            return Err(format!(
                "`{text}`: write PATH=VALUE, e.g. sides.a.manpower=900000 or \
                 'sides.a.quality=Pert(min: 0.8, mode: 1, max: 1.2)'"
            ));
        };
        let (path, value) = (path.trim(), value.trim());
        if path.is_empty() || value.is_empty() {
            return Err(format!("`{text}`: both PATH and VALUE are needed"));
        }
        let value = match value.parse::<f64>() {
            Ok(x) => Dist::Fixed(x),
            Err(_) => options().from_str::<Dist>(value).map_err(|e| {
                format!(
                    "{path}: `{value}` is neither a number nor a distribution ({}); write e.g. \
                     0.5 or Triangular(min: 1, mode: 2, max: 3)",
                    e.code
                )
            })?,
        };
        Ok(Assignment {
            path: path.to_string(),
            value,
        })
    }

    /// Applies the assignment. An input keeps its source, note and slider hints; a number
    /// makes it fixed.
    pub fn apply(&self, sc: &mut Scenario) -> Result<(), String> {
        let value = self.value.clone();
        if sc.update_input(&self.path, |i| i.value = value) {
            return Ok(());
        }
        if let Some(setting) = SETTINGS.iter().find(|s| **s == self.path) {
            return self.apply_setting(sc, setting);
        }
        if let Some(info) = sc.structural_at(&self.path) {
            return match self.value {
                Dist::Fixed(x) => sc.set_structural(info.key, x),
                _ => Err(format!(
                    "{}: a number is expected: this setting is a plain number of the file, not an input that takes a distribution",
                    self.path
                )),
            };
        }
        let paths: Vec<String> = sc
            .inputs()
            .into_iter()
            .map(|i| i.path)
            .chain(sc.structural().into_iter().map(|s| s.path))
            .collect();
        let hint = closest(
            &self.path,
            paths
                .iter()
                .map(String::as_str)
                .chain(SETTINGS.iter().copied()),
        )
        .map_or_else(String::new, |p| format!(" (did you mean `{p}`?)"));
        Err(format!(
            "`{}` is not an input of this scenario{hint}; `armistice inputs FILE` lists the names",
            self.path
        ))
    }

    fn apply_setting(&self, sc: &mut Scenario, setting: &str) -> Result<(), String> {
        let whole = match self.value {
            Dist::Fixed(x) if x.fract() == 0.0 && (0.0..1.8e19).contains(&x) => x as u64,
            _ => {
                return Err(format!(
                    "{setting}: a whole number is expected, not a distribution or a fraction"
                ));
            }
        };
        match setting {
            "simulation.trials" => sc.simulation.trials = whole,
            _ => sc.simulation.seed = whole,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin_baseline;

    #[test]
    fn numbers_distributions_and_settings_are_assigned() {
        let mut sc = builtin_baseline().unwrap().into_inner();
        Assignment::parse("sides.a.manpower=900000")
            .unwrap()
            .apply(&mut sc)
            .unwrap();
        assert_eq!(sc.sides.a.manpower.value, Dist::Fixed(900000.0));
        assert!(sc.sides.a.manpower.source.is_some(), "the source stays");
        Assignment::parse(
            "aid[1].cutoff.continue_probability = Triangular(min: 0.1, mode: 0.2, max: 0.5)",
        )
        .unwrap()
        .apply(&mut sc)
        .unwrap();
        let cut = sc.aid[1].cutoff.as_ref().unwrap();
        assert_eq!(cut.continue_probability.value.kind_name(), "Triangular");
        Assignment::parse("simulation.trials=5000")
            .unwrap()
            .apply(&mut sc)
            .unwrap();
        assert_eq!(sc.simulation.trials, 5000);
        Assignment::parse("simulation.horizon_months=30")
            .unwrap()
            .apply(&mut sc)
            .unwrap();
        assert_eq!(sc.simulation.horizon_months, 30);
        Assignment::parse("aid[0].cutoff.month=5")
            .unwrap()
            .apply(&mut sc)
            .unwrap();
        assert_eq!(
            sc.aid[0].cutoff.as_ref().unwrap().month,
            crate::scenario::Input::fixed(5.0)
        );
        // A month and an area are inputs: they take a distribution; a fixed month is whole.
        Assignment::parse("aid[0].cutoff.month=Uniform(min: 2, max: 6.5)")
            .unwrap()
            .apply(&mut sc)
            .unwrap();
        Assignment::parse("battlefield.contested_km2=Uniform(min: 120000, max: 160000)")
            .unwrap()
            .apply(&mut sc)
            .unwrap();
        crate::scenario::validate(sc.clone()).unwrap();
        Assignment::parse("aid[0].cutoff.month=5.5")
            .unwrap()
            .apply(&mut sc)
            .unwrap();
        let e = crate::scenario::validate(sc.clone()).unwrap_err();
        assert!(
            e.iter()
                .any(|i| i.path == "aid[0].cutoff.month" && i.message.contains("whole number")),
            "{e:?}"
        );
        let e = Assignment::parse("bargaining.shift_months=Uniform(min: 1, max: 2)")
            .unwrap()
            .apply(&mut sc)
            .unwrap_err();
        assert!(e.contains("not an input that takes a distribution"), "{e}");
        assert!(
            Assignment::parse("simulation.trials=0.5")
                .unwrap()
                .apply(&mut sc)
                .is_err()
        );
        let e = Assignment::parse("sides.a.manpowr=1")
            .unwrap()
            .apply(&mut sc)
            .unwrap_err();
        assert!(e.contains("did you mean `sides.a.manpower`?"), "{e}");
        assert!(Assignment::parse("sides.a.manpower").is_err());
        let e = Assignment::parse("sides.a.manpower=Triangle(min: 1)").unwrap_err();
        assert!(e.contains("neither a number nor a distribution"), "{e}");
    }
}
