#!/usr/bin/env python3
"""The quantization study's comparisons (`ngbench quant` writes <out>/*.quant.json) as one Markdown table for
bench/RESULTS.md: per model configuration and sequence length, one row per scheme.

    python3 bench/quant_table.py results/quant [more study folders ...]
"""
import glob
import json
import os
import sys


def rows(roots):
    files = []
    for root in roots:
        files += glob.glob(os.path.join(root, "*.quant.json"))
    studies = [json.load(open(p)) for p in files]
    studies.sort(key=lambda s: (s["model"], s["dtype"], s["seq_len"]))
    for s in studies:
        est = " est." if s.get("layers") else ""
        for r in s["rows"]:
            if r["status"] != "ok":
                yield f"| {s['model']} | {s['seq_len']} | {r['variant']} | failed: {r['error']} |" + " |" * 8
                continue
            speed = "" if r["quant"] == "none" else f"{r['gemm_speedup']:.2f}x"
            slow = "" if r["quant"] == "none" else f"{r['non_gemm_slowdown']:.2f}x"
            reasons = "; ".join(x.split(", wider")[0].replace("the median's 95% interval is ", "interval ")
                                for x in r.get("stability_reasons", []))
            verdict = r["stability"] + (f" ({reasons})" if reasons else "")
            yield (f"| {s['model']} | {s['seq_len']} | {r['variant']} | {r['latency_ms_full_depth']:.0f}{est} "
                   f"±{100 * r['median_ci_rel']:.1f}% | {r['gemm_ms']:.0f} | {r['non_gemm_ms']:.0f} | "
                   f"{r['quantization_ms']:.0f} | {100 * r['non_gemm_share']:.1f}% | {speed} | {slow} | "
                   f"{r['operators_added_per_linear']:+.0f} / {r['dispatcher_ops_added_per_linear']:+.0f} | {verdict} |")


def main(roots):
    print("| model | seq | scheme | latency ms | GEMM ms | non-GEMM ms | QDQ ms | non-GEMM share | GEMM speedup "
          "| non-GEMM slowdown | ops added per Linear (units / dispatcher) | verdict |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for line in rows(roots):
        print(line)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: quant_table.py STUDY_DIR [STUDY_DIR ...]")
    main(sys.argv[1:])
