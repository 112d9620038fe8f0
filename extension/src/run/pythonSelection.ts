/**
 * The interpreter for local Python runs: the `hpcJobs.python.interpreter` setting, else the one
 * the Python extension has selected for the file (through its public API, when it is
 * installed), else `python3`. The Python extension is optional: anything that goes wrong
 * asking it falls back quietly.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { setting } from '../settings/settings';

const PYTHON_EXTENSION = 'ms-python.python';
/** The Python extension may be slow to activate; a run does not wait longer for it. */
const ACTIVATION_WAIT_MS = 5000;

/** The part of ms-python.python's API used here (`exports.environments`). */
interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri): { readonly id: string; readonly path: string } | undefined;
  resolveEnvironment?(env: { readonly id: string; readonly path: string } | string): Promise<{ readonly executable?: { readonly uri?: vscode.Uri } } | undefined>;
}

export async function pythonFor(file: vscode.Uri): Promise<string> {
  const configured = setting('python.interpreter', file).trim();
  if (configured) return expandPath(configured, file);
  return (await fromPythonExtension(file)) ?? 'python3';
}

/** `${workspaceFolder}` and a leading `~`, as people write them in the Python extension's settings. */
function expandPath(p: string, file: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? '';
  const withFolder = p.replace(/\$\{workspaceFolder\}/g, folder);
  return withFolder === '~' || withFolder.startsWith('~/') ? os.homedir() + withFolder.slice(1) : withFolder;
}

async function fromPythonExtension(file: vscode.Uri): Promise<string | undefined> {
  try {
    const ext = vscode.extensions.getExtension<{ environments?: PythonEnvironmentsApi }>(PYTHON_EXTENSION);
    if (!ext) return undefined;
    const api = ext.isActive ? ext.exports : await withTimeout(Promise.resolve(ext.activate()), ACTIVATION_WAIT_MS);
    const envs = api?.environments;
    if (!envs || typeof envs.getActiveEnvironmentPath !== 'function') return undefined;
    const active = envs.getActiveEnvironmentPath(file);
    if (!active?.path) return undefined;
    // The path may be an environment folder; resolving gives its interpreter.
    if (typeof envs.resolveEnvironment === 'function') {
      const resolved = await withTimeout(envs.resolveEnvironment(active), ACTIVATION_WAIT_MS).catch(() => undefined);
      const exe = resolved?.executable?.uri?.fsPath;
      if (exe) return exe;
    }
    return active.path;
  } catch {
    return undefined;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); })])
    .finally(() => clearTimeout(timer));
}
