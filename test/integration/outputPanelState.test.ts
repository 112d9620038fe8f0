/**
 * The output panel's page is not kept while its tab is hidden (retainContextWhenHidden: false):
 * shown again, it is rebuilt and restores itself from its saved webview state. In a real VS Code
 * (code-server + headless chromium), with keys and clicks only:
 *   1. run a program that prints 600 lines as a worker pool; in its panel turn Regular
 *      expression on (no search text), scroll up so the panel stops following;
 *   2. hide the panel's tab (another file in its group) and show it again: Regular expression is
 *      still on and the same line is at the top;
 *   3. type a search with Match case on; hide and show: the text, both toggles and the count stay;
 *   4. paste a text longer than the host searches for: the box keeps what it searches, shown again too.
 *
 * Skips without code-server/chromium unless CI=true.
 *   node --import tsx --test test/integration/outputPanelState.test.ts
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { MAX_SEARCH_CHARS } from '../../extension/src/output/outputProtocol';
import { buildBundles, frameWith, frameWithText, hostOrSkip, openFile, openWorkbench, pickItem, runCommand, typeInput } from './workbench';

const LINES = 600;
const PROGRAM = `for i in range(${LINES}):\n    print(f"line {i:03d}")\n`;

/** Position of the top row the panel shows, once it shows lines (not placeholders). */
async function topRow(panel: Frame): Promise<number> {
  const row = panel.locator('#rows .row:not([hidden]):not(.placeholder)').first();
  await row.waitFor();
  return Number(await panel.locator('#rows .row:not([hidden])').first().getAttribute('data-pos'));
}

/** Hides the panel's tab behind another file in its group, shows it again: the page is rebuilt. */
async function hideAndShow(page: Page, panel: Frame): Promise<Frame> {
  // A click in the panel makes its group the active one, where Quick Open opens the file. (Not in
  // the search box: the Escape that opens the quick input would clear it.)
  await panel.locator('#scroller').click();
  await openFile(page, 'notes.txt');
  await page.locator('.tab', { hasText: /^lines\.py — / }).click();
  const shown = await frameWith(page, '#wrap');
  assert.ok(panel.isDetached() && shown !== panel, 'the page was rebuilt, not kept');
  return shown;
}

test('the output panel keeps its search toggles, search and scroll position when hidden and shown', { timeout: 300_000 }, async (t) => {
  const host = await hostOrSkip(t);
  if (!host) return;
  const workspace = mkdtempSync(join(tmpdir(), 'hpc-jobs-panel-state-'));
  writeFileSync(join(workspace, 'lines.py'), PROGRAM);
  writeFileSync(join(workspace, 'notes.txt'), 'another editor for the output panel\'s group\n');
  await buildBundles(host.REPO_ROOT);
  const codeServer = await host.startCodeServer({ workspace, settings: { 'editor.minimap.enabled': false } });
  let browser: Browser | undefined;
  try {
    const opened = await openWorkbench(host, codeServer.origin, workspace, { developmentPath: host.REPO_ROOT });
    browser = opened.browser;
    const page = opened.page;
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 120_000 });

    await openFile(page, 'lines.py');
    await runCommand(page, 'HPC Jobs: Run in Parallel');
    await pickItem(page, 'Worker pool');
    await typeInput(page, '1');
    await frameWithText(page, new RegExp(`line ${LINES - 1}`), 180_000);
    let panel = await frameWith(page, '#wrap');
    await panel.locator('.exit', { hasText: 'worker pool: 0' }).waitFor({ timeout: 60_000 });

    // 1. Regex on, no text; then scroll up: the panel stops following and draws older lines.
    await panel.locator('#searchRegex').click();
    await panel.locator('#searchRegex[aria-pressed="true"]').waitFor();
    await panel.locator('#scroller').hover();
    await page.mouse.wheel(0, -4000);
    await panel.locator('#follow[aria-pressed="false"]').waitFor();
    const top = await topRow(panel);
    assert.ok(top > 0 && top < LINES - 100, `scrolled into the middle (top row ${top})`);

    // 2. Hidden and shown: the page is a new one, restored from its state.
    panel = await hideAndShow(page, panel);
    await panel.locator('#follow[aria-pressed="false"]').waitFor();
    assert.equal(await topRow(panel), top, 'the same line at the top');
    assert.equal(await panel.locator('#searchRegex').getAttribute('aria-pressed'), 'true', 'Regular expression still on');
    assert.equal(await panel.locator('#searchCase').getAttribute('aria-pressed'), 'false', 'Match case still off');

    // 3. A search with both toggles on (the view still not following): all of it comes back.
    await panel.locator('#searchCase').click();
    await panel.locator('#search').fill('line 1[0-4]7');
    await panel.locator('#matchCount', { hasText: '5 found' }).waitFor();
    panel = await hideAndShow(page, panel);
    await panel.locator('#matchCount', { hasText: '5 found' }).waitFor();
    assert.equal(await panel.locator('#search').inputValue(), 'line 1[0-4]7');
    assert.equal(await panel.locator('#searchRegex').getAttribute('aria-pressed'), 'true', 'Regular expression still on');
    assert.equal(await panel.locator('#searchCase').getAttribute('aria-pressed'), 'true', 'Match case still on');
    assert.equal(await topRow(panel), top, 'still the same line at the top');

    // 4. A pasted text longer than the host searches for is cut to what it searches, so the box
    //    shows what was searched, and keeps it.
    await panel.locator('#search').selectText();
    await page.keyboard.insertText('x'.repeat(MAX_SEARCH_CHARS + 200));
    assert.equal((await panel.locator('#search').inputValue()).length, MAX_SEARCH_CHARS, 'the box takes what the host searches');
    await panel.locator('#matchCount', { hasText: 'No results' }).waitFor();
    panel = await hideAndShow(page, panel);
    await panel.locator('#matchCount', { hasText: 'No results' }).waitFor();
    assert.equal((await panel.locator('#search').inputValue()).length, MAX_SEARCH_CHARS, 'the search text kept');
  } finally {
    await browser?.close();
    await codeServer.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
});
