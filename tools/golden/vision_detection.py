#!/usr/bin/env python3
"""Goldens for the detection-model fidelity tests: the ops torchvision's R-CNNs and HF's DETR issue.

Usage:
    .venv/bin/python tools/golden/vision_detection.py            # regenerate every detection golden
    .venv/bin/python tools/golden/vision_detection.py --check    # compare with the stored goldens, print a diff
    .venv/bin/python tools/golden/vision_detection.py --only fasterrcnn-tiny   # one golden

Pinned versions: torch==2.11.0, torchvision==0.26.0, transformers==5.17.0, timm (DETR's
default backbone in transformers 5.17 is timm's resnet50). The module ranges, the
profiler's input types and the diff come from make_goldens.py.

What a golden is: one tiny config of a reference model, built from the real classes
(torchvision.models.detection.FasterRCNN / MaskRCNN over torchvision's ResNet with
FrozenBatchNorm2d and its FPN; transformers.DetrForObjectDetection over timm's resnet50
with DetrFrozenBatchNorm2d), in eval mode, run once as a warm-up (MultiScaleRoIAlign
sets up its scales in the first call) and once under torch.profiler. The golden lists
the OUTERMOST ops (aten:: and torchvision::) in order with their input shapes, input
types and innermost module class, as make_goldens.py does.

Identical weights without a weight file: every floating parameter and buffer is
overwritten with a deterministic function of its state_dict name and element index
(pseudo_values below, integer hashing only, so the C++ test computes bit-identical
values: tests/models/detection_weights.cc). The inputs are deterministic too
(synthetic_image). With the same weights, inputs, ops and libtorch, the data-dependent
tail (proposals surviving NMS, detections, masks) takes the same path in C++ as here,
so the whole trace is comparable op for op, including the data-dependent shapes.

The golden also records the state_dict names and shapes ("state"), so the C++ test
checks that its module tree names every tensor as torchvision / HF do, and the
workload counts of the run (proposals, detections, ...).

DETR: the inputs come from the real DetrImageProcessor (size shortest_edge/longest_edge
as in the config, rescale, normalize, pad, pixel mask) applied to the synthetic uint8
images; the golden records the processed tensor's shape and a few statistics so the C++
preprocessing can be checked as well.
"""

import argparse
import json
import pathlib
import sys
import warnings

import numpy as np
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import make_goldens as mg  # noqa: E402  (shared machinery: ModuleRanges, kineto_input_types, diff)

PINNED = {"torch": "2.11.0", "torchvision": "0.26.0", "transformers": "5.17.0"}
GOLDEN_DIR = mg.GOLDEN_DIR

# ---------------------------------------------------------------------------
# Tiny configs. The C++ side (src/models/vision/rcnn.cc, detr.cc) has the same
# values in fasterrcnn_tiny_config() etc.; the test compares them with "config".
# ---------------------------------------------------------------------------
RCNN_TINY = dict(
    layers=[1, 1, 1, 1],            # ResNet Bottleneck blocks per stage (ResNet-50: 3, 4, 6, 3)
    num_classes=5,
    min_size=64, max_size=96,
    rpn_pre_nms_top_n_test=1000, rpn_post_nms_top_n_test=60,
    box_score_thresh=0.05, box_nms_thresh=0.5, box_detections_per_img=20,
    representation_size=64,         # TwoMLPHead width (published: 1024)
    mask_layers=[16, 16], mask_dim_reduced=16,
)
DETR_TINY = dict(
    d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
    decoder_attention_heads=4, encoder_ffn_dim=64, decoder_ffn_dim=64, num_queries=10,
    num_labels=7,
    shortest_edge=64, longest_edge=96,  # DetrImageProcessor size
)

# (name, model, kwargs). Images are (height, width) of the synthetic uint8 images.
GOLDENS = [
    ("fasterrcnn-tiny", "fasterrcnn", dict(images=[(50, 70), (60, 45)])),
    ("maskrcnn-tiny", "maskrcnn", dict(images=[(50, 70), (60, 45)])),
    # One image, and a score threshold no detection passes: the empty paths
    # (batched_nms on no boxes, the mask head on no RoIs, paste_masks on none).
    ("maskrcnn-tiny-b1-empty", "maskrcnn", dict(images=[(64, 64)], score_thresh=1.0)),
    # Two images whose padding reaches the last feature map: the masked attention path.
    ("detr-tiny", "detr", dict(images=[(48, 96), (96, 48)])),
    ("detr-tiny-eager", "detr", dict(images=[(48, 96), (96, 48)], attention="eager")),
    # One image: no padding, so transformers drops the all-ones mask (attention without a mask).
    ("detr-tiny-b1", "detr", dict(images=[(48, 64)])),
]


