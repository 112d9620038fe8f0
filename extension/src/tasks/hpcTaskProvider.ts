/**
 * Tasks of type `hpc`: offered for the Python files and batch scripts of the workspace (those
 * open in an editor, and the first ones `findFiles` returns — looked up once, then kept until a
 * file is added or removed), and resolved from any definition in tasks.json. Each runs in a
 * terminal through the job store, so it also shows in the Jobs view; its exit code is the run's.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { requestLocation } from '../jobs/jobEntry';
import { describeFailure } from '../run/launchFailure';
import { pythonFor } from '../run/pythonSelection';
import type { Services } from '../services';
import { setting } from '../settings/settings';
import { RunPseudoterminal, type RunStarter } from '../terminal/runTerminal';
import { checkTrusted, UNTRUSTED_MESSAGE } from '../ui/trust';
import { offeredDefinitions, requestFromDefinition, TASK_TYPE, taskLabel, type HpcTaskDefinition, type TaskSettings } from './taskDefinition';

/** Files looked at beyond the open ones: enough for a project's entry points, cheap to list. */
const MAX_FILES = 50;
const CANDIDATES = '**/*.{py,slurm,sbatch}';
const EXCLUDED = '**/{node_modules,.git,.venv,venv,env,__pycache__,site-packages,.tox,build,dist}/**';
/** Only the start of a file is read to decide which tasks it gets. */
const MAX_READ_BYTES = 64 * 1024;
/** Exit codes as the CLI gives them: 2 a definition that cannot run, 125 a run that could not start. */
const EXIT_INVALID = 2;
const EXIT_NOT_STARTED = 125;

/** Registers the `hpc` task type's provider for the extension's lifetime. */
export function registerTaskProvider(services: Services): void {
  const provider = new HpcTaskProvider(services);
  services.context.subscriptions.push(provider, vscode.tasks.registerTaskProvider(TASK_TYPE, provider));
}

export class HpcTaskProvider implements vscode.TaskProvider, vscode.Disposable {
  private files: Thenable<readonly vscode.Uri[]> | undefined;
  /** Offered definitions per file, until the file changes. */
  private readonly offered = new Map<string, Promise<HpcTaskDefinition[]>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly services: Services) {}

  async provideTasks(): Promise<vscode.Task[]> {
    this.watchOnce();
    const open = vscode.window.visibleTextEditors.map((e) => e.document.uri);
    // Not cancelled with one call's token: the list is kept for the next calls.
    this.files ??= vscode.workspace.findFiles(CANDIDATES, EXCLUDED, MAX_FILES);
    const found = await this.files.then(undefined, () => { this.files = undefined; return [] as vscode.Uri[]; });
    const seen = new Set<string>();
    const tasks: vscode.Task[] = [];
    for (const uri of [...open, ...found]) {
      if (uri.scheme !== 'file' || seen.has(uri.toString())) continue;
      seen.add(uri.toString());
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) continue;
      for (const def of await this.definitionsFor(uri, folder)) {
        const task = this.task(def, folder, taskLabel(def));
        task.detail = def.file; // two main.py in different folders
        tasks.push(task);
      }
    }
    return tasks;
  }

  /** Any `hpc` definition (tasks.json): checked when it runs, so a wrong one says why there. */
  resolveTask(task: vscode.Task): vscode.Task | undefined {
    if (task.definition.type !== TASK_TYPE) return undefined;
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    // VS Code matches the resolved task to tasks.json by its definition: hand back the same object.
    return this.task(task.definition, folder, task.name);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /**
   * What invalidates the lists kept between calls, set up when there first are lists: at the
   * first `provideTasks`, not at activation (a file watcher is a message to the window).
   */
  private watchOnce(): void {
    if (this.disposables.length > 0) return;
    const watcher = vscode.workspace.createFileSystemWatcher(CANDIDATES);
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => { this.files = undefined; }),
      watcher.onDidDelete((uri) => { this.files = undefined; this.offered.delete(uri.toString()); }),
      watcher.onDidChange((uri) => this.offered.delete(uri.toString())),
      vscode.workspace.onDidChangeWorkspaceFolders(() => { this.files = undefined; this.offered.clear(); }),
      // Submit tasks follow the configured clusters.
      this.services.clusters.onDidChange(() => this.offered.clear()),
    );
  }

  private definitionsFor(uri: vscode.Uri, folder: vscode.WorkspaceFolder): Promise<HpcTaskDefinition[]> {
    const key = uri.toString();
    let defs = this.offered.get(key);
    if (!defs) {
      defs = readStart(uri).then((text) => offeredDefinitions(path.relative(folder.uri.fsPath, uri.fsPath), text, this.services.clusters.names));
      this.offered.set(key, defs);
    }
    return defs;
  }

  private task(definition: vscode.TaskDefinition, folder: vscode.WorkspaceFolder, name: string): vscode.Task {
    const execution = new vscode.CustomExecution((resolved) =>
      Promise.resolve(new RunPseudoterminal(taskStarter(this.services, resolved, folder), { closeOnExit: true })));
    const task = new vscode.Task(definition, folder, name, 'HPC Jobs', execution);
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
    return task;
  }
}

/** The text of an open document, or the start of the file on disk. */
async function readStart(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, MAX_READ_BYTES)).toString('utf8');
  } catch {
    return '';
  }
}

/** Checks the definition (variables already substituted by VS Code), then starts it through the store. */
function taskStarter(services: Services, definition: vscode.TaskDefinition, folder: vscode.WorkspaceFolder): RunStarter {
  return async () => {
    if (!checkTrusted(services.prompter())) return { error: UNTRUSTED_MESSAGE, exitCode: EXIT_INVALID };
    const built = requestFromDefinition(definition, {
      folder: folder.uri.fsPath,
      clusters: services.clusters.names,
      settings: await taskSettings(definition, folder),
    });
    if (!built.ok) return { error: `This hpc task cannot run: ${built.message}\nNothing was started.`, exitCode: EXIT_INVALID };
    const name = path.basename(built.file);
    try {
      const entry = await services.start(built.request);
      const handle = services.store.handle(entry.key);
      if (!handle) return { error: `${name} started (${entry.key}) but its run cannot be followed here.`, exitCode: EXIT_NOT_STARTED };
      services.log.appendLine(`${name}: ${entry.key} started by a task (${requestLocation(built.request)})`);
      return { handle, note: `${built.label} on ${requestLocation(built.request)}` };
    } catch (err) {
      services.log.appendLine(`${name}: the task could not start it: ${err instanceof Error ? err.message : String(err)}`);
      return { error: describeFailure(err, built.request, name).text, exitCode: EXIT_NOT_STARTED };
    }
  };
}

async function taskSettings(definition: vscode.TaskDefinition, folder: vscode.WorkspaceFolder): Promise<TaskSettings> {
  const file = typeof definition.file === 'string' ? vscode.Uri.file(path.resolve(folder.uri.fsPath, definition.file)) : folder.uri;
  const local = definition.backend !== 'slurm';
  const mpirun = setting('mpi.launcher', folder.uri).trim();
  return {
    ...(local ? { python: await pythonFor(file) } : {}),
    ...(mpirun ? { mpirun } : {}),
    rankOutput: setting('mpi.rankOutput', folder.uri),
    cudaSim: setting('gpu.useSimulator', folder.uri) === 'always',
  };
}
