/**
 * What a new user does, in a real browser against a real VS Code (code-server + headless
 * chromium driven by playwright-core), with the extension under development and no test seam:
 * only keys, clicks and what the screen shows.
 *   1. open examples' distributed.py, F1 → "Run in Parallel" → worker pool → 4 → π in the output panel;
 *   2. open the seed page's MPI batch script → squiggles, and a hover on a directive;
 *   3. submit a job to the real test cluster, see it in the Jobs view, cancel it from its context menu.
 * Screenshots go to a temporary folder, or to $HPC_JOBS_SCREENSHOTS (docs/screenshots for the README).
 *
 * Skips without code-server/chromium (or without the test cluster for step 3) unless CI=true.
 *   node --import tsx --test test/integration/browserUserFlow.test.ts
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import { clusterAvailability, knownHostsFor } from '../cluster/slurmTestCluster';
import { browserRequired, buildBundles, hostOrSkip, screenshotsDir, frameWithText, openFile, openWorkbench, pickItem, runCommand, typeInput } from './workbench';



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


const cluster = clusterAvailability();

test('a new user in the browser', { timeout: 900_000 }, async (t) => {
  const host = await hostOrSkip(t);
  if (!host) return;
  const shots = screenshotsDir();
  const workspace = mkdtempSync(join(tmpdir(), 'hpc-jobs-e2e-'));
  const sshDir = mkdtempSync(join(tmpdir(), 'hpc-jobs-e2e-ssh-'));
  for (const f of readdirSync(join(host.REPO_ROOT, 'examples'))) {
    if (/\.(py|slurm)$/.test(f)) copyFileSync(join(host.REPO_ROOT, 'examples', f), join(workspace, f));
  }
  writeFileSync(join(workspace, 'seed_job_MPI.slurm'), SEED_MPI_SCRIPT);
  writeFileSync(join(workspace, `${SLEEP_NAME}.slurm`), SLEEP_SCRIPT);

  const settings: Record<string, unknown> = {
    'workbench.colorTheme': 'Default Light Modern',
    'editor.minimap.enabled': false,
    'hpcJobs.lint.slurmVersion': '22.05',
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
        await page.screenshot({ path: join(shots, `failed-${name.replace(/\W+/g, '-').slice(0, 40)}.png`) }).catch(() => undefined);
        throw err;
      }
    });

    await step('runs distributed.py as a worker pool of 4 and shows π in the output panel', async () => {
      await openFile(page, 'distributed.py');
      await runCommand(page, 'HPC Jobs: Run in Parallel');
      await pickItem(page, 'Worker pool');
      await typeInput(page, '4');
      await frameWithText(page, /pi estimate: 3\.1\d+ \(\d+ samples, 4 workers/, 180_000);
      await page.screenshot({ path: join(shots, 'run-pool.png') });
    });

    await step('shows squiggles and a hover on the seed page\'s MPI batch script', async () => {
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

    await step('submits to the test cluster, follows the job in the tree and cancels it from its context menu', async (st) => {
      if (!cluster.env) {
        if (browserRequired) assert.fail(`no cluster: ${cluster.reason} (browserRequired here)`);
        st.skip(`no cluster: ${cluster.reason}`);
        return;
      }
      // (the Problems panel the step before opened; the command is offered only while a panel shows)
      if (await page.locator('.part.panel').isVisible()) await runCommand(page, 'View: Hide Panel');
      await openFile(page, `${SLEEP_NAME}.slurm`);
      await runCommand(page, 'HPC Jobs: Submit Batch Script');
      await runCommand(page, 'HPC Jobs: Focus on Jobs View');
      const row = page.locator('.monaco-list-row', { hasText: SLEEP_NAME }).first();
      await row.waitFor({ timeout: 60_000 });
      await page.locator('.monaco-list-row', { hasText: new RegExp(`${SLEEP_NAME}.*running`, 'i') }).first().waitFor({ timeout: 90_000 });
      await page.screenshot({ path: join(shots, 'job-tree.png') });
      await row.click({ button: 'right' });
      // Monaco's context menu acts on the focused item: hover gives it focus, Enter runs it
      // (a click sometimes lands while the menu is still laying out).
      await page.locator('.monaco-menu .action-label', { hasText: /^Cancel$/ }).first().hover();
      await page.keyboard.press('Enter');
      await page.locator('.monaco-list-row', { hasText: new RegExp(`${SLEEP_NAME}.*cancel`, 'i') }).first().waitFor({ timeout: 60_000 });
    });
  } finally {
    await browser?.close();
    await codeServer.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(sshDir, { recursive: true, force: true });
  }
});






