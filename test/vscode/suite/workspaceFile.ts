/** The test workspace (test/vscode/workspace) as the suite sees it: the folder VS Code opened. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace folder is open');
  return folder;
}

/** A file of the test workspace. */
export function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, name);
}

/** The same, as a path. */
export function workspacePath(name: string): string {
  return path.join(workspaceFolder().uri.fsPath, name);
}
