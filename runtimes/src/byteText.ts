/**
 * Byte strings: a program's output held as a string of one char per byte (latin1), so it can
 * be split into lines, tagged and written to the run log without changing a byte (binary and
 * Latin-1 output decoded as UTF-8 first came back as U+FFFD: 10 MB of binary became 19 MB).
 * Only what is shown (panels, terminal, CLI) is decoded, line by line, by `displayText`.
 */

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * A line of bytes as text to show: UTF-8 (invalid bytes become U+FFFD, as a terminal shows
 * them), without the `\r` of a CRLF line end. `maybeNonAscii: false` skips the scan when the
 * caller knows the bytes are ASCII already.
 */
export function displayText(bytes: string, maybeNonAscii = true): string {
  const text = bytes.length > 0 && bytes.charCodeAt(bytes.length - 1) === 13 ? bytes.slice(0, -1) : bytes;
  return maybeNonAscii && NON_ASCII.test(text) ? Buffer.from(text, 'latin1').toString('utf8') : text;
}

/** Text of our own (a system line, a pty's already decoded output) as the bytes UTF-8 makes of it. */
export function textBytes(text: string): string {
  return NON_ASCII.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

/**
 * Where to cut a byte string of more than `max` bytes near `max` without splitting a UTF-8
 * character (whose later bytes are 10xxxxxx): at most 3 bytes earlier; bytes that are not
 * UTF-8 are cut at `max`.
 */
export function cutBefore(bytes: string, max: number): number {
  for (let at = max; at > max - 4 && at > 0; at--) {
    if ((bytes.charCodeAt(at) & 0xc0) !== 0x80) return at;
  }
  return max;
}
