/**
 * What this machine offers for running work — an MPI launcher, NVIDIA GPUs — found on first use
 * of the run command, not at activation. Both look-ups start together and are kept for the
 * session; a settings change (another launcher) throws them away. The pick never waits more
 * than a moment: what has not answered by then is shown as "detecting…".
 */
import type { GpuQuery, MpiLauncher } from '../../../runtimes/src/index';
import { mpiDisplayName, mpiMissingReason, type Detection, type GpuFound, type MpiFound } from './runTargets';

/** How long the pick waits for a slow detection before showing "detecting…". */
export const DETECTION_WAIT_MS = 1500;

export interface DetectionProbes {
  /** The configured launcher (a setting), if any: named in the reason when it is missing. */
  readonly mpiLauncher?: string;
  findMpirun(configured?: string): Promise<MpiLauncher>;
  queryGpus(): Promise<GpuQuery>;
}

interface Generation {
  readonly mpi: Promise<Detection<MpiFound>>;
  readonly gpus: Promise<Detection<readonly GpuFound[]>>;
  mpiNow: Detection<MpiFound>;
  gpusNow: Detection<readonly GpuFound[]>;
}

export class RunDetection {
  private current: Generation | undefined;

  /** `probes` is read at the start of each detection (settings may have changed). */
  constructor(private readonly probes: () => DetectionProbes) {}

  private start(): Generation {
    if (this.current) return this.current;
    const p = this.probes();
    const mpi = p.findMpirun(p.mpiLauncher || undefined).then(
      (l): Detection<MpiFound> => ({ state: 'found', value: { name: mpiDisplayName(l), path: l.path } }),
      (): Detection<MpiFound> => ({ state: 'missing', reason: mpiMissingReason(p.mpiLauncher) }),
    );
    const gpus = p.queryGpus().then(
      (q): Detection<readonly GpuFound[]> => (q.ok && q.gpus.length > 0
        ? { state: 'found', value: q.gpus.map((g) => ({ index: g.index, name: g.name })) }
        : { state: 'missing', reason: q.ok ? 'nvidia-smi lists no GPU' : q.message }),
      (e: unknown): Detection<readonly GpuFound[]> => ({ state: 'missing', reason: e instanceof Error ? e.message : String(e) }),
    );
    const g: Generation = { mpi, gpus, mpiNow: { state: 'pending' }, gpusNow: { state: 'pending' } };
    void mpi.then((r) => { g.mpiNow = r; });
    void gpus.then((r) => { g.gpusNow = r; });
    this.current = g;
    return g;
  }

  /**
   * Starts what has not started, then resolves once everything has answered or `waitMs` has
   * passed, whichever is first; what is still under way is `pending`.
   */
  async snapshot(waitMs = DETECTION_WAIT_MS): Promise<{ mpi: Detection<MpiFound>; gpus: Detection<readonly GpuFound[]> }> {
    const g = this.start();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, waitMs); });
    await Promise.race([Promise.all([g.mpi, g.gpus]), timeout]);
    clearTimeout(timer);
    return { mpi: g.mpiNow, gpus: g.gpusNow };
  }

  /** The MPI detection's answer, waiting for it as long as it takes. */
  mpi(): Promise<Detection<MpiFound>> { return this.start().mpi; }

  gpus(): Promise<Detection<readonly GpuFound[]>> { return this.start().gpus; }

  /** Forgets the answers: the next use detects again. */
  invalidate(): void { this.current = undefined; }
}
