/**
 * The .vsix as a user gets it: `scripts/package.mjs` (npm run package) builds it into a temporary
 * folder; it must hold the allow-listed files only (and `vsce ls` must say the same), stay under
 * 5 MB without node-pty's native builds, carry a node-pty that opens a terminal from the unpacked
 * extension, and, installed into code-server with `--install-extension` (no extension under
 * development), lint a batch script in the browser and apply a quick fix.
 *
 * The code-server part is skipped, with the reason, when code-server or chromium is missing —
 * unless CI=true or HPC_JOBS_REQUIRE_VSCODE=1, where that is a failure.
 *
 *   node --import tsx --test test/integration/vsixPackage.test.ts
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { loadPty } from '../../runtimes/src/ptyLoader';
import { hostOrSkip, openFile, openWorkbench, runCommand } from './workbench';

type Vsix = typeof import('../../scripts/vsixEntries.mjs', { with: { 'resolution-mode': 'import' } });

const ROOT = join(__dirname, '../..');
const PTY = 'node_modules/node-pty';
const MB = 1024 * 1024;

/** Runs a command to its end: its standard output, and everything it printed; rejects with that when it fails. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ stdout: string; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve({ stdout, output })
      : reject(new Error(`${[cmd, ...args].join(' ')} failed (${signal ?? code}):\n${output}`))));
  });
}

function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(`${dir}/${d.name}`) : [`${dir}/${d.name}`]);
}

/** node-pty's native files as shipped: the one npm ci built here (Linux) and the macOS prebuilds. */
function ptyNatives(): string[] {
  const candidates = [`${PTY}/build/Release/pty.node`,
    ...['x64', 'arm64'].flatMap((arch) => [`${PTY}/prebuilds/darwin-${arch}/pty.node`, `${PTY}/prebuilds/darwin-${arch}/spawn-helper`])];
  return candidates.filter((f) => existsSync(join(ROOT, f)));
}

/**
 * The client's bundles: out/extension.js, those it loads when first needed (extension/src/lazy/lazyBundle.ts),
 * and the run host's worker (extension/src/run/localLaunch.ts).
 */
const CLIENT_BUNDLES = ['out/extension.js', 'out/languageClient.js', 'out/run.js', 'out/slurm.js', 'out/ssh2.js', 'out/runWorker.js'];

/** What must ship, and nothing else (paths as `vsce ls` prints them). */
function expectedFiles(): string[] {
  return [
    'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE',
    ...CLIENT_BUNDLES, 'out/server.js',
    ...walk('media'),
    ...readdirSync(join(ROOT, 'examples')).filter((f) => /\.(py|slurm)$/.test(f) || f === 'README.md').map((f) => `examples/${f}`),
    `${PTY}/package.json`, `${PTY}/LICENSE`,
    ...walk(`${PTY}/lib`).filter((f) => f.endsWith('.js') && !f.endsWith('.test.js')),
    ...ptyNatives(),
  ].sort();
}

/** Where vsce puts a file inside the .vsix (it renames the README, CHANGELOG and LICENSE). */
function inVsix(path: string): string {
  const renamed: Record<string, string> = { 'README.md': 'readme.md', 'CHANGELOG.md': 'changelog.md', LICENSE: 'LICENSE.txt' };
  return `extension/${renamed[path] ?? path}`;
}

/** Files that must never ship, whatever the allow-list says. */
const FORBIDDEN = /(\.ts|\.map|\.tsbuildinfo)$|^extension\/(test|src|out\/test|out\/types|bin|scripts|\.tools|\.ci)\/|^extension\/node_modules\/(?!node-pty\/)/;

