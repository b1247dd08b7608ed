#!/usr/bin/env python3
"""Goldens for the model-fidelity tests: the aten ops Hugging Face's models issue.

Usage:
    .venv/bin/python tools/golden/make_goldens.py            # regenerate every golden
    .venv/bin/python tools/golden/make_goldens.py --check    # compare with the stored goldens, print a diff
    .venv/bin/python tools/golden/make_goldens.py --only gpt2-tiny-eager   # one golden
    .venv/bin/python tools/golden/make_goldens.py --param-counts  # HF's parameter counts of the published configs

Pinned versions: torch==2.11.0 and transformers==5.17.0 (the versions the C++
models follow). The tool refuses other versions unless --any-version is given,
since a golden from another version is not what the C++ models claim to match.

What a golden is: for one tiny model config and one attention implementation,
the real HF model (GPT2LMHeadModel, BertModel with pooler, LlamaForCausalLM,
MixtralForCausalLM; one builder module per family: gpt2.py, bert.py, llama.py,
mixtral.py) is built from a config object (nothing is downloaded; random weights
from torch.manual_seed(0)), put in eval mode and run once as a warm-up, then once
more under torch.profiler (CPU, record_shapes=True) inside torch.inference_mode.
The golden lists, in order, the OUTERMOST aten ops of that forward: ops not nested
in another op. Every submodule gets forward pre/post hooks that open/close a
torch.profiler.record_function range named after the module's class, so each op
also records "module": the class of the innermost module running it. The hook
ranges themselves are not ops.

The forward is a prefill pass: input_ids only (attention_mask=None, HF's
default when only ids are given, token_type_ids=None, position_ids=None) and
use_cache=False, because ngbench measures one forward over a whole sequence
without a KV cache.

With the KV cache (see spec's phase), for the causal LMs:
- "<name>-cache": the same prefill with use_cache=True (HF's default), so the
  forward creates a DynamicCache and fills it (lazy_initialization's torch.tensor([])
  and a torch.cat per layer for keys and for values). The golden adds "kv_cache": true
  (absent means false).
- "<name>-decode": one step of greedy generation, as generate runs it
  (GenerationMixin._sample). input_ids are the prefill's ids (the context,
  seq_len = context), attention_mask = torch.ones_like(ids) as a tokenizer returns it,
  do_sample=False, max_new_tokens=3, the model's default generation config otherwise.
  generate runs once as a warm-up, then once under the profiler, inside
  torch.inference_mode, with the module ranges. An instance attribute wrapping
  prepare_inputs_for_generation opens and closes an empty STEP_MARKER range
  ("ngbench::step") at each call: call 0 is _prefill's, call k the k-th decode
  step's. The golden lists the outermost ops that start between markers 1 and 2,
  i.e. all of decode step 1 (the first decode step over the DynamicCache): the
  inputs' slicing in prepare_inputs_for_generation, the forward,
  _update_model_kwargs_for_generation (position_ids and attention_mask cat), the
  logits[:, -1] copy to float32, argmax, the eos masking, the cat into input_ids,
  the stopping criteria and the stop check; ops outside any module have module None.
  It adds "phase": "decode", "context", "step": 1, "kv_cache": true and
  "generated_ids" (the 3 generated tokens per row; for the weight families the
  decode step's input token is generated_ids[:, 0], so both sides route alike).

Attention: both implementations are recorded. HF 5.17's default on CPU, i.e.
config._attn_implementation of a model built from a config without
attn_implementation, is "sdpa" for every family here; ngbench's default
(ModelOptions::attention empty) follows it.

Weights (Llama and Mixtral families, see WEIGHTS): which ops a mixture-of-experts
layer runs, and on which shapes, depends on the routing, i.e. on the weights and
the token ids. So for these families the tool also writes the tiny model's
state_dict (float32, seed 0) to tests/models/golden/<model>.weights.bin with an
index <model>.weights.json, together with input ids and the logits HF computes
for them; each golden then records its own input ids. The C++ test loads the
same weights and feeds the same ids, so both sides route identically, and it
checks the logits numerically too (which also proves the RoPE frequencies,
computed at construction, outside the profiled forward).

dtype: a golden in bfloat16 builds the model as from_pretrained(dtype=...) does
(PreTrainedModel._from_config(config, dtype=...): parameters in that dtype, the
RoPE inv_freq buffers computed in float32 and left so), then loads the float32
weights (load_state_dict casts them).

Output: tests/models/golden/<name>.json (see GOLDENS)
    {"schema_version": 1, "generator": {"torch": ..., "transformers": ...},
     "model": "gpt2-tiny", "reference": "GPT2LMHeadModel", "attention": "eager",
     "batch": 2, "seq_len": 8, ["phase": "decode", "context": 8, "step": 1,] ["kv_cache": true,]
     "config": {...}, "parameters": N,
     ["dtype": "bfloat16", "experts": "eager", "weights": "llama-tiny", "input_ids": [[...]],]
     ["generated_ids": [[...]],]
     "ops": [{"name": "aten::addmm", "input_shapes": [[...], ...], "input_types": [...],
              "module": "Conv1D"}, ...]}
The bracketed keys are present for the weight-loading families only (dtype and
experts when they are not the defaults, float32 and HF's default experts).
input_shapes is the profiler's: a list per op input, [] for non-tensors and
0-d tensors. input_types is the profiler's too (see kineto_input_types): it tells
a 0-d tensor (a Python number HF passes becomes a "wrapped number" tensor, e.g.
"double" for 0.5 * x) from a Scalar argument, which input_shapes cannot.
"""

