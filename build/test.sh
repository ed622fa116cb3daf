#!/usr/bin/env bash
# Install everything the tests need (Debian packages, then pip packages into .venv) and run
# the whole suite: lint, then pytest with warnings as errors. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source build/common.sh
# Debian packages the tests need: Chromium for the browser tests (driven by playwright);
# Xvfb and the libraries Qt's xcb platform and QtWebEngine load, for the desktop window tests
# (tests/desktop, which also build the one-dir bundle).
TEST_APT_PACKAGES=(chromium xvfb xauth libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libegl1 libgl1
  libfontconfig1 libdbus-1-3 libasound2 libxkbfile1 libxshmfence1 libgbm1 fonts-dejavu-core)
apt_install "${TEST_APT_PACKAGES[@]}"
# Node.js for tests/rp (panva's openid-client as an independent RP), from the lock file.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
npm ci --prefix tests/rp --no-audit --no-fund
ensure_venv test
# tests/desktop builds the one-dir bundle; the one-file and slim builds (~30 s each) too.
export POCKET_OP_TEST_ONEFILE="${POCKET_OP_TEST_ONEFILE:-1}" POCKET_OP_TEST_SLIM="${POCKET_OP_TEST_SLIM:-1}"
"$VENV/bin/ruff" check app ui tests benchmarks
"$VENV/bin/python" -m pytest -W error -q tests "$@"
