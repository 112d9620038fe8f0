/** The words of the notification when a job or run ends, and its actions. No `vscode` here. */
import { signalWords } from '../../../runtimes/src/runtime';
import type { JobEntry } from './jobEntry';
import { formatElapsed } from './jobPresentation';

/** The notice for an ended entry, and its actions (pure: tested without VS Code). */
export function endNotice(e: JobEntry): { text: string; severity: 'info' | 'warning' | 'error'; actions: string[] } {
  const where = e.cluster ? ` (job ${e.id} on "${e.cluster}")` : '';
  const ran = e.endedAt !== undefined ? e.endedAt - (e.startedAt ?? e.submittedAt) : undefined;
  const how = e.state === 'succeeded' ? 'succeeded' : e.state === 'timedOut' ? 'hit its time limit' : e.state === 'cancelled' ? 'was cancelled' : e.outcome?.outOfMemory ? 'ran out of memory' : 'failed';
  const exit = e.state === 'failed' && e.exits?.length === 1 && !e.outcome?.outOfMemory
    ? e.exits[0]!.signal ? `, ${signalWords(e.exits[0]!.signal)}` : e.exits[0]!.code !== null ? `, exit code ${e.exits[0]!.code}` : '' : '';
  const figures = e.outcome?.badge ? `: ${e.outcome.badge}` : e.summary && e.state !== 'succeeded' ? `: ${e.summary}` : '';
  const text = `${e.name}${where} ${how}${ran !== undefined && ran >= 1000 ? ` after ${formatElapsed(ran)}` : ''}${exit}${figures}`;
  const actions = ['Show Output'];
  if (e.request?.target === 'slurm' && (e.outcome?.outOfMemory || e.state === 'timedOut' || e.outcome?.timedOut)) {
    actions.push(e.outcome?.outOfMemory ? 'Resubmit with More Memory' : 'Resubmit with More Time');
  } else if (e.request) {
    actions.push(e.request.target === 'local' ? 'Run Again' : 'Resubmit');
  }
  const severity = e.state === 'succeeded' ? 'info' : e.state === 'cancelled' ? 'info' : e.state === 'timedOut' || e.outcome?.outOfMemory ? 'warning' : 'error';
  return { text, severity, actions };
}
