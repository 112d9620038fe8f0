import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_FILES, RunMemory, type StateStore } from '../../../../extension/src/run/runMemory';

/** The Memento contract, in memory (values are copied the way the workspace state stores JSON). */
class MemoryState implements StateStore {
  readonly data = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const v = this.data.get(key);
    return v === undefined ? undefined : JSON.parse(v) as T;
  }
  update(key: string, value: unknown): Thenable<void> {
    this.data.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
}

describe('RunMemory', () => {
  test('counts per file and per kind', async () => {
    const m = new RunMemory(new MemoryState());
    await m.rememberCount('/a.py', 'workers', 2);
    await m.rememberCount('/a.py', 'ranks', 4);
    await m.rememberCount('/b.py', 'workers', 8);
    assert.equal(m.count('/a.py', 'workers'), 2);
    assert.equal(m.count('/a.py', 'ranks'), 4);
    assert.equal(m.count('/b.py', 'workers'), 8);
    assert.equal(m.count('/c.py', 'workers'), undefined);
  });

  test('directives: this file\'s, else the last given anywhere', async () => {
    const m = new RunMemory(new MemoryState());
    assert.equal(m.directives('/a.py'), undefined);
    await m.rememberDirectives('/a.py', '--ntasks=2');
    await m.rememberDirectives('/b.py', '--ntasks=8');
    assert.equal(m.directives('/a.py'), '--ntasks=2');
    assert.equal(m.directives('/c.py'), '--ntasks=8');
  });

  test('the last request, as stored', async () => {
    const m = new RunMemory(new MemoryState());
    const request = { target: 'local', spec: { backend: 'pool', program: '/a.py', workers: 2 } } as const;
    await m.rememberRequest(request);
    assert.deepEqual(m.lastRequest(), request);
  });

  test('at most MAX_FILES files; the least recently used go first', async () => {
    const m = new RunMemory(new MemoryState());
    for (let i = 0; i <= MAX_FILES; i++) await m.rememberCount(`/f${i}.py`, 'workers', i);
    await m.rememberCount('/f1.py', 'workers', 11);
    await m.rememberCount('/new.py', 'workers', 1);
    assert.equal(m.count('/f0.py', 'workers'), undefined);
    assert.equal(m.count('/f2.py', 'workers'), undefined);
    assert.equal(m.count('/f1.py', 'workers'), 11);
    assert.equal(m.count(`/f${MAX_FILES}.py`, 'workers'), MAX_FILES);
  });
});
