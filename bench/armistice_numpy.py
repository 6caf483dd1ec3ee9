#!/usr/bin/env python3
"""Armistice in NumPy: the same Monte Carlo model as the Rust engine, vectorised over trials.

This is the implementation a researcher would write as an alternative to the Rust engine:
the drawn inputs of a chunk of trials are arrays, the war is stepped month by month with a
Python loop over months only (never over trials), and the bargaining table is evaluated with
Python loops over the (few) packages, levers and months a side may wait for. Trials are
processed in chunks so that memory stays bounded whatever the trial count.

Both models of the engine are here. Format version 2 runs the monthly model: after every
month of fighting each side learns from the front by Bayes' rule, projects the war
``continuation_months`` ahead with the scheduled events it expects, weighs the threats of
pressure levers and the wish to wait for a better table, tests each package for durability
with a projected peace, and the war ends at the first table where a package passes. The
arrays then run over the trials still fighting: settled trials are recorded and dropped from
every array after each month's table (a mask, then compaction). Format version 1 runs the
one-shot model (one table at the horizon).

It follows, block by block:

* ``src/model/structure.rs``  ``Structure::compile``    -> :func:`load_scenario`
* ``src/sim/engine.rs``       ``Engine::new`` / ``draw`` -> :func:`_draw_values`
* ``src/sim/engine.rs``       ``draw_events``            -> :func:`_draw_monthly`
* ``src/sim/sample.rs``       ``Sampler`` / ``clamp_to`` -> :func:`_sample`, :func:`_clamp`
* ``src/model/war.rs``        ``evaluate`` (version 1)   -> :func:`_evaluate_chunk`
* ``src/model/monthly.rs``    ``evaluate_monthly``       -> :func:`_evaluate_monthly_chunk`
* ``src/model/outlook.rs``    ``Trial``, ``Outlook``     -> :class:`_Trial`, :class:`_Outlook`,
  :func:`_durability`
* ``src/model/table.rs``      ``table``, ``reason_for``, ``waiting_values``, ``nash_choice``
  -> :func:`_table`, :func:`_reason_for`, :func:`_waiting_values`, :func:`_nash_choice`
* ``src/model/belief.rs``     the belief update and the contest -> :func:`posterior_mean`,
  :func:`prior_means`, :func:`prevail_a`
* ``src/sim/front.rs``        ``FrontSpec``, ``FrontHist``, ``hist_quantiles``
  -> :class:`_FrontCounts`, :func:`hist_quantiles`
* ``src/stats/``              ``summarize``, ``Settlement::of`` -> :func:`summarize`

Random streams differ from the engine's (NumPy's PCG64 instead of the engine's per-input
SplitMix64 streams), so the two agree in distribution. Given the engine's own draws
(``bench/agreement.py --exact``), the monthly model here reproduces the engine's trial by
trial and month by month. Correlated inputs (the engine's Iman-Conover reordering) are not
implemented.

Input: a scenario as JSON, as printed by ``armistice export FILE.ron -f json``. An input is
either a bare number or ``{"value": {"Pert": {...}} | {"Fixed": x}, "source": ..., ...}``.

Command line::

    python bench/armistice_numpy.py SCENARIO.json --trials N --seed S

prints the summary as JSON (a ``.ron`` file is first exported with the headless build in
target/bench, or else the release binary).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

try:
    import numpy as np
except ImportError:  # run from the command line without numpy: use bench/.venv if it exists
    _venv = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".venv")
    if __name__ == "__main__" and os.path.exists(os.path.join(_venv, "bin", "python")) and \
            os.path.realpath(sys.prefix) != os.path.realpath(_venv):
        os.execv(os.path.join(_venv, "bin", "python"), [os.path.join(_venv, "bin", "python"),
                                                       os.path.abspath(__file__), *sys.argv[1:]])
    raise

# --------------------------------------------------------------------------------------------
# Constants mirrored from the Rust sources
# --------------------------------------------------------------------------------------------

#: war.rs MIN_POWER: smallest combat power used in ratios.
MIN_POWER = 1e-9
#: scenario/dist.rs Z90: z of the 90th percentile of the standard normal.
Z90 = 1.2815515655446004
#: f64::EPSILON, used by sample.rs ``clamp_to`` for open lower bounds.
F64_EPS = np.finfo(np.float64).eps
#: registry.rs BUILTIN_ATTRIBUTES, in attribute-index order; index 0 is the guarantee. Format
#: version 1 has the first three (registry.rs ``builtin_attribute_count``), version 2 all five.
BUILTIN_ATTRIBUTES = ("security_guarantee", "sanctions_relief", "neutrality", "force_cap_a",
                      "force_cap_b")
ATTR_GUARANTEE = 0
#: registry.rs ATTR_CAP_A / ATTR_CAP_B: the caps on each side's rebuilding (format version 2).
ATTR_CAP_A, ATTR_CAP_B = 3, 4
#: war.rs Constraint codes (record.rs uses 255 for "none"; here -1). MutualOptimism is of the
#: monthly model only.
BLOCKED_A, BLOCKED_B, BLOCKED_DURABILITY, BLOCKED_OPTIMISM = 0, 1, 2, 3
#: Default trials per chunk: about 2 MB per float64 array.
DEFAULT_BATCH = 250_000

# Field specs from src/scenario/registry.rs: (min, min_open, max). Draws are clamped to them.
# In SideField::ALL / BattleField::ALL order; the last four side fields and the hidden edge are
# of format version 2 (optional).
SIDE_SPECS: dict[str, tuple[float, bool, float]] = {
    "manpower": (0.0, True, 1e8),
    "recruits_per_month": (0.0, False, 1e7),
    "losses_per_month": (0.0, False, 1e7),
    "materiel_usd_bn": (0.0, False, 1e5),
    "materiel_reference_usd_bn": (0.0, True, 1e5),
    "production_usd_bn_per_month": (0.0, False, 1e4),
    "burn_usd_bn_per_month": (0.0, False, 1e4),
    "quality": (0.0, True, 100.0),
    "casualty_tolerance": (0.0, True, 1e9),
    "spending_tolerance_usd_bn": (0.0, True, 1e6),
    "patience": (0.0, True, 1.0),
    "optimism": (-0.5, False, 0.5),
    "prior_uncertainty_km2_per_month": (0.0, False, 1e6),
    "peace_demobilised_share": (0.0, False, 1.0),
    "peace_recruit_share": (0.0, False, 10.0),
    "peace_consumption_usd_bn_per_month": (0.0, False, 1e4),
}
BATTLE_SPECS: dict[str, tuple[float, bool, float]] = {
    "contested_km2": (0.0, True, 2e7),
    "held_by_b_km2": (0.0, False, 2e7),
    "front_speed_km2_per_month": (0.0, False, 1e6),
    "break_even_ratio": (0.0, True, 100.0),
    "front_noise_km2": (0.0, False, 1e6),
    "exchange_ratio": (0.0, True, 1000.0),
    "materiel_saturation": (0.0, True, 100.0),
    "materiel_floor": (0.0, False, 1.0),
    "decisiveness": (0.0, True, 64.0),
    "stalemate": (0.0, False, 1.0),
    "continuation_months": (0.0, False, 600.0),
    "hidden_edge_km2_per_month": (-1e6, False, 1e6),
}
AID_SPEC = (0.0, False, 1e5)
CUTOFF_MONTH_SPEC = (0.0, False, 1000.0)
ARRIVAL_SPEC = (1.0, False, 1000.0)
CONTINUE_SPEC = (0.0, False, 1.0)
SIZE_SPEC = (0.0, False, 1e7)
EFFECT_SPEC = (0.0, False, 1.0)
WEIGHT_SPEC = (-10.0, False, 10.0)
TERRITORY_SPEC = (0.0, False, 1.0)
LEVEL_SPEC = (0.0, False, 1.0)
EVENT_MONTH_SPEC = (1.0, False, 1000.0)
HAZARD_SPEC = (0.0, False, 1.0)
PROBABILITY_SPEC = (0.0, False, 1.0)
SCALE_SPEC = (0.0, False, 1e3)
SET_SPEC = (-1e9, False, 1e9)

#: The continuous outcomes of stats.rs ``Outcome::ALL``, in order.
OUTCOMES = (
    "leverage_a",
    "leverage_b",
    "surplus_a",
    "surplus_b",
    "range_low",
    "range_high",
    "win_probability_a",
    "held_by_b_km2",
    "gained_by_b_km2",
    "casualties_a",
    "casualties_b",
)
CONSTRAINT_IDS = ("acceptability_a", "acceptability_b", "durability")
#: report/mod.rs ``constraint_id`` of Constraint::MONTHLY, in code order (format version 2).
MONTHLY_CONSTRAINT_IDS = ("acceptability_a", "acceptability_b", "durability", "mutual_optimism")
#: The keys of report/settlement.rs ``JsonWhy``, in Constraint::MONTHLY order.
WHY_KEYS = ("a_prefers_fighting", "b_prefers_fighting", "no_durable_package", "mutual_optimism")
#: monthly.rs LEVERAGE_BINS: bins of the per-month leverage histograms over 0..1.
LEVERAGE_BINS = 200
#: table.rs LOOKAHEAD_MONTHS: coming months a side looks at when it weighs waiting.
LOOKAHEAD_MONTHS = 2
#: belief.rs BALANCE_LIMIT: largest magnitude of an effective balance.
BALANCE_LIMIT = 2.0 - 1e-12
#: front.rs FRONT_BINS: bins per month of the front histograms.
FRONT_BINS = 2048
#: front.rs / stats QUANTILES: the levels of every band.
QUANTILES = (0.05, 0.25, 0.50, 0.75, 0.95)


# --------------------------------------------------------------------------------------------
# Distributions (src/scenario/input.rs Dist, src/scenario/dist.rs, src/sim/sample.rs)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dist:
    """One input's distribution: ``kind`` as in the file (``"Pert"``...) and its parameters."""

    kind: str
    params: dict[str, Any]

    def is_fixed(self) -> bool:
        """input.rs ``Dist::is_fixed``: Fixed, or a Chance that always gives one value."""
        if self.kind == "Fixed":
            return True
        if self.kind == "Chance":
            p = self.params
            return p["p"] == 0.0 or p["p"] == 1.0 or p["yes"] == p["no"]
        return False

    def fixed_value(self) -> float:
        """engine.rs ``Engine::new``: the value a fixed input takes in every trial."""
        if self.kind == "Fixed":
            return float(self.params["x"])
        # A fixed Chance: `yes` when p >= 1, otherwise `no` (engine.rs, not clamped).
        p = self.params
        return float(p["yes"] if p["p"] >= 1.0 else p["no"])

    def upper(self) -> float:
        """The largest value the distribution can give, as engine.rs ``upper`` uses it to
        decide whether the front noise can be non-zero (only the sign matters here)."""
        k, p = self.kind, self.params
        if k == "Fixed":
            return float(p["x"])
        if k in ("Uniform", "Triangular", "Pert", "Beta"):
            return float(p["max"])
        if k == "Chance":
            return float(max(p["yes"], p["no"]))
        if k == "Normal":
            if p.get("max") is not None:
                return float(p["max"])
            return math.inf if p["sd"] > 0 else float(p["mean"])
        if k == "LogNormal":
            return math.inf
        raise ValueError(f"unknown distribution {k}")

    def engine_upper(self) -> float:
        """engine.rs ``upper`` and structure.rs ``continuation_hi``: the top of the support,
        or the 1 - 1e-6 quantile (dist.rs ``quantile``) when the support is unbounded."""
        hi = self.upper()
        if math.isfinite(hi):
            return hi
        k, p, q = self.kind, self.params, 1.0 - 1e-6
        if k == "Normal":
            mean, sd = p["mean"], p["sd"]
            lo_mass = 0.0 if p["min"] is None else _norm_cdf((p["min"] - mean) / sd)
            x = mean + sd * float(_norm_quantile(np.array([lo_mass + q * (1.0 - lo_mass)]))[0])
            return x if p["min"] is None else max(x, p["min"])
        # LogNormal: exp(mu + sigma z_q).
        mu = math.log(p["median"])
        sigma = (math.log(p["p90"]) - mu) / Z90
        return math.exp(mu + sigma * float(_norm_quantile(np.array([q]))[0]))


def _parse_dist(raw: Any) -> Dist:
    """A distribution from its JSON form: ``{"Pert": {...}}`` or ``{"Fixed": x}``, with the
    serde defaults of input.rs filled in (Beta on [0, 1], Chance yes 1 / no 0)."""
    if isinstance(raw, (int, float)):
        return Dist("Fixed", {"x": float(raw)})
    if not (isinstance(raw, dict) and len(raw) == 1):
        raise ValueError(f"not a distribution: {raw!r}")
    (kind, body), = raw.items()
    if kind == "Fixed":
        return Dist("Fixed", {"x": float(body)})
    params = {k: (None if v is None else float(v)) for k, v in body.items()}
    if kind == "Beta":
        params.setdefault("min", 0.0)
        params.setdefault("max", 1.0)
    elif kind == "Chance":
        params.setdefault("yes", 1.0)
        params.setdefault("no", 0.0)
    elif kind == "Normal":
        params.setdefault("min", None)
        params.setdefault("max", None)
    elif kind not in ("Uniform", "Triangular", "Pert", "LogNormal"):
        raise ValueError(f"unknown distribution {kind}")
    return Dist(kind, params)


def _parse_input(raw: Any) -> Dist:
    """input.rs ``Input``: a bare number, or ``{"value": <dist>, "source": .., ...}``."""
    if isinstance(raw, dict) and "value" in raw:
        return _parse_dist(raw["value"])
    return _parse_dist(raw)


def _plain_number(raw: Any, path: str) -> float:
    """The areas and the cut-off and arrival months, which this version takes as fixed values
    only (the engine also draws them per trial; that is not mirrored here)."""
    d = _parse_input(raw)
    if not d.is_fixed():
        raise ValueError(f"{path}: the NumPy version takes this field as a fixed value only")
    return float(d.fixed_value())


def _norm_cdf(z: float) -> float:
    """dist.rs ``norm_cdf`` (scalar: only the truncation bounds need it)."""
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


# Wichura's AS 241 (PPND16) coefficients, as in dist.rs ``norm_quantile``.
_A = (3.387132872796366608, 133.14166789178437745, 1971.5909503065514427,
      13731.693765509461125, 45921.953931549871457, 67265.770927008700853,
      33430.575583588128105, 2509.0809287301226727)
_B = (1.0, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077,
      21213.794301586595867, 39307.89580009271061, 28729.085735721942674,
      5226.495278852545925)
_C = (1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055,
      3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177,
      0.0227238449892691845833, 7.7454501427834140764e-4)
_D = (1.0, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455,
      0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4,
      1.05075007164441684324e-9)
_E = (6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358,
      0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386,
      2.71155556874348757815e-5, 2.01033439929228813265e-7)
_F = (1.0, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
      7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7,
      2.04426310338993978564e-15)


def _poly(coef: tuple[float, ...], x: np.ndarray) -> np.ndarray:
    out = np.full_like(x, coef[-1])
    for c in coef[-2::-1]:
        out = out * x + c
    return out


