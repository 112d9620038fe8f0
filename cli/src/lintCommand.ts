/** `hpc-jobs lint`: the language server's rules over files, for terminals and CI. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintText, type LintDiagnostic, type LintOptions } from '../../server/src/lint';
import { releaseNumber } from '../../server/src/options/optionLookup';
import type { ClusterProfile } from '../../server/src/clusterProfile';
import { CODES } from '../../server/src/rules/codes';
import { CLUSTER_OPTIONS, CLUSTER_USAGE, openCluster, reportFailure, type OpenedCluster } from './clusterOptions';
import { parseOptions, UsageError, type Command, type Io } from './command';
import { formatJson, formatSarif, formatText, type FileResult } from './lintFormats';
import { formatGithub } from './lintFormatGithub';
import { isBatchScript } from './batchScriptFilter';
import { printable } from './terminalText';

/** Larger than any batch script Slurm accepts (its default limit is 4 MB); reading stops here. */
const MAX_BYTES = 64 * 1024 * 1024;

const usage = `Usage: hpc-jobs lint [--format text|json|sarif|github] [--strict] [--slurm-version YY.MM] [--cluster NAME] FILE... | -

  --format, -f       text (default: file:line:col: severity: message [CODE]), json, sarif, or github
                     (GitHub Actions annotations: ::error file=...,line=...::message)
  --strict           exit 1 on warnings too
  --slurm-version    check options against this Slurm release (e.g. 22.05)
  --list-codes       print every diagnostic code with its severity and meaning
  --skip-non-batch   skip files that are not batch scripts: any file but *.slurm and *.sbatch
                     without #SBATCH lines (for pre-commit and CI, which pass every shell script)
  --cluster NAME     also check against that cluster (partitions and their limits, node sizes,
                     GRES, your accounts and QOS, MaxArraySize), read once over its connection;
                     its Slurm release is used unless --slurm-version is given
${CLUSTER_USAGE.split('\n').filter((l) => !l.includes('--cluster') && !l.includes('or an SSH destination')).join('\n')}
  -                  read the script from standard input

Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage or I/O errors.`;

export const lintCommand: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      format: { type: 'string', short: 'f', default: 'text' },
      strict: { type: 'boolean', default: false },
      'slurm-version': { type: 'string' },
      'list-codes': { type: 'boolean' },
      'skip-non-batch': { type: 'boolean' },
      ...CLUSTER_OPTIONS, // --cluster, --identity, --known-hosts, --verbose, --help
    });
    if (values.help) { io.stdout.write(usage + '\n'); return 0; }
    if (values['list-codes']) {
      const width = Math.max(...Object.values(CODES).map((c) => c.name.length)) + 1;
      io.stdout.write(Object.entries(CODES).map(([code, c]) => `${code}  ${c.severity.padEnd(11)} ${c.name.padEnd(width)} ${c.summary}\n`).join(''));
      return 0;
    }
    const format = values.format as string;
    if (!['text', 'json', 'sarif', 'github'].includes(format)) throw new UsageError(`unknown format '${format}' (use text, json, sarif or github).`);
    if (positionals.length === 0) throw new UsageError('no files given (use - for standard input).');
    if (positionals.filter((p) => p === '-').length > 1) throw new UsageError('standard input (-) can be read only once.');
    let version = values['slurm-version'] as string | undefined;
    if (version !== undefined && Number.isNaN(releaseNumber(version))) throw new UsageError(`'${version}' is not a Slurm release such as 22.05.`);
    let cluster: ClusterProfile | undefined;
    let opened: OpenedCluster | undefined;
    if (values['cluster'] !== undefined) {
      opened = openCluster(values, io);
      try {
        cluster = await opened.cluster.profile();
      } catch (e) {
        await opened.close();
        reportFailure(e, io, 'lint'); // prints what went wrong (unreachable, host key, auth...)
        return 2; // for lint, a cluster that cannot be read is an I/O error
      }
      version ??= cluster.slurmVersion;
    }

    const results: FileResult[] = [];
    let ioFailed = false;
    try {
      for (const file of positionals) {
        const read = file === '-' ? await readStdin(io) : readScript(file);
        if ('error' in read) {
          io.stderr.write(`hpc-jobs lint: ${printable(file)}: ${read.error}\n`);
          ioFailed = true;
          continue;
        }
        if (values['skip-non-batch'] && !isBatchScript(file, read.text)) continue;
        const options: LintOptions = {
          ...(file !== '-' ? { filePath: path.resolve(file), directoryExists: isDirectory } : {}),
          ...(version ? { slurmVersion: version } : {}),
          ...(cluster ? { cluster } : {}),
        };
        results.push({ file, diagnostics: opened ? await lintWithClusterFolders(read.text, options, opened) : lintText(read.text, options) });
      }
    } finally {
      await opened?.close();
    }

    io.stdout.write(format === 'json' ? formatJson(results) : format === 'sarif' ? formatSarif(results) : format === 'github' ? formatGithub(results) : formatText(results, io.stdout.isTTY === true));
    if (format === 'text' && io.stderr.isTTY) io.stderr.write(summary(results) + '\n');
    if (ioFailed) return 2;
    const all = results.flatMap((r) => r.diagnostics);
    const failing = (d: LintDiagnostic) => d.severity === 'error' || (values.strict === true && d.severity === 'warning');
    return all.some(failing) ? 1 : 0;
  },
};

