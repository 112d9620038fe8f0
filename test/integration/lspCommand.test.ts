/**
 * `hpc-jobs lsp` as a process: bad arguments are usage errors (exit 2) that start nothing; the
 * server answers over --stdio and --node-ipc and ends with the client (exit 0 after shutdown).
 * Editors speak to it in lspEditors.test.ts.
 *
 * Run: node --import tsx --test test/integration/lspCommand.test.ts
 */
import assert from 'node:assert/strict';
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { before, describe, test } from 'node:test';
import {
  createProtocolConnection, DidOpenTextDocumentNotification, ExitNotification, InitializedNotification, InitializeRequest,
  IPCMessageReader, IPCMessageWriter, PublishDiagnosticsNotification, ShutdownRequest, StreamMessageReader, StreamMessageWriter,
  type MessageReader, type MessageWriter, type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { buildCliBundle, CLI } from './cliBundle';

before(() => buildCliBundle());

describe('hpc-jobs lsp: arguments', () => {
  for (const [args, message] of [
    [[], /give one channel: --stdio, --node-ipc, --socket=PORT or --pipe=NAME/],
    [['--stdio', '--node-ipc'], /give one channel/],
    [['--stdio', '--verbose'], /unknown argument '--verbose'/],
    [['--socket=abc'], /unknown argument '--socket=abc'/],
  ] as const) {
    test(`${JSON.stringify(args)}: exit 2, ${message}`, () => {
      const r = spawnSync(process.execPath, [CLI, 'lsp', ...args], { encoding: 'utf8', timeout: 30_000, input: '' });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /Usage: hpc-jobs lsp/);
      assert.equal(r.stdout, '');
    });
  }
});

async function session(child: ChildProcess, reader: MessageReader, writer: MessageWriter): Promise<number | null> {
  const conn = createProtocolConnection(reader, writer);
  const published = new Promise<PublishDiagnosticsParams>((resolve) => conn.onNotification(PublishDiagnosticsNotification.type, resolve));
  conn.listen();
  const init = await conn.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, workspaceFolders: null, capabilities: {} });
  assert.equal(init.serverInfo?.name, 'hpc-jobs-slurm');
  assert.equal(init.capabilities.hoverProvider, true);
  await conn.sendNotification(InitializedNotification.type, {});
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: 'untitled:job.slurm', languageId: 'slurm', version: 1, text: '#!/bin/bash\n#SBATCH --tiem=5\nsrun x\n' } });
  assert.deepEqual((await published).diagnostics.map((d) => d.code), ['SBATCH020']);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await conn.sendRequest(ShutdownRequest.type);
  await conn.sendNotification(ExitNotification.type);
  const code = await exited;
  conn.dispose();
  return code;
}

describe('hpc-jobs lsp: channels', () => {
  test('--stdio: diagnostics; exit 0 after shutdown and exit', async () => {
    const child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    assert.equal(await session(child, new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!)), 0);
  });

  test('--node-ipc: the same over Node\'s IPC channel', async () => {
    const child = fork(CLI, ['lsp', '--node-ipc'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    assert.equal(await session(child, new IPCMessageReader(child), new IPCMessageWriter(child)), 0);
  });
});
