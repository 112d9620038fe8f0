/**
 * Keeps the language server's cluster profile in step with `hpcJobs.lint.cluster`: when it
 * names a cluster, the profile is read over that cluster's connection (cached by the cluster,
 * read again on Connect) and sent with the `hpcJobs/clusterProfile` notification; when it is
 * empty nothing connects, and a profile the server holds is withdrawn. Sent again whenever the
 * server (re)starts.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import type { ClusterProfile } from '../../../server/src/clusterProfile';
import { ClusterProfileNotification, clusterProfileToJson } from '../../../server/src/protocol';
import type { Services } from '../services';
import { setting, settingChanged } from '../settings/settings';
import { settingId } from '../settings/settingTable';

export class ClusterProfileSync implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** What the server holds (null: no profile). */
  private sent: ClusterProfile | null = null;
  /** Each sync takes a number; only the latest may send (a slow fetch must not win over a newer setting). */
  private generation = 0;
  private readonly warned = new Set<string>();

  constructor(private readonly client: LanguageClient, private readonly services: Services) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (settingChanged(e, 'lint.cluster') || settingChanged(e, 'clusters')) void this.sync();
      }),
      client.onDidChangeState((e) => {
        if (e.newState !== State.Running) return;
        this.sent = null; // a new server process knows nothing
        void this.sync();
      }),
    );
    if (client.state === State.Running) void this.sync();
  }

  /** The cluster the linter checks against, or undefined. */
  get clusterName(): string | undefined {
    const scope = vscode.workspace.workspaceFolders?.[0]?.uri;
    return setting('lint.cluster', scope).trim() || undefined;
  }

  /** Reads the profile again if `name` is the cluster being linted against (after Connect). */
  refreshIfLinted(name: string): Promise<void> {
    return this.clusterName === name ? this.sync(true) : Promise.resolve();
  }

  /** Sends the profile the setting asks for (or withdraws it); `refresh` reads it again. */
  async sync(refresh = false): Promise<void> {
    const generation = ++this.generation;
    const name = this.clusterName;
    if (!name) { await this.send(generation, null); return; }
    if (!this.services.clusters.config(name)) {
      if (!this.warned.has(name)) {
        this.warned.add(name);
        void this.services.prompter().message('cluster.lintUnknown',
          `"${settingId('lint.cluster')}" names the cluster "${name}", which is not in "${settingId('clusters')}": batch scripts are not checked against a cluster.`,
          { severity: 'warning' });
      }
      await this.send(generation, null);
      return;
    }
    try {
      const profile = await this.services.clusters.get(name).profile(refresh);
      await this.send(generation, profile);
    } catch (err) {
      this.services.log.appendLine(`Could not read the profile of cluster "${name}" for the linter: ${err instanceof Error ? err.message : String(err)}`);
      this.services.clusters.reportFailure(name, err);
      // A profile already sent for this cluster stays: stale limits beat none.
      if (this.sent?.name !== name) await this.send(generation, null);
    }
  }

  private async send(generation: number, profile: ClusterProfile | null): Promise<void> {
    if (generation !== this.generation || profile === this.sent) return;
    this.sent = profile;
    try {
      await this.client.sendNotification(ClusterProfileNotification.type, { profile: profile ? clusterProfileToJson(profile) : null });
    } catch (err) {
      // The server is not running (it failed to start, or is stopping): it gets the profile when it starts.
      this.sent = null;
      this.services.log.appendLine(`Could not send the cluster profile to the language server: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
