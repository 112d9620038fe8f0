#!/usr/bin/env node
// `npm run pack:cli`: hpc-jobs-<version>.tgz, the CLI as an npm package that installs with no
// registry (`npm install -g ./hpc-jobs-<version>.tgz`): bin/hpc-jobs.js over the bundles
// out/cli.js and out/mcp.js (loaded by `hpc-jobs mcp` only), with every dependency inside them,
// so the package has none.
//   node scripts/pack-cli.mjs [--out-dir DIR]      (default: the repository root)
//
// Not `npm pack` of the repository: its package.json is the VS Code extension's manifest, whose
// dependencies vsce needs (they would make `npm install -g` fetch them), and vsce refuses a
// `files` list beside .vscodeignore. So the package is staged in out/npm-package with a
// package.json of its own, and `npm pack` runs there. node-pty is not in it: the one CLI
// feature that needs it (`hpc-jobs alloc` on a cluster of this machine) says so.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fail = (message) => { console.error(`pack-cli: ${message}`); process.exit(2); };

let outDir;
try {
  outDir = resolve(parseArgs({ options: { 'out-dir': { type: 'string' } } }).values['out-dir'] ?? root);
} catch (e) {
  fail(`${e.message}\nusage: node scripts/pack-cli.mjs [--out-dir DIR]`);
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const stage = join(root, 'out', 'npm-package');
rmSync(stage, { recursive: true, force: true });
// out/npm-package/out/cli.js and mcp.js (esbuild.mjs's cli-package and mcp-package), minified.
const build = spawnSync(process.execPath, ['esbuild.mjs', '--production', '--only=cli-package,mcp-package'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) fail('building the CLI bundle failed');
mkdirSync(join(stage, 'bin'));
copyFileSync(join(root, 'bin', 'hpc-jobs.js'), join(stage, 'bin', 'hpc-jobs.js'));
for (const f of ['README.md', 'LICENSE', 'CHANGELOG.md']) copyFileSync(join(root, f), join(stage, f));

const { name, version, license, repository, bugs, homepage, keywords } = manifest;
writeFileSync(join(stage, 'package.json'), JSON.stringify({
  name, version,
  description: 'Lint Slurm batch scripts the way sbatch reads them, in a terminal, CI, pre-commit or any LSP editor; run work in parallel here or on a cluster over SSH.',
  license, repository, bugs, homepage, keywords,
  bin: { 'hpc-jobs': 'bin/hpc-jobs.js' },
  files: ['bin/hpc-jobs.js', 'out/cli.js', 'out/mcp.js', 'CHANGELOG.md'],
  engines: { node: manifest.engines.node },
}, null, 2) + '\n');

mkdirSync(outDir, { recursive: true });
const pack = spawnSync('npm', ['pack', '--pack-destination', outDir, '--json'], { cwd: stage, encoding: 'utf8' });
if (pack.status !== 0) fail(`npm pack failed:\n${pack.stderr}`);
const [{ filename, size, entryCount }] = JSON.parse(pack.stdout);
console.log(`pack-cli: ${join(outDir, filename)} (${entryCount} files, ${(size / 1024).toFixed(0)} KB)`);
