/**
 * The job tree's commands. Each takes the tree element it was invoked on (context menu,
 * inline button); from the palette or a keybinding, the view's selection. Failures are told
 * through the prompter, and change nothing.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { CommandTable, Services } from '../services';
import { checkTrusted } from '../ui/trust';
import { isFinal, type JobEntry, type JobUnit, type RunRequest } from './jobEntry';
import type { JobDetails } from './jobDetails';
import { formatElapsed, slurmIdOf, unitsOf } from './jobPresentation';
import type { JobTreeElement, JobTreeProvider } from './jobTree';
import type { QueuePoller } from './queuePoller';

export interface JobCommandContext {
  readonly services: Services;
  readonly tree: JobTreeProvider;
  readonly view: vscode.TreeView<JobTreeElement>;
  readonly poller: QueuePoller;
  readonly details: JobDetails;
  /** Starts a request as a first run does: file saved, output panel opened, kept for Run Again. */
  readonly launch: (request: RunRequest) => Promise<JobEntry | undefined>;
}

export interface Target {
  readonly entry: JobEntry;
  readonly unit?: JobUnit;
  /** In this window's store (not another user's job seen in the queue). */
  readonly mine: boolean;
}

export function jobCommands(ctx: JobCommandContext): CommandTable {
  return {
    'hpcJobs.jobs.refresh': () => refresh(ctx),
    'hpcJobs.jobs.cancel': (el?: JobTreeElement, selected?: readonly JobTreeElement[]) => cancel(ctx, el, selected),
    'hpcJobs.jobs.showOutput': (el?: JobTreeElement) => showOutput(ctx, el),
    'hpcJobs.jobs.openScript': (el?: JobTreeElement) => openScript(ctx, el),
    'hpcJobs.jobs.resubmit': (el?: JobTreeElement) => resubmit(ctx, el),
    'hpcJobs.jobs.copyId': (el?: JobTreeElement) => copyId(ctx, el),
    'hpcJobs.jobs.showDetails': (el?: JobTreeElement) => showDetails(ctx, el),
    'hpcJobs.jobs.remove': (el?: JobTreeElement) => remove(ctx, el),
    'hpcJobs.jobs.clearFinished': () => ctx.services.store.clearFinished(),
    'hpcJobs.jobs.showAllUsers': () => ctx.poller.setAllUsers(true),
    'hpcJobs.jobs.showMine': () => ctx.poller.setAllUsers(false),
  };
}

