/**
 * The documents the run area's CodeLenses serve (batch scripts, and shell scripts that may hold
 * #SBATCH lines): one selector for the lenses and for loading the run area when one opens.
 */
import type * as vscode from 'vscode';

export const BATCH_SCRIPT_SELECTOR: vscode.DocumentSelector = [
  { language: 'slurm', scheme: 'file' },
  { language: 'shellscript', scheme: 'file' },
];
