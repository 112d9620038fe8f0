import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LineSplitter } from '../../../runtimes/src/lineSplitter';

function split(chunks: readonly (string | Buffer)[], maxLine?: number): string[] {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l), maxLine);
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  s.end();
  return lines;
}

describe('LineSplitter: whole lines from chunks that end anywhere', () => {
  const rows: Array<[string, readonly (string | Buffer)[], string[]]> = [
    ['one chunk, many lines', ['a\nb\nc\n'], ['a', 'b', 'c']],
    ['a line across chunks', ['hel', 'lo\nwor', 'ld\n'], ['hello', 'world']],
    ['no newline at the end', ['last'], ['last']],
    ['CRLF', ['a\r\nb\r\n'], ['a', 'b']],
    ['CR and LF in different chunks', ['a\r', '\nb\n'], ['a', 'b']],
    ['empty lines are lines', ['\n\nx\n'], ['', '', 'x']],
    ['a lone CR inside a line stays', ['50%\r100%\n'], ['50%\r100%']],
    ['a UTF-8 character split across chunks', [Buffer.from([0x65, 0x75, 0x72, 0x6f, 0x20, 0xe2, 0x82]), Buffer.from([0xac, 0x0a])], ['euro €']],
    ['invalid UTF-8 becomes U+FFFD', [Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a])], ['a\ufffd\ufffdb']],
    ['a truncated character at the end of the stream', [Buffer.from([0x61, 0xe2, 0x82])], ['a\ufffd']],
    ['nothing', [], []],
  ];
  for (const [name, chunks, want] of rows) test(name, () => assert.deepEqual(split(chunks), want));

  test('a line longer than the cap is cut, so memory stays bounded', () => {
    const lines = split(['x'.repeat(25), 'y'.repeat(10) + '\n'], 10);
    assert.deepEqual(lines, ['xxxxxxxxxx', 'xxxxxxxxxx', 'xxxxxyyyyy', 'yyyyy']);
  });

  test('a million lines in large chunks', () => {
    let count = 0;
    let last = '';
    const s = new LineSplitter((l) => { count++; last = l; });
    const chunk = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    for (let i = 0; i < 1000; i++) s.push(Buffer.from(chunk));
    s.end();
    assert.equal(count, 1_000_000);
    assert.equal(last, 'line 999');
  });
});

describe('LineSplitter.batched: the lines a chunk completes, in groups', () => {
  function groups(chunks: readonly (string | Buffer)[], maxLine?: number): string[][] {
    const calls: string[][] = [];
    const s = LineSplitter.batched((lines) => calls.push(lines), maxLine);
    for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
    s.end();
    return calls;
  }

  test('the same lines as one at a time, for every odd case', () => {
    const cases: (string | Buffer)[][] = [
      ['a\nb\nc\n'], ['hel', 'lo\nwor', 'ld\n'], ['last'], ['a\r\nb\r\n'], ['a\r', '\nb\n'], ['\n\nx\n'],
      [Buffer.from([0x65, 0xe2, 0x82]), Buffer.from([0xac, 0x0a])], [Buffer.from([0x61, 0xff, 0x0a])], [Buffer.from([0x61, 0xe2, 0x82])], [],
      ['x'.repeat(25), 'y'.repeat(10) + '\n'],
    ];
    for (const chunks of cases) assert.deepEqual(groups(chunks, 10).flat(), split(chunks, 10), JSON.stringify(chunks));
  });

  test('one call per chunk, never empty; at most 1,000 lines a call', () => {
    assert.deepEqual(groups(['a\nb', '', 'c\nd\n', 'e']), [['a'], ['bc', 'd'], ['e']]);
    const chunk = Array.from({ length: 2500 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const calls = groups([chunk]);
    assert.deepEqual(calls.map((c) => c.length), [1000, 1000, 500]);
    assert.equal(calls[2]!.at(-1), 'line 2499');
  });

  test('the lines handed on are the caller\'s to keep', () => {
    const kept: string[][] = [];
    const s = LineSplitter.batched((lines) => kept.push(lines));
    s.push(Buffer.from('a\nb\n'));
    s.push(Buffer.from('c\n'));
    assert.deepEqual(kept, [['a', 'b'], ['c']]);
  });
});