/**
 * Lints twice: first to learn which output folders only the cluster can check (each answered
 * "exists"), then with what the cluster says about them. A folder it cannot stat counts as missing.
 */
async function lintWithClusterFolders(text: string, options: LintOptions, opened: OpenedCluster): Promise<LintDiagnostic[]> {
  const asked = new Set<string>();
  const first = lintText(text, { ...options, clusterDirectoryExists: (p) => { asked.add(p); return true; } });
  if (asked.size === 0) return first;
  const there = new Map<string, boolean>();
  for (const p of asked) there.set(p, (await opened.cluster.transport.stat(p).catch(() => undefined))?.isDirectory ?? false);
  return lintText(text, { ...options, clusterDirectoryExists: (p) => there.get(p) ?? true });
}

function isDirectory(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

type ReadResult = { text: string } | { error: string };

/** A script from disk, bounded and checked (also for `hpc-jobs mcp`'s lint tool). */
export function readScript(file: string): ReadResult {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot read (${code ?? String(e)})` };
  }
  if (stat.isDirectory()) return { error: `is a directory; pass the scripts in it, e.g. ${path.join(file, '*.slurm')}` };
  if (!stat.isFile()) return { error: 'not a regular file' };
  if (stat.size > MAX_BYTES) return { error: `is ${(stat.size / 1048576).toFixed(0)} MB; a batch script is at most a few MB (Slurm's default limit is 4 MB)` };
  try {
    return decode(fs.readFileSync(file));
  } catch (e) {
    return { error: `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
}

async function readStdin(io: Io): Promise<ReadResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer;
    size += b.length;
    if (size > MAX_BYTES) return { error: 'standard input is larger than 64 MB; not a batch script' };
    chunks.push(b);
  }
  return decode(Buffer.concat(chunks));
}

/** A file with NUL bytes and no `#!` is binary, not a script with a stray NUL (SBATCH003). */
function decode(bytes: Buffer): ReadResult {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0) && !(bytes[0] === 0x23 && bytes[1] === 0x21)) {
    return { error: 'looks like a binary file (it holds NUL bytes and does not start with #!), not a batch script' };
  }
  return { text: bytes.toString('utf8') };
}

function summary(results: readonly FileResult[]): string {
  const all = results.flatMap((r) => r.diagnostics);
  const n = (s: string) => all.filter((d) => d.severity === s).length;
  return `${results.length} file(s): ${n('error')} error(s), ${n('warning')} warning(s), ${n('information') + n('hint')} note(s)`;
}
