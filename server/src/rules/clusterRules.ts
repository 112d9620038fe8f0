/**
 * Checks that need to know the cluster: partitions and their limits, what nodes have, the
 * user's accounts and QOS, MaxArraySize. Silent when no profile is given or a fact is missing.
 * The controller (not sbatch) makes these checks, so the job is refused at submission
 * (or, without EnforcePartLimits, pends forever) — the messages say so.
 */
import type { ClusterProfile, NodeProfile, PartitionProfile } from '../clusterProfile';
import { formatMegabytes, formatMinutes } from '../jobResources';
import { componentsOf, effectiveOptions, parsedValue } from '../parser/effectiveOptions';
import type { OptionUse } from '../parser/optionReader';
import type { Rule, RuleContext } from './ruleContext';
import { valueRange } from './ruleContext';

function report(ctx: RuleContext, use: OptionUse, code: Parameters<RuleContext['report']>[0], message: string): void {
  ctx.report(code, valueRange(use.valueSpan!), message);
}

export const checkAgainstCluster: Rule = (ctx) => {
  const cluster = ctx.options.cluster;
  if (!cluster) return;
  for (const component of componentsOf(ctx.reading)) checkComponent(ctx, cluster, effectiveOptions(ctx.reading, component));
};

function checkComponent(ctx: RuleContext, cluster: ClusterProfile, eff: Map<string, OptionUse>): void {
  const where = `cluster "${cluster.name}"`;
  // --partition may list several; the job runs in the first one that can take it.
  const partitionUse = eff.get('partition');
  let partitions: PartitionProfile[];
  if (partitionUse?.value) {
    const names = partitionUse.value.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = names.filter((n) => !cluster.partitions.some((p) => p.name === n));
    if (unknown.length > 0) {
      const known = cluster.partitions.map((p) => p.name + (p.isDefault ? ' (default)' : '')).join(', ');
      report(ctx, partitionUse, 'SBATCH200', `${where} has no partition ${unknown.map((n) => `"${n}"`).join(', ')}: sbatch fails with "invalid partition specified". Partitions: ${known}.`);
    }
    partitions = cluster.partitions.filter((p) => names.includes(p.name));
  } else {
    partitions = cluster.partitions.filter((p) => p.isDefault);
  }

  const account = eff.get('account');
  if (account?.value && cluster.accounts && !cluster.accounts.includes(account.value)) {
    report(ctx, account, 'SBATCH201', `You have no association with account "${account.value}" on ${where}: the job is refused ("Invalid account or account/partition combination"). Your accounts: ${cluster.accounts.join(', ') || 'none'}.`);
  }
  const qos = eff.get('qos');
  if (qos?.value && cluster.qos && !cluster.qos.includes(qos.value)) {
    report(ctx, qos, 'SBATCH202', `QOS "${qos.value}" is not available to you on ${where}: the job is refused ("Invalid qos specification"). Available: ${cluster.qos.join(', ') || 'none'}.`);
  }
  if (partitions.length === 0) return;

  const timeUse = eff.get('time');
  const minutes = parsedValue<number>(timeUse);
  if (timeUse && minutes !== undefined) {
    const longest = Math.max(...partitions.map((p) => p.maxTimeMinutes));
    if (minutes > longest) {
      const p = partitions.find((x) => x.maxTimeMinutes === longest)!;
      const longer = cluster.partitions.filter((x) => x.maxTimeMinutes >= minutes).map((x) => x.name);
      report(ctx, timeUse, 'SBATCH203', `${formatMinutes(minutes)} is more than partition "${p.name}" allows (MaxTime ${formatMinutes(longest)}): the job is refused or never starts.` +
        (longer.length ? ` Partitions that allow it: ${longer.join(', ')}.` : ''));
    }
  }

  const nodes = cluster.nodes.filter((n) => partitions.some((p) => p.nodes.includes(n.name)));
  if (nodes.length === 0) return;
  checkNodeFit(ctx, eff, nodes, partitions);
  checkGres(ctx, eff, nodes, partitions);

  const array = eff.get('array');
  const arr = parsedValue<{ max?: number }>(array);
  if (array && arr?.max !== undefined && cluster.maxArraySize !== undefined && arr.max >= cluster.maxArraySize) {
    report(ctx, array, 'SBATCH206', `Array index ${arr.max} is too large: ${where} accepts indexes up to ${cluster.maxArraySize - 1} (MaxArraySize=${cluster.maxArraySize}).`);
  }
}

const names = (ps: readonly PartitionProfile[]) => ps.map((p) => `"${p.name}"`).join(', ');

