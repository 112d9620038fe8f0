/** `hpc-jobs hold|release`: keep pending jobs from starting, or let them start again (`scontrol hold|release`). */
import { jobActionCommand } from './jobActionCommand';

export const holdCommand = jobActionCommand('hold', 'Holds pending jobs: they stay in the queue but do not start until released.', 'held',
  (cluster, id) => cluster.setHeld(id, true));

export const releaseCommand = jobActionCommand('release', 'Releases held jobs: they may start again.', 'released',
  (cluster, id) => cluster.setHeld(id, false));
