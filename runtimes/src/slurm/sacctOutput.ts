/**
 * `sacct -X -P -n -o SACCT_FIELDS`: one line per job allocation (-X: no steps), `|`-separated
 * (-P). The job name goes last because it may itself contain `|`. Array tasks are
 * `<master>_<task>`; tasks that never started are grouped as `<master>_[3-5]`.
 */
import { exitFromPair, parseSlurmTime, type JobRecord } from './jobRecord';
import { slurmStateWord } from './slurmState';

export const SACCT_FIELDS = 'JobID,JobIDRaw,State,ExitCode,Reason,Start,End,NodeList,WorkDir,JobName';

export function parseSacct(stdout: string): JobRecord[] {
  const out: JobRecord[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const f = line.split('|');
    if (f.length < 10) continue;
    const [jobIdText, raw, state, exitText, reason, start, end, nodes, workDir] = f as string[] as [string, string, string, string, string, string, string, string, string];
    const name = f.slice(9).join('|');
    const m = /^(\d+)(?:_(\d+|\[[^\]]*\]))?(?:\+\d+)?$/.exec(jobIdText);
    if (!m) continue;
    const [, master, task] = m;
    const isTask = task !== undefined && /^\d+$/.test(task);
    const pending = task !== undefined && !isTask ? task.slice(1, -1) : undefined;
    const exit = exitFromPair(exitText);
    const s = parseSlurmTime(start);
    const e = parseSlurmTime(end);
    out.push({
      jobId: raw || master!,
      ...(task !== undefined ? { arrayJobId: master! } : {}),
      ...(isTask ? { arrayTaskId: Number(task) } : {}),
      ...(pending ? { pendingTasks: pending } : {}),
      state: slurmStateWord(state),
      ...(reason && reason !== 'None' ? { reason } : {}),
      ...(exit ? { exit } : {}),
      ...(name ? { name } : {}),
      ...(nodes && nodes !== 'None assigned' ? { nodes } : {}),
      ...(workDir ? { workDir } : {}),
      ...(s ? { startTime: s } : {}),
      ...(e ? { endTime: e } : {}),
    });
  }
  return out;
}
