/**
 * `hpc-jobs lsp --stdio` as an editor runs it (the built CLI, spoken to over its stdio), with
 * `hpcJobs.lint.cluster` naming a cluster of the clusters file: the profile is read from the
 * real test cluster over SSH and the SBATCH2xx rules use it. A name that is not in the file is
 * not dialled: the editor is told, and the script is linted without it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  ConfigurationRequest, createProtocolConnection, DidOpenTextDocumentNotification, ExitNotification, InitializedNotification,
  InitializeRequest, PublishDiagnosticsNotification, ShowMessageNotification, ShutdownRequest, StreamMessageReader, StreamMessageWriter,
  type ProtocolConnection, type PublishDiagnosticsParams, type ShowMessageParams,
} from 'vscode-languageserver/node';
import { buildCliBundle, CLI } from '../integration/cliBundle';
import { clusterAvailability, knownHostsFor, requireEnv, scratch, suiteOptions } from './slurmTestCluster';

const available = clusterAvailability();

interface Server { readonly conn: ProtocolConnection; readonly child: ChildProcess; readonly messages: ShowMessageParams[]; diagnostics(uri: string): Promise<PublishDiagnosticsParams> }

async function startServer(clustersFile: string, lint: Record<string, unknown>): Promise<Server> {
  const child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, HPC_JOBS_CONFIG: clustersFile } });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const messages: ShowMessageParams[] = [];
  const waiting = new Map<string, (p: PublishDiagnosticsParams) => void>();
  conn.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'hpcJobs' ? { lint } : null)));
  conn.onNotification(ShowMessageNotification.type, (m) => messages.push(m));
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => waiting.get(p.uri)?.(p));
  conn.listen();
  await conn.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, workspaceFolders: null, capabilities: { workspace: { configuration: true } } });
  await conn.sendNotification(InitializedNotification.type, {});
  return { conn, child, messages, diagnostics: (uri) => new Promise((resolve) => waiting.set(uri, resolve)) };
}

async function stop(s: Server): Promise<void> {
  const exited = new Promise((resolve) => s.child.once('exit', resolve));
  await s.conn.sendRequest(ShutdownRequest.type);
  await s.conn.sendNotification(ExitNotification.type);
  await exited;
  s.conn.dispose();
}

async function open(s: Server, file: string, text: string): Promise<PublishDiagnosticsParams> {
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const published = s.diagnostics(uri);
  await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'slurm', version: 1, text } });
  return published;
}

const SCRIPT = '#!/bin/bash\n#SBATCH --partition=nosuch\n#SBATCH --time=00:01:00\nsrun hostname\n';

describe('hpc-jobs lsp with hpcJobs.lint.cluster, against the test cluster', suiteOptions(available, { timeout: 120_000 }), () => {
  let dir = '';
  let clustersFile = '';
  before(() => {
    const env = requireEnv(available);
    buildCliBundle();
    dir = scratch('lsp-cluster-');
    clustersFile = path.join(dir, 'clusters.json');
    writeFileSync(clustersFile, JSON.stringify({ clusters: { test: { ssh: `${env.user}@${env.host}:${env.port}`, identityFile: env.key, knownHostsFiles: [knownHostsFor(env, dir)] } } }));
  });
  let server: Server | undefined;
  after(async () => { if (server) await stop(server); });

  test('a cluster of the clusters file: its partitions are checked (SBATCH200 names the real ones)', async () => {
    server = await startServer(clustersFile, { cluster: 'test' });
    const p = await open(server, path.join(dir, 'job.slurm'), SCRIPT);
    const d = p.diagnostics.find((x) => x.code === 'SBATCH200');
    assert.ok(d, JSON.stringify(p.diagnostics));
    assert.match(d.message, /no partition "nosuch"/);
    assert.deepEqual(server.messages, []);
    await stop(server);
    server = undefined;
  });

  test('a name that is not in the file is not dialled: a warning, and lint without the cluster', async () => {
    server = await startServer(clustersFile, { cluster: 'hpcuser@127.0.0.1:1' });
    const p = await open(server, path.join(dir, 'other.slurm'), SCRIPT);
    assert.deepEqual(p.diagnostics.filter((x) => String(x.code) >= 'SBATCH200'), []);
    assert.equal(server.messages.length, 1, JSON.stringify(server.messages));
    assert.match(server.messages[0]!.message, /linting without cluster "hpcuser@127\.0\.0\.1:1": no cluster "hpcuser@127\.0\.0\.1:1" in .*clusters\.json/);
    await stop(server);
    server = undefined;
  });
});
