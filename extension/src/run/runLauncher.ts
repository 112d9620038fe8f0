/**
 * Starting a request the person has settled on: the file saved, the start (or submission)
 * under a cancellable progress notification, the output panel opened (or, for a run that reads
 * what is typed, its terminal), the request kept for Run Again. A failure to start is said with the runtimes' hint and, where one setting is the
 * usual fix, an "Open Settings" button; nothing is left running.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { requestFile, type JobEntry, type RunRequest } from '../jobs/jobEntry';
import type { Services } from '../services';
import { setInWorkspace, setting, updateSetting } from '../settings/settings';
import { settingId } from '../settings/settingTable';
import type { RunHandle } from '../../../runtimes/src/runtime';
import { openRunTerminal } from '../terminal/runTerminal';
import { openSetting } from '../ui/openSetting';
import { imports, interpreterWith, missingModuleIn } from './interpreterFix';
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
        const started = await this.services.start(request);
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
    if (handle && request.target === 'local' && request.spec.backend === 'sbatch-local') this.explainImportFailure(handle, request.spec.python, request.spec.script, entry.name);
    if (handle && runsInTerminal(request)) {
      // Whatever run.revealOutput says: the program waits for what is typed there.
      openRunTerminal(this.services, handle, entry.name);
    } else if (handle && setting('run.revealOutput')) {
      // Beside the file, which keeps the focus: the person goes on editing and running it.
      this.services.outputPanels.show(handle, {
        name: entry.name, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, startedAt: () => this.services.store.get(entry.key)?.startedAt,
      });
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

  /**
   * A failure, with what fixes it: "Use <interpreter>" when the run's Python lacks a module
   * another one here has (it writes the setting), and "Open Settings" on the tab that applies.
   */
  async showFailure(report: FailureReport, id = 'run.failed'): Promise<void> {
    const other = report.missing ? await interpreterWith(report.missing.module, report.missing.python) : undefined;
    const use = other ? `Use ${other}` : undefined;
    const actions = [...(use ? [use] : []), ...(report.setting ? [OPEN_SETTINGS] : [])];
    const choice = await this.services.prompter().message(id, report.text, { severity: 'error' }, ...actions);
    if (choice === use && other) await this.useInterpreter(other);
    else if (choice === OPEN_SETTINGS && report.setting) await openSetting(this.services.context, report.setting);
  }

  /** Writes hpcJobs.python.interpreter where it takes effect: over a workspace value if there is one. */
  private async useInterpreter(python: string): Promise<void> {
    const target = setInWorkspace('python.interpreter') ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await updateSetting('python.interpreter', python, target);
    void this.services.prompter().message('run.interpreterSet', `Local runs now use ${python} (hpcJobs.python.interpreter). Run again to use it.`, { severity: 'info' });
  }

  /**
   * A batch script gets the interpreter as $PYTHON, but what it runs is its own business: when
   * a local batch run fails and its output says a module is missing that this interpreter
   * cannot import (the check a Python file's run makes before starting), say so, with the fix.
   */
  private explainImportFailure(handle: RunHandle, python: string | undefined, script: string, name: string): void {
    let missing: string | undefined;
    const watch = handle.onDidOutput((lines) => {
      for (const l of lines) {
        missing = missingModuleIn(l.text);
        if (missing) { watch.dispose(); return; }
      }
    });
    void handle.result.then(async (r) => {
      watch.dispose();
      // A program that fails at once may have printed before this window listened: its last lines are kept.
      for (const l of handle.tail?.() ?? []) missing ??= missingModuleIn(l.text);
      if (r.state !== 'failed' || !missing) return;
      const used = python ?? 'python3';
      if (await imports(used, missing)) return; // something else in the script failed to import it: not ours to say
      if (!usesPythonVariable(script)) {
        // The setting cannot help a script that names its own Python: say which one would.
        const other = await interpreterWith(missing, used);
        await this.services.prompter().message('run.importFailed',
          `${name} failed: its program could not import ${missing}. The script runs its own Python, not "\${PYTHON:-python3}", ` +
          `so the interpreter setting does not reach it${other ? `; ${other} can import ${missing}` : ''}.`, { severity: 'error' });
        return;
      }
      await this.showFailure({
        text: `${name} failed: its program could not import ${missing}, and ${used}, the Python it was given as $PYTHON, cannot import ${missing}.`,
        setting: settingId('python.interpreter'),
        missing: { module: missing, python: used },
      }, 'run.importFailed');
    });
  }
}

/** Whether a command of the batch script reads $PYTHON (`$PYTHON`, `${PYTHON:-python3}`; comments aside): only then does the setting reach it. */
function usesPythonVariable(script: string): boolean {
  try {
    // Bounded: a batch script is small; anything else is not worth reading to word a notice.
    if (statSync(script).size > 1024 * 1024) return false;
    const commands = readFileSync(script, 'utf8').split('\n').filter((l) => !/^\s*#/.test(l));
    return commands.some((l) => /\$\{?PYTHON\b/.test(l));
  } catch {
    return false;
  }
}

/** VS Code's convention for running a file: save it first. False when it could not be saved. */
async function saveIfDirty(file: string): Promise<boolean> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (!doc?.isDirty) return true;
  return doc.save();
}