# ---------------------------------------------------------------------------
# Deterministic values (mirrored in tests/models/detection_weights.cc)
# ---------------------------------------------------------------------------
def fnv1a32(text):
    h = 2166136261
    for b in text.encode():
        h ^= b
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def mix32(x):
    """A 32-bit integer finalizer (lowbias32); x: numpy uint32 array."""
    x = x.copy()
    x ^= x >> np.uint32(16)
    x *= np.uint32(0x7FEB352D)
    x ^= x >> np.uint32(15)
    x *= np.uint32(0x846CA68B)
    x ^= x >> np.uint32(16)
    return x


def hash_stream(key, n):
    """n uint32 values determined by the string key."""
    with np.errstate(over="ignore"):
        i = np.arange(n, dtype=np.uint64).astype(np.uint32)
        return mix32(i + np.uint32(fnv1a32(key)))


def pseudo_values(name, shape):
    """float32 values for the state_dict entry `name` of `shape` (see module docstring)."""
    n = int(np.prod(shape)) if len(shape) else 1
    u = hash_stream(name, n).astype(np.float64) / 4294967296.0  # [0, 1)
    v = 2.0 * u - 1.0                                           # [-1, 1)
    leaf = name.rsplit(".", 1)[-1]
    if len(shape) >= 2:
        fan_in = n // shape[0]
        out = v * (3.0 / fan_in) ** 0.5
    elif leaf == "running_var":
        out = 1.0 + 0.5 * u
    elif leaf == "running_mean":
        out = 0.1 * v
    elif leaf == "weight":
        out = 1.0 + 0.1 * v
    else:  # biases and anything else 1-D
        out = 0.05 * v
    return out.astype(np.float32).reshape(shape)


def set_pseudo_weights(model):
    state = []
    with torch.no_grad():
        for name, t in model.state_dict(keep_vars=True).items():
            state.append([name, list(t.shape)])
            if t.is_floating_point():
                t.copy_(torch.from_numpy(pseudo_values(name, tuple(t.shape))))
    return state


def synthetic_image(index, height, width):
    """uint8 HWC RGB pixels determined by the image's index and size."""
    return (hash_stream(f"image{index}:{height}x{width}", height * width * 3) & np.uint32(0xFF)).astype(
        np.uint8).reshape(height, width, 3)


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------
def build_rcnn(kind, cfg, score_thresh=None):
    """fasterrcnn_resnet50_fpn / maskrcnn_resnet50_fpn's structure (as built with
    weights_backbone, i.e. FrozenBatchNorm2d) at the tiny sizes of cfg."""
    from torchvision.models.detection import FasterRCNN, MaskRCNN
    from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
    from torchvision.models.detection.faster_rcnn import FastRCNNPredictor, TwoMLPHead
    from torchvision.models.detection.mask_rcnn import MaskRCNNHeads, MaskRCNNPredictor
    from torchvision.models.resnet import Bottleneck, ResNet
    from torchvision.ops.misc import FrozenBatchNorm2d

    body = ResNet(Bottleneck, cfg["layers"], norm_layer=FrozenBatchNorm2d)
    backbone = _resnet_fpn_extractor(body, 3)
    rep = cfg["representation_size"]
    kwargs = dict(
        min_size=cfg["min_size"], max_size=cfg["max_size"],
        rpn_pre_nms_top_n_test=cfg["rpn_pre_nms_top_n_test"],
        rpn_post_nms_top_n_test=cfg["rpn_post_nms_top_n_test"],
        box_score_thresh=cfg["box_score_thresh"] if score_thresh is None else score_thresh,
        box_nms_thresh=cfg["box_nms_thresh"],
        box_detections_per_img=cfg["box_detections_per_img"],
        box_head=TwoMLPHead(backbone.out_channels * 7 * 7, rep),
        box_predictor=FastRCNNPredictor(rep, cfg["num_classes"]),
    )
    if kind == "fasterrcnn":
        model = FasterRCNN(backbone, **kwargs)
    else:
        layers = cfg["mask_layers"]
        model = MaskRCNN(backbone, **kwargs,
                         mask_head=MaskRCNNHeads(backbone.out_channels, layers, 1),
                         mask_predictor=MaskRCNNPredictor(layers[-1], cfg["mask_dim_reduced"], cfg["num_classes"]))
    return model.eval()


def build_detr(cfg, attention=None):
    """DetrForObjectDetection from a DetrConfig (timm resnet50 backbone, the 5.17 default);
    attention None: transformers' default (config._attn_implementation, "sdpa")."""
    import transformers
    keys = ("d_model", "encoder_layers", "decoder_layers", "encoder_attention_heads",
            "decoder_attention_heads", "encoder_ffn_dim", "decoder_ffn_dim", "num_queries", "num_labels")
    extra = {} if attention is None else {"attn_implementation": attention}
    config = transformers.DetrConfig(**{k: cfg[k] for k in keys}, **extra)
    model = transformers.DetrForObjectDetection(config).eval()
    assert attention is None or model.config._attn_implementation == attention
    processor = transformers.DetrImageProcessor(
        size={"shortest_edge": cfg["shortest_edge"], "longest_edge": cfg["longest_edge"]})
    return model, processor


