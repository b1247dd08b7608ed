"""The CPU-to-GPU table of bench/RESULTS.md from a results directory of bench/gpu_matrix.sh runs.

    python3 bench/gpu_table.py RESULTS_DIR

Operators are re-grouped with the current taxonomy/eager.json (from each result's ops rows, on the run's basis),
so results recorded with an older rule file read the same as new ones; the table says when that changed a row.
"""
import glob
import json
import pathlib
import re
import sys

import ngresults  # bench/ngresults.py: result files in the layout of schema version 2

REPO = pathlib.Path(__file__).resolve().parents[1]
PAPER = {"vit_b_16": "Norm 14.0", "vit_l_16": "Norm 13.3", "vit_h_14": "Norm 11.2", "swin_t": "Memory 31.8",
         "swin_s": "Memory 33.1", "swin_b": "Memory 32.8", "fasterrcnn_resnet50_fpn": "Elmt-wise 34.4",
         "maskrcnn_resnet50_fpn": "Elmt-wise 33.6", "detr-resnet-50": "Norm 34.8",
         "maskformer-swin-base-coco": "Memory 40.8", "segformer-b0": "Norm 17.4", "gpt2": "Act 30.2",
         "gpt2-large": "Act 29.9", "gpt2-xl": "Act 28.1", "llama2-7b": "Norm 14.9", "bert-base-uncased": "Norm 13.1",
         "mixtral-8x7b": "Memory 43.1", "llama3.1-8b": "(not in Table IV)"}
ORDER = list(PAPER)[:11] + ["gpt2", "gpt2-large", "gpt2-xl", "bert-base-uncased", "llama2-7b", "llama3.1-8b",
                            "mixtral-8x7b"]


def rules():
    doc = json.load(open(REPO / "taxonomy" / "eager.json"))
    side = {g["name"]: g["side"] for g in doc["groups"]}
    scopes, ops = {}, []
    for r in doc["rules"]:
        for s in r.get("scopes", []):
            scopes.setdefault(s, r["group"])
        if "ops" in r or "op_patterns" in r:
            ops.append((set(r.get("ops", [])), [re.compile(p) for p in r.get("op_patterns", [])], r["group"]))
    return side, scopes, ops


SIDE, SCOPES, OPS = rules()


def group_of(op):
    if op["group"] in ("Memcpy", "Memset"):
        return op["group"]
    if op["kind"] == "module":
        return SCOPES.get(op["name"], "Unclassified")
    for names, pats, g in OPS:
        if op["name"] in names or any(p.fullmatch(op["name"]) for p in pats):
            return g
    return "Unclassified"


def regroup(r):
    """Group totals from the ops rows under the current rules; and whether anything moved."""
    key = "device_ms" if r["breakdown"].get("basis") == "device" else "total_ms"
    totals, moved = {}, False
    for op in r["breakdown"]["ops"]:
        g = group_of(op)
        moved = moved or g != op["group"]
        totals[g] = totals.get(g, 0.0) + op[key]
    return totals, moved


def summary(r):
    totals, moved = regroup(r)
    all_ms = sum(totals.values())
    non_gemm = sum(v for g, v in totals.items() if SIDE.get(g, "non-gemm") != "gemm")
    named = {g: v for g, v in totals.items() if SIDE.get(g, "non-gemm") != "gemm" and g != "Unclassified"}
    top = max(named, key=named.get)
    return 100 * non_gemm / all_ms, f"{top} {100 * named[top] / all_ms:.1f}", moved


def main(d):
    res = {}
    for f in glob.glob(f"{d}/*.json"):
        if f.endswith(".failed.json"):
            continue
        r = ngresults.load(f)
        res[(r["config"]["model"], r["config"]["device"], r["config"]["batch"])] = r
    print("| model | batch | input | CPU non-GEMM % (batch 1) | GPU non-GEMM % | GPU latency ms (median) | kernel busy % "
          "of timed median | J / inference | top non-GEMM group on GPU (% of kernel time) | paper Table IV (GPU, "
          "mean over batches) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for m in ORDER:
        for b in (1, 8):
            g, c = res.get((m, "cuda", b)), res.get((m, "cpu", b))
            if not g:
                print(f"| {m} | {b} | | | missing | | | | | |")
                continue
            inp = (f"seq {g['config']['seq_len']}" if g["config"]["seq_len"] else
                   f"{g['inputs'][0]['model_height']}x{g['inputs'][0]['model_width']}" if g.get("inputs") else "-")
            x = ngresults.extrapolation(g)
            name = m + (f" (--layers {g['config']['layers']}, extrapolated)" if x else "")
            lat = x["latency_ms"] if x else g["latency_ms"]["median"]
            ng, top, moved = summary(g)
            cpu = f"{summary(c)[0]:.1f}" if c else ""
            e = g["energy"] if g["energy"].get("measured") else None
            print(f"| {name}{' *' if moved or (c and summary(c)[2]) else ''} | {b} | {inp} | {cpu} | {ng:.1f} | "
                  f"{lat:.2f} | {100 * g['breakdown']['device']['busy_fraction_timed']:.0f} | "
                  f"{e['joules_per_inference']:.3f} | {top} | {PAPER[m] if b == 1 else ''} |" if e else
                  f"| {name} | {b} | {inp} | {cpu} | {ng:.1f} | {lat:.2f} | "
                  f"{100 * g['breakdown']['device']['busy_fraction_timed']:.0f} | n/a | {top} | {PAPER[m] if b == 1 else ''} |")


if __name__ == "__main__":
    main(sys.argv[1])
