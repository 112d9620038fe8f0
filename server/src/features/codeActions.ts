/** Quick fixes: the rules computed them with the diagnostic; here they become code actions. */
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver';
import type { DiagnosticCode } from '../rules/codes';
import type { Fix } from '../rules/ruleContext';
import { DIAGNOSTIC_SOURCE, USE_LF_COMMAND } from '../protocol';

/**
 * Fixes a client command does better than the rule's edits. A client that announced the command
 * gets it instead of the edits (not both: LSP would apply the edit first, and in VS Code that edit
 * changes nothing yet still adds an undo step); any other client gets the edits, which work there.
 */
const CLIENT_COMMANDS: Partial<Record<DiagnosticCode, string>> = { SBATCH002: USE_LF_COMMAND };

/** `clientCommands`: what the client said it runs (`InitializationOptions.clientCommands`). */
export function codeActionsFor(params: CodeActionParams, clientCommands: ReadonlySet<string> = new Set()): CodeAction[] {
  const actions: CodeAction[] = [];
  const uri = params.textDocument.uri;
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const fixes = (diagnostic.data as { fixes?: Fix[] } | undefined)?.fixes ?? [];
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
