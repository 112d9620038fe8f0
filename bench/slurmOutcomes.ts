/**
 * How finished jobs went, for a whole 1,000-task array in one refresh, against the local test
 * cluster (test/cluster/up.sh, accounting on) and its real sshd:
 *   ours         SlurmCluster.outcomes([array id]): one `sacct -P` with steps over the ssh2
 *                connection, parsed into 1,000 outcomes (median of --rounds, half before and
 *                half after the peers, so drifting load falls on both sides);
 *   seff         Slurm's contribs/seff (Perl, libslurmdb-perl), once per task, for an evenly
 *                spread sample of tasks, extrapolated to 1,000:
 *                  on the cluster  a loop in one shell there, no SSH cost (the peer at its best),
 *                  over SSH        one exec per task on the same ssh2 connection (what a tool
 *                                  calling seff per job pays);
 *   sacct        the same per task (ours' fields, one task per call), both ways.
 * seff is not committed: the one of the cluster's Slurm release is taken from a Slurm git
 * checkout (`git show slurm-22-05-8-1:contribs/seff/seff`) or --seff FILE, copied to a
 * mktemp file on the cluster and removed at the end. Without it (or without the Perl modules
 * on the cluster) the seff rows say why and the comparison is with sacct per task.
 *
 *   node --import tsx bench/slurmOutcomes.ts [--array-job ID] [--rounds 7] [--sample 50]
 *        [--seff FILE | --slurm-git DIR] [--wait-minutes 10]
 *
 * --array-job reuses an ended 1,000-task array (a rerun need not submit another).
 * Target: ours ≥ 20× faster than seff per task, < 1 s for the 1,000.
 * Not a test: prints figures and exits 0 unless it cannot run (no cluster or accounting: exit 2).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { OUTCOME_FIELDS, parseOutcomes, type JobOutcome } from '../runtimes/src/slurm/jobOutcome';
import { slurmRunner, type SlurmRunner } from '../runtimes/src/slurm/slurmRunner';
import { shellCommand, type Word } from '../runtimes/src/transport/shellQuote';
import { clusterAvailability, cluster, knownHostsFor, scratch, transport } from '../test/cluster/slurmTestCluster';

const { values } = parseArgs({
  options: {
    'array-job': { type: 'string' },
    rounds: { type: 'string', default: '7' },
    sample: { type: 'string', default: '50' },
    seff: { type: 'string' },
    'slurm-git': { type: 'string', default: process.env['SLURM_GIT'] ?? '/work/.mirror/SchedMD+slurm/repo' },
    'wait-minutes': { type: 'string', default: '10' },
  },
});
const TASKS = 1000;

/** A whole number option within bounds, or exit 2 saying which one is wrong. */
function count(name: string, text: string | undefined, min: number, max: number): number {
  const n = Number(text);
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  console.error(`slurmOutcomes: --${name} wants a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`);
  process.exit(2);
}
const ROUNDS = count('rounds', values.rounds, 1, 100);
const SAMPLE = count('sample', values.sample, 1, TASKS);
const WAIT_MINUTES = count('wait-minutes', values['wait-minutes'], 1, 120);
if (values['array-job'] !== undefined && !/^\d+$/.test(values['array-job'])) {
  console.error(`slurmOutcomes: --array-job wants the id of an ended ${TASKS}-task array, not ${JSON.stringify(values['array-job'])}`);
  process.exit(2);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `slurm-wlm 22.05.8` → `slurm-22-05-8-1`, the tag of that release in SchedMD/slurm. */
function releaseTag(version: string): string | undefined {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? `slurm-${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]}-1` : undefined;
}

/** seff's source for the cluster's release, or why there is none. */
function seffSource(tag: string | undefined): { text: string; from: string } | { why: string } {
  if (values.seff) {
    try { return { text: readFileSync(values.seff, 'utf8'), from: values.seff }; } catch (e) { return { why: `--seff ${values.seff}: ${(e as Error).message}` }; }
  }
  const git = values['slurm-git']!;
  if (!tag) return { why: 'the cluster\'s Slurm version is unknown' };
  if (!existsSync(git)) return { why: `no Slurm git checkout at ${git} (--slurm-git DIR, or --seff FILE from https://github.com/SchedMD/slurm/blob/${tag}/contribs/seff/seff)` };
  try {
    return { text: execFileSync('git', ['-C', git, 'show', `${tag}:contribs/seff/seff`], { encoding: 'utf8' }), from: `${tag}:contribs/seff/seff` };
  } catch (e) {
    return { why: `git show ${tag}:contribs/seff/seff failed in ${git}: ${(e as Error).message.split('\n')[0]}` };
  }
}

/**
 * Runs each command line once, in order, in one bash on the cluster, timing each there
 * ($EPOCHREALTIME: no fork per reading); output discarded. Milliseconds per command.
 */
async function timedOnCluster(run: SlurmRunner, lines: readonly string[]): Promise<number[]> {
  const body = lines.map((l) => `s=$EPOCHREALTIME; ${l} >/dev/null 2>&1; e=$EPOCHREALTIME; echo "$s $e"`).join('\n');
  const r = await run(['bash', '-c', body], { timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`timing loop on the cluster failed (${r.code}): ${r.stderr.trim()}`);
  const ms = r.stdout.trim().split('\n').map((l) => { const [s, e] = l.split(' ').map(Number); return (e! - s!) * 1000; });
  if (ms.length !== lines.length || ms.some((x) => !Number.isFinite(x))) throw new Error(`timing loop: unexpected output ${JSON.stringify(r.stdout.slice(0, 200))}`);
  return ms;
}

/** Per task over the ssh2 connection: one exec each, timed here. */
async function timedOverSsh(run: SlurmRunner, argvs: readonly (readonly Word[])[]): Promise<{ ms: number[]; outputs: string[] }> {
  const ms: number[] = [];
  const outputs: string[] = [];
  for (const argv of argvs) {
    const t = performance.now();
    const r = await run(argv);
    ms.push(performance.now() - t);
    if (r.code !== 0) throw new Error(`${String(argv[0])} failed (${r.code}): ${r.stderr.trim()}`);
    outputs.push(r.stdout);
  }
  return { ms, outputs };
}

/** seff's State and Cores lines agree with our outcome of the same task. */
function agreesWithSeff(seffText: string, o: JobOutcome | undefined): boolean {
  if (!o) return false;
  const state = /^State: (\S+)(?: \(exit code (\d+)\))?/m.exec(seffText);
  const cores = /^Cores(?: per node)?: (\d+)/m.exec(seffText);
  return state?.[1] === o.state && (state[2] === undefined || Number(state[2]) === (o.exit?.code ?? 0)) && Number(cores?.[1]) === (o.allocCpus ?? 1);
}

async function main(): Promise<void> {
  const a = clusterAvailability();
  if (!a.env) { console.error(`slurmOutcomes: no cluster: ${a.reason}`); process.exit(2); }
  if (!a.env.accounting) { console.error('slurmOutcomes: the test cluster runs without accounting (sacct has nothing to say)'); process.exit(2); }
  const ssh = transport(a.env, knownHostsFor(a.env, scratch('bench-outcomes-')));
  const c = cluster(ssh, { tail: false, pollIntervalMs: 60_000 });
  const run = slurmRunner(ssh, 'bench');
  let seffPath: string | undefined;
  let submitted: string | undefined;
  try {
    await ssh.connect();
    const version = (await run(['sinfo', '--version'])).stdout.trim();

    // ---- the array: submitted once (or reused), then waited for until every task has ended
    let arrayId = values['array-job'];
    if (arrayId === undefined) {
      const r = await run(['sbatch', '--parsable', `--array=0-${TASKS - 1}`, '-t', '1', '--mem=10M', '--nice=1000', '-J', 'bench-outcomes', '--output=/dev/null', '--wrap', 'true']);
      if (r.code !== 0) throw new Error(`sbatch failed: ${r.stderr.trim()}`);
      arrayId = submitted = r.stdout.trim().split(';')[0]!;
      console.log(`submitted array ${arrayId} (--array=0-${TASKS - 1} -t 1 --mem=10M --wrap true); waiting for it to end (rerun with --array-job ${arrayId})`);
    }
    const deadline = Date.now() + WAIT_MINUTES * 60_000;
    const t0 = Date.now();
    let outcomes: JobOutcome[] = [];
    for (let last = -1; ; await sleep(5000)) {
      outcomes = (await c.outcomes([arrayId])).filter((o) => o.arrayJobId === arrayId);
      const ended = outcomes.filter((o) => o.finished).length;
      if (ended !== last) console.log(`  ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s: ${ended}/${TASKS} tasks ended`);
      last = ended;
      if (ended === TASKS) break;
      if (!submitted) throw new Error(`--array-job ${arrayId}: sacct shows ${ended} ended tasks of it, not ${TASKS} (it wants an ended ${TASKS}-task array)`);
      if (Date.now() > deadline) throw new Error(`array ${arrayId}: only ${ended}/${TASKS} tasks ended after ${WAIT_MINUTES} min (--wait-minutes); cancelled`);
    }
    submitted = undefined; // ended: nothing to cancel
    const tasks = new Map(outcomes.map((o) => [o.id, o]));
    const ids = Array.from({ length: SAMPLE }, (_, i) => `${arrayId}_${Math.floor((i * TASKS) / SAMPLE)}`);

    // ---- seff onto the cluster, if it can run there
    const tag = releaseTag(version);
    const src = seffSource(tag);
    let seffWhy: string | undefined;
    if ('why' in src) {
      seffWhy = src.why;
    } else {
      const perl = await run(['perl', '-MSlurm', '-MSlurmdb', '-e', '1']);
      if (perl.code !== 0) {
        seffWhy = `seff's Perl modules are missing on the cluster (Debian: apt-get install libslurmdb-perl libslurm-perl): ${perl.stderr.trim().split('\n')[0]}`;
      } else {
        const r = await run(['sh', '-c', 'f=$(mktemp /tmp/hpc-jobs-seff.XXXXXX) && cat > "$f" && echo "$f"'], { stdin: src.text });
        if (r.code !== 0) throw new Error(`copying seff to the cluster failed: ${r.stderr.trim()}`);
        seffPath = r.stdout.trim();
        const probe = await run(['perl', seffPath, ids[0]!]);
        if (probe.code !== 0 || !/^State: /m.test(probe.stdout)) seffWhy = `seff (${src.from}) does not run on the cluster: ${probe.stderr.trim().split('\n').pop() || `exit ${probe.code}, no "State:" line for ${ids[0]}`}`;
      }
    }

    // ---- ours: one call for the 1,000, rounds split around the peers
    const ours: number[] = [];
    const oursRounds = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        const got = await c.outcomes([arrayId]);
        ours.push(performance.now() - t);
        if (got.filter((o) => o.arrayJobId === arrayId && o.finished).length !== TASKS) throw new Error(`a refresh saw ${got.length} outcomes, not ${TASKS}`);
      }
    };
    await c.outcomes([arrayId]); // warm-up
    const answer = (await run(['sacct', '-P', '-n', `--jobs=${arrayId}`, `--format=${OUTCOME_FIELDS}`])).stdout;
    const parseMs = Array.from({ length: ROUNDS }, () => { const t = performance.now(); parseOutcomes(answer); return performance.now() - t; });
    const loadBefore = load();
    await oursRounds(Math.ceil(ROUNDS / 2));
    const oursOnCluster = await timedOnCluster(run, Array.from({ length: ROUNDS }, () => shellCommand(['sacct', '-P', '-n', `--jobs=${arrayId}`, `--format=${OUTCOME_FIELDS}`])));

    // ---- the peers, per task
    const sacctArgv = (id: string): Word[] => ['sacct', '-P', '-n', `--jobs=${id}`, `--format=${OUTCOME_FIELDS}`];
    const sacctHere = await timedOnCluster(run, ids.map((id) => shellCommand(sacctArgv(id))));
    const sacctSsh = await timedOverSsh(run, ids.map(sacctArgv));
    let seffHere: number[] | undefined;
    let seffSsh: { ms: number[]; outputs: string[] } | undefined;
    if (!seffWhy && seffPath) {
      seffHere = await timedOnCluster(run, ids.map((id) => shellCommand(['perl', seffPath!, id])));
      seffSsh = await timedOverSsh(run, ids.map((id) => ['perl', seffPath!, id]));
    }
    await oursRounds(ROUNDS - Math.ceil(ROUNDS / 2));
    const loadAfter = load();

    // ---- figures
    const oursMs = median(ours);
    const extrapolate = (ms: readonly number[]): number => median(ms) * TASKS;
    const row = (what: string, totalMs: number, note: string): string =>
      `${what.padEnd(37)} ${(totalMs / 1000).toFixed(2).padStart(8)} s  ${note}`;
    console.log(`\nOutcome figures of ${TASKS} ended tasks — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, ${version}`);
    console.log(`load average ${loadBefore} before the timed part, ${loadAfter} after`);
    console.log(`array ${arrayId} (${TASKS} × --wrap true); sacct answer for all: ${(answer.length / 1024).toFixed(0)} KiB, ${outcomes.length} outcomes`);
    console.log(`per-task rows: median of ${SAMPLE} evenly spread tasks × ${TASKS} (extrapolated)\n`);
    console.log(`${'way'.padEnd(37)} ${'for 1,000'.padStart(10)}  ours vs it`);
    const target = (ms: number): string => `${(ms / oursMs).toFixed(0)}× faster`;
    console.log(row(`ours: 1 sacct over ssh2, parsed`, oursMs, `median of ${ours.length} (min ${(Math.min(...ours) / 1000).toFixed(2)}, max ${(Math.max(...ours) / 1000).toFixed(2)}); target < 1 s: ${oursMs < 1000 ? 'met' : 'MISSED'}`));
    console.log(row('  of which sacct, on the cluster', median(oursOnCluster), `median of ${ROUNDS}, in one shell there`));
    console.log(row('  and parsing its answer', median(parseMs), `median of ${ROUNDS}, here: ${median(parseMs).toFixed(1)} ms`));
    if (seffHere && seffSsh) {
      const here = extrapolate(seffHere);
      console.log(row('seff per task, on the cluster', here, `${target(here)} (target ≥ 20×: ${here / oursMs >= 20 ? 'met' : 'MISSED'}); ${median(seffHere).toFixed(0)} ms a task`));
      console.log(row('seff per task, ssh2 exec each', extrapolate(seffSsh.ms), `${target(extrapolate(seffSsh.ms))}; ${median(seffSsh.ms).toFixed(0)} ms a task`));
    } else {
      console.log(`seff per task: not run — ${seffWhy}`);
    }
    const sh = extrapolate(sacctHere);
    console.log(row('sacct per task, on the cluster', sh, `${target(sh)}${seffHere ? '' : ` (target ≥ 20×, in seff's stead: ${sh / oursMs >= 20 ? 'met' : 'MISSED'})`}; ${median(sacctHere).toFixed(0)} ms a task`));
    console.log(row('sacct per task, ssh2 exec each', extrapolate(sacctSsh.ms), `${target(extrapolate(sacctSsh.ms))}; ${median(sacctSsh.ms).toFixed(0)} ms a task`));
    if (seffSsh) {
      const agree = seffSsh.outputs.filter((text, i) => agreesWithSeff(text, tasks.get(ids[i]!))).length;
      console.log(`\nseff (${'from' in src ? src.from : '?'}) and ours agree on state, exit code and cores for ${agree}/${SAMPLE} sampled tasks`);
    }
  } finally {
    if (submitted) await c.cancel(submitted).catch(() => undefined);
    if (seffPath) await run(['rm', '-f', '--', seffPath]).catch(() => undefined);
    c.dispose();
    await ssh.dispose();
  }
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
