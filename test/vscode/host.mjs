// A real VS Code extension host without a download: code-server (VS Code 1.100.3, installed by
// install-code-server.sh into .tools/code-server) serves the workbench, headless Debian chromium
// (driven by playwright-core) opens it with the extension under development and a Mocha suite,
// and the suite's exit code comes back through `window.codeAutomationExit`, the hook VS Code's
// web workbench calls when extension tests end (the same contract as @vscode/test-web).
//
// Library: see host.d.mts. CLI (after `node esbuild.mjs --tests`):
//   node test/vscode/host.mjs [--keep]     runs out/test/vscode/suite/index.js, exits with its code
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_ENTRY = join(REPO_ROOT, '.tools/code-server/node_modules/code-server/out/node/entry.js');
export const WORKSPACE = join(REPO_ROOT, 'test/vscode/workspace');
export const SUITE = join(REPO_ROOT, 'out/test/vscode/suite/index.js');

/** User settings of the throwaway profile: nothing may pop up, update, or phone home. */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'git.enabled': false,
};

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export function chromiumPath() {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/** Why the host tests cannot run here, or undefined when they can. `browser: false`: code-server only. */
export function missingPrerequisites({ browser = true } = {}) {
  if (!existsSync(CODE_SERVER_ENTRY)) {
    return `code-server is not installed (run test/vscode/install-code-server.sh; expected ${CODE_SERVER_ENTRY})`;
  }
  if (browser && !existsSync(chromiumPath())) {
    return `chromium is missing at ${chromiumPath()} (apt-get install chromium, or set CHROMIUM_PATH)`;
  }
  return undefined;
}

/**
 * Starts code-server on a free loopback port (it binds port 0 and reports the port it got),
 * with all its state in a fresh temporary folder. It runs in a session of its own (setsid, via
 * `detached`), so stop() ends the whole process group: server, extension host, pty host, watchers.
 */
export async function startCodeServer({ workspace = WORKSPACE, log = () => {}, startTimeoutMs = 60_000, settings = {}, extensionsDir, workspaceTrust = false } = {}) {
  const state = await mkdtemp(join(tmpdir(), 'hpc-jobs-vscode-'));
  const dirs = {
    userData: join(state, 'user-data'),
    extensions: extensionsDir ?? join(state, 'extensions'),
    xdgConfig: join(state, 'xdg-config'),
    xdgData: join(state, 'xdg-data'),
    xdgCache: join(state, 'xdg-cache'),
  };
  await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true })));
  await mkdir(join(dirs.userData, 'User'), { recursive: true });
  // Trust off by default: tests run in a folder they made. `workspaceTrust: true` asks, as VS Code does.
  const trust = workspaceTrust ? { 'security.workspace.trust.enabled': true } : {};
  await writeFile(join(dirs.userData, 'User/settings.json'), JSON.stringify({ ...USER_SETTINGS, ...trust, ...settings }, null, 2));

  // A VS Code terminal running these tests leaks VSCODE_* variables that would make the
  // server think it is nested; start from a clean environment.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VSCODE_') && k !== 'ELECTRON_RUN_AS_NODE'));
  Object.assign(env, { XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData, XDG_CACHE_HOME: dirs.xdgCache });

  const child = spawn(process.execPath, [
    CODE_SERVER_ENTRY,
    '--config', join(state, 'config.yaml'),
    '--bind-addr', '127.0.0.1:0',
    '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', ...(workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    workspace,
  ], { cwd: state, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });

  let output = '';
  let exited = false;
  const exit = new Promise((res) => child.once('exit', (code, signal) => { exited = true; res({ code, signal }); }));
  const port = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`code-server did not start in ${startTimeoutMs} ms:\n${output}`)), startTimeoutMs);
    const onData = (chunk) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) log(`[code-server] ${line}`);
      const m = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) { clearTimeout(timer); res(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exit.then(({ code, signal }) => { clearTimeout(timer); rej(new Error(`code-server exited (${signal ?? code}) before listening:\n${output}`)); });
  }).catch(async (err) => { await stopGroup(child.pid, exit, () => exited); await rm(state, { recursive: true, force: true }); throw err; });

  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    state,
    output: () => output,
    async stop({ keepState = false } = {}) {
      await stopGroup(child.pid, exit, () => exited);
      if (!keepState) await rm(state, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** SIGTERM to the process group, SIGKILL after a grace period; resolves when the leader is gone. */
async function stopGroup(pid, exit, hasExited, graceMs = 5000) {
  const kill = (sig) => { try { process.kill(-pid, sig); } catch { /* already gone */ } };
  if (hasExited()) { kill('SIGKILL'); return; } // the leader is gone; take any stragglers with it
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), graceMs);
  await exit;
  clearTimeout(timer);
  kill('SIGKILL');
}

/**
 * Opens the workbench in headless chromium with the extension under development and runs the
 * Mocha suite at `extensionTestsPath` in its extension host. Resolves with the suite's exit code
 * (0: all passed) and everything the host logged.
 */
export async function runExtensionTests({
  origin,
  extensionDevelopmentPath = REPO_ROOT,
  extensionTestsPath = SUITE,
  workspace = WORKSPACE,
  timeoutMs = 180_000,
  log = (line) => console.log(line),
}) {
  const { chromium } = await import('playwright-core');
  const authority = new URL(origin).host;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDevelopmentPath}`],
    ['extensionTestsPath', `vscode-remote://${authority}${extensionTestsPath}`],
  ];
  const url = `${origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const home = await mkdtemp(join(tmpdir(), 'hpc-jobs-chromium-'));
  const lines = [];
  const emit = (line) => { lines.push(line); log(line); };
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') },
  });
  try {
    const page = await (await browser.newContext()).newPage();
    let resolveExit;
    const exited = new Promise((res) => { resolveExit = res; });
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    // The extension host's console (Mocha's reporter included) arrives here.
    await page.exposeFunction('codeAutomationLog', (_type, args) => emit(format(...(args ?? []))));
    page.on('pageerror', (err) => emit(`[page error] ${err.message}`));
    await page.goto(url);
    let timer;
    const timedOut = new Promise((res) => { timer = setTimeout(() => res('timeout'), timeoutMs); });
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (code === 'timeout') emit(`extension tests did not finish in ${timeoutMs} ms`);
    return { exitCode: typeof code === 'number' ? code : 1, timedOut: code === 'timeout', output: lines.join('\n') };
  } finally {
    await browser.close();
    await rm(home, { recursive: true, force: true, maxRetries: 3 });
  }
}

// CLI
async function main() {
  const keep = process.argv.includes('--keep');
  const missing = missingPrerequisites();
  if (missing) { console.error(missing); return 2; }
  if (!existsSync(SUITE)) { console.error(`${SUITE} not built: run node esbuild.mjs --tests`); return 2; }
  const t0 = Date.now();
  const cs = await startCodeServer({ log: process.env.VERBOSE ? console.log : () => {} });
  let exitCode = 1;
  try {
    console.log(`code-server ${CODE_SERVER_VERSION} on ${cs.origin} (state ${cs.state})`);
    ({ exitCode } = await runExtensionTests({ origin: cs.origin }));
  } finally {
    await cs.stop({ keepState: keep });
  }
  console.log(`extension tests: exit ${exitCode} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return exitCode;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then((code) => { process.exitCode = code; }, (err) => { console.error(err); process.exitCode = 1; });
}
