/**
 * Property test: 10,000 random and mutated batch scripts go through lintText and analyzeScript.
 * Whatever the input, the linter must not throw, must finish, and must only report well-formed
 * diagnostics (known code, its severity, ranges inside the text, fixes that apply cleanly).
 *
 * Reproducible: every case draws from its own PRNG seeded by (seed, case index).
 *   HPC_JOBS_FUZZ_SEED=1234      another seed (the default is fixed, so CI is deterministic)
 *   HPC_JOBS_FUZZ_CASES=100000   more cases
 *   HPC_JOBS_FUZZ_CASE=4711      only that case (with the same seed) — to debug a failure
 * A failure prints the seed, the case index and the input as a JSON string.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeScript, lintText, type LintDiagnostic, type LintOptions, type Range } from '../../../server/src/lint';
import { CODES } from '../../../server/src/rules/codes';
import { mulberry32 } from './seededRandom';
import { applyEdits } from './textEdits';

const SEED = Number(process.env['HPC_JOBS_FUZZ_SEED'] ?? 0x5eed_2205) >>> 0;
const CASES = Number(process.env['HPC_JOBS_FUZZ_CASES'] ?? 10_000);
const ONLY = process.env['HPC_JOBS_FUZZ_CASE'] === undefined ? undefined : Number(process.env['HPC_JOBS_FUZZ_CASE']);
/** Total for all cases. Typical runs take a few seconds; this only stops a hang from hanging CI. */
const TOTAL_BUDGET_MS = 240_000;

// ---- seeded PRNG --------------------------------------------------------------------------


class Rng {
  private readonly next: () => number;
  constructor(seed: number) { this.next = mulberry32(seed); }
  float(): number { return this.next(); }
  int(n: number): number { return Math.floor(this.next() * n); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(items: readonly T[]): T { return items[this.int(items.length)]!; }
}

function caseSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

// ---- inputs -------------------------------------------------------------------------------

const ROOT = path.resolve(__dirname, '..', '..', '..');

function scriptsUnder(dir: string): string[] {
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  return names.flatMap((n) => {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) return scriptsUnder(p);
    return /\.(sh|slurm|sbatch)$/.test(n) ? [readFileSync(p, 'utf8')] : [];
  });
}

const SEEDS = [
  ...scriptsUnder(path.join(ROOT, 'test', 'fixtures')),
  ...scriptsUnder(path.join(ROOT, 'examples')),
];

const ODD = ['"', "'", '\\', '#', '=', '-', '--', ':', ',', '%', '@', '\0', '\r', '\r\n', '\n', '\t', ' ', '\v', '\f',
  '#SBATCH ', '#SLURM ', '# SBATCH ', '##SBATCH', '  #SBATCH', '#sbatch', 'hetjob', 'packjob', ' -- ', '""', "''",
  'é', 'ß', '\u00a0', '\u2028', '\u200b', '\ufeff', '😀', '\ud83d', '\ude00', '\u0301', 'العربية', '日本'];

const WORDS = ['--time', '--time=', '-t', '--mem', '--mem=', '--mem-per-cpu', '--mem-per-gpu', '--ntasks', '-n', '-N', '--nodes',
  '--cpus-per-task', '-c', '--array', '--array=', '--mail-type', '--mail-type=', '--dependency=', '--gres=', '--gpus=',
  '--signal=', '--exclusive', '--exclusive=', '--oversubscribe', '--output=', '-o', '--error=', '--chdir=', '--job-name=',
  '-J', '--account=', '-A', '--partition=', '--hold', '--requeue', '--tim', '--cpu', '--ntask', '--tres-bind=', '--uid=',
  '--begin=', '--open-mode=', '--nice', '--propagate', '-H', '-Z', '-', '--', '---', '--=', '-=', '<proj>', 'CHANGEME',
  '10', '0', '-1', '1-5%', '5-1', '10:70', '1.5G', '4-2', 'UNLIMITED', 'gpu:2', 'afterok:1', 'USR1@60', 'B:USR1@70000',
  'BEGIN,END', 'logs/%j.out', '%x_%j', '99999999999999999999999', '18446744073709551616', '2147483648'];

