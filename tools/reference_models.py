"""The reference implementations of ngbench's built-in models, shared by the export tools.

tools/export_onnx.py (flow ort) and tools/export_aoti.py (flow inductor) build the same model for the same name:
the Hugging Face or torchvision class with the configuration of the built-in model (src/models/), seeded random
weights (torch.manual_seed(0); nothing is downloaded), in eval mode, wrapped so that the forward takes the input
tensors ngbench feeds and returns plain tensors. The test configurations equal those of tools/golden/ (and of the
C++ models, which the golden tests check).

Each entry (Spec) says what the model takes: token ids (text) of a sequence length, or an image of a fixed size
(the size ngbench's preprocessing gives the built-in model at batch 1), and which Python packages it needs.
"""
import dataclasses
import importlib
import sys

PINNED = {"torch": "2.11.0", "transformers": "5.17.0", "torchvision": "0.26.0", "onnx": "1.23.2",
          "onnxscript": "0.7.2", "timm": "1.0.31"}


@dataclasses.dataclass
class Spec:
    kind: str                 # "text" (input_ids) or "image" (pixel_values)
    build: object             # (layers, attention) -> torch.nn.Module; layers 0: all of them
    size: object              # text: the default sequence length; image: (height, width)
    max_len: int              # text: the longest sequence; 0 for images
    reference: str
    packages: tuple           # what the builder imports
    layer_class: str = ""     # class of one repeated block (the C++ ModelEntry::layer_scope)
    layers: int = 0           # repeated blocks of the full model
    tests: bool = False       # a tiny test configuration
    output: str = "logits"    # what the wrapper returns: logits, bert (last_hidden_state, pooler_output),
                              # detr (logits, pred_boxes), tensor (the module's own output)
    attention: bool = False   # takes transformers' attn_implementation (eager / sdpa)


def _hf(cls_name, cfg_name, layers_key, layers, attention, **cfg):
    import transformers
    if layers:
        cfg[layers_key] = layers
    if attention:
        cfg["attn_implementation"] = attention
    return getattr(transformers, cls_name)(getattr(transformers, cfg_name)(**cfg))


def _gpt2(**cfg):
    return lambda layers=0, attention=None: _hf("GPT2LMHeadModel", "GPT2Config", "n_layer", layers, attention, **cfg)


def _bert(**cfg):
    def build(layers=0, attention=None):
        import transformers
        c = dict(cfg, **({"num_hidden_layers": layers} if layers else {}))
        extra = {"attn_implementation": attention} if attention else {}
        return transformers.BertModel(transformers.BertConfig(**c, **extra), add_pooling_layer=True)
    return build


def _llama(**cfg):
    return lambda layers=0, attention=None: _hf("LlamaForCausalLM", "LlamaConfig", "num_hidden_layers", layers,
                                                attention, **cfg)


def _torchvision(name):
    def build(layers=0, attention=None):
        import torchvision
        return getattr(torchvision.models, name)(weights=None)
    return build


def _vit_test(layers=0, attention=None):
    from torchvision.models.vision_transformer import VisionTransformer
    # tools/golden/vision_classification.py VIT_TEST
    return VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=4, hidden_dim=64, mlp_dim=128,
                             num_classes=10)


def _swin_test(layers=0, attention=None):
    from torchvision.models.swin_transformer import SwinTransformer
    # tools/golden/vision_classification.py SWIN_TEST
    return SwinTransformer(patch_size=[4, 4], embed_dim=16, depths=[2, 2, 2], num_heads=[2, 4, 8], window_size=[4, 4],
                           stochastic_depth_prob=0.2, num_classes=10)


def _segformer(**cfg):
    def build(layers=0, attention=None):
        import transformers
        extra = {"attn_implementation": attention} if attention else {}
        return transformers.SegformerForSemanticSegmentation(transformers.SegformerConfig(**cfg, **extra))
    return build


def _detr(**cfg):
    def build(layers=0, attention=None):
        import transformers
        extra = {"attn_implementation": attention} if attention else {}
        return transformers.DetrForObjectDetection(transformers.DetrConfig(**cfg, **extra))
    return build


