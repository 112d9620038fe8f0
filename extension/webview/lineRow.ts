/**
 * One output line drawn into a row: its prefix, its styled spans with the search's matches
 * marked, and a note of what was cut. Text is only ever set with textContent; styles only as
 * class names and #rrggbb colours that pass these checks.
 */
import type { AnsiSpan } from '../src/output/ansi';
import type { WireLine } from '../src/output/outputProtocol';

const SAFE_CLASS = /^[a-z0-9 -]{1,80}$/;
const SAFE_COLOUR = /^#[0-9a-f]{6}$/;

/** A line the host has; `prefix`: the rank or task tag shown before it (none in a one-source view). */
export function drawLine(div: HTMLDivElement, line: WireLine, prefix: string, isCurrent: boolean, highlight: RegExp | undefined): void {
  if (line.gone) {
    div.className = 'row placeholder';
    div.textContent = '(line not found in the log)';
    return;
  }
  let cls = 'row';
  if (line.err) cls += ' err';
  if (line.sys) cls += ' sys';
  if (isCurrent) cls += ' current-match';
  div.className = cls;
  if (prefix) {
    const p = document.createElement('span');
    // A prefix that is not a note's names a rank or a task.
    const who = line.sys ? 'sys' : `c${(line.rank ?? line.task!) % 8}`;
    p.className = `prefix prefix-${who}`;
    p.textContent = prefix;
    div.appendChild(p);
  }
  const ranges = highlightRanges(highlight, line.spans);
  let at = 0;
  let r = 0;
  for (const span of line.spans) {
    const text = String(span.text);
    const end = at + text.length;
    // Split the span where search matches begin and end.
    let cut = at;
    while (cut < end) {
      while (r < ranges.length && ranges[r]![1] <= cut) r++;
      let next = end;
      let hl = false;
      const range = ranges[r];
      if (range) {
        if (range[0] <= cut) { hl = true; next = Math.min(end, range[1]); } else next = Math.min(end, range[0]);
      }
      div.appendChild(spanElement(text.slice(cut - at, next - at), span, hl));
      cut = next;
    }
    at = end;
  }
  if (line.cut) {
    const more = document.createElement('span');
    more.className = 'cut';
    more.textContent = ` … ${line.cut} more characters`;
    div.appendChild(more);
  }
}

function spanElement(text: string, span: AnsiSpan, hl: boolean) {
  const el = document.createElement('span');
  el.textContent = text;
  let cls = typeof span.cls === 'string' && SAFE_CLASS.test(span.cls) ? span.cls : '';
  if (hl) cls = cls ? `${cls} hl` : 'hl';
  if (cls) el.className = cls;
  if (typeof span.fg === 'string' && SAFE_COLOUR.test(span.fg)) el.style.color = span.fg;
  if (typeof span.bg === 'string' && SAFE_COLOUR.test(span.bg)) el.style.backgroundColor = span.bg;
  return el;
}

/** [start, end) of search matches in the row's visible text. */
function highlightRanges(re: RegExp | undefined, spans: readonly AnsiSpan[]): [number, number][] {
  if (!re) return [];
  let text = '';
  for (const s of spans) text += s.text;
  const ranges: [number, number][] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (ranges.length < 200 && (m = re.exec(text)) !== null) {
    if (m[0].length === 0) { re.lastIndex++; continue; }
    ranges.push([m.index, m.index + m[0].length]);
  }
  return ranges;
}
