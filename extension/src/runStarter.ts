/**
 * The one way the editor starts a request (Run in Parallel, Run Again, Resubmit, tasks.json,
 * Resubmit with More): through the runtimes' startRequest, then into the job store. Local runs
 * go to the run area's launcher (a worker thread), loaded on first use.
 */
import { startRequest } from '../../runtimes/src/request/startRequest';
import type { ClusterService } from './clusters/clusterService';
import type { JobEntry, RunRequest } from './jobs/jobEntry';
import type { JobStore } from './jobs/jobStore';
import { launchLocal } from './lazy/lazyRun';
import { setting } from './settings/settings';

export function runStarter(store: JobStore, clusters: ClusterService): (request: RunRequest) => Promise<JobEntry> {
  return async (request) => {
    // The setting, else the runtimes' per-user default.
    const logDir = setting('run.logDirectory') || undefined;
    const started = await startRequest(request, { launchLocal, cluster: (name) => clusters.get(name), ...(logDir ? { logDir } : {}) });
    return store.add(request, started);
  };
}
