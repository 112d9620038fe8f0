/**
 * The cluster profile notification (`hpcJobs/clusterProfile`) against the real language server
 * over an in-memory connection: a profile turns the SBATCH2xx rules on for every open document,
 * `null` turns them off again, and an UNLIMITED MaxTime survives the trip through JSON.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { ClusterProfile } from '../../../server/src/clusterProfile';
import { ClusterProfileNotification, clusterProfileFromJson, clusterProfileToJson } from '../../../server/src/protocol';
import { LspHarness } from './lspHarness';

const node = (name: string) => ({ name, cpus: 4, memoryMB: 4000, gres: [] });
/** Shaped like the test cluster of test/cluster/up.sh, with one UNLIMITED partition. */
const PROFILE: ClusterProfile = {
  name: 'local',
  slurmVersion: '22.05.8',
  partitions: [
    { name: 'debug', isDefault: true, maxTimeMinutes: 30, nodes: ['n1', 'n2'] },
    { name: 'forever', isDefault: false, maxTimeMinutes: Infinity, nodes: ['n1', 'n2'] },
  ],
  nodes: [node('n1'), node('n2')],
  accounts: ['proj1'],
  fetchedAt: '2026-11-24T00:00:00Z',
};

const script = (...directives: string[]) => ['#!/bin/bash', ...directives.map((d) => `#SBATCH ${d}`), 'srun hostname', ''].join('\n');
const clusterCodes = (ds: readonly Diagnostic[]) => ds.map((d) => String(d.code)).filter((c) => c >= 'SBATCH200');

describe('cluster profile from the client', () => {
  let lsp: LspHarness;
  before(async () => { lsp = await LspHarness.start(); });
  after(async () => { await lsp.shutdown(); });

  async function sendProfile(profile: ClusterProfile | null, uris: readonly string[]) {
    const waits = uris.map((u) => lsp.nextDiagnostics(u));
    await lsp.client.sendNotification(ClusterProfileNotification.type, { profile: profile ? clusterProfileToJson(profile) : null });
    return Promise.all(waits);
  }

  test('a profile adds SBATCH2xx diagnostics to open documents; null removes them', async () => {
    const partition = 'untitled:cluster-partition.slurm';
    const account = 'untitled:cluster-account.sh';
    const opened = await lsp.open(partition, 'slurm', script('--partition=nosuch', '--time=10'));
    assert.deepEqual(clusterCodes(opened.diagnostics), [], 'no cluster rules without a profile');
    await lsp.open(account, 'shellscript', script('--account=other'));

    const [withPartition, withAccount] = await sendProfile(PROFILE, [partition, account]);
    const unknown = withPartition!.diagnostics.find((d) => d.code === 'SBATCH200');
    assert.ok(unknown, `SBATCH200 published: ${JSON.stringify(withPartition!.diagnostics)}`);
    assert.equal(unknown.source, 'hpc-jobs');
    assert.match(unknown.message, /no partition "nosuch".*debug \(default\), forever/);
    assert.deepEqual(clusterCodes(withAccount!.diagnostics), ['SBATCH201']);

    // An edit after the notification is linted against the profile too.
    const edited = await lsp.replaceAll(partition, script('--partition=debug', '--time=45'));
    assert.deepEqual(clusterCodes(edited.diagnostics), ['SBATCH203']);

    const [cleared, clearedAccount] = await sendProfile(null, [partition, account]);
    assert.deepEqual(clusterCodes(cleared!.diagnostics), []);
    assert.deepEqual(clusterCodes(clearedAccount!.diagnostics), []);
    await lsp.close(partition);
    await lsp.close(account);
  });

  test('an UNLIMITED MaxTime arrives as unlimited, not as 0', async () => {
    const json = JSON.parse(JSON.stringify(clusterProfileToJson(PROFILE)));
    assert.equal(clusterProfileFromJson(json).partitions[1]!.maxTimeMinutes, Infinity);

    const uri = 'untitled:cluster-forever.slurm';
    await lsp.open(uri, 'slurm', script('--partition=forever', '--time=30-00:00:00'));
    const [published] = await sendProfile(PROFILE, [uri]);
    assert.deepEqual(clusterCodes(published!.diagnostics), []);
    await sendProfile(null, [uri]);
    await lsp.close(uri);
  });
});
