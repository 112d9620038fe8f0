/**
 * What a thread did in its longest busy stretch, from V8 CPU profiles (.cpuprofile): the
 * profiles `HPC_JOBS_BENCH_PROFILE=<dir> node --import tsx bench/extensionHost.ts` writes of the
 * extension host's main thread, one per flood. For each: the busy time, the longest stretch of
 * samples with no idle one between (one or more turns back to back), and where that went.
 *
 *   node --import tsx bench/profileTurns.ts <dir>/*.cpuprofile
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const frame = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${basename(n.callFrame.url) || ''}:${n.callFrame.lineNumber + 1}`;

function top(counts: Map<string, number>, n: number): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, n);
}

for (const file of process.argv.slice(2)) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  let t = p.startTime;
  let busyUs = 0;
  let best: { start: number; end: number; nodes: ProfileNode[]; weights: number[] } | undefined;
  let cur: typeof best;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i]!;
    t += dt;
    const n = byId.get(p.samples[i]!)!;
    // The first delta runs from the profile's start, not from a sample.
    if (i === 0 || n.callFrame.functionName === '(idle)') {
      if (cur && (!best || cur.end - cur.start > best.end - best.start)) best = cur;
      cur = undefined;
      continue;
    }
    busyUs += dt;
    cur ??= { start: t - dt, end: t, nodes: [], weights: [] };
    cur.end = t;
    cur.nodes.push(n);
    // Each sample stands for the time since the one before.
    cur.weights.push(dt / 1000);
  }
  if (cur && (!best || cur.end - cur.start > best.end - best.start)) best = cur;
  console.log(`${basename(file)}: busy ${(busyUs / 1000).toFixed(1)} ms` +
    (best ? `; longest busy stretch ${((best.end - best.start) / 1000).toFixed(1)} ms at +${((best.start - p.startTime) / 1000).toFixed(0)} ms` : ''));
  if (!best) continue;
  const self = new Map<string, number>();
  const stacks = new Map<string, number>();
  for (const [i, n] of best.nodes.entries()) {
    const share = best.weights[i]!;
    self.set(frame(n), (self.get(frame(n)) ?? 0) + share);
    const stack: string[] = [];
    for (let id: number | undefined = n.id; id !== undefined && stack.length < 8; id = parent.get(id)) stack.push(frame(byId.get(id)!));
    stacks.set(stack.join(' < '), (stacks.get(stack.join(' < ')) ?? 0) + share);
  }
  for (const [k, ms] of top(self, 5)) console.log(`  self  ${ms.toFixed(1).padStart(6)} ms  ${k}`);
  for (const [k, ms] of top(stacks, 2)) console.log(`  stack ${ms.toFixed(1).padStart(6)} ms  ${k}`);
}
