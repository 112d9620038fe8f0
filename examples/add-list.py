#!/usr/bin/env python3
"""Add two vectors on the CPU (a plain Python loop) and on an NVIDIA GPU (numba @vectorize).

    python3 add-list.py [NUM_ELEMENTS]       # default 10000000

Without a CUDA GPU the CPU part runs and the GPU part is skipped with a message (exit status 0).
The GPU version is made with @vectorize(target='cuda'), which numba's CUDA simulator
(NUMBA_ENABLE_CUDASIM=1) cannot run: try add-list-cudajit.py there.
"""
import sys
from timeit import default_timer as timer

import numpy as np


def vector_add_cpu(a, b):
    """The CPU version: one element at a time, in pure Python (slow on purpose)."""
    c = np.zeros(a.size, dtype=np.float32)
    for i in range(a.size):
        c[i] = a[i] + b[i]
    return c


def gpu_unavailable_reason():
    """None when a CUDA GPU can run @vectorize(target='cuda'), else why not."""
    try:
        from numba import config, cuda
    except ImportError:
        return "numba is not installed (pip install numba)"
    if config.ENABLE_CUDASIM:
        return ("NUMBA_ENABLE_CUDASIM=1: numba's CUDA simulator cannot run @vectorize(target='cuda'); "
                "run add-list-cudajit.py for a @cuda.jit version that it can run")
    if not cuda.is_available():
        return "no CUDA GPU found (on Slurm, ask for one with --gres=gpu:1 on a GPU partition)"
    return None


def make_vector_add_gpu():
    from numba import vectorize

    # @vectorize compiles the scalar function into a GPU ufunc: numba copies the arrays to the
    # GPU, runs one thread per element and copies the result back.
    @vectorize(["float32(float32, float32)"], target="cuda")
    def vector_add_gpu(a, b):
        return a + b

    return vector_add_gpu


def main(argv):
    try:
        num_elements = int(argv[1]) if len(argv) > 1 else 10_000_000
    except ValueError:
        num_elements = 0
    if num_elements < 1:
        sys.exit(f"usage: {argv[0]} [NUM_ELEMENTS]  (a positive whole number)")

    a_source = np.ones(num_elements, dtype=np.float32)
    b_source = np.ones(num_elements, dtype=np.float32)
    expected = a_source + b_source

    start = timer()
    c_cpu = vector_add_cpu(a_source, b_source)
    vector_add_cpu_time = timer() - start
    assert np.array_equal(c_cpu, expected), "CPU result is wrong"
    print(f"{num_elements} elements")
    print(f"CPU function took {vector_add_cpu_time:f} seconds.")

    reason = gpu_unavailable_reason()
    if reason:
        print(f"GPU function skipped: {reason}.")
        return 0

    vector_add_gpu = make_vector_add_gpu()
    vector_add_gpu(a_source[:1], b_source[:1])  # warm up: the first call pays for CUDA start-up
    start = timer()
    c_gpu = vector_add_gpu(a_source, b_source)
    vector_add_gpu_time = timer() - start
    assert np.array_equal(c_gpu, expected), "GPU result is wrong"
    print(f"GPU function took {vector_add_gpu_time:f} seconds (including copies to and from the GPU).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
