#!/bin/bash
# The Run in Parallel suite's plain shell script: run as a task array.
echo "task $SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT"
