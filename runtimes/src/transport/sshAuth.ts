/**
 * The order OpenSSH tries things in: the agent's keys, then each IdentityFile (asking for a
 * passphrase when the key is encrypted), then keyboard-interactive (password + 2FA prompts),
 * each only if the server still lists the method. Decrypted keys are kept for the session so a
 * reconnect does not ask again.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { AnyAuthMethod, AuthHandlerMiddleware, ParsedKey } from 'ssh2';
import { BoundedReadError, readRegularFile } from '../boundedRead';
import { ssh2 } from './ssh2Module';
import type { SshPrompts } from './sshPrompts';

export interface AuthPlan {
  readonly user: string;
  readonly host: string;
  readonly identityFiles: readonly string[];
  /** IdentitiesOnly with configured files: do not offer the agent's other keys. */
  readonly skipAgent: boolean;
  readonly agentSocket?: string;
  readonly prompts: SshPrompts;
}

/** Decrypted keys by file, shared by every connection of one transport. */
export type KeyCache = Map<string, ParsedKey>;

function tildeName(f: string): string {
  const home = os.homedir();
  return f.startsWith(home + '/') ? '~' + f.slice(home.length) : f;
}

/** Private keys are a few KB; `-i /dev/zero` must not read forever. */
const MAX_KEY_BYTES = 1024 * 1024;

/** The keys ssh tries when none is configured: their absence is normal, not worth a word. */
const DEFAULT_KEYS = new Set(['id_rsa', 'id_ecdsa', 'id_ed25519']);

/** The key, or why it cannot be used ("no such file", "encrypted, and no terminal to ask for its passphrase"), or undefined for a default key that is simply absent. */
async function loadKey(file: string, prompts: SshPrompts, cache: KeyCache): Promise<ParsedKey | { problem: string } | undefined> {
  const cached = cache.get(file);
  if (cached) return cached;
  let data: Buffer;
  try {
    data = readRegularFile(file, MAX_KEY_BYTES);
  } catch (e) {
    if (e instanceof BoundedReadError) return { problem: e.message };
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && DEFAULT_KEYS.has(path.basename(file)) && path.dirname(file) === path.join(os.homedir(), '.ssh')) return undefined;
    return { problem: code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'not readable' : code === 'EISDIR' ? 'a folder' : (e as Error).message };
  }
  let parsed = ssh2().utils.parseKey(data);
  for (let attempt = 1; parsed instanceof Error && /passphrase|encrypted/i.test(parsed.message) && attempt <= 3; attempt++) {
    const pass = await prompts.passphrase?.(file, attempt);
    if (pass === undefined) {
      return { problem: prompts.passphrase ? 'encrypted, and no passphrase was given (or no terminal to ask for it; load the key into ssh-agent)' : 'encrypted, and nothing can ask for its passphrase (load it into ssh-agent)' };
    }
    parsed = ssh2().utils.parseKey(data, pass);
  }
  if (parsed instanceof Error) {
    prompts.log?.(`Skipping ${tildeName(file)}: ${parsed.message}`);
    return { problem: /passphrase|encrypted|decrypt/i.test(parsed.message) ? 'wrong passphrase' : `not a private key ssh can read (${parsed.message})` };
  }
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
  cache.set(file, key);
  return key;
}

/** ssh2's authHandler for the plan; `tried` collects what was offered, `unusable` the keys that could not be, for the error message. */
export function authHandler(plan: AuthPlan, cache: KeyCache, tried: string[], unusable: string[] = []): AuthHandlerMiddleware {
  type Step = { method: 'none' | 'publickey' | 'keyboard-interactive'; make(): Promise<AnyAuthMethod | undefined> };
  const username = plan.user;
  // "none" first, as OpenSSH does: the server answers with the methods it accepts (or lets us in).
  const steps: Step[] = [{ method: 'none', make: async () => ({ type: 'none', username }) }];
  if (plan.agentSocket && !plan.skipAgent) {
    steps.push({ method: 'publickey', make: async () => { tried.push('ssh-agent'); return { type: 'agent', username, agent: plan.agentSocket! }; } });
  }
  for (const file of plan.identityFiles) {
    steps.push({
      method: 'publickey',
      make: async () => {
        const key = await loadKey(file, plan.prompts, cache);
        if (key && 'problem' in key) { unusable.push(`${tildeName(file)}: ${key.problem}`); return undefined; }
        if (!key) return undefined;
        tried.push(tildeName(file));
        return { type: 'publickey', username, key };
      },
    });
  }
  const ask = plan.prompts.keyboardInteractive;
  if (ask) {
    steps.push({
      method: 'keyboard-interactive',
      make: async () => {
        tried.push('keyboard-interactive');
        return {
          type: 'keyboard-interactive', username,
          prompt: (name, instructions, _lang, prompts, finish) => {
            if (prompts.length === 0) { finish([]); return; }
            ask({ host: plan.host, user: username, name, instructions, prompts: prompts.map((p) => ({ prompt: p.prompt, echo: p.echo ?? false })) })
              .then((answers) => finish(answers ? [...answers] : []), () => finish([]));
          },
        };
      },
    });
  }
  let next = 0;
  return (methodsLeft, _partial, callback) => {
    void (async () => {
      while (next < steps.length) {
        const step = steps[next++]!;
        if (methodsLeft && step.method !== 'none' && !methodsLeft.includes(step.method)) continue;
        if (methodsLeft && step.method === 'none') continue;
        const method = await step.make();
        if (method) { callback(method); return; }
      }
      callback(false as unknown as AnyAuthMethod);
    })();
  };
}
