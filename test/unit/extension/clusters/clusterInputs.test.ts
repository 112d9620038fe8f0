import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import {
  clusterNameProblem, configuredHosts, destinationProblem, extraKeyFiles, keyFileProblem, splitSallocOptions, suggestClusterName,
} from '../../../../extension/src/clusters/clusterInputs';
import { describeConnectionFailure } from '../../../../extension/src/clusters/connectionFailure';
import { SlurmQueryError } from '../../../../runtimes/src/slurm/slurmErrors';
import { SshConfig, type SshConfigEnv } from '../../../../runtimes/src/transport/sshConfig';
import { TransportError } from '../../../../runtimes/src/transport/transport';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-cluster-inputs-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('hosts of ~/.ssh/config for Add Cluster', () => {
  const files: Record<string, string> = {
    '/home/alice/.ssh/conf.d/lab': 'Host lab\n  HostName lab.example.org\n',
  };
  const env: SshConfigEnv = {
    home: '/home/alice', localUser: 'alice',
    readFile: (p) => files[p], listDir: (d) => (d === '/home/alice/.ssh/conf.d' ? ['lab'] : []),
  };
  const config = SshConfig.parse([
    'Include conf.d/*',
    'Host hpc hpc-login',
    '  HostName login.hpc.example.org',
    '  User a.smith',
    '  IdentityFile ~/.ssh/hpc_key',
    'Host gw',
    '  HostName 10.0.0.1',
    '  Port 2222',
    'Host *.internal !bastion.internal',
    '  User ops',
    'Host node?',
    '  ProxyJump gw',
    'Host *',
    '  ServerAliveInterval 30',
  ].join('\n'), env);

  test('every named host, with where it leads; patterns are left out', () => {
    assert.deepEqual(configuredHosts(config), [
      { alias: 'lab', description: 'alice@lab.example.org', identityFilesConfigured: false },
      { alias: 'hpc', description: 'a.smith@login.hpc.example.org', identityFilesConfigured: true },
      { alias: 'hpc-login', description: 'a.smith@login.hpc.example.org', identityFilesConfigured: true },
      { alias: 'gw', description: 'alice@10.0.0.1:2222', identityFilesConfigured: false },
    ]);
  });

  test('no config: no hosts', () => {
    assert.deepEqual(configuredHosts(SshConfig.parse('', env)), []);
  });
});

describe('a typed destination', () => {
  const ok = ['hpcuser@127.0.0.1:2222', 'alice@login.example.org', 'login.example.org', 'a.smith@hpc-1', 'bob@[::1]:2222', ' alice@hpc '];
  for (const d of ok) test(`accepts ${JSON.stringify(d)}`, () => assert.equal(destinationProblem(d), undefined));

  const bad: Array<[string, RegExp]> = [
    ['', /Type a destination/],
    ['alice @hpc', /no spaces/],
    ['@hpc', /user name .* missing/],
    ['alice@', /host after "@" is missing/],
    ['alice@hpc:99999', /Port 99999 is out of range/],
    ['alice@hpc:ssh', /"ssh" is not a port number/],
    ['alice@hpc:0', /Port 0 is out of range/],
    ['alice@hpc_1', /"hpc_1" is not a host name/],
    ['alice@-hpc', /not a host name/],
    ['al;ce@hpc', /"al;ce" is not a user name/],
    ['alice@hpc.', /not a host name/],
  ];
  for (const [d, why] of bad) test(`refuses ${JSON.stringify(d)}`, () => assert.match(destinationProblem(d) ?? '', why));
});

describe('cluster names', () => {
  test('suggested from the alias or host, unique', () => {
    assert.equal(suggestClusterName('hpc', []), 'hpc');
    assert.equal(suggestClusterName('alice@login.hpc.example.org:2222', []), 'login');
    assert.equal(suggestClusterName('hpcuser@127.0.0.1:2222', []), '127.0.0.1');
    assert.equal(suggestClusterName('hpc', ['hpc', 'hpc-2']), 'hpc-3');
    assert.equal(suggestClusterName('my host', []), 'my-host');
    assert.equal(suggestClusterName('___', []), 'cluster');
  });

  test('validated: not empty, no spaces or colons, unique', () => {
    assert.equal(clusterNameProblem('hpc-2.lab_x', ['hpc']), undefined);
    assert.match(clusterNameProblem('', [])!, /Give the cluster a name/);
    assert.match(clusterNameProblem('my cluster', [])!, /letters, digits/);
    assert.match(clusterNameProblem('a:b', [])!, /letters, digits/);
    assert.match(clusterNameProblem('-x', [])!, /starting with a letter/);
    assert.match(clusterNameProblem('x'.repeat(65), [])!, /64 characters/);
    assert.match(clusterNameProblem('hpc', ['hpc'])!, /already a cluster named "hpc"/);
  });
});

