import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { firstNode, outputPathsOf } from '../../../../runtimes/src/slurm/outputPaths';

describe('output paths of a job record (patterns as squeue --json gives them)', () => {
  test('first node of a hostlist (%N)', () => {
    assert.equal(firstNode('n[01-04,7],m1'), 'n01');
    assert.equal(firstNode('a1,b2'), 'a1');
    assert.equal(firstNode('gpu3'), 'gpu3');
  });

  test('defaults, relative to the working folder, stderr to stdout', () => {
    assert.deepEqual(outputPathsOf({ jobId: '5', state: 'RUNNING', workDir: '/w' }), { stdout: '/w/slurm-5.out', stderr: '/w/slurm-5.out' });
    assert.deepEqual(outputPathsOf({ jobId: '6', arrayJobId: '4', arrayTaskId: 2, state: 'RUNNING', workDir: '/w' }), { stdout: '/w/slurm-4_2.out', stderr: '/w/slurm-4_2.out' });
    assert.deepEqual(outputPathsOf({ jobId: '5', state: 'RUNNING', workDir: '/w', stdout: 'logs/o-%j', stderr: '/abs/e-%j' }), { stdout: '/w/logs/o-5', stderr: '/abs/e-5' });
    assert.equal(outputPathsOf({ jobId: '5', state: 'RUNNING' }), undefined);
  });

  test('every pattern letter from the record: %A %a %j %x %u %N, padding, %%', () => {
    const r = { jobId: '751', arrayJobId: '748', arrayTaskId: 3, name: 'my job', user: 'alice', nodes: 'n[2-3]', state: 'RUNNING', workDir: '/w' };
    assert.equal(outputPathsOf({ ...r, stdout: '%A_%a-%j-%x-%u-%N-%4a-100%%.out' })!.stdout, '/w/748_3-751-my job-alice-n2-0003-100%.out');
  });
});
