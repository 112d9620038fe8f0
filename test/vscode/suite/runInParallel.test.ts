/**
 * "Run in Parallel…" in a real extension host: the commands run end to end with a scripted
 * prompter answering the questions — real Python pools, real Open MPI ranks, a batch script run
 * here through its CodeLens, and (when the test cluster is up) submitted to real Slurm.
 * Fixtures: test/vscode/workspace/run-*.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HpcJobsApi } from '../../../extension/src/extension';
import { isFinal, type JobEntry } from '../../../extension/src/jobs/jobEntry';
import type { OutputModel } from '../../../extension/src/output/outputModel';
import { settingsCommandFor } from '../../../extension/src/ui/openSetting';
import { ScriptedPrompter, type ScriptedAnswer } from '../../../extension/src/ui/prompter';
import type { OutputLine } from '../../../runtimes/src/runtime';
import { waitFor } from './waitFor';
import { workspaceFile } from './workspaceFile';

const EXTENSION_ID = 'hpc-jobs.hpc-jobs';
/** Debian's interpreter has mpi4py; the one first on PATH may not (see test-infrastructure.md). */
const SYSTEM_PYTHON = '/usr/bin/python3';

function lines(model: OutputModel): OutputLine[] {
  const out: OutputLine[] = [];
  for (let i = model.firstRetained; i < model.total; i++) out.push(model.line(i)!);
  return out;
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('hpcJobs').update(key, value, vscode.ConfigurationTarget.Global);
}

/** The test cluster's connection details (test/cluster/up.sh), when it is up. */
function testCluster(): { host: string; port: number; user: string; key: string; hostKeyPub: string } | undefined {
  let text: string;
  try { text = readFileSync(path.join(process.env['HPC_TEST_CLUSTER_BASE'] ?? '/tmp/hpc-test-cluster', 'cluster.env'), 'utf8'); } catch { return undefined; }
  const kv = new Map(text.split('\n').map((l) => l.split('=')).filter((p) => p.length >= 2).map(([k, ...v]) => [k!, v.join('=')]));
  const host = kv.get('SLURM_SSH_HOST');
  if (!host) return undefined;
  const env = { host, port: Number(kv.get('SLURM_SSH_PORT') ?? 22), user: kv.get('SLURM_SSH_USER') ?? 'hpcuser', key: kv.get('SLURM_SSH_KEY') ?? '', hostKeyPub: kv.get('SLURM_SSH_HOSTKEY_PUB') ?? '' };
  const open = spawnSync('bash', ['-c', `exec 3<>/dev/tcp/${env.host}/${env.port}`], { timeout: 2000 });
  return open.status === 0 && existsSync(env.key) ? env : undefined;
}