def _norm_quantile(p: np.ndarray) -> np.ndarray:
    """dist.rs ``norm_quantile`` vectorised (AS 241); p must lie in (0, 1). NumPy has no
    inverse normal CDF, and the truncated normal is drawn by inverse transform as in
    sample.rs."""
    p = np.asarray(p, dtype=np.float64)
    q = p - 0.5
    out = np.empty_like(p)
    central = np.abs(q) <= 0.425
    if central.any():
        qc = q[central]
        r = 0.180625 - qc * qc
        out[central] = qc * _poly(_A, r) / _poly(_B, r)
    tail = ~central
    if tail.any():
        qt = q[tail]
        r = np.sqrt(-np.log(np.where(qt < 0.0, p[tail], 1.0 - p[tail])))
        near = r <= 5.0
        val = np.where(near, _poly(_C, r - 1.6) / _poly(_D, r - 1.6),
                       _poly(_E, r - 5.0) / _poly(_F, r - 5.0))
        out[tail] = np.where(qt < 0.0, -val, val)
    return out


def _sample(d: Dist, n: int, rng: np.random.Generator) -> np.ndarray:
    """n draws of an uncertain input: sample.rs ``Sampler::sample`` (same distributions,
    NumPy's generators)."""
    k, p = d.kind, d.params
    if k == "Uniform":
        return p["min"] + (p["max"] - p["min"]) * rng.random(n)
    if k == "Triangular":
        return rng.triangular(p["min"], p["mode"], p["max"], n)
    if k == "Pert":
        # dist.rs pert_shape: Beta(1 + 4 (mode-min)/range, 1 + 4 (max-mode)/range) on [min, max].
        lo, mode, hi = p["min"], p["mode"], p["max"]
        width = hi - lo
        if not width > 0.0:
            a = b = 1.0
        else:
            a = 1.0 + 4.0 * (mode - lo) / width
            b = 1.0 + 4.0 * (hi - mode) / width
        return lo + width * rng.beta(a, b, n)
    if k == "Beta":
        return p["min"] + (p["max"] - p["min"]) * rng.beta(p["alpha"], p["beta"], n)
    if k == "Normal":
        mean, sd, lo, hi = p["mean"], p["sd"], p["min"], p["max"]
        if (lo is None and hi is None) or not sd > 0.0:
            return mean + sd * rng.standard_normal(n)
        # Truncated: inverse transform over the kept mass [c_lo, c_hi] (sample.rs TruncNormal).
        c_lo = 0.0 if lo is None else _norm_cdf((lo - mean) / sd)
        c_hi = 1.0 if hi is None else _norm_cdf((hi - mean) / sd)
        u = (rng.random(n) + 0.5 / 2**53)  # uniform on (0, 1), as uniform_open
        q = np.clip(c_lo + (c_hi - c_lo) * u, np.finfo(np.float64).tiny, 1.0 - 1e-16)
        return mean + sd * _norm_quantile(q)
    if k == "LogNormal":
        # dist.rs lognormal_params: mu = ln median, sigma = (ln p90 - mu) / z90.
        mu = math.log(p["median"])
        sigma = (math.log(p["p90"]) - mu) / Z90
        return np.exp(mu + sigma * rng.standard_normal(n))
    if k == "Chance":
        return np.where(rng.random(n) < p["p"], p["yes"], p["no"])
    if k == "Fixed":
        return np.full(n, p["x"])
    raise ValueError(f"unknown distribution {k}")


def _clamp_bounds(spec: tuple[float, bool, float]) -> tuple[float, float]:
    """sample.rs ``clamp_to``: an open lower bound is replaced by the next value above it."""
    lo, lo_open, hi = spec
    if lo_open:
        lo = lo + F64_EPS * max(abs(lo), 1.0)
    return lo, hi


def _clamp(x: np.ndarray, spec: tuple[float, bool, float]) -> np.ndarray:
    """sample.rs ``clamp_to`` on an array: clamp to the field's range, NaN to the low end."""
    lo, hi = _clamp_bounds(spec)
    np.clip(x, lo, hi, out=x)
    x[np.isnan(x)] = lo
    return x


def _clamp_scalar(x: float, spec: tuple[float, bool, float]) -> float:
    lo, hi = _clamp_bounds(spec)
    return lo if math.isnan(x) else min(max(x, lo), hi)


# --------------------------------------------------------------------------------------------
# The compiled scenario (src/model/structure.rs Structure::compile)
# --------------------------------------------------------------------------------------------


@dataclass
class AidPlan:
    """structure.rs ``AidPlan``: shares of the amount arriving in each month of the horizon,
    and in the months of peace projected after a deal (T+1 ..= T+shift_months), whatever
    happens (``always``) or only if the stream goes on past its cut-off. Format version 2 adds
    the shares by arrival month over the horizon and the months the sides look ahead
    (``share_*[u]``, index 0 unused) and their running sums (``cum_*[u]``)."""

    side: int
    amount: int
    arrive_always: np.ndarray
    arrive_if_continues: np.ndarray
    after_always: float = 0.0
    after_if_continues: float = 0.0
    continue_probability: int | None = None
    lag: int = 0
    cutoff_month: int | None = None
    share_always: np.ndarray | None = None
    share_if_continues: np.ndarray | None = None
    cum_always: np.ndarray | None = None
    cum_if_continues: np.ndarray | None = None


@dataclass
class ChangePlan:
    """structure.rs ``ChangePlan``: ``cur[target] = cur[target] * cur[value]`` (scale) or
    ``cur[target] = cur[value]`` (set); ``kind`` is what the projections see of it
    (TargetKind): ``("aid", s)``, ``("recruits", i)``, ``("production", i)``, ``("burn", i)``
    or None (Other: it takes effect but is not projected)."""

    target: int
    scale: bool
    value: int
    kind: tuple[str, int] | None


@dataclass
class EventPlan:
    """structure.rs ``EventPlan``: ``when`` is ("month", slot, fixed) or ("hazard", slot)."""

    when: tuple
    probability: int
    changes: list[ChangePlan]


@dataclass
class LeverPlan:
    """structure.rs ``LeverPlan``: the side pressed, the packages it backs, the slot of its
    probability, the first month it can be pulled, and what it changes."""

    side: int
    backs: list[int]
    probability: int
    from_month: int
    changes: list[ChangePlan]


@dataclass
class Scenario:
    """A scenario compiled for simulation: one slot per catalogued input (in registry.rs
    walk order), then the always-0 and the always-1 slot, the indices the model reads, and the
    aid, troop, package, event and lever plans."""

    title: str
    side_names: tuple[str, str]
    horizon: int
    contested_km2: float
    held_by_b_km2: float
    # One entry per slot: (path, spec, dist).
    inputs: list[tuple[str, tuple[float, bool, float], Dist]]
    sides: list[dict[str, int | None]]
    battle: dict[str, int | None]
    aid: list[AidPlan]
    troops: list[tuple[int, int, int, int]]  # (side, size slot, effectiveness slot, month)
    packages: list[tuple[int | None, list[int]]]  # (territory slot or None for Line, levels)
    package_names: list[str]
    weights: list[list[int]]  # per side, one slot per attribute
    protocol: str  # "Nash" or "Rubinstein"
    proposer: str | None  # "A" or "B" for Rubinstein
    shift_months: int
    attribute_names: list[str]
    noise_on: bool = True
    version: int = 1
    # Format version 2.
    talks: str = "EveryMonth"
    ext_months: int = 0
    events: list[EventPlan] = field(default_factory=list)
    levers: list[LeverPlan] = field(default_factory=list)
    dynamic_slots: list[int] = field(default_factory=list)
    #: engine.rs ``front_spec``: the largest monthly move the front histograms cover.
    max_move: float = 1.0
    correlations: list[Any] = field(default_factory=list)
    observed: list[dict[str, Any]] = field(default_factory=list)
    observed_talks: dict[str, Any] | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def zero_slot(self) -> int:
        """structure.rs: the always-0 slot (level of an attribute a package leaves out)."""
        return len(self.inputs)

    @property
    def one_slot(self) -> int:
        """structure.rs: the always-1 slot (a missing probability, peace recruit share)."""
        return len(self.inputs) + 1

    @property
    def monthly(self) -> bool:
        """structure.rs ``Structure::monthly``: format version 2 bargains while fighting."""
        return self.version >= 2


