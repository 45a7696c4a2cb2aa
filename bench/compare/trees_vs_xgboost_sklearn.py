#!/usr/bin/python3
"""Tree learners: GEIH (bench/tool_trees) vs XGBoost hist and scikit-learn on the same data.

A fire-risk-like generator: N x 20 standard-normal features, of which 9 drive a non-linear risk
(interactions, a sine, a hinge, an absolute value, a threshold) and 11 are noise; labels are drawn
from the true probabilities (about 15% positives), so the Bayes AUC of the data is known. The
first 80% of rows train, the last 20% test. Each learner runs in its own process (peak RSS is the
process's), on 2 threads, --repeat times in turn with its peer (the fastest fit of each counts):
  GBDT    XGBoost 1.7 hist (100 trees, lr 0.1, lossguide 31 leaves, lambda 1, min_child_weight 1,
          256 bins) vs GEIH gbdt with the same settings (min_child_samples 1);
  forest  scikit-learn RandomForestClassifier (100 trees, max_features sqrt, n_jobs 2) vs GEIH
          forest, on the first --forest-rows rows of the training part.
Prints times, AUCs, ratios and peak memory; rewrites the "## Tree learners" section of
bench/RESULTS.md.

    /usr/bin/python3 bench/compare/trees_vs_xgboost_sklearn.py --tool build-bench/bench/tool_trees
"""
import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metrics_vs_sklearn import update_results  # noqa: E402

SECTION = "## Tree learners"
THREADS = 2


def generate(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 20))
    logit = (-2.35 + 0.9 * x[:, 0] - 0.7 * x[:, 1] + 0.5 * x[:, 2] * x[:, 3]
             + 0.6 * np.sin(2 * x[:, 4]) + 0.4 * np.maximum(x[:, 5], 0) ** 2
             - 0.5 * np.abs(x[:, 6]) + 0.3 * x[:, 7] * x[:, 0] + 0.5 * (x[:, 8] > 1))
    probability = 1 / (1 + np.exp(-logit))
    y = (rng.random(n) < probability).astype(np.float64)
    return x, y, probability


def auc(labels, scores):
    from sklearn.metrics import roc_auc_score
    return float(roc_auc_score(labels, scores))


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker(args):
    """Runs one peer in this process and prints JSON (so its peak RSS is its own)."""
    y = np.fromfile(args.y)
    x = np.fromfile(args.x).reshape(len(y), -1)
    train = args.train
    rows = args.rows or train
    xt, yt, xs, ys = x[:rows], y[:rows], x[train:], y[train:]
    if args.worker == "xgboost":
        import xgboost
        start = time.perf_counter()
        dtrain = xgboost.DMatrix(xt, label=yt, nthread=THREADS)
        booster = xgboost.train({"objective": "binary:logistic", "tree_method": "hist",
                                 "eta": 0.1, "grow_policy": "lossguide", "max_leaves": 31,
                                 "max_depth": 0, "lambda": 1.0, "min_child_weight": 1.0,
                                 "max_bin": 256, "nthread": THREADS}, dtrain, num_boost_round=100)
        fit = time.perf_counter() - start
        start = time.perf_counter()
        scores = booster.predict(xgboost.DMatrix(xs, nthread=THREADS))
        predict = time.perf_counter() - start
        version = xgboost.__version__
    else:
        import sklearn
        from sklearn.ensemble import RandomForestClassifier
        start = time.perf_counter()
        model = RandomForestClassifier(n_estimators=100, max_features="sqrt", n_jobs=THREADS,
                                       random_state=0).fit(xt, yt)
        fit = time.perf_counter() - start
        start = time.perf_counter()
        scores = model.predict_proba(xs)[:, 1]
        predict = time.perf_counter() - start
        version = sklearn.__version__
    print(json.dumps({"fit_seconds": fit, "predict_seconds": predict,
                      "test_roc_auc": auc(ys, scores), "peak_rss_mb": peak_rss_mb(),
                      "version": version}))


def run(command, env=None):
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True,
                                     env=env).stdout)


