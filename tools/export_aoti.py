#!/usr/bin/env python3
"""Compiles ngbench's reference models into AOTInductor packages for the inductor flow (docs/inductor.md).

The model is the built-in model's reference implementation (tools/reference_models.py: the same Hugging Face or
torchvision class and configuration, seeded random weights, the input shape ngbench feeds), captured with
torch.export.export(strict=False) and compiled with torch._inductor.aoti_compile_and_package. Every setting that
changes the package is fixed at compile time and recorded: batch, sequence length, dtype, device, the thread count
(cpp.threads: a package compiled for 2 threads and run with 1 was seen 200x slower), freezing, depth (--layers) and
the attention implementation. Settings that make the package profilable and explainable: cpp.enable_kernel_profile
(one RecordFunction range per generated kernel and per extern shim call) and trace.provenance_tracking_level=1
(kernel_information.json in the package: kernel -> the exported graph's nodes).

Beside FILE.pt2 it writes FILE.json, the sidecar: the exported graph's nodes (name, aten target, output shapes, the
repeated-layer class they lie in), the inputs, the torch version, thread count, CPU ISA and the CPU's vector flags,
the inductor settings, and the package's size.

    .venv/bin/python tools/export_aoti.py --model gpt2 --out aoti/gpt2.pt2 --threads 2 --freezing on
    .venv/bin/python tools/export_aoti.py --list-models      # name, kind, reference
    .venv/bin/python tools/export_aoti.py --list-unsupported # the built-in models it cannot compile, and why
    .venv/bin/python tools/export_aoti.py --check            # exit 3 naming missing packages

Exit status: 0 done, 2 bad input (an unknown or unsupported model, no CUDA device), 3 a Python package is missing,
1 the export or the compile failed. Pinned versions (tested): torch 2.11.0, transformers 5.17.0, torchvision 0.26.0.
"""
import argparse
import json
import os
import platform
import re
import sys
import time

import inductor_patches  # fixes for Inductor code-generation bugs (tools/inductor_patches.py)
import reference_models as rm  # the shared model builders (tools/reference_models.py)

TOOL = "export_aoti"
SIDECAR_SCHEMA = 2  # 2: compiled under no_grad (before, freezing=True changed nothing), inductor_patches

# Built-in models that cannot become an AOTInductor package, with the reason (`ngbench run --flow inductor` refuses
# them with this line).
UNSUPPORTED = {
    "fasterrcnn_resnet50_fpn": "data-dependent control flow (NMS keeps a data-dependent number of boxes) cannot be "
                               "captured by torch.export",
    "maskrcnn_resnet50_fpn": "data-dependent control flow (NMS keeps a data-dependent number of boxes) cannot be "
                             "captured by torch.export",
    "fasterrcnn-tiny": "data-dependent control flow (NMS) cannot be captured by torch.export",
    "maskrcnn-tiny": "data-dependent control flow (NMS) cannot be captured by torch.export",
}

# The models this tool compiles (tools/reference_models.py builds them).
MODELS = ["gpt2", "gpt2-large", "gpt2-xl", "gpt2-tiny", "bert-base-uncased", "bert-tiny", "llama2-7b", "llama-tiny",
          "vit_b_16", "vit-test", "swin_t", "swin_b", "swin-test", "segformer-b0", "segformer-test", "detr-resnet-50",
          "detr-tiny"]

# The CPU flags that decide which vector ISA Inductor's C++ kernels are compiled for (x86: AVX2, AVX512, VNNI, BF16,
# AMX; Arm: NEON, SVE). A package compiled where these differ from the running CPU's is refused.
ISA_FLAGS = ["sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512vl", "avx512bw", "avx512_vnni",
             "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8", "asimd", "sve", "sve2"]


def fail(status, message):
    print(f"{TOOL}: {message}", file=sys.stderr)
    sys.exit(status)


