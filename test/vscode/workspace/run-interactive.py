"""Run in Parallel's terminal target: prompts without a newline, reads a line, echoes it."""
import os
import sys

print(f"run-interactive: isatty {sys.stdin.isatty()}", flush=True)
answer = input("your name? ")
size = os.get_terminal_size(sys.stdout.fileno()) if sys.stdout.isatty() else None
print(f"run-interactive: hello {answer}" + (f" ({size.columns}x{size.lines})" if size else ""), flush=True)
