// Bundles the extension client, the language server and the CLI into out/. The client is
// several bundles: out/extension.js, what activation runs, and the parts it requires from out/
// when first needed (extension/src/lazy/lazyBundle.ts), since esbuild cannot split CommonJS output.
//   node esbuild.mjs               development build (sourcemaps linked)
//   node esbuild.mjs --production  minified
//   node esbuild.mjs --watch       rebuild on change
//   node esbuild.mjs --tests       also the in-VS-Code Mocha suite (out/test/vscode/...)
//   node esbuild.mjs --only=A,B    these bundles by name (scripts/pack-cli.mjs: cli-package,mcp-package)
// Typechecking is `tsc -b`'s job; esbuild only strips types.
import * as esbuild from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');
const only = [...args].find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

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

/**
 * In the client's bundles, ssh2 (only ever required inside a function, by
 * runtimes/src/transport/ssh2Module.ts) becomes a require of out/ssh2.js, a bundle of its own.
 * @type {import('esbuild').Plugin}
 */
const ssh2Apart = {
  name: 'ssh2-apart',
  setup(build) {
    build.onResolve({ filter: /^ssh2$/ }, () => ({ path: './ssh2.js', external: true }));
  },
};
/**
 * Our own modules only declare things: importing one has no effect of its own (as
 * `"sideEffects": false` says for a package). So a module none of whose exports a bundle uses
 * is left out with everything it imports: `FINAL_STATES` from runtimes/src/index.ts does not
 * bring every launcher into out/extension.js.
 * @type {import('esbuild').Plugin}
 */
const pureSources = {
  name: 'pure-sources',
  setup(build) {
    const ours = /[\\/](extension|runtimes|server)[\\/]src[\\/]/;
    build.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === pureSources || !ours.test(args.importer)) return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: pureSources });
      if (resolved.errors.length > 0 || !ours.test(resolved.path)) return undefined;
      return { path: resolved.path, sideEffects: false };
    });
  },
};
/**
 * `vscode` is provided by the extension host, and each `require("vscode")` is a trip through
 * the host's module interceptor. Left external, every module that imports it would also get
 * its own `__toESM(require("vscode"))`, a copy of the whole API object: ~20 of each while
 * out/extension.js loads, ~50 requires in vscode-languageclient. So the bundle requires it
 * once: our ES imports go through one module that re-exports it, and the CommonJS requires of
 * dependencies through one module that exports it.
 * @type {import('esbuild').Plugin}
 */
const oneVscode = {
  name: 'one-vscode',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => {
      if (args.namespace === 'vscode-api') return { path: 'vscode', external: true };
      return { path: args.kind === 'import-statement' ? 'esm' : 'cjs', namespace: 'vscode-api' };
    });
    build.onLoad({ filter: /^esm$/, namespace: 'vscode-api' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
    build.onLoad({ filter: /^cjs$/, namespace: 'vscode-api' }, () => ({ contents: "module.exports = require('vscode');", loader: 'js' }));
  },
};
/**
 * In the CLI's bundle, cli/src/mcpEntry.ts's require of ./mcpCommand becomes a require of
 * out/mcp.js, a bundle of its own (the MCP SDK and zod), loaded only by `hpc-jobs mcp`.
 * @type {import('esbuild').Plugin}
 */
const mcpApart = {
  name: 'mcp-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/mcpCommand$/ }, (args) =>
      (args.kind === 'require-call' && /mcpEntry\.ts$/.test(args.importer) ? { path: './mcp.js', external: true } : undefined));
  },
};
const cliVersion = { define: { HPC_JOBS_VERSION: JSON.stringify(version) } };

/** The client's bundles: `vscode` comes from the extension host. */
const extensionSide = { external: ['vscode', 'cpu-features', '*.node'], plugins: [oneVscode, ssh2Apart, pureSources] };

/** @type {{ name: string, entry: string, outfile: string, onRequest?: boolean, options?: import('esbuild').BuildOptions }[]} */
const bundles = [
  // What activation runs: the views, the job store, every command (some as stubs that load more).
  // The banner is its first statement: extension.ts measures how long its imports took to load.
  { name: 'extension', entry: 'extension/src/extension.ts', outfile: 'out/extension.js', options: { ...extensionSide, banner: { js: 'var __hpcJobsLoadStart = performance.now(), __hpcJobsLoadCpu = process.cpuUsage();' } } },
  // Loaded once a batch script or shell script is open: vscode-languageclient and the LSP protocol.
  { name: 'languageClient', entry: 'extension/src/languageClient.ts', outfile: 'out/languageClient.js', options: extensionSide },
  // Loaded on the first run: the run commands and CodeLens, the local launchers, the script checks.
  { name: 'run', entry: 'extension/src/lazy/lazyRunBundle.ts', outfile: 'out/run.js', options: extensionSide },
  // The worker thread local runs live in (runtimes/src/runHost): plain Node, no vscode.
  { name: 'runWorker', entry: 'runtimes/src/runHost/worker.ts', outfile: 'out/runWorker.js', options: { external: ['cpu-features', '*.node'], plugins: [ssh2Apart, pureSources] } },
  // Loaded when a cluster is first used: connections, job tracking, submission with its checks.
  { name: 'slurm', entry: 'extension/src/lazy/lazySlurmBundle.ts', outfile: 'out/slurm.js', options: extensionSide },
  // The output panel's webview script: runs in the page, so a browser IIFE, into media/ (the
  // webview's only resource root); no source map there, media/ ships whole.
  { name: 'webview', entry: 'extension/webview/outputPanel.ts', outfile: 'media/output/outputPanel.js', options: { platform: 'browser', format: 'iife', target: 'es2022', sourcemap: false, keepNames: false } },
  // Loaded on the first SSH connection.
  { name: 'ssh2', entry: 'node_modules/ssh2/lib/index.js', outfile: 'out/ssh2.js' },
  // The language server runs in a plain Node process: everything bundled.
  { name: 'server', entry: 'server/src/server.ts', outfile: 'out/server.js' },
  // The CLI keeps ssh2 inline: one file to run.
  { name: 'cli', entry: 'cli/src/main.ts', outfile: 'out/cli.js', options: { ...cliVersion, plugins: [mcpApart] } },
  { name: 'mcp', entry: 'cli/src/mcpCommand.ts', outfile: 'out/mcp.js', options: cliVersion },
  // The same for the npm package (scripts/pack-cli.mjs), only on request: files of their own, so
  // packing never rewrites out/cli.js under a test that runs it; no source maps, none is shipped.
  { name: 'cli-package', onRequest: true, entry: 'cli/src/main.ts', outfile: 'out/npm-package/out/cli.js', options: { ...cliVersion, plugins: [mcpApart], sourcemap: false } },
  { name: 'mcp-package', onRequest: true, entry: 'cli/src/mcpCommand.ts', outfile: 'out/npm-package/out/mcp.js', options: { ...cliVersion, sourcemap: false } },
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
  const all = [...bundles, ...(tests ? await testBundles() : [])].filter((b) => (only ? only.includes(b.name) : !b.onRequest));
  if (all.length === 0) {
    console.error(`esbuild: no bundle named '${only.join(',')}' (${bundles.map((b) => b.name).join(', ')})`);
    process.exitCode = 2;
    return;
  }
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
