/**
 * Runs inside a real extension host (loaded as `extensionTestsPath` by bench/extensionHost.ts):
 * activation timings as the extension recorded them, then the longest event-loop stall while
 * 1,000,000 lines from 4 MPI ranks stream into an output panel (with the run in the run host's
 * worker thread, as the extension runs it, and on the host's own thread as before), then the language client's
 * start (what its lazy bundle costs when it loads). Prints one `BENCH {json}` line.
 */
import * as path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { HpcJobsApi } from '../../extension/src/extension';
import { packedCount } from '../../runtimes/src/packedLines';
import { StallWatch } from './stallWatch';

const FLOOD = path.join(process.env.HPC_JOBS_REPO_ROOT ?? '', 'test/fixtures/programs/flood.py');

async function flood(api: HpcJobsApi, withPanel: boolean, perRank: number, inline = false): Promise<Record<string, number>> {
  // Read by extension/src/run/localLaunch.ts at each launch: the run on this thread, as before #5's fix.
  if (inline) process.env.HPC_JOBS_RUN_HOST = 'inline'; else delete process.env.HPC_JOBS_RUN_HOST;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const t0 = performance.now();
  const watch = new StallWatch();
  // HPC_JOBS_BENCH_SPIKES=1: GC pauses over 5 ms and opening the panel on the stall timeline too.
  const events: string[] = [];
  const gcs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.duration > 5) events.push(`gc${((e as { detail?: { kind?: number } }).detail)?.kind ?? ""}:+${Math.round(e.startTime - t0)}:${Math.round(e.duration)}`);
  });
  if (process.env.HPC_JOBS_BENCH_SPIKES) gcs.observe({ entryTypes: ['gc'] });
  loop.enable();
  const entry = await api.services.start({
    target: 'local',
    spec: { backend: 'mpi', program: FLOOD, args: [String(perRank)], ranks: 4, python: 'python3', cwd: path.dirname(FLOOD) },
  });
  const handle = api.services.store.handle(entry.key)!;
  let lines = 0;
  let panelLines = 0;
  // Counted the way the panel takes them: packed when the run is in the run host's worker
  // (an onDidOutput listener would make line objects on this thread that nothing else needs).
  const packed = handle.capabilities?.packedOutput;
  if (packed) packed((out) => { lines += packedCount(out.lines); });
  else handle.onDidOutput((batch) => { lines += batch.length; });
  const tp = performance.now();
  const panel = withPanel ? api.showRunOutput(handle) : undefined;
  if (panel) events.push(`panel:+${Math.round(tp - t0)}:${Math.round(performance.now() - tp)}`);
  const result = await handle.result;
  loop.disable();
  if (panel) panelLines = panel.model.total;
  const wallMs = performance.now() - t0;
  const stalls = watch.stop();
  gcs.disconnect();
  if (process.env.HPC_JOBS_BENCH_SPIKES) {
    console.log(`SPIKES ${withPanel ? 'panel' : 'noPanel'}${inline ? 'Inline' : ''} wall ${Math.round(wallMs)} ms; late:waiting ${stalls.spikes.join(' ')}; ${events.join(' ')}`);
  }
  panel?.dispose();
  if (result.state !== 'succeeded') throw new Error(`flood run ${result.state}: ${result.summary}`);
  return {
    wallMs: Math.round(wallMs), cpuMs: stalls.cpuMs, lines, panelLines,
    lateMaxMs: stalls.lateMaxMs, lateMaxWaitMs: stalls.lateMaxWaitMs, busyMaxMs: stalls.busyMaxMs,
    stallMaxMs: Math.round(loop.max / 1e5) / 10, stallP99Ms: Math.round(loop.percentile(99) / 1e5) / 10,
  };
}

/** The floods compared, each run once per round in rotating order (so load drifts fall on all alike). */
const MODES = [
  { name: 'noPanel', panel: false, inline: false },
  { name: 'panel', panel: true, inline: false },
  { name: 'panelInline', panel: true, inline: true },
] as const;

/** HPC_JOBS_BENCH_PROFILE=<dir>: a CPU profile of this thread per flood, to see what a long turn was. */
async function profiled<T>(name: string, body: () => Promise<T>): Promise<T> {
  const dir = process.env.HPC_JOBS_BENCH_PROFILE;
  if (!dir) return body();
  const inspector = await import('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const call = (method: string, params?: object) => new Promise<unknown>((resolve, reject) =>
    session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: 500 });
  await call('Profiler.start');
  try {
    return await body();
  } finally {
    const { profile } = await call('Profiler.stop') as { profile: unknown };
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<HpcJobsApi>('hpc-jobs.hpc-jobs');
  if (!ext) throw new Error('the extension is not installed in this host');
  const api = await ext.activate();
  const perRank = Number(process.env.HPC_JOBS_BENCH_LINES_PER_RANK ?? 250_000);
  const rounds = Number(process.env.HPC_JOBS_BENCH_ROUNDS ?? 5);
  // Copied now: the flood and the language client add their lazy bundles' load times later.
  const activation = { ...api.timings };
  // The first run pays for loading out/run.js, starting the run host's worker and the first
  // webview panel of the window: apart.
  const firstRun = await flood(api, true, 1000);
  const floods: Record<string, Record<string, number>[]> = Object.fromEntries(MODES.map((m) => [m.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < MODES.length; i++) {
      const m = MODES[(r + i) % MODES.length]!;
      floods[m.name]!.push(await profiled(`${m.name}-${r}`, () => flood(api, m.panel, perRank, m.inline)));
    }
  }
  delete process.env.HPC_JOBS_RUN_HOST;
  await api.languageClientReady;
  const result = { timings: { ...activation, lazyLoadMs: { ...api.timings.lazyLoadMs } }, firstRun, floods };
  console.log(`BENCH ${JSON.stringify(result)}`);
}
