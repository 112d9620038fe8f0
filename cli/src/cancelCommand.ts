/** `hpc-jobs cancel`: scancel a job, one array task (ID_INDEX) or a range of tasks (ID_[1-3]). */
import { jobActionCommand } from './jobActionCommand';

export const cancelCommand = jobActionCommand('cancel', 'Cancels jobs: pending ones leave the queue, running ones are ended.', 'cancelled',
  (cluster, id) => cluster.cancel(id));
