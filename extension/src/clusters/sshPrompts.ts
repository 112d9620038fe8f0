/**
 * The SSH questions of the runtimes answered in VS Code: an unknown host key in a modal dialog
 * with its fingerprint (never accepted silently), key passphrases and one-time codes in password
 * inputs. A passphrase is remembered in SecretStorage only when the user says so.
 */
import type * as vscode from 'vscode';
import type { SshPrompts } from '../../../runtimes/src/transport/sshPrompts';
import type { Prompter } from '../ui/prompter';

export function passphraseSecretKey(keyFile: string): string {
  return `hpcJobs.passphrase:${keyFile}`;
}

export function sshPromptsFor(prompter: () => Prompter, secrets: vscode.SecretStorage, log: (m: string) => void): SshPrompts {
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
      const key = passphraseSecretKey(keyFile);
      if (attempt === 1) {
        const stored = await secrets.get(key);
        if (stored !== undefined) return stored;
      } else {
        await secrets.delete(key);
      }
      const value = await prompter().input('ssh.passphrase', {
        title: 'SSH key passphrase',
        prompt: attempt > 1 ? `Wrong passphrase. Passphrase for ${keyFile}` : `Passphrase for ${keyFile}`,
        password: true,
      });
      if (value === undefined) return undefined;
      const remember = await prompter().message('ssh.rememberPassphrase',
        `Remember the passphrase of ${keyFile}?`, { severity: 'info', detail: 'It is kept in VS Code\'s secret storage (the system keychain), never in settings.' },
        'Remember', 'Not Now');
      if (remember === 'Remember') await secrets.store(key, value);
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
