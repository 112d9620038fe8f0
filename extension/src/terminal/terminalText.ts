/**
 * A run's output as a terminal shows it: lines tagged per rank or task the way the CLI tags
 * them (`[rank 3] `, coloured per rank), the runtime's own lines dimmed, and `\r\n` line ends
 * (a terminal moves down on `\n` without returning to the first column). Pure: tested in Node.
 */
import { linePrefix, type OutputLine } from '../../../runtimes/src/index';

/** The CLI's colours: ranks and tasks take turns. */
const COLOURS = [36, 33, 35, 32, 34, 31];
const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

export function terminalLine(line: OutputLine): string {
  if (line.system) return `${DIM}${linePrefix(line)}${line.text}${RESET}\r\n`;
  const prefix = linePrefix(line);
  if (!prefix) return `${line.text}\r\n`;
  const who = line.rank ?? line.task;
  const colour = who === undefined ? RED : `\x1b[${COLOURS[who % COLOURS.length]}m`;
  return `${colour}${prefix}${RESET}${line.text}\r\n`;
}

export function terminalLines(lines: readonly OutputLine[]): string {
  let out = '';
  for (const l of lines) out += terminalLine(l);
  return out;
}

/** A message of ours (not the program's), one `[hpc-jobs]` line per line of text. */
export function terminalNote(text: string, kind: 'note' | 'error' = 'note'): string {
  const style = kind === 'error' ? RED : DIM;
  return text.split(/\r?\n/).map((l) => `${style}[hpc-jobs] ${l}${RESET}\r\n`).join('');
}
