import type { Services } from '../services';

export function registerTasks(_services: Services): void {
  // (being built)
}
