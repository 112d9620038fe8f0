#!/usr/bin/env node
// Entry point of the `hpc-jobs` CLI: runs the bundle that `npm run build` makes.
'use strict';
let cli;
try {
  cli = require('../out/cli.js');
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('out/cli.js')) {
    process.stderr.write('hpc-jobs: not built yet; run "npm run build" in the extension folder first.\n');
    process.exit(2);
  }
  throw e;
}
cli.main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`hpc-jobs: ${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 2;
});
