/**
 * ANSI escape sequences in program output, turned into styled spans for the output panel.
 *
 * Each line is parsed on its own, from the default style: the panel scrolls to any line at
 * random, so a colour that a program sets on one line and resets lines later is not carried
 * over (most programs reset at the end of each line anyway).
 *
 * The result is safe by construction: span text is shown with `textContent`; `cls` only holds
 * class names from this file's own vocabulary, and `fg`/`bg` only `#rrggbb`.
 */

export interface AnsiSpan {
  readonly text: string;
  /** Space-separated `a-*` classes (see media/output/outputPanel.css). */
  readonly cls?: string;
  /** `#rrggbb`: a 256-palette colour above 15, or a truecolor one. */
  readonly fg?: string;
  readonly bg?: string;
}

/** A palette index (0-255) or `#rrggbb`. */
type Colour = number | string;

interface Style {
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
  hidden: boolean;
  strike: boolean;
  fg: Colour | undefined;
  bg: Colour | undefined;
}

const plain = (): Style => ({ bold: false, dim: false, italic: false, underline: false, inverse: false, hidden: false, strike: false, fg: undefined, bg: undefined });

const ESC = 0x1b;
/** Anything that needs the slow path: C0 controls except tab, DEL, C1 controls. */
const SPECIAL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;

/** The spans of one line. A line without escapes or controls is one unstyled span. */
export function parseAnsi(line: string): AnsiSpan[] {
  if (!SPECIAL.test(line)) return line.length > 0 ? [{ text: line }] : [];
  const spans: AnsiSpan[] = [];
  let style = plain();
  let text = '';
  // A carriage return (progress bars) starts the line over, as a terminal would show it, once
  // something follows it.
  let carriageReturn = false;
  const flush = () => {
    if (text.length > 0) spans.push(spanOf(text, style));
    text = '';
  };
  const n = line.length;
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === ESC) {
      const seq = readEscape(line, i);
      if (seq.sgr !== undefined) {
        const next = applySgr(style, seq.sgr);
        if (!sameStyle(next, style)) { flush(); style = next; }
      }
      i = seq.end;
      continue;
    }
    if (c === 0x0d) { carriageReturn = true; i++; continue; }
    if (c !== 0x09 && (c < 0x20 || (c >= 0x7f && c <= 0x9f))) { i++; continue; }
    if (carriageReturn) { spans.length = 0; text = ''; carriageReturn = false; }
    // Copy the run of ordinary characters at once.
    let j = i + 1;
    while (j < n) {
      const d = line.charCodeAt(j);
      if (d === ESC || d === 0x0d || (d !== 0x09 && (d < 0x20 || (d >= 0x7f && d <= 0x9f)))) break;
      j++;
    }
    text += line.slice(i, j);
    i = j;
  }
  flush();
  return spans;
}

/** The text a person sees: escapes and controls removed, carriage returns applied. */
export function stripAnsi(line: string): string {
  if (!SPECIAL.test(line)) return line;
  let out = '';
  for (const s of parseAnsi(line)) out += s.text;
  return out;
}

/**
 * Where the escape sequence at `start` ends, and its SGR parameters if it is one. A sequence
 * cut off or broken by a byte that cannot be part of it ends just before that byte, so the
 * text after it is kept.
 */
function readEscape(line: string, start: number): { end: number; sgr?: string } {
  const n = line.length;
  if (start + 1 >= n) return { end: n };
  const kind = line.charCodeAt(start + 1);
  if (kind === 0x5b /* [ : CSI */) {
    let i = start + 2;
    while (i < n) {
      const c = line.charCodeAt(i);
      if (c >= 0x40 && c <= 0x7e) {
        return c === 0x6d /* m */ ? { end: i + 1, sgr: line.slice(start + 2, i) } : { end: i + 1 };
      }
      // parameter bytes 0x30-0x3f, intermediate bytes 0x20-0x2f
      if (c < 0x20 || c > 0x3f) return { end: i };
      i++;
    }
    return { end: n };
  }
  if (kind === 0x5d /* ] OSC */ || kind === 0x50 /* P DCS */ || kind === 0x58 || kind === 0x5e || kind === 0x5f) {
    // A string up to BEL or ST (ESC \). Unterminated: drop only the introducer, keep the text.
    for (let i = start + 2; i < n; i++) {
      const c = line.charCodeAt(i);
      if (c === 0x07) return { end: i + 1 };
      if (c === ESC) return line.charCodeAt(i + 1) === 0x5c ? { end: i + 2 } : { end: start + 2 };
    }
    return { end: start + 2 };
  }
  // ESC ( B and friends: character set designation, one more byte.
  if (kind >= 0x28 && kind <= 0x2f) return { end: Math.min(n, start + 3) };
  // Other two-byte sequences (ESC 7, ESC =, ...); a control after ESC is not part of it.
  return { end: kind >= 0x20 && kind <= 0x7e ? start + 2 : start + 1 };
}

