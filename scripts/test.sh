#!/usr/bin/env bash
# The test command: TypeScript suite (vitest), then the trainer's pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
bash scripts/setup-system.sh
bash scripts/setup-python.sh
npx vitest run
bash scripts/pytest.sh
