//! The checks of declared rank correlations between inputs.

use super::*;

impl Validator {
    /// Declared rank correlations: each names two different uncertain inputs, its rank is
    /// within -1..=1, and no pair is declared twice. (A set of correlations that cannot hold
    /// together is not an error: the simulator repairs it and warns, see `sim::correlate`.)
    pub(super) fn correlations(&mut self, sc: &Scenario) {
        if sc.correlations.is_empty() {
            return;
        }
        self.count(
            "correlations",
            sc.correlations.len(),
            MAX_CORRELATIONS,
            "correlations",
        );
        let mut uncertain = BTreeSet::new();
        let mut fixed = BTreeSet::new();
        sc.visit_inputs(|_, path, input| {
            if input.value.is_fixed() {
                fixed.insert(path.to_string());
            } else {
                uncertain.insert(path.to_string());
            }
        });
        let mut pairs = BTreeSet::new();
        for (i, c) in sc.correlations.iter().enumerate() {
            let p = format!("correlations[{i}]");
            for (field, name) in [("a", &c.a), ("b", &c.b)] {
                if fixed.contains(name) {
                    self.push(
                        format!("{p}.{field}"),
                        format!(
                            "\"{name}\" is a fixed value; only uncertain inputs (given as a \
                             distribution) can be correlated"
                        ),
                    );
                } else if !uncertain.contains(name) {
                    self.push(
                        format!("{p}.{field}"),
                        format!(
                            "\"{name}\" is not an input of this scenario; `armistice inputs FILE` \
                             lists the names"
                        ),
                    );
                }
            }
            if c.a == c.b {
                self.push(
                    format!("{p}.b"),
                    format!("must differ from a (both are \"{}\")", c.a),
                );
            }
            if !(c.rank >= -1.0 && c.rank <= 1.0) {
                self.push(
                    format!("{p}.rank"),
                    format!(
                        "must be a rank correlation within -1..=1, got {}",
                        fmt_exact(c.rank)
                    ),
                );
            }
            let key = if c.a <= c.b {
                (c.a.as_str(), c.b.as_str())
            } else {
                (c.b.as_str(), c.a.as_str())
            };
            if c.a != c.b && !pairs.insert(key) {
                self.push(
                    p,
                    format!(
                        "the pair \"{}\" and \"{}\" is already correlated by an earlier entry",
                        key.0, key.1
                    ),
                );
            }
        }
    }
}
