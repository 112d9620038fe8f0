/**
 * SSH key passphrases the user asked to remember, in VS Code's SecretStorage (the system
 * keychain). SecretStorage cannot list its keys, so the store keeps an index of the ones it
 * wrote — itself a secret, as it names the user's key files — so "Forget Saved Passphrases"
 * can delete them all.
 */
import type * as vscode from 'vscode';

const INDEX_KEY = 'hpcJobs.passphraseIndex';

export function passphraseSecretKey(keyFile: string): string {
  return `hpcJobs.passphrase:${keyFile}`;
}

export class PassphraseStore {
  /** Index updates one at a time: each reads, changes and writes the whole list. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(keyFile: string): Thenable<string | undefined> {
    return this.secrets.get(passphraseSecretKey(keyFile));
  }

  store(keyFile: string, passphrase: string): Promise<void> {
    return this.serial(async () => {
      await this.secrets.store(passphraseSecretKey(keyFile), passphrase);
      const index = await this.index();
      if (!index.includes(keyFile)) await this.secrets.store(INDEX_KEY, JSON.stringify([...index, keyFile]));
    });
  }

  delete(keyFile: string): Promise<void> {
    return this.serial(async () => {
      await this.secrets.delete(passphraseSecretKey(keyFile));
      const index = await this.index();
      if (index.includes(keyFile)) await this.secrets.store(INDEX_KEY, JSON.stringify(index.filter((k) => k !== keyFile)));
    });
  }

  /** Deletes every remembered passphrase; resolves with the key files they were for. */
  forgetAll(): Promise<string[]> {
    return this.serial(async () => {
      const index = await this.index();
      for (const keyFile of index) await this.secrets.delete(passphraseSecretKey(keyFile));
      await this.secrets.delete(INDEX_KEY);
      return index;
    });
  }

  private async index(): Promise<string[]> {
    const raw = await this.secrets.get(INDEX_KEY);
    if (!raw) return [];
    try {
      const list: unknown = JSON.parse(raw);
      return Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : [];
    } catch {
      return [];
    }
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