suite('Run in Parallel', () => {
  let api: HpcJobsApi;
  const dirs: string[] = [];
  /** The last job the run commands started (Run Again repeats it). */
  let lastStarted: JobEntry | undefined;

  const store = () => api.services.store;
  const keys = () => store().all().map((e) => e.key).sort();

  /** Runs a command with these answers; returns what it returned and the prompter. */
  async function withAnswers<T>(answers: ScriptedAnswer[], command: string, ...args: unknown[]): Promise<{ result: T | undefined; prompter: ScriptedPrompter }> {
    const prompter = new ScriptedPrompter(answers);
    api.setPrompter(prompter);
    try {
      const result = await vscode.commands.executeCommand<T | undefined>(command, ...args);
      return { result, prompter };
    } finally {
      api.setPrompter(undefined);
    }
  }

  async function finished(key: string, timeoutMs = 60_000): Promise<JobEntry> {
    return waitFor(() => `${key} to finish; it is ${store().get(key)?.state}`, () => {
      const e = store().get(key);
      return e && isFinal(e.state) ? e : undefined;
    }, [store().onDidChange], timeoutMs);
  }

  /** The run's output panel, once its model holds a line `accept` takes. */
  async function panelLines(entry: JobEntry, accept: (lines: OutputLine[]) => boolean): Promise<OutputLine[]> {
    const handle = store().handle(entry.key);
    assert.ok(handle, `${entry.key} has a live handle`);
    const panel = api.services.outputPanels.get(handle.id);
    assert.ok(panel, `the output panel of ${entry.key} was opened`);
    let last: OutputLine[] = [];
    return waitFor(() => `the panel of ${entry.name} to show the expected lines; it has ${JSON.stringify(last.map((l) => l.text))}`, () => {
      last = lines(panel.model);
      return accept(last) ? last : undefined;
    }, [panel.onDidRender], 30_000);
  }

  /** The user settings these tests depend on, as they were before (other suites may have set them). */
  const SETTINGS = ['clusters', 'python.interpreter', 'mpi.launcher', 'mpi.rankOutput', 'gpu.useSimulator', 'run.revealOutput'];
  const saved = new Map<string, unknown>();

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<HpcJobsApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    api = await ext.activate();
    for (const key of SETTINGS) {
      saved.set(key, vscode.workspace.getConfiguration('hpcJobs').inspect(key)?.globalValue);
      await setSetting(key, key === 'clusters' ? [] : undefined);
    }
  });

  teardown(() => api.setPrompter(undefined));

  suiteTeardown(async () => {
    await Promise.all(store().all().filter((e) => !isFinal(e.state)).map((e) => store().cancel(e.key).catch(() => undefined)));
    for (const key of SETTINGS) await setSetting(key, saved.get(key));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('a Python file as a worker pool of 2: the targets as detected, the run succeeds, π reaches the panel', async () => {
    await vscode.window.showTextDocument(workspaceFile('run-pi.py'));
    const before = keys();
    const { result: entry, prompter } = await withAnswers<JobEntry>([
      { id: 'run.target', pick: /^Worker pool$/ },
      { id: 'run.count', answer: '2' },
    ], 'hpcJobs.run.start');
    assert.deepEqual(prompter.unexpected, []);
    const [target, count] = prompter.asked;
    assert.equal(target?.id, 'run.target');
    const cores = os.availableParallelism();
    assert.ok(target.items.includes(`Worker pool — ${cores} core${cores === 1 ? '' : 's'}`), target.items.join(' | '));
    assert.ok(target.items.some((i) => /^Task array — \d+ cop(y|ies), \d+ at once$/.test(i)), target.items.join(' | '));
    // On a slow machine MPI may not have answered within the pick's budget; the next test sees it.
    assert.ok(target.items.some((i) => /^MPI — (Open MPI \d+\.\d+(\.\d+)?|detecting…)$/.test(i)), target.items.join(' | '));
    assert.ok(target.items.some((i) => /^GPU — (\d+ × .+|\d+ GPUs: .+|none found \(simulator available\)|detecting…)$/.test(i)), target.items.join(' | '));
    assert.ok(target.items.includes('Slurm cluster — none configured — add one with HPC Jobs: Add Cluster…'), target.items.join(' | '));
    assert.equal(count?.id, 'run.count');
    assert.equal(count.value, String(cores), 'the first count offered is the cores here');

    assert.ok(entry, 'the command returned the started job');
    assert.notDeepEqual(keys(), before);
    const file = workspaceFile('run-pi.py').fsPath;
    assert.deepEqual(entry.request, {
      target: 'local',
      spec: { backend: 'pool', program: file, args: [], cwd: path.dirname(file), workers: 2, python: 'python3' },
    });
    const done = await finished(entry.key);
    assert.equal(done.state, 'succeeded', done.summary);
    const out = await panelLines(entry, (ls) => ls.some((l) => l.text.startsWith('pi estimate:')));
    assert.ok(out.some((l) => l.text === 'workers: 2 (from HPC_JOBS_WORKERS)'), 'the pool sized itself from the count');
    assert.match(out.find((l) => l.text.startsWith('pi estimate:'))!.text, /^pi estimate: 3\.\d{6} \(1000000 samples, 2 workers, /);
  });

  test('every run\'s output panel goes to the one output column, wherever the focus is', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(workspaceFile('run-pi.py'));
    const answers = [{ id: 'run.target', pick: /^Worker pool$/ }, { id: 'run.count', answer: '2' }];
    const first = (await withAnswers<JobEntry>(answers, 'hpcJobs.run.start')).result;
    assert.ok(first);
    const firstPanel = api.services.outputPanels.get(store().handle(first.key)!.id)!;
    const shown = (p: typeof firstPanel) => waitFor('the panel to be shown', () => p.panel.viewColumn, [p.panel.onDidChangeViewState]);
    assert.equal(await shown(firstPanel), vscode.ViewColumn.Two, 'beside the file');
    // The person clicks into the output panel, then runs again from the palette: "beside" that would be a third column.
    await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
    const second = (await withAnswers<JobEntry>(answers, 'hpcJobs.run.start', workspaceFile('run-pi.py'))).result;
    assert.ok(second);
    const secondPanel = api.services.outputPanels.get(store().handle(second.key)!.id)!;
    assert.equal(await shown(secondPanel), vscode.ViewColumn.Two, 'the same column as the first panel');
    assert.equal(vscode.window.tabGroups.all.length, 2, 'no third column');
    await finished(first.key);
    await finished(second.key);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the count is remembered for the file; Escape at the count starts nothing', async () => {
    await vscode.window.showTextDocument(workspaceFile('run-pi.py'));
    const before = keys();
    const { result, prompter } = await withAnswers([
      { id: 'run.target', pick: /^Worker pool$/ },
      { id: 'run.count', dismiss: true },
    ], 'hpcJobs.run.start');
    assert.deepEqual(prompter.unexpected, []);
    assert.equal(prompter.asked[1]?.value, '2', 'prefilled with the last answer for run-pi.py');
    // Detection is kept for the session: by now it has answered.
    assert.ok(prompter.asked[0]!.items.some((i) => /^MPI — Open MPI \d+\.\d+/.test(i)), prompter.asked[0]!.items.join(' | '));
    assert.equal(result, undefined);
    assert.deepEqual(keys(), before, 'nothing started');
  });

  test('an invalid count is refused by the input box\'s validation, and nothing starts', async () => {
    await vscode.window.showTextDocument(workspaceFile('run-pi.py'));
    const before = keys();
    const cases: Array<[string, RegExp]> = [
      ['0', /^The number of workers must be a whole number from 1 to 4096, not 0\.$/],
      ['abc', /^The number of workers must be a whole number from 1 to 4096, not "abc"\.$/],
      ['99999', /^The number of workers must be a whole number from 1 to 4096, not 99999\.$/],
    ];
    for (const [answer, expected] of cases) {
      const { result, prompter } = await withAnswers([
        { id: 'run.target', pick: /^Worker pool$/ },
        { id: 'run.count', answer },
      ], 'hpcJobs.run.start');
      assert.match(prompter.asked[1]?.validation ?? '(accepted)', expected, answer);
      assert.equal(result, undefined);
    }
    assert.deepEqual(keys(), before, 'nothing started');
  });

  test('MPI: 2 ranks of an mpi4py program succeed, with output from rank 0 and rank 1', async () => {
    await setSetting('python.interpreter', SYSTEM_PYTHON);
    await vscode.window.showTextDocument(workspaceFile('run-ranks.py'));
    const { result: entry, prompter } = await withAnswers<JobEntry>([
      { id: 'run.target', pick: /^MPI$/ },
      { id: 'run.count', answer: '2' },
    ], 'hpcJobs.run.start');
    assert.deepEqual(prompter.unexpected, []);
    assert.match(prompter.asked[1]!.title, /run-ranks\.py/);
    assert.ok(entry);
    assert.equal(entry.backend, 'mpi');
    assert.equal(entry.request?.target === 'local' && entry.request.spec.backend === 'mpi' ? entry.request.spec.ranks : undefined, 2);
    assert.equal(entry.request?.target === 'local' ? entry.request.spec.python : undefined, SYSTEM_PYTHON);
    lastStarted = entry;
    const done = await finished(entry.key);
    assert.equal(done.state, 'succeeded', done.summary);
    const out = await panelLines(entry, (ls) => ls.filter((l) => /^hello from rank \d of 2$/.test(l.text)).length === 2);
    const hellos = out.filter((l) => l.text.startsWith('hello from rank'));
    assert.deepEqual(hellos.map((l) => [l.rank, l.text]).sort(), [[0, 'hello from rank 0 of 2'], [1, 'hello from rank 1 of 2']]);
  });

  test('Run Again repeats the last run without asking anything', async () => {
    const last = lastStarted;
    assert.ok(last, 'the MPI run started');
    const { result: entry, prompter } = await withAnswers<JobEntry>([], 'hpcJobs.run.again');
    assert.deepEqual(prompter.asked, []);
    assert.ok(entry);
    assert.notEqual(entry.key, last.key);
    assert.deepEqual(entry.request, last.request);
    const done = await finished(entry.key);
    assert.equal(done.state, 'succeeded', done.summary);
  });

  test('a launch failure is told with its hint and the setting to change; nothing runs', async () => {
    await setSetting('python.interpreter', '/nonexistent/python3');
    await vscode.window.showTextDocument(workspaceFile('run-pi.py'));
    const before = keys();
    const { result, prompter } = await withAnswers([
      { id: 'run.target', pick: /^Worker pool$/ },
      { id: 'run.count', answer: '2' },
      { id: 'run.failed', dismiss: true },
    ], 'hpcJobs.run.start');
    assert.deepEqual(prompter.unexpected, []);
    const failure = prompter.asked.find((q) => q.id === 'run.failed');
    assert.ok(failure, 'the failure was shown');
    assert.match(failure.value ?? '', /^Python interpreter "\/nonexistent\/python3" not found\. Check the path/);
    assert.deepEqual(failure.items, ['Open Settings']);
    assert.equal(result, undefined);
    assert.deepEqual(keys(), before);
    await setSetting('python.interpreter', undefined);
  });

  test('a launcher setting that names nothing: detected again, MPI shown disabled with the reason', async () => {
    await setSetting('mpi.launcher', '/nonexistent/mpirun');
    try {
      await vscode.window.showTextDocument(workspaceFile('run-ranks.py'));
      const { prompter } = await withAnswers([{ id: 'run.target', pick: /^MPI$/ }], 'hpcJobs.run.start');
      assert.ok(prompter.asked[0]!.items.includes('MPI — "/nonexistent/mpirun" not found — check hpcJobs.mpi.launcher'), prompter.asked[0]!.items.join(' | '));
      assert.deepEqual(prompter.unexpected, ['run.target: no item matches /^MPI$/'], 'the MPI item cannot be chosen');
    } finally {
      await setSetting('mpi.launcher', undefined);
    }
  });

  test('a plain shell script runs as a task array: how many, and how many at once', async () => {
    await vscode.window.showTextDocument(workspaceFile('run-task.sh'));
    const { result: entry, prompter } = await withAnswers<JobEntry>([
      { id: 'run.target', pick: /^Task array$/ },
      { id: 'run.count', answer: '3' },
      { id: 'run.parallel', answer: '2' },
    ], 'hpcJobs.run.start');
    assert.deepEqual(prompter.unexpected, []);
    assert.deepEqual(prompter.asked[0]!.items.map((i) => i.replace(/ — .*/, '')), ['Task array', 'Terminal'], 'a shell script runs as tasks, or in a terminal');
    assert.ok(entry);
    const done = await finished(entry.key);
    assert.equal(done.state, 'succeeded', done.summary);
    const out = await panelLines(entry, (ls) => ls.filter((l) => /^task \d of 3$/.test(l.text)).length === 3);
    assert.deepEqual(out.filter((l) => /^task \d of 3$/.test(l.text)).map((l) => [l.task, l.text]).sort(), [[0, 'task 0 of 3'], [1, 'task 1 of 3'], [2, 'task 2 of 3']]);
  });

  // code-server has no API to read what a terminal shows (onDidWriteTerminalData is proposed
  // API): the test reads what the terminal's Pseudoterminal writes, and types through it.
  test('Terminal: one process under a pty, no count asked; the prompt shows, the typed answer reaches it', async () => {
    await vscode.window.showTextDocument(workspaceFile('run-interactive.py'));
    let shown = '';
    const wrote = new vscode.EventEmitter<void>();
    const opened = new Promise<{ terminal: vscode.Terminal; pty: vscode.Pseudoterminal }>((resolve) => {
      const d = vscode.window.onDidOpenTerminal((terminal) => {
        const options = terminal.creationOptions;
        if (terminal.name !== 'run-interactive.py' || !('pty' in options)) return;
        d.dispose();
        options.pty.onDidWrite((text) => { shown += text; wrote.fire(); });
        resolve({ terminal, pty: options.pty });
      });
    });
    const { result: entry, prompter } = await withAnswers<JobEntry>([{ id: 'run.target', pick: /^Terminal$/ }], 'hpcJobs.run.start');
    assert.deepEqual(prompter.unexpected, []);
    assert.deepEqual(prompter.asked.map((q) => q.id), ['run.target'], 'no count question');
    assert.ok(prompter.asked[0]!.items.includes('Terminal — one process you can type into'), prompter.asked[0]!.items.join(' | '));
    assert.ok(entry, 'the command returned the started run');
    const file = workspaceFile('run-interactive.py').fsPath;
    assert.deepEqual(entry.request, {
      target: 'local',
      spec: { backend: 'pool', program: file, args: [], cwd: path.dirname(file), workers: 1, tty: { cols: 80, rows: 24 }, python: 'python3' },
    });
    assert.equal(store().get(entry.key)?.backend, 'pool', 'registered in the job store (the tree shows it)');
    const { terminal, pty } = await opened;
    try {
      assert.equal(api.services.outputPanels.get(store().handle(entry.key)!.id), undefined, 'a terminal, not an output panel');
      await waitFor(() => `the prompt; shown so far: ${JSON.stringify(shown)}`, () => shown.includes('your name? '), [wrote.event], 60_000);
      assert.match(shown, /run-interactive: isatty True\r\n/);
      assert.ok(!shown.includes('hello'), 'the program waits for the answer');
      pty.handleInput!('world\r');
      await waitFor(() => `the answer echoed and the run ended; shown: ${JSON.stringify(shown)}`, () => /Press any key to close/.test(shown), [wrote.event], 60_000);
      const size = /run-interactive: hello world \((\d+x\d+)\)\r\n/.exec(shown);
      assert.ok(size, 'the answer reached the program');
      assert.notEqual(size[1], '80x24', 'the terminal\'s own size replaced the one the run started with');
      const done = await finished(entry.key);
      assert.equal(done.state, 'succeeded', done.summary);
    } finally {
      terminal.dispose();
      wrote.dispose();
    }
  });

  test('a batch script: the CodeLens over its #SBATCH block runs it here', async () => {
    const uri = workspaceFile('run-job.slurm');
    await vscode.window.showTextDocument(uri);
    const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.deepEqual(all.map((l) => l.command?.title), ['$(play) Run locally', '$(cloud-upload) Submit…']);
    assert.equal(all[0]!.range.start.line, 2, 'over the first #SBATCH line');
    const local = all[0]!.command!;
    const { result: entry, prompter } = await withAnswers<JobEntry>([], local.command, ...(local.arguments ?? []));
    assert.deepEqual(prompter.asked, []);
    assert.ok(entry);
    assert.equal(entry.backend, 'sbatch-local');
    const done = await finished(entry.key);
    assert.equal(done.state, 'succeeded', done.summary);
    await panelLines(entry, (ls) => ls.some((l) => l.text === 'hello from the batch script: run-job with 1 task'));
  });

  /** A Python 3 without mpi4py, whatever this machine's python3 has: a venv of the system's, without its packages. */
  function pythonWithoutMpi4py(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-venv-'));
    dirs.push(dir);
    const made = spawnSync(SYSTEM_PYTHON, ['-m', 'venv', '--without-pip', dir], { encoding: 'utf8' });
    assert.equal(made.status, 0, `venv: ${made.stderr}`);
    return path.join(dir, 'bin', 'python');
  }

  test('a batch script run here gets the interpreter as $PYTHON; a failed import is explained, and "Use /usr/bin/python3" fixes it', async function () {
    this.timeout(120_000);
    const venvPython = pythonWithoutMpi4py();
    await setSetting('python.interpreter', venvPython);
    try {
      const uri = workspaceFile('run-import.slurm');
      await vscode.window.showTextDocument(uri);
      const local = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri))[0]!.command!;
      // The notice comes after the run has ended, when the command has long returned.
      const prompter = new ScriptedPrompter([{ id: 'run.importFailed', answer: 'Use /usr/bin/python3' }]);
      api.setPrompter(prompter);
      const entry = await vscode.commands.executeCommand<JobEntry>(local.command, ...(local.arguments ?? []));
      assert.ok(entry);
      assert.equal(entry.request?.target === 'local' ? entry.request.spec.python : undefined, venvPython);
      const failed = await finished(entry.key);
      assert.equal(failed.state, 'failed', failed.summary);
      await panelLines(entry, (ls) => ls.some((l) => l.text === `python: ${venvPython}`));
      const notice = await waitFor(() => `the import notice; asked: ${JSON.stringify(prompter.asked)}`,
        () => prompter.asked.find((q) => q.id === 'run.importFailed'), [], 30_000);
      assert.equal(notice.value, `run-import.slurm failed: its program could not import mpi4py, and ${venvPython}, the Python it was given as $PYTHON, cannot import mpi4py.`);
      assert.deepEqual(notice.items, ['Use /usr/bin/python3', 'Open Settings']);
      await waitFor('the setting to be written', () => vscode.workspace.getConfiguration('hpcJobs').get('python.interpreter') === SYSTEM_PYTHON, [vscode.workspace.onDidChangeConfiguration]);
      assert.deepEqual(prompter.unexpected, []);
      api.setPrompter(undefined);

      const again = await withAnswers<JobEntry>([], local.command, ...(local.arguments ?? []));
      assert.ok(again.result);
      const done = await finished(again.result.key);
      assert.equal(done.state, 'succeeded', done.summary);
      await panelLines(again.result, (ls) => ls.some((l) => l.text === 'mpi4py imported'));
      assert.ok(!again.prompter.asked.some((q) => q.id === 'run.importFailed'));
    } finally {
      api.setPrompter(undefined);
      await setSetting('python.interpreter', undefined);
    }
  });

  test('a batch script that names its own Python: the failed import is told, without a setting that cannot reach it', async function () {
    this.timeout(60_000);
    const uri = workspaceFile('run-import-own.slurm');
    await vscode.window.showTextDocument(uri);
    const local = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri))[0]!.command!;
    const prompter = new ScriptedPrompter([]);
    api.setPrompter(prompter);
    try {
      const entry = await vscode.commands.executeCommand<JobEntry>(local.command, ...(local.arguments ?? []));
      assert.ok(entry);
      assert.equal((await finished(entry.key)).state, 'failed');
      const notice = await waitFor(() => `the import notice; asked: ${JSON.stringify(prompter.asked)}`,
        () => prompter.asked.find((q) => q.id === 'run.importFailed'), [], 30_000);
      assert.match(notice.value ?? '', /^run-import-own\.slurm failed: its program could not import hpc_jobs_no_such_module\. The script runs its own Python, not "\$\{PYTHON:-python3\}", so the interpreter setting does not reach it\.$/);
      assert.deepEqual(notice.items, [], 'no "Use …" button: the setting would change nothing');
    } finally {
      api.setPrompter(undefined);
    }
  });

  test('MPI with a Python that lacks mpi4py: the notice offers the one that has it, and Open Settings opens the tab where the setting applies', async function () {
    this.timeout(60_000);
    const venvPython = pythonWithoutMpi4py();
    await setSetting('python.interpreter', venvPython);
    try {
      await vscode.window.showTextDocument(workspaceFile('run-ranks.py'));
      const { result, prompter } = await withAnswers([
        { id: 'run.target', pick: /^MPI$/ },
        { id: 'run.count', answer: '2' },
        { id: 'run.failed', answer: 'Open Settings' },
      ], 'hpcJobs.run.start');
      assert.deepEqual(prompter.unexpected, []);
      assert.equal(result, undefined);
      const failure = prompter.asked.find((q) => q.id === 'run.failed')!;
      assert.match(failure.value ?? '', /cannot import mpi4py/);
      assert.deepEqual(failure.items, ['Use /usr/bin/python3', 'Open Settings']);
      // code-server is a remote window: hpcJobs.python.interpreter (machine-overridable) lives on the Remote tab.
      assert.ok(vscode.env.remoteName, 'code-server windows are remote');
      const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as unknown;
      assert.equal(settingsCommandFor('hpcJobs.python.interpreter', manifest, vscode.env.remoteName), 'workbench.action.openRemoteSettings');
      assert.equal(settingsCommandFor('hpcJobs.gpu.useSimulator', manifest, vscode.env.remoteName), 'workbench.action.openSettings', 'a window setting stays on the User tab');
      assert.equal(settingsCommandFor('hpcJobs.python.interpreter', manifest, undefined), 'workbench.action.openSettings', 'a local window has one tab');
      await waitFor('the Settings editor', () => vscode.window.tabGroups.activeTabGroup.activeTab?.label.includes('Settings'), [vscode.window.tabGroups.onDidChangeTabs]);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await setSetting('python.interpreter', undefined);
    }
  });

  /** Defines the test cluster in the user settings (once); undefined when it is not up. */
  let clusterReady: boolean | undefined;
  async function useTestCluster(): Promise<boolean> {
    if (clusterReady !== undefined) return clusterReady;
    const env = testCluster();
    clusterReady = env !== undefined;
    if (!env) return false;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-run-'));
    dirs.push(dir);
    const knownHosts = path.join(dir, 'known_hosts');
    const [type, key] = readFileSync(env.hostKeyPub, 'utf8').trim().split(/\s+/);
    writeFileSync(knownHosts, `[${env.host}]:${env.port} ${type} ${key}\n`);
    await setSetting('clusters', [{
      name: 'test', ssh: `${env.user}@${env.host}:${env.port}`, identityFile: env.key, knownHostsFiles: [knownHosts],
      workDir: `~/hpc-jobs-test/run-${process.pid}`, pollIntervalMs: 500,
    }]);
    await waitFor('cluster "test" to be configured', () => api.services.clusters.names.includes('test'), [api.services.clusters.onDidChange]);
    return true;
  }

  test('submitting through the CodeLens to the real Slurm test cluster', async function () {
    if (!(await useTestCluster())) { this.skip(); return; }
    this.timeout(180_000);
    const uri = workspaceFile('run-job.slurm');
    await vscode.window.showTextDocument(uri);
    const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.deepEqual(all.map((l) => l.command?.title), ['$(play) Run locally', '$(cloud-upload) Submit to test', '$(watch) Estimate start']);
    const command = all[1]!.command!;
    const { result: entry, prompter } = await withAnswers<JobEntry>([], command.command, ...(command.arguments ?? []));
    assert.deepEqual(prompter.unexpected, []);
    assert.ok(entry, `submitted; asked: ${JSON.stringify(prompter.asked)}`);
    assert.equal(entry.cluster, 'test');
    assert.match(entry.key, /^slurm:test:\d+$/);
    const done = await finished(entry.key, 150_000);
    assert.equal(done.state, 'succeeded', done.summary);
  });

  test('a Python file on the cluster: the directives asked, checked, turned into a job that succeeds', async function () {
    if (!(await useTestCluster())) { this.skip(); return; }
    this.timeout(180_000);
    await vscode.window.showTextDocument(workspaceFile('run-pi.py'));
    const { result: entry, prompter } = await withAnswers<JobEntry>([
      { id: 'run.target', pick: /^Slurm: test$/ },
      { id: 'run.directives', answer: '--ntasks=1 --cpus-per-task=2 --time=2' },
    ], 'hpcJobs.run.start');
    assert.deepEqual(prompter.unexpected, []);
    assert.ok(prompter.asked[0]!.items.some((i) => /^Slurm: test — (connected|not connected)$/.test(i)), prompter.asked[0]!.items.join(' | '));
    assert.equal(prompter.asked[1]!.value, '--ntasks=1 --cpus-per-task=4 --time=10', 'the first offer: one task with a few CPUs');
    assert.ok(entry);
    assert.deepEqual(entry.request, { target: 'slurm-python', cluster: 'test', program: workspaceFile('run-pi.py').fsPath, job: { ntasks: 1, cpusPerTask: 2, time: '2' } });
    const done = await finished(entry.key, 150_000);
    assert.equal(done.state, 'succeeded', done.summary);
    await panelLines(entry, (ls) => ls.some((l) => /^workers: 2 \(from SLURM_CPUS_PER_TASK\)$/.test(l.text)));

    // A directive the generated script cannot have is refused in the input box; one the
    // cluster would refuse is caught by the linter before sbatch, and said.
    // As the explorer's context menu calls it: with the file.
    const typo = await withAnswers([
      { id: 'run.target', pick: /^Slurm: test$/ },
      { id: 'run.directives', answer: '--ntasks=1 --tiem=2' },
    ], 'hpcJobs.run.start', workspaceFile('run-pi.py'));
    assert.equal(typo.prompter.asked[1]!.value, '--ntasks=1 --cpus-per-task=2 --time=2', 'prefilled with the last directives');
    assert.match(typo.prompter.asked[1]!.validation ?? '', /Unknown option --tiem/);
    const before = keys();
    const refused = await withAnswers([
      { id: 'run.target', pick: /^Slurm: test$/ },
      { id: 'run.directives', answer: '--ntasks=1 --time=2 --partition=nosuch' },
    ], 'hpcJobs.run.start', workspaceFile('run-pi.py'));
    assert.deepEqual(refused.prompter.unexpected, []);
    assert.equal(refused.result, undefined);
    const failure = refused.prompter.asked.find((q) => q.id === 'run.failed');
    assert.match(failure?.value ?? '(no failure shown)', /not submitted to cluster "test".*SBATCH200/s);
    assert.deepEqual(keys(), before, 'nothing was submitted');
  });

  test('GPU: with no GPU the simulator is offered, and @cuda.jit code runs on it', async function () {
    this.timeout(120_000);
    await setSetting('python.interpreter', SYSTEM_PYTHON);
    try {
      await vscode.window.showTextDocument(workspaceFile('run-cudajit.py'));
      // Which question comes depends on the machine: a real GPU is used as it is.
      const probe = await withAnswers([{ id: 'run.target', dismiss: true }], 'hpcJobs.run.start');
      const gpuItem = probe.prompter.asked[0]!.items.find((i) => i.startsWith('GPU — '))!;
      const simulated = gpuItem === 'GPU — none found (simulator available)';
      const { result: entry, prompter } = await withAnswers<JobEntry>([
        { id: 'run.target', pick: /^GPU$/ },
        ...(simulated ? [{ id: 'run.gpuSimulator', answer: 'Use Simulator' }] : []),
        { id: 'run.count', answer: '1' },
      ], 'hpcJobs.run.start');
      assert.deepEqual(prompter.unexpected, []);
      assert.ok(entry);
      assert.equal(entry.request?.target === 'local' && entry.request.spec.backend === 'gpu' ? entry.request.spec.cudaSim ?? false : 'not gpu', simulated);
      const done = await finished(entry.key, 100_000);
      assert.equal(done.state, 'succeeded', done.summary);
      await panelLines(entry, (ls) => ls.some((l) => /result correct$/.test(l.text)));
    } finally {
      await setSetting('python.interpreter', undefined);
    }
  });
});
