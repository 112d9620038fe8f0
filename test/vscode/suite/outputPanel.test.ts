/**
 * The output panel in a real extension host: a real local run (runtimes' launchLocal), its
 * lines in the panel's model, the webview loaded under its Content-Security-Policy and drawing
 * them.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OutputModel } from '../../../extension/src/output/outputModel';
import type { OutputPanelOptions } from '../../../extension/src/output/outputPanel';
import { launchLocal } from '../../../runtimes/src/index';
import { linePrefix } from '../../../runtimes/src/outputTags';
import type { RunHandle } from '../../../runtimes/src/runtime';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'hpc-jobs.hpc-jobs';
const PYTHON = '/usr/bin/python3';

/** What the suite uses of a panel (the one the extension's bundle made, or this bundle's). */
interface PanelUnderTest {
  readonly model: OutputModel;
  readonly html: string;
  readonly panel: vscode.WebviewPanel;
  readonly rendered: { readonly count: number; readonly first: number; readonly rows: number } | undefined;
  readonly onDidRender: vscode.Event<unknown>;
  readonly onDidDispose: vscode.Event<void>;
  readonly headerSnapshot: { readonly exits: { readonly shown: readonly { readonly label: string }[] } };
  sources(): { readonly ranks: readonly number[]; readonly stderr: boolean };
  lines(first: number, count: number): Promise<({ readonly text: string } | undefined)[]>;
}

interface HpcJobsApi {
  readonly languageClientReady: Promise<void>;
  readonly services: {
    start(request: unknown): Promise<{ readonly key: string }>;
    readonly store: {
      handle(key: string): RunHandle | undefined;
    };
  };
  showRunOutput(run: RunHandle, options?: OutputPanelOptions): PanelUnderTest;
}

