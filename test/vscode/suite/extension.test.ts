/**
 * The extension in a real VS Code extension host, talking to the real language server
 * (out/server.js) over IPC. Fixtures: test/vscode/workspace/.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeOf, diagnosticsOf, waitFor } from './waitFor';
import { workspaceFile } from './workspaceFile';

const EXTENSION_ID = 'hpc-jobs.hpc-jobs';
const SOURCE = 'hpc-jobs';

interface HpcJobsApi { readonly languageClientReady: Promise<void> }

function extension(): vscode.Extension<HpcJobsApi> {
  const ext = vscode.extensions.getExtension<HpcJobsApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is loaded`);
  return ext;
}

function positionOf(doc: vscode.TextDocument, needle: string, offsetInNeedle = 0): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `"${needle}" is in ${doc.uri.path}`);
  return doc.positionAt(i + offsetInNeedle);
}

let untitledCount = 0;
/**
 * An unsaved document with a name of its own. (Untitled-N names are reused after a close, and
 * VS Code may then hand the new document the closed one's backed-up text.)
 */
async function untitledDocument(extension: '.slurm' | '.sh', content: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.from({ scheme: 'untitled', path: `/hpc-jobs-test-${process.pid}-${++untitledCount}${extension}` });
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  assert.ok(await editor.edit((e) => e.insert(new vscode.Position(0, 0), content)), 'initial text inserted');
  return editor;
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

suite('HPC Jobs extension in a real extension host', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('activates when a Slurm script is opened, and its language server starts', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('job.slurm'));
    await vscode.window.showTextDocument(doc);
    const ext = extension();
    // onLanguage:slurm activates it; no explicit activate() call.
    await waitFor('the extension to activate', () => ext.isActive, [vscode.extensions.onDidChange]);
    await ext.exports.languageClientReady;
  });

  test('.slurm and .sbatch files get a file icon of their own', () => {
    const languages = (extension().packageJSON as { contributes: { languages: { id: string; icon?: { light: string; dark: string } }[] } }).contributes.languages;
    const icon = languages.find((l) => l.id === 'slurm')?.icon;
    assert.ok(icon, 'the slurm language contributes an icon (shown where the file icon theme has only a generic one)');
    for (const file of [icon.light, icon.dark]) {
      const svg = readFileSync(path.join(extension().extensionUri.fsPath, file), 'utf8');
      assert.match(svg, /^<svg [^>]*viewBox="0 0 16 16"/, file);
    }
  });

  test('.slurm files get the slurm language; shell scripts stay shellscript', async () => {
    const job = await vscode.workspace.openTextDocument(workspaceFile('job.slurm'));
    assert.equal(job.languageId, 'slurm');
    const run = await vscode.workspace.openTextDocument(workspaceFile('run.sh'));
    assert.equal(run.languageId, 'shellscript');
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes('slurm'));
  });

  test('the language server reports an unknown option in job.slurm', async () => {
    const uri = workspaceFile('job.slurm');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diagnostics = await diagnosticsOf(uri, (ds) => ds.some((d) => codeOf(d) === 'SBATCH020'));
    const unknown = diagnostics.find((d) => codeOf(d) === 'SBATCH020');
    assert.ok(unknown);
    assert.equal(unknown.source, SOURCE);
    assert.equal(unknown.severity, vscode.DiagnosticSeverity.Error);
    assert.match(unknown.message, /--tiem/);
    const line = positionOf(doc, '--tiem').line;
    assert.equal(unknown.range.start.line, line, 'reported on the #SBATCH --tiem line');
    assert.equal(doc.getText(unknown.range).includes('tiem'), true, `range covers the option, got "${doc.getText(unknown.range)}"`);
  });

  test('a quick fix offers the option that was meant', async () => {
    const uri = workspaceFile('job.slurm');
    const doc = await vscode.workspace.openTextDocument(uri);
    const [unknown] = (await diagnosticsOf(uri, (ds) => ds.some((d) => codeOf(d) === 'SBATCH020')))
      .filter((d) => codeOf(d) === 'SBATCH020');
    assert.ok(unknown);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', uri, unknown.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.includes('--time'));
    assert.ok(fix, `a quick fix mentions --time; got ${JSON.stringify(actions.map((a) => a.title))}`);
    const edits = fix.edit?.get(uri) ?? [];
    assert.ok(edits.some((e) => e.newText === '--time' && doc.getText(e.range) === '--tiem'),
      `the fix replaces --tiem with --time; got ${JSON.stringify(edits.map((e) => [doc.getText(e.range), e.newText]))}`);
  });

  test('hovering over an option shows what it asks for', async () => {
    const uri = workspaceFile('job.slurm');
    const doc = await vscode.workspace.openTextDocument(uri);
    await diagnosticsOf(uri, (ds) => ds.length > 0); // the server has read the document
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider', uri, positionOf(doc, '--ntasks', 3));
    const text = hoverText(hovers);
    assert.match(text, /--ntasks/, `hover text: ${text}`);
  });

  test('a shell script with #SBATCH lines is linted too', async () => {
    const uri = workspaceFile('run.sh');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diagnostics = await diagnosticsOf(uri, (ds) => ds.some((d) => codeOf(d) === 'SBATCH020'));
    const unknown = diagnostics.find((d) => codeOf(d) === 'SBATCH020');
    assert.ok(unknown);
    assert.equal(unknown.source, SOURCE);
    assert.equal(unknown.range.start.line, positionOf(doc, '--partiton').line);
  });

  test('edits are linted as they are typed, in unsaved documents too', async () => {
    const editor = await untitledDocument('.slurm', '#!/bin/bash\n#SBATCH --ntasks=2\n#SBATCH --nodez=1\nsrun hostname\n');
    const doc = editor.document;
    assert.equal(doc.uri.scheme, 'untitled');
    assert.equal(doc.languageId, 'slurm');
    await diagnosticsOf(doc.uri, (ds) => ds.some((d) => codeOf(d) === 'SBATCH020' && d.source === SOURCE),
      'SBATCH020 on the untitled document');
    const typo = doc.getText().indexOf('--nodez');
    const ok = await editor.edit((e) => e.replace(
      new vscode.Range(doc.positionAt(typo), doc.positionAt(typo + '--nodez'.length)), '--nodes'));
    assert.ok(ok, 'edit applied');
    await diagnosticsOf(doc.uri, (ds) => !ds.some((d) => codeOf(d) === 'SBATCH020'),
      'SBATCH020 to go away after the fix');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a shell script is linted only while it has #SBATCH lines', async () => {
    const editor = await untitledDocument('.sh', '#!/bin/bash\necho "--tiem=10 is no directive here"\n');
    const doc = editor.document;
    assert.equal(doc.languageId, 'shellscript');
    assert.ok(await editor.edit((e) => e.insert(new vscode.Position(1, 0), '#SBATCH --tiem=10\n')));
    await diagnosticsOf(doc.uri, (ds) => ds.some((d) => codeOf(d) === 'SBATCH020' && d.range.start.line === 1),
      'SBATCH020 once a directive is added');
    assert.ok(await editor.edit((e) => e.delete(new vscode.Range(1, 0, 2, 0))));
    await diagnosticsOf(doc.uri, (ds) => ds.length === 0, 'no diagnostics once the directive is gone');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('hpcJobs.lint.slurmVersion reaches the server', async () => {
    // --container-id exists since Slurm 23.02: fine for "any release", SBATCH024 for 22.05.
    // The --tiem typo is there so the first report is known to have arrived.
    const { document: doc } = await untitledDocument('.slurm',
      '#!/bin/bash\n#SBATCH --container-id=abc\n#SBATCH --tiem=5\nsrun hostname\n');
    const has = (code: string) => (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === code);
    await diagnosticsOf(doc.uri, (ds) => has('SBATCH020')(ds) && !has('SBATCH024')(ds), 'a report without SBATCH024 for any release');
    const config = vscode.workspace.getConfiguration('hpcJobs');
    try {
      await config.update('lint.slurmVersion', '22.05', vscode.ConfigurationTarget.Global);
      const [tooNew] = (await diagnosticsOf(doc.uri, has('SBATCH024'),
        'SBATCH024 once the target is Slurm 22.05')).filter((d) => codeOf(d) === 'SBATCH024');
      assert.match(tooNew?.message ?? '', /--container-id/);
    } finally {
      await config.update('lint.slurmVersion', undefined, vscode.ConfigurationTarget.Global);
    }
    await diagnosticsOf(doc.uri, (ds) => has('SBATCH020')(ds) && !has('SBATCH024')(ds), 'SBATCH024 to go once the setting is cleared');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the resource summary shows the core-hours within the length VS Code shows of a hint, the breakdown in its tooltip', async () => {
    const editor = await untitledDocument('.slurm', '#!/bin/bash\n#SBATCH --ntasks=4 --cpus-per-task=2\n#SBATCH --mem-per-cpu=512M\n#SBATCH --time=12\nsrun ./a\n');
    const doc = editor.document;
    const range = new vscode.Range(0, 0, doc.lineCount, 0);
    // Inlay hints fire no event a test can wait on: ask until the server has answered.
    let hints: vscode.InlayHint[] = [];
    for (const deadline = Date.now() + 30_000; hints.length === 0 && Date.now() < deadline;) {
      hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, range);
      if (hints.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(hints.length, 1);
    const label = typeof hints[0]!.label === 'string' ? hints[0]!.label : hints[0]!.label.map((p) => p.value).join('');
    const max = vscode.workspace.getConfiguration('editor').get<number>('inlayHints.maximumLength') ?? 43;
    assert.equal(label, '4×2 CPU · 4 GiB · 12 min · ≤1.6 core-h');
    assert.ok(label.length <= max, `${label.length} characters; VS Code shows ${max}`);
    const tooltip = hints[0]!.tooltip;
    const text = typeof tooltip === 'string' ? tooltip : tooltip?.value ?? '';
    assert.match(text, /Memory: 512 MB\/cpu × 8 CPUs = 4 GiB/);
    assert.match(text, /Core-hours: 8 CPUs × 12 min = at most 1\.6 /);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('settings are contributed with their defaults and scopes', () => {
    const config = vscode.workspace.getConfiguration('hpcJobs');
    assert.equal(config.inspect('lint.slurmVersion')?.defaultValue, '');
    assert.equal(config.inspect('trace.server')?.defaultValue, 'off');
  });
});
