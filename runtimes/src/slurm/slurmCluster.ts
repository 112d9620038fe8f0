/**
 * One Slurm cluster: its transport, one tracker (one squeue per refresh for all its jobs), the
 * cached profile, and the operations — submit a script or a Python file, attach to a job,
 * list the user's jobs, cancel, allocate. Polls only while it tracks unfinished jobs.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ClusterProfile } from '../../../server/src/clusterProfile';
import { Emitter, type Disposable } from '../events';
import type { Transport } from '../transport/transport';
import { startAllocation, type Allocation } from './allocation';
import { submitText, type CompanionFile, type SubmitOptions, type Submitted } from './batchSubmit';
import { scriptFiles, type ScriptFiles } from './scriptFiles';
import { fetchClusterProfile } from './clusterProfileFetch';
import type { JobRecord } from './jobRecord';
import { JobTracker, type SqueueMode } from './jobTracker';
import { pythonBatchScript, type PythonJobSpec } from './pythonJob';
import * as cmd from './slurmCommands';
import { SlurmQueryError, slurmCommandError } from './slurmErrors';
import { SlurmJob } from './slurmJob';
import { slurmRunner, type SlurmRunner } from './slurmRunner';
import { parseSqueueFormat } from './squeueFormat';
import { parseSqueueJson } from './squeueJson';
import { parseSacct } from './sacctOutput';
import { parseOutcomes, type JobOutcome } from './jobOutcome';
import { parseTestOnly, type StartEstimate } from './startEstimate';
import { LaunchError } from '../runtime';

export interface SlurmClusterOptions {
  readonly name: string;
  readonly transport: Transport;
  /** Where scripts are uploaded and jobs run from; default ~/hpc-jobs. */
  readonly workDir?: string;
  /** Environment for every Slurm command (SLURM_CONF...). */
  readonly env?: Readonly<Record<string, string>>;
  /** Refresh period while jobs are tracked. */
  readonly pollIntervalMs?: number;
  readonly tailIntervalMs?: number;
  readonly squeueMode?: SqueueMode;
  readonly accounting?: boolean | 'auto';
  /** Follow output files of jobs (default true). */
  readonly tail?: boolean;
  readonly maxTails?: number;
}

export interface SubmittedJob extends Submitted { readonly job: SlurmJob }

export class SlurmCluster implements Disposable {
  readonly name: string;
  readonly transport: Transport;
  readonly tracker: JobTracker;
  readonly workDir: string;
  private readonly run: SlurmRunner;
  private readonly env: Readonly<Record<string, string>>;
  private profilePromise: Promise<ClusterProfile> | undefined;
  private readonly jobs = new Map<string, SlurmJob>();
  private timer: NodeJS.Timeout | undefined;
  private readonly errorEmitter = new Emitter<SlurmQueryError>();
  /** A refresh failed (controller down...): jobs keep their last known state until one succeeds. */
  readonly onDidError = this.errorEmitter.event;
  private remoteUser: Promise<string> | undefined;

  constructor(private readonly options: SlurmClusterOptions) {
    this.name = options.name;
    this.transport = options.transport;
    this.workDir = options.workDir ?? '~/hpc-jobs';
    this.env = options.env ?? {};
    this.run = slurmRunner(options.transport, options.name, this.env);
    this.tracker = new JobTracker(this.run, {
      ...(options.squeueMode ? { squeueMode: options.squeueMode } : {}),
      ...(options.accounting !== undefined ? { accounting: options.accounting } : {}),
    });
    this.tracker.onDidError((e) => this.errorEmitter.fire(e));
  }

  /** Fetched once and cached; `refresh` reads it again. */
  profile(refresh = false): Promise<ClusterProfile> {
    if (refresh || !this.profilePromise) {
      this.profilePromise = fetchClusterProfile(this.run);
      this.profilePromise.catch(() => { this.profilePromise = undefined; });
    }
    return this.profilePromise;
  }

