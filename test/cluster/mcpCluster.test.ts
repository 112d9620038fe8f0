/**
 * `hpc-jobs mcp`'s cluster tools against the real test cluster, called by the MCP SDK's client:
 * list_jobs shows a held job of ours, job_outcome says how a finished job ended (FAILED, exit 3).
 * The jobs are submitted with the CLI (`hpc-jobs submit`), not through MCP, which cannot submit.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { shellCommand, remotePath } from '../../runtimes/src/transport/shellQuote';
import type { SshTransport } from '../../runtimes/src/transport/sshTransport';
import { buildCliBundle, CLI } from '../integration/cliBundle';
import { call, connectMcp } from '../integration/mcpClient';
import { clusterAvailability, JOBS_DIR, knownHostsFor, requireEnv, runFolder, scratch, suiteOptions, transport } from './slurmTestCluster';

const available = clusterAvailability();

describe('hpc-jobs mcp: list_jobs and job_outcome on the test cluster', suiteOptions(available, { timeout: 180_000 }), () => {
  let client: Client;
  let ssh: SshTransport;
  let config: Record<string, string>;
  const work = runFolder('mcp');
  const held: string[] = [];

  before(async () => {
    const env = requireEnv(available);
    buildCliBundle();
    const dir = scratch('mcp-cluster-');
    const knownHosts = knownHostsFor(env, dir);
    ssh = transport(env, knownHosts);
    const file = path.join(dir, 'clusters.json');
    writeFileSync(file, JSON.stringify({ clusters: { test: { ssh: `${env.user}@${env.host}:${env.port}`, identityFile: env.key, knownHostsFiles: [knownHosts], workDir: work } } }));
    config = { HPC_JOBS_CONFIG: file, SSH_AUTH_SOCK: '' };
    client = await connectMcp(config);
  });
  after(async () => {
    for (const id of held) await ssh.exec(shellCommand(['scancel', id])).catch(() => undefined);
    await ssh.exec(shellCommand(['rm', '-rf', '--', remotePath(work)])).catch(() => undefined);
    await ssh.dispose();
    await client?.close();
  });

  const submit = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, 'submit', '--cluster', 'test', ...args], { env: { ...process.env, ...config }, encoding: 'utf8', timeout: 150_000 });
    return { code: r.status, id: r.stdout.split('\n')[0]!.trim(), stderr: r.stderr };
  };

  test('job_outcome: a finished job\'s state and exit code (and one that does not exist)', async () => {
    const s = submit('--follow', path.join(JOBS_DIR, 'job_fail.sh'));
    assert.equal(s.code, 3, s.stderr);
    const r = await call(client, 'job_outcome', { cluster: 'test', jobId: s.id });
    assert.equal(r.isError, false, JSON.stringify(r.json));
    const [rec] = r.json['records'] as { jobId: string; state: string; exit: { code: number }; name: string }[];
    assert.deepEqual([rec!.jobId, rec!.state, rec!.exit, rec!.name], [s.id, 'FAILED', { code: 3 }, 'fail']);
    const none = await call(client, 'job_outcome', { cluster: 'test', jobId: '999999' });
    assert.equal(none.isError, true);
    assert.match(String(none.json['error']), /job 999999 is not known to test/);
  });

  test('list_jobs: our held job, pending with its reason', async () => {
    const s = submit(path.join(JOBS_DIR, 'job_long.sh'), '--', '--hold');
    assert.equal(s.code, 0, s.stderr);
    held.push(s.id);
    const r = await call(client, 'list_jobs', { cluster: 'test' });
    assert.equal(r.isError, false, JSON.stringify(r.json));
    const job = (r.json['jobs'] as { jobId: string; state: string; reason: string; name: string }[]).find((j) => j.jobId === s.id);
    assert.deepEqual(job && [job.state, job.reason, job.name], ['PENDING', 'JobHeldUser', 'long']);
  });
});
