/**
 * The entry of out/run.js (see lazyRun.ts): the run commands with the batch-script CodeLens,
 * and the local launchers (a worker thread's, run/localLaunch.ts) with the batch-script checks
 * they share with the linter.
 */
export { createRunArea, type RunArea } from '../run/runCommands';
export { launchLocal } from '../run/localLaunch';
