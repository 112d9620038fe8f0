/**
 * What CI reads from `hpc-jobs lint`: `--format sarif` validated against the SARIF 2.1.0 JSON
 * schema (OASIS, vendored in test/fixtures/sarif with its notice), and `--format github`, the
 * workflow commands GitHub Actions turns into annotations, kept whole for hostile file names.
 * Runs the built CLI (bin/hpc-jobs.js over out/cli.js).
 *
 * Run: node --import tsx --test test/integration/lintFormatsCi.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Ajv from 'ajv';
import { lintText } from '../../server/src/lint';
import { buildCliBundle, CLI, ROOT } from './cliBundle';

const SCHEMA = path.join(ROOT, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json');

function hpcJobs(args: readonly string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, input: opts.input, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sh = (...lines: string[]) => ['#!/bin/bash', ...lines, 'srun hostname', ''].join('\n');
const SCRIPTS: Record<string, string> = {
  'error.slurm': sh('#SBATCH --tiem=00:10:00', '#SBATCH --ntasks=0'),
  'warn.sh': sh('#SBATCH --time=5', '#SBATCH --time=10'),
  'note.sh': sh('#SBATCH --job-n=abbrev'),
  'clean.sh': sh('#SBATCH --time=5'),
  'crlf.sh': sh('#SBATCH --time=5').replace(/\n/g, '\r\n'),
  'my job #1, ünïcode.sh': sh('#SBATCH --tiem=5'),
  // A name that tries to end the annotation and start commands of its own.
  'evil,line=1:x\n::add-mask::secret\n::warning file=y::z.sh': sh('#SBATCH --tiem=5'),
};

let dir = '';
const file = (name: string) => path.join(dir, name);
before(() => {
  buildCliBundle();
  dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-ci-formats-'));
  for (const [name, text] of Object.entries(SCRIPTS)) writeFileSync(file(name), text);
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('hpc-jobs lint --format sarif against the SARIF 2.1.0 schema', () => {
  // The OASIS schema is draft-04 (`id`, not `$id`): Ajv 6 with the draft-04 meta-schema.
  const ajv = new Ajv({ schemaId: 'id', allErrors: true, format: 'full' });
  ajv.addMetaSchema(JSON.parse(readFileSync(require.resolve('ajv/lib/refs/json-schema-draft-04.json'), 'utf8')) as object);
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
  const assertValid = (log: unknown, what: string) => assert.ok(validate(log), `${what}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);

  test('the validator is live: it refuses a log that breaks the schema', () => {
    const log = JSON.parse(hpcJobs(['lint', '--format', 'sarif', file('error.slurm')]).stdout) as { runs: { results: { level: string }[] }[] };
    assertValid(log, 'as printed');
    log.runs[0]!.results[0]!.level = 'fatal';
    assert.equal(validate(log), false);
    assert.equal(validate({ version: '2.1.0' }), false);
  });

  test('absolute and relative paths, odd names, CRLF, every severity, stdin, no results: all valid', () => {
    const names = Object.keys(SCRIPTS);
    const absolute = hpcJobs(['lint', '--format', 'sarif', ...names.map(file)]);
    assert.equal(absolute.code, 1, absolute.stderr);
    const log = JSON.parse(absolute.stdout) as { runs: { results: { ruleId: string; level: string }[]; tool: { driver: { rules: unknown[] } } }[] };
    assertValid(log, 'absolute paths');
    // The same findings as the engine, every severity's level among them.
    const engine = names.flatMap((n) => lintText(SCRIPTS[n]!, { filePath: file(n) }));
    assert.deepEqual(log.runs[0]!.results.map((r) => r.ruleId), engine.map((d) => d.code));
    assert.deepEqual(new Set(log.runs[0]!.results.map((r) => r.level)), new Set(['error', 'warning', 'note']));

    assertValid(JSON.parse(hpcJobs(['lint', '--format', 'sarif', ...names], { cwd: dir }).stdout), 'relative paths');
    assertValid(JSON.parse(hpcJobs(['lint', '--format', 'sarif', '-'], { input: SCRIPTS['error.slurm']! }).stdout), 'stdin');
    const clean = hpcJobs(['lint', '--format', 'sarif', file('clean.sh')]);
    assert.equal(clean.code, 0);
    assertValid(JSON.parse(clean.stdout), 'no results');
  });
});

/** A workflow command parsed as the runner does: `::name k=v,k=v::data`, escapes undone. */
const COMMAND_LINE = /^::(error|warning|notice) ([^:]*)::(.*)$/;
const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
function parseCommands(stdout: string) {
  return stdout.split('\n').filter((l) => l !== '').map((line) => {
    const m = COMMAND_LINE.exec(line);
    assert.ok(m, `not a workflow command: ${JSON.stringify(line)}`);
    const props = Object.fromEntries(m[2]!.split(',').map((kv) => {
      const i = kv.indexOf('=');
      return [kv.slice(0, i), unescape(kv.slice(i + 1))];
    }));
    return { level: m[1]!, props, message: unescape(m[3]!) };
  });
}

