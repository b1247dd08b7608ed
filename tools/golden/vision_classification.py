#!/usr/bin/env python3
"""Goldens for the vision models' fidelity tests: torchvision's ViT and Swin.

Usage:
    .venv/bin/python tools/golden/vision_classification.py            # regenerate these goldens
    .venv/bin/python tools/golden/vision_classification.py --check    # compare with the stored ones, print a diff
    .venv/bin/python tools/golden/vision_classification.py --only vit-test-b2

Pinned versions: torch==2.11.0, torchvision==0.26.0 (transformers==5.17.0 for the
HF vision models in vision_segmentation.py, which reuses this module's machinery).

What a golden is: the shared machinery of make_goldens.py (module-class ranges,
outermost aten ops with input shapes and types, innermost module class) applied
to the real torchvision model built from a tiny config with random weights
(torch.manual_seed(0)), in eval mode, run once as a warm-up and once under the
profiler inside torch.inference_mode. Its input is not random: it is the shipped
photographs (data/images, sorted by name, cycled to fill the batch) decoded with
torchvision.io.decode_image and preprocessed with the model's transform
(torchvision.transforms._presets.ImageClassification), as ngbench's make_inputs
does, so the golden also pins the preprocessed input shape.

Preprocessing goldens (preprocess-*.json): the reference transform's output for
one shipped image: its shape, per-channel statistics and the values at every
8th row and column, which tests/models/vision_preprocess_test.cc compares with
ngbench's C++ preprocessing.

Output: tests/models/golden/<name>.json, the schema of make_goldens.py plus
"image_size" ([H, W] of the model input) and "images" (the files used);
"attention" is "" and "seq_len" 0.
"""

import argparse
import json
import pathlib
import sys
import warnings

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import make_goldens as mg  # noqa: E402  (shared machinery: ranges, outermost ops, diff)

PINNED_TORCHVISION = "0.26.0"
IMAGE_DIR = mg.REPO / "data" / "images"
SAMPLE_STRIDE = 8

# The tiny configs; they must equal vit_tiny_config() / swin_test_config() in
# src/models/vision/vit.cc and swin.cc (the C++ test checks them against "config").
VIT_TEST = dict(image_size=32, patch_size=8, num_layers=2, num_heads=4, hidden_dim=64, mlp_dim=128,
                num_classes=10, resize_size=36)
# 36x36 with patch 4: 9x9 tokens, window 4 pads to 12x12, patch merging pads odd sizes,
# the last stage (3x3) fits one window so its shift is dropped: every branch of the code.
SWIN_TEST = dict(patch_size=4, embed_dim=16, depths=[2, 2, 2], num_heads=[2, 4, 8], window_size=4,
                 num_classes=10, image_size=36, resize_size=40)

GOLDENS = [  # (name, model, batch)
    ("vit-test-b1", "vit-test", 1),
    ("vit-test-b2", "vit-test", 2),
    ("swin-test-b1", "swin-test", 1),
    ("swin-test-b2", "swin-test", 2),
]


def image_files():
    return sorted(p for p in IMAGE_DIR.iterdir() if p.suffix.lower() in (".png", ".jpg", ".jpeg"))


def decode(path):
    """uint8 [3, H, W], as torchvision's documented weights.transforms() usage reads images."""
    import torchvision.io
    return torchvision.io.decode_image(torchvision.io.read_file(str(path)), mode=torchvision.io.ImageReadMode.RGB)


def batch_files(batch):
    files = image_files()
    return [files[i % len(files)] for i in range(batch)]


def classification_transform(crop_size, resize_size, bicubic):
    from torchvision.transforms._presets import ImageClassification, InterpolationMode
    return ImageClassification(crop_size=crop_size, resize_size=resize_size,
                               interpolation=InterpolationMode.BICUBIC if bicubic else InterpolationMode.BILINEAR)


def build(model):
    """(module in eval mode, reference class name, config dict, transform) for one tiny model."""
    torch.manual_seed(0)
    if model == "vit-test":
        from torchvision.models.vision_transformer import VisionTransformer
        c = VIT_TEST
        m = VisionTransformer(image_size=c["image_size"], patch_size=c["patch_size"], num_layers=c["num_layers"],
                              num_heads=c["num_heads"], hidden_dim=c["hidden_dim"], mlp_dim=c["mlp_dim"],
                              num_classes=c["num_classes"])
        t = classification_transform(c["image_size"], c["resize_size"], bicubic=False)
    elif model == "swin-test":
        from torchvision.models.swin_transformer import SwinTransformer
        c = SWIN_TEST
        w = c["window_size"]
        m = SwinTransformer(patch_size=[c["patch_size"]] * 2, embed_dim=c["embed_dim"], depths=c["depths"],
                            num_heads=c["num_heads"], window_size=[w, w], stochastic_depth_prob=0.2,
                            num_classes=c["num_classes"])
        t = classification_transform(c["image_size"], c["resize_size"], bicubic=True)
    else:
        raise ValueError(f"unknown model {model}")
    return m.eval(), type(m).__name__, c, t


