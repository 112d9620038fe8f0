/**
 * `scontrol show ... -o`: one record per line, `Key=Value` pairs separated by spaces — but
 * values may contain spaces (`JobName=my job`, `StdOut=/a b.out`), so a new pair starts only
 * where a word looks like `Key=` (keys may hold `/` and `:`, e.g. `CPUs/Task`, `AllocNode:Sid`).
 * scontrol, unlike squeue, prints StdOut/StdErr with %j, %x... already expanded.
 */
import { exitFromPair, parseSlurmTime, type JobRecord } from './jobRecord';

export function parseKeyValues(line: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /(?:^|\s)([A-Za-z][A-Za-z0-9_/:.]*)=/g;
  const starts: { key: string; at: number; valueAt: number }[] = [];
  for (let m = re.exec(line); m; m = re.exec(line)) {
    starts.push({ key: m[1]!, at: m.index, valueAt: m.index + m[0].length });
  }
  starts.forEach((s, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.at : line.length;
    if (!out.has(s.key)) out.set(s.key, line.slice(s.valueAt, end).trim());
  });
  return out;
}

/** Lines of `-o` output (multi-line output is joined first). */
export function scontrolRecords(stdout: string): Map<string, string>[] {
  // Without -o, records are blank-line separated and continuation lines are indented.
  const text = /\n {3}\S/.test(stdout) ? stdout.split(/\n\s*\n/).map((r) => r.replace(/\n\s+/g, ' ')).join('\n') : stdout;
  return text.split('\n').filter((l) => l.trim()).map(parseKeyValues);
}

function nullish(v: string | undefined): string | undefined {
  return v === undefined || v === '' || v === '(null)' || v === 'N/A' || v === 'None' ? undefined : v;
}

export function jobFromScontrol(kv: Map<string, string>): JobRecord | undefined {
  const id = kv.get('JobId');
  if (!id) return undefined;
  const arrayJob = nullish(kv.get('ArrayJobId'));
  const taskText = nullish(kv.get('ArrayTaskId'));
  const isTask = taskText !== undefined && /^\d+$/.test(taskText);
  const exit = exitFromPair(kv.get('ExitCode') ?? '');
  const state = kv.get('JobState') ?? 'UNKNOWN';
  const reason = nullish(kv.get('Reason'));
  const start = parseSlurmTime(kv.get('StartTime'));
  const end = parseSlurmTime(kv.get('EndTime'));
  const user = /^([^(]+)/.exec(kv.get('UserId') ?? '')?.[1];
  return {
    jobId: id,
    ...(arrayJob ? { arrayJobId: arrayJob } : {}),
    ...(arrayJob && isTask ? { arrayTaskId: Number(taskText) } : {}),
    ...(arrayJob && taskText && !isTask ? { pendingTasks: taskText } : {}),
    state,
    ...(reason ? { reason } : {}),
    ...(exit && state !== 'PENDING' && state !== 'RUNNING' ? { exit } : {}),
    ...(nullish(kv.get('JobName')) ? { name: kv.get('JobName')! } : {}),
    ...(user ? { user } : {}),
    ...(nullish(kv.get('NodeList')) ? { nodes: kv.get('NodeList')! } : {}),
    ...(nullish(kv.get('WorkDir')) ? { workDir: kv.get('WorkDir')! } : {}),
    ...(nullish(kv.get('StdOut')) ? { stdout: kv.get('StdOut')! } : {}),
    ...(nullish(kv.get('StdErr')) ? { stderr: kv.get('StdErr')! } : {}),
    ...(start ? (state === 'PENDING' ? { expectedStart: start } : { startTime: start }) : {}),
    ...(end && state !== 'PENDING' && state !== 'RUNNING' ? { endTime: end } : {}),
    ...(nullish(kv.get('Partition')) ? { partition: kv.get('Partition')! } : {}),
  };
}

export function parseScontrolJobs(stdout: string): JobRecord[] {
  return scontrolRecords(stdout).flatMap((kv) => jobFromScontrol(kv) ?? []);
}
