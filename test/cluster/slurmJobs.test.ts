/**
 * Slurm over SSH against the real cluster (test/cluster/up.sh) and its real sshd: jobs of every
 * kind reach the right final state and exit code, output arrives while jobs run, survives a
 * dropped connection, and failures (dead controller, no accounting, missing output folder) say
 * what happened. Tests run concurrently: the timeout job alone takes ~1-1.5 min.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { OutputLine } from '../../runtimes/src/runtime';
import type { SlurmCluster, SubmittedJob } from '../../runtimes/src/slurm/slurmCluster';
import { shellCommand, remotePath } from '../../runtimes/src/transport/shellQuote';
import type { SshTransport } from '../../runtimes/src/transport/sshTransport';
import {
  clusterAvailability, cluster, JOBS_DIR, killSshdSession, knownHostsFor, requireEnv, runFolder, scratch, suiteOptions, transport, waitFor,
  type ClusterEnv,
} from './slurmTestCluster';

const available = clusterAvailability();

const texts = (lines: readonly OutputLine[]): string[] => lines.filter((l) => !l.system).map((l) => l.text);

describe('Slurm over SSH: jobs on the real cluster', suiteOptions(available, { concurrency: true, timeout: 200_000 }), () => {
  let env: ClusterEnv;
  let knownHosts: string;
  let ssh: SshTransport;
  let c: SlurmCluster;
  const dir = runFolder('jobs');
  const jobs = new Map<string, Promise<SubmittedJob>>();

  const submit = (file: string, extra: { sbatchOptions?: string[] } = {}): Promise<SubmittedJob> => {
    const p = c.submitScript(path.join(JOBS_DIR, file), { remoteDir: dir, ...extra });
    jobs.set(`${file}:${jobs.size}`, p);
    return p;
  };

  before(async () => {
    env = requireEnv(available);
    knownHosts = knownHostsFor(env, scratch('slurm-jobs-'));
    ssh = transport(env, knownHosts);
    c = cluster(ssh);
    await ssh.mkdirp(dir);
    // pi_pool.py and pi_mpi.py are not put there: each submission takes along the program its script runs.
  });

  after(async () => {
    // Nothing of ours may outlive the run on the shared cluster.
    for (const p of jobs.values()) {
      const s = await p.catch(() => undefined);
      if (s && (s.job.state === 'queued' || s.job.state === 'running')) await c.cancel(s.jobId).catch(() => undefined);
    }
    await ssh.exec(shellCommand(['rm', '-rf', '--', remotePath(dir)])).catch(() => undefined);
    c?.dispose();
    await ssh?.dispose();
  });

  test('timeout: --time below a minute is rounded up; the job ends TIMEOUT (timedOut)', { timeout: 180_000 }, async () => {
    const s = await submit('job_timeout.sh');
    const r = await s.job.result;
    assert.equal(r.state, 'timedOut', r.summary);
    assert.equal(s.job.slurmState, 'TIMEOUT');
    assert.equal(r.exits[0]?.timedOut, true);
    assert.match(r.summary, /TIMEOUT/);
  });

  test('an executable the script runs goes along still executable; a link to a file elsewhere does not', async () => {
    const local = scratch('along-');
    mkdirSync(path.join(local, 'tools'));
    writeFileSync(path.join(local, 'tools', 'hello.sh'), '#!/bin/sh\necho "hello from tools"\n', { mode: 0o755 });
    const secret = path.join(scratch('elsewhere-'), 'secret.txt');
    writeFileSync(secret, 'not for the cluster\n');
    symlinkSync(secret, path.join(local, 'secret.txt'));
    const script = path.join(local, 'along.sh');
    writeFileSync(script, '#!/bin/bash\n#SBATCH --time=1\n./tools/hello.sh\ncat secret.txt 2>/dev/null || echo "no secret here"\n');
    const s = await c.submitScript(script, { remoteDir: `${dir}/along` });
    jobs.set('along', Promise.resolve(s));
    assert.deepEqual(s.uploaded, ['tools/hello.sh']);
    assert.ok(s.job.tail().some((l) => l.system && /^not uploaded: secret\.txt \(a link to a file outside the script's folder\)/.test(l.text)),
      s.job.tail().map((l) => l.text).join('\n'));
    const r = await s.job.result;
    assert.equal(r.state, 'succeeded', r.summary);
    assert.deepEqual(texts(s.job.tail()), ['hello from tools', 'no secret here']);
  });

  test('pool job: its program goes along; COMPLETED, exit 0, its output tailed', async () => {
    const s = await submit('job_pool.sh');
    assert.deepEqual(s.uploaded, ['pi_pool.py']);
    assert.ok(s.job.tail().some((l) => l.system && l.text === `uploaded to ${path.posix.dirname(s.remoteScript)} with job_pool.sh: pi_pool.py`),
      s.job.tail().map((l) => l.text).join('\n'));
    const r = await s.job.result;
    assert.equal(r.state, 'succeeded', r.summary);
    assert.deepEqual(r.exits, [{ code: 0 }]);
    assert.ok(texts(s.job.tail()).some((l) => /^procs=2 pi~3\.1/.test(l)), texts(s.job.tail()).join('\n'));
    assert.match(s.job.logPath, /\/pool_\d+\.out$/);
  });

  test('MPI with mpirun: COMPLETED, pi printed', async () => {
    const s = await submit('job_mpi_mpirun.sh');
    const r = await s.job.result;
    assert.equal(r.state, 'succeeded', `${r.summary}\n${texts(s.job.tail()).join('\n')}`);
    assert.ok(texts(s.job.tail()).some((l) => l.startsWith('pi~3.1')), texts(s.job.tail()).join('\n'));
  });

  test('MPI with srun --mpi=pmix on 2 nodes: COMPLETED, 4 ranks', async () => {
    const s = await submit('job_mpi_srun.sh');
    const r = await s.job.result;
    assert.equal(r.state, 'succeeded', `${r.summary}\n${texts(s.job.tail()).join('\n')}`);
    assert.equal(texts(s.job.tail()).filter((l) => l.startsWith('rank')).length, 4, texts(s.job.tail()).join('\n'));
  });

  test('array: 4 tasks as units, each COMPLETED, output tagged with its task', async () => {
    const s = await submit('job_array.sh');
    const r = await s.job.result;
    assert.equal(r.state, 'succeeded', r.summary);
    assert.deepEqual(r.exits.map((e) => [e.task, e.code]), [[0, 0], [1, 0], [2, 0], [3, 0]]);
    assert.deepEqual(s.job.tasks.map((t) => t.slurmState), ['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
    const lines = s.job.tail();
    for (const i of [0, 1, 2, 3]) assert.ok(lines.some((l) => l.task === i && l.text.startsWith(`task ${i} of ${s.jobId} on n`)), `task ${i}: ${JSON.stringify(lines)}`);
    assert.equal(r.summary, `job ${s.jobId}: all 4 tasks COMPLETED`);
  });

  test('failing job: FAILED with exit code 3, its last words in the tail', async () => {
    const s = await submit('job_fail.sh');
    const r = await s.job.result;
    assert.equal(r.state, 'failed');
    assert.deepEqual(r.exits, [{ code: 3 }]);
    assert.equal(r.summary, `job ${s.jobId} FAILED with exit code 3`);
    assert.deepEqual(texts(s.job.tail()), ['about to fail']);
  });

  test('cancel a running job: CANCELLED, and cancel() resolves once it is gone', async () => {
    const s = await submit('job_long.sh');
    await waitFor('the long job to print', () => texts(s.job.tail()).includes('tick 2') || undefined, 60_000);
    await s.job.cancel();
    const r = await s.job.result;
    assert.equal(r.state, 'cancelled');
    assert.equal(s.job.slurmState, 'CANCELLED');
  });

  test('cancel one array task, then the rest', async () => {
    const s = await c.submitScriptText('#!/bin/bash\n#SBATCH --array=0-2\n#SBATCH --time=2\n#SBATCH --output=/dev/null\nsleep 60\n', 'cancel_task.sh', { remoteDir: dir });
    jobs.set('cancel_task', Promise.resolve(s));
    await waitFor('3 tasks to run or pend', () => s.job.tasks.length === 3 || undefined);
    await s.job.cancelTask(1);
    await waitFor('task 1 cancelled', () => s.job.tasks.find((t) => t.task === 1)?.slurmState === 'CANCELLED' || undefined, 30_000);
    assert.ok(s.job.tasks.filter((t) => t.task !== 1).every((t) => t.state === 'queued' || t.state === 'running'));
    await s.job.cancel();
    const r = await s.job.result;
    assert.equal(r.state, 'cancelled');
    assert.ok(s.job.tasks.every((t) => t.slurmState === 'CANCELLED'));
  });

  test('a line written by a running job is in the tail within 2 s', async () => {
    // Each line carries the time it was written (same clock: the cluster is this machine).
    const script = '#!/bin/bash\n#SBATCH --time=2\n#SBATCH --output=latency_%j.out\nsleep 1.5\nfor i in $(seq 1 12); do echo "L $i $(date +%s%3N)"; sleep 0.3; done\n';
    const s = await c.submitScriptText(script, 'latency.sh', { remoteDir: dir });
    jobs.set('latency', Promise.resolve(s));
    const delays: number[] = [];
    s.job.onDidOutput((lines) => {
      for (const l of lines) { const m = /^L \d+ (\d+)$/.exec(l.text); if (m) delays.push(l.time - Number(m[1])); }
    });
    const r = await s.job.result;
    assert.equal(r.state, 'succeeded');
    assert.equal(delays.length, 12);
    assert.ok(Math.max(...delays) < 2000, `delays ms: ${delays.join(', ')}`);
  });

  test('connection dropped mid-tail (sshd session killed): reconnects, no line lost or repeated', async () => {
    const own = transport(env, knownHosts, { reconnectWaitMs: 30_000 });
    const oc = cluster(own);
    try {
      const script = '#!/bin/bash\n#SBATCH --time=2\n#SBATCH --output=drop_%j.out\nsleep 1\nfor i in $(seq 1 40); do echo "line $i"; sleep 0.1; done\n';
      const s = await oc.submitScriptText(script, 'drop.sh', { remoteDir: dir });
      jobs.set('drop', Promise.resolve(s));
      const got: string[] = [];
      s.job.onDidOutput((lines) => got.push(...texts(lines)));
      await waitFor('5 lines', () => got.length >= 5 || undefined, 60_000);
      const port = own.localPort!;
      assert.ok(killSshdSession(env.port, port) > 0, `no sshd process holds the connection from port ${port}`);
      const r = await s.job.result;
      assert.equal(r.state, 'succeeded', r.summary);
      assert.ok(own.reconnectCount >= 1, 'the transport reconnected');
      assert.notEqual(own.localPort, port);
      assert.deepEqual(got, Array.from({ length: 40 }, (_, i) => `line ${i + 1}`));
    } finally {
      oc.dispose();
      await own.dispose();
    }
  });

  test('dead controller (SLURM_CONF with a closed SlurmctldPort): a clear message, jobs keep their state', async () => {
    const conf = (await ssh.readFile('/etc/slurm/slurm.conf')).toString('utf8').replace(/^SlurmctldPort=.*$/m, 'SlurmctldPort=1');
    await ssh.writeFile(`${dir}/dead.conf`, conf);
    const home = await ssh.homeDirectory();
    // Its own connection, as a second cluster would have: its commands each hang ~10 s (the
    // Slurm client retrying) and must not take the channels the other tests need.
    const own = transport(env, knownHosts);
    const dead = cluster(own, { env: { SLURM_CONF: `${home}/${dir.slice(2)}/dead.conf` } });
    try {
      const errors: string[] = [];
      dead.onDidError((e) => errors.push(e.message));
      const j = dead.attach('1');
      const [, submitError] = await Promise.all([
        dead.refresh(),
        dead.submitScriptText('#!/bin/bash\ntrue\n', 'never.sh', { remoteDir: dir, lint: false }).then(() => undefined, (e: Error) => e),
      ]);
      assert.match(errors[0] ?? '', /The Slurm controller of cluster "test" does not answer/);
      assert.equal(j.state, 'queued', 'no answer is not "finished"');
      assert.match(submitError?.message ?? '', /controller of cluster "test" does not answer.*Unable to contact slurm controller/s);
    } finally {
      dead.dispose();
      await own.dispose();
    }
  });

  test('no accounting + format-string squeue: exit codes from scontrol', async () => {
    const conf = (await ssh.readFile('/etc/slurm/slurm.conf')).toString('utf8')
      .replace(/^AccountingStorageType=.*$/m, 'AccountingStorageType=accounting_storage/none');
    await ssh.writeFile(`${dir}/noacct.conf`, conf);
    const home = await ssh.homeDirectory();
    const noacct = cluster(ssh, { env: { SLURM_CONF: `${home}/${dir.slice(2)}/noacct.conf` }, squeueMode: 'format' });
    try {
      const s = await noacct.submitScript(path.join(JOBS_DIR, 'job_fail.sh'), { remoteDir: dir });
      jobs.set('noacct', Promise.resolve(s));
      const r = await s.job.result;
      assert.equal(r.state, 'failed');
      assert.deepEqual(r.exits, [{ code: 3 }]);
      assert.deepEqual(texts(s.job.tail()), ['about to fail'], 'output paths from scontrol in format mode');
    } finally {
      noacct.dispose();
    }
  });

  test('missing output folder: lint refuses it; forced through, the job fails and the tail names the trap', async () => {
    const script = '#!/bin/bash\n#SBATCH --time=1\n#SBATCH --output=no_such_folder/out_%j.txt\necho hi\n';
    await assert.rejects(c.submitScriptText(script, 'nofolder.sh', { remoteDir: dir }), /Folder "no_such_folder" does not exist/);
    const s = await c.submitScriptText(script, 'nofolder.sh', { remoteDir: dir, lint: false });
    jobs.set('nofolder', Promise.resolve(s));
    const r = await s.job.result;
    assert.equal(r.state, 'failed');
    assert.ok(s.job.tail().some((l) => l.system && /output folder .*no_such_folder does not exist.*Slurm does not create it/.test(l.text)), JSON.stringify(s.job.tail()));
  });

  test('cluster profile: partitions, nodes, gres, accounts, MaxArraySize', async () => {
    const p = await c.profile();
    assert.deepEqual(p.partitions.map((x) => [x.name, x.maxTimeMinutes, x.isDefault]), [['debug', 30, true], ['long', 2880, false], ['gpu', 240, false]]);
    assert.deepEqual(p.nodes.map((n) => [n.name, n.cpus, n.memoryMB]), [['n1', 4, 4000], ['n2', 4, 4000], ['n3', 4, 4000], ['n4', 4, 4000]]);
    assert.deepEqual(p.nodes.find((n) => n.name === 'n4')!.gres, [{ name: 'gpu', count: 2 }]);
    assert.deepEqual(p.partitions.find((x) => x.name === 'gpu')!.nodes, ['n4']);
    if (env.accounting) {
      assert.deepEqual(p.accounts, ['proj1', 'proj2']);
      assert.equal(p.defaultAccount, 'proj1');
    }
    assert.equal(p.maxArraySize, 1001);
    assert.match(p.slurmVersion ?? '', /^22\.05\./);
    assert.equal(await c.profile(), p, 'cached');
  });

  test('a submitted Python file: generated script, srun over 2 tasks, cluster-aware lint', async () => {
    const py = path.join(scratch('py-'), 'hello.py');
    writeFileSync(py, 'import os\nprint("hello from", os.environ["SLURM_PROCID"], flush=True)\n');
    const s = await c.submitPython(py, { ntasks: 2, time: 1, partition: 'debug', account: 'proj1' }, { remoteDir: dir });
    jobs.set('python', Promise.resolve(s));
    const r = await s.job.result;
    assert.equal(r.state, 'succeeded', r.summary);
    assert.deepEqual(texts(s.job.tail()).sort(), ['hello from 0', 'hello from 1']);
    // The same choices over the partition's limit are refused before anything is sent.
    const refused = path.join(path.dirname(py), 'refused.py');
    writeFileSync(refused, readFileSync(py));
    await assert.rejects(c.submitPython(refused, { time: 90, partition: 'debug' }, { remoteDir: dir }), /not submitted to cluster "test"/);
    const listed = await ssh.exec(shellCommand(['ls', '-A', '--', remotePath(dir)]));
    assert.deepEqual(listed.stdout.split('\n').filter((f) => f.startsWith('refused')), [], 'the program of a refused job is not uploaded');
  });
});
