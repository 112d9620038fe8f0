/** Waiting on the editor without fixed sleeps. */
import * as vscode from 'vscode';

/** Resolves with the first truthy value of `probe`, re-checked on every event that may change it. */
export function waitFor<T>(
  what: string | (() => string),
  probe: () => T | undefined | null | false,
  events: vscode.Event<unknown>[],
  timeoutMs = 30_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const subscriptions: vscode.Disposable[] = [];
    const done = () => { clearTimeout(timer); clearInterval(poll); subscriptions.forEach((s) => s.dispose()); };
    const check = () => {
      let value: T | undefined | null | false;
      try { value = probe(); } catch (err) { done(); reject(err); return; }
      if (value) { done(); resolve(value); }
    };
    const timer = setTimeout(() => { done(); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`)); }, timeoutMs);
    // The events say when to look again; the slow poll only covers state that fires no event
    // (e.g. Extension.isActive).
    const poll = setInterval(check, 100);
    for (const event of events) subscriptions.push(event(check));
    check();
  });
}

/** Diagnostics of `uri` once `accept` takes them; re-checked on every diagnostics change. */
export function diagnosticsOf(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  what = `diagnostics on ${uri.path.split('/').pop()}`,
): Promise<vscode.Diagnostic[]> {
  let last: vscode.Diagnostic[] = [];
  const seen = () => `${what}; last seen: ${JSON.stringify(last.map((d) => `${codeOf(d)} ${d.range.start.line}:${d.range.start.character} ${d.message}`))}`;
  return waitFor(seen, () => {
    last = vscode.languages.getDiagnostics(uri);
    return accept(last) ? last : undefined;
  }, [vscode.languages.onDidChangeDiagnostics]);
}

export function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}