_GPT2_TINY = dict(vocab_size=100, n_positions=32, n_embd=64, n_layer=2, n_head=4, layer_norm_epsilon=1e-5,
                  bos_token_id=99, eos_token_id=99)
_BERT_TINY = dict(vocab_size=100, hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=256,
                  max_position_embeddings=32, type_vocab_size=2, layer_norm_eps=1e-12)
_LLAMA_TINY = dict(vocab_size=100, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                   num_key_value_heads=4, max_position_embeddings=64, rms_norm_eps=1e-5,
                   rope_parameters=dict(rope_type="default", rope_theta=10000.0))
_LLAMA2_7B = dict(vocab_size=32000, hidden_size=4096, intermediate_size=11008, num_hidden_layers=32,
                  num_attention_heads=32, num_key_value_heads=32, max_position_embeddings=4096, rms_norm_eps=1e-5,
                  rope_parameters=dict(rope_type="default", rope_theta=10000.0))
_SEGFORMER_TEST = dict(depths=[2, 1, 1, 1], hidden_sizes=[8, 16, 24, 32], num_attention_heads=[1, 2, 3, 4],
                       decoder_hidden_size=32, num_labels=5)
_DETR_TINY = dict(d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4, decoder_attention_heads=4,
                  encoder_ffn_dim=64, decoder_ffn_dim=64, num_queries=10, num_labels=7)

_HF = ("transformers",)
_TV = ("torchvision",)

# name -> Spec. Image sizes are the built-in models' inputs at batch 1: torchvision's classification transforms crop
# 224 (vit-test 32, swin-test 36); SegFormer's processor resizes to 512x512 (segformer-test 64x64); DETR's resizes
# the paper's 640x480 COCO images to a shortest edge of 800 (800x1066), detr-tiny the first shipped photograph
# (512x512, astronaut.png) to a shortest edge of 64.
MODELS = {
    "gpt2": Spec("text", _gpt2(), 256, 1024, "hf:gpt2 (GPT2LMHeadModel)", _HF, "GPT2Block", 12, attention=True),
    "gpt2-large": Spec("text", _gpt2(n_embd=1280, n_layer=36, n_head=20), 256, 1024, "hf:gpt2-large", _HF,
                       "GPT2Block", 36, attention=True),
    "gpt2-xl": Spec("text", _gpt2(n_embd=1600, n_layer=48, n_head=25), 512, 1024, "hf:gpt2-xl", _HF, "GPT2Block", 48,
                    attention=True),
    "gpt2-tiny": Spec("text", _gpt2(**_GPT2_TINY), 16, 32, "hf:GPT2LMHeadModel(tiny config)", _HF, "GPT2Block", 2,
                      tests=True, attention=True),
    "bert-base-uncased": Spec("text", _bert(), 128, 512, "hf:bert-base-uncased (BertModel with pooler)", _HF,
                              "BertLayer", 12, output="bert", attention=True),
    "bert-tiny": Spec("text", _bert(**_BERT_TINY), 16, 32, "hf:BertModel(tiny config)", _HF, "BertLayer", 2,
                      tests=True, output="bert", attention=True),
    "llama2-7b": Spec("text", _llama(**_LLAMA2_7B), 2048, 4096, "hf:meta-llama/Llama-2-7b-hf", _HF,
                      "LlamaDecoderLayer", 32, attention=True),
    "llama-tiny": Spec("text", _llama(**_LLAMA_TINY), 16, 64, "hf:LlamaForCausalLM(tiny config)", _HF,
                       "LlamaDecoderLayer", 2, tests=True, attention=True),
    "vit_b_16": Spec("image", _torchvision("vit_b_16"), (224, 224), 0, "torchvision:vit_b_16", _TV, "EncoderBlock", 12,
                     output="tensor"),
    "vit-test": Spec("image", _vit_test, (32, 32), 0, "torchvision:VisionTransformer(tiny config)", _TV,
                     "EncoderBlock", 2, tests=True, output="tensor"),
    "swin_t": Spec("image", _torchvision("swin_t"), (224, 224), 0, "torchvision:swin_t", _TV, "SwinTransformerBlock",
                   12, output="tensor"),
    "swin_b": Spec("image", _torchvision("swin_b"), (224, 224), 0, "torchvision:swin_b", _TV, "SwinTransformerBlock",
                   24, output="tensor"),
    "swin-test": Spec("image", _swin_test, (36, 36), 0, "torchvision:SwinTransformer(tiny config)", _TV,
                      "SwinTransformerBlock", 6, tests=True, output="tensor"),
    # nvidia/segformer-b0-finetuned-ade-512-512: the mit-b0 encoder (SegformerConfig's defaults), ADE20k's 150 labels.
    "segformer-b0": Spec("image", _segformer(num_labels=150), (512, 512), 0,
                         "hf:nvidia/segformer-b0-finetuned-ade-512-512", _HF, "SegformerLayer", 8, attention=True),
    "segformer-test": Spec("image", _segformer(**_SEGFORMER_TEST), (64, 64), 0,
                           "hf:SegformerForSemanticSegmentation(tiny config)", _HF, "SegformerLayer", 5, tests=True,
                           attention=True),
    # facebook/detr-resnet-50: DetrConfig's defaults (timm resnet50 backbone) with COCO's 91 labels.
    "detr-resnet-50": Spec("image", _detr(num_labels=91), (800, 1066), 0, "hf:facebook/detr-resnet-50",
                           _HF + ("timm",), "", 0, output="detr", attention=True),
    "detr-tiny": Spec("image", _detr(**_DETR_TINY), (64, 64), 0, "hf:DetrForObjectDetection(tiny config)",
                      _HF + ("timm",), "", 0, tests=True, output="detr", attention=True),
}


