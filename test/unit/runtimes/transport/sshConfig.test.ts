import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { proxyCommandLine } from '../../../../runtimes/src/transport/proxyCommand';
import { matchPatternList, parseDestination, parseProxyJump, splitConfigLine, SshConfig, type SshConfigEnv } from '../../../../runtimes/src/transport/sshConfig';

function env(files: Record<string, string> = {}): SshConfigEnv {
  return {
    home: '/home/me', localUser: 'me',
    readFile: (p) => files[p],
    listDir: (d) => Object.keys(files).filter((f) => f.startsWith(d + '/')).map((f) => f.slice(d.length + 1)),
  };
}

const CONFIG = `
# a comment
Host hpc hpc-* !hpc-test
  HostName login.%h.example.org
  User alice
  Port 2200
  IdentityFile ~/.ssh/id_hpc
  IdentityFile "/keys/with space"
  IdentitiesOnly yes
  ServerAliveInterval 30

Host hpc-test
  HostName 10.0.0.9
  ProxyJump bastion,carol@gw2:2022

Host gw?
  User gateway

Match exec "true"
  User nobody

Host *
  User fallback
  Port 22
  IdentityFile ~/.ssh/id_ed25519
  ConnectTimeout=7
  StrictHostKeyChecking accept-new
`;

