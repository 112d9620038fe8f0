/**
 * Commands that belong to no view: the CRLF quick fix the language server hands to the client,
 * and the walkthrough's "open an example".
 */
import type * as vscode from 'vscode';
import { useLfLineEndings } from './lint/lineEndings';
import type { CommandTable, Services } from './services';
import { openExample } from './walkthrough/openExample';

export function standaloneCommands(services: Services): CommandTable {
  return {
    'hpcJobs.lint.useLfLineEndings': (target?: vscode.Uri | string) => useLfLineEndings(services, target),
    'hpcJobs.walkthrough.openExample': (name?: unknown) => openExample(services, name),
  };
}
