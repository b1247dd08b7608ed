"""The Python torch.profiler on GPT-2 (batch 1, sequence 128, CPU), for comparison with ngbench's observer.

Builds Hugging Face's GPT2LMHeadModel from GPT2Config() (the gpt2 config, random weights, default attention),
times 30 iterations without the profiler, then 30 iterations inside torch.profiler.profile(record_shapes=True),
and reports the overhead (profiled median / timed median) and the coverage (time of the outermost aten ops under
each iteration's record_function / the iteration's wall time), computed like ngbench's.
"""
import argparse
import statistics
import time

import torch
import transformers
from torch.profiler import ProfilerActivity, profile, record_function


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iters", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = transformers.GPT2LMHeadModel(transformers.GPT2Config()).eval()
    ids = torch.randint(0, 50257, (1, 128))
    with torch.inference_mode():
        for _ in range(args.warmup):
            model(ids, use_cache=False)
        timed = []
        for _ in range(args.iters):
            t0 = time.perf_counter()
            model(ids, use_cache=False)
            timed.append((time.perf_counter() - t0) * 1e3)
        profiled = []
        with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
            for i in range(args.iters):
                t0 = time.perf_counter()
                with record_function(f"iteration_{i}"):
                    model(ids, use_cache=False)
                profiled.append((time.perf_counter() - t0) * 1e3)
    coverage = []
    for ev in prof.events():
        if ev.name.startswith("iteration_"):
            span = ev.time_range.elapsed_us()
            ops = sum(c.time_range.elapsed_us() for c in ev.cpu_children)
            coverage.append(ops / span if span else 0.0)
    t, p = statistics.median(timed), statistics.median(profiled)
    print(f"torch.profiler  timed median {t:8.2f} ms  profiled median {p:8.2f} ms  overhead "
          f"{100 * (p / t - 1):+6.2f}%  coverage {100 * statistics.mean(coverage):6.2f}%")


if __name__ == "__main__":
    main()