function checkNodeFit(ctx: RuleContext, eff: Map<string, OptionUse>, nodes: readonly NodeProfile[], partitions: readonly PartitionProfile[]): void {
  const maxCpus = Math.max(...nodes.map((n) => n.cpus));
  const maxMem = Math.max(...nodes.map((n) => n.memoryMB));
  const totalCpus = nodes.reduce((s, n) => s + n.cpus, 0);
  const cptUse = eff.get('cpus-per-task');
  const cpt = parsedValue<number>(cptUse) ?? 1;
  const noFit = (use: OptionUse, what: string) => report(ctx, use, 'SBATCH204',
    `${what}, but no node in partition ${names(partitions)} has that (largest: ${maxCpus} CPUs, ${formatMegabytes(maxMem)}): the job is refused ("Requested node configuration is not available").`);

  if (cptUse && cpt > maxCpus) noFit(cptUse, `--cpus-per-task=${cpt} needs ${cpt} CPUs on one node`);
  const perNodeUse = eff.get('ntasks-per-node');
  const perNode = parsedValue<number>(perNodeUse);
  if (perNodeUse && perNode !== undefined && perNode * cpt > maxCpus) noFit(perNodeUse, `${perNode} tasks × ${cpt} CPUs need ${perNode * cpt} CPUs per node`);
  const nodesUse = eff.get('nodes');
  const nodeRange = parsedValue<{ min: number }>(nodesUse);
  if (nodesUse && nodeRange && nodeRange.min > nodes.length) {
    report(ctx, nodesUse, 'SBATCH204', `${nodeRange.min} nodes asked for, but partition ${names(partitions)} has ${nodes.length}: the job is refused ("Node count specification invalid").`);
  }
  const tasksUse = eff.get('ntasks');
  const tasks = parsedValue<number>(tasksUse);
  if (tasksUse && tasks !== undefined && tasks * cpt > totalCpus) {
    report(ctx, tasksUse, 'SBATCH204', `${tasks} tasks × ${cpt} CPU${cpt === 1 ? '' : 's'} = ${tasks * cpt} CPUs, but partition ${names(partitions)} has ${totalCpus} in all: the job is refused ("Requested node configuration is not available").`);
  }
  const memUse = eff.get('mem');
  const mem = parsedValue<number>(memUse);
  if (memUse && mem !== undefined && mem > maxMem) noFit(memUse, `--mem=${memUse.value} asks for ${formatMegabytes(mem)} per node`);
  const memCpuUse = eff.get('mem-per-cpu');
  const memCpu = parsedValue<number>(memCpuUse);
  if (memCpuUse && memCpu !== undefined && memCpu * cpt > maxMem) noFit(memCpuUse, `--mem-per-cpu=${memCpuUse.value} × ${cpt} CPU${cpt === 1 ? '' : 's'} asks for ${formatMegabytes(memCpu * cpt)} per task`);
  const tmpUse = eff.get('tmp');
  const tmp = parsedValue<number>(tmpUse);
  const maxTmp = Math.max(...nodes.map((n) => n.tmpDiskMB ?? 0));
  if (tmpUse && tmp !== undefined && nodes.every((n) => n.tmpDiskMB !== undefined) && tmp > maxTmp) {
    report(ctx, tmpUse, 'SBATCH204', `--tmp=${tmpUse.value} asks for ${formatMegabytes(tmp)} of local disk, but nodes in partition ${names(partitions)} have at most ${formatMegabytes(maxTmp)} (TmpDisk): the job is refused.`);
  }
}

/** `gpu:a100:2` → {name gpu, type a100, count 2}; `gpu` → count 1. */
function parseGresItem(item: string): { name: string; type?: string; count: number } | undefined {
  const parts = item.split(':');
  const name = parts[0];
  if (!name) return undefined;
  const last = parts[parts.length - 1]!;
  const hasCount = parts.length > 1 && /^\d+$/.test(last);
  const count = hasCount ? Number(last) : 1;
  const type = parts.length === 3 || (parts.length === 2 && !hasCount) ? parts[1] : undefined;
  return { name, ...(type ? { type } : {}), count };
}

function checkGres(ctx: RuleContext, eff: Map<string, OptionUse>, nodes: readonly NodeProfile[], partitions: readonly PartitionProfile[]): void {
  const gresUse = eff.get('gres');
  if (!gresUse?.value || gresUse.value === 'none') return;
  for (const item of gresUse.value.split(',')) {
    const g = parseGresItem(item.trim());
    if (!g) continue;
    const have = nodes.flatMap((n) => n.gres.filter((x) => x.name === g.name && (g.type === undefined || x.type === g.type)));
    if (have.length === 0) {
      const offered = [...new Set(nodes.flatMap((n) => n.gres.map((x) => x.type ? `${x.name}:${x.type}` : x.name)))];
      report(ctx, gresUse, 'SBATCH205', `No node in partition ${names(partitions)} has GRES "${g.type ? `${g.name}:${g.type}` : g.name}": the job is refused ("Invalid generic resource (gres) specification").` +
        (offered.length ? ` Available: ${offered.join(', ')}.` : ' These nodes have no GRES; try a GPU partition.'));
      continue;
    }
    const most = Math.max(...have.map((x) => x.count));
    if (g.count > most) {
      report(ctx, gresUse, 'SBATCH204', `${g.count} × ${g.name} per node asked for, but nodes in partition ${names(partitions)} have at most ${most}: the job is refused ("Requested node configuration is not available").`);
    }
  }
}
