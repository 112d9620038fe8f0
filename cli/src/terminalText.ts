/**
 * Text from scripts, file names and the cluster (job names, reasons), made safe to print: control
 * characters are shown as escapes (`\x1b`, `\n`), so a hostile script or job name cannot clear
 * the screen, move the cursor or forge lines to hide errors in a terminal or a CI log.
 */
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// C0 controls, DEL, C1 controls (U+0080–U+009F: 0x9b is a one-byte CSI), and the Unicode line
// and paragraph separators and bidirectional overrides that reorder what a reader sees.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(CONTROL, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
