/** What every subcommand looks like, and the error that means "you called me wrong" (exit 2). */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream;
}

export interface Command {
  readonly usage: string;
  run(args: readonly string[], io: Io): Promise<number>;
}

export class UsageError extends Error {}

/** node's parseArgs, with its errors turned into short usage messages. */
export interface ParsedOptions {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

export function parseOptions(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): ParsedOptions {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, '.') : String(e);
    throw new UsageError(msg);
  }
}
