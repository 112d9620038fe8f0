/**
 * The tools `hpc-jobs mcp` gives coding agents. Each calls what the other front ends call:
 * the linter's `analyzeScript` and `hoverAt`, the runtimes' `SlurmCluster`. Read-only: nothing
 * here submits or cancels.
 */
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { closeCluster, slurmClusterFor, type ClusterConfig, type JobRecord, type JobSnapshot, type SlurmCluster } from '../../runtimes/src/slurm/index';
import { hoverAt } from '../../server/src/features/hover';
import { analyzeScript, type LintDiagnostic } from '../../server/src/lint';
import { releaseNumber } from '../../server/src/options/optionLookup';
import { clustersFilePath, loadClusters } from './clusterConfigFile';
import type { Io } from './command';
import { readScript } from './lintCommand';
import { terminalPrompts } from './terminalPrompts';

/** A tool's answer: JSON the agent reads; `error` marks a call it should correct. */
export interface ToolAnswer { readonly json: unknown; readonly error?: boolean }

const failure = (message: string): ToolAnswer => ({ json: { error: message }, error: true });

function checkRelease(version: string | undefined): string | undefined {
  if (version !== undefined && version !== '' && Number.isNaN(releaseNumber(version))) return `'${version}' is not a Slurm release such as 23.02.`;
  return undefined;
}

function diagnosticJson(d: LintDiagnostic) {
  const pos = (p: { line: number; character: number }) => ({ line: p.line + 1, column: p.character + 1 });
  return {
    code: d.code, severity: d.severity, message: d.message,
    start: pos(d.range.start), end: pos(d.range.end),
    fixes: (d.fixes ?? []).map((f) => ({
      title: f.title, preferred: f.preferred === true,
      edits: f.edits.map((e) => ({ start: pos(e.range.start), end: pos(e.range.end), newText: e.newText })),
    })),
  };
}

export function lintBatchScript(args: { text?: string | undefined; path?: string | undefined; slurmVersion?: string | undefined }): ToolAnswer {
  if ((args.text === undefined) === (args.path === undefined)) return failure('give either text (the script) or path (a file), not both or neither.');
  const bad = checkRelease(args.slurmVersion);
  if (bad) return failure(bad);
  let text = args.text;
  let filePath: string | undefined;
  if (args.path !== undefined) {
    filePath = path.resolve(args.path);
    const read = readScript(filePath);
    if ('error' in read) return failure(`${args.path}: ${read.error}`);
    text = read.text;
  }
  const analysis = analyzeScript(text!, {
    ...(filePath ? { filePath } : {}),
    ...(args.slurmVersion ? { slurmVersion: args.slurmVersion } : {}),
  });
  const diagnostics = analysis.diagnostics.map(diagnosticJson);
  const count = (s: string) => diagnostics.filter((d) => d.severity === s).length;
  return {
    json: {
      ...(args.path !== undefined ? { path: args.path } : {}),
      summary: `${count('error')} error(s), ${count('warning')} warning(s), ${count('information') + count('hint')} note(s); lines and columns are 1-based`,
      diagnostics,
    },
  };
}

/**
 * An option (`--time`, `-t`, `--ti` as sbatch would resolve it) and, if given, a value, explained
 * by the editor's hover over a one-directive script, with the linter's findings on that line.
 */
