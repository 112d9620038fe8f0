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

describe('LineSplitter.bytes: lines as the bytes written', () => {
  function pieces(chunks: readonly Buffer[], maxLine?: number): Array<[string, boolean]> {
    const calls: Array<[string, boolean]> = [];
    const s = LineSplitter.bytes((lines, open) => lines.forEach((l, i) => calls.push([l, open && i === lines.length - 1])), maxLine);
    for (const c of chunks) s.push(c);
    s.end();
    return calls;
  }
  const b = (...bytes: number[]) => Buffer.from(bytes);
  const latin1 = (buf: Buffer) => buf.toString('latin1');

  test('nothing decoded, nothing dropped: invalid UTF-8, split characters, CRLF', () => {
    const chunks = [b(0x61, 0xff, 0xe2, 0x82), b(0xac, 0x0d), b(0x0a, 0xe9, 0x0a, 0x00)];
    assert.deepEqual(pieces(chunks), [[latin1(b(0x61, 0xff, 0xe2, 0x82, 0xac, 0x0d)), false], [latin1(b(0xe9)), false], ['\u0000', false]]);
  });

  test('a line over the cap comes in pieces marked open, cut between characters', () => {
    // 'ab' then euro signs (3 bytes each): a cut at 10 bytes would split the third.
    const line = Buffer.concat([Buffer.from('ab'), Buffer.from('\u20ac'.repeat(6))]);
    const got = pieces([line.subarray(0, 5), line.subarray(5), b(0x0a)], 10);
    assert.deepEqual(got.map(([l, open]) => [l.length, open]), [[8, true], [9, true], [3, false]]);
    assert.equal(got.map(([l]) => l).join(''), latin1(line));
    for (const [l] of got) assert.ok(!Buffer.from(l, 'latin1').toString('utf8').includes('\ufffd'), JSON.stringify(l));
    // Bytes that are not UTF-8 are cut at the cap.
    assert.deepEqual(pieces([Buffer.alloc(25, 0x80), b(0x0a)], 10).map(([l, open]) => [l.length, open]), [[10, true], [10, true], [5, false]]);
  });

  test('lines are said to be ASCII only when every byte of them is, the rest of a line from an earlier chunk included', () => {
    const calls: Array<[string[], boolean]> = [];
    const s = LineSplitter.bytes((lines, _open, ascii) => calls.push([lines, ascii]));
    for (const c of [Buffer.from('plain\nca'), b(0xe9, 0x20), Buffer.from('fin\nnext\n'), Buffer.from('ascii\n')]) s.push(c);
    assert.deepEqual(calls, [[['plain'], true], [[latin1(Buffer.from([0x63, 0x61, 0xe9, 0x20, 0x66, 0x69, 0x6e])), 'next'], false], [['ascii'], true]]);
  });

  test('a pty\'s text is taken as its UTF-8 bytes', () => {
    const s = LineSplitter.bytes((lines) => got.push(...lines));
    const got: string[] = [];
    s.push('\u20ac\r\n');
    assert.deepEqual(got, [latin1(Buffer.from('\u20ac\r'))]);
  });
});

