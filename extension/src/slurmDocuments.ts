/**
 * The documents the Slurm language server serves: `slurm` documents and `shellscript` documents
 * (it reports on their `#SBATCH` lines only), from disk and unsaved. Its own module: activation
 * watches for them without loading the language client.
 */
export const SLURM_DOCUMENTS: readonly { readonly scheme: string; readonly language: string }[] = [
  { scheme: 'file', language: 'slurm' },
  { scheme: 'untitled', language: 'slurm' },
  { scheme: 'file', language: 'shellscript' },
  { scheme: 'untitled', language: 'shellscript' },
];
