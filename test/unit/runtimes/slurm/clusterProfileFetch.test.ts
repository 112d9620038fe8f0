/** The cluster profile read from recorded scontrol/sacctmgr output (and through a fake runner). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  expandHostlist, fetchClusterProfile, parseConfig, parseGres, parseNodes, parsePartitions, parsePluginOptions, slurmTimeMinutes,
} from '../../../../runtimes/src/slurm/clusterProfileFetch';
import type { SlurmRunner } from '../../../../runtimes/src/slurm/slurmRunner';

const fx = (name: string): string => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

describe('cluster profile parsing', () => {
  test('partitions: debug (default, 30 min), long (2 days), gpu (4 h, n4)', () => {
    const parts = parsePartitions(fx('scontrol-partition-22.05.txt'));
    assert.deepEqual(parts.map((p) => [p.name, p.isDefault, p.maxTimeMinutes, p.nodes.join(',')]), [
      ['debug', true, 30, 'n1,n2,n3,n4'], ['long', false, 2880, 'n1,n2,n3,n4'], ['gpu', false, 240, 'n4'],
    ]);
  });

  test('nodes: 4 × 4 CPUs × 4000 MB, n4 with gpu:2', () => {
    const nodes = parseNodes(fx('scontrol-node-22.05.txt'));
    assert.deepEqual(nodes.map((n) => [n.name, n.cpus, n.memoryMB]), [['n1', 4, 4000], ['n2', 4, 4000], ['n3', 4, 4000], ['n4', 4, 4000]]);
    assert.deepEqual(nodes.find((n) => n.name === 'n4')!.gres, [{ name: 'gpu', count: 2 }]);
  });

  test('times, hostlists, gres', () => {
    const t: [string, number | undefined][] = [['30', 30], ['30:00', 30], ['00:30:00', 30], ['04:00:00', 240], ['2-00:00:00', 2880], ['1-12', 2160],
      ['1-0:30', 1470], ['0:30', 1], ['UNLIMITED', Infinity], ['NONE', undefined]];
    for (const [s, want] of t) assert.equal(slurmTimeMinutes(s), want, s);
    assert.deepEqual(expandHostlist('n[1-3,07],gpu1'), ['n1', 'n2', 'n3', 'n07', 'gpu1']);
    assert.deepEqual(expandHostlist('r[1-2]n[1-2]'), ['r1n1', 'r1n2', 'r2n1', 'r2n2']);
    assert.deepEqual(parseGres('gpu:a100:4(S:0-1),mps:100'), [{ name: 'gpu', type: 'a100', count: 4 }, { name: 'mps', count: 100 }]);
    assert.deepEqual(parseGres('(null)'), []);
  });

  test('fetchClusterProfile puts it together (accounts, MaxArraySize, version)', async () => {
    const answers: Record<string, string> = {
      'scontrol show partition': fx('scontrol-partition-22.05.txt'), 'scontrol show node': fx('scontrol-node-22.05.txt'),
      'scontrol show config': fx('scontrol-config-22.05.txt'), 'sacctmgr -n -P show assoc': fx('sacctmgr-assoc-22.05.txt'),
      'sacctmgr -n -P show user': 'proj1\n',
      'sbatch --help': 'Usage: sbatch [OPTIONS(0)...] [ : [OPTIONS(N)...]] script(0) [args(0)...]\n\nOther options:\n  -V, --version  output version information and exit\n',
    };
    const run = Object.assign(async (argv: readonly unknown[]) => {
      const key = Object.keys(answers).find((k) => argv.join(' ').startsWith(k));
      return { stdout: key ? answers[key]! : '', stderr: '', code: key ? 0 : 1 };
    }, { clusterName: 'test' }) as SlurmRunner;
    const p = await fetchClusterProfile(run, new Date(0));
    assert.equal(p.name, 'test');
    assert.equal(p.slurmVersion, '22.05.8');
    assert.equal(p.maxArraySize, 1001);
    assert.deepEqual(p.accounts, ['proj1', 'proj2']);
    assert.equal(p.defaultAccount, 'proj1');
    assert.deepEqual(p.qos, ['normal']);
    assert.equal(p.fetchedAt, '1970-01-01T00:00:00.000Z');
    assert.equal(parseConfig('MinJobAge               = 600 sec').get('MinJobAge'), '600 sec');
    // sbatch --help without a plugin section: the cluster has no plugin options.
    assert.deepEqual(p.pluginOptions, []);
  });

  test('plugin options from sbatch --help (the layout of plugstack.c _spank_opt_print)', () => {
    const help = [
      'Usage: sbatch [OPTIONS(0)...] [ : [OPTIONS(N)...]] script(0) [args(0)...]', '', 'Other options:',
      '  -V, --version               output version information and exit', '',
      'Options provided by plugins:',
      '      --image=image           Shifter image to use',
      '      --module=module         Shifter modules to load',
      '      --container-mounts=SRC:DST[:FLAGS][,SRC:DST...]',
      '                              [pyxis] bind mount[s] inside the container.',
      '      --no-container-mount-home',
      '                              [pyxis] do not bind mount the user\'s home directory', '',
    ].join('\n');
    assert.deepEqual(parsePluginOptions(help), ['image', 'module', 'container-mounts', 'no-container-mount-home']);
    assert.deepEqual(parsePluginOptions('Usage: sbatch\n  -V, --version\n'), []);
  });
});
