#!/usr/bin/env python3
"""Estimate pi by throwing random darts at a square, spread over a multiprocessing pool.

    python3 distributed.py [SAMPLES]        # default 1000000 darts

The pool size comes from, in order: HPC_JOBS_WORKERS (set by the HPC Jobs extension), the Slurm
allocation (SLURM_CPUS_PER_TASK, else SLURM_NTASKS), else every core this process may use.
All processes stay on one node: for several nodes use MPI (pythonMPI.py).
"""
import multiprocessing
import os
import random
import sys
import time


def sample(n):
    """Throw n darts at the unit square; return (n, number inside the quarter circle).

    Returning n as well makes the results easy to combine: sum both and divide.
    """
    rng = random.Random()  # seeded from os.urandom: every worker draws its own numbers
    n_inside_circle = 0
    for _ in range(n):
        x = rng.random()
        y = rng.random()
        if x * x + y * y < 1.0:
            n_inside_circle += 1
    return n, n_inside_circle


def worker_count():
    """How many processes to start, and where that number came from."""
    for var in ("HPC_JOBS_WORKERS", "SLURM_CPUS_PER_TASK", "SLURM_NTASKS"):
        value = os.environ.get(var, "").strip()
        if not value:
            continue
        try:
            count = int(value)
        except ValueError:
            count = 0
        if count < 1:
            sys.exit(f"distributed.py: {var}={value!r} is not a positive whole number")
        return count, var
    try:
        return len(os.sched_getaffinity(0)), "cores available"
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1, "cores available"


def split(total, parts):
    """Split total into `parts` whole numbers that differ by at most one."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def main(argv):
    if len(argv) > 2:
        sys.exit(f"usage: {argv[0]} [SAMPLES]")
    try:
        samples = int(argv[1]) if len(argv) > 1 else 1_000_000
    except ValueError:
        sys.exit(f"distributed.py: SAMPLES must be a whole number, not {argv[1]!r}")
    if samples < 1:
        sys.exit("distributed.py: SAMPLES must be at least 1")

    workers, source = worker_count()
    # A few chunks per worker keeps every worker busy even when some finish early.
    chunks = [c for c in split(samples, workers * 4) if c > 0]
    print(f"workers: {workers} (from {source})", flush=True)

    t0 = time.perf_counter()
    with multiprocessing.Pool(processes=workers) as pool:
        results = pool.map(sample, chunks)
    elapsed = time.perf_counter() - t0

    n_sum = sum(n for n, _ in results)
    n_inside_circle_sum = sum(inside for _, inside in results)
    pi = 4.0 * n_inside_circle_sum / n_sum
    print(f"pi estimate: {pi:.6f} ({n_sum} samples, {workers} worker{'s' if workers != 1 else ''}, {elapsed:.2f} s)", flush=True)
    return 0


# The guard matters: with the "spawn" start method (macOS, Windows) every worker imports this
# file, and without it each would start a pool of its own.
if __name__ == "__main__":
    sys.exit(main(sys.argv))