suite('Output panel', () => {
  let api: HpcJobsApi;
  let show: (run: RunHandle, options?: OutputPanelOptions) => PanelUnderTest;
  const dirs: string[] = [];
  const runs: RunHandle[] = [];
  const tempDir = () => { const d = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-panel-')); dirs.push(d); return d; };

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<HpcJobsApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    api = await ext.activate();
    show = (run, options) => api.showRunOutput(run, options);
  });

  suiteTeardown(async () => {
    await Promise.all(runs.map((r) => r.cancel()));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('a local run\'s lines reach the panel\'s model, and the webview draws them', async () => {
    const dir = tempDir();
    const program = path.join(dir, 'count.py');
    writeFileSync(program, [
      'import os, sys',
      'task = os.environ["HPC_TASK_ID"]',
      'for i in range(200):',
      '    print(f"\\x1b[32mtask {task}\\x1b[0m line {i} <b>not markup</b>", flush=(i % 50 == 0))',
      'print(f"task {task} warns", file=sys.stderr)',
    ].join('\n'));
    const run = await launchLocal({ backend: 'tasks', program, args: [], python: PYTHON, tasks: 3, parallel: 3, logDir: dir });
    runs.push(run);
    const panel = show(run, { name: 'count.py' });

    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    const model = panel.model;
    await waitFor(() => `the model to hold 603 output lines; it has ${model.total}`,
      () => countOutput(model) >= 603, [panel.onDidRender], 10_000);
    assert.deepEqual(model.sources().tasks, [0, 1, 2]);
    assert.equal(model.sources().stderr, true);
    const texts = allLines(model).map((l) => l.text);
    assert.ok(texts.includes('\x1b[32mtask 1\x1b[0m line 199 <b>not markup</b>'), 'the text is kept as printed');
    assert.ok(texts.includes('task 2 warns'));

    assert.match(panel.panel.title, /^count\.py — succeeded$/);
    // The script ran under the CSP, was told the lines, and drew the newest of them.
    const rendered = await waitFor(() => `the webview to draw ${model.total} lines; it drew ${JSON.stringify(panel.rendered)}`,
      () => (panel.rendered && panel.rendered.count === model.total ? panel.rendered : undefined), [panel.onDidRender]);
    assert.ok(rendered.rows > 0, 'some rows are on screen');
    assert.ok(rendered.first + rendered.rows >= model.total - 1, `following: the last line is on screen (${JSON.stringify(rendered)})`);

    // Hidden, the webview is thrown away (retainContextWhenHidden: false); shown again, it is
    // rebuilt from the model.
    await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
    await waitFor('the panel to be hidden', () => !panel.panel.visible, [panel.panel.onDidChangeViewState]);
    let redrawn = 0;
    const counting = panel.onDidRender(() => { redrawn++; });
    try {
      panel.panel.reveal();
      await waitFor(() => `the webview to be rebuilt and draw ${model.total} lines; it drew ${JSON.stringify(panel.rendered)}`,
        () => redrawn > 0 && panel.rendered?.count === model.total, [panel.onDidRender]);
    } finally {
      counting.dispose();
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a run the extension starts lives in the run host\'s worker; its packed lines reach the panel as the log has them', async () => {
    const dir = tempDir();
    const program = path.join(dir, 'tasks.py');
    writeFileSync(program, [
      'import os, sys',
      'task = int(os.environ["HPC_TASK_ID"])',
      'for i in range(5000):',
      '    print(f"task {task} line {i} \u00e9\u2713", file=sys.stderr if i % 7 == task else sys.stdout)',
    ].join('\n'));
    const entry = await api.services.start({ target: 'local', spec: { backend: 'tasks', program, python: PYTHON, tasks: 3, parallel: 3, logDir: dir } });
    const run = api.services.store.handle(entry.key)!;
    runs.push(run);
    assert.equal(typeof run.capabilities?.packedOutput, 'function', 'the run is in the run host\'s worker');
    const panel = show(run, { name: 'tasks.py' });
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    const log = readFileSync(run.logPath, 'utf8').split('\n').slice(0, -1);
    assert.equal(log.filter((l) => /^\[task \d( stderr)?\] /.test(l)).length, 15_000, 'every line is in the log');
    const model = panel.model;
    await waitFor(() => `the model to hold the log's ${log.length} lines; it has ${model.total}`, () => model.total === log.length, [panel.onDidRender], 10_000);
    assert.deepEqual(allLines(model).map((l) => linePrefix(l) + l.text), log, 'the same lines, sources and order as the log');
    assert.deepEqual(model.sources().tasks, [0, 1, 2]);
    assert.equal(model.sources().stderr, true);
  });

  test('the panel\'s words: [hpc-jobs] notes are not stderr, the exit chip names the launcher, every rank that ended is a filter', async function () {
    this.timeout(60_000);
    const dir = tempDir();
    // A clean pool run: the runtime's notes travel on stderr, yet nothing here is the program's error.
    const pool = path.join(dir, 'clean.py');
    writeFileSync(pool, 'print("all good")\n');
    const poolEntry = await api.services.start({ target: 'local', spec: { backend: 'pool', program: pool, python: PYTHON, workers: 2, logDir: dir } });
    const poolRun = api.services.store.handle(poolEntry.key)!;
    runs.push(poolRun);
    const poolPanel = show(poolRun, { name: 'clean.py' });
    assert.equal((await poolRun.result).state, 'succeeded');
    await waitFor('the header to show the exit', () => poolPanel.headerSnapshot.exits.shown.length > 0, [poolPanel.onDidRender], 10_000);
    assert.ok(allLines(poolPanel.model).some((l) => l.system && l.stream === 'stderr'), 'the run has its [hpc-jobs] notes');
    assert.equal(poolPanel.sources().stderr, false, 'no "stderr" filter for a run whose program wrote none');
    assert.deepEqual(poolPanel.headerSnapshot.exits.shown.map((e) => e.label), ['worker pool']);

    // MPI, where only rank 0 prints: rank 1 is in the header, so it is in the filter too; the launcher is named as the runtime found it.
    const quiet = path.join(dir, 'quiet.py');
    writeFileSync(quiet, 'from mpi4py import MPI\nif MPI.COMM_WORLD.Get_rank() == 0:\n    print("only rank 0 speaks")\n');
    const mpiEntry = await api.services.start({ target: 'local', spec: { backend: 'mpi', program: quiet, python: PYTHON, ranks: 2, logDir: dir } });
    const mpiRun = api.services.store.handle(mpiEntry.key)!;
    runs.push(mpiRun);
    assert.match(mpiRun.launcherName ?? '', /^(mpirun|mpiexec)$/, 'the run host\'s proxy knows the launcher');
    const mpiPanel = show(mpiRun, { name: 'quiet.py' });
    const r = await mpiRun.result;
    assert.equal(r.state, 'succeeded', r.summary);
    await waitFor('the header to show the exits', () => mpiPanel.headerSnapshot.exits.shown.length === 2, [mpiPanel.onDidRender], 10_000);
    assert.deepEqual(mpiPanel.model.sources().ranks, [0], 'only rank 0 printed');
    assert.deepEqual(mpiPanel.sources().ranks, [0, 1], 'both ranks the header lists');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the webview page has a nonce CSP and no unsafe-inline', async () => {
    const run = await launchLocal({ backend: 'tasks', program: '/bin/echo', args: ['hello'], tasks: 2, logDir: tempDir() });
    runs.push(run);
    const panel = show(run);
    const html = panel.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp, 'a CSP meta tag');
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]{16,})'/.exec(csp)?.[1];
    assert.ok(nonce, `a script nonce in ${csp}`);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    assert.ok(scripts.length > 0);
    for (const attrs of scripts) {
      assert.ok(attrs.includes(`nonce="${nonce}"`), `every script carries the nonce: ${attrs}`);
      assert.match(attrs, /src="[^"]*media\/output\/outputPanel\.js"/, 'scripts come from media/output');
    }
    assert.doesNotMatch(html, /\sstyle=|<style/, 'no inline styles');
    assert.doesNotMatch(html, /src="file:/, 'resources go through asWebviewUri');
    const roots = panel.panel.webview.options.localResourceRoots?.map((u) => u.path) ?? [];
    assert.equal(roots.length, 1);
    assert.match(roots[0]!, /\/media$/);
    await run.result;
  });

  test('one panel per run; opened after the run ended, it numbers lines as the log does', async () => {
    const dir = tempDir();
    const program = path.join(dir, 'many.py');
    writeFileSync(program, 'for i in range(3000):\n    print(f"row {i}")\n');
    const run = await launchLocal({ backend: 'pool', program, python: PYTHON, workers: 1, logDir: dir });
    runs.push(run);
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    const panel = show(run, { name: 'many.py' });
    assert.equal(show(run), panel, 'showing it again reveals the same panel');

    // Memory holds the run's tail; the rest is read from the log, numbered as the log numbers it.
    const log = readFileSync(run.logPath, 'utf8').split('\n').slice(0, -1);
    await waitFor(() => `the webview to draw ${log.length} lines; it drew ${JSON.stringify(panel.rendered)}`,
      () => panel.rendered?.count === log.length, [panel.onDidRender]);
    const model = panel.model;
    assert.equal(model.total, log.length);
    assert.ok(model.firstRetained > 0, 'the start is only in the log');
    assert.equal(model.line(model.total - 1)?.text, log[log.length - 1]!.replace(/^\[hpc-jobs\] /, ''));
    const first = log.findIndex((l) => l === 'row 0');
    const fromLog = await panel.lines(first, 2);
    assert.deepEqual(fromLog.map((l) => l?.text), ['row 0', 'row 1']);
    assert.deepEqual((await panel.lines(model.firstRetained, 1))[0], { source: model.line(model.firstRetained), text: model.line(model.firstRetained)!.text });

    const disposed = new Promise<void>((resolve) => panel.onDidDispose(resolve));
    panel.panel.dispose();
    await disposed;
    assert.notEqual(show(run), panel, 'closed: a new panel');
  });
});

function allLines(model: OutputModel) {
  const out = [];
  for (let i = model.firstRetained; i < model.total; i++) out.push(model.line(i)!);
  return out;
}

/** Lines the program printed (not the runtime's own notes). */
function countOutput(model: OutputModel): number {
  return allLines(model).filter((l) => !l.system).length;
}
