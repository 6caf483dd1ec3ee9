#!/usr/bin/env python3
"""Agreement check: the Rust engine and bench/armistice_numpy.py on every scenario.

For each scenario (the shipped ones in scenarios/, the version-1 fixtures in
tests/fixtures/v1/ and the stress scenarios in bench/scenarios/, which exercise what the
shipped files do not), it exports the scenario to JSON with the benchmark's headless build,
runs the engine (`armistice run FILE --trials N --seed S --format json`) and the NumPy version
with the same number of trials, and checks that every headline number agrees within 3
combined standard errors, |m1 - m2| <= 3 sqrt(se1^2 + se2^2):

* both formats: P(each package), P(empty range), the mean of each outcome;
* format version 1: P(deal) and the share of failed deals blocked by each constraint;
* format version 2 (the `settlement` object): P(settled by each month) and within the
  horizon, the mean line, casualties and leverage at settlement, what blocked the last table
  of the wars not settled, for every month the share of the wars still going kept going by
  each reason, and the hindcast's percentiles. Quantiles read from the engine's binned
  histograms (the leverage at each month's table, the monthly gain of the wars still going,
  the front's cumulative and monthly bands) are compared through the distribution function:
  the share of the NumPy run's histogram below the engine's quantile q_p must be within 3
  standard errors, sqrt(p (1 - p) (1/n1 + 1/n2)), of p (both histograms have the same bins;
  months with fewer than 200 trials in either run are left out).

The random streams differ, so agreement is in distribution. With hundreds of comparisons per
scenario a 3-sigma rule fails by chance now and then (0.27 % per comparison), so a quantity
that fails is re-checked on a fresh pair of runs with new seeds, and counts as a
disagreement only if it fails again (use --no-confirm for the bare rule).

--exact adds a trial-by-trial check that needs no statistics (and runs NumPy with its SIMD
loops turned off, so that pow, exp and log are the C library's, as in the engine): a small Rust program
(bench/xcheck) dumps, for the first trials of a run, every random draw the engine made (the
inputs, the aid continuation events, the monthly noise, the uniforms of events and levers)
and the model's outcome on them, after checking that these outcomes equal the run's own
records; the NumPy model is then run on exactly those draws. Every outcome must match to
rounding (relative 1e-9): the fighting values, leverage, line and casualties, and exactly
the package, the reason code, the empty range and (version 2) the month of settlement, the
code of every month's table, and the run's per-month counts.

Usage (from the repository root; runs itself under bench/.venv if numpy is missing):

    python3 bench/agreement.py [--trials 200000] [--seed 1] [--exact] [--no-build] [FILE...]

Prints a table per scenario (only the failed rows with --brief) and exits non-zero on a
(confirmed) disagreement.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV_PYTHON = os.path.join(HERE, ".venv", "bin", "python")
#: The benchmark's headless build (never target/release, the app's binary).
BENCH_TARGET = os.path.join(ROOT, "target", "bench")
BINARY = os.path.join(BENCH_TARGET, "release", "armistice")

try:
    import numpy as np
except ImportError:  # re-run under the benchmark's virtual environment
    if os.path.exists(VENV_PYTHON) and os.path.realpath(sys.prefix) != os.path.realpath(
            os.path.join(HERE, ".venv")):
        os.execv(VENV_PYTHON, [VENV_PYTHON, os.path.abspath(__file__), *sys.argv[1:]])
    sys.exit("numpy is missing: run bench/run_benchmark.sh once, or "
             "python3 -m venv bench/.venv && bench/.venv/bin/pip install -r "
             "bench/requirements.txt")


def _libm_numpy() -> None:
    """For --exact: re-runs this script with NumPy's SIMD loops turned off
    (NPY_DISABLE_CPU_FEATURES), so that its pow, exp and log are the C library's, as the
    engine's are. NumPy's own vectorised versions differ in the last bit, and a few
    comparisons in the model are ties decided by rounding (an empty range exactly at
    d_a + d_b = 1 when fighting on costs nothing), which then go either way."""
    if "NPY_DISABLE_CPU_FEATURES" in os.environ:
        return
    try:
        from numpy._core import _multiarray_umath as umath
        found = [f for f in umath.__cpu_dispatch__ if umath.__cpu_features__.get(f)]
    except (ImportError, AttributeError):
        return
    if found:
        env = dict(os.environ, NPY_DISABLE_CPU_FEATURES=" ".join(found))
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), *sys.argv[1:]],
                  env)


if "--exact" in sys.argv[1:]:
    _libm_numpy()

sys.path.insert(0, HERE)
import armistice_numpy as anp  # noqa: E402

SIGMAS = 3.0
#: Quantiles of histograms holding fewer trials than this (in either run) are not compared:
#: the normal approximation of the test needs a sample of some size.
MIN_QUANTILE_TRIALS = 200


# --------------------------------------------------------------------------------------------
# Running the two implementations
# --------------------------------------------------------------------------------------------


def build_engine() -> None:
    """The headless binary (no GUI feature) in its own target directory, target/bench."""
    subprocess.run(["cargo", "build", "--release", "--locked", "--no-default-features",
                    "--quiet", "--target-dir", BENCH_TARGET, "--bin", "armistice"], cwd=ROOT,
                   check=True)


def export_json(ron: str, dest: str) -> dict:
    text = subprocess.run([BINARY, "export", ron, "-f", "json"], check=True,
                          capture_output=True, text=True).stdout
    with open(dest, "w", encoding="utf-8") as f:
        f.write(text)
    return json.loads(text)


def run_engine(ron: str, trials: int, seed: int, threads: int = 2) -> tuple[dict, float]:
    t0 = time.perf_counter()
    text = subprocess.run([BINARY, "run", ron, "--trials", str(trials), "--seed", str(seed),
                           "--threads", str(threads), "--format", "json"],
                          check=True, capture_output=True, text=True).stdout
    return json.loads(text), time.perf_counter() - t0


def run_numpy(doc: dict, trials: int, seed: int) -> tuple[dict, dict, float]:
    t0 = time.perf_counter()
    result = anp.simulate(anp.load_scenario(doc), trials, seed)
    summary = anp.summarize(result)
    return summary, result, time.perf_counter() - t0


# --------------------------------------------------------------------------------------------
# Comparing summaries
# --------------------------------------------------------------------------------------------

Row = tuple[str, tuple[float, float], tuple[float, float]]


def _proportion_se(p: float, n: int) -> float:
    return math.sqrt(p * (1.0 - p) / n) if n > 0 else 0.0


def _cdf_rows(label: str, engine_bands: list[dict], hists, ranges, n_engine) -> list[Row]:
    """Quantiles of the engine's binned histograms against the NumPy run's histograms with
    the same bins: (label, (p, 0), (F_numpy(q_p), se)) where se combines both samples."""
    rows = []
    for band in engine_bands:
        t = band["month"] - 1
        n_np = int(hists[t].sum())
        n_e = n_engine(t)
        for p, key in zip(anp.QUANTILES, ("p5", "p25", "p50", "p75", "p95")):
            q = band[key]
            f = anp.hist_share_below(hists[t], ranges[t], q) if n_np else None
            if f is None or not math.isfinite(q) or min(n_e, n_np) < MIN_QUANTILE_TRIALS:
                continue
            se = math.sqrt(p * (1.0 - p) * (1.0 / n_e + 1.0 / n_np))
            rows.append((f"{label} {key} m{t + 1}: F_np(q)", (p, 0.0), (f, se)))
    return rows


def quantities(engine: dict, numpy_: dict, result: dict) -> list[Row]:
    """(label, (engine value, se), (numpy value, se)) for every compared headline number."""
    rows: list[Row] = []
    for e, n in zip(engine["packages"], numpy_["packages"], strict=True):
        assert e["name"] == n["name"], (e["name"], n["name"])
        rows.append((f"P({e['name']})", (e["p"], e["se"]), (n["p"], n["se"])))
    rows.append(("P(range empty)", (engine["p_range_empty"]["p"], engine["p_range_empty"]["se"]),
                 (numpy_["p_range_empty"]["p"], numpy_["p_range_empty"]["se"])))
    if "settlement" not in engine:
        rows.append(("P(deal)", (engine["p_deal"]["p"], engine["p_deal"]["se"]),
                     (numpy_["p_deal"]["p"], numpy_["p_deal"]["se"])))
        for cid in anp.CONSTRAINT_IDS:
            e, n = engine["blocked_given_no_deal"][cid], numpy_["blocked_given_no_deal"][cid]
            rows.append((f"blocked by {cid} | no deal", (e["p"], e["se"]), (n["p"], n["se"])))
    else:
        rows += settlement_quantities(engine, numpy_, result)
    for name in anp.OUTCOMES:
        e, n = engine["outcomes"][name], numpy_["outcomes"][name]
        rows.append((f"mean {name}", (e["mean"], e["se"]), (n["mean"], n["se"])))
    return rows


def settlement_quantities(engine: dict, numpy_: dict, result: dict) -> list[Row]:
    es, ns = engine["settlement"], numpy_["settlement"]
    trials_e, trials_n = engine_trials(engine), numpy_["trials"]
    rows: list[Row] = []
    pe, pn = es["p_settled_within_horizon"], ns["p_settled_within_horizon"]
    rows.append(("P(settled within horizon)", (pe["p"], pe["se"]), (pn["p"], pn["se"])))
    for e, n in zip(es["settled_by_month"][:-1], ns["settled_by_month"][:-1], strict=True):
        rows.append((f"P(settled by month {e['month']})", (e["p"], e["se"]), (n["p"], n["se"])))
    for key in ("held_by_b_at_settlement_km2", "casualties_a_at_settlement",
                "casualties_b_at_settlement", "leverage_a_at_settlement"):
        rows.append((f"mean {key}", (es[key]["mean"], es[key]["se"]),
                     (ns[key]["mean"], ns[key]["se"])))
    for cid in anp.MONTHLY_CONSTRAINT_IDS:
        e, n = es["unsettled_blocked_by"][cid], ns["unsettled_blocked_by"][cid]
        rows.append((f"unsettled: blocked by {cid}", (e["p"], e["se"]), (n["p"], n["se"])))
    for e, n in zip(es["why_the_war_goes_on"], ns["why_the_war_goes_on"], strict=True):
        for key in anp.WHY_KEYS:
            if e[key] is None or n[key] is None:
                if (e[key] is None) != (n[key] is None):
                    rows.append((f"why m{e['month']}: {key} (null in one)", (0.0, 0.0),
                                 (1.0, 0.0)))
                continue
            rows.append((f"why m{e['month']}: {key}",
                         (e[key], _proportion_se(e[key], e["still_fighting"])),
                         (n[key], _proportion_se(n[key], n["still_fighting"]))))
    # The trials at each month's table, and fighting in each month, in the engine's run.
    by = [0.0] + [m["p"] for m in es["settled_by_month"]]

    def fighting_in(t: int) -> int:  # month t + 1
        return round(trials_e * (1.0 - by[t]))

    rows += _cdf_rows("leverage_a at table", es["leverage_a_by_month"],
                      result["leverage_hist"], [(0.0, 1.0)] * len(by), fighting_in)
    ff = result["front_fighting"]
    rows += _cdf_rows("gain while fighting", es["monthly_gain_by_b_while_fighting_km2"],
                      ff.month, [ff.month_range] * ff.months, fighting_in)
    fa = result["front_all"]
    front = engine["front"]
    for label, q, hists, ranges in (
            ("front cumulative", front["cumulative_gain_by_b_km2"], fa.cum, fa.cum_range),
            ("front monthly", front["monthly_gain_by_b_km2"], fa.month,
             [fa.month_range] * fa.months)):
        bands = [{"month": t + 1, **dict(zip(("p5", "p25", "p50", "p75", "p95"), row))}
                 for t, row in enumerate(q)]
        rows += _cdf_rows(label, bands, hists, ranges, lambda t: trials_e)
    if "hindcast" in es:
        for e, n in zip(es["hindcast"]["months"], ns["hindcast"]["months"], strict=True):
            if e["percentile"] is None or n["percentile"] is None:
                continue
            t = e["month"] - 1
            n_e, n_n = fighting_in(t), int(ff.month[t].sum())
            rows.append((f"hindcast percentile {e['label']}",
                         (e["percentile"], _proportion_se(e["percentile"], n_e)),
                         (n["percentile"], _proportion_se(n["percentile"], n_n))))
    assert trials_n > 0
    return rows


def engine_trials(engine: dict) -> int:
    return int(engine["stamp"]["trials"])


def z_score(a: tuple[float, float], b: tuple[float, float]) -> float:
    """|m1 - m2| / sqrt(se1^2 + se2^2); 0 when both are equal, inf when they differ with no
    spread (a deterministic quantity that the two compute differently)."""
    diff = abs(a[0] - b[0])
    se = math.hypot(a[1], b[1])
    if se > 0.0:
        return diff / se
    return 0.0 if diff <= 1e-12 * max(1.0, abs(a[0])) else math.inf


def fmt(x: float) -> str:
    return f"{x:.6g}" if abs(x) < 1e5 else f"{x:,.1f}"


def print_table(title: str, rows, zs, retry_zs, brief: bool) -> None:
    print(f"\n{title}")
    shown = 0
    for (label, a, b), z, z2 in zip(rows, zs, retry_zs):
        if z <= SIGMAS:
            verdict = "ok"
        elif z2 is None:
            verdict = "DISAGREE"
        elif z2 <= SIGMAS:
            verdict = f"ok on re-check (|z|={z2:.2f})"
        else:
            verdict = f"DISAGREE (re-check |z|={z2:.2f})"
        if brief and z <= SIGMAS:
            continue
        if shown == 0:
            print(f"  {'quantity':<52} {'engine':>12} {'numpy':>12} {'diff':>10} {'3 se':>9} "
                  f"{'|z|':>6}  verdict")
        shown += 1
        print(f"  {label[:52]:<52} {fmt(a[0]):>12} {fmt(b[0]):>12} {a[0] - b[0]:>10.3g} "
              f"{SIGMAS * math.hypot(a[1], b[1]):>9.3g} {z:>6.2f}  {verdict}")
    if brief:
        worst = max(zs) if zs else 0.0
        print(f"  {len(rows)} quantities, {len(rows) - shown} within {SIGMAS:g} se on the first "
              f"run; largest |z| {worst:.2f}")


# --------------------------------------------------------------------------------------------
# The exact, trial-by-trial check (bench/xcheck)
# --------------------------------------------------------------------------------------------

XCHECK_DIR = os.path.join(HERE, "xcheck")
XCHECK_BIN = os.path.join(BENCH_TARGET, "release", "armistice-xcheck")
OUTCOME_FIELDS = ("leverage_a", "d_a", "d_b", "p_a", "held_by_b_km2", "casualties_a",
                  "casualties_b", "package", "blocked", "range_empty", "settled_month")
DISCRETE = ("package", "blocked", "range_empty", "settled_month")
TOLERANCE = 1e-9


def build_engine_and_xcheck() -> None:
    """The headless binary and bench/xcheck (its own workspace, whose lock file is a copy of
    the main one) in one cargo invocation from xcheck's workspace, into target/bench: the
    armistice library (without the GUI feature) is compiled once for both."""
    lock = os.path.join(XCHECK_DIR, "Cargo.lock")
    main_lock = os.path.join(ROOT, "Cargo.lock")
    if not os.path.exists(lock) or os.path.getmtime(main_lock) > os.path.getmtime(lock):
        shutil.copyfile(main_lock, lock)
    env = dict(os.environ, CARGO_TARGET_DIR=BENCH_TARGET)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--manifest-path",
                    os.path.join(XCHECK_DIR, "Cargo.toml"), "-p", "armistice", "-p",
                    "armistice-xcheck", "--bin", "armistice", "--bin", "armistice-xcheck"],
                   check=True, env=env)
    if not os.path.exists(XCHECK_BIN):
        sys.exit(f"agreement: the build did not produce {XCHECK_BIN}")


class _ReplayNoise:
    """Stands in for the generator inside the version-1 ``_evaluate_chunk``: returns the
    dumped monthly noise, one month per call."""

    def __init__(self, noise: np.ndarray):
        self.noise, self.t = noise, 0

    def standard_normal(self, n: int) -> np.ndarray:
        z = self.noise[:, self.t]
        self.t += 1
        return z


def _rel_diff(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max(|b|, 1), with NaN equal only to NaN."""
    both_nan = np.isnan(a) & np.isnan(b)
    d = np.where(both_nan, 0.0, np.abs(a - b) / np.maximum(np.abs(b), 1.0))
    return float(np.max(np.where(np.isnan(d), np.inf, d))) if d.size else 0.0


