#!/usr/bin/env bash
# Benchmarks Chorus side by side with a bare Spark scan and DuckDB (in-process) on generated
# archives, and on the real IRA archive when ../shared/data is present. Writes
# bench/results/<date>.json and bench/README.md. Archives are cached in bench/cache/ (git-ignored).
#   scripts/bench.sh [--sizes 1M,10M,30M] [--runs 3] [--heap 3g] [--shuffle-partitions 8] [--ira DIR|none] [--ira-runs 1]
#     [--warmups 1] [--event-log DIR] [--reuse-model DIR]   (0 warm-ups for one-off large runs; Spark event logs; score with
#     a model trained earlier, e.g. bench/cache/out-1M/_model/run_date=2024-03-15, instead of training at every size)
#   scripts/bench.sh classifier [--labeled DIR|none] [--accounts 4000] [--posts 60000] [--parts generator,cv5,lodo,caverlee-cv5]
#     the classifier's evaluation: nested 5-fold CV and leave-one-dataset-out on the labeled sets,
#     per-kind recall on generator archives; writes bench/results/classifier-<date>.json
#   scripts/bench.sh prevalence [--shares 0.02,0.1,0.3,0.5] [--accounts 20000] [--posts 200000] [--training separate|own]
#     bot-share estimators against the generator's truth at several true shares (prior shift);
#     writes bench/results/prevalence-<date>.json
#   scripts/bench.sh pagerank [--edges 10M]
#     PageRank alone on a heavy-tailed weighted graph of that many edges; writes bench/results/pagerank-<date>.json
#   scripts/bench.sh features [--sizes 1M,10M] [--runs 3]
#     the features target alone: ingest once per size, then rounds of the features stage and DuckDB's
#     same columns side by side, with their agreement; writes bench/results/features-<date>.json
#   scripts/bench.sh coordination [--accounts 20000] [--posts 250000] [--ira DIR|none]
#     [--archive bench/cache/archive-10M --out bench/cache/out-10M --only "default traces"]   (a cached archive, some runs)
#     coordination per trace against the generator's planted campaigns (precision, recall, organic
#     accounts flagged) and co-text clusters on the IRA archive; writes bench/results/coordination-<date>.json
# Needs only JDK 17 and Maven; DuckDB's JDBC driver comes from Maven Central (test scope).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CHORUS_ROOT"
if [ ! -f "$CHORUS_TARGET/classpath-test.txt" ] || [ ! -d "$CHORUS_TARGET/test-classes/io/chorus/bench" ] \
   || [ -n "$(find pom.xml jobs/pom.xml jobs/src -newer "$CHORUS_TARGET/classpath-test.txt" -type f -print -quit)" ]; then
  chorus_log "building (mvn package, tests skipped)..."
  mvn -B -q -ntp -DskipTests package >&2
fi
args=("$@")
if [ "${1:-}" = classifier ] || [ "${1:-}" = prevalence ] || [ "${1:-}" = coordination ] || [ "${1:-}" = pagerank ] || [ "${1:-}" = features ]; then
  # shellcheck disable=SC2046
  exec java -Xmx2g $(chorus_jvm_flags) -Dlog4j2.configurationFile="$CHORUS_ROOT/scripts/conf/log4j2.properties" \
    -cp "$CHORUS_TARGET/test-classes:$CHORUS_TARGET/classes:$(cat "$CHORUS_TARGET/classpath-test.txt")" io.chorus.bench.Bench "$@"
fi
ira="$CHORUS_ROOT/../shared/data/ira-troll-tweets"
if [[ " $* " != *" --ira "* ]] && [ -d "$ira" ]; then args+=(--ira "$ira"); fi
filtered=()
skip=""
for a in "${args[@]}"; do
  if [ -n "$skip" ]; then skip=""; [ "$a" = none ] && { unset 'filtered[${#filtered[@]}-1]'; continue; }; fi
  [ "$a" = --ira ] && skip=yes
  filtered+=("$a")
done
# shellcheck disable=SC2046
exec java -Xmx2g $(chorus_jvm_flags) -Dlog4j2.configurationFile="$CHORUS_ROOT/scripts/conf/log4j2.properties" \
  -cp "$CHORUS_TARGET/test-classes:$CHORUS_TARGET/classes:$(cat "$CHORUS_TARGET/classpath-test.txt")" \
  io.chorus.bench.Bench "${filtered[@]}"
