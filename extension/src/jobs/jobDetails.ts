/**
 * Show Details: a read-only document (scheme `hpc-jobs-details`) with everything known about
 * a job or an array task, and for a Slurm job what `scontrol show job` says — asked over the
 * cluster's connection when it is already open (asking must not open one: that may prompt).
 * Opening it again reads it afresh.
 */
import * as vscode from 'vscode';
import { checkJobId, slurmRunner } from '../../../runtimes/src/slurm/index';
import type { ClusterService } from '../clusters/clusterService';
import type { JobEntry, JobUnit } from './jobEntry';
import { detailsText, type SlurmView } from './jobDetailsText';
import { unitsOf } from './jobPresentation';

export const DETAILS_SCHEME = 'hpc-jobs-details';
const SCONTROL_TIMEOUT_MS = 15_000;

export class JobDetails implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly lookup: (key: string) => JobEntry | undefined, private readonly clusters: ClusterService) {}

  uriFor(entry: JobEntry, unit?: JobUnit): vscode.Uri {
    const name = `${entry.name}${entry.cluster ? ` #${entry.id}${unit ? `_${unit.index}` : ''}` : unit ? ` ${unit.kind} ${unit.index}` : ''}`;
    const query = new URLSearchParams({ key: entry.key, ...(unit ? { unit: String(unit.index) } : {}) }).toString();
    // The path is the tab's title; a "/" in a job name would make it a folder.
    return vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/${name.replace(/[/\\]/g, '_')}`, query });
  }

  async show(entry: JobEntry, unit?: JobUnit): Promise<vscode.TextEditor> {
    const uri = this.uriFor(entry, unit);
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) this.changeEmitter.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = new URLSearchParams(uri.query);
    const entry = this.lookup(query.get('key') ?? '');
    if (!entry) return 'This job is no longer in the list.\n';
    const index = query.get('unit');
    const unit = index !== null ? unitsOf(entry).find((u) => u.index === Number(index)) : undefined;
    const slurm = await this.scontrol(entry, unit);
    return detailsText(entry, Date.now(), { ...(unit ? { unit } : {}), ...(slurm ? { slurm } : {}) });
  }

  private async scontrol(entry: JobEntry, unit: JobUnit | undefined): Promise<SlurmView | undefined> {
    if (!entry.cluster) return undefined;
    const config = this.clusters.config(entry.cluster);
    if (!config) return { unavailable: `cluster "${entry.cluster}" is no longer configured` };
    const cluster = this.clusters.get(entry.cluster);
    if (cluster.transport.state !== 'connected') return { unavailable: `not connected to "${entry.cluster}": connect to see Slurm's own view` };
    // A started array task has an id of its own; a pending one is listed under the array's.
    const id = unit?.jobId ?? entry.id;
    try {
      const run = slurmRunner(cluster.transport, entry.cluster, config.env ?? {});
      const r = await run(['scontrol', 'show', 'job', checkJobId(id)], { idempotent: true, timeoutMs: SCONTROL_TIMEOUT_MS });
      if (r.code === 0) return { text: r.stdout };
      if (/Invalid job id/i.test(r.stderr)) return { unavailable: `Slurm no longer knows job ${id}: it ended more than MinJobAge ago` };
      return { unavailable: `scontrol failed: ${r.stderr.trim() || `exit ${r.code}`}` };
    } catch (err) {
      return { unavailable: `scontrol could not be asked: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  dispose(): void { this.changeEmitter.dispose(); }
}
