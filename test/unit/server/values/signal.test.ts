import { describe } from 'node:test';
import { checkSignal } from '../../../../server/src/values/signal';
import { runRows } from './table';

// get_signal_opts() / sig_name2num() (src/common/proc_args.c); checked against sbatch 22.05.8.
describe('signal: accepted', () => {
  runRows(checkSignal, 'signal', [
    { value: 'B:USR1@90', meaning: 'send SIGUSR1 to the batch shell only, 90 seconds before the time limit', parsed: { signal: 10, name: 'USR1', seconds: 90, batchOnly: true, reservation: false } },
    { value: 'USR1', meaning: 'send SIGUSR1 to every job step (not the batch shell), 60 seconds before the time limit', parsed: { signal: 10, name: 'USR1', seconds: 60, batchOnly: false, reservation: false } },
    { value: '10', parsed: { signal: 10, name: 'USR1', seconds: 60, batchOnly: false, reservation: false } },
    { value: 'SIGTERM@120', parsed: { signal: 15, name: 'TERM', seconds: 120, batchOnly: false, reservation: false } },
    { value: 'sigterm', parsed: { signal: 15, name: 'TERM', seconds: 60, batchOnly: false, reservation: false } },
    { value: 'b:usr1', parsed: { signal: 10, name: 'USR1', seconds: 60, batchOnly: true, reservation: false } },
    { value: 'BUSR1', parsed: { signal: 10, name: 'USR1', seconds: 60, batchOnly: true, reservation: false } },
    { value: 'R:USR2', meaning: /reservation with MaxStartDelay/, parsed: { signal: 12, name: 'USR2', seconds: 60, batchOnly: false, reservation: true } },
    { value: 'RB:10', parsed: { signal: 10, name: 'USR1', seconds: 60, batchOnly: true, reservation: true } },
    { value: 'BR:10', parsed: { signal: 10, name: 'USR1', seconds: 60, batchOnly: true, reservation: true } },
    { value: 'RBR:USR1', parsed: { signal: 10, name: 'USR1', seconds: 60, batchOnly: true, reservation: true } },
    { value: 'USR1@65535', parsed: { signal: 10, name: 'USR1', seconds: 65535, batchOnly: false, reservation: false } },
    { value: 'USR1@0', parsed: { signal: 10, name: 'USR1', seconds: 0, batchOnly: false, reservation: false } },
    { value: 'B:10@ 5', parsed: { signal: 10, name: 'USR1', seconds: 5, batchOnly: true, reservation: false } },
    { value: 'USR1 @90', parsed: { signal: 10, name: 'USR1', seconds: 90, batchOnly: false, reservation: false } },
    { value: 'CHLD', context: { slurmVersion: '23.11' }, parsed: { signal: 17, name: 'CHLD', seconds: 60, batchOnly: false, reservation: false } },
  ]);
});

describe('signal: accepted but suspicious', () => {
  runRows(checkSignal, 'signal', [
    { value: 'USR1@', codes: ['SBATCH112'], span: [4, 5], message: /0 seconds/, parsed: { signal: 10, name: 'USR1', seconds: 0, batchOnly: false, reservation: false } },
    { value: '70000', codes: ['SBATCH112'], message: /16 bits.*4464/, parsed: { signal: 4464, seconds: 60, batchOnly: false, reservation: false } },
    { value: '-1', codes: ['SBATCH112'], message: /65535/ },
    { value: '100', codes: ['SBATCH112'], message: /does not exist on Linux/ },
  ]);
});

describe('signal: rejected by sbatch (SBATCH034)', () => {
  runRows(checkSignal, 'signal', [
    { value: 'FOO', codes: ['SBATCH034'], span: [0, 3], parsed: null, message: /Invalid --signal specification/ },
    { value: 'USR', codes: ['SBATCH034'] },
    { value: 'SIGPIPE', codes: ['SBATCH034'], message: /before 23\.11 \(use the number 13\)/ },
    { value: 'CHLD', codes: ['SBATCH034'] },
    { value: '0', codes: ['SBATCH034'] },
    { value: '65536', codes: ['SBATCH034'] },
    { value: 'B:', codes: ['SBATCH034'], message: /no signal is given/ },
    { value: 'R:B:USR1', codes: ['SBATCH034'], span: [2, 8], message: /`RB:USR1`/ },
    { value: '10@70000', codes: ['SBATCH034'], span: [3, 8], message: /0 to 65535/ },
    { value: 'USR1@65536', codes: ['SBATCH034'] },
    { value: 'USR1@-1', codes: ['SBATCH034'] },
    { value: 'USR1@90s', codes: ['SBATCH034'], span: [5, 8] },
  ]);
});
