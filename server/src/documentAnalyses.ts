/** One analysis per open document version, shared by diagnostics, hover, completion and hints. */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeScript, type LintOptions, type ScriptAnalysis } from './lint';

export class DocumentAnalyses {
  private readonly cache = new Map<string, { version: number; key: string; analysis: ScriptAnalysis }>();

  get(doc: TextDocument, options: LintOptions): ScriptAnalysis {
    const key = options.slurmVersion ?? '';
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version && hit.key === key) return hit.analysis;
    const analysis = analyzeScript(doc.getText(), options);
    this.cache.set(doc.uri, { version: doc.version, key, analysis });
    return analysis;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}

/** A shell script is served only when it holds directives (or directive look-alikes). */
export function hasDirectives(analysis: ScriptAnalysis): boolean {
  return analysis.script.directives.length > 0 || analysis.script.ignored.length > 0;
}
