/**
 * Reads what the linter may know about a cluster (server/src/clusterProfile.ts): partitions and
 * their limits, nodes (CPUs, memory, GRES), the user's accounts and QOS, MaxArraySize and the
 * Slurm release. The commands run at once over the one connection; a part that fails (no
 * accounting: sacctmgr) is left out rather than failing the whole profile.
 * `scontrol show partition/node -o` is used over `sinfo --json`: 22.05's sinfo --json has no
 * partitions, and the text form is the same from 17.x to 24.x.
 */
import type { ClusterProfile, GresProfile, NodeProfile, PartitionProfile } from '../../../server/src/clusterProfile';
import * as cmd from './slurmCommands';
import { slurmCommandError } from './slurmErrors';
import type { SlurmRunner } from './slurmRunner';
import { scontrolRecords } from './scontrolOutput';

/** Slurm hostlist → names: "n[1-3,07],gpu1" → n1 n2 n3 n07 gpu1 (zero padding kept). */
export function expandHostlist(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= list.length; i++) {
    const c = list[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if ((c === ',' && depth === 0) || i === list.length) { if (i > start) items.push(list.slice(start, i)); start = i + 1; }
  }
  return items.flatMap(expandOne);
}

function expandOne(item: string): string[] {
  const m = /^([^[]*)\[([^\]]+)\](.*)$/.exec(item);
  if (!m) return [item];
  const [, pre, ranges, post] = m as unknown as [string, string, string, string];
  const out: string[] = [];
  for (const r of ranges.split(',')) {
    const mm = /^(\d+)(?:-(\d+))?$/.exec(r);
    if (!mm) continue;
    const width = mm[1]!.length;
    const a = Number(mm[1]);
    const b = mm[2] !== undefined ? Number(mm[2]) : a;
    for (let i = a; i <= b; i++) for (const rest of expandOne(post)) out.push(`${pre}${String(i).padStart(width, '0')}${rest}`);
  }
  return out;
}

/** Slurm time limits → minutes: "30:00" (min:sec), "04:00:00", "2-00:00:00", "UNLIMITED" → Infinity. */
export function slurmTimeMinutes(text: string | undefined): number | undefined {
  if (!text || text === 'NONE' || text === 'N/A') return undefined;
  if (text === 'UNLIMITED' || text === 'INFINITE') return Infinity;
  const m = /^(?:(\d+)-)?(\d+(?::\d+){0,2})$/.exec(text);
  if (!m) return undefined;
  const days = m[1] !== undefined ? Number(m[1]) : undefined;
  const p = m[2]!.split(':').map(Number);
  let h = 0, min = 0, s = 0;
  if (days !== undefined) [h = 0, min = 0, s = 0] = p; // d-h, d-h:m, d-h:m:s
  else if (p.length === 1) [min = 0] = p;
  else if (p.length === 2) [min = 0, s = 0] = p;
  else [h = 0, min = 0, s = 0] = p;
  return (days ?? 0) * 1440 + h * 60 + min + Math.ceil(s / 60);
}

/** "gpu:2", "gpu:a100:4(S:0-1)", "gpu:tesla:2,mps:100" → entries; "(null)" → none. */
export function parseGres(text: string | undefined): GresProfile[] {
  if (!text || text === '(null)') return [];
  return text.split(/,(?![^(]*\))/).flatMap((g) => {
    const parts = g.replace(/\(.*\)$/, '').split(':');
    const count = Number(parts[parts.length - 1]);
    if (!parts[0] || !Number.isFinite(count)) return [];
    return [{ name: parts[0], ...(parts.length === 3 ? { type: parts[1]! } : {}), count }];
  });
}

export function parsePartitions(stdout: string): PartitionProfile[] {
  return scontrolRecords(stdout).flatMap((kv) => {
    const name = kv.get('PartitionName');
    if (!name) return [];
    const maxNodes = kv.get('MaxNodes');
    const def = slurmTimeMinutes(kv.get('DefaultTime'));
    return [{
      name,
      isDefault: kv.get('Default') === 'YES',
      maxTimeMinutes: slurmTimeMinutes(kv.get('MaxTime')) ?? Infinity,
      ...(def !== undefined ? { defaultTimeMinutes: def } : {}),
      ...(maxNodes && /^\d+$/.test(maxNodes) ? { maxNodes: Number(maxNodes) } : {}),
      nodes: kv.get('Nodes') && kv.get('Nodes') !== '(null)' ? expandHostlist(kv.get('Nodes')!) : [],
      ...(kv.get('State') ? { state: kv.get('State')! } : {}),
    }];
  });
}

