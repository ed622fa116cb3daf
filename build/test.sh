#!/usr/bin/env bash
# Install everything the tests need (Debian packages, then pip packages into .venv) and run
# the whole suite: lint, then pytest with warnings as errors. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source build/common.sh
# Debian packages the tests need: Chromium for the browser tests (driven by playwright).
TEST_APT_PACKAGES=(chromium)
apt_install "${TEST_APT_PACKAGES[@]}"
# Node.js for tests/rp (panva's openid-client as an independent RP), from the lock file.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
npm ci --prefix tests/rp --no-audit --no-fund
ensure_venv test
"$VENV/bin/ruff" check app ui tests benchmarks
"$VENV/bin/python" -m pytest -W error -q tests "$@"