const BODY = ['echo hi', 'set -euo pipefail', 'module load gcc', 'mpirun -n 64 ./a.out', 'mpiexec -np 8 python x.py',
  'srun -n4 ./prog', 'srun --ntasks=999 hostname', 'export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK', 'python run.py', '', '# comment'];

function randomWord(rng: Rng): string {
  const parts: string[] = [];
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) parts.push(rng.chance(0.75) ? rng.pick(WORDS) : rng.pick(ODD));
  return parts.join('');
}

/** A script built from directive-ish words and launcher lines. */
function generate(rng: Rng): string {
  const lines: string[] = [];
  if (rng.chance(0.9)) lines.push(rng.pick(['#!/bin/bash', '#!/bin/sh', '#!', '#!/usr/bin/env python3', '#! /bin/bash']));
  const nd = rng.int(12);
  for (let i = 0; i < nd; i++) {
    const magic = rng.chance(0.85) ? '#SBATCH' : rng.pick(['#SLURM', '# SBATCH', ' #SBATCH', '#sbatch', '##SBATCH', '#SBATCH hetjob', '#SBATCH packjob']);
    const words: string[] = [];
    const nw = rng.int(5);
    for (let k = 0; k < nw; k++) words.push(randomWord(rng));
    lines.push(`${magic}${rng.chance(0.9) ? ' ' : ''}${words.join(rng.chance(0.8) ? ' ' : '\t')}`);
    if (rng.chance(0.1)) lines.push(rng.pick(BODY));
  }
  const nb = rng.int(6);
  for (let i = 0; i < nb; i++) lines.push(rng.pick(BODY));
  return lines.join(rng.chance(0.95) ? '\n' : '\r\n') + (rng.chance(0.8) ? '\n' : '');
}

function mutate(text: string, rng: Rng): string {
  let s = text;
  const n = 1 + rng.int(6);
  for (let i = 0; i < n; i++) {
    const at = rng.int(s.length + 1);
    switch (rng.int(9)) {
      case 0: s = s.slice(0, at) + rng.pick(ODD) + s.slice(at); break;                       // insert an odd character
      case 1: s = s.slice(0, at) + randomWord(rng) + s.slice(at); break;                    // insert an option-ish word
      case 2: s = s.slice(0, at) + s.slice(at + 1 + rng.int(8)); break;                      // delete a few characters
      case 3: { const len = 1 + rng.int(20); s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at); break; } // duplicate
      case 4: { // a very long line or word
        const chunk = rng.pick(['x', 'a ', '-', '"', '\\', '#', '=', ':', '9', '-n ', '--time=1 ', '😀']);
        // Mostly a few thousand characters; now and then tens of thousands.
        const times = rng.chance(0.05) ? 10_000 + rng.int(30_000) : 200 + rng.int(3000);
        s = s.slice(0, at) + chunk.repeat(times) + s.slice(at);
        break;
      }
      case 5: { // duplicate a whole line
        const lines = s.split('\n');
        const k = rng.int(lines.length);
        lines.splice(k, 0, lines[k]!);
        s = lines.join('\n');
        break;
      }
      case 6: { // swap two lines
        const lines = s.split('\n');
        const a = rng.int(lines.length);
        const b = rng.int(lines.length);
        [lines[a], lines[b]] = [lines[b]!, lines[a]!];
        s = lines.join('\n');
        break;
      }
      case 7: s = s.slice(0, at) + String.fromCharCode(rng.int(0x10000)) + s.slice(at); break; // any UTF-16 unit
      default: s = s.slice(0, at); break;                                                   // truncate
    }
  }
  return s;
}

