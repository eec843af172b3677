# Shared by the scripts: locate the build, build it when sources changed, and the JVM command line.
# shellcheck shell=bash
CHORUS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHORUS_TARGET="$CHORUS_ROOT/jobs/target"
CHORUS_VERSION="0.1.0-SNAPSHOT"
CHORUS_JAR="$CHORUS_TARGET/chorus-jobs-$CHORUS_VERSION.jar"
CHORUS_SHADED_JAR="$CHORUS_TARGET/chorus-jobs-$CHORUS_VERSION-shaded.jar"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

chorus_log() { [ -n "${CHORUS_QUIET:-}" ] || echo "chorus | $*" >&2; }

# Builds the jars and the runtime classpath when missing or older than any source or pom.
chorus_build_if_needed() {
  local stale=""
  if [ ! -f "$CHORUS_JAR" ] || [ ! -f "$CHORUS_TARGET/classpath-runtime.txt" ] || [ ! -f "$CHORUS_SHADED_JAR" ]; then
    stale=yes
  elif [ -n "$(find "$CHORUS_ROOT/pom.xml" "$CHORUS_ROOT/jobs/pom.xml" "$CHORUS_ROOT/jobs/src/main" -newer "$CHORUS_JAR" -type f -print -quit)" ]; then
    stale=yes
  fi
  if [ -n "$stale" ]; then
    chorus_log "building (mvn package, tests skipped)..."
    (cd "$CHORUS_ROOT" && mvn -B -q -ntp -DskipTests package) >&2
  fi
}

chorus_jvm_flags() {
  cat "$CHORUS_TARGET/classes/chorus-jvm-flags.txt"
}

chorus_classpath() {
  echo "$(cat "$CHORUS_TARGET/classpath.txt"):$(cat "$CHORUS_TARGET/classpath-runtime.txt")"
}