/** The style after one SGR sequence (`1;31`, `38;5;208`, `38:2::255:0:0`, `` = reset). */
function applySgr(current: Style, params: string): Style {
  const s: Style = { ...current };
  if (params.length > 256) return s; // nobody styles text with a 256-byte sequence
  const list = params.split(';');
  for (let k = 0; k < list.length; k++) {
    const param = list[k]!;
    const sub = param.includes(':') ? param.split(':') : undefined;
    const code = num(sub ? sub[0]! : param, 0);
    if (code === undefined) continue;
    switch (code) {
      case 0: Object.assign(s, plain()); break;
      case 1: s.bold = true; break;
      case 2: s.dim = true; break;
      case 3: s.italic = true; break;
      case 4: s.underline = !(sub && sub[1] === '0'); break;
      case 7: s.inverse = true; break;
      case 8: s.hidden = true; break;
      case 9: s.strike = true; break;
      case 21: s.underline = true; break;
      case 22: s.bold = false; s.dim = false; break;
      case 23: s.italic = false; break;
      case 24: s.underline = false; break;
      case 27: s.inverse = false; break;
      case 28: s.hidden = false; break;
      case 29: s.strike = false; break;
      case 39: s.fg = undefined; break;
      case 49: s.bg = undefined; break;
      case 38: case 48: {
        let colour: Colour | undefined;
        if (sub) {
          colour = extendedColour(sub.slice(1), true);
        } else {
          const r = extendedColour(list.slice(k + 1), false);
          colour = r;
          k += consumed(list, k + 1);
        }
        if (colour !== undefined) { if (code === 38) s.fg = colour; else s.bg = colour; }
        break;
      }
      default:
        if (code >= 30 && code <= 37) s.fg = code - 30;
        else if (code >= 40 && code <= 47) s.bg = code - 40;
        else if (code >= 90 && code <= 97) s.fg = code - 90 + 8;
        else if (code >= 100 && code <= 107) s.bg = code - 100 + 8;
      // blink, fonts, overline...: not shown
    }
  }
  return s;
}

/** How many `;` parameters after 38/48 belong to the colour. */
function consumed(list: readonly string[], from: number): number {
  const mode = num(list[from], -1);
  if (mode === 5) return Math.min(2, list.length - from);
  if (mode === 2) return Math.min(4, list.length - from);
  return list.length > from ? 1 : 0;
}

/** `5;n` or `2;r;g;b` (with colons, `2:cs:r:g:b` may carry a colour-space id). */
function extendedColour(args: readonly string[], colons: boolean): Colour | undefined {
  const mode = num(args[0], -1);
  if (mode === 5) {
    const n = num(args[1], -1);
    return n !== undefined && n >= 0 && n <= 255 ? n : undefined;
  }
  if (mode === 2) {
    const rgb = colons && args.length >= 5 ? args.slice(2, 5) : args.slice(1, 4);
    if (rgb.length < 3) return undefined;
    const [r, g, b] = rgb.map((v) => num(v, -1));
    if ([r, g, b].some((v) => v === undefined || v < 0 || v > 255)) return undefined;
    return hex(r!, g!, b!);
  }
  return undefined;
}

/** A decimal parameter; `empty` for an empty one; undefined for garbage. */
function num(text: string | undefined, empty: number): number | undefined {
  if (text === undefined || text === '') return empty;
  if (text.length > 5 || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

function hex(r: number, g: number, b: number): string {
  return '#' + ((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1);
}

/** xterm's 256-colour palette above the 16 theme colours: a 6×6×6 cube, then 24 greys. */
export function paletteHex(n: number): string {
  if (n >= 232) { const v = 8 + (n - 232) * 10; return hex(v, v, v); }
  const i = n - 16;
  const level = (x: number) => (x === 0 ? 0 : 55 + x * 40);
  return hex(level(Math.floor(i / 36)), level(Math.floor(i / 6) % 6), level(i % 6));
}

function sameStyle(a: Style, b: Style): boolean {
  return a.bold === b.bold && a.dim === b.dim && a.italic === b.italic && a.underline === b.underline &&
    a.inverse === b.inverse && a.hidden === b.hidden && a.strike === b.strike && a.fg === b.fg && a.bg === b.bg;
}

function spanOf(text: string, s: Style): AnsiSpan {
  // Inverse swaps the colours; a default colour then becomes the theme's other default.
  const fg = s.inverse ? s.bg : s.fg;
  const bg = s.inverse ? s.fg : s.bg;
  const cls: string[] = [];
  if (s.bold) cls.push('a-b');
  if (s.dim) cls.push('a-d');
  if (s.italic) cls.push('a-i');
  if (s.underline) cls.push('a-u');
  if (s.strike) cls.push('a-s');
  if (s.hidden) cls.push('a-h');
  let fgHex: string | undefined;
  let bgHex: string | undefined;
  if (fg === undefined) { if (s.inverse) cls.push('a-fgi'); } else if (typeof fg === 'number' && fg < 16) cls.push(`a-fg${fg}`); else fgHex = typeof fg === 'number' ? paletteHex(fg) : fg;
  if (bg === undefined) { if (s.inverse) cls.push('a-bgi'); } else if (typeof bg === 'number' && bg < 16) cls.push(`a-bg${bg}`); else bgHex = typeof bg === 'number' ? paletteHex(bg) : bg;
  return {
    text,
    ...(cls.length > 0 ? { cls: cls.join(' ') } : {}),
    ...(fgHex ? { fg: fgHex } : {}),
    ...(bgHex ? { bg: bgHex } : {}),
  };
}