import argparse
import functools
import json
import pathlib
import sys
import warnings

import torch
import transformers

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bert  # noqa: E402  (the family builders live beside this file)
import gpt2  # noqa: E402
import llama  # noqa: E402
import mixtral  # noqa: E402

PINNED_TORCH = "2.11.0"
PINNED_TRANSFORMERS = "5.17.0"
REPO = pathlib.Path(__file__).resolve().parents[2]
GOLDEN_DIR = REPO / "tests" / "models" / "golden"

# Tiny model name -> its family's builder module (build(model, attention, experts)).
BUILDERS = {name: family for family in (gpt2, bert, llama, mixtral) for name in family.TINY}
# The tiny configs the C++ headers name (gpt2.h, bert.h); they live in the family modules.
GPT2_TINY = gpt2.TINY["gpt2-tiny"]
BERT_TINY = bert.TINY["bert-tiny"]

# Models whose goldens load a dumped state_dict and record their input ids (see the docstring).
WEIGHTS = ("llama-tiny", "llama3-tiny", "mixtral-tiny")
WEIGHTS_BATCH, WEIGHTS_SEQ = 2, 8  # the ids stored with the weights and their reference logits


PHASES = ("prefill", "cache", "decode")  # what is recorded; see the module docstring


def spec(model, attention, batch=2, seq_len=8, dtype="float32", experts=None, phase="prefill"):
    """One golden: its file name and how to make it (for phase "decode", seq_len is the context)."""
    assert phase in PHASES, phase
    name = f"{model}-{attention}"
    if experts is not None:
        name += f"-experts-{experts}"
    if dtype != "float32":
        name += f"-{dtype}"
    if (batch, seq_len) != (2, 8):
        name += f"-b{batch}-s{seq_len}"
    if phase != "prefill":
        name += f"-{phase}"
    return dict(name=name, model=model, attention=attention, batch=batch, seq_len=seq_len, dtype=dtype,
                experts=experts, phase=phase)


