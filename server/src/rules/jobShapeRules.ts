/**
 * Jobs sbatch takes as written but that do not do what the author meant: mail that is never
 * sent, a node's whole memory on a shared node, a trap for a signal that never comes, nodes
 * nothing runs on.
 */
import { componentsOf, effectiveOptions, parsedValue } from '../parser/effectiveOptions';
import type { NodeCount } from '../values/nodes';
import { bodyLines } from './bodyRules';
import type { Fix, Rule, RuleContext } from './ruleContext';
import { lineRange, valueRange } from './ruleContext';

/** Adds an option to component 0 right after one of its uses, where sbatch surely reads it. */
function addOptionFix(ctx: RuleContext, option: string): Fix | undefined {
  const at = ctx.reading.uses.find((u) => u.component === 0 && u.option && !u.problem
    && (u.valueFrom !== 'nextWord' || u.valueSpan?.line === u.span.line));
  if (!at) return undefined;
  return { title: `Add ${option}`, preferred: true, edits: [{ range: lineRange(at.span.line, at.span.end, at.span.end), newText: ` ${option}` }] };
}

const fixes = (fix: Fix | undefined) => (fix ? { fixes: [fix] } : {});

export const checkMailUserWithoutType: Rule = (ctx) => {
  const eff = effectiveOptions(ctx.reading);
  const user = eff.get('mail-user');
  if (!user?.valueSpan || eff.has('mail-type')) return;
  ctx.report('SBATCH119', valueRange(user.valueSpan),
    '--mail-user says where mail goes, but without --mail-type Slurm sends none (the default is NONE). Add --mail-type, e.g. END,FAIL.',
    fixes(addOptionFix(ctx, '--mail-type=END,FAIL')));
};

export const checkMemZeroShared: Rule = (ctx) => {
  // Each heterogeneous component asks for its own nodes (--exclusive is not carried forward).
  for (const component of componentsOf(ctx.reading)) checkMemZero(ctx, component);
};

function checkMemZero(ctx: RuleContext, component: number): void {
  const eff = effectiveOptions(ctx.reading, component);
  const mem = eff.get('mem');
  if (!mem?.valueSpan || mem.value === undefined || !/^0+([KMGTkmgt][Bb]?)?$/.test(mem.value) || eff.has('exclusive')) return;
  ctx.report('SBATCH120', valueRange(mem.valueSpan),
    '--mem=0 takes all the memory of every node the job gets, but without --exclusive the job shares the node: it waits until no other job holds memory there, and then keeps others off. Ask for --exclusive, or for the memory you need.',
    fixes(component === 0 ? addOptionFix(ctx, '--exclusive') : undefined));
}

/** Signals a job script traps to save its work; TERM and the like come anyway at the time limit. */
const ASKED_SIGNALS: Readonly<Record<string, string>> = { USR1: 'USR1', USR2: 'USR2', SIGUSR1: 'USR1', SIGUSR2: 'USR2', 10: 'USR1', 12: 'USR2', URG: 'URG', SIGURG: 'URG' };

export const checkTrappedSignals: Rule = (ctx) => {
  const signal = effectiveOptions(ctx.reading).get('signal');
  const spec = /^(?:([A-Za-z]+):)?(?:SIG)?([A-Za-z0-9]+)/.exec(signal?.value ?? '');
  const sent = spec ? (ASKED_SIGNALS[spec[2]!.toUpperCase()] ?? ASKED_SIGNALS[spec[2]!] ?? spec[2]!.toUpperCase()) : undefined;
  const toShell = spec?.[1]?.toUpperCase().includes('B') ?? false;
  for (const [line, code] of bodyLines(ctx.script)) {
    if (!code.includes('trap')) continue;
    const m = /(?:^|[\s;&|(])trap\s+(?:'[^']*'|"[^"]*"|\S+)((?:\s+[A-Za-z0-9]+)+)/.exec(code);
    if (!m) continue;
    const listStart = m.index + m[0].length - m[1]!.length;
    for (const w of m[1]!.matchAll(/[A-Za-z0-9]+/g)) {
      const name = ASKED_SIGNALS[w[0].toUpperCase()] ?? ASKED_SIGNALS[w[0]];
      if (!name) continue;
      const at = listStart + w.index!;
      const range = lineRange(line, at, at + w[0].length);
      if (!signal) {
        ctx.report('SBATCH121', range,
          `The script traps ${w[0]}, but no --signal asks Slurm to send it: the handler never runs, and at the time limit the job just ends. Add --signal=B:${name}@<seconds>.`,
          fixes(addOptionFix(ctx, `--signal=B:${name}@120`)));
      } else if (sent === name && !toShell) {
        ctx.report('SBATCH121', range,
          `--signal=${signal.value} sends ${name} to the job steps only, not to the batch shell, so this trap never runs. Write --signal=B:${signal.value} to signal the batch script.`);
      } else if (sent !== name) {
        ctx.report('SBATCH121', range, `The script traps ${w[0]}, but --signal=${signal.value} asks Slurm for ${sent ?? 'another signal'}: this handler never runs.`);
      }
      return;
    }
  }
};

/** Commands that start work on other nodes of the allocation. */
const PARALLEL_LAUNCHER = /(?:^|[\s;&|(`'"=/])(?:srun|mpirun|mpiexec(?:\.hydra)?|mpiexec_mpt|mpirun_rsh|ibrun|aprun|jsrun|charmrun|horovodrun|deepspeed|pdsh|clush|pbsdsh|ssh|parallel|flux|torchx|dask-mpi|ray|snakemake|nextflow|sbatch)(?=\s|$|['"`;)])/;
/** Applications that start their own processes on every node of the allocation (they read Slurm's node list). */
const SELF_LAUNCHING = /(?:^|[\s;&|(])(?:comsol|fluent|starccm\+?|abaqus|cfx5solve|mapdl|ansys\d*|lsdyna|ls-dyna\S*)(?=\s|$)|-mpibootstrap\b/;
/** A launcher kept in a variable (`$MPIRUN`, `${LAUNCHER}`) or another script that may launch: unknown, so quiet. */
const MAYBE_LAUNCHER = /\$\{?\w*(?:MPI|RUN|LAUNCH|EXEC)\w*\}?|(?:^|[\s;&|(])(?:bash|sh)\s+\S+\.(?:sh|bash)\b|(?:^|[\s;&|(])\.?\.?\/\S+\.(?:sh|bash)\b/i;

export const checkMultiNodeLauncher: Rule = (ctx) => {
  if (ctx.script.firstCommandLine === undefined) return;
  let launches: boolean | undefined;
  // Every component: only a launcher (srun --het-group=N) reaches a later component's nodes at all.
  for (const component of componentsOf(ctx.reading)) {
    const nodes = effectiveOptions(ctx.reading, component).get('nodes');
    const count = parsedValue<NodeCount>(nodes);
    if (!nodes?.valueSpan || !count || count.min <= 1) continue;
    launches ??= bodyLines(ctx.script).some(([, code]) => PARALLEL_LAUNCHER.test(code) || SELF_LAUNCHING.test(code) || MAYBE_LAUNCHER.test(code));
    if (launches) return;
    ctx.report('SBATCH122', valueRange(nodes.valueSpan),
      `The job asks for ${count.min} nodes, but the script starts no parallel launcher (srun, mpirun...): its commands run on the first node only, and the other nodes sit idle while they are charged. Launch the work with srun, or ask for 1 node.`);
  }
};
