#!/usr/bin/env python3
"""Armistice in NumPy: the same Monte Carlo model as the Rust engine, vectorised over trials.

This is the implementation a researcher would write as an alternative to the Rust engine:
the drawn inputs of a chunk of trials are arrays, the war is stepped month by month with a
Python loop over months only (never over trials), and the bargaining table is evaluated with
a Python loop over the (few) packages. Trials are processed in chunks so that memory stays
bounded whatever the trial count.

It follows, block by block:

* ``src/model/structure.rs``  ``Structure::compile``   -> :func:`load_scenario`
* ``src/sim/engine.rs``       ``Engine::new`` / ``draw`` -> :func:`_draw_values`
* ``src/sim/sample.rs``       ``Sampler`` / ``clamp_to`` -> :func:`_sample`, :func:`_clamp`
* ``src/model/war.rs``        ``evaluate``               -> :func:`_evaluate_chunk`
* ``src/stats.rs``            ``summarize``              -> :func:`summarize`

Random streams differ from the engine's (NumPy's PCG64 instead of the engine's per-input
SplitMix64 streams), so the two agree in distribution, not trial by trial.

Input: a scenario as JSON, as printed by ``armistice export FILE.ron -f json``. An input is
either a bare number or ``{"value": {"Pert": {...}} | {"Fixed": x}, "source": ..., ...}``.

Command line::

    python bench/armistice_numpy.py SCENARIO.json --trials N --seed S

prints the summary as JSON (a ``.ron`` file is first exported with the release binary).
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
#: registry.rs BUILTIN_ATTRIBUTES, in attribute-index order; index 0 is the guarantee.
BUILTIN_ATTRIBUTES = ("security_guarantee", "sanctions_relief", "neutrality")
ATTR_GUARANTEE = 0
#: war.rs Constraint codes (record.rs uses 255 for "none"; here -1).
BLOCKED_A, BLOCKED_B, BLOCKED_DURABILITY = 0, 1, 2
#: Default trials per chunk: about 2 MB per float64 array.
DEFAULT_BATCH = 250_000

# Field specs from src/scenario/registry.rs: (min, min_open, max). Draws are clamped to them.
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
}
BATTLE_SPECS: dict[str, tuple[float, bool, float]] = {
    "front_speed_km2_per_month": (0.0, False, 1e6),
    "break_even_ratio": (0.0, True, 100.0),
    "front_noise_km2": (0.0, False, 1e6),
    "exchange_ratio": (0.0, True, 1000.0),
    "materiel_saturation": (0.0, True, 100.0),
    "materiel_floor": (0.0, False, 1.0),
    "decisiveness": (0.0, True, 64.0),
    "stalemate": (0.0, False, 1.0),
    "continuation_months": (0.0, False, 600.0),
}
AID_SPEC = (0.0, False, 1e5)
CONTINUE_SPEC = (0.0, False, 1.0)
SIZE_SPEC = (0.0, False, 1e7)
EFFECT_SPEC = (0.0, False, 1.0)
WEIGHT_SPEC = (-10.0, False, 10.0)
TERRITORY_SPEC = (0.0, False, 1.0)
LEVEL_SPEC = (0.0, False, 1.0)

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
    happens (``always``) or only if the stream goes on past its cut-off."""

    side: int
    amount: int
    arrive_always: np.ndarray
    arrive_if_continues: np.ndarray
    after_always: float = 0.0
    after_if_continues: float = 0.0
    continue_probability: int | None = None


@dataclass
class Scenario:
    """A scenario compiled for simulation: one slot per catalogued input (in registry.rs
    walk order), the indices the model reads, and the aid, troop and package plans."""

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
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def zero_slot(self) -> int:
        """structure.rs: the always-0 slot (level of an attribute a package leaves out)."""
        return len(self.inputs)


