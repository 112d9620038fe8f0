/**
 * How long diagnostics take for one script: through the real language server over an in-memory
 * LSP connection (an incremental didChange → the matching publishDiagnostics, as an editor sees
 * it) and as the bare `analyzeScript` call underneath. p50/p99 per script size.
 *
 *   node --import tsx bench/serverDiagnostics.ts [--iterations 200] [--budget 20]
 *
 * Not a test: it prints figures (and the target beside them) and always exits 0.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { analyzeScript } from '../server/src/lint';
import { LspHarness } from '../test/unit/server/lspHarness';

const TARGET_MS = 5; // 5,000 lines under 5 ms p50
const WARMUP = 10;

const { values } = parseArgs({ options: {
  iterations: { type: 'string', default: '200' },
  // Each timed loop stops after this many seconds even short of --iterations, so the whole
  // bench stays under ~2 minutes on a slow or busy machine; the table says when it stopped.
  budget: { type: 'string', default: '20' },
} });
const ITERATIONS = Math.max(1, Number(values.iterations));
const BUDGET_MS = Number(values.budget) * 1000;

const HEADER = [
  '#!/bin/bash',
  '#SBATCH --job-name=md_sweep           # a short name for the job',
  '#SBATCH --account=proj123',
  '#SBATCH --partition=compute',
  '#SBATCH --nodes=2',
  '#SBATCH --ntasks-per-node=32',
  '#SBATCH --cpus-per-task=2',
  '#SBATCH --mem-per-cpu=2G',
  '#SBATCH --time=00:10:00               # the line the benchmark edits',
  '#SBATCH --array=0-99%10',
  '#SBATCH --mail-type=BEGIN,END,FAIL',
  '#SBATCH --mail-user=someone@example.org',
  '#SBATCH --output=logs/%x-%A_%a.out',
  '#SBATCH --error=logs/%x-%A_%a.err',
  '#SBATCH --exclusive',
  '#SBATCH --constraint=skylake',
  '',
];
const EDIT_LINE = 8; // "#SBATCH --time=00:10:00": the benchmark rewrites the minutes digit at column 19
const EDIT_COLUMN = 19;

const BODY_PATTERNS: ((i: number) => string)[] = [
  (i) => `# step ${i}: prepare the input`,
  () => 'module load gcc/12.2 openmpi/4.1',
  (i) => `export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK  # ${i}`,
  (i) => `for f in data/chunk_${i}_*.dat; do`,
  () => '  [ -s "$f" ] || continue',
  (i) => `  srun --ntasks=1 --exclusive ./process "$f" > "out/$(basename "$f" .dat)_${i}.txt" &`,
  () => 'done',
  () => 'wait',
  (i) => `echo "step ${i} done on $SLURMD_NODENAME at $(date)"`,
  () => '',
  (i) => `if [ "$SLURM_ARRAY_TASK_ID" -eq ${i % 100} ]; then cp results.h5 "$SCRATCH/run_${i}.h5"; fi`,
  (i) => `python3 analyse.py --input out --seed ${i} --threads "$SLURM_CPUS_PER_TASK"`,
];

function bodyLines(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(BODY_PATTERNS[i % BODY_PATTERNS.length]!(i));
  return out;
}

const DIRECTIVE_PATTERNS: ((i: number) => string)[] = [
  (i) => `#SBATCH --comment="run ${i}"`,
  (i) => `#SBATCH --ntasks=${(i % 64) + 1}`,
  (i) => `#SBATCH --time=${(i % 23) + 1}:00:00`,
  (i) => `#SBATCH --mem=${(i % 16) + 1}G`,
  () => '#SBATCH --mail-type=END,FAIL',
  (i) => `#SBATCH --output=logs/job_${i}_%j.out`,
  (i) => `#SBATCH --nodes=${(i % 4) + 1}-${(i % 4) + 4}`,
  (i) => `#SBATCH --signal=B:USR1@${60 + i % 120}`,
  (i) => `#SBATCH -c ${(i % 8) + 1}`,
  (i) => `# comment ${i} between directives`,
];

function directiveLines(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(DIRECTIVE_PATTERNS[i % DIRECTIVE_PATTERNS.length]!(i));
  return out;
}

const SCRIPTS: { name: string; text: string }[] = [
  { name: '20 lines', text: [...HEADER, ...bodyLines(20 - HEADER.length)].join('\n') + '\n' },
  { name: '5,000-line body', text: [...HEADER, ...bodyLines(5000)].join('\n') + '\n' },
  { name: '5,000 directives', text: [...HEADER, ...directiveLines(5000), 'srun ./a.out'].join('\n') + '\n' },
];

interface Stats { p50: number; p99: number; n: number }

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  return { p50: q(0.5), p99: q(0.99), n: s.length };
}

function withEdit(text: string, i: number): string {
  const lines = text.split('\n');
  const l = lines[EDIT_LINE]!;
  lines[EDIT_LINE] = l.slice(0, EDIT_COLUMN) + String(i % 10) + l.slice(EDIT_COLUMN + 1);
  return lines.join('\n');
}

function benchAnalyze(text: string): { stats: Stats; diagnostics: number } {
  const samples: number[] = [];
  let diagnostics = 0;
  let start = performance.now();
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    if (i === WARMUP) start = performance.now();
    else if (i > WARMUP && performance.now() - start > BUDGET_MS) break;
    const t = withEdit(text, i); // a new string each time, as the server gets after an edit
    const t0 = performance.now();
    const a = analyzeScript(t);
    const dt = performance.now() - t0;
    if (i >= WARMUP) samples.push(dt);
    diagnostics = a.diagnostics.length;
  }
  return { stats: stats(samples), diagnostics };
}

async function benchServer(lsp: LspHarness, name: string, text: string): Promise<Stats & { payload: number }> {
  const uri = `untitled:bench-${name.replace(/\W+/g, '-')}.slurm`;
  await lsp.open(uri, 'slurm', text);
  const samples: number[] = [];
  let last: unknown;
  let start = performance.now();
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    if (i === WARMUP) start = performance.now();
    else if (i > WARMUP && performance.now() - start > BUDGET_MS) break;
    const range = { start: { line: EDIT_LINE, character: EDIT_COLUMN }, end: { line: EDIT_LINE, character: EDIT_COLUMN + 1 } };
    const t0 = performance.now();
    last = await lsp.change(uri, [{ range, text: String(i % 10) }]);
    const dt = performance.now() - t0;
    if (i >= WARMUP) samples.push(dt);
  }
  await lsp.close(uri);
  return { ...stats(samples), payload: Buffer.byteLength(JSON.stringify(last)) };
}

const ms = (x: number) => x.toFixed(x < 1 ? 3 : 2).padStart(8);
const size = (bytes: number) => (bytes < 1e4 ? `${bytes} B` : bytes < 1e6 ? `${(bytes / 1e3).toFixed(0)} kB` : `${(bytes / 1e6).toFixed(1)} MB`);

async function main(): Promise<void> {
  const load = loadavg()[0]!.toFixed(1);
  console.log(`Diagnostics for one script: up to ${ITERATIONS} timed iterations after ${WARMUP} warm-up, at most ${BUDGET_MS / 1000} s of timed iterations a loop`);
  console.log(`Node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPUs, load average ${load} at start`);
  console.log('server: incremental didChange → publishDiagnostics over an in-memory connection (JSON-RPC both ways)');
  console.log('bare:   analyzeScript(text) (parse + read options + all rules)\n');
  const lsp = await LspHarness.start();
  const rows: string[][] = [];
  const verdict = (x: number) => (x < TARGET_MS ? 'met' : 'MISSED');
  try {
    for (const s of SCRIPTS) {
      const lines = s.text.split('\n').length - 1;
      const bare = benchAnalyze(s.text);
      const server = await benchServer(lsp, s.name, s.text);
      rows.push([s.name, String(lines), String(bare.diagnostics), size(server.payload), `${bare.stats.n}/${server.n}`,
        ms(bare.stats.p50), ms(bare.stats.p99), ms(server.p50), ms(server.p99),
        lines >= 5000 ? `bare ${verdict(bare.stats.p50)}, server ${verdict(server.p50)}` : '']);
    }
  } finally {
    await lsp.shutdown();
  }
  const head = ['script', 'lines', 'diags', 'publish', 'n bare/srv', 'bare p50', 'bare p99', 'srv p50', 'srv p99', `target < ${TARGET_MS} ms p50`];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.trim().length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 || i === r.length - 1 ? c.trim().padEnd(widths[i]!) : c.trim().padStart(widths[i]!))).join('  ');
  console.log(fmt(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(fmt(r));
  console.log('\n(milliseconds; "publish": size of one publishDiagnostics message. Server figures include the client-side');
  console.log(' copy update and the JSON-RPC serialization of every diagnostic, fixes included)');
  console.log(`(load average ${loadavg()[0]!.toFixed(1)} at the end: on a busy machine every figure is inflated)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
