#!/usr/bin/env node
// `npm run package`: builds hpc-jobs-<version>.vsix with @vscode/vsce, then prints what is in it
// and how big it is.
//   node scripts/package.mjs [--out FILE]
//
// vsce runs `vscode:prepublish` (the production esbuild) itself, then packs what the allow-list
// in .vscodeignore names. It is run WITH its npm dependency handling, not --no-dependencies:
// with --no-dependencies vsce skips node_modules/ entirely, and node-pty, a native module that
// cannot be bundled, must ship from node_modules/node-pty. vsce asks `npm list --production`
// for the dependency folders and .vscodeignore keeps node-pty's runtime files only (ssh2,
// vscode-languageclient etc. are inside the bundles).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readVsixEntries } from './vsixEntries.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_BYTES = 5 * 1024 * 1024;
const PTY = join(root, 'node_modules/node-pty');

/** A native file of node-pty inside the .vsix: counted apart from the 5 MB target. */
const isPtyNative = (name) => /node_modules\/node-pty\/.*(\.node|\/spawn-helper)$/.test(name);

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({ options: { out: { type: 'string' } } }).values;
} catch (e) {
  fail(`${e.message}\nusage: node scripts/package.mjs [--out FILE.vsix]`);
}
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = resolve(args.out ?? join(root, `${name}-${version}.vsix`));
if (!out.endsWith('.vsix')) fail(`--out must name a .vsix file, not ${args.out}`);

if (!existsSync(PTY)) fail('node_modules/node-pty is missing: run "npm ci" first');
const thisPlatform = [join(PTY, 'build/Release/pty.node'), join(PTY, `prebuilds/${process.platform}-${process.arch}/pty.node`)];
if (!thisPlatform.some((f) => existsSync(f))) {
  console.warn(`package: warning: node-pty has no build for ${process.platform}-${process.arch} here ` +
    '(npm ci compiles one with node-gyp); terminal runs of this .vsix will fall back to pipes on this platform.');
}
// node-pty's npm tarball has the macOS spawn-helper without its execute bit (its install script
// fixes that only on macOS), and vsce keeps file modes: set it, or an installed extension on a
// Mac could not start a terminal.
for (const arch of ['x64', 'arm64']) {
  const helper = join(PTY, `prebuilds/darwin-${arch}/spawn-helper`);
  if (existsSync(helper) && (statSync(helper).mode & 0o111) !== 0o111) chmodSync(helper, 0o755);
}

const vsce = join(dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
const r = spawnSync(process.execPath, [vsce, 'package', '--out', out], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) fail(`vsce package failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);

const entries = (await readVsixEntries(out)).filter((e) => e.name.startsWith('extension/'));
const groups = new Map();
for (const e of entries) {
  const path = e.name.slice('extension/'.length);
  const group = isPtyNative(e.name) ? 'node-pty native builds'
    : path.startsWith('node_modules/node-pty/') ? 'node-pty JavaScript'
    : path.startsWith('out/') ? 'bundles (out/)'
    : path.split('/').length > 1 ? `${path.split('/')[0]}/` : 'manifest, README, CHANGELOG, LICENSE';
  const g = groups.get(group) ?? { files: 0, size: 0, packed: 0 };
  groups.set(group, { files: g.files + 1, size: g.size + e.size, packed: g.packed + e.compressedSize });
}
const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MB`;
console.log('\nWhat the .vsix holds (unpacked → packed):');
for (const [group, g] of [...groups].sort((a, b) => b[1].packed - a[1].packed)) {
  console.log(`  ${group.padEnd(38)} ${String(g.files).padStart(3)} files  ${mb(g.size).padStart(9)} → ${mb(g.packed).padStart(9)}`);
}
const total = statSync(out).size;
const native = entries.filter((e) => isPtyNative(e.name)).reduce((n, e) => n + e.compressedSize, 0);
const withoutNative = total - native;
const shown = relative(process.cwd(), out).startsWith('..') ? out : relative(process.cwd(), out);
console.log(`\n${shown}: ${mb(total)}; ${mb(withoutNative)} without node-pty's native builds ` +
  `(target: under ${mb(TARGET_BYTES)})`);
if (withoutNative >= TARGET_BYTES) console.warn('package: warning: over the size target — check .vscodeignore');
