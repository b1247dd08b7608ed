#!/usr/bin/env python3
"""Prefill against decode (`ngbench run --phase prefill,decode`, docs/decode.md) as one Markdown table for
bench/RESULTS.md: per model and context, the prefill forward and the decode token, each as the median over the
repeated runs given (one directory per repeat) with the range of the repeats' medians, the time per token (a
prefill forward's divided by its context), the median's 95% interval of a run (the median over the repeats), the non-GEMM share and its top group, and for decode the early and late halves of the generated tokens.

    python3 bench/decode_table.py OUT/rep1 OUT/rep2 ...
"""
import glob
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ngresults  # noqa: E402


def non_gemm_share(r):
    return r.get("summary", {}).get("non_gemm_share", 0.0)


def top_group(r):
    groups = [g for g in r["breakdown"]["groups"] if g.get("side") == "non-gemm" and g["name"] != "Unclassified"]
    return max(groups, key=lambda g: g["time_ms"])["name"] if groups else ""


def full_depth_ms(r):
    x = ngresults.extrapolation(r)
    return x["latency_ms"] if x else r["latency_ms"]["median"]


def key(r):
    c = r["config"]
    return (c["model"], c["layers"], c["seq_len"], c.get("phase", "prefill"))


def main(dirs):
    runs = {}
    for d in dirs:
        for path in sorted(glob.glob(os.path.join(d, "*.json"))):
            if path.endswith(".failed.json"):
                continue
            r = ngresults.load(path)
            if r.get("status") == "ok":
                runs.setdefault(key(r), []).append(r)
    print("| model | context | phase | ms (per forward / per token) | range of repeats | ms per token | 95% CI of a run "
          "| non-GEMM share | top non-GEMM group | early / late non-GEMM share (decode) | repeats |")
    print("|---|---:|---|---:|---|---:|---:|---:|---|---|---:|")
    for (model, layers, seq, phase), rs in sorted(runs.items()):
        ms = [full_depth_ms(r) for r in rs]
        est = " est." if layers else ""
        share = [non_gemm_share(r) for r in rs]
        ci = statistics.median(r["stability"]["median_ci_rel"] for r in rs)
        name = model + (f" (--layers {layers})" if layers else "")
        halves = ""
        if phase == "decode":
            early = statistics.median(r["decode"]["early"]["non_gemm_share"] for r in rs)
            late = statistics.median(r["decode"]["late"]["non_gemm_share"] for r in rs)
            halves = f"{100 * early:.1f}% / {100 * late:.1f}%"
        # A prefill forward handles `seq` tokens (of every row): its cost per context token, beside decode's.
        per_token = statistics.median(ms) / (seq if phase == "prefill" else 1)
        print(f"| {name} | {seq} | {phase} | {statistics.median(ms):.1f}{est} | {min(ms):.1f}-{max(ms):.1f} "
              f"| {per_token:.2f} | ±{100 * ci:.1f}% | {100 * statistics.median(share):.1f}% ({100 * min(share):.1f}-"
              f"{100 * max(share):.1f}) | {top_group(rs[0])} | {halves} | {len(rs)} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: decode_table.py RUN_DIR [RUN_DIR ...]")
    main(sys.argv[1:])
