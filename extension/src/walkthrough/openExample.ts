/**
 * `hpcJobs.walkthrough.openExample` (argument: a file name such as "job_MPI.slurm"), behind the
 * walkthrough's links: the workspace's own copy when it has one, at its root (the examples
 * folder opened as the workspace, as `npm start -- --browser` does) or in `examples/` (a clone of
 * this repository), else the example shipped with the extension, opened as an unsaved copy named
 * like it in the workspace folder — the extension's folder is not the person's to edit, and
 * Save then puts it where a run or a submission can find it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services';

export const DEFAULT_EXAMPLE = 'job_MPI.slurm';
const EXAMPLES = 'examples';

export async function openExample(services: Services, name: unknown = DEFAULT_EXAMPLE): Promise<vscode.TextEditor | undefined> {
  // A plain file name only: the argument can come from any command link.
  if (typeof name !== 'string' || !/^[\w][\w.-]*$/.test(name)) {
    void services.prompter().message('walkthrough.example', `"${String(name)}" is not the name of an example file.`, { severity: 'error' });
    return undefined;
  }
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const own of [vscode.Uri.joinPath(folder.uri, name), vscode.Uri.joinPath(folder.uri, EXAMPLES, name)]) {
      if (await isFile(own)) return vscode.window.showTextDocument(own, { preview: false });
    }
  }
  const shipped = vscode.Uri.joinPath(services.context.extensionUri, EXAMPLES, name);
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(shipped));
  } catch {
    void services.prompter().message('walkthrough.example', `HPC Jobs has no example named ${name}.`, { severity: 'error' });
    return undefined;
  }
  const copy = await copyUri(name);
  const already = vscode.workspace.textDocuments.find((d) => d.uri.toString() === copy.toString());
  if (already) return vscode.window.showTextDocument(already, { preview: false });
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(copy), { preview: false });
  await editor.edit((b) => b.insert(new vscode.Position(0, 0), text));
  editor.selection = new vscode.Selection(0, 0, 0, 0);
  return editor;
}

/** `untitled:` with the path Save will offer: the first workspace folder, under a name not taken there. */
async function copyUri(name: string): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return vscode.Uri.from({ scheme: 'untitled', path: name });
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? name : `${stem}-${i}${ext}`;
    const onDisk = vscode.Uri.joinPath(folder.uri, candidate);
    if (!(await exists(onDisk))) return onDisk.with({ scheme: 'untitled' });
  }
}

async function isFile(uri: vscode.Uri): Promise<boolean> {
  try {
    return (await vscode.workspace.fs.stat(uri)).type === vscode.FileType.File;
  } catch {
    return false;
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
