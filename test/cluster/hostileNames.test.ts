/**
 * Hostile file, folder and job names through the real sshd and sbatch: each must arrive as
 * exactly that name, and nothing in it may run. The payloads have the shape of
 * `a'; rm -rf ~; '` but aim at a canary folder and `touch pwned…` markers — the cluster and the
 * test user's home are shared, and a quoting bug must show up as a failed test, not a wiped home.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { SlurmCluster, SubmittedJob } from '../../runtimes/src/slurm/slurmCluster';
import { parseSqueueJson } from '../../runtimes/src/slurm/squeueJson';
import { remotePath, shellCommand } from '../../runtimes/src/transport/shellQuote';
import type { SshTransport } from '../../runtimes/src/transport/sshTransport';
import { clusterAvailability, cluster, knownHostsFor, requireEnv, runFolder, scratch, suiteOptions, transport } from './slurmTestCluster';

const available = clusterAvailability();
/** Each submission's own folder: the script's name made safe, the time, a random end. */
const OWN_FOLDER = /^[A-Za-z0-9._+-]+-\d{8}-\d{6}-[0-9a-f]{4}$/;
const ownFolder = (s: SubmittedJob): string => {
  const own = path.posix.basename(path.posix.dirname(s.remoteScript));
  assert.match(own, OWN_FOLDER);
  return own;
};

