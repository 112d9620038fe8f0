import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ClusterProfile } from '../../../../server/src/clusterProfile';
import { lintText } from '../../../../server/src/lint';

/** Shaped like the test cluster of test/cluster/up.sh (the cluster tests check the real fetch). */
const node = (name: string, gpus = 0) => ({
  name, cpus: 4, memoryMB: 4000, tmpDiskMB: 1000, gres: gpus ? [{ name: 'gpu', count: gpus }] : [],
});
const CLUSTER: ClusterProfile = {
  name: 'local',
  slurmVersion: '22.05.8',
  partitions: [
    { name: 'debug', isDefault: true, maxTimeMinutes: 30, nodes: ['n1', 'n2', 'n3', 'n4'] },
    { name: 'long', isDefault: false, maxTimeMinutes: 2 * 24 * 60, nodes: ['n1', 'n2', 'n3', 'n4'] },
    { name: 'gpu', isDefault: false, maxTimeMinutes: 240, nodes: ['n4'] },
  ],
  nodes: [node('n1'), node('n2'), node('n3'), node('n4', 2)],
  accounts: ['proj1', 'proj2'],
  qos: ['normal'],
  maxArraySize: 1001,
  fetchedAt: '2026-11-24T00:00:00Z',
};

const lint = (...directives: string[]) =>
  lintText(['#!/bin/bash', ...directives.map((d) => `#SBATCH ${d}`), 'echo hi', ''].join('\n'), { cluster: CLUSTER })
    .filter((d) => d.code >= 'SBATCH200');
const codes = (...directives: string[]) => lint(...directives).map((d) => d.code);

describe('cluster-aware rules (SBATCH2xx)', () => {
  test('a script that fits says nothing', () => {
    assert.deepEqual(codes('--partition=debug', '--ntasks=4', '--time=00:20:00', '--account=proj1', '--mem=2G'), []);
    assert.deepEqual(codes('-p gpu', '--gres=gpu:2', '--time=3:00:00'), []);
  });

  test('unknown partition, account, QOS', () => {
    const [p] = lint('--partition=devel');
    assert.equal(p!.code, 'SBATCH200');
    assert.match(p!.message, /no partition "devel".*debug \(default\), long, gpu/);
    assert.deepEqual(p!.range, { start: { line: 1, character: 20 }, end: { line: 1, character: 25 } });
    assert.deepEqual(codes('--partition=debug,nope'), ['SBATCH200']);
    assert.deepEqual(codes('--account=j<proj>'), ['SBATCH201']);
    assert.deepEqual(codes('--qos=high'), ['SBATCH202']);
  });

  test('time above the partition MaxTime, default partition included', () => {
    const [t] = lint('--time=01:00:00');
    assert.equal(t!.code, 'SBATCH203');
    assert.match(t!.message, /MaxTime 30 min.*long, gpu/);
    assert.deepEqual(codes('-p long', '--time=01:00:00'), []);
    assert.deepEqual(codes('-p debug,long', '--time=01:00:00'), []);
  });

  test('resources no node has', () => {
    assert.deepEqual(codes('--cpus-per-task=8'), ['SBATCH204']);
    assert.deepEqual(codes('--ntasks=64'), ['SBATCH204']);
    assert.deepEqual(codes('--ntasks=16'), []);
    assert.deepEqual(codes('--nodes=5'), ['SBATCH204']);
    assert.deepEqual(codes('--mem=8G'), ['SBATCH204']);
    assert.deepEqual(codes('--mem-per-cpu=2000', '--cpus-per-task=4'), ['SBATCH204']);
    assert.deepEqual(codes('--tmp=2G'), ['SBATCH204']);
    assert.deepEqual(codes('--ntasks-per-node=3', '--cpus-per-task=2'), ['SBATCH204']);
  });

  test('GRES a node does not have, or not that many', () => {
    assert.deepEqual(codes('-p gpu', '--gres=gpu:a100:1'), ['SBATCH205']);
    assert.deepEqual(codes('-p gpu', '--gres=gpu:3'), ['SBATCH204']);
    assert.deepEqual(codes('--gres=gpu:1'), []);            // debug holds n4, which has GPUs
    assert.deepEqual(codes('--gres=mps:1'), ['SBATCH205']);
  });

  test('array index at or above MaxArraySize', () => {
    assert.deepEqual(codes('--array=0-999'), []);
    assert.deepEqual(codes('--array=0-1001'), ['SBATCH206']);
  });

  test('no profile, no cluster diagnostics', () => {
    const text = '#!/bin/bash\n#SBATCH --partition=devel --account=nope --time=9-0\necho\n';
    assert.deepEqual(lintText(text).filter((d) => d.code >= 'SBATCH200'), []);
  });
});
