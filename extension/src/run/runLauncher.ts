/**
 * Starting a request the person has settled on: the file saved, the start (or submission)
 * under a cancellable progress notification, the output panel opened (or, for a run that reads
 * what is typed, its terminal), the request kept for Run Again. A failure to start is said with the runtimes' hint and, where one setting is the
 * usual fix, an "Open Settings" button; nothing is left running.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { requestFile, type JobEntry, type RunRequest } from '../jobs/jobEntry';
import type { Services } from '../services';
import { openRunTerminal } from '../terminal/runTerminal';
import { describeFailure, type FailureReport } from './launchFailure';
import type { RunMemory } from './runMemory';
import { runsInTerminal } from './terminalTarget';

export const HAS_LAST_RUN_CONTEXT = 'hpcJobs.hasLastRun';
const OPEN_SETTINGS = 'Open Settings';

export class RunLauncher {
  constructor(private readonly services: Services, private readonly memory: RunMemory) {
    void vscode.commands.executeCommand('setContext', HAS_LAST_RUN_CONTEXT, memory.lastRequest() !== undefined);
  }

  /** Resolves with the job once it runs or is queued; undefined when it did not start. */
  async launch(request: RunRequest): Promise<JobEntry | undefined> {
    const file = requestFile(request);
    const name = path.basename(file);
    if (!(await saveIfDirty(file))) {
      void this.services.prompter().message('run.notSaved', `${name} has unsaved changes that could not be saved; nothing was run.`, { severity: 'warning' });
      return undefined;
    }
    const title = request.target === 'local' ? `Starting ${name}…` : `Submitting ${name} to ${request.cluster}…`;
    let entry: JobEntry | undefined;
    try {
      entry = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
        const started = await this.services.store.start(request);
        // Starting cannot be interrupted half way; a cancel that came meanwhile ends the run at once.
        if (token.isCancellationRequested) {
          await this.services.store.cancel(started.key).catch((e: unknown) => this.services.log.appendLine(`cancelling ${started.key}: ${String(e)}`));
          return undefined;
        }
        return started;
      });
    } catch (err) {
      this.services.log.appendLine(`${name}: could not start: ${err instanceof Error ? err.message : String(err)}`);
      await this.showFailure(describeFailure(err, request, name));
      return undefined;
    }
    if (!entry) return undefined;
    await this.memory.rememberRequest(request);
    void vscode.commands.executeCommand('setContext', HAS_LAST_RUN_CONTEXT, true);
    this.services.log.appendLine(`${entry.name}: ${entry.key} started (${request.target === 'local' ? request.spec.backend : `cluster ${request.cluster}`})`);
    const handle = this.services.store.handle(entry.key);
    if (handle && runsInTerminal(request)) {
      // Whatever run.revealOutput says: the program waits for what is typed there.
      openRunTerminal(this.services, handle, entry.name);
    } else if (handle && vscode.workspace.getConfiguration('hpcJobs').get<boolean>('run.revealOutput', true)) {
      // Beside the file, which keeps the focus: the person goes on editing and running it.
      this.services.outputPanels.show(handle, { name: entry.name, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    }
    return entry;
  }

  /** The last request that started, again. */
  async again(): Promise<JobEntry | undefined> {
    const last = this.memory.lastRequest();
    if (!last) {
      void this.services.prompter().message('run.noLastRun', 'Nothing has been run in this workspace yet: use HPC Jobs: Run in Parallel… first.', { severity: 'info' });
      return undefined;
    }
    return this.launch(last);
  }

  async showFailure(report: FailureReport): Promise<void> {
    const actions = report.setting ? [OPEN_SETTINGS] : [];
    const choice = await this.services.prompter().message('run.failed', report.text, { severity: 'error' }, ...actions);
    if (choice === OPEN_SETTINGS && report.setting) await vscode.commands.executeCommand('workbench.action.openSettings', report.setting);
  }
}

/** VS Code's convention for running a file: save it first. False when it could not be saved. */
async function saveIfDirty(file: string): Promise<boolean> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (!doc?.isDirty) return true;
  return doc.save();
}
