/**
 * Options that sites add to sbatch through SPANK plugins. Plain sbatch rejects them, but on the
 * site a script was written for they work, so without a cluster profile the linter names the
 * plugin (SBATCH125) instead of calling them errors. With a profile, the options the cluster's
 * `sbatch --help` lists are accepted as they are.
 */
export interface PluginOption {
  readonly name: string;
  readonly arg: 'required' | 'optional' | 'none';
  readonly plugin: string;
}

const SHIFTER = 'Shifter (NERSC)';
const PYXIS = 'Pyxis/enroot (NVIDIA)';

export const PLUGIN_OPTIONS: readonly PluginOption[] = [
  { name: 'image', arg: 'required', plugin: SHIFTER },
  { name: 'module', arg: 'required', plugin: SHIFTER },
  { name: 'volume', arg: 'required', plugin: SHIFTER },
  { name: 'ccm', arg: 'none', plugin: 'Cray CCM' },
  { name: 'zonesort', arg: 'optional', plugin: 'zonesort (NERSC KNL)' },
  { name: 'perf', arg: 'required', plugin: 'perf (NERSC)' },
  { name: 'container-image', arg: 'required', plugin: PYXIS },
  { name: 'container-mounts', arg: 'required', plugin: PYXIS },
  { name: 'container-workdir', arg: 'required', plugin: PYXIS },
  { name: 'container-name', arg: 'required', plugin: PYXIS },
  { name: 'container-save', arg: 'required', plugin: PYXIS },
  { name: 'container-mount-home', arg: 'none', plugin: PYXIS },
  { name: 'no-container-mount-home', arg: 'none', plugin: PYXIS },
  { name: 'container-remap-root', arg: 'none', plugin: PYXIS },
  { name: 'no-container-remap-root', arg: 'none', plugin: PYXIS },
  { name: 'container-entrypoint', arg: 'none', plugin: PYXIS },
  { name: 'no-container-entrypoint', arg: 'none', plugin: PYXIS },
  { name: 'container-writable', arg: 'none', plugin: PYXIS },
  { name: 'container-readonly', arg: 'none', plugin: PYXIS },
  { name: 'container-env', arg: 'required', plugin: PYXIS },
  { name: 'uenv', arg: 'required', plugin: 'uenv (CSCS)' },
  { name: 'view', arg: 'required', plugin: 'uenv (CSCS)' },
  { name: 'qpu', arg: 'required', plugin: 'a quantum-computing (QPU) plugin' },
  { name: 'auks', arg: 'required', plugin: 'AUKS (Kerberos tickets)' },
  { name: 'mpibind', arg: 'optional', plugin: 'mpibind (LLNL)' },
  { name: 'singularity-image', arg: 'required', plugin: 'a Singularity/Apptainer plugin' },
  { name: 'ear', arg: 'required', plugin: 'EAR (energy management)' },
  { name: 'ear-policy', arg: 'required', plugin: 'EAR (energy management)' },
  { name: 'ear-cpufreq', arg: 'required', plugin: 'EAR (energy management)' },
  { name: 'ear-verbose', arg: 'required', plugin: 'EAR (energy management)' },
  { name: 'x11', arg: 'optional', plugin: 'X11 forwarding (srun/salloc only, or a site plugin)' },
];

const BY_NAME = new Map(PLUGIN_OPTIONS.map((o) => [o.name, o]));

/** A well-known plugin option by its exact long name (plugins are matched exactly, never abbreviated). */
export function findPluginOption(name: string): PluginOption | undefined {
  return BY_NAME.get(name);
}
