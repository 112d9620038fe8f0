/**
 * How a job looks in the tree and the status bar, as plain strings: labels, descriptions
 * ("#1234 · running · 1m 20s / 10m"), context values the menus match, icons, tooltips. No
 * `vscode` here, so all of it is tested in plain Node; jobTree.ts wraps it in TreeItems.
 */
import { signalWords, type BackendKind, type RunState } from '../../../runtimes/src/runtime';
import { reasonWords, startIsExpected, startsIn } from '../../../runtimes/src/slurm/index';
import { clockDuration, limitDuration } from '../../../server/src/durationWords';
import { clusterStatusWords, type ClusterFact, type ClusterStatus } from '../clusters/clusterStatus';
import { isFinal, type JobEntry, type JobUnit } from './jobEntry';

/** A codicon and the theme colour it is drawn in. */
export interface StateIcon { readonly icon: string; readonly color?: string }

export const STATE_ICONS: Readonly<Record<RunState, StateIcon>> = {
  queued: { icon: 'clock', color: 'charts.yellow' },
  running: { icon: 'sync~spin', color: 'charts.blue' },
  succeeded: { icon: 'pass', color: 'testing.iconPassed' },
  failed: { icon: 'error', color: 'testing.iconFailed' },
  cancelled: { icon: 'circle-slash', color: 'disabledForeground' },
  timedOut: { icon: 'watch', color: 'charts.orange' },
};

const BACKEND_WORDS: Readonly<Record<BackendKind, string>> = {
  pool: 'worker pool', tasks: 'tasks', mpi: 'MPI', gpu: 'GPU', 'sbatch-local': 'batch script', slurm: 'Slurm',
};

const RUN_STATE_WORDS: Readonly<Record<RunState, string>> = {
  queued: 'queued', running: 'running', succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled', timedOut: 'timed out',
};

