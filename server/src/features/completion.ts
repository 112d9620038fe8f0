/** Completion: option names, their values, file-name patterns, and a batch-script header. */
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Range } from 'vscode-languageserver';
import type { Position, ScriptAnalysis } from '../lint';
import type { SbatchOption } from '../options/optionTypes';
import { findShortOption, matchLongOption, SBATCH_OPTIONS } from '../options/sbatchOptions';
import { FILE_PATTERNS } from './filePatterns';
import { optionDoc } from './hover';

const HEADER = [
  '#!/bin/bash',
  '#SBATCH --job-name=${1:myjob}',
  '#SBATCH --ntasks=${2:1}',
  '#SBATCH --cpus-per-task=${3:1}',
  '#SBATCH --mem-per-cpu=${4:1G}',
  '#SBATCH --time=${5:00:10:00}',
  '#SBATCH --output=${6:%x-%j.out}',
  '',
  '$0',
].join('\n');

/** Values worth offering for kinds that are not plain enums. */
const VALUE_SUGGESTIONS: Partial<Record<SbatchOption['type'], readonly string[]>> = {
  dependency: ['afterok:', 'afterany:', 'afternotok:', 'after:', 'aftercorr:', 'singleton'],
  exclusive: ['user', 'mcs', 'topo'],
  signal: ['B:USR1@60', 'USR1@60', 'TERM@120'],
  gres: ['gpu:1', 'gpu:2'],
  gpus: ['1', '2'],
  time: ['00:10:00', '01:00:00', '1-00:00:00'],
};

export function completionsAt(a: ScriptAnalysis, p: Position): CompletionItem[] {
  const line = a.script.lines[p.line] ?? '';
  const before = line.slice(0, p.character);
  const inHeader = a.script.firstCommandLine === undefined || p.line <= a.script.firstCommandLine;

  // sbatch reads no directive after the first command: nothing to complete there.
  if (!inHeader) return [];
  const directive = /^#(SBATCH|SLURM)/.exec(before);
  if (!directive) {
    if (!/^#?\w*$/.test(before.trim())) return [];
    const range = { start: { line: p.line, character: 0 }, end: p };
    const items: CompletionItem[] = [{ label: '#SBATCH', kind: CompletionItemKind.Keyword, detail: 'Slurm directive', textEdit: { range, newText: '#SBATCH --' }, command: retrigger }];
    if (a.script.directives.length === 0 && p.line <= 1) {
      items.push({ label: 'sbatch header', kind: CompletionItemKind.Snippet, detail: 'Batch script with the usual directives',
        insertTextFormat: InsertTextFormat.Snippet, textEdit: { range, newText: p.line === 0 ? HEADER : HEADER.split('\n').slice(1).join('\n') } });
    }
    return items;
  }
  const word = /(\S*)$/.exec(before)![1]!;
  const range: Range = { start: { line: p.line, character: p.character - word.length }, end: p };
  const eq = word.indexOf('=');
  if (word.startsWith('--') && eq >= 0) {
    const m = matchLongOption(word.slice(2, eq));
    if (m.kind !== 'exact' && m.kind !== 'prefix') return [];
    return valueItems(m.option, word.slice(eq + 1), { start: { line: p.line, character: range.start.character + eq + 1 }, end: p });
  }
  if (word.startsWith('-') || word === '') {
    // A value may be due: `--time 1`, `-t 1`.
    const prev = /(\S+)\s+$/.exec(before.slice(0, before.length - word.length))?.[1];
    const prevOption = prev ? optionNamed(prev) : undefined;
    if (prevOption && prevOption.arg === 'required' && !prev!.includes('=') && !word.startsWith('-')) return valueItems(prevOption, word, range);
    return optionItems(range, word.startsWith('--') || word === '' ? 'long' : 'short');
  }
  const prev = /(\S+)\s+\S*$/.exec(before)?.[1];
  const prevOption = prev ? optionNamed(prev) : undefined;
  return prevOption?.arg === 'required' ? valueItems(prevOption, word, range) : [];
}

const retrigger = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

function optionNamed(word: string): SbatchOption | undefined {
  if (word.startsWith('--')) {
    const m = matchLongOption(word.slice(2));
    return m.kind === 'exact' || m.kind === 'prefix' ? m.option : undefined;
  }
  return word.length === 2 && word.startsWith('-') ? findShortOption(word[1]!) : undefined;
}

function optionItems(range: Range, form: 'long' | 'short'): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const o of SBATCH_OPTIONS) {
    if (o.hidden || o.removed) continue;
    const doc = { kind: 'markdown' as const, value: optionDoc(o) };
    const tags = o.deprecated ? [1 as const] : undefined;
    if (form === 'long') {
      const text = o.arg === 'required' ? `--${o.name}=` : `--${o.name}`;
      items.push({
        label: `--${o.name}`, kind: CompletionItemKind.Property, detail: o.description, documentation: doc,
        textEdit: { range, newText: text }, filterText: `--${o.name}`, ...(tags ? { tags } : {}),
        ...(o.arg === 'required' ? { command: retrigger } : {}),
      });
    } else if (o.short) {
      items.push({ label: `-${o.short}`, kind: CompletionItemKind.Property, detail: `--${o.name}: ${o.description}`, documentation: doc, textEdit: { range, newText: o.arg === 'none' ? `-${o.short}` : `-${o.short} ` } });
    }
  }
  return items;
}

function valueItems(o: SbatchOption, typed: string, range: Range): CompletionItem[] {
  if (o.type === 'filePattern') {
    const pct = typed.lastIndexOf('%');
    if (pct < 0 || pct !== typed.length - 1) return [];
    const r = { start: { line: range.start.line, character: range.start.character + pct }, end: range.end };
    return FILE_PATTERNS.map((fp) => ({ label: fp.pattern, kind: CompletionItemKind.Constant, detail: fp.description, textEdit: { range: r, newText: fp.pattern } }));
  }
  const list = o.type === 'enum' || o.type === 'mailType' ? o.values ?? [] : VALUE_SUGGESTIONS[o.type] ?? [];
  // Comma lists (mail types) complete their last element.
  const comma = o.type === 'mailType' ? typed.lastIndexOf(',') : -1;
  const r = comma >= 0 ? { start: { line: range.start.line, character: range.start.character + comma + 1 }, end: range.end } : range;
  return list.map((v, i) => ({ label: v, kind: CompletionItemKind.EnumMember, sortText: String(i).padStart(3, '0'), textEdit: { range: r, newText: v } }));
}
