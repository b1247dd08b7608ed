#!/usr/bin/env python3
"""Exports ngbench's reference models to ONNX for the ort flow (docs/onnxruntime.md).

Every model is built from its published configuration with seeded random weights (nothing is downloaded) and
exported with torch.onnx.export(dynamo=True) -- the torch.export-based exporter, the default of torch 2.11; the
TorchScript exporter (dynamo=False) fails on transformers 5's mask code (aten::diff). Batch (and, for text
models, sequence) dimensions are dynamic, named "batch" and "sequence".

    .venv/bin/python tools/export_onnx.py --model gpt2 --out onnx/gpt2.onnx
    .venv/bin/python tools/export_onnx.py --list-models
    .venv/bin/python tools/export_onnx.py --op-types FILE...   # op types before/after ORT's optimizations (JSON)
    .venv/bin/python tools/export_onnx.py --check              # exit 3 naming missing packages

Exit status: 0 done, 2 bad input, 3 a Python package is missing, 1 the export failed.
Pinned versions (tested): torch 2.11.0, transformers 5.17.0, torchvision 0.26.0, onnx 1.23.2, onnxscript 0.7.2.
"""
import argparse
import importlib
import json
import os
import sys

import reference_models as rm  # the shared model builders (tools/reference_models.py)

PINNED = rm.PINNED
OPSET = 20
SINGLE_FILE_LIMIT = 1_500_000_000  # bytes of weights; above it the weights go to FILE.data (protobuf's 2 GB limit)

# The models this tool exports (tools/reference_models.py builds them).
MODELS = ["gpt2", "gpt2-large", "gpt2-xl", "gpt2-tiny", "bert-base-uncased", "bert-tiny", "vit_b_16", "swin_t",
          "swin_b", "segformer-b0", "detr-resnet-50"]


def need(names):
    rm.need("export_onnx", names)


def export(name, out, batch, seq_len):
    spec = rm.MODELS[name]
    kind, max_len, reference = spec.kind, spec.max_len, spec.reference
    need(["torch", "onnx", "onnxscript"] + list(spec.packages))
    import torch
    from torch.export import Dim

    model, _ = rm.build(name)
    # torch.export specializes dimensions of size 0 and 1: the example needs a batch of at least 2 for the
    # batch dimension to stay dynamic.
    batch = max(batch, 2)
    batch_dim = Dim("batch", min=1, max=1024)
    example = rm.example_input(spec, model, batch, seq_len)
    input_name = rm.input_name(spec)
    if kind == "text":
        dynamic = {"x": {0: batch_dim, 1: Dim("sequence", min=2, max=max_len)}}
    else:
        dynamic = {"x": {0: batch_dim}}
    weights = sum(p.numel() * p.element_size() for p in model.parameters())
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    fixed_batch = False
    with torch.no_grad():
        try:
            program = torch.onnx.export(model, (example,), dynamo=True, opset_version=OPSET, dynamic_shapes=dynamic,
                                        input_names=[input_name])
        except Exception as e:  # torchvision's swin_t: torch.export cannot keep its batch dynamic (torch 2.11)
            if kind == "text":
                raise
            print(f"note: a dynamic batch failed ({type(e).__name__}); exporting with a fixed batch of {batch}",
                  file=sys.stderr)
            fixed_batch = True
            program = torch.onnx.export(model, (example,), dynamo=True, opset_version=OPSET, input_names=[input_name])
        program.save(out, external_data=weights > SINGLE_FILE_LIMIT)
    meta = {"model": name, "reference": reference, "file": out, "exporter": "torch.onnx.export(dynamo=True)",
            "opset": OPSET, "torch": torch.__version__, "input": input_name,
            "parameters": sum(p.numel() for p in model.parameters()), "seed": 0,
            "fixed_batch": batch if fixed_batch else None}
    print(json.dumps(meta))


def op_types(paths):
    """Op types of each file's graph, before and after ORT's full graph optimizations (CPU)."""
    need(["onnx", "onnxruntime"])
    import tempfile

    import onnx
    import onnxruntime as ort

    result = {}
    for p in paths:
        original = sorted({n.op_type for n in onnx.load(p, load_external_data=False).graph.node})
        with tempfile.TemporaryDirectory() as d:
            so = ort.SessionOptions()
            so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            so.optimized_model_filepath = os.path.join(d, "optimized.onnx")
            so.add_session_config_entry("session.optimized_model_external_initializers_file_name", "w.data")
            so.log_severity_level = 3
            ort.InferenceSession(p, so, providers=["CPUExecutionProvider"])
            optimized = sorted({n.op_type for n in onnx.load(so.optimized_model_filepath,
                                                             load_external_data=False).graph.node})
        result[os.path.splitext(os.path.basename(p))[0]] = {"original": original, "optimized": optimized}
    print(json.dumps(result, indent=1, sort_keys=True))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="model to export (--list-models)")
    ap.add_argument("--out", help="output file (default onnx/<model>.onnx)")
    ap.add_argument("--batch", type=int, default=1, help="batch of the example input (the dimension stays dynamic)")
    ap.add_argument("--seq-len", type=int, default=0, help="sequence length of the example input (stays dynamic)")
    ap.add_argument("--list-models", action="store_true")
    ap.add_argument("--check", action="store_true", help="exit 3 when a package the export needs is missing")
    ap.add_argument("--op-types", nargs="+", metavar="FILE")
    a = ap.parse_args()
    if a.list_models:
        rm.print_models(MODELS)
        return
    if a.check:
        need(["torch", "transformers", "torchvision", "onnx", "onnxscript", "timm"])
        return
    if a.op_types:
        op_types(a.op_types)
        return
    if a.model not in MODELS:
        print(f"export_onnx: unknown model '{a.model}'; valid: {', '.join(MODELS)}", file=sys.stderr)
        sys.exit(2)
    if a.batch < 1 or a.seq_len < 0:
        print("export_onnx: --batch must be at least 1 and --seq-len 0 or more", file=sys.stderr)
        sys.exit(2)
    try:
        export(a.model, a.out or f"onnx/{a.model}.onnx", a.batch, a.seq_len)
    except SystemExit:
        raise
    except Exception as e:  # one line for ngbench export
        print(f"export_onnx: exporting {a.model} failed: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}",
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
