/**
 * The worker thread of a RunHost (runHost.ts): starts local runs and does their output work —
 * reading rank files and pipes, splitting lines, writing the run log — here, off the caller's
 * event loop, which then only receives packed batches. Bundled on its own (out/runWorker.js).
 */
import { parentPort } from 'node:worker_threads';
import { launchLocal } from '../index';
import type { LocalRun } from '../localRun';
import { LinePacker } from '../packedLines';
import type { FromWorker, ToWorker } from './protocol';
import { toWireError } from './protocol';

const port = parentPort;
if (!port) throw new Error('runtimes/src/runHost/worker.ts runs as a worker thread only');

const runs = new Map<string, LocalRun>();

function post(msg: FromWorker, transfer?: ArrayBuffer[]): void {
  port!.postMessage(msg, transfer);
}

async function launch(request: number, spec: Extract<ToWorker, { type: 'launch' }>['spec']): Promise<void> {
  let run: LocalRun;
  try {
    run = await launchLocal(spec);
  } catch (err) {
    post({ type: 'launchFailed', request, error: toWireError(err) });
    return;
  }
  const id = run.id;
  runs.set(id, run);
  // Before any event of the run: a run starts on the next turn (LocalRun.start).
  post({ type: 'launched', request, run: { id, backend: run.backend, logPath: run.logPath, dir: run.dir, state: run.state } });
  const packer = new LinePacker();
  run.onDidChangeState((change) => post({ type: 'state', run: id, change }));
  run.onDidMetric((metric) => post({ type: 'metric', run: id, metric }));
  run.onDidOutput((lines) => {
    for (const p of packer.pack(lines)) {
      post({ type: 'output', run: id, sources: packer.takeNewSources(), lines: p },
        [p.ends.buffer as ArrayBuffer, p.sources.buffer as ArrayBuffer, p.times.buffer as ArrayBuffer]);
    }
  });
  void run.result.then((result) => {
    runs.delete(id);
    post({ type: 'result', run: id, result });
    run.dispose();
  });
}

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'launch': void launch(msg.request, msg.spec); break;
    case 'cancel': void runs.get(msg.run)?.cancel(); break;
    // No more events: the run goes on (its log too) and its result still comes.
    case 'dispose': runs.get(msg.run)?.dispose(); break;
  }
});
