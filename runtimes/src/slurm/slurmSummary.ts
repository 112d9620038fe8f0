/**
 * The one sentence for a finished Slurm job, in Slurm's words: "FAILED with exit code 3",
 * "task 1 OUT_OF_MEMORY, task 2 FAILED (exit 2); 997 others COMPLETED".
 */
import type { SlurmTask } from './slurmTasks';

function how(t: SlurmTask): string {
  const s = t.slurmState;
  if (s === 'COMPLETED') return 'COMPLETED';
  if (s === 'TIMEOUT') return 'TIMEOUT (reached its time limit)';
  if (s === 'CANCELLED') return t.startTime ? 'CANCELLED' : 'CANCELLED before it started';
  if (t.exit?.code !== undefined && t.exit.code !== null && t.exit.code !== 0) return `${s} with exit code ${t.exit.code}`;
  if (t.exit?.signal) return `${s} (${t.exit.signal})`;
  return t.reason ? `${s} (${t.reason})` : s;
}

const LISTED = 4;

export function slurmSummary(jobId: string, tasks: readonly SlurmTask[], isArray: boolean): string {
  if (tasks.length === 0) return `job ${jobId}: no state known`;
  if (!isArray) return `job ${jobId} ${how(tasks[0]!)}`;
  const bad = tasks.filter((t) => t.slurmState !== 'COMPLETED');
  const good = tasks.length - bad.length;
  if (bad.length === 0) return `job ${jobId}: all ${tasks.length} tasks COMPLETED`;
  // Tasks cancelled before they started are many and alike: count them instead of listing.
  const notStarted = bad.filter((t) => t.slurmState === 'CANCELLED' && !t.startTime);
  const listedBad = bad.filter((t) => !notStarted.includes(t));
  const parts = listedBad.slice(0, LISTED).map((t) => `task ${t.task} ${how(t)}`);
  if (listedBad.length > LISTED) parts.push(`${listedBad.length - LISTED} more did not complete`);
  if (notStarted.length) parts.push(`${notStarted.length} task${notStarted.length === 1 ? '' : 's'} cancelled before starting`);
  return `job ${jobId}: ${parts.join(', ')}${good ? `; ${good} other${good === 1 ? '' : 's'} COMPLETED` : ''}`;
}
