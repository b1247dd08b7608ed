"""Reads ngbench result files (docs/results-schema.md) for the bench scripts, in the layout of schema version 2.

Version-1 files (recorded before December 2026, e.g. the H100 runs) are moved into the version-2 layout for the
fields these scripts read; the C++ reader (src/report/result_json_v1.cc) is the complete migration.
"""
import json

CONFIG_KEYS = ("model", "flow", "device", "batch", "seq_len", "dtype", "layers", "attention")
BREAKDOWN_KEYS = ("groups", "ops", "coverage", "attributed_ms", "basis", "trace")


def _from_v1(j):
    cfg = dict(j.get("config", {}))
    for k in CONFIG_KEYS:
        if k in j:
            cfg[k] = j[k]
    cfg.setdefault("allocator", "system")
    breakdown = {k: j[k] for k in BREAKDOWN_KEYS if k in j}
    breakdown["profiled_ms"] = j.get("profiled_latency_ms", {})
    if "device_time" in j:
        breakdown["device"] = j["device_time"]
    out = {k: v for k, v in j.items() if k not in CONFIG_KEYS + BREAKDOWN_KEYS + ("device_time",)}
    out.update(schema_version=2, config=cfg, breakdown=breakdown,
               summary={k: j[k] for k in ("gemm_ms", "non_gemm_ms", "non_gemm_share", "unclassified") if k in j},
               extrapolation=dict(j["extrapolation"], applied=True) if j.get("extrapolation") else {"applied": False},
               energy=dict(j["energy"], measured=True) if j.get("energy") else {"measured": False})
    return out


def load(path):
    """The result at `path` as a dict in the version-2 layout."""
    with open(path) as f:
        j = json.load(f)
    return _from_v1(j) if j.get("schema_version") == 1 else j


def extrapolation(r):
    """The result's extrapolation block, or None when it was measured at full depth."""
    x = r.get("extrapolation") or {}
    return x if x.get("applied") else None
