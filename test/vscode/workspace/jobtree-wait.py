"""The job tree's in-host test: runs until the file named by its argument exists."""
import os
import sys
import time

while not os.path.exists(sys.argv[1]):
    time.sleep(0.05)
print(f"done with {os.environ.get('HPC_JOBS_WORKERS')} workers")
