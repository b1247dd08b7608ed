#!/usr/bin/env python3
"""Medians over the repetitions of bench/ort_study.sh, as Markdown tables for bench/RESULTS.md.

    python3 bench/ort_summary.py results/ort-study
"""
import glob
import json
import os
import statistics
import sys

import ngresults  # bench/ngresults.py: result files in the layout of schema version 2


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def load(pattern):
    out = {}
    for p in sorted(glob.glob(pattern)):
        j = ngresults.load(p) if p.endswith(".json") and not p.endswith(".fusion.json") else json.load(open(p))
        out.setdefault(j["config"]["model"] if "config" in j else j["model"], []).append(j)
    return out


def main(root):
    reps = sorted(glob.glob(os.path.join(root, "rep*")))
    print(f"{len(reps)} repetitions under {root}\n")
    fusion = load(os.path.join(root, "rep*", "fusion", "*.fusion.json"))
    ort = load(os.path.join(root, "rep*", "fusion", "fused", "*__ort__cpu__*.json"))
    eager = load(os.path.join(root, "rep*", "eager", "*.json"))
    order = ["gpt2", "bert-base-uncased", "vit_b_16", "swin_t", "segformer-b0"]

    print("### Breakdown, `--flow ort` (ORT_ENABLE_ALL), batch 1: medians over repetitions\n")
    groups = []
    for m in order:
        for j in ort.get(m, []):
            for g in j["breakdown"]["groups"]:
                if g["time_ms"] > 0 and g["name"] not in groups and g["name"] != "GEMM":
                    groups.append(g["name"])
    print("| model | seq | latency ms | profiled ms | overhead | coverage | GEMM % | " +
          " | ".join(f"{g} %" for g in groups) + " | non-GEMM % | unclassified |")
    print("|---" * (8 + len(groups)) + "|---|")
    for m in order:
        runs = ort.get(m, [])
        if not runs:
            continue
        share = lambda name: med([next((g["share"] for g in j["breakdown"]["groups"] if g["name"] == name), 0) * 100 for j in runs])
        print(f"| {m} | {runs[0]['seq_len'] or '-'} | {med([j['latency_ms']['median'] for j in runs]):.2f} | "
              f"{med([j['profiled_latency_ms']['median'] for j in runs]):.2f} | "
              f"{med([j['overhead'] for j in runs]):.3f} | {med([j['coverage'] for j in runs]) * 100:.1f}% | "
              f"{share('GEMM'):.1f} | " + " | ".join(f"{share(g):.1f}" for g in groups) +
              f" | {med([j['non_gemm_share'] * 100 for j in runs]):.1f} | "
              f"{sum(len(j['unclassified']) for j in runs)} |")

    print("\n### Fusion study: ORT_DISABLE_ALL vs ORT_ENABLE_ALL (Table V), batch 1: medians over repetitions\n")
    print("| model | non-GEMM ms (share), disabled | non-GEMM ms (share), all | fused GEMM+non-GEMM ms, all | "
          "non-GEMM speedup | latency ms disabled -> all | original non-GEMM nodes | fusion rate | with a GEMM | "
          "among non-GEMM | kept / replaced / folded / removed |")
    print("|---" * 11 + "|")
    for m in order:
        runs = fusion.get(m, [])
        if not runs:
            continue
        lv = lambda i, k: med([j["variants"][i][k] for j in runs])
        f = runs[-1]["fusion"]  # the graph analysis is deterministic: the last repetition's
        print(f"| {m} | {lv(0, 'non_gemm_ms'):.2f} ({lv(0, 'non_gemm_share') * 100:.1f}%) | "
              f"{lv(1, 'non_gemm_ms'):.2f} ({lv(1, 'non_gemm_share') * 100:.1f}%) | {lv(1, 'fused_ms'):.2f} | "
              f"{med([j['non_gemm_speedup'] for j in runs]):.2f}x | "
              f"{lv(0, 'latency_ms_median'):.2f} -> {lv(1, 'latency_ms_median'):.2f} | {f['original_non_gemm']} | "
              f"{f['fusion_rate'] * 100:.1f}% | {f['fusion_rate_with_gemm'] * 100:.1f}% | "
              f"{f['fusion_rate_non_gemm'] * 100:.1f}% | {f['kept_non_gemm']} / {f.get('replaced_non_gemm', 0)} / "
              f"{f['folded_non_gemm']} / "
              f"{f['removed_non_gemm']} |")
    print("\nFused patterns (ORT_ENABLE_ALL):\n")
    for m in order:
        runs = fusion.get(m, [])
        if runs:
            pats = sorted(runs[-1]["fusion"]["patterns"], key=lambda p: -p["count"])
            print(f"- {m}: " + "; ".join(f"{p['count']}x {p['type']} <- {p['pattern']}"
                                         f"{' (with GEMM)' if p['with_gemm'] else ''}"
                                         f"{' (replacement)' if p.get('replacement') else ''}" for p in pats[:8]))

    print("\n### libtorch eager vs ORT (same model, same input shape), batch 1: medians over repetitions\n")
    print("| model | seq | flow | latency ms | GEMM ms | non-GEMM ms | non-GEMM % | top non-GEMM groups |")
    print("|---|---|---|---|---|---|---|---|")
    for m in ["gpt2", "bert-base-uncased"]:
        for flow, runs in (("eager", eager.get(m, [])), ("ort (all)", ort.get(m, []))):
            if not runs:
                continue
            ng = {}
            for j in runs:
                for g in j["breakdown"]["groups"]:
                    if g["side"] == "non-gemm":
                        ng.setdefault(g["name"], []).append(g["time_ms"])
            top = sorted(((med(v), k) for k, v in ng.items()), reverse=True)[:3]
            print(f"| {m} | {runs[0]['config']['seq_len']} | {flow} | {med([j['latency_ms']['median'] for j in runs]):.2f} | "
                  f"{med([j['summary']['gemm_ms'] for j in runs]):.2f} | {med([j['summary']['non_gemm_ms'] for j in runs]):.2f} | "
                  f"{med([j['summary']['non_gemm_share'] * 100 for j in runs]):.1f} | " +
                  ", ".join(f"{k} {v:.2f} ms" for v, k in top) + " |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "results/ort-study")
