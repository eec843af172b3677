#!/usr/bin/env bash
# Submits Chorus's shaded application jar with spark-submit.
#
#   scripts/submit.sh [spark-submit options ...] -- <subcommand> [chorus flags ...]
#
# It runs $SPARK_HOME/bin/spark-submit, else spark-submit on the PATH; where there is no Spark
# distribution it runs org.apache.spark.deploy.SparkSubmit from the Maven jars (client deploy mode).
# Examples (more in README.md, "Running on a cluster"):
#   scripts/submit.sh --master spark://10.0.0.5:7077 --conf spark.driver.host=10.0.0.9 \
#     -- pipeline --input s3a://bucket/archive --output s3a://bucket/chorus --run-date 2024-03-15
#   scripts/submit.sh --master yarn --deploy-mode cluster --num-executors 20 --executor-memory 8g \
#     -- pipeline --input hdfs:///archives/x --output s3a://bucket/chorus
# Environment: CHORUS_DRIVER_MEMORY (driver heap without a Spark distribution, default 4g),
# CHORUS_SKIP_BUILD=1 (use the jar as it is).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

submit_opts=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  submit_opts+=("$1"); shift
done
if [ $# -eq 0 ]; then
  echo "usage: scripts/submit.sh [spark-submit options ...] -- <subcommand> [chorus flags ...]" >&2
  exit 2
fi
shift # the --
[ -n "${CHORUS_SKIP_BUILD:-}" ] || chorus_build_if_needed
if [ ! -f "$CHORUS_SHADED_JAR" ]; then
  echo "chorus: error: no application jar at $CHORUS_SHADED_JAR. Fix: run 'mvn -DskipTests package'." >&2
  exit 2
fi

if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  submit=("$SPARK_HOME/bin/spark-submit")
elif command -v spark-submit >/dev/null 2>&1; then
  submit=(spark-submit)
else
  chorus_log "no Spark distribution found: running SparkSubmit from the Maven jars"
  # shellcheck disable=SC2207
  submit=(java -Xmx"${CHORUS_DRIVER_MEMORY:-4g}" $(chorus_jvm_flags)
    -Dlog4j2.configurationFile="$CHORUS_ROOT/scripts/conf/log4j2.properties"
    -cp "$(chorus_classpath)" org.apache.spark.deploy.SparkSubmit)
fi
exec "${submit[@]}" "${submit_opts[@]}" --class io.chorus.Chorus "$CHORUS_SHADED_JAR" "$@"
