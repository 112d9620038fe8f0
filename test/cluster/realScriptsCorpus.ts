/**
 * The realistic corpus (test/fixtures/real-scripts): batch scripts written in the styles users
 * really meet, each with what real `sbatch --test-only` said and what a careful Slurm expert
 * expects the linter to say. Shared by the lint test (test/unit/server/realScripts.test.ts), the recorder
 * (recordRealScripts.ts) and the live check (realScriptsVerdicts.test.ts), so all read one format.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SbatchVerdict } from './sbatchTestOnly';

export const REAL_SCRIPTS_DIR = path.resolve(__dirname, '..', 'fixtures', 'real-scripts');
export const REAL_EXPECTED_FILE = path.join(REAL_SCRIPTS_DIR, 'expected.json');

/** What sbatch --test-only said, plus the judgement whether a rejection is only about the test site. */
export interface RecordedVerdict extends SbatchVerdict {
  /**
   * Rejected here only because the test cluster is not the script's site (its partition, account
   * or QOS names, node sizes and limits, SPANK plugin options, or a newer release's options): on
   * the site it was written for sbatch accepts it. Judged by hand; the recorder keeps it.
   */
  readonly siteOnly?: boolean;
}

/** A finding a careful expert reports on the script (1-based line). */
export interface ExpectedFinding {
  readonly line: number;
  readonly code: string;
  readonly why: string;
}

export interface RealScriptEntry {
  /** centre-doc | ml | template | mpi | pipeline | array | hetjob | pbs ... */
  readonly style: string;
  /** The release the script's site runs: the lint target. */
  readonly slurmVersion?: string;
  readonly sbatch?: RecordedVerdict;
  readonly expect: readonly ExpectedFinding[];
  /** 1-based lines that must carry no warning or error (heredoc #SBATCH, prose, template syntax...). */
  readonly quiet: readonly number[];
}

export type RealScriptsExpected = Record<string, RealScriptEntry>;

/** Every script of the corpus (any name but the expectations and the README), sorted. */
export function realScriptFiles(): string[] {
  return readdirSync(REAL_SCRIPTS_DIR)
    .filter((f) => f !== 'expected.json' && f !== 'README.md')
    .sort();
}

export function loadRealExpected(): RealScriptsExpected {
  return JSON.parse(readFileSync(REAL_EXPECTED_FILE, 'utf8')) as RealScriptsExpected;
}

/** sbatch accepts the script on the site it was written for. */
export function acceptedOnSite(v: RecordedVerdict): boolean {
  return v.accepted || v.siteOnly === true;
}

/**
 * expected.json as written by hand and by the recorder: one script per block, one finding per
 * line, quiet lines on one line, so that diffs stay readable.
 */
export function formatRealExpected(all: RealScriptsExpected): string {
  const blocks = Object.keys(all).sort().map((file) => {
    const e = all[file]!;
    const lines: string[] = [`    "style": ${JSON.stringify(e.style)}`];
    if (e.slurmVersion !== undefined) lines.push(`    "slurmVersion": ${JSON.stringify(e.slurmVersion)}`);
    if (e.sbatch) lines.push(`    "sbatch": ${JSON.stringify(e.sbatch)}`);
    lines.push(
      e.expect.length
        ? `    "expect": [\n${e.expect.map((f) => `      ${JSON.stringify({ line: f.line, code: f.code, why: f.why })}`).join(',\n')}\n    ]`
        : '    "expect": []',
    );
    lines.push(`    "quiet": ${JSON.stringify(e.quiet)}`);
    return `  ${JSON.stringify(file)}: {\n${lines.join(',\n')}\n  }`;
  });
  return `{\n${blocks.join(',\n')}\n}\n`;
}
