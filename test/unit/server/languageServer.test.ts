/**
 * The real language server (`startLanguageServer`) driven over an in-memory LSP connection:
 * diagnostics as published events, settings through `workspace/configuration`, and the
 * hover, completion, code-action, outline and inlay-hint requests.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DiagnosticSeverity, InsertTextFormat, SymbolKind, type CompletionItem, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import { lintText } from '../../../server/src/lint';
import { applyWorkspaceEdit, hoverText, LspHarness, positionOf } from './lspHarness';

const SCRIPT = [
  '#!/bin/bash',
  '#SBATCH --job-name=demo',
  '#SBATCH --ntasks=20',
  '#SBATCH --cpus-per-task=1',
  '#SBATCH --time=00:05:00',
  '#SBATCH --tiem=10',
  '',
  'srun hostname',
  '',
].join('\n');

let uriCount = 0;
/** A fresh untitled URI per document, so tests never share server state. */
function newUri(ext = 'slurm'): string {
  return `untitled:test-${++uriCount}.${ext}`;
}

const codes = (ds: readonly Diagnostic[]) => ds.map((d) => String(d.code));
const labels = (items: readonly CompletionItem[]) => items.map((i) => i.label);
const editOf = (item: CompletionItem) => item.textEdit as TextEdit;

describe('language server over an in-memory connection', () => {
  let lsp: LspHarness;
  before(async () => { lsp = await LspHarness.start(); });
  after(async () => { await lsp.shutdown(); });

  test('initialize announces the features', () => {
    const caps = lsp.initializeResult.capabilities;
    assert.equal(caps.hoverProvider, true);
    assert.ok(caps.completionProvider?.triggerCharacters?.includes('='));
    assert.ok(caps.codeActionProvider);
    assert.equal(caps.documentSymbolProvider, true);
    assert.ok(caps.inlayHintProvider);
    assert.equal(lsp.initializeResult.serverInfo?.name, 'hpc-jobs-slurm');
  });

  describe('diagnostics', () => {
    test('a slurm document gets diagnostics with code, source, range and severity', async () => {
      const uri = newUri();
      const p = await lsp.open(uri, 'slurm', SCRIPT);
      assert.equal(p.uri, uri);
      assert.equal(p.version, 1);
      const d = p.diagnostics.find((x) => x.code === 'SBATCH020');
      assert.ok(d, `expected SBATCH020 among ${codes(p.diagnostics).join(', ')}`);
      assert.equal(d.source, 'hpc-jobs');
      assert.equal(d.severity, DiagnosticSeverity.Error);
      assert.deepEqual(d.range, { start: { line: 5, character: 8 }, end: { line: 5, character: 14 } });
      assert.match(d.message, /--tiem/);
      assert.match(d.message, /--time/);
      // Exactly what the CLI's engine says for the same text.
      assert.deepEqual(codes(p.diagnostics), lintText(SCRIPT).map((x) => x.code));
      await lsp.close(uri);
    });

    test('a warning keeps its severity (directive after the first command)', async () => {
      const uri = newUri();
      const p = await lsp.open(uri, 'slurm', '#!/bin/bash\n#SBATCH --ntasks=1\necho hi\n#SBATCH --time=5\n');
      const d = p.diagnostics.find((x) => x.code === 'SBATCH100');
      assert.ok(d);
      assert.equal(d.severity, DiagnosticSeverity.Warning);
      assert.equal(d.range.start.line, 3);
      await lsp.close(uri);
    });

    test('a shellscript with no #SBATCH lines gets no diagnostics, even without a shebang', async () => {
      const uri = newUri('sh');
      const p = await lsp.open(uri, 'shellscript', 'echo hello\r\nls -l\n');
      assert.deepEqual(p.diagnostics, []);
      // The same text as slurm would be reported (no shebang, CRLF).
      const asSlurm = newUri();
      const q = await lsp.open(asSlurm, 'slurm', 'echo hello\r\nls -l\n');
      assert.ok(codes(q.diagnostics).includes('SBATCH001'), codes(q.diagnostics).join(', '));
      // ...and the other features stay silent on it.
      assert.equal(await lsp.hover(uri, { line: 0, character: 1 }), null);
      assert.deepEqual(await lsp.completion(uri, { line: 0, character: 0 }), []);
      assert.deepEqual(await lsp.documentSymbols(uri), []);
      await lsp.close(uri);
      await lsp.close(asSlurm);
    });

    test('other editors\' shell language ids (sh, bash, zsh) are served only with directives too', async () => {
      for (const languageId of ['sh', 'bash', 'zsh']) {
        const plain = newUri('sh');
        assert.deepEqual((await lsp.open(plain, languageId, 'echo hello\r\nls -l\n')).diagnostics, [], languageId);
        const batch = newUri('sh');
        assert.deepEqual(codes((await lsp.open(batch, languageId, '#!/bin/bash\n#SBATCH --tiem=10\necho hi\n')).diagnostics), ['SBATCH020'], languageId);
        await lsp.close(plain);
        await lsp.close(batch);
      }
    });

    test('a shellscript with directives gets diagnostics', async () => {
      const uri = newUri('sh');
      const p = await lsp.open(uri, 'shellscript', '#!/bin/bash\n#SBATCH --tiem=10\necho hi\n');
      assert.deepEqual(codes(p.diagnostics), ['SBATCH020']);
    });

    test('a shellscript with only a directive look-alike is served too', async () => {
      const uri = newUri('sh');
      const p = await lsp.open(uri, 'shellscript', '#!/bin/bash\n# SBATCH --time=10\necho hi\n');
      assert.deepEqual(codes(p.diagnostics), ['SBATCH101']);
      await lsp.close(uri);
    });

    test('an incremental didChange updates them', async () => {
      const uri = newUri();
      const p1 = await lsp.open(uri, 'slurm', SCRIPT);
      assert.ok(codes(p1.diagnostics).includes('SBATCH020'));
      // Fix the typo in place: "tiem" -> "time" (an incremental range edit).
      const at = positionOf(SCRIPT, 'tiem');
      const p2 = await lsp.change(uri, [{ range: { start: at, end: { line: at.line, character: at.character + 4 } }, text: 'time' }]);
      assert.equal(p2.version, 2);
      assert.ok(!codes(p2.diagnostics).includes('SBATCH020'), codes(p2.diagnostics).join(', '));
      assert.ok(codes(p2.diagnostics).includes('SBATCH103'), 'the second --time repeats the first');
      // Insert a new bad line before the command: the range moves with it.
      const p3 = await lsp.change(uri, [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: '#SBATCH --mem=4Q\n' }]);
      assert.equal(p3.version, 3);
      const mem = p3.diagnostics.find((d) => d.code === 'SBATCH031');
      assert.ok(mem, codes(p3.diagnostics).join(', '));
      assert.equal(mem.range.start.line, 6);
      assert.equal(lsp.document(uri).getText().split('\n')[6], '#SBATCH --mem=4Q');
      // Several changes in one notification apply in order.
      const p4 = await lsp.change(uri, [
        { range: { start: { line: 6, character: 0 }, end: { line: 7, character: 0 } }, text: '' },
        { range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' },
      ]);
      assert.ok(codes(p4.diagnostics).includes('SBATCH001'));
      assert.ok(!codes(p4.diagnostics).includes('SBATCH031'));
      await lsp.close(uri);
    });

    test('edits sent back to back: the last publication is for the last version and its text', async () => {
      const uri = newUri();
      await lsp.open(uri, 'slurm', '#!/bin/bash\n#SBATCH --time=10\necho\n');
      const edit = (time: string) => ({ range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: `#SBATCH --time=${time}\n` });
      const [, , last] = await Promise.all([lsp.change(uri, [edit('1:2:3:4')]), lsp.change(uri, [edit('20')]), lsp.change(uri, [edit('xx')])]);
      assert.equal(last.version, 4);
      assert.equal(lsp.document(uri).getText(), '#!/bin/bash\n#SBATCH --time=xx\necho\n');
      assert.deepEqual(codes(last.diagnostics), ['SBATCH030']);
      await lsp.close(uri);
    });

    test('didChange to a shellscript that loses its directives clears them', async () => {
      const uri = newUri('sh');
      const p1 = await lsp.open(uri, 'shellscript', '#SBATCH --tiem=1\necho\n');
      assert.notDeepEqual(p1.diagnostics, []);
      const p2 = await lsp.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
      assert.deepEqual(p2.diagnostics, []);
      await lsp.close(uri);
    });

    test('didClose clears them', async () => {
      const uri = newUri();
      const p1 = await lsp.open(uri, 'slurm', SCRIPT);
      assert.notDeepEqual(p1.diagnostics, []);
      const p2 = await lsp.close(uri);
      assert.deepEqual(p2.diagnostics, []);
      assert.equal(lsp.diagnosticsHistory(uri).length, 2);
    });

    test('re-opening a closed document publishes again', async () => {
      const uri = newUri();
      await lsp.open(uri, 'slurm', SCRIPT);
      await lsp.close(uri);
      const p = await lsp.open(uri, 'slurm', '#!/bin/bash\n#SBATCH --time=10\necho\n', 7);
      assert.equal(p.version, 7);
      assert.deepEqual(p.diagnostics, []);
      await lsp.close(uri);
    });
  });

  describe('hover on issue 13\'s lines: a site plugin option, a #PBS line', () => {
    const text = ['#!/bin/bash', '#SBATCH --time=60', '#SBATCH --image=docker:nersc/app:1.0', '#PBS -l walltime=2:00:00', 'srun ./a', ''].join('\n');
    let uri: string;
    before(async () => { uri = newUri(); await lsp.open(uri, 'slurm', text); });

    test('a plugin option names its plugin', async () => {
      assert.match(hoverText(await lsp.hover(uri, positionOf(text, '--image', 3))), /Shifter \(NERSC\).*Options provided by plugins/);
    });

    test('a #PBS line says what sbatch makes of it', async () => {
      assert.match(hoverText(await lsp.hover(uri, positionOf(text, '#PBS', 2))), /sets --time=2:00:00, overriding --time=60 on line 2/);
    });
  });

  describe('hover', () => {
    const text = [
      '#!/bin/bash',
      '#SBATCH --time=2-12',
      '#SBATCH --mem=4G',
      '#SBATCH --output=out_%j.txt',
      '#SBATCH --job-na=x',
      'echo start',
      '#SBATCH --ntasks=2',
      '',
    ].join('\n');
    let uri: string;
    before(async () => { uri = newUri(); await lsp.open(uri, 'slurm', text); });

    test('on an option name: markdown with its description', async () => {
      const h = await lsp.hover(uri, positionOf(text, '--time', 3));
      assert.ok(h);
      assert.equal((h.contents as { kind: string }).kind, 'markdown');
      assert.match(hoverText(h), /`--time=/);
      assert.match(hoverText(h), /Wall-clock limit/);
      assert.deepEqual(h.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 14 } });
      assert.match(hoverText(h), /^\*\*`--time=<[^`]+>` or `-t <[^`]+>`\*\*/, 'long and short names joined by "or" (a comma after a padded code span shows as " ,")');
    });

    test('on an abbreviated name: says what it stands for', async () => {
      const h = await lsp.hover(uri, positionOf(text, '--job-na=', 2));
      assert.match(hoverText(h), /`--job-na` is an abbreviation of `--job-name`/);
    });

    test('on a time value: "2 days 12 hours"', async () => {
      const h = await lsp.hover(uri, positionOf(text, '2-12', 1));
      assert.match(hoverText(h), /\*\*--time\*\* = `2-12`/);
      assert.match(hoverText(h), /2 days 12 hours/);
    });

    test('on a memory value: 4 GiB (4096 MB) per node', async () => {
      const h = await lsp.hover(uri, positionOf(text, '4G', 0));
      const t = hoverText(h);
      assert.match(t, /\*\*--mem\*\* = `4G`/);
      // What the memory checker's `meaning` says: Slurm's G is 1024 M.
      assert.match(t, /4 GiB \(4096 MB\) per node/);
    });

    test('on a file pattern value: the replacement symbols used', async () => {
      const h = await lsp.hover(uri, positionOf(text, 'out_%j', 2));
      assert.match(hoverText(h), /`%j`: job ID/);
    });

    test('on #SBATCH', async () => {
      const h = await lsp.hover(uri, { line: 1, character: 3 });
      assert.match(hoverText(h), /\*\*#SBATCH\*\*/);
      assert.match(hoverText(h), /first command/);
    });

    test('on a directive ignored after the first command', async () => {
      const h = await lsp.hover(uri, { line: 6, character: 3 });
      assert.match(hoverText(h), /does \*\*not\*\* read this line/);
      // Its option words are not options sbatch reads: no option hover there either.
      const onWord = await lsp.hover(uri, { line: 6, character: 12 });
      assert.doesNotMatch(hoverText(onWord), /ntasks=/);
    });

    test('nothing on the shell body', async () => {
      assert.equal(await lsp.hover(uri, { line: 5, character: 2 }), null);
      assert.equal(await lsp.hover(uri, { line: 0, character: 4 }), null);
    });
  });

  describe('completion', () => {
    test('after "#SBATCH --ti": --time, replacing the typed word', async () => {
      const uri = newUri();
      await lsp.open(uri, 'slurm', '#!/bin/bash\n#SBATCH --ti\n');
      const items = await lsp.completion(uri, { line: 1, character: 12 });
      const time = items.find((i) => i.label === '--time');
      assert.ok(time, `no --time among ${items.length} items`);
      assert.deepEqual(editOf(time).range, { start: { line: 1, character: 8 }, end: { line: 1, character: 12 } });
      assert.equal(editOf(time).newText, '--time=');
      assert.equal((time.documentation as { kind: string }).kind, 'markdown');
      assert.ok(!labels(items).includes('-t'), 'long form only after --');
      await lsp.close(uri);
    });

    test('after "#SBATCH -": the short options', async () => {
      const uri = newUri();
      await lsp.open(uri, 'slurm', '#!/bin/bash\n#SBATCH -\n');
      const items = await lsp.completion(uri, { line: 1, character: 9 });
      assert.ok(labels(items).includes('-t'));
      assert.ok(labels(items).includes('-n'));
      assert.ok(!labels(items).includes('--time'));
      await lsp.close(uri);
    });

    test('after "#SBATCH --mail-type=BEGIN,": END, replacing only the last element', async () => {
      const uri = newUri();
      await lsp.open(uri, 'slurm', '#!/bin/bash\n#SBATCH --mail-type=BEGIN,\n');
      const items = await lsp.completion(uri, { line: 1, character: 26 });
      const end = items.find((i) => i.label === 'END');
      assert.ok(end, labels(items).join(' '));
      assert.deepEqual(editOf(end).range, { start: { line: 1, character: 26 }, end: { line: 1, character: 26 } });
      await lsp.close(uri);
    });

    test('an enum value after "--partition"-like enum options: --open-mode=', async () => {
      const uri = newUri();
      await lsp.open(uri, 'slurm', '#!/bin/bash\n#SBATCH --open-mode=\n');
      const items = await lsp.completion(uri, { line: 1, character: 20 });
      assert.ok(labels(items).includes('append'), labels(items).join(' '));
      await lsp.close(uri);
    });

    test('after "#SBATCH --output=%": %j, replacing the %', async () => {
      const uri = newUri();
      await lsp.open(uri, 'slurm', '#!/bin/bash\n#SBATCH --output=%\n');
      const items = await lsp.completion(uri, { line: 1, character: 18 });
      const j = items.find((i) => i.label === '%j');
      assert.ok(j, labels(items).join(' '));
      assert.deepEqual(editOf(j).range, { start: { line: 1, character: 17 }, end: { line: 1, character: 18 } });
      assert.equal(editOf(j).newText, '%j');
      await lsp.close(uri);
    });

    test('a value given as the next word: "#SBATCH --time " offers times', async () => {
      const uri = newUri();
      await lsp.open(uri, 'slurm', '#!/bin/bash\n#SBATCH --time \n');
      const items = await lsp.completion(uri, { line: 1, character: 15 });
      assert.ok(labels(items).includes('01:00:00'), labels(items).slice(0, 10).join(' '));
      await lsp.close(uri);
    });

    test('on line 0 of an empty slurm document: the header snippet', async () => {
      const uri = newUri();
      await lsp.open(uri, 'slurm', '');
      const items = await lsp.completion(uri, { line: 0, character: 0 });
      const header = items.find((i) => i.label === 'sbatch header');
      assert.ok(header, labels(items).join(' '));
      assert.equal(header.insertTextFormat, InsertTextFormat.Snippet);
      assert.match(editOf(header).newText, /^#!\/bin\/bash\n#SBATCH --job-name=\$\{1:myjob\}/);
      assert.deepEqual(editOf(header).range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
      await lsp.close(uri);
    });

    test('a new directive line offers #SBATCH', async () => {
      const uri = newUri();
      await lsp.open(uri, 'slurm', '#!/bin/bash\n#SBATCH --ntasks=1\n#SB\n');
      const items = await lsp.completion(uri, { line: 2, character: 3 });
      const sb = items.find((i) => i.label === '#SBATCH');
      assert.ok(sb);
      assert.deepEqual(editOf(sb).range, { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } });
      assert.ok(!labels(items).includes('sbatch header'), 'no header once directives exist');
      await lsp.close(uri);
    });

    test('nothing in the body after the first command', async () => {
      const uri = newUri();
      const text = '#!/bin/bash\n#SBATCH --ntasks=1\necho hi\n\nsrun ech\n#SBATCH --ti\n#SBATCH --mail-type=BEGIN,\n';
      await lsp.open(uri, 'slurm', text);
      assert.deepEqual(await lsp.completion(uri, { line: 3, character: 0 }), []);
      assert.deepEqual(await lsp.completion(uri, { line: 4, character: 8 }), []);
      // sbatch ignores directives after the first command: nothing to complete there either.
      assert.deepEqual(await lsp.completion(uri, { line: 5, character: 12 }), []);
      assert.deepEqual(await lsp.completion(uri, { line: 6, character: 26 }), []);
      await lsp.close(uri);
    });
  });

  describe('code actions', () => {
    test('unknown --tiem=10: the preferred fix changes it to --time and lints clean of SBATCH020', async () => {
      const uri = newUri();
      const text = '#!/bin/bash\n#SBATCH --ntasks=1\n#SBATCH --tiem=10\nsrun hostname\n';
      const p = await lsp.open(uri, 'slurm', text);
      const d = p.diagnostics.find((x) => x.code === 'SBATCH020');
      assert.ok(d);
      const actions = await lsp.codeActions(uri, d.range);
      const preferred = actions.filter((a) => a.isPreferred);
      assert.equal(preferred.length, 1, actions.map((a) => a.title).join(' | '));
      assert.equal(preferred[0]!.title, 'Change to --time');
      assert.equal(preferred[0]!.kind, 'quickfix');
      assert.deepEqual(preferred[0]!.diagnostics?.map((x) => x.code), ['SBATCH020']);
      const fixed = applyWorkspaceEdit(text, uri, preferred[0]!.edit);
      assert.equal(fixed, '#!/bin/bash\n#SBATCH --ntasks=1\n#SBATCH --time=10\nsrun hostname\n');
      assert.ok(!lintText(fixed).some((x) => x.code === 'SBATCH020'));
      // And through the server: the edited document publishes clean.
      const after = await lsp.replaceAll(uri, fixed);
      assert.deepEqual(codes(after.diagnostics), []);
      await lsp.close(uri);
    });

    test('a client that does not send diagnostic data back still gets the fixes (found by code and range)', async () => {
      const uri = newUri();
      const text = '#!/bin/bash\n#SBATCH --ntasks=1\n#SBATCH --tiem=10\nsrun hostname\n';
      const p = await lsp.open(uri, 'slurm', text);
      const bare = p.diagnostics.map(({ data: _data, ...d }) => d);
      const d = bare.find((x) => x.code === 'SBATCH020')!;
      const actions = await lsp.codeActions(uri, d.range, bare);
      assert.deepEqual(actions.map((a) => a.title), ['Change to --time', 'Change to --mem']);
      assert.equal(applyWorkspaceEdit(text, uri, actions[0]!.edit), text.replace('--tiem', '--time'));
      // A diagnostic the document no longer has (stale range) gets nothing rather than a wrong edit.
      const stale = { ...d, range: { start: { line: 3, character: 0 }, end: { line: 3, character: 4 } } };
      assert.deepEqual(await lsp.codeActions(uri, stale.range, [stale]), []);
      await lsp.close(uri);
    });

    test('a directive after the first command: moved above it', async () => {
      const uri = newUri();
      const text = '#!/bin/bash\n#SBATCH --ntasks=1\necho start\n#SBATCH --time=10\nsrun hostname\n';
      const p = await lsp.open(uri, 'slurm', text);
      const d = p.diagnostics.find((x) => x.code === 'SBATCH100');
      assert.ok(d);
      const actions = await lsp.codeActions(uri, d.range);
      const move = actions.find((a) => a.title === 'Move above the first command');
      assert.ok(move, actions.map((a) => a.title).join(' | '));
      assert.equal(move.isPreferred, true);
      const fixed = applyWorkspaceEdit(text, uri, move.edit);
      assert.equal(fixed, '#!/bin/bash\n#SBATCH --ntasks=1\n#SBATCH --time=10\necho start\nsrun hostname\n');
      assert.deepEqual(lintText(fixed), []);
      await lsp.close(uri);
    });

    test('a moved directive joins the block: after its last directive, not after the blank line and comment below it', async () => {
      const uri = newUri();
      const text = '#!/bin/bash\n#SBATCH --ntasks=1\n\n# set up\nmodule load python\n#SBATCH --time=10\nsrun hostname\n';
      const p = await lsp.open(uri, 'slurm', text);
      const d = p.diagnostics.find((x) => x.code === 'SBATCH100');
      assert.ok(d);
      const move = (await lsp.codeActions(uri, d.range)).find((a) => a.title === 'Move above the first command');
      assert.ok(move);
      assert.equal(applyWorkspaceEdit(text, uri, move.edit), '#!/bin/bash\n#SBATCH --ntasks=1\n#SBATCH --time=10\n\n# set up\nmodule load python\nsrun hostname\n');
      await lsp.close(uri);
    });

    test('minutes or seconds of 60 or more: the fix writes the time sbatch reads', async () => {
      const uri = newUri();
      const text = '#!/bin/bash\n#SBATCH --time=10:70\nsrun hostname\n';
      const p = await lsp.open(uri, 'slurm', text);
      const d = p.diagnostics.find((x) => x.code === 'SBATCH105');
      assert.ok(d);
      const fix = (await lsp.codeActions(uri, d.range)).find((a) => a.title === 'Change to 11:10');
      assert.ok(fix, 'a quick fix for the rolled-over time');
      assert.equal(fix.isPreferred, true);
      const fixed = applyWorkspaceEdit(text, uri, fix.edit);
      assert.equal(fixed, '#!/bin/bash\n#SBATCH --time=11:10\nsrun hostname\n');
      assert.deepEqual(lintText(fixed), []);
      await lsp.close(uri);
    });

    test('several late directives: one fix moves them all', async () => {
      const uri = newUri();
      const text = '#!/bin/bash\necho start\n#SBATCH --time=10\n#SBATCH --ntasks=2\nsrun hostname\n';
      const p = await lsp.open(uri, 'slurm', text);
      const d = p.diagnostics.find((x) => x.code === 'SBATCH100');
      assert.ok(d);
      const all = (await lsp.codeActions(uri, d.range)).find((a) => /Move all 2/.test(a.title));
      assert.ok(all);
      const fixed = applyWorkspaceEdit(text, uri, all.edit);
      assert.equal(fixed, '#!/bin/bash\n#SBATCH --time=10\n#SBATCH --ntasks=2\necho start\nsrun hostname\n');
      await lsp.close(uri);
    });

    test('#SLURM: rewritten as #SBATCH', async () => {
      const uri = newUri();
      const text = '#!/bin/bash\n#SLURM --ntasks=1\nsrun hostname\n';
      const p = await lsp.open(uri, 'slurm', text);
      const d = p.diagnostics.find((x) => x.code === 'SBATCH102');
      assert.ok(d, codes(p.diagnostics).join(', '));
      const actions = await lsp.codeActions(uri, d.range);
      const fix = actions.find((a) => a.isPreferred);
      assert.equal(fix?.title, 'Change #SLURM to #SBATCH');
      const fixed = applyWorkspaceEdit(text, uri, fix.edit);
      assert.equal(fixed, '#!/bin/bash\n#SBATCH --ntasks=1\nsrun hostname\n');
      assert.deepEqual(lintText(fixed), []);
      await lsp.close(uri);
    });

    test('diagnostics from another source get no actions', async () => {
      const uri = newUri();
      const text = '#!/bin/bash\n#SBATCH --tiem=10\nsrun hostname\n';
      const p = await lsp.open(uri, 'slurm', text);
      const foreign = p.diagnostics.map((d) => ({ ...d, source: 'shellcheck' }));
      assert.deepEqual(await lsp.codeActions(uri, foreign[0]!.range, foreign), []);
      await lsp.close(uri);
    });
  });

  describe('outline and inlay hints', () => {
    const text = [
      '#!/bin/bash',
      '#SBATCH --job-name=sum',
      '#SBATCH --ntasks=20 --cpus-per-task=1',
      '#SBATCH --time=00:05:00',
      '',
      'srun ./sum',
      '',
    ].join('\n');

    test('document symbols: the directive block with one child per option', async () => {
      const uri = newUri();
      await lsp.open(uri, 'slurm', text);
      const symbols = await lsp.documentSymbols(uri);
      assert.equal(symbols.length, 1);
      const block = symbols[0]!;
      assert.equal(block.name, 'Slurm directives');
      assert.equal(block.kind, SymbolKind.Namespace);
      assert.deepEqual(block.range, { start: { line: 1, character: 0 }, end: { line: 3, character: 23 } });
      assert.deepEqual(block.children?.map((c) => [c.name, c.detail]), [
        ['--job-name', 'sum'], ['--ntasks', '20'], ['--cpus-per-task', '1'], ['--time', '00:05:00'],
      ]);
      const cpus = block.children![2]!;
      assert.deepEqual(cpus.selectionRange, { start: { line: 2, character: 20 }, end: { line: 2, character: 35 } });
      await lsp.close(uri);
    });

    test('document symbols: one block per heterogeneous job component', async () => {
      const uri = newUri();
      await lsp.open(uri, 'slurm', '#!/bin/bash\n#SBATCH --ntasks=1\n#SBATCH hetjob\n#SBATCH --ntasks=4\nsrun a : b\n');
      const symbols = await lsp.documentSymbols(uri);
      assert.deepEqual(symbols.map((s) => [s.name, s.children?.length]), [['Job component 0', 1], ['Job component 1', 1]]);
      await lsp.close(uri);
    });

    test('inlay hint: the resource summary after the last directive', async () => {
      const uri = newUri();
      await lsp.open(uri, 'slurm', text);
      const hints = await lsp.inlayHints(uri);
      assert.equal(hints.length, 1);
      const hint = hints[0]!;
      assert.deepEqual(hint.position, { line: 3, character: 23 });
      const label = typeof hint.label === 'string' ? hint.label : hint.label.map((l) => l.value).join('');
      // 20 CPUs × 5 minutes = 1.67 core-hours; all of it within VS Code's default 43 characters.
      assert.equal(label, '20×1 CPU · 5 min · ≤1.7 core-h');
      const tooltip = typeof hint.tooltip === 'string' ? hint.tooltip : hint.tooltip?.value ?? '';
      assert.match(tooltip, /CPUs: 20 tasks × 1 CPU per task = 20 CPUs on 1 node/);
      assert.match(tooltip, /Core-hours: 20 CPUs × 5 min = at most 1\.7 /);
      await lsp.close(uri);
    });

    test('inlay hint: the key figures first and within 43 characters, the breakdown in the tooltip', async () => {
      const uri = newUri();
      await lsp.open(uri, 'slurm', '#!/bin/bash\n#SBATCH --ntasks=4 --cpus-per-task=2\n#SBATCH --mem-per-cpu=512M\n#SBATCH --time=12\n#SBATCH --array=0-9%2\nsrun ./a\n');
      const [hint] = await lsp.inlayHints(uri);
      const label = typeof hint!.label === 'string' ? hint!.label : '';
      assert.equal(label, '4×2 CPU · 4 GiB · 12 min · ≤16 core-h · 10 array tasks');
      assert.ok(label.indexOf('core-h') + 'core-h'.length <= 43, `the core-hours show within 43 characters: ${label}`);
      const tooltip = typeof hint!.tooltip === 'string' ? hint!.tooltip : hint!.tooltip?.value ?? '';
      assert.match(tooltip, /Memory: 512 MB\/cpu × 8 CPUs = 4 GiB/);
      assert.match(tooltip, /Time limit: 12 min/);
      assert.match(tooltip, /Array: 10 tasks, at most 2 at once/);
      assert.match(tooltip, /Core-hours: 8 CPUs × 12 min × 10 array tasks = at most 16 /);
      await lsp.close(uri);
    });
  });
});

describe('settings through workspace/configuration', () => {
  let lsp: LspHarness;
  before(async () => { lsp = await LspHarness.start({ settings: { lint: { slurmVersion: '22.05' } } }); });
  after(async () => { await lsp.shutdown(); });

  const text = '#!/bin/bash\n#SBATCH --container-id=abc\n#SBATCH --ntasks=2\nsrun hostname\n';

  test('slurmVersion 22.05 reports an option added in 23.02 (SBATCH024)', async () => {
    const uri = newUri();
    const p = await lsp.open(uri, 'slurm', text);
    assert.ok(lsp.configurationRequests >= 1, 'the server asked for settings');
    const d = p.diagnostics.find((x) => x.code === 'SBATCH024');
    assert.ok(d, codes(p.diagnostics).join(', '));
    assert.match(d.message, /23\.02/);
    assert.deepEqual(d.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 22 } });
    await lsp.close(uri);
  });

  test('workspace/didChangeConfiguration re-validates the open documents', async () => {
    const a = newUri();
    const b = newUri('sh');
    const pa = await lsp.open(a, 'slurm', text);
    const pb = await lsp.open(b, 'shellscript', text);
    assert.ok(codes(pa.diagnostics).includes('SBATCH024'));
    assert.ok(codes(pb.diagnostics).includes('SBATCH024'));
    const asked = lsp.configurationRequests;

    const [qa, qb] = await lsp.changeSettings({ slurmVersion: '23.02' }, [a, b]);
    assert.ok(lsp.configurationRequests > asked, 'settings were pulled again');
    assert.deepEqual(codes(qa!.diagnostics), []);
    assert.deepEqual(codes(qb!.diagnostics), []);

    const [ra] = await lsp.changeSettings({ slurmVersion: '' }, [a, b]);
    assert.deepEqual(codes(ra!.diagnostics), []);

    const [sa] = await lsp.changeSettings({ slurmVersion: '22.05' }, [a, b]);
    assert.ok(codes(sa!.diagnostics).includes('SBATCH024'));
    await lsp.close(a);
    await lsp.close(b);
  });

  test('resourceSummary off: no inlay hints', async () => {
    const uri = newUri();
    await lsp.open(uri, 'slurm', text);
    assert.equal((await lsp.inlayHints(uri)).length, 1);
    await lsp.changeSettings({ resourceSummary: false }, [uri]);
    assert.deepEqual(await lsp.inlayHints(uri), []);
    await lsp.changeSettings({ resourceSummary: true }, [uri]);
    await lsp.close(uri);
  });
});

describe('a client without workspace/configuration', () => {
  test('the defaults apply: any known release, no SBATCH024', async () => {
    const lsp = await LspHarness.start({ configuration: false, settings: { lint: { slurmVersion: '22.05' } } });
    try {
      const uri = newUri();
      const p = await lsp.open(uri, 'slurm', '#!/bin/bash\n#SBATCH --container-id=abc\nsrun hostname\n');
      assert.deepEqual(codes(p.diagnostics), []);
      assert.equal(lsp.configurationRequests, 0);
    } finally {
      await lsp.shutdown();
    }
  });

  test('settings pushed in didChangeConfiguration apply (Neovim 0.7, eglot); malformed ones leave the defaults', async () => {
    const lsp = await LspHarness.start({ configuration: false });
    try {
      const uri = newUri();
      assert.deepEqual(codes((await lsp.open(uri, 'slurm', '#!/bin/bash\n#SBATCH --container-id=abc\nsrun hostname\n')).diagnostics), []);
      const [pushed] = await lsp.pushSettings({ hpcJobs: { lint: { slurmVersion: '22.05' } } }, [uri]);
      assert.deepEqual(codes(pushed!.diagnostics), ['SBATCH024']);
      for (const bad of [null, { hpcJobs: 'x' }, { hpcJobs: { lint: 7 } }, { other: {} }]) {
        const [p] = await lsp.pushSettings(bad, [uri]);
        assert.deepEqual(codes(p!.diagnostics), [], JSON.stringify(bad));
      }
      assert.equal(lsp.configurationRequests, 0);
    } finally {
      await lsp.shutdown();
    }
  });
});
