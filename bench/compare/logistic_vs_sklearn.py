#!/usr/bin/python3
"""Logistic regression fit: GEIH (bench/tool_logistic) vs scikit-learn on the same data.

Generates N x D seeded features on very different scales (0.01 .. 100) with labels from a known
logistic model, writes them as raw float64, runs the tool (standardisation + Newton/IRLS, C = 1),
and times in this process StandardScaler + LogisticRegression(C=1) with the default lbfgs solver
(tol 1e-4) and with newton-cholesky (tol 1e-8), best of R. Prints times, ratios and how far each
solution is from ours, and rewrites the "## Logistic regression" section of bench/RESULTS.md.

    /usr/bin/python3 bench/compare/logistic_vs_sklearn.py --tool build-bench/bench/tool_logistic
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metrics_vs_sklearn import update_results  # noqa: E402

SECTION = "## Logistic regression"


def fit_sklearn(x, y, **options):
    start = time.perf_counter()
    scaled = StandardScaler().fit_transform(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LogisticRegression(C=1.0, **options).fit(scaled, y)
    return time.perf_counter() - start, model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", required=True, help="path to the built bench/tool_logistic")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--d", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    scales = 10.0 ** (np.arange(args.d) % 5 - 2.0)
    x = rng.standard_normal((args.n, args.d)) * scales
    weights = np.where(np.arange(args.d) % 3 == 0, 0.5, -0.25) / scales
    y = (rng.random(args.n) < 1.0 / (1.0 + np.exp(-(x @ weights - 0.5)))).astype(np.float64)

    with tempfile.TemporaryDirectory() as folder:
        x_path, y_path = os.path.join(folder, "x.f64"), os.path.join(folder, "y.f64")
        x.tofile(x_path)
        y.tofile(y_path)
        command = [args.tool, x_path, y_path, str(args.d), str(args.repeats)]
        ours = json.loads(subprocess.run(command, check=True, capture_output=True,
                                         text=True).stdout)
        single = json.loads(subprocess.run(command, check=True, capture_output=True, text=True,
                                           env=dict(os.environ, OMP_NUM_THREADS="1")).stdout)
    our_params = np.append(ours["coefficients"], ours["intercept"])

    rows = []
    for label, options in [("lbfgs (default, tol 1e-4)", {}),
                           ("newton-cholesky (tol 1e-8)", {"solver": "newton-cholesky", "tol": 1e-8})]:
        best, model = float("inf"), None
        for _ in range(args.repeats):
            seconds, model = fit_sklearn(x, y, **options)
            best = min(best, seconds)
        params = np.append(model.coef_[0], model.intercept_[0])
        rows.append((label, best, int(model.n_iter_[0]), float(np.abs(params - our_params).max())))

    print(f"n = {args.n:,} x {args.d}, seed {args.seed}, best of {args.repeats}")
    print(f"geih Newton: {ours['seconds']:.3f} s (1 thread {single['seconds']:.3f} s), "
          f"{ours['iterations']} iterations")
    for label, seconds, iterations, diff in rows:
        print(f"sklearn {label:28s} {seconds:7.3f} s  {iterations:4d} iterations  "
              f"speed-up x{seconds / ours['seconds']:.1f}  max |param diff| {diff:.1e}")

    section = [SECTION, "",
               f"{args.n:,} rows x {args.d} features (numpy seed {args.seed}; feature scales "
               f"0.01 .. 100, labels from a known logistic model), C = 1, best of {args.repeats}, "
               f"one run on the development machine ({os.cpu_count()} cores, {platform.machine()}). "
               f"Both sides include standardisation (StandardScaler; GEIH's FeaturePipeline). "
               f"scikit-learn {sklearn.__version__}. GEIH: Newton/IRLS, tol 1e-8 on the gradient, "
               f"{ours['iterations']} iterations, row blocks on 2 threads (1-thread column: "
               f"OMP_NUM_THREADS=1); scikit-learn runs through numpy/BLAS with default threading.",
               "",
               "| scikit-learn solver | scikit-learn (s) | iterations | GEIH (s) | GEIH 1 thread (s) "
               "| speed-up | speed-up 1 thread | max abs. difference of coefficients |",
               "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, seconds, iterations, diff in rows:
        section.append(f"| {label} | {seconds:.3f} | {iterations} | {ours['seconds']:.3f} | "
                       f"{single['seconds']:.3f} | {seconds / ours['seconds']:.1f}x | "
                       f"{seconds / single['seconds']:.1f}x | {diff:.1e} |")
    section += ["", "Reproduce: `/usr/bin/python3 bench/compare/logistic_vs_sklearn.py "
                    "--tool build-bench/bench/tool_logistic`", ""]
    if not args.no_write:
        results = update_results("\n".join(section), SECTION)
        print("updated", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
