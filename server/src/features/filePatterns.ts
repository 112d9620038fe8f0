/** The replacement symbols sbatch expands in --output, --error and --input file names. */
export interface FilePattern { readonly pattern: string; readonly description: string }

export const FILE_PATTERNS: readonly FilePattern[] = [
  { pattern: '%j', description: 'job ID' },
  { pattern: '%x', description: 'job name' },
  { pattern: '%A', description: 'array job ID (the master job)' },
  { pattern: '%a', description: 'array task index' },
  { pattern: '%N', description: 'short host name of the first node' },
  { pattern: '%u', description: 'user name' },
  { pattern: '%J', description: 'job ID.step ID (e.g. 128.0)' },
  { pattern: '%s', description: 'step ID' },
  { pattern: '%n', description: 'node ID relative to the job (0 for the first node)' },
  { pattern: '%t', description: 'task ID (rank) relative to the job' },
  { pattern: '%b', description: 'array task index modulo 10' },
  { pattern: '%%', description: 'a literal %' },
];
