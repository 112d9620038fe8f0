/**
 * Cancelling, timing out and finishing end every process a run started, proven from /proc:
 * pool workers, children that outlive their parent (orphans and a setsid() daemon, also one
 * that clears its environment), a program that ignores SIGTERM, and MPI ranks with children of
 * their own. And `kill -9` of the real CLI, or of its process group: every unit ends with it
 * (through the resident spawner or the shell guardian), and the next run marks the record.
 *
 * Run: node --import tsx --test test/integration/runtimes/processKill.test.ts
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { recordedEnd } from '../../../runtimes/src/staleRuns';
import { buildCliBundle, CLI } from '../cliBundle';
import { alive, has, logLines, needs, processesOfRun, program, pythonHas, ROOT, SYSTEM_PYTHON, TempDirs, until, waitForLine, withSpawner } from './runtimeHarness';

const dirs = new TempDirs();
after(() => dirs.clean());
const hasPython = pythonHas(SYSTEM_PYTHON, 'ctypes');

const pidsOf = (m: RegExpExecArray) => m[1]!.trim().split(/\s+/).map(Number);


const environOf = (pid: number) => { try { return readFileSync(`/proc/${pid}/environ`, 'latin1'); } catch { return undefined; } };

function assertGone(pids: readonly number[], runId: string): void {
  assert.deepEqual(pids.filter(alive), [], `still alive: ${pids.filter(alive).join(' ')}`);
  assert.deepEqual(processesOfRun(runId), [], 'processes with the run\'s marker');
}

describe('process trees', () => {
  test('children that outlive a program that exits normally are ended with it', async () => {
    const run = await dirs.launch({ backend: 'pool', program: program('forker.py'), args: ['exit'] });
    const pids = pidsOf(await waitForLine(run, /^pids (.+)$/));
    assert.equal(pids.length, 3);
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    assertGone(pids, run.id);
    assert.ok(logLines(run).some((l) => /left 3 processes: .* running: ended/.test(l)), logLines(run).join('\n'));
  });

  test('cancel ends the program, its orphans and its setsid() daemon', async () => {
    const run = await dirs.launch({ backend: 'pool', program: program('forker.py'), args: ['wait'] });
    const pids = pidsOf(await waitForLine(run, /^pids (.+)$/));
    await run.cancel();
    const result = await run.result;
    assert.equal(result.state, 'cancelled');
    assertGone(pids, run.id);
  });

  test('cancel ends a daemon that left its session and cleared its environment: the spawner is its subreaper', { skip: hasPython ? false : 'no python3' }, async () => {
    await withSpawner('resident', async () => {
      const run = await dirs.launch({ backend: 'tasks', program: program('env_clearing_daemon.py'), tasks: 1 });
      const daemon = Number((await waitForLine(run, /^daemon (\d+)$/))[1]);
      // Nothing of the run is left on it: not its group, not its session, not the marker.
      await until(() => environOf(daemon) === '', 'the daemon to clear its environment');
      const stat = readFileSync(`/proc/${daemon}/stat`, 'latin1').split(') ')[1]!.split(' ');
      const [, ppid, pgrp, session] = stat.map(Number);
      assert.equal(pgrp, session, 'a session of its own');
      assert.ok(!alive(pgrp!), 'its session leader is gone');
      assert.notEqual(ppid, 1, 're-parented to the spawner, not to init');
      await run.cancel();
      assert.equal((await run.result).state, 'cancelled');
      assertGone([daemon], run.id);
    });
  });

  test('cancel ends every worker of a multiprocessing pool', async () => {
    const run = await dirs.launch({ backend: 'pool', program: program('pool_forever.py'), workers: 2 });
    const workers = pidsOf(await waitForLine(run, /^workers (.+)$/));
    assert.equal(workers.length, 2);
    assert.ok(workers.every(alive));
    await run.cancel();
    assert.equal((await run.result).state, 'cancelled');
    assertGone(workers, run.id);
  });

  test('a program that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const run = await dirs.launch({ backend: 'pool', program: program('stubborn.py'), killGraceMs: 300 });
    await waitForLine(run, /^ignoring SIGTERM$/);
    const t0 = Date.now();
    await run.cancel();
    const result = await run.result;
    assert.ok(Date.now() - t0 >= 300, 'waited for the grace period');
    assert.deepEqual(result.exits, [{ code: null, signal: 'SIGKILL' }]);
    assertGone([], run.id);
  });

  test('a time limit stops the whole tree: state timedOut', async () => {
    const run = await dirs.launch({ backend: 'pool', program: program('forker.py'), args: ['wait'], timeLimitMs: 1500 });
    const pids = pidsOf(await waitForLine(run, /^pids (.+)$/));
    const result = await run.result;
    assert.equal(result.state, 'timedOut');
    assert.equal(result.exits[0]!.timedOut, true);
    assert.match(result.summary, /reached its time limit/);
    assertGone(pids, run.id);
  });

  test('cancelling tasks: running ones end, the rest never start', async () => {
    const run = await dirs.launch({ backend: 'tasks', program: program('stubborn.py'), tasks: 6, parallel: 2, killGraceMs: 200 });
    await waitForLine(run, /^ignoring SIGTERM$/);
    await run.cancel();
    const result = await run.result;
    assert.equal(result.state, 'cancelled');
    assert.ok(result.exits.length <= 2);
    assert.match(result.summary, /never started/);
    assertGone([], run.id);
  });
});

interface KilledCli { readonly runId: string; readonly pids: readonly number[]; readonly logDir: string; readonly cliPid: number }

const SLEEPERS = 'sleep 1000 & echo "pids $$ $!"; wait';

/**
 * `hpc-jobs run` of `tasks` tasks (default 3, all at once), each a shell with a child, started in
 * a process group of its own; resolves once `wait` tasks have printed their pids (`more` waits for more).
 */
