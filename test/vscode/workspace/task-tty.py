"""An interactive program for the terminal adapter: needs a TTY, prompts without a newline."""
import sys

print(f"task-tty: isatty {sys.stdin.isatty()}", flush=True)
name = input("name? ")
print(f"task-tty: hello {name}", flush=True)
