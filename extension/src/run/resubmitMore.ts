/**
 * "Resubmit with More Memory / Time" for a job that ran out of it: the same script, with the
 * raised value on sbatch's command line (it overrides the #SBATCH line), after the user has seen
 * the change.
 */
import { readFileSync } from 'node:fs';
import type { JobEntry } from '../jobs/jobEntry';
import type { Services } from '../services';
import { checkTrusted } from '../ui/trust';
import { raisedOptions } from './jobSizing';

function keyOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && typeof (arg as { key?: unknown }).key === 'string') return (arg as { key: string }).key;
  return undefined;
}

export async function resubmitWithMore(services: Services, arg: unknown): Promise<JobEntry | undefined> {
  const prompter = services.prompter();
  if (!checkTrusted(prompter)) return undefined;
  const key = keyOf(arg);
  const entry = key ? services.store.get(key) : undefined;
  const request = entry?.request;
  if (!entry || request?.target !== 'slurm' || !entry.outcome) {
    void prompter.message('jobs.resubmitMoreNone', 'Only a batch script submitted from VS Code, whose figures are known, can be resubmitted with more.', { severity: 'info' });
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(request.script, 'utf8');
  } catch (err) {
    void prompter.message('jobs.resubmitMoreFailed', `Cannot read ${request.script}: ${err instanceof Error ? err.message : String(err)}`, { severity: 'error' });
    return undefined;
  }
  const raise = raisedOptions(text, entry.outcome, entry.state === 'timedOut' || entry.outcome.timedOut === true);
  if (!raise) {
    void prompter.message('jobs.resubmitMoreNone', `${entry.name} did not run out of memory or time: nothing to raise.`, { severity: 'info' });
    return undefined;
  }
  const GO = 'Resubmit';
  const answer = await prompter.message('jobs.resubmitMore',
    `Resubmit ${entry.name} to "${request.cluster}" with ${raise.changes.join(' and ')}? The script itself is not changed: the options go on sbatch's command line.`,
    { severity: 'info', modal: true }, GO);
  if (answer !== GO) return undefined;
  // A raised option replaces one given on the command line before.
  const flags = new Set(raise.options.map((o) => o.split('=')[0]));
  const kept = (request.sbatchOptions ?? []).filter((o) => !flags.has(o.split('=')[0]!));
  try {
    return await services.start({ ...request, sbatchOptions: [...kept, ...raise.options] });
  } catch (err) {
    void prompter.message('jobs.resubmitFailed', `Could not resubmit ${entry.name}: ${err instanceof Error ? err.message : String(err)}`, { severity: 'error' });
    return undefined;
  }
}
