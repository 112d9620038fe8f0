"""Waits until it is cancelled (the Tasks suite ends it by closing its terminal or Ctrl-C)."""
import time

print("task-wait: waiting", flush=True)
time.sleep(600)
