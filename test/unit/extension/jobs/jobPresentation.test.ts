/**
 * How jobs look in the tree and the status bar: durations, descriptions, context values the
 * manifest's menus match, units, tooltips, the details document.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { clusterStatusWords } from '../../../../extension/src/clusters/clusterStatus';
import { detailsText } from '../../../../extension/src/jobs/jobDetailsText';
import type { JobEntry } from '../../../../extension/src/jobs/jobEntry';
import { endNotice } from '../../../../extension/src/jobs/endNotice';
import { localOutcome } from '../../../../extension/src/jobs/outcomeSummary';
import {
  elapsedMs, entryIcon, escapeMarkdown, formatElapsed, formatLimit, jobContextValue, jobDescription, jobTooltip,
  slurmIdOf, STATE_ICONS, statusBarText, stateWord, taskContextValue, unitDescription, unitsOf, wantsMore,
} from '../../../../extension/src/jobs/jobPresentation';

const T0 = Date.UTC(2026, 10, 24, 3, 0, 0);

const slurmJob = (over: Partial<JobEntry> = {}): JobEntry => ({
  key: 'slurm:hpc:1234', backend: 'slurm', cluster: 'hpc', id: '1234', name: 'train.slurm', state: 'running',
  submittedAt: T0, startedAt: T0 + 10_000, timeLimitMs: 600_000, file: '/w/train.slurm',
  request: { target: 'slurm', cluster: 'hpc', script: '/w/train.slurm' },
  ...over,
});

const localRun = (over: Partial<JobEntry> = {}): JobEntry => ({
  key: 'local:pool-1', backend: 'pool', id: 'pool-20261124-030000-ab12', name: 'pi.py', state: 'running',
  submittedAt: T0, startedAt: T0, file: '/w/pi.py', request: { target: 'local', spec: { backend: 'pool', program: '/w/pi.py' } },
  logPath: '/tmp/hpc-jobs/runs/pool-1/output.log',
  ...over,
});

describe('durations', () => {
  test('elapsed time to the second below an hour, then coarser', () => {
    const cases: [number, string][] = [
      [0, '0s'], [999, '0s'], [45_000, '45s'], [80_000, '1m 20s'], [600_000, '10m 00s'],
      [3_600_000 + 5 * 60_000 + 9_000, '1h 05m'], [26 * 3_600_000, '1d 2h'], [-5, '0s'],
    ];
    for (const [ms, text] of cases) assert.equal(formatElapsed(ms), text, `${ms} ms`);
  });

  test('limits leave zero parts out', () => {
    const cases: [number, string][] = [[600_000, '10m'], [5_400_000, '1h 30m'], [2 * 86_400_000, '2d'], [45_000, '45s'], [0, '0s'], [86_400_000 + 60_000, '1d 1m']];
    for (const [ms, text] of cases) assert.equal(formatLimit(ms), text, `${ms} ms`);
  });

  test('elapsed runs while running, is fixed once ended, and is unknown before the start', () => {
    assert.equal(elapsedMs(slurmJob(), T0 + 90_000), 80_000);
    assert.equal(elapsedMs(slurmJob({ state: 'succeeded', endedAt: T0 + 40_000 }), T0 + 999_999), 30_000);
    assert.equal(elapsedMs(slurmJob({ state: 'queued', startedAt: undefined }), T0), undefined);
  });
});

describe('descriptions', () => {
  test('a running Slurm job: id, state, elapsed / limit', () => {
    assert.equal(jobDescription(slurmJob(), T0 + 90_000), '#1234 · running · 1m 20s / 10m');
  });

  test('a pending Slurm job shows its reason, not a time', () => {
    assert.equal(jobDescription(slurmJob({ state: 'queued', startedAt: undefined, slurmState: 'PENDING', reason: 'Priority' }), T0), '#1234 · pending · behind higher-priority jobs');
    // Slurm's estimate, when it has one.
    assert.equal(jobDescription(slurmJob({ state: 'queued', startedAt: undefined, slurmState: 'PENDING', reason: 'Resources', expectedStart: T0 + 12 * 60_000 }), T0),
      '#1234 · pending · next, waiting for free nodes · starts in 12 min');
    assert.equal(jobDescription(slurmJob({ state: 'queued', startedAt: undefined, slurmState: 'PENDING', reason: 'Resources', expectedStart: T0 - 5000 }), T0),
      '#1234 · pending · next, waiting for free nodes · starts soon');
    // A held job keeps the estimate it had; it means nothing until released.
    assert.equal(jobDescription(slurmJob({ state: 'queued', startedAt: undefined, slurmState: 'PENDING', reason: 'JobHeldUser', expectedStart: T0 + 60 * 60_000 }), T0),
      '#1234 · pending · held by you');
  });

  test('an ended job shows how long it ran; Slurm words that tell more win', () => {
    assert.equal(jobDescription(slurmJob({ state: 'succeeded', endedAt: T0 + 25_000 }), T0 + 1e6), '#1234 · succeeded · 15s');
    assert.equal(jobDescription(slurmJob({ state: 'failed', slurmState: 'OUT_OF_MEMORY', endedAt: T0 + 25_000 }), T0 + 1e6), '#1234 · out of memory · 15s');
    assert.equal(jobDescription(slurmJob({ state: 'timedOut', endedAt: T0 + 610_000 }), T0 + 1e6), '#1234 · timed out · 10m 00s');
  });

  test('an unfinished array counts its tasks by state', () => {
    const units = [
      { index: 0, kind: 'task' as const, state: 'running' as const },
      { index: 1, kind: 'task' as const, state: 'running' as const },
      { index: 2, kind: 'task' as const, state: 'queued' as const },
      { index: 3, kind: 'task' as const, state: 'failed' as const },
    ];
    assert.equal(jobDescription(slurmJob({ units }), T0 + 70_000), '#1234 · 2 running, 1 pending, 1 failed · 1m 00s / 10m');
  });

  test('a local run names its backend instead of its long run id', () => {
    assert.equal(jobDescription(localRun(), T0 + 12_000), 'worker pool · running · 12s');
    assert.equal(jobDescription(localRun({ backend: 'mpi', state: 'queued', startedAt: undefined }), T0), 'MPI · queued');
  });

  test('another user\'s job names its owner', () => {
    assert.equal(jobDescription(slurmJob({ user: 'bob', request: undefined }), T0 + 20_000, { showUser: true }), '#1234 · bob · running · 10s / 10m');
  });

  test('state words', () => {
    assert.equal(stateWord('queued', 'PENDING'), 'pending');
    assert.equal(stateWord('queued'), 'queued');
    assert.equal(stateWord('running', 'COMPLETING'), 'completing');
    assert.equal(stateWord('cancelled', 'CANCELLED by 0'), 'cancelled');
  });
});

describe('context values the manifest\'s menus match', () => {
  const menus = JSON.parse(readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')).contributes.menus['view/item/context'] as { command: string; when: string }[];
  /** The commands whose `when` clause holds for an item with this context value. */
  const commandsFor = (contextValue: string): string[] => menus.filter((m) => {
    const re = /viewItem =~ \/(.+)\/$/.exec(m.when.split(' && ').find((c) => c.startsWith('viewItem')) ?? '');
    return re && new RegExp(re[1]!).test(contextValue);
  }).map((m) => m.command.replace('hpcJobs.', '')).filter((c, i, all) => all.indexOf(c) === i).sort();

  test('job.<state>.<local|slurm>[.hasFile][.resubmittable]', () => {
    assert.equal(jobContextValue(slurmJob()), 'job.running.slurm.hasFile.resubmittable');
    assert.equal(jobContextValue(localRun({ state: 'succeeded' })), 'job.succeeded.local.hasFile.resubmittable');
    assert.equal(jobContextValue(slurmJob({ state: 'queued', file: undefined, request: undefined })), 'job.queued.slurm');
    assert.equal(taskContextValue(slurmJob(), { index: 3, kind: 'task', state: 'queued' }), 'task.queued.slurm');
  });

  test('a running Slurm job can be cancelled, its id copied, not removed or resubmitted', () => {
    assert.deepEqual(commandsFor(jobContextValue(slurmJob())), ['jobs.cancel', 'jobs.copyId', 'jobs.openScript', 'jobs.resubmit', 'jobs.showDetails', 'jobs.showOutput']);
    // Resubmit appears in the context menu (2_run) for any resubmittable job; inline only once ended.
    const inline = menus.filter((m) => m.command === 'hpcJobs.jobs.resubmit' && m.when.includes('succeeded|failed'));
    assert.equal(inline.length, 1);
  });

  test('an ended local run can be removed and run again, not cancelled; no Slurm id to copy', () => {
    const cmds = commandsFor(jobContextValue(localRun({ state: 'failed' })));
    assert.ok(cmds.includes('jobs.remove') && cmds.includes('jobs.resubmit'), cmds.join());
    assert.ok(!cmds.includes('jobs.cancel') && !cmds.includes('jobs.copyId'), cmds.join());
  });

  test('a pending array task can be cancelled, held and copied', () => {
    const cmds = commandsFor(taskContextValue(slurmJob(), { index: 3, kind: 'task', state: 'queued' }));
    assert.deepEqual(cmds, ['jobs.cancel', 'jobs.copyId', 'jobs.hold', 'jobs.showDetails', 'jobs.showOutput']);
  });

  test('a pending Slurm job can be held; a held one released, not held again; a running one neither', () => {
    const pending = slurmJob({ state: 'queued', slurmState: 'PENDING', reason: 'Priority' });
    const held = slurmJob({ state: 'queued', slurmState: 'PENDING', reason: 'JobHeldUser' });
    assert.equal(jobContextValue(held), 'job.queued.slurm.hasFile.resubmittable.held');
    assert.ok(commandsFor(jobContextValue(pending)).includes('jobs.hold'));
    assert.ok(!commandsFor(jobContextValue(pending)).includes('jobs.release'));
    assert.ok(commandsFor(jobContextValue(held)).includes('jobs.release'));
    assert.ok(!commandsFor(jobContextValue(held)).includes('jobs.hold'));
    assert.ok(commandsFor(jobContextValue(slurmJob({ state: 'queued', reason: 'JobHeldAdmin' }))).includes('jobs.release'));
    const running = commandsFor(jobContextValue(slurmJob()));
    assert.ok(!running.includes('jobs.hold') && !running.includes('jobs.release'));
    assert.ok(!commandsFor(jobContextValue(localRun({ state: 'queued' }))).includes('jobs.hold'));
  });

  test('cluster and machine nodes: Connect only when not connected', () => {
    assert.ok(commandsFor('cluster.notConnected').includes('clusters.connect'));
    assert.ok(commandsFor('cluster.failed').includes('clusters.connect'));
    assert.ok(!commandsFor('cluster.connected').includes('clusters.connect'));
    assert.deepEqual(commandsFor('machine'), []);
    assert.deepEqual(commandsFor('removedCluster'), []);
  });
});

