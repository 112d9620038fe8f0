/** Output formats for `hpc-jobs lint`: ShellCheck-like text, JSON, SARIF 2.1.0. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LintDiagnostic } from '../../server/src/lint';
import { CODES } from '../../server/src/rules/codes';
import { printable } from './terminalText';

export interface FileResult { readonly file: string; readonly diagnostics: readonly LintDiagnostic[] }

const COLOURS: Record<string, string> = { error: '\x1b[31m', warning: '\x1b[33m', information: '\x1b[36m', hint: '\x1b[36m' };
const LABEL: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** `file:line:col: severity: message [CODE]`, 1-based, as gcc and `shellcheck -f gcc` print. */
export function formatText(results: readonly FileResult[], colour: boolean): string {
  return results.flatMap((r) => r.diagnostics.map((d) => {
    const sev = LABEL[d.severity]!;
    const shown = colour ? `${COLOURS[d.severity]}${sev}\x1b[0m` : sev;
    // Quoted script text may hold escape sequences: shown, never obeyed.
    return `${printable(r.file)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${shown}: ${printable(d.message)} [${d.code}]\n`;
  })).join('');
}

export function formatJson(results: readonly FileResult[]): string {
  const rows = results.flatMap((r) => r.diagnostics.map((d) => ({
    file: r.file,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: d.severity,
    code: d.code,
    message: d.message,
  })));
  return JSON.stringify(rows, null, 2) + '\n';
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function formatSarif(results: readonly FileResult[]): string {
  const rules = Object.entries(CODES).map(([id, info]) => ({
    id, name: info.name, shortDescription: { text: info.summary },
    defaultConfiguration: { level: SARIF_LEVEL[info.severity] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'hpc-jobs', informationUri: 'https://github.com/hpc-jobs/hpc-jobs', rules } },
      results: results.flatMap((r) => r.diagnostics.map((d) => ({
        ruleId: d.code, ruleIndex: index.get(d.code), level: SARIF_LEVEL[d.severity], message: { text: d.message },
        locations: [{ physicalLocation: {
          artifactLocation: { uri: artifactUri(r.file) },
          region: { startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 },
        } }],
      }))),
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/**
 * SARIF wants a URI reference, not a path: an absolute path becomes a file: URL, a relative one
 * keeps its folders with each part percent-encoded (a space or `#` would break the URI).
 */
function artifactUri(file: string): string {
  if (file === '-') return 'stdin';
  if (path.isAbsolute(file)) return pathToFileURL(file).href;
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}
