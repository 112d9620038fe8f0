#!/usr/bin/env node
// The whole test suite in ONE node:test run, so CI reads one summary.
//   node test/run.mjs            everything (unit, real processes, real cluster, real VS Code)
//   node test/run.mjs unit       only the fast unit tests
// Suites that need a real cluster or code-server bring them up here (idempotent) when this
// machine has them installed (.ci/run installs them); otherwise their tests skip, or fail
// where CI=true or HPC_JOBS_REQUIRE_ALL=1.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const want = process.argv[2] ?? 'all';
const suites = want === 'all' ? ['unit', 'integration', 'cluster'] : [want];

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'fixtures' || name === 'workspace' ? [] : testFiles(p);
    return name.endsWith('.test.ts') ? [p] : [];
  });
}

function step(title, cmd, args, opts = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  console.log(`[run] ${title}: ${r.status === 0 ? 'ok' : `exit ${r.status}`} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return r.status === 0;
}

if (!step('build', process.execPath, ['esbuild.mjs', '--tests'])) process.exit(1);

if (suites.includes('cluster')) {
  const haveSlurm = spawnSync('sh', ['-c', 'command -v slurmctld && command -v sbatch'], { stdio: 'ignore' }).status === 0;
  if (haveSlurm && process.getuid?.() === 0) {
    step('test cluster up', 'bash', ['test/cluster/up.sh'], { env: { ...process.env, SKIP_INSTALL: '1' } });
  } else {
    console.log('[run] no Slurm installed here (or not root): cluster tests will skip; .ci/run installs it');
  }
}

const files = suites.flatMap((s) => testFiles(join(root, 'test', s))).map((f) => relative(root, f)).sort();
if (files.length === 0) { console.error('[run] no test files found'); process.exit(1); }
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
