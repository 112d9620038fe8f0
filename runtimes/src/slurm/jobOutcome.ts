/**
 * How a finished job went, from one `sacct` call with its steps: state, exit, elapsed against the
 * time limit, CPU efficiency (TotalCPU / (Elapsed × AllocCPUS), as seff computes it) and peak
 * memory against what was allocated.
 *
 * Peak memory is the largest step's TRESUsageInTot `mem`: the sum over the step's tasks of
 * their peak RSS, so a 4-rank step counts all 4 ranks (MaxRSS is only the largest task's: the
 * per-task-vs-summed mistake reportseff once made). Every step counts, not only `.batch`:
 * the work of an `srun` lives in its own step. Without cgroups Slurm says FAILED (signal 9, the
 * batch step "CANCELLED by 0") for a job OverMemoryKill ended: read as out of memory when its
 * peak reached what it had.
 */
import { figureDuration } from '../../../server/src/durationWords';
import { signalWords } from '../runtime';
import { exitFromPair, type JobExit } from './jobRecord';
import { slurmStateWord } from './slurmState';

/** sacct -P with steps; the name last, since it may hold `|`. */
export const OUTCOME_FIELDS = 'JobID,State,ExitCode,ElapsedRaw,TimelimitRaw,TotalCPU,AllocCPUS,MaxRSS,TRESUsageInTot,AllocTRES,NNodes,JobName';

export interface JobOutcome {
  /** As people type it: `1234`, `1234_7` for an array task. */
  readonly id: string;
  readonly arrayJobId?: string;
  readonly arrayTaskId?: number;
  readonly name: string;
  /** Slurm's word: COMPLETED, FAILED, OUT_OF_MEMORY, TIMEOUT, CANCELLED, RUNNING... */
  readonly state: string;
  readonly finished: boolean;
  /** Ended for lack of memory: OUT_OF_MEMORY, or killed by OverMemoryKill (no cgroups). */
  readonly outOfMemory: boolean;
  /** Ended at its time limit. */
  readonly timedOut: boolean;
  readonly exit?: JobExit;
  readonly elapsedS: number;
  readonly timeLimitS?: number;
  readonly cpuTimeS?: number;
  readonly allocCpus?: number;
  /** 0–1 (can pass 1 slightly when sampling rounds). */
  readonly cpuEfficiency?: number;
  readonly peakMemBytes?: number;
  readonly allocMemBytes?: number;
  readonly nodes?: number;
  readonly gpus?: number;
  /** Why a figure is missing ("still running: figures come when it ends"). */
  readonly notes: readonly string[];
}

const UNITS: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, P: 1024 ** 5 };

/** sacct sizes: `166996K`, `164.50M`, `2G`, `0`; bytes. */
export function parseSacctSize(text: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([KMGTP]?)$/i.exec(text?.trim() ?? '');
  return m ? Math.round(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!) : undefined;
}

