#!/usr/bin/env python3
"""Summarizes bench/depth_scaling.sh: per round and pooled over rounds, the
extrapolated (N-layer) result against the full-depth one.

Criteria (language-model issue): every group's share within 1 percentage point,
end-to-end latency within 3%.
"""
import glob
import json
import re
import statistics
import sys
from pathlib import Path

import ngresults  # bench/ngresults.py: result files in the layout of schema version 2


def load(directory):
    files = glob.glob(str(directory / "*.json"))
    return ngresults.load(files[0]) if files else None


def shares(result):
    return {g["name"]: g["share"] for g in result["breakdown"]["groups"]}


def main(out):
    rounds = {}
    for d in sorted(Path(out).iterdir()):
        m = re.fullmatch(r"r(\d+)-(full|l\d+)", d.name)
        if m and (r := load(d)) is not None and r.get("status", "ok") == "ok":
            rounds.setdefault(int(m.group(1)), {})["full" if m.group(2) == "full" else "part"] = r
    pairs = [(i, v["full"], v["part"]) for i, v in sorted(rounds.items()) if len(v) == 2]
    if not pairs:
        sys.exit(f"no complete round under {out}")
    layers = pairs[0][2]["extrapolation"]["layers_built"]
    print(f"gpt2-large, batch 1, seq 256, threads {pairs[0][1]['config']['threads']}, "
          f"allocator {pairs[0][1]['config'].get('allocator', 'system')}: "
          f"{layers} of 36 layers extrapolated vs all 36, {len(pairs)} rounds\n")
    print("| round | full median (ms) | extrapolated (ms) | latency diff | largest share diff (group) | page faults/iter (full, part) |")
    print("|---|---|---|---|---|---|")
    ratios, full_shares, part_shares = [], [], []
    for i, full, part in pairs:
        f, p = shares(full), shares(part)
        full_shares.append(f)
        part_shares.append(p)
        diff = {g: 100 * (p.get(g, 0) - f.get(g, 0)) for g in set(f) | set(p)}
        worst = max(diff, key=lambda g: abs(diff[g]))
        ratio = part["extrapolation"]["latency_ms"] / full["latency_ms"]["median"]
        ratios.append(ratio)
        print(f"| {i} | {full['latency_ms']['median']:,.0f} | {part['extrapolation']['latency_ms']:,.0f} | "
              f"{100 * (ratio - 1):+.1f}% | {diff[worst]:+.2f} pp ({worst}) | "
              f"{full.get('page_faults_per_iter', -1):,.0f}, {part.get('page_faults_per_iter', -1):,.0f} |")
    full_med = statistics.median(f["latency_ms"]["median"] for _, f, _ in pairs)
    part_med = statistics.median(p["extrapolation"]["latency_ms"] for _, _, p in pairs)
    print(f"\nPooled: full-depth median of round medians {full_med:,.0f} ms, extrapolated {part_med:,.0f} ms "
          f"({100 * (part_med / full_med - 1):+.1f}%); median of per-round ratios "
          f"{100 * (statistics.median(ratios) - 1):+.1f}%\n")
    groups = sorted(set().union(*full_shares, *part_shares),
                    key=lambda g: -statistics.mean(s.get(g, 0) for s in full_shares))
    print("| group | full share (mean) | extrapolated share (mean) | diff |")
    print("|---|---|---|---|")
    worst = 0.0
    for g in groups:
        f = 100 * statistics.mean(s.get(g, 0) for s in full_shares)
        p = 100 * statistics.mean(s.get(g, 0) for s in part_shares)
        if max(f, p) < 0.005:
            continue
        worst = max(worst, abs(p - f))
        print(f"| {g} | {f:.2f}% | {p:.2f}% | {p - f:+.2f} pp |")
    ok_share = worst <= 1.0
    ok_latency = abs(part_med / full_med - 1) <= 0.03
    print(f"\nlargest group difference {worst:.2f} pp (criterion 1 pp: {'met' if ok_share else 'NOT met'}); "
          f"end-to-end {100 * (part_med / full_med - 1):+.1f}% (criterion 3%: {'met' if ok_latency else 'NOT met'})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else sys.exit("usage: depth_scaling.py OUTDIR"))