def profile(m, *args, **kwargs):
    """make_goldens' recipe: warm-up, then one forward under the profiler with module ranges."""
    with torch.inference_mode():
        m(*args, **kwargs)
        ranges = mg.ModuleRanges(m)
        scope_names = {type(x).__name__ for x in m.modules()}
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], record_shapes=True) as prof:
            m(*args, **kwargs)
        ranges.remove()
    return mg.outermost_ops(prof.events(), mg.kineto_input_types(prof), scope_names)


def golden_record(model, reference, cfg, m, batch, image_size, files, ops, extra=None):
    import transformers
    import torchvision
    g = {
        "schema_version": 1,
        "generator": {"torch": torch.__version__, "torchvision": torchvision.__version__,
                      "transformers": transformers.__version__},
        "model": model,
        "reference": reference,
        "attention": "",
        "batch": batch,
        "seq_len": 0,
        "config": cfg,
        "parameters": sum(p.numel() for p in m.parameters()),
        "image_size": list(image_size),
        "images": [f.name for f in files],
    }
    g.update(extra or {})
    g["ops"] = ops
    return g


def make_golden(name, model, batch):
    m, reference, cfg, transform = build(model)
    files = batch_files(batch)
    pixel_values = torch.stack([transform(decode(f)) for f in files])
    ops = profile(m, pixel_values)
    return golden_record(model, reference, cfg, m, batch, pixel_values.shape[-2:], files, ops)


def tensor_summary(x, stride=SAMPLE_STRIDE):
    """Shape, per-channel statistics and a strided sample of a [C, H, W] float tensor."""
    x = x.double()
    return {
        "shape": list(x.shape),
        "channel_mean": x.mean(dim=(1, 2)).tolist(),
        "channel_std": x.std(dim=(1, 2)).tolist(),
        "min": x.min().item(),
        "max": x.max().item(),
        "sample_stride": stride,
        "sample": [round(v, 6) for v in x[:, ::stride, ::stride].flatten().tolist()],
    }


PREPROCESS_IMAGE = "chelsea.png"  # non-square, lossless: the decoded pixels are exact in both
# (name, transform arguments): the ViT-B/16 (bilinear) and Swin-T (bicubic) weight transforms.
PREPROCESS_GOLDENS = [
    ("preprocess-imagenet-bilinear-256-224", dict(crop_size=224, resize_size=256, bicubic=False)),
    ("preprocess-imagenet-bicubic-232-224", dict(crop_size=224, resize_size=232, bicubic=True)),
]


def make_preprocess_golden(name, args):
    import torchvision
    x = classification_transform(**args)(decode(IMAGE_DIR / PREPROCESS_IMAGE))
    g = {"schema_version": 1,
         "generator": {"torch": torch.__version__, "torchvision": torchvision.__version__},
         "image": PREPROCESS_IMAGE,
         "reference": "torchvision.transforms._presets.ImageClassification on decode_image",
         "transform": args}
    g.update(tensor_summary(x))
    return g


def check_versions(any_version, need_transformers=False):
    import torchvision
    have = (torch.__version__.split("+")[0], torchvision.__version__.split("+")[0])
    want = (mg.PINNED_TORCH, PINNED_TORCHVISION)
    if need_transformers:
        import transformers
        have += (transformers.__version__,)
        want += (mg.PINNED_TRANSFORMERS,)
    if have != want and not any_version:
        sys.exit(f"need torch/torchvision/transformers {want}, have {have} (or pass --any-version)")


def run(model_goldens, make_model_golden, preprocess_goldens, make_pre_golden, need_transformers=False):
    """The command line shared with vision_segmentation.py."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="diff against the stored goldens, write nothing")
    ap.add_argument("--only", action="append", help="a golden name (repeatable)")
    ap.add_argument("--any-version", action="store_true", help="allow unpinned versions")
    args = ap.parse_args()
    check_versions(args.any_version, need_transformers)
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore", message=".*Profiler clears events.*")

    failed = False
    jobs = [(n, lambda n=n, a=a: make_model_golden(n, *a)) for n, *a in model_goldens]
    jobs += [(n, lambda n=n, a=a: make_pre_golden(n, a)) for n, a in preprocess_goldens]
    for name, make in jobs:
        if args.only and name not in args.only:
            continue
        golden = make()
        path = mg.GOLDEN_DIR / f"{name}.json"
        count = f"{len(golden['ops'])} ops" if "ops" in golden else f"shape {golden['shape']}"
        if args.check:
            old = json.loads(path.read_text()) if path.exists() else {"ops": []}
            d = mg.diff(old, golden) if "ops" in golden else []
            for key in golden:
                if key not in ("ops", "generator") and old.get(key) != golden[key]:
                    d.append(f"{key}: stored {str(old.get(key))[:200]!r}, regenerated {str(golden[key])[:200]!r}")
            print(f"{name}: {'differs' if d else 'same'} ({count})")
            for line in d:
                print("  " + line)
            failed |= bool(d)
        else:
            mg.GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(golden, indent=1) + "\n")
            print(f"wrote {path.relative_to(mg.REPO)} ({count})")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    run(GOLDENS, make_golden, PREPROCESS_GOLDENS, make_preprocess_golden)
