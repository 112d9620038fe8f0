#!/usr/bin/env node
// `npm start`: the main job on this machine, no cluster needed. Lints the example batch
// scripts, then runs the tutorial's two π programs through `hpc-jobs run`: a worker pool
// and (where Open MPI and mpi4py are installed) MPI ranks.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'bin', 'hpc-jobs.js');
const run = (title, args) => {
  console.log(`\n$ hpc-jobs ${args.join(' ')}    # ${title}`);
  return spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', cwd: here }).status ?? 1;
};
const works = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

let failed = 0;
const scripts = readdirSync(here).filter((f) => f.endsWith('.slurm')).sort();
failed += run('check the batch scripts as sbatch would read them', ['lint', ...scripts]) === 0 ? 0 : 1;
failed += run('π with a multiprocessing pool of 4 workers', ['run', '--backend', 'pool', '-n', '4', 'distributed.py', '--', '400000']) === 0 ? 0 : 1;

// mpi4py must match the interpreter: take the first that imports it.
const python = ['python3', '/usr/bin/python3'].find((p) => works(p, ['-c', 'import mpi4py']));
if (!works('sh', ['-c', 'command -v mpirun || command -v mpiexec'])) {
  console.log('\n(skipping the MPI example: no mpirun on PATH — install Open MPI, e.g. apt install openmpi-bin)');
} else if (!python) {
  console.log('\n(skipping the MPI example: no python3 here imports mpi4py — pip install mpi4py, or apt install python3-mpi4py)');
} else {
  failed += run('π with 4 MPI ranks', ['run', '--backend', 'mpi', '-n', '4', '--python', python, 'pythonMPI.py', '--', '400000']) === 0 ? 0 : 1;
}
process.exit(failed ? 1 : 0);
