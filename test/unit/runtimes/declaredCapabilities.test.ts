/**
 * What a run offers and what a failure is are declared, not guessed from shapes or class names:
 * an object of another bundle's class (a copy of LaunchError, a SlurmJob of the tests' bundle) is
 * recognised by the declared field alone.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { failureKind, LaunchError } from '../../../runtimes/src/runtime';
import { SlurmQueryError } from '../../../runtimes/src/slurm/slurmErrors';
import { TransportError } from '../../../runtimes/src/transport/transport';

describe('declared, not guessed', () => {
  test('each error class of the runtimes says what it is', () => {
    assert.equal(failureKind(new LaunchError('no mpirun')), 'launch');
    assert.equal(failureKind(new TransportError('auth', 'refused')), 'transport');
    assert.equal(failureKind(new SlurmQueryError('squeue failed')), 'slurm');
    assert.equal(failureKind(new Error('other')), undefined);
    assert.equal(failureKind('text'), undefined);
    // Another bundle's copy of the class: a different constructor, the same declaration.
    class LaunchErrorOfAnotherBundle extends Error { readonly failureKind = 'launch'; }
    assert.equal(failureKind(new LaunchErrorOfAnotherBundle('x')), 'launch');
    // A name alone proves nothing.
    const named = new Error('x');
    named.name = 'TransportError';
    assert.equal(failureKind(named), undefined);
  });
});
