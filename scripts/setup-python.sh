#!/usr/bin/env bash
# Creates .venv with the trainer's exact pins (CPU torch). Idempotent: re-installs only when
# trainer/requirements.txt changed since the last successful install.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
stamp=.venv/.requirements.sha256
want=$(sha256sum trainer/requirements.txt | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
PIP_RETRIES=0 .venv/bin/pip install -q --retries 0 -r trainer/requirements.txt
echo "$want" > "$stamp"