export function parseNodes(stdout: string): NodeProfile[] {
  return scontrolRecords(stdout).flatMap((kv) => {
    const name = kv.get('NodeName');
    if (!name) return [];
    const features = kv.get('AvailableFeatures');
    const tmp = Number(kv.get('TmpDisk'));
    return [{
      name,
      cpus: Number(kv.get('CPUTot') ?? kv.get('CPUEfctv') ?? 0),
      memoryMB: Number(kv.get('RealMemory') ?? 0),
      ...(Number.isFinite(tmp) ? { tmpDiskMB: tmp } : {}),
      gres: parseGres(kv.get('Gres')),
      ...(features && features !== '(null)' ? { features: features.split(',') } : {}),
    }];
  });
}

/** `scontrol show config`: "Key    = value" lines. */
export function parseConfig(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^(\S+)\s*=\s*(.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!.trim());
  }
  return out;
}

/**
 * The options SPANK plugins add, from `sbatch --help`: after "Options provided by plugins:" each
 * is printed as `--name[=arginfo]  usage` (src/common/plugstack.c _spank_opt_print). No such
 * section: the cluster has none.
 */
export function parsePluginOptions(helpText: string): string[] {
  const at = helpText.indexOf('Options provided by plugins:');
  if (at < 0) return [];
  const names: string[] = [];
  for (const line of helpText.slice(at).split('\n').slice(1)) {
    const m = /^\s*--([A-Za-z0-9][\w-]*)/.exec(line);
    if (m) names.push(m[1]!);
  }
  return [...new Set(names)];
}

export async function fetchClusterProfile(run: SlurmRunner, now = new Date()): Promise<ClusterProfile> {
  const opts = { idempotent: true } as const;
  const [parts, nodes, config, assoc, user, help] = await Promise.all([
    run(cmd.scontrolShowPartitions(), opts), run(cmd.scontrolShowNodes(), opts), run(cmd.scontrolShowConfig(), opts),
    run(cmd.sacctmgrAssociations(), opts), run(cmd.sacctmgrDefaultAccount(), opts), run(cmd.sbatchHelp(), opts),
  ]);
  if (parts.code !== 0) throw slurmCommandError('scontrol show partition', parts.stderr, parts.code, run.clusterName);
  const conf = parseConfig(config.stdout);
  const maxArray = Number(conf.get('MaxArraySize'));
  const version = conf.get('SLURM_VERSION');
  let accounts: string[] | undefined;
  let qos: string[] | undefined;
  if (assoc.code === 0 && assoc.stdout.trim()) {
    const rows = assoc.stdout.trim().split('\n').map((l) => l.split('|'));
    accounts = [...new Set(rows.map((r) => r[0]!).filter(Boolean))].sort();
    qos = [...new Set(rows.flatMap((r) => (r[2] ?? '').split(',')).filter(Boolean))].sort();
  }
  const defaultAccount = user.code === 0 ? user.stdout.trim().split('\n')[0]?.trim() : undefined;
  return {
    // The name the user gave the cluster (messages quote it), not slurm.conf's ClusterName.
    name: run.clusterName,
    ...(version ? { slurmVersion: version } : {}),
    partitions: parsePartitions(parts.stdout),
    nodes: nodes.code === 0 ? parseNodes(nodes.stdout) : [],
    ...(accounts ? { accounts } : {}),
    ...(defaultAccount ? { defaultAccount } : {}),
    ...(qos ? { qos } : {}),
    ...(Number.isFinite(maxArray) && maxArray > 0 ? { maxArraySize: maxArray } : {}),
    // Only a help text that is there tells which plugins are missing.
    ...(help.code === 0 && help.stdout.includes('Usage: sbatch') ? { pluginOptions: parsePluginOptions(help.stdout) } : {}),
    fetchedAt: now.toISOString(),
  };
}
