#!/usr/bin/python3
"""Drift statistics: GEIH (bench/tool_drift) vs SciPy's ks_2samp and a numpy PSI on the same data.

Generates N vs N seeded float64 samples with numpy (reference standard normal, current slightly
shifted and widened), writes them as raw float64 files, runs the tool on them (all threads, and
OMP_NUM_THREADS=1), times scipy.stats.ks_2samp (method='auto', which is the asymptotic p-value at
this size) and a numpy PSI with 10 reference-quantile bins (np.quantile + np.histogram + the
formula) best of 3 in this process, checks that the values agree (KS statistic to 1e-12, p-value
relative 1e-9, PSI to 1e-9), prints both and the ratios, and rewrites the
"## Drift statistics (5M vs 5M)" section of bench/RESULTS.md (other sections are left alone).

    /usr/bin/python3 bench/compare/drift_vs_scipy.py --tool build-bench/bench/tool_drift
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
from scipy.stats import ks_2samp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metrics_vs_sklearn import update_results  # noqa: E402

SECTION = "## Drift statistics (5M vs 5M)"


def best_of(repeats, function):
    best, value = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        value = function()
        best = min(best, time.perf_counter() - start)
    return best, value


def numpy_psi(reference, current, bins=10, epsilon=1e-4):
    """PSI as GEIH defines it: inner edges at reference quantiles i/bins (linear), duplicates
    collapsed, outer edges +-inf, empty bins floored at epsilon."""
    quantiles = np.quantile(reference, np.arange(bins + 1) / bins)
    edges = np.concatenate([[-np.inf], np.unique(quantiles[1:-1]), [np.inf]])
    ref_counts, _ = np.histogram(reference, edges)
    cur_counts, _ = np.histogram(current, edges)
    ref = ref_counts / len(reference)
    cur = cur_counts / len(current)
    ref[ref_counts == 0] = epsilon
    cur[cur_counts == 0] = epsilon
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", required=True, help="path to the built bench/tool_drift")
    parser.add_argument("--n", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    reference = rng.standard_normal(args.n)
    current = rng.standard_normal(args.n) * 1.001 + 0.001

    with tempfile.TemporaryDirectory() as folder:
        reference_path = os.path.join(folder, "reference.f64")
        current_path = os.path.join(folder, "current.f64")
        reference.tofile(reference_path)
        current.tofile(current_path)
        command = [args.tool, reference_path, current_path, str(args.repeats)]
        ours = json.loads(subprocess.run(command, check=True, capture_output=True,
                                         text=True).stdout)
        single = json.loads(subprocess.run(command, check=True, capture_output=True, text=True,
                                           env=dict(os.environ, OMP_NUM_THREADS="1")).stdout)

    ks_seconds, ks = best_of(args.repeats, lambda: ks_2samp(reference, current,
                                                            alternative="two-sided",
                                                            method="auto"))
    psi_seconds, psi = best_of(args.repeats, lambda: numpy_psi(reference, current))

    statistic_diff = abs(float(ks.statistic) - ours["ks_statistic"])
    pvalue_diff = abs(float(ks.pvalue) - ours["ks_pvalue"])
    psi_diff = abs(psi - ours["psi"])
    ok = (statistic_diff <= 1e-12 and pvalue_diff <= max(1e-12, 1e-9 * abs(float(ks.pvalue)))
          and psi_diff <= 1e-9)

    rows = [("KS two-sample (D, p)", f"{ks.statistic:.10f}, {ks.pvalue:.6g}", "SciPy ks_2samp",
             ks_seconds, ours["ks_seconds"], single["ks_seconds"],
             f"{statistic_diff:.1e} / {pvalue_diff:.1e}"),
            ("PSI, 10 bins", f"{psi:.10f}", "numpy", psi_seconds, ours["psi_seconds"],
             single["psi_seconds"], f"{psi_diff:.1e}")]
    print(f"n = {args.n:,} vs {args.n:,}, seed {args.seed}, best of {args.repeats}, "
          f"GEIH KS method {ours['ks_method']}")
    for name, value, who, theirs, mine, mine1, diff in rows:
        print(f"{name:22s} {who} {theirs:8.3f} s  geih {mine:8.3f} s (1 thread {mine1:.3f} s)  "
              f"speed-up x{theirs / mine:6.1f} (1 thread x{theirs / mine1:.1f})  "
              f"value {value}  |diff| {diff}")
    if not ok:
        print("VALUES DISAGREE", file=sys.stderr)

    section = [SECTION, "",
               f"{args.n:,} vs {args.n:,} float64 values (numpy seed {args.seed}: reference "
               f"standard normal, current N(0.001, 1.001^2)), best of {args.repeats}, one run on "
               f"the development machine ({os.cpu_count()} cores, {platform.machine()}). SciPy "
               f"{scipy.__version__} (`ks_2samp`, method='auto', asymptotic at this size), numpy "
               f"{np.__version__} (PSI: `np.quantile` + `np.histogram` + the formula). GEIH "
               f"radix-sorts both samples (OpenMP over chunks) and walks the merge once; the PSI "
               f"sorts the reference for its deciles and bins both samples in one parallel sweep "
               f"each. SciPy and numpy are single-threaded here, so the 1-thread column "
               f"(OMP_NUM_THREADS=1) is the like-for-like one.",
               "",
               "| statistic | value | baseline | baseline (s) | GEIH (s) | GEIH 1 thread (s) | "
               "speed-up | speed-up 1 thread | abs. difference |",
               "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for name, value, who, theirs, mine, mine1, diff in rows:
        section.append(f"| {name} | {value} | {who} | {theirs:.3f} | {mine:.3f} | {mine1:.3f} | "
                       f"{theirs / mine:.1f}x | {theirs / mine1:.1f}x | {diff} |")
    section += ["", "Targets (drift issue): KS at least 3x SciPy, PSI at least 2x numpy.", "",
                "Reproduce: `/usr/bin/python3 bench/compare/drift_vs_scipy.py "
                "--tool build-bench/bench/tool_drift`", ""]
    if not args.no_write:
        print("updated", update_results("\n".join(section), SECTION))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
