// Types for host.mjs, so TypeScript tests can import it.
export declare const REPO_ROOT: string;
export declare const CODE_SERVER_VERSION: string;
export declare const CODE_SERVER_ENTRY: string;
export declare const WORKSPACE: string;
export declare const SUITE: string;
export declare const USER_SETTINGS: Readonly<Record<string, unknown>>;

export declare function chromiumPath(): string;
/** Why the host tests cannot run here, or undefined when they can. `browser: false`: code-server only. */
export declare function missingPrerequisites(options?: { browser?: boolean }): string | undefined;

export interface CodeServer {
  readonly port: number;
  /** e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  /** Temporary folder with the server's user data, extensions dir and XDG folders. */
  readonly state: string;
  /** Everything code-server printed so far. */
  output(): string;
  /** Ends code-server's whole process group and removes its state (unless keepState). */
  stop(options?: { keepState?: boolean }): Promise<void>;
}
export declare function startCodeServer(options?: {
  workspace?: string;
  log?: (line: string) => void;
  startTimeoutMs?: number;
  /** Merged over USER_SETTINGS in the throwaway profile's settings.json. */
  settings?: Readonly<Record<string, unknown>>;
  /** Extensions folder (e.g. one a .vsix was installed into); default a fresh one in the state folder. */
  extensionsDir?: string;
  /** Workspace trust on, as in a user's VS Code: the folder opens untrusted until trusted. Default off. */
  workspaceTrust?: boolean;
}): Promise<CodeServer>;

export interface ExtensionTestsResult {
  /** The suite's exit code; 1 on a timeout. */
  readonly exitCode: number;
  readonly timedOut: boolean;
  /** What the extension host logged (Mocha's report included). */
  readonly output: string;
}
export declare function runExtensionTests(options: {
  origin: string;
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
  workspace?: string;
  timeoutMs?: number;
  log?: (line: string) => void;
}): Promise<ExtensionTestsResult>;
