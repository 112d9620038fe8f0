/**
 * The real `hpc-jobs lint` process: output formats, exit codes, standard input and bad input.
 * Builds out/cli.js once (node esbuild.mjs), then spawns `node bin/hpc-jobs.js`.
 *
 * Run: node --import tsx --test test/integration/cli.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CODES } from '../../server/src/rules/codes';
import { buildCliBundle, CLI, ROOT } from './cliBundle';


interface Run { readonly code: number | null; readonly stdout: string; readonly stderr: string }

function hpcJobs(args: readonly string[], input?: string | Buffer): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT, input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir = '';
const file = (name: string) => path.join(dir, name);
const sh = (...lines: string[]) => ['#!/bin/bash', ...lines, 'echo hi', ''].join('\n');

const SCRIPTS: Record<string, string> = {
  'clean.sh': sh('#SBATCH --time=5'),
  // SBATCH103 (warning) only.
  'warn.sh': sh('#SBATCH --time=5', '#SBATCH --time=10'),
  // SBATCH020 (error): unknown option.
  'error.sh': sh('#SBATCH --tiem=00:10:00'),
  // SBATCH110 (information) only.
  'note.sh': sh('#SBATCH --job-n=abbrev'),
  // --tres-bind exists since 23.11.
  'newer.sh': sh('#SBATCH --tres-bind=gres/gpu:closest'),
  'empty.sh': '',
  'my job #1.sh': sh('#SBATCH --tiem=5'),
};

before(() => {
  buildCliBundle();

  dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-cli-'));
  for (const [name, text] of Object.entries(SCRIPTS)) writeFileSync(file(name), text);
  mkdirSync(file('a-folder'));
  // A few bytes of an ELF header: NULs and no "#!".
  writeFileSync(file('binary.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0xff, 0x10, 0x00, 0x3e]));
  // 3.8 MB (and 12 MB, over sbatch's limit): directives, then a long body with comments, launchers, loops and a few long lines.
  const body: string[] = ['#!/bin/bash', '#SBATCH --ntasks=4', '#SBATCH --time=1:00:00', '#SBATCH --mem=4G', 'set -euo pipefail'];
  let size = body.join('\n').length;
  // Big, but under the 4 MiB sbatch takes: every line is read.
  for (let i = 0; size < 4_000_000; i++) {
    const line = i % 1000 === 999 ? `echo ${'x'.repeat(20_000)}`
      : i % 7 === 0 ? `# step ${i}: #SBATCH lines here are comments to sbatch`
        : i % 11 === 0 ? `srun -n 4 ./step --index ${i} "quoted # not a comment" 'single'`
          : `for f in data/${i}/*.csv; do python process.py "$f" --out=out/${i}; done`;
    body.push(line);
    size += line.length + 1;
  }
  writeFileSync(file('big.sh'), body.join('\n') + '\n');
  writeFileSync(file('too-big.sh'), body.join('\n') + '\n' + body.slice(5).join('\n') + '\n' + body.slice(5).join('\n') + '\n');
});

after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const TEXT_LINE = /^(.+):(\d+):(\d+): (error|warning|note): (.+) \[(SBATCH\d{3})\]$/;

describe('hpc-jobs lint: text format', () => {
  test('file:line:col: severity: message [CODE], 1-based', () => {
    const r = hpcJobs(['lint', file('error.sh')]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stdout);
    const m = TEXT_LINE.exec(lines[0]!);
    assert.ok(m, `not file:line:col: severity: message [CODE]: ${lines[0]}`);
    assert.deepEqual([m[1], m[2], m[3], m[4], m[6]], [file('error.sh'), '2', '9', 'error', 'SBATCH020']);
    assert.match(m[5]!, /unrecognized option '--tiem'.*Did you mean --time/);
  });

  test('warnings and notes are labelled', () => {
    const w = hpcJobs(['lint', file('warn.sh')]);
    assert.match(w.stdout, /^.*warn\.sh:2:9: warning: .* \[SBATCH103\]\n$/);
    const n = hpcJobs(['lint', file('note.sh')]);
    assert.match(n.stdout, /^.*note\.sh:2:9: note: .* \[SBATCH110\]\n$/);
  });

  test('a clean script prints nothing', () => {
    const r = hpcJobs(['lint', file('clean.sh')]);
    assert.deepEqual(r, { code: 0, stdout: '', stderr: '' });
  });

  test('several files: each line names its file, in the order given', () => {
    const r = hpcJobs(['lint', file('warn.sh'), file('clean.sh'), file('error.sh')]);
    assert.equal(r.code, 1);
    const files = r.stdout.trimEnd().split('\n').map((l) => TEXT_LINE.exec(l)?.[1]);
    assert.deepEqual(files, [file('warn.sh'), file('error.sh')]);
  });
});

describe('hpc-jobs lint --format json', () => {
  test('one object per diagnostic with the documented fields', () => {
    const r = hpcJobs(['lint', '--format', 'json', file('error.sh'), file('warn.sh')]);
    assert.equal(r.code, 1);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.ok(Array.isArray(rows));
    for (const row of rows) {
      assert.deepEqual(Object.keys(row).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
    }
    assert.deepEqual(rows.map(({ message: _m, ...rest }) => rest), [
      { file: file('error.sh'), line: 2, column: 9, endLine: 2, endColumn: 15, severity: 'error', code: 'SBATCH020' },
      { file: file('warn.sh'), line: 2, column: 9, endLine: 2, endColumn: 17, severity: 'warning', code: 'SBATCH103' },
    ]);
    for (const row of rows) assert.ok(typeof row['message'] === 'string' && row['message'].length > 0);
  });

  test('-f json; no diagnostics is an empty array', () => {
    const r = hpcJobs(['lint', '-f', 'json', file('clean.sh')]);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });
});

describe('hpc-jobs lint --format sarif', () => {
  interface SarifResult {
    ruleId: string; ruleIndex?: number; level?: string; message: { text: string };
    locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
  }
  interface Sarif {
    $schema?: string; version: string;
    runs: { tool: { driver: { name: string; rules: { id: string; name?: string; shortDescription?: { text: string } }[] } }; results: SarifResult[] }[];
  }

  test('SARIF 2.1.0: version, one run, the tool\'s rules, results with ruleId and locations', () => {
    const r = hpcJobs(['lint', '--format', 'sarif', file('error.sh'), file('warn.sh'), file('clean.sh')]);
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.stdout) as Sarif;
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema ?? '', /sarif.*2\.1\.0/);
    assert.equal(sarif.runs.length, 1);
    const run = sarif.runs[0]!;
    assert.equal(run.tool.driver.name, 'hpc-jobs');
    const ids = run.tool.driver.rules.map((rule) => rule.id);
    assert.deepEqual(ids, Object.keys(CODES));
    for (const rule of run.tool.driver.rules) assert.ok(rule.shortDescription?.text, `${rule.id}: no shortDescription`);

    assert.equal(run.results.length, 2);
    for (const res of run.results) {
      assert.ok(res.ruleId in CODES);
      assert.equal(run.tool.driver.rules[res.ruleIndex!]?.id, res.ruleId, 'ruleIndex points at the rule');
      assert.ok(['none', 'note', 'warning', 'error'].includes(res.level!));
      assert.ok(res.message.text.length > 0);
      assert.equal(res.locations.length, 1);
    }
    const [err, warn] = run.results;
    assert.equal(err!.ruleId, 'SBATCH020');
    assert.equal(err!.level, 'error');
    assert.deepEqual(err!.locations[0]!.physicalLocation.region, { startLine: 2, startColumn: 9, endLine: 2, endColumn: 15 });
    assert.equal(err!.locations[0]!.physicalLocation.artifactLocation.uri, new URL(`file://${file('error.sh')}`).href);
    assert.equal(warn!.ruleId, 'SBATCH103');
    assert.equal(warn!.level, 'warning');
  });

  test('artifact URIs are valid URI references, also for odd file names and relative paths', () => {
    const abs = hpcJobs(['lint', '--format', 'sarif', file('my job #1.sh')]);
    const uri = (JSON.parse(abs.stdout) as Sarif).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri;
    assert.doesNotMatch(uri, /[ #]/, `not a valid URI: ${uri}`);
    assert.equal(decodeURIComponent(new URL(uri).pathname), file('my job #1.sh'));

    const rel = spawnSync(process.execPath, [CLI, 'lint', '--format', 'sarif', 'my job #1.sh'], { cwd: dir, encoding: 'utf8' });
    const relUri = (JSON.parse(rel.stdout) as Sarif).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri;
    assert.equal(relUri, 'my%20job%20%231.sh');

    const stdin = hpcJobs(['lint', '--format', 'sarif', '-'], SCRIPTS['error.sh']);
    assert.equal((JSON.parse(stdin.stdout) as Sarif).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'stdin');
  });
});

describe('hpc-jobs lint: exit status', () => {
  test('errors → 1, warnings only → 0, warnings with --strict → 1, notes with --strict → 0', () => {
    assert.equal(hpcJobs(['lint', file('error.sh')]).code, 1);
    assert.equal(hpcJobs(['lint', file('warn.sh')]).code, 0);
    assert.equal(hpcJobs(['lint', '--strict', file('warn.sh')]).code, 1);
    assert.equal(hpcJobs(['lint', '--strict', file('note.sh')]).code, 0);
    assert.equal(hpcJobs(['lint', '--strict', file('clean.sh')]).code, 0);
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['an unknown option', ['lint', '--bogus', 'x.sh'], /--bogus/],
    ['an unknown format', ['lint', '--format', 'xml', 'x.sh'], /unknown format 'xml'/],
    ['no files', ['lint'], /no files given/],
    ['no files, only options', ['lint', '--strict', '--format', 'json'], /no files given/],
    ['a release that is not one', ['lint', '--slurm-version', 'latest', 'x.sh'], /'latest' is not a Slurm release/],
    ['--slurm-version without a value', ['lint', file('clean.sh'), '--slurm-version'], /slurm-version/],
    ['an unknown command', ['lnit', 'x.sh'], /unknown command 'lnit'/],
  ];
  for (const [what, args, message] of usage) {
    test(`${what} → 2, a message on stderr and nothing on stdout`, () => {
      const r = hpcJobs(args);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  test('a usage error is the message and the synopsis, not the whole help scrolling it away', () => {
    const r = hpcJobs(['lint', '--format', 'xml', 'x.sh']);
    assert.equal(r.code, 2);
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /^hpc-jobs lint: unknown format 'xml'/);
    assert.match(lines[1]!, /^Usage: hpc-jobs lint /);
    assert.equal(lines.at(-1), 'Run "hpc-jobs lint --help" for its options.');
    assert.ok(lines.length <= 4, r.stderr);
  });

  test('--help → 0 with the usage on stdout', () => {
    const r = hpcJobs(['lint', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: hpc-jobs lint/);
  });
});

describe('hpc-jobs lint -: standard input', () => {
  test('reads the script from stdin and names it "-"', () => {
    const r = hpcJobs(['lint', '-'], SCRIPTS['error.sh']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^-:2:9: error: .* \[SBATCH020\]\n$/);
  });

  test('json from stdin; a clean script exits 0', () => {
    const r = hpcJobs(['lint', '--format=json', '-'], SCRIPTS['clean.sh']);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });

  test('empty stdin is an empty script (SBATCH004), not an I/O error', () => {
    const r = hpcJobs(['lint', '-'], '');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^-:1:1: error: .* \[SBATCH004\]\n$/);
  });

  test('binary on stdin → 2', () => {
    const r = hpcJobs(['lint', '-'], Buffer.from([0, 1, 2, 0, 0xff]));
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^hpc-jobs lint: -: .*binary/);
  });
});

describe('hpc-jobs lint: bad input', () => {
  const bad: Array<[string, () => string, RegExp]> = [
    ['a missing file', () => file('nope.sh'), /no such file/],
    ['a directory', () => file('a-folder'), /is a directory/],
    ['a binary file', () => file('binary.bin'), /binary file/],
  ];
  for (const [what, name, message] of bad) {
    test(`${what} → 2 with a clear message`, () => {
      const target = name();
      const r = hpcJobs(['lint', target]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.startsWith(`hpc-jobs lint: ${target}: `), r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  test('a bad file next to good ones: the good ones are still linted, exit 2', () => {
    const r = hpcJobs(['lint', file('warn.sh'), file('nope.sh'), file('error.sh')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.sh: no such file/);
    assert.match(r.stdout, /warn\.sh:2:9: warning: .*\[SBATCH103\]/);
    assert.match(r.stdout, /error\.sh:2:9: error: .*\[SBATCH020\]/);
  });

  test('an empty file is a lint error (SBATCH004) → 1, not an I/O error', () => {
    const r = hpcJobs(['lint', file('empty.sh')]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, `${file('empty.sh')}:1:1: error: sbatch rejects an empty script ("Batch script is empty!"). [SBATCH004]\n`);
  });

  test('a 3.8 MB script is linted to the end', { timeout: 120_000 }, () => {
    assert.ok(statSync(file('big.sh')).size >= 3_900_000);
    const r = hpcJobs(['lint', '--format', 'json', file('big.sh')]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });

  test('a 12 MB script: one error, as sbatch refuses a script over 4 MiB (SBATCH005)', { timeout: 120_000 }, () => {
    assert.ok(statSync(file('too-big.sh')).size > 4 * 1024 * 1024);
    const r = hpcJobs(['lint', '--format', 'json', file('too-big.sh')]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 1);
    assert.deepEqual((JSON.parse(r.stdout) as { code: string }[]).map((d) => d.code), ['SBATCH005']);
  });
});

describe('hpc-jobs lint --slurm-version', () => {
  test('an option added after the targeted release → SBATCH024', () => {
    const r = hpcJobs(['lint', '--slurm-version', '22.05', '--format', 'json', file('newer.sh')]);
    assert.equal(r.code, 1);
    const rows = JSON.parse(r.stdout) as { code: string; line: number; column: number; endColumn: number; message: string }[];
    assert.deepEqual(rows.map((d) => [d.code, d.line, d.column, d.endColumn]), [['SBATCH024', 2, 9, 20]]);
    assert.match(rows[0]!.message, /--tres-bind was added in Slurm 23\.11/);
  });

  test('the same option is fine for a release that has it, or with no release given', () => {
    for (const args of [['--slurm-version', '23.11'], ['--slurm-version=24.05.3'], []]) {
      const r = hpcJobs(['lint', ...args, file('newer.sh')]);
      assert.deepEqual([r.code, r.stdout], [0, ''], `with ${args.join(' ') || 'no version'}`);
    }
  });
});