# Every golden. The C++ fidelity test reads batch, seq_len, dtype and experts back
# from the golden. The main ones use batch 2, seq 8; the edge shapes take the other
# branches of HF's code: batch 1 (no expand of position_ids in masking_utils), seq 1
# (position_ids[:, :1] is the whole tensor, so indexing issues aten::alias instead of
# aten::slice; SDPA runs with is_causal=False), and seq == max positions for BERT (the
# same for the position_ids buffer). bfloat16 takes the dtype casts (RMSNorm, RoPE,
# eager softmax in float32, the router's .float(), grouped_mm's casts). Mixtral's
# experts run as HF's default (grouped_mm) and as the per-expert loop ("eager").
# The KV-cache goldens (phase "cache" and "decode") cover the three families' default
# configs; llama3-tiny's decode adds GQA, gpt2-tiny's at batch 1, context 1 the edge shape.
ATTENTIONS = ("eager", "sdpa")
GOLDENS = (
    [spec(m, a) for m in ("gpt2-tiny", "bert-tiny") for a in ATTENTIONS]
    + [spec("gpt2-tiny", a, 1, 1) for a in ATTENTIONS]
    + [spec("bert-tiny", a, 1, 32) for a in ATTENTIONS]
    + [spec(m, a) for m in ("llama-tiny", "llama3-tiny", "mixtral-tiny") for a in ATTENTIONS]
    + [spec("llama-tiny", a, 1, 1) for a in ATTENTIONS]
    + [spec("mixtral-tiny", a, experts="eager") for a in ATTENTIONS]
    + [spec("mixtral-tiny", "sdpa", 1, 1), spec("mixtral-tiny", "sdpa", 1, 1, experts="eager")]
    + [spec("llama3-tiny", "eager", dtype="bfloat16"), spec("mixtral-tiny", "sdpa", dtype="bfloat16"),
       spec("mixtral-tiny", "eager", dtype="bfloat16", experts="eager")]
    # With the KV cache: the same prefill filling HF's DynamicCache, and one greedy decode step.
    + [spec(m, a, phase=p) for m in ("gpt2-tiny", "llama-tiny", "mixtral-tiny") for a in ATTENTIONS
       for p in ("cache", "decode")]
    + [spec("llama3-tiny", "sdpa", phase="decode"), spec("gpt2-tiny", "sdpa", 1, 1, phase="decode")]
)


def build(model, attention, dtype="float32", experts=None):
    """The HF model for one golden, with seeded random weights, in eval mode."""
    torch.manual_seed(0)
    m, vocab, cfg = BUILDERS[model].build(model, attention, experts)
    assert m.config._attn_implementation == attention, m.config._attn_implementation
    if dtype != "float32":
        # As from_pretrained(dtype=...): built in that dtype (RoPE inv_freq stays float32),
        # then the float32 weights loaded into it.
        state = m.state_dict()
        m = type(m)._from_config(m.config, dtype=getattr(torch, dtype))
        m.load_state_dict(state)
        assert m.config._attn_implementation == attention, m.config._attn_implementation
    return m.eval(), vocab, cfg


def input_ids(vocab, batch, seq_len):
    gen = torch.Generator().manual_seed(1)
    return torch.randint(0, vocab, (batch, seq_len), generator=gen, dtype=torch.long)


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