def load_scenario(doc: dict[str, Any]) -> Scenario:
    """Compiles a scenario given as the JSON of ``armistice export``: mirrors
    registry.rs ``walk_inputs`` (which inputs exist, in which order) and structure.rs
    ``Structure::compile`` (schedules, lags, cut-offs, contingents, packages, weights; format
    version 2: the arrival shares over the months looked ahead, events, levers).
    The scenario is assumed valid (``armistice check`` passes on it)."""
    inputs: list[tuple[str, tuple[float, bool, float], Dist]] = []
    index: dict[tuple, int] = {}
    version = int(doc.get("version", 1))

    def add(key: tuple, path: str, spec: tuple[float, bool, float], raw: Any) -> None:
        index[key] = len(inputs)
        inputs.append((path, spec, _parse_input(raw)))

    sides_doc = doc["sides"]
    # Side fields in SideField::ALL order; the optional ones only when present.
    for s in ("a", "b"):
        side = sides_doc[s]
        for name, spec in SIDE_SPECS.items():
            if side.get(name) is not None:
                add(("side", s, name), f"sides.{s}.{name}", spec, side[name])
    bf = doc["battlefield"]
    for name, spec in BATTLE_SPECS.items():
        if bf.get(name) is not None:
            add(("battle", name), f"battlefield.{name}", spec, bf[name])
    aid_doc = doc.get("aid") or []
    for i, stream in enumerate(aid_doc):
        add(("aid", i), f"aid[{i}].amount_usd_bn", AID_SPEC, stream["amount_usd_bn"])
        if stream.get("cutoff") is not None:
            add(("cutoff_month", i), f"aid[{i}].cutoff.month", CUTOFF_MONTH_SPEC,
                stream["cutoff"]["month"])
            add(("continue", i), f"aid[{i}].cutoff.continue_probability", CONTINUE_SPEC,
                stream["cutoff"]["continue_probability"])
    troops_doc = doc.get("troops") or []
    for i, t in enumerate(troops_doc):
        add(("size", i), f"troops[{i}].size", SIZE_SPEC, t["size"])
        add(("arrival", i), f"troops[{i}].arrival_month", ARRIVAL_SPEC, t["arrival_month"])
        add(("effect", i), f"troops[{i}].effectiveness", EFFECT_SPEC, t["effectiveness"])
    barg = doc["bargaining"]
    # Scenario::attribute_names: the built-ins of the version, then a's `other` weights in
    # sorted (BTreeMap) order.
    builtin = BUILTIN_ATTRIBUTES[:5 if version >= 2 else 3]
    attr_names = list(builtin) + sorted((barg["weights"]["a"].get("other") or {}))
    for s in ("a", "b"):
        w = barg["weights"][s]
        for k, name in enumerate(BUILTIN_ATTRIBUTES[:3]):
            add(("weight", s, k), f"bargaining.weights.{s}.{name}", WEIGHT_SPEC, w[name])
        for k in (ATTR_CAP_A, ATTR_CAP_B):
            name = BUILTIN_ATTRIBUTES[k]
            if w.get(name) is not None:
                add(("weight", s, k), f"bargaining.weights.{s}.{name}", WEIGHT_SPEC, w[name])
        for name, raw in sorted((w.get("other") or {}).items()):
            if name in attr_names:
                add(("weight", s, attr_names.index(name)),
                    f"bargaining.weights.{s}.other.{name}", WEIGHT_SPEC, raw)
    for i, pkg in enumerate(barg["packages"]):
        terr = pkg["territory"]
        if isinstance(terr, dict) and "Share" in terr:
            add(("territory", i), f"bargaining.packages[{i}].territory", TERRITORY_SPEC,
                terr["Share"])
        for k, name in enumerate(BUILTIN_ATTRIBUTES[:3]):
            add(("level", i, k), f"bargaining.packages[{i}].{name}", LEVEL_SPEC,
                pkg.get(name, 0.0))
        for k in (ATTR_CAP_A, ATTR_CAP_B):
            name = BUILTIN_ATTRIBUTES[k]
            if pkg.get(name) is not None:
                add(("level", i, k), f"bargaining.packages[{i}].{name}", LEVEL_SPEC, pkg[name])
        for name, raw in sorted((pkg.get("other") or {}).items()):
            if name in attr_names:
                add(("level", i, attr_names.index(name)),
                    f"bargaining.packages[{i}].other.{name}", LEVEL_SPEC, raw)
    events_doc = doc.get("events") or []
    for e, ev in enumerate(events_doc):
        (when_kind, when_raw), = ev["when"].items()
        if when_kind == "Month":
            add(("event_month", e), f"events[{e}].when.month", EVENT_MONTH_SPEC, when_raw)
        else:
            add(("event_hazard", e), f"events[{e}].when.hazard", HAZARD_SPEC, when_raw)
        # types.rs: a left-out probability is 1.
        add(("event_probability", e), f"events[{e}].probability", PROBABILITY_SPEC,
            ev.get("probability", 1.0))
        for c, ch in enumerate(ev["changes"]):
            (op, body), = ch.items()
            if op == "Scale":
                add(("event_change", e, c), f"events[{e}].changes[{c}].by", SCALE_SPEC, body["by"])
            else:
                add(("event_change", e, c), f"events[{e}].changes[{c}].to", SET_SPEC, body["to"])
    pressure_doc = doc.get("pressure") or []
    for l_, lever in enumerate(pressure_doc):
        add(("lever_probability", l_), f"pressure[{l_}].probability", PROBABILITY_SPEC,
            lever.get("probability", 1.0))
        for c, ch in enumerate(lever["changes"]):
            (op, body), = ch.items()
            if op == "Scale":
                add(("lever_change", l_, c), f"pressure[{l_}].changes[{c}].by", SCALE_SPEC,
                    body["by"])
            else:
                add(("lever_change", l_, c), f"pressure[{l_}].changes[{c}].to", SET_SPEC,
                    body["to"])

    zero_slot, one_slot = len(inputs), len(inputs) + 1
    at = lambda key: index.get(key, 0)  # noqa: E731  (structure.rs `at`: 0 if absent)
    opt = index.get  # structure.rs `opt`: None if absent
    sides = []
    for s in ("a", "b"):
        idx: dict[str, int | None] = {f: at(("side", s, f)) for f in SIDE_SPECS}
        idx["losses_per_month"] = opt(("side", s, "losses_per_month"))
        # structure.rs `or_zero` (and the one slot for the peace recruit share).
        for f in ("prior_uncertainty_km2_per_month", "peace_demobilised_share",
                  "peace_consumption_usd_bn_per_month"):
            idx[f] = index.get(("side", s, f), zero_slot)
        idx["peace_recruit_share"] = index.get(("side", s, "peace_recruit_share"), one_slot)
        sides.append(idx)
    battle: dict[str, int | None] = {f: at(("battle", f)) for f in BATTLE_SPECS}
    battle["exchange_ratio"] = opt(("battle", "exchange_ratio"))
    battle["hidden_edge_km2_per_month"] = index.get(("battle", "hidden_edge_km2_per_month"),
                                                    zero_slot)

    horizon = int(doc["simulation"]["horizon_months"])
    shift_months = int(barg.get("shift_months", 12))
    monthly = version >= 2
    # structure.rs ext_months: how far the sides look ahead (the continuation's largest
    # value, at most 600, or the peace after a deal, whichever is longer; at least 1).
    cont_hi = inputs[battle["continuation_months"]][2].engine_upper()
    ext_months = max(int(math.ceil(min(max(cont_hi, 0.0), 600.0))), shift_months, 1)
    span = horizon + ext_months
    a_id = sides_doc["a"]["id"]
    side_of = lambda rid: int(rid != a_id)  # noqa: E731

    # Aid streams: structure.rs, the `add` closure and the schedule match.
    aid = []
    for i, stream in enumerate(aid_doc):
        cutoff = (int(_plain_number(stream["cutoff"]["month"], f"aid[{i}].cutoff.month"))
                  if stream.get("cutoff") is not None else None)
        lag = int(stream.get("lag_months", 0) or 0)
        plan = AidPlan(
            side=side_of(stream["recipient"]),
            amount=at(("aid", i)),
            arrive_always=np.zeros(horizon),
            arrive_if_continues=np.zeros(horizon),
            continue_probability=opt(("continue", i)),
            lag=lag,
            cutoff_month=None if cutoff is None else int(cutoff),
            share_always=np.zeros(span + 1),
            share_if_continues=np.zeros(span + 1),
        )
        after_end = horizon + shift_months  # last month of the projected peace

        def conditional(dispatch: int, cutoff=cutoff) -> bool:
            # Dispatches after the cut-off month happen only if the stream continues.
            return cutoff is not None and dispatch > cutoff

        def put(dispatch: int, share: float, plan=plan, lag=lag, conditional=conditional,
                after_end=after_end):
            arrival = dispatch + lag
            cond = conditional(dispatch)
            if monthly and 1 <= arrival <= span:
                (plan.share_if_continues if cond else plan.share_always)[arrival] += share
            if 1 <= arrival <= horizon:
                (plan.arrive_if_continues if cond else plan.arrive_always)[arrival - 1] += share
            elif horizon < arrival <= after_end:
                if cond:
                    plan.after_if_continues += share
                else:
                    plan.after_always += share

        (kind, body), = stream["schedule"].items()
        if kind == "Monthly":
            # Every month of the horizon and of the projected peace (format version 2: and of
            # every month the sides can look ahead).
            last = span if monthly else after_end
            for m in range(max(int(body["from_month"]), 1), last + 1):
                put(m, 1.0)
        elif kind == "Window":
            lo, hi = int(body["from_month"]), int(body["to_month"])
            for m in range(lo, hi + 1):
                put(m, 1.0 / (hi - lo + 1))
        elif kind == "Shares":
            for k, share in enumerate(body):
                put(k + 1, float(share))
        else:
            raise ValueError(f"unknown schedule {kind}")
        # structure.rs running_sum: out[u] = shares[1] + ... + shares[u] (index 0 is 0).
        plan.cum_always = _running_sum(plan.share_always)
        plan.cum_if_continues = _running_sum(plan.share_if_continues)
        aid.append(plan)

    troops = [
        (side_of(t["recipient"]), at(("size", i)), at(("effect", i)), int(_plain_number(t["arrival_month"], f"troops[{i}].arrival_month")))
        for i, t in enumerate(troops_doc)
    ]
    packages = []
    for i, pkg in enumerate(barg["packages"]):
        terr_slot = opt(("territory", i)) if pkg["territory"] != "Line" else None
        levels = [index.get(("level", i, k), zero_slot) for k in range(len(attr_names))]
        packages.append((terr_slot, levels))
    weights = [[index.get(("weight", s, k), zero_slot) for k in range(len(attr_names))]
               for s in ("a", "b")]

    # Events and levers: structure.rs `compile_changes` (a change whose target is not an
    # input of the scenario is left out; validation refuses such files anyway).
    slot_of_path = {path: k for k, (path, _, _) in enumerate(inputs)}

    def target_kind(path: str) -> tuple[str, int] | None:
        for s, letter in enumerate("ab"):
            for name, kind in (("recruits_per_month", "recruits"),
                               ("production_usd_bn_per_month", "production"),
                               ("burn_usd_bn_per_month", "burn")):
                if path == f"sides.{letter}.{name}":
                    return (kind, s)
        if path.startswith("aid[") and path.endswith("].amount_usd_bn"):
            return ("aid", int(path[4:-len("].amount_usd_bn")]))
        return None

    def compile_changes(changes: list[dict], value_key) -> list[ChangePlan]:
        out = []
        for c, ch in enumerate(changes):
            (op, body), = ch.items()
            target = slot_of_path.get(body["input"])
            value = index.get(value_key(c))
            if target is None or value is None:
                continue
            out.append(ChangePlan(target=target, scale=op == "Scale", value=value,
                                  kind=target_kind(body["input"])))
        return out

    events = []
    for e, ev in enumerate(events_doc):
        (when_kind, _), = ev["when"].items()
        if when_kind == "Month":
            slot = index.get(("event_month", e), zero_slot)
            when = ("month", slot, inputs[slot][2].is_fixed())
        else:
            when = ("hazard", index.get(("event_hazard", e), zero_slot))
        events.append(EventPlan(
            when=when,
            probability=index.get(("event_probability", e), one_slot),
            changes=compile_changes(ev["changes"], lambda c, e=e: ("event_change", e, c))))
    package_names = [p["name"] for p in barg["packages"]]
    levers = []
    for l_, lever in enumerate(pressure_doc):
        levers.append(LeverPlan(
            side=side_of(lever["on"]),
            backs=[package_names.index(b) for b in lever["backs"] if b in package_names],
            probability=index.get(("lever_probability", l_), one_slot),
            from_month=int(lever.get("from_month", 1)),
            changes=compile_changes(lever["changes"],
                                    lambda c, l_=l_: ("lever_change", l_, c))))
    dynamic_slots = sorted({ch.target for plan in (*events, *levers) for ch in plan.changes})

    proto = barg["protocol"]
    if proto == "Nash":
        protocol, proposer = "Nash", None
    else:
        protocol, proposer = "Rubinstein", proto["Rubinstein"]["proposer"]

    sc = Scenario(
        title=doc["meta"]["title"],
        side_names=(sides_doc["a"]["name"], sides_doc["b"]["name"]),
        horizon=horizon,
        contested_km2=_plain_number(bf["contested_km2"], "battlefield.contested_km2"),
        held_by_b_km2=min(_plain_number(bf["held_by_b_km2"], "battlefield.held_by_b_km2"),
                          _plain_number(bf["contested_km2"], "battlefield.contested_km2")),
        inputs=inputs,
        sides=sides,
        battle=battle,
        aid=aid,
        troops=troops,
        packages=packages,
        package_names=package_names,
        weights=weights,
        protocol=protocol,
        proposer=proposer,
        shift_months=shift_months,
        attribute_names=attr_names,
        version=version,
        talks=barg.get("talks") or "EveryMonth",
        ext_months=ext_months,
        events=events,
        levers=levers,
        dynamic_slots=dynamic_slots,
        correlations=list(doc.get("correlations") or []),
        observed=list(doc.get("observed") or []),
        observed_talks=doc.get("observed_talks"),
        raw=doc,
    )
    # engine.rs: the monthly front noise is drawn only when the noise can be non-zero.
    noise_hi = inputs[battle["front_noise_km2"]][2].engine_upper()
    sc.noise_on = noise_hi > 0.0
    # engine.rs Engine::new: the front histograms cover drift plus eight noise deviations.
    max_move = 2.0 * inputs[battle["front_speed_km2_per_month"]][2].engine_upper() \
        + 8.0 * noise_hi
    sc.max_move = max_move if max_move > 0.0 and math.isfinite(max_move) else 1.0
    return sc


def _running_sum(shares: np.ndarray) -> np.ndarray:
    """structure.rs ``running_sum``: out[u] = shares[1] + ... + shares[u], summed in order."""
    out = np.zeros_like(shares)
    acc = 0.0
    for u in range(1, shares.size):
        acc += float(shares[u])
        out[u] = acc
    return out


# --------------------------------------------------------------------------------------------
# Drawing one chunk of trials (src/sim/engine.rs Engine::draw)
# --------------------------------------------------------------------------------------------


def _draw_values(sc: Scenario, n: int, rng: np.random.Generator) -> list[Any]:
    """The value of every slot for n trials: a float for a fixed input (engine.rs ``base``),
    an array of n clamped draws for an uncertain one; then the always-0 and always-1 slots."""
    v: list[Any] = []
    for _path, spec, dist in sc.inputs:
        if dist.is_fixed():
            x = dist.fixed_value()
            # engine.rs clamps the central value of a Fixed input, but not a fixed Chance's.
            v.append(_clamp_scalar(x, spec) if dist.kind == "Fixed" else x)
        else:
            v.append(_clamp(_sample(dist, n, rng), spec))
    v.append(0.0)
    v.append(1.0)
    return v


def _draw_continues(sc: Scenario, v: list[Any], n: int, rng: np.random.Generator) -> list[Any]:
    """engine.rs ``draw``: whether each aid stream goes on after its cut-off, one event
    u < p per trial (p itself may be drawn); True for streams without a cut-off."""
    out: list[Any] = []
    for plan in sc.aid:
        if plan.continue_probability is None:
            out.append(True)
        else:
            out.append(rng.random(n) < v[plan.continue_probability])
    return out


@dataclass
class MonthlyDraws:
    """monthly.rs ``Draws``: the random draws of a chunk of trials besides the inputs
    (engine.rs ``draw_events``). ``noise`` is (horizon, n) or 0.0 when the noise cannot be
    non-zero; the others hold one array of n per aid stream, event or lever."""

    continues: list[Any]
    noise: Any
    event_occurs: list[np.ndarray]
    event_timing: list[np.ndarray]
    lever: list[np.ndarray]


def _draw_monthly(sc: Scenario, v: list[Any], n: int, rng: np.random.Generator) -> MonthlyDraws:
    """engine.rs ``draw_events`` for n trials: the aid continuation events, one standard
    normal per month for the front noise (when it can be non-zero), and per event two
    uniforms (whether it happens, its timing) and per lever one (whether the donor carries a
    threat out)."""
    cont = _draw_continues(sc, v, n, rng)
    noise = rng.standard_normal((sc.horizon, n)) if sc.noise_on else 0.0
    occurs = [rng.random(n) for _ in sc.events]
    timing = [rng.random(n) for _ in sc.events]
    lever = [rng.random(n) for _ in sc.levers]
    return MonthlyDraws(cont, noise, occurs, timing, lever)


# --------------------------------------------------------------------------------------------
# The model (src/model/war.rs evaluate and the functions it calls)
# --------------------------------------------------------------------------------------------


def materiel_factor(stock, reference, saturation, floor):
    """war.rs ``materiel_factor``: floor + (1 - floor) x (1 + h) / (x + h), x = stock/ref."""
    x = np.maximum(stock / reference, 0.0)
    return floor + (1.0 - floor) * x * (1.0 + saturation) / (x + saturation)


def win_probability(c_a, c_b, n):
    """contest.rs ``win_probability``: 1 / (1 + (c_b/c_a)^n); an infinite power gives 0."""
    r = (c_b / c_a) ** n
    return np.where(np.isinf(r), 0.0, 1.0 / (1.0 + r))


def declining_side_fights(delta, p_now, p_next, cost):
    """commitment.rs: delta (p_now - p_next) > (1 - delta) (1 - p_now + cost)."""
    return delta * (p_now - p_next) > (1.0 - delta) * (1.0 - p_now + cost)


def rubinstein_proposer_share(delta_p, delta_r):
    """bargain.rs: (1 - delta_r) / (1 - delta_p delta_r), 0.5 when the denominator is 0."""
    den = 1.0 - delta_p * delta_r
    safe = np.where(den > 0.0, den, 1.0)
    return np.where(den > 0.0, (1.0 - delta_r) / safe, 0.5)


def nash_power_from_patience(delta_a, delta_b):
    """bargain.rs: ln d_b / (ln d_a + ln d_b), 0.5 when both are perfectly patient."""
    ra = -np.log(delta_a)
    rb = -np.log(delta_b)
    total = ra + rb
    safe = np.where(total > 0.0, total, 1.0)
    return np.where(total > 0.0, rb / safe, 0.5)


def _weighted_log(w, slack):
    """war.rs score term: w ln(slack), or 0 where the weight is not positive."""
    return np.where(w > 0.0, w * np.log(slack), 0.0)


def _full(x, n: int) -> np.ndarray:
    """A fresh float64 array of n values from a scalar or an array (model state arrays)."""
    return np.array(np.broadcast_to(x, (n,)), dtype=np.float64)


