import type { Services } from '../services';

export function registerJobViews(_services: Services): void {
  // (being built)
}
