/**
 * Checking a corpus of batch scripts: `hpc-jobs lint` over all of them in one process, against
 * the peers one would otherwise use, each run the way it is normally run (one process per script):
 *   - `sbatch --test-only` (needs a Slurm controller: `scontrol ping` must say UP; run as root
 *     against the local test cluster, test/cluster/up.sh),
 *   - `shellcheck` (Debian's package).
 * Peers that take ~0.1 s a script are timed on a sample and extrapolated to the corpus (the
 * output says so). Builds the CLI first (`node esbuild.mjs`).
 *
 *   node --import tsx bench/cliThroughput.ts [--scripts 1000] [--sample 150] [--sample-ours 30] [--keep]
 *
 * The generated scripts fit the local test cluster (4 nodes × 4 CPUs, 4000 MB each; partitions
 * debug (30 min) and long), so sbatch accepts the ones without a planted mistake.
 *
 * Not a test: it prints a table (and the target beside it) and exits 0 unless it could not run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'hpc-jobs.js');
const TARGET_RATIO = 20; // ≥ 20× less wall time than sbatch --test-only

const { values } = parseArgs({
  options: {
    scripts: { type: 'string', default: '1000' },
    sample: { type: 'string', default: '150' },
    'sample-ours': { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(values.scripts);
const SAMPLE = Math.min(N, Number(values.sample));
const SAMPLE_OURS = Math.min(N, Number(values['sample-ours']));

// ---------------------------------------------------------------- corpus

/** A small deterministic PRNG so every run lints the same corpus. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BODIES = [
  ['module load gcc openmpi', 'echo "job $SLURM_JOB_ID on $SLURM_JOB_NODELIST"', 'srun ./mpi_app input.dat'],
  ['export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK', 'cd "$SLURM_SUBMIT_DIR"', './omp_solver --threads "$OMP_NUM_THREADS"'],
  ['SAMPLES=$(( 100000 * (SLURM_ARRAY_TASK_ID + 1) ))', 'python3 distributed.py "$SAMPLES"'],
  ['for f in data/*.csv; do', '  python3 clean.py "$f" > "out/$(basename "$f")"', 'done', 'wait'],
  ['hostname', 'sleep 1', 'date'],
];

/** Mistakes real scripts have; about one script in three gets one. */
const MISTAKES: { name: string; apply: (lines: string[], r: () => number) => void }[] = [
  { name: 'typo', apply: (l) => { l.splice(2, 0, '#SBATCH --tiem=00:10:00'); } },
  { name: 'bad time', apply: (l) => { l.splice(2, 0, '#SBATCH --time=1:2:3:4'); } },
  { name: 'bad memory', apply: (l) => { l.splice(2, 0, '#SBATCH --mem=4GBs'); } },
  { name: 'after command', apply: (l) => { l.push('#SBATCH --ntasks=4'); } },
  { name: 'spaced', apply: (l) => { l.splice(2, 0, '# SBATCH --mem=2G'); } },
  { name: 'no shebang', apply: (l) => { l.shift(); } },
  { name: 'bad mail type', apply: (l) => { l.splice(2, 0, '#SBATCH --mail-type=BEGIN,FINISH'); } },
  { name: 'unquoted name', apply: (l) => { l.splice(2, 0, '#SBATCH --job-name=my job'); } },
  { name: 'repeated', apply: (l, r) => { l.splice(2, 0, `#SBATCH --time=${1 + Math.floor(r() * 9)}`); } },
  { name: 'slurm prefix', apply: (l) => { l.splice(2, 0, '#SLURM --ntasks=2'); } },
];

function makeScript(i: number): { text: string; mistake?: string } {
  const r = rng(i + 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const lines = ['#!/bin/bash', `#SBATCH --job-name=job${i}`];
  const ntasks = pick([1, 2, 4]);
  lines.push(r() < 0.5 ? `#SBATCH --ntasks=${ntasks}` : `#SBATCH -n ${ntasks}`);
  if (r() < 0.6) lines.push(`#SBATCH --cpus-per-task=${pick([1, 2])}`);
  const memory = r();
  if (memory < 0.5) lines.push(`#SBATCH --mem-per-cpu=${pick(['500M', '900M', '200'])}`);
  else if (memory < 0.75) lines.push(`#SBATCH --mem=${pick(['1G', '2000', '3G'])}`);
  lines.push(`#SBATCH --time=${pick(['00:05:00', '10', '0-00:20', '0:29:00', '15:00'])}`);
  if (r() < 0.3) lines.push('#SBATCH --array=0-3%2');
  if (r() < 0.4) lines.push(`#SBATCH --output=${pick(['slurm-%j.out', '%x-%j.log', 'out_%A_%a.txt'])}`);
  if (r() < 0.3) lines.push(`#SBATCH --mail-type=${pick(['END', 'BEGIN,END', 'FAIL'])}`);
  if (r() < 0.2) lines.push(`#SBATCH --partition=${pick(['debug', 'long'])}`);
  if (r() < 0.2) lines.push('#SBATCH --nodes=1');
  lines.push('', ...pick(BODIES), '');
  let mistake: string | undefined;
  if (i % 3 === 0) {
    const m = MISTAKES[(i / 3) % MISTAKES.length]!;
    m.apply(lines, r);
    mistake = m.name;
  }
  return { text: lines.join('\n'), ...(mistake ? { mistake } : {}) };
}

// ---------------------------------------------------------------- runners

interface Row { tool: string; scripts: number; measured: number; wallS: number; note: string }

function run(cmd: string, args: readonly string[], cwd: string, timeoutMs = 60_000) {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, env: cleanEnv() });
}

