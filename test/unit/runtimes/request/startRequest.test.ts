/** startRequest for a front end that starts only one kind of request (`hpc-jobs run`, `hpc-jobs submit`). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchLocal } from '../../../../runtimes/src/index';
import { startRequest } from '../../../../runtimes/src/request/startRequest';
import { failureKind } from '../../../../runtimes/src/runtime';

test('a request the front end cannot start is refused with a LaunchError, nothing started', async () => {
  await assert.rejects(startRequest({ target: 'slurm', cluster: 'hpc', script: '/nonexistent/job.slurm' }, { launchLocal }),
    (e: unknown) => failureKind(e) === 'launch' && (e as Error).message === 'This submits to no cluster ("hpc"): it starts runs on this machine only.');
  await assert.rejects(startRequest({ target: 'local', spec: { backend: 'pool', program: 'examples/distributed.py' } }, {}),
    (e: unknown) => failureKind(e) === 'launch' && (e as Error).message === 'This starts no run on this machine: only jobs on a cluster.');
});
