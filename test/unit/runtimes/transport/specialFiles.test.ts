/**
 * ssh_config's Include meets special and self-including files (issue 11, item 5): /dev/zero,
 * a FIFO with no writer, and `Include *` in every file of a folder are each read once, bounded,
 * and the parse ends (before: 8 GB read, a hang, gigabytes of repeated lines). Real files.
 *
 * Run: node --import tsx --test test/unit/runtimes/transport/specialFiles.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { defaultConfigEnv, SshConfig } from '../../../../runtimes/src/transport/sshConfig';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-special-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...defaultConfigEnv(), home: dir };

test('Include /dev/zero and a FIFO: skipped (regular files only), the rest of the file read', { timeout: 20_000 }, () => {
  const fifo = path.join(dir, 'fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const config = SshConfig.parse(`Include /dev/zero\nInclude ${fifo}\nHost a\n  Port 2201\n`, env);
  assert.equal(config.resolve('a').port, 2201);
});

test('Include * in every file of a folder: each file once, the parse ends', { timeout: 20_000 }, () => {
  const conf = path.join(dir, 'conf.d');
  mkdirSync(conf);
  for (let i = 0; i < 8; i++) writeFileSync(path.join(conf, `f${i}`), `Include ${conf}/*\nHost h${i}\n  Port ${2300 + i}\n`);
  const config = SshConfig.parse(`Include ${conf}/*\n`, env);
  assert.deepEqual(config.hostNames().sort(), Array.from({ length: 8 }, (_, i) => `h${i}`));
  assert.equal(config.resolve('h7').port, 2307);
});
