/**
 * `hpc-jobs mcp` (the built CLI) driven by the MCP SDK's own client over stdio: the tools it
 * lists (read-only; nothing that submits or cancels), and each called: lint_batch_script (text
 * and path, the same findings as the engine, fixes included), explain_sbatch_option, and the
 * cluster tools' refusals without a cluster. test/cluster/mcpCluster.test.ts calls list_jobs and
 * job_outcome against the real test cluster.
 *
 * Run: node --import tsx --test test/integration/mcpServer.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { lintText } from '../../server/src/lint';
import { buildCliBundle } from './cliBundle';
import { call, connectMcp } from './mcpClient';

const BAD = '#!/bin/bash\n#SBATCH --tiem=00:10:00\n#SBATCH --ntasks=4\nsrun hostname\n';

describe('hpc-jobs mcp with the MCP SDK\'s client', () => {
  let dir = '';
  let client: Client;
  before(async () => {
    buildCliBundle();
    dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-mcp-'));
    const clusters = path.join(dir, 'clusters.json');
    writeFileSync(clusters, JSON.stringify({ clusters: { here: { workDir: '~/x' } } }));
    client = await connectMcp({ HPC_JOBS_CONFIG: clusters });
  });
  after(async () => {
    await client?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('lists four read-only tools: lint, explain, jobs, outcome; none submits or cancels', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['explain_sbatch_option', 'job_outcome', 'lint_batch_script', 'list_jobs']);
    for (const t of tools) {
      assert.equal(t.annotations?.readOnlyHint, true, t.name);
      assert.ok(t.description && t.description.length > 20, t.name);
      assert.equal(t.inputSchema.type, 'object');
    }
    const lint = tools.find((t) => t.name === 'lint_batch_script')!;
    assert.deepEqual(Object.keys(lint.inputSchema.properties ?? {}).sort(), ['path', 'slurmVersion', 'text']);
    // The cluster parameter names the clusters of the file.
    const jobs = tools.find((t) => t.name === 'list_jobs')!;
    assert.match(JSON.stringify(jobs.inputSchema.properties?.['cluster']), /clusters\.json\): here/);
    assert.equal(client.getServerVersion()?.name, 'hpc-jobs');
  });

  test('lint_batch_script: text → the engine\'s diagnostics, 1-based, with fixes', async () => {
    const r = await call(client, 'lint_batch_script', { text: BAD });
    assert.equal(r.isError, false);
    const diagnostics = r.json['diagnostics'] as { code: string; start: { line: number; column: number }; fixes: { title: string; preferred: boolean; edits: { newText: string }[] }[] }[];
    assert.deepEqual(diagnostics.map((d) => d.code), lintText(BAD).map((d) => d.code));
    const unknown = diagnostics.find((d) => d.code === 'SBATCH020')!;
    assert.deepEqual(unknown.start, { line: 2, column: 9 });
    assert.deepEqual(unknown.fixes.map((f) => [f.title, f.preferred, f.edits[0]!.newText]), [['Change to --time', true, '--time'], ['Change to --mem', false, '--mem']]);
    assert.match(String(r.json['summary']), /^1 error\(s\)/);
  });

  test('lint_batch_script: a path, a release; bad input is an error the agent can read', async () => {
    const file = path.join(dir, 'job.slurm');
    writeFileSync(file, '#!/bin/bash\n#SBATCH --tres-bind=gres/gpu:closest\nsrun x\n');
    const any = await call(client, 'lint_batch_script', { path: file });
    assert.deepEqual([any.isError, (any.json['diagnostics'] as unknown[]).length], [false, 0]);
    const old = await call(client, 'lint_batch_script', { path: file, slurmVersion: '22.05' });
    assert.deepEqual((old.json['diagnostics'] as { code: string }[]).map((d) => d.code), lintText('#!/bin/bash\n#SBATCH --tres-bind=gres/gpu:closest\nsrun x\n', { slurmVersion: '22.05' }).map((d) => d.code));
    for (const [args, message] of [
      [{ text: BAD, path: file }, /either text .* or path/],
      [{}, /either text .* or path/],
      [{ path: path.join(dir, 'missing.slurm') }, /missing\.slurm: no such file/],
      [{ path: dir }, /is a directory/],
      [{ text: BAD, slurmVersion: 'latest' }, /'latest' is not a Slurm release/],
    ] as const) {
      const r = await call(client, 'lint_batch_script', args);
      assert.equal(r.isError, true, JSON.stringify(args));
      assert.match(String(r.json['error']), message);
    }
  });

  test('explain_sbatch_option: short, long and abbreviated names; a value is checked', async () => {
    const t = await call(client, 'explain_sbatch_option', { option: '-t', value: '1-12:00:00' });
    assert.equal(t.isError, false);
    assert.match(String(t.json['option']), /--time/);
    assert.match(String(t.json['value']), /\n1 day 12 hours\n/);
    assert.deepEqual(t.json['diagnostics'], []);
    const abbreviated = await call(client, 'explain_sbatch_option', { option: 'partit' });
    assert.match(String(abbreviated.json['option']), /abbreviation of `--partition`/);
    const ambiguous = await call(client, 'explain_sbatch_option', { option: '--ntas' });
    assert.match(String(ambiguous.json['option']), /ambiguous; it could be `--ntasks`, `--ntasks-per-core`/);
    const badValue = await call(client, 'explain_sbatch_option', { option: '--time', value: 'soon' });
    assert.ok((badValue.json['diagnostics'] as { severity: string }[]).some((d) => d.severity === 'error'), JSON.stringify(badValue.json));
    const unknown = await call(client, 'explain_sbatch_option', { option: '--tiem' });
    assert.match(JSON.stringify(unknown.json), /Did you mean --time/);
    for (const option of ['--time\n#SBATCH --mem=1', 'rm -rf', '']) {
      const r = await call(client, 'explain_sbatch_option', { option });
      assert.equal(r.isError, true, option);
    }
  });

  test('list_jobs and job_outcome: only clusters of the file; a bad job id is refused before any connection', async () => {
    const r = await call(client, 'list_jobs', { cluster: 'alice@login.example.org' });
    assert.equal(r.isError, true);
    assert.match(String(r.json['error']), /no cluster "alice@login\.example\.org" in .*clusters\.json \(known: here\)/);
    const id = await call(client, 'job_outcome', { cluster: 'here', jobId: '12; rm -rf ~' });
    assert.equal(id.isError, true);
    assert.match(String(id.json['error']), /not a job id/);
  });
});
