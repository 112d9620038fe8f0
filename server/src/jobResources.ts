/**
 * What a job asks for, read from its effective directives: tasks, CPUs, memory, time, GPUs
 * and array size. Shared by the resource summary hint, the local runner and the submit form.
 */
import { effectiveOptions, parsedValue as parsed } from './parser/effectiveOptions';
import type { OptionReading, OptionUse } from './parser/optionReader';

export interface JobResources {
  readonly nodes: number;
  readonly tasks: number;
  readonly cpusPerTask: number;
  /** Memory per node in MB (from --mem), or per CPU (--mem-per-cpu), or per GPU. 0 = all of a node. */
  readonly memory?: { readonly mb: number; readonly per: 'node' | 'cpu' | 'gpu' };
  /** Wall time in minutes; Infinity for UNLIMITED. */
  readonly timeMinutes?: number;
  readonly arrayTasks?: number;
  readonly arrayMaxRunning?: number;
  readonly gpus?: number;
  readonly jobName?: string;
  readonly partition?: string;
  readonly account?: string;
}

export function jobResources(reading: OptionReading, component = 0): JobResources {
  const eff = effectiveOptions(reading, component);
  const nodeRange = parsed<{ min: number; max?: number }>(eff.get('nodes'));
  const nodes = nodeRange?.min ?? 1;
  const perNode = parsed<number>(eff.get('ntasks-per-node'));
  const tasks = parsed<number>(eff.get('ntasks')) ?? (perNode !== undefined ? perNode * nodes : nodes);
  const cpusPerTask = parsed<number>(eff.get('cpus-per-task')) ?? 1;
  const mem = parsed<number>(eff.get('mem'));
  const memCpu = parsed<number>(eff.get('mem-per-cpu'));
  const memGpu = parsed<number>(eff.get('mem-per-gpu'));
  const memory = mem !== undefined ? { mb: mem, per: 'node' as const }
    : memCpu !== undefined ? { mb: memCpu, per: 'cpu' as const }
      : memGpu !== undefined ? { mb: memGpu, per: 'gpu' as const } : undefined;
  const array = parsed<{ count: number; maxRunning?: number }>(eff.get('array'));
  const gpus = gpuCount(eff, nodes, tasks);
  const text = (name: string) => eff.get(name)?.value;
  const timeMinutes = parsed<number>(eff.get('time'));
  return {
    nodes, tasks, cpusPerTask,
    ...(memory ? { memory } : {}),
    ...(timeMinutes !== undefined ? { timeMinutes } : {}),
    ...(array ? { arrayTasks: array.count, ...(array.maxRunning !== undefined ? { arrayMaxRunning: array.maxRunning } : {}) } : {}),
    ...(gpus !== undefined ? { gpus } : {}),
    ...(text('job-name') !== undefined ? { jobName: text('job-name')! } : {}),
    ...(text('partition') !== undefined ? { partition: text('partition')! } : {}),
    ...(text('account') !== undefined ? { account: text('account')! } : {}),
  };
}

/** Total GPUs from --gpus, --gpus-per-node, --gpus-per-task or --gres=gpu[:type]:N. */
function gpuCount(eff: Map<string, OptionUse>, nodes: number, tasks: number): number | undefined {
  const count = (v: string | undefined) => {
    const m = v ? /(?:^|:)(\d+)$/.exec(v) : null;
    return m ? Number(m[1]) : undefined;
  };
  const total = count(eff.get('gpus')?.value);
  if (total !== undefined) return total;
  const perNode = count(eff.get('gpus-per-node')?.value);
  if (perNode !== undefined) return perNode * nodes;
  const perTask = count(eff.get('gpus-per-task')?.value);
  if (perTask !== undefined) return perTask * tasks;
  const gres = eff.get('gres')?.value?.split(',').find((g) => /^gpu(:|$)/.test(g));
  if (gres !== undefined) return (count(gres) ?? 1) * nodes;
  return undefined;
}

export function formatMinutes(minutes: number): string {
  if (!Number.isFinite(minutes)) return 'no time limit';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = Math.round(minutes % 60);
  const parts = [d ? `${d} d` : '', h ? `${h} h` : '', m || (!d && !h) ? `${m} min` : ''].filter(Boolean);
  return parts.join(' ');
}

export function formatMegabytes(mb: number): string {
  if (mb === 0) return 'all memory';
  // Slurm's G is 1024 MB: say GiB, as the value hover does.
  return mb >= 1024 && mb % 1024 === 0 ? `${mb / 1024} GiB` : mb >= 1024 ? `${(mb / 1024).toFixed(1)} GiB` : `${mb} MB`;
}

