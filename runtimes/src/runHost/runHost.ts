/**
 * Runs local runs in a worker thread, so that their output work — reading rank files and
 * pipes, splitting lines, writing the log, and the garbage that makes — happens off the
 * caller's event loop. An editor's extension host stays responsive while four ranks print a
 * million lines: it receives packed batches (packedLines.ts), merged while it is busy, and
 * nothing else.
 *
 * One worker serves every run; it starts with the first run and ends after a while with none.
 * If it dies, its runs end as failed with the reason, their processes ended.
 */
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { DEFAULT_KILL_GRACE_MS, RUN_MARKER } from '../localRun';
import { killTree } from '../processTree';
import type { LocalRunSpec } from '../runSpec';
import { LaunchError } from '../runtime';
import type { FromWorker, ToWorker, WireError } from './protocol';
import { WorkerRun } from './workerRun';

const IDLE_MS = 60_000;

interface Pending {
  resolve(run: WorkerRun): void;
  reject(err: Error): void;
}

export class RunHost {
  private worker: Worker | undefined;
  private nextRequest = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly runs = new Map<string, WorkerRun>();
  private idleTimer: NodeJS.Timeout | undefined;

  /** `workerFile`: the built worker (out/runWorker.js; see worker.ts). */
  constructor(private readonly workerFile: string, private readonly idleMs = IDLE_MS) {}

  /** Like launchLocal: checks the spec and starts the run; rejects with a LaunchError when it cannot. */
  launch(spec: LocalRunSpec): Promise<WorkerRun> {
    return new Promise<WorkerRun>((resolve, reject) => {
      const request = ++this.nextRequest;
      this.pending.set(request, { resolve, reject });
      try {
        this.send({ type: 'launch', request, spec });
      } catch (err) {
        this.pending.delete(request);
        this.idleLater();
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** Runs not yet ended. */
  get active(): number { return this.runs.size; }

  /** Ends the worker now: its runs end as failed, their processes ended (cancel them first to end them as cancelled). */
  async dispose(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.worker;
    if (!worker) return;
    this.fail(new Error('the run host was closed'));
    await worker.terminate();
  }

  private send(msg: ToWorker): void {
    if (this.idleTimer) { clearTimeout(this.idleTimer); this.idleTimer = undefined; }
    const worker = this.start();
    worker.ref();
    worker.postMessage(msg);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // SHARE_ENV: the runs see the environment as this thread has it now, not as it was when
    // the worker started. No execArgv: the host process's flags (an inspector) need not apply.
    const worker = new Worker(this.workerFile, { env: SHARE_ENV, execArgv: [] });
    worker.on('message', (msg: FromWorker) => this.onMessage(msg));
    worker.on('error', (err) => { if (this.worker === worker) this.fail(err); });
    worker.on('exit', (code) => { if (this.worker === worker) this.fail(new Error(`it exited with code ${code}`)); });
    this.worker = worker;
    return worker;
  }

  private onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case 'launched': {
        const pending = this.pending.get(msg.request);
        this.pending.delete(msg.request);
        const run = new WorkerRun(msg.run, (m) => { if (this.runs.has(m.run)) this.send(m); });
        this.runs.set(run.id, run);
        if (pending) pending.resolve(run);
        else this.send({ type: 'cancel', run: run.id });
        return;
      }
      case 'launchFailed': {
        const pending = this.pending.get(msg.request);
        this.pending.delete(msg.request);
        pending?.reject(fromWireError(msg.error));
        this.idleLater();
        return;
      }
      case 'state': this.runs.get(msg.run)?.onState(msg.change); return;
      case 'output':
        this.runs.get(msg.run)?.onOutput(msg.sources, msg.lines);
        this.worker?.postMessage({ type: 'ack' } satisfies ToWorker);
        return;
      case 'metric': this.runs.get(msg.run)?.onMetric(msg.metric); return;
      case 'result': {
        const run = this.runs.get(msg.run);
        this.runs.delete(msg.run);
        run?.onResult(msg.result);
        this.idleLater();
        return;
      }
    }
  }

  /**
   * The worker is gone: what waited on it learns why. Its runs' processes are still ours to
   * end (they carry the run's marker, as LocalRun's sweep finds them): none is left running.
   */
  private fail(err: Error): void {
    this.worker = undefined;
    if (this.idleTimer) { clearTimeout(this.idleTimer); this.idleTimer = undefined; }
    const why = `the thread that ran it stopped: ${err.message}`;
    for (const p of this.pending.values()) p.reject(new Error(`HPC Jobs could not start the run: ${why}`));
    this.pending.clear();
    const runs = [...this.runs.values()];
    this.runs.clear();
    for (const run of runs) {
      const marker = { name: RUN_MARKER, value: `${run.id}/`, prefix: true };
      void killTree({ roots: [], groups: [], marker }, DEFAULT_KILL_GRACE_MS).then((r) => r.terminated.length, () => 0).then((ended) => {
        run.onResult({ state: 'failed', exits: [], endedAt: Date.now(), summary: `${why}${ended > 0 ? `; its ${ended} process${ended === 1 ? '' : 'es'} ended` : ''}` });
      });
    }
  }

  private idleLater(): void {
    if (this.runs.size > 0 || this.pending.size > 0 || !this.worker) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.worker !== worker || this.runs.size > 0 || this.pending.size > 0) return;
      this.worker = undefined;
      void worker.terminate();
    }, this.idleMs);
    // An idle worker keeps no process alive (a CLI, a test) past its own work.
    this.idleTimer.unref();
    worker.unref();
  }
}

function fromWireError(e: WireError): Error {
  if (e.name === 'LaunchError') return new LaunchError(e.message, e.hint);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