describe('units and ids', () => {
  test('Slurm array tasks are the units; a one-task job has none', () => {
    const units = [{ index: 0, kind: 'task' as const, state: 'running' as const }, { index: 1, kind: 'task' as const, state: 'queued' as const }];
    assert.equal(unitsOf(slurmJob({ units })).length, 2);
    assert.equal(unitsOf(slurmJob({ units: units.slice(0, 1) })).length, 0);
  });

  test('a finished local run shows each rank\'s exit, sorted', () => {
    const e = localRun({ backend: 'mpi', state: 'failed', exits: [{ rank: 1, code: 3 }, { rank: 0, code: 0 }, { code: 1 }] });
    const units = unitsOf(e);
    assert.deepEqual(units.map((u) => [u.kind, u.index, u.state]), [['rank', 0, 'succeeded'], ['rank', 1, 'failed']]);
    assert.equal(unitDescription(units[1]!, false), 'failed · exit 3');
    assert.deepEqual(unitsOf(localRun()), [], 'not while it runs');
  });

  test('ids people type', () => {
    assert.equal(slurmIdOf(slurmJob()), '1234');
    assert.equal(slurmIdOf(slurmJob(), { index: 7, kind: 'task', state: 'queued' }), '1234_7');
  });

  test('a pending task says why', () => {
    assert.equal(unitDescription({ index: 2, kind: 'task', state: 'queued', slurmState: 'PENDING', reason: 'JobArrayTaskLimit' }, true), "pending · array's running-task limit reached");
  });
});

