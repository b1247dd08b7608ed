#!/usr/bin/env python3
"""Goldens for the model-fidelity tests: the aten ops Hugging Face's models issue.

Usage:
    python3 tools/golden/make_goldens.py            # regenerate every golden
    python3 tools/golden/make_goldens.py --check    # compare with the stored goldens, print a diff
    python3 tools/golden/make_goldens.py --only gpt2-tiny-eager   # one golden

Pinned versions: torch==2.11.0 and transformers==5.17.0 (the versions the C++
models follow). The tool refuses other versions unless --any-version is given,
since a golden from another version is not what the C++ models claim to match.

What a golden is: for one tiny model config and one attention implementation,
the real HF model (GPT2LMHeadModel, BertModel with pooler) is built from a config
object (nothing is downloaded; random weights), put in eval mode and run once
as a warm-up, then once more under torch.profiler (CPU, record_shapes=True)
inside torch.inference_mode. The golden lists, in order, the OUTERMOST aten ops
of that forward: ops not nested in another op. Every submodule gets forward
pre/post hooks that open/close a torch.profiler.record_function range named
after the module's class, so each op also records "module": the class of the
innermost module running it. The hook ranges themselves are not ops.

The forward is a prefill pass: input_ids only (attention_mask=None, HF's
default when only ids are given, token_type_ids=None, position_ids=None) and
use_cache=False, because ngbench measures one forward over a whole sequence
without a KV cache.

Attention: both implementations are recorded. HF 5.17's default on CPU, i.e.
config._attn_implementation of a model built from a config without
attn_implementation, is "sdpa" for GPT-2 and BERT alike; ngbench's default
(ModelOptions::attention empty) follows it.

Output: tests/models/golden/<model>-<attention>[-b<batch>-s<seq_len>].json (see GOLDENS)
    {"schema_version": 1, "generator": {"torch": ..., "transformers": ...},
     "model": "gpt2-tiny", "reference": "GPT2LMHeadModel", "attention": "eager",
     "batch": 2, "seq_len": 8, "config": {...}, "parameters": N,
     "ops": [{"name": "aten::addmm", "input_shapes": [[...], ...], "input_types": [...],
              "module": "Conv1D"}, ...]}
input_shapes is the profiler's: a list per op input, [] for non-tensors and
0-d tensors. input_types is the profiler's too (see kineto_input_types): it tells
a 0-d tensor (a Python number HF passes becomes a "wrapped number" tensor, e.g.
"double" for 0.5 * x) from a Scalar argument, which input_shapes cannot.
"""

import argparse
import json
import pathlib
import sys
import warnings

import torch
import transformers

PINNED_TORCH = "2.11.0"
PINNED_TRANSFORMERS = "5.17.0"
REPO = pathlib.Path(__file__).resolve().parents[2]
GOLDEN_DIR = REPO / "tests" / "models" / "golden"

# Every golden: (name, model, attention, batch, seq_len). The C++ fidelity test
# reads batch and seq_len back from the golden. The main ones use batch 2, seq 8;
# the edge shapes take the other branches of HF's code: batch 1 (no expand of
# position_ids in masking_utils), seq 1 (position_ids[:, :1] is the whole tensor,
# so indexing issues aten::alias instead of aten::slice; SDPA runs with
# is_causal=False), and seq == max positions for BERT (the same for the
# position_ids buffer).
GOLDENS = [
    (f"{model}-{attention}", model, attention, 2, 8)
    for model in ("gpt2-tiny", "bert-tiny") for attention in ("eager", "sdpa")
] + [
    (f"gpt2-tiny-{attention}-b1-s1", "gpt2-tiny", attention, 1, 1) for attention in ("eager", "sdpa")
] + [
    (f"bert-tiny-{attention}-b1-s32", "bert-tiny", attention, 1, 32) for attention in ("eager", "sdpa")
]

# The tiny configs; the values must equal gpt2_tiny_config() / bert_tiny_config()
# in src/models/gpt2.cc and bert.cc (the C++ test checks them against "config").
# bos/eos ids only keep GPT2Config from warning that 50256 is outside the vocab.
GPT2_TINY = dict(vocab_size=100, n_positions=32, n_embd=64, n_layer=2, n_head=4,
                 layer_norm_epsilon=1e-5, bos_token_id=99, eos_token_id=99)
BERT_TINY = dict(vocab_size=100, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                 intermediate_size=256, max_position_embeddings=32, type_vocab_size=2,
                 layer_norm_eps=1e-12)


def build(model, attention):
    """The HF model for one golden, with seeded random weights, in eval mode."""
    torch.manual_seed(0)
    if model == "gpt2-tiny":
        config = transformers.GPT2Config(**GPT2_TINY, attn_implementation=attention)
        m = transformers.GPT2LMHeadModel(config)
        vocab = GPT2_TINY["vocab_size"]
        cfg = GPT2_TINY
    elif model == "bert-tiny":
        config = transformers.BertConfig(**BERT_TINY, attn_implementation=attention)
        m = transformers.BertModel(config, add_pooling_layer=True)
        vocab = BERT_TINY["vocab_size"]
        cfg = BERT_TINY
    else:
        raise ValueError(f"unknown model {model}")
    assert m.config._attn_implementation == attention, m.config._attn_implementation
    return m.eval(), vocab, cfg


