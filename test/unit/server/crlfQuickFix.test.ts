/**
 * The CRLF quick fix (SBATCH002) through the real server: a client that runs
 * `hpcJobs.lint.useLfLineEndings` itself (VS Code, which would turn an inserted "\n" back into
 * the document's CRLF) gets that command; any other client gets text edits that work there.
 *
 * Run: node --import tsx --test test/unit/server/crlfQuickFix.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { USE_LF_COMMAND } from '../../../server/src/protocol';
import { applyWorkspaceEdit, LspHarness } from './lspHarness';

const CRLF_SCRIPT = '#!/bin/bash\r\n#SBATCH --time=5\r\necho hi\r\n';

describe('CRLF quick fix', () => {
  describe('a client that announced the command', () => {
    let lsp: LspHarness;
    before(async () => { lsp = await LspHarness.start({ initializationOptions: { clientCommands: [USE_LF_COMMAND] } }); });
    after(async () => { await lsp.shutdown(); });

    test('gets the command with the document URI, and no edit', async () => {
      const uri = 'untitled:crlf-command.slurm';
      const p = await lsp.open(uri, 'slurm', CRLF_SCRIPT);
      const d = p.diagnostics.find((x) => x.code === 'SBATCH002');
      assert.ok(d, JSON.stringify(p.diagnostics));
      const actions = await lsp.codeActions(uri, d.range);
      const fix = actions.find((a) => a.title === 'Convert line endings to LF');
      assert.ok(fix, actions.map((a) => a.title).join(' | '));
      assert.equal(fix.isPreferred, true);
      assert.deepEqual(fix.command, { title: 'Convert line endings to LF', command: USE_LF_COMMAND, arguments: [uri] });
      assert.equal(fix.edit, undefined);
      await lsp.close(uri);
    });

    test('other fixes keep their edits', async () => {
      const uri = 'untitled:crlf-other.slurm';
      const p = await lsp.open(uri, 'slurm', '#!/bin/bash\n#SBATCH --tiem=10\n');
      const d = p.diagnostics.find((x) => x.code === 'SBATCH020');
      assert.ok(d);
      const fix = (await lsp.codeActions(uri, d.range)).find((a) => a.isPreferred);
      assert.ok(fix?.edit);
      assert.equal(fix.command, undefined);
      await lsp.close(uri);
    });
  });

  describe('a client that did not (another editor)', () => {
    let lsp: LspHarness;
    before(async () => { lsp = await LspHarness.start(); });
    after(async () => { await lsp.shutdown(); });

    test('gets text edits that remove every CR, and the result lints clean', async () => {
      const uri = 'untitled:crlf-edit.slurm';
      const p = await lsp.open(uri, 'slurm', CRLF_SCRIPT);
      const d = p.diagnostics.find((x) => x.code === 'SBATCH002');
      assert.ok(d);
      const fix = (await lsp.codeActions(uri, d.range)).find((a) => a.title === 'Convert line endings to LF');
      assert.ok(fix);
      assert.equal(fix.command, undefined);
      const fixed = applyWorkspaceEdit(CRLF_SCRIPT, uri, fix.edit);
      assert.equal(fixed, '#!/bin/bash\n#SBATCH --time=5\necho hi\n');
      const afterFix = await lsp.replaceAll(uri, fixed);
      assert.deepEqual(afterFix.diagnostics, []);
      await lsp.close(uri);
    });
  });
});
