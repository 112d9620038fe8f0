/**
 * One folder per submission on the cluster (issue 11, item 2), on the real cluster over the real
 * sshd and through Slurm on this machine: two projects' same-named programs each print their own
 * result (the first job held until the second is uploaded: with one shared folder, the second
 * upload replaced the first job's program), the job starts in its folder, named after the
 * script and the time; a refused submission leaves nothing; sbatch options after `--` are linted.
 *
 * Run: node --import tsx --test test/cluster/submissionFolders.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { SlurmCluster, SubmittedJob } from '../../runtimes/src/slurm/slurmCluster';
import { SlurmCluster as Cluster } from '../../runtimes/src/slurm/slurmCluster';
import { LocalTransport } from '../../runtimes/src/transport/localTransport';
import { remotePath, shellCommand } from '../../runtimes/src/transport/shellQuote';
import type { SshTransport } from '../../runtimes/src/transport/sshTransport';
import { cluster, clusterAvailability, knownHostsFor, requireEnv, runFolder, scratch, suiteOptions, transport } from './slurmTestCluster';

const available = clusterAvailability();
const texts = (s: SubmittedJob): string[] => s.job.tail().filter((l) => !l.system).map((l) => l.text);

/** Two projects, each with a `job.sh` that runs its own `prog.py` (same names, different results). */
function twoProjects(): { a: string; b: string } {
  const root = scratch('projects-');
  const make = (name: string) => {
    const dir = path.join(root, name);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'prog.py'), `print("result of project ${name}")\n`);
    writeFileSync(path.join(dir, 'job.sh'), '#!/bin/bash\n#SBATCH --time=1\necho "in $PWD"\npython3 prog.py\n');
    return dir;
  };
  return { a: make('A'), b: make('B') };
}

const FOLDER = /^job-\d{8}-\d{6}-[0-9a-f]{4}$/;

describe('one folder per submission: over SSH', suiteOptions(available, { timeout: 200_000 }), () => {
  let ssh: SshTransport;
  let c: SlurmCluster;
  const work = runFolder('subm');
  const submitted: SubmittedJob[] = [];

  before(async () => {
    const env = requireEnv(available);
    ssh = transport(env, knownHostsFor(env, scratch('subm-')));
    c = cluster(ssh, { workDir: work });
  });

  after(async () => {
    for (const s of submitted) if (s.job.state === 'queued' || s.job.state === 'running') await c.cancel(s.jobId).catch(() => undefined);
    await ssh?.exec(shellCommand(['rm', '-rf', '--', remotePath(work)])).catch(() => undefined);
    c?.dispose();
    await ssh?.dispose();
  });

  const folders = async (below = ''): Promise<string[]> => {
    const r = await ssh.exec(shellCommand(['ls', '-A', '--', remotePath(below ? `${work}/${below}` : work)]));
    return r.stdout.split('\n').filter(Boolean).sort();
  };

  test('same-named programs of two projects: each job prints its own project\'s result, from a folder of its own', async () => {
    const { a, b } = twoProjects();
    // A waits in the queue (held) while B is uploaded and runs: A must still find its own prog.py.
    const sa = await c.submitScript(path.join(a, 'job.sh'), { sbatchOptions: ['--hold'] });
    submitted.push(sa);
    const sb = await c.submitScript(path.join(b, 'job.sh'));
    submitted.push(sb);
    assert.deepEqual([sa.uploaded, sb.uploaded], [['prog.py'], ['prog.py']]);
    const rb = await sb.job.result;
    assert.equal(rb.state, 'succeeded', rb.summary);
    const released = await ssh.exec(shellCommand(['scontrol', 'release', sa.jobId]));
    assert.equal(released.code, 0, released.stderr);
    const ra = await sa.job.result;
    assert.equal(ra.state, 'succeeded', ra.summary);

    const dirA = path.posix.dirname(sa.remoteScript);
    const dirB = path.posix.dirname(sb.remoteScript);
    assert.notEqual(dirA, dirB);
    for (const d of [dirA, dirB]) assert.match(path.posix.basename(d), FOLDER);
    assert.deepEqual(texts(sa), [`in ${dirA}`, 'result of project A']);
    assert.deepEqual(texts(sb), [`in ${dirB}`, 'result of project B']);
    assert.deepEqual(await folders(), [path.posix.basename(dirA), path.posix.basename(dirB)].sort());
  });

  test('refused by sbatch: the folder it uploaded is removed', async () => {
    const { a } = twoProjects();
    // Well-formed, so only the controller can refuse it: no such reservation.
    const refused = c.submitScript(path.join(a, 'job.sh'), { remoteDir: `${work}/refused`, sbatchOptions: ['--reservation=nosuch'] });
    void refused.then((s) => submitted.push(s), () => undefined);
    await assert.rejects(refused, (e: Error) => e.name === 'LaunchError' && /reservation is invalid/i.test(e.message));
    assert.deepEqual(await folders('refused'), []);
  });

  test('sbatch options after -- are linted: a mistyped option or an unknown partition refuses, nothing is sent', async () => {
    const { a } = twoProjects();
    const before = await folders();
    await assert.rejects(c.submitScript(path.join(a, 'job.sh'), { sbatchOptions: ['--tiem=5'] }),
      /job\.sh was not submitted to cluster "test": 1 problem\n {2}sbatch options: SBATCH020 .*'--tiem'/);
    await assert.rejects(c.submitScript(path.join(a, 'job.sh'), { sbatchOptions: ['-p', 'nosuch'] }),
      /sbatch options: SBATCH200 .*nosuch/);
    assert.deepEqual(await folders(), before);
  });

  test('an --output folder that exists beside the script is made in the submission\'s folder', async () => {
    const { a } = twoProjects();
    mkdirSync(path.join(a, 'logs'));
    writeFileSync(path.join(a, 'logged.sh'), '#!/bin/bash\n#SBATCH --time=1\n#SBATCH --output=logs/%x-%j.out\necho "logged"\n');
    const s = await c.submitScript(path.join(a, 'logged.sh'));
    submitted.push(s);
    const r = await s.job.result;
    assert.equal(r.state, 'succeeded', r.summary);
    assert.deepEqual(texts(s), ['logged']);
    assert.match(s.job.logPath, new RegExp(`^${path.posix.dirname(s.remoteScript)}/logs/logged\\.sh-${s.jobId}\\.out$`));
  });
});

