/**
 * Runs of many units start them through the resident spawner (residentSpawner.ts) instead of
 * forking Node for each. Proven with real processes, read back from /proc: each unit is still
 * the leader of a session of its own, with the array environment, no inherited descriptors,
 * default signal dispositions, its exit code or signal, its output (odd bytes and floods
 * included), and whole-tree cancellation and time limits; a spawner that dies mid-run does
 * not hang the run or leave processes behind; without Python the run spawns by itself.
 *
 * Run: node --import tsx --test test/integration/runtimes/residentSpawner.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { LocalRun } from '../../../runtimes/src/localRun';
import { ResidentSpawner } from '../../../runtimes/src/residentSpawner';
import type { OutputLine } from '../../../runtimes/src/runtime';
import { alive, collect, logLines, needs, processesOfRun, program, pythonHas, TempDirs, until, waitForLine, withSpawner } from './runtimeHarness';

const dirs = new TempDirs();
after(() => dirs.clean());
// These tests choose for themselves (withSpawner); whatever the caller's shell set is not theirs.
delete process.env.HPC_JOBS_SPAWNER;

const hasPython = pythonHas('/usr/bin/python3', 'os') || pythonHas('python3', 'os');

/** Each task's lines, without the runtime's own. */
function byTask(lines: readonly OutputLine[]): Map<number, OutputLine[]> {
  const m = new Map<number, OutputLine[]>();
  for (const l of lines) {
    if (l.system || l.task === undefined) continue;
    const list = m.get(l.task);
    if (list) list.push(l); else m.set(l.task, [l]);
  }
  return m;
}

/**
 * Signals 1–31 ignored, from /proc's SigIgn mask. (The realtime ones above may be inherited
 * ignored from whatever started this test; libuv's own spawn leaves them as they are, too.)
 */
const standardIgnored = (line: string) => Number(BigInt(`0x${line.split(' ')[1]}`) & 0x7fffffffn);



// pid, parent, process group and session of the task's shell; its descriptors; its SIGINT/SIGPIPE dispositions.
const IDENTITY = [
  'read -r pid comm state ppid pgrp sid rest < /proc/$$/stat',
  'echo "ids $pid $ppid $pgrp $sid"',
  'echo "env $HPC_TASK_ID $SLURM_ARRAY_TASK_ID $SLURM_ARRAY_TASK_COUNT $PYTHONUNBUFFERED"',
  'cd /proc/$$/fd; set -- *; echo "fds $*"',
  'echo "ignored $(grep SigIgn /proc/$$/status | cut -f2)"',
  'echo "err $HPC_TASK_ID" >&2',
].join('; ');

