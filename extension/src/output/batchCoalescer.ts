/**
 * Turns a stream of "something changed" notices into at most one flush per interval. Output
 * batches arriving within the interval become one message to the webview; under a steady flood
 * the webview still hears every interval (a throttle, not a debounce that would starve it).
 */

/** The timer functions, so tests can drive time by hand. */
export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export const DEFAULT_COALESCE_MS = 50;

export class BatchCoalescer {
  private timer: unknown;
  private pending = false;
  private disposed = false;

  constructor(
    private readonly flush: () => void,
    private readonly delayMs = DEFAULT_COALESCE_MS,
    private readonly clock: Clock = realClock,
  ) {}

  /** Something changed: flush within `delayMs` (once, however often this is called). */
  notify(): void {
    if (this.disposed || this.pending) return;
    this.pending = true;
    this.timer = this.clock.setTimeout(() => this.run(), this.delayMs);
  }

  /** Flush now (a state change the user should see at once), cancelling the pending one. */
  flushNow(): void {
    if (this.disposed) return;
    this.cancel();
    this.flush();
  }

  get isPending(): boolean { return this.pending; }

  dispose(): void {
    this.cancel();
    this.disposed = true;
  }

  private cancel(): void {
    if (this.pending) this.clock.clearTimeout(this.timer);
    this.pending = false;
    this.timer = undefined;
  }

  private run(): void {
    this.pending = false;
    this.timer = undefined;
    if (!this.disposed) this.flush();
  }
}

/**
 * Which positions one append message carries: only the newest `cap` of those the webview has
 * not been sent (it asks for the others if it scrolls there), never any before `firstInMemory`.
 */
export function appendWindow(sentCount: number, count: number, firstInMemory: number, cap: number): { first: number; end: number } {
  const end = count;
  const first = Math.min(end, Math.max(sentCount, end - cap, firstInMemory));
  return { first, end };
}
