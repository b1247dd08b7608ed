"""GPT-2 golden builder: GPT2LMHeadModel from a tiny config (src/models/gpt2.cc gpt2_tiny_config())."""

import transformers

# bos/eos ids only keep GPT2Config from warning that 50256 is outside the vocab.
TINY = {
    "gpt2-tiny": dict(vocab_size=100, n_positions=32, n_embd=64, n_layer=2, n_head=4,
                      layer_norm_epsilon=1e-5, bos_token_id=99, eos_token_id=99),
}


def build(model, attention, experts):
    """The HF model (random weights from the caller's seed), its vocab size and config kwargs."""
    assert experts is None
    cfg = TINY[model]
    m = transformers.GPT2LMHeadModel(transformers.GPT2Config(**cfg, attn_implementation=attention))
    return m, cfg["vocab_size"], cfg


# The published configs: make_goldens.py --param-counts counts HF's parameters on the meta device.
FULL = {
    "gpt2": dict(),
    "gpt2-large": dict(n_embd=1280, n_layer=36, n_head=20),
    "gpt2-xl": dict(n_embd=1600, n_layer=48, n_head=25),
}


def build_full(model):
    return transformers.GPT2LMHeadModel(transformers.GPT2Config(**FULL[model]))