# ---------------------------------------------------------------------------
# Tracing
# ---------------------------------------------------------------------------
def outermost_ops(events, input_types, scope_names):
    """make_goldens.outermost_ops, accepting torchvision:: ops as well as aten:: ones."""
    children, roots = {}, []
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
            elif ev.name.startswith(("aten::", "torchvision::")):
                ops.append({"name": ev.name, "input_shapes": ev.input_shapes,
                            "input_types": input_types[ev.id], "module": module})
            else:
                raise RuntimeError(f"unexpected outermost event {ev.name!r}")

    visit(roots, None)
    return ops


def profile(model, call):
    with torch.inference_mode():
        call()  # warm-up (MultiScaleRoIAlign's scales, lazy inits)
        ranges = mg.ModuleRanges(model)
        scope_names = {type(x).__name__ for x in model.modules()}
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU],
                                    record_shapes=True) as prof:
            out = call()
        ranges.remove()
    return out, outermost_ops(prof.events(), mg.kineto_input_types(prof), scope_names)


def rcnn_golden(kind, images, score_thresh=None):
    cfg = RCNN_TINY
    torch.manual_seed(0)
    model = build_rcnn(kind, cfg, score_thresh)
    state = set_pseudo_weights(model)
    # torchvision's input: a list of float [3, H, W] images in [0, 1] (ToTensor's convention).
    inputs = [torch.from_numpy(synthetic_image(i, h, w)).permute(2, 0, 1).float().div(255)
              for i, (h, w) in enumerate(images)]
    out, ops = profile(model, lambda: model(inputs))
    counts = {"detections": sum(int(o["boxes"].shape[0]) for o in out)}
    if kind == "maskrcnn":
        counts["masks"] = sum(int(o["masks"].shape[0]) for o in out)
    config = dict(cfg)
    if score_thresh is not None:
        config["box_score_thresh"] = score_thresh
    return {
        "reference": type(model).__name__, "config": config, "state": state, "ops": ops,
        "parameters": sum(p.numel() for p in model.parameters()), "counts": counts,
        "images": [list(s) for s in images],
    }


def detr_golden(images, attention=None):
    cfg = DETR_TINY
    torch.manual_seed(0)
    model, processor = build_detr(cfg, attention)
    state = set_pseudo_weights(model)
    pixels = [synthetic_image(i, h, w) for i, (h, w) in enumerate(images)]
    enc = processor(images=pixels, return_tensors="pt")
    pv, pm = enc["pixel_values"], enc["pixel_mask"]
    out, ops = profile(model, lambda: model(pixel_values=pv, pixel_mask=pm))
    prob = torch.nn.functional.softmax(out.logits, -1)
    scores, _ = prob[..., :-1].max(-1)
    return {
        "reference": type(model).__name__, "attention": model.config._attn_implementation,
        "config": cfg, "state": state, "ops": ops,
        "parameters": sum(p.numel() for p in model.parameters()),
        "counts": {"queries": int(out.logits.shape[0] * out.logits.shape[1]),
                   "detections": int((scores > 0.5).sum())},
        "images": [list(s) for s in images],
        "preprocessed": {"pixel_values_shape": list(pv.shape), "pixel_mask_sum": int(pm.sum()),
                         "pixel_values_mean": float(pv.double().mean()),
                         "pixel_values_abs_mean": float(pv.double().abs().mean())},
    }


def make_golden(name, model, kw):
    if model in ("fasterrcnn", "maskrcnn"):
        g = rcnn_golden(model, kw["images"], kw.get("score_thresh"))
    else:
        g = detr_golden(kw["images"], kw.get("attention"))
    import torchvision
    import transformers
    head = {"schema_version": 1,
            "generator": {"torch": torch.__version__, "torchvision": torchvision.__version__,
                          "transformers": transformers.__version__},
            "model": name, "attention": "", "batch": len(kw["images"]), "seq_len": 0}
    return {**head, **g}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="diff against the stored goldens, write nothing")
    ap.add_argument("--only", action="append", help="a golden name like fasterrcnn-tiny (repeatable)")
    ap.add_argument("--any-version", action="store_true", help="allow unpinned versions")
    args = ap.parse_args()

    import torchvision
    import transformers
    have = {"torch": torch.__version__.split("+")[0], "torchvision": torchvision.__version__.split("+")[0],
            "transformers": transformers.__version__}
    if have != PINNED and not args.any_version:
        sys.exit(f"need {PINNED}, have {have} (or pass --any-version)")
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore", message=".*Profiler clears events.*")

    failed = False
    for name, model, kw in GOLDENS:
        if args.only and name not in args.only:
            continue
        golden = make_golden(name, model, kw)
        path = GOLDEN_DIR / f"{name}.json"
        if args.check:
            old = json.loads(path.read_text()) if path.exists() else {"ops": []}
            d = mg.diff(old, golden)
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
            print(f"wrote {path.relative_to(mg.REPO)} ({len(golden['ops'])} ops, counts {golden['counts']})")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
