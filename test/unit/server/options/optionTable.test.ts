/**
 * Keeps server/src/options/sbatchOptions.ts honest against sbatch's real getopt tables,
 * saved per release in test/fixtures/slurm-options/<YY.MM>.tsv (made by extract.mjs there
 * from Slurm's src/common/slurm_opt.c), and checks the lookup helpers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  SBATCH_OPTIONS, SLURM_RELEASES, argKindIn, existsIn, findLongOption, findShortOption, matchLongOption,
  optionsForVersion, suggestOptions,
} from '../../../../server/src/options/sbatchOptions';
import type { SbatchOption } from '../../../../server/src/options/optionTypes';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'slurm-options');

interface FixtureRow { readonly name: string; readonly short: string | undefined; readonly arg: string }

function readFixture(file: string): FixtureRow[] {
  return readFileSync(join(FIXTURES, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [name, short, arg] = line.split('\t');
      assert.ok(name && short && arg, `malformed fixture line in ${file}: ${JSON.stringify(line)}`);
      return { name, short: short === '-' ? undefined : short, arg };
    });
}

const fixtureFiles = readdirSync(FIXTURES).filter((f) => f.endsWith('.tsv')).sort();
const fixtures = new Map(fixtureFiles.map((f) => [f.replace(/\.tsv$/, ''), readFixture(f)]));

test('there is a fixture for every release the table covers', () => {
  assert.deepEqual([...fixtures.keys()], [...SLURM_RELEASES]);
  for (const [version, rows] of fixtures) assert.ok(rows.length > 90, `${version}.tsv looks truncated`);
});

for (const [version, rows] of fixtures) {
  test(`table matches sbatch's getopt table of ${version}`, () => {
    const inFixture = new Set(rows.map((r) => r.name));
    for (const row of rows) {
      const option = findLongOption(row.name);
      assert.ok(option, `--${row.name} (in ${version}) is missing from the table`);
      assert.equal(option.short, row.short, `--${row.name}: short letter in ${version}`);
      assert.equal(argKindIn(option, version), row.arg, `--${row.name}: has_arg in ${version}`);
      assert.ok(existsIn(option, version), `--${row.name}: since/removed/absentIn must admit ${version}`);
    }
    for (const option of SBATCH_OPTIONS) {
      if (existsIn(option, version)) {
        assert.ok(inFixture.has(option.name), `--${option.name} is claimed for ${version} but sbatch ${version} lacks it`);
      }
    }
    assert.deepEqual(optionsForVersion(version).map((o) => o.name).sort(), [...inFixture].sort());
  });
}

test('the table is well formed', () => {
  const names = new Set<string>();
  const shorts = new Set<string>();
  const release = /^\d{2}\.\d{2}$/;
  for (const o of SBATCH_OPTIONS) {
    assert.ok(!names.has(o.name), `duplicate --${o.name}`);
    names.add(o.name);
    if (o.short) {
      assert.equal(o.short.length, 1, `--${o.name}: short must be one letter`);
      assert.ok(!shorts.has(o.short), `duplicate -${o.short}`);
      shorts.add(o.short);
    }
    assert.ok(o.description.length > 0 && !o.description.includes('\n'), `--${o.name}: one-line description`);
    for (const v of [o.since, o.removed, ...(o.absentIn ?? []), ...(o.earlierArgs ?? []).map((e) => e.until)]) {
      if (v !== undefined) assert.match(v, release, `--${o.name}: version ${v}`);
    }
    if (o.type === 'enum') assert.ok(o.values && o.values.length > 0, `--${o.name}: enum needs values`);
    for (const c of o.conflicts ?? []) {
      const other = findLongOption(c);
      assert.ok(other, `--${o.name} conflicts with unknown --${c}`);
      assert.ok(other.conflicts?.includes(o.name), `conflict --${o.name}/--${c} must be listed on both`);
    }
  }
});

test('findShortOption', () => {
  assert.equal(findShortOption('t')?.name, 'time');
  assert.equal(findShortOption('-N')?.name, 'nodes');
  assert.equal(findShortOption('J')?.name, 'job-name');
  assert.equal(findShortOption('s')?.name, 'oversubscribe');
  assert.equal(findShortOption('y'), undefined);
});

test('findLongOption is exact', () => {
  assert.equal(findLongOption('time')?.name, 'time');
  assert.equal(findLongOption('--mem')?.name, 'mem');
  assert.equal(findLongOption('tim'), undefined);
});

function names(options: readonly SbatchOption[]): string[] {
  return options.map((o) => o.name).sort();
}

test('matchLongOption: an exact name wins over longer names it prefixes', () => {
  assert.deepEqual(matchLongOption('time'), { kind: 'exact', option: findLongOption('time') });
  assert.equal(matchLongOption('mem').kind, 'exact'); // also a prefix of mem-bind, mem-per-cpu, ...
  assert.equal(matchLongOption('--nodes').kind, 'exact');
  assert.equal(matchLongOption('cluster').kind, 'exact');
});

test('matchLongOption: unique prefixes resolve', () => {
  const cases: [string, string][] = [
    ['job', 'job-name'], ['part', 'partition'], ['--out', 'output'], ['acco', 'account'],
    ['mem-per-c', 'mem-per-cpu'], ['cpus-per-t', 'cpus-per-task'], ['wra', 'wrap'], ['time-', 'time-min'],
  ];
  for (const [written, expected] of cases) {
    const m = matchLongOption(written);
    assert.equal(m.kind, 'prefix', written);
    assert.equal(m.kind === 'prefix' ? m.option.name : undefined, expected, written);
  }
});

test('matchLongOption: several different options are ambiguous', () => {
  const tim = matchLongOption('tim'); // time and time-min
  assert.equal(tim.kind, 'ambiguous');
  assert.deepEqual(tim.kind === 'ambiguous' ? names(tim.candidates) : [], ['time', 'time-min']);
  const cpu = matchLongOption('--cpu');
  assert.equal(cpu.kind, 'ambiguous');
  assert.deepEqual(cpu.kind === 'ambiguous' ? names(cpu.candidates) : [], ['cpu-freq', 'cpus-per-gpu', 'cpus-per-task']);
  // cluster (LONG_OPT_CLUSTER) and clusters ('M') are different getopt entries.
  const clus = matchLongOption('clus');
  assert.equal(clus.kind, 'ambiguous');
  assert.deepEqual(clus.kind === 'ambiguous' ? names(clus.candidates) : [], ['cluster', 'cluster-constraint', 'clusters']);
  assert.equal(matchLongOption('nod').kind, 'ambiguous');
  assert.equal(matchLongOption('acc').kind, 'ambiguous'); // account, acctg-freq
});

test('matchLongOption: unknown names', () => {
  assert.deepEqual(matchLongOption('tiem'), { kind: 'unknown' });
  assert.deepEqual(matchLongOption('--walltime'), { kind: 'unknown' });
});

test('matchLongOption: a version narrows the candidates', () => {
  // --res: reservation alone in 22.05; resv-ports (24.05) and resources (25.11) join later.
  const old = matchLongOption('res', '22.05');
  assert.equal(old.kind === 'prefix' ? old.option.name : old.kind, 'reservation');
  assert.equal(matchLongOption('res', '26.05').kind, 'ambiguous');
  assert.equal(matchLongOption('power', '24.05').kind, 'unknown');
  assert.equal(matchLongOption('power').kind, 'exact');
  assert.equal(matchLongOption('runtime', '26.05').kind, 'unknown');
  assert.equal(matchLongOption('export-file', '23.11').kind, 'unknown');
  const cont = matchLongOption('container-t', '26.05');
  assert.equal(cont.kind === 'prefix' ? cont.option.name : cont.kind, 'container-type');
});

test('version-dependent arg kinds', () => {
  const requeue = findLongOption('requeue')!;
  assert.equal(argKindIn(requeue, '25.05'), 'none');
  assert.equal(argKindIn(requeue, '25.11'), 'optional');
  assert.equal(argKindIn(requeue), 'optional');
  const env = findLongOption('get-user-env')!;
  assert.equal(argKindIn(env, '24.11'), 'optional');
  assert.equal(argKindIn(env, '25.05'), 'none');
});

test('optionsForVersion defaults to the current release', () => {
  const current = names(optionsForVersion());
  assert.deepEqual(current, names(optionsForVersion('26.05')));
  assert.ok(current.includes('container-type') && !current.includes('runtime'));
  assert.deepEqual(names(optionsForVersion('24.05.3')), names(optionsForVersion('24.05')));
});

test('suggestOptions', () => {
  assert.equal(suggestOptions('tiem')[0]?.name, 'time');
  assert.equal(suggestOptions('--tiem')[0]?.name, 'time');
  assert.equal(suggestOptions('job-nmae')[0]?.name, 'job-name');
  assert.equal(suggestOptions('partiton')[0]?.name, 'partition');
  assert.equal(suggestOptions('memory')[0]?.name, 'mem');
  assert.ok(suggestOptions('gpu', 10).some((o) => o.name === 'gpus-per-node'));
  assert.ok(suggestOptions('gpu').length <= 3);
  assert.deepEqual(suggestOptions('zzzzzzzz'), []);
  assert.ok(!suggestOptions('clustr', 10).some((o) => o.hidden));
});
