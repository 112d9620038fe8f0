/**
 * Workspace trust in a real browser against a real VS Code (code-server + headless chromium via
 * playwright-core), with the extension under development and no test seam. The manifest says
 * `untrustedWorkspaces: limited`: batch scripts are linted in Restricted Mode, nothing runs.
 *   1. the folder opens untrusted ("No, I don't trust the authors"); a batch script with a typo
 *      gets a squiggle and an SBATCH code in the Problems panel;
 *   2. Run in Parallel is not offered by the palette, the editor title or the explorer's context
 *      menu; the CodeLens is absent; the Jobs view explains why;
 *   3. once the folder is trusted, the CodeLens appears and Run in Parallel asks for its target
 *      (Escape: nothing runs).
 * Screenshots go to a temporary folder, or to $HPC_JOBS_SCREENSHOTS.
 *
 * Skips without code-server/chromium unless CI=true.
 *   node --import tsx --test test/integration/untrustedWorkspace.test.ts
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { buildBundles, hostOrSkip, screenshotsDir, openFile, openWorkbench, paletteRow, quickInput, runCommand } from './workbench';



const RUN_IN_PARALLEL = 'HPC Jobs: Run in Parallel';
/** `--tiem` is SBATCH020 (unknown option); the echo is what a run would do. */
const TYPO_SCRIPT = `#!/bin/bash
#SBATCH --job-name=untrusted
#SBATCH --tiem=5
#SBATCH --ntasks=2
echo "this must not run"
`;