  /** Starts watching a job already in the queue (or one just submitted). */
  attach(jobId: string, opts: { tail?: boolean; startOffsets?: ReadonlyMap<string, number> } = {}): SlurmJob {
    cmd.checkJobId(jobId);
    const known = this.jobs.get(jobId);
    if (known) return known;
    const job = new SlurmJob(jobId, {
      clusterName: this.name, transport: this.transport, tracker: this.tracker, run: this.run,
      ...(opts.startOffsets ? { startOffsets: opts.startOffsets } : {}),
      tail: opts.tail ?? this.options.tail ?? true,
      ...(this.options.tailIntervalMs ? { tailIntervalMs: this.options.tailIntervalMs } : {}),
      ...(this.options.maxTails ? { maxTails: this.options.maxTails } : {}),
      requestRefresh: () => { void this.refresh(); },
      released: () => { if (this.jobs.get(jobId) === job) { this.jobs.delete(jobId); this.schedule(); } },
    });
    this.jobs.set(jobId, job);
    this.schedule();
    return job;
  }

  /**
   * Submits the text as a batch script named `name` (lint first; errors refuse), with the files
   * it needs beside it (uploaded only once the lint has passed).
   */
  /** `found`: the files the script runs that were looked for (and are among `companions`), for the job's output to say. */
  async submitScriptText(text: string, name: string, options: SubmitOptions = {}, companions: readonly CompanionFile[] = [],
    found?: ScriptFiles): Promise<SubmittedJob> {
    const profile = await this.profile().catch(() => undefined);
    const submitted = await submitText(text, name, options.remoteDir ?? this.workDir,
      { clusterName: this.name, transport: this.transport, env: this.env, ...(profile ? { profile } : {}) }, options, companions);
    const job = this.attach(submitted.jobId, { ...(options.tail !== undefined ? { tail: options.tail } : {}), startOffsets: submitted.appendedSizes });
    // Said in the job's output (a panel opened later shows it from the tail): what went along, what did not.
    const dir = path.posix.dirname(submitted.remoteScript);
    if (found?.files.length) job.note(`uploaded to ${dir} with ${name}: ${found.files.map((f) => f.rel).join(', ')}`, 'stdout');
    for (const s of found?.skipped ?? []) job.note(`not uploaded: ${s.rel} (${s.reason}); the job expects it in ${dir}: copy it there yourself`);
    // First state right away, not one poll period later; not awaited, so the caller's listeners
    // are in place before any event (the answer needs a round trip).
    void this.refresh();
    return { ...submitted, job };
  }

  /**
   * Submits a local batch script file. On a cluster reached without SSH (this machine is a
   * login node) the script is submitted where it lies, so the job starts next to its files;
   * over SSH it is copied into a new folder of its own under the work folder (or `remoteDir`)
   * with the files it runs from its folder (`python main.py`, `./solver input.txt`, and the
   * modules main.py imports from there).
   */
  async submitScript(localPath: string, options: SubmitOptions = {}): Promise<SubmittedJob> {
    const text = await fs.readFile(localPath, 'utf8');
    const inPlace = options.inPlace ?? (this.transport.kind === 'local' && options.remoteDir === undefined && options.remoteName === undefined);
    if (inPlace) {
      const abs = path.resolve(localPath);
      return this.submitScriptText(text, path.basename(abs), { ...options, inPlace: true, remoteDir: path.dirname(abs) });
    }
    // Over SSH the files the script runs from its folder go along (scriptFiles.ts), after the lint.
    const found = await scriptFiles(text, localPath);
    return this.submitScriptText(text, options.remoteName ?? path.basename(localPath),
      { localDir: path.dirname(path.resolve(localPath)), ...options }, await readCompanions(found), found);
  }

