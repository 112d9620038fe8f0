/**
 * Every `hpcJobs.*` setting with its type and default, as the manifest declares them
 * (test/unit/extension/settingTable.test.ts holds the two together). Pure: settings.ts reads
 * them through VS Code; the language server reads the `lint.*` ones itself (server/src/protocol.ts).
 */

/** A setting's default; `values` for an enum. A value of another type reads as the default. */
interface Spec<T> {
  readonly default: T;
  readonly values?: readonly T[];
}

const text = (d = ''): Spec<string> => ({ default: d });
const flag = (d: boolean): Spec<boolean> => ({ default: d });
const count = (d: number): Spec<number> => ({ default: d });
const oneOf = <T extends string>(d: T, values: readonly T[]): Spec<T> => ({ default: d, values });

export const SETTINGS = {
  'lint.slurmVersion': text(),
  'lint.resourceSummary': flag(true),
  'lint.cluster': text(),
  'trace.server': oneOf('off', ['off', 'messages', 'verbose']),
  /** Entries are checked where they are read (ClusterService). */
  clusters: { default: [] } as Spec<readonly unknown[]>,
  'python.interpreter': text(),
  'mpi.launcher': text(),
  'mpi.rankOutput': oneOf('files', ['files', 'tags']),
  'run.logDirectory': text(),
  'run.revealOutput': flag(true),
  'jobs.refreshInterval': count(10),
  'jobs.historyDays': count(0),
  'jobs.notifyAfterSeconds': count(30),
  'gpu.useSimulator': oneOf('ask', ['ask', 'always', 'never']),
} as const;

/** The section every key is under. */
export const SECTION = 'hpcJobs';

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K] extends Spec<infer T> ? T : never;

/** A setting's full id, as the Settings editor and `affectsConfiguration` know it: "hpcJobs.mpi.launcher". */
export type SettingId = `${typeof SECTION}.${SettingKey}`;

export function settingId(key: SettingKey): SettingId {
  return `${SECTION}.${key}`;
}

/** The value `get(key)` found, if it has the setting's type (and is one of its values), else the default. */
export function settingValue<K extends SettingKey>(key: K, found: unknown): SettingValue<K> {
  const spec: Spec<unknown> = SETTINGS[key];
  const fits = Array.isArray(spec.default) ? Array.isArray(found)
    : typeof spec.default === 'number' ? typeof found === 'number' && Number.isFinite(found)
      : typeof found === typeof spec.default && (!spec.values || spec.values.includes(found));
  return (fits ? found : spec.default) as SettingValue<K>;
}
