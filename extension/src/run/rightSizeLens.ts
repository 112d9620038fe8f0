/**
 * The right-size CodeLens on a batch script's `--mem`, `--mem-per-cpu`, `--time` and
 * `--cpus-per-task` lines: the evidence from the script's last runs on a cluster and, in one
 * click, the value rewritten. Only where the runs justify a change (jobSizing.ts).
 */
import * as vscode from 'vscode';
import type { ClusterService } from '../clusters/clusterService';
import type { JobStore } from '../jobs/jobStore';
import { ScriptHistory, type RunFigures } from '../jobs/scriptHistory';
import { partitionLimits, rightSize, type PartitionLimits, type Suggestion } from './jobSizing';

export const RIGHT_SIZE_COMMAND = 'hpcJobs.run.rightSize';

/** The runs of the cluster the script ran on last (figures of different clusters do not mix). */
export function latestClusterRuns(history: ScriptHistory, script: string): { cluster: string; runs: RunFigures[] } | undefined {
  const all = history.runsOfScript(script);
  const last = all[all.length - 1];
  return last ? { cluster: last.cluster, runs: all.filter((r) => r.cluster === last.cluster) } : undefined;
}

export class RightSizeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly history: ScriptHistory, store: JobStore, private readonly clusters: ClusterService) {
    // An entry that gets its figures may change a script's suggestion.
    this.subscriptions = [this.changed, store.onDidChange((keys) => { if (keys.some((k) => store.get(k)?.outcome)) this.changed.fire(); })];
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const found = latestClusterRuns(this.history, doc.uri.fsPath);
    if (!found) return [];
    const text = doc.getText();
    return rightSize(text, found.runs, await this.limits(found.cluster, text)).map((s) => new vscode.CodeLens(
      new vscode.Range(s.line, 0, s.line, 0),
      {
        title: `$(${s.direction === 'up' ? 'arrow-up' : 'arrow-down'}) Right-size to ${s.proposed} — ${s.evidence} on "${found.cluster}"`,
        tooltip: `Replace ${s.current} with ${s.proposed} (${s.direction === 'up' ? 'it was too little' : 'the 95th percentile of what the runs used, plus 20%'})`,
        command: RIGHT_SIZE_COMMAND,
        arguments: [doc.uri, s],
      },
    ));
  }

  /** The partition's limits from the cluster's profile, when it is connected (never opens a connection). */
  private async limits(cluster: string, text: string): Promise<PartitionLimits | undefined> {
    if (!this.clusters.config(cluster) || this.clusters.status(cluster).status !== 'connected') return undefined;
    try {
      return partitionLimits(text, await this.clusters.get(cluster).profile());
    } catch {
      return undefined; // no profile: suggestions without a cap
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Rewrites the value, if the line still holds what the suggestion was made for. */
export async function applyRightSize(uri: vscode.Uri, s: Suggestion): Promise<boolean> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const range = new vscode.Range(s.line, s.start, s.line, s.end);
  if (doc.getText(range) !== s.current) return false;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, range, s.proposed);
  return vscode.workspace.applyEdit(edit);
}
