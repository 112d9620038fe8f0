/**
 * The text of a job's details document: everything the entry knows, its tasks, and what Slurm
 * itself says (`scontrol show job`) when that could be asked. Plain strings, no `vscode`.
 */
import { signalWords } from '../../../runtimes/src/runtime';
import type { JobEntry, JobUnit } from './jobEntry';
import { entryFacts, slurmIdOf, unitDescription, unitLabel, unitsOf } from './jobPresentation';

/** What Slurm said: its output, or why there is none. */
export type SlurmView = { readonly text: string } | { readonly unavailable: string };

/** Units listed in full; the rest are counted (an array of 1,000 tasks stays readable). */
const MAX_UNITS = 200;

export function detailsText(entry: JobEntry, now: number, options: { unit?: JobUnit; slurm?: SlurmView } = {}): string {
  const lines: string[] = [];
  const title = options.unit ? `${unitLabel(options.unit)} of ${entry.name}` : entry.name;
  lines.push(title, '='.repeat(Math.min(title.length, 80)), '');
  if (options.unit) {
    const u = options.unit;
    lines.push(...table([
      ['Task ID', slurmIdOf(entry, u)],
      ...(u.jobId ? [['Own job ID', u.jobId] as [string, string]] : []),
      ['State', unitDescription(u, entry.cluster !== undefined)],
      ...(u.slurmState ? [['Slurm state', u.slurmState] as [string, string]] : []),
      ...(u.reason ? [['Reason', u.reason] as [string, string]] : []),
      ...(u.exit ? [['Exit', u.exit.signal ? signalWords(u.exit.signal) : `code ${u.exit.code}`] as [string, string]] : []),
    ]), '', 'Job', '---');
  }
  lines.push(...table(entryFacts(entry, now)));
  const units = unitsOf(entry);
  if (units.length && !options.unit) {
    lines.push('', `${units[0]!.kind === 'rank' ? 'Ranks' : 'Tasks'} (${units.length})`, '---');
    for (const u of units.slice(0, MAX_UNITS)) lines.push(`${unitLabel(u)}: ${unitDescription(u, entry.cluster !== undefined)}`);
    if (units.length > MAX_UNITS) lines.push(`… and ${units.length - MAX_UNITS} more`);
  }
  if (entry.request) lines.push('', 'Request (Resubmit repeats it)', '---', JSON.stringify(entry.request, null, 2));
  if (options.slurm) {
    lines.push('', 'scontrol show job', '---');
    lines.push('text' in options.slurm ? options.slurm.text.trimEnd() : `(${options.slurm.unavailable})`);
  }
  return `${lines.join('\n')}\n`;
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(0, ...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v}`);
}
