#!/usr/bin/env python3
"""Every MPI rank says who it is (the Run in Parallel suite's MPI fixture)."""
from mpi4py import MPI

comm = MPI.COMM_WORLD
print(f"hello from rank {comm.Get_rank()} of {comm.Get_size()}", flush=True)
