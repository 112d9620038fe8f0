/**
 * Reads and writes the `hpcJobs.*` settings by key, each typed and defaulted once
 * (settingTable.ts), instead of string keys and `get<T>()` guesses in every file.
 */
import * as vscode from 'vscode';
import { SECTION, settingId, settingValue, type SettingKey, type SettingValue } from './settingTable';

/** The value in effect for `scope` (a file or folder, for resource and machine-overridable settings). */
export function setting<K extends SettingKey>(key: K, scope?: vscode.ConfigurationScope): SettingValue<K> {
  return settingValue(key, vscode.workspace.getConfiguration(SECTION, scope).get(key));
}

/** Whether a configuration change touches the setting. */
export function settingChanged(e: vscode.ConfigurationChangeEvent, key: SettingKey): boolean {
  return e.affectsConfiguration(settingId(key));
}

/** The user (global) value alone, undefined when none is set there. */
export function userSetting(key: SettingKey): unknown {
  return vscode.workspace.getConfiguration(SECTION).inspect(key)?.globalValue;
}

/** Whether the workspace sets it (then a user value would not take effect). */
export function setInWorkspace(key: SettingKey): boolean {
  return vscode.workspace.getConfiguration(SECTION).inspect(key)?.workspaceValue !== undefined;
}

export async function updateSetting<K extends SettingKey>(key: K, value: SettingValue<K> | undefined, target: vscode.ConfigurationTarget): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, target);
}
