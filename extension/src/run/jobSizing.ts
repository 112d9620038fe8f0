/**
 * What to ask for next time, from a script's directives and the figures of its runs: the raised
 * value after a job ran out of memory or time ("Resubmit with more…"), and the right-size
 * suggestion for the `#SBATCH --mem`, `--mem-per-cpu`, `--time` and `--cpus-per-task` lines.
 * A run cut short by a limit only says "at least this much": the suggestion then goes up, never
 * down, and a cut needs RIGHT_SIZE_MIN_RUNS runs and a real margin. No `vscode` here.
 */
import type { ClusterProfile } from '../../../server/src/clusterProfile';
import { jobResources } from '../../../server/src/jobResources';
import { effectiveOptions } from '../../../server/src/parser/effectiveOptions';
import { readOptions, type OptionUse } from '../../../server/src/parser/optionReader';
import { parseScript } from '../../../server/src/parser/scriptParser';
import type { JobOutcomeSummary } from '../jobs/jobEntry';
import type { RunFigures } from '../jobs/scriptHistory';

const MiB = 1024 ** 2;
export const RIGHT_SIZE_MIN_RUNS = 3;
/** Margin over the 95th percentile of what was used. */
const MARGIN = 1.2;

/** `4G` for whole GiB, else `768M`. */
export function formatMemMb(mb: number): string {
  return mb >= 1024 && mb % 1024 === 0 ? `${mb / 1024}G` : `${Math.ceil(mb)}M`;
}

/** Up to a sane unit: whole GiB from 1 GiB, else steps of 128 MiB (at least 128M). */
function roundMemMb(mb: number): number {
  return mb >= 1024 ? Math.ceil(mb / 1024) * 1024 : Math.max(128, Math.ceil(mb / 128) * 128);
}

/** `1-00:00:00`, `02:30:00`, `00:15:00`. */
export function formatMinutes(min: number): string {
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = Math.round(min % 60);
  const hms = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;
  return d ? `${d}-${hms}` : hms;
}

/** Up to 5 minutes below an hour, 15 below a day, whole hours above. */
function roundMinutes(min: number): number {
  const step = min < 60 ? 5 : min < 1440 ? 15 : 60;
  return Math.max(step, Math.ceil(min / step) * step);
}

function p95(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!;
}

function resourcesOf(text: string) {
  const reading = readOptions(parseScript(text).directives);
  return { reading, res: jobResources(reading), eff: effectiveOptions(reading) };
}

export interface Raise {
  /** sbatch options for the command line (they override the script's #SBATCH lines). */
  readonly options: string[];
  /** `--mem 4G → 8G`, for the question before it goes. */
  readonly changes: string[];
}

/**
 * Twice what the job had of what it lacked: memory after OUT_OF_MEMORY, time after TIMEOUT. The
 * option kind the script uses is kept (`--mem-per-cpu` stays per CPU: sbatch refuses both kinds).
 */
export function raisedOptions(text: string, o: JobOutcomeSummary, timedOut: boolean): Raise | undefined {
  const { res } = resourcesOf(text);
  const options: string[] = [];
  const changes: string[] = [];
  if (o.outOfMemory) {
    const m = res.memory;
    if (m && m.mb > 0) {
      const flag = m.per === 'node' ? '--mem' : m.per === 'cpu' ? '--mem-per-cpu' : '--mem-per-gpu';
      const next = formatMemMb(roundMemMb(2 * m.mb));
      options.push(`${flag}=${next}`);
      changes.push(`${flag} ${formatMemMb(m.mb)} → ${next}`);
    } else if (o.allocMemBytes) {
      const had = o.allocMemBytes / MiB / (o.nodes ?? 1);
      const next = formatMemMb(roundMemMb(2 * had));
      options.push(`--mem=${next}`);
      changes.push(`--mem ${formatMemMb(Math.round(had))} (the default) → ${next}`);
    }
  }
  if (timedOut) {
    const had = res.timeMinutes !== undefined && Number.isFinite(res.timeMinutes) ? res.timeMinutes : o.timeLimitS !== undefined ? o.timeLimitS / 60 : undefined;
    if (had !== undefined) {
      const next = formatMinutes(roundMinutes(2 * had));
      options.push(`--time=${next}`);
      changes.push(`--time ${formatMinutes(had)} → ${next}`);
    }
  }
  return options.length ? { options, changes } : undefined;
}

