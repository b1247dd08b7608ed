"""BERT golden builder: BertModel with pooler from a tiny config (src/models/bert.cc bert_tiny_config())."""

import transformers

TINY = {
    "bert-tiny": dict(vocab_size=100, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                      intermediate_size=256, max_position_embeddings=32, type_vocab_size=2,
                      layer_norm_eps=1e-12),
}


def build(model, attention, experts):
    """The HF model (random weights from the caller's seed), its vocab size and config kwargs."""
    assert experts is None
    cfg = TINY[model]
    m = transformers.BertModel(transformers.BertConfig(**cfg, attn_implementation=attention),
                               add_pooling_layer=True)
    return m, cfg["vocab_size"], cfg


# The published config: make_goldens.py --param-counts counts HF's parameters on the meta device.
FULL = {"bert-base-uncased": dict()}


def build_full(model):
    return transformers.BertModel(transformers.BertConfig(**FULL[model]), add_pooling_layer=True)