def exact_check(ron: str, doc: dict, trials: int, seed: int, tmp: str) -> bool:
    """Runs the engine's model (via bench/xcheck) and the NumPy model on the same draws."""
    name = os.path.splitext(os.path.basename(ron))[0]
    out = os.path.join(tmp, f"xcheck-{name}.bin")
    t0 = time.perf_counter()
    proc = subprocess.run([XCHECK_BIN, ron, str(trials), str(seed), out], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        print(f"  exact: bench/xcheck failed: {proc.stderr.strip()}")
        return False
    with open(out + ".paths", encoding="utf-8") as f:
        lines = f.read().splitlines()
    meta = {k: int(x) for k, x in (kv.split("=") for kv in lines[-1].lstrip("#").split())}
    paths = lines[:-1]
    sc = anp.load_scenario(doc)
    mine = [p for p, _, _ in sc.inputs]
    if mine != paths:
        print(f"  exact: slot layout differs: first difference "
              f"{next((a, b) for a, b in zip(mine + [''], paths + ['']) if a != b)}")
        return False
    nv, T = meta["n_values"], meta["horizon"]
    n_aid, n_ev, n_lev = meta["n_aid"], meta["n_events"], meta["n_levers"]
    width = nv + n_aid + T + 2 * n_ev + n_lev + len(OUTCOME_FIELDS) + 3 * T
    data = np.fromfile(out, dtype="<f8").reshape(trials, width)
    os.remove(out)
    cols = iter(range(width))

    def take(k: int) -> np.ndarray:
        idx = [next(cols) for _ in range(k)]
        return data[:, idx[0]:idx[-1] + 1] if k else data[:, :0]

    values, cont, noise = take(nv), take(n_aid) > 0.5, take(T)
    occurs, timing, lever = take(n_ev), take(n_ev), take(n_lev)
    ref = take(len(OUTCOME_FIELDS))
    ref_code, ref_lev, ref_held = take(T), take(T), take(T)
    # A column the same in every trial stays a float, as a fixed input does.
    v = [float(c[0]) if np.all(c == c[0]) else c.copy() for c in values.T]
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        if sc.monthly:
            draws = anp.MonthlyDraws(
                continues=[c.copy() if plan.continue_probability is not None else True
                           for plan, c in zip(sc.aid, cont.T)],
                noise=np.ascontiguousarray(noise.T) if sc.noise_on else 0.0,
                event_occurs=[c.copy() for c in occurs.T],
                event_timing=[c.copy() for c in timing.T],
                lever=[c.copy() for c in lever.T])
            res = anp._evaluate_monthly_chunk(sc, v, draws, trials, trace=True)
        else:
            sc.noise_on = True  # replay the dumped noise (zeros when the engine drew none)
            res = anp._evaluate_chunk(sc, v, [c.copy() for c in cont.T], trials,
                                      _ReplayNoise(noise))
            res["settled_month"] = np.zeros(trials)
    ok = True
    parts = []
    for j, field in enumerate(OUTCOME_FIELDS):
        a, b = res[field].astype(np.float64), ref[:, j]
        if field in DISCRETE:
            bad = int(np.count_nonzero(a != b))
            parts.append(f"{field} {bad} differ")
            ok &= bad == 0
        else:
            rel = _rel_diff(a, b)
            parts.append(f"{field} {rel:.1e}")
            ok &= rel <= TOLERANCE
    if sc.monthly:
        bad = int(np.count_nonzero(res["trace_code"] != ref_code))
        rel_lev = _rel_diff(res["trace_leverage"], ref_lev)
        rel_held = _rel_diff(res["trace_held"], ref_held)
        parts.append(f"month codes {bad} differ, month leverage {rel_lev:.1e}, "
                     f"month front {rel_held:.1e}")
        ok &= bad == 0 and rel_lev <= TOLERANCE and rel_held <= TOLERANCE
        counts = np.fromfile(out + ".counts", dtype="<f8")
        os.remove(out + ".counts")
        same = np.array_equal(counts[:T * 4], res["reasons"].ravel()) and np.array_equal(
            counts[T * 4:], res["leverage_hist"].ravel())
        parts.append("per-month counts " + ("equal" if same else "DIFFER"))
        ok &= same
    print(f"  exact, {trials:,} trials of the engine's own draws ({time.perf_counter() - t0:.1f}"
          f" s): {'MATCH' if ok else 'DIFFER'}; max |diff|/max(|x|,1): " + ", ".join(parts))
    if not ok:
        first = np.flatnonzero(np.any(res["trace_code"] != ref_code, axis=1)) if sc.monthly \
            else np.array([], dtype=int)
        if first.size:
            t = int(first[0])
            print(f"    first trial with another month code: {t}: engine {ref_code[t].tolist()}"
                  f", numpy {res['trace_code'][t].tolist()}")
    return ok


# --------------------------------------------------------------------------------------------


def default_files() -> list[str]:
    files = sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.ron")))
    files += sorted(glob.glob(os.path.join(ROOT, "tests", "fixtures", "v1", "*.ron")))
    files += sorted(glob.glob(os.path.join(HERE, "scenarios", "*.ron")))
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=200_000, help="trials of each run")
    ap.add_argument("--seed", type=int, default=1, help="engine seed (NumPy uses seed + 1)")
    ap.add_argument("--threads", type=int, default=2, help="engine threads")
    ap.add_argument("--no-build", action="store_true", help="do not run cargo build")
    ap.add_argument("--no-confirm", action="store_true",
                    help="a single 3-sigma failure is a disagreement (no re-check)")
    ap.add_argument("--exact", action="store_true",
                    help="also the trial-by-trial check through bench/xcheck (builds it)")
    ap.add_argument("--exact-trials", type=int, default=50_000)
    ap.add_argument("--brief", action="store_true",
                    help="print only the quantities beyond 3 se on the first run")
    ap.add_argument("scenarios", nargs="*",
                    help="scenario files (default: scenarios/, tests/fixtures/v1/, "
                         "bench/scenarios/)")
    args = ap.parse_args()

    start = time.perf_counter()
    if not args.no_build:
        if args.exact:
            build_engine_and_xcheck()
        else:
            build_engine()
    files = args.scenarios or default_files()

    simd = os.environ.get("NPY_DISABLE_CPU_FEATURES")
    print(f"Agreement: engine ({args.threads} threads) vs NumPy {np.__version__}"
          + (f" (SIMD loops off: {simd})" if simd else "")
          + f", {args.trials:,} trials each, |diff| <= {SIGMAS:g} combined se")
    compared = failed_once = failed = 0
    exact_failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for ron in files:
            t_file = time.perf_counter()
            name = os.path.splitext(os.path.basename(ron))[0]
            doc = export_json(ron, os.path.join(tmp, name + ".json"))
            eng, t_eng = run_engine(ron, args.trials, args.seed, args.threads)
            npy, res, t_np = run_numpy(doc, args.trials, args.seed + 1)
            rows = quantities(eng, npy, res)
            zs = [z_score(a, b) for _, a, b in rows]
            retry = [None] * len(rows)
            if any(z > SIGMAS for z in zs) and not args.no_confirm:
                # Fresh seeds for both: an independent second look at what failed.
                eng2, _ = run_engine(ron, args.trials, args.seed + 1000, args.threads)
                npy2, res2, _ = run_numpy(doc, args.trials, args.seed + 1001)
                rows2 = {label: (a, b) for label, a, b in quantities(eng2, npy2, res2)}
                retry = [None if z <= SIGMAS else
                         (z_score(*rows2[label]) if label in rows2 else math.inf)
                         for (label, _, _), z in zip(rows, zs)]
            rel = os.path.relpath(ron, ROOT)
            version = "v2" if "settlement" in eng else "v1"
            print_table(f"{rel} ({version}): engine {t_eng:.2f} s, NumPy {t_np:.2f} s",
                        rows, zs, retry, args.brief)
            for z, z2 in zip(zs, retry):
                compared += 1
                if z > SIGMAS:
                    failed_once += 1
                    if z2 is None or z2 > SIGMAS:
                        failed += 1
            if args.exact:
                exact_failed += not exact_check(ron, doc, args.exact_trials, args.seed, tmp)
            print(f"  ({time.perf_counter() - t_file:.1f} s for this scenario)")

    expected = compared * math.erfc(SIGMAS / math.sqrt(2.0))
    print(f"\n{len(files)} scenarios, {compared} comparisons; {failed_once} beyond {SIGMAS:g} se "
          f"on the first run (about {expected:.1f} expected by chance), {failed} confirmed"
          + (f"; exact check failed on {exact_failed} scenario(s)" if args.exact else "")
          + f"; {time.perf_counter() - start:.1f} s")
    print(f"agreement: {compared - failed} passed, {failed} failed")
    return 1 if failed or exact_failed else 0


if __name__ == "__main__":
    sys.exit(main())