/** Without the SBATCH_... and SLURM_... variables, which would add options to sbatch. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SBATCH_') && !k.startsWith('SLURM_')) env[k] = v;
  return env;
}

function available(cmd: string, args: readonly string[]): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  return !r.error && r.status === 0;
}

/** Wall time of `each(file)` over `files`, one process each; extrapolated when sampled. */
function perScript(tool: string, files: readonly string[], total: number, each: (f: string) => void): Row {
  const t0 = performance.now();
  for (const f of files) each(f);
  const measured = (performance.now() - t0) / 1000;
  const wallS = (measured / files.length) * total;
  return { tool, scripts: total, measured: files.length, wallS, note: files.length < total ? `${files.length} timed, × ${(total / files.length).toFixed(1)}` : '' };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function main(): void {
  console.log(`CLI throughput: ${N} generated batch scripts (Node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)})`);

  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) console.log(`note: "node esbuild.mjs" failed (${build.stderr.trim().split('\n')[0] ?? ''}); using the existing out/cli.js`);
  if (!existsSync(path.join(ROOT, 'out', 'cli.js'))) {
    console.error('out/cli.js is missing: the CLI could not be built.');
    process.exitCode = 1;
    return;
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'hpc-jobs-bench-'));
  const files: string[] = [];
  let withMistake = 0;
  for (let i = 0; i < N; i++) {
    const s = makeScript(i);
    const name = `job_${String(i).padStart(4, '0')}.sh`;
    writeFileSync(path.join(dir, name), s.text);
    files.push(name);
    if (s.mistake) withMistake++;
  }
  console.log(`corpus: ${dir} (${withMistake} scripts with a planted mistake)\n`);

  // Sample: evenly spread over the corpus, so the mix of mistakes is the same.
  const spread = (count: number) => Array.from({ length: count }, (_, k) => files[Math.floor((k * N) / count)]!);
  const sample = spread(SAMPLE);
  const rows: Row[] = [];

  try {
    // Ours: all scripts in one process, best of three (median).
    const times: number[] = [];
    let findings = '';
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      const r = run(process.execPath, [CLI, 'lint', '--format', 'json', ...files], dir);
      times.push((performance.now() - t0) / 1000);
      if (r.status !== 0 && r.status !== 1) throw new Error(`hpc-jobs lint exited ${r.status}: ${r.stderr}`);
      const found = JSON.parse(r.stdout) as { file: string; severity: string }[];
      findings = `${found.length} findings, ${new Set(found.filter((d) => d.severity === 'error').map((d) => d.file)).size} scripts with errors`;
    }
    rows.push({ tool: 'hpc-jobs lint (one process)', scripts: N, measured: N, wallS: median(times), note: `median of 3; ${findings}` });

    // Ours, one process per script: what a per-file pre-commit hook pays (mostly Node start-up).
    rows.push(perScript('hpc-jobs lint (process/script)', spread(SAMPLE_OURS), N, (f) => { run(process.execPath, [CLI, 'lint', f], dir); }));

    // sbatch --test-only.
    const ping = spawnSync('scontrol', ['ping'], { encoding: 'utf8', timeout: 30_000 });
    if (!ping.error && /\bUP\b/.test(ping.stdout)) {
      let accepted = 0;
      const row = perScript('sbatch --test-only', sample, N, (f) => {
        const r = run('sbatch', ['--test-only', f], dir);
        if (r.status === 0) accepted++;
      });
      row.note += `${row.note ? '; ' : ''}${accepted}/${sample.length} accepted`;
      rows.push(row);
    } else {
      rows.push({ tool: 'sbatch --test-only', scripts: 0, measured: 0, wallS: NaN, note: 'skipped: no cluster' });
    }

    // shellcheck.
    if (available('shellcheck', ['--version'])) {
      rows.push(perScript('shellcheck', sample, N, (f) => { run('shellcheck', [f], dir); }));
    } else {
      rows.push({ tool: 'shellcheck', scripts: 0, measured: 0, wallS: NaN, note: 'skipped: shellcheck not installed' });
    }
  } finally {
    if (values.keep) console.log(`(kept ${dir})`);
    else rmSync(dir, { recursive: true, force: true });
  }

  const ours = rows[0]!.wallS;
  const table = [['tool', 'scripts', 'wall time', 'per script', 'vs ours', 'note']];
  for (const r of rows) {
    const skipped = Number.isNaN(r.wallS);
    table.push([
      r.tool,
      skipped ? '-' : String(r.scripts),
      skipped ? '-' : `${r.wallS.toFixed(2)} s`,
      skipped ? '-' : `${((r.wallS / r.scripts) * 1000).toFixed(2)} ms`,
      skipped ? '-' : r === rows[0] ? '1×' : `${(r.wallS / ours).toFixed(1)}× slower`,
      r.note,
    ]);
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  for (const [k, r] of table.entries()) {
    console.log(r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
    if (k === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  const sbatch = rows.find((r) => r.tool === 'sbatch --test-only')!;
  console.log('');
  if (Number.isNaN(sbatch.wallS)) console.log(`target: ≥ ${TARGET_RATIO}× less wall time than sbatch --test-only: not measured (no cluster)`);
  else {
    const ratio = sbatch.wallS / ours;
    console.log(`target: ≥ ${TARGET_RATIO}× less wall time than sbatch --test-only: ${ratio.toFixed(0)}× — ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}`);
  }
  if (SAMPLE < N) console.log(`(per-script rows were timed on ${SAMPLE} (ours: ${SAMPLE_OURS}) of the ${N} scripts, spread evenly over the corpus, and extrapolated to ${N})`);
  console.log(`(load average ${loadavg()[0]!.toFixed(1)} at the end on ${cpus().length} CPUs: on a busy machine every figure is inflated)`);
}

main();
