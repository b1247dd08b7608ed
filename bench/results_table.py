#!/usr/bin/env python3
"""The language-model table of bench/RESULTS.md from the results of bench/lm_table.sh."""
import glob
import json
import sys

ORDER = ["gpt2", "gpt2-large", "gpt2-xl", "bert-base-uncased", "llama2-7b", "llama3.1-8b", "mixtral-8x7b"]


def main(out):
    results = [json.load(open(f)) for f in sorted(glob.glob(f"{out}/*.json")) if not f.endswith(".failed.json")]
    results.sort(key=lambda r: ORDER.index(r["model"]) if r["model"] in ORDER else len(ORDER))
    print("| Model | Seq | Layers built | Iterations (timed/profiled/warm-up) | Median latency (ms) | "
          "Est. full-depth latency (ms) | Non-GEMM share | Top non-GEMM group (share) | Page faults/iter |")
    print("|---|---|---|---|---:|---:|---:|---|---:|")
    for r in results:
        x = r.get("extrapolation") or {}
        c = r["config"]
        top = max((g for g in r["groups"] if g["side"] == "non-gemm"), key=lambda g: g["share"])
        layers = f"{x['layers_built']} of {x['layers_total']}" if x else "all"
        est = f"{x['latency_ms']:,.0f}" if x else "-"
        print(f"| {r['model']} | {r['seq_len']} | {layers} | {c['iters']}/{c['profile_iters']}/{c['warmup']} | "
              f"{r['latency_ms']['median']:,.0f} | {est} | {100 * r['non_gemm_share']:.1f}% | "
              f"{top['name']} ({100 * top['share']:.1f}%) | {r.get('page_faults_per_iter', -1):,.0f} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else sys.exit("usage: lm_table.py OUTDIR"))
