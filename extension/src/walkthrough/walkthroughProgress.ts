/**
 * What ticks the walkthrough's first step: a context key set once a batch script has been open
 * in this window. (`onLanguage:slurm` is an activation event, not a completion event: VS Code
 * ignores it there, so the step could never be ticked.)
 */
import * as vscode from 'vscode';

/** The walkthrough's `onContext:` key (package.json, step "lint"). */
export const OPENED_BATCH_SCRIPT = 'hpcJobs.openedBatchScript';

export function trackOpenedBatchScript(context: vscode.ExtensionContext): void {
  const isBatch = (d: vscode.TextDocument) => d.languageId === 'slurm';
  const mark = () => void vscode.commands.executeCommand('setContext', OPENED_BATCH_SCRIPT, true);
  if (vscode.workspace.textDocuments.some(isBatch)) { mark(); return; }
  const watch = vscode.workspace.onDidOpenTextDocument((d) => {
    if (!isBatch(d)) return;
    mark();
    watch.dispose();
  });
  context.subscriptions.push(watch);
}
