import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RunRequest } from '../../../../extension/src/jobs/jobEntry';
import { runsInTerminal, terminalSpec } from '../../../../extension/src/run/terminalTarget';

const program = { program: '/w/ask.py', args: [], cwd: '/w' };

describe('the Terminal target', () => {
  test('one worker under a pty of 80×24 (the terminal resizes it once it has a size)', () => {
    assert.deepEqual(terminalSpec(program), { backend: 'pool', program: '/w/ask.py', args: [], cwd: '/w', workers: 1, tty: { cols: 80, rows: 24 } });
  });

  test('runsInTerminal: pool runs with a tty, and nothing else', () => {
    const rows: Array<[RunRequest, boolean]> = [
      [{ target: 'local', spec: terminalSpec(program) }, true],
      [{ target: 'local', spec: { backend: 'pool', ...program, tty: true } }, true],
      [{ target: 'local', spec: { backend: 'pool', ...program, workers: 4 } }, false],
      [{ target: 'local', spec: { backend: 'pool', ...program, tty: false } }, false],
      [{ target: 'local', spec: { backend: 'tasks', ...program, tasks: 2 } }, false],
      [{ target: 'slurm-python', cluster: 'hpc', program: '/w/ask.py', job: {} }, false],
    ];
    for (const [request, expected] of rows) assert.equal(runsInTerminal(request), expected, JSON.stringify(request));
  });
});
