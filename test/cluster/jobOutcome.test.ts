/**
 * How jobs went, read from the real cluster's accounting (test/cluster/up.sh samples tasks every
 * 2 s and kills jobs past --mem: JobAcctGatherFrequency=task=2, OverMemoryKill). Each job measures
 * itself (CPU time and peak RSS from getrusage) and prints it: sacct's figures must agree within
 * the tolerances below, whatever else keeps the 2 cores busy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { outcomeBadge } from '../../runtimes/src/slurm/jobOutcome';
import type { SlurmCluster } from '../../runtimes/src/slurm/slurmCluster';
import { shellCommand } from '../../runtimes/src/transport/shellQuote';
import type { SshTransport } from '../../runtimes/src/transport/sshTransport';
import { clusterAvailability, cluster, knownHostsFor, requireEnv, scratch, suiteOptions, transport, waitFor } from './slurmTestCluster';

const available = clusterAvailability();
const MiB = 1024 ** 2;
/** sacct samples every 2 s: CPU time within 25% (+1 s), peak memory within 15% (+20 MiB) of what the job measured. */
const CPU_TOLERANCE = 0.25;
const MEM_TOLERANCE = 0.15;

/** Python that holds `mb` MiB (touched) and spins one core for `seconds`, then prints its own rusage. */
const busy = (mb: number, seconds: number) => `python3 -c "
import resource, time
a = bytearray(${mb} * 1024 * 1024); a[::4096] = b'x' * len(a[::4096])
t = time.time()
while time.time() - t < ${seconds}: pass
r = resource.getrusage(resource.RUSAGE_SELF)
print('SELF cpu=%.2f maxrss_kib=%d' % (r.ru_utime + r.ru_stime, r.ru_maxrss))"`;

describe('job outcomes against the cluster', suiteOptions(available, { concurrency: true, timeout: 180_000 }), () => {
  let ssh: SshTransport;
  let c: SlurmCluster;

  before(() => {
    const env = requireEnv(available);
    ssh = transport(env, knownHostsFor(env, scratch('outcome-')));
    c = cluster(ssh);
  });

  after(async () => {
    c.dispose();
    await ssh.dispose();
  });

  async function sbatch(...args: string[]): Promise<string> {
    const r = await ssh.exec(shellCommand(['sbatch', '--parsable', ...args]));
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim();
  }

  /** The job's outcomes once accounting has it ended (all tasks, for an array). */
  function ended(id: string, count = 1) {
    return waitFor(`job ${id} ended in accounting`, async () => {
      const all = await c.outcomes([id]);
      return all.length === count && all.every((o) => o.finished) ? all : undefined;
    }, 150_000, 1000);
  }

  test('~200 MiB and one busy core of two for ~20 s: CPU time, efficiency and peak memory as the job measured them', async () => {
    const out = `/tmp/hpc-jobs-outcome-${process.pid}.out`;
    const id = await sbatch('-J', 'outcome-busy', '-n1', '-c2', '-t', '2', '--mem=1G', '-o', out, '--wrap', busy(200, 20));
    const [o] = await ended(id);
    const self = /SELF cpu=([\d.]+) maxrss_kib=(\d+)/.exec((await ssh.readFile(out)).toString());
    await ssh.exec(shellCommand(['rm', '-f', out]));
    assert.ok(self, 'the job printed its own figures');
    const [cpu, rss] = [Number(self[1]), Number(self[2]) * 1024];
    assert.equal(o!.state, 'COMPLETED');
    assert.ok(Math.abs(o!.cpuTimeS! - cpu) <= cpu * CPU_TOLERANCE + 1, `sacct CPU ${o!.cpuTimeS} s, the job measured ${cpu} s`);
    assert.equal(o!.cpuEfficiency, o!.cpuTimeS! / (o!.elapsedS * 2));
    assert.ok(o!.elapsedS >= 20 && o!.timeLimitS === 120, `elapsed ${o!.elapsedS} of ${o!.timeLimitS}`);
    assert.ok(Math.abs(o!.peakMemBytes! - rss) <= rss * MEM_TOLERANCE + 20 * MiB, `sacct peak ${o!.peakMemBytes! / MiB} MiB, the job measured ${rss / MiB} MiB`);
    assert.equal(o!.allocMemBytes, 1024 ** 3);
    assert.match(outcomeBadge(o!).text, /^CPU \d+% · mem 0\.2\/1 GiB · 2\ds\/2m$/);
  });

  test('past --mem: killed, and read as out of memory', async () => {
    const id = await sbatch('-J', 'outcome-oom', '-n1', '-t', '2', '--mem=300M', '-o', '/dev/null', '--wrap',
      'python3 -c "import time\na = []\nwhile True:\n  a.append(bytearray(20 * 1024 * 1024)); a[-1][::4096] = b\'x\' * len(a[-1][::4096]); time.sleep(0.2)"');
    const [o] = await ended(id);
    assert.ok(o!.outOfMemory, JSON.stringify(o));
    assert.ok(o!.peakMemBytes! >= 0.9 * 300 * MiB, `peak ${o!.peakMemBytes! / MiB} MiB`);
    assert.equal(outcomeBadge(o!).warning, 'limit');
  });

  test('TIMEOUT: flagged, elapsed past the limit', async () => {
    const id = await sbatch('-J', 'outcome-slow', '-n1', '-t', '1', '-o', '/dev/null', '--wrap', 'sleep 300');
    const [o] = await ended(id);
    assert.deepEqual([o!.state, o!.timedOut, o!.timeLimitS], ['TIMEOUT', true, 60]);
    assert.ok(o!.elapsedS >= 60);
  });

  test('an array: every task with its own figures', async () => {
    const id = await sbatch('-J', 'outcome-array', '-t', '1', '--array=0-2', '--mem=300M', '-o', '/dev/null', '--wrap',
      'python3 -c "import os, time\na = bytearray(50 * 1024 * 1024 * (1 + int(os.environ[\'SLURM_ARRAY_TASK_ID\']))); a[::4096] = b\'x\' * len(a[::4096]); time.sleep(5)"');
    const tasks = await ended(id, 3);
    assert.deepEqual(tasks.map((t) => t.arrayTaskId).sort(), [0, 1, 2]);
    const peaks = [...tasks].sort((x, y) => x.arrayTaskId! - y.arrayTaskId!).map((t) => t.peakMemBytes!);
    assert.ok(peaks[0]! < peaks[1]! && peaks[1]! < peaks[2]!, `peaks grow with the task: ${peaks.map((p) => Math.round(p / MiB))} MiB`);
  });
});
