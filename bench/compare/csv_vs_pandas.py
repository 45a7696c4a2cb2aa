#!/usr/bin/python3
"""CSV reading: GEIH (bench/tool_read_csv) vs pandas.read_csv on the same file.

Writes (once) a 1M x 21 numeric CSV of seeded values with 6-7 significant digits, times
pandas.read_csv (default C engine) best of R in this process, runs the tool (best of R), prints
both and the ratio, and rewrites the "## CSV reading" section of bench/RESULTS.md.

    /usr/bin/python3 bench/compare/csv_vs_pandas.py --tool build-bench/bench/tool_read_csv
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metrics_vs_sklearn import update_results  # noqa: E402

SECTION = "## CSV reading (1M x 21 numeric)"


def make_file(path, rows, columns, seed):
    if os.path.exists(path):
        return
    rng = np.random.default_rng(seed)
    data = rng.normal(100.0, 50.0, size=(rows, columns))
    frame = pd.DataFrame(data, columns=[f"f{i}" for i in range(columns)])
    frame.to_csv(path, index=False, float_format="%.7g")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", default="/work/main/build-bench/bench/tool_read_csv",
                        help="path to the built bench/tool_read_csv (default: %(default)s)")
    parser.add_argument("--file", default="/tmp/geih_bench_1m_x_21.csv")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, default=21)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    args = parser.parse_args()

    make_file(args.file, args.rows, args.columns, args.seed)
    size_mb = os.path.getsize(args.file) / 1e6

    pandas_best = float("inf")
    for _ in range(args.repeats):
        start = time.perf_counter()
        frame = pd.read_csv(args.file)
        pandas_best = min(pandas_best, time.perf_counter() - start)
    assert frame.shape == (args.rows, args.columns)

    out = subprocess.run([args.tool, args.file, str(args.repeats)], check=True,
                         capture_output=True, text=True).stdout
    ours = json.loads(out)
    assert ours["rows"] == args.rows and ours["columns"] == args.columns
    one_thread = json.loads(subprocess.run(
        [args.tool, args.file, str(args.repeats)], check=True, capture_output=True, text=True,
        env={**os.environ, "OMP_NUM_THREADS": "1"}).stdout)

    ratio = pandas_best / ours["seconds"]
    ratio_one = pandas_best / one_thread["seconds"]
    print(f"file: {args.file} ({size_mb:.0f} MB)")
    print(f"pandas.read_csv   {pandas_best:8.3f} s")
    print(f"GEIH readCsv      {ours['seconds']:8.3f} s   ({ratio:.2f}x pandas)")
    print(f"GEIH, 1 thread    {one_thread['seconds']:8.3f} s   ({ratio_one:.2f}x pandas)")

    if not args.no_write:
        text = f"""{SECTION}

{args.rows:,} rows x {args.columns} float columns ({size_mb:.0f} MB, numpy seed {args.seed}, 7 significant
digits), best of {args.repeats}, one run on {datetime.date.today().isoformat()} on the development machine
({os.cpu_count()} cores, {platform.machine()}).
pandas {pd.__version__} (C parser, single-threaded, result: a DataFrame of float64); GEIH reads into its
columnar Table (float64 columns), parsing chunks in parallel (1-thread column: OMP_NUM_THREADS=1).

| reader | seconds | speed-up vs pandas |
|---|---:|---:|
| pandas.read_csv | {pandas_best:.3f} | 1.0x |
| GEIH readCsv | {ours['seconds']:.3f} | {ratio:.2f}x |
| GEIH readCsv, 1 thread | {one_thread['seconds']:.3f} | {ratio_one:.2f}x |

Reproduce: `/usr/bin/python3 bench/compare/csv_vs_pandas.py --tool build-bench/bench/tool_read_csv`
"""
        print("updated", update_results(text, SECTION))


if __name__ == "__main__":
    main()
