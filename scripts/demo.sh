#!/usr/bin/env bash
# Installs HEART Desktop and starts it on the embedded demo store (synthetic cases only).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh app
exec .venv/bin/heart-desktop demo-start "$@"
