/**
 * What the run command remembers in the workspace state: the counts and directives last given
 * for each file (the next run of that file is prefilled with them) and the last request that
 * started (Run Again repeats it). The store is the extension's Memento; it is typed here so
 * this file runs, and is tested, outside VS Code.
 */
import type { RunRequest } from '../jobs/jobEntry';
import type { CountKind } from './runCounts';

export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const COUNTS_KEY = 'hpcJobs.run.counts.v1';
const DIRECTIVES_KEY = 'hpcJobs.run.directives.v1';
const LAST_KEY = 'hpcJobs.run.last.v1';
/** Files remembered; the least recently used are dropped first. */
export const MAX_FILES = 200;

type PerFile<T> = Record<string, T>;

export class RunMemory {
  constructor(private readonly state: StateStore) {}

  count(file: string, kind: CountKind): number | undefined {
    return this.state.get<PerFile<Partial<Record<CountKind, number>>>>(COUNTS_KEY)?.[file]?.[kind];
  }

  rememberCount(file: string, kind: CountKind, value: number): Thenable<void> {
    const all = this.state.get<PerFile<Partial<Record<CountKind, number>>>>(COUNTS_KEY) ?? {};
    return this.state.update(COUNTS_KEY, touch(all, file, { ...all[file], [kind]: value }));
  }

  /** The directives last given for this file, else for any file. */
  directives(file: string): string | undefined {
    const all = this.state.get<{ files?: PerFile<string>; last?: string }>(DIRECTIVES_KEY);
    return all?.files?.[file] ?? all?.last;
  }

  rememberDirectives(file: string, text: string): Thenable<void> {
    const all = this.state.get<{ files?: PerFile<string>; last?: string }>(DIRECTIVES_KEY) ?? {};
    return this.state.update(DIRECTIVES_KEY, { files: touch(all.files ?? {}, file, text), last: text });
  }

  lastRequest(): RunRequest | undefined {
    return this.state.get<RunRequest>(LAST_KEY);
  }

  rememberRequest(request: RunRequest): Thenable<void> {
    return this.state.update(LAST_KEY, request);
  }
}

/** Sets `file` as the most recent entry (objects keep insertion order) and drops the oldest beyond MAX_FILES. */
function touch<T>(all: PerFile<T>, file: string, value: T): PerFile<T> {
  const entries = Object.entries(all).filter(([k]) => k !== file);
  entries.push([file, value]);
  return Object.fromEntries(entries.slice(-MAX_FILES));
}
