/**
 * Typechecked, never bundled: messages the protocol refuses, on both sides. Each line must be a
 * type error; if the webview's API or the protocol loosened (to `any`, an optional field), the
 * `@ts-expect-error` above it would be unused, and `npm run typecheck` fails.
 */
import type { HostMessage, WebviewMessage } from '../src/output/outputProtocol';
import type { WebviewApi } from './webviewApi';

export function wrongMessages(api: WebviewApi<WebviewMessage, unknown>, msg: HostMessage): void {
  // @ts-expect-error a field the host does not read (it reads `rows`)
  api.postMessage({ type: 'ready', row: 10 });
  // @ts-expect-error a field of the wrong type
  api.postMessage({ type: 'follow', on: 'yes' });
  // @ts-expect-error a message type the host does not handle
  api.postMessage({ type: 'clear' });
  // @ts-expect-error a required field left out
  api.postMessage({ type: 'requestLines', requestId: 1, first: 0 });
  if (msg.type === 'append') {
    // @ts-expect-error a field the host does not send (a line's text travels as `spans`)
    void msg.lines[0]?.text;
  }
  // @ts-expect-error a field only some messages carry, read before narrowing
  void msg.lines;
}
