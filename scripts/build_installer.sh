#!/usr/bin/env bash
# Builds the one-folder application (dist/heart-desktop/) from build_installer.spec, then runs the
# built executable's --self-check headless and reports the folder's size and the time taken.
# Usage: bash scripts/build_installer.sh   (after scripts/setup.sh; installs PyInstaller itself)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh app
.venv/bin/python -m pip install --quiet -e ".[build]"
started=$(date +%s)
.venv/bin/pyinstaller build_installer.spec --noconfirm --clean --log-level WARN
built=$(date +%s)
echo "build: $((built - started)) s; folder: $(du -sh dist/heart-desktop | cut -f1)"
export QT_QPA_PLATFORM=offscreen
dist/heart-desktop/heart-desktop --version
dist/heart-desktop/heart-desktop --self-check
echo "self-check of the built executable passed"
