/**
 * Batch scripts run on this machine as Slurm would run them: the examples, the SLURM_*
 * environment, --output/--error file names, --array with a `%` limit, --chdir, --time (with
 * minutes scaled down so the test does not wait a minute), and refusals with the linter's words.
 *
 * Run: node --import tsx --test test/integration/runtimes/sbatchLocal.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { lintText } from '../../../server/src/lint';
import { LaunchError } from '../../../runtimes/src/index';
import { collect, has, needs, processesOfRun, program, pythonHas, SYSTEM_PYTHON, TempDirs } from './runtimeHarness';

const dirs = new TempDirs();
after(() => dirs.clean());

const script = (dir: string, name: string, ...lines: string[]) => {
  const p = path.join(dir, name);
  writeFileSync(p, ['#!/bin/bash', ...lines, ''].join('\n'));
  return p;
};

describe('the examples, locally', () => {
  test('job_array.slurm: 4 array tasks, array_%A_%a.out each', { timeout: 120_000 }, async () => {
    const ex = dirs.examples();
    const run = await dirs.launch({ backend: 'sbatch-local', script: path.join(ex, 'job_array.slurm') });
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    assert.deepEqual(result.exits.map((e) => e.task), [0, 1, 2, 3]);
    const outs = readdirSync(ex).filter((f) => /^array_\d+_\d\.out$/.test(f)).sort();
    assert.equal(outs.length, 4, outs.join(' '));
    const arrayId = /^array_(\d+)_0\.out$/.exec(outs[0]!)![1];
    for (let i = 0; i < 4; i++) {
      const text = readFileSync(path.join(ex, `array_${arrayId}_${i}.out`), 'utf8');
      assert.match(text, new RegExp(`^array task ${i} of job ${arrayId} on \\S+: ${100000 * 2 ** i} samples$`, 'm'));
      assert.match(text, /^workers: 1 \(from SLURM_CPUS_PER_TASK\)$/m);
      assert.match(text, /^pi estimate: 3\.1/m);
    }
  });

  test('job_distributed.slurm: the pool gets --cpus-per-task workers; distributed_%j.out', { timeout: 120_000 }, async () => {
    const ex = dirs.examples();
    const run = await dirs.launch({ backend: 'sbatch-local', script: path.join(ex, 'job_distributed.slurm') });
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    const out = readdirSync(ex).find((f) => /^distributed_\d+\.out$/.test(f));
    assert.ok(out);
    const text = readFileSync(path.join(ex, out), 'utf8');
    assert.match(text, /^workers: 4 \(from SLURM_CPUS_PER_TASK\)$/m);
    assert.match(text, /^pi estimate: 3\.1\d+ \(2000000 samples, 4 workers/m);
  });

  test('job_MPI.slurm: mpirun -n $SLURM_NTASKS inside the script', { ...needs(has('mpirun') && pythonHas(SYSTEM_PYTHON, 'mpi4py'), 'mpirun with /usr/bin/python3 mpi4py'), timeout: 120_000 }, async () => {
    const ex = dirs.examples();
    // --python is exported as $PYTHON, which the example's mpirun line uses.
    const run = await dirs.launch({ backend: 'sbatch-local', script: path.join(ex, 'job_MPI.slurm'), python: SYSTEM_PYTHON });
    const result = await run.result;
    const out = readdirSync(ex).find((f) => /^mpi_\d+\.out$/.test(f));
    assert.ok(out);
    const text = readFileSync(path.join(ex, out), 'utf8');
    assert.equal(result.state, 'succeeded', text);
    assert.match(text, /^job \d+: 4 ranks on \S+$/m);
    assert.match(text, /^number of darts: 4000000, ranks: 4, estimate: 3\.1/m);
  });
});

describe('as Slurm would run it', () => {
  test('the SLURM_* environment, --output and --error patterns', async () => {
    const dir = dirs.make();
    const vars = ['SLURM_JOB_ID', 'SLURM_JOB_NAME', 'SLURM_NTASKS', 'SLURM_CPUS_PER_TASK', 'SLURM_SUBMIT_DIR', 'SLURM_JOB_NUM_NODES',
      'SLURM_CPUS_ON_NODE', 'SLURM_JOB_NODELIST', 'SLURM_ARRAY_TASK_ID', 'SLURM_JOB_PARTITION', 'PWD'];
    const p = script(dir, 'env.sh', '#SBATCH --job-name=envcheck', '#SBATCH --ntasks=3', '#SBATCH --cpus-per-task=2', '#SBATCH --partition=debug',
      '#SBATCH --output=%x-%j.txt', '#SBATCH --error=err-%j.txt', ...vars.map((v) => `echo ${v}=\${${v}-unset}`), 'echo oops >&2');
    const run = await dirs.launch({ backend: 'sbatch-local', script: p });
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    const outFile = readdirSync(dir).find((f) => /^envcheck-\d+\.txt$/.test(f))!;
    assert.ok(outFile, readdirSync(dir).join(' '));
    const jobId = /^envcheck-(\d+)\.txt$/.exec(outFile)![1];
    const env = Object.fromEntries(readFileSync(path.join(dir, outFile), 'utf8').trim().split('\n').map((l) => l.split('=') as [string, string]));
    assert.deepEqual(env, {
      SLURM_JOB_ID: jobId, SLURM_JOB_NAME: 'envcheck', SLURM_NTASKS: '3', SLURM_CPUS_PER_TASK: '2', SLURM_SUBMIT_DIR: dir,
      SLURM_JOB_NUM_NODES: '1', SLURM_CPUS_ON_NODE: '6', SLURM_JOB_NODELIST: env.SLURM_JOB_NODELIST, SLURM_ARRAY_TASK_ID: 'unset',
      SLURM_JOB_PARTITION: 'debug', PWD: dir,
    });
    assert.equal(readFileSync(path.join(dir, `err-${jobId}.txt`), 'utf8'), 'oops\n');
  });

  test('--output files are created 0600, never written through a link, a FIFO nobody reads refused', async () => {
    const dir = dirs.make();
    const victim = path.join(dirs.make(), 'victim');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, path.join(dir, 'linked.out'));
    const umask = process.umask(0o022);
    try {
      const made = await dirs.launch({ backend: 'sbatch-local', script: script(dir, 'made.sh', '#SBATCH --output=made.out', 'echo hello') });
      assert.equal((await made.result).state, 'succeeded');
      assert.equal(statSync(path.join(dir, 'made.out')).mode & 0o777, 0o600);
      assert.equal(readFileSync(path.join(dir, 'made.out'), 'utf8'), 'hello\n');
      for (const mode of ['truncate', 'append']) {
        const run = await dirs.launch({ backend: 'sbatch-local', script: script(dir, 'linked.sh', '#SBATCH --output=linked.out', `#SBATCH --open-mode=${mode}`, 'seq 1 300000') });
        const lines = collect(run);
        // 2 MB of output: the refused file must not hold the script back (it waited for a drain forever).
        assert.equal((await run.result).state, 'succeeded');
        assert.equal(readFileSync(victim, 'utf8'), 'precious\n', mode);
        assert.ok(lines.some((l) => l.system && /cannot write .*linked\.out: it is a symbolic link/.test(l.text)), mode);
        assert.equal(lines.filter((l) => !l.system).length, 300_000);
      }
      // A FIFO nobody reads: refused at once (the run waited on it forever).
      assert.equal(spawnSync('mkfifo', [path.join(dir, 'fifo.out')]).status, 0);
      const fifo = await dirs.launch({ backend: 'sbatch-local', script: script(dir, 'fifo.sh', '#SBATCH --output=fifo.out', 'echo hi') });
      const fifoLines = collect(fifo);
      assert.equal((await fifo.result).state, 'succeeded');
      assert.ok(fifoLines.some((l) => l.system && /cannot write .*fifo\.out: ENXIO/.test(l.text)), fifoLines.map((l) => l.text).join('\n'));
    } finally {
      process.umask(umask);
    }
  });

  test('--array with %2: at most two tasks at once, slurm-%A_%a.out by default', async () => {
    const dir = dirs.make();
    const probe = dirs.make();
    const p = script(dir, 'array.sh', '#SBATCH --array=0-5%2', `sh ${program('concurrency_probe.sh')}`);
    const run = await dirs.launch({ backend: 'sbatch-local', script: p, maxParallel: 6, env: { PROBE_DIR: probe } });
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    const counts = lines.filter((l) => !l.system).map((l) => Number(/^running (\d+)$/.exec(l.text)![1]));
    assert.equal(counts.length, 6);
    assert.equal(Math.max(...counts), 2);
    const files = readdirSync(dir).filter((f) => f.startsWith('slurm-')).sort();
    assert.equal(files.length, 6);
    assert.match(files[0]!, /^slurm-\d+_0\.out$/);
  });

  test('--time=1 stops a sleeping script: timedOut (one minute lasts 400 ms here)', async () => {
    const dir = dirs.make();
    const p = script(dir, 'slow.sh', '#SBATCH --time=1', 'echo started', 'sleep 300 & wait');
    const t0 = Date.now();
    const run = await dirs.launch({ backend: 'sbatch-local', script: p, minuteMs: 400, killGraceMs: 500 });
    const result = await run.result;
    assert.equal(result.state, 'timedOut');
    assert.equal(result.exits[0]!.timedOut, true);
    assert.match(result.summary, /reached its time limit \(1 min\)/);
    assert.ok(Date.now() - t0 < 30_000);
    assert.deepEqual(processesOfRun(run.id), []);
    assert.match(readFileSync(path.join(dir, readdirSync(dir).find((f) => f.startsWith('slurm-'))!), 'utf8'), /^started$/m);
  });

  test('--chdir: the script runs there and relative output goes there', async () => {
    const dir = dirs.make();
    mkdirSync(path.join(dir, 'work'));
    const p = script(dir, 'cd.sh', '#SBATCH --chdir=work', '#SBATCH --output=here.txt', 'pwd');
    const run = await dirs.launch({ backend: 'sbatch-local', script: p });
    assert.equal((await run.result).state, 'succeeded');
    assert.equal(readFileSync(path.join(dir, 'work', 'here.txt'), 'utf8').trim(), path.join(dir, 'work'));
  });

  test('a failing script: its exit code in the result', async () => {
    const dir = dirs.make();
    const p = script(dir, 'fail.sh', '#SBATCH --output=/dev/null', 'exit 7');
    const result = await (await dirs.launch({ backend: 'sbatch-local', script: p })).result;
    assert.equal(result.state, 'failed');
    assert.deepEqual(result.exits, [{ code: 7 }]);
    assert.equal(result.summary, 'the script exited with 7');
  });
});

describe('refusals, in the linter\'s words', () => {
  test('a script with linter errors is not run', async () => {
    const dir = dirs.make();
    const p = script(dir, 'typo.sh', '#SBATCH --tiem=5', '#SBATCH --ntasks=zero', 'touch ran');
    await assert.rejects(dirs.launch({ backend: 'sbatch-local', script: p }), (e: unknown) => {
      assert.ok(e instanceof LaunchError);
      assert.match(e.message, /^typo\.sh has 2 errors that sbatch would refuse; not running it:/);
      assert.match(e.message, /line 2:\d+: .*\[SBATCH020\]/);
      assert.match(e.message, /line 3:\d+: .*\[SBATCH032\]/);
      return true;
    });
    assert.deepEqual(readdirSync(dir), ['typo.sh']);
  });

  test('a missing output folder: the same message as the linter', async () => {
    const dir = dirs.make();
    const p = script(dir, 'out.sh', '#SBATCH --output=logs/run-%j.out', 'echo hi');
    // The run starts in the script's folder, so the linter is told where sbatch runs (submitDir).
    const lint = lintText(readFileSync(p, 'utf8'), { filePath: p, submitDir: dir, directoryExists: () => false }).find((d) => d.code === 'SBATCH107')!;
    await assert.rejects(dirs.launch({ backend: 'sbatch-local', script: p }), (e: unknown) => e instanceof LaunchError && e.message === lint.message);
  });

  test('a folder named by a pattern that does not exist once expanded', async () => {
    const dir = dirs.make();
    const p = script(dir, 'pat.sh', '#SBATCH --job-name=jobdir', '#SBATCH --output=%x/out.txt', 'echo hi');
    await assert.rejects(dirs.launch({ backend: 'sbatch-local', script: p }),
      (e: unknown) => e instanceof LaunchError && e.message === `Folder "jobdir" does not exist (relative to ${dir}). Slurm does not create it: the job will fail without writing any output. Create it before submitting.`);
  });
});