def cpu_flags():
    """The ISA-relevant flags of this CPU (/proc/cpuinfo), sorted."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith(("flags", "Features")):
                    have = set(line.split(":", 1)[1].split())
                    return sorted(f for f in ISA_FLAGS if f in have)
    except OSError:
        pass
    return []


def short_target(target):
    """'aten.addmm.default' -> 'aten::addmm' (the dispatcher's operator name, as the eager taxonomy names it)."""
    s = str(target)
    m = re.match(r"^(\w+)\.(\w+)(\.\w+)?$", s)
    return f"{m.group(1)}::{m.group(2)}" if m else s


def shapes_of(value):
    """Output shapes of a node's example value: a tensor, or a tuple/list of them ([] for non-tensors); symbolic
    dimensions are -1."""
    import torch
    if isinstance(value, torch.Tensor):
        return [[int(d) if isinstance(d, int) else -1 for d in value.shape]]
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            out += shapes_of(v)
        return out
    return []


DEPENDS = ["none", "params", "input"]


def graph_nodes(program):
    """The exported graph's call_function nodes: name, target (aten::op), whether it is an operator overload, output
    shapes, the module classes enclosing it (outermost first, without the wrapper), and what it depends on: the
    model's input, the weights only (foldable into constants under freezing) or nothing (constants)."""
    import torch
    from torch.export.graph_signature import InputKind
    user_inputs = {s.arg.name for s in program.graph_signature.input_specs if s.kind == InputKind.USER_INPUT}
    dep = {}
    nodes = []
    for n in program.graph.nodes:
        if n.op == "placeholder":
            dep[n.name] = 2 if n.name in user_inputs else 1
            continue
        if n.op == "get_attr":
            dep[n.name] = 1
            continue
        if n.op != "call_function":
            continue
        dep[n.name] = max([dep.get(i.name, 0) for i in n.all_input_nodes] + [0])
        stack = n.meta.get("nn_module_stack") or {}
        classes = [cls.rsplit(".", 1)[-1] for _, cls in stack.values()][1:]  # [0] is the wrapper
        nodes.append({"name": n.name, "target": short_target(n.target),
                      "op": isinstance(n.target, torch._ops.OpOverload),
                      "shapes": shapes_of(n.meta.get("val")), "modules": classes, "depends_on": DEPENDS[dep[n.name]]})
    return nodes


def export(a):
    spec = rm.MODELS[a.model]
    rm.need(TOOL, ["torch"] + list(spec.packages))
    import torch
    from torch._inductor import cpu_vec_isa

    if a.device == "cuda" and not torch.cuda.is_available():
        fail(2, "--device cuda needs an NVIDIA GPU visible to torch (Triton compiles the kernels on the device); "
                "none is here: export on the GPU machine, or use --device cpu")
    if a.layers and (spec.kind != "text" or a.layers > spec.layers):
        fail(2, f"--layers {a.layers} is not valid for {a.model}; valid: a language model's 1 to {spec.layers or '-'}")
    if a.attention and not spec.attention:
        fail(2, f"--attention does not apply to {a.model}")
    dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[a.dtype]
    torch.set_num_threads(a.threads)
    model, spec = rm.build(a.model, a.layers, a.attention)
    model = model.to(device=a.device, dtype=dtype)
    example = rm.example_input(spec, model, a.batch, a.seq_len, dtype).to(a.device)
    seq_len = example.shape[1] if spec.kind == "text" else 0
    if spec.kind == "text" and seq_len > spec.max_len:
        fail(2, f"--seq-len {seq_len} is longer than {a.model}'s {spec.max_len}")

    t0 = time.time()
    with torch.no_grad():
        program = torch.export.export(model, (example,), strict=False)
    export_s = time.time() - t0
    configs = {
        "cpp.enable_kernel_profile": True,        # a RecordFunction range per generated kernel and extern call
        "trace.provenance_tracking_level": 1,     # kernel_information.json: kernel -> original graph nodes
        "freezing": a.freezing == "on",           # weights as constants: folding, prepacking, conv+bn folding
    }
    if a.device == "cpu":
        configs["cpp.threads"] = a.threads        # OpenMP threads of the generated kernels, fixed at compile time
    for kv in a.inductor_config or []:            # e.g. cpp.simdlen=512, for experiments (recorded in the sidecar)
        k, v = kv.split("=", 1)
        try:
            configs[k] = json.loads(v)
        except ValueError:
            configs[k] = v
    out = os.path.abspath(a.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    patches = inductor_patches.apply()
    t1 = time.time()
    # Without grad: Inductor applies freezing only when grad is off at compile time (compile_fx: `config.freezing
    # and not torch.is_grad_enabled()`); compiled with grad on, freezing=True silently changed nothing.
    with torch.no_grad():
        torch._inductor.aoti_compile_and_package(program, package_path=out, inductor_configs=configs)
    compile_s = time.time() - t1

    isa = str(cpu_vec_isa.pick_vec_isa()).upper() if a.device == "cpu" else ""
    sidecar = {
        "schema_version": SIDECAR_SCHEMA,
        "tool": TOOL,
        "model": a.model,
        "reference": spec.reference,
        "package": os.path.basename(out),
        "package_bytes": os.path.getsize(out),
        "torch": torch.__version__,
        "device": a.device,
        "dtype": a.dtype,
        "batch": a.batch,
        "seq_len": int(seq_len),
        "layers": a.layers,
        "layers_total": spec.layers,
        "layer_class": spec.layer_class,
        "attention": a.attention or "",
        "threads": a.threads,
        "freezing": a.freezing == "on",
        "cpu_isa": isa,
        "cpu_flags": cpu_flags() if a.device == "cpu" else [],
        "machine": platform.machine(),
        "inductor_configs": configs,
        "inductor_patches": patches,
        "inputs": [{"name": rm.input_name(spec), "dtype": str(example.dtype).replace("torch.", ""),
                    "shape": list(example.shape),
                    "high": rm.vocab_size(model) if spec.kind == "text" else 0}],
        "parameters": sum(p.numel() for p in model.parameters()),
        "seed": 0,
        "export_s": round(export_s, 1),
        "compile_s": round(compile_s, 1),
        "nodes": graph_nodes(program),
    }
    side = os.path.splitext(out)[0] + ".json"
    with open(side + ".tmp", "w") as f:
        json.dump(sidecar, f, indent=0)
    os.replace(side + ".tmp", side)
    print(json.dumps({k: sidecar[k] for k in ("model", "package", "package_bytes", "torch", "cpu_isa", "threads",
                                               "freezing", "batch", "seq_len", "dtype", "export_s", "compile_s")}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="model to compile (--list-models)")
    ap.add_argument("--out", help="the package to write (FILE.pt2; the sidecar is FILE.json)")
    ap.add_argument("--batch", type=int, default=1, help="batch (fixed in the package)")
    ap.add_argument("--seq-len", type=int, default=0, help="sequence length (fixed); 0: the model's default")
    ap.add_argument("--dtype", default="float32", choices=["float32", "bfloat16", "float16"])
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--threads", type=int, default=0, help="threads the package runs with (0: os.cpu_count())")
    ap.add_argument("--freezing", default="on", choices=["on", "off"])
    ap.add_argument("--layers", type=int, default=0, help="build N of a language model's layers (0: all)")
    ap.add_argument("--attention", default="", choices=["", "sdpa", "eager"], help="transformers' attention")
    ap.add_argument("--inductor-config", action="append", metavar="KEY=VALUE", help="an extra inductor setting")
    ap.add_argument("--list-models", action="store_true")
    ap.add_argument("--list-unsupported", action="store_true")
    ap.add_argument("--check", action="store_true", help="exit 3 when a package the export needs is missing")
    a = ap.parse_args()
    if a.list_models:
        rm.print_models(MODELS)
        return
    if a.list_unsupported:
        for name, why in UNSUPPORTED.items():
            print(f"{name}\t{why}")
        return
    if a.check:
        rm.need(TOOL, ["torch", "transformers", "torchvision", "timm"])
        return
    if a.model in UNSUPPORTED:
        fail(2, f"{a.model} is not supported on flow inductor: {UNSUPPORTED[a.model]}")
    if a.model not in MODELS:
        fail(2, f"unknown model '{a.model}'; valid: {', '.join(MODELS)}")
    if a.batch < 1 or a.seq_len < 0 or a.layers < 0:
        fail(2, "--batch must be at least 1, --seq-len and --layers 0 or more")
    if not a.out:
        fail(2, "--out FILE.pt2 is required")
    a.threads = a.threads or os.cpu_count() or 1
    try:
        export(a)
    except SystemExit:
        raise
    except Exception as e:  # one line for ngbench export
        text = str(e).strip().splitlines()
        fail(1, f"compiling {a.model} failed: {type(e).__name__}: {text[0] if text else ''}"[:600])


if __name__ == "__main__":
    main()
