/**
 * The worker thread of a RunHost (runHost.ts): starts local runs and does their output work —
 * reading rank files and pipes, splitting lines, writing the run log — here, off the caller's
 * event loop. Bundled on its own (out/runWorker.js).
 *
 * Output goes out packed, at most MAX_IN_FLIGHT messages not yet acknowledged: when the caller
 * is busy (or waits for a core), what comes meanwhile is merged into the next message instead
 * of queueing hundreds of small ones that it would then take in one long turn.
 */
import { parentPort } from 'node:worker_threads';
import { launchLocal } from '../index';
import type { LocalRun } from '../localRun';
import { LinePacker, mergePacked, type PackedLines } from '../packedLines';
import { toWireError, type FromWorker, type ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('runtimes/src/runHost/worker.ts runs as a worker thread only');

const MAX_IN_FLIGHT = 2;

interface Outbox {
  readonly packer: LinePacker;
  packs: PackedLines[];
}

const runs = new Map<string, LocalRun>();
/** By run, in the order they get to send next (a run that sent goes to the back). */
const outboxes = new Map<string, Outbox>();
let inFlight = 0;

function post(msg: FromWorker, transfer?: ArrayBuffer[]): void {
  port!.postMessage(msg, transfer);
}

/** What the run has waiting, in one message (sent whatever the credit when `force`d: its state must follow its lines). */
function sendOutput(id: string, force = false): void {
  const box = outboxes.get(id);
  if (!box || box.packs.length === 0 || (!force && inFlight >= MAX_IN_FLIGHT)) return;
  const lines = mergePacked(box.packs);
  box.packs = [];
  outboxes.delete(id);
  outboxes.set(id, box);
  inFlight++;
  post({ type: 'output', run: id, sources: box.packer.takeNewSources(), lines },
    lines.flatMap((p) => [p.ends.buffer as ArrayBuffer, p.sources.buffer as ArrayBuffer, p.times.buffer as ArrayBuffer]));
}

function pump(): void {
  for (const id of [...outboxes.keys()]) {
    if (inFlight >= MAX_IN_FLIGHT) return;
    sendOutput(id);
  }
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
  post({ type: 'launched', request, run: { id, backend: run.backend, logPath: run.logPath, dir: run.dir, state: run.state, ...(run.launcherName ? { launcherName: run.launcherName } : {}) } });
  const box: Outbox = { packer: new LinePacker(), packs: [] };
  outboxes.set(id, box);
  run.onDidChangeState((change) => {
    sendOutput(id, true);
    post({ type: 'state', run: id, change });
  });
  run.onDidMetric((metric) => post({ type: 'metric', run: id, metric }));
  run.onDidOutput((lines) => {
    box.packs.push(...box.packer.pack(lines));
    sendOutput(id);
  });
  void run.result.then((result) => {
    sendOutput(id, true);
    runs.delete(id);
    outboxes.delete(id);
    post({ type: 'result', run: id, result });
    run.dispose();
  });
}

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'launch': void launch(msg.request, msg.spec); break;
    case 'cancel': void runs.get(msg.run)?.cancel(); break;
    // No more events: the run goes on (its log too) and its result still comes.
    case 'dispose': runs.get(msg.run)?.dispose(); outboxes.delete(msg.run); break;
    case 'ack': inFlight = Math.max(0, inFlight - 1); pump(); break;
  }
});
