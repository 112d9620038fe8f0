/**
 * The inputs of hostileInput.test.ts, run in a worker thread so that a case that hangs, overflows
 * the stack or exhausts the heap fails alone with its name instead of taking the test run down.
 * Not a test file: started by hostileInput.test.ts, which bounds each case's time and memory.
 * Posts `{ start: name }` before and `{ done: name }` after each case, `{ end: true }` at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { completionsAt } from '../../../server/src/features/completion';
import { analyzeScript, lintText } from '../../../server/src/lint';
import { matchPattern, SshConfig, type SshConfigEnv } from '../../../runtimes/src/transport/sshConfig';
import { mulberry32 } from './seededRandom';

/** ssh_config with no files to include: the reader's own hook, nothing of this machine's. */
const NO_FILES: SshConfigEnv = { home: '/home/nobody', localUser: 'nobody', readFile: () => undefined, listDir: () => [] };

type Case = readonly [name: string, run: () => void];

const lint = (line: string) => () => { lintText(`#!/bin/bash\n${line}\necho done\n`); };
const completeAtEnd = (line: string) => () => {
  const a = analyzeScript(`#!/bin/bash\n${line}\n`);
  completionsAt(a, { line: 1, character: line.length });
};
const sshResolve = (text: string, alias: string) => () => { SshConfig.parse(text, NO_FILES).resolve(alias); };

/** The crafted inputs of issue 11 (items 3 and 4), each at the size that broke it. */
export const CRAFTED: readonly Case[] = [
  ['lint: 11 KB --nodelist=a[1]a[1]… (recursion overflowed the stack)', lint(`#SBATCH --nodelist=${'a[1]'.repeat(2800)}`)],
  ['lint: 1 MB --nodelist=a[1]a[1]…', lint(`#SBATCH --nodelist=${'a[1]'.repeat(250_000)}`)],
  ['lint: --nodelist with 2000 nested prefixes of ranges', lint(`#SBATCH -w ${'r[1-9]'.repeat(2000)}`)],
  // Under sbatch's 4 MiB, so the whole line is read (a longer script is refused at once: SBATCH005).
  ['lint: 4.0 MB line of words after a value (the quote-fix regex overflowed the stack at 4.2 MB)', lint(`#SBATCH --job-name=x a${' b'.repeat(2_000_000)}`)],
  ['completion: end of a 160 KB #SBATCH line of one word', completeAtEnd(`#SBATCH --comment=${'x'.repeat(160_000)}`)],
  ['completion: end of a 160 KB #SBATCH line of words', completeAtEnd(`#SBATCH -J ${'x '.repeat(80_000)}y`)],
  ['completion: end of a 160 KB #SBATCH line of spaces', completeAtEnd(`#SBATCH -J x${' '.repeat(160_000)}`)],
  ['ssh_config: Host *a*a… (18 stars) against a 36-character name (the .* regex took > 30 s)',
    sshResolve(`Host ${'*a'.repeat(18)}\n  User x\n`, `${'a'.repeat(35)}b`)],
  ['ssh_config: a Host line of 20,000 patterns', sshResolve(`Host ${Array.from({ length: 20_000 }, (_, i) => `h${i}*`).join(' ')}\n  Port 2\n`, 'x')],
  ['ssh_config: 1 MB of nested quotes and equals signs', sshResolve(`Host x\n  ProxyJump ${'"a=b" '.repeat(170_000)}\n`, 'x')],
];


const PIECES = ['[', ']', '[1-3]', ',', '-', '--', '=', '*', '?', '!', '#', '"', "'", '\\', ' ', '\t', '%', 'a', '0', '99',
  '--nodelist=', '-w ', '--job-name=', '--time=', '--array=', '--dependency=', '--gres=', '--output=', 'Host ', 'Match ',
  'Include ', 'ProxyJump ', '\u00a0', '😀'];

/** Random long lines of the pieces above (seeded: the same cases every run), for each of the three readers. */
export function randomCases(seed: number, count: number): Case[] {
  const out: Case[] = [];
  for (let k = 0; k < count; k++) {
    const rnd = mulberry32(seed + k);
    const length = 1 + Math.floor(rnd() * 20_000);
    // Long runs of one piece (nesting, repetition) as well as a mix.
    const repeat = rnd() < 0.5 ? PIECES[Math.floor(rnd() * PIECES.length)]! : undefined;
    let line = '';
    while (line.length < length) line += repeat && rnd() < 0.9 ? repeat : PIECES[Math.floor(rnd() * PIECES.length)]!;
    const which = k % 3;
    const name = `random ${k} (seed ${seed}, ${line.length} chars)`;
    if (which === 0) out.push([`lint: ${name}`, lint(`#SBATCH ${line}`)]);
    else if (which === 1) out.push([`completion: ${name}`, completeAtEnd(`#SBATCH ${line}`)]);
    else out.push([`ssh_config: ${name}`, () => { sshResolve(`Host ${line}\n  User ${line}\n`, line.slice(0, 64))(); matchPattern(line.slice(0, 200), line.slice(0, 200)); }]);
  }
  return out;
}

if (parentPort) {
  const { seed, count } = workerData as { seed: number; count: number };
  for (const [name, run] of [...CRAFTED, ...randomCases(seed, count)]) {
    parentPort.postMessage({ start: name });
    run();
    parentPort.postMessage({ done: name });
  }
  parentPort.postMessage({ end: true });
}
