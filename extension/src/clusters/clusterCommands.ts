import type { LanguageClient } from 'vscode-languageclient/node';
import type { Services } from '../services';

export function registerClusterCommands(_services: Services, _client: LanguageClient): void {
  // (being built)
}
