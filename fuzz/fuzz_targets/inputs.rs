//! Fuzz target: a shipped scenario whose numeric inputs are replaced, from the fuzzer's bytes,
//! by any distribution with any parameters (mostly within the field's range, often at its
//! edges, sometimes any 64-bit float), then validated and, when valid, run.
//!
//! Text fuzzing rarely produces valid files with extreme values; this target goes straight
//! at validation, sampling and the model. What counts as a failure: any panic, hang or huge
//! allocation; a valid scenario whose run fails or gives a non-finite or out-of-range number;
//! a valid scenario whose saved text does not load back to the same scenario.

#![no_main]

use std::sync::Once;

use armistice::{Control, Dist, FieldSpec, Input, RunOptions, simulate, spec_of};
use libfuzzer_sys::fuzz_target;

static POOL: Once = Once::new();

/// The fuzzer's bytes, read front to back; zeros once they run out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn u64(&mut self) -> u64 {
        (0..8).fold(0, |acc, _| (acc << 8) | u64::from(self.u8()))
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A number for a field: mostly inside its range, often at an edge.
    fn num(&mut self, spec: &FieldSpec) -> f64 {
        let (lo, hi) = (spec.min, spec.max);
        match self.u8() % 8 {
            0..=3 => lo + (hi - lo) * (self.u64() as f64 / u64::MAX as f64),
            4 => {
                // Just inside or outside an edge.
                let edge = if self.u8().is_multiple_of(2) { lo } else { hi };
                let step = [0.0, 1e-300, 1e-12, 1e-6, 1.0][usize::from(self.u8() % 5)];
                let sign = if self.u8().is_multiple_of(2) {
                    1.0
                } else {
                    -1.0
                };
                edge + sign * step * edge.abs().max(1.0)
            }
            5 => [
                0.0,
                -0.0,
                1.0,
                -1.0,
                0.5,
                f64::MIN_POSITIVE,
                5e-324,
                1e-300,
                1e300,
                f64::MAX,
                f64::INFINITY,
                f64::NAN,
            ][usize::from(self.u8() % 12)],
            6 => f64::from_bits(self.u64()),
            _ => (self.u64() % 2_000_001) as f64 / 1000.0 - 1000.0,
        }
    }

    fn dist(&mut self, spec: &FieldSpec) -> Dist {
        match self.u8() % 8 {
            0 => Dist::Fixed(self.num(spec)),
            1 => Dist::Uniform {
                min: self.num(spec),
                max: self.num(spec),
            },
            2 => {
                let mut v = [self.num(spec), self.num(spec), self.num(spec)];
                v.sort_by(f64::total_cmp);
                Dist::Triangular {
                    min: v[0],
                    mode: v[1],
                    max: v[2],
                }
            }
            3 => {
                let mut v = [self.num(spec), self.num(spec), self.num(spec)];
                v.sort_by(f64::total_cmp);
                Dist::Pert {
                    min: v[0],
                    mode: v[1],
                    max: v[2],
                }
            }
            4 => {
                let flags = self.u8();
                Dist::Normal {
                    mean: self.num(spec),
                    sd: self.num(spec).abs(),
                    min: (flags & 1 != 0).then(|| self.num(spec)),
                    max: (flags & 2 != 0).then(|| self.num(spec)),
                }
            }
            5 => {
                let median = self.num(spec);
                let ratio = [1.0 + 1e-12, 1.5, 10.0, 1e3, 1e6, 1e7][usize::from(self.u8() % 6)];
                Dist::LogNormal {
                    median,
                    p90: median * ratio,
                }
            }
            6 => {
                let shapes = [0.01, 0.02, 0.5, 1.0, 2.0, 50.0, 1e4, 0.009, 1e5];
                let mut v = [self.num(spec), self.num(spec)];
                v.sort_by(f64::total_cmp);
                Dist::Beta {
                    alpha: shapes[usize::from(self.u8() % 9)],
                    beta: shapes[usize::from(self.u8() % 9)],
                    min: v[0],
                    max: v[1],
                }
            }
            _ => Dist::Chance {
                p: [0.0, 1e-300, 0.5, 1.0, 1.0 - 1e-16][usize::from(self.u8() % 5)],
                yes: self.num(spec),
                no: self.num(spec),
            },
        }
    }
}

fuzz_target!(|data: &[u8]| {
    POOL.call_once(|| {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build_global();
    });
    let mut bytes = Bytes(data);
    let (name, text) = armistice::SHIPPED[usize::from(bytes.u8()) % armistice::SHIPPED.len()];
    let Ok(mut sc) = armistice::parse_str(text, name) else {
        panic!("a shipped scenario does not parse");
    };
    sc.simulation.horizon_months = 1 + u32::from(bytes.u8() % 24);
    let skip = bytes.u8() % 4;
    sc.visit_inputs_mut(|key, _, input| {
        if bytes.is_empty() || bytes.u8() % 4 < skip {
            return;
        }
        *input = Input::dist(bytes.dist(spec_of(key)));
    });
    let Ok(valid) = armistice::validate(sc) else {
        return;
    };

    let saved = match armistice::to_ron_string(valid.scenario()) {
        Ok(s) => s,
        Err(e) => panic!("a valid scenario cannot be written: {e}"),
    };
    match armistice::load_str(&saved, "saved.ron") {
        Ok(again) => assert!(
            again.scenario() == valid.scenario(),
            "the saved text loads as a different scenario:\n{saved}"
        ),
        Err(e) => panic!("the saved text of a valid scenario does not load: {e}\n{saved}"),
    }

    let opts = RunOptions {
        trials: 64,
        seed: valid.simulation.seed,
        threads: None,
    };
    let result = match simulate(&valid, &opts, &Control::new(), &|| {}) {
        Ok(r) => r,
        Err(e) => panic!("a valid scenario failed to run: {e}"),
    };
    let contested = valid.battlefield.contested_km2 as f32;
    for (i, r) in result.output.records.iter().enumerate() {
        for (name, x) in [
            ("leverage_a", r.leverage_a),
            ("d_a", r.d_a),
            ("d_b", r.d_b),
            ("p_a", r.p_a),
            ("held_by_b_km2", r.held_by_b_km2),
            ("casualties_a", r.casualties_a),
            ("casualties_b", r.casualties_b),
        ] {
            assert!(x.is_finite(), "trial {i}: {name} is {x}: {r:?}");
        }
        assert!((0.0..=1.0).contains(&r.p_a), "trial {i}: p_a {}", r.p_a);
        assert!(
            r.held_by_b_km2 >= 0.0 && r.held_by_b_km2 <= contested * (1.0 + 1e-6),
            "trial {i}: held_by_b_km2 {} outside 0..={contested}",
            r.held_by_b_km2
        );
    }
    // The summaries the app and the reports show.
    for d in valid.inputs().iter().map(|i| &i.input.value) {
        for x in [d.mean(), d.central()] {
            assert!(x.is_finite(), "{d:?}: {x}");
        }
    }
});
