/**
 * Opens the Settings editor on one of our settings, in the tab where it takes effect. In a
 * remote window (Remote-SSH, code-server, where most HPC users are) a machine or
 * machine-overridable setting is read from the Remote tab: opening the User tab there shows
 * "No Settings Found", or a value that changes nothing.
 */
import * as vscode from 'vscode';

const MACHINE_SCOPES = new Set(['machine', 'machine-overridable']);

/** The setting's `scope` in a manifest's `contributes.configuration`. */
export function settingScope(manifest: unknown, key: string): string | undefined {
  const contributes = (manifest as { contributes?: { configuration?: unknown } }).contributes;
  const sections = Array.isArray(contributes?.configuration) ? contributes.configuration : [contributes?.configuration];
  for (const section of sections as { properties?: Record<string, { scope?: string }> }[]) {
    const scope = section?.properties?.[key]?.scope;
    if (scope) return scope;
  }
  return undefined;
}

/** Which command shows `key` where it applies: the remote settings for a machine setting in a remote window. */
export function settingsCommandFor(key: string, manifest: unknown, remoteName: string | undefined): string {
  return remoteName && MACHINE_SCOPES.has(settingScope(manifest, key) ?? '') ? 'workbench.action.openRemoteSettings' : 'workbench.action.openSettings';
}

export async function openSetting(context: vscode.ExtensionContext, key: string): Promise<void> {
  await vscode.commands.executeCommand(settingsCommandFor(key, context.extension.packageJSON, vscode.env.remoteName), key);
}
