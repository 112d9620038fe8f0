/**
 * The run commands: Run in Parallel…, Run Again, Run Batch Script Locally, Submit Batch
 * Script…, and the CodeLens over batch scripts that calls the last two. Activation only wires
 * them; MPI and GPUs are looked for on first use.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findMpirun, queryGpus } from '../../../runtimes/src/index';
import { describeEstimate, type StartEstimate } from '../../../runtimes/src/slurm/index';
import { pickCluster } from '../clusters/clusterPick';
import type { JobEntry, RunRequest } from '../jobs/jobEntry';
import { ScriptHistory } from '../jobs/scriptHistory';
import type { CommandTable, Services } from '../services';
import { setting, settingChanged, updateSetting } from '../settings/settings';
import type { Prompter } from '../ui/prompter';
import { checkTrusted } from '../ui/trust';
import { BATCH_SCRIPT_SELECTOR } from '../batchScriptDocuments';
import { BatchScriptLenses } from './batchScriptLens';
import { pythonFor } from './pythonSelection';
import { RunDetection } from './runDetection';
import { askRunRequest, type RunSettings } from './runFlow';
import { RunLauncher } from './runLauncher';
import { RunMemory } from './runMemory';
import { resubmitWithMore } from './resubmitMore';
import { applyRightSize, RightSizeLenses } from './rightSizeLens';
import type { Suggestion } from './jobSizing';
import { fileKindOf, type FileKind } from './runTargets';

interface RunFile {
  readonly uri: vscode.Uri;
  readonly file: string;
  readonly name: string;
  readonly text: string;
  readonly kind: FileKind;
}

/** The run area: its commands, and the one way a request is started (Resubmit uses it too). */
export interface RunArea {
  readonly commands: CommandTable;
  /** Saves the file, starts the request, opens its output: as a first run does. */
  launch(request: RunRequest): Promise<JobEntry | undefined>;
}

