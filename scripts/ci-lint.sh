#!/usr/bin/env bash
# What action.yml runs (and any CI can): lint the repository's batch scripts, print GitHub
# annotations (or text), write SARIF, exit 1 on errors.
#   HPC_JOBS     the CLI to run (default: node <this repo>/bin/hpc-jobs.js)
#   FILES        whitespace-separated paths or globs (** works); empty: every tracked *.slurm and
#                *.sbatch file and every tracked *.sh/*.bash file with an #SBATCH line
#   FORMAT       github (default) or text: what goes to standard output
#   SARIF_FILE   where the SARIF log goes (default hpc-jobs.sarif; empty: none)
#   SLURM_VERSION, STRICT (true/false)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
read -r -a cli <<< "${HPC_JOBS:-node $here/bin/hpc-jobs.js}"
format=${FORMAT:-github}
case "$format" in github|text) ;; *) echo "ci-lint: FORMAT must be github or text, not '$format'" >&2; exit 2 ;; esac

files=()
if [ -n "${FILES:-}" ]; then
  shopt -s globstar nullglob
  # shellcheck disable=SC2206  # split on whitespace and expand globs, as documented
  files=(${FILES})
  shopt -u nullglob
  [ ${#files[@]} -gt 0 ] || { echo "ci-lint: no file matches FILES='$FILES'" >&2; exit 2; }
else
  # NUL-separated from git, so any file name survives.
  while IFS= read -r -d '' f; do files+=("$f"); done < <(
    { git ls-files -z -- '*.slurm' '*.sbatch'; git grep -lz -E '^#SBATCH' -- '*.sh' '*.bash' || true; } | sort -zu)
  if [ ${#files[@]} -eq 0 ]; then echo "ci-lint: no batch scripts found (*.slurm, *.sbatch, *.sh with #SBATCH)"; exit 0; fi
fi

opts=()
[ -n "${SLURM_VERSION:-}" ] && opts+=(--slurm-version "$SLURM_VERSION")
[ "${STRICT:-false}" = true ] && opts+=(--strict)

status=0
"${cli[@]}" lint --format "$format" "${opts[@]}" -- "${files[@]}" || status=$?
if [ -n "${SARIF_FILE-hpc-jobs.sarif}" ]; then
  # Same findings; its exit status is the one above.
  "${cli[@]}" lint --format sarif "${opts[@]}" -- "${files[@]}" > "${SARIF_FILE-hpc-jobs.sarif}" || true
fi
echo "ci-lint: ${#files[@]} file(s) linted; exit $status" >&2
exit "$status"
