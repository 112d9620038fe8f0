/**
 * A batch script for a Python file, from the few choices people make (tasks, CPUs, memory,
 * time, partition, account, GPUs). Values go into #SBATCH lines in the form sbatch's own
 * tokenizer reads back unchanged; the program and its arguments through the shell quoting.
 */
import { LaunchError } from '../runtime';
import { quote } from '../transport/shellQuote';

export interface PythonJobSpec {
  readonly jobName?: string;
  readonly ntasks?: number;
  readonly nodes?: number;
  readonly cpusPerTask?: number;
  /** sbatch --mem syntax: "4G", "500M". */
  readonly mem?: string;
  /** Minutes, or a Slurm time ("1:30:00", "2-00:00:00"). */
  readonly time?: number | string;
  readonly partition?: string;
  readonly account?: string;
  /** GPUs per node, as --gres=gpu:N. */
  readonly gpus?: number;
  readonly array?: string;
  /** --output pattern; default "<name>-%j.out" (arrays "<name>-%A_%a.out"). */
  readonly output?: string;
  /** Interpreter on the cluster; default python3. */
  readonly python?: string;
  readonly args?: readonly string[];
  /** How tasks start: srun (default when ntasks > 1: one Python per task, e.g. mpi4py), or one process. */
  readonly launcher?: 'srun' | 'single';
  /** Commands before the program (module load ..., source venv/bin/activate). Written as given. */
  readonly setup?: readonly string[];
}

/** A value as sbatch's directive tokenizer reads it: bare, or in double quotes with \ escapes. */
export function directiveValue(v: string): string {
  if (/[\n\r\0]/.test(v)) throw new LaunchError(`An #SBATCH value cannot contain a line break: ${JSON.stringify(v)}`);
  if (/^[A-Za-z0-9_.,:=%/+@-]+$/.test(v)) return v;
  return `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function timeValue(t: number | string): string {
  if (typeof t === 'number') {
    if (!Number.isInteger(t) || t <= 0) throw new LaunchError(`Time must be a positive number of minutes, not ${t}.`);
    return String(t);
  }
  return t;
}

export function pythonBatchScript(spec: PythonJobSpec, pythonFile: string): string {
  const stem = pythonFile.replace(/\.py$/, '') || 'job';
  const d: [string, string | number | undefined][] = [
    ['job-name', spec.jobName ?? stem],
    ['nodes', spec.nodes],
    ['ntasks', spec.ntasks],
    ['cpus-per-task', spec.cpusPerTask],
    ['mem', spec.mem],
    ['time', spec.time !== undefined ? timeValue(spec.time) : undefined],
    ['partition', spec.partition],
    ['account', spec.account],
    ['gres', spec.gpus ? `gpu:${spec.gpus}` : undefined],
    ['array', spec.array],
    ['output', spec.output ?? (spec.array ? `${stem}-%A_%a.out` : `${stem}-%j.out`)],
  ];
  const lines = ['#!/bin/bash'];
  for (const [name, v] of d) if (v !== undefined && v !== '') lines.push(`#SBATCH --${name}=${directiveValue(String(v))}`);
  lines.push('');
  for (const s of spec.setup ?? []) lines.push(s);
  // A worker pool or OpenMP inside each task should use the CPUs reserved for it, not the node's.
  if ((spec.cpusPerTask ?? 1) > 1) lines.push('export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK');
  lines.push('export PYTHONUNBUFFERED=1  # lines reach the output file (and the tail) as they are printed');
  const useSrun = spec.launcher === 'srun' || (spec.launcher === undefined && (spec.ntasks ?? 1) > 1);
  // srun of Slurm 22.05-23.02 does not inherit --cpus-per-task: without this each task gets one CPU.
  if (useSrun && (spec.cpusPerTask ?? 1) > 1) lines.push('export SRUN_CPUS_PER_TASK=$SLURM_CPUS_PER_TASK');
  const argv = [spec.python ?? 'python3', pythonFile, ...(spec.args ?? [])].map(quote).join(' ');
  lines.push(useSrun ? `srun ${argv}` : argv);
  return lines.join('\n') + '\n';
}