describe('icons, tooltips, status bar', () => {
  test('every state has a coloured icon as the brief names them', () => {
    assert.deepEqual(STATE_ICONS.queued, { icon: 'clock', color: 'charts.yellow' });
    assert.equal(STATE_ICONS.succeeded.icon, 'pass');
    assert.equal(STATE_ICONS.failed.color, 'testing.iconFailed');
    assert.equal(STATE_ICONS.timedOut.icon, 'watch');
    assert.match(STATE_ICONS.running.icon, /~spin$/);
  });

  test('tooltips escape what anyone could name a job', () => {
    const tip = jobTooltip(slurmJob({ name: '*bold* [x](http://e)', reason: undefined }), T0 + 20_000);
    assert.ok(tip.startsWith('**\\*bold\\* \\[x\\]\\(http://e\\)** — running'), tip);
    assert.match(tip, /Job ID: 1234/);
    assert.match(tip, /Time limit: 10m/);
    assert.equal(escapeMarkdown('a_b'), 'a\\_b');
  });

  test('cluster states in words', () => {
    assert.equal(clusterStatusWords('notConnected'), 'not connected');
    assert.equal(clusterStatusWords('reconnecting'), 'reconnecting…');
  });

  test('the status bar: counts and clusters, hidden when there is nothing', () => {
    assert.equal(statusBarText({ running: 0, queued: 0, clusters: [{ name: 'hpc', status: 'notConnected' }] }), undefined);
    const s = statusBarText({ running: 2, queued: 1, clusters: [{ name: 'hpc', status: 'connected' }, { name: 'b', status: 'notConnected' }] });
    assert.equal(s?.text, '$(server-process) 2 running, 1 pending · $(plug) hpc');
    assert.match(s!.tooltip, /b: not connected/);
    const trouble = statusBarText({ running: 0, queued: 0, clusters: [{ name: 'hpc', status: 'failed', error: 'auth' }] });
    assert.equal(trouble?.text, '$(server-process) no jobs running · $(warning) hpc');
    assert.match(trouble!.tooltip, /hpc: failed \(auth\)/);
  });
});