def _evaluate_chunk(sc: Scenario, v: list[Any], cont: list[Any], n: int,
                    rng: np.random.Generator) -> dict[str, np.ndarray]:
    """war.rs ``evaluate`` for n trials at once. ``v`` holds one value (float or array of n)
    per slot, ``cont`` the continuation events; the monthly front noise is drawn here, one
    standard normal per trial and month, as engine.rs does when the noise can be > 0."""
    H = sc.horizon
    sa, sb = sc.sides
    bt = sc.battle

    # --- Aid pipeline and contingents (war.rs, first block) --------------------------------
    # Per side, the streams with their monthly arrival shares: in month t a stream adds
    # amount x (always[t] + continues x if_continues[t]). Only non-zero shares are kept, so
    # the month loop touches each stream only in the months it delivers.
    deliveries: list[list[list[tuple[float, Any]]]] = [[[] for _ in range(H)] for _ in range(2)]
    after: list[Any] = [0.0, 0.0]  # aid arriving in the projected months of peace
    for plan, c in zip(sc.aid, cont):
        amount = v[plan.amount]
        amount_cont = amount * c  # c is True (no cut-off) or a boolean array
        s = plan.side
        for t in range(H):
            if plan.arrive_always[t] != 0.0:
                deliveries[s][t].append((plan.arrive_always[t], amount))
            if plan.arrive_if_continues[t] != 0.0:
                deliveries[s][t].append((plan.arrive_if_continues[t], amount_cont))
        after[s] = after[s] + amount * plan.after_always + amount_cont * plan.after_if_continues

    # Contingents join in their arrival month (1-based) if it is within the horizon.
    joining: list[dict[int, Any]] = [{}, {}]
    for side, size, eff, month in sc.troops:
        if 1 <= month <= H:
            joining[side][month - 1] = joining[side].get(month - 1, 0.0) + v[size] * v[eff]

    # --- Forces ----------------------------------------------------------------------------
    quality = (v[sa["quality"]], v[sb["quality"]])
    reference = (v[sa["materiel_reference_usd_bn"]], v[sb["materiel_reference_usd_bn"]])
    recruits = (v[sa["recruits_per_month"]], v[sb["recruits_per_month"]])
    production = (v[sa["production_usd_bn_per_month"]], v[sb["production_usd_bn_per_month"]])
    burn = (v[sa["burn_usd_bn_per_month"]], v[sb["burn_usd_bn_per_month"]])
    saturation = v[bt["materiel_saturation"]]
    floor = v[bt["materiel_floor"]]

    def power(m, k, i):
        """war.rs ``power``: manpower x materiel factor x quality, at least MIN_POWER."""
        return np.maximum(m * materiel_factor(k, reference[i], saturation, floor) * quality[i],
                          MIN_POWER)

    manpower = [_full(v[sa["manpower"]], n), _full(v[sb["manpower"]], n)]
    stock = [_full(v[sa["materiel_usd_bn"]], n), _full(v[sb["materiel_usd_bn"]], n)]
    c0 = (power(manpower[0], stock[0], 0), power(manpower[1], stock[1], 1))

    # Starting loss rates: both given, or one given with the exchange ratio (b per a).
    la_i, lb_i, e_i = sa["losses_per_month"], sb["losses_per_month"], bt["exchange_ratio"]
    if la_i is not None and lb_i is not None:
        loss0_a, loss0_b = v[la_i], v[lb_i]
    elif la_i is not None and e_i is not None:
        loss0_a, loss0_b = v[la_i], v[la_i] * v[e_i]
    elif lb_i is not None and e_i is not None:
        loss0_a, loss0_b = v[lb_i] / v[e_i], v[lb_i]
    else:
        loss0_a, loss0_b = 0.0, 0.0
    # Lanchester square law calibrated on the starting balance (lanchester.rs loss_rates).
    kill_rate_a = loss0_b / c0[0]
    kill_rate_b = loss0_a / c0[1]

    speed = v[bt["front_speed_km2_per_month"]]
    break_even = v[bt["break_even_ratio"]]
    sigma = v[bt["front_noise_km2"]]
    contested = sc.contested_km2
    held = np.full(n, sc.held_by_b_km2)
    casualties = [np.zeros(n), np.zeros(n)]
    last_losses = (loss0_a, loss0_b)  # overwritten every month (the horizon is >= 1)

    # --- The months: the only Python loop of the model -----------------------------------
    for t in range(H):
        for i in range(2):
            for share, amount in deliveries[i][t]:
                stock[i] += share * amount
            if t in joining[i]:
                manpower[i] += joining[i][t]
        ca = power(manpower[0], stock[0], 0)
        cb = power(manpower[1], stock[1], 1)
        # war.rs front_drift: speed * 2 (r - r*) / (r + r*) with r = C_b / C_a.
        r = cb / ca
        held += speed * 2.0 * (r - break_even) / (r + break_even)
        if sc.noise_on:
            held += sigma * rng.standard_normal(n)
        np.clip(held, 0.0, contested, out=held)
        # lanchester.rs loss_rates: a loses kill_rate_b * C_b, b loses kill_rate_a * C_a.
        rates = (kill_rate_b * cb, kill_rate_a * ca)
        # A side cannot lose more troops than it has ...
        losses = (np.minimum(rates[0], manpower[0]), np.minimum(rates[1], manpower[1]))
        for i in range(2):
            casualties[i] += losses[i]
            manpower[i] -= losses[i]
            manpower[i] += recruits[i]
            stock[i] += production[i]
            stock[i] -= burn[i]
            np.maximum(stock[i], 0.0, out=stock[i])
        # ... but the cost of fighting on is judged by the uncapped rate (war.rs).
        last_losses = rates

    # --- The war fought on from the horizon -------------------------------------------------
    ca = power(manpower[0], stock[0], 0)
    cb = power(manpower[1], stock[1], 1)
    n_exp = v[bt["decisiveness"]]
    # a's power scaled by the break-even ratio, so that at break-even the war is even.
    p_a = win_probability(ca * break_even, cb, n_exp)
    share_line_a = 1.0 - held / contested
    stalemate = v[bt["stalemate"]]
    believed_a = np.clip(p_a + v[sa["optimism"]], 0.0, 1.0)
    believed_b_about_a = 1.0 - np.clip((1.0 - p_a) + v[sb["optimism"]], 0.0, 1.0)

    def expect(p):
        return (1.0 - stalemate) * p + stalemate * share_line_a

    months = v[bt["continuation_months"]]

    def cost(i, side):
        return (last_losses[i] * months / v[side["casualty_tolerance"]]
                + production[i] * months / v[side["spending_tolerance_usd_bn"]])

    c_a = cost(0, sa)
    c_b = cost(1, sb)
    # fearon.rs disagreement_values.
    d_a = expect(believed_a) - c_a
    d_b = 1.0 - expect(believed_b_about_a) - c_b

    # --- Splitting the range (bargain.rs Split) -------------------------------------------
    delta_a = v[sa["patience"]]
    delta_b = v[sb["patience"]]
    if sc.protocol == "Nash":
        power_a = nash_power_from_patience(delta_a, delta_b)
        leverage_a = d_a + power_a * (1.0 - d_a - d_b)
        w_a = power_a
    else:
        if sc.proposer == "A":
            share_a = rubinstein_proposer_share(delta_a, delta_b)
        else:
            share_a = 1.0 - rubinstein_proposer_share(delta_b, delta_a)
        hi = 1.0 - d_b
        inside = np.minimum(np.maximum(share_a, d_a), hi)  # share_a.clamp(d_a, hi)
        leverage_a = np.where(d_a <= hi, inside, d_a + share_a * (1.0 - d_a - d_b))
        w_a = share_a
    # bargain.rs Split::leverage_a: shares outside 0..=1 do not exist, so clamp to them.
    leverage_a = np.clip(leverage_a, 0.0, 1.0)
    w_b = 1.0 - w_a
    range_empty = d_a > 1.0 - d_b

    # --- Commitment (commitment.rs): the balance after `shift` months of peace -----------
    shift = float(sc.shift_months)

    def rebuilt(i):
        m = manpower[i] + recruits[i] * shift
        k = stock[i] + production[i] * shift + after[i]
        return power(m, k, i)

    p_a_after = win_probability(rebuilt(0) * break_even, rebuilt(1), n_exp)
    shift_a = p_a_after - p_a
    b_declines_and_fights = (shift_a > 0.0) & declining_side_fights(
        np.power(delta_b, shift), 1.0 - p_a, 1.0 - p_a_after, c_b)
    delta_a_period = np.power(delta_a, shift)
    a_declines = shift_a < 0.0

    # --- Packages: acceptability, durability, the weighted Nash product ------------------
    best = np.full(n, -1, dtype=np.int16)
    best_score = np.full(n, -np.inf)
    closest_m = closest_sa = closest_sb = None
    closest_by_durability = None
    for k, (terr_slot, levels) in enumerate(sc.packages):
        terr_a = share_line_a if terr_slot is None else v[terr_slot]
        u_a = terr_a
        u_b = 1.0 - terr_a
        for j, lvl in enumerate(levels):
            level = v[lvl]
            if isinstance(level, float) and level == 0.0:
                continue  # adds exactly 0 (weights are finite)
            u_a = u_a + v[sc.weights[0][j]] * level
            u_b = u_b + v[sc.weights[1][j]] * level
        slack_a = _full(u_a - d_a, n)
        slack_b = _full(u_b - d_b, n)
        acceptable = (slack_a >= 0.0) & (slack_b >= 0.0)
        guarantee = v[levels[ATTR_GUARANTEE]]
        p_next = p_a + shift_a * (1.0 - guarantee)
        durable = np.where(a_declines,
                           ~declining_side_fights(delta_a_period, p_a, p_next, c_a),
                           ~b_declines_and_fights)
        ok = acceptable & durable
        # The log of the weighted Nash product (only read where ok); zero-weight terms are
        # left out, as 0 * ln(0) would be NaN.
        score = _weighted_log(w_a, slack_a) + _weighted_log(w_b, slack_b)
        # `best.is_none_or(|s| score > s)`: the first package with the strictly best score.
        take = ok & ((best < 0) | (score > best_score))
        best[take] = k
        best_score[take] = score[take]
        # The package closest to acceptable (largest smaller slack; first on ties).
        m = np.minimum(slack_a, slack_b)
        blocked_here = acceptable & ~durable
        if k == 0:
            closest_m, closest_sa, closest_sb = m, slack_a, slack_b
            closest_by_durability = blocked_here
        else:
            nearer = m > closest_m
            closest_m = np.where(nearer, m, closest_m)
            closest_sa = np.where(nearer, slack_a, closest_sa)
            closest_sb = np.where(nearer, slack_b, closest_sb)
            closest_by_durability = np.where(nearer, blocked_here, closest_by_durability)

    blocked = np.where(best >= 0, -1,
                       np.where(closest_by_durability, BLOCKED_DURABILITY,
                                np.where(closest_sa < closest_sb, BLOCKED_A, BLOCKED_B)))

    return {
        "leverage_a": _full(leverage_a, n),
        "d_a": _full(d_a, n),
        "d_b": _full(d_b, n),
        "p_a": _full(p_a, n),
        "held_by_b_km2": held,
        "casualties_a": casualties[0],
        "casualties_b": casualties[1],
        "package": best,
        "blocked": blocked.astype(np.int8),
        "range_empty": np.array(np.broadcast_to(range_empty, (n,)), dtype=bool),
    }


# --------------------------------------------------------------------------------------------
# The monthly model of format version 2 (src/model/monthly.rs, outlook.rs, table.rs, belief.rs)
#
# Arrays run over the trials still fighting: after each month's table the trials that settled
# are recorded and dropped from every array (a mask, then compaction), so later months cost
# only what is left. A value that is the same in every trial (a fixed input) stays a float.
# --------------------------------------------------------------------------------------------


def _sub(x, idx):
    """``x`` restricted to the trials ``idx``: arrays are indexed, floats (and 0-d arrays)
    are kept."""
    return x[idx] if isinstance(x, np.ndarray) and x.ndim else x


def _round_half_away(x):
    """Rust ``f64::round`` (half away from zero); NumPy's ``round`` rounds half to even."""
    a = np.abs(x)
    f = np.floor(a)
    return np.copysign(f + (a - f >= 0.5), x)


def _powi(x, k: int):
    """Rust ``f64::powi`` (compiler-builtins ``__powidf2``): square and multiply, which can
    differ from ``pow`` in the last bit."""
    recip = k < 0
    k = abs(k)
    r: Any = 1.0
    a = x
    while True:
        if k & 1:
            r = r * a
        k >>= 1
        if k == 0:
            break
        a = a * a
    return 1.0 / r if recip else r


def _pow_n(q, n):
    """belief.rs ``prevail_a``: ``q.powi(n)`` when ``n`` is a whole number in 1..=16, else
    ``q.powf(n)``."""
    if not isinstance(n, np.ndarray):
        if 1.0 <= n <= 16.0 and n == math.trunc(n):
            return _powi(q, int(n))
        return np.power(q, n)
    out = np.array(np.power(q, n), dtype=np.float64)
    whole = (n >= 1.0) & (n <= 16.0) & (n == np.trunc(n))
    if whole.any():
        for k in np.unique(n[whole]):
            m = n == k
            out[m] = _powi(q[m] if isinstance(q, np.ndarray) else q, int(k))
    return out


def balance(power_a, power_b, break_even):
    """belief.rs ``balance``: 2 (C_b - r* C_a) / (C_b + r* C_a)."""
    scaled_a = break_even * power_a
    return 2.0 * (power_b - scaled_a) / (power_b + scaled_a)


def prevail_a(x, n):
    """belief.rs ``prevail_a``: 1 / (1 + ((2 + x) / (2 - x))^n), 0 when the power overflows."""
    x = np.clip(x, -BALANCE_LIMIT, BALANCE_LIMIT)
    q = (2.0 + x) / (2.0 - x)
    qn = _pow_n(q, n)
    return np.where(np.isinf(qn), 0.0, 1.0 / (1.0 + qn))


def balance_for(p, n):
    """belief.rs ``balance_for``: the inverse of ``prevail_a``."""
    p = np.clip(p, 1e-9, 1.0 - 1e-9)
    k = np.power((1.0 - p) / p, 1.0 / n)
    x = np.where(np.isinf(k), 2.0, 2.0 * (k - 1.0) / (k + 1.0))
    x = np.where(np.isnan(x), 0.0, x)
    return np.clip(x, -BALANCE_LIMIT, BALANCE_LIMIT)


def prior_means(x0, true_edge, optimism, n):
    """belief.rs ``prior_means``: each side's prior mean edge from its optimism."""
    p0 = prevail_a(x0, n)
    believed_a = np.clip(p0 + optimism[0], 0.0, 1.0)
    believed_b_about_a = 1.0 - np.clip((1.0 - p0) + optimism[1], 0.0, 1.0)
    return [true_edge + balance_for(believed_a, n) - x0,
            true_edge + balance_for(believed_b_about_a, n) - x0]


def posterior_mean(prior_mean, n, signal_sum, prior_sd, noise_sd):
    """belief.rs ``posterior_mean`` and ``evidence_weight``: the normal-normal update
    (1 - w) m0 + w (S / n) with w = n s0^2 / (sigma^2 + n s0^2)."""
    informative = (n > 0) & (prior_sd > 0.0)
    nv = n * (prior_sd * prior_sd)
    den = noise_sd * noise_sd + nv
    w = np.where(informative, np.where(den > 0.0, nv / den, 1.0), 0.0)
    return np.where(w == 0.0, prior_mean, (1.0 - w) * prior_mean + w * (signal_sum / n))


def event_month_of(x):
    """monthly.rs ``event_month_of``: the month an event's month input stands for (rounded,
    at least 1; 1 when not finite)."""
    r = np.clip(_round_half_away(x), 1.0, 4294967295.0)
    return np.where(np.isfinite(x), r, 1.0).astype(np.int64)


def _changed(now, ch: ChangePlan, vals):
    """monthly.rs ``changed``: the value of a change's target after the change."""
    return now * vals[ch.value] if ch.scale else vals[ch.value]


class _Vals:
    """The values in force (monthly.rs ``MonthlyScratch::cur``) for a set of trials: one float
    or array per slot, read lazily from ``source`` and restricted to ``idx``."""

    __slots__ = ("_source", "_idx", "_cache")

    def __init__(self, source, idx=None):
        self._source, self._idx, self._cache = source, idx, {}

    def __getitem__(self, slot: int):
        try:
            return self._cache[slot]
        except KeyError:
            x = self._source(slot)
            if self._idx is not None:
                x = _sub(x, self._idx)
            self._cache[slot] = x
            return x

    def take(self, idx) -> "_Vals":
        return _Vals(self.__getitem__, idx)


@dataclass
class _State:
    """outlook.rs ``State``: the state after a month's fighting (or projected to a later
    month); ``month`` and ``known`` are whole months, the rest per trial."""

    month: int
    known: int
    manpower: list[Any]
    stock: list[Any]
    held: Any
    loss_rate: list[Any]

    def take(self, idx) -> "_State":
        return _State(self.month, self.known, [_sub(x, idx) for x in self.manpower],
                      [_sub(x, idx) for x in self.stock], _sub(self.held, idx),
                      [_sub(x, idx) for x in self.loss_rate])