def outermost_ops(events, input_types, scope_names, step=None):
    """The ops whose ancestors are all hook ranges, in execution order, with their innermost range.

    With step=k, only the top-level events strictly between the k-th and the (k+1)-th
    STEP_MARKER (counted from 0, in execution order) are taken: one decode step.

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

    if step is not None:
        roots.sort(key=lambda e: (e.time_range.start, e.id))
        at = [i for i, ev in enumerate(roots) if ev.name == STEP_MARKER]
        if len([ev for ev in events if ev.name == STEP_MARKER]) != len(at):
            raise RuntimeError(f"a {STEP_MARKER} marker is nested in another event")
        if any(roots[i].id in children for i in at):
            raise RuntimeError(f"a {STEP_MARKER} marker has children")
        if len(at) < step + 2:
            raise RuntimeError(f"{len(at)} {STEP_MARKER} markers, need {step + 2}")
        roots = roots[at[step] + 1:at[step + 1]]

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


def profile_forward(m, ids, use_cache):
    """One forward over ids (after a warm-up), profiled with the module ranges."""
    kwargs = dict(input_ids=ids, use_cache=use_cache)
    with torch.inference_mode():
        m(**kwargs)  # warm-up: one-time lazy work stays out of the golden
        ranges = ModuleRanges(m)
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU],
                                    record_shapes=True) as prof:
            m(**kwargs)
        ranges.remove()
    return prof


STEP_MARKER = "ngbench::step"  # an empty range opened at each prepare_inputs_for_generation call
DECODE_NEW_TOKENS = 3  # max_new_tokens of the decode goldens' generate: prefill, step 1 (recorded), step 2
DECODE_STEP = 1  # the recorded step: between markers 1 and 2 (marker 0 is the prefill's call)


def profile_generate(m, ids):
    """Greedy generate over ids (after a warm-up), profiled with module ranges and step markers.

    Returns (profile, sequences). The markers come from an instance attribute wrapping
    prepare_inputs_for_generation (functools.wraps keeps its signature for generate's checks).
    """
    original = m.prepare_inputs_for_generation

    @functools.wraps(original)
    def marked(*args, **kwargs):
        with torch.profiler.record_function(STEP_MARKER):
            pass
        return original(*args, **kwargs)

    # attention_mask as a tokenizer returns it (no padding); everything else generate's defaults.
    kwargs = dict(input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=False,
                  max_new_tokens=DECODE_NEW_TOKENS)
    m.prepare_inputs_for_generation = marked
    try:
        with torch.inference_mode():
            m.generate(**kwargs)  # warm-up
            ranges = ModuleRanges(m)
            with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU],
                                        record_shapes=True) as prof:
                sequences = m.generate(**kwargs)
            ranges.remove()
    finally:
        del m.prepare_inputs_for_generation
    return prof, sequences


def make_golden(g):
    m, vocab, cfg = build(g["model"], g["attention"], g["dtype"], g["experts"])
    ids = input_ids(vocab, g["batch"], g["seq_len"])
    scope_names = {type(x).__name__ for x in m.modules()}
    step = None
    if g["phase"] == "decode":
        prof, sequences = profile_generate(m, ids)
        generated = sequences[:, ids.shape[1]:]
        if generated.shape[1] != DECODE_NEW_TOKENS:
            raise RuntimeError(f"{g['name']}: generate stopped after {generated.shape[1]} tokens")
        markers = sum(ev.name == STEP_MARKER for ev in prof.events())
        if markers != DECODE_NEW_TOKENS:  # the prefill's call and one per decode step
            raise RuntimeError(f"{g['name']}: {markers} {STEP_MARKER} markers, expected {DECODE_NEW_TOKENS}")
        step = DECODE_STEP
    else:
        # prefill: use_cache=False, no KV cache; cache: use_cache=True (see the module docstring).
        prof = profile_forward(m, ids, use_cache=g["phase"] == "cache")
    golden = {
        "schema_version": 1,
        "generator": {"torch": torch.__version__, "transformers": transformers.__version__},
        "model": g["model"],
        "reference": type(m).__name__,
        "attention": g["attention"],
        "batch": g["batch"],
        "seq_len": g["seq_len"],
    }
    if g["phase"] == "decode":
        golden.update(phase="decode", context=g["seq_len"], step=step)
    if g["phase"] != "prefill":
        golden["kv_cache"] = True
    golden.update({
        "config": cfg,
        "parameters": sum(p.numel() for p in m.parameters()),
    })
    if g["model"] in WEIGHTS:
        if g["dtype"] != "float32":
            golden["dtype"] = g["dtype"]
        if g["experts"] is not None:
            golden["experts"] = g["experts"]
        golden["weights"] = g["model"]
        golden["input_ids"] = ids.tolist()
    if g["phase"] == "decode":
        golden["generated_ids"] = generated.tolist()
    golden["ops"] = outermost_ops(prof.events(), kineto_input_types(prof), scope_names, step)
    return golden


def make_weights(model):
    """The float32 state_dict of the seed-0 model, input ids and HF's logits for them.

    Returns (index, blob): index is the JSON written to <model>.weights.json, blob the
    bytes of <model>.weights.bin (each tensor contiguous, little-endian, at its offset).
    """
    m, vocab, _ = build(model, "eager")
    ids = input_ids(vocab, WEIGHTS_BATCH, WEIGHTS_SEQ)
    with torch.inference_mode():
        logits = m(input_ids=ids, use_cache=False).logits
    tensors = list(m.state_dict().items()) + [("__logits__", logits)]
    entries, chunks, offset = [], [], 0
    for name, t in tensors:
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        entries.append({"name": name, "dtype": "float32", "shape": list(t.shape), "offset": offset})
        chunks.append(data)
        offset += len(data)
    index = {
        "schema_version": 1,
        "generator": {"torch": torch.__version__, "transformers": transformers.__version__},
        "model": model,
        "reference": type(m).__name__,
        "note": "state_dict of the seed-0 tiny model (float32), and __logits__: HF's logits "
                "(eager attention, default experts) for input_ids",
        "input_ids": ids.tolist(),
        "tensors": entries,
    }
    return index, b"".join(chunks)


def print_param_counts():
    """HF's sum of numel for each published config, without allocating: built on the meta device."""
    for family in (gpt2, bert, llama, mixtral):
        for model in family.FULL:
            with torch.device("meta"):
                m = family.build_full(model)
            print(f"{model:20s} {type(m).__name__:22s} {sum(p.numel() for p in m.parameters()):>15,d}")


def fmt_op(op):
    return f"{op['name']} {op['input_shapes']} {op['input_types']} [{op['module']}]"


def diff(old, new):
    """Printable differences between two goldens' op lists (empty if equal)."""
    import difflib
    a = [fmt_op(o) for o in old["ops"]]
    b = [fmt_op(o) for o in new["ops"]]
    return list(difflib.unified_diff(a, b, "stored", "regenerated", lineterm=""))


def check_weights(model, index, blob):
    """Differences between stored and regenerated weights (empty if equal)."""
    path = GOLDEN_DIR / f"{model}.weights.json"
    if not path.exists():
        return [f"{path.name} missing"]
    old = json.loads(path.read_text())
    d = [f"{key} differs" for key in ("model", "input_ids", "tensors") if old.get(key) != index[key]]
    if (GOLDEN_DIR / f"{model}.weights.bin").read_bytes() != blob:
        d.append(f"{model}.weights.bin differs")
    return d


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="diff against the stored goldens, write nothing")
    ap.add_argument("--only", action="append", help="a golden name like gpt2-tiny-sdpa (repeatable)")
    ap.add_argument("--any-version", action="store_true", help="allow unpinned torch/transformers")
    ap.add_argument("--param-counts", action="store_true",
                    help="print HF's parameter count of each published config (built on the meta device)")
    args = ap.parse_args()

    versions = (torch.__version__.split("+")[0], transformers.__version__)
    if versions != (PINNED_TORCH, PINNED_TRANSFORMERS) and not args.any_version:
        sys.exit(f"need torch=={PINNED_TORCH} and transformers=={PINNED_TRANSFORMERS}, "
                 f"have {versions[0]} and {versions[1]} (or pass --any-version)")
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore", message=".*Profiler clears events.*")
    if args.param_counts:
        print_param_counts()
        return

    failed = False
    wanted = [g for g in GOLDENS if not args.only or g["name"] in args.only]
    for model in WEIGHTS:
        if not any(g["model"] == model for g in wanted):
            continue
        index, blob = make_weights(model)
        if args.check:
            d = check_weights(model, index, blob)
            print(f"{model}.weights: {'differs' if d else 'same'} ({len(blob)} bytes)")
            for line in d:
                print("  " + line)
            failed |= bool(d)
        else:
            GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
            (GOLDEN_DIR / f"{model}.weights.json").write_text(json.dumps(index, indent=1) + "\n")
            (GOLDEN_DIR / f"{model}.weights.bin").write_bytes(blob)
            print(f"wrote {model}.weights.json/.bin ({len(blob)} bytes)")
    for g in wanted:
        golden = make_golden(g)
        path = GOLDEN_DIR / f"{g['name']}.json"
        if args.check:
            old = json.loads(path.read_text()) if path.exists() else {"ops": []}
            d = diff(old, golden)
            # Everything but the op list and the generator versions must match too.
            for key in golden:
                if key not in ("ops", "generator") and old.get(key) != golden[key]:
                    d.append(f"{key}: stored {old.get(key)!r}, regenerated {golden[key]!r}")
            print(f"{g['name']}: {'differs' if d else 'same'} ({len(golden['ops'])} ops)")
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