  /** Uploads a Python file and submits a generated batch script that runs it. */
  async submitPython(localFile: string, spec: PythonJobSpec = {}, options: SubmitOptions = {}): Promise<SubmittedJob & { script: string }> {
    const name = options.remoteName ?? path.basename(localFile);
    if (!name.endsWith('.py')) throw new LaunchError(`${name} is not a .py file.`);
    const script = pythonBatchScript(spec, name);
    // The program goes up with the script, after its lint: a refused job leaves nothing there.
    // So do the modules it imports from beside it.
    const program: CompanionFile = { name, data: await fs.readFile(localFile) };
    const found = await scriptFiles('', localFile, [localFile]);
    const submitted = await this.submitScriptText(script, `${name.replace(/\.py$/, '')}.sbatch`, { localDir: path.dirname(path.resolve(localFile)), ...options }, [program, ...await readCompanions(found)], found);
    return { ...submitted, script };
  }

  /**
   * The user's jobs, or every user's with `allUsers` (one squeue call). Records of the
   * format-string mode carry no user name.
   */
  async listJobs(options: { allUsers?: boolean } = {}): Promise<JobRecord[]> {
    if (this.tracker.squeueMode === 'json') {
      const [r, user] = await Promise.all([this.run(cmd.squeueJson(), { idempotent: true }), this.userName()]);
      try {
        const all = parseSqueueJson(r.stdout);
        return options.allUsers ? all : all.filter((j) => j.user === user);
      } catch (e) {
        throw slurmCommandError('squeue', `${r.stderr}\n${(e as Error).message}`, r.code, this.name);
      }
    }
    const r = await this.run(options.allUsers ? cmd.squeueFormatAllUsers() : cmd.squeueFormatForUser(), { idempotent: true });
    if (r.code !== 0) throw slurmCommandError('squeue', r.stderr, r.code, this.name);
    return parseSqueueFormat(r.stdout);
  }

  /** Cancels `123` (all tasks) or `123_4` (one task), tracked or not. */
  async cancel(target: string): Promise<void> {
    // --verbose: without it scancel says nothing and exits 0 for a job that does not exist.
    const r = await this.run([...cmd.scancel(target), '--verbose']);
    if (r.code !== 0) throw slurmCommandError('scancel', r.stderr, r.code, this.name);
    if (/Invalid job id specified/i.test(r.stderr)) {
      throw new SlurmQueryError(`No job ${target} on cluster "${this.name}": nothing was cancelled.`, r.stderr.trim(),
        'Check the id with "hpc-jobs jobs"; a job that ended a while ago is no longer known to the controller.');
    }
    void this.refresh();
  }

  /** `scontrol hold` or `release` of `123`, `123_4` or `123_[1-3]`, tracked or not. */
  async setHeld(target: string, held: boolean): Promise<void> {
    const verb = held ? 'hold' : 'release';
    // scontrol holds a running job without a word (its priority goes to 0) and it runs on:
    // "held" would be a lie. Ranges of tasks are left to scontrol.
    if (held && /^\d+(_\d+)?$/.test(target)) {
      const s = await this.run(cmd.squeueStates(target), { idempotent: true });
      const states = s.code === 0 ? s.stdout.split('\n').map((l) => l.trim()).filter(Boolean) : [];
      if (states.length > 0 && !states.includes('PENDING')) {
        const state = states.every((x) => x === states[0]) ? states[0]!.toLowerCase() : 'past pending';
        throw new SlurmQueryError(`Job ${target} on cluster "${this.name}" is ${state}: hold only keeps a pending job from starting; nothing was held.`,
          undefined, `To stop it, cancel it: hpc-jobs cancel --cluster ${this.name} ${target}.`);
      }
    }
    const r = await this.run(cmd.scontrolHoldRelease(verb, target));
    // scontrol's own words ("Invalid job id specified for job 9 slurm_suspend error: ...") name
    // an API the user never called: say what happened, as cancel does.
    const nothing = `nothing was ${held ? 'held' : 'released'}.`;
    if (r.code !== 0 && /Invalid job id specified/i.test(r.stderr)) {
      throw new SlurmQueryError(`No job ${target} on cluster "${this.name}": ${nothing}`, r.stderr.trim(),
        'Check the id with "hpc-jobs jobs"; a job that ended a while ago is no longer known to the controller.');
    }
    if (r.code !== 0 && /Job has already finished/i.test(r.stderr)) {
      throw new SlurmQueryError(`Job ${target} on cluster "${this.name}" has already ended: ${nothing}`, r.stderr.trim());
    }
    if (r.code !== 0) throw slurmCommandError(`scontrol ${verb}`, r.stderr, r.code, this.name);
    void this.refresh();
  }

