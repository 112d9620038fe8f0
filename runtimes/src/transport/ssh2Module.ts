/**
 * ssh2, loaded on first use so that activating the extension does not pay for it. The
 * extension's bundles turn this require into one of out/ssh2.js, a bundle of its own
 * (esbuild.mjs), so they do not even compile it until then; the CLI bundles it inline. Its
 * optional native addons (`sshcrypto.node`, `cpu-features`) are left out by esbuild.mjs, and
 * ssh2 falls back to pure JavaScript without them.
 */
import type * as Ssh2 from 'ssh2';

let cached: typeof Ssh2 | undefined;

export function ssh2(): typeof Ssh2 {
  if (!cached) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cached = require('ssh2') as typeof Ssh2;
  }
  return cached;
}
