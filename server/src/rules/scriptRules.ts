/** Whole-script checks sbatch makes before it reads any option (src/sbatch/sbatch.c). */
import type { Fix, Rule } from './ruleContext';
import { lineRange } from './ruleContext';

export const checkScriptShape: Rule = (ctx) => {
  const { script } = ctx;
  if (script.text.length === 0 || /^[ \t\n\v\f\r]*$/.test(script.text)) {
    ctx.report('SBATCH004', lineRange(0, 0, 0),
      script.text.length === 0 ? 'sbatch rejects an empty script ("Batch script is empty!").'
        : 'sbatch rejects a script that holds only whitespace.');
    return;
  }
  // A template may open with control lines (`{% set %}`, `{# #}`); the #! after them is line 1 once rendered.
  const firstReal = script.lines.findIndex((_, i) => !script.templateLines.includes(i));
  if (!script.hasShebang && !(firstReal > 0 && script.lines[firstReal]!.startsWith('#!'))) {
    const first = script.lines[0] ?? '';
    const fix: Fix = {
      title: 'Add "#!/bin/bash" as the first line', preferred: true,
      edits: [{ range: lineRange(0, 0, 0), newText: '#!/bin/bash\n' }],
    };
    ctx.report('SBATCH001', lineRange(0, 0, first.length),
      'sbatch rejects this script: the first line must start with #! and name an interpreter, e.g. #!/bin/bash.', { fixes: [fix] });
  }
  if (script.crlfLines.length > 0) {
    const first = script.crlfLines[0]!;
    const edits = script.crlfLines.map((l) => {
      // "\r\r\n" still holds a CRLF once one CR is gone: drop every CR before the LF.
      const text = script.lines[l]!;
      let end = text.length;
      while (end > 0 && text[end - 1] === '\r') end--;
      return { range: { start: { line: l, character: end }, end: { line: l + 1, character: 0 } }, newText: '\n' };
    });
    ctx.report('SBATCH002', lineRange(first, 0, script.lines[first]!.length),
      `sbatch rejects DOS line breaks (\\r\\n); ${script.crlfLines.length} line(s) end in CRLF. Save the file with LF line endings.`,
      { fixes: [{ title: 'Convert line endings to LF', edits, preferred: true }] });
  }
  if (script.nulOffsets.length > 0) {
    const pos = positionAt(script.text, script.nulOffsets[0]!);
    ctx.report('SBATCH003', lineRange(pos.line, pos.character, pos.character + 1),
      `The Slurm controller rejects scripts that contain a NUL character ('\\0'); found ${script.nulOffsets.length}.`);
  }
};

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0; let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) { line++; lineStart = i + 1; }
  return { line, character: offset - lineStart };
}
