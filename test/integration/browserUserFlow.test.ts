/**
 * What a new user does, in a real browser against a real VS Code (code-server + headless
 * chromium driven by playwright-core), with the extension under development and no test seam:
 * only keys, clicks and what the screen shows. The workspace is the examples folder.
 *   1. F1 → "Open Example Batch Script": the job_MPI.slurm that is there opens, and the
 *      walkthrough's first step is ticked;
 *   2. open distributed.py, F1 → "Run in Parallel" → worker pool → 4 → π in the output panel; Wrap;
 *   3. open the seed page's MPI batch script → squiggles, and a hover on a directive;
 *   4. job_MPI.slurm → "Run locally" with an interpreter that lacks mpi4py: the notice says so
 *      and offers /usr/bin/python3; after that button, the run succeeds;
 *   5. submit a job to the real test cluster, see it in the Jobs view, cancel it from its context
 *      menu, after the confirmation;
 *   6. submit a job that fails: a notification says how it ended and what it used; Show Output.
 * The README's screenshots go to a temporary folder, or to $HPC_JOBS_SCREENSHOTS (docs/screenshots
 * for the README); the others (and those of a failed step) to a temporary folder.
 *
 * Skips without code-server/chromium (or without the test cluster for step 3) unless CI=true.
 *   node --import tsx --test test/integration/browserUserFlow.test.ts
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import { clusterAvailability, knownHostsFor } from '../cluster/slurmTestCluster';
import { browserRequired, buildBundles, hostOrSkip, screenshotsDir, frameWith, frameWithText, openFile, openWorkbench, pickItem, runCommand, typeInput } from './workbench';



/** The seed page's MPI batch script, as printed there (with its mistakes). */
const SEED_MPI_SCRIPT = `#!/bin/bash
#SBATCH -A j<proj>
#SBATCH -p devel
#SBATCH --job-name=MPI_py        # create a short name for your job
#SBATCH --nodes=1                # node count
#SBATCH --ntasks=20              # total number of tasks across all nodes
#SBATCH --cpus-per-task=1        # cpu-cores per task (>1 if multi-threaded tasks)
#SBATCH --time=00:05:00          # total run time limit (HH:MM:SS)
#SBATCH --mail-type=begin        # send email when job begins
#SBATCH --mail-type=end          # send email when job ends
module load python/3.9.5
module load gcc/9.3.0 openmpi/3.1.5
mpirun -n 20 python pythonMPI.py
`;

// A name of its own per run: the tree also lists jobs found in the queue (an earlier run's, say).
const SLEEP_NAME = `e2e-sleep-${process.pid}`;
const SLEEP_SCRIPT = `#!/bin/bash
#SBATCH --job-name=${SLEEP_NAME}
#SBATCH --ntasks=1
#SBATCH --time=5
#SBATCH --output=e2e-sleep-%j.out
echo started on $(hostname)
sleep 300
`;
const FAIL_NAME = `e2e-fail-${process.pid}`;
const FAIL_SCRIPT = `#!/bin/bash
#SBATCH --job-name=${FAIL_NAME}
#SBATCH --time=1
#SBATCH --output=e2e-fail-%j.out
echo working on it
sleep 14
exit 3
`;



const cluster = clusterAvailability();
/** Debian's interpreter has mpi4py (see test-infrastructure.md); the notice offers it. */
const SYSTEM_PYTHON = '/usr/bin/python3';