@dataclass
class _Outlook:
    """outlook.rs ``Outlook``: the rates and amounts in force and the anticipated changes
    (month, kind, expected change)."""

    recruits: list[Any]
    production: list[Any]
    burn: list[Any]
    amount: list[Any]
    changes: list[tuple[Any, tuple[str, int], Any]]

    def take(self, idx) -> "_Outlook":
        return _Outlook([_sub(x, idx) for x in self.recruits],
                        [_sub(x, idx) for x in self.production],
                        [_sub(x, idx) for x in self.burn], [_sub(x, idx) for x in self.amount],
                        [(_sub(m, idx), k, _sub(d, idx)) for m, k, d in self.changes])

    def integral(self, base, kind, start: int, length):
        """outlook.rs ``Outlook::integral``: a rate summed over months start+1 ..= start+len."""
        total = base * length
        for month, k, delta in self.changes:
            if k == kind:
                overlap = np.clip(start + length - (month - 1.0), 0.0, length)
                total = total + delta * overlap
        return total

    def net_production(self, i: int, start: int, length):
        return (self.integral(self.production[i], ("production", i), start, length)
                - self.integral(self.burn[i], ("burn", i), start, length))

    def mean_production(self, i: int, start: int, length):
        """outlook.rs ``mean_production``: own production averaged over the months."""
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = self.integral(self.production[i], ("production", i), start, length) / length
        return np.where(length > 0.0, mean, self.production[i])


class _Trial:
    """outlook.rs ``Trial`` with the per-trial buffers of monthly.rs ``MonthlyScratch`` (the
    amounts of aid sent so far, the troops joining) for a set of trials."""

    def __init__(self, sc: Scenario, z: _Vals, quality, inv_reference, saturation, floor,
                 cont, amount_hist, joins):
        self.sc, self.z = sc, z
        self.quality, self.inv_reference = quality, inv_reference
        self.saturation, self.floor = saturation, floor
        #: Per aid stream: does it continue after its cut-off (True without one).
        self.cont = cont
        #: Per aid stream: the amount dispatched in month d (list index d, 1..=t).
        self.amount_hist = amount_hist
        #: Per side: [(month, effective troops joining that month)], months ascending.
        self.joins_by_month = joins

    def take(self, idx) -> "_Trial":
        return _Trial(self.sc, self.z.take(idx), [_sub(q, idx) for q in self.quality],
                      [_sub(r, idx) for r in self.inv_reference], _sub(self.saturation, idx),
                      _sub(self.floor, idx), [_sub(c, idx) for c in self.cont],
                      [[_sub(a, idx) for a in hist] for hist in self.amount_hist],
                      [[(m, _sub(x, idx)) for m, x in side] for side in self.joins_by_month])

    # outlook.rs Trial::power and war.rs materiel_factor.
    def power(self, m, k, i: int):
        x = np.fmax(k * self.inv_reference[i], 0.0)
        factor = self.floor + (1.0 - self.floor) * x * (1.0 + self.saturation) \
            / (x + self.saturation)
        return np.fmax(m * factor * self.quality[i], MIN_POWER)

    def outlook(self, t: int) -> _Outlook:
        """outlook.rs ``Trial::outlook``: the rates and amounts in force and the scheduled
        events after ``t`` (fixed month), each change weighted by its probability."""
        sc, z = self.sc, self.z
        changes = []
        for ev in sc.events:
            if ev.when[0] != "month" or not ev.when[2]:
                continue
            m = event_month_of(z[ev.when[1]])
            later = m > t
            if not np.any(later):
                continue
            p = np.clip(z[ev.probability], 0.0, 1.0)
            for ch in ev.changes:
                if ch.kind is None:
                    continue
                now = z[ch.target]
                delta = p * (_changed(now, ch, z) - now)
                if not np.all(later):  # a change already past adds nothing
                    delta = np.where(later, delta, 0.0)
                changes.append((m, ch.kind, delta))
        return _Outlook([z[sc.sides[i]["recruits_per_month"]] for i in (0, 1)],
                        [z[sc.sides[i]["production_usd_bn_per_month"]] for i in (0, 1)],
                        [z[sc.sides[i]["burn_usd_bn_per_month"]] for i in (0, 1)],
                        [z[plan.amount] for plan in sc.aid], changes)

    def aid_expected(self, side: int, known: int, start: int, months, outlook: _Outlook):
        """outlook.rs ``Trial::aid_expected``: aid arriving at ``side`` in months
        start+1 ..= start+months as seen at the table of month ``known``: dispatches up to
        ``known`` at the amounts sent, later ones at the outlook's amounts with its
        anticipated changes; a cut-off after ``known`` continues with its probability."""
        sc, z = self.sc, self.z
        t_max = sc.horizon
        total: Any = 0.0
        for s, plan in enumerate(sc.aid):
            if plan.side != side:
                continue
            if plan.cutoff_month is not None and plan.cutoff_month > known:
                c = 1.0 if plan.continue_probability is None else z[plan.continue_probability]
            else:
                c = np.where(self.cont[s], 1.0, 0.0) if isinstance(self.cont[s], np.ndarray) \
                    else (1.0 if self.cont[s] else 0.0)
            end = plan.share_always.size - 1
            last = np.minimum(start + months, end)
            lag = plan.lag
            sent_until = np.minimum(known + lag, last)
            # Dispatches already made (dispatch month <= known): their amounts are known.
            for u in range(start + 1, min(known + lag, end) + 1):
                d = u - lag
                if 1 <= d <= t_max:
                    term = self.amount_hist[s][d] * (plan.share_always[u]
                                                     + c * plan.share_if_continues[u])
                    total = total + np.where(u <= sent_until, term, 0.0)
            lo = np.maximum(sent_until, start)
            more = last > lo
            if np.any(more):
                def cum(u, plan=plan, c=c):
                    return plan.cum_always[u] + c * plan.cum_if_continues[u]
                cum_last = cum(last)
                total = total + np.where(more, outlook.amount[s] * (cum_last - cum(lo)), 0.0)
                for month, kind, delta in outlook.changes:
                    if kind == ("aid", s):
                        first = np.maximum(np.maximum(month + lag - 1, 0), lo)
                        total = total + np.where(last > first,
                                                 delta * (cum_last - cum(first)), 0.0)
        return total

    def joins(self, side: int, start: int, months):
        """outlook.rs ``Trial::joins``: effective troops joining in months
        start+1 ..= start+months."""
        span = self.sc.horizon + self.sc.ext_months
        last = np.minimum(start + months, span)
        total: Any = 0.0
        for m, x in self.joins_by_month[side]:
            if m > start:
                total = total + np.where(m <= last, x, 0.0)
        return total

    def project(self, now: _State, outlook: _Outlook, gap, belief, x_now):
        """outlook.rs ``Trial::project``: the state ``gap`` months after ``now`` as a side with
        belief ``belief`` expects it; returns it and the projected powers."""
        sc, z = self.sc, self.z
        months = np.maximum(_round_half_away(gap), 0.0).astype(np.int64)
        manpower, stock = [], []
        for j in (0, 1):
            manpower.append(np.fmax(
                now.manpower[j] + outlook.integral(outlook.recruits[j], ("recruits", j),
                                                   now.month, gap)
                - now.loss_rate[j] * gap + self.joins(j, now.month, months), 0.0))
            stock.append(np.fmax(
                now.stock[j] + outlook.net_production(j, now.month, gap)
                + self.aid_expected(j, now.known, now.month, months, outlook), 0.0))
        power = [self.power(manpower[0], stock[0], 0), self.power(manpower[1], stock[1], 1)]
        x_later = balance(power[0], power[1], z[sc.battle["break_even_ratio"]])
        speed = z[sc.battle["front_speed_km2_per_month"]]
        held = np.clip(now.held + gap * speed * (0.5 * (x_now + x_later) + belief), 0.0,
                       sc.contested_km2)
        # `later.month` is only read when `gap` is the same for every trial.
        month = now.month + (int(months) if np.ndim(months) == 0 else 0)
        return _State(month, now.known, manpower, stock, held, now.loss_rate), power

    def war_values(self, now: _State, outlook: _Outlook, beliefs, tau, x_now):
        """outlook.rs ``Trial::war_values``: each side's expected share from fighting on
        ``tau`` months, by its own belief: (1 - s) p + s y."""
        sc, z = self.sc, self.z
        n = z[sc.battle["decisiveness"]]
        s = z[sc.battle["stalemate"]]
        area = sc.contested_km2
        end, power = self.project(now, outlook, tau, 0.0, x_now)
        x_end = balance(power[0], power[1], z[sc.battle["break_even_ratio"]])
        speed = z[sc.battle["front_speed_km2_per_month"]]
        out = []
        for m in beliefs:
            p = prevail_a(x_end + m, n)
            held = np.clip(end.held + tau * speed * m, 0.0, area)
            out.append((1.0 - s) * p + s * (1.0 - held / area))
        return out

    def cost(self, now: _State, outlook: _Outlook, months):
        """outlook.rs ``Trial::cost``: losses over casualty tolerance plus own production
        over spending tolerance, over ``months``."""
        sc, z = self.sc, self.z
        return [(now.loss_rate[i] / z[sc.sides[i]["casualty_tolerance"]]
                 + outlook.mean_production(i, now.month, months)
                 / z[sc.sides[i]["spending_tolerance_usd_bn"]]) * months for i in (0, 1)]

    def split(self):
        """outlook.rs ``Trial::split``: (kind, a's Nash power or Rubinstein share)."""
        sc, z = self.sc, self.z
        delta_a = z[sc.sides[0]["patience"]]
        delta_b = z[sc.sides[1]["patience"]]
        if sc.protocol == "Nash":
            return "Nash", nash_power_from_patience(delta_a, delta_b)
        if sc.proposer == "A":
            return "Rubinstein", rubinstein_proposer_share(delta_a, delta_b)
        return "Rubinstein", 1.0 - rubinstein_proposer_share(delta_b, delta_a)

    def utilities(self, k: int, line):
        """outlook.rs ``Trial::utilities``: each side's utility of package ``k``."""
        sc, z = self.sc, self.z
        terr_slot, levels = sc.packages[k]
        terr_a = line if terr_slot is None else z[terr_slot]
        u = [terr_a, 1.0 - terr_a]
        for j, lvl in enumerate(levels):
            if lvl == sc.zero_slot:
                continue  # adds exactly 0
            level = z[lvl]
            u[0] = u[0] + z[sc.weights[0][j]] * level
            u[1] = u[1] + z[sc.weights[1][j]] * level
        return u

    def level(self, k: int, attr: int):
        levels = self.sc.packages[k][1]
        return self.z[levels[attr]] if attr < len(levels) else 0.0


def _fighting_values(expected, cost):
    """outlook.rs ``fighting_values``: (d_a, d_b)."""
    return [expected[0] - cost[0], 1.0 - expected[1] - cost[1]]


def _leverage_a(split, d_a, d_b):
    """bargain.rs ``Split::leverage_a``: the share of a at the solution, clamped to 0..1."""
    kind, w = split
    if kind == "Nash":
        x = d_a + w * (1.0 - d_a - d_b)
    else:
        hi = 1.0 - d_b
        x = np.where(d_a <= hi, np.minimum(np.maximum(w, d_a), hi),
                     d_a + w * (1.0 - d_a - d_b))
    return np.clip(x, 0.0, 1.0)


