/**
 * What runs things, loaded (out/run.js) when it is first needed: the run commands (Run in
 * Parallel…, Run Again, Run Batch Script Locally, Submit Batch Script…) with the CodeLens over
 * batch scripts, and the local launchers with the script checks they share with the linter.
 * That is on the first run command, the first local run, or once a batch script or shell script
 * is open (its CodeLens is wanted then).
 */
import type { RunHandle } from '../../../runtimes/src/runtime';
import type { JobEntry, RunRequest } from '../jobs/jobEntry';
import type { LocalRunSpec } from '../../../runtimes/src/runSpec';
import { BATCH_SCRIPT_SELECTOR } from '../batchScriptDocuments';
import { lazyBundle, whenDocumentOpen } from './lazyBundle';
import type * as RunBundle from './lazyRunBundle';
import type { CommandTable, Services } from '../services';

const runBundle = lazyBundle<typeof RunBundle>('run');

/** The run commands' prefix: the manifest's commands with it are the run area's. */
const RUN_COMMAND_PREFIX = 'hpcJobs.run.';

/** run/localLaunch.ts: checks the spec and starts the run (rejects with a LaunchError when it cannot). */
export async function launchLocal(spec: LocalRunSpec): Promise<RunHandle> {
  return runBundle().launchLocal(spec);
}

/**
 * Registers nothing of the run area yet: returns a handler for each run command the manifest
 * declares, each loading the area (createRunArea, once) before it hands over, and the
 * area's launch (Resubmit starts a request as a first run does).
 */
export function lazyRunArea(services: Services): { readonly commands: CommandTable; launch(request: RunRequest): Promise<JobEntry | undefined> } {
  let area: RunBundle.RunArea | undefined;
  const load = (): RunBundle.RunArea => (area ??= runBundle().createRunArea(services));
  services.context.subscriptions.push(whenDocumentOpen(BATCH_SCRIPT_SELECTOR, () => { load(); }));

  const declared = (services.context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } })
    .contributes?.commands?.map((c) => c.command).filter((id) => id.startsWith(RUN_COMMAND_PREFIX)) ?? [];
  const commands = Object.fromEntries(declared.map((id) => [id, (...args: never[]) => {
    const handler = load().commands[id];
    if (!handler) throw new Error(`HPC Jobs: the command ${id} is declared but the run commands do not handle it.`);
    return handler(...args);
  }]));
  return { commands, launch: (request) => load().launch(request) };
}