export interface Suggestion {
  readonly option: 'mem' | 'mem-per-cpu' | 'time' | 'cpus-per-task';
  /** Where the value sits, to be replaced. */
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly current: string;
  readonly proposed: string;
  readonly direction: 'up' | 'down';
  /** "last 4 runs: peak 1.1 GiB of 16 GiB". */
  readonly evidence: string;
}

function valueRange(use: OptionUse | undefined): { line: number; start: number; end: number } | undefined {
  const span = use?.valueSpan;
  if (!span || use?.value === undefined || span.columns.length === 0) return undefined;
  return { line: span.line, start: span.columns[0]!, end: span.columns[use.value.length]! };
}

function gib(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(bytes / MiB)} MiB`;
}

function runsWord(n: number): string {
  return n === 1 ? 'the last run' : `the last ${n} runs`;
}

/** What the job's partition allows, when the cluster's profile is known. */
export interface PartitionLimits {
  readonly partition: string;
  readonly maxTimeMinutes?: number;
  /** The largest node's memory in the partition, MB. */
  readonly maxNodeMemMb?: number;
  readonly maxCpusPerNode?: number;
}

/** The limits of the partition the script asks for (or the default one) from a cluster profile. */
export function partitionLimits(text: string, profile: ClusterProfile): PartitionLimits | undefined {
  const { res } = resourcesOf(text);
  const p = profile.partitions.find((x) => (res.partition ? x.name === res.partition.split(',')[0] : x.isDefault));
  if (!p) return undefined;
  const nodes = profile.nodes.filter((n) => p.nodes.includes(n.name));
  return {
    partition: p.name,
    ...(Number.isFinite(p.maxTimeMinutes) ? { maxTimeMinutes: p.maxTimeMinutes } : {}),
    ...(nodes.length ? { maxNodeMemMb: Math.max(...nodes.map((n) => n.memoryMB)), maxCpusPerNode: Math.max(...nodes.map((n) => n.cpus)) } : {}),
  };
}

/** Right-size suggestions for a script from its runs (oldest first), kept within the partition's limits when known. */
export function rightSize(text: string, runs: readonly RunFigures[], limits?: PartitionLimits): Suggestion[] {
  if (runs.length === 0) return [];
  const { res, eff } = resourcesOf(text);
  // More than the partition allows would be refused: the most it allows, or nothing when that is what was asked.
  const capped = (s: Suggestion, value: number, asked: number, limit: number | undefined, format: (n: number) => string): Suggestion[] => {
    if (limit === undefined || value <= limit) return [s];
    if (limit <= asked) return [];
    return [{ ...s, proposed: format(limit), evidence: `${s.evidence}; ${format(limit)} is the most partition ${limits!.partition} allows` }];
  };
  const out: Suggestion[] = [];

  // Memory, per node (--mem) or per CPU (--mem-per-cpu).
  const memUse = eff.get('mem') ?? eff.get('mem-per-cpu');
  const memRange = valueRange(memUse);
  if (memRange && res.memory && res.memory.mb > 0 && (res.memory.per === 'node' || res.memory.per === 'cpu')) {
    const perCpu = res.memory.per === 'cpu';
    const used = runs.filter((r) => r.peakMemBytes !== undefined).map((r) => r.peakMemBytes! / MiB / (perCpu ? r.allocCpus ?? 1 : r.nodes ?? 1));
    const short = runs.filter((r) => r.outOfMemory);
    const option = perCpu ? 'mem-per-cpu' : 'mem';
    const asked = res.memory.mb;
    const top = used.length ? Math.max(...used) : 0;
    if (short.length) {
      const next = roundMemMb(Math.max(2 * asked, MARGIN * top));
      const limit = limits?.maxNodeMemMb !== undefined ? (perCpu ? Math.floor(limits.maxNodeMemMb / (limits.maxCpusPerNode ?? 1)) : limits.maxNodeMemMb) : undefined;
      out.push(...capped({ option, ...memRange, current: memUse!.value!, proposed: formatMemMb(next), direction: 'up',
        evidence: `ran out of memory in ${short.length} of ${runsWord(runs.length).replace('the ', '')} (peak ${gib(top * MiB)} of ${gib(asked * MiB)} ${perCpu ? 'per CPU' : 'per node'})` }, next, asked, limit, formatMemMb));
    } else if (used.length >= RIGHT_SIZE_MIN_RUNS) {
      const next = roundMemMb(MARGIN * p95(used));
      if (next <= 0.75 * asked) {
        out.push({ option, ...memRange, current: memUse!.value!, proposed: formatMemMb(next), direction: 'down',
          evidence: `${runsWord(used.length)}: peak ${gib(top * MiB)} of ${gib(asked * MiB)} ${perCpu ? 'per CPU' : 'per node'}` });
      }
    }
  }

  // Time.
  const timeUse = eff.get('time');
  const timeRange = valueRange(timeUse);
  if (timeRange && res.timeMinutes !== undefined && Number.isFinite(res.timeMinutes) && res.timeMinutes > 0) {
    const asked = res.timeMinutes;
    const used = runs.filter((r) => r.elapsedS !== undefined).map((r) => r.elapsedS! / 60);
    const short = runs.filter((r) => r.timedOut);
    const top = used.length ? Math.max(...used) : 0;
    if (short.length) {
      const next = roundMinutes(Math.max(2 * asked, MARGIN * top));
      out.push(...capped({ option: 'time', ...timeRange, current: timeUse!.value!, proposed: formatMinutes(next), direction: 'up',
        evidence: `hit its time limit in ${short.length} of ${runsWord(runs.length).replace('the ', '')} (${formatMinutes(asked)} asked)` }, next, asked, limits?.maxTimeMinutes, formatMinutes));
    } else if (used.length >= RIGHT_SIZE_MIN_RUNS) {
      const next = roundMinutes(MARGIN * p95(used));
      // Time asked is only a limit: cut when it is at least twice what is needed.
      if (next <= 0.5 * asked) {
        out.push({ option: 'time', ...timeRange, current: timeUse!.value!, proposed: formatMinutes(next), direction: 'down',
          evidence: `${runsWord(used.length)}: longest ${formatMinutes(Math.ceil(top))} of ${formatMinutes(asked)}` });
      }
    }
  }

  // CPUs per task: only down, from runs whose efficiency is known.
  const cpuUse = eff.get('cpus-per-task');
  const cpuRange = valueRange(cpuUse);
  if (cpuRange && res.cpusPerTask > 1) {
    const busy = runs.filter((r) => r.cpuEfficiency !== undefined).map((r) => r.cpuEfficiency! * res.cpusPerTask);
    if (busy.length >= RIGHT_SIZE_MIN_RUNS) {
      const next = Math.max(1, Math.ceil(MARGIN * p95(busy)));
      if (next < res.cpusPerTask && next <= 0.75 * res.cpusPerTask) {
        out.push({ option: 'cpus-per-task', ...cpuRange, current: cpuUse!.value!, proposed: String(next), direction: 'down',
          evidence: `${runsWord(busy.length)}: about ${Math.max(...busy).toFixed(1)} of ${res.cpusPerTask} CPUs per task busy` });
      }
    }
  }
  return out;
}
