/**
 * Finding and ending every process a run started, read from /proc (Linux).
 *
 * A process group is not enough on its own: Open MPI puts each rank in a group of its own,
 * orphans are re-parented to init (so parent links break), and a daemon may call setsid().
 * So a run's processes are the union of
 *   - its process groups (we spawn each unit `detached`, so its group id is its pid),
 *   - the descendants of its roots (parent links, for ranks in their own groups),
 *   - every process whose environment carries the run's marker variable (inherited by all
 *     children unless a program clears its environment; catches setsid() daemons),
 *   - the children of the run's subreaper (its resident spawner, spawnerScript.ts), to which
 *     orphans are re-parented: a daemon that left its session and cleared its environment.
 * Zombies count as gone: they hold no resources and init reaps them.
 *
 * Only processes that started after the run did have their environment read: a busy machine
 * has hundreds of others.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** One letter from /proc/PID/stat: R, S, D, Z, T... */
  readonly state: string;
  readonly command: string;
  /** When it started, in clock ticks since boot (field 22 of /proc/PID/stat). */
  readonly startTicks: number;
}

/** What identifies a run's processes. */
export interface TreeSelector {
  /** Root pids (units we spawned); their descendants belong to the run. */
  readonly roots: readonly number[];
  /** Process groups of the run (each unit's group id is its pid). */
  readonly groups: readonly number[];
  /** `NAME=value` in /proc/PID/environ marks a process of the run (`prefix`: value starts so). */
  readonly marker?: { readonly name: string; readonly value: string; readonly prefix?: boolean };
  /** A child subreaper of the run's alone: its children (not itself) and their descendants are the run's. */
  readonly reaper?: number;
  /** Processes that started before this (clock ticks since boot) cannot carry the marker. */
  readonly sinceTicks?: number;
}

/** Linux's USER_HZ: 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** Now, in /proc's clock ticks since boot, minus a second's margin. */
export function ticksNow(): number {
  try {
    const seconds = Number.parseFloat(readFileSync('/proc/uptime', 'latin1'));
    return Math.max(0, Math.floor((seconds - 1) * TICKS_PER_SECOND));
  } catch {
    return 0;
  }
}

/** /proc/PID/stat: the command is in parentheses and may itself contain spaces and ')'. */
export function parseStat(text: string): ProcessInfo | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = text.slice(close + 2).split(' ');
  const pid = Number(text.slice(0, open).trim());
  if (!Number.isInteger(pid) || fields.length < 3) return undefined;
  // fields[0] is field 3 (state); starttime is field 22.
  return {
    pid, state: fields[0]!, ppid: Number(fields[1]), pgid: Number(fields[2]),
    command: text.slice(open + 1, close), startTicks: Number(fields[19] ?? 0) || 0,
  };
}

function pidNames(names: readonly string[]): string[] {
  return names.filter((n) => { const c = n.charCodeAt(0); return c >= 48 && c <= 57; });
}

export async function listProcesses(): Promise<ProcessInfo[]> {
  let names: string[];
  try { names = pidNames(await readdir('/proc')); } catch { return []; }
  const infos = await Promise.all(names.map((n) => readFile(`/proc/${n}/stat`, 'latin1').then(parseStat, () => undefined)));
  return infos.filter((p): p is ProcessInfo => p !== undefined);
}

// /proc/PID/stat is a few hundred bytes; readFileSync would allocate 64 KB for each file (its
// size reads as 0), and fresh memory costs page faults: reuse one small buffer instead.
const statBuffer = Buffer.allocUnsafe(4096);

function readStatSync(pid: string): ProcessInfo | undefined {
  const fd = openSync(`/proc/${pid}/stat`, 'r');
  try {
    return parseStat(statBuffer.toString('latin1', 0, readSync(fd, statBuffer, 0, statBuffer.length, null)));
  } finally {
    closeSync(fd);
  }
}

/** The same, synchronously: faster (no thread-pool round trip per file), for a short block. */
export function listProcessesSync(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  let names: string[];
  try { names = pidNames(readdirSync('/proc')); } catch { return out; }
  for (const n of names) {
    try { const p = readStatSync(n); if (p) out.push(p); } catch { /* gone */ }
  }
  return out;
}

const gone = (p: ProcessInfo) => p.state === 'Z' || p.state === 'X' || p.pid === process.pid;

/**
 * The run's live processes among `processes`: in its groups, descended from its roots or from
 * those, or among `marked` (pids whose environment carries the marker).
 */
