"""Fixes for TorchInductor code-generation bugs that block ngbench's models, applied by export_aoti.py before it
compiles. Each fix is the smallest change that makes the generated code correct; none turns vectorization off or
changes what Inductor fuses. Every fix applied is recorded in the package's sidecar ("inductor_patches").

masked-is-vec (torch 2.11, upstream pytorch/pytorch#179135 and #173626; hits torchvision's Swin):
  CppVecOverrides.masked, when the mask is a vector, marks the body's own result variable as a vector
  (`result.is_vec = True`) instead of only the masked value it creates. When that result is a scalar that CSE shares
  (Swin's attention-mask build: nested slice_scatter of constant fills), later uses take it for a vector and emit
  `decltype(tmpN)::blendv(...)` on a float, which g++ rejects. The fix restores the body result's flag after the
  call; the masked value itself stays a vector, as the original code intends.
"""


def apply():
    """Applies every fix this torch needs; returns their names (for the sidecar)."""
    import torch
    applied = []
    if torch.__version__.split("+")[0].startswith("2.11."):
        _masked_is_vec()
        applied.append("masked-is-vec (pytorch/pytorch#179135)")
    return applied


def _masked_is_vec():
    from torch._inductor.codegen.cpp import CppVecOverrides
    original = CppVecOverrides.masked
    if getattr(original, "_ngbench_patched", False):
        return

    def masked(mask, body, other):
        results = []

        def recorded_body():
            result = body()
            results.append((result, getattr(result, "is_vec", None)))
            return result

        value = original(mask, recorded_body, other)
        for result, was_vec in results:
            if was_vec is not None and result.is_vec != was_vec:
                result.is_vec = was_vec
                value.is_vec = True
        return value

    masked._ngbench_patched = True
    CppVecOverrides.masked = staticmethod(masked)
