#!/usr/bin/env bash
# record-corpus.sh - run `sbatch --test-only` on every test/fixtures/sbatch-corpus/NNN-*.sh
# (each copied into a fresh temp dir, which is the cwd) and write the outcomes to
# test/fixtures/sbatch-corpus/expected.json: { "<file>": { "exit", "stderr", "accepted" } };
# then the same for the realistic corpus, test/fixtures/real-scripts (recordRealScripts.ts keeps the
# expectations judged by hand and records only the "sbatch" verdicts).
# Job ids, dates and node names are normalised out (test/cluster/sbatchTestOnly.ts, shared with
# the live part of sbatchDifferential.test.ts).
#
# Needs the cluster from test/cluster/up.sh (run as root: root has a default account there).
# SBATCH_* / SLURM_* variables are dropped so only the script decides.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
command -v sbatch >/dev/null || { echo "record-corpus: sbatch not on PATH (bash test/cluster/up.sh)" >&2; exit 1; }
scontrol ping 2>&1 | grep -qw UP || { echo "record-corpus: slurmctld not UP (bash test/cluster/up.sh)" >&2; exit 1; }
[ "$(sinfo -h -o %P | grep -c '\*$')" -ge 1 ] || { echo "record-corpus: no default partition" >&2; exit 1; }
node --import tsx test/cluster/recordCorpus.ts
exec node --import tsx test/cluster/recordRealScripts.ts
