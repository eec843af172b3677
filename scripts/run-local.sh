#!/usr/bin/env bash
# The first command on a fresh machine: generates the sample archive if missing, runs the whole
# pipeline on it with Spark local[*] into ./out, prints where the tables went, and writes the HTML
# report (out/report-<run_date>.html).
#   scripts/run-local.sh [extra pipeline flags, e.g. --run-date 2024-03-15]
# Environment: CHORUS_SAMPLE (./sample-data), CHORUS_OUT (./out),
# CHORUS_SAMPLE_ACCOUNTS (20000), CHORUS_SAMPLE_POSTS (250000).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CHORUS_ROOT"
sample="${CHORUS_SAMPLE:-./sample-data}"
out="${CHORUS_OUT:-./out}"
if [ ! -f "$sample/posts/_SUCCESS" ]; then
  chorus_log "generating the sample archive in $sample"
  scripts/chorus generate --output "$sample" \
    --accounts "${CHORUS_SAMPLE_ACCOUNTS:-20000}" --posts "${CHORUS_SAMPLE_POSTS:-250000}"
fi
scripts/chorus pipeline --input "$sample" --output "$out" "$@"
run_date=()
prev=""
for a in "$@"; do
  case "$a" in
    --run-date=*) run_date=(--run-date "${a#--run-date=}") ;;
    *) [ "$prev" = "--run-date" ] && run_date=(--run-date "$a") ;;
  esac
  prev="$a"
done
scripts/chorus report --output "$out" "${run_date[@]}" --quiet
