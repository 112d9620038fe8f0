#!/usr/bin/env python3
"""Estimate pi with MPI: every rank throws its share of the darts, rank 0 combines the counts.

    mpirun -n 4 python3 pythonMPI.py [DARTS]      # default 10000000 darts in all
    srun python3 pythonMPI.py [DARTS]             # inside a Slurm allocation (--mpi=pmix if needed)

Needs mpi4py built against the MPI that launches it.
"""
import random
import sys
import time

from mpi4py import MPI


def sample(n):
    """Throw n darts at the unit square; return (n, number inside the quarter circle)."""
    rng = random.Random()  # seeded from os.urandom: every rank draws its own numbers
    n_inside_circle = 0
    for _ in range(n):
        x = rng.random()
        y = rng.random()
        if x * x + y * y < 1.0:
            n_inside_circle += 1
    return n, n_inside_circle


def main(argv):
    comm = MPI.COMM_WORLD
    size = comm.Get_size()
    rank = comm.Get_rank()

    try:
        n = int(argv[1]) if len(argv) > 1 else 10 ** 7
    except ValueError:
        n = -1
    if n < 1:
        if rank == 0:
            print(f"usage: {argv[0]} [DARTS]  (a positive whole number)", file=sys.stderr)
        return 2

    # Share the darts out so that they add up to n exactly, whatever the number of ranks.
    n_task = n // size + (1 if rank < n % size else 0)

    t0 = time.perf_counter()
    n_task, n_inside_circle = sample(n_task)
    t = time.perf_counter() - t0

    # gather: rank 0 receives one item from every rank, as a list in rank order; the others get
    # None. Printing only on rank 0 keeps the output in order (ranks' own prints can interleave).
    reports = comm.gather((MPI.Get_processor_name(), n_task, n_inside_circle), root=0)
    # reduce: combine one value from every rank with an operation: the total, the slowest time.
    total = comm.reduce(n_task, op=MPI.SUM, root=0)
    inside = comm.reduce(n_inside_circle, op=MPI.SUM, root=0)
    slowest = comm.reduce(t, op=MPI.MAX, root=0)

    if rank == 0:
        for r, (host, darts, hits) in enumerate(reports):
            print(f"rank {r} of {size} on {host}: {hits} of {darts} darts inside")
        pi_estimate = 4.0 * inside / total
        print(f"number of darts: {total}, ranks: {size}, estimate: {pi_estimate:.6f}, "
              f"time spent: {slowest:.2f} seconds", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