/** One line: "20 tasks × 1 CPU · 256 MB/CPU · 1 min · 0.3 core-hours". */
export function summarizeResources(r: JobResources): string {
  const cpus = r.tasks * r.cpusPerTask;
  const parts = [
    `${r.tasks} task${r.tasks === 1 ? '' : 's'} × ${r.cpusPerTask} CPU${r.cpusPerTask === 1 ? '' : 's'}` + (r.nodes > 1 ? ` on ${r.nodes} nodes` : ''),
  ];
  if (r.gpus) parts.push(`${r.gpus} GPU${r.gpus === 1 ? '' : 's'}`);
  if (r.memory) {
    const total = r.memory.per === 'node' ? r.memory.mb * r.nodes : r.memory.per === 'cpu' ? r.memory.mb * cpus : r.memory.mb * (r.gpus ?? 1);
    parts.push(r.memory.mb === 0 ? 'all memory of each node' : `${formatMegabytes(r.memory.mb)}/${r.memory.per}` + (total !== r.memory.mb ? ` (${formatMegabytes(total)})` : ''));
  }
  if (r.timeMinutes !== undefined) parts.push(formatMinutes(r.timeMinutes));
  if (r.arrayTasks !== undefined) parts.push(`${r.arrayTasks} array tasks` + (r.arrayMaxRunning ? ` (≤${r.arrayMaxRunning} at once)` : ''));
  if (r.timeMinutes !== undefined && Number.isFinite(r.timeMinutes)) {
    const coreHours = (cpus * r.timeMinutes / 60) * (r.arrayTasks ?? 1);
    parts.push(`≤ ${coreHours < 10 ? coreHours.toFixed(2).replace(/\.?0+$/, '') : Math.round(coreHours)} core-hours`);
  }
  return parts.join(' · ');
}

/** Core-hours to two significant-ish figures: 0.05, 1.6, 12, 480. */
function formatCoreHours(h: number): string {
  const text = h < 0.1 ? h.toFixed(2) : h < 10 ? h.toFixed(1) : String(Math.round(h));
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** All the memory the job asks for, in MB (0: all of each node's), and what it is a product of. */
function totalMemory(r: JobResources): { mb: number; how: string } | undefined {
  if (!r.memory) return undefined;
  const { mb, per } = r.memory;
  const cpus = r.tasks * r.cpusPerTask;
  const times = per === 'node' ? r.nodes : per === 'cpu' ? cpus : r.gpus ?? 1;
  const unit = per === 'node' ? 'node' : per === 'cpu' ? 'CPU' : 'GPU';
  return { mb: mb * times, how: `${formatMegabytes(mb)}/${per}` + (times !== 1 ? ` × ${times} ${unit}${times === 1 ? '' : 's'}` : '') };
}

/**
 * The key figures, short enough for an inlay hint (VS Code cuts them at
 * editor.inlayHints.maximumLength, 43 by default): "4×2 CPU · 4 GiB · 12 min · ≤1.6 core-h".
 * What matters most comes first; the rest follows, for wider settings, and is in the tooltip.
 */
export function shortResources(r: JobResources): string {
  const parts = [`${r.tasks}×${r.cpusPerTask} CPU`];
  if (r.gpus) parts.push(`${r.gpus} GPU`);
  const mem = totalMemory(r);
  if (mem) parts.push(mem.mb === 0 ? 'all mem' : formatMegabytes(mem.mb));
  if (r.timeMinutes !== undefined) parts.push(Number.isFinite(r.timeMinutes) ? formatMinutes(r.timeMinutes) : 'no limit');
  const hours = coreHours(r);
  if (hours !== undefined) parts.push(`≤${formatCoreHours(hours)} core-h`);
  if (r.arrayTasks !== undefined) parts.push(`${r.arrayTasks} array tasks`);
  if (r.nodes > 1) parts.push(`${r.nodes} nodes`);
  return parts.join(' · ');
}

/** CPUs × wall time × array tasks: the most the job can be charged; undefined without a finite --time. */
function coreHours(r: JobResources): number | undefined {
  if (r.timeMinutes === undefined || !Number.isFinite(r.timeMinutes)) return undefined;
  return r.tasks * r.cpusPerTask * (r.timeMinutes / 60) * (r.arrayTasks ?? 1);
}

/** The whole breakdown with its numbers, one line each, for the hint's tooltip. */
export function resourceBreakdown(r: JobResources): string[] {
  const cpus = r.tasks * r.cpusPerTask;
  const lines = [
    `CPUs: ${r.tasks} task${r.tasks === 1 ? '' : 's'} × ${r.cpusPerTask} CPU${r.cpusPerTask === 1 ? '' : 's'} per task = ${cpus} CPU${cpus === 1 ? '' : 's'}` +
      ` on ${r.nodes} node${r.nodes === 1 ? '' : 's'}`,
  ];
  if (r.gpus) lines.push(`GPUs: ${r.gpus}`);
  const mem = totalMemory(r);
  if (mem) lines.push(mem.mb === 0 ? 'Memory: all of each node\'s (--mem=0)' : `Memory: ${mem.how} = ${formatMegabytes(mem.mb)}`);
  if (r.timeMinutes !== undefined) lines.push(`Time limit: ${formatMinutes(r.timeMinutes)}`);
  if (r.arrayTasks !== undefined) lines.push(`Array: ${r.arrayTasks} tasks` + (r.arrayMaxRunning ? `, at most ${r.arrayMaxRunning} at once` : ''));
  const hours = coreHours(r);
  if (hours !== undefined) {
    lines.push(`Core-hours: ${cpus} CPU${cpus === 1 ? '' : 's'} × ${formatMinutes(r.timeMinutes!)}` +
      (r.arrayTasks !== undefined ? ` × ${r.arrayTasks} array tasks` : '') + ` = at most ${formatCoreHours(hours)} (the most the job can be charged)`);
  } else {
    lines.push('Core-hours: no finite --time, so no bound');
  }
  return lines;
}
