/**
 * Entry point the extension host loads as `extensionTestsPath` (bundled to
 * out/test/vscode/suite/index.js): runs every *.test.js next to it with Mocha, tdd UI.
 * Same contract as @vscode/test-electron: export run(): Promise<void>, reject on failure.
 */
import * as path from 'node:path';
import { globSync } from 'glob';
import type MochaType from 'mocha';

// mocha 12's main entry is an ES module; its CommonJS build loads in any extension host,
// also those whose Node has no require(esm) (desktop VS Code's Electron).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha = require('mocha/lib/mocha.cjs') as typeof MochaType;

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: 60_000,
    reporter: process.env.MOCHA_REPORTER ?? 'spec',
    ...(process.env.MOCHA_GREP ? { grep: process.env.MOCHA_GREP } : {}),
  });
  for (const file of globSync('**/*.test.js', { cwd: __dirname }).sort()) {
    mocha.addFile(path.resolve(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} extension test(s) failed`)) : resolve()));
  });
}
