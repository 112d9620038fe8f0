#!/usr/bin/env node
// `npm start`: try HPC Jobs with one command.
//   npm start                        build, then lint the example batch scripts and run both π
//                                    examples here through the CLI (no display or browser needed)
//   npm start -- --browser [--port N]
//   npm run start:browser            VS Code in the browser: code-server (installed on demand into
//                                    .tools/, git-ignored) with the extension from this folder and
//                                    the examples/ workspace; prints the address and a password
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: npm start [-- --browser [--port N]]';

function step(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  return r.status ?? 1;
}

let opts;
try {
  opts = parseArgs({ options: { browser: { type: 'boolean' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
} catch (e) {
  console.error(`${e.message}\n${USAGE}`);
  process.exit(2);
}
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = opts.port === undefined ? 0 : Number(opts.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number (0-65535; 0 picks a free one), not "${opts.port}"\n${USAGE}`);
  process.exit(2);
}
if (opts.port !== undefined && !opts.browser) {
  console.error(`--port goes with --browser\n${USAGE}`);
  process.exit(2);
}

const built = step(process.execPath, ['esbuild.mjs']);
if (built !== 0) process.exit(built);
if (!opts.browser) process.exit(step(process.execPath, ['examples/demo.mjs']));
process.exitCode = await browser(port);

/** Runs code-server in the foreground until Ctrl-C; resolves with its exit status. */
async function browser(port) {
  const host = await import('../test/vscode/host.mjs');
  if (host.missingPrerequisites({ browser: false })) {
    console.log(`\nInstalling code-server ${host.CODE_SERVER_VERSION} into .tools/code-server (once; a few minutes)…`);
    const installed = step('bash', ['test/vscode/install-code-server.sh']);
    if (installed !== 0) {
      console.error('\ncode-server could not be installed (see above). `npm start` without --browser runs the examples through the CLI.');
      return installed;
    }
  }
  // Its own state, kept between runs (settings, opened editors) and out of ~/.config and ~/.local.
  const state = join(root, '.tools/code-server-state');
  const dirs = { userData: join(state, 'user-data'), extensions: join(state, 'extensions'), xdgConfig: join(state, 'xdg-config'), xdgData: join(state, 'xdg-data') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const settings = join(dirs.userData, 'User/settings.json');
  if (!existsSync(settings)) {
    mkdirSync(dirname(settings), { recursive: true });
    writeFileSync(settings, JSON.stringify({ 'workbench.startupEditor': 'readme', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoCheckUpdates': false }, null, 2));
  }
  // Loopback is shared by every user of a login node: a password keeps them out of your shell.
  const password = randomBytes(12).toString('base64url');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VSCODE_') && k !== 'ELECTRON_RUN_AS_NODE'));
  Object.assign(env, { PASSWORD: password, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData });
  const workspace = join(root, 'examples');
  // detached: its own process group, so Ctrl-C here ends the server, the extension host and every
  // process a run started, and nothing is left behind.
  const child = spawn(process.execPath, [
    host.CODE_SERVER_ENTRY,
    '--config', join(state, 'config.yaml'),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'password',
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    workspace,
  ], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });

  const stop = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ } };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('exit', stop);

  let output = '';
  let announced = false;
  const onData = (chunk) => {
    if (announced) return;
    output += chunk.toString();
    const m = /HTTP server listening on (https?:\/\/127\.0\.0\.1:\d+)/.exec(output);
    if (!m) return;
    announced = true;
    const origin = m[1];
    const payload = [['extensionDevelopmentPath', `vscode-remote://${new URL(origin).host}${root}`]];
    const url = `${origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    console.log([
      '',
      `HPC Jobs in VS Code (code-server ${host.CODE_SERVER_VERSION}), with the extension from this folder and the examples/ workspace.`,
      'Open in a browser on this machine:',
      '',
      `  ${url}`,
      '',
      `  password: ${password}`,
      '',
      `From another machine: ssh -L ${new URL(origin).port}:127.0.0.1:${new URL(origin).port} <this host>, then open the same address there.`,
      'Ctrl-C stops it.',
    ].join('\n'));
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolveExit) => {
    child.on('exit', (code, signal) => {
      if (!announced) console.error(`code-server stopped before it listened (${signal ?? code}):\n${output}`);
      resolveExit(signal === 'SIGTERM' ? 0 : (code ?? 1));
    });
  });
}
