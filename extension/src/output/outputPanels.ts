import * as vscode from 'vscode';
import type { RunHandle } from '../../../runtimes/src/runtime';
import { OutputPanel, type OutputPanelOptions, type PanelPreferences } from './outputPanel';

const WRAP_KEY = 'hpcJobs.output.wrap';

/**
 * The panels of all runs, one per run id. The composition root owns one of these (in
 * `context.subscriptions`); showing a run that has a panel reveals it.
 */
export class OutputPanels implements vscode.Disposable {
  private readonly panels = new Map<string, OutputPanel>();
  private readonly preferences: PanelPreferences;

  /** `memento`: where the Wrap toggle is remembered (the global state: it is a taste, not a project's). */
  constructor(private readonly extensionUri: vscode.Uri, memento?: vscode.Memento) {
    this.preferences = {
      wrap: () => memento?.get<boolean>(WRAP_KEY) ?? false,
      setWrap: (on) => {
        void memento?.update(WRAP_KEY, on);
        for (const p of this.panels.values()) p.setWrap(on);
      },
    };
  }

  /**
   * A run's panel: revealed if it has one, else opened in the column the output panels are in
   * (one column for all runs, not one more beside wherever the focus is), else where asked.
   */
  show(run: RunHandle, options: OutputPanelOptions = {}): OutputPanel {
    const existing = this.panels.get(run.id);
    if (existing) { existing.reveal(); return existing; }
    const column = this.outputColumn();
    const panel = new OutputPanel(run, this.extensionUri, column !== undefined ? { ...options, viewColumn: column } : options, this.preferences);
    this.panels.set(run.id, panel);
    panel.onDidDispose(() => { if (this.panels.get(run.id) === panel) this.panels.delete(run.id); });
    return panel;
  }

  get(runId: string): OutputPanel | undefined { return this.panels.get(runId); }

  /** The column of the newest open output panel. */
  private outputColumn(): vscode.ViewColumn | undefined {
    for (const p of [...this.panels.values()].reverse()) if (p.panel.viewColumn !== undefined) return p.panel.viewColumn;
    return undefined;
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
  }
}