describe('following an output file the job appends to', suiteOptions(available, { timeout: 200_000 }), () => {
  test('--open-mode=append to a file that already has lines: only the job\'s own lines are followed', async () => {
    const env = requireEnv(available);
    const ssh = transport(env, knownHostsFor(env, scratch('append-')));
    const work = runFolder('append');
    const c = cluster(ssh, { workDir: work });
    try {
      const log = `${await ssh.homeDirectory()}/${work.slice(2)}/appended.log`;
      await ssh.mkdirp(work);
      await ssh.writeFile(log, 'a line from an earlier job\n');
      const s = await c.submitScriptText(`#!/bin/bash\n#SBATCH --time=1\n#SBATCH --output=${log}\n#SBATCH --open-mode=append\necho "this job's line"\n`, 'append.sh');
      const r = await s.job.result;
      assert.equal(r.state, 'succeeded', r.summary);
      assert.deepEqual(texts(s), ['this job\'s line']);
      assert.equal((await ssh.readFile(log)).toString(), 'a line from an earlier job\nthis job\'s line\n', 'the file itself keeps both');
    } finally {
      await ssh.exec(shellCommand(['rm', '-rf', '--', remotePath(work)])).catch(() => undefined);
      c.dispose();
      await ssh.dispose();
    }
  });
});

describe('one folder per submission: Slurm on this machine', suiteOptions(available, { timeout: 200_000 }), () => {
  const rootOnly = process.getuid?.() === 0 ? false : 'needs root: the local user must have a Slurm association (root has one on the test cluster)';

  test('Python files of two projects with the same name: each prints its own result', { skip: rootOnly }, async () => {
    const work = scratch('local-work-');
    const c = new Cluster({ name: 'here', transport: new LocalTransport(), pollIntervalMs: 500, workDir: work });
    const jobs: SubmittedJob[] = [];
    try {
      const { a, b } = twoProjects();
      const sa = await c.submitPython(path.join(a, 'prog.py'), { time: 1 }, { sbatchOptions: ['--hold'] });
      jobs.push(sa);
      const sb = await c.submitPython(path.join(b, 'prog.py'), { time: 1 });
      jobs.push(sb);
      assert.equal((await sb.job.result).state, 'succeeded');
      const released = spawnSync('scontrol', ['release', sa.jobId], { encoding: 'utf8' });
      assert.equal(released.status, 0, released.stderr);
      assert.equal((await sa.job.result).state, 'succeeded');
      assert.deepEqual(texts(sa), ['result of project A']);
      assert.deepEqual(texts(sb), ['result of project B']);
      const names = readdirSync(work).sort();
      assert.equal(names.length, 2);
      for (const n of names) assert.match(n, /^prog-\d{8}-\d{6}-[0-9a-f]{4}$/);
      assert.deepEqual(names, [path.basename(path.dirname(sa.remoteScript)), path.basename(path.dirname(sb.remoteScript))].sort());
    } finally {
      for (const s of jobs) if (s.job.state === 'queued' || s.job.state === 'running') await c.cancel(s.jobId).catch(() => undefined);
      c.dispose();
    }
  });

  test('a batch script is still submitted where it lies (as sbatch job.sh would)', { skip: rootOnly }, async () => {
    const { a } = twoProjects();
    const c = new Cluster({ name: 'here', transport: new LocalTransport(), pollIntervalMs: 500, workDir: scratch('local-work-') });
    try {
      const s = await c.submitScript(path.join(a, 'job.sh'));
      assert.equal(s.remoteScript, path.join(a, 'job.sh'));
      assert.equal((await s.job.result).state, 'succeeded');
      assert.deepEqual(texts(s), [`in ${a}`, 'result of project A']);
    } finally {
      c.dispose();
    }
  });
});
