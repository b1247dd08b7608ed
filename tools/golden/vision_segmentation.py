#!/usr/bin/env python3
"""Goldens for the vision models' fidelity tests: Hugging Face SegFormer and MaskFormer.

Usage:
    .venv/bin/python tools/golden/vision_segmentation.py            # regenerate these goldens
    .venv/bin/python tools/golden/vision_segmentation.py --check    # compare with the stored ones
    .venv/bin/python tools/golden/vision_segmentation.py --only maskformer-test-sdpa-b2

Pinned versions: torch==2.11.0, torchvision==0.26.0, transformers==5.17.0; building
MaskFormerForInstanceSegmentation also needs scipy (its loss, unused here, imports it).

Same recipe as vision_classification.py (whose machinery this reuses): the real
SegformerForSemanticSegmentation / MaskFormerForInstanceSegmentation built from a
tiny config object with random weights, fed the shipped photographs through the
model's real image processor (SegformerImageProcessor, MaskFormerImageProcessor,
transformers 5.17's torchvision backend, with the test config's sizes), profiled
after a warm-up. Both attention implementations are recorded (HF's default on
CPU is sdpa for SegFormer and for MaskFormer's DETR decoder).

Preprocessing goldens: the processors with their published settings (SegFormer
512x512; MaskFormer shortest edge 800, longest 1333, size divisor 32) on one
shipped photograph.
"""

import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import vision_classification as vc  # noqa: E402  (shared machinery and command line)

# The test configs; they must equal segformer_test_config() / maskformer_test_config() in
# src/models/vision/segformer.cc and maskformer.cc (the C++ test checks "config").
SEGFORMER_TEST = dict(depths=[2, 1, 1, 1], hidden_sizes=[8, 16, 24, 32], num_attention_heads=[1, 2, 3, 4],
                      decoder_hidden_size=32, num_labels=5)
SEGFORMER_TEST_PROCESSOR = dict(height=64, width=64)
MASKFORMER_TEST = dict(
    backbone=dict(patch_size=4, embed_dim=16, depths=[2, 2, 2, 2], num_heads=[1, 2, 4, 8], window_size=4),
    decoder=dict(d_model=32, decoder_layers=2, decoder_attention_heads=4, decoder_ffn_dim=64, num_queries=10),
    fpn_feature_size=32, mask_feature_size=32, num_labels=7)
# 40 / 60 / 8: batch 1 (astronaut) is 40x40, batch 2 adds chelsea at 40x64 and pads to 40x64.
MASKFORMER_TEST_PROCESSOR = dict(shortest_edge=40, longest_edge=60, size_divisor=8)

GOLDENS = [  # (name, model, attention, batch)
    ("segformer-test-sdpa-b1", "segformer-test", "sdpa", 1),
    ("segformer-test-sdpa-b2", "segformer-test", "sdpa", 2),
    ("segformer-test-eager-b2", "segformer-test", "eager", 2),
    ("maskformer-test-sdpa-b1", "maskformer-test", "sdpa", 1),
    ("maskformer-test-sdpa-b2", "maskformer-test", "sdpa", 2),
    ("maskformer-test-eager-b2", "maskformer-test", "eager", 2),
]


def segformer_processor(height, width):
    import transformers
    return transformers.SegformerImageProcessor(size={"height": height, "width": width})


def maskformer_processor(shortest_edge, longest_edge, size_divisor):
    import transformers
    return transformers.MaskFormerImageProcessor(size={"shortest_edge": shortest_edge, "longest_edge": longest_edge},
                                                 size_divisor=size_divisor)


def pil_images(files):
    from PIL import Image
    return [Image.open(f).convert("RGB") for f in files]


def build(model, attention):
    """(model in eval mode, reference class, config dict for the golden, processor)."""
    import transformers
    torch.manual_seed(0)
    if model == "segformer-test":
        config = transformers.SegformerConfig(**SEGFORMER_TEST, attn_implementation=attention)
        m = transformers.SegformerForSemanticSegmentation(config)
        assert m.config._attn_implementation == attention, m.config._attn_implementation
        return m.eval(), dict(SEGFORMER_TEST, **SEGFORMER_TEST_PROCESSOR), segformer_processor(**SEGFORMER_TEST_PROCESSOR)
    if model == "maskformer-test":
        c = MASKFORMER_TEST
        backbone = transformers.SwinConfig(**c["backbone"], out_features=["stage1", "stage2", "stage3", "stage4"])
        decoder = transformers.MaskFormerDetrConfig(**c["decoder"])
        # The default (sdpa) leaves attn_implementation unset; eager is asked for at the top,
        # from where it reaches the decoder's config.
        extra = {} if attention == "sdpa" else {"attn_implementation": attention}
        config = transformers.MaskFormerConfig(backbone_config=backbone, decoder_config=decoder,
                                               fpn_feature_size=c["fpn_feature_size"],
                                               mask_feature_size=c["mask_feature_size"], num_labels=c["num_labels"],
                                               **extra)
        m = transformers.MaskFormerForInstanceSegmentation(config)
        got = m.model.transformer_module.decoder.config._attn_implementation
        assert got == attention, got
        flat = dict(c["backbone"], **c["decoder"], fpn_feature_size=c["fpn_feature_size"],
                    mask_feature_size=c["mask_feature_size"], num_labels=c["num_labels"], **MASKFORMER_TEST_PROCESSOR)
        return m.eval(), flat, maskformer_processor(**MASKFORMER_TEST_PROCESSOR)
    raise ValueError(f"unknown model {model}")


def make_golden(name, model, attention, batch):
    m, cfg, processor = build(model, attention)
    files = vc.batch_files(batch)
    inputs = processor(images=pil_images(files), return_tensors="pt")
    kwargs = {"pixel_values": inputs["pixel_values"]}
    if "pixel_mask" in inputs:
        kwargs["pixel_mask"] = inputs["pixel_mask"]
    ops = vc.profile(m, **kwargs)
    g = vc.golden_record(model, type(m).__name__, cfg, m, batch, inputs["pixel_values"].shape[-2:], files, ops)
    g["attention"] = attention
    return g


PREPROCESS_GOLDENS = [
    ("preprocess-segformer-512", dict(kind="segformer", height=512, width=512)),
    ("preprocess-maskformer-800-1333", dict(kind="maskformer", shortest_edge=800, longest_edge=1333, size_divisor=32)),
]


def make_preprocess_golden(name, args):
    import transformers
    args = dict(args)
    kind = args.pop("kind")
    processor = segformer_processor(**args) if kind == "segformer" else maskformer_processor(**args)
    out = processor(images=pil_images([vc.IMAGE_DIR / vc.PREPROCESS_IMAGE]), return_tensors="pt")
    g = {"schema_version": 1,
         "generator": {"torch": torch.__version__, "transformers": transformers.__version__},
         "image": vc.PREPROCESS_IMAGE,
         "reference": f"transformers.{type(processor).__name__} on a PIL image",
         "cpu_capability": torch.backends.cpu.get_cpu_capability(),
         "transform": dict(kind=kind, **args)}
    g.update(vc.tensor_summary(out["pixel_values"][0]))
    if "pixel_mask" in out:
        g["pixel_mask_sum"] = int(out["pixel_mask"].sum())
    return g


if __name__ == "__main__":
    vc.run(GOLDENS, make_golden, PREPROCESS_GOLDENS, make_preprocess_golden, need_transformers=True)
