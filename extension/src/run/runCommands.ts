import type { Services } from '../services';

export function registerRunCommands(_services: Services): void {
  // (being built)
}
