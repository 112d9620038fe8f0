/**
 * Driving the VS Code workbench in a browser the way a person does — keys and clicks on what the
 * screen shows — for the browser tests (browserUserFlow, outputPanelState, untrustedWorkspace, vsixPackage), and
 * getting the host ready (vscodeHost too). Not a test file.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Browser, Frame, Locator, Page } from 'playwright-core';

/** Where missing code-server or chromium is a failure rather than a skip. */
export const browserRequired = process.env.CI === 'true' || process.env.CI === '1' || process.env.HPC_JOBS_REQUIRE_VSCODE === '1';

type Host = typeof import('../vscode/host.mjs', { with: { 'resolution-mode': 'import' } });

/**
 * The host helpers, or undefined when the test was skipped because code-server (or, where
 * `needs.browser`, chromium) is missing; a failure instead where `browserRequired`.
 */
export async function hostOrSkip(t: TestContext, needs: { browser: boolean } = { browser: true }): Promise<Host | undefined> {
  // host.mjs is an ES module (plain Node can run it as a CLI); the tests are CommonJS.
  const host: Host = await import('../vscode/host.mjs');
  const missing = host.missingPrerequisites(needs);
  if (!missing) return host;
  if (browserRequired) assert.fail(`${missing} (required here: CI=true or HPC_JOBS_REQUIRE_VSCODE=1)`);
  t.skip(`${missing}; set HPC_JOBS_REQUIRE_VSCODE=1 to make this a failure`);
  return undefined;
}

/** Where screenshots go: $HPC_JOBS_SCREENSHOTS (docs/screenshots for the README), else a temporary folder. */
export function screenshotsDir(): string {
  const dir = process.env.HPC_JOBS_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'hpc-jobs-shots-'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * `node esbuild.mjs` in the repository (the extension under development loads out/);
 * `tests`: also the in-host Mocha suite (`--tests`).
 */
export function buildBundles(root: string, options: { tests?: boolean } = {}): Promise<void> {
  const args = ['esbuild.mjs', ...(options.tests ? ['--tests'] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`node ${args.join(' ')} failed (${code}):\n${output}`))));
  });
}

/**
 * Headless chromium (the host's) with one page on the workbench of code-server at `origin`,
 * showing `workspace`. `developmentPath`: the extension under development is loaded from there
 * (the repository); without it, only installed extensions run. The caller closes the browser.
 */
export async function openWorkbench(
  host: Host, origin: string, workspace: string, options: { developmentPath?: string; viewport?: { width: number; height: number } } = {},
): Promise<{ browser: Browser; page: Page }> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: host.chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await (await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 860 } })).newPage();
    let url = `${origin}/?folder=${encodeURIComponent(workspace)}`;
    if (options.developmentPath) {
      const payload = [['extensionDevelopmentPath', `vscode-remote://${new URL(origin).host}${options.developmentPath}`]];
      url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    }
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
    return { browser, page };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

/** F1 opens the quick input wherever the focus is (Ctrl+P may go to the browser); without '>' it finds files. */
export async function quickInput(page: Page): Promise<Locator> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor();
  return input;
}

export function paletteRow(page: Page, title: string): Locator {
  return page.locator('.quick-input-list .monaco-list-row', { hasText: title });
}

export async function openFile(page: Page, name: string): Promise<void> {
  const input = await quickInput(page);
  await input.fill(name);
  await paletteRow(page, name).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

export async function runCommand(page: Page, title: string): Promise<void> {
  const input = await quickInput(page);
  await input.fill(`>${title}`);
  await paletteRow(page, title).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

/** Chooses the first item of the open quick pick whose text matches. */
export async function pickItem(page: Page, text: string): Promise<void> {
  const item = paletteRow(page, text).first();
  await item.waitFor({ timeout: 60_000 });
  await item.click();
}

export async function typeInput(page: Page, value: string): Promise<void> {
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor();
  await input.fill(value);
  await page.keyboard.press('Enter');
}

/** Waits until some (webview) frame's document shows text matching `re`. */
export async function frameWithText(page: Page, re: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      const text: string = await frame.evaluate<string>('document.body ? document.body.innerText : ""').catch(() => '');
      if (re.test(text)) return;
    }
    if (Date.now() > deadline) throw new Error(`no frame shows ${re} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The (webview) frame that has an element matching `selector`. */
export async function frameWith(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) if (await frame.locator(selector).count().catch(() => 0)) return frame;
    if (Date.now() > deadline) throw new Error(`no frame has ${selector} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