describe('key files', () => {
  test('extra keys are files with a .pub beside them, default keys left out', () => {
    for (const f of ['id_ed25519', 'id_ed25519.pub', 'cluster_key', 'cluster_key.pub', 'config', 'known_hosts', 'orphan.pub']) {
      writeFileSync(path.join(scratch, f), '');
    }
    assert.deepEqual(extraKeyFiles(scratch), [path.join(scratch, 'cluster_key')]);
    assert.deepEqual(extraKeyFiles(path.join(scratch, 'missing')), []);
  });

  test('a key file must exist and be a file', () => {
    assert.equal(keyFileProblem(path.join(scratch, 'cluster_key')), undefined);
    assert.match(keyFileProblem('')!, /Type the path/);
    assert.match(keyFileProblem('keys/k')!, /full path/);
    assert.match(keyFileProblem(path.join(scratch, 'nope'))!, /There is no file/);
    assert.match(keyFileProblem(scratch)!, /is not a file/);
  });
});

describe('salloc options', () => {
  const rows: Array<[string, string[]]> = [
    ['--ntasks=1 --time=30', ['--ntasks=1', '--time=30']],
    ['  -N 1   -t 30 ', ['-N', '1', '-t', '30']],
    ['--job-name="my shell" -p debug', ['--job-name=my shell', '-p', 'debug']],
    ["--comment='a \"b\"'", ['--comment=a "b"']],
    ['--comment="say \\"hi\\""', ['--comment=say "hi"']],
    ['--comment=a\\ b', ['--comment=a b']],
    ['--comment=""', ['--comment=']],
    ['', []],
  ];
  for (const [text, args] of rows) test(`${JSON.stringify(text)} → ${JSON.stringify(args)}`, () => assert.deepEqual(splitSallocOptions(text), { args }));

  test('what cannot be split, or is not an option, says why', () => {
    assert.deepEqual(splitSallocOptions('--job-name="x'), { problem: 'A double quote is not closed.' });
    assert.deepEqual(splitSallocOptions("-J 'x"), { problem: 'A single quote is not closed.' });
    assert.deepEqual(splitSallocOptions('-J x\\'), { problem: 'The options end with a lone backslash.' });
    assert.match((splitSallocOptions('bash -N1') as { problem: string }).problem, /"bash" is not an option/);
  });
});

describe('connection failures, worded', () => {
  test('a changed host key names the file and line and says it was refused', () => {
    const err = new TransportError('hostKeyChanged',
      'The host key of 127.0.0.1:2222 has CHANGED: the server now shows ssh-ed25519 SHA256:abc, which is not the ssh-ed25519 key recorded in /tmp/kh line 1. Someone may be intercepting the connection, or the server was reinstalled. Refusing to connect.',
      'If the cluster\'s admins confirm the new key, remove the old one (ssh-keygen -R "[127.0.0.1]:2222" -f /tmp/kh) and connect again.');
    const t = describeConnectionFailure('lab', 'hpcuser@127.0.0.1:2222', err);
    assert.match(t.message, /^Cannot connect to "lab" \(hpcuser@127\.0\.0\.1:2222\)\. Host key CHANGED — refused: .*\/tmp\/kh line 1.*Refusing/);
    assert.match(t.detail!, /ssh-keygen -R/);
  });

  test('unreachable, authentication, Slurm not answering, anything else', () => {
    assert.match(describeConnectionFailure('x', 'h:1', new TransportError('unreachable', 'Cannot connect to h:1: connection refused.')).message, /Unreachable: Cannot connect to h:1: connection refused\./);
    assert.match(describeConnectionFailure('x', 'h', new TransportError('auth', 'h:22 refused to log in user "u"')).message, /Login refused: h:22 refused/);
    const slurm = describeConnectionFailure('x', 'h', new SlurmQueryError('sinfo was not found on cluster "x".', '', 'Is this a Slurm login node?'));
    assert.match(slurm.message, /Reached "x" \(h\), but Slurm did not answer: sinfo was not found/);
    assert.equal(slurm.detail, 'Is this a Slurm login node?');
    assert.deepEqual(describeConnectionFailure('x', 'h', new Error('boom')), { message: 'Cannot connect to "x" (h): boom' });
  });
});
