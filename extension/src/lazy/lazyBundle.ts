/**
 * Parts of the extension that activation does not need are esbuild outputs of their own beside
 * out/extension.js (esbuild cannot split CommonJS): out/languageClient.js, out/run.js,
 * out/slurm.js and out/ssh2.js (esbuild.mjs). Each is required the first time something needs
 * it, so starting VS Code pays only for the bundle that registers the views and commands.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';

/**
 * How long each lazy bundle took to load (compile and run its modules), in ms, by name: the
 * cost moved out of activation, read by bench/extensionHost.ts through the API's timings.
 * Module state, like Node's own require cache it sits beside: every loader shares it.
 */
const loadTimes: Record<string, number> = {};

export function lazyLoadTimes(): Readonly<Record<string, number>> {
  return loadTimes;
}

/**
 * A loader for out/<name>.js, typed by the bundle's entry module
 * (`lazyBundle<typeof import('./entry')>('name')`, with `import type`). Throws if it cannot load.
 * The file is looked for beside the running bundle: the loaders work from the bundles in out/,
 * not from the in-host test bundles (out/test/...), which must not start what needs one.
 */
export function lazyBundle<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded === undefined) {
      const start = performance.now();
      // A path computed at run time: esbuild leaves this require alone, Node loads the file.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require(path.join(__dirname, `${name}.js`)) as T;
      loadTimes[name] = performance.now() - start;
    }
    return loaded;
  };
}

/**
 * Calls `use` once: now if a document that `selector` matches is open, else when the first one
 * opens (or an open one is given a matching language).
 */
export function whenDocumentOpen(selector: vscode.DocumentSelector, use: () => void): vscode.Disposable {
  const matches = (doc: vscode.TextDocument) => vscode.languages.match(selector, doc) > 0;
  if (vscode.workspace.textDocuments.some(matches)) {
    use();
    return new vscode.Disposable(() => undefined);
  }
  const listener = vscode.workspace.onDidOpenTextDocument((doc) => {
    if (!matches(doc)) return;
    listener.dispose();
    use();
  });
  return listener;
}
