import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { linePrefix, OpenMpiDemux, parseTaggedLine } from '../../../runtimes/src/outputTags';

describe('parseTaggedLine: ranks in launcher tags', () => {
  const rows: Array<[string, 'openmpi' | 'mpich', ReturnType<typeof parseTaggedLine>]> = [
    ['[1,3]<stdout>:hello', 'openmpi', { rank: 3, stream: 'stdout', text: 'hello' }],
    ['[1,12]<stderr>:oops: [x]', 'openmpi', { rank: 12, stream: 'stderr', text: 'oops: [x]' }],
    ['[1,0]<stddiag>:warning', 'openmpi', { rank: 0, stream: 'stderr', text: 'warning' }],
    ['[1,0]<stdout>:', 'openmpi', { rank: 0, stream: 'stdout', text: '' }],
    ['[prterun-node1-4242@1,5]<stdout>:x', 'openmpi', { rank: 5, stream: 'stdout', text: 'x' }],
    ['--------------------------------------', 'openmpi', undefined],
    ['[node1:01234] some launcher message', 'openmpi', undefined],
    ['[3] text', 'mpich', { rank: 3, text: 'text' }],
    ['[10] ', 'mpich', { rank: 10, text: '' }],
    ['[proxy:0:0@node1] HYDU_create_process', 'mpich', undefined],
    ['plain', 'mpich', undefined],
  ];
  for (const [line, style, want] of rows) test(`${style}: ${line}`, () => assert.deepEqual(parseTaggedLine(line, style), want));

  test('Open MPI 5 puts a space after the colon', () => {
    assert.deepEqual(parseTaggedLine('[job@1,2]<stdout>: hi', 'openmpi', true), { rank: 2, stream: 'stdout', text: 'hi' });
  });
});

describe('OpenMpiDemux: Open MPI tags chunks, not lines', () => {
  function demux(lines: readonly string[]): string[] {
    const out: string[] = [];
    const d = new OpenMpiDemux((rank, stream, text) => out.push(`${rank}/${stream}:${text}`), (stream, text) => out.push(`launcher/${stream}:${text}`));
    for (const l of lines) d.line('stdout', l);
    d.end();
    return out;
  }
  test('text and newline written separately (Python unbuffered print)', () => {
    assert.deepEqual(demux(['[1,0]<stdout>:rank 0 says hi[1,0]<stdout>:']), ['0/stdout:rank 0 says hi']);
  });
  test("another rank's chunk in the middle of a line", () => {
    assert.deepEqual(demux(['[1,0]<stdout>:abc[1,1]<stdout>:xyz', '[1,0]<stdout>:def']), ['1/stdout:xyz', '0/stdout:abcdef']);
  });
  test('launcher lines and a partial line at the end', () => {
    assert.deepEqual(demux(['mpirun noticed...', '[1,2]<stderr>:half']), ['launcher/stdout:mpirun noticed...', '2/stderr:half']);
  });
});

describe('linePrefix', () => {
  test('log prefixes', () => {
    assert.equal(linePrefix({ stream: 'stdout', rank: 3 }), '[rank 3] ');
    assert.equal(linePrefix({ stream: 'stderr', task: 7 }), '[task 7 stderr] ');
    assert.equal(linePrefix({ stream: 'stdout' }), '');
    assert.equal(linePrefix({ stream: 'stderr' }), '[stderr] ');
    assert.equal(linePrefix({ stream: 'stderr', system: true }), '[hpc-jobs] ');
  });
});
