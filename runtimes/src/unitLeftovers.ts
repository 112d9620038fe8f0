/**
 * What a unit leaves behind when its main process exits: processes still in its group, and
 * ones that escaped the group (setsid) but still hold its output pipes, found by the run's
 * marker. Both are ended, so a run's end means its processes' end.
 */
import { findRunProcesses, killTree, type ProcessInfo, type TreeSelector } from './processTree';
import type { StartedUnit } from './unitProcess';

export interface LeftoverCheck {
  /** The unit as the run's output names it ("rank 2", "task 5"...). */
  readonly label: string;
  /** The unit's processes, without its (exited) main process as a root. */
  readonly selector: TreeSelector;
  readonly graceMs: number;
  /** Its process group still has members and nobody is ending them already. */
  readonly inGroup: boolean;
  say(text: string): void;
  survivors(ps: readonly ProcessInfo[]): void;
}

export async function endLeftovers(unit: StartedUnit, check: LeftoverCheck): Promise<void> {
  if (check.inGroup) {
    const r = await killTree(check.selector, check.graceMs);
    if (r.terminated.length > 0) check.say(`${check.label} exited and left ${describeProcesses(r.terminated)} running: ended`);
    check.survivors(r.survivors);
  }
  if (await settlesWithin(unit.drained, 250)) return;
  const unitMarker = { ...check.selector, groups: [] };
  const holders = await findRunProcesses(unitMarker);
  if (holders.length > 0) {
    check.say(`${check.label} exited and left ${describeProcesses(holders)} running outside its process group: ended`);
    const r = await killTree({ ...unitMarker, roots: holders.map((p) => p.pid) }, check.graceMs);
    check.survivors(r.survivors);
  }
  if (await settlesWithin(unit.drained, 2000)) return;
  check.say(`${check.label}: its output is still held open by a process that is not part of the run; stopped reading it`);
  unit.forceClose();
}

/** "2 processes: sleep (123), sh (124)", five named at most. */
export function describeProcesses(ps: readonly ProcessInfo[]): string {
  const shown = ps.slice(0, 5).map((p) => `${p.command} (${p.pid})`).join(', ');
  return `${ps.length} process${ps.length === 1 ? '' : 'es'}: ${shown}${ps.length > 5 ? ', …' : ''}`;
}

function settlesWithin(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    void p.then(() => { clearTimeout(t); resolve(true); });
  });
}