describe('ssh config: Host patterns, first value wins', () => {
  const cfg = SshConfig.parse(CONFIG, env());

  test('an alias: %h in HostName, first User/Port, IdentityFiles accumulate in order', () => {
    const c = cfg.resolve('hpc');
    assert.equal(c.hostName, 'login.hpc.example.org');
    assert.equal(c.user, 'alice');
    assert.equal(c.port, 2200);
    assert.deepEqual(c.identityFiles, ['/home/me/.ssh/id_hpc', '/keys/with space', '/home/me/.ssh/id_ed25519']);
    assert.equal(c.identitiesOnly, true);
    assert.equal(c.serverAliveInterval, 30);
    assert.equal(c.connectTimeout, 7);
    assert.equal(c.strictHostKeyChecking, 'accept-new');
    assert.deepEqual(c.proxyJump, []);
  });

  test('wildcards match, a negated pattern excludes the block', () => {
    assert.equal(cfg.resolve('hpc-gpu').hostName, 'login.hpc-gpu.example.org');
    const t = cfg.resolve('hpc-test');
    assert.equal(t.hostName, '10.0.0.9');
    assert.equal(t.user, 'fallback');
    assert.equal(t.port, 22);
  });

  test('ProxyJump: a comma list with user@host:port hops', () => {
    assert.deepEqual(cfg.resolve('hpc-test').proxyJump, [{ host: 'bastion' }, { host: 'gw2', user: 'carol', port: 2022 }]);
  });

  test('? matches one character; Match blocks are skipped with a note', () => {
    const g = cfg.resolve('gw2');
    assert.equal(g.user, 'gateway');
    assert.match(g.notes.join('\n'), /Match.*not read/);
    assert.notEqual(g.user, 'nobody');
  });

  test('no config at all: defaults like OpenSSH', () => {
    const c = SshConfig.parse('', env()).resolve('example.org');
    assert.equal(c.hostName, 'example.org');
    assert.equal(c.user, 'me');
    assert.equal(c.port, 22);
    assert.deepEqual(c.identityFiles, ['/home/me/.ssh/id_rsa', '/home/me/.ssh/id_ecdsa', '/home/me/.ssh/id_ed25519']);
    assert.deepEqual(c.userKnownHostsFiles, ['/home/me/.ssh/known_hosts', '/home/me/.ssh/known_hosts2']);
    assert.equal(c.strictHostKeyChecking, 'ask');
    assert.equal(c.serverAliveInterval, 0);
  });

  test('Include, relative to ~/.ssh, with a glob', () => {
    const e = env({ '/home/me/.ssh/conf.d/a.conf': 'Host inc\n  HostName included.example.org\n', '/home/me/.ssh/conf.d/b.txt': 'Host inc\n HostName wrong\n' });
    const c = SshConfig.parse('Include conf.d/*.conf\nHost *\n  User x\n', e).resolve('inc');
    assert.equal(c.hostName, 'included.example.org');
    assert.equal(c.user, 'x');
  });

  test('an Include in a block that does not apply is never opened, nor its glob listed', () => {
    const opened: string[] = [];
    const base = env({ '/home/me/.ssh/mine.conf': 'Port 2201\nHost elsewhere\n  User leaked\n' });
    const e: SshConfigEnv = {
      ...base,
      readFile: (p) => { opened.push(p); return base.readFile(p); },
      listDir: (d) => { opened.push(`${d}/`); return base.listDir(d); },
    };
    const config = SshConfig.parse([
      'Host other', '  Include /dev/huge/*', '  Include missing.conf',
      'Match exec "true"', '  Include /never/read',
      'Host target', '  Include mine.conf', '  User me2',
      'Host *', '  Include ~/.ssh/all.d/*',
    ].join('\n'), e);
    const c = config.resolve('target');
    assert.deepEqual(opened, ['/home/me/.ssh/mine.conf', '/home/me/.ssh/all.d/']);
    // A Host line inside the included file ends with it: `User me2` still applies.
    assert.equal(c.port, 2201);
    assert.equal(c.user, 'me2');
    opened.length = 0;
    assert.equal(config.resolve('other').user, 'me');
    assert.deepEqual(opened, ['/dev/huge/', '/home/me/.ssh/missing.conf', '/home/me/.ssh/all.d/']);
  });

  test('ProxyCommand is the shell line as written: its quotes reach /bin/sh', () => {
    const c = SshConfig.parse('Host h\n  HostName real.example.org\n  ProxyCommand=printf \'<%%s>\' "two  words" %h\t\n', env()).resolve('h');
    assert.equal(c.proxyCommand, 'printf \'<%%s>\' "two  words" %h');
    const line = proxyCommandLine(c.proxyCommand!, { h: c.hostName, p: String(c.port), r: c.user, n: c.alias });
    const r = spawnSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
    assert.equal(r.stdout, '<two  words><real.example.org>');
  });

  test('ProxyCommand for a hostile alias is refused, never run', () => {
    const alias = 'x$(touch /tmp/pwned);y';
    const c = SshConfig.parse('Host *\n  ProxyCommand nc %h %p\n', env()).resolve(alias);
    assert.throws(() => proxyCommandLine(c.proxyCommand!, { h: c.hostName, p: String(c.port), r: c.user, n: c.alias }),
      /Refusing to run ProxyCommand: %h would be "x\$\(touch/);
  });

  test('ProxyJump none turns an inherited jump off (first value wins)', () => {
    const c = SshConfig.parse('Host direct\n  ProxyJump none\nHost *\n  ProxyJump bastion\n', env()).resolve('direct');
    assert.deepEqual(c.proxyJump, []);
  });

  test('%r and %d in IdentityFile, UserKnownHostsFile lists', () => {
    const c = SshConfig.parse('Host h\n  User bob\n  IdentityFile %d/keys/%r_%h\n  UserKnownHostsFile ~/kh1 /etc/kh2\n', env()).resolve('h');
    assert.deepEqual(c.identityFiles, ['/home/me/keys/bob_h']);
    assert.deepEqual(c.userKnownHostsFiles, ['/home/me/kh1', '/etc/kh2']);
  });
});

describe('ssh config pieces', () => {
  test('splitConfigLine: = or spaces, double quotes group', () => {
    assert.deepEqual(splitConfigLine('IdentityFile "/a b/c"'), ['IdentityFile', '/a b/c']);
    assert.deepEqual(splitConfigLine('Port=2222'), ['Port', '2222']);
    assert.deepEqual(splitConfigLine('Host  a b\t!c'), ['Host', 'a', 'b', '!c']);
  });

  test('pattern lists: negation wins, case-insensitive', () => {
    assert.equal(matchPatternList(['*.example.org', '!bad.example.org'], 'Good.Example.org'), true);
    assert.equal(matchPatternList(['*.example.org', '!bad.example.org'], 'bad.example.org'), false);
    assert.equal(matchPatternList(['!x'], 'y'), false);
  });

  test('destinations: user@host:port, [v6]:port, ssh:// URLs, bare aliases', () => {
    assert.deepEqual(parseDestination('hpcuser@127.0.0.1:2222'), { host: '127.0.0.1', user: 'hpcuser', port: 2222 });
    assert.deepEqual(parseDestination('ssh://a@h:22/'), { host: 'h', user: 'a', port: 22 });
    assert.deepEqual(parseDestination('me@[::1]:2200'), { host: '::1', user: 'me', port: 2200 });
    assert.deepEqual(parseDestination('hpc'), { host: 'hpc' });
    assert.deepEqual(parseDestination('::1'), { host: '::1' });
    assert.deepEqual(parseProxyJump('a, b@c:1'), [{ host: 'a' }, { host: 'c', user: 'b', port: 1 }]);
  });
});
