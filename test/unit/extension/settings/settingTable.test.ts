/**
 * The typed settings (extension/src/settings/settingTable.ts) against the manifest: the same
 * keys, the same defaults and enum values, so code reads exactly what package.json declares.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { SECTION, SETTINGS, settingId, settingValue, type SettingKey } from '../../../../extension/src/settings/settingTable';
import { DEFAULT_SETTINGS } from '../../../../server/src/protocol';

interface Declared { readonly type: string; readonly default: unknown; readonly enum?: readonly unknown[] }
const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Declared> } | { properties: Record<string, Declared> }[] };
};
const sections = [manifest.contributes.configuration].flat();
const declared = new Map(sections.flatMap((s) => Object.entries(s.properties)));
const keys = Object.keys(SETTINGS) as SettingKey[];

describe('settings: the table is the manifest', () => {
  test('the same keys as contributes.configuration', () => {
    assert.deepEqual(keys.map(settingId).sort(), [...declared.keys()].sort());
  });

  test('each default and enum as declared, and of the declared type', () => {
    for (const key of keys) {
      const d = declared.get(settingId(key))!;
      const spec: { default: unknown; values?: readonly unknown[] } = SETTINGS[key];
      assert.deepEqual(spec.default, d.default, key);
      assert.deepEqual(spec.values, d.enum, key);
      assert.equal(Array.isArray(spec.default) ? 'array' : typeof spec.default, d.type, key);
    }
  });

  test('the language server\'s defaults are the same', () => {
    assert.equal(SECTION, 'hpcJobs');
    assert.equal(DEFAULT_SETTINGS.lint.slurmVersion, SETTINGS['lint.slurmVersion'].default);
    assert.equal(DEFAULT_SETTINGS.lint.resourceSummary, SETTINGS['lint.resourceSummary'].default);
  });
});

describe('settings: a value of the wrong type reads as the default', () => {
  test('types and enums', () => {
    assert.equal(settingValue('jobs.refreshInterval', 30), 30);
    assert.equal(settingValue('jobs.refreshInterval', '30'), 10);
    assert.equal(settingValue('jobs.refreshInterval', Number.NaN), 10);
    assert.equal(settingValue('jobs.notifyAfterSeconds', undefined), 30);
    assert.equal(settingValue('gpu.useSimulator', 'never'), 'never');
    assert.equal(settingValue('gpu.useSimulator', 'sometimes'), 'ask');
    assert.equal(settingValue('run.revealOutput', false), false);
    assert.equal(settingValue('run.revealOutput', 'no'), true);
    assert.equal(settingValue('python.interpreter', ' /opt/py/bin/python3 '), ' /opt/py/bin/python3 ');
    assert.equal(settingValue('python.interpreter', null), '');
    assert.deepEqual(settingValue('clusters', [{ name: 'a' }]), [{ name: 'a' }]);
    assert.deepEqual(settingValue('clusters', { name: 'a' }), []);
  });
});
