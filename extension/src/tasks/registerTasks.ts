/**
 * The `hpc` task type, and two commands that belong to no view: the CRLF quick fix the language
 * server hands to the client, and the walkthrough's "open an example".
 */
import * as vscode from 'vscode';
import { useLfLineEndings } from '../lint/lineEndings';
import type { CommandTable, Services } from '../services';
import { openExample } from '../walkthrough/openExample';
import { HpcTaskProvider } from './hpcTaskProvider';
import { TASK_TYPE } from './taskDefinition';

export function registerTasks(services: Services): CommandTable {
  const provider = new HpcTaskProvider(services);
  services.context.subscriptions.push(provider, vscode.tasks.registerTaskProvider(TASK_TYPE, provider));
  return {
    'hpcJobs.lint.useLfLineEndings': (target?: vscode.Uri | string) => useLfLineEndings(services, target),
    'hpcJobs.walkthrough.openExample': (name?: unknown) => openExample(services, name),
  };
}
