/** The CodeLens over a batch script's #SBATCH block ("Run locally", "Submit to <cluster>"). */
import * as vscode from 'vscode';
import type { ClusterService } from '../clusters/clusterService';
import { scriptLenses } from './scriptLensPlan';

export class BatchScriptLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly clusters: ClusterService) {
    this.subscriptions = [
      this.changed,
      // A cluster added or removed changes the submit lenses; connection changes do not.
      clusters.onDidChange((c) => { if (c === undefined) this.changed.fire(); }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    ];
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    return scriptLenses(doc.getText(), { trusted: vscode.workspace.isTrusted, clusters: this.clusters.names }).map((plan) => {
      const range = new vscode.Range(plan.line, 0, plan.line, 0);
      return new vscode.CodeLens(range, { title: plan.title, command: plan.command, arguments: plan.cluster ? [doc.uri, plan.cluster] : [doc.uri] });
    });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
