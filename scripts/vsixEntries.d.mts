// Types for vsixEntries.mjs, so TypeScript tests can import it.
export interface VsixEntry {
  /** Path inside the zip, e.g. extension/out/extension.js. */
  readonly name: string;
  readonly size: number;
  readonly compressedSize: number;
  /** Permission bits (e.g. 0o755) when the zip was written on Unix. */
  readonly mode: number | undefined;
}
export declare function readVsixEntries(file: string): Promise<VsixEntry[]>;
/** Writes every file of the .vsix under `dir`, with its mode; returns the entries. */
export declare function extractVsix(file: string, dir: string): Promise<VsixEntry[]>;