def print_models(names):
    """`--list-models` of the export tools: name, kind and reference of each model a tool exports."""
    for name in names:
        print(f"{name:<20} {MODELS[name].kind:<6} {MODELS[name].reference}")


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


def need(tool, names):
    """Exits with status 3 and one line naming what is missing (the tools' protocol, backends/export_tool.h)."""
    miss = missing_packages(names)
    if miss:
        print(f"{tool}: missing Python packages in {sys.prefix}: {', '.join(miss)}; scripts/setup.sh installs "
              f"them into the project environment .venv (or into $NGBENCH_VENV), pinned: "
              + " ".join(f"{n}=={PINNED[n]}" for n in names if n in PINNED), file=sys.stderr)
        sys.exit(3)


def wrap(spec, model):
    """The model with a forward that takes one input tensor and returns plain tensors."""
    import torch

    class Wrapped(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, x):
            if spec.kind == "text":
                # Language models without the KV cache: a DynamicCache output breaks torch.export.
                causal = "CausalLM" in type(self.m).__name__ or "LMHead" in type(self.m).__name__
                out = self.m(input_ids=x, use_cache=False) if causal else self.m(input_ids=x)
            else:
                out = self.m(pixel_values=x) if hasattr(self.m, "config") else self.m(x)
            if spec.output == "tensor" or isinstance(out, torch.Tensor):
                return out
            if spec.output == "bert":
                return out.last_hidden_state, out.pooler_output
            if spec.output == "detr":
                return out.logits, out.pred_boxes
            return out.logits

    return Wrapped(model).eval()


def build(name, layers=0, attention=None):
    """The wrapped model (seed 0, eval mode) and its Spec."""
    import torch
    spec = MODELS[name]
    torch.manual_seed(0)
    return wrap(spec, spec.build(layers, attention).eval()), spec


def vocab_size(model):
    return model.m.config.vocab_size


def example_input(spec, model, batch, seq_len, dtype=None, generator_seed=0):
    """The example input of a batch: token ids in [0, vocab) of seq_len (0: the default), or a standard normal
    image of the model's size."""
    import torch
    g = torch.Generator().manual_seed(generator_seed)
    if spec.kind == "text":
        return torch.randint(0, vocab_size(model), (batch, seq_len or spec.size), dtype=torch.int64, generator=g)
    h, w = spec.size
    return torch.randn(batch, 3, h, w, generator=g, dtype=dtype or torch.float32)


def input_name(spec):
    return "input_ids" if spec.kind == "text" else "pixel_values"
