/**
 * `hpc-jobs submit | jobs | cancel | alloc` as a user runs them (a child process, the cluster
 * named in a clusters file or given as user@host:port), and salloc in a PTY through the API.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SlurmCluster } from '../../runtimes/src/slurm/slurmCluster';
import { LocalTransport } from '../../runtimes/src/transport/localTransport';
import { shellCommand, remotePath } from '../../runtimes/src/transport/shellQuote';
import type { SshTransport } from '../../runtimes/src/transport/sshTransport';
import { clusterAvailability, cluster, JOBS_DIR, knownHostsFor, requireEnv, runFolder, scratch, suiteOptions, transport, waitFor, type ClusterEnv } from './slurmTestCluster';

const available = clusterAvailability();
const MAIN = path.resolve(__dirname, '../../cli/src/main.ts');

interface Ran { code: number | null; stdout: string; stderr: string }

/** The CLI from source (no build needed), like bin/hpc-jobs.js runs the bundle. */
function cli(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e',
      `require(${JSON.stringify(MAIN)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, '--', ...args],
    { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('hpc-jobs CLI against the cluster', suiteOptions(available, { concurrency: true, timeout: 120_000 }), () => {
  let env: ClusterEnv;
  let ssh: SshTransport;
  let dir: string;
  let knownHosts: string;
  let config: NodeJS.ProcessEnv;
  const work = runFolder('cli');

  before(() => {
    env = requireEnv(available);
    dir = scratch('cli-');
    knownHosts = knownHostsFor(env, dir);
    ssh = transport(env, knownHosts);
    const file = path.join(dir, 'clusters.json');
    writeFileSync(file, JSON.stringify({ clusters: { test: { ssh: `${env.user}@${env.host}:${env.port}`, identityFile: env.key, knownHostsFiles: [knownHosts], workDir: work } } }));
    config = { HPC_JOBS_CONFIG: file, SSH_AUTH_SOCK: '' };
  });

  after(async () => {
    await ssh.exec(shellCommand(['rm', '-rf', '--', remotePath(work)])).catch(() => undefined);
    await ssh.dispose();
  });

  test('submit --follow: output streamed, exit status is the job\'s', async () => {
    const r = await cli(['submit', '--cluster', 'test', '--follow', path.join(JOBS_DIR, 'job_fail.sh')], config);
    assert.equal(r.code, 3, r.stderr);
    const [id, ...rest] = r.stdout.split('\n');
    assert.match(id!, /^\d+$/);
    assert.deepEqual(rest, ['about to fail', '']);
    // The end is said once, in Slurm's words (not "job N: FAILED: job N FAILED ...").
    assert.match(r.stderr, new RegExp(`^\\[hpc-jobs\\] job ${id} FAILED with exit code 3$`, 'm'));
    assert.doesNotMatch(r.stderr, /FAILED: job/);
    // Its last line: how it used what it asked for, from accounting.
    // (It ends at once: too short for Slurm to sample, which the line says.)
    assert.match(r.stderr, /\[hpc-jobs\] how it went: (CPU \d+% · )?(mem [\d.]+\/\d+ MiB · )?\d+s(\/1m)?(; .*less than a second.*)?\n$/);
  });

  test('submit says which files went along with the script', async () => {
    const r = await cli(['submit', '--cluster', 'test', '--follow', path.join(JOBS_DIR, 'job_pool.sh')], config);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^\[hpc-jobs\] uploaded to \S+\/cli-\S+ with job_pool\.sh: pi_pool\.py$/m);
    assert.match(r.stdout, /^procs=2 pi~3\.1/m);
  });

  test('submit a .py file as the editor decides: a program through a generated script, a Python batch script as it is', async () => {
    const program = path.join(dir, 'hello_prog.py');
    writeFileSync(program, 'import os\nprint("program", os.environ["SLURM_NTASKS"], os.environ["SLURM_JOB_NAME"])\n');
    // sbatch options after -- reach the generated script's sbatch too.
    const p = await cli(['submit', '--cluster', 'test', '--follow', '--ntasks', '1', '--time', '2', program, '--', '--job-name=from-cli'], config);
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stderr, /^\[hpc-jobs\] submitted hello_prog\.py to cluster "test" as job \d+ \(\S+\/hello_prog\.sbatch\)$/m);
    assert.match(p.stdout, /^program 1 from-cli$/m);
    const script = path.join(dir, 'hello_batch.py');
    writeFileSync(script, '#!/usr/bin/env python3\n#SBATCH --ntasks=2\n#SBATCH --time=2\nimport os\nprint("batch", os.environ["SLURM_NTASKS"])\n');
    const b = await cli(['submit', '--cluster', 'test', '--follow', script], config);
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stderr, /^\[hpc-jobs\] submitted hello_batch\.py to cluster "test" as job \d+ \(\S+\/hello_batch\.py\)$/m);
    assert.match(b.stdout, /^batch 2$/m);
    const refused = await cli(['submit', '--cluster', 'test', '--ntasks', '2', script], config);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^hpc-jobs submit: --ntasks, --mem\.\.\. describe a Python program's job; hello_batch\.py is a batch script and carries its own #SBATCH lines/m);
  });

  test('submit: a .py job\'s options are checked as the editor checks them, before anything is sent', async () => {
    const program = path.join(dir, 'checked.py');
    writeFileSync(program, 'print(1)\n');
    const rows: Array<[string[], RegExp]> = [
      [['--ntasks', '0'], /^hpc-jobs submit: --ntasks: the number of tasks must be a whole number of at least 1, not 0\.$/m],
      [['--gpus', 'two'], /^hpc-jobs submit: --gpus: the number of GPUs per node must be a whole number of at least 1, not "two"\.$/m],
      [['--time', '10:70:99:1'], /^hpc-jobs submit: sbatch rejects this: `10:70:99:1` is not a time .*Invalid --time specification\.$/m],
      [['--mem', '4GiB'], /^hpc-jobs submit: sbatch rejects this: `4GiB` is not a memory size .*Invalid --mem specification\.$/m],
    ];
    for (const [options, message] of rows) {
      const r = await cli(['submit', '--cluster', 'test', ...options, program], config);
      assert.equal(r.code, 2, `${options.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '', 'nothing submitted');
    }
  });

  test('submit (held, via sbatch options after --), jobs lists it, cancel ends it', async () => {
    const s = await cli(['submit', '--cluster', 'test', path.join(JOBS_DIR, 'job_long.sh'), '--', '--hold'], config);
    assert.equal(s.code, 0, s.stderr);
    const id = s.stdout.trim();
    const jobs = await cli(['jobs', '--cluster', 'test'], config);
    assert.equal(jobs.code, 0, jobs.stderr);
    assert.match(jobs.stdout, /^JOBID +STATE +STARTS +NAME +WHY\n/);
    assert.match(jobs.stdout, new RegExp(`^${id} +PENDING +long +Held by its owner \\(JobHeldUser\\)$`, 'm'));
    const cancel = await cli(['cancel', '--cluster', 'test', id], config);
    assert.equal(cancel.code, 0, cancel.stderr);
    const state = await waitFor('the job cancelled', async () => {
      const r = await ssh.exec(shellCommand(['squeue', '-h', '-t', 'all', '-j', id, '-o', '%T']));
      return r.stdout.trim() === 'CANCELLED' ? r.stdout.trim() : undefined;
    }, 20_000, 300);
    assert.equal(state, 'CANCELLED');
  });

  test('jobs: why pending jobs wait in words, when they should start; hold and release', async () => {
    // Submitted with plain sbatch over ssh, as a user would from a terminal: not through us.
    const sbatch = async (...args: string[]): Promise<string> => {
      const r = await ssh.exec(shellCommand(['sbatch', '--parsable', ...args]));
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.trim();
    };
    // n4 is the whole gpu partition: filling it leaves the rest of the cluster to other tests.
    const filler = await sbatch('-p', 'gpu', '--exclusive', '-t', '2', '-J', 'filler', '--wrap', 'sleep 150');
    const waiter = await sbatch('-p', 'gpu', '-n1', '-t', '1', '-J', 'waiter', '--wrap', 'true');
    const dependent = await sbatch('-t', '1', '-J', 'dependent', `--dependency=afterok:${filler}`, '--wrap', 'true');
    try {
      // The estimate appears once the scheduler has worked one out (a few seconds).
      const table = await waitFor('an estimated start for the waiting job', async () => {
        const r = await cli(['jobs', '--cluster', 'test'], config);
        assert.equal(r.code, 0, r.stderr);
        return new RegExp(`^${waiter} +PENDING +(in \\d+ min|soon) +waiter +Next in line, waiting for the nodes it asked for to become free \\(Resources\\)$`, 'm').test(r.stdout) ? r.stdout : undefined;
      }, 60_000, 1000);
      assert.match(table, new RegExp(`^${dependent} +PENDING +dependent +Waiting for the jobs it depends on \\(--dependency\\) \\(Dependency\\)$`, 'm'));
      assert.match(table, new RegExp(`^${filler} +RUNNING +filler$`, 'm'));

      // A running job cannot be held (scontrol would say nothing and it would run on).
      const running = await cli(['hold', '--cluster', 'test', filler], config);
      assert.equal(running.code, 1, running.stderr);
      assert.match(running.stderr, new RegExp(`^hpc-jobs hold: Job ${filler} on cluster "test" is running: hold only keeps a pending job from starting; nothing was held\\.$`, 'm'));
      assert.match(running.stderr, /hpc-jobs cancel --cluster test/);
      const held = await cli(['hold', '--cluster', 'test', waiter], config);
      assert.equal(held.code, 0, held.stderr);
      assert.match(held.stderr, new RegExp(`held ${waiter} on cluster "test"`));
      const asHeld = await cli(['jobs', '--cluster', 'test', '--json'], config);
      const rec = (JSON.parse(asHeld.stdout) as { jobId: string; reason?: string; reasonWords?: { kind: string } }[]).find((j) => j.jobId === waiter)!;
      assert.deepEqual([rec.reason, rec.reasonWords?.kind], ['JobHeldUser', 'held']);
      const released = await cli(['release', '--cluster', 'test', waiter], config);
      assert.equal(released.code, 0, released.stderr);
      const after = await cli(['jobs', '--cluster', 'test'], config);
      assert.doesNotMatch(after.stdout, new RegExp(`^${waiter} .*JobHeldUser`, 'm'));
      assert.match(after.stdout, new RegExp(`^${waiter} +PENDING`, 'm'));
      const bad = await cli(['release', '--cluster', 'test', '1;id'], config);
      assert.equal(bad.code, 2);
    } finally {
      await ssh.exec(shellCommand(['scancel', filler, waiter, dependent]));
    }
  });

  test('estimate: when a script would start, from sbatch --test-only; a refusal says why', async () => {
    const script = path.join(dir, 'estimate.sh');
    writeFileSync(script, '#!/bin/bash\n#SBATCH --ntasks=2\n#SBATCH --time=5\nhostname\n');
    const r = await cli(['estimate', '--cluster', 'test', script], config);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /estimate\.sh would start (now|in \d+ min) \(\d\d:\d\d\) on n\d, partition debug, 2 CPUs \(an estimate/);
    const j = await cli(['estimate', '--cluster', 'test', '--json', script, '--', '--partition=long'], config);
    assert.equal(j.code, 0, j.stderr);
    assert.equal((JSON.parse(j.stdout) as { partition: string }).partition, 'long');
    writeFileSync(script, '#!/bin/bash\n#SBATCH --nodes=8\nhostname\n');
    const refused = await cli(['estimate', '--cluster', 'test', script], config);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Node count specification invalid/);
  });

  test('jobs --since: finished jobs from accounting, submitted outside the extension', async () => {
    const name = `outside-${process.pid}`;
    const s = await ssh.exec(shellCommand(['sbatch', '--parsable', '-t', '1', '-J', name, '--wrap', 'exit 4']));
    const id = s.stdout.trim();
    await waitFor('the job in accounting as ended', async () => {
      const r = await ssh.exec(shellCommand(['sacct', '-X', '-n', '-P', '-j', id, '-o', 'State']));
      return /FAILED/.test(r.stdout) || undefined;
    }, 30_000, 500);
    const now = await cli(['jobs', '--cluster', 'test'], config);
    assert.doesNotMatch(now.stdout, new RegExp(name), 'the queue lists unfinished jobs only');
    // sacct -S may list it a moment after sacct -j does.
    await waitFor('the ended job in the history', async () => {
      const since = await cli(['jobs', '--cluster', 'test', '--since', '1d'], config);
      assert.equal(since.code, 0, since.stderr);
      return new RegExp(`^${id} +FAILED +${name} +exit code 4$`, 'm').test(since.stdout) || undefined;
    }, 20_000, 1000);
    const bad = await cli(['jobs', '--cluster', 'test', '--since', 'yesterday'], config);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--since wants an age such as 2d/);
  });

  test('a job ended by a signal with no name: "signal 53" once, in --follow, jobs --since and eff', async () => {
    const script = path.join(dir, 'rt_signal.sh');
    writeFileSync(script, '#!/bin/bash\n#SBATCH --job-name=rt-signal\n#SBATCH --time=1\necho before\nkill -53 $$\n');
    const r = await cli(['submit', '--cluster', 'test', '--follow', script], config);
    const id = r.stdout.split('\n')[0]!;
    assert.match(id, /^\d+$/, r.stderr);
    assert.match(r.stderr, new RegExp(`^\\[hpc-jobs\\] job ${id} FAILED \\(signal 53\\)$`, 'm'));
    await waitFor('the ended job in the history', async () => {
      const since = await cli(['jobs', '--cluster', 'test', '--since', '1d'], config);
      return new RegExp(`^${id} +FAILED +rt-signal +signal 53$`, 'm').test(since.stdout) || undefined;
    }, 20_000, 1000);
    const eff = await cli(['eff', '--cluster', 'test', id], config);
    assert.equal(eff.code, 0, eff.stderr);
    assert.match(eff.stdout, /^State: FAILED \(signal 53\)$/m);
    assert.doesNotMatch(r.stderr + eff.stdout, /signal signal/);
  });

  test('jobs --since with accounting off: the queue is listed, history says why it is missing', async () => {
    // A client configuration without accounting (the controller is the same): sacct refuses as on such a cluster.
    const conf = path.join(dir, 'noacct');
    mkdirSync(conf, { mode: 0o755 });
    chmodSync(dir, 0o711); // the cluster's user reads it over ssh
    const text = readFileSync('/etc/slurm/slurm.conf', 'utf8').replace(/^AccountingStorage(Host|Port|Enforce|TRES)=.*\n/gm, '')
      .replace(/^AccountingStorageType=.*$/m, 'AccountingStorageType=accounting_storage/none');
    writeFileSync(path.join(conf, 'slurm.conf'), text, { mode: 0o644 });
    writeFileSync(path.join(conf, 'gres.conf'), readFileSync('/etc/slurm/gres.conf'), { mode: 0o644 });
    const file = path.join(dir, 'clusters-noacct.json');
    writeFileSync(file, JSON.stringify({ clusters: { test: { ssh: `${env.user}@${env.host}:${env.port}`, identityFile: env.key, knownHostsFiles: [knownHosts], env: { SLURM_CONF: path.join(conf, 'slurm.conf') } } } }));
    const r = await cli(['jobs', '--cluster', 'test', '--since', '2d'], { ...config, HPC_JOBS_CONFIG: file });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^JOBID +STATE +STARTS +NAME +WHY\n/);
    assert.match(r.stderr, /no finished jobs listed: Accounting is off on cluster "test"/);
  });

  test('cancel of a job that does not exist says so and exits 1 (scancel alone exits 0 silently)', async () => {
    const r = await cli(['cancel', '--cluster', 'test', '99999999'], config);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^hpc-jobs cancel: No job 99999999 on cluster "test": nothing was cancelled\.$/m);
    assert.doesNotMatch(r.stderr, /cancelled 99999999/);
  });

  test('hold or release of a job that does not exist, or has ended, says which, in words (not scontrol\'s slurm_suspend error)', async () => {
    for (const verb of ['hold', 'release']) {
      const r = await cli([verb, '--cluster', 'test', '99999999'], config);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^hpc-jobs ${verb}: No job 99999999 on cluster "test": nothing was ${verb === 'hold' ? 'held' : 'released'}\\.$`, 'm'));
      assert.doesNotMatch(r.stderr, /slurm_suspend/);
    }
    const done = await cli(['submit', '--cluster', 'test', '--follow', path.join(JOBS_DIR, 'job_fail.sh')], config);
    const id = done.stdout.split('\n')[0]!;
    const r = await cli(['hold', '--cluster', 'test', id], config);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^hpc-jobs hold: Job ${id} on cluster "test" has already ended: nothing was held\\.$`, 'm'));
    assert.doesNotMatch(r.stderr, /slurm_suspend/);
  });

  test('jobs: control characters in a job name are shown escaped, never sent to the terminal', async () => {
    const s = await cli(['submit', '--cluster', 'test', path.join(JOBS_DIR, 'job_long.sh'), '--', '--hold', '--job-name=evil\x1b[2J\x1b[Hname\rforged'], config);
    assert.equal(s.code, 0, s.stderr);
    const id = s.stdout.trim();
    try {
      const jobs = await cli(['jobs', '--cluster', 'test'], config);
      assert.equal(jobs.code, 0, jobs.stderr);
      assert.match(jobs.stdout, new RegExp(`^${id} +PENDING +evil\\\\u001b\\[2J\\\\u001b\\[Hname\\\\rforged +Held by its owner \\(JobHeldUser\\)$`, 'm'));
      assert.doesNotMatch(jobs.stdout, /\x1b|\r/);
    } finally {
      await cli(['cancel', '--cluster', 'test', id], config);
    }
  });

  test('a lint error refuses the submission, with the line and code', async () => {
    const bad = path.join(dir, 'bad.sh');
    writeFileSync(bad, '#!/bin/bash\n#SBATCH --partition=nonexistent\n#SBATCH --time=10\ntrue\n');
    const r = await cli(['submit', '--cluster', 'test', bad], config);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.sh was not submitted to cluster "test": 1 problem\n {2}line 2: SBATCH200 /);
  });

  test('an unknown host key with no terminal: refused, with the fingerprint and how to trust it', async () => {
    const empty = path.join(dir, 'empty_known_hosts');
    writeFileSync(empty, '');
    const r = await cli(['jobs', '--cluster', `${env.user}@${env.host}:${env.port}`, '-i', env.key, '--known-hosts', empty], { SSH_AUTH_SOCK: '' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is not known: ssh-ed25519 SHA256:\S+\nNot asking \(no terminal\)/);
    assert.match(r.stderr, new RegExp(`ssh-keyscan -p ${env.port} ${env.host} >> ${empty.replace(/[.]/g, '\\.')}`));
  });

  test('alloc with standard input at its end (</dev/null in CI): the shell ends, the allocation is released', async () => {
    const name = `cli-alloc-eof-${process.pid}`;
    const r = await cli(['alloc', '--cluster', 'test', '--', '-n1', '-t', '1', '-J', name], config, 'echo "inside $SLURM_JOB_ID"\n');
    const granted = /Granted job allocation (\d+)/.exec(r.stdout);
    assert.ok(granted, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`inside ${granted![1]}`));
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const left = await ssh.exec(shellCommand(['squeue', '-h', '-n', name, '-t', 'PENDING,RUNNING', '-o', '%i']));
    assert.equal(left.stdout.trim(), '', 'the allocation was released');
  });

  test('alloc: the shell salloc starts takes our piped input, its exit status is ours', async () => {
    const r = await cli(['alloc', '--cluster', 'test', '--', '-n1', '-t', '1', '-J', 'cli-alloc'], config, 'echo "JOB=$SLURM_JOB_ID NODES=$SLURM_JOB_NODELIST"; exit 7\n');
    assert.equal(r.code, 7, r.stderr + r.stdout);
    const granted = /Granted job allocation (\d+)/.exec(r.stdout);
    assert.ok(granted, r.stdout);
    assert.match(r.stdout, new RegExp(`JOB=${granted![1]} NODES=n\\d`));
  });

  test('allocation through the API: duplex stream, resize, job id, exit', async () => {
    const c = cluster(ssh);
    const a = await c.allocate(['-n1', '-t', '1'], { rows: 24, cols: 80 });
    let out = '';
    a.stream.on('data', (d: Buffer) => { out += d.toString(); });
    const id = await a.jobId;
    assert.match(id ?? '', /^\d+$/);
    a.resize(40, 132);
    a.stream.write('stty size; exit\n');
    const exit = await a.exit;
    assert.equal(exit.code, 0);
    await waitFor('stty output', () => /\b40 132\b/.test(out) || undefined, 5000);
    c.dispose();
  });

  test('allocation on this machine (a login node): LocalTransport through the node-pty helper', async (t) => {
    if (process.getuid?.() !== 0) { t.skip('needs root: the local user must have a Slurm association (root has one on the test cluster)'); return; }
    const c = new SlurmCluster({ name: 'here', transport: new LocalTransport() });
    const a = await c.allocate(['-n1', '-t', '1'], { rows: 30, cols: 100 });
    let out = '';
    a.stream.on('data', (d: Buffer) => { out += d.toString(); });
    assert.match((await a.jobId) ?? '', /^\d+$/);
    a.stream.write('stty size; exit 5\n');
    assert.equal((await a.exit).code, 5);
    assert.match(out, /\b30 100\b/);
    c.dispose();
  });

  test('a cluster on this machine (a login node) submits a script where it lies, next to its files', async (t) => {
    if (process.getuid?.() !== 0) { t.skip('needs root: the local user must have a Slurm association (root has one on the test cluster)'); return; }
    const here = scratch('in-place-');
    writeFileSync(path.join(here, 'input.txt'), 'data beside the script\n');
    const script = path.join(here, 'job.sh');
    writeFileSync(script, '#!/bin/bash\n#SBATCH --time=1\n#SBATCH --output=out-%j.txt\ncat input.txt; pwd\n', { mode: 0o644 });
    const c = new SlurmCluster({ name: 'here', transport: new LocalTransport(), pollIntervalMs: 500 });
    try {
      const s = await c.submitScript(script);
      assert.equal(s.remoteScript, script, 'submitted where it lies, not copied');
      const r = await s.job.result;
      assert.equal(r.state, 'succeeded', r.summary);
      const out = readFileSync(path.join(here, `out-${s.jobId}.txt`), 'utf8');
      assert.equal(out, `data beside the script\n${here}\n`);
      assert.equal(statSync(script).mode & 0o777, 0o644, 'the script itself is left as it was');
    } finally {
      c.dispose();
    }
  });
});