/** Builds the run area and registers its CodeLens providers; `activate` registers the commands. */
export function createRunArea(services: Services): RunArea {
  const memory = new RunMemory(services.context.workspaceState);
  const detection = new RunDetection(() => ({ mpiLauncher: runSettings().mpiLauncher, findMpirun, queryGpus: () => queryGpus() }));
  const launcher = new RunLauncher(services, memory);
  const lenses = new BatchScriptLenses(services.clusters);
  const rightSizeLenses = new RightSizeLenses(new ScriptHistory(services.context.workspaceState), services.store, services.clusters);
  services.context.subscriptions.push(
    lenses, rightSizeLenses,
    vscode.languages.registerCodeLensProvider(BATCH_SCRIPT_SELECTOR, lenses),
    vscode.languages.registerCodeLensProvider(BATCH_SCRIPT_SELECTOR, rightSizeLenses),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (settingChanged(e, 'mpi.launcher')) detection.invalidate();
    }),
  );

  async function start(arg?: unknown): Promise<JobEntry | undefined> {
    const prompter = services.prompter();
    if (!checkTrusted(prompter)) return undefined;
    const target = await runFile(arg, prompter);
    if (!target) return undefined;
    if (target.kind === 'other') {
      void prompter.message('run.unsupported', `HPC Jobs runs Python files, batch scripts and shell scripts; ${target.name} is none of these.`, { severity: 'info' });
      return undefined;
    }
    const outcome = await askRunRequest({
      prompter, file: target.file, kind: target.kind, text: target.text, detection, clusters: services.clusters.allStatuses(), memory,
      settings: runSettings(target.uri),
      python: () => pythonFor(target.uri),
      alwaysSimulate: () => updateSetting('gpu.useSimulator', 'always', vscode.ConfigurationTarget.Global),
    });
    if (!outcome) return undefined;
    if ('failure' in outcome) { await launcher.showFailure(outcome.failure); return undefined; }
    return launcher.launch(outcome.request);
  }

  async function scriptLocally(arg?: unknown): Promise<JobEntry | undefined> {
    const prompter = services.prompter();
    if (!checkTrusted(prompter)) return undefined;
    const script = await batchScript(arg, prompter);
    if (!script) return undefined;
    const python = await pythonFor(script.uri);
    return launcher.launch({ target: 'local', spec: { backend: 'sbatch-local', script: script.file, cwd: path.dirname(script.file), python } });
  }

  async function submitScript(arg?: unknown, clusterArg?: unknown): Promise<JobEntry | undefined> {
    const prompter = services.prompter();
    if (!checkTrusted(prompter)) return undefined;
    const script = await batchScript(arg, prompter);
    if (!script) return undefined;
    const cluster = await chooseCluster(prompter, clusterArg, script.name);
    if (!cluster) return undefined;
    return launcher.launch({ target: 'slurm', cluster, script: script.file });
  }

  function chooseCluster(prompter: Prompter, arg: unknown, name: string, action = 'Submit'): Promise<string | undefined> {
    return pickCluster(services.clusters, prompter, arg, {
      title: action === 'Submit' ? `Submit ${name} to` : `${action} ${name} would start on`,
      noneMessage: `No Slurm cluster is configured to submit ${name} to.`,
    });
  }

  /**
   * Estimate Start: `sbatch --test-only` on the cluster with the script as the editor has it.
   * Nothing is uploaded or submitted; the answer offers to submit.
   */
  async function estimateStart(arg?: unknown, clusterArg?: unknown): Promise<StartEstimate | undefined> {
    const prompter = services.prompter();
    if (!checkTrusted(prompter)) return undefined;
    const script = await batchScript(arg, prompter);
    if (!script) return undefined;
    const cluster = await chooseCluster(prompter, clusterArg, script.name, 'Estimate when');
    if (!cluster) return undefined;
    const text = (await vscode.workspace.openTextDocument(vscode.Uri.file(script.file))).getText();
    let estimate: StartEstimate;
    try {
      estimate = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Asking "${cluster}" when ${script.name} would start…` },
        () => services.clusters.get(cluster).estimateStart(text));
    } catch (err) {
      void prompter.message('run.estimateFailed', `Slurm on "${cluster}" would not start ${script.name}: ${err instanceof Error ? err.message : String(err)}`, { severity: 'error' });
      return undefined;
    }
    const SUBMIT = 'Submit';
    void prompter.message('run.estimate',
      `${script.name} would start ${describeEstimate(estimate, Date.now())} on "${cluster}". Slurm's estimate assumes running jobs use their whole time limit, so it is often pessimistic.`,
      { severity: 'info' }, SUBMIT).then((choice) => { if (choice === SUBMIT) void submitScript(vscode.Uri.file(script.file), cluster); });
    return estimate;
  }

  /** The file for Run Batch Script Locally / Submit: it must be a batch script. */
  async function batchScript(arg: unknown, prompter: Prompter): Promise<RunFile | undefined> {
    const f = await runFile(arg, prompter);
    if (!f || f.kind === 'batch') return f;
    void prompter.message('run.notBatchScript', `${f.name} has no #SBATCH lines: it is not a batch script. Use HPC Jobs: Run in Parallel… to run it.`, { severity: 'info' });
    return undefined;
  }

  const commands: CommandTable = {
    'hpcJobs.run.start': start,
    'hpcJobs.run.again': async () => {
      if (!checkTrusted(services.prompter())) return undefined;
      return launcher.again();
    },
    'hpcJobs.run.scriptLocally': scriptLocally,
    'hpcJobs.run.submitScript': submitScript,
    'hpcJobs.run.estimateStart': estimateStart,
    'hpcJobs.run.resubmitWithMore': (arg?: unknown) => resubmitWithMore(services, arg),
    'hpcJobs.run.rightSize': (uri: vscode.Uri, suggestion: Suggestion) => applyRightSize(uri, suggestion),
  };
  return { commands, launch: (request) => launcher.launch(request) };
}

function runSettings(scope?: vscode.Uri): RunSettings {
  return {
    useSimulator: setting('gpu.useSimulator', scope),
    mpiLauncher: setting('mpi.launcher', scope).trim(),
    rankOutput: setting('mpi.rankOutput', scope),
  };
}

/**
 * The file a command was given (explorer, editor title, CodeLens) or the active editor's; an
 * unsaved new file is saved first, since a run needs it on disk.
 */
async function runFile(arg: unknown, prompter: Prompter): Promise<RunFile | undefined> {
  let uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void prompter.message('run.noFile', 'Open a Python file, batch script or shell script to run it.', { severity: 'info' });
    return undefined;
  }
  if (uri.scheme === 'untitled') {
    uri = await vscode.workspace.save(uri);
    if (!uri) return undefined;
  }
  const name = path.basename(uri.path);
  if (uri.scheme !== 'file') {
    void prompter.message('run.notLocal', `${name} is not a file on this machine; HPC Jobs runs files from disk.`, { severity: 'info' });
    return undefined;
  }
  const file = uri.fsPath;
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  let text: string;
  try {
    text = open ? open.getText() : readFileSync(file, 'utf8');
  } catch (err) {
    void prompter.message('run.noFile', `Cannot read ${name}: ${err instanceof Error ? err.message : String(err)}`, { severity: 'error' });
    return undefined;
  }
  return { uri, file, name, text, kind: fileKindOf(file, text) };
}
