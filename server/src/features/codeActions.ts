/** Quick fixes: the rules computed them with the diagnostic; here they become code actions. */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import type { LintDiagnostic } from '../lint';
import type { DiagnosticCode } from '../rules/codes';
import type { Fix } from '../rules/ruleContext';
import { DIAGNOSTIC_SOURCE, USE_LF_COMMAND } from '../protocol';

/**
 * Fixes a client command does better than the rule's edits. A client that announced the command
 * gets it instead of the edits (not both: LSP would apply the edit first, and in VS Code that edit
 * changes nothing yet still adds an undo step); any other client gets the edits, which work there.
 */
const CLIENT_COMMANDS: Partial<Record<DiagnosticCode, string>> = { SBATCH002: USE_LF_COMMAND };

/**
 * The fixes of a diagnostic: from its `data`, or, for a client that does not send `data` back
 * (LSP 3.16 made that optional), from the current analysis's diagnostic with the same code and range.
 */
function fixesOf(diagnostic: Diagnostic, current: readonly LintDiagnostic[]): readonly Fix[] {
  const data = (diagnostic.data as { fixes?: Fix[] } | undefined)?.fixes;
  if (data) return data;
  const same = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line === b.line && a.character === b.character;
  return current.find((d) => d.code === diagnostic.code && same(d.range.start, diagnostic.range.start) && same(d.range.end, diagnostic.range.end))?.fixes ?? [];
}

/**
 * `clientCommands`: what the client said it runs (`InitializationOptions.clientCommands`).
 * `current`: the document's diagnostics now, for clients that drop `data`.
 */
export function codeActionsFor(params: CodeActionParams, clientCommands: ReadonlySet<string> = new Set(), current: readonly LintDiagnostic[] = []): CodeAction[] {
  const actions: CodeAction[] = [];
  const uri = params.textDocument.uri;
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const fixes = fixesOf(diagnostic, current);
    const command = CLIENT_COMMANDS[diagnostic.code as DiagnosticCode];
    for (const fix of fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        ...(fix.preferred ? { isPreferred: true } : {}),
        ...(command && clientCommands.has(command)
          ? { command: { title: fix.title, command, arguments: [uri] } }
          : { edit: { changes: { [uri]: fix.edits.map((e) => ({ range: e.range, newText: e.newText })) } } }),
      });
    }
  }
  return actions;
}
