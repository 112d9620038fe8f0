/**
 * Running executes the workspace's files, so it needs a trusted workspace; linting does not.
 * Commands are also disabled by `isWorkspaceTrusted` in package.json — this catches callers that
 * go around the UI (other extensions, tasks, keybindings).
 */
import * as vscode from 'vscode';
import type { Prompter } from './prompter';

export const UNTRUSTED_MESSAGE = 'HPC Jobs does not run anything in an untrusted workspace: a run executes the files of this folder. Batch scripts are still linted.';

/** True when running is allowed; otherwise says why (with a way to change it) and returns false. */
export function checkTrusted(prompter: Prompter): boolean {
  if (vscode.workspace.isTrusted) return true;
  void prompter.message('trust.required', UNTRUSTED_MESSAGE, { severity: 'warning' }, 'Manage Workspace Trust').then((a) => {
    if (a) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
