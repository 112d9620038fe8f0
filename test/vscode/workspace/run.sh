#!/bin/bash
# An ordinary shell script that is also a batch script: it stays `shellscript`,
# and the language server still reads its #SBATCH lines.
#SBATCH --nodes=1
#SBATCH --partiton=debug

echo "running on $(hostname)"
