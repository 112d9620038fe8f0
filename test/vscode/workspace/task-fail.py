"""Fails on purpose with exit code 3 (the Tasks suite checks the task ends with it)."""
import sys

print("task-fail: failing on purpose", flush=True)
sys.exit(3)