export function selectRunProcesses(sel: TreeSelector, processes: readonly ProcessInfo[], marked: ReadonlySet<number> = new Set()): ProcessInfo[] {
  const groups = new Set(sel.groups);
  const picked = new Map<number, ProcessInfo>();
  const children = new Map<number, ProcessInfo[]>();
  for (const p of processes) {
    const list = children.get(p.ppid);
    if (list) list.push(p); else children.set(p.ppid, [p]);
    if (!gone(p) && (groups.has(p.pgid) || marked.has(p.pid) || sel.roots.includes(p.pid) || (sel.reaper !== undefined && p.ppid === sel.reaper))) {
      picked.set(p.pid, p);
    }
  }
  // Descendants of the roots and of everything found so far (a rank's children, a daemon's).
  const queue = [...sel.roots, ...picked.keys()];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const pid = queue.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    for (const child of children.get(pid) ?? []) {
      if (gone(child)) continue;
      picked.set(child.pid, child);
      queue.push(child.pid);
    }
  }
  return [...picked.values()];
}

async function markedPids(sel: TreeSelector, processes: readonly ProcessInfo[]): Promise<Set<number>> {
  const marked = new Set<number>();
  if (!sel.marker) return marked;
  const needle = `${sel.marker.name}=${sel.marker.value}${sel.marker.prefix ? '' : '\0'}`;
  const since = sel.sinceTicks ?? 0;
  await Promise.all(processes.filter((p) => !gone(p) && p.startTicks >= since).map(async (p) => {
    try {
      const env = await readFile(`/proc/${p.pid}/environ`, 'latin1');
      if (env.startsWith(needle) || env.includes('\0' + needle)) marked.add(p.pid);
    } catch { /* gone, or not ours to read */ }
  }));
  return marked;
}

/** Live processes of the run, never this process itself. */
export async function findRunProcesses(sel: TreeSelector): Promise<ProcessInfo[]> {
  // Synchronous: a few ms for a few hundred processes, where the thread pool's round trips
  // take several times longer. Environments (few: only processes newer than the run) are async.
  const processes = listProcessesSync();
  return selectRunProcesses(sel, processes, await markedPids(sel, processes));
}

/** When `pid` started (clock ticks since boot), or undefined when there is no such live process. */
export function processStartTicks(pid: number): number | undefined {
  try {
    const p = readStatSync(String(pid));
    return p && p.state !== 'Z' && p.state !== 'X' ? p.startTicks : undefined;
  } catch {
    return undefined;
  }
}

/** Whether any process is left in a group (one cheap syscall, no /proc scan). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(pid, sig); } catch { /* already gone */ }
}

export interface KillReport {
  /** Processes that got SIGTERM. */
  readonly terminated: readonly ProcessInfo[];
  /** Processes still there after the grace period, which got SIGKILL. */
  readonly killed: readonly ProcessInfo[];
  /** Processes that survived even SIGKILL (e.g. stuck in uninterruptible sleep). */
  readonly survivors: readonly ProcessInfo[];
}

const POLL_MS = 25;
const KILL_WAIT_MS = 5000;

/**
 * SIGTERM to everything `sel` finds, then SIGKILL to what is left after `graceMs`. Looks again
 * on every poll, so children forked during the grace period are caught too. Resolves once
 * nothing is left (or, for processes that ignore even SIGKILL, after a few seconds).
 */
export async function killTree(sel: TreeSelector, graceMs: number): Promise<KillReport> {
  const terminated = new Map<number, ProcessInfo>();
  const killed = new Map<number, ProcessInfo>();
  const sendTerm = (list: readonly ProcessInfo[]) => {
    for (const g of sel.groups) signal(-g, 'SIGTERM');
    for (const p of list) {
      if (!terminated.has(p.pid)) { terminated.set(p.pid, p); signal(p.pid, 'SIGTERM'); }
    }
  };
  let live = await findRunProcesses(sel);
  sendTerm(live);
  const termDeadline = Date.now() + graceMs;
  while (live.length > 0 && Date.now() < termDeadline) {
    await delay(POLL_MS);
    live = await findRunProcesses(sel);
    sendTerm(live);
  }
  const killDeadline = Date.now() + KILL_WAIT_MS;
  while (live.length > 0) {
    for (const g of sel.groups) signal(-g, 'SIGKILL');
    for (const p of live) { killed.set(p.pid, p); signal(p.pid, 'SIGKILL'); }
    if (Date.now() > killDeadline) break;
    await delay(POLL_MS);
    live = await findRunProcesses(sel);
  }
  return { terminated: [...terminated.values()], killed: [...killed.values()], survivors: live };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