function input(index: number): { text: string; options: LintOptions } {
  const rng = new Rng(caseSeed(SEED, index));
  const r = rng.float();
  const text = r < 0.6 && SEEDS.length > 0 ? mutate(rng.pick(SEEDS), rng)
    : r < 0.9 ? generate(rng)
      : mutate(generate(rng), rng);
  const options: LintOptions = {
    ...(rng.chance(0.5) ? { filePath: rng.pick(['/tmp/job.sh', '/home/u/project/run.slurm', 'relative/job.sh', 'C:\\jobs\\a.sh']) } : {}),
    ...(rng.chance(0.5) ? { slurmVersion: rng.pick(['22.05', '23.02', '24.11', '25.05', '26.05', '26.11', '99.99', 'garbage', '']) } : {}),
    ...(rng.chance(0.5) ? { directoryExists: (p: string) => p.length % 2 === 0 } : {}),
  };
  return { text, options };
}

// ---- properties ---------------------------------------------------------------------------

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** The lines an editor shows, split on LF only (a CR stays on its line, as in VS Code's model). */
function linesOf(text: string): string[] {
  return text.split('\n');
}

function checkRange(r: Range, lines: readonly string[], what: string, allowLineAfterEnd: boolean): void {
  for (const p of [r.start, r.end]) {
    assert.ok(Number.isInteger(p.line) && Number.isInteger(p.character), `${what}: non-integer position ${JSON.stringify(p)}`);
    assert.ok(p.line >= 0 && p.character >= 0, `${what}: negative position ${JSON.stringify(p)}`);
    // An edit that deletes the last line whole may end at (lines.length, 0): editors clamp it.
    if (allowLineAfterEnd && p.line === lines.length && p.character === 0) continue;
    assert.ok(p.line < lines.length, `${what}: line ${p.line} past the last line ${lines.length - 1}`);
    assert.ok(p.character <= lines[p.line]!.length, `${what}: character ${p.character} past the end of line ${p.line} (length ${lines[p.line]!.length})`);
  }
  assert.ok(before(r.start, r.end), `${what}: start ${JSON.stringify(r.start)} after end ${JSON.stringify(r.end)}`);
}

function checkDiagnostics(text: string, diagnostics: readonly LintDiagnostic[]): void {
  const lines = linesOf(text);
  for (const d of diagnostics) {
    const what = `${d.code} ${JSON.stringify(d.range)}`;
    assert.ok(Object.hasOwn(CODES, d.code), `unknown code ${d.code}`);
    // A 1xx finding may say less (information where the rule is unsure, or in a template) or more
    // (error, where its text is what makes sbatch reject the script); 0xx and 2xx keep their table's.
    if (d.code < 'SBATCH100' || d.code >= 'SBATCH200') assert.equal(d.severity, CODES[d.code].severity, `${d.code}: severity`);
    else assert.ok(['error', 'warning', 'information'].includes(d.severity), `${d.code}: severity ${d.severity}`);
    assert.ok(typeof d.message === 'string' && d.message.length > 0, `${d.code}: empty message`);
    checkRange(d.range, lines, what, false);
    for (const fix of d.fixes ?? []) {
      assert.ok(fix.title.length > 0, `${d.code}: fix without a title`);
      assert.ok(fix.edits.length > 0, `${d.code}: fix "${fix.title}" without edits`);
      for (const e of fix.edits) checkRange(e.range, lines, `${what} fix "${fix.title}"`, true);
    }
  }
}

/** Runs one case; returns the length of its input. */
function runCase(index: number): number {
  const { text, options } = input(index);
  try {
    const analysis = analyzeScript(text, options);
    assert.ok(Array.isArray(analysis.diagnostics));
    assert.equal(analysis.script.text, text);
    const diagnostics = lintText(text, options);
    assert.deepEqual(diagnostics.map((d) => d.code), analysis.diagnostics.map((d) => d.code), 'lintText and analyzeScript disagree');
    checkDiagnostics(text, diagnostics);
    // Sorted by start position, as lintText promises.
    for (let i = 1; i < diagnostics.length; i++) {
      assert.ok(before(diagnostics[i - 1]!.range.start, diagnostics[i]!.range.start), 'diagnostics not sorted by position');
    }
    // Fixes apply cleanly, the result lints, and the fix removes (one of) the diagnostics of its
    // code. A few per case keep it fast. Renaming an option (SBATCH020/021) may make getopt read
    // the following words differently, so for those only "no throw" is checked. sbatch stops at
    // the first stray word (SBATCH011), so quoting one may reveal a later one: what must hold is
    // that no stray word is left inside the quoted value.
    if (text.length < 50_000) {
      for (const d of diagnostics.filter((x) => x.fixes?.length).slice(0, 3)) {
        const fix = d.fixes![index % d.fixes!.length]!;
        const fixed = applyEdits(text, fix.edits);
        const after = lintText(fixed, options);
        checkDiagnostics(fixed, after);
        if (d.code === 'SBATCH020' || d.code === 'SBATCH021') continue;
        if (d.code === 'SBATCH011' && fix.edits.length === 1) {
          const e = fix.edits[0]!;
          const end = { line: e.range.start.line, character: e.range.start.character + e.newText.length };
          for (const x of after.filter((y) => y.code === 'SBATCH011')) {
            const inside = before(e.range.start, x.range.start) && !before(end, x.range.start);
            assert.ok(!inside, `fix "${fix.title}" of SBATCH011 left a stray word inside the quoted value: ${JSON.stringify(x.range)}`);
          }
          continue;
        }
        const count = (ds: readonly LintDiagnostic[]) => ds.filter((x) => x.code === d.code).length;
        assert.ok(count(after) < count(diagnostics), `fix "${fix.title}" of ${d.code} ${JSON.stringify(d.range)} left ${count(after)} ${d.code} of ${count(diagnostics)}`);
      }
    }
    return text.length;
  } catch (e) {
    const shown = text.length > 4000 ? `${JSON.stringify(text.slice(0, 4000))}... (${text.length} characters)` : JSON.stringify(text);
    const message = e instanceof Error ? e.stack ?? e.message : String(e);
    throw new Error(`fuzz case failed: HPC_JOBS_FUZZ_SEED=${SEED} HPC_JOBS_FUZZ_CASE=${index}\n` +
      `options: ${JSON.stringify({ ...options, directoryExists: options.directoryExists ? '(length is even)' : undefined })}\n` +
      `input: ${shown}\n${message}`);
  }
}

test(`fuzz: ${ONLY === undefined ? CASES : 1} random and mutated scripts (seed ${SEED})`, { timeout: TOTAL_BUDGET_MS + 60_000 }, (t) => {
  t.diagnostic(`seed ${SEED} (set HPC_JOBS_FUZZ_SEED to change, HPC_JOBS_FUZZ_CASE=<n> to rerun one case); ${SEEDS.length} seed scripts`);
  assert.ok(SEEDS.length >= 20, `expected the fixture scripts as mutation seeds, found ${SEEDS.length}`);
  const indexes = ONLY === undefined ? Array.from({ length: CASES }, (_, i) => i) : [ONLY];
  const started = Date.now();
  const slowest: { index: number; ms: number; length: number }[] = [];
  let done = 0;
  let chars = 0;
  for (const index of indexes) {
    const t0 = Date.now();
    const length = runCase(index);
    const ms = Date.now() - t0;
    done++;
    chars += length;
    slowest.push({ index, ms, length });
    slowest.sort((a, b) => b.ms - a.ms);
    slowest.length = Math.min(slowest.length, 3);
    // Bounded total: stop (and name the slowest inputs) rather than hang the run.
    const elapsed = Date.now() - started;
    assert.ok(elapsed < TOTAL_BUDGET_MS,
      `fuzz stopped after ${done} cases and ${elapsed} ms (budget ${TOTAL_BUDGET_MS} ms); slowest: ${JSON.stringify(slowest)} (seed ${SEED})`);
  }
  assert.equal(done, indexes.length);
  t.diagnostic(`${done} cases, ${chars} characters in ${Date.now() - started} ms; slowest: ${slowest.map((s) => `#${s.index} ${s.ms} ms (${s.length} chars)`).join(', ')}`);
});