describe('hpc-jobs lint --format github', () => {
  test('one annotation per finding: level, file, 1-based line and columns, code, message', () => {
    const r = hpcJobs(['lint', '--format', 'github', 'error.slurm', 'warn.sh', 'note.sh', 'clean.sh'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    const got = parseCommands(r.stdout);
    const want = ['error.slurm', 'warn.sh', 'note.sh'].flatMap((f) => lintText(SCRIPTS[f]!, { filePath: file(f) }).map((d) => ({ f, d })));
    assert.equal(got.length, want.length, r.stdout);
    for (const [i, { f, d }] of want.entries()) {
      const g = got[i]!;
      assert.equal(g.level, { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' }[d.severity]);
      assert.equal(g.props['file'], f);
      assert.equal(g.props['line'], String(d.range.start.line + 1));
      assert.equal(g.props['col'], String(d.range.start.character + 1));
      assert.equal(g.props['endColumn'], String(d.range.end.character + 1));
      assert.equal(g.props['title'], `hpc-jobs ${d.code}`);
      assert.equal(g.message, d.message);
    }
    assert.deepEqual(new Set(got.map((g) => g.level)), new Set(['error', 'warning', 'notice']));
  });

  test('a file name with newlines, commas and colons stays inside its own annotation', () => {
    const evil = Object.keys(SCRIPTS).find((n) => n.startsWith('evil'))!;
    const r = hpcJobs(['lint', '--format', 'github', evil, 'my job #1, ünïcode.sh'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2, r.stdout);
    assert.ok(lines.every((l) => l.startsWith('::error file=')), r.stdout);
    const got = parseCommands(r.stdout);
    assert.equal(got[0]!.props['file'], evil);
    assert.equal(got[0]!.props['line'], '2');
    assert.equal(got[1]!.props['file'], 'my job #1, ünïcode.sh');
  });

  test('standard input is named stdin; a clean script prints nothing and exits 0', () => {
    const r = hpcJobs(['lint', '--format', 'github', '-'], { input: SCRIPTS['warn.sh']! });
    assert.equal(r.code, 0);
    assert.equal(parseCommands(r.stdout)[0]!.props['file'], 'stdin');
    const clean = hpcJobs(['lint', '--format', 'github', file('clean.sh')]);
    assert.deepEqual([clean.code, clean.stdout], [0, '']);
  });
});

describe('hpc-jobs lint --skip-non-batch (pre-commit and CI pass every shell script)', () => {
  test('*.slurm/*.sbatch are always linted; other files only with #SBATCH lines', () => {
    const names = { 'plain.sh': 'make all\n', 'plain': 'make all\n', 'bare.slurm': 'srun x\n', 'bare.SBATCH': 'srun x\n', 'batch.sh': '#!/bin/bash\n#SBATCH --tiem=5\nsrun x\n' };
    for (const [n, t] of Object.entries(names)) writeFileSync(file(n), t);
    const r = hpcJobs(['lint', '--format', 'json', '--skip-non-batch', ...Object.keys(names)], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    const rows = JSON.parse(r.stdout) as { file: string; code: string }[];
    assert.deepEqual(rows.map((x) => `${x.file} ${x.code}`), ['bare.slurm SBATCH001', 'bare.SBATCH SBATCH001', 'batch.sh SBATCH020']);
    // Without the flag, every file is a batch script.
    const all = JSON.parse(hpcJobs(['lint', '--format', 'json', 'plain.sh', 'plain'], { cwd: dir }).stdout) as { file: string }[];
    assert.deepEqual([...new Set(all.map((x) => x.file))], ['plain.sh', 'plain']);
    assert.deepEqual([hpcJobs(['lint', '--skip-non-batch', '-'], { input: 'make all\n' }).code], [0]);
  });
});