/** Slurm words that say more than the bucket they fall in ("out of memory" rather than "failed"). */
const TELLING_SLURM_WORDS = new Set(['OUT_OF_MEMORY', 'NODE_FAIL', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED', 'SUSPENDED', 'REQUEUED', 'COMPLETING']);

/** "1m 20s", "45s", "2h 05m", "3d 4h": elapsed time, to the second below an hour. */
export function formatElapsed(ms: number): string {
  return clockDuration(ms / 1000);
}

/** "10m", "1h 30m", "2d", "45s": a limit, zero parts left out. */
export function formatLimit(ms: number): string {
  return limitDuration(ms / 1000);
}

/**
 * The state icon, drawn in a warning colour when an ended job hit a limit (memory, time) or left
 * most of what it asked for unused.
 */
export function entryIcon(entry: Pick<JobEntry, 'state' | 'outcome'>): StateIcon {
  const base = STATE_ICONS[entry.state];
  if (!isFinal(entry.state) || !entry.outcome?.warning) return base;
  return { icon: base.icon, color: entry.outcome.warning === 'limit' ? 'charts.orange' : 'charts.yellow' };
}

/** Run time so far (running) or in all (ended); undefined before it started. */
export function elapsedMs(entry: JobEntry, now: number): number | undefined {
  if (entry.startedAt === undefined) return undefined;
  if (entry.state === 'running') return now - entry.startedAt;
  if (isFinal(entry.state) && entry.endedAt !== undefined) return Math.max(0, entry.endedAt - entry.startedAt);
  return undefined;
}

/** Slurm's word, readable: OUT_OF_MEMORY → "out of memory". */
function slurmWord(word: string): string {
  return word.toLowerCase().replace(/_/g, ' ');
}

/** The word for one state: Slurm's own where it tells more, "pending" for a queued Slurm job. */
export function stateWord(state: RunState, slurmState?: string, onSlurm = slurmState !== undefined): string {
  const word = slurmState?.trim().split(/\s+/)[0]?.toUpperCase();
  if (word && TELLING_SLURM_WORDS.has(word)) return slurmWord(word);
  if (state === 'queued' && onSlurm) return 'pending';
  return RUN_STATE_WORDS[state];
}

/** An array's tasks counted by state, busiest first: "2 running, 8 pending". */
export function unitCounts(units: readonly JobUnit[], onSlurm: boolean): string {
  const order: RunState[] = ['running', 'queued', 'failed', 'timedOut', 'cancelled', 'succeeded'];
  const counts = new Map<RunState, number>();
  for (const u of units) counts.set(u.state, (counts.get(u.state) ?? 0) + 1);
  return order.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${stateWord(s, undefined, onSlurm)}`).join(', ');
}

/** "#1234 · running · 1m 20s / 10m", "#1234 · pending · behind higher-priority jobs · starts in 12 min", "worker pool · succeeded · 12s". */
export function jobDescription(entry: JobEntry, now: number, options: { showUser?: boolean } = {}): string {
  const onSlurm = entry.cluster !== undefined;
  const parts = [onSlurm ? `#${entry.id}` : BACKEND_WORDS[entry.backend]];
  if (options.showUser && entry.user) parts.push(entry.user);
  const isArray = onSlurm && (entry.units?.length ?? 0) > 1 && !isFinal(entry.state);
  parts.push(isArray ? unitCounts(entry.units!, true) : stateWord(entry.state, entry.slurmState, onSlurm));
  const elapsed = elapsedMs(entry, now);
  if (entry.state === 'queued') {
    if (entry.reason) parts.push(reasonWords(entry.reason).short);
    if (entry.expectedStart && startIsExpected(entry.reason)) parts.push(`starts ${startsIn(entry.expectedStart, now)}`);
  } else if (entry.outcome?.badge && isFinal(entry.state)) {
    // CPU and memory used against what was asked, and the time against its limit.
    parts.push(entry.outcome.outOfMemory ? `out of memory · ${entry.outcome.badge}` : entry.outcome.badge);
  } else if (elapsed !== undefined) {
    parts.push(entry.state === 'running' && entry.timeLimitMs ? `${formatElapsed(elapsed)} / ${formatLimit(entry.timeLimitMs)}` : formatElapsed(elapsed));
  }
  return parts.join(' · ');
}

/** "Task 3", "Rank 0". */
export function unitLabel(unit: JobUnit): string {
  return `${unit.kind === 'rank' ? 'Rank' : 'Task'} ${unit.index}`;
}

/** "running", "pending · Resources", "failed · exit 3", "succeeded". */
export function unitDescription(unit: JobUnit, onSlurm: boolean): string {
  const parts = [stateWord(unit.state, unit.slurmState, onSlurm)];
  if (unit.state === 'queued' && unit.reason) parts.push(reasonWords(unit.reason).short);
  if (unit.exit && unit.state !== 'succeeded') parts.push(exitWords(unit.exit));
  return parts.join(' · ');
}

function exitWords(exit: { code: number | null; signal?: string }): string {
  return exit.signal ? signalWords(exit.signal) : `exit ${exit.code}`;
}

/** `job.<state>.<local|slurm>[.hasFile][.resubmittable][.held][.wantsMore]`: what the manifest's `viewItem` regexes match. */
export function jobContextValue(entry: JobEntry): string {
  return `job.${entry.state}.${entry.cluster ? 'slurm' : 'local'}${entry.file ? '.hasFile' : ''}${entry.request ? '.resubmittable' : ''}${isHeld(entry) ? '.held' : ''}${wantsMore(entry) ? '.wantsMore' : ''}`;
}

/** A batch script from this window that ended for lack of memory or time: "Resubmit with More…" applies. */
export function wantsMore(entry: JobEntry): boolean {
  return entry.request?.target === 'slurm' && isFinal(entry.state) && (entry.outcome?.outOfMemory === true || entry.state === 'timedOut' || entry.outcome?.timedOut === true);
}

/** On hold (by its owner or an administrator): Release applies, Hold does not. */
export function isHeld(entry: Pick<JobEntry, 'state' | 'reason'>): boolean {
  return entry.state === 'queued' && entry.reason !== undefined && reasonWords(entry.reason).kind === 'held';
}

export function taskContextValue(entry: JobEntry, unit: JobUnit): string {
  return `task.${unit.state}.${entry.cluster ? 'slurm' : 'local'}`;
}

/**
 * The units the tree shows under a job: Slurm array tasks as they are known; for a local run,
 * its ranks or tasks once it ended (how each exited), when there is more than one.
 */
export function unitsOf(entry: JobEntry): readonly JobUnit[] {
  if (entry.units && entry.units.length > 1) return entry.units;
  if (entry.cluster || !isFinal(entry.state) || !entry.exits) return [];
  const units: JobUnit[] = entry.exits.flatMap((e): JobUnit[] => {
    const index = e.rank ?? e.task;
    if (index === undefined) return [];
    const state: RunState = e.timedOut ? 'timedOut' : e.code === 0 ? 'succeeded' : entry.state === 'cancelled' ? 'cancelled' : 'failed';
    return [{ index, kind: e.rank !== undefined ? 'rank' : 'task', state, exit: e }];
  });
  return units.length > 1 ? units.sort((a, b) => a.index - b.index) : [];
}

/** The id people type: "1234", "1234_7" for an array task. */
export function slurmIdOf(entry: JobEntry, unit?: JobUnit): string {
  return unit && entry.cluster ? `${entry.id}_${unit.index}` : entry.id;
}

/** Local date and time, "2026-11-24 03:07:57". */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Escapes text for Markdown (job names are anyone's). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

/** The facts of an entry, label → value, in reading order (tooltip and details). */
export function entryFacts(entry: JobEntry, now: number): [string, string][] {
  const facts: [string, string][] = [];
  const add = (label: string, value: string | number | undefined) => { if (value !== undefined && value !== '') facts.push([label, String(value)]); };
  add(entry.cluster ? 'Job ID' : 'Run ID', entry.id);
  add('Where', entry.cluster ? `cluster "${entry.cluster}"` : 'this machine');
  add('Backend', BACKEND_WORDS[entry.backend]);
  add('State', entry.slurmState ? `${RUN_STATE_WORDS[entry.state]} (${entry.slurmState})` : RUN_STATE_WORDS[entry.state]);
  if (entry.reason) {
    const words = reasonWords(entry.reason);
    add(entry.state === 'queued' ? 'Why it waits' : 'Reason', `${words.text} (${entry.reason})`);
    if (entry.state === 'queued') add('What you can do', words.advice);
  }
  if (entry.state === 'queued' && entry.expectedStart && startIsExpected(entry.reason)) {
    add('Expected start', `${formatTime(entry.expectedStart)}, ${startsIn(entry.expectedStart, now)} (Slurm's estimate: it assumes running jobs use their whole time limit)`);
  }
  add('Summary', entry.summary);
  add('User', entry.user);
  add('Partition', entry.partition);
  add('Nodes', entry.nodes);
  add('Submitted', formatTime(entry.submittedAt));
  if (entry.startedAt !== undefined) add('Started', formatTime(entry.startedAt));
  if (entry.endedAt !== undefined && isFinal(entry.state)) add('Ended', formatTime(entry.endedAt));
  const elapsed = elapsedMs(entry, now);
  if (elapsed !== undefined) add('Run time', formatElapsed(elapsed));
  if (entry.timeLimitMs) add('Time limit', formatLimit(entry.timeLimitMs));
  const o = entry.outcome;
  if (o) {
    if (o.badge) add('How it went', `${o.badge}${o.warning === 'limit' ? (o.outOfMemory ? ' (ran out of memory)' : ' (hit its time limit)') : o.warning === 'waste' ? ' (most of what it asked for went unused)' : ''}`);
    if (o.cpuEfficiency !== undefined) add('CPU efficiency', `${(o.cpuEfficiency * 100).toFixed(1)}% of ${o.allocCpus ?? '?'} core${o.allocCpus === 1 ? '' : 's'}`);
    if (o.peakMemBytes !== undefined) add('Peak memory', `${(o.peakMemBytes / 1024 ** 2).toFixed(0)} MiB${o.allocMemBytes ? ` of ${(o.allocMemBytes / 1024 ** 2).toFixed(0)} MiB asked` : ''}`);
    if (o.note) add('Figures', o.note);
  }
  add('File', entry.file);
  add(entry.cluster ? 'Output (on the cluster)' : 'Output log', entry.logPath);
  if (!entry.request && entry.cluster) add('Origin', isFinal(entry.state) ? 'found in Slurm\'s accounting (not submitted from this window)' : 'found in the queue (not submitted from this window)');
  return facts;
}

/** The tooltip, as Markdown. */
export function jobTooltip(entry: JobEntry, now: number): string {
  const head = `**${escapeMarkdown(entry.name)}** — ${escapeMarkdown(stateWord(entry.state, entry.slurmState, entry.cluster !== undefined))}`;
  const lines = entryFacts(entry, now).filter(([label]) => label !== 'State').map(([label, value]) => `${escapeMarkdown(label)}: ${escapeMarkdown(value)}`);
  return [head, ...lines].join('  \n');
}

export interface StatusSummary {
  readonly running: number;
  readonly queued: number;
  readonly clusters: readonly ClusterFact[];
}

/**
 * The status bar's text and tooltip: "$(server-process) 2 running, 1 pending · $(plug) hpc";
 * undefined (hidden) when nothing runs or waits and no cluster is connected or in trouble.
 */
export function statusBarText(s: StatusSummary): { text: string; tooltip: string } | undefined {
  const jobs: string[] = [];
  if (s.running) jobs.push(`${s.running} running`);
  if (s.queued) jobs.push(`${s.queued} pending`);
  const shown = s.clusters.filter((c) => c.status !== 'notConnected' && c.status !== 'closed');
  if (jobs.length === 0 && shown.length === 0) return undefined;
  const icon = (status: ClusterStatus) => (status === 'connected' ? '$(plug)' : status === 'failed' ? '$(warning)' : '$(sync~spin)');
  const text = [`$(server-process) ${jobs.join(', ') || 'no jobs running'}`, ...shown.map((c) => `${icon(c.status)} ${c.name}`)].join(' · ');
  const tooltip = [
    jobs.length ? `HPC Jobs: ${jobs.join(', ')}` : 'HPC Jobs: nothing running',
    ...s.clusters.map((c) => `${c.name}: ${clusterStatusWords(c.status)}${c.error ? ` (${c.error})` : ''}`),
  ].join('\n');
  return { text, tooltip };
}
