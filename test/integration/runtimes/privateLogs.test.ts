/**
 * A run's files are the user's alone on a shared machine (issue 11, item 1): the default log
 * folder is per user and 0700, its files 0600, and another local user who pre-creates the
 * folder or plants links where a run writes gets a refusal, never the output and never a write
 * through the link. The other user is a real one (useradd), acting through runuser.
 *
 * Run: node --import tsx --test test/integration/runtimes/privateLogs.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { launchLocal, type LocalRun } from '../../../runtimes/src/index';
import { RunLog } from '../../../runtimes/src/runLog';
import { processesOfRun, REQUIRE_ALL, TempDirs } from './runtimeHarness';

const dirs = new TempDirs();
after(() => dirs.clean());

const mode = (p: string) => (lstatSync(p).mode & 0o777).toString(8);

/** Runs `fn` with these environment variables (undefined: unset), then puts them back. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (v: Record<string, string | undefined>) => {
    for (const [k, x] of Object.entries(v)) if (x === undefined) delete process.env[k]; else process.env[k] = x;
  };
  set(vars);
  try { return await fn(); } finally { set(saved); }
}

async function finished(run: LocalRun): Promise<void> {
  const r = await run.result;
  assert.equal(r.state, 'succeeded', JSON.stringify(r));
}

describe('default log folder: private to the user', () => {
  test('$XDG_STATE_HOME/hpc-jobs/runs, 0700; the run folder 0700; output.log and run.json 0600', async () => {
    const state = dirs.make('hpc-jobs-xdg-');
    const run = dirs.track(await withEnv({ HPC_JOBS_LOG_DIR: undefined, XDG_STATE_HOME: state },
      () => launchLocal({ backend: 'tasks', program: 'sh', args: ['-c', 'echo hello'], tasks: 1 })));
    await finished(run);
    const logDir = path.join(state, 'hpc-jobs', 'runs');
    assert.equal(path.dirname(path.dirname(run.logPath)), logDir);
    assert.equal(mode(logDir), '700');
    assert.equal(mode(path.dirname(run.logPath)), '700');
    assert.equal(mode(run.logPath), '600');
    assert.equal(mode(path.join(path.dirname(run.logPath), 'run.json')), '600');
    assert.match(readFileSync(run.logPath, 'utf8'), /hello/);
  });

  test('no writable home: <tmp>/hpc-jobs-<uid>, 0700', async () => {
    const tmp = dirs.make('hpc-jobs-tmp-');
    const run = dirs.track(await withEnv({ HPC_JOBS_LOG_DIR: undefined, XDG_STATE_HOME: undefined, HOME: '/dev/null', TMPDIR: tmp },
      () => launchLocal({ backend: 'tasks', program: 'sh', args: ['-c', 'echo hello'], tasks: 1 })));
    await finished(run);
    const own = path.join(tmp, `hpc-jobs-${process.getuid!()}`);
    assert.equal(path.dirname(path.dirname(run.logPath)), own);
    assert.equal(mode(own), '700');
  });
});

// A second local account: made here when root, as the suite does for the cluster.
const OTHER = 'hpcjobs-other';
function otherUser(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (spawnSync('id', ['-u', OTHER]).status !== 0) {
    spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', OTHER]);
  }
  return spawnSync('id', ['-u', OTHER]).status === 0 ? OTHER : undefined;
}
const other = otherUser();
const skip = other || REQUIRE_ALL ? false : 'needs root to create a second local user (useradd)';

/** Runs a shell command as the other user; it must succeed. */
function asOther(script: string): void {
  const r = spawnSync('runuser', ['-u', OTHER, '--', 'sh', '-c', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, `as ${OTHER}: ${script}: ${r.stderr}`);
}

/** A folder like /tmp: everyone may create in it, only owners remove (mode 1777). */
function sharedTmp(): string {
  const d = dirs.make('hpc-jobs-shared-');
  chmodSync(d, 0o1777);
  return d;
}

/** A file only root can read and write, as the issue's proof used: a write through a link would change it. */
function victimFile(): string {
  const f = path.join(dirs.make('hpc-jobs-victim-'), 'precious');
  writeFileSync(f, 'keep\n', { mode: 0o600 });
  return f;
}

describe('another user on the same machine', { skip }, () => {
  const tasksRun = (env: Record<string, string | undefined>) => withEnv(env,
    () => launchLocal({ backend: 'tasks', program: 'sh', args: ['-c', 'echo secret output'], tasks: 1 }));

  test('pre-creates <tmp>/hpc-jobs-<uid> open to all: refused, nothing written there', async () => {
    const tmp = sharedTmp();
    const planted = path.join(tmp, `hpc-jobs-${process.getuid!()}`);
    asOther(`mkdir -m 777 '${planted}'`);
    await assert.rejects(tasksRun({ HPC_JOBS_LOG_DIR: undefined, XDG_STATE_HOME: undefined, HOME: '/dev/null', TMPDIR: tmp }),
      (e: Error) => e.name === 'LaunchError' && /Refusing to use the log folder .*belongs to another user/.test(e.message));
    assert.deepEqual(readdirSync(planted), []);
  });

  test('plants <tmp>/hpc-jobs-<uid> as a link to a folder of theirs: refused, nothing written there', async () => {
    const tmp = sharedTmp();
    const theirs = path.join(tmp, 'theirs');
    asOther(`mkdir -m 777 '${theirs}' && ln -s '${theirs}' '${path.join(tmp, `hpc-jobs-${process.getuid!()}`)}'`);
    await assert.rejects(tasksRun({ HPC_JOBS_LOG_DIR: undefined, XDG_STATE_HOME: undefined, HOME: '/dev/null', TMPDIR: tmp }),
      /Refusing to use the log folder .*symbolic link/);
    assert.deepEqual(readdirSync(theirs), []);
  });

  test('the old shared <tmp>/hpc-jobs/runs, pre-created by them, is not used at all', async () => {
    const tmp = sharedTmp();
    asOther(`mkdir -p -m 777 '${tmp}/hpc-jobs/runs'`);
    const run = dirs.track(await tasksRun({ HPC_JOBS_LOG_DIR: undefined, XDG_STATE_HOME: undefined, HOME: '/dev/null', TMPDIR: tmp }));
    await finished(run);
    assert.deepEqual(readdirSync(path.join(tmp, 'hpc-jobs', 'runs')), []);
    assert.ok(run.logPath.startsWith(path.join(tmp, `hpc-jobs-${process.getuid!()}`) + path.sep));
  });

  test('in a shared log folder, a run folder they made with output.log linked to a file of ours: refused, the file unchanged', () => {
    const shared = sharedTmp();
    const precious = victimFile();
    asOther(`mkdir -m 777 '${shared}/pool-1' && ln -s '${precious}' '${shared}/pool-1/output.log' && ln -s '${precious}' '${shared}/pool-1/run.json'`);
    assert.throws(() => new RunLog(shared, 'pool-1'), /Refusing to use the run folder .*exists already/);
    assert.throws(() => new RunLog(shared, 'pool-1', true), /Refusing to use the run folder .*belongs to another user/);
    assert.equal(readFileSync(precious, 'utf8'), 'keep\n');
    assert.equal(mode(precious), '600');
  });

  test('in a shared log folder, last-job-id linked to a file of ours: the link is replaced, the file unchanged; the run is 0700', async () => {
    const shared = sharedTmp();
    const precious = victimFile();
    asOther(`ln -s '${precious}' '${shared}/last-job-id'`);
    const run = dirs.track(await launchLocal({ backend: 'tasks', program: 'sh', args: ['-c', 'echo secret output'], tasks: 1, logDir: shared }));
    await finished(run);
    assert.equal(readFileSync(precious, 'utf8'), 'keep\n');
    assert.ok(!lstatSync(path.join(shared, 'last-job-id')).isSymbolicLink());
    assert.equal(mode(path.dirname(run.logPath)), '700');
    assert.equal(mode(run.logPath), '600');
    // They cannot read the output.
    const r = spawnSync('runuser', ['-u', OTHER, '--', 'cat', run.logPath], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.ok(existsSync(run.logPath) && statSync(run.logPath).size > 0);
  });

  test('in a shared log folder, a forged "running" record naming our live run: the next run marks nothing and ends nothing', async () => {
    const live = dirs.track(await launchLocal({ backend: 'tasks', program: 'sleep', args: ['1000'], tasks: 1, logDir: dirs.make() }));
    await new Promise<void>((resolve) => { if (live.state === 'running') resolve(); else live.onDidChangeState((e) => { if (e.state === 'running') resolve(); }); });
    // The run id is no secret: it is in `ps` (the guardian's arguments).
    const shared = sharedTmp();
    const forged = JSON.stringify({ id: live.id, backend: 'tasks', spec: {}, state: 'running', createdAt: 0, launcher: { pid: 999_999_999, startTicks: 0, host: hostname() } });
    asOther(`mkdir -m 700 '${shared}/${live.id}' && printf '%s' '${forged}' > '${shared}/${live.id}/run.json'`);
    const next = dirs.track(await launchLocal({ backend: 'tasks', program: 'true', tasks: 1, logDir: shared }));
    await finished(next);
    assert.equal(JSON.parse(readFileSync(path.join(shared, live.id, 'run.json'), 'utf8')).state, 'running', 'their record is left alone');
    assert.ok(processesOfRun(live.id).length > 0, 'our live run still runs');
    assert.equal(live.state, 'running');
    await live.cancel();
  });
});
