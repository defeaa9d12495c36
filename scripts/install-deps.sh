#!/usr/bin/env bash
# Installs everything cordon needs to build, test and run its demo on Debian 12.
# Idempotent: packages already present are left alone.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang-format-14
  libcurl4-openssl-dev libssl-dev libsqlite3-dev sqlite3
  nlohmann-json3-dev libpugixml-dev libcli11-dev libexpected-dev libtomlplusplus-dev
  libspdlog-dev libfmt-dev libgtest-dev libgmock-dev
  ca-certificates openssl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The AWS emulator and reference clients come with the machine's Python (TESTING.md); the
# package index for Python is not reachable here, so say clearly when they are missing.
if ! python3 -c 'import moto, boto3' 2>/dev/null || ! command -v moto_server >/dev/null; then
  echo "install-deps: moto (with moto_server) and boto3 are required in python3" >&2
  exit 1
fi
