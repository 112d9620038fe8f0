/**
 * The GPU backend: one process per chosen NVIDIA GPU (task = GPU index, CUDA_VISIBLE_DEVICES=i)
 * or one process that sees them all, with utilisation and memory sampled while it runs.
 * Without a GPU it refuses, unless the caller opts in to numba's CUDA simulator.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { Disposable } from './events';
import { LocalRun } from './localRun';
import type { UnitPlan } from './runPlan';
import { GPU_QUERY_ARGS, parseGpuQuery, queryGpus, type GpuInfo } from './nvidiaSmi';
import { baseEnv, checkCount, resolveProgram } from './programCommand';
import { checkModule } from './pythonInterpreter';
import { LaunchError, type Metric } from './runtime';
import type { GpuSpec } from './runSpec';

export const CUDA_SIM_NOTE = 'numba CUDA simulator (NUMBA_ENABLE_CUDASIM=1): @cuda.jit kernels run on the CPU, one Python thread per GPU thread ' +
  '(correct but slow; keep sizes small). @vectorize(target=\'cuda\') does not work under the simulator. No GPU metrics.';

const NO_GPU_HINT = 'Run it where there is an NVIDIA GPU (on Slurm: a GPU partition and --gres=gpu:1), or use numba\'s CUDA simulator ' +
  '(--cuda-sim, i.e. NUMBA_ENABLE_CUDASIM=1), which runs @cuda.jit kernels on the CPU but not @vectorize(target=\'cuda\').';

function chooseGpus(available: readonly GpuInfo[], wanted: GpuSpec['gpus']): GpuInfo[] {
  if (wanted === undefined) return [...available];
  if (typeof wanted === 'number') {
    const n = checkCount(wanted, 'gpus')!;
    if (n > available.length) {
      throw new LaunchError(`Asked for ${n} GPUs; this machine has ${available.length} (${available.map((g) => `${g.index}: ${g.name}`).join(', ')}).`);
    }
    return available.slice(0, n);
  }
  if (wanted.length === 0) throw new LaunchError('No GPU chosen: give at least one GPU index.');
  return wanted.map((i) => {
    const g = available.find((a) => a.index === i);
    if (!g) throw new LaunchError(`There is no GPU ${i}; this machine has ${available.map((a) => a.index).join(', ')}.`);
    return g;
  });
}

export async function launchGpu(spec: GpuSpec): Promise<LocalRun> {
  const cwd = path.resolve(spec.cwd ?? process.cwd());
  const prog = await resolveProgram(spec.program, spec.args ?? [], cwd, spec.python);
  const perGpu = spec.perGpu !== false;
  // nvidia-smi numbers GPUs by PCI bus; CUDA's default order (fastest first) may differ.
  const env = { ...baseEnv(spec.env), CUDA_DEVICE_ORDER: 'PCI_BUS_ID' };
  const common = {
    backend: 'gpu' as const, spec,
    ...(spec.logDir ? { logDir: spec.logDir } : {}),
    ...(spec.killGraceMs !== undefined ? { killGraceMs: spec.killGraceMs } : {}),
  };
  const limit = spec.timeLimitMs !== undefined ? { timeLimitMs: spec.timeLimitMs } : {};

  if (spec.cudaSim) {
    if (prog.python) {
      const numba = await checkModule(prog.python, 'numba');
      if (!numba.ok) {
        throw new LaunchError(`The CUDA simulator needs numba, and ${prog.python.executable} cannot import it: ${numba.error ?? 'import failed'}.`,
          `Install it for this interpreter ("${prog.python.executable} -m pip install numba"; Debian/Ubuntu: apt install python3-numba and use /usr/bin/python3).`);
      }
    }
    const count = spec.gpus === undefined ? 1 : typeof spec.gpus === 'number' ? checkCount(spec.gpus, 'gpus')! : spec.gpus.length;
    if (count < 1) throw new LaunchError('No GPU chosen: give at least one GPU index.');
    const simEnv = { ...env, NUMBA_ENABLE_CUDASIM: '1' };
    const units: UnitPlan[] = perGpu
      ? Array.from({ length: count }, (_, i) => ({ task: i, command: { command: prog.command, args: prog.args, cwd, env: simEnv }, env: { CUDA_VISIBLE_DEVICES: String(i) }, ...limit }))
      : [{ command: { command: prog.command, args: prog.args, cwd, env: simEnv }, ...limit }];
    return new LocalRun({ ...common, units, maxParallel: units.length, notes: [CUDA_SIM_NOTE] }).start();
  }

  const query = await queryGpus(spec.nvidiaSmi ?? 'nvidia-smi');
  if (!query.ok) {
    throw new LaunchError(`No NVIDIA GPU found: ${query.message}${query.reason === 'missing' ? ' (no NVIDIA driver on this machine)' : ''}.`, NO_GPU_HINT);
  }
  if (query.gpus.length === 0) throw new LaunchError('No NVIDIA GPU found: nvidia-smi lists none.', NO_GPU_HINT);
  const chosen = chooseGpus(query.gpus, spec.gpus);
  const list = chosen.map((g) => g.index).join(',');
  const units: UnitPlan[] = perGpu
    ? chosen.map((g) => ({ task: g.index, command: { command: prog.command, args: prog.args, cwd, env }, env: { CUDA_VISIBLE_DEVICES: String(g.index) }, ...limit }))
    : [{ command: { command: prog.command, args: prog.args, cwd, env: { ...env, CUDA_VISIBLE_DEVICES: list } }, ...limit }];
  const notes = [`GPU${chosen.length === 1 ? '' : 's'} ${chosen.map((g) => `${g.index} (${g.name}${g.memoryTotalMB ? `, ${g.memoryTotalMB} MB` : ''})`).join(', ')}` +
    (perGpu ? ': one process per GPU' : `: one process with CUDA_VISIBLE_DEVICES=${list}`)];
  return new LocalRun({
    ...common, units, maxParallel: units.length, notes,
    sampler: (emit) => sampleGpus(query.smi, new Set(chosen.map((g) => g.index)), spec.sampleMs ?? 1000, emit),
  }).start();
}

/** Samples utilisation and memory of `indexes` every `everyMs` until disposed; one query at a time. */
export function sampleGpus(smi: string, indexes: ReadonlySet<number>, everyMs: number, emit: (m: Metric) => void): Disposable {
  let busy = false;
  let stopped = false;
  const tick = () => {
    if (busy || stopped) return;
    busy = true;
    execFile(smi, [...GPU_QUERY_ARGS], { timeout: Math.max(everyMs * 5, 5000) }, (error, stdout) => {
      busy = false;
      if (error || stopped) return;
      for (const m of gpuMetrics(parseGpuQuery(stdout), indexes, Date.now())) emit(m);
    });
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return { dispose() { stopped = true; clearInterval(timer); } };
}

/** Metric events for the chosen GPUs in one nvidia-smi sample. */
export function gpuMetrics(gpus: readonly GpuInfo[], indexes: ReadonlySet<number>, time: number): Metric[] {
  const out: Metric[] = [];
  for (const g of gpus) {
    if (!indexes.has(g.index)) continue;
    if (g.utilization !== undefined) out.push({ time, device: g.index, name: 'gpuUtilization', value: g.utilization });
    if (g.memoryUsedMB !== undefined) out.push({ time, device: g.index, name: 'gpuMemoryUsedMB', value: g.memoryUsedMB });
    if (g.memoryTotalMB !== undefined) out.push({ time, device: g.index, name: 'gpuMemoryTotalMB', value: g.memoryTotalMB });
  }
  return out;
}
