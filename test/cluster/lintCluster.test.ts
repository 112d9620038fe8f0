/**
 * `hpc-jobs lint --cluster`: the cluster-aware rules with a profile read from the real test
 * cluster over SSH. Each of test/cluster/jobs/bad_*.sh is one the real controller refuses.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { clusterAvailability, JOBS_DIR, knownHostsFor, requireEnv, scratch, suiteOptions, type ClusterEnv } from './slurmTestCluster';

const available = clusterAvailability();
const MAIN = path.resolve(__dirname, '../../cli/src/main.ts');
const EXAMPLES = path.resolve(__dirname, '../../examples');

function lint(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e',
    `require(${JSON.stringify(MAIN)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, '--', 'lint', '--format', 'json', ...args],
  { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stderr: r.stderr, rows: r.stdout ? JSON.parse(r.stdout) as Array<{ file: string; code: string }> : [] };
}

describe('hpc-jobs lint --cluster against the test cluster', suiteOptions(available, { timeout: 120_000 }), () => {
  let env: ClusterEnv;
  let connect: string[];
  before(() => {
    env = requireEnv(available);
    connect = ['--cluster', `${env.user}@${env.host}:${env.port}`, '-i', env.key, '--known-hosts', knownHostsFor(env, scratch('lint-cluster'))];
  });

  test('each script the controller refuses gets its cluster code; the examples stay clean', () => {
    const want: Record<string, string> = {
      'bad_partition.sh': 'SBATCH200', 'bad_account.sh': 'SBATCH201', 'bad_maxtime.sh': 'SBATCH203', 'bad_toomany.sh': 'SBATCH204',
    };
    const files = Object.keys(want).map((f) => path.join(JOBS_DIR, f));
    const r = lint([...connect, ...files, ...['job_distributed.slurm', 'job_MPI.slurm', 'job_array.slurm'].map((f) => path.join(EXAMPLES, f))]);
    assert.equal(r.code, 1, r.stderr);
    for (const [file, code] of Object.entries(want)) {
      const got = r.rows.filter((d) => path.basename(d.file) === file).map((d) => d.code);
      assert.ok(got.includes(code), `${file}: expected ${code}, got ${got.join(', ')}`);
    }
    assert.deepEqual(r.rows.filter((d) => d.file.startsWith(EXAMPLES)), []);
  });

  test('without --cluster the same scripts pass the cluster-independent rules', () => {
    const r = lint([path.join(JOBS_DIR, 'bad_partition.sh'), path.join(JOBS_DIR, 'bad_maxtime.sh')]);
    assert.equal(r.code, 0, JSON.stringify(r.rows));
  });

  test('a site plugin option: information without a cluster; an error on this cluster, whose sbatch has no plugins', () => {
    const file = path.join(scratch('lint-plugin'), 'shifter.sh');
    writeFileSync(file, '#!/bin/bash\n#SBATCH --image=docker:nersc/app:1.0\n#SBATCH -n 1\nsrun hostname\n');
    const without = lint([file]);
    assert.equal(without.code, 0, JSON.stringify(without.rows));
    assert.deepEqual(without.rows.map((d) => d.code), ['SBATCH125']);
    const onCluster = lint([...connect, file]);
    assert.equal(onCluster.code, 1, onCluster.stderr);
    assert.deepEqual(onCluster.rows.map((d) => d.code), ['SBATCH020']);
    // The real sbatch agrees: `sbatch: unrecognized option '--image=docker:nersc/app:1.0'`.
  });

  test('an output folder this machine cannot check (/fsx/...): silent here, checked on the cluster', () => {
    const file = path.join(scratch('lint-fsx'), 'fsx.sh');
    writeFileSync(file, '#!/bin/bash\n#SBATCH -n 1\n#SBATCH --output=/fsx/zz-hpc-jobs-run/%j.out\n#SBATCH --error=/tmp/%j.err\nsrun hostname\n');
    assert.deepEqual(lint([file]).rows, []);
    const onCluster = lint([...connect, '--strict', file]);
    assert.equal(onCluster.code, 1, onCluster.stderr);
    assert.deepEqual(onCluster.rows.map((d) => [d.code, (d as unknown as { severity: string }).severity, (d as unknown as { line: number }).line]), [['SBATCH107', 'warning', 3]]);
  });

  test('an unreachable cluster is an I/O error (exit 2) with a clear message', () => {
    const r = lint(['--cluster', 'nobody@127.0.0.1:1', path.join(EXAMPLES, 'job_MPI.slurm')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /connection refused/i);
    assert.deepEqual(r.rows, []);
  });
});
