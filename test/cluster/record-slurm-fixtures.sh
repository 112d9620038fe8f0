#!/usr/bin/env bash
# record-slurm-fixtures.sh - records what squeue/sacct/scontrol/sacctmgr print on the test
# cluster (test/cluster/up.sh) into test/unit/runtimes/slurm/fixtures/, for the parser unit tests.
# Submits a few small jobs as the test user (held, running, completed, failed, array, a name
# with spaces), records, then cancels what it left. squeue --json (which ignores filters on
# 22.05) is cut down to those jobs.
set -euo pipefail
BASE=${BASE:-/tmp/hpc-test-cluster}
. "$BASE/cluster.env"
OUT=$(cd "$(dirname "$0")/../unit/runtimes/slurm/fixtures" && pwd)
KH=$(mktemp)
IDS=""
# Whatever happens, leave nothing queued on the shared cluster.
trap 'rm -f "$KH"; [ -n "$IDS" ] && R "scancel ${IDS//,/ }" 2>/dev/null || true' EXIT
echo "[$SLURM_SSH_HOST]:$SLURM_SSH_PORT $(cut -d' ' -f1,2 "$SLURM_SSH_HOSTKEY_PUB")" > "$KH"
R() { ssh -p "$SLURM_SSH_PORT" -i "$SLURM_SSH_KEY" -o UserKnownHostsFile="$KH" -o BatchMode=yes -o LogLevel=ERROR "$SLURM_SSH_USER@$SLURM_SSH_HOST" "$@"; }

R 'mkdir -p ~/hpc-jobs-fixtures'
ARR=$(R 'cd ~/hpc-jobs-fixtures && sbatch --parsable --array=0-2 -o "arr_%A_%a.out" --wrap "echo task \$SLURM_ARRAY_TASK_ID; exit \$SLURM_ARRAY_TASK_ID"')
FAIL=$(R 'cd ~/hpc-jobs-fixtures && sbatch --parsable -J "fail job" -o "f_%j_%x.out" --wrap "echo x; exit 3"')
HELD=$(R 'cd ~/hpc-jobs-fixtures && sbatch --parsable --hold --array=0-9%2 -J held --wrap true')
RUN=$(R 'cd ~/hpc-jobs-fixtures && sbatch --parsable -J running -t 2 --wrap "sleep 60"')
IDS="$ARR,$FAIL,$HELD,$RUN"
for _ in $(seq 1 60); do
  [ "$(R "squeue -h -t all -j $ARR,$FAIL -o %T" | sort -u | tr -d '\n')" = "COMPLETEDFAILED" ] && \
    [ "$(R "squeue -h -j $RUN -o %T")" = RUNNING ] && break
  sleep 0.5
done
R 'squeue --json' | python3 -c '
import json, sys
ids = {int(x) for x in sys.argv[1].split(",")}
d = json.load(sys.stdin)
d["jobs"] = [j for j in d["jobs"] if j["job_id"] in ids or j["array_job_id"] in ids]
json.dump(d, sys.stdout, indent=1)' "$IDS" > "$OUT/squeue-22.05.json"
R "squeue --noheader --array --states=all --jobs=$IDS --format='%A|%F|%K|%T|%r|%N|%S'" > "$OUT/squeue-format-22.05.txt"
R "sacct -X -P -n --jobs=$IDS --format=JobID,JobIDRaw,State,ExitCode,Reason,Start,End,NodeList,WorkDir,JobName" > "$OUT/sacct-22.05.txt"
R "scontrol show job -o $FAIL; scontrol show job -o $ARR" > "$OUT/scontrol-job-oneline-22.05.txt"
R "scontrol show job $HELD" > "$OUT/scontrol-job-multiline-22.05.txt"
R 'scontrol show partition -o' > "$OUT/scontrol-partition-22.05.txt"
R 'scontrol show node -o' | sed -E 's/(CPULoad|FreeMem)=[^ ]*/\1=X/g' > "$OUT/scontrol-node-22.05.txt"
R 'scontrol show config' | grep -E '^(ClusterName|SLURM_VERSION|MaxArraySize|AccountingStorageType|MinJobAge) ' > "$OUT/scontrol-config-22.05.txt"
R 'sacctmgr -n -P show assoc where user="$USER" format=Account,Partition,QOS' > "$OUT/sacctmgr-assoc-22.05.txt"
# The controller down: SLURM_CONF pointing at a copy whose SlurmctldPort nobody listens on.
R 'sed "s/^SlurmctldPort=.*/SlurmctldPort=1/" /etc/slurm/slurm.conf > ~/hpc-jobs-fixtures/dead.conf; SLURM_CONF=~/hpc-jobs-fixtures/dead.conf squeue --json' > "$OUT/squeue-controller-down-22.05.json" || true
R "scancel $HELD $RUN; rm -rf ~/hpc-jobs-fixtures"
echo "recorded into $OUT (jobs $IDS)"
