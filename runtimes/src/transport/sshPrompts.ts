/**
 * What an SSH connection may need to ask a person. The extension answers with VS Code dialogs,
 * the CLI on its terminal; tests answer directly. A missing callback means "no one to ask":
 * unknown host keys are refused, encrypted keys are skipped, keyboard-interactive is not tried.
 */

export interface HostKeyQuestion {
  /** As the user named it (alias) and as connected to. */
  readonly alias: string;
  readonly host: string;
  readonly port: number;
  readonly keyType: string;
  /** `SHA256:…`, the form `ssh-keygen -lf` prints, to compare with what the admins publish. */
  readonly fingerprint: string;
  /** Where "trust and remember" writes the key. */
  readonly knownHostsFile: string;
}

/** `once`: trust for this session only; `remember`: also append to known_hosts. */
export type HostKeyAnswer = 'reject' | 'once' | 'remember';

export interface InteractivePrompt { readonly prompt: string; readonly echo: boolean }

export interface KeyboardInteractiveQuestion {
  readonly host: string;
  readonly user: string;
  readonly name: string;
  readonly instructions: string;
  readonly prompts: readonly InteractivePrompt[];
}

export interface SshPrompts {
  /** Never called for a CHANGED key: that is refused outright. */
  unknownHostKey?(q: HostKeyQuestion): Promise<HostKeyAnswer>;
  /** The passphrase of an encrypted private key; undefined skips the key. `attempt` counts from 1. */
  passphrase?(keyFile: string, attempt: number): Promise<string | undefined>;
  /** Answers to keyboard-interactive prompts (password, 2FA code...), in order; undefined gives up. */
  keyboardInteractive?(q: KeyboardInteractiveQuestion): Promise<readonly string[] | undefined>;
  /** Progress and notes (reconnects, skipped config), for an output channel. */
  log?(message: string): void;
}
