"""A small pool for the Tasks suite: sizes its multiprocessing.Pool from HPC_JOBS_WORKERS."""
import os
from multiprocessing import Pool


def square(x):
    return x * x


if __name__ == "__main__":
    workers = int(os.environ.get("HPC_JOBS_WORKERS", "1"))
    with Pool(workers) as pool:
        total = sum(pool.map(square, range(10)))
    print(f"task-hello: {workers} workers, sum {total}", flush=True)
