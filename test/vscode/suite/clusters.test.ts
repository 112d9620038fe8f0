/**
 * The cluster commands in a real extension host against the real test cluster (sshd on
 * 127.0.0.1:2222, test/cluster/up.sh): Add Cluster with its connection test and host-key
 * question, the refusals (changed key, nothing listening), Remove, Connect, Forget Saved
 * Passphrases, the cluster profile reaching the language server, and salloc in a terminal.
 * Questions are answered by a ScriptedPrompter; keys and known_hosts files are scratch files
 * passed through Add Cluster's presets, so no ~/.ssh is read or written.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AllocationTerminal } from '../../../extension/src/clusters/allocationTerminal';
import type { HpcJobsApi } from '../../../extension/src/extension';
import { ScriptedPrompter, type MessageOptions, type ScriptedAnswer } from '../../../extension/src/ui/prompter';
import type { ClusterConfig } from '../../../runtimes/src/slurm/clusterRegistry';
import { BASE, readClusterEnv, type ClusterEnv } from '../../cluster/slurmTestCluster';
import { codeOf, diagnosticsOf, waitFor } from './waitFor';
import { workspaceFile } from './workspaceFile';

const EXTENSION_ID = 'hpc-jobs.hpc-jobs';
const CLUSTERS = 'hpcJobs.clusters';
const LINT_CLUSTER = 'hpcJobs.lint.cluster';

/** A ScriptedPrompter that also keeps each message's detail (the host-key dialog's fingerprint). */
class DetailPrompter extends ScriptedPrompter {
  readonly details = new Map<string, string | undefined>();
  override message(id: string, text: string, options: MessageOptions, ...actions: string[]): Promise<string | undefined> {
    this.details.set(id, options.detail);
    return super.message(id, text, options, ...actions);
  }
}