describe('hostile names over SSH', suiteOptions(available, { concurrency: true, timeout: 120_000 }), () => {
  let ssh: SshTransport;
  let c: SlurmCluster;
  let home: string;
  const run = runFolder('hostile');
  const canary = `${run}/canary`;
  const submitted: SubmittedJob[] = [];
  // No "/" in file and folder names (it would make a path); job names may hold anything but NUL.
  const folders = [`a'; rm -rf canary; '`, '$(touch pwned_f1)', 'sp ace`touch pwned_f2`', 'new\nline', 'naïve-日本-😀', '-rf'];
  const scripts = [`b'; touch pwned_s1; '.sh`, '$(touch pwned_s2).sh', '`touch pwned_s3`.sh', 'two\nlines.sh', 'ünï cödé.sh', '--help'];
  const jobNames = () => [`a'; rm -rf ${canary}; '`, '$(touch ~/pwned_j1)', '`touch ~/pwned_j2`', 'line1\nline2', '日本語 😀 "quoted" \\ back', '--wrap=touch pwned_j3'];

  before(async () => {
    const env = requireEnv(available);
    ssh = transport(env, knownHostsFor(env, scratch('hostile-')));
    c = cluster(ssh);
    home = await ssh.homeDirectory();
    await ssh.mkdirp(canary);
  });

  after(async () => {
    for (const s of submitted) if (s.job.state === 'queued' || s.job.state === 'running') await c.cancel(s.jobId).catch(() => undefined);
    await ssh.exec(shellCommand(['rm', '-rf', '--', remotePath(run)])).catch(() => undefined);
    c?.dispose();
    await ssh?.dispose();
  });

  /** Every entry under `dir`, NUL-separated so newlines in names survive. */
  async function listTree(dir: string): Promise<string[]> {
    const r = await ssh.exec(shellCommand(['find', remotePath(dir), '-mindepth', '1', '-printf', '%P\\0']));
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.split('\0').filter(Boolean).sort();
  }

  test('scripts in hostile folders, with hostile file and job names: exactly those names, nothing else ran', async () => {
    const jobs = await Promise.all(folders.map(async (folder, i) => {
      const name = scripts[i]!;
      const jobName = jobNames()[i]!;
      const s = await c.submitScriptText('#!/bin/bash\n#SBATCH --time=1\necho "ran in $PWD"\n', name, {
        remoteDir: `${run}/s/${folder}`, sbatchOptions: [`--job-name=${jobName}`],
      });
      submitted.push(s);
      return { s, folder, name, jobName };
    }));
    // The job names as the controller has them (squeue --json carries any byte but NUL).
    const ids = new Set(jobs.map((j) => j.s.jobId));
    const named = new Map(parseSqueueJson((await ssh.exec(shellCommand(['squeue', '--json']))).stdout).filter((r) => ids.has(r.jobId)).map((r) => [r.jobId, r.name]));
    for (const j of jobs) assert.equal(named.get(j.s.jobId), j.jobName, `job name of ${JSON.stringify(j.name)}`);

    const results = await Promise.all(jobs.map((j) => j.s.job.result));
    for (const [i, r] of results.entries()) {
      const j = jobs[i]!;
      assert.equal(r.state, 'succeeded', `${JSON.stringify(j.name)}: ${r.summary}`);
      const own = ownFolder(j.s);
      // (a folder name with a newline prints as two lines)
      assert.equal(j.s.job.tail().map((l) => l.text).join('\n'), `ran in ${home}/${run.slice(2)}/s/${j.folder}/${own}`);
      assert.equal(j.s.remoteScript, `${home}/${run.slice(2)}/s/${j.folder}/${own}/${j.name}`);
    }
    const tree = await listTree(`${run}/s`);
    const expected = jobs.flatMap((j) => {
      const own = `${j.folder}/${ownFolder(j.s)}`;
      return [j.folder, own, `${own}/${j.name}`, `${own}/slurm-${j.s.jobId}.out`];
    }).sort();
    assert.deepEqual(tree, expected, 'exactly the files we wrote and Slurm wrote, no markers');
    assert.equal((await ssh.stat(canary))?.isDirectory, true, 'the canary folder survived');
    const pwnedAtHome = await ssh.exec(shellCommand(['find', remotePath('~'), '-maxdepth', '1', '-name', 'pwned*']));
    assert.equal(pwnedAtHome.stdout, '');
  });

  test('the files a script runs go along, whatever their names: exactly those arrive, nothing in a name runs', async () => {
    const local = scratch('hostile-along-');
    const sub = `we'ird $(touch pwned_a1)`;
    const data = 'da"ta`;touch pwned_a2`.txt';
    mkdirSync(path.join(local, sub));
    writeFileSync(path.join(local, sub, 'ma in.py'), 'import sys, helpers\nprint(helpers.greet(), open(sys.argv[1]).read().strip())\n');
    writeFileSync(path.join(local, sub, 'helpers.py'), 'def greet():\n    return "hello from helpers"\n');
    writeFileSync(path.join(local, data), 'and the data\n');
    // 'we'"'"'ird …': a single quote inside a single-quoted word, as a shell script writes it.
    const script = path.join(local, 'run it.sh');
    writeFileSync(script, `#!/bin/bash\n#SBATCH --time=1\npython3 'we'"'"'ird $(touch pwned_a1)/ma in.py' '${data}'\n`);
    const s = await c.submitScript(script, { remoteDir: `${run}/along` });
    submitted.push(s);
    assert.deepEqual([...s.uploaded].sort(), [data, `${sub}/helpers.py`, `${sub}/ma in.py`].sort());
    const r = await s.job.result;
    assert.equal(r.state, 'succeeded', r.summary);
    assert.deepEqual(s.job.tail().filter((l) => !l.system).map((l) => l.text), ['hello from helpers and the data']);
    // (less what Python itself writes there when the job imports helpers)
    const tree = (await listTree(`${run}/along`)).filter((f) => !f.includes('__pycache__'));
    const own = ownFolder(s);
    assert.deepEqual(tree, [own, ...['run it.sh', data, sub, `${sub}/helpers.py`, `${sub}/ma in.py`, `slurm-${s.jobId}.out`].map((f) => `${own}/${f}`)].sort(),
      'exactly those files, no temporary ones, no markers');
    const pwnedAtHome = await ssh.exec(shellCommand(['find', remotePath('~'), '-maxdepth', '1', '-name', 'pwned*']));
    assert.equal(pwnedAtHome.stdout, '');
  });

  test('a Python file with a hostile name and job name', async () => {
    const dir = scratch('hostile-py-');
    const file = path.join(dir, `p'; touch pwned_p1; '.py`);
    writeFileSync(file, 'import sys\nprint("argv0", sys.argv[0], flush=True)\n');
    const jobName = `$(touch pwned_p2) "and" 'this'`;
    const s = await c.submitPython(file, { jobName, time: 1 }, { remoteDir: `${run}/py` });
    submitted.push(s);
    const r = await s.job.result;
    assert.equal(r.state, 'succeeded', r.summary);
    assert.deepEqual(s.job.tail().map((l) => l.text), [`argv0 ${path.basename(file)}`]);
    const tree = await listTree(`${run}/py`);
    const own = ownFolder(s);
    assert.deepEqual(tree, [own, ...[path.basename(file), `p'; touch pwned_p1; '.sbatch`, `p'; touch pwned_p1; '-${s.jobId}.out`].map((f) => `${own}/${f}`)].sort());
  });
});
