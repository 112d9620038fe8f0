#!/usr/bin/env python3
"""Add two vectors with a hand-written CUDA kernel (numba @cuda.jit).

    python3 add-list-cudajit.py [NUM_ELEMENTS]                          # on an NVIDIA GPU
    NUMBA_ENABLE_CUDASIM=1 python3 add-list-cudajit.py [NUM_ELEMENTS]   # anywhere, on the CPU

Unlike @vectorize(target='cuda') (add-list.py), a @cuda.jit kernel also runs under numba's CUDA
simulator, which executes every GPU thread in Python: correct, but slow, so the default size is
small there (default: 10000000 elements on a GPU, 10000 in the simulator).
"""
import sys
from timeit import default_timer as timer

import numpy as np
from numba import config, cuda

THREADS_PER_BLOCK = 128


@cuda.jit
def add_kernel(a, b, out):
    # A grid-stride loop: correct for any array size and any number of blocks.
    start = cuda.grid(1)
    stride = cuda.gridsize(1)
    for i in range(start, out.size, stride):
        out[i] = a[i] + b[i]


def device_name():
    name = cuda.get_current_device().name
    return name.decode() if isinstance(name, bytes) else str(name)


def main(argv):
    simulated = bool(config.ENABLE_CUDASIM)
    if not cuda.is_available():
        print("No CUDA GPU found. Run on a GPU node (Slurm: --gres=gpu:1 on a GPU partition), "
              "or try the simulator: NUMBA_ENABLE_CUDASIM=1 python3 add-list-cudajit.py", file=sys.stderr)
        return 1
    try:
        n = int(argv[1]) if len(argv) > 1 else (10_000 if simulated else 10_000_000)
    except ValueError:
        n = 0
    if n < 1:
        sys.exit(f"usage: {argv[0]} [NUM_ELEMENTS]  (a positive whole number)")

    a = np.arange(n, dtype=np.float32)
    b = np.ones(n, dtype=np.float32)

    start = timer()
    d_a = cuda.to_device(a)
    d_b = cuda.to_device(b)
    d_out = cuda.device_array_like(a)
    # Enough blocks to cover the array, but not more than the simulator can walk through quickly.
    blocks = min((n + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK, 8 if simulated else 65_535)
    add_kernel[blocks, THREADS_PER_BLOCK](d_a, d_b, d_out)
    out = d_out.copy_to_host()
    elapsed = timer() - start

    where = "CUDA simulator (CPU)" if simulated else f"GPU {device_name()}"
    ok = np.array_equal(out, a + b)
    print(f"{n} elements on {where}: {blocks} blocks x {THREADS_PER_BLOCK} threads, {elapsed:f} seconds, "
          f"result {'correct' if ok else 'WRONG'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
