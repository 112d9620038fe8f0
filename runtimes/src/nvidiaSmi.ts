/**
 * NVIDIA GPUs as `nvidia-smi` reports them. Parsing is separate from running it so it can be
 * tested with recorded output on machines without a GPU.
 */
import { execFile } from 'node:child_process';
import { findExecutable } from './executables';

/** The query and format we parse; one line per GPU: `0, NVIDIA A100-SXM4-40GB, 40960, 3, 1024`. */
export const GPU_QUERY_ARGS: readonly string[] = [
  '--query-gpu=index,name,memory.total,utilization.gpu,memory.used',
  '--format=csv,noheader,nounits',
];

export interface GpuInfo {
  readonly index: number;
  readonly name: string;
  /** MB (MiB as nvidia-smi counts). */
  readonly memoryTotalMB?: number;
  /** Percent; absent when nvidia-smi says [N/A] / [Not Supported] (e.g. MIG instances). */
  readonly utilization?: number;
  readonly memoryUsedMB?: number;
}

function numberField(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/** One GPU per line; lines that do not parse (warnings, blank lines) are skipped. */
export function parseGpuQuery(output: string): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < 5) continue;
    const index = numberField(fields[0]);
    if (index === undefined || !Number.isInteger(index)) continue;
    // A name never has a comma today, but keep everything between index and the three numbers.
    const tail = fields.slice(-3);
    const name = fields.slice(1, fields.length - 3).join(', ');
    const memoryTotalMB = numberField(tail[0]);
    const utilization = numberField(tail[1]);
    const memoryUsedMB = numberField(tail[2]);
    gpus.push({
      index, name,
      ...(memoryTotalMB !== undefined ? { memoryTotalMB } : {}),
      ...(utilization !== undefined ? { utilization } : {}),
      ...(memoryUsedMB !== undefined ? { memoryUsedMB } : {}),
    });
  }
  return gpus;
}

export type GpuQuery =
  | { readonly ok: true; readonly gpus: readonly GpuInfo[]; readonly smi: string }
  | { readonly ok: false; readonly reason: 'missing' | 'failed'; readonly message: string };

/** Runs nvidia-smi once. No nvidia-smi, or one that fails (no driver), is not an exception. */
export function queryGpus(smi = 'nvidia-smi', timeoutMs = 10000): Promise<GpuQuery> {
  const exe = findExecutable(smi);
  if (!exe) return Promise.resolve({ ok: false, reason: 'missing', message: `${smi} not found${smi.includes('/') ? '' : ' on PATH'}` });
  return new Promise((resolve) => {
    execFile(exe, [...GPU_QUERY_ARGS], { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) {
        const detail = (stdout.trim() || stderr.trim() || error.message).split('\n')[0];
        resolve({ ok: false, reason: 'failed', message: `${exe} failed: ${detail}` });
        return;
      }
      resolve({ ok: true, gpus: parseGpuQuery(stdout), smi: exe });
    });
  });
}
