/**
 * SSH questions on the terminal. Without a terminal (CI, pipes) nothing is asked: an unknown
 * host key is refused with its fingerprint and the ways to trust it, encrypted keys are
 * skipped (use ssh-agent), keyboard-interactive gives up.
 */
import type { HostKeyAnswer, SshPrompts } from '../../runtimes/src/slurm/index';
import type { Io } from './command';

type TtyIn = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(raw: boolean): void };

/** One line from the terminal; `hidden` does not echo (passphrases, codes). */
export function askLine(io: Io, question: string, hidden = false): Promise<string | undefined> {
  const input = io.stdin as TtyIn;
  io.stderr.write(question);
  return new Promise((resolve) => {
    let answer = '';
    const raw = hidden && typeof input.setRawMode === 'function';
    if (raw) input.setRawMode!(true);
    const done = (v: string | undefined): void => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      if (raw) input.setRawMode!(false);
      input.pause();
      io.stderr.write('\n');
      resolve(v);
    };
    const onEnd = (): void => done(undefined);
    const onData = (d: Buffer | string): void => {
      for (const ch of d.toString()) {
        if (ch === '\r' || ch === '\n') { done(answer); return; }
        if (ch === '\u0003' || ch === '\u0004') { done(undefined); return; } // Ctrl-C / Ctrl-D
        if (ch === '\u007f' || ch === '\b') { answer = answer.slice(0, -1); continue; }
        answer += ch;
      }
    };
    input.on('data', onData);
    input.once('end', onEnd);
    input.resume();
  });
}

export function terminalPrompts(io: Io, opts: { verbose?: boolean } = {}): SshPrompts {
  const tty = (io.stdin as TtyIn).isTTY === true && io.stderr.isTTY === true;
  return {
    async unknownHostKey(q): Promise<HostKeyAnswer> {
      const where = q.port === 22 ? q.host : `[${q.host}]:${q.port}`;
      if (!tty) {
        io.stderr.write(
          `The host key of ${where} is not known: ${q.keyType} ${q.fingerprint}\n` +
          `Not asking (no terminal). To trust it, check the fingerprint with the cluster's admins, then either\n` +
          `  run this command once in a terminal and answer "remember", or\n` +
          `  ssh-keyscan -p ${q.port} ${q.host} >> ${q.knownHostsFile}   (and compare: ssh-keygen -lf ${q.knownHostsFile})\n`);
        return 'reject';
      }
      io.stderr.write(`The authenticity of host ${where} can't be established.\n${q.keyType} key fingerprint is ${q.fingerprint}.\n`);
      const a = (await askLine(io, 'Trust it? [y]es this once, [r]emember in known_hosts, [N]o: '))?.trim().toLowerCase();
      return a === 'y' || a === 'yes' ? 'once' : a === 'r' || a === 'remember' ? 'remember' : 'reject';
    },
    async passphrase(file, attempt) {
      if (!tty) return undefined;
      return askLine(io, `${attempt > 1 ? 'Wrong passphrase. ' : ''}Passphrase for ${file}: `, true);
    },
    async keyboardInteractive(q) {
      if (!tty) return undefined;
      if (q.instructions) io.stderr.write(q.instructions + '\n');
      const answers: string[] = [];
      for (const p of q.prompts) {
        const a = await askLine(io, `(${q.user}@${q.host}) ${p.prompt}`, !p.echo);
        if (a === undefined) return undefined;
        answers.push(a);
      }
      return answers;
    },
    ...(opts.verbose ? { log: (m: string) => { io.stderr.write(`hpc-jobs: ${m}\n`); } } : {}),
  };
}
