#!/usr/bin/env bash
# CI fragment: install the real Prometheus tools the fleet tests use (promtool, prometheus,
# prometheus-alertmanager, amtool) from Debian packages when they are missing. Idempotent: does
# nothing when they are present. After this, .ci/run sets CLAWPATROL_REQUIRE_PROMETHEUS=1 so a
# missing tool fails those tests instead of skipping them.
set -euo pipefail

missing=0
for tool in promtool prometheus amtool; do
  command -v "$tool" >/dev/null 2>&1 || missing=1
done
command -v prometheus-alertmanager >/dev/null 2>&1 || command -v alertmanager >/dev/null 2>&1 || missing=1

if [ "$missing" -eq 1 ]; then
  echo "ci-prometheus-install: installing prometheus prometheus-alertmanager (apt-get)"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  # The packages' own services must not start (CI has no init; the tests run their own instances).
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends prometheus prometheus-alertmanager
fi
promtool --version 2>&1 | head -1
(prometheus-alertmanager --version 2>/dev/null || alertmanager --version) 2>&1 | head -1
