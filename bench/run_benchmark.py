#!/usr/bin/env python3
"""Benchmark driver: the Rust engine against the NumPy re-implementation.

Run it through ``bash bench/run_benchmark.sh`` (which creates bench/.venv and builds the
headless binary and the example bench_first_pass into target/bench first; the app's release
binary target/release/armistice is never rebuilt). On the baseline scenario at 1,000,000
trials it runs, round-robin and several times each (one unmeasured warm-up, then
``--repeats`` measured runs, medians reported):

* the engine on 1 thread and on 2 threads: ``armistice run FILE --trials N --seed S
  --threads T --format json`` with the output sent to /dev/null;
* the engine's draws-only mode on 2 threads (``--draws-only``: every random draw a run makes,
  no model work): the floor of the engine's cost;
* the NumPy version: ``bench/.venv/bin/python bench/armistice_numpy.py FILE.json --trials N
  --seed S`` with the output sent to /dev/null.

Each figure is the whole process as a user runs it (start-up, scenario loading, simulation,
summary and output), timed by wall clock; peak RSS and CPU time come from /usr/bin/time
(``-f "%M %U %S"``) when it exists, else from ``os.wait4``'s resource usage of that child.
The two in-process figures each program reports (the NumPy run's simulate time, the
draws-only run's own seconds) are shown too. Figures only: nothing is asserted.

Then the ratios against the baselines measured in the same run, with their targets (shown,
never asserted): the engine on 2 threads against the NumPy version (target: at least 10x),
2 threads against 1 thread (at least 1.8x); and the Rust example bench_first_pass, the first
pass of 20,000 trials after a slider move (target: a median of at most 10 ms). ``--frame``
adds the example bench_frame (a frame of the app with a 1,000,000-trial result), which needs
a build with the GUI feature (into target/bench as well).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
#: The headless build of bench/run_benchmark.sh, in its own target directory.
BENCH_TARGET = os.path.join(ROOT, "target", "bench")
BINARY = os.path.join(BENCH_TARGET, "release", "armistice")
VENV_PYTHON = os.path.join(HERE, ".venv", "bin", "python")
NUMPY_SCRIPT = os.path.join(HERE, "armistice_numpy.py")
GNU_TIME = "/usr/bin/time"


@dataclass
class Sample:
    wall: float
    rss_kb: int
    cpu: float
    inner: float | None = None  # the program's own timing, if it prints one


@dataclass
class Case:
    label: str
    cmd: list[str]
    capture: str | None = None  # "stdout" or "stderr": where the program's own timing is
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None

    def median(self, attr: str) -> float | None:
        xs = [getattr(s, attr) for s in self.samples if getattr(s, attr) is not None]
        return statistics.median(xs) if xs else None


# --------------------------------------------------------------------------------------------
# Measuring one process
# --------------------------------------------------------------------------------------------


def measure(case: Case) -> Sample:
    """Runs the command once: wall time around the process, peak RSS and CPU of the child."""
    stdout = subprocess.PIPE if case.capture == "stdout" else subprocess.DEVNULL
    stderr = subprocess.PIPE if case.capture == "stderr" else subprocess.DEVNULL
    if os.access(GNU_TIME, os.X_OK):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
            cmd = [GNU_TIME, "-f", "%M %U %S", "-o", tf.name, *case.cmd]
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, stdout=stdout, stderr=stderr, cwd=ROOT)
            wall = time.perf_counter() - t0
            returncode, out = proc.returncode, (proc.stdout, proc.stderr)
            if returncode == 0:
                rss, user, system = tf.read().split()[-3:]
                rss_kb, cpu = int(rss), float(user) + float(system)
    else:
        # No /usr/bin/time: os.wait4 gives this child's own resource usage. The programs
        # print one short line at most, so waiting before reading the pipe cannot block.
        t0 = time.perf_counter()
        proc = subprocess.Popen(case.cmd, stdout=stdout, stderr=stderr, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = returncode = os.waitstatus_to_exitcode(status)
        out = (proc.stdout.read() if proc.stdout else None,
               proc.stderr.read() if proc.stderr else None)
        rss_kb, cpu = int(usage.ru_maxrss), usage.ru_utime + usage.ru_stime
    if returncode != 0:
        raise RuntimeError(f"{' '.join(case.cmd)} exited with {returncode}")
    text = out[0] if case.capture == "stdout" else out[1] if case.capture == "stderr" else None
    inner = _inner_seconds(text.decode()) if text else None
    return Sample(wall=wall, rss_kb=rss_kb, cpu=cpu, inner=inner)


def _inner_seconds(text: str) -> float | None:
    """The program's own timing: draws-only prints {"seconds": ..} on stdout, the NumPy CLI
    with --timing prints {"simulate_s": .., "summarize_s": ..} on stderr."""
    for line in reversed(text.strip().splitlines()):
        try:
            d = json.loads(line)
        except ValueError:
            continue
        if "seconds" in d:
            return float(d["seconds"])
        if "simulate_s" in d:
            return float(d["simulate_s"]) + float(d["summarize_s"])
    return None


# --------------------------------------------------------------------------------------------
# The figures of the Rust benchmark examples
# --------------------------------------------------------------------------------------------


def first_pass() -> float | None:
    """Runs target/bench/release/examples/bench_first_pass (built by run_benchmark.sh) and
    prints what it prints; returns its median in ms."""
    exe = os.path.join(BENCH_TARGET, "release", "examples", "bench_first_pass")
    print("\nfirst pass after a slider move (examples/bench_first_pass.rs):")
    if not os.access(exe, os.X_OK):
        print(f"  not available: {os.path.relpath(exe, ROOT)} is not built "
              f"(bash bench/run_benchmark.sh builds it)")
        return None
    proc = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    for line in proc.stdout.rstrip().splitlines():
        print(f"  {line}")
    if proc.returncode != 0:
        print(f"  failed (exit {proc.returncode}): {proc.stderr.strip()[-400:]}")
        return None
    m = re.search(r"median ([0-9.]+) ms", proc.stdout)
    return float(m.group(1)) if m else None


def frame() -> None:
    """Builds (with the GUI feature, into target/bench) and runs examples/bench_frame.rs."""
    print("\nframe with a 1,000,000-trial result (examples/bench_frame.rs):")
    build = subprocess.run(["cargo", "build", "--locked", "--release", "--quiet",
                            "--features", "bench", "--target-dir", BENCH_TARGET,
                            "--example", "bench_frame"],
                           cwd=ROOT, capture_output=True, text=True)
    exe = os.path.join(BENCH_TARGET, "release", "examples", "bench_frame")
    if build.returncode != 0 or not os.access(exe, os.X_OK):
        print(f"  not available: the build failed: {build.stderr.strip()[-400:]}")
        return
    proc = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    for line in proc.stdout.rstrip().splitlines():
        print(f"  {line}")
    if proc.returncode != 0:
        print(f"  failed (exit {proc.returncode}): {proc.stderr.strip()[-400:]}")


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _numpy_version() -> str:
    try:
        return subprocess.run([VENV_PYTHON, "-c", "import numpy; print(numpy.__version__)"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _version(cmd: list[str]) -> str:
    """The first line a `--version` prints."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "unknown"
    return out.splitlines()[0] if out else "unknown"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", default=os.path.join("scenarios", "baseline-2024.ron"))
    ap.add_argument("--trials", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20241120)
    ap.add_argument("--repeats", type=int, default=5, help="measured runs of each case")
    ap.add_argument("--frame", action="store_true",
                    help="also the frame benchmark (builds the app with its GUI into "
                         "target/bench)")
    args = ap.parse_args()

    ron = os.path.join(ROOT, args.scenario) if not os.path.isabs(args.scenario) else args.scenario
    n, seed = args.trials, args.seed
    started = time.perf_counter()
    tmp = tempfile.mkdtemp(prefix="armistice-bench-")
    try:
        scenario_json = os.path.join(tmp, "scenario.json")
        with open(scenario_json, "w", encoding="utf-8") as f:
            f.write(subprocess.run([BINARY, "export", ron, "-f", "json"], check=True,
                                   capture_output=True, text=True).stdout)
        run = [BINARY, "run", ron, "--trials", str(n), "--seed", str(seed)]
        cases = [
            Case("engine, 1 thread", run + ["--threads", "1", "--format", "json"]),
            Case("engine, 2 threads", run + ["--threads", "2", "--format", "json"]),
            Case("engine draws-only, 2 threads", run + ["--threads", "2", "--draws-only"],
                 capture="stdout"),
            Case("NumPy", [VENV_PYTHON, NUMPY_SCRIPT, scenario_json, "--trials", str(n),
                           "--seed", str(seed), "--timing"], capture="stderr"),
        ]

        print("Armistice benchmark: Rust engine vs NumPy re-implementation")
        print(f"  scenario  {os.path.relpath(ron, ROOT)}, {n:,} trials, seed {seed}")
        print(f"  machine   {_cpu_model()}, {os.cpu_count()} logical CPUs, "
              f"load average {os.getloadavg()[0]:.2f} at start")
        print(f"  software  {_version([BINARY, '--version'])}; "
              f"{_version(['rustc', '--version'])}; Python {platform.python_version()}, "
              f"NumPy {_numpy_version()}")
        print(f"  method    1 warm-up + {args.repeats} measured runs per case, round-robin; "
              f"medians; whole process (start-up, load, simulate, summarise, output); "
              f"RSS/CPU via {'/usr/bin/time' if os.access(GNU_TIME, os.X_OK) else 'os.wait4'}")

        # Warm-up (file cache, lazy loading), then round-robin rounds so that a change of
        # load on a shared machine touches every case alike.
        for case in cases:
            try:
                measure(case)
            except (OSError, RuntimeError) as e:
                case.error = str(e)
        for _ in range(args.repeats):
            for case in cases:
                if case.error is None:
                    case.samples.append(measure(case))

        print(f"\n  {'case':<30} {'wall s':>8} {'min s':>8} {'trials/s':>12} {'CPU s':>7} "
              f"{'peak RSS':>10} {'own s':>7}")
        for c in cases:
            if c.error:
                print(f"  {c.label:<30} not available: {c.error}")
                continue
            wall = c.median("wall")
            inner = c.median("inner")
            print(f"  {c.label:<30} {wall:>8.3f} {min(s.wall for s in c.samples):>8.3f} "
                  f"{n / wall:>12,.0f} {c.median('cpu'):>7.2f} "
                  f"{c.median('rss_kb') / 1024:>7.1f} MB "
                  f"{(f'{inner:.3f}' if inner is not None else '-'):>7}")
        print("  (own s: the program's own timing: draws-only's `seconds`; NumPy's simulate +"
              " summarize time, without interpreter start-up and import)")

        by = {c.label: c for c in cases if not c.error and c.samples}
        e1, e2 = by.get("engine, 1 thread"), by.get("engine, 2 threads")
        d2, npy = by.get("engine draws-only, 2 threads"), by.get("NumPy")
        # Ratios of median wall times (as asked), and of the fastest runs, which other work
        # on a shared machine disturbs least.
        def fastest(c: Case) -> float:
            return min(s.wall for s in c.samples)

        def ratio_line(label: str, num: Case | None, den: Case | None, target: str,
                       goal: float | None, cpu: bool = True) -> None:
            if not (num and den):
                return
            med = num.median("wall") / den.median("wall")
            best = fastest(num) / fastest(den)
            cpu_ratio = num.median("cpu") / den.median("cpu") if cpu else None
            verdict = "" if goal is None else (" met" if med >= goal else " missed")
            cpu_text = f"{cpu_ratio:8.2f}x" if cpu_ratio is not None else f"{'-':>9}"
            print(f"    {label:<44} {med:6.2f}x {best:8.2f}x {cpu_text}  {target}{verdict}")

        print(f"\n  ratios (against the baselines of this run){'':<6} median  fastest  "
              f"CPU time  target")
        ratio_line("engine 2 threads / NumPy (throughput)", npy, e2, "at least 10x", 10.0)
        ratio_line("engine 1 thread / NumPy (throughput)", npy, e1, "", None)
        ratio_line("engine 2 threads / 1 thread (throughput)", e1, e2, "at least 1.8x", 1.8,
                   cpu=False)
        ratio_line("engine time / draws-only time (2 threads)", e2, d2, "", None)
        print("  (CPU time: the ratio of the CPU seconds each used, which other work on a "
              "shared machine disturbs less than wall time)")
        load_end = os.getloadavg()[0]
        print(f"\n  load average {load_end:.2f} at the end of the timed runs; "
              f"{time.perf_counter() - started:.0f} s so far")

        median_ms = first_pass()
        if median_ms is not None:
            verdict = "met" if median_ms <= 10.0 else "missed"
            print(f"  target: a median of at most 10 ms: {verdict} ({median_ms:.2f} ms; load "
                  f"average {os.getloadavg()[0]:.2f})")
        if args.frame:
            frame()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
