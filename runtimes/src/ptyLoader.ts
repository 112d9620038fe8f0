/**
 * node-pty, loaded only when a run asks for a terminal: it is a native module, and a build for
 * another Node/Electron ABI or platform must not break the runtimes that do not need it.
 * node-pty >= 1.0 is N-API, so one build loads in Node and in VS Code's Electron.
 */

/** The part of node-pty's API we use. */
export interface PtyProcess {
  readonly pid: number;
  onData(listener: (data: string) => void): { dispose(): void };
  onExit(listener: (e: { exitCode: number; signal?: number }) => void): { dispose(): void };
  write(data: string): void;
  resize(cols: number, rows: number): void;
  kill(signal?: string): void;
  pause(): void;
  resume(): void;
}

export interface PtyModule {
  spawn(file: string, args: string[], options: {
    name?: string; cols?: number; rows?: number; cwd?: string; env?: Record<string, string>;
  }): PtyProcess;
}

export type PtyLoad = { readonly ok: true; readonly pty: PtyModule } | { readonly ok: false; readonly reason: string };

const cache = new Map<string, PtyLoad>();

/**
 * Loads node-pty once; says why not when it cannot (missing, built for another ABI...).
 * `HPC_JOBS_NODE_PTY_MODULE` names another module (tests use a missing one to see the fallback).
 */
export function loadPty(name = process.env.HPC_JOBS_NODE_PTY_MODULE || 'node-pty'): PtyLoad {
  const known = cache.get(name);
  if (known) return known;
  let cached: PtyLoad;
  // A name in a variable keeps bundlers from inlining the native module: it loads from node_modules.
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(name) as Partial<PtyModule>;
    if (typeof mod.spawn !== 'function') throw new Error('it has no spawn()');
    cached = { ok: true, pty: mod as PtyModule };
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    // Read by people who installed the extension (nothing to build: their platform has no
    // build) as well as by contributors (a checkout where node-pty was never installed or built).
    cached = {
      ok: false,
      reason: `node-pty could not be loaded (${why}): HPC Jobs has no working node-pty build for this platform ` +
        `(${process.platform}-${process.arch}), so a program cannot get a terminal here. ` +
        'In a development checkout, run "npm install" (node-pty compiles with node-gyp: python3, make and a C++ compiler).',
    };
  }
  cache.set(name, cached);
  return cached;
}
