#!/usr/bin/env bash
# `make demo`: start the local Twilio emulator with the example seed, then run the
# example stack against it with the Pulumi CLI on a local file backend.
#
#   bash examples/flex_sms/run.sh [up|preview|policy|destroy]     (default: up)
#
# State lives in .pulumi-local/ (Pulumi's file backend and the emulator's SQLite
# file), so running it again finds what the last run made. Without a Pulumi CLI on
# PATH, the CLI is installed into .pulumi-cli/ first (see pulumi_cli.py).
# Overrides: VENV, STACK, DEMO_STATE_DIR, DEMO_CLI_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VENV=${VENV:-.venv}
ACTION=${1:-up}
STACK=${STACK:-local}
STATE_DIR=${DEMO_STATE_DIR:-$ROOT/.pulumi-local}
CLI_DIR=${DEMO_CLI_DIR:-$ROOT/.pulumi-cli}
case "$ACTION" in
  up | preview | policy | destroy) ;;
  *) echo "usage: $0 [up|preview|policy|destroy]" >&2; exit 2 ;;
esac

# Before anything starts: a missing CLI is installed, or explained, here.
PULUMI=$("$VENV/bin/python" examples/flex_sms/pulumi_cli.py --install-root "$CLI_DIR") || exit 1

mkdir -p "$STATE_DIR"
"$VENV/bin/flex-sms" emulator --port 0 \
  --seed examples/flex_sms/seed.yaml --state "$STATE_DIR/emulator.sqlite3" \
  >"$STATE_DIR/emulator.out" 2>"$STATE_DIR/emulator.log" &
EMULATOR_PID=$!
trap 'kill "$EMULATOR_PID" 2>/dev/null || true; wait "$EMULATOR_PID" 2>/dev/null || true' EXIT

BASE_URL=""
for _ in $(seq 1 150); do
  BASE_URL=$(grep -o 'http://[^ ]*' "$STATE_DIR/emulator.out" 2>/dev/null | head -n1 || true)
  [ -n "$BASE_URL" ] && break
  if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
    echo "make demo: the emulator did not start:" >&2
    cat "$STATE_DIR/emulator.log" >&2
    exit 1
  fi
  sleep 0.1
done
[ -n "$BASE_URL" ] || { echo "make demo: the emulator did not announce its URL" >&2; exit 1; }
echo "== Twilio emulator at $BASE_URL (state: $STATE_DIR/emulator.sqlite3)"

# The emulator's default account (see seed.yaml). With real Twilio these come from
# `pulumi config set --secret twilio:authToken ...` or the CI's secret store.
export TWILIO_ACCOUNT_SID=ACeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee
export TWILIO_AUTH_TOKEN=eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee
export FLEX_SMS_TWILIO_BASE_URL=$BASE_URL
# The program and the provider process the CLI starts must both run in .venv
# (the provider runs with the program's directory as its working directory).
case $VENV in /*) VIRTUAL_ENV=$VENV ;; *) VIRTUAL_ENV=$ROOT/$VENV ;; esac
export VIRTUAL_ENV
# The CLI finds its language host and the dynamic-provider shim beside itself or on PATH.
export PATH="$VIRTUAL_ENV/bin:$(dirname "$PULUMI"):$PATH"
export PULUMI_PYTHON_CMD="$VIRTUAL_ENV/bin/python"
export PULUMI_BACKEND_URL="file://$STATE_DIR"
export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE-local-demo-only}
export PULUMI_SKIP_UPDATE_CHECK=true

"$PULUMI" stack select --create "$STACK" --non-interactive >/dev/null

show_twilio() {
  "$VENV/bin/python" - "$BASE_URL" <<'PY'
import sys
from pulumi_flex_sms.emulator.control import EmulatorControl

state = EmulatorControl(sys.argv[1]).state()
for account in state["accounts"]:
    for number in account.get("phone_numbers", []):
        print(f"   number  {number['phone_number']}  sms_url={number.get('sms_url')!r}")
    for config in account.get("address_configurations", []):
        ac = config.get("auto_creation") or {}
        print(f"   address {config['address']}  {config['sid']}  autocreation={ac}")
PY
}

case "$ACTION" in
  up)
    "$PULUMI" up --yes --refresh --stack "$STACK"
    echo "== Stack outputs"
    "$PULUMI" stack output --stack "$STACK"
    echo "== What the emulated Twilio account holds now"
    show_twilio
    ;;
  preview)
    "$PULUMI" preview --stack "$STACK"
    ;;
  policy)
    PACK_DIR=$STATE_DIR/policy-pack
    "$VENV/bin/flex-sms" policy-pack --write "$PACK_DIR" --force >/dev/null
    "$PULUMI" preview --stack "$STACK" --policy-pack "$PACK_DIR"
    ;;
  destroy)
    "$PULUMI" destroy --yes --stack "$STACK"
    echo "== What the emulated Twilio account holds now (webhook restored)"
    show_twilio
    ;;
esac
