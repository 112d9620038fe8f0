/**
 * Reason codes in words. The fixture lists every code job_reason_string (22.05–23.11) and
 * job_state_reason.c (24.05–26.05) define, taken from Slurm's sources at each release's first tag.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { knowsReason, reasonWords } from '../../../../runtimes/src/slurm/pendingReasons';

const byRelease = JSON.parse(readFileSync(path.join(__dirname, '../../../fixtures/slurm-reasons/reasons.json'), 'utf8')) as Record<string, string[]>;
const all = [...new Set(Object.values(byRelease).flat())].sort();

describe('pending reasons in words', () => {
  test('the fixture covers 22.05 to 26.05', () => {
    assert.deepEqual(Object.keys(byRelease), ['22.05', '23.02', '23.11', '24.05', '24.11', '25.05', '25.11', '26.05']);
    assert.ok(all.length > 200, `${all.length} codes`);
  });

  test('every code Slurm defines has words of its own (none shown raw)', () => {
    const raw = all.filter((c) => !knowsReason(c));
    assert.deepEqual(raw, []);
    for (const c of all) {
      const w = reasonWords(c);
      assert.doesNotMatch(w.text, /Slurm says/, c);
      assert.ok(w.short.length > 0 && w.short.length <= 56, `${c}: short is ${JSON.stringify(w.short)}`);
      assert.doesNotMatch(`${w.text} ${w.short} ${w.advice ?? ''}`, /undefined|\ba (resource|resources)-|more a |fewer memory/, c);
    }
  });

  test('what users meet most, with what they can do', () => {
    assert.deepEqual(reasonWords('Priority'), {
      code: 'Priority', text: 'Waiting behind jobs with a higher priority', short: 'behind higher-priority jobs', kind: 'wait',
      advice: 'It starts when they do; `sprio` shows how priorities compare. A shorter --time can let backfill start it sooner',
    });
    assert.equal(reasonWords('Resources').kind, 'wait');
    assert.equal(reasonWords('JobHeldUser').kind, 'held');
    assert.match(reasonWords('JobHeldUser').advice!, /Release/);
    assert.equal(reasonWords('DependencyNeverSatisfied').kind, 'blocked');
    assert.equal(reasonWords('PartitionTimeLimit').kind, 'blocked');
  });

  test('limit families are read by their parts: whose limit, on what, per what', () => {
    assert.deepEqual(
      [reasonWords('QOSMaxCpuPerUserLimit').text, reasonWords('QOSMaxCpuPerUserLimit').kind, reasonWords('QOSMaxCpuPerUserLimit').short],
      ['The QOS\'s limit on CPUs per user is reached', 'wait', 'QOS limit: CPUs per user']);
    assert.deepEqual([reasonWords('AssocGrpGRESRunMinutes').text, reasonWords('AssocGrpGRESRunMinutes').kind],
      ['Your account\'s limit on GRES-minutes of running jobs for the whole group is reached', 'wait']);
    // Per-job limits never clear by waiting.
    assert.deepEqual([reasonWords('QOSMaxNodePerJobLimit').text, reasonWords('QOSMaxNodePerJobLimit').kind],
      ['Asks for more nodes than the QOS\'s limit per job allows', 'blocked']);
    assert.equal(reasonWords('MaxCpuPerAccount').text, 'The QOS\'s limit on CPUs per account is reached');
    assert.equal(reasonWords('QOSMinMemory').text, 'Asks for less memory than the QOS requires');
    // A resource Slurm adds later to a known pattern still reads.
    assert.ok(knowsReason('QOSMaxNodePerUserLimit'));
  });

  test('a code this build does not know is shown as Slurm wrote it', () => {
    assert.deepEqual(reasonWords('SomethingNew'), { code: 'SomethingNew', text: 'Slurm says "SomethingNew"', short: 'SomethingNew', kind: 'wait' });
    assert.equal(knowsReason('SomethingNew'), false);
  });
});