test('the .vsix', { timeout: 600_000 }, async (t) => {
  const vsixLib: Vsix = await import('../../scripts/vsixEntries.mjs');
  const tmp = mkdtempSync(join(tmpdir(), 'hpc-jobs-vsix-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const vsix = join(tmp, 'hpc-jobs.vsix');
  const packaged = (await run(process.execPath, ['scripts/package.mjs', '--out', vsix])).output;
  const sizeLine = /^.*without node-pty's native builds.*$/m.exec(packaged)?.[0];
  assert.ok(sizeLine, `package.mjs prints the size:\n${packaged}`);
  t.diagnostic(sizeLine);
  const unpacked = join(tmp, 'unpacked');
  const entries = await vsixLib.extractVsix(vsix, unpacked);
  const names = entries.map((e) => e.name).sort();

  await t.test('holds the bundles, media, examples and node-pty\'s runtime files, and nothing else', () => {
    assert.deepEqual(names.filter((n) => FORBIDDEN.test(n)), [], 'no sources, source maps, tests or other node_modules');
    const expected = ['[Content_Types].xml', 'extension.vsixmanifest', ...expectedFiles().map(inVsix)].sort();
    assert.deepEqual({ unexpected: names.filter((n) => !expected.includes(n)), missing: expected.filter((n) => !names.includes(n)) },
      { unexpected: [], missing: [] });
    if (process.platform === 'linux') assert.ok(names.includes(`extension/${PTY}/build/Release/pty.node`), 'the node-pty build for this Linux');
    for (const helper of entries.filter((e) => e.name.endsWith('/spawn-helper'))) {
      assert.equal(helper.mode, 0o755, `${helper.name} is executable (macOS starts terminals through it)`);
    }
  });

  await t.test('`vsce ls` lists the same allow-list', async () => {
    const vsce = join(ROOT, 'node_modules/@vscode/vsce/vsce');
    const listed = (await run(process.execPath, [vsce, 'ls'])).stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort();
    assert.deepEqual(listed, expectedFiles());
  });

  await t.test('is under 5 MB without node-pty\'s native builds', () => {
    const native = entries.filter((e) => /\.node$|\/spawn-helper$/.test(e.name)).reduce((n, e) => n + e.compressedSize, 0);
    const total = statSync(vsix).size;
    assert.ok(total - native < 5 * MB, `${((total - native) / MB).toFixed(2)} MB without native builds`);
  });

  await t.test('its bundles need nothing from node_modules but node-pty (ssh2, the language client and server are inside)', () => {
    // What the bundles still require at run time: Node's own modules, `vscode` (the host), ssh2's
    // optional native helpers, each loaded in a try/catch with a pure-JavaScript fallback, and
    // the client's bundle of ssh2 (the others are required by a computed path).
    const optional = new Set(['cpu-features', './crypto/build/Release/sshcrypto.node']);
    const client = ['vscode', './ssh2.js'];
    for (const [bundle, extra] of [...CLIENT_BUNDLES.map((b) => [b, client] as const), ['out/server.js', []] as const]) {
      const code = readFileSync(join(unpacked, 'extension', bundle), 'utf8');
      const required = [...new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!))];
      const outside = required.filter((m) => !isBuiltin(m) && !optional.has(m) && !(extra as readonly string[]).includes(m));
      assert.deepEqual(outside, [], `${bundle} requires only built-in modules${extra.length ? ` and ${extra.join(', ')}` : ''}`);
    }
  });

  await t.test('node-pty, as packed, opens a terminal on this machine', async (st) => {
    if (process.platform !== 'linux') { st.skip('the packed build is Linux-only'); return; }
    const loaded = loadPty(join(unpacked, `extension/${PTY}`));
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.reason);
    const proc = loaded.pty.spawn('/bin/sh', ['-c', 'tty'], { cols: 80, rows: 24 });
    let output = '';
    proc.onData((d) => { output += d; });
    const exit = await new Promise<{ exitCode: number }>((resolve) => proc.onExit(resolve));
    assert.equal(exit.exitCode, 0);
    assert.match(output, /^\/dev\/pts\/\d+/, 'the command ran on a pseudo-terminal');
  });

  await t.test('without a node-pty build for the platform, terminal runs say why', () => {
    const copy = join(tmp, 'no-native');
    cpSync(join(unpacked, `extension/${PTY}`), copy, { recursive: true, filter: (src) => !/\.node$|spawn-helper$/.test(src) });
    const loaded = loadPty(copy);
    assert.equal(loaded.ok, false);
    const reason = loaded.ok ? '' : loaded.reason;
    // Said to someone who installed the extension (no build for their platform), and to a contributor.
    assert.match(reason, /^node-pty could not be loaded \(Failed to load native module: pty\.node.*\): HPC Jobs has no working node-pty build for this platform \(linux-\w+\)/);
    assert.match(reason, /In a development checkout, run "npm install"/);
  });

  await t.test('installed into code-server, it lints a batch script in the browser and fixes it', { timeout: 300_000 }, async (st) => {
    const host = await hostOrSkip(st);
    if (!host) return;
    const extensions = join(tmp, 'extensions');
    // Its own config and data folders: code-server writes a default config.yaml otherwise in ~/.config.
    const installEnv = { ...process.env, XDG_CONFIG_HOME: join(tmp, 'xdg-config'), XDG_DATA_HOME: join(tmp, 'xdg-data') };
    const installed = await run(process.execPath, [host.CODE_SERVER_ENTRY, '--config', join(tmp, 'config.yaml'),
      '--user-data-dir', join(tmp, 'install-user-data'), '--extensions-dir', extensions, '--install-extension', vsix], installEnv);
    assert.match(installed.output, /was successfully installed/);
    const folder = readdirSync(extensions).find((d) => d.startsWith('hpc-jobs.hpc-jobs-'));
    assert.ok(folder, `the extension's folder in ${readdirSync(extensions).join(', ')}`);
    assert.deepEqual(readdirSync(join(extensions, folder, 'node_modules')), ['node-pty'], 'no other node_modules: ssh2 etc. come from the bundle');

    const workspace = join(tmp, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'typo.slurm'), '#!/bin/bash\n#SBATCH --ntasks=2\n#SBATCH --tiem=10\nsrun hostname\n');
    const codeServer = await host.startCodeServer({ workspace, extensionsDir: extensions, settings: { 'editor.minimap.enabled': false } });
    let browser: Browser | undefined;
    try {
      // No development path: the only HPC Jobs here is the one installed from the .vsix.
      const opened = await openWorkbench(host, codeServer.origin, workspace, { viewport: { width: 1280, height: 800 } });
      browser = opened.browser;
      const page = opened.page;
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 120_000 });

      await openFile(page, 'typo.slurm');
      // The language id comes from the installed manifest, the squiggle from its language server.
      await page.locator('.statusbar-item', { hasText: 'Slurm batch script' }).first().waitFor({ timeout: 60_000 });
      await page.locator('.view-overlays .squiggly-error').first().waitFor({ timeout: 120_000 });
      await runCommand(page, 'Problems: Focus on Problems View');
      await page.locator('.markers-panel .monaco-list-row', { hasText: /unrecognized option '--tiem'.*SBATCH020|SBATCH020.*unrecognized/ })
        .first().waitFor({ timeout: 30_000 });

      // Its quick fix, through the command palette: go to the problem, then Quick Fix….
      await page.locator('.monaco-editor .view-lines').first().click();
      await runCommand(page, 'Go to Next Problem in Files (Error, Warning, Info)');
      await runCommand(page, 'Quick Fix...');
      await chooseAction(page, /Change to --time/);
      await page.locator('.view-line', { hasText: /--time=10/ }).first().waitFor({ timeout: 30_000 });
      await page.locator('.view-overlays .squiggly-error').first().waitFor({ state: 'detached', timeout: 60_000 });
    } catch (err) {
      const shot = join(tmpdir(), `hpc-jobs-vsix-failure-${Date.now()}.png`);
      await browser?.contexts()[0]?.pages()[0]?.screenshot({ path: shot }).catch(() => undefined);
      st.diagnostic(`screenshot: ${shot}; code-server said:\n${codeServer.output()}`);
      throw err;
    } finally {
      await browser?.close();
      await codeServer.stop();
    }
  });
});

/** Applies the item of the open code-action menu whose label matches, by keyboard (its pointer block eats clicks). */
async function chooseAction(page: Page, label: RegExp): Promise<void> {
  const rows = page.locator('.action-widget .monaco-list-row.action');
  await rows.filter({ hasText: label }).first().waitFor({ timeout: 30_000 });
  const count = await rows.count();
  for (let i = 0; i <= count; i++) {
    const focused = await page.locator('.action-widget .monaco-list-row.action.focused').first().textContent();
    if (focused && label.test(focused)) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  assert.fail(`no code action matching ${label} could be focused`);
}
