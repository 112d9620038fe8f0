import type { LanguageClient } from 'vscode-languageclient/node';
import type { CommandTable, Services } from '../services';

/** (being built) */
export function registerClusterCommands(_services: Services, _client: LanguageClient): CommandTable {
  return {};
}
