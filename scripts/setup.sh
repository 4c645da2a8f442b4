#!/usr/bin/env bash
# Installs everything HEART Desktop needs on a fresh Debian machine with Python 3.11:
# the Debian libraries Qt needs to open a window and WeasyPrint needs to lay out the documents
# (Pango, HarfBuzz and its font subsetter), for tests Xvfb, poppler, qpdf and PostgreSQL, a
# virtual environment in .venv, and the package with its Python dependencies.
# Usage: scripts/setup.sh [app|test]. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-app}"

app_packages=(
  libegl1 libgl1 libopengl0 libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6
  libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxrender1 libxi6 libsm6 libice6
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0
  fonts-dejavu-core libpulse0
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0
)
test_packages=(xvfb xauth poppler-utils qpdf postgresql dbus-daemon at-spi2-core python3-pyatspi)

packages=("${app_packages[@]}")
[ "$mode" = test ] && packages+=("${test_packages[@]}")

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
# another apt-get (unattended upgrades, a second terminal) may hold the lock: wait up to 10 minutes
apt_wait="-o DPkg::Lock::Timeout=600"
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "setup: these Debian packages are missing and I am not root: ${missing[*]}" >&2
    echo "setup: ask your administrator to run: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get $apt_wait update -qq
  $sudo apt-get $apt_wait install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: HEART Desktop needs Python 3.11 or newer; $python is $("$python" --version 2>&1)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    echo "setup: installing python3-venv"
    ${sudo:-} apt-get $apt_wait update -qq && ${sudo:-} apt-get $apt_wait install -y -qq python3-venv >/dev/null
    "$python" -m venv .venv
  fi
fi
extras=""
[ "$mode" = test ] && extras="[test]"
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install --quiet -e ".${extras}"
echo "setup: ready ($(.venv/bin/heart-desktop --version))"
