#!/usr/bin/env python3
"""Agreement check: the Rust engine and bench/armistice_numpy.py on every scenario.

For each scenario in scenarios/ (and the stress scenarios in bench/scenarios/, which exercise
Rubinstein, Shares, `other` attributes and the other features the shipped files do not use),
it exports the scenario to JSON with the release binary, runs the engine
(`armistice run FILE --trials N --seed S --format json`) and the NumPy version with the same
number of trials, and checks that every headline number agrees within 3 combined standard
errors: |m1 - m2| <= 3 sqrt(se1^2 + se2^2) for P(deal), P(each package), P(empty range), the
share of failed deals blocked by each constraint, and the mean of each outcome.

The random streams differ, so agreement is in distribution. With about 150 comparisons a
3-sigma rule fails by chance about a quarter of the time (0.27 % per comparison), so a
quantity that fails is re-checked on a fresh pair of runs with new seeds, and counts as a
disagreement only if it fails again (use --no-confirm for the bare rule).

--exact adds a trial-by-trial check that needs no statistics: a small Rust program
(bench/xcheck) dumps the engine's own drawn inputs and war.rs ``evaluate``'s outcome for each
trial, and the NumPy model is run on exactly those inputs; every outcome must match to
rounding (relative 1e-9) and the package and blocking codes exactly.

Usage (from the repository root; runs itself under bench/.venv if numpy is missing):

    python3 bench/agreement.py [--trials 200000] [--seed 1] [--exact] [--no-build]

Prints a table per scenario and exits non-zero on a (confirmed) disagreement.
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
BINARY = os.path.join(ROOT, "target", "release", "armistice")

try:
    import numpy as np
except ImportError:  # re-run under the benchmark's virtual environment
    if os.path.exists(VENV_PYTHON) and os.path.realpath(sys.prefix) != os.path.realpath(
            os.path.join(HERE, ".venv")):
        os.execv(VENV_PYTHON, [VENV_PYTHON, os.path.abspath(__file__), *sys.argv[1:]])
    sys.exit("numpy is missing: run bench/run_benchmark.sh once, or "
             "python3 -m venv bench/.venv && bench/.venv/bin/pip install -r "
             "bench/requirements.txt")

sys.path.insert(0, HERE)
import armistice_numpy as anp  # noqa: E402

SIGMAS = 3.0


# --------------------------------------------------------------------------------------------
# Running the two implementations
# --------------------------------------------------------------------------------------------


def build_engine() -> None:
    """The release binary, without the GUI feature (the core and CLI only)."""
    subprocess.run(["cargo", "build", "--release", "--no-default-features", "--quiet"],
                   cwd=ROOT, check=True)


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


def run_numpy(doc: dict, trials: int, seed: int) -> tuple[dict, float]:
    t0 = time.perf_counter()
    summary = anp.summarize(anp.simulate(anp.load_scenario(doc), trials, seed))
    return summary, time.perf_counter() - t0


# --------------------------------------------------------------------------------------------
# Comparing summaries
# --------------------------------------------------------------------------------------------


def quantities(engine: dict, numpy_: dict) -> list[tuple[str, tuple[float, float],
                                                        tuple[float, float]]]:
    """(label, (engine value, se), (numpy value, se)) for every compared headline number."""
    rows = [("P(deal)", (engine["p_deal"]["p"], engine["p_deal"]["se"]),
             (numpy_["p_deal"]["p"], numpy_["p_deal"]["se"]))]
    for e, n in zip(engine["packages"], numpy_["packages"], strict=True):
        assert e["name"] == n["name"], (e["name"], n["name"])
        rows.append((f"P({e['name']})", (e["p"], e["se"]), (n["p"], n["se"])))
    rows.append(("P(range empty)", (engine["p_range_empty"]["p"], engine["p_range_empty"]["se"]),
                 (numpy_["p_range_empty"]["p"], numpy_["p_range_empty"]["se"])))
    for cid in anp.CONSTRAINT_IDS:
        e, n = engine["blocked_given_no_deal"][cid], numpy_["blocked_given_no_deal"][cid]
        rows.append((f"blocked by {cid} | no deal", (e["p"], e["se"]), (n["p"], n["se"])))
    for name in anp.OUTCOMES:
        e, n = engine["outcomes"][name], numpy_["outcomes"][name]
        rows.append((f"mean {name}", (e["mean"], e["se"]), (n["mean"], n["se"])))
    return rows


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


def print_table(title: str, rows, zs, retry_zs) -> None:
    print(f"\n{title}")
    print(f"  {'quantity':<44} {'engine':>14} {'numpy':>14} {'diff':>11} {'3 se':>10} "
          f"{'|z|':>6}  verdict")
    for (label, a, b), z, z2 in zip(rows, zs, retry_zs):
        if z <= SIGMAS:
            verdict = "ok"
        elif z2 is None:
            verdict = "DISAGREE"
        elif z2 <= SIGMAS:
            verdict = f"ok on re-check (|z|={z2:.2f})"
        else:
            verdict = f"DISAGREE (re-check |z|={z2:.2f})"
        print(f"  {label[:44]:<44} {fmt(a[0]):>14} {fmt(b[0]):>14} {a[0] - b[0]:>11.3g} "
              f"{SIGMAS * math.hypot(a[1], b[1]):>10.3g} {z:>6.2f}  {verdict}")


# --------------------------------------------------------------------------------------------
# The exact, trial-by-trial check (bench/xcheck)
# --------------------------------------------------------------------------------------------

XCHECK_DIR = os.path.join(HERE, "xcheck")
XCHECK_TARGET = os.path.join(ROOT, "target", "bench-xcheck")
XCHECK_BIN = os.path.join(XCHECK_TARGET, "release", "armistice-xcheck")
EXACT_FIELDS = ("leverage_a", "d_a", "d_b", "p_a", "held_by_b_km2", "casualties_a",
                "casualties_b", "package", "blocked", "range_empty")


def build_xcheck() -> None:
    lock = os.path.join(XCHECK_DIR, "Cargo.lock")
    if not os.path.exists(lock):  # pin the same dependency versions as the main build
        shutil.copyfile(os.path.join(ROOT, "Cargo.lock"), lock)
    env = dict(os.environ, CARGO_TARGET_DIR=XCHECK_TARGET)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--manifest-path",
                    os.path.join(XCHECK_DIR, "Cargo.toml")], check=True, env=env)


class _ReplayNoise:
    """Stands in for the generator inside ``_evaluate_chunk``: returns the dumped monthly
    noise, one month per call."""

    def __init__(self, noise: np.ndarray):
        self.noise, self.t = noise, 0

    def standard_normal(self, n: int) -> np.ndarray:
        z = self.noise[:, self.t]
        self.t += 1
        return z


def exact_check(ron: str, doc: dict, trials: int, seed: int, tmp: str) -> bool:
    """Runs war.rs ``evaluate`` (via bench/xcheck) and the NumPy model on the same inputs."""
    out = os.path.join(tmp, "xcheck.bin")
    subprocess.run([XCHECK_BIN, ron, str(trials), str(seed), out], check=True)
    with open(out + ".paths", encoding="utf-8") as f:
        lines = f.read().splitlines()
    meta = dict(kv.split("=") for kv in lines[-1].lstrip("#").split())
    paths = lines[:-1]
    sc = anp.load_scenario(doc)
    mine = [p for p, _, _ in sc.inputs]
    ok = True
    if mine != paths:
        print(f"  slot layout differs: first difference "
              f"{next((a, b) for a, b in zip(mine + [''], paths + ['']) if a != b)}")
        return False
    n_values, horizon, n_aid = int(meta["n_values"]), int(meta["horizon"]), int(meta["n_aid"])
    data = np.fromfile(out, dtype="<f8").reshape(trials, n_values + n_aid + horizon + 10)
    v = [data[:, i].copy() for i in range(n_values)]
    cont = [data[:, n_values + s] > 0.5 for s in range(n_aid)]
    noise = data[:, n_values + n_aid:n_values + n_aid + horizon]
    ref = data[:, n_values + n_aid + horizon:]
    sc.noise_on = True  # replay the dumped noise; sigma scales it as in war.rs
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        res = anp._evaluate_chunk(sc, v, cont, trials, _ReplayNoise(noise))
    parts = []
    for j, name in enumerate(EXACT_FIELDS):
        a, b = res[name].astype(np.float64), ref[:, j]
        if name in ("package", "blocked", "range_empty"):
            bad = int(np.count_nonzero(a != b))
            parts.append(f"{name} {bad} differ")
            ok &= bad == 0
        else:
            rel = float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1.0)))
            parts.append(f"{name} {rel:.1e}")
            ok &= rel <= 1e-9
    print(f"  exact, {trials:,} trials of the engine's own inputs: "
          f"{'MATCH' if ok else 'DIFFER'}; max |diff|/max(|x|,1): " + ", ".join(parts))
    return ok


# --------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=200_000, help="trials of each run")
    ap.add_argument("--seed", type=int, default=1, help="engine seed (NumPy uses seed + 1)")
    ap.add_argument("--threads", type=int, default=2, help="engine threads")
    ap.add_argument("--no-build", action="store_true", help="do not run cargo build")
    ap.add_argument("--no-extra", action="store_true",
                    help="only scenarios/, not the stress scenarios of bench/scenarios/")
    ap.add_argument("--no-confirm", action="store_true",
                    help="a single 3-sigma failure is a disagreement (no re-check)")
    ap.add_argument("--exact", action="store_true",
                    help="also the trial-by-trial check through bench/xcheck (builds it)")
    ap.add_argument("--exact-trials", type=int, default=100_000)
    ap.add_argument("scenarios", nargs="*", help="scenario files (default: all)")
    args = ap.parse_args()

    start = time.perf_counter()
    if not args.no_build:
        build_engine()
        if args.exact:
            build_xcheck()
    files = args.scenarios or sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.ron")))
    if not args.scenarios and not args.no_extra:
        files += sorted(glob.glob(os.path.join(HERE, "scenarios", "*.ron")))

    print(f"Agreement: engine ({args.threads} threads) vs NumPy {np.__version__}, "
          f"{args.trials:,} trials each, |diff| <= {SIGMAS:g} combined se")
    compared = failed_once = failed = 0
    exact_failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for ron in files:
            name = os.path.splitext(os.path.basename(ron))[0]
            doc = export_json(ron, os.path.join(tmp, name + ".json"))
            eng, t_eng = run_engine(ron, args.trials, args.seed, args.threads)
            npy, t_np = run_numpy(doc, args.trials, args.seed + 1)
            rows = quantities(eng, npy)
            zs = [z_score(a, b) for _, a, b in rows]
            retry = [None] * len(rows)
            if any(z > SIGMAS for z in zs) and not args.no_confirm:
                # Fresh seeds for both: an independent second look at what failed.
                eng2, _ = run_engine(ron, args.trials, args.seed + 1000, args.threads)
                npy2, _ = run_numpy(doc, args.trials, args.seed + 1001)
                rows2 = quantities(eng2, npy2)
                retry = [z_score(a, b) if z > SIGMAS else None
                         for (_, a, b), z in zip(rows2, zs)]
            rel = os.path.relpath(ron, ROOT)
            print_table(f"{rel}: engine {t_eng:.2f} s, NumPy {t_np:.2f} s", rows, zs, retry)
            for z, z2 in zip(zs, retry):
                compared += 1
                if z > SIGMAS:
                    failed_once += 1
                    if z2 is None or z2 > SIGMAS:
                        failed += 1
            if args.exact:
                exact_failed += not exact_check(ron, doc, args.exact_trials, args.seed, tmp)

    expected = compared * math.erfc(SIGMAS / math.sqrt(2.0))
    print(f"\n{compared} comparisons; {failed_once} beyond {SIGMAS:g} se on the first run "
          f"(about {expected:.2f} expected by chance), {failed} confirmed"
          + (f"; exact check failed on {exact_failed} scenario(s)" if args.exact else "")
          + f"; {time.perf_counter() - start:.1f} s")
    print(f"agreement: {compared - failed} passed, {failed} failed")
    return 1 if failed or exact_failed else 0


if __name__ == "__main__":
    sys.exit(main())
