/**
 * The `hpc` task type, the CRLF quick fix as a client command, the walkthrough's example
 * command and the terminal adapter for TTY runs — in a real extension host, with real runs.
 * Task definitions: test/vscode/workspace/.vscode/tasks.json; programs: task-*.py beside it.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobEntry } from '../../../extension/src/jobs/jobEntry';
import type { Services } from '../../../extension/src/services';
import { openRunTerminal, RunPseudoterminal } from '../../../extension/src/terminal/runTerminal';
import { ScriptedPrompter, type Prompter } from '../../../extension/src/ui/prompter';
import { codeOf, diagnosticsOf, waitFor } from './waitFor';
import { workspaceFolder, workspacePath } from './workspaceFile';

const EXTENSION_ID = 'hpc-jobs.hpc-jobs';
/** Runs start Python and a multiprocessing pool on a busy 2-core machine. */
const RUN_TIMEOUT_MS = 120_000;

interface HpcJobsApi {
  readonly languageClientReady: Promise<void>;
  readonly services: Services;
  setPrompter(prompter: Prompter | undefined): void;
}

suite('Tasks', () => {
  let api: HpcJobsApi;
  const ended: vscode.TaskProcessEndEvent[] = [];
  const endEmitter = new vscode.EventEmitter<void>();
  const cleanups: (() => unknown)[] = [];

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<HpcJobsApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    api = await ext.activate();
    await api.languageClientReady;
    const listener = vscode.tasks.onDidEndTaskProcess((e) => { ended.push(e); endEmitter.fire(); });
    cleanups.push(() => listener.dispose());
  });

  suiteTeardown(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    // Anything a failed test left running.
    await Promise.all(api.services.store.all().filter((e) => e.file?.includes('task-')).map((e) => api.services.store.cancel(e.key).catch(() => undefined)));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function hpcTasks(): Promise<vscode.Task[]> {
    return vscode.tasks.fetchTasks({ type: 'hpc' });
  }

  async function taskNamed(name: string): Promise<vscode.Task> {
    const tasks = await hpcTasks();
    const task = tasks.find((t) => t.name === name);
    assert.ok(task, `task "${name}" among ${tasks.map((t) => t.name).join(', ')}`);
    return task;
  }

  /** Runs the task; resolves with its process's exit code. */
  async function runTask(task: vscode.Task): Promise<number | undefined> {
    const from = ended.length;
    const execution = await vscode.tasks.executeTask(task);
    const end = await waitFor(`task "${task.name}" to end`, () => ended.slice(from).find((e) => e.execution === execution || e.execution.task.name === task.name),
      [endEmitter.event], RUN_TIMEOUT_MS);
    return end.exitCode;
  }

  /** The store's entry of the newest run of `file` started after `since`. */
  function entryOf(file: string, since: number): JobEntry | undefined {
    return api.services.store.all().find((e) => e.file === file && e.submittedAt >= since);
  }

  test('fetchTasks offers tasks for the workspace files and resolves those of tasks.json', async () => {
    const names = (await hpcTasks()).map((t) => t.name);
    for (const expected of ['pool: task-hello.py', 'run locally: job.slurm', 'hpc test: hello', 'hpc test: no ranks']) {
      assert.ok(names.includes(expected), `"${expected}" among ${names.join(', ')}`);
    }
    const offered = (await hpcTasks()).find((t) => t.name === 'pool: task-hello.py')!;
    assert.deepEqual({ ...offered.definition }, { type: 'hpc', backend: 'pool', file: 'task-hello.py' });
    assert.equal(offered.source, 'HPC Jobs');
  });

  test('a file added to the workspace after the first listing is offered; removed, it is not', async () => {
    await hpcTasks(); // the listing is kept from here on, until a file comes or goes
    const file = workspacePath('task-added-later.py');
    cleanups.push(() => rmSync(file, { force: true }));
    const offered = async (want: boolean) => {
      const until = Date.now() + 15_000;
      for (;;) {
        const names = (await hpcTasks()).map((t) => t.name);
        if (names.includes('pool: task-added-later.py') === want) return;
        assert.ok(Date.now() < until, `"pool: task-added-later.py" ${want ? 'among' : 'not among'} ${names.join(', ')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    writeFileSync(file, 'from multiprocessing import Pool\nprint(Pool(2).map(abs, [-1]))\n');
    await offered(true);
    rmSync(file);
    await offered(false);
  });

  test('a pool task runs through the job store and ends with exit code 0', async () => {
    const since = Date.now();
    const code = await runTask(await taskNamed('hpc test: hello'));
    assert.equal(code, 0);
    const file = workspacePath('task-hello.py');
    const entry = await waitFor('the run to be recorded as succeeded', () => {
      const e = entryOf(file, since);
      return e?.state === 'succeeded' ? e : undefined;
    }, [api.services.store.onDidChange]);
    assert.equal(entry.backend, 'pool');
    assert.ok(entry.request?.target === 'local' && entry.request.spec.backend === 'pool' && entry.request.spec.workers === 2, JSON.stringify(entry.request));
    assert.match(readFileSync(entry.logPath!, 'utf8'), /task-hello: 2 workers, sum 285/);
  });

  test('a failing program: the task ends with the program\'s exit code', async () => {
    const since = Date.now();
    assert.equal(await runTask(await taskNamed('hpc test: fail')), 3);
    const entry = await waitFor('the run to be recorded as failed', () => {
      const e = entryOf(workspacePath('task-fail.py'), since);
      return e?.state === 'failed' ? e : undefined;
    }, [api.services.store.onDidChange]);
    assert.match(entry.summary ?? '', /exited with 3/);
  });

  test('an invalid definition (ranks: 0): exit code 2, nothing started', async () => {
    const before = api.services.store.all().length;
    const since = Date.now();
    assert.equal(await runTask(await taskNamed('hpc test: no ranks')), 2);
    assert.equal(api.services.store.all().length, before);
    assert.equal(entryOf(workspacePath('task-hello.py'), since), undefined);
  });

  test('terminating a task cancels its run', async () => {
    const since = Date.now();
    const file = workspacePath('task-wait.py');
    const task = await taskNamed('hpc test: wait');
    const execution = await vscode.tasks.executeTask(task);
    await waitFor('the run to be running', () => entryOf(file, since)?.state === 'running', [api.services.store.onDidChange], RUN_TIMEOUT_MS);
    execution.terminate();
    const entry = await waitFor('the run to be cancelled', () => {
      const e = entryOf(file, since);
      return e?.state === 'cancelled' ? e : undefined;
    }, [api.services.store.onDidChange], RUN_TIMEOUT_MS);
    assert.equal(entry.backend, 'pool');
  });

  test('CRLF quick fix: the server hands VS Code the client command, which makes the document LF', async () => {
    const file = workspacePath('task-crlf.slurm');
    writeFileSync(file, '#!/bin/bash\r\n#SBATCH --ntasks=1\r\n#SBATCH --time=5\r\nsrun hostname\r\n');
    cleanups.push(() => rmSync(file, { force: true }));
    const uri = vscode.Uri.file(file);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.eol, vscode.EndOfLine.CRLF);
    const [crlf] = (await diagnosticsOf(uri, (ds) => ds.some((d) => codeOf(d) === 'SBATCH002'))).filter((d) => codeOf(d) === 'SBATCH002');

    // Why it is a command: an edit that writes "\n" over each line break comes back as CRLF here.
    const plain = new vscode.WorkspaceEdit();
    for (let line = 0; line < doc.lineCount - 1; line++) plain.replace(uri, new vscode.Range(line, doc.lineAt(line).text.length, line + 1, 0), '\n');
    assert.ok(await vscode.workspace.applyEdit(plain));
    assert.equal(doc.eol, vscode.EndOfLine.CRLF);
    assert.ok(doc.getText().includes('\r\n'));

    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, crlf!.range);
    const fix = actions.find((a): a is vscode.CodeAction => a.title === 'Convert line endings to LF' && 'kind' in a);
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    assert.equal(fix.edit, undefined);
    assert.equal(fix.command?.command, 'hpcJobs.lint.useLfLineEndings');
    // As VS Code runs a code action: its edit (none here), then its command.
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    assert.equal(doc.eol, vscode.EndOfLine.LF);
    assert.ok(!doc.getText().includes('\r'));
    await diagnosticsOf(uri, (ds) => !ds.some((d) => codeOf(d) === 'SBATCH002'), 'SBATCH002 to go away');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the walkthrough opens job_MPI.slurm: the extension\'s copy, unsaved, when the workspace has none', async () => {
    await vscode.commands.executeCommand('hpcJobs.walkthrough.openExample', 'job_MPI.slurm');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(path.basename(editor.document.uri.path), 'job_MPI.slurm');
    assert.equal(editor.document.uri.scheme, 'untitled');
    assert.equal(path.dirname(editor.document.uri.path), workspaceFolder().uri.path);
    assert.equal(editor.document.languageId, 'slurm');
    assert.match(editor.document.getText(), /^#!\/bin\/bash\n#SBATCH --job-name=MPI_py/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the walkthrough opens the example at the workspace\'s root when the examples are the workspace', async () => {
    const file = workspacePath('job_array.slurm');
    writeFileSync(file, '#!/bin/bash\n#SBATCH --array=0-3\nsrun hostname\n');
    cleanups.push(() => rmSync(file, { force: true }));
    await vscode.commands.executeCommand('hpcJobs.walkthrough.openExample', 'job_array.slurm');
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.scheme, 'file', 'the file that is there, not an unsaved copy');
    assert.equal(doc?.uri.fsPath, file);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('the walkthrough\'s steps complete on events VS Code knows, and the lint step says how to get the CLI', () => {
    const manifest = vscode.extensions.getExtension('hpc-jobs.hpc-jobs')!.packageJSON as {
      contributes: { walkthroughs: { steps: { id: string; completionEvents?: string[]; media: { markdown?: string } }[] }[] };
    };
    // The kinds VS Code 1.100's getting-started service accepts (others are ignored, with a console error).
    const KNOWN = /^(onCommand|onView|onContext|onSettingChanged|onLink|onEvent|onStepSelected|onExtensionInstalled):/;
    const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);
    for (const step of steps) {
      assert.ok(step.completionEvents?.length, `step ${step.id} can be completed`);
      for (const e of step.completionEvents) assert.match(e, KNOWN, `step ${step.id}`);
    }
    const root = vscode.extensions.getExtension('hpc-jobs.hpc-jobs')!.extensionUri.fsPath;
    for (const step of steps) {
      const text = readFileSync(path.join(root, step.media.markdown!), 'utf8');
      assert.doesNotMatch(text, /npx hpc-jobs/, `${step.media.markdown}: a .vsix user has no npx hpc-jobs, and npx would fetch whatever the registry holds under that name`);
    }
    const lint = readFileSync(path.join(root, steps.find((s) => s.id === 'lint')!.media.markdown!), 'utf8');
    assert.match(lint, /npm run pack:cli.*npm install -g \.\/hpc-jobs-[\d.]+\.tgz/s);
  });

  test('the walkthrough opens the workspace\'s examples/ copy when there is one; a bad name changes nothing', async () => {
    const dir = workspacePath('examples');
    const made = !existsSync(dir);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'task-walkthrough.slurm');
    writeFileSync(file, '#!/bin/bash\n#SBATCH --ntasks=2\nsrun hostname\n');
    cleanups.push(() => rmSync(made ? dir : file, { recursive: true, force: true }));
    await vscode.commands.executeCommand('hpcJobs.walkthrough.openExample', 'task-walkthrough.slurm');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    const prompter = new ScriptedPrompter([]);
    api.setPrompter(prompter);
    try {
      const editorsBefore = vscode.window.visibleTextEditors.length;
      await vscode.commands.executeCommand('hpcJobs.walkthrough.openExample', '../package.json');
      await vscode.commands.executeCommand('hpcJobs.walkthrough.openExample', 'no-such-example.slurm');
      assert.deepEqual(prompter.asked.map((q) => [q.id, q.value]), [
        ['walkthrough.example', '"../package.json" is not the name of an example file.'],
        ['walkthrough.example', 'HPC Jobs has no example named no-such-example.slurm.'],
      ]);
      assert.equal(vscode.window.visibleTextEditors.length, editorsBefore);
    } finally {
      api.setPrompter(undefined);
    }
  });

  // code-server has no API to read what a terminal shows (onDidWriteTerminalData is proposed
  // API), so the adapter is driven directly: what it writes is what the terminal would show.
  test('TTY run in the terminal adapter: the prompt shows before its newline, typed keys reach the program', async () => {
    const entry = await api.services.start({
      target: 'local', spec: { backend: 'pool', program: workspacePath('task-tty.py'), tty: { cols: 80, rows: 24 }, cwd: workspaceFolder().uri.fsPath },
    });
    const handle = api.services.store.handle(entry.key);
    assert.ok(handle);
    const pty = new RunPseudoterminal(handle, { closeOnExit: false });
    let shown = '';
    let closed = false;
    pty.onDidWrite((d) => { shown += d; });
    pty.onDidClose(() => { closed = true; });
    pty.open({ columns: 100, rows: 30 });
    await waitFor(() => `the prompt; shown so far: ${JSON.stringify(shown)}`, () => shown.includes('name? '), [pty.onDidWrite], RUN_TIMEOUT_MS);
    assert.match(shown, /task-tty: isatty True\r\n/);
    assert.ok(!/hello/.test(shown));
    pty.handleInput('world\r');
    await waitFor(() => `the greeting and the end; shown: ${JSON.stringify(shown)}`, () => /Press any key to close/.test(shown), [pty.onDidWrite], RUN_TIMEOUT_MS);
    assert.match(shown, /task-tty: hello world\r\n/);
    // Each program line once: raw from the pty, not again from the line stream.
    assert.equal(shown.split('task-tty: hello world').length, 2);
    assert.equal(api.services.store.get(entry.key)?.state, 'succeeded');
    pty.handleInput('q');
    assert.ok(closed, 'a key closes the terminal once the run has ended');
  });

  test('a pipes run in the adapter: lines tagged, Ctrl-C cancels with exit code 130', async () => {
    const entry = await api.services.start({
      target: 'local', spec: { backend: 'tasks', tasks: 1, program: workspacePath('task-wait.py'), cwd: workspaceFolder().uri.fsPath },
    });
    const handle = api.services.store.handle(entry.key)!;
    const pty = new RunPseudoterminal(handle, { closeOnExit: true });
    let shown = '';
    let exit: number | void | undefined;
    pty.onDidWrite((d) => { shown += d; });
    const closed = new Promise<void>((resolve) => pty.onDidClose((code) => { exit = code; resolve(); }));
    pty.open(undefined);
    await waitFor(() => `the program's line; shown: ${JSON.stringify(shown)}`, () => shown.includes('task-wait: waiting'), [pty.onDidWrite], RUN_TIMEOUT_MS);
    assert.match(shown, /\[task 0\] \x1b\[0mtask-wait: waiting\r\n/);
    pty.handleInput('\x03');
    await closed;
    assert.equal(exit, 130);
    assert.equal(api.services.store.get(entry.key)?.state, 'cancelled');
  });

  test('openRunTerminal: a terminal named for the run; closing it cancels the run', async () => {
    const entry = await api.services.start({
      target: 'local', spec: { backend: 'pool', program: workspacePath('task-tty.py'), tty: true, cwd: workspaceFolder().uri.fsPath },
    });
    const handle = api.services.store.handle(entry.key)!;
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const d = vscode.window.onDidOpenTerminal((t) => { if (t.name === 'task-tty.py (test)') { d.dispose(); resolve(t); } });
    });
    const terminal = openRunTerminal(api.services, handle, 'task-tty.py (test)');
    assert.equal(await opened, terminal);
    await waitFor('the run to be running', () => api.services.store.get(entry.key)?.state === 'running', [api.services.store.onDidChange], RUN_TIMEOUT_MS);
    terminal.dispose();
    await waitFor('the run to be cancelled', () => api.services.store.get(entry.key)?.state === 'cancelled', [api.services.store.onDidChange], RUN_TIMEOUT_MS);
  });
});
