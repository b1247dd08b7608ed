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

PINNED = {"torch": "2.11.0", "transformers": "5.17.0", "torchvision": "0.26.0", "onnx": "1.23.2",
          "onnxscript": "0.7.2"}
OPSET = 20
SINGLE_FILE_LIMIT = 1_500_000_000  # bytes of weights; above it the weights go to FILE.data (protobuf's 2 GB limit)


def _gpt2(**kw):
    import transformers
    return transformers.GPT2LMHeadModel(transformers.GPT2Config(**kw))


def _bert(**kw):
    import transformers
    return transformers.BertModel(transformers.BertConfig(**kw))


def _torchvision(name):
    import torchvision
    return getattr(torchvision.models, name)(weights=None)


def _segformer():
    import transformers
    # nvidia/segformer-b0-finetuned-ade-512-512: the mit-b0 encoder (SegformerConfig's defaults), ADE20k's 150 labels.
    return transformers.SegformerForSemanticSegmentation(transformers.SegformerConfig(num_labels=150))


# name -> (kind, builder, default seq_len or image size, max seq_len, reference)
MODELS = {
    "gpt2": ("text", lambda: _gpt2(), 256, 1024, "hf:gpt2 (GPT2LMHeadModel)"),
    "gpt2-large": ("text", lambda: _gpt2(n_embd=1280, n_layer=36, n_head=20), 256, 1024, "hf:gpt2-large"),
    "gpt2-xl": ("text", lambda: _gpt2(n_embd=1600, n_layer=48, n_head=25), 512, 1024, "hf:gpt2-xl"),
    "gpt2-tiny": ("text", lambda: _gpt2(vocab_size=100, n_positions=32, n_embd=64, n_layer=2, n_head=4), 16, 32,
                  "hf:GPT2LMHeadModel(tiny config)"),
    "bert-base-uncased": ("text", lambda: _bert(), 128, 512, "hf:bert-base-uncased (BertModel with pooler)"),
    "bert-tiny": ("text", lambda: _bert(vocab_size=100, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                                        intermediate_size=256, max_position_embeddings=32), 16, 32,
                  "hf:BertModel(tiny config)"),
    "vit_b_16": ("image", lambda: _torchvision("vit_b_16"), 224, 0, "torchvision:vit_b_16"),
    "swin_t": ("image", lambda: _torchvision("swin_t"), 224, 0, "torchvision:swin_t"),
    "segformer-b0": ("image", _segformer, 512, 0, "hf:nvidia/segformer-b0-finetuned-ade-512-512"),
}


def missing_packages(names):
    """The packages among names that cannot be imported, each with the reason: being found is not enough (the
    torch wheel is found without the CUDA libraries it loads, and then fails to import)."""
    miss = []
    for n in names:
        try:
            importlib.import_module(n)
        except Exception as e:  # ImportError, or OSError from a library a wheel loads
            miss.append(n if isinstance(e, ModuleNotFoundError) and e.name == n else f"{n} ({e})")
    return miss


def need(names):
    miss = missing_packages(names)
    if miss:
        print(f"export_onnx: missing Python packages in {sys.prefix}: {', '.join(miss)}; scripts/setup.sh installs "
              f"them into the project environment .venv (or into $NGBENCH_VENV), pinned: "
              + " ".join(f"{n}=={PINNED[n]}" for n in names if n in PINNED), file=sys.stderr)
        sys.exit(3)


class _Wrap:
    """Plain tensor outputs (logits; BERT's last_hidden_state and pooler_output) for the exporter."""

    @staticmethod
    def make(model, kind):
        import torch

        class W(torch.nn.Module):
            def __init__(self, m):
                super().__init__()
                self.m = m

            def forward(self, x):
                if kind == "text":
                    out = self.m(input_ids=x, use_cache=False) if "GPT2" in type(self.m).__name__ else self.m(input_ids=x)
                else:
                    out = self.m(pixel_values=x) if hasattr(self.m, "config") else self.m(x)
                if isinstance(out, torch.Tensor):
                    return out
                if hasattr(out, "logits"):
                    return out.logits
                return out.last_hidden_state, out.pooler_output

        return W(model).eval()


def export(name, out, batch, seq_len):
    kind, build, default_len, max_len, reference = MODELS[name]
    need(["torch", "onnx", "onnxscript"] + (["torchvision"] if name in ("vit_b_16", "swin_t") else ["transformers"]))
    import torch
    from torch.export import Dim

    torch.manual_seed(0)
    model = _Wrap.make(build().eval(), kind)
    # torch.export specializes dimensions of size 0 and 1: the example needs a batch of at least 2 for the
    # batch dimension to stay dynamic.
    batch = max(batch, 2)
    batch_dim = Dim("batch", min=1, max=1024)
    if kind == "text":
        s = seq_len or default_len
        example = torch.randint(0, model.m.config.vocab_size, (batch, s), dtype=torch.int64)
        dynamic = {"x": {0: batch_dim, 1: Dim("sequence", min=2, max=max_len)}}
        input_name = "input_ids"
    else:
        size = default_len
        example = torch.randn(batch, 3, size, size)
        dynamic = {"x": {0: batch_dim}}
        input_name = "pixel_values"
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
        for name, (kind, _, length, _, ref) in MODELS.items():
            print(f"{name:<20} {kind:<6} {ref}")
        return
    if a.check:
        need(["torch", "transformers", "torchvision", "onnx", "onnxscript"])
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
