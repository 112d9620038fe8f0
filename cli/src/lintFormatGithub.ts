/**
 * `hpc-jobs lint --format github`: GitHub Actions workflow commands, which the runner turns into
 * annotations on the pull request's lines: `::error file=F,line=L,col=C,...,title=CODE::message`.
 */
import type { Severity } from '../../server/src/rules/codes';
import type { FileResult } from './lintFormats';

/** Actions annotations have three levels; information and hints are notices. */
const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/**
 * The runner splits commands on newlines and properties on `,` and `:`, so a file name or a
 * message (which may quote the script) could end a command early or start another
 * (`::add-mask::`, `::stop-commands::`...): the runner's own escapes keep each one whole.
 */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(results: readonly FileResult[]): string {
  return results.flatMap((r) => r.diagnostics.map((d) => {
    const { start, end } = d.range;
    const props = [
      `file=${escapeProperty(r.file === '-' ? 'stdin' : r.file)}`,
      `line=${start.line + 1}`, `endLine=${end.line + 1}`,
      // Columns only within one line: GitHub ignores them on a range over several lines.
      ...(start.line === end.line ? [`col=${start.character + 1}`, `endColumn=${end.character + 1}`] : []),
      `title=${escapeProperty(`hpc-jobs ${d.code}`)}`,
    ];
    return `::${COMMAND[d.severity]} ${props.join(',')}::${escapeData(d.message)}\n`;
  })).join('');
}