test('a new user in the browser', { timeout: 900_000 }, async (t) => {
  const host = await hostOrSkip(t);
  if (!host) return;
  const shots = screenshotsDir();
  // What the README does not show goes to a folder of its own.
  const moreShots = mkdtempSync(join(tmpdir(), 'hpc-jobs-e2e-shots-'));
  const workspace = mkdtempSync(join(tmpdir(), 'hpc-jobs-e2e-'));
  const sshDir = mkdtempSync(join(tmpdir(), 'hpc-jobs-e2e-ssh-'));
  for (const f of readdirSync(join(host.REPO_ROOT, 'examples'))) {
    if (/\.(py|slurm)$/.test(f)) copyFileSync(join(host.REPO_ROOT, 'examples', f), join(workspace, f));
  }
  writeFileSync(join(workspace, 'seed_job_MPI.slurm'), SEED_MPI_SCRIPT);
  writeFileSync(join(workspace, `${SLEEP_NAME}.slurm`), SLEEP_SCRIPT);
  writeFileSync(join(workspace, `${FAIL_NAME}.slurm`), FAIL_SCRIPT);
  // The interpreter a new user has selected: a Python 3 without mpi4py (a venv of the system's, without its packages).
  const venv = mkdtempSync(join(tmpdir(), 'hpc-jobs-e2e-venv-'));
  const madeVenv = existsSync(SYSTEM_PYTHON) && spawnSync(SYSTEM_PYTHON, ['-m', 'venv', '--without-pip', venv]).status === 0;

  const settings: Record<string, unknown> = {
    'workbench.colorTheme': 'Default Light Modern',
    'editor.minimap.enabled': false,
    'hpcJobs.lint.slurmVersion': '22.05',
    // A word for runs of 10 s or more: the failing job of the last step (the earlier runs are shorter).
    'hpcJobs.jobs.notifyAfterSeconds': 10,
    ...(madeVenv ? { 'hpcJobs.python.interpreter': join(venv, 'bin', 'python') } : {}),
  };
  if (cluster.env) {
    settings['hpcJobs.clusters'] = [{
      name: 'test', ssh: `${cluster.env.user}@${cluster.env.host}:${cluster.env.port}`,
      identityFile: cluster.env.key, knownHostsFiles: [knownHostsFor(cluster.env, sshDir)], pollIntervalMs: 1000,
    }];
  }
  await buildBundles(host.REPO_ROOT);
  const codeServer = await host.startCodeServer({ workspace, settings });
  let browser: Browser | undefined;
  try {
    const opened = await openWorkbench(host, codeServer.origin, workspace, { developmentPath: host.REPO_ROOT });
    browser = opened.browser;
    const page = opened.page;
    // The explorer is populated once the remote file system answers.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 120_000 });

    // A failing step leaves a screenshot of what the user would have seen.
    const step = (name: string, fn: (st: TestContext) => Promise<void>) => t.test(name, async (st) => {
      try { await fn(st); } catch (err) {
        await page.screenshot({ path: join(moreShots, `failed-${name.replace(/\W+/g, '-').slice(0, 40)}.png`) }).catch(() => undefined);
        throw err;
      }
    });

    await step('the walkthrough opens the example that is in the workspace, and ticks its first step', async () => {
      await runCommand(page, 'Welcome: Open Walkthrough...');
      await pickItem(page, 'Get started with HPC Jobs');
      const first = page.locator('.getting-started-step', { hasText: 'Catch batch-script mistakes' }).first();
      await first.waitFor({ timeout: 60_000 });
      await first.click();
      await page.locator('.getting-started-step .monaco-button, .getting-started-step a', { hasText: 'Open an Example Script' }).first().click();
      // The file in the workspace, not an unsaved copy (which would be marked dirty).
      await page.locator('.tab.active', { hasText: /^job_MPI\.slurm/ }).waitFor();
      assert.equal(await page.locator('.tab.active.dirty').count(), 0, 'the file that is there, not an unsaved copy');
      await page.locator('.tab', { hasText: 'Walkthrough' }).first().click();
      await first.locator('.codicon-getting-started-step-checked').first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(moreShots, 'walkthrough.png') });
      await runCommand(page, 'View: Close All Editors');
    });

    await step('runs distributed.py as a worker pool of 4 and shows π in the output panel; Wrap wraps', async () => {
      await openFile(page, 'distributed.py');
      await runCommand(page, 'HPC Jobs: Run in Parallel');
      await pickItem(page, 'Worker pool');
      await typeInput(page, '4');
      await frameWithText(page, /pi estimate: 3\.1\d+ \(\d+ samples, 4 workers/, 180_000);
      const panel = await frameWith(page, '#wrap');
      // A clean run: the [hpc-jobs] notes are not stderr (no red bar, no "stderr" filter); the chip names the pool.
      assert.equal(await panel.locator('.row.err').count(), 0, 'no stderr marks on a clean run');
      assert.equal(await panel.locator('#filter option[value="stderr"]').count(), 0);
      await panel.locator('.exit', { hasText: 'worker pool: 0' }).waitFor();
      await panel.locator('#wrap').click();
      await panel.locator('body.wrap').waitFor();
      await page.screenshot({ path: join(shots, 'run-pool.png') });
    });

    await step('shows squiggles and a hover on the seed page\'s MPI batch script', async () => {
      // The script alone, full width (the output column comes back with the next run).
      await runCommand(page, 'View: Close All Editors');
      await openFile(page, 'seed_job_MPI.slurm');
      await page.locator('.view-overlays .squiggly-error, .view-overlays .squiggly-warning').first().waitFor({ timeout: 60_000 });
      // The CodeLens over the #SBATCH block pushes the lines down when it comes: hover after it.
      await page.locator('.monaco-editor .codelens-decoration', { hasText: 'Run locally' }).first().waitFor({ timeout: 60_000 });
      // Hover the --ntasks directive: the hover documents the option.
      await page.locator('.view-lines').getByText('--ntasks').first().hover();
      await page.locator('.monaco-hover-content').filter({ hasText: /task/i }).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(shots, 'lint-hover.png') });
      await page.keyboard.press('Escape');
      await runCommand(page, 'Problems: Focus on Problems View');
      await page.locator('.markers-panel .monaco-list-row', { hasText: /SBATCH\d{3}/ }).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(shots, 'problems.png') });
    });

    await step('runs job_MPI.slurm here: the notice says its Python lacks mpi4py, and its button fixes that', async (st) => {
      if (!madeVenv) {
        if (browserRequired) assert.fail(`no ${SYSTEM_PYTHON} to make a venv from (browserRequired here)`);
        st.skip(`no ${SYSTEM_PYTHON} to make a venv from`);
        return;
      }
      if (await page.locator('.part.panel').isVisible()) await runCommand(page, 'View: Hide Panel');
      // From the explorer, into the first group (the output column is the second): Quick Open
      // would rank the recently opened seed_job_MPI.slurm first.
      await runCommand(page, 'View: Focus First Editor Group');
      await runCommand(page, 'File: Focus on Files Explorer');
      await page.locator('.explorer-folders-view .monaco-list-row').getByText('job_MPI.slurm', { exact: true }).click();
      await page.locator('.tab.active', { hasText: /^job_MPI\.slurm/ }).waitFor();
      const runLocally = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration').getByText('Run locally').first();
      await runLocally.click({ timeout: 60_000 });
      const notice = page.locator('.notifications-toasts .notification-toast', { hasText: 'cannot import mpi4py' }).first();
      await notice.waitFor({ timeout: 180_000 });
      await frameWithText(page, /No module named 'mpi4py'/, 60_000);
      await page.screenshot({ path: join(shots, 'mpi-notice.png') });
      await notice.locator('.monaco-button', { hasText: `Use ${SYSTEM_PYTHON}` }).click();
      await page.locator('.notifications-toasts .notification-toast', { hasText: `Local runs now use ${SYSTEM_PYTHON}` }).first().waitFor({ timeout: 30_000 });
      await runLocally.click();
      await frameWithText(page, /ranks: 4, estimate: 3\.\d+/, 180_000);
      // Wrap, pressed in the pool run's panel, is remembered: this panel opened wrapped.
      const wrapped = await Promise.all(page.frames().map((f) => f.evaluate<boolean>(
        "/ranks: 4, estimate/.test(document.body ? document.body.innerText : '') && document.body.classList.contains('wrap')").catch(() => false)));
      assert.ok(wrapped.includes(true), 'the new panel opened with Wrap on');
      // One output column: both runs' panels are in the group beside the script, no third one.
      assert.equal(await page.locator('.editor-group-container').count(), 2, 'two editor groups');
      await page.screenshot({ path: join(moreShots, 'mpi-run.png') });
    });

    await step('submits to the test cluster, follows the job in the tree and cancels it from its context menu', async (st) => {
      if (!cluster.env) {
        if (browserRequired) assert.fail(`no cluster: ${cluster.reason} (browserRequired here)`);
        st.skip(`no cluster: ${cluster.reason}`);
        return;
      }
      // (the Problems panel the step before opened; the command is offered only while a panel shows)
      if (await page.locator('.part.panel').isVisible()) await runCommand(page, 'View: Hide Panel');
      await runCommand(page, 'View: Focus First Editor Group');
      await openFile(page, `${SLEEP_NAME}.slurm`);
      await runCommand(page, 'HPC Jobs: Submit Batch Script');
      await runCommand(page, 'HPC Jobs: Focus on Jobs View');
      const row = page.locator('.monaco-list-row', { hasText: SLEEP_NAME }).first();
      await row.waitFor({ timeout: 60_000 });
      await page.locator('.monaco-list-row', { hasText: new RegExp(`${SLEEP_NAME}.*running`, 'i') }).first().waitFor({ timeout: 90_000 });
      await frameWithText(page, /started on /, 60_000);
      await page.screenshot({ path: join(shots, 'job-tree.png') });
      await row.click({ button: 'right' });
      // Monaco's context menu acts on the focused item: hover gives it focus, Enter runs it
      // (a click sometimes lands while the menu is still laying out).
      await page.locator('.monaco-menu .action-label', { hasText: /^Cancel$/ }).first().hover();
      await page.keyboard.press('Enter');
      // A Slurm job is asked about first, with how long it has run.
      const dialog = page.locator('.monaco-dialog-box', { hasText: /Cancel job \d+ \(.+\) on test\? It (has run|is running|is pending)/ });
      await dialog.waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(shots, 'cancel-confirm.png') });
      await dialog.locator('.monaco-button', { hasText: /^Cancel Job$/ }).click();
      await page.locator('.monaco-list-row', { hasText: new RegExp(`${SLEEP_NAME}.*cancel`, 'i') }).first().waitFor({ timeout: 60_000 });
    });

    await step('a job that fails while the user works on: a notification says how it went, Show Output opens it', async (st) => {
      if (!cluster.env) {
        if (browserRequired) assert.fail(`no cluster: ${cluster.reason} (browserRequired here)`);
        st.skip(`no cluster: ${cluster.reason}`);
        return;
      }
      await runCommand(page, 'View: Focus First Editor Group');
      await openFile(page, `${FAIL_NAME}.slurm`);
      await runCommand(page, 'HPC Jobs: Submit Batch Script');
      const toast = page.locator('.notification-toast', { hasText: new RegExp(`${FAIL_NAME}\\.slurm \\(job \\d+ on "test"\\) failed after \\d+s, exit code 3`) });
      await toast.waitFor({ timeout: 120_000 });
      await page.screenshot({ path: join(shots, 'job-ended.png') });
      await toast.locator('.monaco-button', { hasText: /^Show Output$/ }).click();
      await frameWithText(page, /working on it/, 30_000);
      // The panel's header says how it went, as the notification did.
      await frameWithText(page, /FAILED with exit code 3 · CPU \d+% · mem [\d.]+\/\d+ MiB/, 30_000);
    });
  } finally {
    await browser?.close();
    await codeServer.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(sshDir, { recursive: true, force: true });
    rmSync(venv, { recursive: true, force: true });
    t.diagnostic(`screenshots: ${shots}; the others: ${moreShots}`);
  }
});






