#!/usr/bin/python3
"""A full drift report: GEIH (bench/tool_drift_report) vs the same tests run through SciPy/numpy
in one Python loop, on C numeric columns x N rows per side (default 50 x 1,000,000).

With more than 1000 reference values and many distinct values, the default test of every column
is the Wasserstein distance normalised by the reference std (threshold 0.1), as in Evidently; the
Python side runs exactly that per column (scipy.stats.wasserstein_distance(ref, cur) /
max(np.std(ref), 0.001)) plus what the report also computes for each column: a 20-bin histogram
of both sides on shared edges (np.histogram), the missing shares and the share of current values
outside the reference range. Both read the same seeded float64 columns (numpy .tofile); the
script checks that the statistics agree to 1e-9 relative, prints both times and the ratio, and
rewrites the "## Drift report (50 columns x 1M rows)" section of bench/RESULTS.md.

    /usr/bin/python3 bench/compare/drift_report_vs_scipy.py --tool build-bench/bench/tool_drift_report
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy
from scipy.stats import wasserstein_distance

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metrics_vs_sklearn import update_results  # noqa: E402

SECTION = "## Drift report (50 columns x 1M rows)"


def python_report(ref, cur):
    out = []
    for r, c in zip(ref, cur):
        r = r[~np.isnan(r)]
        c = c[~np.isnan(c)]
        stat = wasserstein_distance(r, c) / max(np.std(r), 0.001)
        edges = np.histogram_bin_edges(np.concatenate([r, c]), bins=20)
        np.histogram(r, edges)
        np.histogram(c, edges)
        lo, hi = r.min(), r.max()
        np.mean((c < lo) | (c > hi))
        out.append((stat, stat >= 0.1))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", default="build-bench/bench/tool_drift_report")
    parser.add_argument("--columns", type=int, default=50)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()

    rng = np.random.default_rng(2026)
    ref = rng.normal(0.0, 1.0, size=(args.columns, args.rows))
    # Every fifth column shifts by a quarter std; the others keep their law.
    shift = np.array([0.25 if k % 5 == 0 else 0.0 for k in range(args.columns)])[:, None]
    cur = rng.normal(0.0, 1.0, size=(args.columns, args.rows)) + shift
    with tempfile.TemporaryDirectory() as folder:
        ref_path = os.path.join(folder, "ref.f64")
        cur_path = os.path.join(folder, "cur.f64")
        ref.tofile(ref_path)
        cur.tofile(cur_path)
        tool = json.loads(subprocess.check_output(
            [args.tool, ref_path, cur_path, str(args.columns), str(args.repeats)]))
        env = dict(os.environ, OMP_NUM_THREADS="1")
        tool1 = json.loads(subprocess.check_output(
            [args.tool, ref_path, cur_path, str(args.columns), str(args.repeats)], env=env))

    best = 1e300
    for _ in range(args.repeats):
        start = time.perf_counter()
        python = python_report(ref, cur)
        best = min(best, time.perf_counter() - start)

    worst = 0.0
    for (stat, drifted), column in zip(python, tool["columns"]):
        assert column["test"] == "wasserstein", column
        worst = max(worst, abs(column["statistic"] - stat) / max(abs(stat), 1e-300))
        assert column["drifted"] == drifted, (column, stat)
    assert worst < 1e-9, worst
    ratio = best / tool["seconds"]
    ratio1 = best / tool1["seconds"]
    print(f"SciPy/numpy loop {best:.2f} s, GEIH {tool['seconds']:.2f} s ({ratio:.1f}x), "
          f"1 thread {tool1['seconds']:.2f} s ({ratio1:.1f}x); max rel. difference {worst:.1e}")

    text = (
        f"{SECTION}\n\n"
        f"{args.columns} float64 columns x {args.rows:,} rows per side (numpy seed 2026; every fifth column "
        f"shifted by 0.25 std), best of {args.repeats}, one run on {time.strftime('%Y-%m-%d')} on the development "
        f"machine ({os.cpu_count()} cores, {platform.machine()}). SciPy {scipy.__version__}, numpy "
        f"{np.__version__}. Both sides run the report's default test for these columns (the Wasserstein "
        f"distance over the reference std, as Evidently picks for more than 1000 reference values), a 20-bin "
        f"histogram of both sides on shared edges, the missing shares and the out-of-range share; GEIH also "
        f"builds each column's value counts check and data-quality block. Columns run in parallel (OpenMP).\n\n"
        f"| | SciPy/numpy loop (s) | GEIH (s) | GEIH 1 thread (s) | speed-up | speed-up 1 thread | max rel. difference |\n"
        f"|---|---:|---:|---:|---:|---:|---:|\n"
        f"| drift report | {best:.2f} | {tool['seconds']:.2f} | {tool1['seconds']:.2f} | {ratio:.1f}x | "
        f"{ratio1:.1f}x | {worst:.1e} |\n\n"
        f"Reproduce: `/usr/bin/python3 bench/compare/drift_report_vs_scipy.py --tool build-bench/bench/tool_drift_report`\n"
    )
    update_results(text, SECTION)


if __name__ == "__main__":
    main()