/** sacct times: `00:03.158` (MM:SS.mmm), `01:02:03`, `1-02:03:04`; seconds. */
export function parseSacctDuration(text: string | undefined): number | undefined {
  const m = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec(text?.trim() ?? '');
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

/** `billing=2,cpu=2,mem=600M,node=1,gres/gpu=1` → one value. */
function tres(text: string | undefined, key: string): string | undefined {
  for (const part of (text ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === key) return part.slice(eq + 1);
  }
  return undefined;
}

const FINISHED = new Set(['COMPLETED', 'FAILED', 'OUT_OF_MEMORY', 'TIMEOUT', 'CANCELLED', 'NODE_FAIL', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED']);

interface Row { readonly id: string; readonly step?: string; readonly f: readonly string[]; readonly name: string }

export function parseOutcomes(stdout: string): JobOutcome[] {
  const allocations: Row[] = [];
  const steps = new Map<string, Row[]>();
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const f = line.split('|');
    if (f.length < 12) continue;
    const m = /^(\d+(?:_\d+)?)(?:\.(.+))?$/.exec(f[0]!);
    if (!m) continue; // pending tasks grouped as 123_[4-9]: nothing ran
    const row: Row = { id: m[1]!, ...(m[2] ? { step: m[2] } : {}), f, name: f.slice(11).join('|') };
    if (row.step) {
      const list = steps.get(row.id);
      if (list) list.push(row); else steps.set(row.id, [row]);
    } else {
      allocations.push(row);
    }
  }
  return allocations.map((a) => outcomeOf(a, steps.get(a.id) ?? []));
}

function outcomeOf(a: Row, steps: readonly Row[]): JobOutcome {
  const [, stateText, exitText, elapsedText, limitText, totalCpu, allocCpus, , , allocTres, nodes] = a.f;
  const state = slurmStateWord(stateText ?? '');
  const finished = FINISHED.has(state);
  const exit = exitFromPair(exitText ?? '');
  const elapsedS = Number(elapsedText) || 0;
  const limitMin = Number(limitText);
  const cpus = Number(allocCpus) || undefined;
  const cpuTimeS = parseSacctDuration(totalCpu);
  const allocMem = parseSacctSize(tres(allocTres, 'mem'));
  const gpus = Number(tres(allocTres, 'gres/gpu')) || undefined;
  const peaks = steps.map((s) => parseSacctSize(tres(s.f[8], 'mem')) ?? parseSacctSize(s.f[7])).filter((x): x is number => x !== undefined);
  const peak = peaks.length ? Math.max(...peaks) : undefined;
  const notes: string[] = [];
  // Cancelled while pending: no allocation, no step; "ran for less than a second" would be wrong.
  const neverRan = finished && elapsedS === 0 && steps.length === 0 && !allocTres;
  if (!finished) notes.push(`${state.toLowerCase()}: the figures come when it ends`);
  let cpuEfficiency: number | undefined;
  if (neverRan) notes.push(`it never started (${state.toLowerCase()} while pending): no figures`);
  else if (finished && cpus && cpuTimeS !== undefined && elapsedS > 0) cpuEfficiency = cpuTimeS / (elapsedS * cpus);
  else if (finished && elapsedS === 0) notes.push('it ran for less than a second: no CPU efficiency');
  if (finished && !neverRan && peak === undefined) notes.push('no memory figures: Slurm sampled no step (too short, or job accounting gathers nothing here)');
  const killedForMemory = state !== 'OUT_OF_MEMORY' && exit?.signal === 'SIGKILL' && peak !== undefined && allocMem !== undefined && peak >= 0.9 * allocMem
    && steps.some((s) => /^CANCELLED by 0$/.test(s.f[1] ?? '') || s.f[1] === 'OUT_OF_MEMORY');
  const m = /^(\d+)_(\d+)$/.exec(a.id);
  return {
    id: a.id,
    ...(m ? { arrayJobId: m[1]!, arrayTaskId: Number(m[2]) } : {}),
    name: a.name,
    state,
    finished,
    outOfMemory: state === 'OUT_OF_MEMORY' || killedForMemory,
    timedOut: state === 'TIMEOUT',
    ...(exit ? { exit } : {}),
    elapsedS,
    ...(Number.isFinite(limitMin) && limitMin > 0 ? { timeLimitS: limitMin * 60 } : {}),
    ...(cpuTimeS !== undefined ? { cpuTimeS } : {}),
    ...(cpus ? { allocCpus: cpus } : {}),
    ...(cpuEfficiency !== undefined ? { cpuEfficiency } : {}),
    ...(peak !== undefined ? { peakMemBytes: peak } : {}),
    ...(allocMem ? { allocMemBytes: allocMem } : {}),
    ...(Number(nodes) ? { nodes: Number(nodes) } : {}),
    ...(gpus ? { gpus } : {}),
    notes,
  };
}

export interface Spread { readonly min: number; readonly median: number; readonly max: number }

function spread(values: readonly number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return { min: s[0]!, median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, max: s[s.length - 1]! };
}

export interface ArraySummary {
  readonly tasks: number;
  readonly states: Readonly<Record<string, number>>;
  readonly cpuEfficiency?: Spread;
  readonly peakMemBytes?: Spread;
  readonly elapsedS?: Spread;
}

/** Min / median / max over an array's finished tasks, and how many ended in each state. */
export function summarizeArray(tasks: readonly JobOutcome[]): ArraySummary {
  const done = tasks.filter((t) => t.finished);
  const states: Record<string, number> = {};
  for (const t of tasks) {
    const s = t.outOfMemory ? 'OUT_OF_MEMORY' : t.state;
    states[s] = (states[s] ?? 0) + 1;
  }
  const pick = (f: (t: JobOutcome) => number | undefined) => spread(done.map(f).filter((x): x is number => x !== undefined));
  const cpu = pick((t) => t.cpuEfficiency);
  const mem = pick((t) => t.peakMemBytes);
  const elapsed = pick((t) => t.elapsedS);
  return { tasks: tasks.length, states, ...(cpu ? { cpuEfficiency: cpu } : {}), ...(mem ? { peakMemBytes: mem } : {}), ...(elapsed ? { elapsedS: elapsed } : {}) };
}

/** `1.2 GiB`, `340 MiB`, `0.4 GiB` next to a GiB allocation. */
export function formatBytes(bytes: number, unit?: 'GiB' | 'MiB'): string {
  const u = unit ?? (bytes >= 1024 ** 3 ? 'GiB' : 'MiB');
  const v = bytes / (u === 'GiB' ? 1024 ** 3 : 1024 ** 2);
  return `${v >= 10 || Number.isInteger(v) ? Math.round(v) : v.toFixed(1)} ${u}`;
}

/** A share below this of what was asked is waste worth a word. */
export const WASTE_BELOW = 0.25;

export interface OutcomeBadge {
  /** `CPU 38% · mem 0.4/4 GiB · 21s/2m`. */
  readonly text: string;
  /** A limit was hit (memory, time), or most of what was asked for went unused. */
  readonly warning?: 'limit' | 'waste';
}

/** The compact line for a tree row, a panel header or the end of `submit --follow`. */
export function outcomeBadge(o: JobOutcome): OutcomeBadge {
  const parts: string[] = [];
  if (o.cpuEfficiency !== undefined) parts.push(`CPU ${Math.round(o.cpuEfficiency * 100)}%`);
  if (o.peakMemBytes !== undefined && o.allocMemBytes) {
    const unit = o.allocMemBytes >= 1024 ** 3 ? 'GiB' : 'MiB';
    parts.push(`mem ${formatBytes(o.peakMemBytes, unit).replace(` ${unit}`, '')}/${formatBytes(o.allocMemBytes, unit)}`);
  } else if (o.peakMemBytes !== undefined) {
    parts.push(`mem ${formatBytes(o.peakMemBytes)}`);
  }
  parts.push(o.timeLimitS ? `${figureDuration(o.elapsedS)}/${figureDuration(o.timeLimitS)}` : figureDuration(o.elapsedS));
  const wasted = (o.cpuEfficiency !== undefined && o.cpuEfficiency < WASTE_BELOW && o.elapsedS >= 60)
    || (o.peakMemBytes !== undefined && o.allocMemBytes !== undefined && o.peakMemBytes < WASTE_BELOW * o.allocMemBytes && o.allocMemBytes >= 1024 ** 3);
  const warning = o.outOfMemory || o.timedOut ? 'limit' : wasted ? 'waste' : undefined;
  return { text: parts.join(' · '), ...(warning ? { warning } : {}) };
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** seff-like text for one job or task. */
export function outcomeText(o: JobOutcome): string {
  const lines = [`Job ID: ${o.id}`, `Name: ${o.name}`];
  // A job still running has no exit yet (sacct says 0:0); one ended by a signal has no exit code.
  const how = [...(o.outOfMemory ? ['out of memory'] : []),
    ...(o.exit && o.finished ? [o.exit.signal ? signalWords(o.exit.signal) : `exit code ${o.exit.code}`] : [])];
  lines.push(`State: ${o.state}${how.length ? ` (${how.join(', ')})` : ''}`);
  if (o.nodes) lines.push(`Nodes: ${o.nodes}`);
  if (o.allocCpus) lines.push(`Cores: ${o.allocCpus}`);
  if (o.gpus) lines.push(`GPUs: ${o.gpus}`);
  if (o.cpuTimeS !== undefined) lines.push(`CPU Utilized: ${figureDuration(o.cpuTimeS)}`);
  if (o.cpuEfficiency !== undefined) lines.push(`CPU Efficiency: ${percent(o.cpuEfficiency)} of ${figureDuration(o.elapsedS * (o.allocCpus ?? 1))} core-walltime`);
  lines.push(`Job Wall-clock time: ${figureDuration(o.elapsedS)}${o.timeLimitS ? ` of ${figureDuration(o.timeLimitS)} asked (${percent(o.elapsedS / o.timeLimitS)})` : ''}`);
  if (o.peakMemBytes !== undefined) lines.push(`Memory Utilized: ${formatBytes(o.peakMemBytes)}`);
  if (o.peakMemBytes !== undefined && o.allocMemBytes) lines.push(`Memory Efficiency: ${percent(o.peakMemBytes / o.allocMemBytes)} of ${formatBytes(o.allocMemBytes)}`);
  for (const n of o.notes) lines.push(`Note: ${n}`);
  return lines.join('\n');
}

/** The array's summary first, then one line per task. */
export function arrayText(arrayId: string, tasks: readonly JobOutcome[]): string {
  const s = summarizeArray(tasks);
  const lines = [`Array job ${arrayId}: ${s.tasks} task${s.tasks === 1 ? '' : 's'} (${Object.entries(s.states).map(([k, v]) => `${v} ${k}`).join(', ')})`];
  const row = (label: string, sp: Spread | undefined, f: (x: number) => string) => { if (sp) lines.push(`${label}: min ${f(sp.min)}, median ${f(sp.median)}, max ${f(sp.max)}`); };
  row('CPU Efficiency', s.cpuEfficiency, percent);
  row('Memory Utilized', s.peakMemBytes, (x) => formatBytes(x));
  row('Wall-clock time', s.elapsedS, figureDuration);
  const alloc = tasks.find((t) => t.allocMemBytes)?.allocMemBytes;
  if (alloc) lines.push(`Memory asked per task: ${formatBytes(alloc)}`);
  lines.push('');
  // Columns: a FAILED task among COMPLETED ones (or 5_9 among 5_10) lines up with the rest.
  const rows = [...tasks].sort((x, y) => (x.arrayTaskId ?? 0) - (y.arrayTaskId ?? 0))
    .map((t) => [t.id, t.outOfMemory ? 'OUT_OF_MEMORY' : t.state, outcomeBadge(t).text] as const);
  const idWidth = Math.max(...rows.map((r) => r[0].length));
  const stateWidth = Math.max(...rows.map((r) => r[1].length));
  for (const [id, state, badge] of rows) lines.push(`  ${id.padEnd(idWidth)}  ${state.padEnd(stateWidth)}  ${badge}`);
  return lines.join('\n');
}

/** An array's compact line: medians of CPU, the largest peak of memory and elapsed, across its tasks. */
export function arrayBadge(tasks: readonly JobOutcome[]): OutcomeBadge {
  const s = summarizeArray(tasks);
  const alloc = tasks.find((t) => t.allocMemBytes)?.allocMemBytes;
  const limit = tasks.find((t) => t.timeLimitS)?.timeLimitS;
  const parts = [`${s.tasks} tasks`];
  if (s.cpuEfficiency) parts.push(`CPU ~${Math.round(s.cpuEfficiency.median * 100)}%`);
  if (s.peakMemBytes && alloc) {
    const unit = alloc >= 1024 ** 3 ? 'GiB' : 'MiB';
    parts.push(`mem ≤${formatBytes(s.peakMemBytes.max, unit).replace(` ${unit}`, '')}/${formatBytes(alloc, unit)}`);
  }
  if (s.elapsedS) parts.push(`≤${figureDuration(s.elapsedS.max)}${limit ? `/${figureDuration(limit)}` : ''}`);
  const badges = tasks.map(outcomeBadge);
  const warning = badges.some((b) => b.warning === 'limit') ? 'limit' : badges.length > 0 && badges.every((b) => b.warning === 'waste') ? 'waste' : undefined;
  return { text: parts.join(' · '), ...(warning ? { warning } : {}) };
}