class ModuleRanges:
    """Forward hooks that wrap every module's forward in a record_function range."""

    def __init__(self, root):
        self.stack = []
        self.handles = []
        for mod in root.modules():
            self.handles.append(mod.register_forward_pre_hook(self._enter))
            self.handles.append(mod.register_forward_hook(self._exit))

    def _enter(self, mod, args):
        rf = torch.profiler.record_function(type(mod).__name__)
        rf.__enter__()
        self.stack.append(rf)

    def _exit(self, mod, args, output):
        self.stack.pop().__exit__(None, None, None)

    def remove(self):
        for h in self.handles:
            h.remove()


def outermost_ops(events, input_types, scope_names):
    """The ops whose ancestors are all hook ranges, in execution order, with their innermost range.

    input_types maps an event id (the kineto correlation id) to the profiler's per-input
    type names: a tensor's dtype ("float", "long int", "double", "bool"), "Scalar" for
    numbers, bools and dtypes, "ScalarList" for int lists, "TensorList", "" for None and
    anything else (devices, strings).
    """
    children = {}
    roots = []
    for ev in events:
        parent = ev.cpu_parent
        (children.setdefault(parent.id, []) if parent is not None else roots).append(ev)

    def is_scope(ev):
        user = getattr(ev, "is_user_annotation", None)
        return ev.name in scope_names and (user is None or user)

    ops = []

    def visit(evs, module):
        for ev in sorted(evs, key=lambda e: (e.time_range.start, e.id)):
            if is_scope(ev):
                visit(children.get(ev.id, []), ev.name)
            else:
                if not ev.name.startswith("aten::"):
                    raise RuntimeError(f"unexpected outermost event {ev.name!r}")
                ops.append({"name": ev.name, "input_shapes": ev.input_shapes,
                            "input_types": input_types[ev.id], "module": module})

    visit(roots, None)
    return ops


def kineto_input_types(prof):
    """Event id -> input type names; FunctionEvent.id is the kineto event's correlation id."""
    return {e.correlation_id(): list(e.dtypes()) for e in prof.profiler.kineto_results.events()}


def make_golden(model, attention, batch, seq_len):
    m, vocab, cfg = build(model, attention)
    gen = torch.Generator().manual_seed(1)
    input_ids = torch.randint(0, vocab, (batch, seq_len), generator=gen, dtype=torch.long)
    # use_cache=False: a prefill pass without KV cache (see the module docstring).
    kwargs = dict(input_ids=input_ids, use_cache=False)
    with torch.inference_mode():
        m(**kwargs)  # warm-up: one-time lazy work stays out of the golden
        ranges = ModuleRanges(m)
        scope_names = {type(x).__name__ for x in m.modules()}
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU],
                                    record_shapes=True) as prof:
            m(**kwargs)
        ranges.remove()
    return {
        "schema_version": 1,
        "generator": {"torch": torch.__version__, "transformers": transformers.__version__},
        "model": model,
        "reference": type(m).__name__,
        "attention": attention,
        "batch": batch,
        "seq_len": seq_len,
        "config": cfg,
        "parameters": sum(p.numel() for p in m.parameters()),
        "ops": outermost_ops(prof.events(), kineto_input_types(prof), scope_names),
    }


def fmt_op(op):
    return f"{op['name']} {op['input_shapes']} {op['input_types']} [{op['module']}]"


def diff(old, new):
    """Printable differences between two goldens' op lists (empty if equal)."""
    import difflib
    a = [fmt_op(o) for o in old["ops"]]
    b = [fmt_op(o) for o in new["ops"]]
    return list(difflib.unified_diff(a, b, "stored", "regenerated", lineterm=""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="diff against the stored goldens, write nothing")
    ap.add_argument("--only", action="append", help="a golden name like gpt2-tiny-sdpa (repeatable)")
    ap.add_argument("--any-version", action="store_true", help="allow unpinned torch/transformers")
    args = ap.parse_args()

    versions = (torch.__version__.split("+")[0], transformers.__version__)
    if versions != (PINNED_TORCH, PINNED_TRANSFORMERS) and not args.any_version:
        sys.exit(f"need torch=={PINNED_TORCH} and transformers=={PINNED_TRANSFORMERS}, "
                 f"have {versions[0]} and {versions[1]} (or pass --any-version)")
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore", message=".*Profiler clears events.*")

    failed = False
    for name, model, attention, batch, seq_len in GOLDENS:
        if args.only and name not in args.only:
            continue
        golden = make_golden(model, attention, batch, seq_len)
        path = GOLDEN_DIR / f"{name}.json"
        if args.check:
            old = json.loads(path.read_text()) if path.exists() else {"ops": []}
            d = diff(old, golden)
            # Everything but the op list and the generator versions must match too.
            for key in golden:
                if key not in ("ops", "generator") and old.get(key) != golden[key]:
                    d.append(f"{key}: stored {old.get(key)!r}, regenerated {golden[key]!r}")
            print(f"{name}: {'differs' if d else 'same'} ({len(golden['ops'])} ops)")
            for line in d:
                print("  " + line)
            failed |= bool(d)
        else:
            GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(golden, indent=1) + "\n")
            print(f"wrote {path.relative_to(REPO)} ({len(golden['ops'])} ops)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