def best_of_alternating(repeat, commands, env):
    """Runs the commands in turn `repeat` times (so a slow spell of a shared machine hits every
    side alike) and keeps each command's run with the shortest fit."""
    best = [None] * len(commands)
    for _ in range(repeat):
        for i, command in enumerate(commands):
            result = run(command, env)
            if best[i] is None or result["fit_seconds"] < best[i]["fit_seconds"]:
                best[i] = result
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", help="path to the built bench/tool_trees")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--forest-rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--only", choices=["gbdt", "forest"], default=None)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per learner, alternating with its peer; the fastest counts")
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    parser.add_argument("--worker", choices=["xgboost", "sklearn-forest"], help=argparse.SUPPRESS)
    parser.add_argument("--x", help=argparse.SUPPRESS)
    parser.add_argument("--y", help=argparse.SUPPRESS)
    parser.add_argument("--train", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return 0
    if not args.tool:
        parser.error("--tool is required")

    x, y, probability = generate(args.n, args.seed)
    train = int(args.n * 0.8)
    bayes = auc(y[train:], probability[train:])
    env = dict(os.environ, OMP_NUM_THREADS=str(THREADS))
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        x_path, y_path = os.path.join(folder, "x.f64"), os.path.join(folder, "y.f64")
        x.tofile(x_path)
        y.tofile(y_path)
        del x
        me = [sys.executable, os.path.abspath(__file__), "--x", x_path, "--y", y_path,
              "--train", str(train)]
        if args.only in (None, "gbdt"):
            results["xgboost"], results["gbdt"] = best_of_alternating(args.repeat, [
                me + ["--worker", "xgboost"],
                [args.tool, "gbdt", x_path, y_path, "20", str(train), "n_estimators=100",
                 "learning_rate=0.1", "max_leaves=31", "l2_regularization=1",
                 "min_child_weight=1", "min_child_samples=1", "max_bins=255"]], env)
        if args.only in (None, "forest"):
            # The forest trains on the first forest-rows rows; the test rows stay the same.
            sklearn_forest = me + ["--worker", "sklearn-forest", "--rows", str(args.forest_rows)]
            sub_x = os.path.join(folder, "xs.f64")
            sub_y = os.path.join(folder, "ys.f64")
            xs = np.fromfile(x_path).reshape(args.n, 20)
            np.concatenate([xs[:args.forest_rows], xs[train:]]).tofile(sub_x)
            np.concatenate([y[:args.forest_rows], y[train:]]).tofile(sub_y)
            del xs
            results["sklearn_forest"], results["forest"] = best_of_alternating(args.repeat, [
                sklearn_forest,
                [args.tool, "forest", sub_x, sub_y, "20", str(args.forest_rows),
                 "n_estimators=100", "max_features=sqrt"]], env)
    print(json.dumps(results, indent=1))
    print(f"Bayes AUC of the test rows: {bayes:.4f}")
    lines = [SECTION, "",
             f"{args.n:,} rows x 20 features (fire-risk-like generator, numpy seed {args.seed}, "
             f"{y.mean():.1%} positives, Bayes test AUC {bayes:.4f}), first 80% train, last 20% "
             f"test ({args.n - train:,} rows), {THREADS} threads, each learner in its own process, "
             f"best of {args.repeat} runs per learner alternating with its peer, on the development "
             f"machine ({os.cpu_count()} cores, {platform.machine()}).",
             "",
             "| learner | peer | peer fit (s) | GEIH fit (s) | time ratio GEIH/peer | peer AUC | "
             "GEIH AUC | peer predict (rows/s) | GEIH predict (rows/s) | predict speed-up | "
             "peer peak RSS (MB) | GEIH peak RSS (MB) |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    test_rows = args.n - train
    for ours, peer, label in [("gbdt", "xgboost", "gbdt, 100 trees, 31 leaves, lr 0.1"),
                              ("forest", "sklearn_forest",
                               f"forest, 100 trees, sqrt features, {args.forest_rows:,} rows")]:
        if ours not in results:
            continue
        a, b = results[ours], results[peer]
        peer_name = ("XGBoost " if peer == "xgboost" else "scikit-learn ") + b["version"]
        a_rate, b_rate = test_rows / a["predict_seconds"], test_rows / b["predict_seconds"]
        print(f"{label}: {peer_name} {b['fit_seconds']:.2f} s AUC {b['test_roc_auc']:.4f}; "
              f"GEIH {a['fit_seconds']:.2f} s AUC {a['test_roc_auc']:.4f}; time ratio "
              f"{a['fit_seconds'] / b['fit_seconds']:.2f}; predict x{a_rate / b_rate:.1f}; "
              f"RSS {b['peak_rss_mb']:.0f} vs {a['peak_rss_mb']:.0f} MB")
        lines.append(f"| {label} | {peer_name} | {b['fit_seconds']:.2f} | {a['fit_seconds']:.2f} | "
                     f"{a['fit_seconds'] / b['fit_seconds']:.2f} | {b['test_roc_auc']:.4f} | "
                     f"{a['test_roc_auc']:.4f} | {b_rate:,.0f} | {a_rate:,.0f} | "
                     f"{a_rate / b_rate:.1f}x | {b['peak_rss_mb']:.0f} | {a['peak_rss_mb']:.0f} |")
    lines += ["", "Both sides read the same float64 matrix from disk; the peer's peak RSS includes "
                  "numpy and the interpreter, GEIH's the column table and the tool.",
              "", "Reproduce: `/usr/bin/python3 bench/compare/trees_vs_xgboost_sklearn.py "
                  "--tool build-bench/bench/tool_trees`", ""]
    if not args.no_write and args.only is None:
        print("updated", update_results("\n".join(lines), SECTION))
    return 0


if __name__ == "__main__":
    sys.exit(main())
