/**
 * The Jobs view in a real extension host: the tree read through its own provider, the job
 * commands run with tree elements, the status bar and badge, queue polling while the view is
 * visible, and entries that survive a reload — against real local runs and the real Slurm
 * test cluster (test/cluster/up.sh). Without the cluster its tests skip, unless CI=true.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HpcJobsApi } from '../../../extension/src/extension';
import type { JobRecord } from '../../../runtimes/src/slurm/jobRecord';
import { isFinal, localKey, slurmKey, type JobEntry } from '../../../extension/src/jobs/jobEntry';
import { shellCommand } from '../../../runtimes/src/transport/shellQuote';
import { JobStore } from '../../../extension/src/jobs/jobStore';
import type { ClusterNode, JobNode, JobTreeElement, MachineNode, TaskNode } from '../../../extension/src/jobs/jobTree';
import { ScriptedPrompter } from '../../../extension/src/ui/prompter';
import {
  clusterAvailability, clusterRequired, cluster as testCluster, knownHostsFor, readClusterEnv, transport, type ClusterEnv,
} from '../../cluster/slurmTestCluster';
import { waitFor } from './waitFor';
import { workspacePath } from './workspaceFile';

const EXTENSION_ID = 'hpc-jobs.hpc-jobs';
const CLUSTER = 'test';
const IDLE_CLUSTER = 'jobtree-idle';
const STATE_KEY = 'hpcJobs.jobs.v1';
const SLOW = 120_000;

/** Whether something accepts TCP connections on host:port. */
function listening(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

function iconId(item: vscode.TreeItem): string | undefined {
  return item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
}

suite('Job tree', () => {
  let api: HpcJobsApi;
  let availability = clusterAvailability();
  let env: ClusterEnv | undefined = availability.env;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-tree-'));
  let savedClusters: unknown;
  let savedInterval: unknown;
  const started: string[] = [];

  const tree = () => api.jobViews.tree;
  const store = () => api.services.store;

  /** Skips a test that needs the cluster, with the reason; fails instead where one is required. */
  function needCluster(ctx: Mocha.Context): ClusterEnv {
    if (env) return env;
    if (clusterRequired) throw new Error(`no cluster: ${availability.reason} (required because CI=true or HPC_JOBS_REQUIRE_CLUSTER=1)`);
    ctx.skip();
  }

  function rootNodes(): JobTreeElement[] { return tree().getChildren(); }

  function clusterNode(name: string): ClusterNode {
    const node = rootNodes().find((n): n is ClusterNode => n.kind === 'cluster' && n.name === name);
    assert.ok(node, `a node for cluster "${name}"; roots: ${JSON.stringify(rootNodes())}`);
    return node;
  }

  function machineNode(): MachineNode {
    const node = rootNodes().find((n): n is MachineNode => n.kind === 'machine');
    assert.ok(node, 'a "This machine" node');
    return node;
  }

  function jobNode(parent: MachineNode | ClusterNode, key: string): JobNode | undefined {
    return tree().getChildren(parent).find((n): n is JobNode => n.kind === 'job' && n.key === key);
  }

  /** The entry once `accept` takes it, re-checked on every store change. */
  function entryWhen(key: string, what: string, accept: (e: JobEntry) => boolean, s: JobStore = store(), timeoutMs = SLOW): Promise<JobEntry> {
    let last: JobEntry | undefined;
    return waitFor(() => `${what}; last seen: ${JSON.stringify(last && { state: last.state, slurmState: last.slurmState, units: last.units?.length })}`, () => {
      last = s.get(key);
      return last && accept(last) ? last : undefined;
    }, [s.onDidChange], timeoutMs);
  }

  suiteSetup(async function () {
    this.timeout(SLOW);
    const ext = vscode.extensions.getExtension<HpcJobsApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    api = await ext.activate();
    // The shared probe gives bash 2 s; a loaded machine needs longer: a second, patient look.
    if (!env) {
      const read = readClusterEnv();
      if (read && await listening(read.host, read.port, 15_000)) { env = read; availability = { env }; }
    }
    if (!env) console.log(`    (Job tree: the cluster tests skip: ${availability.reason})`);
    const config = vscode.workspace.getConfiguration();
    savedClusters = config.inspect('hpcJobs.clusters')?.globalValue;
    savedInterval = config.inspect('hpcJobs.jobs.refreshInterval')?.globalValue;
    const clusters: unknown[] = [{ name: IDLE_CLUSTER, ssh: 'nobody@127.0.0.1:1' }];
    if (env) {
      clusters.unshift({
        name: CLUSTER, ssh: `${env.user}@${env.host}:${env.port}`, identityFile: env.key, knownHostsFiles: [knownHostsFor(env, dir)],
        workDir: `~/hpc-jobs-test/jobtree-${process.pid}-${Date.now().toString(36)}`, pollIntervalMs: 1000,
      });
    }
    await config.update('hpcJobs.clusters', clusters, vscode.ConfigurationTarget.Global);
    await config.update('hpcJobs.jobs.refreshInterval', 2, vscode.ConfigurationTarget.Global);
    await waitFor('the clusters to be read from the settings', () => api.services.clusters.names.includes(IDLE_CLUSTER), [api.services.clusters.onDidChange]);
  });

  suiteTeardown(async function () {
    this.timeout(SLOW);
    api.setPrompter(undefined);
    await Promise.all(started.map((k) => store().cancel(k).catch(() => undefined)));
    const config = vscode.workspace.getConfiguration();
    await config.update('hpcJobs.clusters', savedClusters, vscode.ConfigurationTarget.Global);
    await config.update('hpcJobs.jobs.refreshInterval', savedInterval, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir, { recursive: true, force: true });
  });

  test('a local run shows under "This machine", counts in the badge and status bar, ends succeeded, and Clear Finished removes it', async () => {
    const marker = path.join(dir, 'go');
    const entry = await api.services.start({
      target: 'local',
      spec: { backend: 'pool', program: workspacePath('jobtree-wait.py'), args: [marker], python: '/usr/bin/python3', workers: 2, logDir: dir },
    });
    started.push(entry.key);
    const machine = machineNode();
    const machineItem = tree().getTreeItem(machine);
    assert.equal(machineItem.contextValue, 'machine');
    assert.equal(iconId(machineItem), 'vm');
    const node = jobNode(machine, entry.key);
    assert.ok(node, 'the run is a row under "This machine"');

    await entryWhen(entry.key, 'the run to be running', (e) => e.state === 'running');
    const statusBar = api.jobViews.statusBar;
    await waitFor(() => `the status bar to count it; shows ${JSON.stringify(statusBar.shown)}`, () => /\d+ running/.test(statusBar.shown?.text ?? ''), [store().onDidChange], 10_000);
    assert.match(statusBar.shown!.text, /^\$\(server-process\) /);
    assert.ok((api.jobViews.view.badge?.value ?? 0) >= 1, `badge: ${JSON.stringify(api.jobViews.view.badge)}`);
    const running = tree().getTreeItem(node);
    assert.equal(running.label, 'jobtree-wait.py');
    assert.match(String(running.description), /^worker pool · running · \d+s$/);
    assert.equal(running.contextValue, 'job.running.local.hasFile.resubmittable');

    // Show Output on a run that has been going a while: the header's clock counts from its start, as the row's does.
    await vscode.commands.executeCommand('hpcJobs.jobs.showOutput', node);
    const startedAt = store().get(entry.key)!.startedAt;
    assert.ok(startedAt !== undefined && startedAt < Date.now());
    assert.equal(api.services.outputPanels.get(entry.id)?.headerSnapshot.startedAt, startedAt);

    writeFileSync(marker, '');
    await entryWhen(entry.key, 'the run to succeed', (e) => e.state === 'succeeded');
    await waitFor('the row to be redrawn', () => tree().getTreeItem(node).contextValue === 'job.succeeded.local.hasFile.resubmittable', [tree().onDidChangeTreeData]);
    assert.equal(iconId(tree().getTreeItem(node)), 'pass');

    await vscode.commands.executeCommand('hpcJobs.jobs.showOutput', node);
    assert.ok(api.services.outputPanels.get(entry.id), 'Show Output opened the run\'s panel');
    await vscode.commands.executeCommand('hpcJobs.jobs.openScript', node);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, workspacePath('jobtree-wait.py'));

    // Run Again repeats the request as it was: the marker is there, so it ends at once.
    const again = await vscode.commands.executeCommand<JobEntry | undefined>('hpcJobs.jobs.resubmit', node);
    assert.ok(again && again.key !== entry.key, 'a new run');
    started.push(again.key);
    assert.deepEqual(again.request, entry.request);
    assert.ok(api.services.outputPanels.get(again.id), 'Resubmit opened the output panel, as the first run did');
    await entryWhen(again.key, 'the second run to succeed', (e) => e.state === 'succeeded');

    await vscode.commands.executeCommand('hpcJobs.jobs.clearFinished');
    assert.equal(store().get(entry.key), undefined);
    assert.equal(jobNode(machineNode(), entry.key), undefined, 'the row is gone');
  });

  test('a cluster never connected stays "not connected" while the view is visible, with a Connect action', async function () {
    this.timeout(SLOW);
    await vscode.commands.executeCommand('hpcJobs.jobs.focus');
    await waitFor('the Jobs view to be visible', () => api.jobViews.view.visible, [api.jobViews.view.onDidChangeVisibility]);
    await waitFor('queue polling to start', () => api.jobViews.poller.polling, []);
    await vscode.commands.executeCommand('hpcJobs.jobs.refresh');
    const item = tree().getTreeItem(clusterNode(IDLE_CLUSTER));
    assert.equal(item.contextValue, 'cluster.notConnected');
    assert.equal(item.description, 'not connected');
    assert.equal(api.services.clusters.status(IDLE_CLUSTER).status, 'notConnected', 'no connection was tried');
  });

  test('a Slurm job: its row under the cluster, Copy Job ID, Show Details with scontrol\'s view, Cancel after a question', async function () {
    this.timeout(SLOW);
    needCluster(this);
    const prompter = new ScriptedPrompter([{ id: 'jobs.cancel', dismiss: true }, { id: 'jobs.cancel', answer: 'Cancel Job' }]);
    api.setPrompter(prompter);
    const entry = await api.services.start({ target: 'slurm', cluster: CLUSTER, script: workspacePath('jobtree-sleep.slurm') });
    started.push(entry.key);
    assert.match(entry.id, /^\d+$/);
    const clusterItem = tree().getTreeItem(clusterNode(CLUSTER));
    assert.equal(clusterItem.contextValue, 'cluster.connected');
    assert.equal(clusterItem.description, 'connected');

    const node = jobNode(clusterNode(CLUSTER), entry.key);
    assert.ok(node, 'the job is a row under its cluster');
    await entryWhen(entry.key, 'Slurm to report the job', (e) => e.slurmState === 'PENDING' || e.slurmState === 'RUNNING');
    const item = tree().getTreeItem(node);
    assert.equal(item.label, 'jobtree-sleep.slurm');
    assert.match(String(item.description), new RegExp(`^#${entry.id} · (pending|running)`));
    assert.match(item.contextValue ?? '', /^job\.(queued|running)\.slurm\.hasFile\.resubmittable$/);
    assert.ok(['clock', 'sync~spin'].includes(iconId(item) ?? ''), `icon ${iconId(item)}`);
    assert.ok(item.tooltip instanceof vscode.MarkdownString && item.tooltip.value.includes(`Job ID: ${entry.id}`));

    await vscode.commands.executeCommand('hpcJobs.jobs.copyId', node);
    assert.equal(await vscode.env.clipboard.readText(), entry.id);

    await vscode.commands.executeCommand('hpcJobs.jobs.showDetails', node);
    const doc = await waitFor('the details document', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'hpc-jobs-details' && new URLSearchParams(d.uri.query).get('key') === entry.key), [vscode.workspace.onDidOpenTextDocument]);
    assert.equal(vscode.window.activeTextEditor?.document, doc, 'shown in an editor');
    assert.match(doc.getText(), new RegExp(`Job ID: +${entry.id}`));
    assert.match(doc.getText(), new RegExp(`JobId=${entry.id} `), 'scontrol show job was asked');

    // A click on the inline icon, beside Show Output, is asked about; dismissing it keeps the job.
    await vscode.commands.executeCommand('hpcJobs.jobs.cancel', node);
    const [question] = prompter.asked;
    assert.match(question?.value ?? '', new RegExp(`^Cancel job ${entry.id} \\(jobtree-sleep\\.slurm\\) on ${CLUSTER}\\? It (is pending( \\(.+\\))?|has run \\d+s|is running)\\.$`));
    assert.deepEqual(question?.items, ['Cancel Job']);
    await vscode.commands.executeCommand('hpcJobs.jobs.refresh'); // one listing from now: a cancel would show by then
    assert.ok(!isFinal(store().get(entry.key)!.state), 'dismissed: the job goes on');

    await vscode.commands.executeCommand('hpcJobs.jobs.cancel', node);
    await entryWhen(entry.key, 'the job to be cancelled', (e) => e.state === 'cancelled');
    await waitFor('the row to say so', () => /^job\.cancelled\.slurm/.test(tree().getTreeItem(node).contextValue ?? ''), [tree().onDidChangeTreeData]);
    assert.equal(iconId(tree().getTreeItem(node)), 'circle-slash');
    assert.deepEqual(prompter.unexpected, []);
  });

  test('several selected: one question for all; a local run alone is cancelled at once', async function () {
    this.timeout(SLOW);
    needCluster(this);
    const prompter = new ScriptedPrompter([{ id: 'jobs.cancel', answer: 'Cancel 3 Jobs' }]);
    api.setPrompter(prompter);
    const local = () => api.services.start({
      target: 'local',
      spec: { backend: 'pool', program: workspacePath('jobtree-wait.py'), args: [path.join(dir, 'never')], python: '/usr/bin/python3', workers: 1, logDir: dir },
    });
    const alone = await local();
    started.push(alone.key);
    await entryWhen(alone.key, 'the run to be running', (e) => e.state === 'running');
    await vscode.commands.executeCommand('hpcJobs.jobs.cancel', jobNode(machineNode(), alone.key));
    await entryWhen(alone.key, 'the local run to be cancelled', (e) => e.state === 'cancelled');
    assert.equal(prompter.asked.length, 0, 'a local run: no question');

    const a = await api.services.start({ target: 'slurm', cluster: CLUSTER, script: workspacePath('jobtree-sleep.slurm') });
    const b = await api.services.start({ target: 'slurm', cluster: CLUSTER, script: workspacePath('jobtree-sleep.slurm') });
    const c = await local();
    started.push(a.key, b.key, c.key);
    const nodes = [jobNode(clusterNode(CLUSTER), a.key)!, jobNode(clusterNode(CLUSTER), b.key)!, jobNode(machineNode(), c.key)!];
    // As VS Code calls a context-menu command on a multi-selection: the clicked row, then all selected.
    await vscode.commands.executeCommand('hpcJobs.jobs.cancel', nodes[0], nodes);
    assert.deepEqual(prompter.asked.map((q) => q.id), ['jobs.cancel'], 'asked once');
    assert.equal(prompter.asked[0]!.value, `Cancel 3 jobs? job ${a.id} (jobtree-sleep.slurm), job ${b.id} (jobtree-sleep.slurm) on ${CLUSTER}, and 1 run on this machine.`);
    for (const e of [a, b, c]) await entryWhen(e.key, `${e.key} to be cancelled`, (x) => x.state === 'cancelled');
    assert.deepEqual(prompter.unexpected, []);
  });

  test('an array job shows its tasks; one task is cancelled alone, the whole array after a question', async function () {
    this.timeout(SLOW);
    needCluster(this);
    const entry = await api.services.start({ target: 'slurm', cluster: CLUSTER, script: workspacePath('jobtree-array.slurm') });
    started.push(entry.key);
    await entryWhen(entry.key, 'four array tasks', (e) => e.units?.length === 4);
    const node = jobNode(clusterNode(CLUSTER), entry.key)!;
    assert.equal(tree().getTreeItem(node).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const tasks = tree().getChildren(node) as TaskNode[];
    assert.deepEqual(tasks.map((t) => tree().getTreeItem(t).label), ['Task 0', 'Task 1', 'Task 2', 'Task 3']);
    for (const t of tasks) assert.match(tree().getTreeItem(t).contextValue ?? '', /^task\.(queued|running|succeeded)\.slurm$/);

    await vscode.commands.executeCommand('hpcJobs.jobs.copyId', tasks[3]);
    assert.equal(await vscode.env.clipboard.readText(), `${entry.id}_3`);

    const prompter = new ScriptedPrompter([{ id: 'jobs.cancel', answer: 'Cancel Task' }, { id: 'jobs.cancel', answer: 'Cancel All Tasks' }]);
    api.setPrompter(prompter);
    await vscode.commands.executeCommand('hpcJobs.jobs.cancel', tasks[3]);
    await entryWhen(entry.key, 'task 3 to be cancelled', (e) => e.units?.find((u) => u.index === 3)?.state === 'cancelled');
    assert.notEqual(store().get(entry.key)?.state, 'cancelled', 'the other tasks go on');
    assert.match(prompter.asked[0]?.value ?? '', new RegExp(`^Cancel task ${entry.id}_3 on ${CLUSTER}\\?`));

    await vscode.commands.executeCommand('hpcJobs.jobs.cancel', node);
    assert.deepEqual(prompter.asked.map((q) => q.id), ['jobs.cancel', 'jobs.cancel']);
    assert.match(prompter.asked[1]?.value ?? '', /^Cancel all \d unfinished tasks of job \d+ \(jobtree-array\.slurm\) on /);
    assert.deepEqual(prompter.unexpected, []);
    await entryWhen(entry.key, 'the array to be cancelled', (e) => e.state === 'cancelled');
  });

  test('a job submitted elsewhere shows up from the queue while the view is visible; polling stops when it is hidden', async function () {
    this.timeout(SLOW);
    const e = needCluster(this);
    await vscode.commands.executeCommand('hpcJobs.jobs.focus');
    await waitFor('the Jobs view to be visible', () => api.jobViews.view.visible, [api.jobViews.view.onDidChangeVisibility]);
    // Another window, or a terminal: a connection and a submission of their own.
    const t = transport(e, knownHostsFor(e, dir));
    const other = testCluster(t, { tail: false });
    try {
      const submitted = await other.submitScriptText('#!/bin/bash\n#SBATCH --job-name=jobtree-elsewhere\n#SBATCH --time=5\n#SBATCH --output=/dev/null\nsleep 60\n', 'elsewhere.sbatch', { remoteDir: `~/hpc-jobs-test/jobtree-${process.pid}` });
      const key = slurmKey(CLUSTER, submitted.jobId);
      started.push(key);
      // No Refresh: the visible view's own polling (every 2 s here) finds it.
      const found = await entryWhen(key, 'the job to be listed', () => true, store(), 30_000);
      assert.equal(found.name, 'jobtree-elsewhere');
      assert.equal(found.request, undefined);
      assert.equal(found.user, e.user);
      const node = jobNode(clusterNode(CLUSTER), key);
      assert.ok(node);
      assert.match(tree().getTreeItem(node).contextValue ?? '', /^job\.(queued|running)\.slurm$/, 'nothing to open or resubmit');

      await vscode.commands.executeCommand('hpcJobs.jobs.showAllUsers');
      assert.equal(api.jobViews.poller.showingAllUsers, true);
      assert.equal(api.jobViews.poller.errorOf(CLUSTER), undefined, 'the all-users listing worked');
      assert.ok(store().get(key), 'the user\'s own jobs stay');
      assert.ok(tree().getChildren(clusterNode(CLUSTER)).some((n) => n.kind === 'job' && n.key === key));
      await vscode.commands.executeCommand('hpcJobs.jobs.showMine');
      assert.equal(api.jobViews.poller.showingAllUsers, false);

      await other.cancel(submitted.jobId);
      await entryWhen(key, 'the job cancelled elsewhere to end here too', (x) => x.state === 'cancelled', store(), 60_000);
    } finally {
      other.dispose();
      await t.dispose();
    }

    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor('the Jobs view to be hidden', () => !api.jobViews.view.visible, [api.jobViews.view.onDidChangeVisibility]);
    await waitFor('queue polling to stop', () => !api.jobViews.poller.polling, [], 60_000);
  });

  test('why a job waits, in words; Hold and Release from the tree', async function () {
    this.timeout(SLOW);
    const e = needCluster(this);
    await vscode.commands.executeCommand('hpcJobs.jobs.focus');
    await waitFor('the Jobs view to be visible', () => api.jobViews.view.visible, [api.jobViews.view.onDidChangeVisibility]);
    // Submitted from a terminal (plain sbatch over ssh): it waits for its --begin time.
    const t = transport(e, knownHostsFor(e, dir));
    const r = await t.exec(shellCommand(['sbatch', '--parsable', '--begin=now+1hour', '-t', '1', '-J', 'jobtree-later', '-o', '/dev/null', '--wrap', 'true']));
    assert.equal(r.code, 0, r.stderr);
    const id = r.stdout.trim();
    const key = slurmKey(CLUSTER, id);
    started.push(key);
    try {
      await entryWhen(key, 'the job waiting for its begin time', (x) => x.reason === 'BeginTime', store(), 30_000);
      const node = jobNode(clusterNode(CLUSTER), key)!;
      assert.ok(node);
      const before = tree().getTreeItem(node);
      assert.match(String(before.description), new RegExp(`^#${id} · pending · waiting for its --begin time`));
      assert.equal(before.contextValue, 'job.queued.slurm');
      assert.ok(before.tooltip instanceof vscode.MarkdownString && /Why it waits: Waiting for the start time it was given/.test(before.tooltip.value), String((before.tooltip as vscode.MarkdownString).value));

      await vscode.commands.executeCommand('hpcJobs.jobs.hold', node);
      await entryWhen(key, 'the job held', (x) => x.reason === 'JobHeldUser', store(), 30_000);
      await waitFor('the row to offer Release', () => tree().getTreeItem(node).contextValue === 'job.queued.slurm.held', [tree().onDidChangeTreeData]);
      assert.match(String(tree().getTreeItem(node).description), new RegExp(`^#${id} · pending · held by you$`));

      await vscode.commands.executeCommand('hpcJobs.jobs.release', node);
      await entryWhen(key, 'the job released', (x) => x.reason !== 'JobHeldUser', store(), 30_000);
      await waitFor('the row to offer Hold again', () => tree().getTreeItem(node).contextValue === 'job.queued.slurm', [tree().onDidChangeTreeData]);
    } finally {
      await t.exec(shellCommand(['scancel', id])).catch(() => undefined);
      await t.dispose();
    }
  });

  test('Estimate Start: the cluster says when the script would start, nothing is submitted; a refusal says why', async function () {
    this.timeout(SLOW);
    needCluster(this);
    const prompter = new ScriptedPrompter([{ id: 'run.estimate', dismiss: true }]);
    api.setPrompter(prompter);
    const before = store().all().length;
    const estimate = await vscode.commands.executeCommand<{ start: number; partition: string } | undefined>('hpcJobs.run.estimateStart', vscode.Uri.file(workspacePath('jobtree-sleep.slurm')), CLUSTER);
    assert.ok(estimate, JSON.stringify(prompter.asked));
    assert.equal(estimate.partition, 'debug');
    const said = prompter.asked.find((q) => q.id === 'run.estimate');
    assert.match(said?.title ?? '', /^jobtree-sleep\.slurm would start (now|in \d+ min) \(\d\d:\d\d\) on n\d, partition debug, 1 CPU on "test"\. Slurm's estimate/);
    assert.deepEqual(said?.items, ['Submit']);
    assert.equal(store().all().length, before, 'nothing submitted');

    const bad = workspacePath('jobtree-estimate-bad.slurm');
    writeFileSync(bad, '#!/bin/bash\n#SBATCH --nodes=9\n#SBATCH --time=1\ntrue\n');
    try {
      const refused = await vscode.commands.executeCommand('hpcJobs.run.estimateStart', vscode.Uri.file(bad), CLUSTER);
      assert.equal(refused, undefined);
      assert.match(prompter.asked.find((q) => q.id === 'run.estimateFailed')?.title ?? '', /would not start jobtree-estimate-bad\.slurm: .*Node count specification invalid/);
    } finally {
      rmSync(bad, { force: true });
    }
  });

  test('with hpcJobs.jobs.historyDays, jobs that ended out of sight are listed from accounting', async function () {
    this.timeout(SLOW);
    const e = needCluster(this);
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor('the Jobs view to be hidden', () => !api.jobViews.view.visible, [api.jobViews.view.onDidChangeVisibility]);
    // While nobody looks, a job is submitted from a terminal and ends: the queue never shows it to us.
    const t = transport(e, knownHostsFor(e, dir));
    const config = vscode.workspace.getConfiguration();
    try {
      const r = await t.exec(shellCommand(['sbatch', '--parsable', '-t', '1', '-J', 'jobtree-history', '-o', '/dev/null', '--wrap', 'exit 3']));
      assert.equal(r.code, 0, r.stderr);
      const id = r.stdout.trim();
      for (let tries = 0; !/FAILED/.test((await t.exec(shellCommand(['sacct', '-X', '-n', '-P', '-j', id, '-o', 'State']))).stdout); tries++) {
        assert.ok(tries < 60, 'the job ended in accounting within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      // sacct's time-window query lists a job a moment after `sacct -j` does.
      for (let tries = 0; !(await t.exec(shellCommand(['sacct', '-X', '-n', '-P', '--starttime=now-1days', '-o', 'JobID']))).stdout.split('\n').includes(id); tries++) {
        assert.ok(tries < 60, 'sacct --starttime lists the job within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const key = slurmKey(CLUSTER, id);
      assert.equal(store().get(key), undefined, 'not followed by this window');
      await api.services.clusters.connect(CLUSTER); // history is read over a connection that is up, never opens one
      await config.update('hpcJobs.jobs.historyDays', 1, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('hpcJobs.jobs.focus');
      const entry = await waitFor('the ended job from accounting', () => api.jobViews.poller.other(key), [api.jobViews.poller.onDidChangeCluster], 30_000);
      assert.deepEqual([entry.state, entry.name, entry.exits?.[0]?.code], ['failed', 'jobtree-history', 3]);
      const node = jobNode(clusterNode(CLUSTER), key);
      assert.ok(node, 'a row under the cluster');
      const item = tree().getTreeItem(node);
      assert.ok(item.tooltip instanceof vscode.MarkdownString && /found in Slurm's accounting/.test(item.tooltip.value.replace(/\\/g, '')));
      await config.update('hpcJobs.jobs.historyDays', undefined, vscode.ConfigurationTarget.Global);
      await waitFor('the history to go with the setting', () => !api.jobViews.poller.other(key), [api.jobViews.poller.onDidChangeCluster], 30_000);
    } finally {
      await config.update('hpcJobs.jobs.historyDays', undefined, vscode.ConfigurationTarget.Global);
      await t.dispose();
    }
  });

  test('after three runs that used little, the script offers to right-size --mem and --time, and the fix rewrites the line', async function () {
    this.timeout(SLOW);
    needCluster(this);
    const file = workspacePath('jobtree-small.slurm');
    const original = readFileSync(file, 'utf8');
    try {
      for (let i = 0; i < 3; i++) {
        const entry = await api.services.start({ target: 'slurm', cluster: CLUSTER, script: file });
        started.push(entry.key);
        const done = await entryWhen(entry.key, `run ${i + 1} to end with its figures`, (e) => e.state === 'succeeded' && e.outcome !== undefined, store(), 90_000);
        assert.match(done.outcome!.badge, /^CPU \d+% · mem 0\.\d\/2 GiB · \d+s\/10m$/);
        assert.equal(done.outcome!.warning, 'waste');
        assert.match(String(tree().getTreeItem(jobNode(clusterNode(CLUSTER), entry.key)!).description), /succeeded · CPU \d+% · mem/);
      }
      const doc = await vscode.workspace.openTextDocument(file);
      // The lenses follow the history the outcome reader keeps; ask until both are there.
      let lenses: vscode.CodeLens[] = [];
      for (let i = 0; i < 50 && lenses.length < 2; i++) {
        if (i) await new Promise((resolve) => setTimeout(resolve, 200));
        lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)).filter((l) => l.command?.command === 'hpcJobs.run.rightSize');
      }
      assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command!.title.replace(/ — .*/, '')]), [[2, '$(arrow-down) Right-size to 128M'], [3, '$(arrow-down) Right-size to 00:05:00']]);
      assert.match(lenses[0]!.command!.title, /— the last 3 runs: peak \d+ MiB of 2\.0 GiB per node on "test"$/);
      await vscode.commands.executeCommand(lenses[0]!.command!.command, ...lenses[0]!.command!.arguments!);
      assert.equal(doc.lineAt(2).text, '#SBATCH --mem=128M');
      await doc.save();
    } finally {
      writeFileSync(file, original);
    }
  });

  test('a job that runs out of memory: a word when it ends, and Resubmit with More Memory doubles --mem after showing the change', async function () {
    this.timeout(SLOW);
    needCluster(this);
    const config = vscode.workspace.getConfiguration();
    await config.update('hpcJobs.jobs.notifyAfterSeconds', 0, vscode.ConfigurationTarget.Global);
    const prompter = new ScriptedPrompter([{ id: 'jobs.ended', answer: 'Resubmit with More Memory' }, { id: 'jobs.resubmitMore', answer: 'Resubmit' }]);
    api.setPrompter(prompter);
    try {
      const entry = await api.services.start({ target: 'slurm', cluster: CLUSTER, script: workspacePath('jobtree-oom.slurm') });
      started.push(entry.key);
      const done = await entryWhen(entry.key, 'the job to end out of memory', (e) => e.outcome?.outOfMemory === true, store(), 90_000);
      assert.equal(done.state, 'failed');
      assert.match(tree().getTreeItem(jobNode(clusterNode(CLUSTER), entry.key)!).contextValue ?? '', /\.wantsMore$/);
      const again = await waitFor('the resubmission', () => store().all().find((e) => e.key !== entry.key && e.request?.target === 'slurm' && e.request.sbatchOptions?.includes('--mem=512M')), [store().onDidChange], 30_000);
      started.push(again.key);
      const [ended, asked] = prompter.asked.filter((q) => q.id === 'jobs.ended' || q.id === 'jobs.resubmitMore');
      assert.match(ended?.title ?? '', new RegExp(`^jobtree-oom\\.slurm \\(job ${entry.id} on "test"\\) ran out of memory after \\d+s: .*mem \\d+/200 MiB`));
      assert.deepEqual(ended?.items, ['Show Output', 'Resubmit with More Memory']);
      assert.match(asked?.title ?? '', /^Resubmit jobtree-oom\.slurm to "test" with --mem 200M → 512M\?/);
      assert.deepEqual(prompter.unexpected, []);
      await store().cancel(again.key).catch(() => undefined);
    } finally {
      api.setPrompter(undefined);
      await config.update('hpcJobs.jobs.notifyAfterSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a thousand jobs are drawn quickly, one job\'s change redraws only its row, and times tick only while the view shows', async function () {
    this.timeout(SLOW);
    const view = api.jobViews.view;
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor('the Jobs view to be hidden', () => !view.visible, [view.onDidChangeVisibility]);
    const bulk = 'jobtree-bulk';
    const now = Date.now();
    const records = (finished: (i: number) => boolean): JobRecord[] => Array.from({ length: 1000 }, (_, i) => ({
      jobId: String(900_000 + i), state: finished(i) ? 'COMPLETED' : 'RUNNING', name: `bulk-${i}`, user: 'hpcuser',
      submitTime: now - 1000 * (1000 - i), startTime: now - 500 * (1000 - i), timeLimitMinutes: 60,
      ...(finished(i) ? { endTime: now, exit: { code: 0 } } : {}),
    }));
    // A listing of a cluster no longer configured: its jobs are kept, and nothing connects.
    const redrawn = new Promise<void>((resolve) => { const d = tree().onDidChangeTreeData(() => { d.dispose(); resolve(); }); });
    store().syncQueue(bulk, records(() => false));
    await redrawn; // a new top-level node: the whole tree, once
    try {
      const t0 = performance.now();
      const node = clusterNode(bulk);
      const rows = tree().getChildren(node);
      const items = rows.map((r) => tree().getTreeItem(r));
      const ms = performance.now() - t0;
      assert.equal(rows.length, 1000);
      assert.equal(items[0]!.label, 'bulk-999', 'newest first');
      assert.match(String(items[0]!.description), /^#900999 · running · \d+s \/ 1h$/);
      assert.ok(ms < 2000, `1,000 rows took ${ms.toFixed(0)} ms`);

      const events: (JobTreeElement | JobTreeElement[] | undefined)[] = [];
      const listening = tree().onDidChangeTreeData((e) => events.push(e));
      try {
        store().syncQueue(bulk, records((i) => i === 500));
        await waitFor('a tree event', () => events.length > 0, [tree().onDidChangeTreeData]);
        const fired = events.flatMap((e) => (Array.isArray(e) ? e : [e]));
        assert.ok(!fired.includes(undefined), 'no redraw of the whole tree');
        // (Jobs of other suites may change meanwhile: only this cluster's rows are looked at.)
        const ours = fired.filter((e) => e === node || (e?.kind === 'job' && e.parent === node) || (e?.kind === 'task' && e.parent.parent === node));
        assert.deepEqual(ours.map((e) => (e?.kind === 'job' ? e.key : e?.kind)), [slurmKey(bulk, '900500')]);
        assert.equal(tree().ticking, false, 'hidden: no ticking');

        // Shown: the running rows are redrawn each second with nothing else changing.
        events.length = 0;
        await vscode.commands.executeCommand('hpcJobs.jobs.focus');
        await waitFor('the Jobs view to be visible', () => view.visible, [view.onDidChangeVisibility]);
        const running = rows.find((r) => r.kind === 'job' && r.key === slurmKey(bulk, '900999'));
        await waitFor('a tick to redraw the running rows', () => events.some((e) => Array.isArray(e) && e.includes(running!)), [tree().onDidChangeTreeData], 10_000);
        await vscode.commands.executeCommand('workbench.action.closeSidebar');
        await waitFor('the Jobs view to be hidden', () => !view.visible, [view.onDidChangeVisibility]);
        assert.equal(tree().ticking, false, 'hidden again: the tick stopped');
      } finally {
        listening.dispose();
      }
    } finally {
      store().syncQueue(bulk, records(() => true));
      store().clearFinished();
    }
    assert.ok(!rootNodes().some((n) => n.kind === 'cluster' && n.name === bulk), 'its node went with its jobs');
  });

  test('a local run whose extension host was killed: restored as its record says, in the CLI\'s words', () => {
    // Two runs saved as running by a window whose extension host died: one recorded with that
    // host as its launcher (a pid now of another process: a later start time), one with no record.
    const logDir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-restore-'));
    try {
      const me = readFileSync('/proc/self/stat', 'latin1').split(') ')[1]!.split(' ');
      const launcher = { pid: process.pid, startTicks: Number(me[19]) - 1, host: os.hostname() };
      const entry = (id: string): JobEntry => ({
        key: localKey(id), backend: 'tasks', id, name: 'work.sh', state: 'running', submittedAt: Date.now() - 5000,
        logPath: path.join(logDir, id, 'output.log'),
      });
      const killed = entry('tasks-20260101-000000-aaaa');
      const unrecorded = entry('tasks-20260101-000001-bbbb');
      mkdirSync(path.dirname(killed.logPath!));
      writeFileSync(path.join(path.dirname(killed.logPath!), 'run.json'), JSON.stringify({ id: killed.id, backend: 'tasks', spec: {}, state: 'running', createdAt: 0, launcher }));
      const saved: vscode.Memento = {
        keys: () => [STATE_KEY],
        get: <T>(k: string, d?: T) => (k === STATE_KEY ? [killed, unrecorded] : d) as T,
        update: () => Promise.resolve(),
      };
      const reloaded = new JobStore(saved, api.services.clusters);
      try {
        reloaded.restore();
        const why = `the launcher was killed (pid ${process.pid}); output up to then is in output.log`;
        assert.deepEqual([reloaded.get(killed.key)?.state, reloaded.get(killed.key)?.summary], ['failed', why]);
        const record = JSON.parse(readFileSync(path.join(path.dirname(killed.logPath!), 'run.json'), 'utf8')) as { state: string; result: { summary: string } };
        assert.deepEqual([record.state, record.result.summary], ['failed', why], 'the record is marked, as the CLI would');
        assert.equal(reloaded.get(unrecorded.key)?.state, 'cancelled');
        assert.match(reloaded.get(unrecorded.key)?.reason ?? '', /the window was closed while it ran/);
      } finally {
        reloaded.dispose();
      }
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
  });

  test('entries survive a reload: a second store over the saved state re-attaches a pending job and follows it', async function () {
    this.timeout(SLOW);
    needCluster(this);
    const entry = await api.services.start({ target: 'slurm', cluster: CLUSTER, script: workspacePath('jobtree-sleep.slurm'), sbatchOptions: ['--hold'] });
    started.push(entry.key);
    await entryWhen(entry.key, 'the held job to be pending', (e) => e.slurmState === 'PENDING');
    await store().save();
    // What a reload reads: this job's entry as saved in the workspace state (the suite's other
    // entries are left out, so this store shares no live job with the window's).
    const memento = api.services.context.workspaceState;
    const saved: vscode.Memento = {
      keys: () => memento.keys(),
      get: <T>(k: string, d?: T) => (k === STATE_KEY ? (memento.get<JobEntry[]>(k) ?? []).filter((e) => e.key === entry.key) : memento.get(k, d)) as T,
      update: () => Promise.resolve(),
    };
    const reloaded = new JobStore(saved, api.services.clusters);
    try {
      assert.equal(reloaded.get(entry.key)?.state, 'queued');
      assert.equal(reloaded.get(entry.key)?.request?.target, 'slurm', 'the request is kept for Resubmit');
      // The window's own follower goes, as it would with the old extension host.
      store().remove(entry.key);
      reloaded.restore();
      assert.ok(reloaded.handle(entry.key), 're-attached');
      await api.services.clusters.get(CLUSTER).cancel(entry.id);
      await entryWhen(entry.key, 'the re-attached job to be seen cancelled', (e) => e.state === 'cancelled', reloaded);
    } finally {
      reloaded.dispose();
    }
  });
});
