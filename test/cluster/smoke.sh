#!/usr/bin/env bash
# smoke.sh - 26 smoke checks against the cluster from up.sh, everything through ssh as the test
# user (pool, mpirun, srun --mpi=pmix, array, fail, cancel, sftp, --test-only, gres, sacct).
# Exit 0 when all pass.
set -uo pipefail
BASE=${BASE:-/tmp/hpc-test-cluster}
[ -r "$BASE/cluster.env" ] || { echo "smoke.sh: no $BASE/cluster.env: start the cluster with test/cluster/up.sh" >&2; exit 2; }
. "$BASE/cluster.env"
KH=$BASE/ssh/known_hosts
echo "[$SLURM_SSH_HOST]:$SLURM_SSH_PORT $(cut -d' ' -f1,2 "$SLURM_SSH_HOSTKEY_PUB")" > "$KH"
SSHO=(-p "$SLURM_SSH_PORT" -i "$SLURM_SSH_KEY" -o UserKnownHostsFile="$KH" -o StrictHostKeyChecking=yes -o BatchMode=yes -o LogLevel=ERROR)
R() { ssh "${SSHO[@]}" "$SLURM_SSH_USER@$SLURM_SSH_HOST" "$@"; }
pass=0; fail=0
ok() { if [ "$1" = 0 ]; then echo "PASS $2"; pass=$((pass+1)); else echo "FAIL $2 ${3:-}"; fail=$((fail+1)); fi; }
waitjob() { for _ in $(seq 1 300); do [ -z "$(R squeue -h -j "$1" -o %T 2>/dev/null)" ] && return 0; sleep 0.3; done; return 1; }
state() { R "scontrol show job $1 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1 | cut -d= -f2"; }
T0=$(date +%s)

# job files into the user's home
# (chmod: copies from a read-only checkout arrive read-only, and a second run must overwrite them)
R 'mkdir -p ~/work && chmod -R u+w ~/work' && scp -q -P "$SLURM_SSH_PORT" -i "$SLURM_SSH_KEY" -o UserKnownHostsFile="$KH" -o BatchMode=yes \
  "$(dirname "$0")"/jobs/* "$SLURM_SSH_USER@$SLURM_SSH_HOST:work/"
ok $? "scp job files"

P=$(R 'cd work && sbatch --parsable job_pool.sh');        ok $? "sbatch pool -> $P"
M=$(R 'cd work && sbatch --parsable job_mpi_mpirun.sh');  ok $? "sbatch mpirun -> $M"
S=$(R 'cd work && sbatch --parsable job_mpi_srun.sh');    ok $? "sbatch srun --mpi=pmix -> $S"
A=$(R 'cd work && sbatch --parsable job_array.sh');       ok $? "sbatch array -> $A"
F=$(R 'cd work && sbatch --parsable job_fail.sh');        ok $? "sbatch fail -> $F"
L=$(R 'cd work && sbatch --parsable job_long.sh');        ok $? "sbatch long -> $L"
sleep 2; R scancel "$L"; ok $? "scancel $L"
for j in $P $M $S $A $F $L; do waitjob "$j"; done
[ "$(state "$P")" = COMPLETED ]; ok $? "pool COMPLETED"
[ "$(state "$M")" = COMPLETED ]; ok $? "mpirun COMPLETED"
[ "$(state "$S")" = COMPLETED ]; ok $? "srun pmix COMPLETED" "$(R cat work/srun_$S.out | tail -3)"
[ "$(state "$F")" = FAILED ];    ok $? "fail FAILED"
R "scontrol show job $F" | grep -q 'ExitCode=3:0'; ok $? "fail ExitCode=3:0"
[ "$(state "$L")" = CANCELLED ]; ok $? "long CANCELLED"
[ "$(R "ls work/arr_${A}_*.out | wc -l")" = 4 ]; ok $? "array 4 outputs"
R "grep -q '^pi~3.1' work/mpirun_$M.out"; ok $? "mpirun output has pi"
R "grep -c '^rank' work/srun_$S.out" | grep -qx 4; ok $? "srun pmix 4 ranks"
# sftp read of an output file
echo "get work/pool_$P.out $BASE/pool_sftp.out" | sftp -q -b - -P "$SLURM_SSH_PORT" -i "$SLURM_SSH_KEY" \
  -o UserKnownHostsFile="$KH" -o BatchMode=yes "$SLURM_SSH_USER@$SLURM_SSH_HOST" >/dev/null && grep -q 'pi~' "$BASE/pool_sftp.out"
ok $? "sftp get pool_$P.out"
# --test-only
R 'cd work && sbatch --test-only job_pool.sh' 2>&1 | grep -q 'to start at'; ok $? "test-only valid"
out=$(R 'cd work && sbatch --test-only bad_time.sh' 2>&1); rc=$?
[ $rc = 255 ] && [ "$out" = "sbatch: error: Invalid --time specification" ]; ok $? "test-only bad time rc=$rc" "$out"
out=$(R 'cd work && sbatch --test-only bad_partition.sh' 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'invalid partition specified: nonexistent'; ok $? "test-only bad partition rc=$rc"
# salloc / srun
R 'salloc -n1 srun hostname' >/dev/null 2>&1; ok $? "salloc -n1 srun hostname"
R 'srun -p gpu --gres=gpu:1 printenv CUDA_VISIBLE_DEVICES' | grep -qx 0; ok $? "fake gpu gres CUDA_VISIBLE_DEVICES=0"
R 'squeue --json' | python3 -c 'import json,sys; json.load(sys.stdin)'; ok $? "squeue --json parses"
if [ "$SLURM_ACCOUNTING" = 1 ]; then
  R "sacct -X -n -P -j $F -o State,ExitCode" | grep -qx 'FAILED|3:0'; ok $? "sacct FAILED|3:0"
  R "sacct --json -j $P" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["jobs"]'; ok $? "sacct --json"
fi
echo "tests: $pass passed, $fail failed in $(( $(date +%s) - T0 ))s"
[ $fail = 0 ]
