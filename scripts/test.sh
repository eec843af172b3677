#!/usr/bin/env bash
# Runs every test: the Maven build with all unit and integration tests, then the README's first
# command end to end on a small sample in a temporary folder. Needs only JDK 17 and Maven.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CHORUS_ROOT"
start=$(date +%s)
# The report test renders the HTML page in headless Chromium (Debian's package); install it where missing.
if ! command -v chromium >/dev/null 2>&1; then
  apt_get=""
  if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; elif sudo -n true 2>/dev/null; then apt_get="sudo apt-get"; fi
  if [ -n "$apt_get" ]; then
    echo "== installing chromium for the report test"
    export DEBIAN_FRONTEND=noninteractive
    $apt_get install -y -q chromium >/dev/null 2>&1 || { $apt_get update -q >/dev/null && $apt_get install -y -q chromium >/dev/null; }
  else
    echo "WARNING: chromium is missing and cannot be installed without root; the report's browser check will be skipped" >&2
  fi
fi
if command -v chromium >/dev/null 2>&1; then export CHORUS_REQUIRE_BROWSER=1; fi
mvn -B -ntp verify
echo "== end-to-end: scripts/run-local.sh on a small generated sample"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
CHORUS_SAMPLE="$tmp/sample" CHORUS_OUT="$tmp/out" CHORUS_SAMPLE_ACCOUNTS=1500 CHORUS_SAMPLE_POSTS=15000 \
  CHORUS_DRIVER_MEMORY=3g scripts/run-local.sh --run-date 2024-03-15 | tee "$tmp/summary.txt"
for t in quarantine account_features account_scores bot_share account_influence topic_influence watchlist_influence; do
  if [ ! -f "$tmp/out/$t/run_date=2024-03-15/_SUCCESS" ]; then
    echo "FAIL: table $t was not written" >&2; exit 1
  fi
done
ls "$tmp"/out/_runs/*.json >/dev/null || { echo "FAIL: no run manifest" >&2; exit 1; }
grep -q "top 5 amplified accounts" "$tmp/summary.txt" || { echo "FAIL: no summary printed" >&2; exit 1; }
[ -s "$tmp/out/report-2024-03-15.html" ] || { echo "FAIL: no HTML report written" >&2; exit 1; }
grep -q "report | wrote $tmp/out/report-2024-03-15.html" "$tmp/summary.txt" || { echo "FAIL: report path not printed" >&2; exit 1; }
echo "== all tests passed in $(( $(date +%s) - start )) s"
