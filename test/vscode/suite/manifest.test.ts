/**
 * The manifest and the code agree: every command package.json declares is registered once the
 * extension is active (the run area's lazily, by a stand-in that loads it), and the extension
 * registers no hpcJobs command the manifest does not declare (it would have no title, no
 * category and no `when`).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'hpc-jobs.hpc-jobs';

suite('Manifest', () => {
  test('the commands declared and the commands registered are the same set', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    await ext.activate();
    const declared = ((ext.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands).map((c) => c.command).sort();
    // VS Code adds `<view id>.focus` and friends for each contributed view: not ours to declare.
    const registered = (await vscode.commands.getCommands(true))
      .filter((c) => c.startsWith('hpcJobs.') && !/^hpcJobs\.jobs\.(focus|resetViewLocation|removeView|toggleVisibility|open)$/.test(c)).sort();
    assert.deepEqual(registered, declared);
  });
});
