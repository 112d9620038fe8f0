/**
 * A minimal event emitter shaped like VS Code's `Event<T>` (listener in, disposable out), so
 * runtimes stay free of `vscode` and the extension can pass their events straight through.
 */
export interface Disposable { dispose(): void }

export type Event<T> = (listener: (e: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => void>();
  private disposed = false;

  readonly event: Event<T> = (listener) => {
    if (this.disposed) return { dispose() { /* nothing to undo */ } };
    this.listeners.add(listener);
    return { dispose: () => { this.listeners.delete(listener); } };
  };

  /** Whether anyone listens: work done only for listeners can be skipped. */
  get hasListeners(): boolean { return this.listeners.size > 0; }

  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try { l(e); } catch (err) { queueMicrotask(() => { throw err; }); }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}
