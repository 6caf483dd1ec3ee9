//! The plot data, built once per result (and per toggle of the CDF or the front view), never
//! per frame: step points of each distribution, the front's bands, the observed figures.

use egui_plot::PlotPoint;

use crate::app::settings::FrontView;
use crate::app::state::AppState;
use crate::run::RunResult;
use crate::stats::{Continuous, Histogram, Outcome};

/// Density (or distribution function) of a histogram as step points.
fn step_points(h: &Histogram, cdf: bool) -> Vec<PlotPoint> {
    let n: u64 = h.counts.iter().sum();
    if n == 0 {
        return Vec::new();
    }
    let w = h.bin_width();
    let mut pts = Vec::with_capacity(h.counts.len() * 2 + 2);
    if cdf {
        let mut cum = 0u64;
        pts.push(PlotPoint::new(h.lo, 0.0));
        for (i, c) in h.counts.iter().enumerate() {
            cum += c;
            pts.push(PlotPoint::new(
                h.lo + (i as f64 + 1.0) * w,
                cum as f64 / n as f64,
            ));
        }
    } else {
        pts.push(PlotPoint::new(h.lo, 0.0));
        for (i, c) in h.counts.iter().enumerate() {
            let d = *c as f64 / (n as f64 * w);
            pts.push(PlotPoint::new(h.lo + i as f64 * w, d));
            pts.push(PlotPoint::new(h.lo + (i as f64 + 1.0) * w, d));
        }
        pts.push(PlotPoint::new(h.hi, 0.0));
    }
    pts
}

/// One distribution ready to draw.
pub(super) struct Dist1 {
    pub(super) density: Vec<PlotPoint>,
    pub(super) cdf: Vec<PlotPoint>,
    pub(super) mean: f64,
    pub(super) p5: f64,
    pub(super) p95: f64,
}

impl Dist1 {
    pub(super) fn of(c: &Continuous) -> Self {
        Dist1 {
            density: step_points(&c.histogram, false),
            cdf: step_points(&c.histogram, true),
            mean: c.mean,
            p5: c.quantiles[0],
            p95: c.quantiles[4],
        }
    }
}

/// The front bands of one result.
pub(super) struct Bands {
    pub(super) months: Vec<f64>,
    /// For each of p5, p25, p50, p75, p95.
    pub(super) q: [Vec<f64>; 5],
}

impl Bands {
    pub(super) fn of(r: &RunResult, view: FrontView) -> Self {
        // A monthly run: the front of the wars still going (a settled war's line stands still).
        let f = r
            .summary
            .settlement
            .as_ref()
            .map_or(&r.summary.front, |s| &s.front_while_fighting);
        let rows = match view {
            FrontView::Cumulative => &f.cumulative,
            FrontView::Monthly => &f.monthly,
        };
        let mut months = Vec::with_capacity(rows.len() + 1);
        let mut q: [Vec<f64>; 5] = Default::default();
        if view == FrontView::Cumulative {
            months.push(0.0);
            for v in q.iter_mut() {
                v.push(0.0);
            }
        }
        for (t, row) in rows.iter().enumerate() {
            months.push(t as f64 + 1.0);
            for (k, v) in q.iter_mut().enumerate() {
                v.push(row[k]);
            }
        }
        Bands { months, q }
    }

    pub(super) fn line(&self, k: usize) -> Vec<PlotPoint> {
        self.months
            .iter()
            .zip(&self.q[k])
            .map(|(x, y)| PlotPoint::new(*x, *y))
            .collect()
    }
}

/// Everything the plots draw, built once per result.
pub struct PlotCache {
    pub(super) key: (u64, bool, FrontView),
    pub(super) lev: Option<[Dist1; 2]>,
    pub(super) lev_base: Option<[Dist1; 2]>,
    pub(super) range: Option<[Dist1; 2]>,
    pub(super) range_base: Option<[Dist1; 2]>,
    pub(super) bands: Option<Bands>,
    pub(super) bands_base_median: Option<Vec<PlotPoint>>,
    pub(super) observed: Vec<PlotPoint>,
    pub(super) observed_labels: Vec<String>,
    /// Observations after the scenario's date (months from 1 on): the hindcast.
    pub(super) hindcast: Vec<PlotPoint>,
}

impl Default for PlotCache {
    fn default() -> Self {
        PlotCache {
            key: (u64::MAX, false, FrontView::Cumulative),
            lev: None,
            lev_base: None,
            range: None,
            range_base: None,
            bands: None,
            bands_base_median: None,
            observed: Vec::new(),
            observed_labels: Vec::new(),
            hindcast: Vec::new(),
        }
    }
}

impl PlotCache {
    /// Rebuilds the plot data when the results, the CDF toggle or the front view changed.
    pub(super) fn refresh(&mut self, state: &AppState) {
        let key = (
            state.ui.results_generation,
            state.settings.show_cdf,
            state.settings.front_view,
        );
        if key == self.key {
            return;
        }
        self.key = key;
        let two = |r: &RunResult, a: Outcome, b: Outcome| {
            [
                Dist1::of(r.summary.outcome(a)),
                Dist1::of(r.summary.outcome(b)),
            ]
        };
        let cur = state.result.as_deref();
        let base = state.baseline.as_ref().map(|b| b.result.as_ref());
        self.lev = cur.map(|r| two(r, Outcome::LeverageA, Outcome::LeverageB));
        self.lev_base = base.map(|r| two(r, Outcome::LeverageA, Outcome::LeverageB));
        self.range = cur.map(|r| two(r, Outcome::RangeLow, Outcome::RangeHigh));
        self.range_base = base.map(|r| two(r, Outcome::RangeLow, Outcome::RangeHigh));
        let view = state.settings.front_view;
        self.bands = cur.map(|r| Bands::of(r, view));
        self.bands_base_median = base.map(|r| Bands::of(r, view).line(2));
        // Observed figures: monthly gains as given; cumulated from month 1 for the other view.
        let obs = &state.doc.last_valid.observed;
        self.observed.clear();
        self.observed_labels.clear();
        self.hindcast.clear();
        let mut sorted: Vec<_> = obs.iter().collect();
        sorted.sort_by_key(|o| o.month);
        let mut cum = 0.0;
        for o in sorted {
            match view {
                FrontView::Monthly => {
                    let pt = PlotPoint::new(f64::from(o.month), o.gained_by_b_km2);
                    if o.month >= 1 {
                        self.hindcast.push(pt);
                    } else {
                        self.observed.push(pt);
                    }
                    self.observed_labels.push(o.label.clone());
                }
                FrontView::Cumulative => {
                    if o.month >= 1 {
                        cum += o.gained_by_b_km2;
                        self.hindcast.push(PlotPoint::new(f64::from(o.month), cum));
                        self.observed_labels.push(o.label.clone());
                    }
                }
            }
        }
    }
}