  /**
   * When the scheduler would start this script now (`sbatch --test-only`, the script on
   * stdin: nothing is uploaded or submitted). Rejects with sbatch's reason when it would refuse.
   */
  async estimateStart(scriptText: string, options: readonly string[] = []): Promise<StartEstimate> {
    const r = await this.run(cmd.sbatchTestOnly(options), { stdin: scriptText });
    const estimate = r.code === 0 ? parseTestOnly(r.stderr) : undefined;
    if (!estimate) throw slurmCommandError('sbatch --test-only', r.stderr || r.stdout, r.code, this.name);
    return estimate;
  }

  /**
   * How jobs went (one sacct call, steps included): `123` gives a job, or every task of an
   * array; `123_4` one task. Rejects with "Accounting is off" where sacct has nothing.
   */
  async outcomes(ids: readonly string[]): Promise<JobOutcome[]> {
    const r = await this.run(cmd.sacctOutcomes(ids), { idempotent: true });
    if (/accounting storage is disabled/i.test(r.stderr)) {
      throw new SlurmQueryError(`Accounting is off on cluster "${this.name}": Slurm keeps no figures of finished jobs there.`, r.stderr);
    }
    if (r.code !== 0) throw slurmCommandError('sacct', r.stderr, r.code, this.name);
    return parseOutcomes(r.stdout);
  }

  /** The user's jobs of a recent span from accounting, ended ones included (`sacct`). */
  async history(since: { amount: number; unit: 'days' | 'hours' | 'minutes' }): Promise<JobRecord[]> {
    const r = await this.run(cmd.sacctSince(`now-${Math.max(1, Math.round(since.amount))}${since.unit}`), { idempotent: true });
    if (/accounting storage is disabled/i.test(r.stderr)) {
      throw new SlurmQueryError(`Accounting is off on cluster "${this.name}": Slurm keeps no history of finished jobs there.`, r.stderr);
    }
    if (r.code !== 0) throw slurmCommandError('sacct', r.stderr, r.code, this.name);
    return parseSacct(r.stdout);
  }

  /** salloc ARGS in a terminal. */
  allocate(sallocArgs: readonly string[], size: { rows: number; cols: number }, options: { terminal?: boolean } = {}): Promise<Allocation> {
    return startAllocation(this.transport, this.env, sallocArgs, size, options);
  }

  /** One refresh of all tracked jobs now. */
  refresh(): Promise<void> { return this.tracker.refresh(); }

  /** The cluster account the connection logs in as (asked once). */
  userName(): Promise<string> {
    this.remoteUser ??= this.run(['id', '-un'], { idempotent: true }).then((r) => r.stdout.trim());
    return this.remoteUser;
  }

  private schedule(): void {
    if (this.jobs.size === 0) {
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    this.timer ??= setInterval(() => { void this.refresh(); }, this.options.pollIntervalMs ?? 2000);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const j of this.jobs.values()) j.dispose();
    this.jobs.clear();
    this.tracker.dispose();
    this.errorEmitter.dispose();
  }
}

function readCompanions(found: ScriptFiles): Promise<CompanionFile[]> {
  return Promise.all(found.files.map(async (f) => ({ name: f.rel, data: await fs.readFile(f.abs), mode: f.mode })));
}