test('an untrusted workspace in the browser: linted, never run, until trusted', { timeout: 900_000 }, async (t) => {
  const host = await hostOrSkip(t);
  if (!host) return;
  const shots = screenshotsDir();
  t.diagnostic(`screenshots in ${shots}`);
  const workspace = mkdtempSync(join(tmpdir(), 'hpc-jobs-untrusted-'));
  writeFileSync(join(workspace, 'hello.py'), 'print("this must not run")\n');
  writeFileSync(join(workspace, 'typo.slurm'), TYPO_SCRIPT);

  await buildBundles(host.REPO_ROOT);
  const codeServer = await host.startCodeServer({
    workspace,
    workspaceTrust: true,
    settings: { 'workbench.colorTheme': 'Default Light Modern', 'editor.minimap.enabled': false, 'hpcJobs.lint.slurmVersion': '22.05' },
  });
  let browser: Browser | undefined;
  try {
    const opened = await openWorkbench(host, codeServer.origin, workspace, { developmentPath: host.REPO_ROOT });
    browser = opened.browser;
    const page = opened.page;

    // A failing step leaves a screenshot of what the user would have seen.
    const step = (name: string, fn: () => Promise<void>) => t.test(name, async () => {
      try { await fn(); } catch (err) {
        await page.screenshot({ path: join(shots, `failed-${name.replace(/\W+/g, '-').slice(0, 40)}.png`) }).catch(() => undefined);
        throw err;
      }
    });
    const restricted = page.locator('.statusbar-item', { hasText: 'Restricted Mode' });

    await step('opens the folder in Restricted Mode and lints the batch script there', async () => {
      // code-server 4.100.3 asks at start: "Do you trust the authors of the files in this folder?"
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'Do you trust the authors' });
      await dialog.waitFor({ timeout: 120_000 });
      await page.screenshot({ path: join(shots, 'untrusted-1-trust-dialog.png') });
      await dialog.locator('.monaco-button', { hasText: "No, I don't trust the authors" }).click();
      await dialog.waitFor({ state: 'hidden' });
      await restricted.waitFor({ timeout: 30_000 });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'typo.slurm' }).waitFor({ timeout: 120_000 });

      await openFile(page, 'typo.slurm');
      await page.locator('.view-overlays .squiggly-error').first().waitFor({ timeout: 120_000 });
      await runCommand(page, 'Problems: Focus on Problems View');
      await page.locator('.markers-panel .monaco-list-row', { hasText: /SBATCH020/ }).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(shots, 'untrusted-2-linted.png') });
    });

    await step('does not offer to run anything, and the Jobs view says why', async () => {
      await runCommand(page, 'View: Hide Panel');
      // VS Code drops a command whose `enablement` is false from the palette (it does not grey it
      // out): the palette finds no match and offers "similar commands" instead (the extension's
      // enabled ones), so there is nothing to press Enter on.
      const input = await quickInput(page);
      await input.fill(`>${RUN_IN_PARALLEL}`);
      const noMatch = paletteRow(page, 'similar commands').or(page.locator('.quick-input-message', { hasText: /No matching commands/ }));
      await noMatch.first().waitFor({ timeout: 30_000 });
      assert.equal(await paletteRow(page, RUN_IN_PARALLEL).count(), 0, `"${RUN_IN_PARALLEL}" is not in the palette`);
      await page.screenshot({ path: join(shots, 'untrusted-3-palette.png') });
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });

      // Neither the editor's title bar nor the explorer's context menu offer it.
      await openFile(page, 'hello.py');
      await page.locator('.editor-actions .action-label').first().waitFor();
      assert.equal(await runInParallelAction(page).count(), 0, 'no Run in Parallel button in the editor title');
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'hello.py' }).click({ button: 'right' });
      await page.locator('.monaco-menu .action-label', { hasText: /^Copy Path$/ }).first().waitFor();
      assert.equal(await page.locator('.monaco-menu .action-label', { hasText: /Run in Parallel/ }).count(), 0, 'no Run in Parallel in the explorer menu');
      await page.keyboard.press('Escape');

      await runCommand(page, 'HPC Jobs: Focus on Jobs View');
      await jobsWelcome(page, /Running jobs needs a trusted workspace/).waitFor({ timeout: 60_000 });
      assert.equal(await jobsWelcome(page, /No runs yet/).count(), 0, 'the trusted welcome is hidden');
      await page.screenshot({ path: join(shots, 'untrusted-4-jobs-view.png') });

      // The lens provider registers when a batch script opens, before its lint comes back: the
      // script has been open since step 1, so no lens now means the provider gives none (step 3
      // shows the same provider give one once the folder is trusted).
      await openFile(page, 'typo.slurm');
      await page.locator('.view-overlays .squiggly-error').first().waitFor({ timeout: 60_000 });
      assert.equal(await codeLenses(page).count(), 0, 'no CodeLens over the #SBATCH block in Restricted Mode');
    });

    await step('once trusted, shows the CodeLens and Run in Parallel asks for its target', async () => {
      await runCommand(page, 'Workspaces: Manage Workspace Trust');
      const trust = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
      await trust.waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(shots, 'untrusted-5-manage-trust.png') });
      await trust.click();
      await restricted.waitFor({ state: 'hidden', timeout: 30_000 });

      // The Jobs view now offers to run.
      await runCommand(page, 'HPC Jobs: Focus on Jobs View');
      await jobsWelcome(page, /No runs yet/).waitFor({ timeout: 60_000 });
      assert.equal(await jobsWelcome(page, /Running jobs needs a trusted workspace/).count(), 0);

      await openFile(page, 'typo.slurm');
      await codeLenses(page).filter({ hasText: 'Run locally' }).first().waitFor({ timeout: 60_000 });
      await page.screenshot({ path: join(shots, 'untrusted-6-trusted-lens.png') });

      await openFile(page, 'hello.py');
      await runInParallelAction(page).first().waitFor({ timeout: 30_000 });
      await runCommand(page, RUN_IN_PARALLEL);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Worker pool' }).first().waitFor({ timeout: 120_000 });
      await page.screenshot({ path: join(shots, 'untrusted-7-run-targets.png') });
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      // Nothing ran: the Jobs view still has no runs.
      await jobsWelcome(page, /No runs yet/).waitFor();
    });
  } finally {
    await browser?.close();
    await codeServer.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
});





function codeLenses(page: Page): Locator {
  return page.locator('.monaco-editor .codelens-decoration');
}

function runInParallelAction(page: Page): Locator {
  return page.locator('.editor-actions .action-label[aria-label^="Run in Parallel"]');
}

function jobsWelcome(page: Page, text: RegExp): Locator {
  return page.locator('.welcome-view-content', { hasText: text });
}
