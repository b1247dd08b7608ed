"""Llama golden builder: LlamaForCausalLM (lm_head untied) from tiny configs.

The values must equal llama_tiny_config() / llama3_tiny_config() in src/models/llama.cc
(the C++ test checks them against the golden's "config").

llama-tiny follows Llama 2 (no GQA, default RoPE). llama3-tiny follows Llama 3.1:
GQA (2 KV heads for 4 query heads) and the "llama3" RoPE scaling with the real
model's factors; its original context (512; Llama 3.1 has 8192 of 131072) is chosen
so that with head_dim 8 the four inverse frequencies (wavelengths 6.3, 167, 4450 and
118000 positions) fall in all three of its bands: kept (6.3 < 512 / 4), smoothed
(167), and divided by the factor (4450, 118000 > 512).
"""

import transformers

_COMMON = dict(vocab_size=100, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
               num_attention_heads=4, max_position_embeddings=64, rms_norm_eps=1e-5)

TINY = {
    "llama-tiny": dict(_COMMON, num_key_value_heads=4,
                       rope_parameters=dict(rope_type="default", rope_theta=10000.0)),
    "llama3-tiny": dict(_COMMON, num_key_value_heads=2, max_position_embeddings=1024,
                        rope_parameters=dict(rope_type="llama3", rope_theta=500000.0, factor=8.0,
                                             low_freq_factor=1.0, high_freq_factor=4.0,
                                             original_max_position_embeddings=512)),
}


def build(model, attention, experts):
    """The HF model (random weights from the caller's seed), its vocab size and config kwargs."""
    assert experts is None
    cfg = TINY[model]
    m = transformers.LlamaForCausalLM(transformers.LlamaConfig(**cfg, attn_implementation=attention))
    assert not m.config.tie_word_embeddings
    return m, cfg["vocab_size"], cfg


# The published configs (nothing downloaded): make_goldens.py --param-counts builds them
# on the meta device to count HF's parameters.
FULL = {
    "llama2-7b": dict(vocab_size=32000, hidden_size=4096, intermediate_size=11008, num_hidden_layers=32,
                      num_attention_heads=32, num_key_value_heads=32, max_position_embeddings=4096,
                      rms_norm_eps=1e-5, rope_parameters=dict(rope_type="default", rope_theta=10000.0)),
    "llama3.1-8b": dict(vocab_size=128256, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
                        num_attention_heads=32, num_key_value_heads=8, max_position_embeddings=131072,
                        rms_norm_eps=1e-5,
                        rope_parameters=dict(rope_type="llama3", rope_theta=500000.0, factor=8.0,
                                             low_freq_factor=1.0, high_freq_factor=4.0,
                                             original_max_position_embeddings=8192)),
}


def build_full(model):
    return transformers.LlamaForCausalLM(transformers.LlamaConfig(**FULL[model]))
