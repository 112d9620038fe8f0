/**
 * What VS Code gives a webview page: `acquireVsCodeApi()`, a global callable once per page.
 * Typed by the messages the page may post and the state it keeps while hidden.
 */
export interface WebviewApi<Message, State> {
  postMessage(message: Message): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare global {
  function acquireVsCodeApi<Message, State>(): WebviewApi<Message, State>;
}
