#!/usr/bin/env bash
# Runs the trainer's Python tests in the project venv (created by scripts/setup-python.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest -q trainer/tests
