/**
 * The extension in a real VS Code extension host (code-server 4.100.3 = VS Code 1.100.3, headless chromium):
 * builds the bundles and the in-host Mocha suite (test/vscode/suite), starts code-server,
 * runs the suite, stops code-server. Also tokenizes the fixtures with the contributed
 * grammars using the TextMate engine VS Code itself ships.
 *
 * Skipped, with the reason, when code-server (test/vscode/install-code-server.sh) or chromium
 * is missing — unless CI=true or HPC_JOBS_REQUIRE_VSCODE=1, where that is a failure.
 *
 *   node --import tsx --test test/integration/vscodeHost.test.ts
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildBundles, hostOrSkip } from './workbench';

type Host = typeof import('../vscode/host.mjs', { with: { 'resolution-mode': 'import' } });

test('the extension passes its suite in a real VS Code extension host', { timeout: 300_000 }, async (t) => {
  const host = await hostOrSkip(t, { browser: true });
  if (!host) return;
  await buildBundles(host.REPO_ROOT, { tests: true });
  const codeServer = await host.startCodeServer();
  try {
    const result = await host.runExtensionTests({ origin: codeServer.origin, log: (line) => t.diagnostic(line) });
    assert.equal(result.timedOut, false, `the suite did not finish:\n${result.output}`);
    assert.equal(result.exitCode, 0, `extension tests failed:\n${result.output}`);
  } finally {
    await codeServer.stop();
  }
});

// --- Grammars, tokenized by the vscode-textmate + vscode-oniguruma that code-server ships ---

interface Token { readonly startIndex: number; readonly endIndex: number; readonly scopes: string[] }
interface Grammar { tokenizeLine(line: string, state: unknown): { tokens: Token[]; ruleStack: unknown } }
interface TextMate {
  INITIAL: unknown;
  parseRawGrammar(content: string, path: string): unknown;
  Registry: new (options: {
    onigLib: Promise<unknown>;
    loadGrammar(scopeName: string): Promise<unknown>;
    getInjections(scopeName: string): string[] | undefined;
  }) => { loadGrammar(scopeName: string): Promise<Grammar | null> };
}
interface Oniguruma {
  loadWASM(data: ArrayBuffer): Promise<void>;
  OnigScanner: new (patterns: string[]) => unknown;
  OnigString: new (text: string) => unknown;
}

async function tokenizer({ CODE_SERVER_ENTRY, REPO_ROOT }: Host): Promise<(scopeName: string, text: string) => Promise<{ text: string; scopes: string }[]>> {
  const vscodeRoot = join(CODE_SERVER_ENTRY, '../../../lib/vscode');
  const load = createRequire(join(vscodeRoot, 'package.json'));
  const textmate = load('vscode-textmate') as TextMate;
  const onig = load('vscode-oniguruma') as Oniguruma;
  const wasm = readFileSync(load.resolve('vscode-oniguruma/release/onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    contributes: { grammars: { scopeName: string; path: string; injectTo?: string[] }[] };
  };
  const grammarFiles = new Map(manifest.contributes.grammars.map((g) => [g.scopeName, join(REPO_ROOT, g.path)]));
  grammarFiles.set('source.shell', join(vscodeRoot, 'extensions/shellscript/syntaxes/shell-unix-bash.tmLanguage.json'));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new onig.OnigScanner(patterns),
      createOnigString: (s: string) => new onig.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      const file = grammarFiles.get(scopeName);
      return file ? textmate.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) => manifest.contributes.grammars
      .filter((g) => g.injectTo?.includes(scopeName)).map((g) => g.scopeName),
  });
  return async (scopeName, text) => {
    const grammar = await registry.loadGrammar(scopeName);
    assert.ok(grammar, `grammar ${scopeName} loads`);
    const out: { text: string; scopes: string }[] = [];
    let state = textmate.INITIAL;
    for (const line of text.split('\n')) {
      const r = grammar.tokenizeLine(line, state);
      state = r.ruleStack;
      for (const tk of r.tokens) out.push({ text: line.slice(tk.startIndex, tk.endIndex), scopes: tk.scopes.join(' ') });
    }
    return out;
  };
}

function scopesOf(tokens: { text: string; scopes: string }[], text: string): string {
  const token = tokens.find((tk) => tk.text === text);
  assert.ok(token, `a token "${text}" in ${JSON.stringify(tokens.map((tk) => tk.text))}`);
  return token.scopes;
}

test('the grammars highlight #SBATCH directives in .slurm files and in shell scripts', async (t) => {
  const host = await hostOrSkip(t, { browser: false });
  if (!host) return;
  const tokenize = await tokenizer(host);

  const slurm = await tokenize('source.slurm',
    '#!/bin/bash\n#SBATCH --job-name="my job" -N 2 # nodes\n#SBATCH --tiem=10\nsrun hostname # not a directive\n');
  assert.match(scopesOf(slurm, 'SBATCH'), /^source\.slurm meta\.directive\.slurm keyword\.other\.directive\.slurm$/);
  assert.match(scopesOf(slurm, 'job-name'), /variable\.parameter\.option\.long\.slurm/);
  assert.match(scopesOf(slurm, 'tiem'), /variable\.parameter\.option\.long\.slurm/);
  assert.match(scopesOf(slurm, 'N'), /variable\.parameter\.option\.short\.slurm/);
  assert.match(scopesOf(slurm, '='), /keyword\.operator\.assignment\.slurm/);
  assert.match(scopesOf(slurm, 'my job'), /string\.quoted\.double\.slurm/);
  assert.match(scopesOf(slurm, '2'), /string\.unquoted\.value\.slurm/);
  assert.match(scopesOf(slurm, '10'), /string\.unquoted\.value\.slurm/);
  assert.match(scopesOf(slurm, ' nodes'), /comment\.line\.number-sign\.slurm/);
  assert.match(scopesOf(slurm, '/bin/bash'), /meta\.shebang\.shell/, 'the rest is the shell grammar');
  assert.match(scopesOf(slurm, 'srun'), /\.shell/);
  assert.match(scopesOf(slurm, ' not a directive'), /comment\.line\.number-sign\.shell/);

  const shell = await tokenize('source.shell', readFileSync(join(host.WORKSPACE, 'run.sh'), 'utf8'));
  assert.match(scopesOf(shell, 'SBATCH'), /^source\.shell meta\.directive\.slurm keyword\.other\.directive\.slurm$/, 'injected into source.shell');
  assert.match(scopesOf(shell, 'partiton'), /variable\.parameter\.option\.long\.slurm/);
  assert.match(scopesOf(shell, 'debug'), /string\.unquoted\.value\.slurm/);
  const lookalike = await tokenize('source.shell', '# SBATCH --time=1\necho "#SBATCH --time=1"\n');
  assert.ok(lookalike.every((tk) => !tk.scopes.includes('meta.directive.slurm')), 'no directive scopes outside column-0 #SBATCH lines');
});
