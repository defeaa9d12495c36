#!/usr/bin/env bash
# Installs what cordon needs, builds it, and contains a realistic incident in the moto emulator:
# an EC2 instance with two network interfaces and two volumes reported by GuardDuty as talking
# to a command-and-control server, and an IAM user whose access key is used from a malicious IP.
# cordon plans, applies and verifies the containment; the end state is read back with boto3.
# Everything runs on 127.0.0.1. Exits non-zero when any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
echo "== building (scripts/build.sh build)"
scripts/build.sh build

python=$(python3 -c 'import sys; print(sys.executable)')
work=$(mktemp -d "${TMPDIR:-/tmp}/cordon-demo-XXXXXX")
moto_pid=""
stop_moto() {
  if [[ -n $moto_pid ]]; then
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
    moto_pid=""
  fi
}
trap stop_moto EXIT

echo "== starting moto"
"$python" scripts/moto_counting_server.py --host 127.0.0.1 --port 0 >"$work/moto.log" 2>&1 &
moto_pid=$!
port=""
for _ in $(seq 600); do
  port=$(sed -n 's|.*Running on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$work/moto.log")
  [[ -n $port ]] && break
  if ! kill -0 "$moto_pid" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
if [[ -z $port ]]; then
  echo "demo: moto did not start; its log:" >&2
  cat "$work/moto.log" >&2
  exit 1
fi
echo "moto (pid $moto_pid) on http://127.0.0.1:$port"

# The same hermetic environment the end-to-end tests use: made-up keys for moto's default
# account, a private HOME so no real ~/.aws is read, and nothing else from this shell.
mkdir -p "$work/user-home"
aws_env=(env -i
  PATH="$PATH"
  HOME="$work/user-home"
  XDG_CONFIG_HOME="$work/user-home/.config"
  XDG_DATA_HOME="$work/user-home/.local/share"
  XDG_CACHE_HOME="$work/user-home/.cache"
  XDG_STATE_HOME="$work/user-home/.local/state"
  AWS_CONFIG_FILE="$work/user-home/.aws/config"
  AWS_SHARED_CREDENTIALS_FILE="$work/user-home/.aws/credentials"
  AWS_ENDPOINT_URL="http://127.0.0.1:$port"
  AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
  AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  AWS_REGION=us-east-1
  AWS_DEFAULT_REGION=us-east-1
  AWS_EC2_METADATA_DISABLED=true
  CORDON_HOME="$work/cordon-home"
  CORDON_ACTIVITY_SINCE=off # moto answers CloudTrail LookupEvents with HTTP 500
)

echo "== seeding the incident (scripts/seed_incident.py)"
"${aws_env[@]}" "$python" scripts/seed_incident.py --findings-dir "$work/findings" >"$work/seed.json"
"$python" - "$work/seed.json" <<'EOF'
import json, sys
seed = json.load(open(sys.argv[1]))
print(f"instance {seed['instance_id']} (role {seed['role_name']})")
print(f"  interfaces {', '.join(seed['network_interface_ids'])}")
print(f"  volumes    {', '.join(seed['volume_ids'])}")
print(f"user {seed['user_name']}, access keys {', '.join(seed['access_key_ids'])}")
EOF
finding_path() {
  "$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["findings"][sys.argv[2]]["path"])' \
    "$work/seed.json" "$1"
}
ec2_finding=$(finding_path ec2)
iam_finding=$(finding_path iam)
echo "findings: $ec2_finding"
echo "          $iam_finding"

case_id="demo-$(date -u +%Y%m%dT%H%M%SZ)"
findings=(--finding "$ec2_finding" --finding "$iam_finding")
step() {
  echo "== cordon $*"
  local status=0
  "${aws_env[@]}" build/cordon "$@" || status=$?
  if ((status != 0)); then
    echo "demo: 'cordon $1' failed with exit code $status (case files in $work)" >&2
    exit "$status"
  fi
}
step plan --case "$case_id" "${findings[@]}"
step apply --case "$case_id" --yes "${findings[@]}"
step verify --case "$case_id"

echo "== end state, read back with boto3"
"${aws_env[@]}" "$python" - "$work/seed.json" "$case_id" <<'EOF'
import json, sys
import boto3
seed, case = json.load(open(sys.argv[1])), sys.argv[2]
ec2, iam = boto3.client("ec2"), boto3.client("iam")
for key in iam.list_access_keys(UserName=seed["user_name"])["AccessKeyMetadata"]:
    print(f"access key {key['AccessKeyId']}: {key['Status']}")
enis = ec2.describe_network_interfaces(NetworkInterfaceIds=seed["network_interface_ids"])
for eni in enis["NetworkInterfaces"]:
    groups = ", ".join(g["GroupName"] for g in eni["Groups"])
    print(f"interface {eni['NetworkInterfaceId']}: groups {groups}")
snapshots = ec2.describe_snapshots(
    OwnerIds=["self"], Filters=[{"Name": "tag:IR-Case", "Values": [case]}])["Snapshots"]
print(f"snapshots tagged IR-Case={case}: {len(snapshots)}")
EOF
echo "demo: case $case_id contained; journal and evidence in $work/cordon-home/cases/$case_id"