describe('tasks through the resident spawner', needs(hasPython, 'python3'), () => {
  test('each task leads its own session, with its array environment, and nothing inherited', async () => {
    const run = await dirs.launch({ backend: 'tasks', program: 'sh', args: ['-c', IDENTITY], tasks: 12, firstTask: 5, parallel: 4 });
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    assert.deepEqual(result.exits.map((e) => e.task), [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    const tasks = byTask(lines);
    assert.equal(tasks.size, 12);
    const parents = new Set<number>();
    for (const [task, own] of tasks) {
      const text = (prefix: string) => own.find((l) => l.stream === 'stdout' && l.text.startsWith(prefix))?.text;
      const [pid, ppid, pgrp, sid] = text('ids ')!.split(' ').slice(1).map(Number);
      assert.equal(pgrp, pid, `task ${task}: its own process group`);
      assert.equal(sid, pid, `task ${task}: its own session`);
      parents.add(ppid!);
      assert.equal(text('env '), `env ${task} ${task} 12 1`);
      assert.match(text('fds ')!, /^fds 0 1 2( |$)/, `task ${task}: stdin, stdout, stderr`);
      assert.equal(standardIgnored(text('ignored ')!), 0, `task ${task}: no standard signal ignored (${text('ignored ')})`);
      assert.deepEqual(own.filter((l) => l.stream === 'stderr').map((l) => l.text), [`err ${task}`]);
    }
    // Started by the spawner, not forked from this process; it ends with the run.
    assert.equal(parents.size, 1);
    const [spawner] = [...parents];
    assert.notEqual(spawner, process.pid, 'the tasks\' parent is the spawner');
    assert.deepEqual(processesOfRun(run.id), []);
    await until(() => !alive(spawner!), `the spawner (${spawner}) to exit after the run`);
  });

  test('HPC_JOBS_SPAWNER=direct: the same tasks forked from this process, alike in every other way', async () => {
    const fds = async (mode: string) => withSpawner(mode, async () => {
      const run = await dirs.launch({ backend: 'tasks', program: 'sh', args: ['-c', IDENTITY], tasks: 8, parallel: 4 });
      const lines = collect(run);
      const result = await run.result;
      assert.equal(result.state, 'succeeded', result.summary);
      const seen = new Set<string>();
      for (const [task, own] of byTask(lines)) {
        const [pid, ppid, pgrp, sid] = own.find((l) => l.text.startsWith('ids '))!.text.split(' ').slice(1).map(Number);
        assert.equal(ppid === process.pid, mode === 'direct', `task ${task}: forked by this process only when direct`);
        assert.ok(pgrp === pid && sid === pid);
        seen.add(own.find((l) => l.text.startsWith('fds '))!.text + ' / ' + own.find((l) => l.text.startsWith('ignored '))!.text);
      }
      return [...seen];
    });
    // The same descriptors and ignored signals either way (what this process inherited, if
    // anything, and the shell's own): none of the spawner's pipes or dispositions reach a task.
    const direct = await fds('direct');
    assert.equal(direct.length, 1);
    assert.deepEqual(await fds('resident'), direct);
  });

  test('exit codes and signals per task', async () => {
    const script = 'case $HPC_TASK_ID in 3) exit 7;; 5) kill -TERM $$;; esac; echo ok';
    const run = await dirs.launch({ backend: 'tasks', program: 'sh', args: ['-c', script], tasks: 8, parallel: 3 });
    const result = await run.result;
    assert.equal(result.state, 'failed');
    assert.deepEqual(result.exits[3], { task: 3, code: 7 });
    assert.deepEqual(result.exits[5], { task: 5, code: null, signal: 'SIGTERM' });
    assert.equal(result.exits.filter((e) => e.code === 0).length, 6);
    assert.equal(result.summary, 'task 3 exited with 7, task 5 was killed by SIGTERM; 6 others succeeded');
  });

  test('a program that cannot start: each unit says why, nothing hangs', async () => {
    const logDir = dirs.make();
    const command = { command: '/nonexistent/program', args: [], cwd: logDir, env: { PATH: process.env.PATH ?? '' } };
    const run = dirs.track(new LocalRun({
      backend: 'tasks', spec: {}, logDir, maxParallel: 3,
      units: Array.from({ length: 8 }, (_, task) => ({ task, command })),
    }).start());
    const result = await run.result;
    assert.equal(result.state, 'failed');
    assert.deepEqual(result.exits.map((e) => e.code), [127, 127, 127, 127, 127, 127, 127, 127]);
    const why = logLines(run).filter((l) => l.includes('could not start'));
    assert.equal(why.length, 8, logLines(run).join('\n'));
    assert.match(why[0]!, /task \d could not start: No such file or directory: \/nonexistent\/program \(ENOENT\)/);
  });

  test('odd bytes and a flood arrive whole, per task, in order', { timeout: 120_000 }, async () => {
    const odd = await dirs.launch({ backend: 'tasks', program: program('odd_output.py'), tasks: 8, parallel: 4 });
    const oddLines = collect(odd);
    assert.equal((await odd.result).state, 'succeeded');
    for (const [, own] of byTask(oddLines)) {
      assert.deepEqual(own.map((l) => `${l.stream}:${l.text}`).filter((t) => t.startsWith('stdout')),
        ['stdout:bad \ufffd\ufffd bytes', 'stdout:split € done', 'stdout:crlf line', 'stdout:part one, part two', 'stdout:no newline at the end']);
      assert.deepEqual(own.filter((l) => l.stream === 'stderr').map((l) => l.text), ['to stderr']);
    }

    const flood = await dirs.launch({ backend: 'tasks', program: program('flood.py'), args: ['50000'], tasks: 8, parallel: 4 });
    let delivered = 0;
    flood.onDidOutput((batch) => { delivered += batch.filter((l) => !l.system).length; });
    assert.equal((await flood.result).state, 'succeeded');
    assert.equal(delivered, 400_000);
    const next = new Map<number, number>();
    for (const line of readFileSync(flood.logPath, 'utf8').split('\n')) {
      const m = /^\[task (\d+)\] line (\d+)$/.exec(line);
      if (!m) continue;
      const task = Number(m[1]);
      assert.equal(Number(m[2]), next.get(task) ?? 0, `task ${task} in order`);
      next.set(task, Number(m[2]) + 1);
    }
    assert.deepEqual([...next.values()], Array(8).fill(50_000));
  });
});

describe('process trees of tasks the spawner started', needs(hasPython, 'python3'), () => {
  const pidsOf = (lines: readonly OutputLine[]) => lines.flatMap((l) => /^pids (.+)$/.exec(l.text)?.[1]!.split(' ').map(Number) ?? []);

  test('children a task leaves behind are ended with it', async () => {
    const run = await dirs.launch({ backend: 'tasks', program: program('forker.py'), args: ['exit'], tasks: 8, parallel: 4 });
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    const pids = pidsOf(lines);
    assert.equal(pids.length, 24);
    assert.deepEqual(pids.filter(alive), []);
    assert.deepEqual(processesOfRun(run.id), []);
    assert.equal(logLines(run).filter((l) => /task \d+ exited and left 3 processes: .* running: ended/.test(l)).length, 8);
  });

  test('cancel: running tasks and their orphans and daemons end, the rest never start', async () => {
    const run = await dirs.launch({ backend: 'tasks', program: program('forker.py'), args: ['wait'], tasks: 8, parallel: 2 });
    const lines = collect(run);
    await waitForLine(run, /^pids /);
    await run.cancel();
    const result = await run.result;
    assert.equal(result.state, 'cancelled');
    assert.match(result.summary, /never started/);
    const pids = pidsOf(lines);
    assert.ok(pids.length >= 3);
    assert.deepEqual(pids.filter(alive), []);
    assert.deepEqual(processesOfRun(run.id), []);
  });

  test('cancelled while the spawner starts: nothing runs', async () => {
    const run = await dirs.launch({ backend: 'tasks', program: 'sleep', args: ['1000'], tasks: 8, parallel: 8 });
    const cancelled = new Promise<void>((resolve) => {
      run.onDidChangeState((e) => { if (e.state === 'running') void run.cancel().then(resolve); });
    });
    await cancelled;
    const result = await run.result;
    assert.equal(result.state, 'cancelled');
    assert.deepEqual(result.exits, []);
    assert.equal(result.summary, 'cancelled: 8 never started');
    assert.deepEqual(processesOfRun(run.id), []);
  });

  test('a time limit stops each task\'s whole tree', async () => {
    const run = await dirs.launch({ backend: 'tasks', program: program('forker.py'), args: ['wait'], tasks: 8, parallel: 8, timeLimitMs: 2000, killGraceMs: 200 });
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'timedOut');
    assert.equal(result.exits.length, 8);
    assert.ok(result.exits.every((e) => e.timedOut));
    assert.deepEqual(pidsOf(lines).filter(alive), []);
    assert.deepEqual(processesOfRun(run.id), []);
  });

  test('the spawner dies mid-run: its tasks are ended, the rest start without it, the run ends', async () => {
    // Tasks 0 and 1 wait forever under the spawner; the others end at once.
    const script = 'echo "parent $PPID"; if [ "$HPC_TASK_ID" -lt 2 ]; then exec sleep 1000; fi';
    const run = await dirs.launch({ backend: 'tasks', program: 'sh', args: ['-c', script], tasks: 8, parallel: 2 });
    const lines = collect(run);
    const spawnerPid = Number((await waitForLine(run, /^parent (\d+)$/))[1]);
    assert.notEqual(spawnerPid, process.pid);
    process.kill(spawnerPid, 'SIGKILL');
    const result = await run.result;
    assert.equal(result.state, 'failed');
    assert.deepEqual(result.exits.slice(2).map((e) => e.code), [0, 0, 0, 0, 0, 0]);
    assert.ok(result.exits.slice(0, 2).every((e) => e.code === null));
    assert.equal(logLines(run).filter((l) => /task [01]: the spawner process ended unexpectedly/.test(l)).length, 2, logLines(run).join('\n'));
    // The later tasks were forked from this process.
    const parents = byTask(lines);
    for (let task = 2; task < 8; task++) assert.equal(parents.get(task)![0]!.text, `parent ${process.pid}`);
    assert.deepEqual(processesOfRun(run.id), []);
  });
});

describe('no spawner to be had', () => {
  test('an interpreter that is missing or exits at once: no spawner, nothing left running', async () => {
    assert.equal(await ResidentSpawner.open('/nonexistent/python3'), undefined);
    assert.equal(await ResidentSpawner.open('/bin/false'), undefined);
  });
});