def load_scenario(doc: dict[str, Any]) -> Scenario:
    """Compiles a scenario given as the JSON of ``armistice export``: mirrors
    registry.rs ``walk_inputs`` (which inputs exist, in which order) and structure.rs
    ``Structure::compile`` (schedules, lags, cut-offs, contingents, packages, weights).
    The scenario is assumed valid (``armistice check`` passes on it)."""
    inputs: list[tuple[str, tuple[float, bool, float], Dist]] = []
    index: dict[tuple, int] = {}

    def add(key: tuple, path: str, spec: tuple[float, bool, float], raw: Any) -> None:
        index[key] = len(inputs)
        inputs.append((path, spec, _parse_input(raw)))

    sides_doc = doc["sides"]
    # Side fields in SideField::ALL order; losses_per_month is optional.
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
            add(("continue", i), f"aid[{i}].cutoff.continue_probability", CONTINUE_SPEC,
                stream["cutoff"]["continue_probability"])
    troops_doc = doc.get("troops") or []
    for i, t in enumerate(troops_doc):
        add(("size", i), f"troops[{i}].size", SIZE_SPEC, t["size"])
        add(("effect", i), f"troops[{i}].effectiveness", EFFECT_SPEC, t["effectiveness"])
    barg = doc["bargaining"]
    # Scenario::attribute_names: built-ins, then a's `other` weights in sorted (BTreeMap) order.
    attr_names = list(BUILTIN_ATTRIBUTES) + sorted((barg["weights"]["a"].get("other") or {}))
    for s in ("a", "b"):
        w = barg["weights"][s]
        for k, name in enumerate(BUILTIN_ATTRIBUTES):
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
        for k, name in enumerate(BUILTIN_ATTRIBUTES):
            add(("level", i, k), f"bargaining.packages[{i}].{name}", LEVEL_SPEC,
                pkg.get(name, 0.0))
        for name, raw in sorted((pkg.get("other") or {}).items()):
            if name in attr_names:
                add(("level", i, attr_names.index(name)),
                    f"bargaining.packages[{i}].other.{name}", LEVEL_SPEC, raw)

    at = lambda key: index.get(key, 0)  # noqa: E731  (structure.rs `at`: 0 if absent)
    opt = index.get  # structure.rs `opt`: None if absent
    sides = []
    for s in ("a", "b"):
        idx: dict[str, int | None] = {f: at(("side", s, f)) for f in SIDE_SPECS}
        idx["losses_per_month"] = opt(("side", s, "losses_per_month"))
        sides.append(idx)
    battle: dict[str, int | None] = {f: at(("battle", f)) for f in BATTLE_SPECS}
    battle["exchange_ratio"] = opt(("battle", "exchange_ratio"))

    horizon = int(doc["simulation"]["horizon_months"])
    shift_months = int(barg.get("shift_months", 12))
    a_id = sides_doc["a"]["id"]
    side_of = lambda rid: int(rid != a_id)  # noqa: E731

    # Aid streams: structure.rs, the `add` closure and the schedule match.
    aid = []
    for i, stream in enumerate(aid_doc):
        plan = AidPlan(
            side=side_of(stream["recipient"]),
            amount=at(("aid", i)),
            arrive_always=np.zeros(horizon),
            arrive_if_continues=np.zeros(horizon),
            continue_probability=opt(("continue", i)),
        )
        cutoff = stream["cutoff"]["month"] if stream.get("cutoff") is not None else None
        lag = int(stream.get("lag_months", 0) or 0)
        after_end = horizon + shift_months  # last month of the projected peace

        def conditional(dispatch: int, cutoff=cutoff) -> bool:
            # Dispatches after the cut-off month happen only if the stream continues.
            return cutoff is not None and dispatch > cutoff

        def put(dispatch: int, share: float, plan=plan, lag=lag, conditional=conditional,
                after_end=after_end):
            arrival = dispatch + lag
            cond = conditional(dispatch)
            if 1 <= arrival <= horizon:
                (plan.arrive_if_continues if cond else plan.arrive_always)[arrival - 1] += share
            elif horizon < arrival <= after_end:
                if cond:
                    plan.after_if_continues += share
                else:
                    plan.after_always += share

        (kind, body), = stream["schedule"].items()
        if kind == "Monthly":
            # Every month of the horizon and of the projected peace.
            for m in range(max(int(body["from_month"]), 1), after_end + 1):
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
        aid.append(plan)

    troops = [
        (side_of(t["recipient"]), at(("size", i)), at(("effect", i)), int(t["arrival_month"]))
        for i, t in enumerate(troops_doc)
    ]
    packages = []
    for i, pkg in enumerate(barg["packages"]):
        terr_slot = opt(("territory", i)) if pkg["territory"] != "Line" else None
        levels = [index.get(("level", i, k), len(inputs)) for k in range(len(attr_names))]
        packages.append((terr_slot, levels))
    weights = [[at(("weight", s, k)) for k in range(len(attr_names))] for s in ("a", "b")]

    proto = barg["protocol"]
    if proto == "Nash":
        protocol, proposer = "Nash", None
    else:
        protocol, proposer = "Rubinstein", proto["Rubinstein"]["proposer"]

    sc = Scenario(
        title=doc["meta"]["title"],
        side_names=(sides_doc["a"]["name"], sides_doc["b"]["name"]),
        horizon=horizon,
        contested_km2=float(bf["contested_km2"]),
        held_by_b_km2=float(bf["held_by_b_km2"]),
        inputs=inputs,
        sides=sides,
        battle=battle,
        aid=aid,
        troops=troops,
        packages=packages,
        package_names=[p["name"] for p in barg["packages"]],
        weights=weights,
        protocol=protocol,
        proposer=proposer,
        shift_months=shift_months,
        attribute_names=attr_names,
        raw=doc,
    )
    # engine.rs: the monthly front noise is drawn only when the noise can be non-zero.
    sc.noise_on = inputs[battle["front_noise_km2"]][2].upper() > 0.0
    return sc


