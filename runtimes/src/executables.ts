/** Looking up programs the way a shell would, so a missing one is a clear LaunchError, not ENOENT later. */
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of `name` (a path, or a command searched on PATH), or undefined. */
export function findExecutable(name: string, cwd = process.cwd(), envPath = process.env.PATH ?? ''): string | undefined {
  if (name.includes('/')) {
    const p = path.resolve(cwd, name);
    return isExecutableFile(p) ? p : undefined;
  }
  for (const dir of envPath.split(':')) {
    if (!dir) continue;
    const p = path.join(dir, name);
    if (isExecutableFile(p)) return p;
  }
  return undefined;
}

export function isFile(p: string): boolean {
  try { return statSync(p).isFile(); } catch { return false; }
}

export function isDirectory(p: string): boolean {
  try { return statSync(p).isDirectory(); } catch { return false; }
}