def _nash_choice(gains: list[tuple[int, Any, Any, Any]], w_a, n: int) -> np.ndarray:
    """table.rs ``nash_choice``: per trial, the first package with the highest weighted Nash
    product among those allowed. ``gains`` holds (package, allowed mask, gain a, gain b)."""
    w_b = 1.0 - w_a
    best = np.full(n, -1, dtype=np.int64)
    best_score = np.full(n, -np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        for k, allowed, g_a, g_b in gains:
            score = _weighted_log(w_a, g_a) + _weighted_log(w_b, g_b)
            take = allowed & ((best < 0) | (score > best_score))
            best[take] = k
            best_score = np.where(take, score, best_score)
    return best


@dataclass
class _Table:
    """table.rs ``TableResult`` with the packages (``Pkg``: utilities, durability, reservation
    values) that the levers read afterwards."""

    d: list[Any]
    leverage_a: np.ndarray
    package: np.ndarray
    reason: np.ndarray
    u: list[list[Any]]
    r: list[list[np.ndarray]]
    durable: list[np.ndarray]


def _durability(tr: _Trial, now: _State, outlook: _Outlook, power_now, beliefs, line, n: int):
    """outlook.rs ``Trial::durable`` for every package: project ``shift_months`` of peace
    (demobilisation, peacetime recruiting and consumption, the caps on each side's
    rebuilding, the aid expected) and test the declining side (commitment.rs)."""
    sc, z = tr.sc, tr.z
    months = sc.shift_months
    s_months = float(months)
    base = []  # per side: (m0, k0, m, k) before the caps: the same for every package
    for i in (0, 1):
        side = sc.sides[i]
        m0, k0 = now.manpower[i], now.stock[i]
        m = m0 * (1.0 - np.clip(z[side["peace_demobilised_share"]], 0.0, 1.0)) \
            + z[side["recruits_per_month"]] * z[side["peace_recruit_share"]] * s_months
        k = np.fmax(k0 + (z[side["production_usd_bn_per_month"]]
                          - z[side["peace_consumption_usd_bn_per_month"]]) * s_months
                    + tr.aid_expected(i, now.known, now.month, months, outlook), 0.0)
        base.append((m0, k0, m, k))
    r = z[sc.battle["break_even_ratio"]]
    n_exp = z[sc.battle["decisiveness"]]
    s = z[sc.battle["stalemate"]]
    x_now = balance(power_now[0], power_now[1], r)

    def cost(i):
        side = sc.sides[i]
        return (now.loss_rate[i] / z[side["casualty_tolerance"]]
                + z[side["production_usd_bn_per_month"]] / z[side["spending_tolerance_usd_bn"]]) \
            * s_months

    p_now = prevail_a(x_now + beliefs[0], n_exp)
    q_now = 1.0 - prevail_a(x_now + beliefs[1], n_exp)
    e_now_a = (1.0 - s) * p_now + s * line
    e_now_b = (1.0 - s) * q_now + s * (1.0 - line)
    delta_a = _powi(z[sc.sides[0]["patience"]], months)
    delta_b = _powi(z[sc.sides[1]["patience"]], months)
    cost_a, cost_b = cost(0), cost(1)
    by_caps: dict[tuple, tuple] = {}  # packages with the same (fixed) caps share the peace
    out = []
    for k in range(len(sc.packages)):
        caps = [tr.level(k, ATTR_CAP_A), tr.level(k, ATTR_CAP_B)]
        key = tuple(float(c) for c in caps) if not any(isinstance(c, np.ndarray)
                                                        for c in caps) else None
        peace = by_caps.get(key) if key is not None else None
        if peace is None:
            c = []
            for i in (0, 1):
                m0, k0, m, kk = base[i]
                keep = 1.0 - np.clip(caps[i], 0.0, 1.0)
                m = np.where(m > m0, m0 + (m - m0) * keep, m)
                kk = np.where(kk > k0, k0 + (kk - k0) * keep, kk)
                c.append(tr.power(m, kk, i))
            x_peace = balance(c[0], c[1], r)
            # b declines: its chance of prevailing falls.
            q_next = 1.0 - prevail_a(x_peace + beliefs[1], n_exp)
            e_next_b = (1.0 - s) * q_next + s * (1.0 - line)
            b_holds = ~declining_side_fights(delta_b, e_now_b, e_next_b, cost_b)
            p_raw = prevail_a(x_peace + beliefs[0], n_exp)
            peace = (x_peace, b_holds, p_raw)
            if key is not None:
                by_caps[key] = peace
        x_peace, b_holds, p_raw = peace
        # a declines; a guarantee shrinks a's decline.
        guarantee = tr.level(k, ATTR_GUARANTEE)
        p_next = p_now + (p_raw - p_now) * (1.0 - np.clip(guarantee, 0.0, 1.0))
        e_next_a = (1.0 - s) * p_next + s * line
        a_holds = ~declining_side_fights(delta_a, e_now_a, e_next_a, cost_a)
        out.append(np.broadcast_to(np.where(x_peace > x_now, a_holds,
                                            np.where(x_peace < x_now, b_holds, True)), (n,)))
    return out


def _table(tr: _Trial, now: _State, beliefs, t: int, lever_active, cred_kind, cred_q,
           n: int) -> _Table:
    """table.rs ``table``: the values of fighting on, the packages, the threats of the
    levers, the wish to wait for a better table, the package chosen by the Nash product, or
    the reason the war goes on. ``n`` trials, all at the table."""
    sc, z = tr.sc, tr.z
    tau = np.fmax(z[sc.battle["continuation_months"]], 0.0)
    power_now = [tr.power(now.manpower[0], now.stock[0], 0),
                 tr.power(now.manpower[1], now.stock[1], 1)]
    x_now = balance(power_now[0], power_now[1], z[sc.battle["break_even_ratio"]])
    outlook = tr.outlook(t)
    expected = tr.war_values(now, outlook, beliefs, tau, x_now)
    cost = tr.cost(now, outlook, tau)
    d = _fighting_values(expected, cost)
    split = tr.split()
    leverage_a = np.broadcast_to(_leverage_a(split, d[0], d[1]), (n,))
    line = 1.0 - now.held / sc.contested_km2
    n_pkg = len(sc.packages)
    u = [tr.utilities(k, line) for k in range(n_pkg)]
    durable = _durability(tr, now, outlook, power_now, beliefs, line, n)
    # Reservation values: each side's value of fighting on, per package (lowered by threats,
    # raised by the wish to wait).
    r = [[np.array(np.broadcast_to(d[0], (n,))), np.array(np.broadcast_to(d[1], (n,)))]
         for _ in range(n_pkg)]

    # Threats: a side pressed by a lever that backs a package the other side would take
    # values refusing it with the lever's expected effect from next month on.
    for l_, lever in enumerate(sc.levers):
        if lever.from_month > t + 1:
            continue
        i = lever.side
        q = _chance(cred_kind[l_], cred_q[l_], np.clip(z[lever.probability], 0.0, 1.0))
        relevant = ~lever_active[l_] & (q > 0.0)
        backed = np.zeros(n, dtype=bool)
        for k in lever.backs:
            backed |= (u[k][1 - i] >= r[k][1 - i]) & (u[k][i] < r[k][i])
        relevant &= backed
        if not relevant.any():
            continue
        idx = np.flatnonzero(relevant)
        sub = tr.take(idx)
        now_s = now.take(idx)
        alt = outlook.take(idx)
        for ch in lever.changes:
            if ch.kind is not None:
                now_v = sub.z[ch.target]
                alt.changes.append((t + 1, ch.kind, _changed(now_v, ch, sub.z) - now_v))
        tau_s, x_s = _sub(tau, idx), _sub(x_now, idx)
        b_s = [_sub(b, idx) for b in beliefs]
        e_alt = sub.war_values(now_s, alt, b_s, tau_s, x_s)
        c_alt = sub.cost(now_s, alt, tau_s)
        d_alt = _fighting_values(e_alt, c_alt)[i]
        d_i = _sub(d[i], idx)
        threatened = d_i + _sub(q, idx) * (d_alt - d_i)
        for k in lever.backs:
            r[k][i][idx] = np.fmin(r[k][i][idx], threatened)

    # Waiting for a better table: only where some package would pass today.
    passes = [durable[k] & (u[k][0] >= r[k][0]) & (u[k][1] >= r[k][1]) for k in range(n_pkg)]
    any_pass = np.logical_or.reduce(passes) if passes else np.zeros(n, dtype=bool)
    if any_pass.any():
        idx = np.flatnonzero(any_pass)
        wait = _waiting_values(tr.take(idx), now.take(idx), outlook.take(idx),
                               [_sub(b, idx) for b in beliefs], _sub(tau, idx),
                               _sub(x_now, idx), [_sub(c, idx) for c in cost], t, idx.size)
        for k in range(n_pkg):
            for side in (0, 1):
                r[k][side][idx] = np.fmax(r[k][side][idx], wait[side])

    _, w = split
    gains = []
    for k in range(n_pkg):
        ok = durable[k] & (u[k][0] >= r[k][0]) & (u[k][1] >= r[k][1])
        gains.append((k, ok, u[k][0] - r[k][0], u[k][1] - r[k][1]))
    package = _nash_choice(gains, w, n)
    reason = np.full(n, -1, dtype=np.int64)
    failed = package < 0
    if failed.any():
        idx = np.flatnonzero(failed)
        reason[idx] = _reason_for(tr.take(idx), now.take(idx), outlook.take(idx),
                                  [[_sub(x, idx) for x in uk] for uk in u],
                                  [[x[idx] for x in rk] for rk in r], _sub(tau, idx),
                                  _sub(x_now, idx), [_sub(x, idx) for x in d],
                                  [_sub(x, idx) for x in cost], idx.size)
    return _Table(d, leverage_a, package, reason, u, r, durable)


def _chance(kind: np.ndarray, at: np.ndarray, q):
    """monthly.rs ``Credibility::chance``: the chance, as the pressed side sees it, that a
    threat is carried out (kind 0 unknown, 1 shown at ``at``, 2 a bluff at least ``at``)."""
    if not kind.any():
        return np.broadcast_to(q, kind.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        shown = np.where((q >= at) | (at <= 0.0), 1.0, q / at)
        bluff = np.where(at >= 1.0, 0.0, np.fmax((q - at) / (1.0 - at), 0.0))
    return np.where(kind == 1, shown, np.where(kind == 2, bluff, q))


def _reason_for(tr: _Trial, now: _State, outlook: _Outlook, u, r, tau, x_now, d, cost,
                n: int) -> np.ndarray:
    """table.rs ``reason_for``: no acceptable package is durable; or the range is empty and
    would open if both sides knew the true edge (mutual optimism); or the side that balks at
    the package closest to acceptance prefers fighting on."""
    sc = tr.sc
    n_pkg = len(sc.packages)
    acceptable = np.zeros(n, dtype=bool)
    for k in range(n_pkg):
        acceptable |= (u[k][0] >= r[k][0]) & (u[k][1] >= r[k][1])
    best_m = best_ga = best_gb = None
    for k in range(n_pkg):
        g_a, g_b = u[k][0] - r[k][0], u[k][1] - r[k][1]
        m = np.minimum(g_a, g_b)
        if best_m is None:
            best_m, best_ga, best_gb = m, g_a, g_b
        else:
            nearer = m > best_m
            best_m = np.where(nearer, m, best_m)
            best_ga = np.where(nearer, g_a, best_ga)
            best_gb = np.where(nearer, g_b, best_gb)
    reason = np.full(n, BLOCKED_B, dtype=np.int64)
    if best_m is not None:
        reason = np.where(best_ga < best_gb, BLOCKED_A, BLOCKED_B)
    empty = ~acceptable & (d[0] + d[1] > 1.0)
    if empty.any():
        idx = np.flatnonzero(empty)
        sub = tr.take(idx)
        speed = sub.z[sc.battle["front_speed_km2_per_month"]]
        with np.errstate(divide="ignore", invalid="ignore"):
            true_edge = np.where(speed > 0.0, sub.z[sc.battle["hidden_edge_km2_per_month"]]
                                 / speed, 0.0)
        tau_s = _sub(tau, idx)
        e = sub.war_values(now.take(idx), outlook.take(idx), [true_edge, true_edge], tau_s,
                           _sub(x_now, idx))
        d_true = _fighting_values(e, [_sub(c, idx) for c in cost])
        optimism = np.broadcast_to(d_true[0] + d_true[1] <= 1.0, (idx.size,))
        reason[idx[optimism]] = BLOCKED_OPTIMISM
    reason[acceptable] = BLOCKED_DURABILITY
    return reason


def _waiting_values(tr: _Trial, now: _State, outlook: _Outlook, beliefs, tau, x_now, cost,
                    t: int, n: int):
    """table.rs ``waiting_values``: each side's value of waiting for the table of a coming
    month where an anticipated change takes effect (a scheduled event, a cut-off, a
    contingent's arrival; the nearest LOOKAHEAD_MONTHS within the continuation): the package
    that table would choose by the side's projection, discounted by its patience, minus the
    cost of fighting until then; -inf without one."""
    sc, z = tr.sc, tr.z
    reach = t + np.maximum(_round_half_away(tau), 0.0)
    # Candidate months, each with the trials for which it counts.
    candidates: dict[int, Any] = {}

    def add(m: int, valid) -> None:
        candidates[m] = candidates.get(m, False) | valid

    for ev in sc.events:
        if ev.when[0] == "month" and ev.when[2]:
            m = event_month_of(z[ev.when[1]])
            if np.ndim(m) == 0:
                add(int(m), (m > t) & (m <= reach) & (z[ev.probability] > 0.0))
            else:  # not expected (a fixed month is the same in every trial), but exact
                for mm in np.unique(m):
                    add(int(mm), (m == mm) & (mm > t) & (mm <= reach)
                        & (z[ev.probability] > 0.0))
    for plan in sc.aid:
        if plan.cutoff_month is not None:
            m = plan.cutoff_month
            add(m, (m > t) & (m <= reach))
    for _side, _size, _eff, m in sc.troops:
        add(m, (m > t) & (m <= reach))
    wait = [np.full(n, -np.inf), np.full(n, -np.inf)]
    months = sorted(m for m, valid in candidates.items() if np.any(valid))
    if not months:
        return wait
    # The nearest LOOKAHEAD_MONTHS distinct months of each trial.
    rank = np.zeros(n, dtype=np.int64)
    taken = {}
    for m in months:
        valid = np.broadcast_to(candidates[m], (n,))
        rank = rank + valid
        taken[m] = valid & (rank <= LOOKAHEAD_MONTHS)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_month = [np.where(tau > 0.0, cost[i] / tau, 0.0) for i in (0, 1)]
    area = sc.contested_km2
    _, w_a = tr.split()
    for m in months:
        if not taken[m].any():
            continue
        idx = np.flatnonzero(taken[m])
        sub, now_s, out_s = tr.take(idx), now.take(idx), outlook.take(idx)
        b_s = [_sub(b, idx) for b in beliefs]
        tau_s, x_s = _sub(tau, idx), _sub(x_now, idx)
        cost_s = [_sub(c, idx) for c in cost]
        r = sub.z[sc.battle["break_even_ratio"]]
        gap = float(m - t)
        w_s = _sub(w_a, idx)
        for i in (0, 1):
            # Side i's view of the table of month m.
            later, power = sub.project(now_s, out_s, gap, b_s[i], x_s)
            x_later = balance(power[0], power[1], r)
            e = sub.war_values(later, out_s, b_s, tau_s, x_later)
            d_later = _fighting_values(e, cost_s)
            line = 1.0 - later.held / area
            us = [sub.utilities(k, line) for k in range(len(sc.packages))]
            choice = _nash_choice(
                [(k, (uk[0] >= d_later[0]) & (uk[1] >= d_later[1]), uk[0] - d_later[0],
                  uk[1] - d_later[1]) for k, uk in enumerate(us)], w_s, idx.size)
            has = choice >= 0
            if not has.any():
                continue
            u_i = np.zeros(idx.size)
            for k, uk in enumerate(us):
                u_i = np.where(choice == k, uk[i], u_i)
            delta = sub.z[sc.sides[i]["patience"]]
            value = np.power(delta, gap) * u_i - _sub(per_month[i], idx) * gap
            wait[i][idx] = np.where(has, np.fmax(wait[i][idx], value), wait[i][idx])
    return wait


def _hazard_month(h, u):
    """monthly.rs: the first month of a geometric wait with monthly hazard h (0: never)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        m = 1.0 + np.floor(np.log(1.0 - u) / np.log(1.0 - h))
    ok = np.isfinite(m) & (m < 4294967295.0)
    m = np.where(ok, np.maximum(m, 1.0), 0.0)
    return np.where(h >= 1.0, 1.0, np.where(h > 0.0, m, 0.0)).astype(np.int64)


class _FrontCounts:
    """front.rs ``FrontSpec`` and ``FrontHist``: per-month histograms (FRONT_BINS bins) of
    the area gained by b since the start (cumulative) and in the month."""

    def __init__(self, sc: Scenario):
        h = sc.max_move
        self.months, self.start = sc.horizon, sc.held_by_b_km2
        self.cum_range = []
        for t in range(1, sc.horizon + 1):
            reach = h * t
            lo = max(-reach, -sc.held_by_b_km2)
            hi = min(reach, sc.contested_km2 - sc.held_by_b_km2)
            self.cum_range.append((lo, hi) if hi > lo else (lo - 0.5, lo + 0.5))
        self.month_range = (-h, h)
        self.cum = np.zeros((sc.horizon, FRONT_BINS), dtype=np.int64)
        self.month = np.zeros((sc.horizon, FRONT_BINS), dtype=np.int64)

    @staticmethod
    def bins(x, rng: tuple[float, float]) -> np.ndarray:
        """front.rs ``bin_of``: a saturating cast (NaN and negatives to 0), at most the last."""
        lo, hi = rng
        pos = (np.asarray(x, dtype=np.float64) - lo) * (FRONT_BINS / (hi - lo))
        pos = np.where(np.isnan(pos) | (pos < 0.0), 0.0, np.minimum(pos, FRONT_BINS - 1.0))
        return pos.astype(np.int64)

    def add_cum(self, t: int, gain, count: int = 1) -> None:
        b = self.bins(gain, self.cum_range[t - 1])
        self.cum[t - 1] += np.bincount(b.ravel(), minlength=FRONT_BINS) * count

    def add_month(self, t: int, gain, count: int = 1) -> None:
        b = self.bins(gain, self.month_range)
        self.month[t - 1] += np.bincount(b.ravel(), minlength=FRONT_BINS) * count


def _evaluate_monthly_chunk(sc: Scenario, v: list[Any], draws: MonthlyDraws, n: int,
                            trace: bool = False) -> dict[str, Any]:
    """monthly.rs ``evaluate_monthly`` for n trials at once: each month the sides fight, learn
    from the front and meet at the table; a trial ends in the first month a package passes.
    Returns the per-trial outcome arrays, the per-month counts (the reason each trial at the
    table fought on, the leverage histograms) and the front histograms; with ``trace``, also
    per trial and month (n x horizon) the table's code (0..3 the reason, 4 settled, -1 no
    table, -2 the war over), the leverage at the table (NaN without one) and the area held by
    b after the month (as monthly.rs ``MonthTrace`` and ``front``)."""
    T = sc.horizon
    span = T + sc.ext_months
    sa, sb = sc.sides
    bt = sc.battle
    area = sc.contested_km2
    n_aid, n_lev = len(sc.aid), len(sc.levers)

    # Outputs, per trial of the chunk.
    out = {
        "leverage_a": np.zeros(n), "d_a": np.zeros(n), "d_b": np.zeros(n), "p_a": np.zeros(n),
        "held_by_b_km2": np.zeros(n), "casualties_a": np.zeros(n),
        "casualties_b": np.zeros(n), "package": np.full(n, -1, dtype=np.int16),
        "blocked": np.full(n, -1, dtype=np.int8), "range_empty": np.zeros(n, dtype=bool),
        "settled_month": np.zeros(n, dtype=np.int16),
    }
    reasons = np.zeros((T, 4), dtype=np.int64)
    lev_hist = np.zeros((T, LEVERAGE_BINS), dtype=np.int64)
    front_all = _FrontCounts(sc)
    front_fighting = _FrontCounts(sc)
    frozen_gain = []  # cumulative gains of the trials that settled, for later months
    if trace:
        out["trace_code"] = np.full((n, T), -2, dtype=np.int64)
        out["trace_leverage"] = np.full((n, T), np.nan)
        out["trace_held"] = np.zeros((n, T))

    # The working set: the trials still fighting (`ids`: their place in the chunk).
    ids = np.arange(n)
    vals = list(v)  # the drawn values (monthly.rs `v`), per slot

    keep_all = _sub

    # When each event happens in this trial (0: never): monthly.rs, first block.
    event_month = []
    for e, ev in enumerate(sc.events):
        occurs = draws.event_occurs[e] < vals[ev.probability]
        if ev.when[0] == "month":
            m = event_month_of(vals[ev.when[1]])
        else:
            m = _hazard_month(vals[ev.when[1]], draws.event_timing[e])
        event_month.append(np.where(occurs, m, 0))
    lever_active = [np.zeros(n, dtype=bool) for _ in range(n_lev)]
    lever_next = [np.zeros(n, dtype=bool) for _ in range(n_lev)]
    cred_kind = [np.zeros(n, dtype=np.int8) for _ in range(n_lev)]
    cred_q = [np.zeros(n) for _ in range(n_lev)]
    lever_u = list(draws.lever)
    cont = list(draws.continues)
    noise = draws.noise
    # Values with the events so far (`base`) and in force (`cur`), for the slots events and
    # levers change; every other slot keeps its drawn value.
    base = {slot: vals[slot] for slot in sc.dynamic_slots}
    cur = dict(base)

    # Troops joining, by month, over the horizon and the months looked ahead.
    joins: list[dict[int, Any]] = [{}, {}]
    for side, size, eff, m in sc.troops:
        if 1 <= m <= span:
            joins[side][m] = joins[side].get(m, 0.0) + vals[size] * vals[eff]

    quality = [vals[sa["quality"]], vals[sb["quality"]]]
    inv_reference = [1.0 / vals[sa["materiel_reference_usd_bn"]],
                     1.0 / vals[sb["materiel_reference_usd_bn"]]]
    saturation, floor = vals[bt["materiel_saturation"]], vals[bt["materiel_floor"]]
    amount_hist: list[list[Any]] = [[0.0] for _ in range(n_aid)]

    def make_trial() -> _Trial:
        z = _Vals(lambda slot: cur[slot] if slot in cur else vals[slot])
        return _Trial(sc, z, quality, inv_reference, saturation, floor, cont, amount_hist,
                      [sorted(j.items()) for j in joins])

    trial = make_trial()
    manpower = [_full(vals[sa["manpower"]], n), _full(vals[sb["manpower"]], n)]
    stock = [_full(vals[sa["materiel_usd_bn"]], n), _full(vals[sb["materiel_usd_bn"]], n)]
    c0 = [trial.power(manpower[0], stock[0], 0), trial.power(manpower[1], stock[1], 1)]
    la_i, lb_i, e_i = sa["losses_per_month"], sb["losses_per_month"], bt["exchange_ratio"]
    if la_i is not None and lb_i is not None:
        loss0_a, loss0_b = vals[la_i], vals[lb_i]
    elif la_i is not None and e_i is not None:
        loss0_a, loss0_b = vals[la_i], vals[la_i] * vals[e_i]
    elif lb_i is not None and e_i is not None:
        loss0_a, loss0_b = vals[lb_i] / vals[e_i], vals[lb_i]
    else:
        loss0_a, loss0_b = 0.0, 0.0
    kill_rate_a = loss0_b / c0[0]
    kill_rate_b = loss0_a / c0[1]

    # Priors: each side's optimism at the start, as a bias in edge units (belief.rs).
    speed0 = vals[bt["front_speed_km2_per_month"]]
    with np.errstate(divide="ignore", invalid="ignore"):
        true_edge0 = np.where(speed0 > 0.0, vals[bt["hidden_edge_km2_per_month"]] / speed0,
                              0.0)
    x0 = balance(c0[0], c0[1], vals[bt["break_even_ratio"]]) + true_edge0
    prior = [_full(p, n) for p in prior_means(
        x0, true_edge0, [vals[sa["optimism"]], vals[sb["optimism"]]], vals[bt["decisiveness"]])]
    signals = np.zeros(n, dtype=np.int64)
    signal_sum = np.zeros(n)
    held = np.full(n, sc.held_by_b_km2)
    casualties = [np.zeros(n), np.zeros(n)]
    last_d = [np.zeros(n), np.zeros(n)]
    last_lev = np.zeros(n)
    last_reason = np.full(n, -1, dtype=np.int64)

    def p_a_now(idx):
        """monthly.rs, the end: a's chance of prevailing from the state reached."""
        t_sub = trial.take(idx)
        z = t_sub.z
        x_end = balance(t_sub.power(manpower[0][idx], stock[0][idx], 0),
                        t_sub.power(manpower[1][idx], stock[1][idx], 1),
                        z[bt["break_even_ratio"]])
        speed = z[bt["front_speed_km2_per_month"]]
        with np.errstate(divide="ignore", invalid="ignore"):
            te = np.where(speed > 0.0, z[bt["hidden_edge_km2_per_month"]] / speed, 0.0)
        return np.broadcast_to(prevail_a(x_end + te, z[bt["decisiveness"]]), (idx.size,))

    def record(idx, chunk_ids):
        """The outcome of trials leaving the working set (settled, or at the horizon)."""
        out["leverage_a"][chunk_ids] = last_lev[idx]
        out["d_a"][chunk_ids] = last_d[0][idx]
        out["d_b"][chunk_ids] = last_d[1][idx]
        out["p_a"][chunk_ids] = p_a_now(idx)
        out["held_by_b_km2"][chunk_ids] = held[idx]
        out["casualties_a"][chunk_ids] = casualties[0][idx]
        out["casualties_b"][chunk_ids] = casualties[1][idx]
        out["range_empty"][chunk_ids] = last_d[0][idx] > 1.0 - last_d[1][idx]

    for t in range(1, T + 1):
        m_n = ids.size
        if m_n == 0:
            break
        # Events that start this month, and levers switched on or off at the last table.
        dirty = False
        for e, ev in enumerate(sc.events):
            fires = event_month[e] == t
            if fires.any():
                for ch in ev.changes:
                    now_v = base[ch.target]
                    base[ch.target] = np.where(fires, _changed(now_v, ch, _Vals(
                        lambda slot: base[slot] if slot in base else vals[slot])), now_v)
                dirty = True
        for l_ in range(n_lev):
            if np.any(lever_active[l_] != lever_next[l_]):
                dirty = True
            lever_active[l_] = lever_next[l_].copy()
        if dirty:
            base_z = _Vals(lambda slot: base[slot] if slot in base else vals[slot])
            cur = dict(base)
            for l_, lever in enumerate(sc.levers):
                on = lever_active[l_]
                if on.any():
                    for ch in lever.changes:
                        now_v = cur[ch.target]
                        cur[ch.target] = np.where(on, _changed(now_v, ch, base_z), now_v)
            trial = make_trial()
        z = trial.z

        # Aid dispatched this month and arriving this month; contingents joining.
        for s, plan in enumerate(sc.aid):
            amount_hist[s].append(z[plan.amount])
        for s, plan in enumerate(sc.aid):
            if t > plan.lag:
                d = t - plan.lag
                sa_t, si_t = plan.share_always[t], plan.share_if_continues[t]
                if sa_t == 0.0 and si_t == 0.0:
                    continue  # adds exactly 0
                share = np.where(cont[s], sa_t + si_t, sa_t) if si_t != 0.0 else sa_t
                stock[plan.side] = stock[plan.side] + amount_hist[s][d] * share
        for side in (0, 1):
            if t in joins[side]:
                manpower[side] = manpower[side] + joins[side][t]

        # Fighting.
        ca = trial.power(manpower[0], stock[0], 0)
        cb = trial.power(manpower[1], stock[1], 1)
        x = balance(ca, cb, z[bt["break_even_ratio"]])
        speed = z[bt["front_speed_km2_per_month"]]
        sigma = z[bt["front_noise_km2"]]
        zt = noise[t - 1] if isinstance(noise, np.ndarray) else 0.0
        moved = np.clip(held + speed * x + z[bt["hidden_edge_km2_per_month"]] + sigma * zt,
                        0.0, area)
        # The front is a signal of the edge unless it hit an end of the contested area.
        informative = (moved > 0.0) & (moved < area) & (speed > 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            signal = (moved - held - speed * x) / speed
        signals = signals + informative
        signal_sum = np.where(informative, signal_sum + signal, signal_sum)
        front_fighting.add_month(t, moved - held)
        front_all.add_month(t, moved - held)
        front_all.add_cum(t, moved - sc.held_by_b_km2)
        held = moved
        if trace:
            out["trace_held"][ids, t - 1:] = held[:, None]  # frozen after a settlement
            out["trace_code"][ids, t - 1] = -1
        la, lb = kill_rate_b * cb, kill_rate_a * ca
        losses = [np.fmin(la, manpower[0]), np.fmin(lb, manpower[1])]
        for i, side in enumerate(sc.sides):
            casualties[i] = casualties[i] + losses[i]
            manpower[i] = manpower[i] - losses[i] + z[side["recruits_per_month"]]
            stock[i] = np.fmax(stock[i] + z[side["production_usd_bn_per_month"]]
                               - z[side["burn_usd_bn_per_month"]], 0.0)
        loss_rate = [la, lb]
        # The trials settled before this month: their front stands still.
        if frozen_gain:
            settled_gain = np.concatenate(frozen_gain)
            front_all.add_cum(t, settled_gain)
            front_all.add_month(t, 0.0, settled_gain.size)

        if not (sc.talks == "EveryMonth" or t == T):
            continue
        # The table.
        beliefs = [posterior_mean(prior[i], signals, signal_sum,
                                  z[sc.sides[i]["prior_uncertainty_km2_per_month"]], sigma)
                   for i in (0, 1)]
        now = _State(t, t, manpower, stock, held, loss_rate)
        tab = _table(trial, now, beliefs, t, lever_active, cred_kind, cred_q, m_n)
        last_d = [np.array(np.broadcast_to(tab.d[0], (m_n,))),
                  np.array(np.broadcast_to(tab.d[1], (m_n,)))]
        last_lev = np.array(tab.leverage_a)
        last_reason = tab.reason
        bins = np.minimum((np.nan_to_num(last_lev) * LEVERAGE_BINS).astype(np.int64),
                          LEVERAGE_BINS - 1)
        lev_hist[t - 1] += np.bincount(np.maximum(bins, 0), minlength=LEVERAGE_BINS)
        reasons[t - 1] += np.bincount(tab.reason[tab.reason >= 0], minlength=4)
        settled = tab.package >= 0
        if trace:
            out["trace_code"][ids, t - 1] = np.where(settled, 4, tab.reason)
            out["trace_leverage"][ids, t - 1] = last_lev

        # Levers: pulled next month where the pressed side refused a backed package the other
        # side would take.
        for l_, lever in enumerate(sc.levers):
            i = lever.side
            triggered = np.zeros(m_n, dtype=bool)
            if lever.from_month <= t + 1:
                for k in lever.backs:
                    triggered |= tab.durable[k] & (tab.u[k][1 - i] >= tab.r[k][1 - i]) \
                        & (tab.u[k][i] < tab.r[k][i])
            triggered &= ~settled
            q = np.broadcast_to(z[lever.probability], (m_n,))
            carried_out = lever_u[l_] < q
            shown = triggered & carried_out
            bluff = triggered & ~carried_out
            cred_q[l_] = np.where(shown, q, np.where(
                bluff & (cred_kind[l_] == 2), np.fmax(cred_q[l_], q),
                np.where(bluff, q, cred_q[l_])))
            cred_kind[l_] = np.where(shown, 1, np.where(bluff, 2, cred_kind[l_])).astype(np.int8)
            lever_next[l_] = np.where(settled, lever_next[l_], triggered & carried_out)

        if settled.any():
            idx = np.flatnonzero(settled)
            chunk_ids = ids[idx]
            record(idx, chunk_ids)
            out["package"][chunk_ids] = tab.package[idx]
            out["settled_month"][chunk_ids] = t
            frozen_gain.append(held[idx] - sc.held_by_b_km2)
            # Compaction: drop the settled trials from every per-trial array.
            keep = ~settled
            ids = ids[keep]
            vals = [keep_all(x, keep) for x in vals]
            base = {k_: keep_all(x, keep) for k_, x in base.items()}
            cur = {k_: keep_all(x, keep) for k_, x in cur.items()}
            event_month = [x[keep] for x in event_month]
            lever_active = [x[keep] for x in lever_active]
            lever_next = [x[keep] for x in lever_next]
            cred_kind = [x[keep] for x in cred_kind]
            cred_q = [x[keep] for x in cred_q]
            lever_u = [x[keep] for x in lever_u]
            cont = [keep_all(x, keep) for x in cont]
            if isinstance(noise, np.ndarray):
                noise = noise[:, keep]
            joins = [{m: keep_all(x, keep) for m, x in j.items()} for j in joins]
            quality = [keep_all(x, keep) for x in quality]
            inv_reference = [keep_all(x, keep) for x in inv_reference]
            saturation, floor = keep_all(saturation, keep), keep_all(floor, keep)
            amount_hist = [[keep_all(x, keep) for x in hist] for hist in amount_hist]
            manpower = [x[keep] for x in manpower]
            stock = [x[keep] for x in stock]
            prior = [x[keep] for x in prior]
            kill_rate_a, kill_rate_b = keep_all(kill_rate_a, keep), keep_all(kill_rate_b, keep)
            signals, signal_sum, held = signals[keep], signal_sum[keep], held[keep]
            casualties = [x[keep] for x in casualties]
            last_d = [x[keep] for x in last_d]
            last_lev, last_reason = last_lev[keep], last_reason[keep]
            trial = make_trial()

    # The trials not settled within the horizon.
    if ids.size:
        idx = np.arange(ids.size)
        record(idx, ids)
        out["blocked"][ids] = last_reason
    out["reasons"] = reasons
    out["leverage_hist"] = lev_hist
    out["front_all"] = front_all
    out["front_fighting"] = front_fighting
    return out


# --------------------------------------------------------------------------------------------
# The run and its summary
# --------------------------------------------------------------------------------------------


def simulate(scenario: Scenario, trials: int, seed: int,
             batch: int = DEFAULT_BATCH) -> dict[str, Any]:
    """Runs ``trials`` trials in chunks of at most ``batch``; returns the per-trial arrays
    (leverage_a, d_a, d_b, p_a, held_by_b_km2, casualties_a, casualties_b, package index or
    -1, blocked code or -1, range_empty; format version 2 adds settled_month, 0 for none)
    and what summarize() needs (version 2: the per-month counts and front histograms).
    Results depend on seed and batch (one PCG64 generator is consumed chunk after chunk).
    Correlated inputs (the engine's Iman-Conover reordering) are not implemented here."""
    if trials < 1:
        raise ValueError("trials must be at least 1")
    if scenario.correlations:
        raise NotImplementedError("correlated inputs are not implemented in the NumPy version")
    rng = np.random.Generator(np.random.PCG64(seed))
    out: dict[str, Any] = {}
    merged: dict[str, Any] = {}
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        for start in range(0, trials, batch):
            n = min(batch, trials - start)
            v = _draw_values(scenario, n, rng)
            if scenario.monthly:
                draws = _draw_monthly(scenario, v, n, rng)
                chunk = _evaluate_monthly_chunk(scenario, v, draws, n)
                del draws
                for key in ("reasons", "leverage_hist", "front_all", "front_fighting"):
                    part = chunk.pop(key)
                    if key not in merged:
                        merged[key] = part
                    elif key.startswith("front"):
                        merged[key].cum += part.cum
                        merged[key].month += part.month
                    else:
                        merged[key] += part
            else:
                cont = _draw_continues(scenario, v, n, rng)
                chunk = _evaluate_chunk(scenario, v, cont, n, rng)
                del cont
            del v
            if not out:  # allocate the per-trial outputs once, filled chunk by chunk
                out = {k: np.empty(trials, dtype=a.dtype) for k, a in chunk.items()}
            for k, a in chunk.items():
                out[k][start:start + n] = a
    out.update(merged)
    out["trials"] = trials
    out["seed"] = seed
    out["package_names"] = list(scenario.package_names)
    out["held_start_km2"] = scenario.held_by_b_km2
    out["scenario"] = scenario
    return out


def _proportion(hits: int, n: int) -> dict[str, float]:
    """stats.rs ``Proportion::from_counts``: p and its binomial standard error."""
    if n == 0:
        return {"p": 0.0, "se": 0.0}
    p = hits / n
    return {"p": p, "se": math.sqrt(p * (1.0 - p) / n)}


def _continuous(x: np.ndarray) -> dict[str, float]:
    """stats.rs ``Continuous::of`` (without the histogram): mean, se = sd/sqrt(n), sd (n-1),
    min, max and the type-7 quantiles p5, p25, p50, p75, p95 (all 0 for no values)."""
    n = x.size
    if n == 0:
        return {k: 0.0 for k in ("mean", "se", "sd", "min", "max", "p5", "p25", "p50", "p75",
                                 "p95")}
    mean = float(x.mean())
    sd = float(x.std(ddof=1)) if n > 1 else 0.0
    q = np.quantile(x, QUANTILES)
    return {"mean": mean, "se": sd / math.sqrt(n), "sd": sd, "min": float(x.min()),
            "max": float(x.max()), "p5": float(q[0]), "p25": float(q[1]), "p50": float(q[2]),
            "p75": float(q[3]), "p95": float(q[4])}


def hist_quantiles(counts: np.ndarray, rng: tuple[float, float],
                   levels=QUANTILES) -> list[float]:
    """front.rs ``hist_quantiles``: quantiles of binned counts over ``rng``, linear within
    the bin (NaN when there are no counts)."""
    counts = np.asarray(counts)
    total = int(counts.sum())
    if total == 0:
        return [math.nan] * len(levels)
    lo, hi = rng
    width = (hi - lo) / counts.size
    cum = np.cumsum(counts)
    out = []
    for p in levels:
        target = p * total
        # The first bin with counts whose running total reaches the target.
        i = int(np.argmax((cum >= target) & (counts > 0)))
        if not (cum[i] >= target and counts[i] > 0):
            out.append(hi)
            continue
        before = float(cum[i] - counts[i])
        frac = min(max((target - before) / float(counts[i]), 0.0), 1.0)
        out.append(lo + (i + frac) * width)
    return out


def hist_share_below(counts: np.ndarray, rng: tuple[float, float], x: float) -> float | None:
    """front.rs ``monthly_share_below``: the share of binned counts below ``x``, linear
    within the bin; None without counts."""
    counts = np.asarray(counts, dtype=np.float64)
    total = counts.sum()
    if total == 0:
        return None
    lo, hi = rng
    pos = min(max((x - lo) * (counts.size / (hi - lo)), 0.0), float(counts.size))
    whole = int(math.floor(pos))
    below = float(counts[:min(whole, counts.size)].sum())
    if whole < counts.size:
        below += float(counts[whole]) * (pos - whole)
    return below / total


def _bands(hists: np.ndarray, ranges) -> list[dict[str, float]]:
    """report/settlement.rs ``bands``: the months whose quantiles are all finite."""
    out = []
    for t, counts in enumerate(hists):
        q = hist_quantiles(counts, ranges[t])
        if all(math.isfinite(x) for x in q):
            out.append({"month": t + 1, **dict(zip(("p5", "p25", "p50", "p75", "p95"), q))})
    return out


def summarize(result: dict[str, Any]) -> dict[str, Any]:
    """The headline numbers of the engine's JSON report (stats.rs ``summarize``, report/mod.rs
    ``json``): P(each package), P(empty range), each outcome of stats.rs ``Outcome::of``
    summarised; format version 1 adds P(deal) and what blocked the deals that failed, format
    version 2 the ``settlement`` object (stats/settlement.rs ``Settlement::of``) and the
    front's bands."""
    n = int(result["trials"])
    pkg = result["package"]
    deals = int(np.count_nonzero(pkg >= 0))
    counts = np.bincount(pkg[pkg >= 0].astype(np.int64), minlength=len(result["package_names"]))
    lev = result["leverage_a"]
    held_start = result["held_start_km2"]
    outcome_values = {
        "leverage_a": lambda: lev,
        "leverage_b": lambda: 1.0 - lev,
        "surplus_a": lambda: lev - result["d_a"],
        "surplus_b": lambda: (1.0 - lev) - result["d_b"],
        "range_low": lambda: result["d_a"],
        "range_high": lambda: 1.0 - result["d_b"],
        "win_probability_a": lambda: result["p_a"],
        "held_by_b_km2": lambda: result["held_by_b_km2"],
        "gained_by_b_km2": lambda: result["held_by_b_km2"] - held_start,
        "casualties_a": lambda: result["casualties_a"],
        "casualties_b": lambda: result["casualties_b"],
    }
    packages = [dict(name=name, **_proportion(int(c), n))
                for name, c in zip(result["package_names"], counts)]
    likely = [i for i, p in enumerate(packages) if p["p"] > 0.0]
    out: dict[str, Any] = {
        "implementation": "numpy",
        "numpy_version": np.__version__,
        "trials": n,
        "seed": result["seed"],
        # stats.rs most_likely_package: the highest P, the first on ties.
        "most_likely_package": (packages[max(likely, key=lambda i: (packages[i]["p"], -i))]
                                ["name"] if likely else None),
        "packages": packages,
        "p_range_empty": _proportion(int(np.count_nonzero(result["range_empty"])), n),
    }
    if "settled_month" not in result:
        blocked_counts = np.bincount(result["blocked"][result["blocked"] >= 0].astype(np.int64),
                                     minlength=3)
        out["p_deal"] = _proportion(deals, n)
        out["blocked_given_no_deal"] = {cid: _proportion(int(blocked_counts[i]), n - deals)
                                        for i, cid in enumerate(CONSTRAINT_IDS)}
    else:
        out["settlement"] = _settlement(result)
        fa: _FrontCounts = result["front_all"]
        out["front"] = {
            "start_held_by_b_km2": held_start,
            "months": list(range(1, fa.months + 1)),
            "quantiles": list(QUANTILES),
            "cumulative_gain_by_b_km2": [hist_quantiles(fa.cum[t], fa.cum_range[t])
                                         for t in range(fa.months)],
            "monthly_gain_by_b_km2": [hist_quantiles(fa.month[t], fa.month_range)
                                      for t in range(fa.months)],
        }
    out["outcomes"] = {name: _continuous(outcome_values[name]()) for name in OUTCOMES}
    return out


def _settlement(result: dict[str, Any]) -> dict[str, Any]:
    """stats/settlement.rs ``Settlement::of`` and ``Hindcast::of``, in the shape of
    report/settlement.rs ``JsonSettlement``."""
    sc: Scenario = result["scenario"]
    n = int(result["trials"])
    t_max = sc.horizon
    month = result["settled_month"].astype(np.int64)
    deal = result["package"] >= 0
    by_month = np.bincount(np.minimum(month[month > 0], t_max), minlength=t_max + 1)
    acc = np.cumsum(by_month[1:])
    settled_by = [_proportion(int(a), n) for a in acc]
    median = next((t + 1 for t, a in enumerate(acc) if n > 0 and 2 * a >= n), None)
    settled = _proportion(int(acc[-1]) if t_max else 0, n)
    blocked = result["blocked"]
    unsettled = n - int(np.count_nonzero(deal))
    why_counts = np.bincount(blocked[~deal & (blocked >= 0)].astype(np.int64), minlength=4)
    reasons = result["reasons"]
    why = []
    for t in range(t_max):
        total = int(reasons[t].sum())
        row = {"month": t + 1, "still_fighting": int(n - acc[t])}
        for c, key in enumerate(WHY_KEYS):
            row[key] = float(reasons[t, c]) / total if total > 0 else None
        why.append(row)
    lev_hist = result["leverage_hist"]
    leverage_by_month = []
    for t in range(t_max):
        if lev_hist[t].any():
            q = hist_quantiles(lev_hist[t], (0.0, 1.0))
            leverage_by_month.append({"month": t + 1,
                                      **dict(zip(("p5", "p25", "p50", "p75", "p95"), q))})
    ff: _FrontCounts = result["front_fighting"]
    at = lambda key: result[key][deal]  # noqa: E731
    out = {
        "p_settled_within_horizon": settled,
        "median_settlement_month": median,
        "p_no_settlement_within_horizon": {"p": 1.0 - settled["p"], "se": settled["se"]},
        "settled_by_month": [{"month": t + 1, **p} for t, p in enumerate(settled_by)],
        "held_by_b_at_settlement_km2": _continuous(at("held_by_b_km2")),
        "casualties_a_at_settlement": _continuous(at("casualties_a")),
        "casualties_b_at_settlement": _continuous(at("casualties_b")),
        "leverage_a_at_settlement": _continuous(at("leverage_a")),
        "unsettled_blocked_by": {cid: _proportion(int(why_counts[c]), unsettled)
                                 for c, cid in enumerate(MONTHLY_CONSTRAINT_IDS)},
        "why_the_war_goes_on": why,
        "leverage_a_by_month": leverage_by_month,
        "monthly_gain_by_b_while_fighting_km2": _bands(ff.month, [ff.month_range] * t_max),
    }
    # The hindcast: observations after the scenario's date against the wars still going.
    months = []
    for o in sc.observed:
        if o["month"] >= 1:
            t = o["month"] - 1
            pct = hist_share_below(ff.month[t], ff.month_range, float(o["gained_by_b_km2"]))                 if t < t_max else None
            months.append({"month": o["month"], "label": o["label"],
                           "observed_km2": float(o["gained_by_b_km2"]), "percentile": pct})
    talks = None
    if sc.observed_talks is not None:
        ot = sc.observed_talks

        def by(m: int):
            return settled_by[m - 1] if 1 <= m <= t_max else None

        p_by = by(int(ot["through_month"]))
        if ot.get("settled_in_month") is None:
            happened = None if p_by is None else 1.0 - p_by["p"]
        else:
            m = int(ot["settled_in_month"])
            before = by(m - 1)
            happened = None if by(m) is None else by(m)["p"] - (before["p"] if before else 0.0)
        talks = {"through_month": ot["through_month"], "settled_in_month":
                 ot.get("settled_in_month"), "label": ot["label"], "p_settled_by": p_by,
                 "p_of_what_happened": happened}
    if months or talks is not None:
        scored = [m["percentile"] for m in months if m["percentile"] is not None]

        def share(lo: float, hi: float):
            return (sum(lo <= p <= hi for p in scored) / len(scored)) if scored else None

        out["hindcast"] = {"months": months, "inside_50": share(0.25, 0.75),
                           "inside_90": share(0.05, 0.95), "talks": talks}
    return out


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def _default_binary() -> str:
    """The benchmark's headless build (bench/run_benchmark.sh, bench/agreement.sh), else the
    app's release binary."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    bench = os.path.join(root, "target", "bench", "release", "armistice")
    return bench if os.path.exists(bench) else os.path.join(root, "target", "release",
                                                            "armistice")


def read_scenario_file(path: str, binary: str | None = None) -> dict[str, Any]:
    """Reads a scenario as JSON; a .ron file is exported to JSON with the release binary."""
    if path.endswith(".ron"):
        text = subprocess.run([binary or _default_binary(), "export", path, "-f", "json"],
                              check=True, capture_output=True, text=True).stdout
        return json.loads(text)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", help="scenario JSON (from `armistice export`), or a .ron file")
    ap.add_argument("--trials", "-n", type=int, default=None,
                    help="number of trials (default: the file's simulation.trials)")
    ap.add_argument("--seed", "-s", type=int, default=None,
                    help="seed of the PCG64 generator (default: the file's simulation.seed)")
    ap.add_argument("--batch", type=int, default=DEFAULT_BATCH,
                    help=f"trials per chunk (default {DEFAULT_BATCH})")
    ap.add_argument("--timing", action="store_true",
                    help="print load/simulate/summarize seconds to standard error")
    ap.add_argument("--binary", default=None, help="armistice binary used to export .ron files")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    doc = read_scenario_file(args.scenario, args.binary)
    sc = load_scenario(doc)
    trials = args.trials if args.trials is not None else int(doc["simulation"]["trials"])
    seed = args.seed if args.seed is not None else int(doc["simulation"]["seed"])
    t1 = time.perf_counter()
    result = simulate(sc, trials, seed, batch=args.batch)
    t2 = time.perf_counter()
    summary = summarize(result)
    summary["scenario_title"] = sc.title
    t3 = time.perf_counter()
    json.dump(summary, sys.stdout, indent=2)
    sys.stdout.write("\n")
    if args.timing:
        print(json.dumps({"load_s": t1 - t0, "simulate_s": t2 - t1, "summarize_s": t3 - t2,
                          "trials_per_s_simulate": trials / (t2 - t1)}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
