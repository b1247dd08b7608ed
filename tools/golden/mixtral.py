"""Mixtral golden builder: MixtralForCausalLM (lm_head untied) from a tiny config.

The values must equal mixtral_tiny_config() in src/models/mixtral.cc (the C++ test
checks them against the golden's "config"): a sparse MoE block with 4 experts and
top-2 routing, GQA (2 KV heads for 4 query heads), no sliding window.

Experts: transformers 5.17 picks config._experts_implementation "grouped_mm" for a
model built from a config (torch >= 2.9 has a CPU kernel for aten::_grouped_mm);
"eager" is the per-expert loop of MixtralExperts.forward. Goldens cover both.
"""

import transformers

TINY = {
    "mixtral-tiny": dict(vocab_size=100, hidden_size=32, intermediate_size=48, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, num_local_experts=4,
                         num_experts_per_tok=2, max_position_embeddings=64, rms_norm_eps=1e-5,
                         sliding_window=None, rope_parameters=dict(rope_type="default", rope_theta=1e6)),
}

DEFAULT_EXPERTS = "grouped_mm"


def build(model, attention, experts):
    """The HF model (random weights from the caller's seed), its vocab size and config kwargs."""
    cfg = TINY[model]
    kwargs = {} if experts is None else dict(experts_implementation=experts)
    config = transformers.MixtralConfig(**cfg, attn_implementation=attention, **kwargs)
    m = transformers.MixtralForCausalLM(config)
    assert m.config._experts_implementation == (experts or DEFAULT_EXPERTS), m.config._experts_implementation
    assert not m.config.tie_word_embeddings
    return m, cfg["vocab_size"], cfg


# The published config (nothing downloaded): make_goldens.py --param-counts builds it
# on the meta device to count HF's parameters.
FULL = {
    "mixtral-8x7b": dict(vocab_size=32000, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
                         num_attention_heads=32, num_key_value_heads=8, num_local_experts=8,
                         num_experts_per_tok=2, max_position_embeddings=32768, rms_norm_eps=1e-5,
                         sliding_window=None, rope_parameters=dict(rope_type="default", rope_theta=1e6)),
}


def build_full(model):
    return transformers.MixtralForCausalLM(transformers.MixtralConfig(**FULL[model]))
