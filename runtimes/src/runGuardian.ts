/**
 * What ends a run's units when its launcher is killed from outside.
 *
 * Every unit has a session of its own (so Ctrl-C in the caller's terminal does not reach it
 * behind the run's back), which also means nothing ends it when the launcher dies: `kill -9` of
 * `hpc-jobs run`, or of its whole process group (what a CI runner does on a timeout), or a
 * crashed extension host left every unit running. So each run has a guardian, a small process
 * in a session of its own that holds the read end of a pipe from the launcher. A run that ends
 * says "bye" first; end of input without it means the launcher is gone, and the guardian ends
 * the run as cancel does: SIGTERM to every unit's process group and every process carrying the
 * run's marker, SIGKILL after the grace period.
 *
 * A run with a resident spawner has it as its guardian (spawnerScript.ts; it also sees the
 * run's re-parented orphans). Any other run gets `sh` reading the unit groups as lines:
 * one fork of /bin/sh per run, after its first units have started.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Writable } from 'node:stream';

export interface RunGuard {
  /** A unit's process group, to end if the launcher dies. */
  watch(pgid: number): void;
  /** That unit has ended, and whatever it left in its group with it. */
  unwatch(pgid: number): void;
  /** The run is over: the guardian exits and ends nothing. */
  close(): void;
}

/**
 * Input: `+PGID` / `-PGID` lines, then `bye`. $1 the run id, $2 the grace in seconds.
 * Marked processes are the ones whose /proc/PID/environ has HPC_JOBS_RUN_ID=<run id>/...
 */
const GUARDIAN_SCRIPT = `
groups=' '
while IFS= read -r line; do
  case $line in
    bye) exit 0 ;;
    +*) groups="$groups\${line#+} " ;;
    -*) rest=' '; for g in $groups; do [ "$g" = "\${line#-}" ] || rest="$rest$g "; done; groups=$rest ;;
  esac
done
marked() { grep -lzF -- "HPC_JOBS_RUN_ID=$1/" /proc/[0-9]*/environ 2>/dev/null | while IFS=/ read -r _ _ pid _; do echo "$pid"; done; }
for sig in TERM KILL; do
  for g in $groups; do kill -s $sig -- "-$g" 2>/dev/null; done
  for p in $(marked "$1"); do [ "$p" = $$ ] || kill -s $sig "$p" 2>/dev/null; done
  [ $sig = KILL ] || sleep "$2"
done
`;

export class ShellGuardian implements RunGuard {
  private open = true;

  private constructor(private readonly proc: ChildProcessByStdio<Writable, null, null>) {}

  /** A guardian for the run `runId`, or undefined where /bin/sh cannot be started. */
  static start(runId: string, graceMs: number): ShellGuardian | undefined {
    let proc: ChildProcessByStdio<Writable, null, null>;
    try {
      // detached: its own session, out of reach of a signal to the launcher's process group.
      proc = spawn('/bin/sh', ['-c', GUARDIAN_SCRIPT, 'hpc-jobs-guardian', runId, String(graceMs / 1000)], {
        detached: true, stdio: ['pipe', 'ignore', 'ignore'], windowsHide: true,
      });
    } catch {
      return undefined;
    }
    const guardian = new ShellGuardian(proc);
    proc.on('error', () => { guardian.open = false; });
    proc.stdin.on('error', () => { guardian.open = false; });
    // It never keeps the launcher alive by itself: the run's own processes do that.
    proc.unref();
    (proc.stdin as Writable & { unref?(): void }).unref?.();
    return guardian;
  }

  watch(pgid: number): void { this.send(`+${pgid}\n`); }

  unwatch(pgid: number): void { this.send(`-${pgid}\n`); }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.proc.stdin.end('bye\n');
  }

  private send(line: string): void {
    if (this.open) this.proc.stdin.write(line);
  }
}
