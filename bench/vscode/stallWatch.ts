/**
 * Watches this thread's event loop with a 2 ms timer and tells a turn that came late because
 * the thread was busy from one that came late because it waited for a core: the kernel counts
 * both for each thread in /proc/self/task/<tid>/schedstat (ns on a CPU, ns runnable but waiting).
 * On 2 cores shared with 4 ranks, mpirun, code-server and a browser, the second is most of it.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const TICK_MS = 2;

export interface StallFigures {
  /** This thread's CPU time while watched. */
  readonly cpuMs: number;
  /** The latest a tick came, beyond its 2 ms. */
  readonly lateMaxMs: number;
  /** Of that, how long the thread was runnable but waiting for a core. */
  readonly lateMaxWaitMs: number;
  /** The longest lateness not spent waiting for a core: this thread busy (or blocked) that long. */
  readonly busyMaxMs: number;
  /** When each tick over 15 ms late came: "+<ms from start>:<late>/<waiting>". */
  readonly spikes: readonly string[];
}

export class StallWatch {
  private readonly fd = openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
  private readonly buf = Buffer.alloc(128);
  private readonly start = performance.now();
  private readonly first: [number, number];
  private last: number;
  private lastStat: [number, number];
  private lateMax = 0;
  private lateMaxWait = 0;
  private busyMax = 0;
  private readonly spikes: string[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.first = this.lastStat = this.read();
    this.last = performance.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stop(): StallFigures {
    clearInterval(this.timer);
    const [run] = this.read();
    closeSync(this.fd);
    const ms = (x: number) => Math.round(x * 10) / 10;
    return { cpuMs: ms((run - this.first[0]) / 1e6), lateMaxMs: ms(this.lateMax), lateMaxWaitMs: ms(this.lateMaxWait), busyMaxMs: ms(this.busyMax), spikes: this.spikes };
  }

  private read(): [number, number] {
    const n = readSync(this.fd, this.buf, 0, this.buf.length, 0);
    const [run, wait] = this.buf.toString('latin1', 0, n).split(' ');
    return [Number(run), Number(wait)];
  }

  private tick(): void {
    const now = performance.now();
    const stat = this.read();
    const late = Math.max(0, now - this.last - TICK_MS);
    const wait = (stat[1] - this.lastStat[1]) / 1e6;
    if (late > this.lateMax) { this.lateMax = late; this.lateMaxWait = Math.min(wait, late); }
    this.busyMax = Math.max(this.busyMax, late - wait);
    if (late > 15) this.spikes.push(`+${Math.round(this.last - this.start)}:${Math.round(late)}/${Math.round(wait)}`);
    this.last = now;
    this.lastStat = stat;
  }
}