describe('why a job waits', () => {
  test('the tooltip says why in words, what to do, and when Slurm expects it to start', () => {
    const tip = jobTooltip(slurmJob({ state: 'queued', startedAt: undefined, slurmState: 'PENDING', reason: 'QOSMaxCpuPerUserLimit', expectedStart: T0 + 3 * 3600_000 }), T0);
    assert.match(tip, /Why it waits: The QOS's limit on CPUs per user is reached \\\(QOSMaxCpuPerUserLimit\\\)/);
    assert.match(tip, /What you can do: It starts when running jobs under that limit end/);
    assert.match(tip, /Expected start: .*in 3 h \\\(Slurm's estimate/);
  });
});

describe('details document', () => {
  test('everything the entry knows, its tasks, the request and what scontrol said', () => {
    const units = [{ index: 0, kind: 'task' as const, state: 'running' as const, jobId: '1235' }, { index: 1, kind: 'task' as const, state: 'queued' as const, reason: 'Resources' }];
    const text = detailsText(slurmJob({ units, partition: 'debug', user: 'alice' }), T0 + 70_000, { slurm: { text: 'JobId=1234 JobName=train\n' } });
    for (const needle of ['train.slurm', 'Job ID:', '1234', 'Partition:', 'debug', 'Tasks (2)', 'Task 1: pending · next, waiting for free nodes', '"target": "slurm"', 'scontrol show job', 'JobId=1234']) {
      assert.ok(text.includes(needle), `${needle} in:\n${text}`);
    }
  });

  test('a task\'s own document, and why Slurm was not asked', () => {
    const unit = { index: 1, kind: 'task' as const, state: 'failed' as const, exit: { task: 1, code: 2 }, jobId: '1236' };
    const text = detailsText(slurmJob({ units: [unit, { ...unit, index: 0 }] }), T0, { unit, slurm: { unavailable: 'not connected' } });
    assert.match(text, /^Task 1 of train\.slurm/);
    assert.match(text, /Task ID: +1234_1/);
    assert.match(text, /Own job ID: +1236/);
    assert.match(text, /\(not connected\)/);
  });
});

describe('after the job', () => {
  const ended = (over: Partial<JobEntry>) => slurmJob({ state: 'succeeded', startedAt: T0, endedAt: T0 + 754_000, ...over });

  test('an ended Slurm job\'s row shows how it used what it asked for; a hit limit or waste colours the icon', () => {
    const e = ended({ outcome: { badge: 'CPU 38% · mem 0.4/4 GiB · 12m 34s/1h 00m', warning: 'waste' } });
    assert.equal(jobDescription(e, T0), '#1234 · succeeded · CPU 38% · mem 0.4/4 GiB · 12m 34s/1h 00m');
    assert.deepEqual(entryIcon(e), { icon: 'pass', color: 'charts.yellow' });
    const oom = ended({ state: 'failed', outcome: { badge: 'CPU 90% · mem 4.1/4 GiB · 2m/1h', warning: 'limit', outOfMemory: true } });
    assert.equal(jobDescription(oom, T0), '#1234 · failed · out of memory · CPU 90% · mem 4.1/4 GiB · 2m/1h');
    assert.deepEqual(entryIcon(oom), { icon: 'error', color: 'charts.orange' });
    assert.deepEqual(entryIcon(ended({})), STATE_ICONS.succeeded);
    assert.match(jobTooltip(oom, T0), /How it went: CPU 90% · mem 4\\\.1\/4 GiB · 2m\/1h \\\(ran out of memory\\\)/);
  });

  test('"Resubmit with More…" for a batch script that ran out of memory or time, nothing else', () => {
    const menus = JSON.parse(readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')).contributes.menus['view/item/context'] as { command: string; when: string }[];
    const more = menus.find((m) => m.command === 'hpcJobs.run.resubmitWithMore')!;
    const re = new RegExp(/viewItem =~ \/(.+)\/$/.exec(more.when)![1]!);
    const oom = ended({ state: 'failed', outcome: { badge: '', outOfMemory: true } });
    assert.ok(wantsMore(oom) && re.test(jobContextValue(oom)));
    assert.ok(wantsMore(ended({ state: 'timedOut' })));
    assert.ok(!wantsMore(ended({ state: 'failed', outcome: { badge: '' } })) && !re.test(jobContextValue(ended({ state: 'failed' }))));
    assert.ok(!wantsMore(localRun({ state: 'timedOut' })));
  });

  test('the word when it ends: how, how long, the figures, and what to do next', () => {
    assert.deepEqual(endNotice(ended({ outcome: { badge: 'CPU 38% · mem 0.4/4 GiB · 12m 34s/1h 00m' } })), {
      text: 'train.slurm (job 1234 on "hpc") succeeded after 12m 34s: CPU 38% · mem 0.4/4 GiB · 12m 34s/1h 00m', severity: 'info', actions: ['Show Output', 'Resubmit'],
    });
    const oom = endNotice(ended({ state: 'failed', exits: [{ code: null, signal: 'SIGKILL' }], outcome: { badge: 'mem 4.1/4 GiB', outOfMemory: true } }));
    assert.deepEqual([oom.text, oom.severity, oom.actions], ['train.slurm (job 1234 on "hpc") ran out of memory after 12m 34s: mem 4.1/4 GiB', 'warning', ['Show Output', 'Resubmit with More Memory']]);
    assert.deepEqual(endNotice(ended({ state: 'timedOut' })).actions, ['Show Output', 'Resubmit with More Time']);
    const local = endNotice(localRun({ state: 'failed', startedAt: T0, endedAt: T0 + 40_000, exits: [{ rank: 2, code: 1 }], summary: 'rank 2 exited with 1' }));
    assert.deepEqual([local.text, local.severity, local.actions], ['pi.py failed after 40s, exit code 1: rank 2 exited with 1', 'error', ['Show Output', 'Run Again']]);
  });
});

describe('a local run\'s figures', () => {
  test('cores kept busy on average, peak memory, wall time — in the row and the details', () => {
    const o = localOutcome({ cpuS: 22.8, peakRssBytes: 210 * 1024 ** 2, samples: 40 }, 12_000);
    assert.deepEqual([o.badge, o.peakMemBytes, o.elapsedS], ['CPU 1.9 cores · mem 210 MiB · 12s', 210 * 1024 ** 2, 12]);
    assert.equal(localOutcome({ cpuS: 10, peakRssBytes: 50 * 1024 ** 2, samples: 40 }, 10_000).badge, 'CPU 1.0 core · mem 50 MiB · 10s');
    const e = localRun({ state: 'succeeded', endedAt: T0 + 12_000, outcome: o });
    assert.equal(jobDescription(e, T0), 'worker pool · succeeded · CPU 1.9 cores · mem 210 MiB · 12s');
    assert.match(jobTooltip(e, T0), /Figures: sampled from this machine's processes/);
  });
});
