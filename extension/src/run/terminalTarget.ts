/**
 * The "Terminal" target: the file as one process under a pseudo-terminal (a pool of one
 * worker with `tty`), shown in a VS Code terminal that passes it the keys typed — the way to
 * run a program that reads input. Pure: the flow builds the spec, the launcher asks
 * `runsInTerminal` where to show a request that started (Run Again included).
 */
import type { LocalRunSpec, PoolSpec } from '../../../runtimes/src/runSpec';
import type { RunRequest } from '../jobs/jobEntry';

/**
 * The size the process starts with. The run starts before its terminal exists (a failure to
 * start is told like any other's); the terminal's own size reaches it with the terminal's first
 * setDimensions, as a resize.
 */
export const INITIAL_TERMINAL_SIZE = { cols: 80, rows: 24 } as const;

export function terminalSpec(program: { readonly program: string; readonly args: readonly string[]; readonly cwd: string }): PoolSpec {
  return { backend: 'pool', ...program, workers: 1, tty: { ...INITIAL_TERMINAL_SIZE } };
}

/** A local spec whose program gets a pseudo-terminal. */
export function wantsTerminal(spec: LocalRunSpec): boolean {
  return spec.backend === 'pool' && spec.tty !== undefined && spec.tty !== false;
}

/** A request whose program gets a terminal (and is shown in one rather than an output panel). */
export function runsInTerminal(request: RunRequest): boolean {
  return request.target === 'local' && wantsTerminal(request.spec);
}
