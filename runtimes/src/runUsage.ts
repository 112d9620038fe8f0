/**
 * What a local run used, from /proc, sampled once a second while it runs and once at its end:
 * the CPU time of its whole process tree and the peak of the memory its processes held at once
 * (Linux). A run on this machine predicts what the job will need on the cluster.
 *
 * CPU time: for each process of the run, its own user + system time plus that of the children
 * it has waited for (`cutime`, `cstime`, which is how the last second of a rank that mpirun
 * reaped is still counted). A process that disappears while its parent is in the run is counted
 * by that parent's `cutime` from then on; one whose parent is not (a unit we spawned, a daemon
 * re-parented to init) keeps the figures last seen, so up to a second of each such process is
 * missed. Peak memory: the largest sum of resident sizes over one sample, or the largest single
 * process's own peak (VmHWM) when that is more.
 */
import { readFile } from 'node:fs/promises';
import type { Disposable } from './events';
import { findRunProcesses, type TreeSelector } from './processTree';
import { figureDuration } from '../../server/src/durationWords';
import { formatBytes } from './slurm/jobOutcome';

/** Linux's USER_HZ. */
const TICKS_PER_SECOND = 100;

export interface RunUsage {
  /** CPU seconds of the whole process tree (user + system). */
  readonly cpuS: number;
  readonly peakRssBytes: number;
  /** How many samples the figures come from: looks that found a process of the run alive. */
  readonly samples: number;
}

/** `last`: the sample it was last seen in; `gone`: the first sample it was missing from. */
interface Seen { ppid: number; ticks: number; last: number; gone?: number }

/** utime, stime, cutime, cstime (fields 14–17) and the parent (field 4) from /proc/PID/stat. */
export function statTimes(text: string): { ppid: number; ticks: number } | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text.slice(close + 2).split(' ');
  const n = (i: number) => Number(f[i]) || 0;
  if (f.length < 15) return undefined;
  return { ppid: n(1), ticks: n(11) + n(12) + n(13) + n(14) };
}

/** VmRSS and VmHWM (kB) from /proc/PID/status, in bytes. */
export function statusMemory(text: string): { rss: number; hwm: number } {
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

export class UsageMeter implements Disposable {
  private readonly seen = new Map<number, Seen>();
  private peak = 0;
  /** Looks taken (the clock of `Seen`), and those that found a process alive. */
  private samples = 0;
  private samplesSeen = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly selector: () => TreeSelector, private readonly intervalMs = 1000) {}

  start(): void {
    if (this.timer) return;
    // A first look soon after the start: a run shorter than the interval is seen too.
    setTimeout(() => { if (this.timer) void this.sample(); }, 200).unref?.();
    this.timer = setInterval(() => { void this.sample(); }, this.intervalMs);
    this.timer.unref?.();
  }

  /** One look at the run's processes now (a sample already under way is awaited instead). */
  sample(): Promise<void> {
    this.inFlight ??= this.read().finally(() => { this.inFlight = undefined; });
    return this.inFlight;
  }

  private async read(): Promise<void> {
    let procs;
    try { procs = await findRunProcesses(this.selector()); } catch { return; }
    const live = new Set<number>();
    let rss = 0;
    await Promise.all(procs.map(async (p) => {
      try {
        const [stat, status] = await Promise.all([readFile(`/proc/${p.pid}/stat`, 'latin1'), readFile(`/proc/${p.pid}/status`, 'latin1')]);
        const t = statTimes(stat);
        if (!t) return;
        const mem = statusMemory(status);
        live.add(p.pid);
        rss += mem.rss;
        this.peak = Math.max(this.peak, mem.hwm);
        this.seen.set(p.pid, { ppid: t.ppid, ticks: t.ticks, last: this.samples });
      } catch { /* gone meanwhile */ }
    }));
    for (const [pid, s] of this.seen) if (!live.has(pid)) s.gone ??= this.samples;
    this.peak = Math.max(this.peak, rss);
    this.samples++;
    if (live.size > 0) this.samplesSeen++;
  }

  /** The figures so far. */
  usage(): RunUsage {
    let ticks = 0;
    for (const s of this.seen.values()) if (!this.countedByAncestor(s)) ticks += s.ticks;
    // A run over before any look found it has no figures, rather than "CPU 0.0 cores · mem 0 MiB".
    return { cpuS: ticks / TICKS_PER_SECOND, peakRssBytes: this.peak, samples: this.samplesSeen };
  }

  /**
   * A process that went is in an ancestor's cutime/cstime once reaped (the times of waited-for
   * children add up the chain): when an ancestor of the run was seen after it went.
   */
  private countedByAncestor(s: Seen): boolean {
    if (s.gone === undefined) return false;
    const visited = new Set<number>();
    for (let a = this.seen.get(s.ppid), pid = s.ppid; a && !visited.has(pid); pid = a.ppid, a = this.seen.get(a.ppid)) {
      visited.add(pid);
      if (a.gone === undefined || a.last >= s.gone) return true;
    }
    return false;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * `CPU 1.9 cores · mem 210 MiB · 12s`: CPU time over wall time (how many cores it kept busy on
 * average), peak memory, wall time. What the run would need as a job.
 */
export function usageBadge(usage: RunUsage, elapsedS: number): string {
  const cores = elapsedS > 0 ? usage.cpuS / elapsedS : undefined;
  return [
    ...(cores !== undefined ? [`CPU ${cores.toFixed(1)} core${cores >= 0.95 && cores < 1.05 ? '' : 's'}`] : []),
    `mem ${formatBytes(usage.peakRssBytes)}`,
    figureDuration(elapsedS),
  ].join(' · ');
}
