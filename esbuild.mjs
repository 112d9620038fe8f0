// Bundles the extension client, the language server and the CLI into out/.
//   node esbuild.mjs               development build (sourcemaps linked)
//   node esbuild.mjs --production  minified
//   node esbuild.mjs --watch       rebuild on change
//   node esbuild.mjs --tests       also the in-VS-Code Mocha suite (out/test/vscode/...)
// Typechecking is `tsc -b`'s job; esbuild only strips types.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');

/** @type {import('esbuild').BuildOptions} */
const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  minify: production,
  logLevel: 'warning',
  // keep class and function names readable in stack traces even when minified
  keepNames: true,
  // ssh2's optional native addons: it falls back to pure JavaScript when they are absent,
  // and esbuild has no loader for .node files.
  external: ['cpu-features', '*.node'],
};

/** @type {{ name: string, entry: string, outfile: string, options?: import('esbuild').BuildOptions }[]} */
const bundles = [
  // The client: `vscode` is provided by the extension host.
  { name: 'extension', entry: 'extension/src/extension.ts', outfile: 'out/extension.js', options: { external: ['vscode', 'cpu-features', '*.node'] } },
  // The language server runs in a plain Node process: everything bundled.
  { name: 'server', entry: 'server/src/server.ts', outfile: 'out/server.js' },
  { name: 'cli', entry: 'cli/src/main.ts', outfile: 'out/cli.js' },
];

/** The Mocha suite that runs inside a real extension host (see test/vscode/host.mjs). */
async function testBundles() {
  const dir = 'test/vscode/suite';
  const files = (await readdir(join(root, dir))).filter((f) => f === 'index.ts' || f.endsWith('.test.ts'));
  return files.map((f) => ({
    name: `test:${f}`,
    entry: join(dir, f),
    outfile: join('out', dir, f.replace(/\.ts$/, '.js')),
    // Tests run from the repository only: mocha, glob etc. load from node_modules at run time.
    options: { external: ['vscode'], packages: /** @type {const} */ ('external') },
  }));
}

async function main() {
  const all = [...bundles, ...(tests ? await testBundles() : [])];
  const contexts = [];
  for (const b of all) {
    if (!existsSync(join(root, b.entry))) {
      console.warn(`esbuild: skipping ${b.name}: ${b.entry} does not exist yet`);
      continue;
    }
    contexts.push(
      await esbuild.context({ ...common, ...b.options, entryPoints: [b.entry], outfile: b.outfile }),
    );
  }
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    console.log(`esbuild: watching ${contexts.length} bundle(s)`);
    return;
  }
  try {
    const results = await Promise.all(contexts.map((c) => c.rebuild()));
    const errors = results.reduce((n, r) => n + r.errors.length, 0);
    if (errors === 0) {
      console.log(`esbuild: built ${contexts.length} bundle(s)${production ? ' (production)' : ''} into ${relative(process.cwd(), join(root, 'out')) || 'out'}/`);
    }
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}

main().catch((err) => {
  // esbuild has already printed the diagnostics of a failed build
  if (!(err && Array.isArray(err.errors))) console.error(err);
  process.exitCode = 1;
});
