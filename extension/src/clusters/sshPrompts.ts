/**
 * The SSH questions of the runtimes answered in VS Code: an unknown host key in a modal dialog
 * with its fingerprint (never accepted silently), key passphrases and one-time codes in password
 * inputs. A passphrase is remembered in SecretStorage only when the user says so.
 */
import { readFileSync } from 'node:fs';
import { ssh2, type SshPrompts } from '../../../runtimes/src/slurm/index';
import type { Prompter } from '../ui/prompter';
import type { PassphraseStore } from './passphraseStore';

export function sshPromptsFor(prompter: () => Prompter, passphrases: PassphraseStore, log: (m: string) => void): SshPrompts {
  return {
    async unknownHostKey(q) {
      const trust = 'Trust and Remember';
      const once = 'Trust Once';
      const answer = await prompter().message('ssh.hostKey',
        `The authenticity of host "${q.alias}" (${q.host}:${q.port}) cannot be established.`,
        {
          severity: 'warning', modal: true,
          detail: `${q.keyType} key fingerprint is ${q.fingerprint}.\n\nCompare it with the one your cluster's administrators publish before you go on. "Trust and Remember" adds the key to ${q.knownHostsFile}.`,
        }, trust, once);
      return answer === trust ? 'remember' : answer === once ? 'once' : 'reject';
    },
    async passphrase(keyFile, attempt) {
      if (attempt === 1) {
        const stored = await passphrases.get(keyFile);
        if (stored !== undefined) return stored;
      } else {
        await passphrases.delete(keyFile);
      }
      const value = await prompter().input('ssh.passphrase', {
        title: 'SSH key passphrase',
        prompt: attempt > 1 ? `Wrong passphrase. Passphrase for ${keyFile}` : `Passphrase for ${keyFile}`,
        password: true,
      });
      if (value === undefined) return undefined;
      // Only a passphrase that opens the key is worth keeping; a wrong one is asked for again.
      if (!opensKey(keyFile, value)) return value;
      const remember = await prompter().message('ssh.rememberPassphrase',
        `Remember the passphrase of ${keyFile}?`, { severity: 'info', detail: 'It is kept in VS Code\'s secret storage (the system keychain), never in settings.' },
        'Remember', 'Not Now');
      if (remember === 'Remember') await passphrases.store(keyFile, value);
      return value;
    },
    async keyboardInteractive(q) {
      const answers: string[] = [];
      for (const [i, p] of q.prompts.entries()) {
        const value = await prompter().input('ssh.keyboardInteractive', {
          title: q.name || `Log in to ${q.host}`,
          prompt: [q.instructions, p.prompt].filter(Boolean).join(' — ') || `Answer ${i + 1} for ${q.user}@${q.host}`,
          password: !p.echo,
        });
        if (value === undefined) return undefined;
        answers.push(value);
      }
      return answers;
    },
    log,
  };
}

function opensKey(keyFile: string, passphrase: string): boolean {
  try {
    return !(ssh2().utils.parseKey(readFileSync(keyFile), passphrase) instanceof Error);
  } catch {
    return false;
  }
}
