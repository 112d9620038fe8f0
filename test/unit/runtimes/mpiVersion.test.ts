import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { mpirunArgs, parseMpiVersion } from '../../../runtimes/src/mpiVersion';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'mpi-version');

describe('parseMpiVersion: which MPI from `mpirun --version`', () => {
  test('Open MPI 4.1.4, recorded on this machine', () => {
    assert.deepEqual(parseMpiVersion(readFileSync(path.join(FIXTURES, 'openmpi-4.1.4.recorded.txt'), 'utf8')), { family: 'openmpi', version: '4.1.4', major: 4 });
  });
  // The other launchers' banners as their documentation and source print them.
  const rows: Array<[string, string, string]> = [
    ['mpirun (Open MPI) 5.0.3\n\nReport bugs to https://www.open-mpi.org/community/help/\n', 'openmpi', '5.0.3'],
    ['prterun (Open MPI) 5.0.0rc12\n', 'openmpi', '5.0.0rc12'],
    ['HYDRA build details:\n    Version:                                 4.0.2\n    Release Date:                            Thu Mar 31 17:49:44 CDT 2022\n    CC:                              gcc\n', 'mpich', '4.0.2'],
    ['Intel(R) MPI Library for Linux* OS, Version 2021.10 Build 20230619 (id: c2e19c2f3e)\nCopyright 2003-2023, Intel Corporation.\n', 'intel', '2021.10'],
    ['HYDRA build details:\n    Version:                                 3.3.2\n    MVAPICH2 Version:                        2.3.7\n', 'mvapich', '2.3.7'],
    ['something else entirely\n', 'unknown', ''],
  ];
  for (const [text, family, version] of rows) {
    test(`${family} ${version}`, () => {
      const v = parseMpiVersion(text);
      assert.equal(v.family, family);
      assert.equal(v.version, version);
    });
  }
});

describe('mpirunArgs', () => {
  const openmpi = parseMpiVersion('mpirun (Open MPI) 4.1.4');
  const mpich = parseMpiVersion('HYDRA build details:\n    Version: 4.0.2\n');
  test('Open MPI, more ranks than cores, as root, tagged', () => {
    const a = mpirunArgs({ mpi: openmpi, ranks: 8, cores: 2, root: true, tagOutput: true });
    assert.deepEqual(a.args, ['-n', '8', '--tag-output', '--oversubscribe', '--allow-run-as-root']);
    assert.deepEqual(a.env, { OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' });
    assert.match(a.notes.join('\n'), /added --oversubscribe: 8 ranks on 2 cores/);
  });
  test('Open MPI within the cores, not root, per-rank files', () => {
    const a = mpirunArgs({ mpi: openmpi, ranks: 2, cores: 2, root: false, tagOutput: false });
    assert.deepEqual(a.args, ['-n', '2']);
    assert.deepEqual(a.env, {});
    assert.deepEqual(a.notes, []);
  });
  test('MPICH tags with -prepend-rank and needs no oversubscribe flag', () => {
    const a = mpirunArgs({ mpi: mpich, ranks: 8, cores: 2, root: true, tagOutput: true });
    assert.deepEqual(a.args, ['-n', '8', '-prepend-rank']);
    assert.deepEqual(a.env, {});
  });
});
