#!/usr/bin/python3
"""ROC AUC and average precision: GEIH (bench/tool_metrics) vs scikit-learn on the same scores.

Generates N seeded labels/scores with numpy (30% positives, probabilities rounded to 1e-4 so ties
occur as with real model outputs), writes them as raw float64 files, runs the tool on them, times
sklearn.metrics.roc_auc_score / average_precision_score best of 3 in this process, checks that the
values agree, prints both and the ratio, and rewrites the "## Metrics (10M scores)" section of
bench/RESULTS.md (other sections are left alone).

    /usr/bin/python3 bench/compare/metrics_vs_sklearn.py --tool build-bench/bench/tool_metrics
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
import sklearn
from sklearn.metrics import average_precision_score, roc_auc_score

SECTION = "## Metrics (10M scores)"
RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "RESULTS.md")


def best_of(repeats, function):
    best, value = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        value = function()
        best = min(best, time.perf_counter() - start)
    return best, value


def update_results(section_text, section=SECTION):
    """Replaces the `section` of bench/RESULTS.md (up to the next '## ') or appends it."""
    path = os.path.normpath(RESULTS)
    text = open(path).read() if os.path.exists(path) else "# Benchmark results\n"
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == section), None)
    new = section_text.rstrip("\n").splitlines()
    if start is None:
        lines = lines + ([""] if lines and lines[-1].strip() else []) + new
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        lines = lines[:start] + new + ([""] if end < len(lines) else []) + lines[end:]
    with open(path, "w") as out:
        out.write("\n".join(lines).rstrip("\n") + "\n")
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", required=True, help="path to the built bench/tool_metrics")
    parser.add_argument("--n", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    labels = (rng.random(args.n) < 0.3).astype(np.float64)
    logits = rng.standard_normal(args.n) + 1.5 * labels - 1.0
    scores = np.round(1.0 / (1.0 + np.exp(-logits)), 4)

    with tempfile.TemporaryDirectory() as folder:
        labels_path = os.path.join(folder, "labels.f64")
        scores_path = os.path.join(folder, "scores.f64")
        labels.tofile(labels_path)
        scores.tofile(scores_path)
        command = [args.tool, labels_path, scores_path, str(args.repeats)]
        ours = json.loads(subprocess.run(command, check=True, capture_output=True,
                                         text=True).stdout)
        single = json.loads(subprocess.run(command, check=True, capture_output=True, text=True,
                                           env=dict(os.environ, OMP_NUM_THREADS="1")).stdout)

    y = labels.astype(np.int64)
    auc_seconds, auc = best_of(args.repeats, lambda: roc_auc_score(y, scores))
    ap_seconds, ap = best_of(args.repeats, lambda: average_precision_score(y, scores))
    auc_diff, ap_diff = abs(auc - ours["roc_auc"]), abs(ap - ours["average_precision"])

    rows = [("roc_auc", auc, auc_seconds, ours["roc_auc_seconds"], single["roc_auc_seconds"],
             auc_diff),
            ("average_precision", ap, ap_seconds, ours["average_precision_seconds"],
             single["average_precision_seconds"], ap_diff)]
    print(f"n = {args.n:,}, seed {args.seed}, best of {args.repeats}")
    for name, value, theirs, mine, mine1, diff in rows:
        print(f"{name:18s} sklearn {theirs:8.3f} s  geih {mine:8.3f} s (1 thread {mine1:.3f} s)  "
              f"speed-up x{theirs / mine:6.1f} (1 thread x{theirs / mine1:.1f})  "
              f"value {value:.15f}  |diff| {diff:.1e}")
    ok = auc_diff < 1e-9 and ap_diff < 1e-9
    if not ok:
        print("VALUES DISAGREE", file=sys.stderr)

    section = [SECTION, "",
               f"{args.n:,} scores (numpy seed {args.seed}, 30% positives, probabilities rounded to "
               f"1e-4 so many are tied), best of {args.repeats}, one run on the development "
               f"machine ({os.cpu_count()} cores, {platform.machine()}). scikit-learn {sklearn.__version__}, "
               f"numpy {np.__version__}. GEIH radix-sorts the two classes' scores, one thread per "
               f"class; scikit-learn is single-threaded, so the 1-thread column "
               f"(OMP_NUM_THREADS=1) is the like-for-like one.",
               "",
               "| metric | scikit-learn (s) | GEIH (s) | GEIH 1 thread (s) | speed-up | "
               "speed-up 1 thread | abs. difference |",
               "|---|---:|---:|---:|---:|---:|---:|"]
    for name, value, theirs, mine, mine1, diff in rows:
        section.append(f"| {name} | {theirs:.3f} | {mine:.3f} | {mine1:.3f} | "
                       f"{theirs / mine:.1f}x | {theirs / mine1:.1f}x | {diff:.1e} |")
    section += ["", "Reproduce: `/usr/bin/python3 bench/compare/metrics_vs_sklearn.py "
                    "--tool build-bench/bench/tool_metrics`", ""]
    if not args.no_write:
        print("updated", update_results("\n".join(section)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
