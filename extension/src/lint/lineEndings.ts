/**
 * `hpcJobs.lint.useLfLineEndings`: gives a batch script LF line endings (sbatch rejects CRLF,
 * SBATCH002). The language server's quick fix for SBATCH002 runs this command in VS Code: a
 * text edit cannot do it here, as VS Code writes every line break it inserts with the
 * document's own end-of-line sequence; the editor's end-of-line setting changes them all.
 */
import * as vscode from 'vscode';
import type { Services } from '../services';

/**
 * `target`: the document's URI (a string from the server's code action, or a Uri); absent: the
 * active editor's document. Resolves true when the line endings were changed.
 */
export async function useLfLineEndings(services: Services, target?: vscode.Uri | string): Promise<boolean> {
  let uri: vscode.Uri | undefined;
  try {
    uri = typeof target === 'string' ? vscode.Uri.parse(target, true) : target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
  } catch {
    uri = undefined;
  }
  if (!uri) {
    void services.prompter().message('lint.lineEndings', 'Open the batch script whose line endings should become LF first.', { severity: 'info' });
    return false;
  }
  let editor: vscode.TextEditor;
  try {
    editor = await editorFor(uri);
  } catch (err) {
    void services.prompter().message('lint.lineEndings', `Cannot open ${uri.toString(true)}: ${err instanceof Error ? err.message : String(err)}`, { severity: 'error' });
    return false;
  }
  if (editor.document.eol === vscode.EndOfLine.LF) return false;
  const done = await editor.edit((b) => b.setEndOfLine(vscode.EndOfLine.LF));
  if (!done) {
    void services.prompter().message('lint.lineEndings', `${vscode.workspace.asRelativePath(uri)}: the line endings could not be changed (is the editor read-only?).`, { severity: 'warning' });
  }
  return done;
}

/** An editor on the document: the one showing it, else a new one (edits need an editor). */
async function editorFor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const key = uri.toString();
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key);
  if (shown) return shown;
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preserveFocus: true, preview: false });
}
