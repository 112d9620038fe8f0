/**
 * Hold and Release for pending Slurm jobs (`scontrol hold|release`): on the element clicked, or
 * on every job selected when several are. Jobs that cannot take the action are skipped; a
 * failure is told once with what did not work.
 */
import type * as vscode from 'vscode';
import type { CommandTable, Services } from '../services';
import type { JobEntry } from './jobEntry';
import { isHeld, slurmIdOf, unitsOf } from './jobPresentation';
import type { JobTreeElement, JobTreeProvider } from './jobTree';
import type { QueuePoller } from './queuePoller';

export interface HoldCommandContext {
  readonly services: Services;
  readonly tree: JobTreeProvider;
  readonly view: vscode.TreeView<JobTreeElement>;
  readonly poller: QueuePoller;
}

interface Target { readonly entry: JobEntry; readonly id: string }

export function holdCommands(ctx: HoldCommandContext): CommandTable {
  return {
    'hpcJobs.jobs.hold': (el?: JobTreeElement, els?: readonly JobTreeElement[]) => setHeld(ctx, true, el, els),
    'hpcJobs.jobs.release': (el?: JobTreeElement, els?: readonly JobTreeElement[]) => setHeld(ctx, false, el, els),
  };
}

/** The pending Slurm jobs or tasks the command acts on: the multi-selection, else the element, else the view's selection. */
function targets(ctx: HoldCommandContext, el: JobTreeElement | undefined, els: readonly JobTreeElement[] | undefined, held: boolean): Target[] {
  const nodes = els && els.length > 0 ? els : el ? [el] : ctx.view.selection;
  const out: Target[] = [];
  for (const node of nodes) {
    if (node.kind !== 'job' && node.kind !== 'task') continue;
    const entry = ctx.tree.entry(node.key);
    if (!entry?.cluster) continue;
    const unit = node.kind === 'task' ? unitsOf(entry).find((u) => u.index === node.index) : undefined;
    if ((unit?.state ?? entry.state) !== 'queued') continue;
    // Release only what is held; hold what is not yet (a task carries no held mark of its own).
    if (!unit && isHeld(entry) === held) continue;
    out.push({ entry, id: slurmIdOf(entry, unit) });
  }
  return out;
}

async function setHeld(ctx: HoldCommandContext, held: boolean, el: JobTreeElement | undefined, els: readonly JobTreeElement[] | undefined): Promise<void> {
  const prompter = ctx.services.prompter();
  const list = targets(ctx, el, els, held);
  if (list.length === 0) {
    void prompter.message('jobs.holdNothing', held ? 'Select pending Slurm jobs to hold.' : 'Select held Slurm jobs to release.', { severity: 'info' });
    return;
  }
  const failed: string[] = [];
  const clusters = new Set<string>();
  for (const t of list) {
    try {
      await ctx.services.clusters.get(t.entry.cluster!).setHeld(t.id, held);
      clusters.add(t.entry.cluster!);
    } catch (err) {
      failed.push(`${t.id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  for (const c of clusters) void ctx.poller.refreshCluster(c);
  if (failed.length) {
    void prompter.message('jobs.holdFailed', `Could not ${held ? 'hold' : 'release'} ${failed.length === 1 ? 'a job' : `${failed.length} jobs`}: ${failed.join('; ')}`, { severity: 'error' });
  }
}
