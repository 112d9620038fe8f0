/**
 * LocalTransport's file calls on real folders: `mkdirp` makes what is missing, like `mkdir -p`,
 * and a folder mkdir cannot make is an error, not a hang.
 *
 * Run: node --import tsx --test test/unit/runtimes/transport/localTransport.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { LocalTransport } from '../../../../runtimes/src/transport/localTransport';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-local-transport-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('mkdirp makes the missing folders (mode as mkdir -p gives) and accepts existing ones', async () => {
  const t = new LocalTransport();
  const umask = process.umask(0o022);
  try {
    const deep = path.join(dir, 'a', 'b', 'c');
    await t.mkdirp(deep);
    await t.mkdirp(deep);
    assert.equal(statSync(deep).mode & 0o777, 0o755);
  } finally {
    process.umask(umask);
  }
});

test('mkdirp where mkdir answers ENOENT under a folder that exists (/proc): rejected at once', { timeout: 10_000 }, async () => {
  // node's mkdir({ recursive: true }) spins forever here.
  await assert.rejects(new LocalTransport().mkdirp('/proc/self/no-such/x'), /ENOENT/);
});
