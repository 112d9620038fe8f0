import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { allOf, envRef, inDirectory, quote, remotePath, shellCommand, withEnv } from '../../../../runtimes/src/transport/shellQuote';

/** Words people (or attackers) put in file, folder and job names. */
export const HOSTILE = [
  `a'; rm -rf ~; '`, '$(reboot)', '`reboot`', 'a b  c', 'line1\nline2', 'tab\there', 'naïve-日本語-😀',
  `"double"`, `\\back\\slash`, '-n', '--help', '*', '~', '~/x', '$HOME', '${IFS}', 'a;b|c&d>e<f', '!event', '#not-a-comment', '=cmd', '',
];

/** What /bin/sh makes of a command line: the argv it would run, as printf sees it. */
function argvFromSh(line: string): string[] {
  const r = spawnSync('/bin/sh', ['-c', `for a in ${line}; do printf '%s\\0' "$a"; done`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\0').slice(0, -1);
}

describe('quote: one literal word for a POSIX shell', () => {
  const table: [string, string][] = [
    ['plain', 'plain'], ['a/b.c-d_e', 'a/b.c-d_e'], ['', `''`], ['a b', `'a b'`], [`it's`, `'it'\\''s'`],
    ['$(x)', `'$(x)'`], ['~', `'~'`], ['=cmd', `'=cmd'`], ['--job-name=x', '--job-name=x'],
  ];
  for (const [input, want] of table) test(JSON.stringify(input), () => assert.equal(quote(input), want));

  test('every hostile word reaches sh as exactly itself', () => {
    for (const w of HOSTILE) assert.deepEqual(argvFromSh(quote(w)), [w], JSON.stringify(w));
  });

  test('a NUL byte cannot be quoted (it would end the C string)', () => {
    assert.throws(() => quote('a\0b'), /NUL/);
  });
});

describe('shellCommand and its combinators', () => {
  test('argv → line → the same argv', () => {
    assert.deepEqual(argvFromSh(shellCommand(HOSTILE.filter((w) => w !== ''))), HOSTILE.filter((w) => w !== ''));
  });

  test('env references expand on the remote side, names are checked', () => {
    assert.equal(shellCommand(['echo', envRef('USER')]), 'echo "$USER"');
    assert.equal(shellCommand(['sacctmgr', envRef('USER', 'user=')]), 'sacctmgr user="$USER"');
    assert.throws(() => envRef('A;B'), /Not an environment variable/);
    assert.throws(() => shellCommand([{ env: '$(x)' }]), /Not an environment variable/);
  });

  test('~/ paths expand to the home folder, the rest stays literal', () => {
    assert.equal(shellCommand(['ls', remotePath('~/a b')]), `ls "$HOME"/'a b'`);
    assert.equal(shellCommand(['ls', remotePath('/abs/~x')]), `ls '/abs/~x'`);
    const r = spawnSync('/bin/sh', ['-c', shellCommand(['printf', '%s', remotePath("~/it's")])], { encoding: 'utf8', env: { HOME: '/h' } });
    assert.equal(r.stdout, "/h/it's");
  });

  test('withEnv and inDirectory quote values and folders', () => {
    const line = inDirectory('/tmp', withEnv({ SLURM_CONF: "/x y/'c" }, shellCommand(['printenv', 'SLURM_CONF'])));
    const r = spawnSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
    assert.equal(r.stdout, "/x y/'c\n");
    assert.throws(() => withEnv({ 'A B': 'x' }, shellCommand(['true'])));
    assert.equal(allOf([shellCommand(['true']), shellCommand(['echo', 'ok'])]), 'true && echo ok');
  });
});