function say(ctx: JobCommandContext, id: string, text: string, severity: 'info' | 'warning' | 'error' = 'info'): void {
  void ctx.services.prompter().message(id, text, { severity });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The job or task a command acts on: the element given, else the view's selection. */
function target(ctx: JobCommandContext, element: JobTreeElement | undefined, action: string): Target | undefined {
  const node = element ?? ctx.view.selection[0];
  if (!node || (node.kind !== 'job' && node.kind !== 'task')) {
    say(ctx, 'jobs.noSelection', `Select a job in the Jobs view to ${action}.`);
    return undefined;
  }
  const entry = ctx.tree.entry(node.key);
  if (!entry) {
    say(ctx, 'jobs.gone', 'That job is no longer in the list.', 'warning');
    return undefined;
  }
  const mine = ctx.services.store.get(node.key) !== undefined;
  if (node.kind === 'job') return { entry, mine };
  const unit = unitsOf(entry).find((u) => u.index === node.index);
  if (!unit) {
    say(ctx, 'jobs.gone', `Task ${node.index} of ${entry.name} is no longer listed.`, 'warning');
    return undefined;
  }
  return { entry, unit, mine };
}

async function refresh(ctx: JobCommandContext): Promise<void> {
  const { store, clusters } = ctx.services;
  ctx.tree.refresh();
  // Jobs followed by this window: their cluster's one squeue now, not at the next poll.
  const following = new Set(store.all().filter((e) => e.cluster && !isFinal(e.state) && store.handle(e.key)).map((e) => e.cluster!));
  await Promise.all([ctx.poller.refreshNow(true), ...[...following].map((c) => clusters.get(c).refresh())]);
}

/**
 * Cancels what the command was given: the row clicked, or every selected row when the click
 * was on a selection of several. A Slurm job that is pending or running is asked about first,
 * with what cancelling it throws away; a selection is asked about once. A local run stays one
 * click: it is this window's own, and Run Again restarts it.
 */
async function cancel(ctx: JobCommandContext, element: JobTreeElement | undefined, selected: readonly JobTreeElement[] | undefined): Promise<void> {
  const nodes = selected && selected.length > 1 && (!element || selected.includes(element)) ? selected
    : element ? [element] : ctx.view.selection.length > 1 ? ctx.view.selection : [undefined];
  const targets = nodes.map((n) => target(ctx, n, 'cancel')).filter((t): t is Target => t !== undefined && !isFinal(t.unit?.state ?? t.entry.state));
  if (targets.length === 0) return;
  const question = cancelQuestion(targets, Date.now());
  if (question) {
    const answer = await ctx.services.prompter().message('jobs.cancel', question.text,
      { severity: 'warning', modal: true, cancelLabel: question.keep }, question.yes);
    if (answer !== question.yes) return;
  }
  await Promise.all(targets.map((t) => cancelOne(ctx, t)));
}

function whatOf(t: Target): string {
  return t.unit ? `task ${slurmIdOf(t.entry, t.unit)}` : t.entry.cluster ? `job ${t.entry.id} (${t.entry.name})` : t.entry.name;
}

/** What cancelling a Slurm job throws away: the time it has run, or its place in the queue. */
function sinceWords(t: Target, now: number): string {
  const state = t.unit?.state ?? t.entry.state;
  if (state === 'queued') return t.entry.reason && !t.unit ? `It is pending (${t.entry.reason}).` : 'It is pending.';
  return t.entry.startedAt !== undefined ? `It has run ${formatElapsed(now - t.entry.startedAt)}.` : 'It is running.';
}

/** The one question for these targets; undefined when none is a Slurm job (local runs go at once). */
export function cancelQuestion(targets: readonly Target[], now: number): { text: string; yes: string; keep: string } | undefined {
  const slurm = targets.filter((t) => t.entry.cluster !== undefined);
  if (slurm.length === 0) return undefined;
  if (targets.length === 1) {
    const t = targets[0]!;
    const open = t.unit ? 0 : unitsOf(t.entry).filter((u) => !isFinal(u.state)).length;
    if (open > 1) {
      return { text: `Cancel all ${open} unfinished tasks of ${whatOf(t)} on ${t.entry.cluster}? ${sinceWords(t, now)}`, yes: 'Cancel All Tasks', keep: 'Keep Them' };
    }
    return { text: `Cancel ${whatOf(t)} on ${t.entry.cluster}? ${sinceWords(t, now)}`, yes: t.unit ? 'Cancel Task' : 'Cancel Job', keep: 'Keep It' };
  }
  const clusters = [...new Set(slurm.map((t) => t.entry.cluster!))];
  const local = targets.length - slurm.length;
  const text = `Cancel ${targets.length} jobs? ${slurm.map(whatOf).join(', ')} on ${clusters.join(', ')}` +
    (local ? `, and ${local} run${local === 1 ? '' : 's'} on this machine` : '') + '.';
  return { text, yes: `Cancel ${targets.length} Jobs`, keep: 'Keep Them' };
}

async function cancelOne(ctx: JobCommandContext, t: Target): Promise<void> {
  const { entry, unit } = t;
  try {
    if (t.mine) {
      await ctx.services.store.cancel(entry.key, unit?.index);
    } else {
      await ctx.services.clusters.get(entry.cluster!).cancel(slurmIdOf(entry, unit));
      void ctx.poller.refreshCluster(entry.cluster!);
    }
  } catch (err) {
    say(ctx, 'jobs.cancelFailed', `Could not cancel ${whatOf(t)}: ${errorText(err)}`, 'error');
  }
}

async function showOutput(ctx: JobCommandContext, element: JobTreeElement | undefined): Promise<void> {
  const t = target(ctx, element, 'show its output');
  if (!t) return;
  const { entry } = t;
  if (!t.mine) {
    say(ctx, 'jobs.noOutput', `${entry.name} is ${entry.user ? `${entry.user}'s` : 'another user\'s'} job: its output is not followed.`);
    return;
  }
  // A live run, or a Slurm job from an earlier window or the queue, attached again.
  const handle = ctx.services.store.attach(entry.key);
  if (handle) {
    ctx.services.outputPanels.show(handle, {
      name: entry.name, startedAt: () => ctx.services.store.get(entry.key)?.startedAt, outcome: () => ctx.services.store.get(entry.key)?.outcome?.badge,
    });
    return;
  }
  if (!entry.cluster && entry.logPath && existsSync(entry.logPath)) {
    await vscode.window.showTextDocument(vscode.Uri.file(entry.logPath), { preview: true });
    return;
  }
  say(ctx, 'jobs.noOutput', entry.cluster
    ? `The output of job ${entry.id} cannot be read: cluster "${entry.cluster}" is no longer configured.`
    : `The output log of ${entry.name} is gone${entry.logPath ? ` (${entry.logPath})` : ''}.`, 'warning');
}

async function openScript(ctx: JobCommandContext, element: JobTreeElement | undefined): Promise<void> {
  const t = target(ctx, element, 'open its script');
  if (!t) return;
  const file = t.entry.file;
  if (!file || !existsSync(file)) {
    say(ctx, 'jobs.fileMissing', file ? `${file} no longer exists.` : `${t.entry.name} was not submitted from a file here.`, 'warning');
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file));
}

async function resubmit(ctx: JobCommandContext, element: JobTreeElement | undefined): Promise<JobEntry | undefined> {
  const t = target(ctx, element, 'resubmit it');
  if (!t) return undefined;
  const request = t.entry.request;
  if (!request) {
    say(ctx, 'jobs.notResubmittable', `${t.entry.name} was not submitted from VS Code: there is no request to repeat.`, 'warning');
    return undefined;
  }
  if (!checkTrusted(ctx.services.prompter())) return undefined;
  // The run area says why it could not start, with the fix, as for a first run.
  return ctx.launch(request);
}

async function copyId(ctx: JobCommandContext, element: JobTreeElement | undefined): Promise<string | undefined> {
  const t = target(ctx, element, 'copy its id');
  if (!t) return undefined;
  const id = slurmIdOf(t.entry, t.unit);
  await vscode.env.clipboard.writeText(id);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${id}`, 3000);
  return id;
}

async function showDetails(ctx: JobCommandContext, element: JobTreeElement | undefined): Promise<void> {
  const t = target(ctx, element, 'show its details');
  if (!t) return;
  await ctx.details.show(t.entry, t.unit);
}

function remove(ctx: JobCommandContext, element: JobTreeElement | undefined): void {
  const t = target(ctx, element, 'remove it');
  if (!t || !t.mine) return;
  if (!isFinal(t.entry.state)) {
    say(ctx, 'jobs.removeUnfinished', `${t.entry.name} has not ended: cancel it first, or wait for it to end.`, 'warning');
    return;
  }
  ctx.services.store.remove(t.entry.key);
}
