#!/usr/bin/env python3
"""A markdown table of the results in a directory (bench/lm_table.sh, bench/vision_table.sh),
in the order they were run: latency, non-GEMM share, top non-GEMM group, page faults."""
import glob
import json
import os
import sys

import ngresults  # bench/ngresults.py: result files in the layout of schema version 2


def main(out):
    files = [f for f in glob.glob(f"{out}/*.json") if not f.endswith(".failed.json")]
    files.sort(key=os.path.getmtime)
    print("| Model | Batch | Seq | Layers built | Iterations (timed/profiled/warm-up) | Median latency (ms) | "
          "Est. full-depth latency (ms) | Non-GEMM share | Top non-GEMM group (share) | Page faults/iter |")
    print("|---|---|---|---|---|---:|---:|---:|---|---:|")
    for f in files:
        r = ngresults.load(f)
        x = ngresults.extrapolation(r) or {}
        c = r["config"]
        top = max((g for g in r["breakdown"]["groups"] if g["side"] == "non-gemm"), key=lambda g: g["share"])
        layers = f"{x['layers_built']} of {x['layers_total']}" if x else "all"
        est = f"{x['latency_ms']:,.0f}" if x else "-"
        seq = c["seq_len"] if c["seq_len"] else "-"
        print(f"| {c['model']} | {c['batch']} | {seq} | {layers} | {c['iters']}/{c['profile_iters']}/{c['warmup']} | "
              f"{r['latency_ms']['median']:,.0f} | {est} | {100 * r['summary']['non_gemm_share']:.1f}% | "
              f"{top['name']} ({100 * top['share']:.1f}%) | {r.get('page_faults_per_iter', -1):,.0f} |")
    for f in sorted(glob.glob(f"{out}/*.failed.json")):
        r = ngresults.load(f)
        print(f"\nfailed: {r['config']['model']} batch {r['config']['batch']}: {r['error']}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else sys.exit("usage: results_table.py OUTDIR"))
