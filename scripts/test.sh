#!/usr/bin/env bash
# Installs everything the tests need, then runs the linter and the whole test suite headless.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check heart_desktop tests bench
.venv/bin/python -m pytest -q "$@"
