import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { describeFailure } from '../../../../extension/src/run/launchFailure';
import type { RunRequest } from '../../../../extension/src/jobs/jobEntry';
import { launchLocal, LaunchError } from '../../../../runtimes/src/index';
import { TransportError } from '../../../../runtimes/src/transport/transport';

const pool: RunRequest = { target: 'local', spec: { backend: 'pool', program: '/w/pi.py' } };
const mpi: RunRequest = { target: 'local', spec: { backend: 'mpi', program: '/w/pi.py', ranks: 2 } };

describe('describeFailure: what a failed start tells the person', () => {
  test('the runtimes\' message with its hint; the setting that fixes it', async () => {
    const err = await launchLocal({ backend: 'mpi', program: 'pi.py', ranks: 2, mpirun: '/nonexistent/mpirun' }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof LaunchError);
    const r = describeFailure(err, mpi, 'pi.py');
    assert.match(r.text, /MPI launcher "\/nonexistent\/mpirun" not found or not executable\. Check the hpcJobs MPI launcher setting/);
    assert.equal(r.setting, 'hpcJobs.mpi.launcher');
  });

  test('a missing interpreter points at the Python setting', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-failure-'));
    try {
      const program = path.join(dir, 'pi.py');
      writeFileSync(program, 'print(1)\n');
      const err = await launchLocal({ backend: 'pool', program, python: '/nonexistent/python3', logDir: dir }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof LaunchError);
      const r = describeFailure(err, pool, 'pi.py');
      assert.match(r.text, /^Python interpreter "\/nonexistent\/python3" not found\. Check the path/);
      assert.equal(r.setting, 'hpcJobs.python.interpreter');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a cluster that cannot be reached: the clusters setting', () => {
    const r = describeFailure(new TransportError('unreachable', 'Cannot reach 127.0.0.1:1.', 'Is the host up?'), { target: 'slurm', cluster: 'hpc', script: '/w/job.slurm' }, 'job.slurm');
    assert.equal(r.text, 'Cannot reach 127.0.0.1:1. Is the host up?');
    assert.equal(r.setting, 'hpcJobs.clusters');
  });

  test('anything else is named as a failure to start, without a setting', () => {
    const r = describeFailure(new Error('boom'), { target: 'slurm-python', cluster: 'hpc', program: '/w/pi.py', job: {} }, 'pi.py');
    assert.deepEqual(r, { text: 'HPC Jobs could not start pi.py on cluster "hpc": boom' });
  });
});