export function explainSbatchOption(args: { option: string; value?: string | undefined; slurmVersion?: string | undefined }): ToolAnswer {
  const bad = checkRelease(args.slurmVersion);
  if (bad) return failure(bad);
  // One line of a script: anything that would end it or add another is refused.
  if (/[\0-\x1f\x7f]/.test(args.option + (args.value ?? ''))) return failure('option and value must not hold control characters (newlines, tabs...).');
  const option = args.option.trim();
  if (!/^-[A-Za-z]$|^--?[A-Za-z][A-Za-z0-9-]*$|^[A-Za-z][A-Za-z0-9-]+$/.test(option)) return failure(`'${args.option}' is not an sbatch option name such as --time or -t.`);
  const written = option.startsWith('-') ? option : `--${option}`;
  const short = /^-[A-Za-z]$/.test(written);
  const directive = args.value === undefined ? written : short ? `${written} ${args.value}` : `${written}=${args.value}`;
  const prefix = '#SBATCH ';
  const analysis = analyzeScript(`#!/bin/bash\n${prefix}${directive}\n`, args.slurmVersion ? { slurmVersion: args.slurmVersion } : {});
  const hover = (character: number) => {
    const h = hoverAt(analysis, { line: 1, character });
    return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : undefined;
  };
  const name = hover(prefix.length + (short ? 1 : 2));
  const value = args.value ? hover(prefix.length + written.length + 1) : undefined;
  const findings = analysis.diagnostics.filter((d) => d.range.start.line === 1).map(diagnosticJson);
  if (!name && findings.length === 0) return failure(`sbatch has no option ${written}.`);
  return { json: { directive: `${prefix}${directive}`, ...(name ? { option: name } : {}), ...(value ? { value } : {}), diagnostics: findings } };
}

/** Opens a cluster of the clusters file for one call and closes it after: no idle SSH session. */
export async function withCluster<T>(name: string, io: Io, use: (c: SlurmCluster) => Promise<T>): Promise<T> {
  const config: ClusterConfig | undefined = loadClusters().get(name);
  if (!config) {
    const known = [...loadClusters().keys()];
    throw new Error(`no cluster "${name}" in ${clustersFilePath()}${known.length ? ` (known: ${known.join(', ')})` : ''}.`);
  }
  // Nothing is asked (stdin is the MCP channel): an unknown host key is refused.
  const quiet: Io = { stdout: io.stderr, stderr: io.stderr, stdin: Readable.from([]) };
  const cluster = slurmClusterFor(config, { prompts: terminalPrompts(quiet) });
  try {
    return await use(cluster);
  } finally {
    await closeCluster(cluster);
  }
}

function jobJson(r: JobRecord) {
  const time = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return {
    jobId: r.jobId, arrayJobId: r.arrayJobId, arrayTaskId: r.arrayTaskId, pendingTasks: r.pendingTasks,
    name: r.name, user: r.user, state: r.state, reason: r.reason, exit: r.exit, nodes: r.nodes, partition: r.partition,
    submitTime: time(r.submitTime), startTime: time(r.startTime), endTime: time(r.endTime), timeLimitMinutes: r.timeLimitMinutes,
  };
}

export async function listJobs(args: { cluster: string; allUsers?: boolean | undefined }, io: Io): Promise<ToolAnswer> {
  const jobs = await withCluster(args.cluster, io, (c) => c.listJobs({ allUsers: args.allUsers === true }));
  return { json: { cluster: args.cluster, jobs: jobs.map(jobJson) } };
}

/** What became of a job (or one array task, `ID_N`): squeue while it is known there, then sacct or scontrol. */
export async function jobOutcome(args: { cluster: string; jobId: string }, io: Io): Promise<ToolAnswer> {
  const m = /^(\d+)(?:_(\d+))?$/.exec(args.jobId.trim());
  if (!m) return failure(`'${args.jobId}' is not a job id (123, or 123_4 for one array task).`);
  const [, master, task] = m;
  const snapshot = await withCluster(args.cluster, io, async (c) => {
    let seen: JobSnapshot | undefined;
    let failed: Error | undefined;
    const errors = c.tracker.onDidError((e) => { failed = e; });
    const tracked = c.tracker.track(master!, (s) => { seen = s; });
    try {
      await c.tracker.refresh();
    } finally {
      tracked.dispose();
      errors.dispose();
    }
    if (!seen && failed) throw failed;
    return seen;
  });
  const records = (snapshot?.records ?? []).filter((r) => task === undefined || r.arrayTaskId === Number(task));
  if (records.length === 0) return failure(`job ${args.jobId} is not known to ${args.cluster} (not in squeue, sacct or scontrol).`);
  return { json: { cluster: args.cluster, jobId: args.jobId, source: snapshot!.source, records: records.map(jobJson) } };
}
