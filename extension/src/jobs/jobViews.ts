import type { CommandTable, Services } from '../services';

/** (being built) Registers this area's views and providers; returns its commands. */
export function registerJobViews(_services: Services): CommandTable {
  return {};
}