async function cliWithSleepers(spawner: 'direct' | 'resident', script = SLEEPERS, tasks = 3, parallel = tasks, wait = tasks):
    Promise<KilledCli & { exited: Promise<unknown>; more(n: number): Promise<number[]> }> {
  const logDir = dirs.make();
  const cli = spawn(process.execPath, [CLI, 'run', '--log-dir', logDir, '--tasks', String(tasks), '-n', String(parallel), 'sh', '--', '-c', script], {
    cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', HPC_JOBS_SPAWNER: spawner },
  });
  const exited = new Promise((resolve) => cli.once('exit', resolve));
  let stdout = '';
  let stderr = '';
  cli.stderr.on('data', (d: Buffer) => { stderr += d; });
  cli.stdout.on('data', (d: Buffer) => { stdout += d; });
  const more = (n: number) => new Promise<number[]>((resolve, reject) => {
    const look = () => {
      const lines = [...stdout.matchAll(/^\[task \d\] pids (.+)$/gm)];
      if (lines.length < n) return false;
      resolve(lines.flatMap((m) => m[1]!.split(' ').map(Number)));
      cli.stdout.off('data', look);
      return true;
    };
    if (!look()) cli.stdout.on('data', look);
    void exited.then(() => reject(new Error(`the CLI exited early: ${stderr}`)));
  });
  const pids = await more(wait);
  const runId = readdirSync(logDir).find((n) => /-\d{8}-\d{6}-/.test(n))!;
  return { runId, pids, logDir, cliPid: cli.pid!, exited, more };
}

const recordOf = (logDir: string, runId: string) =>
  JSON.parse(readFileSync(path.join(logDir, runId, 'run.json'), 'utf8')) as { state: string; result?: { summary: string }; launcher?: { pid: number } };