/** `SHA256:…` of a `.pub` line, as `ssh-keygen -lf` prints it. */
function fingerprintOfPub(pubLine: string): string {
  const blob = Buffer.from(pubLine.trim().split(/\s+/)[1]!, 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A fresh ed25519 public key in known_hosts form (`ssh-ed25519 BASE64`): some other server's. */
function otherEd25519Key(): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]).toString('base64')}`;
}

/** Why the test cluster cannot be used, or undefined when its sshd accepts a connection. */
async function clusterUnavailable(env: ClusterEnv | undefined): Promise<string | undefined> {
  if (!env) return `no ${BASE}/cluster.env (start the cluster with test/cluster/up.sh)`;
  // Generous: the machine may be busy with other tests; a refusal comes back at once anyway.
  return new Promise((resolve) => {
    const socket = net.connect({ host: env.host, port: env.port });
    const done = (why: string | undefined) => { clearTimeout(timer); socket.destroy(); resolve(why); };
    const timer = setTimeout(() => done(`no answer from ${env.host}:${env.port} within 20 s`), 20_000);
    socket.once('connect', () => done(undefined));
    socket.once('error', (e) => done(`nothing listens on ${env.host}:${env.port} (${e.message}; run test/cluster/up.sh)`));
  });
}

function globalClusters(): ClusterConfig[] {
  return (vscode.workspace.getConfiguration().inspect<ClusterConfig[]>(CLUSTERS)?.globalValue ?? []);
}

suite('Clusters', () => {
  let env: ClusterEnv;
  let api: HpcJobsApi;
  let scratch: string;
  let savedClusters: unknown;
  let savedLintCluster: unknown;
  let prompter: DetailPrompter;

  suiteSetup(async function () {
    const found = readClusterEnv();
    const unavailable = await clusterUnavailable(found);
    if (unavailable || !found) {
      if (process.env.CI === 'true') throw new Error(`the test cluster is required under CI=true: ${unavailable}`);
      console.log(`Clusters: skipped, no test cluster: ${unavailable}`);
      this.skip();
    }
    env = found;
    const ext = vscode.extensions.getExtension<HpcJobsApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    api = await ext.activate();
    await api.languageClientReady;
    scratch = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-clusters-'));
  });

  suiteTeardown(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  setup(() => {
    const config = vscode.workspace.getConfiguration();
    savedClusters = config.inspect(CLUSTERS)?.globalValue;
    savedLintCluster = config.inspect(LINT_CLUSTER)?.globalValue;
  });

  teardown(async () => {
    api.setPrompter(undefined);
    const config = vscode.workspace.getConfiguration();
    // The lint setting first: with its cluster gone it would warn.
    await config.update(LINT_CLUSTER, savedLintCluster, vscode.ConfigurationTarget.Global);
    await config.update(CLUSTERS, savedClusters, vscode.ConfigurationTarget.Global);
  });

  const destination = () => `${env.user}@${env.host}:${env.port}`;
  const hostKeyPub = () => readFileSync(env.hostKeyPub, 'utf8');
  let fileCount = 0;
  /** A known_hosts file in the scratch folder with these lines. */
  function knownHosts(...lines: string[]): string {
    const f = path.join(scratch, `known_hosts-${++fileCount}`);
    writeFileSync(f, lines.map((l) => `${l}\n`).join(''));
    return f;
  }
  const trustedKnownHosts = () => {
    const [type, key] = hostKeyPub().trim().split(/\s+/);
    return knownHosts(`[${env.host}]:${env.port} ${type} ${key}`);
  };

  function script(answers: ScriptedAnswer[]): DetailPrompter {
    prompter = new DetailPrompter(answers);
    api.setPrompter(prompter);
    return prompter;
  }

  function assertAllAnswered(p: ScriptedPrompter): void {
    assert.deepEqual(p.unexpected, [], `unexpected questions; asked: ${JSON.stringify(p.asked)}`);
    assert.deepEqual(p.remaining, [], 'every scripted answer was used');
  }

  const typedDestination = (dest: string, name: string): ScriptedAnswer[] => [
    { id: 'cluster.host', pick: /^Type a destination/ },
    { id: 'cluster.destination', answer: dest },
    { id: 'cluster.name', answer: name },
  ];

  test('Add Cluster: unknown host key shown with its fingerprint, trusted and remembered; saved and connected', async () => {
    const known = knownHosts();
    const name = 'test-add';
    const p = script([...typedDestination(destination(), name), { id: 'ssh.hostKey', answer: 'Trust and Remember' }]);

    const added = await vscode.commands.executeCommand<string | undefined>('hpcJobs.clusters.add', { identityFile: env.key, knownHostsFiles: [known] });

    assertAllAnswered(p);
    assert.equal(added, name);
    // The counter counts the questions of this path: where, the destination, the name (the key was given).
    assert.deepEqual(p.asked.filter((q) => q.step).map((q) => [q.id, q.step]), [['cluster.host', '1/2'], ['cluster.destination', '2/3'], ['cluster.name', '3/3']]);
    const nameQuestion = p.asked.find((q) => q.id === 'cluster.name');
    assert.equal(nameQuestion?.value, env.host, 'the name is prefilled from the host');
    const hostKey = p.asked.find((q) => q.id === 'ssh.hostKey');
    assert.ok(hostKey, 'the host key was asked about');
    assert.deepEqual(hostKey.items, ['Trust and Remember', 'Trust Once']);
    const expected = fingerprintOfPub(hostKeyPub());
    assert.match(p.details.get('ssh.hostKey') ?? '', new RegExp(`fingerprint is ${expected.replace(/[+/]/g, '\\$&')}\\.`));

    const [type, key] = hostKeyPub().trim().split(/\s+/);
    assert.equal(readFileSync(known, 'utf8'), `[${env.host}]:${env.port} ${type} ${key}\n`, 'the key was appended to the known_hosts file');
    assert.deepEqual(globalClusters().find((c) => c.name === name),
      { name, ssh: destination(), identityFile: env.key, knownHostsFiles: [known] });
    const clusters = api.services.clusters;
    await waitFor(() => `"${name}" connected (now ${JSON.stringify(clusters.status(name))})`,
      () => clusters.status(name).status === 'connected', [clusters.onDidChange]);
    const added1 = p.asked.find((q) => q.id === 'cluster.added');
    assert.match(added1?.title ?? '', /Added cluster "test-add": Slurm 22\.05.*partitions debug \(default\), long, gpu/);
  });

  test('Add Cluster: a changed host key is refused, naming the known_hosts line; nothing saved', async () => {
    const known = knownHosts(`# other servers`, `[${env.host}]:${env.port} ${otherEd25519Key()}`);
    const before = readFileSync(known, 'utf8');
    const p = script([...typedDestination(destination(), 'test-changed'), { id: 'cluster.connectFailed', answer: 'Cancel' }]);

    const added = await vscode.commands.executeCommand<string | undefined>('hpcJobs.clusters.add', { identityFile: env.key, knownHostsFiles: [known] });

    assertAllAnswered(p);
    assert.equal(added, undefined);
    assert.ok(!p.asked.some((q) => q.id === 'ssh.hostKey'), 'a changed key is never offered for trust');
    const failure = p.asked.find((q) => q.id === 'cluster.connectFailed');
    assert.ok(failure);
    assert.match(failure.title, /Host key CHANGED — refused/);
    assert.match(failure.title, new RegExp(`recorded in ${known.replace(/[.]/g, '\\.')} line 2\\b`));
    assert.match(failure.title, /Refusing to connect/);
    assert.deepEqual(failure.items, ['Retry', 'Save Anyway']);
    assert.match(p.details.get('cluster.connectFailed') ?? '', /ssh-keygen -R/);
    assert.equal(readFileSync(known, 'utf8'), before, 'known_hosts untouched');
    assert.equal(globalClusters().find((c) => c.name === 'test-changed'), undefined, 'nothing saved');
  });

  test('Add Cluster: nothing listening says so; Retry tries again, Cancel saves nothing', async () => {
    const p = script([
      ...typedDestination(`${env.user}@127.0.0.1:1`, 'test-unreachable'),
      { id: 'cluster.connectFailed', answer: 'Retry' },
      { id: 'cluster.connectFailed', dismiss: true },
    ]);

    const added = await vscode.commands.executeCommand<string | undefined>('hpcJobs.clusters.add', { identityFile: env.key, knownHostsFiles: [knownHosts()] });

    assertAllAnswered(p);
    assert.equal(added, undefined);
    const failures = p.asked.filter((q) => q.id === 'cluster.connectFailed');
    assert.equal(failures.length, 2, 'asked again after Retry');
    assert.match(failures[0]!.title, /Cannot connect to "test-unreachable" \(hpcuser@127\.0\.0\.1:1\)\. Unreachable: Cannot connect to 127\.0\.0\.1:1: connection refused\./);
    assert.equal(globalClusters().find((c) => c.name === 'test-unreachable'), undefined, 'nothing saved');
  });

  test('Add Cluster: Slurm on this machine needs no SSH', async () => {
    const name = 'test-here';
    const p = script([{ id: 'cluster.host', pick: /^Slurm on this machine/ }, { id: 'cluster.name', answer: name }]);

    const added = await vscode.commands.executeCommand<string | undefined>('hpcJobs.clusters.add');

    assertAllAnswered(p);
    assert.equal(added, name);
    assert.equal(p.asked.find((q) => q.id === 'cluster.name')?.value, os.hostname().split('.')[0], 'the name is prefilled from this machine');
    assert.deepEqual(p.asked.filter((q) => q.step).map((q) => [q.id, q.step]), [['cluster.host', '1/2'], ['cluster.name', '2/2']], 'two questions, counted as two');
    assert.deepEqual(globalClusters().find((c) => c.name === name), { name }, 'no ssh: Slurm on this machine');
    assert.match(p.asked.find((q) => q.id === 'cluster.added')?.title ?? '', /partitions debug \(default\)/);
  });

  test('Add Cluster: a bad destination is refused by the input box; nothing saved', async () => {
    const p = script([{ id: 'cluster.host', pick: /^Type a destination/ }, { id: 'cluster.destination', answer: 'hpcuser@127.0.0.1:99999' }]);
    const added = await vscode.commands.executeCommand<string | undefined>('hpcJobs.clusters.add', {});
    assert.equal(added, undefined);
    assert.match(p.asked.find((q) => q.id === 'cluster.destination')?.validation ?? '', /Port 99999 is out of range/);
    assert.equal(globalClusters().length, ((savedClusters as unknown[] | undefined) ?? []).length, 'nothing saved');
  });

  test('Save Anyway keeps an unreachable cluster; Remove Cluster takes it out of the settings', async () => {
    const name = 'test-remove';
    const p = script([...typedDestination(`${env.user}@127.0.0.1:1`, name), { id: 'cluster.connectFailed', answer: 'Save Anyway' }]);
    const added = await vscode.commands.executeCommand<string | undefined>('hpcJobs.clusters.add', { identityFile: env.key });
    assertAllAnswered(p);
    assert.equal(added, name);
    assert.deepEqual(globalClusters().find((c) => c.name === name), { name, ssh: `${env.user}@127.0.0.1:1`, identityFile: env.key });
    await waitFor('the service to read the new cluster', () => api.services.clusters.config(name), [api.services.clusters.onDidChange]);

    const dismissed = script([{ id: 'cluster.removeConfirm', dismiss: true }]);
    assert.equal(await vscode.commands.executeCommand('hpcJobs.clusters.remove', { name }), false);
    assertAllAnswered(dismissed);
    assert.ok(globalClusters().some((c) => c.name === name), 'kept when the dialog is dismissed');

    const confirmed = script([{ id: 'cluster.removeConfirm', answer: 'Remove' }]);
    assert.equal(await vscode.commands.executeCommand('hpcJobs.clusters.remove', { name }), true);
    assertAllAnswered(confirmed);
    assert.equal(globalClusters().find((c) => c.name === name), undefined, 'removed from hpcJobs.clusters');
    await waitFor('the service to forget it', () => !api.services.clusters.config(name), [api.services.clusters.onDidChange]);
  });

  test('every command that needs a cluster asks alike: one refusal of an unknown name, one pick with each cluster\'s state', async () => {
    const clusters = api.services.clusters;
    await clusters.save({ name: 'pick-a', ssh: `${env.user}@127.0.0.1:1`, identityFile: env.key });
    await clusters.save({ name: 'pick-b', ssh: `${env.user}@127.0.0.1:1`, identityFile: env.key });
    await waitFor('the service to read both clusters', () => clusters.config('pick-a') && clusters.config('pick-b'), [clusters.onDidChange]);
    const job = vscode.Uri.file(path.join(scratch, 'pick.slurm'));
    writeFileSync(job.fsPath, '#!/bin/bash\n#SBATCH --time=1\nhostname\n');

    const refused = script([]);
    assert.equal(await vscode.commands.executeCommand('hpcJobs.clusters.connect', { name: 'nope' }), false);
    assert.equal(await vscode.commands.executeCommand('hpcJobs.run.submitScript', job, 'nope'), undefined);
    assert.equal(await vscode.commands.executeCommand('hpcJobs.run.estimateStart', job, 'nope'), undefined);
    assert.deepEqual(refused.asked.map((q) => `${q.id}: ${q.title}`), Array(3).fill('cluster.unknown: No cluster named "nope" is configured (hpcJobs.clusters).'));
    assert.equal(clusters.status('pick-a').status, 'notConnected', 'nothing connected');

    const picked = script([{ id: 'cluster.pick', dismiss: true }, { id: 'cluster.pick', dismiss: true }]);
    assert.equal(await vscode.commands.executeCommand('hpcJobs.clusters.connect'), false);
    assert.equal(await vscode.commands.executeCommand('hpcJobs.run.submitScript', job), undefined);
    assertAllAnswered(picked);
    for (const q of picked.asked) assert.ok(q.items.includes('pick-a — not connected') && q.items.includes('pick-b — not connected'), q.items.join(' | '));
  });

  test('Connect: a refusal goes to the cluster\'s status; once known_hosts is fixed, Connect connects', async () => {
    const name = 'test-connect';
    const known = knownHosts(`[${env.host}]:${env.port} ${otherEd25519Key()}`);
    await api.services.clusters.save({ name, ssh: destination(), identityFile: env.key, knownHostsFiles: [known] });
    const clusters = api.services.clusters;
    await waitFor('the service to read the new cluster', () => clusters.config(name), [clusters.onDidChange]);
    script([]);

    assert.equal(await vscode.commands.executeCommand('hpcJobs.clusters.connect', { name }), false);
    const failed = clusters.status(name);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /has CHANGED/);
    assert.match(prompter.asked.find((q) => q.id === 'cluster.connectFailed')?.title ?? '', /Host key CHANGED — refused/);

    writeFileSync(known, readFileSync(trustedKnownHosts()));
    assert.equal(await vscode.commands.executeCommand('hpcJobs.clusters.connect', { name }), true);
    assert.equal(clusters.status(name).status, 'connected');
    assert.deepEqual(prompter.unexpected, []);
  });

  test('an encrypted key: its passphrase asked (again when wrong), remembered, then forgotten', async () => {
    // The cluster's own key, encrypted: the same key logs in, now only with the passphrase.
    const key = path.join(scratch, 'encrypted_key');
    copyFileSync(env.key, key);
    chmodSync(key, 0o600);
    execFileSync('ssh-keygen', ['-p', '-q', '-P', '', '-N', 'test passphrase', '-f', key]);
    const name = 'test-passphrase';
    const p = script([
      ...typedDestination(destination(), name),
      { id: 'ssh.passphrase', answer: 'wrong' },
      { id: 'ssh.passphrase', answer: 'test passphrase' },
      { id: 'ssh.rememberPassphrase', answer: 'Remember' },
    ]);

    const added = await vscode.commands.executeCommand<string | undefined>('hpcJobs.clusters.add', { identityFile: key, knownHostsFiles: [trustedKnownHosts()] });

    assertAllAnswered(p);
    assert.equal(added, name);
    assert.equal(p.asked.filter((q) => q.id === 'ssh.rememberPassphrase').length, 1, 'remembering is offered only for the passphrase that opens the key');
    const secrets = api.services.context.secrets;
    assert.equal(await secrets.get(`hpcJobs.passphrase:${key}`), 'test passphrase', 'kept in SecretStorage');
    assert.ok(!JSON.stringify(globalClusters()).includes('test passphrase'), 'never in settings');

    assert.equal(await vscode.commands.executeCommand<number>('hpcJobs.clusters.forgetSecrets'), 1);
    assert.equal(await secrets.get(`hpcJobs.passphrase:${key}`), undefined, 'forgotten');
    assert.match(p.asked.find((q) => q.id === 'cluster.forgotSecrets')?.title ?? '', /Forgot the saved passphrase of .*encrypted_key\./);
    assert.equal(await vscode.commands.executeCommand<number>('hpcJobs.clusters.forgetSecrets'), 0, 'nothing left to forget');
  });

  test('the linter checks scripts against the cluster named by hpcJobs.lint.cluster', async () => {
    const name = 'test-lint';
    await api.services.clusters.save({ name, ssh: destination(), identityFile: env.key, knownHostsFiles: [trustedKnownHosts()] });
    script([]);
    const uri = workspaceFile('cluster-partition.slurm');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const clusterCodes = (ds: vscode.Diagnostic[]) => ds.filter((d) => d.source === 'hpc-jobs' && String(codeOf(d)) >= 'SBATCH200');
    await diagnosticsOf(uri, (ds) => ds.some((d) => d.source === 'hpc-jobs') && clusterCodes(ds).length === 0, 'diagnostics without cluster checks');

    await vscode.workspace.getConfiguration().update(LINT_CLUSTER, name, vscode.ConfigurationTarget.Global);
    const withProfile = await diagnosticsOf(uri, (ds) => clusterCodes(ds).length > 0, 'an SBATCH2xx diagnostic');
    const unknown = clusterCodes(withProfile).find((d) => codeOf(d) === 'SBATCH200');
    assert.ok(unknown, 'SBATCH200 for the unknown partition');
    assert.match(unknown.message, /cluster "test-lint" has no partition "nosuch".*debug \(default\), long, gpu/);
    assert.equal(unknown.range.start.line, 2);

    await vscode.workspace.getConfiguration().update(LINT_CLUSTER, undefined, vscode.ConfigurationTarget.Global);
    await diagnosticsOf(uri, (ds) => ds.some((d) => d.source === 'hpc-jobs') && clusterCodes(ds).length === 0, 'the cluster checks gone');
    assert.deepEqual(prompter.unexpected, []);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('salloc in a terminal: a shell in the allocation, released when the terminal closes', async () => {
    const name = 'test-salloc';
    await api.services.clusters.save({ name, ssh: destination(), identityFile: env.key, knownHostsFiles: [trustedKnownHosts()] });
    await waitFor('the service to read the new cluster', () => api.services.clusters.config(name), [api.services.clusters.onDidChange]);
    const p = script([{ id: 'cluster.sallocOptions', answer: '--ntasks=1 --time=5 --job-name=vscode-salloc' }]);
    const opened = new Promise<vscode.Terminal>((resolve) => { const d = vscode.window.onDidOpenTerminal((t) => { d.dispose(); resolve(t); }); });

    const pty = await vscode.commands.executeCommand<AllocationTerminal | undefined>('hpcJobs.clusters.allocate', { name });

    assertAllAnswered(p);
    assert.equal(p.asked[0]?.value, '--ntasks=1 --time=30', 'salloc options are prefilled');
    assert.ok(pty, 'a terminal was opened');
    const terminal = await opened;
    assert.equal(terminal.name, `salloc: ${name}`);
    try {
      const jobId = await pty.jobId;
      assert.match(jobId ?? '', /^\d+$/, `granted; the terminal shows: ${pty.transcript}`);
      // Typed into the terminal (the workbench's xterm hands it to the Pseudoterminal).
      terminal.sendText('echo "JOB=$SLURM_JOB_ID NAME=$SLURM_JOB_NAME"');
      await waitFor(() => `the shell's answer; the terminal shows: ${JSON.stringify(pty.transcript)}`,
        () => new RegExp(`JOB=${jobId} NAME=vscode-salloc`).test(pty.transcript), [pty.onDidWrite]);
    } finally {
      terminal.dispose();
    }
    await pty.exit;
    const jobId = (await pty.jobId)!;
    // Released: the job leaves the queue (each look is one squeue round trip, no sleep).
    const cluster = api.services.clusters.get(name);
    const deadline = Date.now() + 60_000;
    let states: string[] = [];
    for (;;) {
      states = (await cluster.listJobs()).filter((j) => j.jobId === jobId).map((j) => j.state);
      if (states.every((s) => s !== 'RUNNING' && s !== 'PENDING')) break;
      assert.ok(Date.now() < deadline, `job ${jobId} still ${states.join(', ')} a minute after the terminal closed`);
    }
  });
});
