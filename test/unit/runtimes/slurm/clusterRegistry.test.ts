/**
 * slurmClusterFor: the one place a cluster config (the hpcJobs.clusters setting, the CLI's
 * clusters file) becomes a SlurmCluster. Nothing connects: a transport opens on first use.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeCluster, slurmClusterFor } from '../../../../runtimes/src/slurm/clusterRegistry';
import { SshConfig } from '../../../../runtimes/src/transport/sshConfig';
import { LocalTransport } from '../../../../runtimes/src/transport/localTransport';
import { SshTransport } from '../../../../runtimes/src/transport/sshTransport';

test('no ssh: this machine; the folder and the queue mode as configured', async () => {
  const c = slurmClusterFor({ name: 'here', workDir: '~/jobs-here', squeue: 'format' });
  try {
    assert.equal(c.name, 'here');
    assert.ok(c.transport instanceof LocalTransport);
    assert.equal(c.workDir, '~/jobs-here');
    assert.equal(c.tracker.squeueMode, 'format');
  } finally { await closeCluster(c); }
});

test('an ssh destination: an SSH transport to it, closed by closeCluster', async () => {
  const c = slurmClusterFor({ name: 'hpc', ssh: 'alice@login.example.org:2200' }, { sshConfig: SshConfig.parse('') });
  assert.ok(c.transport instanceof SshTransport);
  assert.equal(c.workDir, '~/hpc-jobs');
  await closeCluster(c);
  assert.equal(c.transport.state, 'closed');
});
