/**
 * Hostile input for the three readers of untrusted text (issue 11, items 3 and 4): the linter,
 * completion and the ssh_config reader get the crafted inputs that crashed or stalled them and
 * seeded random long, nested lines. Each case runs in a worker thread with the language
 * server's stack (1 MB), a heap bound and a bound on its time: a crash, a stack overflow, heap
 * exhaustion or a hang fails that case by name. The time bound is a hang detector, set far
 * above what any case needs (speed itself is measured in bench/, not here).
 *
 *   HPC_JOBS_FUZZ_SEED=1234   other random cases (the default is fixed)
 *
 * Run: node --import tsx --test test/unit/server/hostileInput.test.ts
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';

const SEED = Number(process.env['HPC_JOBS_FUZZ_SEED'] ?? 0x11_2026) >>> 0;
const RANDOM_CASES = 150;
/** Per case: the slowest (a 4.0 MB line) needs a few seconds; quadratic or exponential work needs minutes. */
const CASE_BOUND_MS = 30_000;
const HEAP_MB = 1024;

test('crafted and random hostile input: no crash, no stack overflow, no heap exhaustion, no hang', { timeout: 600_000 }, async () => {
  const done: string[] = [];
  const failure = await new Promise<string | undefined>((resolve) => {
    // A worker does not inherit tsx's hooks for a .ts entry: register them, then load the cases.
    const boot = `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'hostileInputCases.ts'))});`;
    const worker = new Worker(boot, {
      eval: true,
      workerData: { seed: SEED, count: RANDOM_CASES },
      resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, stackSizeMb: 1 },
      stdout: false, stderr: false,
    });
    let current: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    const finish = (why: string | undefined) => {
      if (timer) clearTimeout(timer);
      void worker.terminate();
      resolve(why);
    };
    worker.on('message', (m: { start?: string; done?: string; end?: boolean }) => {
      if (m.start !== undefined) {
        current = m.start;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => finish(`${current}: still running after ${CASE_BOUND_MS / 1000} s`), CASE_BOUND_MS);
      } else if (m.done !== undefined) {
        done.push(m.done);
        current = undefined;
      } else if (m.end) {
        finish(undefined);
      }
    });
    worker.on('error', (e) => finish(`${current ?? 'loading the cases'}: ${e.name}: ${e.message}`));
    worker.on('exit', (code) => finish(`${current ?? 'the worker'}: exited with ${code} (heap over ${HEAP_MB} MB?)`));
  });
  assert.equal(failure, undefined, `after ${done.length} cases passed (seed ${SEED})`);
  assert.ok(done.length >= RANDOM_CASES + 10, `only ${done.length} cases ran`);
});

