#!/usr/bin/env bash
# Fails when a C++ source differs from .clang-format (clang-format 14).
set -euo pipefail
cd "$(dirname "$0")/.."
fmt=$(command -v clang-format-14 || command -v clang-format)
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.cc' '*.h' | while read -r f; do
  [[ -f $f ]] && echo "$f"; done)
bad=0
for f in "${files[@]}"; do
  if ! "$fmt" --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f" >&2
    bad=1
  fi
done
echo "format: checked ${#files[@]} files"
exit $bad
