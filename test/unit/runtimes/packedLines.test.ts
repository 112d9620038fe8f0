/**
 * Packed output lines (runtimes/src/packedLines.ts): what crosses from the run host's worker
 * to the extension host must read back as exactly the lines that went in.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LinePacker, packedCount, packedText, slicePacked, unpackLines } from '../../../runtimes/src/packedLines';
import type { OutputLine } from '../../../runtimes/src/runtime';

const line = (text: string, extra: Partial<OutputLine> = {}): OutputLine =>
  ({ stream: 'stdout', rank: undefined, task: undefined, system: undefined, text, time: 1, ...extra });

describe('LinePacker', () => {
  test('lines read back as they went in: texts (empty, unicode), sources, times', () => {
    const lines = [line('a', { rank: 0 }), line('', { rank: 0, time: 2 }), line('π ≈ 3.14 ✓', { rank: 1, stream: 'stderr', time: 3 }),
      line('runtime says', { system: true, stream: 'stderr', time: 4 }), line('task', { task: 12, time: 5 })];
    const packer = new LinePacker();
    const [p, ...more] = packer.pack(lines);
    assert.equal(more.length, 0);
    assert.equal(packedCount(p!), 5);
    assert.deepEqual(unpackLines(p!, packer.sources), lines);
    assert.equal(packedText(p!, 2), 'π ≈ 3.14 ✓');
  });

  test('sources are numbered once, in a table that only grows; new ones are handed out once', () => {
    const seen: number[] = [];
    const packer = new LinePacker((_s, id) => seen.push(id));
    packer.pack([line('a', { rank: 0 }), line('b', { rank: 1 }), line('c', { rank: 0 })]);
    assert.deepEqual(packer.takeNewSources(), [{ stream: 'stdout', rank: 0 }, { stream: 'stdout', rank: 1 }]);
    const [p] = packer.pack([line('d', { rank: 1 }), line('e', { rank: 2 })]);
    assert.deepEqual([...p!.sources], [1, 2]);
    assert.deepEqual(packer.takeNewSources(), [{ stream: 'stdout', rank: 2 }]);
    assert.deepEqual(packer.takeNewSources(), []);
    assert.deepEqual(seen, [0, 1, 2]);
  });

  test('packs hold at most maxChars (at least one line), and slices stand on their own', () => {
    const lines = Array.from({ length: 10 }, (_, i) => line(String(i).repeat(4), { task: i }));
    const packer = new LinePacker();
    const packs = packer.pack(lines, 2, 10);
    assert.deepEqual(packs.map(packedCount), [2, 2, 2, 2]);
    assert.deepEqual(packs.flatMap((p) => unpackLines(p, packer.sources)), lines.slice(2));
    const [long] = packer.pack([line('x'.repeat(50))], 0, 10);
    assert.equal(packedCount(long!), 1);
    const whole = packer.pack(lines)[0]!;
    const middle = slicePacked(whole, 3, 6);
    assert.deepEqual(unpackLines(middle, packer.sources), lines.slice(3, 6));
    assert.deepEqual(unpackLines(slicePacked(whole, 0, 0), packer.sources), []);
  });
});
