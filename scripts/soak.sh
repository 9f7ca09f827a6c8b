#!/usr/bin/env bash
# Soak: produces continuously for DURATION seconds (default 120) while the topic grows twice, the
# broker restarts and one of two service processes is killed; then prints produced / processed /
# lost / duplicated and fails if anything was lost. Takes DURATION + about 2 minutes; stops by itself.
# Everything runs on this machine: an in-process broker and the packaged jar as processes.
#   scripts/soak.sh [DURATION]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B verify -Psoak -Dsoak.duration="${1:-120}" | grep -E "^=== soak|^ *[0-9.]+ s |^(produced|processed|lost|duplicated) |Tests run:|BUILD"
