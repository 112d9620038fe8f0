/**
 * Runs inside a real extension host (loaded as `extensionTestsPath` by bench/extensionHost.ts):
 * activation timings as the extension recorded them, then the longest event-loop stall while
 * 1,000,000 lines from 4 MPI ranks stream into an output panel, then the language client's
 * start (what its lazy bundle costs when it loads). Prints one `BENCH {json}` line.
 */
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { HpcJobsApi } from '../../extension/src/extension';

const FLOOD = path.join(process.env.HPC_JOBS_REPO_ROOT ?? '', 'test/fixtures/programs/flood.py');

async function flood(api: HpcJobsApi, withPanel: boolean, perRank: number): Promise<Record<string, number>> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const t0 = performance.now();
  loop.enable();
  const entry = await api.services.store.start({
    target: 'local',
    spec: { backend: 'mpi', program: FLOOD, args: [String(perRank)], ranks: 4, python: 'python3', cwd: path.dirname(FLOOD) },
  });
  const handle = api.services.store.handle(entry.key)!;
  let lines = 0;
  let panelLines = 0;
  handle.onDidOutput((batch) => { lines += batch.length; });
  const panel = withPanel ? api.showRunOutput(handle) : undefined;
  const result = await handle.result;
  loop.disable();
  if (panel) panelLines = panel.model.total;
  const wallMs = performance.now() - t0;
  panel?.dispose();
  if (result.state !== 'succeeded') throw new Error(`flood run ${result.state}: ${result.summary}`);
  return {
    wallMs: Math.round(wallMs), lines, panelLines,
    stallMaxMs: Math.round(loop.max / 1e5) / 10, stallP99Ms: Math.round(loop.percentile(99) / 1e5) / 10,
  };
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<HpcJobsApi>('hpc-jobs.hpc-jobs');
  if (!ext) throw new Error('the extension is not installed in this host');
  const api = await ext.activate();
  const perRank = Number(process.env.HPC_JOBS_BENCH_LINES_PER_RANK ?? 250_000);
  // Copied now: the flood and the language client add their lazy bundles' load times later.
  const activation = { ...api.timings };
  const floodNoPanel = await flood(api, false, perRank);
  const floodPanel = await flood(api, true, perRank);
  await api.languageClientReady;
  const result = { timings: { ...activation, lazyLoadMs: { ...api.timings.lazyLoadMs } }, floodNoPanel, floodPanel };
  console.log(`BENCH ${JSON.stringify(result)}`);
}