# --------------------------------------------------------------------------------------------
# Drawing one chunk of trials (src/sim/engine.rs Engine::draw)
# --------------------------------------------------------------------------------------------


def _draw_values(sc: Scenario, n: int, rng: np.random.Generator) -> list[Any]:
    """The value of every slot for n trials: a float for a fixed input (engine.rs ``base``),
    an array of n clamped draws for an uncertain one; the last slot is the always-0 slot."""
    v: list[Any] = []
    for _path, spec, dist in sc.inputs:
        if dist.is_fixed():
            x = dist.fixed_value()
            # engine.rs clamps the central value of a Fixed input, but not a fixed Chance's.
            v.append(_clamp_scalar(x, spec) if dist.kind == "Fixed" else x)
        else:
            v.append(_clamp(_sample(dist, n, rng), spec))
    v.append(0.0)
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
# The run and its summary
# --------------------------------------------------------------------------------------------


def simulate(scenario: Scenario, trials: int, seed: int,
             batch: int = DEFAULT_BATCH) -> dict[str, Any]:
    """Runs ``trials`` trials in chunks of at most ``batch``; returns the per-trial arrays
    (leverage_a, d_a, d_b, p_a, held_by_b_km2, casualties_a, casualties_b, package index or
    -1, blocked code 0/1/2 or -1, range_empty) and what summarize() needs. Results depend on
    seed and batch (one PCG64 generator is consumed chunk after chunk)."""
    if trials < 1:
        raise ValueError("trials must be at least 1")
    rng = np.random.Generator(np.random.PCG64(seed))
    out: dict[str, Any] = {}
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        for start in range(0, trials, batch):
            n = min(batch, trials - start)
            v = _draw_values(scenario, n, rng)
            cont = _draw_continues(scenario, v, n, rng)
            chunk = _evaluate_chunk(scenario, v, cont, n, rng)
            del v, cont
            if not out:  # allocate the per-trial outputs once, filled chunk by chunk
                out = {k: np.empty(trials, dtype=a.dtype) for k, a in chunk.items()}
            for k, a in chunk.items():
                out[k][start:start + n] = a
    out["trials"] = trials
    out["seed"] = seed
    out["package_names"] = list(scenario.package_names)
    out["held_start_km2"] = scenario.held_by_b_km2
    return out


def _proportion(hits: int, n: int) -> dict[str, float]:
    """stats.rs ``Proportion::from_counts``: p and its binomial standard error."""
    if n == 0:
        return {"p": 0.0, "se": 0.0}
    p = hits / n
    return {"p": p, "se": math.sqrt(p * (1.0 - p) / n)}


def _continuous(x: np.ndarray) -> dict[str, float]:
    """stats.rs ``Continuous::of`` (without the histogram): mean, se = sd/sqrt(n), sd (n-1),
    min, max and the type-7 quantiles p5, p25, p50, p75, p95."""
    n = x.size
    mean = float(x.mean())
    sd = float(x.std(ddof=1)) if n > 1 else 0.0
    q = np.quantile(x, [0.05, 0.25, 0.5, 0.75, 0.95])
    return {"mean": mean, "se": sd / math.sqrt(n), "sd": sd, "min": float(x.min()),
            "max": float(x.max()), "p5": float(q[0]), "p25": float(q[1]), "p50": float(q[2]),
            "p75": float(q[3]), "p95": float(q[4])}


def summarize(result: dict[str, Any]) -> dict[str, Any]:
    """The headline numbers of the engine's JSON report (stats.rs ``summarize``): P(deal),
    P(each package), P(empty range), what blocked the deals that failed, and each outcome of
    stats.rs ``Outcome::of`` summarised."""
    n = int(result["trials"])
    pkg = result["package"]
    deals = int(np.count_nonzero(pkg >= 0))
    counts = np.bincount(pkg[pkg >= 0].astype(np.int64), minlength=len(result["package_names"]))
    blocked_counts = np.bincount(result["blocked"][result["blocked"] >= 0].astype(np.int64),
                                 minlength=3)
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
    return {
        "implementation": "numpy",
        "numpy_version": np.__version__,
        "trials": n,
        "seed": result["seed"],
        "p_deal": _proportion(deals, n),
        "packages": [dict(name=name, **_proportion(int(c), n))
                     for name, c in zip(result["package_names"], counts)],
        "p_range_empty": _proportion(int(np.count_nonzero(result["range_empty"])), n),
        "blocked_given_no_deal": {cid: _proportion(int(blocked_counts[i]), n - deals)
                                  for i, cid in enumerate(CONSTRAINT_IDS)},
        "outcomes": {name: _continuous(outcome_values[name]()) for name in OUTCOMES},
    }


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def _default_binary() -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(os.path.dirname(here), "target", "release", "armistice")


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
