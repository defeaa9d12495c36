#!/usr/bin/env bash
# Builds cordon twice (plain, and with AddressSanitizer + UndefinedBehaviorSanitizer) and runs
# the whole test suite in both: unit tests, end-to-end tests against moto, and the format check.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

scripts/build.sh build
scripts/build.sh build-asan -DCORDON_SANITIZE=ON

status=0
echo "== tests (plain build)"
ctest --test-dir build -j "$(nproc)" --output-on-failure || status=1
echo "== tests (ASan + UBSan build)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan -j "$(nproc)" --output-on-failure -LE format || status=1
exit $status