/** The next run in the same log folder marks the killed one's record, and says so. */
function assertNextRunMarks(k: KilledCli): void {
  assert.equal(recordOf(k.logDir, k.runId).state, 'running', 'the killed CLI wrote no end');
  const next = spawnSync(process.execPath, [CLI, 'run', '--log-dir', k.logDir, 'true'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  assert.equal(next.status, 0, next.stderr);
  const why = `the launcher was killed (pid ${k.cliPid}); output up to then is in output.log`;
  assert.ok(next.stderr.includes(`marked the earlier run ${k.runId} as failed: ${why}`), next.stderr);
  const record = recordOf(k.logDir, k.runId);
  assert.equal(record.state, 'failed');
  assert.equal(record.result?.summary, why);
}

describe('the launcher killed from outside (kill -9)', () => {
  before(() => buildCliBundle());
  const paths = [['direct', 'units Node spawned (the shell guardian)'], ['resident', 'units the resident spawner started']] as const;
  const targets = [['the CLI', (pid: number) => pid], ['its whole process group', (pid: number) => -pid]] as const;
  for (const [spawner, what] of paths) {
    for (const [target, victim] of targets) {
      test(`${target}, ${what}: every unit and its child end, the next run marks the record`, { timeout: 90_000, skip: spawner === 'resident' && !hasPython ? 'no python3' : false }, async () => {
        const k = await cliWithSleepers(spawner);
        assert.equal(k.pids.length, 6);
        assert.ok(k.pids.every(alive));
        process.kill(victim(k.cliPid), 'SIGKILL');
        await k.exited;
        await until(() => !k.pids.some(alive), 'every unit to end');
        assert.deepEqual(processesOfRun(k.runId), []);
        assertNextRunMarks(k);
      });
    }
  }

  test('the spawner ends even a daemon that left its session and cleared its environment', { timeout: 90_000, skip: hasPython ? false : 'no python3' }, async () => {
    const k = await cliWithSleepers('resident', `${SYSTEM_PYTHON} ${program('env_clearing_daemon.py')} exit | sed "s/^daemon/pids $$/"; exec sleep 1000`);
    await until(() => k.pids.filter((_, i) => i % 2 === 1).every((d) => environOf(d) === ''), 'the daemons to clear their environment');
    process.kill(-k.cliPid, 'SIGKILL');
    await until(() => !k.pids.some(alive), 'every unit and daemon to end');
  });

  test('what the Jobs view shows on restore is the CLI\'s wording, from the same record', { timeout: 90_000 }, async () => {
    const k = await cliWithSleepers('direct');
    process.kill(k.cliPid, 'SIGKILL');
    await k.exited;
    const dir = path.join(k.logDir, k.runId);
    const why = `the launcher was killed (pid ${k.cliPid}); output up to then is in output.log`;
    assert.deepEqual([recordedEnd(dir)?.state, recordedEnd(dir)?.summary], ['failed', why]);
    assert.equal(recordOf(k.logDir, k.runId).result?.summary, why);
    await until(() => !k.pids.some(alive), 'every unit to end');
  });

  test('the spawner killed mid-run: the units started without it are guarded too', { timeout: 90_000, skip: hasPython ? false : 'no python3' }, async () => {
    const k = await cliWithSleepers('resident', SLEEPERS, 4, 2, 2);
    const spawnerPid = Number(readFileSync(`/proc/${k.pids[0]}/stat`, 'latin1').split(') ')[1]!.split(' ')[1]);
    process.kill(spawnerPid, 'SIGKILL');
    // Tasks 0 and 1 end with their spawner; 2 and 3 start from the CLI itself.
    const all = await k.more(4);
    await until(() => !k.pids.some(alive), 'the spawner\'s tasks to end');
    const later = all.filter((p) => !k.pids.includes(p));
    assert.equal(later.length, 4);
    assert.ok(later.every(alive));
    process.kill(k.cliPid, 'SIGKILL');
    await k.exited;
    await until(() => !later.some(alive), 'the later tasks to end');
  });

  test('the guardian killed too: the next run ends what the run left and marks it', { timeout: 90_000 }, async () => {
    const k = await cliWithSleepers('direct');
    const guardian = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).find((n) => {
      try { return readFileSync(`/proc/${n}/cmdline`, 'latin1').includes(`hpc-jobs-guardian\0${k.runId}`); } catch { return false; }
    });
    assert.ok(guardian, 'a guardian process for the run');
    process.kill(Number(guardian), 'SIGKILL');
    process.kill(k.cliPid, 'SIGKILL');
    await k.exited;
    assert.ok(k.pids.every(alive), 'orphaned, with nothing left to end them');
    assertNextRunMarks(k);
    assert.deepEqual(k.pids.filter(alive), []);
    assert.deepEqual(processesOfRun(k.runId), []);
  });
});

const mpiReady = has('mpirun') && pythonHas(SYSTEM_PYTHON, 'mpi4py');
describe('MPI ranks and their children', needs(mpiReady, 'mpirun with /usr/bin/python3 mpi4py'), () => {
  test('cancel ends mpirun, every rank and every rank\'s child', { timeout: 120_000 }, async () => {
    const run = await dirs.launch({ backend: 'mpi', program: program('mpi_hang.py'), ranks: 4, python: SYSTEM_PYTHON });
    const seen = new Map<number, number[]>();
    await new Promise<void>((resolve, reject) => {
      run.onDidOutput((batch) => {
        for (const l of batch) {
          const m = /^rank (\d+) pid (\d+) child (\d+)$/.exec(l.text);
          if (m) seen.set(Number(m[1]), [Number(m[2]), Number(m[3])]);
        }
        if (seen.size === 4) resolve();
      });
      void run.result.then(() => reject(new Error(`ended early: ${logLines(run).join('\n')}`)));
    });
    const pids = [...seen.values()].flat();
    assert.ok(pids.every(alive));
    await run.cancel();
    assert.equal((await run.result).state, 'cancelled');
    assertGone(pids, run.id);
  });
});
